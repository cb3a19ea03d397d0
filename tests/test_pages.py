"""Issue #15: every IRI of the graph has a page (HTML for a browser, Turtle / JSON-LD by Accept), the
plan reader shows each sentence with the facts read from it, and measures draw their values.

In-process (Starlette's test client on the session's corpus graph): the pages need no query workers.
"""

from __future__ import annotations

import json
import re
import warnings
from html import unescape

import pyoxigraph as ox
import pytest

from kg.facts import all_facts
from kg.resource import BASE, path_of

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient


class NoPool:
    """Pages run in the server process: a state without query workers serves them."""


@pytest.fixture(scope="module")
def client(data_dir):
    from kg.web.app import State, make_app

    return TestClient(make_app(State(data_dir, NoPool(), 10.0)))


@pytest.fixture(scope="module")
def fact_iris(store) -> list[str]:
    """Every IRI `kg facts` prints."""
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str) and value.startswith(BASE + "/"):
            found.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for fact in all_facts(store):
        walk(fact)
    return sorted(found)


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_every_iri_kg_facts_prints_dereferences_as_html_and_turtle(client, fact_iris):
    assert len(fact_iris) >= 80  # the corpus's named institutions and consortia
    for iri in fact_iris:
        path = path_of(iri)
        page = client.get(path, headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), iri
        turtle = client.get(path, headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle"), iri
        triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
        assert any(t.subject == ox.NamedNode(iri) for t in triples), iri
        label = next(t.object.value for t in triples
                     if t.subject == ox.NamedNode(iri) and t.predicate.value.endswith("#prefLabel"))
        assert label in text_of(page.text), iri


def test_every_minted_iri_of_each_family_dereferences(client, store):
    """One of each family of IRIs (org, cons, kindref, region, doc, span, obs, mem, unit, measure, …)."""
    families: dict[str, str] = {}
    for quad in store.quads_for_pattern(None, None, None, None):
        for term in (quad.subject, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(BASE + "/") and "#" not in term.value:
                parts = path_of(term.value).strip("/").split("/")
                key = "/".join(parts[:2]) + ("/char" if "/char/" in term.value else "")
                families.setdefault(key, term.value)
    assert {"id/org", "id/cons", "id/region", "id/doc", "id/doc/char", "id/obs", "vocab/measure"} <= set(families)
    for key, iri in sorted(families.items()):
        for accept, media in (("text/html", "text/html"), ("text/turtle", "text/turtle"),
                              ("application/ld+json", "application/ld+json")):
            response = client.get(path_of(iri), headers={"Accept": accept})
            assert response.status_code == 200 and response.headers["content-type"].startswith(media), (key, iri)
    data = json.loads(client.get(path_of(families["id/org"]), headers={"Accept": "application/ld+json"}).text)
    assert iri_in_jsonld(data, families["id/org"])


def iri_in_jsonld(data, iri: str) -> bool:
    return iri in json.dumps(data, ensure_ascii=False)


def test_unknown_iri_and_format_are_refused_clearly(client):
    response = client.get("/id/org/450700/nothing")
    assert response.status_code == 404
    assert "nothing named https://w3id.org/healthkg/id/org/450700/nothing" in response.text
    response = client.get("/id/region/450700?format=exe")
    assert response.status_code == 406


def _iri_named(store, name: str) -> str:
    rows = store.query('SELECT ?i ?n WHERE { ?i <http://www.w3.org/2004/02/skos/core#prefLabel> ?n } ',
                       use_default_graph_as_union=True)
    return next(r["i"].value for r in rows if r["n"].value == name)


def test_institution_page_shows_kind_level_place_consortia_and_quotes(client, store):
    page = client.get(path_of(_iri_named(store, "钦州市第一人民医院"))).text
    text = text_of(page)
    for expected in ("钦州市第一人民医院", "综合医院", "市办", "钦州市", "牵头", "钦州市第一人民医院远程医疗中心",
                     "牵头单位", "广西北部湾沿海综合医疗中心"):
        assert expected in text, expected
    # every quote links to its sentence in the plan reader
    quotes = re.findall(r'<a class="quote" href="(/plan/[^"#]+#s\d+)"', page)
    assert quotes and all(q.startswith("/plan/002_c2e64adf10e3179c.txt#s") for q in quotes)
    assert "组建了市县两级3个远程医疗中心" in text


def test_institution_page_lists_units_and_figures(client, store):
    facts = [f for f in all_facts(store, ["figure"]) if f["subject"] == "梧州市工人医院"]
    assert facts, "the corpus states figures of 梧州市工人医院"
    page = client.get(path_of(_iri_named(store, "梧州市工人医院"))).text
    assert 'id="figures"' in page
    for fact in facts[:5]:
        assert str(fact["year"]) in page and fact["sources"][0]["quote"][:20] in unescape(page)


def test_plan_reader_highlights_sentences_with_facts_and_lists_them(client, store):
    page = client.get("/plan/002_c2e64adf10e3179c.txt").text
    assert "《钦州市卫生健康发展“十四五”规划》" in unescape(page)
    match = re.search(r'<span class="sentence has-facts" id="s(\d+)"[^>]*>'
                      r'([^<]*钦州市第一人民医院、灵山县人民医院[^<]*)</span>', page)
    assert match, "the sentence of the 远程医疗中心 is highlighted"
    facts = re.search(rf'<div class="facts-of" id="f{match.group(1)}" hidden>(.*?)</div>', page, re.S).group(1)
    assert "钦州市第一人民医院" in facts and "牵头" in facts
    # headings of the plan's sections are headings
    assert re.search(r'<h3 class="heading depth-\d" id="s\d+">', page)
    assert client.get("/plan/no-such-plan.txt").status_code == 404


def test_measure_page_draws_values_across_places_with_plans_cited(client, store):
    rows = store.query('SELECT ?m (COUNT(?o) AS ?n) WHERE { ?o <https://w3id.org/healthkg/ont#measure> ?m } '
                       'GROUP BY ?m ORDER BY DESC(?n) LIMIT 1', use_default_graph_as_union=True)
    measure = next(iter(rows))["m"].value
    page = client.get(path_of(measure)).text
    assert '<figure class="chart" id="chart">' in page and "<rect" in page
    assert re.search(r'来源 sources：<a href="/plan/[^"]+#s\d+">《', page)


def test_kinds_have_anchors_on_the_ontology_page(client, store):
    page = client.get("/ont").text
    assert 'id="GeneralHospital"' in page and "综合医院" in page
    assert path_of(_iri_named(store, "钦州市第一人民医院")) in page
    assert client.get("/ont", headers={"Accept": "text/turtle"}).status_code == 200


def test_pages_escape_what_they_show(client, store):
    page = client.get("/plans").text
    assert "<script>" not in page.replace('<script src="/static/page.js"></script>', "")


def test_indicator_chart_from_the_cli(data_dir, tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    out = tmp_path / "beds.png"
    result = runner.invoke(app, ["viz", "--data-dir", str(data_dir), "--measure", "每千人口医疗卫生机构床位数",
                                 "--format", "png", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:4] == b"\x89PNG" and "《钦州市卫生健康发展“十四五”规划》" in result.output
    bad = runner.invoke(app, ["viz", "--data-dir", str(data_dir), "--measure", "不存在的指标", "-o", str(out)])
    assert bad.exit_code != 0 and "不存在的指标" in bad.output and "Traceback" not in bad.output


def test_chart_series_compare_2020_with_the_2025_target(store):
    from kg import charts
    from kg.resource import Reader

    reader = Reader(store)
    values = reader.measure_values(reader.measure_named("每千人口医疗卫生机构床位数"))
    data = charts.series(values)
    names = [s["name"] for s in data["series"]]
    assert "2020年 基期值" in names and "2025年 目标值" in names
    target = next(s for s in data["series"] if s["name"] == "2025年 目标值")["values"]
    assert target["钦州市"] == 7 and target["赣州市"] == 7.5
    assert {"钦州市", "梧州市", "赣州市"} <= set(data["groups"])


def test_downloads_with_chinese_headers(data_dir):
    """/api/download runs the query in a worker: a real pool here."""
    from kg.web.app import State, make_app
    from kg.web.pool import QueryPool

    pool = QueryPool(size=1, timeout=20, memory_mb=512)
    pool.start()
    try:
        client = TestClient(make_app(State(data_dir, pool, 20.0)))
        form = {"query": 'SELECT ?name ?level WHERE { ?i a hk:Hospital ; skos:prefLabel ?name ; '
                         'hk:adminLevel/skos:prefLabel ?level ; hk:city/skos:prefLabel "梧州市"@zh . '
                         'FILTER(LANG(?level) = "zh") } ORDER BY ?name'}
        csv_body = client.post("/api/download?format=csv", data=form)
        assert csv_body.status_code == 200 and csv_body.text.startswith("\ufeff名称,办医层级\r\n")
        assert "梧州市第三人民医院,市办" in csv_body.text
        data = client.post("/api/download?format=json", data=form).json()
        assert data["columns"][0] == {"name": "name", "label": "名称"}
        xlsx = client.post("/api/download?format=xlsx", data=form)
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(xlsx.content)).active
        assert [c.value for c in sheet[1]] == ["名称", "办医层级"]
        assert client.post("/api/download?format=exe", data=form).status_code == 400
        refused = client.post("/api/download?format=csv", data={"query": "DELETE WHERE { ?s ?p ?o }"})
        assert refused.status_code == 403
    finally:
        pool.close()


def test_hostile_text_of_a_plan_is_text_on_every_page(tmp_path):
    """A plan whose title and sentences carry markup: the reader and the institution page show it as text."""
    from typer.testing import CliRunner

    from kg.cli import app
    from kg.web.app import State, make_app

    payload = "<img src=x onerror=alert(1)>"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plan.txt").write_text(
        "# 河池市医疗卫生服务体系规划\n\n## 一、医疗机构设置\n\n"
        f"河池市人民医院为三级甲等综合医院，是全市医疗中心{payload}。\n"
        "金城江区人民医院为二级综合医院。\n", encoding="utf-8")
    (corpus / "documents.json").write_text(json.dumps(
        [{"file": "plan.txt", "city": "河池市", "province": "广西壮族自治区", "title": f"河池市{payload}规划"}],
        ensure_ascii=False), encoding="utf-8")
    built = CliRunner().invoke(app, ["build", "-q", "--corpus", str(corpus), "--data-dir", str(tmp_path / "data")])
    assert built.exit_code == 0, built.output
    client = TestClient(make_app(State(tmp_path / "data", NoPool(), 10.0)))
    reader = client.get("/plan/plan.txt").text
    assert "河池市人民医院" in reader and "<img" not in reader and "&lt;img src=x onerror=alert(1)&gt;" in reader
    plans = client.get("/plans").text
    assert "<img" not in plans and "河池市&lt;img" in plans
    hospital = next(f for f in all_facts(client.app.state.kg.store(), ["institution"]) if f["name"] == "河池市人民医院")
    page = client.get(path_of(hospital["iri"])).text
    assert "<img" not in page and "&lt;img" in page  # the quote and the plan's title, escaped
