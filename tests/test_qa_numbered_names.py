"""A hospital typed by its numbered short form (市一医院, 梧州市二院, 灵山县二院) is that numbered hospital of
the place written — the city named, else each city of the graph (several are asked back) — never the city
and the kind 医院 (which answered with what the plan says of every hospital). A form no plan's hospital
answers is said to be unknown; 全市一院一策 names no hospital."""

from __future__ import annotations

import pytest

from kg.qa import ask


@pytest.mark.parametrize(("question", "name"), [("梧州 市二院 2025年规划床位", "梧州市第二人民医院"),
                                                ("钦州市二院参加了哪些体系", "钦州市第二人民医院"),
                                                ("灵山县二院在哪", "灵山县第二人民医院")])
def test_the_numbered_hospital_of_the_place_written(kb, question, name):
    result = ask(kb, question)
    assert result["status"] == "answered"
    assert all(name in a["text"] or name in result["message"] for a in result["answers"])


def test_a_bare_city_word_with_two_such_hospitals_is_asked_back(kb):
    result = ask(kb, "市二院的功能定位")
    assert result["status"] == "ambiguous"
    assert "梧州市第二人民医院" in result["message"] and "钦州市第二人民医院" in result["message"]


@pytest.mark.parametrize("question", ["梧州市一医院的功能定位是什么？", "赣州市一医院的床位有多少"])
def test_a_numbered_hospital_no_plan_names_is_no_kind(kb, question):
    # neither 梧州 nor 赣州 names a 第一人民医院: not the roles of 医院
    result = ask(kb, question)
    assert result["status"] == "unanswerable" and not result["answers"]
    assert "市一医院" in result["message"]


def test_the_whole_city_is_no_short_form(kb):
    assert ask(kb, "全市一院一策")["status"] != "answered"
