"""Tables whose rows are named units (kg/pipeline/table_entities.py, kg/data/table_columns.yaml): a
consortium table (医共体名称 | 牵头医院 | counts), an emergency station table (站点名称 | 依托单位 | counts)
and a provincial alliance's member list (序号 | 所在市 | 单位名称 | 等级).

The layout tests draw a table, render it in every layout the reader knows (tab rows, one cell per
line tab-prefixed with and without blank lines between rows, markdown pipes, aligned spaces, one cell per
line without indentation) and check that each rendering gives the facts computed here from the drawn
cells. The documents of tests/data/table-unseen (places not in the corpus, expectations written before
any run) must give their expected facts exactly; the corpus's own tables are no tables of named units
and keep their figures.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build_extract import extract_plan
from kg.corpus import PlanMeta, parse_plan
from kg.pipeline.relation_records import Group, Named
from kg.pipeline.table_entities import table_columns

UNSEEN = Path(__file__).parent / "data" / "table-unseen"

# 浦江县 (金华市) is a county no plan of the corpus is about
META = PlanMeta(file="pj.txt", city="金华市", province="浙江省", county="浦江县",
                title="浦江县2023年医共体建设工作总结")

# (consortium as written, its lead as written, the lead's full name)
CONSORTIA = [("人民医院医共体", "县人民医院", "浦江县人民医院"), ("中医院医共体", "县中医院", "浦江县中医院"),
             ("妇幼保健院医共体", "县妇幼保健院", "浦江县妇幼保健院")]
CONSORTIUM_HEAD = ["医共体名称", "牵头医院", "成员乡镇卫生院（个）", "社区卫生服务中心（个）", "覆盖人口（万人）"]
CONSORTIUM_MEASURES = [("成员乡镇卫生院", "个"), ("社区卫生服务中心", "个"), ("覆盖人口", "万人")]
# (station as written, its host as written, the station's and the host's names)
# (a town's institutions are named as written, opening with the town; 城区急救站 is the county's; a hospital's
# station, its unit, is named with the hospital's full name)
STATIONS = [("城区急救站", "浦江县人民医院", "浦江县城区急救站", "浦江县人民医院"),
            ("黄宅镇急救站", "黄宅镇中心卫生院", "黄宅镇急救站", "黄宅镇中心卫生院"),
            ("郑宅镇急救站", "郑宅镇卫生院", "郑宅镇急救站", "郑宅镇卫生院"),
            ("岩头镇急救站", "/", "岩头镇急救站", None),
            ("县人民医院急救站", "县人民医院", "浦江县人民医院急救站", "浦江县人民医院")]
STATION_HEAD = ["站点名称", "依托单位", "救护车（辆）", "服务人口（万人）", "平均服务半径（公里）"]
STATION_MEASURES = [("救护车", "辆"), ("服务人口", "万人"), ("平均服务半径", "公里")]

COUNTS = st.integers(min_value=1, max_value=60).map(str)
AMOUNTS = st.decimals(min_value=Decimal("0.5"), max_value=Decimal("99.9"), places=1).map(str)


@st.composite
def consortium_tables(draw):
    picks = draw(st.lists(st.sampled_from(range(len(CONSORTIA))), min_size=2, max_size=3, unique=True))
    rows = [[CONSORTIA[k][0], CONSORTIA[k][1], draw(COUNTS), draw(COUNTS), draw(AMOUNTS)] for k in picks]
    total = ["合计", "—", draw(COUNTS), draw(COUNTS), draw(AMOUNTS)]
    return [CONSORTIUM_HEAD, *rows, total]


@st.composite
def station_tables(draw):
    picks = draw(st.lists(st.sampled_from(range(len(STATIONS))), min_size=2, max_size=4, unique=True))
    return [STATION_HEAD] + [[STATIONS[k][0], STATIONS[k][1], draw(COUNTS), draw(AMOUNTS), draw(COUNTS)]
                             for k in picks]


def tabs(rows) -> str:
    return "\n".join("\t".join(r) for r in rows)


def cells_blank_lines(rows) -> str:
    return "\n\n".join("\n".join("\t" + c for c in r) for r in rows)


def cells_no_blank_lines(rows) -> str:
    return "\n".join("\t" + c for r in rows for c in r)


def pipes(rows) -> str:
    return "\n".join(["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
                     + ["| " + " | ".join(r) + " |" for r in rows[1:]])


def spaces(rows) -> str:
    return "\n".join("    ".join(r) for r in rows)


def plain_lines(rows) -> str:
    return "\n".join(c for r in rows for c in r)


LAYOUTS = [tabs, cells_blank_lines, cells_no_blank_lines, pipes, spaces, plain_lines]


def document(caption: str, table: str) -> str:
    return (f"{META.title}\n\n一、基本情况\n全县持续推进紧密型县域医共体和院前急救体系建设。\n\n{caption}\n{table}\n\n"
            "二、下一步工作\n继续推进医共体内人员、财务、药品统一管理。\n")


def facts_of(text: str) -> tuple[set[tuple], set[tuple]]:
    """(figures, relations) the pipeline reads from a document of 浦江县, subjects by name."""
    ext = extract_plan(parse_plan("pj", META, text))
    names = {m.key: m.name for r in ext.readings for m in r.institutions}
    names["region:330726"] = "浦江县"
    figures = set()
    for o in ext.observations:
        assert o.evidence.text == text[o.evidence.start:o.evidence.end]
        if o.source == "table":
            key = f"region:{o.subject.key}" if o.subject.kind == "region" else o.subject.key
            figures.add((names[key], o.measure.wording, o.year, o.value.text, o.unit))
    relations = set()
    for r in ext.readings:
        for rec in r.relations:
            if getattr(rec, "relation", None) in ("leads", "member_of", "based_on"):
                s, o = rec.subject, rec.obj
                relations.add((rec.relation, names[s.key] if isinstance(s, Named) else s,
                               o.label if isinstance(o, Group) else names[o.key] if isinstance(o, Named) else o))
    return figures, relations


def expected_consortium_facts(rows) -> tuple[set[tuple], set[tuple]]:
    full = {written: full for _, written, full in CONSORTIA}
    figures, relations = set(), set()
    for row in rows[1:]:
        subject = "浦江县" if row[0] == "合计" else full[row[1]] + "医共体"
        figures |= {(subject, m, 2023, v, u) for (m, u), v in zip(CONSORTIUM_MEASURES, row[2:], strict=True)}
        if row[0] != "合计":
            relations.add(("leads", full[row[1]], subject))
    return figures, relations


def expected_station_facts(rows) -> tuple[set[tuple], set[tuple]]:
    named = {s[0]: s for s in STATIONS}
    figures, relations = set(), set()
    for row in rows[1:]:
        _, _, station, host = named[row[0]]
        figures |= {(station, m, 2024, v, u) for (m, u), v in zip(STATION_MEASURES, row[2:], strict=True)}
        if host is not None:
            relations.add(("based_on", station, host))
    return figures, relations


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(consortium_tables())
def test_a_consortium_table_gives_the_same_facts_in_every_layout(rows):
    want = expected_consortium_facts(rows)
    for layout in LAYOUTS:
        figures, relations = facts_of(document("表1 浦江县医共体组建情况", layout(rows)))
        assert figures == want[0], layout.__name__
        assert relations >= want[1], layout.__name__
        assert {r for r in relations if r[0] == "leads"} == want[1], layout.__name__


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(station_tables())
def test_a_station_table_gives_the_same_facts_in_every_layout(rows):
    want = expected_station_facts(rows)
    for layout in LAYOUTS:
        figures, relations = facts_of(document("表2 2024年浦江县急救站点设置一览表", layout(rows)))
        assert figures == want[0], layout.__name__
        assert {r for r in relations if r[0] == "based_on"} == want[1], layout.__name__


def test_a_consortium_named_again_without_its_lead_column_is_the_same_consortium():
    """表2 of a county's summary names the consortia of 表1 by their short forms alone: 人民医院医共体 is
    still the county's 人民医院's (and with no 表1, the county's 人民医院 is still its leader)."""
    first = tabs([CONSORTIUM_HEAD, ["人民医院医共体", "县人民医院", "6", "1", "18.4"]] +
                 [["中医院医共体", "县中医院", "5", "1", "15.2"]])
    second = tabs([["医共体名称", "门急诊人次（万人次）", "县域就诊率（%）"], ["人民医院医共体", "62.3", "91.2"],
                   ["中医院医共体", "41.8", "90.6"], ["合计", "104.1", "90.9"]])
    for text in (document("表1 浦江县医共体组建情况", first) + "\n表2 2023年各医共体主要运行指标\n" + second,
                 document("表2 2023年各医共体主要运行指标", second)):
        figures, _ = facts_of(text)
        assert {f for f in figures if f[1] in ("门急诊人次", "县域就诊率")} == {
            ("浦江县人民医院医共体", "门急诊人次", 2023, "62.3", "万人次"),
            ("浦江县人民医院医共体", "县域就诊率", 2023, "91.2", "%"),
            ("浦江县中医院医共体", "门急诊人次", 2023, "41.8", "万人次"),
            ("浦江县中医院医共体", "县域就诊率", 2023, "90.6", "%"),
            ("浦江县", "门急诊人次", 2023, "104.1", "万人次"), ("浦江县", "县域就诊率", 2023, "90.9", "%")}


def test_a_column_of_counts_is_a_measure_whatever_its_words():
    """成员单位（个） holds numbers: the members' count, no list of members."""
    rows = [["医共体名称", "牵头单位", "成员单位（个）"], ["人民医院医共体", "县人民医院", "9"],
            ["中医院医共体", "县中医院", "7"]]
    plan = parse_plan("pj", META, document("表1 浦江县医共体组建情况", tabs(rows)))
    cols = table_columns(plan.tables[0])
    assert cols is not None and cols.relations == {1: "leads"}
    figures, relations = facts_of(document("表1 浦江县医共体组建情况", tabs(rows)))
    assert ("浦江县人民医院医共体", "成员单位", 2023, "9", "个") in figures
    assert not [r for r in relations if r[0] == "member_of"]


# -- the imaginary documents of other places -------------------------------------------------------

@pytest.fixture(scope="module")
def unseen_facts(tmp_path_factory):
    from conftest import build_documents

    from kg.facts import figure_facts, institution_facts, relation_facts
    from kg.store import open_store

    expected = {f: d for f, d in json.loads((UNSEEN / "expected.json").read_text(encoding="utf-8")).items()
                if d["tuned"]}
    docs = [{"file": f, "text": (UNSEEN / f).read_text(encoding="utf-8"), **{k: d[k] for k in
             ("city", "province", "title", "county")}} for f, d in expected.items()]
    store = open_store(build_documents(tmp_path_factory.mktemp("table-unseen"), docs))
    return expected, [*institution_facts(store), *relation_facts(store), *figure_facts(store)]


def _scorer():
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "tools"))
    import score_table_unseen

    return score_table_unseen


@pytest.mark.parametrize("file", ["jingxian-ygt.txt", "wuyi-120.txt"])
def test_the_table_figures_of_a_county_s_document_are_its_rows_units(unseen_facts, file):
    expected, facts = unseen_facts
    tool = _scorer()
    score = tool.score_figures(expected[file], tool.table_figures_of_doc(facts, file))
    assert score["fig_missed"] == [] and score["fig_wrong"] == []
    assert score["fig_recalled"] == len(expected[file]["figures"])


@pytest.mark.parametrize("file", ["jingxian-ygt.txt", "wuyi-120.txt", "jiangxi-alliance.txt"])
def test_the_relations_of_the_table_rows_are_read(unseen_facts, file):
    expected, facts = unseen_facts
    tool = _scorer()
    found = tool.of_doc(facts, file)
    rel = tool.score_relations(expected[file], found, tool.relations_of_doc(facts, file))
    # every relation a table row states (the alliance's lead is said in its running text only)
    in_text = [t for t in expected[file]["relations"] if file == "jiangxi-alliance.txt" and t[1] == "leads"]
    assert set(rel["rel_missed"]) <= {"→".join(t) for t in in_text}
    for name in expected[file]["expected"]:
        if name.endswith(("医共体", "急救站")):
            assert name in found or any(a in found for a in expected[file]["aliases"].get(name, [])), name


def test_a_member_list_s_city_column_is_no_part_of_the_names(unseen_facts):
    """序号 | 所在市 | 单位名称 | 等级: 上饶市 | 上饶市立医院 is 上饶市立医院, not 上饶市上饶市立医院."""
    _, facts = unseen_facts
    names = {f["name"]: (f["city"]) for f in facts if f["type"] == "institution"
             and any(s.get("source_file", s["doc"]) == "jiangxi-alliance.txt" for s in f["sources"])}
    assert {n: c for n, c in names.items() if n.endswith("医院")} == {
        "南昌大学第一附属医院": "南昌市", "九江市第一人民医院": "九江市", "上饶市立医院": "上饶市",
        "萍乡市人民医院": "萍乡市", "景德镇市第一人民医院": "景德镇市", "宜春市人民医院": "宜春市"}


# -- the corpus ---------------------------------------------------------------------------------------

def test_no_table_of_the_corpus_is_read_as_one_of_named_units(plans):
    assert [t.caption for p in plans.values() for t in p.tables if table_columns(t) is not None] == []


def test_the_corpus_s_tables_by_area_and_institution_keep_their_figures(store):
    from kg.facts import figure_facts

    got = {(f["subject"], f["measure"], f["year"], f["value"], f["role"]) for f in figure_facts(store)
           if any("\t" in s["quote"] for s in f["sources"])}
    assert {("岑溪市", "每千常住人口床位数", 2025, 5.73, "target"),
            ("梧州市红十字会医院", "目前编制床位", 2020, 1200.0, "current")} <= got


def test_a_member_list_whose_caption_names_no_consortium_gives_the_title_s():
    """附件：首批成员单位名单 under 关于成立江西省胸痛中心联盟的通知: the rows' hospitals are members of the
    alliance the title names (with the alliance in the caption, relations.py reads it so already)."""
    text = (UNSEEN / "jiangxi-alliance.txt").read_text(encoding="utf-8")
    text = text.replace("附件：江西省胸痛中心联盟首批成员单位名单", "附件：首批成员单位名单")
    meta = PlanMeta(file="j.txt", city="南昌市", province="江西省", title="关于成立江西省胸痛中心联盟的通知")
    for doc in (text, (UNSEEN / "jiangxi-alliance.txt").read_text(encoding="utf-8")):
        ext = extract_plan(parse_plan("j", meta, doc))
        names = {m.key: m.name for r in ext.readings for m in r.institutions}
        members = {names[rec.subject.key] for r in ext.readings for rec in r.relations
                   if getattr(rec, "relation", None) == "member_of" and isinstance(rec.obj, Group)
                   and rec.obj.label == "江西省胸痛中心联盟"}
        assert members == {"南昌大学第一附属医院", "九江市第一人民医院", "上饶市立医院", "萍乡市人民医院",
                           "景德镇市第一人民医院", "宜春市人民医院"}


@pytest.mark.parametrize("layout", [tabs, cells_blank_lines, pipes])
def test_units_named_under_a_plain_header_with_the_total_in_the_sequence_column(layout):
    """序号 | 名称 | 牵头单位 | …: the column whose cells all end in 医共体 names the rows' consortia; 合计
    written in the sequence column is the county's."""
    rows = [["序号", "名称", "牵头单位", "村卫生室（个）"], ["1", "人民医院医共体", "县人民医院", "48"],
            ["2", "中医院医共体", "县中医院", "36"], ["合计", "/", "/", "84"]]
    figures, relations = facts_of(document("表1 浦江县医共体基本情况", layout(rows)))
    assert figures == {("浦江县人民医院医共体", "村卫生室", 2023, "48", "个"),
                       ("浦江县中医院医共体", "村卫生室", 2023, "36", "个"), ("浦江县", "村卫生室", 2023, "84", "个")}
    assert {r for r in relations if r[0] == "leads"} == {("leads", "浦江县人民医院", "浦江县人民医院医共体"),
                                                         ("leads", "浦江县中医院", "浦江县中医院医共体")}
