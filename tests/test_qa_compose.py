"""`kg ask` on questions worded our own way (not the dev set's wordings): scope never crossed, kinds
answered from class-level facts, comparisons across places, yes/no from what the plans say,
plan sentences when the graph holds no fact, and follow-ups. Answers and quotes are the real corpus's."""

from __future__ import annotations

import pytest

from kg.qa import Context, answer, ask


def texts(result: dict) -> list[str]:
    return [a["text"] for a in result["answers"]]


# ---- scope --------------------------------------------------------------------------------------

@pytest.mark.parametrize("question", ["灵山县的紧密型县域医共体由谁牵头？",
                                      "在灵山县，紧密型县域医共体是谁牵头组建的？"])
def test_a_county_question_is_answered_from_its_own_plan_only(kb, question):
    result = ask(kb, question)
    # 钦州's plan: 县直医院负责牵头组建紧密型县域医共体; never 浦北县人民医院 (another county) nor
    # 县级医院 (what 梧州 and 赣州 say)
    assert result["status"] == "answered" and texts(result) == ["县直医院"]


def test_the_same_kind_in_several_plans_without_a_place_is_asked_back(kb):
    result = ask(kb, "紧密型县域医共体由谁牵头？")
    assert result["status"] == "ambiguous" and not result["answers"]
    assert "梧州市" in result["message"] and "钦州市" in result["message"]


def test_same_answer_in_two_plans_is_no_ambiguity(kb):
    # 梧州 and 赣州 both set up county emergency centres on 区域内综合水平较高的医疗机构
    result = ask(kb, "条件不具备的县，县级急救中心依托什么设置？")
    assert result["status"] == "answered" and texts(result) == ["区域内综合水平较高的医疗机构"]


def test_a_place_without_a_plan_is_said(kb):
    result = ask(kb, "柳州市有哪些中医医院？")
    assert result["status"] == "unanswerable" and "没有柳州市的规划" in result["message"]


def test_a_hospital_of_a_named_city_is_not_replaced_by_anothers(kb):
    result = ask(kb, "市妇幼保健院的功能定位是什么？")
    assert result["status"] == "ambiguous"
    assert "梧州市妇幼保健院" in result["message"] and "钦州市妇幼保健院" in result["message"]


# ---- kinds --------------------------------------------------------------------------------------

def test_a_kind_is_answered_from_what_its_plan_says_of_the_kind(kb):
    result = ask(kb, "急救中心主要负责什么工作？")
    assert texts(result) == ["区域范围内120急救电话的呼救受理、指挥调度区域内的院前医疗急救工作"]
    assert "这一类机构" in result["message"] and result["answers"][0]["sources"][0]["doc"].startswith("000_")


def test_a_kind_of_another_plan_with_its_city(kb):
    result = ask(kb, "梧州的县办医院主要承担哪些任务？")
    assert "县域内常见病多发病临床诊治、急诊急救和危重症转诊功能" in texts(result)
    assert all(s["doc"].startswith("001_") for a in result["answers"] for s in a["sources"])


def test_a_relation_cue_is_not_a_list_of_the_kind(kb):
    # 承担哪些工作 asks what the kind does: never the list of 钦州市医疗急救中心 and the like
    result = ask(kb, "急救中心承担哪些工作？")
    assert "钦州市医疗急救中心" not in texts(result)


def test_direction_of_leading(kb):
    forward = ask(kb, "钦州市一医院牵头组建了什么？")  # 市一医院: ordinal short name of 第一人民医院
    assert texts(forward) == ["钦州市第一人民医院远程医疗中心"]
    backward = ask(kb, "钦州的城市医疗联合体由谁牵头建设？")
    assert texts(backward) == ["市直4家公立医院"]


def test_who_guides_asked_with_the_guided_named_after_the_cue(kb):
    result = ask(kb, "谁对县区疾病预防控制中心进行业务指导？")
    assert texts(result) == ["钦州市疾病预防控制中心"]


# ---- figures ------------------------------------------------------------------------------------

def test_two_cities_compared(kb):
    result = ask(kb, "2025年每千人口床位数，梧州和钦州哪个高？")
    assert texts(result) == ["梧州市"] and result["answers"][0]["value"] == pytest.approx(7.68)
    each = ask(kb, "梧州和钦州2025年每千人口床位数分别是多少？")
    assert {a["value"] for a in each["answers"]} == {7.68, 7.0}


def test_difference_between_two_cities(kb):
    result = ask(kb, "到2025年每千常住人口床位数梧州比钦州多多少张？")
    assert result["answers"][0]["value"] == pytest.approx(0.68)


def test_same_or_not(kb):
    assert texts(ask(kb, "钦州和梧州2025年每万人口全科医生数的目标一样吗？")) == ["是"]
    assert texts(ask(kb, "赣州和梧州2025年每万人口全科医生数目标相同吗？")) == ["否"]


@pytest.mark.parametrize(("question", "value"), [("梧州市妇幼保健院2025年规划编制床位比现在多多少？", 790),
                                                 ("梧州市工人医院规划编制床位比目前编制床位多几张？", 930)])
def test_planned_against_now_is_the_same_quantity_now(kb, question, value):
    result = ask(kb, question)
    assert result["status"] == "answered" and result["answers"][0]["value"] == value


def test_plan_period_stands_for_its_last_year(kb):
    result = ask(kb, "“十三五”末钦州人均预期寿命是多少岁？")
    assert result["answers"][0]["value"] == pytest.approx(77.55)


def test_one_year_and_no_now_is_no_difference_of_years(kb):
    # one year and two subjects: a comparison of 梧州's column with the 广西 column of the same table
    # (0.42 vs 0.64), never a difference of years
    result = ask(kb, "2020年每千常住人口精神科床位数，梧州和广西平均水平比谁更高？")
    assert result["status"] == "answered" and texts(result) == ["广西壮族自治区"]
    assert "0.64" in result["message"] and "0.42" in result["message"]


def test_where_a_hospital_is_by_city_or_county(kb):
    assert texts(ask(kb, "岑溪市人民医院属于哪个地级市？")) == ["梧州市"]
    assert texts(ask(kb, "藤县人民医院在哪个县？")) == ["藤县"]


# ---- yes / no -----------------------------------------------------------------------------------

def test_no_when_the_plan_says_it_is_not_set_up(kb):
    result = ask(kb, "钦州市有没有专门的传染病医院？")
    assert texts(result) == ["否"]
    assert "未设置有专门的传染病防治医院" in result["answers"][0]["sources"][0]["quote"]


def test_not_listed_is_not_no(kb):
    result = ask(kb, "赣州有没有传染病医院？")
    assert result["status"] == "unanswerable" and not result["answers"]


def test_yes_when_a_stated_task_says_it(kb):
    result = ask(kb, "市直医院是否承担住院医师规范化培训？")
    assert texts(result) == ["是"]
    assert "住院医师规范化培训" in result["answers"][0]["sources"][0]["quote"]


def test_membership_yes_and_unsaid(kb):
    assert texts(ask(kb, "钦州市院前医疗急救体系包括急救站吗？")) == ["是"]
    assert ask(kb, "钦州市院前医疗急救体系包括中心血站吗？")["status"] == "unanswerable"


def test_two_institutions_each_and_compared(kb):
    each = ask(kb, "灵山县人民医院和浦北县人民医院分别要创建什么等级的医院？")
    assert texts(each) == ["灵山县人民医院：三级甲等医院", "浦北县人民医院：三级医院"]
    assert texts(ask(kb, "灵山县人民医院和浦北县人民医院的创建目标一样吗？")) == ["否"]


# ---- no fact: plan sentences, never an answer ------------------------------------------------

def test_plan_sentences_when_the_graph_holds_no_fact(kb):
    # (the department's role, 蛇伤专科 → 国家中医区域诊疗中心, is a fact now: see the test after this one)
    result = ask(kb, "梧州要把国家中医药综合改革试验区建成什么中心？")
    assert result["status"] == "unanswerable" and result["answers"] == []
    assert "国家中医区域诊疗中心" in result["passages"][0]["quote"]
    assert all(p["doc"].startswith("001_") for p in result["passages"])  # 梧州's plan only


def test_the_role_of_a_department_is_answered(kb):
    # 001: 推动蛇伤专科建设成为国家中医区域诊疗中心 (the department is a unit of its own with that role)
    result = ask(kb, "梧州要把蛇伤专科建成什么中心？")
    assert result["status"] == "answered" and texts(result) == ["国家中医区域诊疗中心"]


# ---- follow-ups ---------------------------------------------------------------------------------

def test_follow_ups_reuse_the_last_question(kb):
    first, context = answer(kb, "梧州市第三人民医院2025年规划编制床位是多少？", Context())
    assert first["answers"][0]["value"] == 420
    other, context = answer(kb, "那梧州市人民医院呢？", context)
    assert other["answers"][0]["value"] == 1110
    opened, context = answer(kb, "它的实际开放床位是多少？", context)
    assert opened["answers"][0]["value"] == 790
    city, context = answer(kb, "梧州2025年每千人口床位数是多少？", context)
    again, context = answer(kb, "钦州呢？", context)
    assert again["answers"][0]["value"] == 7
    year, _ = answer(kb, "2020年呢？", context)
    assert year["answers"][0]["value"] == pytest.approx(6.06)


def test_a_follow_up_alone_is_not_guessed(kb):
    assert ask(kb, "那梧州市人民医院呢？")["status"] != "answered"


# ---- two indicators, ratios, coordinated names, places -----------------------------------------

def test_two_indicators_of_one_place(kb):
    assert ask(kb, "钦州全市二级医院比三级医院多几家？")["answers"][0]["value"] == 9
    higher = ask(kb, "2020年钦州老年人的健康管理率和中医药健康管理率哪个高？")
    assert texts(higher) == ["老年人健康管理率"]


def test_ratio_of_two_years(kb):
    result = ask(kb, "赣州每千人口重症床位数2025年的目标是2020年的多少倍？")
    assert result["answers"][0]["value"] == pytest.approx(2)


def test_second_of_two_coordinated_names_shares_the_first_ones_head(kb):
    result = ask(kb, "梧州市第二人民医院与第三人民医院哪家实际开放床位更多？")
    assert texts(result) == ["梧州市第二人民医院"]
    assert "梧州市第三人民医院 160" in result["message"]


def test_a_comparison_with_one_side_unknown_names_no_winner(kb):
    assert ask(kb, "梧州市第二人民医院和航天医院哪家实际开放床位多？")["status"] != "answered"


@pytest.mark.parametrize(("question", "city"), [("蒙山县属于梧州还是赣州？", "梧州市"), ("灵山县在哪个市？", "钦州市")])
def test_the_city_of_a_county(kb, question, city):
    assert texts(ask(kb, question)) == [city]


def test_an_indicator_written_loosely_is_linked_by_its_characters_and_says_so(kb):
    result = ask(kb, "梧州市红十字会医院规划的编制床有多少张？")
    assert result["answers"][0]["value"] == 1990 and "按指标“规划编制床位”理解" in result["message"]


def test_a_role_that_is_not_the_kind_of_thing_asked_is_no_answer(kb):
    # 负责开展大众卫生科学知识宣传活动，向社会提供预防保健的相关知识服务: only the first is a 宣传活动 (the
    # answer ending with the noun asked fills the question, no restatement), and no task is a 实验室
    assert texts(ask(kb, "钦州市健康教育与健康促进中心要开展哪些宣传活动？")) == ["开展大众卫生科学知识宣传活动"]
    assert ask(kb, "钦州市健康教育与健康促进中心负责建设哪些实验室？")["status"] != "answered"
    kept = ask(kb, "梧州市红十字会医院要建成以什么为重点的省级区域医疗中心？")
    assert "以肿瘤性疾病为重点的省级区域医疗中心" in texts(kept)


# ---- an answer that contradicts the question is no answer (kg/qa/consistency.py) -----------------

def test_a_stated_number_of_items_that_the_list_does_not_have_is_refused(kb):
    # 赣州's plan names five sub-systems (three in the graph, two completed from the same 由…构成 span:
    # tests/test_qa_kinds.py): a question asking for three asks for another list
    result = ask(kb, "赣州规划的医疗卫生服务体系包括哪三个体系？")
    assert result["status"] == "unanswerable" and not result["answers"]
    assert "3项" in result["message"] and "5项" in result["message"]


def test_a_stated_number_of_items_that_the_list_has_is_answered(kb):
    result = ask(kb, "为实现县级中医医院全覆盖，梧州规划建设哪两家中医医院？")
    assert result["status"] == "answered" and texts(result) == ["梧州市中医医院", "苍梧县中医医院"]


def test_a_number_counted_in_another_classifier_is_another_quantity(kb):
    # 常住人口超过800人的行政村…1所村卫生室: the number asked is of people, not the 6811 村卫生室
    result = ask(kb, "赣州人口多于多少人的行政村要设1所村卫生室？")
    assert result["status"] == "unanswerable" and not result["answers"]
    kept = ask(kb, "2020年梧州每千常住人口床位数是多少张？")
    assert kept["status"] == "answered" and [a["value"] for a in kept["answers"]] == [6.02]


def test_which_hospitals_is_not_a_figure(kb):
    # 3个远程医疗中心 由哪几家医院: never the figure 3
    result = ask(kb, "钦州的3个远程医疗中心分别由哪几家医院建立？")
    assert result["template"] != "figure" and result["status"] != "answered"


def test_two_plans_side_by_side_are_not_answered_from_one(kb):
    result = ask(kb, "赣州规划和梧州规划对疾控机构的核心职能的说法，赣州多了哪一项？")
    assert result["status"] == "unanswerable" and not result["answers"]


def test_an_aspect_the_stated_tasks_do_not_speak_of_is_no_answer(kb):
    # 梧州's 基层医疗卫生机构 tasks (预防、保健…) say nothing of 转诊
    assert ask(kb, "梧州基层医疗卫生机构在转诊方面负责什么？")["status"] == "unanswerable"
    kept = ask(kb, "梧州规划里，边远中心乡卫生院负责什么？")
    assert kept["status"] == "answered" and texts(kept) == ["服务区域内伤病员的转运"]


@pytest.mark.parametrize("question", ["钦州县区一级的疾控中心有几家？",
                                      "钦州市级、县区的卫生计生监督所一共有多少个？"])
def test_a_level_the_count_is_not_made_at_is_refused(kb, question):
    # the graph holds 钦州市疾病预防控制中心 / 钦州市卫生计生监督所 only: "1家" would be a guess
    result = ask(kb, question)
    assert result["status"] == "unanswerable" and not result["answers"]


def test_a_level_carried_by_the_kind_is_answered(kb):
    result = ask(kb, "钦州规划设置的县区中医医院有哪几家？")
    assert result["status"] == "answered"
    assert sorted(texts(result)) == ["浦北县中医医院", "灵山县中医医院", "钦北区中医医院", "钦南区中医医院"]


def test_items_listing_more_things_than_the_stated_number_are_refused(kb):
    # 梧州's 三级康复医院 duties are stated as lists (学科建设、人才培养、技术支持、研究成果推广等任务): not
    # "two items". (梧州疾控机构的核心职责有哪两项 is now answered with the two the sentence singles out,
    # tests/test_qa_kinds.py.)
    result = ask(kb, "梧州的三级康复医院承担哪两项任务？")
    assert result["status"] == "unanswerable" and not result["answers"]
    assert "列举了更多项" in result["message"]


@pytest.mark.parametrize("question", ["赣州2020年医院的床位使用率是多少？",      # never 医院数 124所
                                      "梧州计划将几个乡镇卫生院提升为二级医院？"])  # never 乡镇卫生院（每个乡镇）1所
def test_a_figure_of_another_kind_or_indicator_is_refused(kb, question):
    result = ask(kb, question)
    assert result["status"] == "unanswerable" and not result["answers"]


@pytest.mark.parametrize("question, value, quote", [
    # 梧州: 全市医疗机构病床使用率为78.03%，其中医院为85.63%
    ("2020年梧州医院的病床使用率是多少？", 85.63, "其中医院为85.63%"),
    ("2020年赣州医院的病床使用率是多少？", 73.38, "其中医院病床使用率为73.38%"),
])
def test_a_kind_before_the_particle_is_part_of_the_indicator(kb, question, value, quote):
    result = ask(kb, question)
    assert result["status"] == "answered" and [a["value"] for a in result["answers"]] == [value]
    assert any(quote in s["quote"] for a in result["answers"] for s in a["sources"])


def test_a_figure_of_the_indicator_named_is_answered(kb):
    # 赣州: 全市医疗机构病床使用率为65.6%
    result = ask(kb, "2020年赣州的病床使用率是多少？")
    assert result["status"] == "answered" and [a["value"] for a in result["answers"]] == [65.6]
    assert "病床使用率为65.6%" in result["answers"][0]["sources"][0]["quote"]


def test_members_are_those_of_the_composition_span_not_another_division(kb):
    # 梧州: 医疗卫生服务体系由专业公共卫生机构、医院、基层医疗卫生机构构成，以公立医疗卫生机构为主体、
    # 社会办医疗卫生机构为补充 — the last two divide the system another way
    result = ask(kb, "梧州医疗卫生服务体系包括哪几类机构？")
    assert result["status"] == "answered"
    assert sorted(texts(result)) == sorted(["专业公共卫生机构", "医院", "基层医疗卫生机构"])
    assert "公立" not in result["message"]


def test_members_written_with_a_shared_head_are_kept(kb):
    # 钦州: 卫生计生监督体系由市、自贸区钦州港片区、县区卫生计生监督所，镇卫生计生监督协管机构…组成
    result = ask(kb, "钦州卫生计生监督体系由哪些机构构成？")
    assert result["status"] == "answered"
    # 市卫生计生监督所 in 钦州's own plan is the city's named institution: answered by its full name
    assert sorted(texts(result)) == sorted(["钦州市卫生计生监督所", "自贸区钦州港片区卫生计生监督所",
                                            "县区卫生计生监督所", "镇卫生计生监督协管机构"])


def test_the_noun_asked_picks_the_stated_functions_not_the_tasks(kb):
    # 梧州: 县办医院主要承担县域内常见病多发病临床诊治、急诊急救和危重症转诊功能 (and, elsewhere,
    # …任务、…等工作): 哪些功能 is answered by the 功能
    result = ask(kb, "梧州的县办医院主要承担哪些功能？")
    assert result["status"] == "answered"
    assert texts(result) == ["县域内常见病多发病临床诊治、急诊急救和危重症转诊功能"]
    everything = ask(kb, "梧州县办医院承担什么？")
    assert len(everything["answers"]) == 3


def test_a_restriction_the_graph_does_not_hold_keeps_no_chance_institution(kb):
    # 接续性服务 / 鼓励社会资本举办: no sentence naming an institution says it (the plan speaks of kinds:
    # 老年护理院、康复中心…); never 钦州市健康教育与健康促进中心 by a shared 服务. The kinds the plan
    # enumerates are the answer (tests/test_enumerations.py), not an institution of the list family
    result = ask(kb, "规划鼓励社会资本举办和发展的、提供接续性服务的医疗机构有哪些？")
    assert result["template"] == "enumeration"
    assert texts(result) == ["老年护理院", "婴幼儿托育机构", "康复中心", "安宁疗护中心"]
    assert not any(a["iri"] and "/org/" in a["iri"] for a in result["answers"])
    kept = ask(kb, "钦州哪几家精神病医院是扩建项目？")
    assert kept["status"] == "answered"
    assert sorted(texts(kept)) == ["浦北县精神病医院", "灵山县精神病医院", "钦州市精神病医院"]


# ---- the cue that governs the question word ------------------------------------------------------

def test_the_cue_right_before_the_question_word_says_what_is_asked(kb):
    # 依托<哪家医院>创建: the host is asked (hk:basedOn), not what is created
    host = ask(kb, "广西北部湾沿海中医医疗中心要依托哪家医院来创建？")
    assert host["status"] == "answered" and texts(host) == ["钦州市中医医院"]
    assert host["answers"][0]["sources"][0]["quote"] == "依托钦州市中医医院创建广西北部湾沿海中医医疗中心；"
    # 依托X创建<什么中心>: what is created is asked
    created = ask(kb, "依托钦州市中医医院要创建什么中心？")
    assert "广西北部湾沿海中医医疗中心" in texts(created) and "钦州市中医医院" not in texts(created)


def test_whom_an_institution_guides_is_asked_by_dui_shei(kb):
    # X对谁…指导 asks whom X guides (谁 is the object of 对), not who guides X
    result = ask(kb, "钦州市疾病预防控制中心要加强对谁的业务指导？")
    assert result["status"] == "answered"
    # 业务指导 is what 002 states of 县区疾病预防控制中心; 000's 全市疾病预防控制机构 is under its
    # 技术指导 (a sentence without the question's words), so it is not part of this answer
    assert texts(result) == ["县区疾病预防控制中心"]
    quotes = [s["quote"] for a in result["answers"] for s in a["sources"]]
    assert any("强化钦州市疾病预防控制中心对县区疾病预防控制中心的业务指导和工作协同" in q for q in quotes)
    # the reverse still asks who guides
    assert texts(ask(kb, "谁对县区疾病预防控制中心进行业务指导？")) == ["钦州市疾病预防控制中心"]


def test_a_verb_asked_as_a_not_a_is_a_yes_no_from_the_plan_sentence(kb):
    # 设不设 / 要不要设置: 钦州 says 本区域内不设置…, 梧州 says 市级设置 120 急救指挥中心
    no = ask(kb, "钦州要不要设置职业病危害工程防护机构？")
    assert no["status"] == "answered" and texts(no) == ["否"]
    quote = no["answers"][0]["sources"][0]["quote"]
    assert quote == "本区域内不设置职业病危害工程防护机构，其职责由自治区相关医疗机构承担。"
    yes = ask(kb, "梧州市级设不设120急救指挥中心？")
    assert yes["status"] == "answered" and texts(yes) == ["是"]
    assert yes["answers"][0]["sources"][0]["quote"].startswith("机构设置：市级设置 120 急救指挥中心")


@pytest.mark.parametrize(("question", "start"), [
    ("灵山县人民医院属不属于县直综合医院？", "设置6家县直综合医院，分别是灵山县人民医院"),
    ("钦州市精神病医院算不算精神卫生机构？",
     "钦州市精神病医院（钦州市心理卫生中心），既是精神病专科医院，又是精神卫生机构"),
])
def test_whether_an_institution_is_of_a_kind_is_said_by_a_sentence_linking_them(kb, question, start):
    result = ask(kb, question)
    assert result["status"] == "answered" and texts(result) == ["是"]
    assert result["answers"][0]["sources"][0]["quote"].startswith(start)


@pytest.mark.parametrize("question", [
    # 梧州: 支持藤县人民医院升级为三级综合医院 — a target, not what it is
    "藤县人民医院属不属于三级综合医院？",
    # 梧州: 建设梧州市红十字会医院以肿瘤性疾病为重点的省级区域医疗中心 — to be built
    "梧州市红十字会医院算不算区域医疗中心？",
    # no sentence names 钦州市第一人民医院 as one
    "钦州市第一人民医院算不算精神卫生机构？",
])
def test_a_kind_an_institution_is_to_become_or_never_said_to_be_is_no_yes(kb, question):
    result = ask(kb, question)
    assert result["status"] == "unanswerable" and not result["answers"]
