"""Centres that hospitals found together (钦州 002: 钦州市第一人民医院、灵山县人民医院、浦北县人民医院组建了
市县两级3个远程医疗中心) are based on each of them in the graph, but they are neither a hospital's grade, nor
what a question worded 依托X… asks, nor a hospital's own role: the questions below are answered as before
the relation existed. Each phenomenon in two wordings."""

from __future__ import annotations

import pytest

from kg.qa import ask


def texts(result: dict) -> list[str]:
    return [a["text"] for a in result["answers"]]


@pytest.mark.parametrize(("question", "grade"), [("灵山县人民医院要创建什么等级的医院？", "三级甲等医院"),
                                                 ("浦北县人民医院要升级为哪个级别？", "三级医院")])
def test_a_grade_asked_is_answered_with_the_grade_only(kb, question, grade):
    assert texts(ask(kb, question)) == [grade]


@pytest.mark.parametrize("question", ["钦州市第一人民医院将被依托创建什么中心？",
                                      "依托钦州市第一人民医院要建设哪个中心？"])
def test_a_question_worded_with_yituo_asks_what_the_plan_builds_on_it(kb, question):
    # 依托钦州市第一人民医院创建广西北部湾沿海综合医疗中心 — not the 远程医疗中心 it set up with two others
    assert texts(ask(kb, question)) == ["广西北部湾沿海综合医疗中心"]


@pytest.mark.parametrize("question", ["浦北县人民医院的功能定位是什么？", "灵山县人民医院在全市扮演什么角色？"])
def test_a_centre_founded_with_others_is_not_the_hospitals_role(kb, question):
    result = ask(kb, question)
    assert "远程医疗中心" not in texts(result)
