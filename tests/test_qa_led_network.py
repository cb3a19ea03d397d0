"""A network named by its leader (X牵头的医共体有哪些成员): the members of the networks the graph says X
leads, never what a plan says of the kind in general — on an imaginary county plan written here (the
shipped plans record no members of a led network) and on the corpus (where it must refuse)."""

from __future__ import annotations

import pytest
from conftest import build_one_plan

from kg.qa import ask, load

PLAN = """柳城县县域医疗卫生服务体系建设方案

一、医共体建设
柳城县人民医院医共体由柳城县人民医院牵头，成员包括柳城县中医医院、柳城县妇幼保健院和大埔镇中心卫生院。
柳城县中医医院医共体由柳城县中医医院牵头，成员包括沙埔镇卫生院和东泉镇卫生院。
二、县级医院功能定位
县级医院主要承担县域内常见病、多发病诊疗和急危重症抢救。
"""


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    data = build_one_plan(tmp_path_factory.mktemp("led"), PLAN, file="liucheng.txt", city="柳州市",
                          title="柳城县县域医疗卫生服务体系建设方案")
    return load(data)


@pytest.mark.parametrize("question", ["柳城县人民医院牵头的医共体有哪些成员？",
                                      "以柳城县人民医院为龙头的医共体包括哪些单位？"])
def test_members_of_the_network_the_named_hospital_leads(kb, question):
    result = ask(kb, question)
    assert result["status"] == "answered"
    names = {a["text"] for a in result["answers"]}
    assert {"柳城县中医医院", "柳城县妇幼保健院", "大埔镇中心卫生院"} <= names
    assert not names & {"沙埔镇卫生院", "东泉镇卫生院"}  # the other network's


def test_the_other_leader_gives_the_other_network(kb):
    names = {a["text"] for a in ask(kb, "柳城县中医医院牵头的医共体有哪些成员？")["answers"]}
    assert names == {"沙埔镇卫生院", "东泉镇卫生院"}


def test_on_the_corpus_a_leader_with_no_recorded_members_is_refused(data_dir):
    corpus = load(data_dir)
    for question in ["浦北县人民医院牵头的医共体有哪些成员？", "梧州市人民医院牵头的医联体有哪些成员？"]:
        result = ask(corpus, question)
        assert result["status"] == "unanswerable", question
        assert result["answers"] == []


def test_an_answer_from_another_citys_plan_is_no_answer(data_dir):
    """梧州市人民医院的医联体有哪些成员 was answered with what 钦州's plan says of 医联体 in general: a
    question about an institution of 梧州 takes no answer whose every source is another city's plan."""
    result = ask(load(data_dir), "梧州市人民医院的医联体有哪些成员？")
    assert result["status"] == "unanswerable"
    assert result["answers"] == []
    assert "其他城市" in result["message"]
