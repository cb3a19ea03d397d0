"""An indicator table laid out one cell per line, whose rows open with their numbers (序号) under a
header of two rows (指标值 / 规划值 over 2020年 and 2025年, a bare tab for each empty header cell),
followed without a blank line by more indented text. The rows used to be read out of phase (each row
ending with the next row's number, the header starting at 指标名称) and gave no figure at all. Two
documents of places not in the corpus, in two wordings and widths: 益阳 (five columns, a 其中 row, `/`
for an empty cell) and 石门 (six columns with a unit column and comparators)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import figures_by_document, score_figures

from kg.tables import find_tables, split_lines

UNSEEN = Path(__file__).parent / "data" / "figure-unseen"

SHIMEN = "\n".join([
    "石门县“十四五”卫生健康事业发展规划（摘要）", "", "表2  石门县卫生健康主要指标",
    "\t序号", "\t指标名称", "\t单位", "\t指标值", "\t", "\t属性",
    "\t", "\t", "\t", "\t2020年（基期）", "\t2025年（目标）", "\t",
    "\t1", "\t每千常住人口医疗卫生机构床位数", "\t张", "\t5.80", "\t6.60", "\t预期性",
    "\t2", "\t每千常住人口注册护士数", "\t人", "\t2.45", "\t3.10", "\t预期性",
    "\t3", "\t孕产妇死亡率", "\t1/10万", "\t9.8", "\t≤9.5", "\t约束性",
    "\t4", "\t县域内就诊率", "\t%", "\t86", "\t≥90", "\t预期性",
    "　　以上指标到2025年全部实现。", "　　加快县人民医院新院区建设。", ""])


def _yiyang() -> str:
    return (UNSEEN / "yiyang-indicators.txt").read_text("utf-8")


@pytest.mark.parametrize("text, width, first_row", [
    (_yiyang(), 5, ["1", "每千常住人口医疗卫生机构床位数（张）", "6.42", "7.10", "预期性"]),
    (SHIMEN, 6, ["1", "每千常住人口医疗卫生机构床位数", "张", "5.80", "6.60", "预期性"]),
])
def test_rows_open_with_their_numbers_under_a_two_row_header(text, width, first_row):
    (found,) = find_tables(split_lines(text), text, "d")
    table = found.table
    assert table.header_rows == 2 and table.width == width
    assert [c.text for c in table.body()[0]] == first_row
    assert [r[0].text for r in table.body()] == [str(n) for n in range(1, len(table.body()) + 1)]
    year_columns = [table.header_path(c) for c in range(width) if any("年" in p for p in table.header_path(c))]
    assert len(year_columns) == 2 and year_columns[0][0] == year_columns[1][0]  # one cell spans both years


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> dict[str, list[dict]]:
    docs = [{"file": "yiyang-indicators.txt", "text": _yiyang(), "city": "益阳市", "province": "湖南省"},
            {"file": "shimen-indicators.txt", "text": SHIMEN, "city": "常德市", "province": "湖南省",
             "county": "石门县"}]
    return figures_by_document(tmp_path_factory.mktemp("numbered"), docs)


def test_every_indicator_of_the_table_is_read(facts):
    rows = [json.loads(line) for line in
            (UNSEEN / "yiyang-indicators-expected.jsonl").read_text("utf-8").splitlines() if line]
    missed, wrong = score_figures(facts["yiyang-indicators.txt"],
                                  [(r["subject"], r["measure"], r["year"], r["value"]) for r in rows])
    assert missed == [] and wrong == []


@pytest.mark.parametrize("measure, year, value, comparator", [
    ("每千常住人口医疗卫生机构床位数", 2020, "5.8", None),
    ("每千常住人口医疗卫生机构床位数", 2025, "6.6", None),
    ("每千常住人口注册护士数", 2025, "3.1", None),
    ("孕产妇死亡率", 2025, "9.5", "≤"),
    ("县域内就诊率", 2025, "90", "≥"),
])
def test_a_county_table_with_units_and_comparators(facts, measure, year, value, comparator):
    found = [f for f in facts["shimen-indicators.txt"] if measure in f["measure"] and f["year"] == year
             and Decimal(str(f["value"])) == Decimal(value)]
    assert found, [(f["measure"], f["year"], f["value"]) for f in facts["shimen-indicators.txt"]]
    assert found[0]["subject"] == "石门县"
    if comparator:
        assert found[0]["comparator"] == comparator
