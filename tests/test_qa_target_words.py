"""A figure asked as the plan's target without a year (要控制在多少, 要达到多少, 目标是多少) is answered
with the figures the plan gives as targets, never with the present ones; a plan that states the figure
for the present only has no target to give. Real corpus figures."""

from __future__ import annotations

import pytest

from kg.qa import ask


def values(result: dict) -> set[float]:
    return {a["value"] for a in result["answers"] if isinstance(a.get("value"), int | float)}


@pytest.mark.parametrize("question, target, present", [
    # 002: 婴儿死亡率 … 分别为3.4‰ (十三五末) … 降至…5.0‰
    ("钦州的婴儿死亡率要控制在多少？", 5.0, 3.4),
    # 003: 每千人口医疗卫生机构床位数（张） 6.03 → 7.5
    ("赣州每千人口床位数要达到多少？", 7.5, 6.03),
])
def test_a_target_asked_without_a_year_is_the_plans_target(kb, question, target, present):
    result = ask(kb, question)
    assert result["status"] == "answered"
    assert target in values(result) and present not in values(result)


def test_a_figure_stated_for_the_present_only_is_no_target(kb):
    # 001 gives 孕产妇死亡率 only as 2020年…为0: 要控制在多少 has no answer in the plan
    result = ask(kb, "梧州的孕产妇死亡率要控制在多少？")
    assert result["status"] != "answered" and not result["answers"]


def test_a_planned_figure_of_an_institution_is_its_target(kb):
    # 001: 梧州市人民医院 … 规划编制床位 1110
    result = ask(kb, "梧州市人民医院床位要达到多少张？")
    assert result["status"] == "answered" and values(result) == {1110}
