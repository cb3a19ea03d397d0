"""`kg ask` operators and directions on the real corpus, in wordings of our own: a unit's institution
(院区 → 医院), yes/no from what a plan states (negatives, planned-vs-built, several cities at once),
and figures that are conditions, not the question."""

from __future__ import annotations

import pytest

from kg.qa import ask


def texts(result: dict) -> list[str]:
    return [a["text"] for a in result["answers"]]


# ---- a unit's institution -----------------------------------------------------------------------

@pytest.mark.parametrize("question, parent", [
    ("北山院区是哪家医院的？", "梧州市工人医院"),               # 梧州's bed table: 加上北山院区 340 张
    ("白石湖院区属于哪家医院？", "钦州市第二人民医院"),          # 钦州市第二人民医院白石湖院区
    ("苍梧县人民医院石桥分院是哪家医院的分院？", "苍梧县人民医院"),
    ("灵山县献血点归哪个机构？", "钦州市中心血站"),
])
def test_a_campus_branch_or_site_is_answered_with_its_institution(kb, question, parent):
    result = ask(kb, question)
    assert result["status"] == "answered" and texts(result) == [parent]
    assert result["template"] == "unit_of"


def test_a_campus_named_by_its_own_part_is_linked_to_the_full_unit(kb):
    result = ask(kb, "茶山院区在哪个市？")
    assert result["status"] == "answered" and texts(result) == ["钦州市"]


# ---- yes/no from what the plan states ----------------------------------------------------------

@pytest.mark.parametrize("question, verdict, quote", [
    # 不得: a modal question (能…吗, 可不可以) answered no
    ("梧州政府办的医疗卫生机构能和社会资本合作办营利性医院吗？", "否", "不得与社会资本合作举办营利性医院"),
    ("钦州政府举办的医疗卫生机构可不可以跟社会资本合作办营利性医院？", "否", "不得与社会资本合作举办营"),
    # 不再增加: the figures are the condition, the question is whether beds may be added
    ("赣州床护比低于1:0.5的区域还能增加急性治疗床位吗？", "否", "不再增加急性治疗床位"),
    # a plain statement of the plan: yes
    ("符合条件的中医类医院会被纳入梧州的120急救体系吗？", "是", "将符合条件的中医类医院纳入 120 急救体系"),
    ("规划支持钦州市疾控中心申报放射卫生技术服务资质吗？", "是", "申报职业卫生和放射卫生技术服务资质"),
])
def test_yes_no_is_read_from_the_plan_sentence(kb, question, verdict, quote):
    result = ask(kb, question)
    assert result["status"] == "answered" and texts(result) == [verdict]
    assert any(quote in s["quote"] for s in result["answers"][0]["sources"])


@pytest.mark.parametrize("question, quote", [
    ("钦州的医疗卫生应急物资储备库建成了吗？", "医疗卫生应急物资储备库仍未建成"),
    # a building the plan lists as under construction (在建) is not built yet
    ("梧州市中医医院的住院医技综合楼建成了吗？", "一期在建住院医技综合楼"),
])
def test_built_is_no_when_the_plan_plans_or_is_building_it(kb, question, quote):
    result = ask(kb, question)
    assert result["status"] == "answered" and texts(result) == ["否"]
    assert any(quote in s["quote"] for s in result["answers"][0]["sources"])


def test_both_cities_are_checked_for_all(kb):
    result = ask(kb, "梧州和赣州对城市急救站点服务半径的要求都是不超过5公里吗？")
    assert result["status"] == "answered" and texts(result) == ["是"]
    titles = {s["title"] for s in result["answers"][0]["sources"]}
    assert any("梧州" in t for t in titles) and any("赣州" in t for t in titles)


@pytest.mark.parametrize("question", [
    "赣州有没有传染病医院？",            # a kind alone is no claim; the list has none, which is not "no"
    "梧州和赣州都要建设航天医学中心吗？",  # no plan says it
    "梧州政府办的医疗卫生机构不能和社会资本合作办营利性医院吗？",  # negated: no verdict rather than a flipped one
])
def test_no_verdict_without_a_stated_claim(kb, question):
    result = ask(kb, question)
    assert result["status"] != "answered" and not result["answers"]


def test_a_percentage_asked_for_is_a_value_not_a_threshold(kb):
    # 不得低于百分之几 asks the figure; it is not a yes/no comparison
    result = ask(kb, "钦州镇卫生院公共卫生人员占专业技术人员的比例不得低于百分之几？")
    assert "否" not in texts(result) and "是" not in texts(result)


# ---- a province's column ------------------------------------------------------------------------

def test_a_province_column_is_its_own_subject_never_a_citys(kb):
    # 梧州's indicator table has a 广西 column: 每千常住人口注册护士数 2020 梧州 3.43, 广西 3.34
    compared = ask(kb, "2020年每千常住人口注册护士数，梧州和广西平均水平谁更高？")
    assert compared["status"] == "answered" and texts(compared) == ["梧州市"]
    alone = ask(kb, "广西2020年每千常住人口精神科床位数是多少？")
    assert [a["value"] for a in alone["answers"]] == [0.64]  # not 梧州's 0.42
    # a province has no plan in the graph: no list of its hospitals
    assert ask(kb, "广西有哪些中医医院？")["status"] != "answered"


# ---- an indicator named by its nature ---------------------------------------------------------

@pytest.mark.parametrize("question, value", [
    ("赣州主要指标表中唯一一项约束性指标，2025年目标值是多少？", 3),     # 每万人口全科医生数 1.45 → 3
    ("梧州唯一的约束性指标2025年目标是多少？", 4),                     # 每万常住人口全科医生数 2.90 → 4.00
])
def test_the_one_indicator_of_a_nature_is_asked_by_it(kb, question, value):
    result = ask(kb, question)
    assert result["status"] == "answered" and [a["value"] for a in result["answers"]] == [value]
    assert "全科医生" in result["message"]


def test_no_figure_when_the_nature_does_not_pick_one_indicator(kb):
    result = ask(kb, "钦州约束性指标的目标值是多少？")  # eight of them: which one?
    assert result["status"] != "answered" and not result["answers"]


def test_how_many_indicators_of_a_nature_is_their_number_not_a_figure(kb):
    result = ask(kb, "赣州主要指标表里约束性指标有几个？")  # how many (one), not its figure (3)
    assert result["template"] == "nature"
    assert [a["value"] for a in result["answers"]] == [1, None]


def test_a_negative_about_one_kind_is_no_answer_about_an_unknown_kind(kb):
    # 钦州: 全市范围内均未设置有专门的传染病防治医院 says nothing of 三甲医院 (no kind of the graph)
    result = ask(kb, "钦州有没有规划建设三甲医院？")
    assert result["status"] != "answered" and not result["answers"]
    assert texts(ask(kb, "钦州有没有传染病医院？")) == ["否"]


# ---- a range, and an indicator asked with its parts in another order ---------------------------

@pytest.mark.parametrize("question", ["梧州打算把几个乡镇卫生院升级为二级医院？",
                                      "梧州要将多少个乡镇卫生院升级为二级医院？"])
def test_an_indicator_written_as_a_clause_is_asked_in_another_order(kb, question):
    # 梧州: 将有条件的 5—7 个乡镇卫生院升级为二级医院 (indicator 升级为二级医院的乡镇卫生院)
    result = ask(kb, question)
    assert result["status"] == "answered" and "5—7个" in texts(result)[0]


def test_which_counties_a_kind_of_site_is_in(kb):
    # 钦州: 设置固定献血点4个（…钦州湾广场献血点、灵山县献血点、浦北县献血点）
    result = ask(kb, "规划的固定献血点中，有哪两个县各设了一个？")
    assert result["status"] == "answered" and sorted(texts(result)) == ["浦北县", "灵山县"]


# ---- who does a stated task (the relation read backwards) -------------------------------------

@pytest.mark.parametrize("question, holder, quote", [
    ("全市突发事件的紧急医疗救援指挥调度归哪个机构负责？", "钦州市医疗急救中心",
     "钦州市医疗急救中心负责全市突发事件紧急医疗救援指挥调度工作"),
    # 赣州: 设立一个市级中心血站，负责无偿献血者招募、…: the station set up, not the heading's 采供血机构
    ("赣州的无偿献血者招募由谁负责？", "市级中心血站", "无偿献血者招募"),
])
def test_who_does_a_task_is_its_holder(kb, question, holder, quote):
    result = ask(kb, question)
    assert result["status"] == "answered" and texts(result) == [holder]
    assert result["template"] == "holder"
    assert any(quote in s["quote"] for a in result["answers"] for s in a["sources"])


def test_a_task_too_short_to_tell_is_not_answered(kb):
    # 献血招募 (4 characters) is said of 梧州's and 钦州's blood stations alike: too little to tell
    assert ask(kb, "梧州的献血招募工作由哪个机构负责？")["status"] != "answered"


@pytest.mark.parametrize("question, agent", [
    ("梧州的卫生监督机构可以受谁委托开展行政执法工作？", "上级行政主管部门"),       # 001
    ("赣州卫生健康监督执法机构受谁委托行使监督执法权？", "同级卫生健康行政部门"),     # 003
    ("钦州市卫生计生监督所受谁委托开展卫生健康行政执法？", "钦州市卫生健康委员会"),   # 000
])
def test_who_commissions_is_the_graph_fact_commissioned_by(kb, question, agent):
    result = ask(kb, question)
    assert result["status"] == "answered" and texts(result) == [agent]
    assert result["template"] == "commissioned_by"
    assert any(f"受{agent}" in s["quote"] for s in result["answers"][0]["sources"])


def test_no_commissioning_said_of_a_hospital(kb):
    assert ask(kb, "梧州市人民医院受谁委托？")["status"] != "answered"
