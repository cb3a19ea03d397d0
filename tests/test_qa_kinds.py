"""`kg ask` on roles, duties and composition asked of an institution whose plan describes only its
kind (功能定位：中心血站做好…), of a kind's memberships, and of a system whose members the graph holds
only in part. Answers and quotes are the real corpus's (and one short plan written here)."""

from __future__ import annotations

import pytest

from kg.ns import HK
from kg.qa import ask, load
from kg.qa.run.relations import names_whole_kind


def texts(result: dict) -> list[str]:
    return [a["text"] for a in result["answers"]]


# ---- an institution answered from its kind, in its own city's plan ----------------------------------

@pytest.mark.parametrize("question", ["梧州市中心血站主要做哪些工作？", "梧州市中心血站的功能定位是什么？",
                                      "梧州市中心血站干什么？"])
def test_an_institution_with_no_duty_of_its_own_is_answered_from_its_kind_in_its_city(kb, question):
    # 梧州: 功能定位：中心血站做好献血招募、采供用血业务指导、质量控制与评价等工作。 — said of the kind;
    # 钦州市中心血站's own duties (钦州's plan) are never borrowed
    result = ask(kb, question)
    assert result["status"] == "answered"
    assert texts(result) == ["献血招募、采供用血业务指导、质量控制与评价等工作"]
    assert "梧州市规划对“中心血站”这一类机构的表述" in result["message"]
    assert all(s["doc"].startswith("001_") for a in result["answers"] for s in a["sources"])
    assert result["answers"][0]["inferred"] is True


def test_an_institution_with_duties_of_its_own_is_answered_with_them(kb):
    # 钦州: 功能定位：钦州市中心血站负责做好献血招募、血液采集与制备、临床用血供应以及医疗用血业务指导
    result = ask(kb, "钦州市中心血站承担哪些职责？")
    assert texts(result) == ["献血招募、血液采集与制备、临床用血供应以及医疗用血业务指导"]
    assert "这一类机构" not in result["message"]


def test_a_district_institution_takes_the_phrase_its_name_ends_with(kb):
    # 梧州: 疾病预防控制中心主要负责辖区内疾病预防与控制、… (not 各级疾病预防控制机构's list of 职能)
    result = ask(kb, "万秀区疾病预防控制中心主要负责哪些工作？")
    assert result["status"] == "answered" and len(result["answers"]) == 1
    assert texts(result)[0].startswith("辖区内疾病预防与控制、突发公共卫生事件应急处置")
    assert "“疾病预防控制中心”" in result["message"]


def test_a_county_hospital_takes_the_county_level_kind_not_a_part_of_its_kind(kb):
    # 梧州: 县办医院主要承担…功能 (level 县办, as 藤县人民医院); 有精神专科特长的综合性医院 names only
    # some general hospitals and 市办公立医院 another level: neither is said of 藤县人民医院
    result = ask(kb, "藤县人民医院承担什么任务？")
    assert result["status"] == "answered"
    assert "“县办医院”" in result["message"]
    assert not any("精神" in t or "危重症和疑难病" in t for t in texts(result))


def test_a_phrase_names_a_whole_kind_only_with_words_of_level_or_ownership(kb):
    assert names_whole_kind(kb, "市办公立医院", str(HK.Hospital))
    assert names_whole_kind(kb, "中心血站", str(HK.CentralBloodStation))
    assert not names_whole_kind(kb, "三级医院", str(HK.Hospital))
    assert not names_whole_kind(kb, "有精神专科特长的综合性医院", str(HK.GeneralHospital))


def test_a_kind_is_answered_from_its_own_citys_plan_only(kb):
    # 赣州: 设立一个市级中心血站，负责无偿献血者招募、…: its own sentence answers; 梧州's (中心血站做好献血招募、
    # 采供用血业务指导…) and 钦州's (钦州市中心血站负责做好…) duties are not used
    result = ask(kb, "赣州市级中心血站主要干哪些事？")
    assert result["status"] == "answered"
    assert all("设立一个市级中心血站" in a["sources"][0]["quote"] for a in result["answers"])
    assert not any("采供用血业务指导" in a["text"] or "血液采集与制备" in a["text"] for a in result["answers"])
    # 县级中心血站: 赣州's plan says nothing of that level; another city's or level's duties are not used
    assert ask(kb, "赣州县级中心血站主要干哪些事？")["status"] != "answered"


def test_a_short_plan_of_another_city_answers_its_institution_from_its_kind(build_plan):
    data = build_plan("柳州市医疗卫生服务体系规划\n一、采供血机构\n"
                      "机构设置：设置柳州市中心血站1所，各县依托县人民医院设置储血点。\n"
                      "功能定位：中心血站负责无偿献血者招募、血液采集与制备、临床用血供应等工作。\n",
                      file="999_liuzhou.txt", city="柳州市", title="柳州市医疗卫生服务体系规划")
    result = ask(load(data), "柳州市中心血站主要做什么工作？")
    assert result["status"] == "answered"
    assert texts(result) == ["无偿献血者招募、血液采集与制备、临床用血供应等工作"]
    assert "柳州市规划对“中心血站”这一类机构的表述" in result["message"]


# ---- what a kind is a member of -----------------------------------------------------------------

def test_the_systems_a_kind_is_brought_into(kb):
    # 梧州: 将中医类医院纳入市县两级应急管理救治体系…；将符合条件的中医类医院纳入 120 急救体系
    result = ask(kb, "梧州的中医类医院被纳入了哪些体系？")
    assert result["status"] == "answered"
    assert sorted(texts(result)) == sorted(["120急救体系", "应急管理救治体系"])


# ---- a system's members completed from its 由…构成 sentence --------------------------------------

def test_members_the_graph_lacks_are_read_from_the_same_composition_span(kb):
    # 赣州: 医疗卫生服务体系由公共卫生体系、医疗服务体系、基层医疗卫生服务体系、中医药服务体系、
    # 全方位全周期健康服务体系等五大体系构成 (the graph holds three of the five)
    result = ask(kb, "赣州医疗卫生服务体系由哪五大体系构成？")
    assert result["status"] == "answered"
    assert sorted(texts(result)) == sorted(["公共卫生体系", "医疗服务体系", "基层医疗卫生服务体系",
                                            "中医药服务体系", "全方位全周期健康服务体系"])
    assert "据同一句规划原文补充" in result["message"]
    # 钦州: 妇幼保健体系由市、县区妇幼保健院，医疗机构中的妇产科、儿科业务组成
    result = ask(kb, "钦州的妇幼保健体系由哪几块构成？")
    assert "儿科业务" in texts(result) and "医疗机构中的妇产科" in texts(result)


def test_a_complete_member_list_gets_nothing_added(kb):
    # 钦州: 院前医疗急救体系由钦州市医疗急救中心，县级医疗急救中心，急救站和各急救网点医院组成
    # (各急救网点医院 is read as the kind 急救网点医院: 各 says all of them, no other kind)
    result = ask(kb, "钦州的院前医疗急救体系由哪些部分构成？")
    assert sorted(texts(result)) == sorted(["钦州市医疗急救中心", "县级医疗急救中心", "急救站", "急救网点医院"])
    assert "补充" not in result["message"]


# ---- which of a kind's phrases, and which of its duties, the question asks for ---------------------

def test_a_level_before_the_kind_keeps_that_levels_phrases_only(kb):
    # 梧州: 市级妇幼保健机构是全市妇幼保健业务指导中心，承担市域妇幼健康工作业务管理任务 — not what
    # 县级妇幼保健机构 do (县域内妇幼健康业务管理…) nor the grade to reach (三级妇幼保健院标准)
    result = ask(kb, "梧州市级妇幼保健机构的功能定位是什么？")
    assert sorted(texts(result)) == sorted(["全市妇幼保健业务指导中心", "市域妇幼健康工作业务管理任务"])


def test_what_kind_of_body_asks_its_role_not_its_duties(kb):
    # 钦州: 精神病专科医院是精神疾病患者急性住院治疗的医疗机构 (a definition, a role); its duties
    # (承担精神疾病的预防、医疗…) do not say what kind of body it is
    result = ask(kb, "精神病专科医院是一类什么样的医疗机构？")
    assert [a["text"] for a in result["answers"]] == ["精神疾病患者急性住院治疗的医疗机构"]
    # 钦州: 钦州市妇幼保健院是全市妇幼保健业务指导中心
    assert "全市妇幼保健业务指导中心" in texts(ask(kb, "钦州市妇幼保健院是一个什么机构？"))


@pytest.mark.parametrize(("question", "expected"), [
    # 梧州: …技术管理与指导等，其中传染病防控和应急处置是核心职责。
    ("梧州规划里，疾控机构的核心职责是哪两项？", ["传染病防控", "应急处置"]),
    # 赣州: …其中传染病防控、应急处置和基层技术指导是核心职能
    ("赣州规划中疾病预防控制机构的核心职能有哪些？", ["传染病防控", "应急处置", "基层技术指导"]),
])
def test_core_duties_are_those_the_sentence_singles_out(kb, question, expected):
    result = ask(kb, question)
    assert result["status"] == "answered" and texts(result) == expected
    assert all("核心职" in a["sources"][0]["quote"] for a in result["answers"])


def test_core_duties_not_singled_out_are_no_answer(kb):
    # 梧州's 县办医院 duties are stated, none of them as 核心
    assert ask(kb, "梧州的县办医院核心任务是什么？")["status"] == "unanswerable"
