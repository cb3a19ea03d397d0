"""Figures (kg/pipeline/figures.py, figure_text.py): observations from the plans' tables and running text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from kg.corpus import load_corpus
from kg.pipeline.figures import parse_value
from kg.store import open_store, sparql_select, term_value
from kg.textnorm import is_dash, normalize_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PREFIXES = """PREFIX hk: <https://w3id.org/healthkg/ont#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
OBS = """
SELECT ?obs ?subjectLabel ?measure ?canonical ?year ?value ?text ?cmp ?unit ?nature ?role ?area ?condition ?g WHERE {
  ?subject skos:prefLabel ?subjectLabel .
  GRAPH ?g { ?obs a hk:Observation ; hk:subject ?subject ; hk:measureWording ?measure ; hk:measure ?m ;
                  hk:year ?year ; hk:valueText ?text ; hk:valueRole ?role . }
  ?m skos:prefLabel ?canonical .
  OPTIONAL { ?obs hk:value ?value } OPTIONAL { ?obs hk:comparator ?cmp } OPTIONAL { ?obs hk:unit ?unit }
  OPTIONAL { ?obs hk:nature ?nature } OPTIONAL { ?obs hk:area ?area } OPTIONAL { ?obs hk:condition ?condition }
}
"""


# `store`: the corpus graph, built once per session (tests/conftest.py)


def figures(store, subject: str, measure: str, year: int | None = None) -> list[dict]:
    rows = sparql_select(store, OBS, {"subjectLabel": subject, "measure": ox.Literal(measure, language="zh")}, PREFIXES)
    out = [{k: term_value(v) if v is not None else None for k, v in r.items()} for r in rows]
    for r in out:
        for k in ("nature", "role", "obs", "area", "g"):
            if isinstance(r.get(k), str) and k in ("nature", "role"):
                r[k] = r[k].rsplit("/", 1)[-1]
    return [r for r in out if year is None or r["year"] == year]


def one(store, subject: str, measure: str, year: int, role: str | None = None, condition: str | None = None) -> dict:
    rows = [r for r in figures(store, subject, measure, year) if (role is None or r["role"] == role)
            and (condition is None or r["condition"] == condition)]
    assert len({r["obs"] for r in rows}) == 1, rows
    return rows[0]


# ---------------------------------------------------------------- values


def test_parse_value_keeps_comparators_and_text():
    assert parse_value("≥0.77").value == "0.77" and parse_value("≥0.77").comparator == "≥"
    assert parse_value("80左右").comparator == "左右" and parse_value("80左右").value == "80"
    assert parse_value("＞90").comparator == ">" and parse_value("＞90").text == "＞90"
    ratio = parse_value("1:1.39")  # a ratio 1:x is worth x
    assert ratio.value == "1.39" and ratio.text == "1:1.39"
    assert parse_value("2.36/10万").value == "2.36"
    assert parse_value("同比例提高").value is None
    assert parse_value("—") is None and parse_value("-") is None and parse_value("") is None
    assert parse_value("/") is None and parse_value("／") is None
    two = parse_value("85\n\n70")
    assert two.value is None and two.text == "85 / 70"


# ---------------------------------------------------------------- indicator tables


def test_wuzhou_indicator_values_nature_and_region_columns(store):
    r = one(store, "梧州市", "每千常住人口重症床位数", 2020)
    assert Decimal(str(r["value"])) == Decimal("0.07") and r["nature"] == "guiding" and r["role"] == "baseline"
    assert r["unit"] == "张"
    g = one(store, "广西壮族自治区", "每千常住人口重症床位数", 2025)
    assert Decimal(str(g["value"])) == Decimal("0.45") and g["role"] == "target"
    amb = one(store, "梧州市", "每万常住人口急救车数量", 2025)
    assert amb["text"] == "≥0.77" and amb["cmp"] == "≥" and amb["unit"] == "辆"
    assert figures(store, "梧州市", "每万常住人口急救车数量", 2020) == []  # "—"
    # a "其中:" row takes its parent's population
    sub = one(store, "梧州市", "每千常住人口市办及以上公立医院床位数", 2025)
    assert Decimal(str(sub["value"])) == Decimal("2.38")
    ratio = one(store, "梧州市", "医护比", 2020)
    assert ratio["text"] == "1:1.39" and Decimal(str(ratio["value"])) == Decimal("1.39")
    life = one(store, "梧州市", "健康预期寿命", 2025)
    assert life["text"] == "同比例提高" and life["value"] is None
    gp = one(store, "梧州市", "每万常住人口全科医生数", 2025)
    assert gp["nature"] == "binding" and Decimal(str(gp["value"])) == 4


def test_qinzhou_cell_per_line_table(store):
    beds = {r["year"]: r for r in figures(store, "钦州市", "每千人口医疗卫生机构床位数")}
    assert Decimal(str(beds[2020]["value"])) == Decimal("6.06") and Decimal(str(beds[2025]["value"])) == 7
    assert beds[2025]["nature"] == "expected" and beds[2025]["unit"] == "张"
    smoke = [r for r in figures(store, "钦州市", "15岁以上人群吸烟率") if r["role"] in ("baseline", "target")]
    assert {r["year"] for r in smoke} == {2025}  # 2020 is a dash: no observation
    cell = next(r for r in smoke if r["text"] == "≤20")  # the table's cell; the text says 降低到20%以下
    assert cell["cmp"] == "≤" and cell["unit"] == "%"
    # one row, two groups sharing the measure (职工和城乡居民…比例 | ≥85 / ≥70): one figure per group
    assert figures(store, "钦州市", "职工和城乡居民医保政策范围内报销比例") == []
    staff = one(store, "钦州市", "职工医保政策范围内报销比例", 2025)
    assert staff["text"] == "≥85" and Decimal(str(staff["value"])) == 85 and staff["cmp"] == "≥"
    residents = one(store, "钦州市", "城乡居民医保政策范围内报销比例", 2025)
    assert residents["text"] == "≥70" and Decimal(str(residents["value"])) == 70 and residents["cmp"] == "≥"


def test_ganzhou_units_in_brackets(store):
    gp = one(store, "赣州市", "每万人口全科医生数", 2025)
    assert Decimal(str(gp["value"])) == 3 and gp["nature"] == "binding" and gp["unit"] == "人"
    assert figures(store, "赣州市", "每万人口全科医生数（人）") == []
    p3 = one(store, "赣州市", "生物安全三级（P3）实验室数量", 2020)
    assert Decimal(str(p3["value"])) == 0  # a real zero, unlike a dash
    assert figures(store, "赣州市", "每千人口康复病床数", 2020) == []


def test_every_numeric_cell_of_the_wuzhou_indicator_table_has_one_observation(store):
    plan = next(p for p in load_corpus(CORPUS) if p.meta.city == "梧州市")
    table = next(t for t in plan.tables if "主要指标" in t.caption)
    regions = {3: "梧州市", 4: "梧州市", 5: "广西壮族自治区", 6: "广西壮族自治区"}
    years = {3: 2020, 4: 2025, 5: 2020, 6: 2025}
    checked = dashes = 0
    for row in table.rows[2:]:
        label = normalize_text(row[2].text)
        if label.startswith("其中"):  # a sub-row takes its parent's population
            label = "每千常住人口" + label.removeprefix("其中：")
        label = label.rsplit("（", 1)[0] if label.endswith("）") else label
        for col, region in regions.items():
            cell = row[col].text
            rows = [r for r in figures(store, region, label, years[col]) if r["text"] == cell]
            if is_dash(cell):
                assert rows == [], (label, col)
                dashes += 1
                continue
            assert len({r["obs"] for r in rows}) == 1, (label, col, rows)
            expected = parse_value(cell)
            assert rows[0]["text"] == cell
            if expected.value is not None:
                assert Decimal(str(rows[0]["value"])) == Decimal(expected.value), (label, col)
            checked += 1
    assert checked == 25 * 4 - dashes and dashes == 8


# ---------------------------------------------------------------- institution and area tables


def test_bed_table_by_institution(store):
    assert Decimal(str(one(store, "梧州市工人医院", "实际开放床位", 2020, "open")["value"])) == 875
    assert Decimal(str(one(store, "梧州市工人医院", "规划编制床位数", 2025, "planned")["value"])) == 1740
    assert Decimal(str(one(store, "梧州市工人医院", "目前编制床位", 2020, "current")["value"])) == 810
    # the project cell, read as running text about the hospital: 加上北山院区 340 张
    assert Decimal(str(one(store, "梧州市工人医院", "北山院区", 2025)["value"])) == 340
    assert Decimal(str(one(store, "梧州市工人医院", "增加床位", 2025, "added")["value"])) == 590
    # 业务楼扩建…（增加床位 95 张）、…建成后共增加床位 885 张: the total after completion
    assert Decimal(str(one(store, "梧州市妇幼保健院", "增加床位", 2025, "added")["value"])) == 885
    assert figures(store, "广西壮族自治区桂东人民医院", "增加床位") == []  # project cell "-"
    r = one(store, "梧州市工人医院", "实际开放床位", 2020)
    assert r["area"].endswith("/region/450400") and r["unit"] == "张"


def test_per_county_targets(store):
    r = one(store, "蒙山县", "每千常住人口床位数", 2025)
    assert Decimal(str(r["value"])) == Decimal("7.72") and r["role"] == "target" and r["unit"] == "张"
    nurses = one(store, "岑溪市", "每千常住人口注册护士数", 2025)
    assert Decimal(str(nurses["value"])) == Decimal("2.35")
    assert Decimal(str(one(store, "梧州市", "每千常住人口床位数", 2025)["value"])) == Decimal("7.68")
    urban = one(store, "梧州市城区", "每千常住人口床位数", 2025)
    assert Decimal(str(urban["value"])) == Decimal("11.01") and urban["area"].startswith(
        "https://w3id.org/healthkg/id/area/450400/")


# ---------------------------------------------------------------- running text


def test_counting_sentences(store):
    total = one(store, "赣州市", "医疗卫生机构", 2020)
    assert Decimal(str(total["value"])) == 8640 and total["unit"] == "所" and total["role"] == "current"
    assert Decimal(str(one(store, "赣州市", "三级医院", 2020)["value"])) == 19
    assert Decimal(str(one(store, "赣州市", "二级医院", 2020)["value"])) == 48
    assert figures(store, "赣州市", "医务室") == []  # last item of 诊所、卫生所、医务室1219所
    assert Decimal(str(one(store, "梧州市", "医疗卫生机构", 2020)["value"])) == 1671
    assert Decimal(str(one(store, "梧州市", "医院", 2020)["value"])) == 50
    added = one(store, "钦州市", "新增实有床位", 2020)
    assert Decimal(str(added["value"])) == 6519 and added["role"] == "added"
    # 设置钦州市疾病预防控制中心1家，县区疾病预防控制中心4家: one of the kind at the city's level, four
    # at the counties' level; the level is the figure's condition, the measure the kind
    cdc = one(store, "钦州市", "疾病预防控制中心", 2025, condition="县区")
    assert Decimal(str(cdc["value"])) == 4 and cdc["role"] == "planned"
    city_cdc = one(store, "钦州市", "疾病预防控制中心", 2025, condition="市级")
    assert Decimal(str(city_cdc["value"])) == 1 and city_cdc["role"] == "planned" and city_cdc["unit"] == "家"
    # 设置自贸区钦州港片区卫生计生监督所1个: a zone's one, the zone its condition
    zone = one(store, "钦州市", "卫生计生监督所", 2025, condition="自贸区钦州港片区")
    assert Decimal(str(zone["value"])) == 1
    # 设置钦州市精神病医院（钦州市心理卫生中心）1家: the name's other name in brackets changes nothing
    assert Decimal(str(one(store, "钦州市", "精神病医院", 2025, condition="市级")["value"])) == 1
    # 设置固定献血点4个（… cut at the end of 000's line: the count is read all the same
    assert Decimal(str(one(store, "钦州市", "固定献血点", 2025, "planned")["value"])) == 4
    # the institution's own name is never a measure
    assert figures(store, "钦州市", "钦州市疾病预防控制中心") == []


def test_a_count_after_an_owner_cue_belongs_to_the_institution(store):
    # 规划设置钦州市医疗急救中心1个，下辖直属急救站1个: the centre's own station, not the city's
    own = one(store, "钦州市医疗急救中心", "直属急救站", 2025)
    assert Decimal(str(own["value"])) == 1 and own["unit"] == "个" and own["role"] == "planned"
    assert own["area"] == "https://w3id.org/healthkg/id/region/450700"
    assert figures(store, "钦州市", "直属急救站") == []
    # 设置钦州市妇幼保健院1家，县区妇幼保健院4家: no owner cue, so the county count stays the city's
    assert Decimal(str(one(store, "钦州市", "妇幼保健院", 2025, condition="县区")["value"])) == 4


def test_every_observation_sits_in_a_table_row_or_sentence_graph(store):
    rows = sparql_select(store, """SELECT ?obs ?exact WHERE { GRAPH ?g { ?obs a hk:Observation }
        ?g prov:wasDerivedFrom ?span . ?span oa:exact ?exact }""", prefixes=PREFIXES)
    assert len(rows) > 200
    assert all(r["exact"].value for r in rows)
    bare = sparql_select(store, "SELECT ?obs WHERE { ?obs a hk:Observation FILTER NOT EXISTS "
                         "{ GRAPH ?g { ?obs a hk:Observation } } }", prefixes=PREFIXES)
    assert bare == []


# ---------------------------------------------------------------- a new plan


PLAN = """北海市卫生健康“十四五”规划

一、发展基础
到2020年底，全市共有医疗卫生机构1200所，其中医院30所。

二、主要指标
“十四五”卫生健康主要指标
领域\t序号\t主要指标\t2020年\t2025年目标\t指标性质
资源配置\t1\t每千常住人口医疗卫生机构床位数(张)\t5.5\t≥6.8\t约束性
\t2\t每万常住人口全科医生数(人)\t—\t3.5\t预期性
\t3\t医护比\t1:1.2\t1:1.3\t指导性
"""


def test_a_new_plan_with_a_tab_indicator_table(build_plan):
    st = open_store(build_plan(PLAN, file="beihai.txt", city="北海市", title="北海市卫生健康“十四五”规划"))
    beds = {r["year"]: r for r in figures(st, "北海市", "每千常住人口医疗卫生机构床位数")}
    assert Decimal(str(beds[2020]["value"])) == Decimal("5.5") and beds[2020]["role"] == "baseline"
    assert beds[2025]["text"] == "≥6.8" and beds[2025]["cmp"] == "≥" and beds[2025]["nature"] == "binding"
    assert [r["year"] for r in figures(st, "北海市", "每万常住人口全科医生数")] == [2025]
    assert one(st, "北海市", "医护比", 2025)["text"] == "1:1.3"
    assert Decimal(str(one(st, "北海市", "医疗卫生机构", 2020)["value"])) == 1200
    assert Decimal(str(one(st, "北海市", "医院", 2020)["value"])) == 30
