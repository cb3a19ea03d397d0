"""Duties and roles of an institution or a kind as plans state them (issues #11 item 5, #12 item 2):
what is set up is the subject of the duties after it (设立一个X，负责…), the fields work centres on
(以A、B为中心), duties to strengthen (重点强化A、B等职责), a platform to build (X建立…平台), a definition
(X是…的医疗机构), a place in a whole (X是…的重要组成部分), a second capacity in brackets (设置X（Y）).
Each phenomenon on the real corpus (two plans where the plans have it) and on a plan in other words;
then `kg ask` answering from those facts."""

from __future__ import annotations

import pytest
from conftest import relations_of

from kg.qa import ask

# An imaginary plan wording the same phenomena differently.
PLAN_LIUZHOU = """# 柳州市医疗卫生服务体系规划（2021—2025年）

## 一、专业公共卫生机构

按照国家标准，设置一个市级急救中心，承担全市院前医疗急救调度、突发事件紧急医疗救援等任务。

功能定位：健康教育机构以健康素养促进、控烟宣传和慢性病健康教育为中心开展工作。

其中市级疾控中心应重点强化病原检测、应急处置和健康危险因素监测等职能。

市级急救中心搭建全市急救调度信息平台，实现统一指挥。

设置柳州市120急救指挥中心（突发事件紧急医疗救援指挥中心）。

功能定位：康复医院是为伤病患者提供康复医疗服务的医疗机构，承担康复治疗任务。

社会办医院是医疗卫生服务体系的重要组成部分。

设置3家县级中医医院，分别是融安县中医医院、融水县中医医院、三江县中医医院。

鼓励康复医院整合康复医疗和社区护理服务。

每个县设置1所县办中医医院（含民族医医院。民族医医院指壮医医院和瑶医医院，下同），力争达到二级甲等水平。
"""


@pytest.fixture(scope="module")
def liuzhou(tmp_path_factory) -> set[tuple[str, str, str, str]]:
    from conftest import build_one_plan

    data = build_one_plan(tmp_path_factory.mktemp("liuzhou-duties"), PLAN_LIUZHOU, file="140_liuzhou.txt",
                          city="柳州市", title="柳州市医疗卫生服务体系规划（2021—2025年）")
    return relations_of(data)


def duties_of(rels: set, subject: str) -> set[str]:
    return {o for p, s, o, _ in rels if p == "responsible_for" and s == subject}


def roles_of(rels: set, subject: str) -> set[str]:
    return {o for p, s, o, _ in rels if p == "has_role" and s == subject}


def test_what_is_set_up_is_the_subject_of_the_duties_after_it(rels, liuzhou):
    # 003: 对标国家血站设置标准，设立一个市级中心血站，负责无偿献血者招募、血液采集、检测和制备，保障…
    assert duties_of(rels, "市级中心血站") == {"无偿献血者招募、血液采集、检测和制备",
                                               "保障我市临床用血供应以及医疗用血的业务指导等工作"}
    assert not duties_of(rels, "采供血机构")  # the heading's kind is not who the sentence is about
    assert duties_of(liuzhou, "市级急救中心") >= {"全市院前医疗急救调度、突发事件紧急医疗救援等任务"}


def test_the_fields_work_centres_on_are_one_duty_each(rels, liuzhou):
    fields = {"孕产保健", "妇女保健", "儿童保健", "生殖保健"}
    assert duties_of(rels, "妇幼保健机构") >= fields  # 000 钦州
    assert duties_of(rels, "各级妇幼保健机构") >= fields  # 001 梧州
    # 003 赣州, under the label 2.妇幼健康服务机构。 (the sentence has no subject of its own)
    assert duties_of(rels, "妇幼健康服务机构") >= {"孕产保健", "儿童保健", "妇女保健", "出生缺陷防治"}
    assert duties_of(liuzhou, "健康教育机构") == {"健康素养促进", "控烟宣传", "慢性病健康教育"}


def test_duties_to_strengthen_are_one_each(rels, liuzhou):
    # 001: 其中县级疾控中心应重点强化现场流行病学调查与技术指导、实验室检验检测、…等职责
    assert duties_of(rels, "县级疾控中心") == {"现场流行病学调查与技术指导", "实验室检验检测",
                                               "辖区居民主要健康危险因素监测", "健康管理与健康教育组织实施"}
    assert duties_of(liuzhou, "市级疾控中心") == {"病原检测", "应急处置", "健康危险因素监测"}


def test_a_platform_its_subject_is_to_build(rels, liuzhou):
    assert duties_of(rels, "市级急救中心") == {"建立院前医疗急救指挥调度信息化平台"}  # 003
    assert "搭建全市急救调度信息平台" in duties_of(liuzhou, "市级急救中心")
    # 建立以医联体为平台…的家庭医生签约服务模式 (000, 001, 002): a platform of a model, nobody's task
    assert not any(p == "responsible_for" and o.endswith("为平台") for p, _, o, _ in rels)


def test_services_to_bring_together_are_a_task(rels, liuzhou):
    # 002: 支持妇幼保健机构整合预防保健和临床医疗服务，打造防治结合示范机构
    assert "整合预防保健和临床医疗服务" in duties_of(rels, "妇幼保健机构")
    assert "整合康复医疗和社区护理服务" in duties_of(liuzhou, "康复医院")
    # 001: 以健康为中心的整合协作机制 (a noun), 以…为中心整合… (a phrase, no party, before the verb)
    assert not any(p == "responsible_for" and ("为中心" in s or o == "整合协作机制") for p, s, o, _ in rels)


def test_a_definition_is_a_role(rels, liuzhou):
    assert "精神疾病患者急性住院治疗的医疗机构" in roles_of(rels, "精神病专科医院")  # 000
    assert "负责采集、提供临床用血的公益性卫生机构" in roles_of(rels, "血站")  # 003
    assert "为伤病患者提供康复医疗服务的医疗机构" in roles_of(liuzhou, "康复医院")


def test_a_place_in_a_whole_is_a_role_and_a_membership(rels, liuzhou):
    for plan_rels in (rels, liuzhou):
        assert any(p == "member_of" and s in ("民营医院", "社会办医院") and o == "医疗卫生服务体系"
                   for p, s, o, _ in plan_rels)
    # 000 and 001 both: 民营医院是医疗卫生服务体系不可或缺的重要组成部分
    assert "医疗卫生服务体系不可或缺的重要组成部分" in roles_of(rels, "民营医院")
    assert "医疗卫生服务体系的重要组成部分" in roles_of(liuzhou, "社会办医院")


def test_a_second_capacity_in_brackets_is_a_role(rels, liuzhou):
    assert ("has_role", "120急救指挥中心", "突发公共卫生事件应急处置指挥中心", "instance") in rels  # 001
    assert any(p == "has_role" and o == "突发事件紧急医疗救援指挥中心" for p, _, o, _ in liuzhou)
    # a bracketed note (含中医类医院) is no capacity
    assert not any(p == "has_role" and o.startswith("含") for p, _, o, _ in rels | liuzhou)


def test_an_enumeration_is_no_role(rels, liuzhou):
    # 设置4家县区中医医院，分别是灵山县中医医院、…: the members, not what the kind is
    assert not roles_of(rels, "县区中医医院")
    assert not any(p == "has_role" and "中医医院、" in o for p, _, o, _ in liuzhou)


def test_a_note_the_source_split_keeps_the_subject_before_it(rels, liuzhou):
    # 003: 每100-200万人口设置1-2所市办综合性医院（含中医类医院。中医类医院包括…，下同），争取达到三甲水平: the
    # sentence is split at the 。 inside the note; what is to reach 三甲 is what was set up before the note,
    # not the note's 中医类医院
    assert ("upgrade_to", "市办综合性医院", "三甲", "class") in rels
    assert ("upgrade_to", "中医类医院", "三甲", "class") not in rels
    assert any(p == "upgrade_to" and s == "县办中医医院" and o == "二级甲等" for p, s, o, _ in liuzhou)
    assert not any(p == "upgrade_to" and s == "民族医医院" for p, s, o, _ in liuzhou)


# ---- kg ask ---------------------------------------------------------------------------------------


def texts(result: dict) -> list[str]:
    return sorted(a["text"] for a in result["answers"])


def test_a_kinds_duties_in_a_city_are_the_plans_items(kb):
    result = ask(kb, "赣州市级中心血站承担哪些工作？")
    assert texts(result) == ["保障我市临床用血供应以及医疗用血的业务指导等工作", "无偿献血者招募、血液采集、检测和制备"]
    assert "赣州市规划" in result["message"]
    assert all("设立一个市级中心血站" in a["sources"][0]["quote"] for a in result["answers"])


def test_the_fields_a_kind_centres_on(kb):
    result = ask(kb, "梧州的妇幼保健机构以哪些方面为中心开展工作？")
    assert texts(result) == ["儿童保健", "妇女保健", "孕产保健", "生殖保健"]


def test_what_a_kind_is(kb):
    result = ask(kb, "钦州规划里精神病专科医院是一种什么样的机构？")
    assert texts(result) == ["精神疾病患者急性住院治疗的医疗机构"]


def test_a_further_capacity_of_an_institution(kb):
    result = ask(kb, "120急救指挥中心同时还是什么中心？")
    assert texts(result) == ["突发公共卫生事件应急处置指挥中心"]


def test_only_what_the_plan_states_with_the_questions_wording(kb):
    # 钦州 says both 妇幼保健机构以孕产保健…为中心 (000) and 支持妇幼保健机构整合…服务 (002)
    assert texts(ask(kb, "钦州的妇幼保健机构要整合哪些服务？")) == ["整合预防保健和临床医疗服务"]
    assert texts(ask(kb, "钦州的妇幼保健机构以哪几类保健为中心？")) == ["儿童保健", "妇女保健", "孕产保健", "生殖保健"]
    # 赣州: 以孕产保健、…和出生缺陷防治为中心，…，承担辖区妇幼健康业务管理: the duty of another clause is not asked
    fields = texts(ask(kb, "赣州的妇幼健康服务机构以哪些工作为中心？"))
    assert fields == ["儿童保健", "出生缺陷防治", "妇女保健", "孕产保健"]
    # 打造成什么样的机构 asks what it is to become (支持妇幼保健机构整合…，打造防治结合示范机构), not its duties
    assert texts(ask(kb, "钦州的妇幼保健机构要打造成什么样的机构？")) == ["防治结合示范机构"]


def test_a_platform_a_kind_is_to_build(kb):
    assert texts(ask(kb, "赣州市级急救中心要搭建什么平台？")) == ["建立院前医疗急救指挥调度信息化平台"]


def test_work_of_the_kind_asked_fills_the_question(kb):
    # 钦州市健康教育与健康促进中心负责开展大众卫生科学知识宣传活动，向社会提供预防保健的相关知识服务: only
    # the first is a 宣传活动
    result = ask(kb, "钦州市健康教育与健康促进中心要做哪些宣传活动？")
    assert texts(result) == ["开展大众卫生科学知识宣传活动"]
