"""`kg viz`: the networkx model of the real corpus and every output format."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path

import networkx as nx
import pytest

from kg import viz
from kg.vocab import load_vocabulary

QINZHOU = "钦州市"


@pytest.fixture(scope="module")
def full(store) -> nx.MultiDiGraph:
    return viz.full_network(store)


@pytest.fixture(scope="module")
def qinzhou(store) -> nx.MultiDiGraph:
    """钦州's network with the kind references (the analyst's whole view)."""
    return viz.build_network(store, city=QINZHOU, kinds=True)


@pytest.fixture(scope="module")
def planner(store) -> nx.MultiDiGraph:
    """钦州's network as a planner first sees it: what the plans name, no generic mentions."""
    return viz.build_network(store, city=QINZHOU)


def by_label(g: nx.MultiDiGraph) -> dict[str, dict]:
    return {d["label"]: d for _, d in g.nodes(data=True)}


def test_city_institutions_are_nodes_with_their_kind(qinzhou, institutions):
    nodes = by_label(qinzhou)
    expected = {name: f for name, f in institutions.items() if f["city"] == QINZHOU}
    assert len(expected) >= 20
    vocab = load_vocabulary()
    unit_kinds = {k.name for k in vocab.unit_kinds.values()}
    consortium_kinds = {k.name for k in vocab.consortium_kinds.values()}
    for name, fact in expected.items():
        if fact["kind"] in consortium_kinds | unit_kinds:
            # named consortia and units (campuses, facilities) are drawn when an edge reaches them
            assert name not in nodes or nodes[name]["type"] in ("consortium", "unit")
            continue
        if name not in nodes:  # an institution no relation reaches is left out of the drawing, and listed
            assert name in [d["label"] for d in qinzhou.graph["isolated"]], name
            continue
        assert nodes[name]["type"] == "institution"
        assert nodes[name]["kind"] == fact["kind"]
        assert nodes[name]["level"] == (fact["level"] or "")
    first = nodes["钦州市第一人民医院"]
    assert (first["kind"], first["category"], first["level"]) == ("综合医院", "医院", "市办")
    assert nodes["钦州市疾病预防控制中心"]["category"] == "专业公共卫生"
    assert first["quote"] and "钦州市第一人民医院" in first["quote"]
    # Only 钦州's institutions: none of 梧州's.
    assert not any(d["city"] and d["city"] != QINZHOU for d in nodes.values())


def edges_of(g: nx.MultiDiGraph, relation: str) -> list[tuple[dict, dict, dict]]:
    return [(g.nodes[u], g.nodes[v], d) for u, v, d in g.edges(data=True) if d["relation"] == relation]


def test_qinzhou_remote_medicine_centres_and_their_hosts(qinzhou):
    # 钦州市第一人民医院、灵山县人民医院、浦北县人民医院组建了市县两级3个远程医疗中心
    led = {v["label"]: (u["label"], d) for u, v, d in edges_of(qinzhou, "leads") if v["kind"] == "远程医疗协作网"}
    assert {name: host for name, (host, _) in led.items()} == {
        "钦州市第一人民医院远程医疗中心": "钦州市第一人民医院",
        "灵山县人民医院远程医疗中心": "灵山县人民医院",
        "浦北县人民医院远程医疗中心": "浦北县人民医院",
    }
    for _, d in led.values():
        assert d["mode"] == "asserted" and d["role"] == "牵头单位"
        assert "3个远程医疗中心" in d["quote"]
    assert "牵头单位@钦州市第一人民医院远程医疗中心" in by_label(qinzhou)["钦州市第一人民医院"]["roles"]


def test_qinzhou_county_medical_community_and_its_lead(qinzhou):
    led = {(u["label"], u["type"], d["mode"]) for u, v, d in edges_of(qinzhou, "leads")
           if v["label"] == "浦北县自治区级紧密型县域医疗共同体"}
    # The plan names the 医共体 and the 县级医院为龙头 rule; the rule infers its lead.
    assert led == {("浦北县人民医院", "institution", "inferred")}
    generic = {(u["label"], u["type"]) for u, v, d in edges_of(qinzhou, "leads") if v["label"] == "紧密型县域医共体"}
    assert generic == {("县直医院", "kindref")}


def test_qinzhou_centres_based_on_their_hosts(qinzhou):
    # 依托钦州市第一人民医院创建广西北部湾沿海综合医疗中心: the build states the centre as a unit of its
    # host (hk:unitOf, drawn as unit_of); a based_on edge where a plan states one.
    based = {u["label"]: v["label"] for u, v, _ in edges_of(qinzhou, "based_on") + edges_of(qinzhou, "unit_of")}
    assert based["广西北部湾沿海综合医疗中心"] == "钦州市第一人民医院"
    assert based["广西北部湾沿海精神卫生中心"] == "钦州市精神病医院"


def test_consortium_filter_keeps_the_networks_and_their_members(store):
    g = viz.build_network(store, city=QINZHOU, consortium="远程医疗中心")
    labels = {d["label"] for _, d in g.nodes(data=True)}
    # the centres, their hosts, and the counties the plan places two of them in
    assert labels == {"钦州市第一人民医院远程医疗中心", "灵山县人民医院远程医疗中心", "浦北县人民医院远程医疗中心",
                      "钦州市第一人民医院", "灵山县人民医院", "浦北县人民医院", "灵山县", "浦北县"}


def test_relation_filter(store):
    g = viz.build_network(store, city=QINZHOU, relations=["leads"])
    assert {d["relation"] for _, _, d in g.edges(data=True)} == {"leads"}
    assert not any(d["type"] == "unit" for _, d in g.nodes(data=True))  # based_on dropped, units unreachable


def test_edges_use_ontology_relation_names(full, store):
    from kg.facts import PREFIXES
    from kg.store import sparql_select

    names = {r["name"].value for r in sparql_select(store, "SELECT DISTINCT ?name WHERE { ?p hk:kgRelation ?name }",
                                                    prefixes=PREFIXES)}
    used = {d["relation"] for _, _, d in full.edges(data=True)}
    assert used <= names | {"unit_of"}  # hk:unitOf has no kg facts name: the drawing calls it unit_of
    assert all(d["mode"] in ("asserted", "inferred") for _, _, d in full.edges(data=True))


def test_level_filter_keeps_only_those_levels(store):
    g = viz.build_network(store, city=QINZHOU, levels=["县办"])
    levels = {d["level"] for _, d in g.nodes(data=True) if d["type"] == "institution"}
    assert levels == {"县办"}
    assert "灵山县人民医院" in by_label(g)


def test_unknown_consortium_is_a_clear_error(store):
    with pytest.raises(viz.VizError, match="no consortium"):
        viz.build_network(store, city=QINZHOU, consortium="不存在的联合体")


def test_stats_lists_institutions_outside_consortia(qinzhou):
    result = viz.network_stats(qinzhou)
    assert set(result) == {"flow", "leaders", "consortia", "outside"}
    # a member of a consortium (not of an institution it merges into, 整体并入)
    members = {u for u, v, d in qinzhou.edges(data=True) if d["relation"] in ("leads", "member_of")
               and qinzhou.nodes[v]["type"] == "consortium"}
    outside = {d["label"] for n, d in qinzhou.nodes(data=True) if d["type"] == "institution" and n not in members}
    # … and those left out of the drawing for want of any relation
    outside |= {d["label"] for d in qinzhou.graph["isolated"] if d["type"] == "institution"}
    assert set(result["outside"]) == outside
    assert "钦州市中医医院" in result["outside"] and "钦州市第一人民医院" not in result["outside"]
    assert result["leaders"][0] == ("浦北县人民医院", 2)


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_static_figure_renders_chinese_without_tofu(qinzhou, tmp_path, fmt):
    path = tmp_path / f"q.{fmt}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        viz.write(qinzhou, path, fmt)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert missing == []
    assert path.stat().st_size > 10_000
    if fmt == "png":
        import matplotlib.image as mpimg

        pixels = mpimg.imread(str(path))
        assert pixels.std() > 0.05  # not a blank page
    else:
        text = path.read_text(encoding="utf-8")
        assert text.lstrip().startswith(("<?xml", "<svg"))


def test_missing_cjk_font_names_the_package(monkeypatch):
    from matplotlib import font_manager

    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    with pytest.raises(viz.VizError) as err:
        viz.cjk_font()
    assert viz.FONT_PACKAGE in str(err.value)


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_files_round_trip(qinzhou, tmp_path, fmt, reader):
    path = viz.write(qinzhou, tmp_path / f"q.{fmt}", fmt)
    back = reader(str(path))
    assert back.number_of_nodes() == qinzhou.number_of_nodes()
    assert back.number_of_edges() == qinzhou.number_of_edges()
    iri = next(n for n, d in qinzhou.nodes(data=True) if d["label"] == "钦州市第一人民医院")
    assert back.nodes[iri]["label"] == "钦州市第一人民医院"
    assert back.nodes[iri]["kind"] == "综合医院"


def test_html_is_self_contained(qinzhou, tmp_path):
    page = viz.to_html(qinzhou)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?https?:", page)
    assert "钦州市第一人民医院" in page
    assert "/*__" not in page  # every placeholder filled


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install_system_deps.sh)")
def test_html_draws_in_headless_chromium(qinzhou, tmp_path):
    page = viz.write(qinzhou, tmp_path / "q.html", "html")
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1200,900",
                    "--virtual-time-budget=3000", page.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--disable-sync", "--no-first-run",
                          f"--user-data-dir={tmp_path / 'profile2'}", "--virtual-time-budget=3000", "--dump-dom",
                          page.resolve().as_uri()], check=True, capture_output=True, timeout=120, text=True).stdout
    # The page marks itself drawn with its node count, and records any script error.
    assert f'data-kg-drawn="{qinzhou.number_of_nodes()}"' in dom
    assert "data-kg-error" not in dom
    import matplotlib.image as mpimg

    pixels = mpimg.imread(str(shot))
    assert pixels.shape[:2] == (900, 1200)
    # The canvas is drawn: many distinct colours (nodes, labels), not a blank page.
    assert pixels.std() > 0.03
    assert len({tuple(p) for p in (pixels[::7, ::7, :3] * 255).astype(int).reshape(-1, 3)}) > 20


def test_cli_writes_a_file(data_dir, tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    out = tmp_path / "q.graphml"
    result = CliRunner().invoke(app, ["viz", "--data-dir", str(data_dir), "--city", QINZHOU, "--format", "graphml",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "nodes" in result.output
    stats = CliRunner().invoke(app, ["viz", "--data-dir", str(data_dir), "--city", QINZHOU, "--stats"])
    assert stats.exit_code == 0, stats.output
    assert "钦州市第一人民医院" in stats.output


def test_install_script_is_idempotent_shell():
    script = Path(__file__).resolve().parent.parent / "scripts" / "install_system_deps.sh"
    assert script.exists()
    subprocess.run(["bash", "-n", str(script)], check=True)


# ---- issue #15: networks a planner can read ----------------------------------------------------

def test_planner_view_has_no_generic_mentions_and_lists_what_it_leaves_out(planner, qinzhou):
    assert not any(d["type"] == "kindref" for _, d in planner.nodes(data=True))
    assert any(d["type"] == "kindref" for _, d in qinzhou.nodes(data=True))  # behind the switch
    assert all(planner.degree(n) > 0 for n in planner)
    left_out = {d["label"] for d in planner.graph["isolated"]}
    # 钦州市精神卫生福利医院 is named in the plan but no relation reaches it: listed, not drawn
    assert "钦州市精神卫生福利医院" in left_out and "钦州市精神卫生福利医院" not in by_label(planner)
    # consortia named only in passing (城市医联体, 远程医疗协作网) are listed too, never drawn alone
    assert {"城市医联体", "远程医疗协作网"} <= left_out
    assert not left_out & set(by_label(planner))


def test_both_county_communities_of_qinzhou_and_a_leader_only_where_inferred(planner):
    nodes = by_label(planner)
    for name, county in (("灵山县国家级紧密型县域医疗共同体", "灵山县"),
                         ("浦北县自治区级紧密型县域医疗共同体", "浦北县")):
        assert nodes[name]["type"] == "consortium"
        assert {planner.nodes[v]["label"] for u, v, d in planner.edges(data=True)
                if planner.nodes[u]["label"] == name and d["relation"] == "in_county"} == {county}
    leads = {(u["label"], v["label"], d["mode"]) for u, v, d in edges_of(planner, "leads")
             if "紧密型县域医疗共同体" in v["label"]}
    # the plan names no leader of either; the 县级医院为龙头 rule infers 浦北县人民医院's (drawn dashed)
    assert leads == {("浦北县人民医院", "浦北县自治区级紧密型县域医疗共同体", "inferred")}


def test_consortium_view_by_kind_finds_the_county_communities(store):
    g = viz.build_network(store, city=QINZHOU, consortium="医共体")
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert {"灵山县国家级紧密型县域医疗共同体", "浦北县自治区级紧密型县域医疗共同体", "浦北县人民医院"} <= labels


def test_county_view(store):
    g = viz.build_network(store, city=QINZHOU, county="浦北县")
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert {"浦北县人民医院", "浦北县自治区级紧密型县域医疗共同体", "浦北县人民医院远程医疗中心"} <= labels
    assert not any(d["county"] and d["county"] != "浦北县" for _, d in g.nodes(data=True))


@pytest.mark.parametrize("kinds", [False, True])
def test_no_two_labels_overlap(store, kinds):
    for city in (QINZHOU, "梧州市", None):
        g = viz.build_network(store, city=city, kinds=kinds)
        pos = viz.layout(g)
        assert g.number_of_nodes() > 5
        assert viz.label_overlaps(g, pos) == [], city
    # the boxes are real: two nodes at one place overlap
    assert viz.overlaps(viz.label_box("钦州市第一人民医院", 0, 0), viz.label_box("钦州市中医医院", 30, 10))


def test_kinds_are_drawn_apart(qinzhou):
    pos = viz.layout(qinzhou)
    named = [pos[n][0] for n, d in qinzhou.nodes(data=True) if d["type"] != "kindref"]
    kinds = [pos[n][0] for n, d in qinzhou.nodes(data=True) if d["type"] == "kindref"]
    assert min(kinds) > max(named)


def test_page_data_speaks_chinese(planner):
    data = viz.to_json(planner)
    assert data["relationLabels"]["leads"] == "牵头" and data["relationLabels"]["member_of"] == "成员"
    assert {d["label"] for d in data["isolated"]} == {d["label"] for d in planner.graph["isolated"]}
    html = viz.to_html(planner)
    assert "分层布局" in html and "hierarchical" not in html.split("<script")[0]
