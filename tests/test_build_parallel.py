"""Builds on every core and from the extraction cache give the graph one process reading every plan gives."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from kg import build_cache
from kg.build import build
from kg.build_extract import PlanExtraction, ProbedKeys
from kg.cli import app
from kg.export import export_graph
from kg.store import build_meta, open_store


def graph(data_dir) -> bytes:
    return export_graph(open_store(data_dir), "nquads")


def test_plans_read_by_a_pool_give_the_graph_of_one_process(tmp_path, corpus_dir, store):
    one = build(corpus_dir, tmp_path / "one", jobs=1, full=True)
    pool = build(corpus_dir, tmp_path / "pool", jobs=3, full=True)  # more workers than CPUs: still a pool
    assert (one.plans, one.from_cache, pool.from_cache) == (4, 0, 0)
    assert (one.sentences, one.institutions, one.quads) == (pool.sentences, pool.institutions, pool.quads)
    single = graph(tmp_path / "one")
    assert single == graph(tmp_path / "pool") == export_graph(store, "nquads")
    # the graph is the corpus's: every plan, with the 梧州 plan's institutions
    documents = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/healthkg/ont#PlanDocument>"
    assert single.count(documents) == 4
    assert "梧州市红十字会医院".encode() in single


def test_a_second_build_reads_no_plan_again_unless_the_pipeline_changed(tmp_path, corpus_dir, store, monkeypatch):
    data = tmp_path / "data"
    first = build(corpus_dir, data, jobs=2)
    assert first.from_cache == 0
    cached = sorted((data / build_cache.CACHE_DIR).rglob("*.pkl"))
    assert len(cached) == 4
    second = build(corpus_dir, data, jobs=2)
    assert second.from_cache == 4 and build_meta(data)["plans_from_cache"] == 4
    assert graph(data) == export_graph(store, "nquads")

    # a rule file changes (here only by a comment): every plan is read again, the old records go
    rules = tmp_path / "kg-data"
    shutil.copytree(build_cache.PACKAGE_DATA, rules)
    before = build_cache.pipeline_version()
    with open(rules / "institutions.yaml", "a", encoding="utf-8") as f:
        f.write("\n# a curator's note\n")
    monkeypatch.setattr(build_cache, "PACKAGE_DATA", rules)
    build_cache.pipeline_version.cache_clear()
    try:
        assert build_cache.pipeline_version() != before
        third = build(corpus_dir, data, jobs=2)
        assert third.from_cache == 0
        assert graph(data) == export_graph(store, "nquads")
        assert len([p for p in (data / build_cache.CACHE_DIR).iterdir() if p.is_dir()]) == 1  # pruned
        assert not any(p.exists() for p in cached)
        # --full reads every plan even when all are cached
        assert build(corpus_dir, data, jobs=2).from_cache == 4
        assert build(corpus_dir, data, jobs=2, full=True).from_cache == 0
        assert graph(data) == export_graph(store, "nquads")
    finally:
        build_cache.pipeline_version.cache_clear()


def test_kg_build_after_kg_add_reads_only_the_new_plan(tmp_path, corpus_dir):
    runner = CliRunner()
    data = tmp_path / "data"
    result = runner.invoke(app, ["build", "-q", "--data-dir", str(data), "--corpus", str(corpus_dir)])
    assert result.exit_code == 0, result.output
    assert "built 4 plans (0 from the cache, 4 read)" in result.output
    plan = tmp_path / "桂林规划.txt"
    plan.write_text("桂林市医疗卫生服务体系规划（2021—2025年）\n\n一、机构设置\n（一）医院。\n"
                    "支持桂林市人民医院建设区域医疗中心，推进阳朔县人民医院、灵川县人民医院提标扩能。\n"
                    "以阳朔县人民医院为牵头单位组建紧密型县域医共体，各乡镇卫生院为成员单位。\n", encoding="utf-8")
    result = runner.invoke(app, ["add", str(plan), "--city", "桂林市", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", "-q", "--data-dir", str(data), "--corpus", str(corpus_dir), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "built 5 plans (4 from the cache, 1 read)" in result.output
    text = graph(data).decode()
    assert "阳朔县人民医院" in text and "梧州市红十字会医院" in text
    result = runner.invoke(app, ["build", "-q", "--data-dir", str(data), "--corpus", str(corpus_dir), "--full"])
    assert "built 5 plans (0 from the cache, 5 read)" in result.output
    assert graph(data).decode() == text


def test_the_pipeline_version_covers_the_code_extraction_runs_and_not_the_writer():
    modules = build_cache.extraction_modules()
    for name in ("kg.pipeline.nlp", "kg.pipeline.institutions", "kg.pipeline.relations", "kg.pipeline.figures",
                 "kg.pipeline.figure_text", "kg.corpus", "kg.tables", "kg.textnorm", "kg.gazetteer", "kg.measures"):
        assert name in modules, name
    # the writer (triples, store, inference) runs on every build anyway: changing it keeps the cache
    assert not {"kg.build", "kg.store", "kg.build_relations", "kg.qa"} & modules.keys()


def test_figures_answers_about_other_plans_institutions_are_checked():
    keys = ProbedKeys({"a"})
    assert "a" in keys and "b" not in keys
    ext = PlanExtraction("doc", [], [], keys.probes, keys.opaque)
    assert ext.probes_hold({"a", "c"})
    assert not ext.probes_hold({"a", "b"})  # another plan names b: the plan's figures are read again
    assert not ext.probes_hold({"c"})
    list(keys)  # any other use of the institutions than `in`: always read again
    assert not PlanExtraction("doc", [], [], keys.probes, keys.opaque).probes_hold({"a"})
