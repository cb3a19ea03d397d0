"""The question word says what kind of thing is asked (哪家医院 an institution, 哪个县 a county-level
place, 多少 / 多大比例 a number). An answer of another kind is the answer to another question — the
city where an institution is, for 设在哪家医院; a kind of institution, for 多大比例 — and is refused
(questions.yaml `answer_kind_asked`, kg/qa/consistency.py), while answers of the kind asked stay."""

from __future__ import annotations

import pytest

from kg.qa import ask
from kg.qa.consistency import asked_answer_kind, of_the_kind_asked
from kg.qa.parse import parse


@pytest.mark.parametrize("question", ["钦州市急救中心设在哪家医院？", "梧州市120急救指挥中心设在哪家医院？"])
def test_a_place_does_not_answer_which_institution(kb, question):
    # the graph records no host of either centre; it used to answer with the city the centre is in (now
    # 设在哪家 asks the host body first; the kind check below refuses a place for any 哪家医院)
    result = ask(kb, question)
    assert result["status"] != "answered" and not result["answers"]


@pytest.mark.parametrize("asked, texts, fits", [
    ("institution", ["钦州市"], False),
    ("institution", ["钦州市第一人民医院"], True),
    ("institution", ["县级医院"], True),  # a kind the plan names
    ("institution", ["三甲医院的具体表述"], True),  # a phrase the graph cannot type is left to stand
    ("county", ["梧州市"], False),
    ("county", ["藤县"], True),
    ("city", ["藤县"], False),
    ("department", ["综合医院"], False),
])
def test_an_answer_of_another_kind_does_not_fit(kb, asked, texts, fits):
    assert of_the_kind_asked(kb, asked, [{"text": t, "value": None, "iri": None} for t in texts]) is fits


@pytest.mark.parametrize("question", ["梧州要把多大比例的社区卫生服务中心中医馆建成旗舰中医馆？",
                                      "梧州乡镇卫生院中医馆里多大比例要建成旗舰中医馆？"])
def test_a_kind_does_not_answer_how_much(kb, question):
    # it used to answer with what the plan makes of the kind (社区医院; 县域医疗次中心、二级医院)
    result = ask(kb, question)
    assert result["status"] != "answered" and not result["answers"]
    assert "不是数值" in result["message"]


@pytest.mark.parametrize("question", ["梧州的综合医院要设哪些科室？", "钦州二级以上综合医院要设置哪些科室？",
                                      "钦州的卫生教育机构有哪些部门？"])
def test_institutions_do_not_answer_which_departments(kb, question):
    # they used to be answered with the city's list of hospitals: a department is no institution
    result = ask(kb, question)
    assert result["status"] != "answered" and not result["answers"]
    assert "不是科室或部门" in result["message"]


@pytest.mark.parametrize("question, expected", [
    # a superlative names the institution or county, its figure beside it
    ("梧州哪家医院2025年规划床位最多？", ["梧州市红十字会医院"]),
    ("梧州2025年每千常住人口注册护士数最低的是哪个县？", ["藤县"]),
    # a kind the plan names answers 哪些机构
    ("钦州市妇幼保健院对哪些机构开展业务指导？", ["全市妇幼保健机构"]),
    ("梧州市人民医院属于哪个市？", ["梧州市"]),
])
def test_answers_of_the_kind_asked_stay(kb, question, expected):
    result = ask(kb, question)
    assert result["status"] == "answered"
    assert [a["text"] for a in result["answers"]] == expected


@pytest.mark.parametrize("question, kind", [
    ("钦州市急救中心设在哪家医院？", "institution"),
    ("梧州哪个县每千人口床位数最高？", "county"),
    ("梧州市人民医院属于哪个地级市？", "city"),
    ("梧州市有多少家中医医院？", "number"),
    ("梧州多大比例的中医馆要建成旗舰中医馆？", "number"),
    ("县医院要设置哪些科室？", "department"),
    # two question words: the number is asked through the institution, so neither is checked
    ("哪家医院牵头的医共体有几个成员？", None),
    # yes or no is asked, whatever else the question names
    ("钦州市有没有传染病医院？", None),
    # 县级 / 县域 are levels, not 哪个县
    ("梧州市县级医院有哪些？", None),
    ("梧州有哪些县医院？", None),
    ("哪个区妇幼保健院床位最多？", None),
])
def test_the_kind_a_question_word_asks(kb, question, kind):
    assert asked_answer_kind(kb, parse(kb, question)) == kind
