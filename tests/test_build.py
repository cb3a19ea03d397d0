"""The build as a whole: provenance, SHACL, determinism, atomic publishing, new plans via `kg add`."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from kg.build import build
from kg.cli import app
from kg.errors import NoGraphError, StoreError
from kg.export import export_graph
from kg.facts import institution_facts
from kg.paths import ONTOLOGY_DIR
from kg.store import current_build, open_store, sparql_select

runner = CliRunner()

PREFIXES = """PREFIX hk: <https://w3id.org/healthkg/ont#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""


def test_every_evidence_graph_points_at_an_exact_quote(store, plans):
    rows = sparql_select(store, """
        SELECT ?g ?file ?start ?end ?quote WHERE {
          GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "https://w3id.org/healthkg/id/ev/"))
          ?g prov:wasDerivedFrom ?span . ?span oa:start ?start ; oa:end ?end ; oa:exact ?quote ;
                hk:inDocument/hk:fileName ?file }""", prefixes=PREFIXES)
    by_file = {p.meta.file: p.text for p in plans.values()}
    graphs = {r["g"].value for r in rows}
    assert len(graphs) > 100
    for r in rows:
        assert by_file[r["file"].value][int(r["start"].value):int(r["end"].value)] == r["quote"].value
    orphans = sparql_select(store, """SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o }
        FILTER(STRSTARTS(STR(?g), "https://w3id.org/healthkg/id/ev/"))
        FILTER NOT EXISTS { ?g prov:wasDerivedFrom ?span } }""", prefixes=PREFIXES)
    assert orphans == []


def test_graph_conforms_to_the_shapes(store):
    import rdflib
    from pyshacl import validate

    data = rdflib.Graph()
    data.parse(data=export_graph(store, "nt"), format="nt")
    shapes = rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl")
    ont = rdflib.Graph().parse(ONTOLOGY_DIR / "hk.ttl")
    conforms, _, text = validate(data, shacl_graph=shapes, ont_graph=ont, inference="none")
    assert conforms, text[:3000]


def test_two_builds_give_identical_graphs(tmp_path, corpus_dir, store):
    build(corpus_dir, tmp_path / "again")
    assert export_graph(open_store(tmp_path / "again"), "nquads") == export_graph(store, "nquads")


def test_failed_build_keeps_the_previous_graph(tmp_path, corpus_dir):
    data = tmp_path / "data"
    build(corpus_dir, data)
    before = current_build(data)
    broken = tmp_path / "broken"
    shutil.copytree(corpus_dir, broken)
    (broken / "documents.json").write_text("[{\"file\": \"missing.txt\", \"city\": \"梧州市\", "
                                           "\"province\": \"广西壮族自治区\", \"title\": \"x\"}]", encoding="utf-8")
    result = runner.invoke(app, ["build", "--corpus", str(broken), "--data-dir", str(data), "-q"])
    assert result.exit_code != 0
    assert current_build(data) == before
    assert len(list(institution_facts(open_store(data)))) == 85
    assert [p.name for p in (data / "builds").iterdir() if p.name.startswith("tmp-")] == []


def test_missing_and_corrupt_data_dirs_are_reported(tmp_path):
    with pytest.raises(NoGraphError):
        open_store(tmp_path / "nothing")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "CURRENT").write_text("gone", encoding="utf-8")
    with pytest.raises(StoreError):
        open_store(tmp_path / "d")


IMAGINARY_PLAN = """# 柳州市医疗卫生服务体系规划（2021—2025年）

一、机构设置与功能定位

（一）专业公共卫生机构。
设置柳州市疾病预防控制中心1家，柳江区、融安县疾病预防控制中心各1家。
柳州市妇幼保健院是全市妇幼保健业务指导中心。

（二）医院。
支持柳州市工人医院（柳州市第四人民医院）建设区域医疗中心，推进融水县人民医院、
融安县人民医院提标扩能，规划新建柳江区中医医院。
县级医院为龙头、乡镇卫生院为枢纽、村卫生室为基础，建设紧密型县域医共体。
"""


def test_kg_add_then_build_extracts_a_new_city(tmp_path):
    plan = tmp_path / "liuzhou.txt"
    plan.write_text(IMAGINARY_PLAN, encoding="utf-8")
    result = runner.invoke(app, ["add", str(plan), "--city", "柳州市", "--province", "广西壮族自治区",
                                 "--data-dir", str(tmp_path / "data"), "--date", "2022-03-01"])
    assert result.exit_code == 0, result.output
    corpus = tmp_path / "data" / "plans"  # the user's own plans, beside the graph
    meta = json.loads((corpus / "documents.json").read_text(encoding="utf-8"))
    assert meta[0]["city"] == "柳州市" and meta[0]["title"] == "柳州市医疗卫生服务体系规划（2021—2025年）"
    build(corpus, tmp_path / "data")
    found = {f["name"]: f for f in institution_facts(open_store(tmp_path / "data"))}
    assert set(found) == {"柳州市疾病预防控制中心", "柳江区疾病预防控制中心", "融安县疾病预防控制中心",
                          "柳州市妇幼保健院", "柳州市工人医院", "融水县人民医院", "融安县人民医院", "柳江区中医医院"}
    assert found["柳州市工人医院"]["aliases"] == ["柳州市第四人民医院"]
    assert found["融安县疾病预防控制中心"]["county"] == "融安县"
    assert found["柳江区中医医院"]["planned"] is True
    # the plan's line break inside 融水县人民医院、/融安县人民医院 was joined
    assert found["融安县人民医院"]["sources"][0]["quote"].startswith("支持柳州市工人医院")


def test_kg_add_refuses_bad_input(tmp_path):
    binary = tmp_path / "plan.pdf"
    binary.write_bytes(b"%PDF\x00\x01")
    result = runner.invoke(app, ["add", str(binary), "--city", "柳州市", "--province", "广西壮族自治区",
                                 "--data-dir", str(tmp_path / "data")])
    assert result.exit_code != 0 and "not a readable PDF" in result.output
    text = tmp_path / "plan.txt"
    text.write_text("某市规划", encoding="utf-8")
    result = runner.invoke(app, ["add", str(text), "--city", "不存在市", "--province", "广西壮族自治区",
                                 "--data-dir", str(tmp_path / "data")])
    assert result.exit_code != 0 and "not a known city" in result.output
    result = runner.invoke(app, ["add", str(text), "--city", "柳州市", "--province", "广西壮族自治区",
                                 "--data-dir", str(tmp_path / "data"), "--date", "2022/3/1"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
