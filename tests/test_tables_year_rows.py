"""A table whose rows are years and whose columns are measures (年度 | 新增家庭医生团队（个） | …, then
2023年 | 20 | …): each number is a figure of the document's place in its row's year, measured by its
column's header with the unit of its parentheses. A year after the one the document speaks of as now is
a target; every year of a document that speaks of no present (各年度目标如下) is one. Such tables gave no
figure at all. Two documents of places not in the corpus: a county-level city's three-year action plan
(临湘, targets, years written 2023年) and a county's work report (平江, past years written 2021 / 2022)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from conftest import figures_by_document

UNSEEN = Path(__file__).parent / "data" / "figure-unseen"

PINGJIANG = """平江县2022年卫生健康工作总结

　　截至2022年底，全县共有医疗卫生机构612个。近三年主要业务量如下：
年份	总诊疗人次（万人次）	出院人次（万人次）	家庭医生签约率（%）
2020	312.5	10.8	38.2
2021	335.1	11.6	41.5
2022	352.8	12.1	45.0

　　下一步，全县将继续深化医共体建设。
"""


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> dict[str, list[dict]]:
    docs = [{"file": "linxiang-yearly.txt", "text": (UNSEEN / "linxiang-yearly.txt").read_text("utf-8"),
             "city": "岳阳市", "province": "湖南省", "county": "临湘市"},
            {"file": "pingjiang-report.txt", "text": PINGJIANG, "city": "岳阳市", "province": "湖南省",
             "county": "平江县"}]
    return figures_by_document(tmp_path_factory.mktemp("years"), docs)


def _of(figs: list[dict], measure: str) -> dict[int, tuple[Decimal, str, str | None]]:
    return {f["year"]: (Decimal(str(f["value"])), f["role"], f["unit"]) for f in figs if f["measure"] == measure}


@pytest.mark.parametrize("measure, unit, values", [
    ("新增家庭医生团队", "个", {2023: "20", 2024: "25", 2025: "30"}),
    ("培训乡村医生", "人次", {2023: "400", 2024: "450", 2025: "500"}),
    ("建成标准化村卫生室", "个", {2023: "35", 2024: "40", 2025: "45"}),
])
def test_yearly_targets(facts, measure, unit, values):
    figs = [f for f in facts["linxiang-yearly.txt"] if f["subject"] == "临湘市"]
    assert _of(figs, measure) == {y: (Decimal(v), "target", unit) for y, v in values.items()}


@pytest.mark.parametrize("measure, unit, values", [
    ("总诊疗人次", "万人次", {2020: "312.5", 2021: "335.1", 2022: "352.8"}),
    ("出院人次", "万人次", {2020: "10.8", 2021: "11.6", 2022: "12.1"}),
    ("家庭医生签约率", "%", {2020: "38.2", 2021: "41.5", 2022: "45.0"}),
])
def test_past_years_of_a_report(facts, measure, unit, values):
    figs = [f for f in facts["pingjiang-report.txt"] if f["subject"] == "平江县"]
    assert _of(figs, measure) == {y: (Decimal(v), "current", unit) for y, v in values.items()}


def test_no_figure_of_the_year_column_itself(facts):
    assert not [f for figs in facts.values() for f in figs if f["measure"] in ("年度", "年份")]
