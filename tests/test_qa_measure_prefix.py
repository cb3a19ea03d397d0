"""An indicator's name is never cut to its bare start: 每千人口医疗卫生机构 (a plan's name of the bed
indicator cut after its qualifier) without 医疗卫生机构 leaves 每千人口, the start of every 每千人口
indicator — 每千人口执业医师 / 每千人口护士数 were answered with the bed figures. Real corpus answers."""

from __future__ import annotations

import pytest

from kg.qa import ask


@pytest.mark.parametrize("question", ["钦州每千人口执业医师现在有多少？", "赣州的每千人口护士数到2025年要达到多少？"])
def test_another_per_thousand_indicator_is_not_the_beds(kb, question):
    result = ask(kb, question)
    assert not any("床位" in a["text"] for a in result["answers"])
    assert result["status"] != "answered" or "床位" not in result["message"]


def test_the_nurses_per_thousand_are_read_by_their_characters(kb):
    # 003: 每千人口注册护士数（人） 2.63 → 3.1 (2025)
    result = ask(kb, "赣州的每千人口护士数到2025年要达到多少？")
    assert result["status"] == "answered" and "每千人口注册护士数" in result["message"]
    assert any(a["value"] == pytest.approx(3.1) for a in result["answers"])


@pytest.mark.parametrize("question, value", [("梧州每千人口床位数2025年是多少？", 7.68),
                                             ("钦州每千人口医疗卫生机构床位数目标是多少？", 7)])
def test_the_bed_indicator_is_still_asked_without_its_qualifier(kb, question, value):
    result = ask(kb, question)
    assert result["status"] == "answered" and any(a["value"] == pytest.approx(value) for a in result["answers"])


@pytest.mark.parametrize("question, value", [
    # 002: 每千人口执业（助理）医师数 人 2.05 2.45
    ("钦州每千人口执业医师现在有多少？", 2.05),
    ("钦州每千人口执业医师2025年目标是多少？", 2.45),
])
def test_an_indicator_asked_without_its_qualifier_is_read_by_its_characters(kb, question, value):
    result = ask(kb, question)
    assert result["status"] == "answered" and "每千人口执业（助理）医师数" in result["message"]
    assert any(a["value"] == pytest.approx(value) for a in result["answers"])


def test_an_indicator_holding_more_of_the_questions_characters_competes(kb):
    # 中医 is in 每千人口中医类别执业（助理）医师数 only: answering the all-doctors figure is a guess
    result = ask(kb, "钦州每千人口中医执业医师现在有多少？")
    assert result["status"] != "answered" and not result["answers"]
