"""`kg ask` on relation questions asked in other words (issue #12): a verb of guidance governing the
question word asks whom a body guides, not the list of a kind (下辖哪些急救站, 对哪些机构进行业务指导,
指导谁); the relation's subject named again in an answer (健康教育机构 → 下级健康教育机构) is the other end
of the relation, not a restatement of the question. Answers are the real corpus's."""

from __future__ import annotations

import pytest

from kg.qa import ask


def texts(result: dict) -> list[str]:
    return [a["text"] for a in result["answers"]]


@pytest.mark.parametrize("question", ["钦州市医疗急救中心下辖哪些急救站？",
                                      "钦州市医疗急救中心下面管着哪些急救站？"])
def test_a_command_verb_before_the_kind_asks_whom_the_body_commands(kb, question):
    # 000: 规划设置钦州市医疗急救中心1个，下辖直属急救站1个 — not every 急救站 of 钦州 (list_by_kind)
    result = ask(kb, question)
    assert result["status"] == "answered" and result["template"] == "guides_who"
    assert "直属急救站" in texts(result)


@pytest.mark.parametrize("question, subject, guided", [
    # 003: 负责辖区内医疗卫生机构、机关、学校、媒体及下级健康教育机构的业务指导
    ("赣州健康教育机构对哪些机构进行业务指导？", "健康教育机构", "辖区内医疗卫生机构"),
    # 003: 培训和指导基层医疗卫生机构人员
    ("赣州县级医院要培训指导哪些机构？", "县级医院", "基层医疗卫生机构"),
    # 001: 市级妇幼保健机构是全市妇幼保健业务指导中心
    ("梧州市级妇幼保健机构指导谁？", "妇幼保健机构", "全市妇幼保健机构"),
])
def test_a_guidance_verb_governing_the_question_word_asks_the_guided(kb, question, subject, guided):
    result = ask(kb, question)
    assert result["status"] == "answered" and result["template"] == "guides_who"
    assert guided in texts(result) and subject in result["message"]


def test_a_list_of_a_kind_is_still_a_list(kb):
    # no verb of guidance: the city's 县区中医医院 of 000's 设置4家县区中医医院
    result = ask(kb, "钦州规划设置的县区中医医院有哪几家？")
    assert result["template"] == "list_by_kind"
    assert sorted(texts(result)) == sorted(["灵山县中医医院", "浦北县中医医院", "钦南区中医医院", "钦北区中医医院"])


@pytest.mark.parametrize("question", ["赣州健康教育机构对哪些机构进行业务指导？",
                                      "赣州的健康教育机构负责对哪些单位做业务指导？"])
def test_the_subjects_own_kind_with_a_qualifier_is_an_answer_not_a_restatement(kb, question):
    result = ask(kb, question)
    assert "下级健康教育机构" in texts(result)


def test_the_other_level_of_the_subjects_kind_is_the_other_end(kb):
    # 001: 上级疾控机构对下级疾控机构实行业务领导
    result = ask(kb, "在梧州，上级疾控机构对谁实行业务领导？")
    assert result["status"] == "answered" and texts(result) == ["下级疾控机构"]


def test_an_answer_sharing_only_the_subjects_head_still_restates_the_question(kb):
    # 000: 钦州市疾病预防控制中心 is 全市疾病预防控制工作的…质量控制中心; its tasks are no 中心
    result = ask(kb, "钦州市疾病预防控制中心在全市是什么中心？")
    assert texts(result) == ["全市疾病预防控制工作的业务管理、技术指导、科研培训和质量控制中心"]


# ---- a level word glued before a kind ---------------------------------------------------------------

@pytest.mark.parametrize("question, kept, dropped", [
    # 000: 设置4家县区中医医院，分别是灵山县中医医院、浦北县中医医院、钦南区中医医院、钦北区中医医院
    ("钦州的县区中医医院都是哪些？", "钦南区中医医院", "钦州市中医医院"),
    ("梧州的县区中医医院有哪些？", "苍梧县中医医院", "梧州市中医医院"),
    ("梧州的县区妇幼保健院有哪些？", "藤县妇幼保健院", "梧州市妇幼保健院"),
])
def test_a_county_level_prefix_keeps_out_the_citys_own_institution(kb, question, kept, dropped):
    result = ask(kb, question)
    assert result["status"] == "answered" and kept in texts(result) and dropped not in texts(result)


def test_a_county_level_kind_with_only_the_citys_institution_is_not_recorded(kb):
    # 钦州's only recorded 疾病预防控制中心 of its own is the city's: no 县区 one is named in the graph
    result = ask(kb, "钦州的县区疾病预防控制中心有哪些？")
    assert result["status"] == "unanswerable" and "钦州市疾病预防控制中心" not in texts(result)


# ---- yes/no about a guidance relation ---------------------------------------------------------------

@pytest.mark.parametrize("question, guided", [
    # 002: 强化钦州市疾病预防控制中心对县区疾病预防控制中心的业务指导和工作协同 (short names in the question)
    ("钦州市疾控中心对县区疾控中心进行业务指导吗？", "县区疾病预防控制中心"),
    ("钦州市疾控中心是不是对县区疾控中心进行业务指导？", "县区疾病预防控制中心"),
    # 000: 钦州市妇幼保健院是全市妇幼保健业务指导中心
    ("钦州市妇幼保健院对全市妇幼保健机构进行业务指导吗？", "全市妇幼保健机构"),
])
def test_whether_a_body_guides_another_is_yes_when_the_plan_says_it(kb, question, guided):
    result = ask(kb, question)
    assert result["status"] == "answered" and result["template"] == "guides_who"
    assert texts(result) == ["是"] and guided in result["message"]


@pytest.mark.parametrize("question", ["钦州市疾控中心对乡镇疾控中心进行业务指导吗？",
                                      "钦州市疾控中心对医疗机构进行业务指导吗？"])
def test_a_guidance_the_plan_does_not_state_is_no_yes(kb, question):
    # the kind's name inside the stated 县区疾病预防控制中心 is no 乡镇 one; 医疗机构 are guided by the
    # kind 疾病预防控制机构 (002), nothing is said of the city's centre itself
    result = ask(kb, question)
    assert result["status"] != "answered" and "是" not in texts(result)


def test_who_guides_is_still_asked_the_other_way(kb):
    result = ask(kb, "谁对县区疾病预防控制中心进行业务指导？")
    assert result["template"] == "guided_by" and texts(result) == ["钦州市疾病预防控制中心"]


@pytest.mark.parametrize("question, guided", [
    # 001: 其工作人员及业务由中心血站统一管理 (采血点, 储血点)
    ("梧州的中心血站管哪些？", "储血点"),
    # 002: 强化钦州市疾病预防控制中心对县区疾病预防控制中心的业务指导
    ("钦州市疾控中心管哪些机构？", "县区疾病预防控制中心"),
])
def test_the_spoken_verb_guan_before_the_question_word_asks_the_guided(kb, question, guided):
    result = ask(kb, question)
    assert result["template"] == "guides_who" and guided in texts(result)


def test_the_spoken_verb_guan_is_never_a_list_of_the_kind(kb):
    # list_by_kind listed 钦州's 急救站 (钦州市公共卫生应急救治中心 among them) for it
    result = ask(kb, "钦州的医疗急救中心管哪些急救站？")
    assert result["template"] != "list_by_kind" and "钦州市公共卫生应急救治中心" not in texts(result)


# ---- 是不是 + a kind --------------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["钦州市精神病医院是不是精神卫生机构？", "钦州市精神病医院是不是精神病专科医院？"])
def test_is_it_a_kind_is_answered_by_the_sentence_saying_so(kb, question):
    # 000: 钦州市精神病医院（钦州市心理卫生中心），既是精神病专科医院，又是精神卫生机构
    result = ask(kb, question)
    assert result["status"] == "answered" and result["template"] == "kind_check" and texts(result)[0] == "是"


def test_is_it_a_kind_the_plan_lists_it_under_another_kind_is_no_yes(kb):
    # 000 lists 钦南区中医医院 among the 县区中医医院, not among the 县直综合医院
    assert ask(kb, "钦南区中医医院是不是县区中医医院？")["status"] == "answered"
    result = ask(kb, "钦南区中医医院是不是县直综合医院？")
    assert result["status"] != "answered" and not result["answers"]


def test_the_guided_the_graph_lacks_are_completed_from_the_sentences_span(kb):
    # 003: 负责辖区内医疗卫生机构、机关、学校、媒体及下级健康教育机构的业务指导和人员的培训
    result = ask(kb, "赣州健康教育机构对哪些单位开展业务指导？")
    assert sorted(texts(result)) == sorted(["辖区内医疗卫生机构", "机关", "学校", "媒体", "下级健康教育机构"])
    assert "据同一句规划原文补充" in result["message"]


def test_a_guidance_found_whole_is_not_completed(kb):
    # 002: 强化钦州市疾病预防控制中心对县区疾病预防控制中心的业务指导和工作协同 (one guided body)
    result = ask(kb, "钦州市疾控中心管哪些机构？")
    assert sorted(texts(result)) == ["全市疾病预防控制机构", "县区疾病预防控制中心"]
