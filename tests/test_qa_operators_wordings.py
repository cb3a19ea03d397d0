"""`kg ask` operators in the wordings people use, on the real corpus (rewordings of our own, not
dev questions): counts over two measures written with 比, differences asked with 相差, a year that
qualifies only the indicator it stands before, and precision guards (a table of many hospitals is
no single figure to subtract)."""

from __future__ import annotations

import pytest

from kg.qa import ask


def texts(result: dict) -> list[str]:
    return [a["text"] for a in result["answers"]]


# ---- counts over two measures: A比B多的医院有几家 ------------------------------------------------
# 梧州's bed table: 红十字会 1200/1233, 工人 810/875, 第二人民 150/172, 桂东 800/952 open more beds than
# they are allotted; 妇幼保健院 300/205 fewer.

@pytest.mark.parametrize("question", [
    "梧州的床位表中实际开放床位比编制床位多的医院有几家？",
    "梧州实际开放床位比目前编制床位多的医院有多少家？",
    "梧州有几家医院实际开放床位比编制床位多？",
])
def test_a_comparative_with_bi_over_two_measures_is_a_count_not_a_year_difference(kb, question):
    result = ask(kb, question)
    assert result["template"] == "count_compare_measures"
    assert result["answers"][0]["value"] == 4
    assert sorted(t.split("（")[0] for t in texts(result)[1:]) == sorted(
        ["梧州市红十字会医院", "梧州市工人医院", "梧州市第二人民医院", "广西壮族自治区桂东人民医院"])


def test_the_smaller_side_of_a_bi_comparative_counts_the_other_way(kb):
    result = ask(kb, "梧州哪几家医院的实际开放床位比目前编制床位少？")
    assert result["template"] == "count_compare_measures"
    assert [t.split("（")[0] for t in texts(result)[1:]] == ["梧州市妇幼保健院"]


@pytest.mark.parametrize("question, verdict", [
    ("梧州市工人医院实际开放床位比目前编制床位多吗？", "是"),           # 875 > 810
    ("梧州市妇幼保健院的实际开放床位是不是比目前编制床位少？", "是"),   # 205 < 300
    ("梧州市红十字会医院的实际开放床位比编制床位少吗？", "否"),         # 1233 > 1200
])
def test_a_bi_comparative_of_one_institution_asked_yes_no_is_a_verdict(kb, question, verdict):
    result = ask(kb, question)
    assert result["template"] == "compare_measures" and texts(result) == [verdict]


def test_two_measures_of_a_table_of_many_hospitals_are_no_figure_to_subtract(kb):
    # 实际开放床位 and 编制床位 of 梧州 are figures of nine hospitals, not of the city: no difference
    result = ask(kb, "梧州实际开放床位比编制床位多多少？")
    assert result["status"] != "answered"


# ---- a difference asked with 相差 / 差多少; a year that qualifies one of two indicators ------------

@pytest.mark.parametrize("question, value", [
    ("赣州和梧州2020年每千常住人口床位数相差多少？", 0.01),    # 6.03 and 6.02
    ("钦州和赣州2025年每千人口注册护士数差多少？", 0.22),      # 3.32 and 3.1
])
def test_a_difference_between_two_cities_asked_without_bi(kb, question, value):
    result = ask(kb, question)
    assert result["template"] == "compare_years"
    assert result["answers"][0]["value"] == pytest.approx(value)


@pytest.mark.parametrize("question, value", [
    ("梧州市工人医院2025年规划编制床位比目前编制床位多多少张？", 930),   # 1740 − 810
    ("梧州市中医医院现在的编制床位和2025年规划床位相差多少？", 200),     # 800 − 600
])
def test_a_year_before_one_indicator_qualifies_that_indicator_only(kb, question, value):
    result = ask(kb, question)
    assert result["status"] == "answered" and result["answers"][0]["value"] == value


# ---- superlatives rank what their question word names --------------------------------------------

@pytest.mark.parametrize("question, winner", [
    ("梧州各县里2025年每千常住人口床位数哪个最高？", "苍梧县"),               # 9.02; 城区 11.01 is no county
    ("梧州哪个县2025年每千常住人口注册护士数最低？", "藤县"),                 # 2.30
    ("梧州哪个县区的每千常住人口执业（助理）医师数排最后？", "藤县"),        # 1.94
    ("梧州市办医院里2025年规划编制床位排第一的是哪家？", "梧州市红十字会医院"),  # 1990
    ("哪个市2025年每千人口床位数最高？", "梧州市"),                           # 7.68 > 7.5 (赣州) > 7 (钦州)
])
def test_a_superlative_ranks_the_counties_institutions_or_cities_it_asks_about(kb, question, winner):
    result = ask(kb, question)
    assert result["template"] == "superlative" and texts(result) == [winner]


def test_a_superlative_over_the_cities_named_ranks_those(kb):
    result = ask(kb, "梧州、钦州、赣州三个市2025年每千人口医疗卫生机构床位数目标谁最高？")
    assert result["status"] == "answered" and texts(result) == ["梧州市"]
    assert "钦州市 7" in result["message"] and "赣州市 7.5" in result["message"]


# ---- yes/no on an upgrade target: the grade asked against the grade the plan states ---------------

@pytest.mark.parametrize("question, verdict", [
    ("浦北县人民医院是不是要创建三级甲等医院？", "否"),       # 钦州: 浦北县人民医院创建三级医院
    ("藤县人民医院要升级为三级甲等综合医院吗？", "否"),       # 梧州: 升级为三级综合医院
    ("灵山县人民医院要创建三级医院吗？", "是"),               # 钦州: 灵山县人民医院创建三级甲等医院
    ("藤县人民医院是否要升级为三级综合医院？", "是"),
])
def test_an_upgrade_asked_finer_than_the_plan_states_is_no(kb, question, verdict):
    result = ask(kb, question)
    assert result["template"] == "upgrade_check" and texts(result)[0].startswith(verdict)


@pytest.mark.parametrize("question, target", [
    ("浦北县人民医院要创建成什么医院？", "三级医院"),
    ("钦州市卫生学校打算升级成什么？", "高职院校"),
])
def test_an_upgrade_asked_with_what_is_the_target_not_a_verdict(kb, question, target):
    result = ask(kb, question)
    assert result["template"] == "role" and target in texts(result)


def test_a_particle_inside_an_indicator_name_does_not_hide_it(kb):
    result = ask(kb, "梧州哪家医院实际开放的床位最少？")        # 中西医结合医院 105
    assert result["template"] == "superlative" and texts(result) == ["梧州市中西医结合医院"]


# ---- a place glued to 医院 names one institution, not the kind ------------------------------------

@pytest.mark.parametrize("question, phrase, one_of", [
    ("灵山县医院要创建成几级医院？", "灵山县医院", "灵山县人民医院"),          # 钦州: five 灵山县…医院
    ("藤县医院2025年规划编制床位是多少？", "藤县医院", "藤县人民医院"),        # 梧州
    ("梧州市医院的功能定位是什么？", "梧州市医院", "梧州市人民医院"),          # not every 梧州 hospital's role
])
def test_a_place_glued_to_hospital_is_asked_back_not_answered_for_the_kind(kb, question, phrase, one_of):
    result = ask(kb, question)
    assert result["status"] == "ambiguous" and result["answers"] == []
    assert f"“{phrase}”" in result["message"] and one_of in result["message"]


def test_a_place_with_hospital_in_a_list_or_a_level_kind_is_still_the_kind(kb):
    count = ask(kb, "灵山县有几家医院？")
    # read as the kind (not asked back as one hospital); the plans count 医院 as a whole (医院数) and
    # 钦州's gives no county's figure, so the five it names are no answer (qaheld: counted_by_the_plan)
    assert count["status"] == "unanswerable" and count["template"] == "count"
    assert "灵山县医院的总数" in count["message"] and not count["answers"]
    role = ask(kb, "赣州县级医院是什么定位？")
    assert role["status"] == "answered" and "县域龙头" in texts(role)


# ---- which plan says it -------------------------------------------------------------------------

@pytest.mark.parametrize("question, title", [
    ("哪个规划提出要建设国际生物毒素研究中心？", "梧州市医疗卫生服务体系“十四五”规划"),
    ("区域公共卫生检验检测中心是哪份规划里提到的？", "赣州市“十四五”医疗卫生服务体系规划"),
    ("广西北部湾沿海职业病防治中心出自哪个规划？", "钦州市卫生健康发展“十四五”规划"),
])
def test_which_plan_says_a_phrase_is_answered_with_the_plan_and_its_sentence(kb, question, title):
    result = ask(kb, question)
    assert result["template"] == "which_plan" and texts(result) == [title]
    assert result["answers"][0]["sources"]


def test_which_plan_says_what_no_plan_says_is_not_answered(kb):
    result = ask(kb, "哪个规划说要建设火星医院？")
    assert result["status"] != "answered" and result["answers"] == []


# ---- which county: a city is no county's answer; the level word of 哪个县区 is what is asked -------

@pytest.mark.parametrize("question", ["钦州市第一人民医院属于哪个县？", "梧州市工人医院位于哪个区？"])
def test_a_county_asked_of_an_institution_placed_only_in_a_city_is_not_answered_with_the_city(kb, question):
    result = ask(kb, question)
    assert result["status"] == "unanswerable" and result["answers"] == []
    assert "所在的县区" in result["message"]


@pytest.mark.parametrize("question, county", [
    ("钦南区中医医院在哪个县区？", "钦南区"),
    ("岑溪市人民医院在哪个县区？", "岑溪市"),       # a county-level city is a county
    ("藤县人民医院在哪个县？", "藤县"),
])
def test_which_county_an_institution_is_in(kb, question, county):
    result = ask(kb, question)
    assert result["template"] == "where" and texts(result) == [county]


# ---- a sum over the subjects named ---------------------------------------------------------------

@pytest.mark.parametrize("question, total", [
    ("梧州市中医医院和梧州市人民医院的规划编制床位加起来是多少？", 1910),        # 800 + 1110
    ("梧州市工人医院和梧州市红十字会医院的实际开放床位一共有多少张？", 2108),    # 875 + 1233
])
def test_a_figure_of_several_subjects_asked_with_a_sum_word_is_summed(kb, question, total):
    result = ask(kb, question)
    assert result["status"] == "answered" and result["answers"][0]["value"] == total


def test_a_sum_of_subjects_with_several_figures_each_is_not_guessed(kb):
    result = ask(kb, "梧州市中医医院和梧州市人民医院的床位加起来是多少？")   # 编制、开放、规划…
    assert result["status"] != "answered"


# ---- thresholds met by the figure itself; two years of one figure --------------------------------

@pytest.mark.parametrize("question, verdict", [
    ("钦州每千人口床位数到2025年能达到7张吗？", "是"),     # 7 reaches 7
    ("钦州每千人口床位数2025年会超过7张吗？", "否"),       # 7 does not exceed 7
    ("梧州市红十字会医院的实际开放床位有没有超过1200张？", "是"),   # 1233
])
def test_reaching_a_number_includes_the_number_exceeding_it_does_not(kb, question, verdict):
    result = ask(kb, question)
    assert result["template"] == "threshold" and texts(result) == [verdict]


@pytest.mark.parametrize("question, year", [
    ("钦州每千人口注册护士数2020年和2025年哪个高？", "2025年"),    # 3.06 → 3.32
    ("赣州每千人口注册护士数2020年和2025年哪年更低？", "2020年"),  # 2.63 → 3.1
])
def test_two_years_of_one_figure_compared(kb, question, year):
    result = ask(kb, question)
    assert result["status"] == "answered" and texts(result) == [year]


def test_two_years_of_one_figure_each_asked_are_both_given(kb):
    result = ask(kb, "梧州每千常住人口药师（士）数2020年和2025年分别是多少？")
    assert sorted(a["value"] for a in result["answers"]) == [0.51, 0.54]


# ---- scope: an institution of one city asked with another city's name -----------------------------

@pytest.mark.parametrize("question", ["梧州市妇幼保健院在赣州的规划里是什么定位？", "钦州的梧州市人民医院有多少床位？"])
def test_an_institution_asked_with_another_citys_name_is_not_answered(kb, question):
    result = ask(kb, question)
    assert result["status"] == "unanswerable" and result["answers"] == []
    assert "的规划中没有它" in result["message"]


def test_an_institution_asked_with_its_own_citys_name_is_answered(kb):
    result = ask(kb, "梧州的梧州市人民医院2025年规划编制床位是多少？")
    assert result["status"] == "answered" and result["answers"][0]["value"] == 1110


# ---- who is to be upgraded to a grade (the upgrade target read backwards) --------------------------

@pytest.mark.parametrize("question, holder", [
    ("钦州哪家医院要创建三级甲等医院？", "灵山县人民医院"),
    ("钦州市哪家医院要创建三级医院？", "浦北县人民医院"),     # not 县级医院, a kind the plan says it of
    ("哪家医院要升级为三级综合医院？", "藤县人民医院"),       # 梧州
])
def test_which_institution_is_to_reach_a_grade(kb, question, holder):
    result = ask(kb, question)
    assert result["template"] == "upgrade_holder" and texts(result) == [holder]


def test_a_grade_no_institution_of_the_city_is_to_reach_is_not_answered(kb):
    result = ask(kb, "赣州哪家医院要升级为三级综合医院？")
    assert result["status"] != "answered" and result["answers"] == []


# ---- the subjects of a figure beyond a number ------------------------------------------------------

@pytest.mark.parametrize("question, n, names", [
    ("梧州实际开放床位超过1000张的医院有几家？", 1, ["梧州市红十字会医院"]),                  # 1233
    ("梧州有哪些医院2025年规划编制床位超过1000张？", 4,
     ["梧州市人民医院", "梧州市妇幼保健院", "梧州市工人医院", "梧州市红十字会医院"]),
    ("梧州哪些县2025年每千常住人口床位数低于6张？", 2, ["岑溪市", "藤县"]),                  # 5.73, 5.23
    ("梧州2025年每千常住人口床位数超过7张的县有几个？", 2, ["苍梧县", "蒙山县"]),            # 城区 11.01 is none
])
def test_the_institutions_or_counties_whose_figure_is_beyond_a_number(kb, question, n, names):
    result = ask(kb, question)
    assert result["template"] == "count_threshold" and result["answers"][0]["value"] == n
    assert sorted(t.split("（")[0] for t in texts(result)[1:]) == sorted(names)


# ---- a difference asked yes/no is a verdict, read in the question's order --------------------------

@pytest.mark.parametrize("question, verdict", [
    ("梧州市中医医院实际开放床位比梧州市人民医院多吗？", "否"),          # 600 < 790
    ("梧州市中医医院实际开放床位是不是比梧州市人民医院少？", "是"),
    ("梧州2025年每千人口床位数比钦州高吗？", "是"),                      # 7.68 > 7
    ("赣州每千人口注册护士数2025年比2020年高吗？", "是"),                # 3.1 > 2.63
    ("赣州每千人口注册护士数2020年比2025年高吗？", "否"),
    ("钦州孕产妇死亡率2025年目标比2020年低吗？", "否"),                  # ≤14 vs 2.36
])
def test_a_difference_asked_yes_no_is_answered_with_the_verdict(kb, question, verdict):
    result = ask(kb, question)
    assert result["template"] == "compare_years" and texts(result) == [verdict]


# ---- top N, rank of a named subject, is-it-the-most; a province is the scope, not a subject -------

@pytest.mark.parametrize("question, names", [
    ("梧州2025年规划编制床位最多的三家医院是哪些？", ["梧州市红十字会医院", "梧州市工人医院", "梧州市人民医院"]),
    ("梧州哪两家医院的实际开放床位最多？", ["梧州市红十字会医院", "广西壮族自治区桂东人民医院"]),
    ("梧州各县中2025年每千常住人口床位数最高的两个县是哪两个？", ["苍梧县", "蒙山县"]),
])
def test_a_superlative_asking_for_several_gives_that_many_in_order(kb, question, names):
    result = ask(kb, question)
    assert result["template"] == "superlative" and texts(result) == names


@pytest.mark.parametrize("question, answer", [
    ("梧州市红十字会医院的实际开放床位在梧州排第几？", "第1"),
    ("梧州市人民医院的规划编制床位是不是梧州最多的？", "否"),        # 1110: third after 1990, 1740
    ("梧州市红十字会医院是不是梧州实际开放床位最多的医院？", "是"),
])
def test_a_named_institutions_rank_among_its_citys(kb, question, answer):
    result = ask(kb, question)
    assert result["template"] == "superlative" and texts(result) == [answer]


def test_a_ranking_within_a_province_is_not_answered_with_a_comparison_to_it(kb):
    result = ask(kb, "梧州2025年每千常住人口床位数是不是广西最高？")
    assert result["status"] != "answered"


# ---- yes/no read from what the plan states: negative questions, tables, 建成了没有 ------------------

def test_a_question_asked_in_the_negative_is_not_given_a_verdict_read_the_other_way(kb):
    # the plan: 本区域内不设置职业病危害工程防护机构 — 否 would answer 没有…吗 backwards
    result = ask(kb, "钦州没有职业病危害工程防护机构吗？")
    assert result["status"] != "answered"


@pytest.mark.parametrize("question", ["赣州有没有P3实验室？", "赣州2020年有没有生物安全三级实验室？"])
def test_a_table_row_is_no_statement_to_read_a_verdict_from(kb, question):
    # 赣州's indicator table: 生物安全三级（P3）实验室数量 0 (2020) → 1 (2025); 是 would be wrong
    result = ask(kb, question)
    assert not (result["status"] == "answered" and texts(result) == ["是"])


@pytest.mark.parametrize("question", ["梧州市中医医院的住院医技综合楼建成了没有？",
                                      "梧州市中医医院的住院医技综合楼建好了吗？"])
def test_whether_a_building_is_built_is_a_verdict_not_the_institutions_roles(kb, question):
    result = ask(kb, question)        # 一期在建住院医技综合楼: being built, not built
    assert result["template"] == "claim_check" and texts(result) == ["否"]


# ---- a comparison with no year whose winner depends on the year; a part of a city named -----------

def test_a_comparison_whose_winner_changes_with_the_year_asks_for_the_year(kb):
    # 2020: 钦州 6.06 > 梧州 6.02; 2025: 梧州 7.68 > 钦州 7
    result = ask(kb, "梧州和钦州每千人口床位数哪个高？")
    assert result["status"] != "answered" and "请写明年份" in result["message"]
    named = ask(kb, "梧州和钦州2025年每千人口床位数哪个高？")
    assert texts(named) == ["梧州市"]


def test_a_comparison_whose_winner_is_the_same_every_year_is_answered(kb):
    result = ask(kb, "梧州和赣州每千人口注册护士数哪个高？")    # 梧州 higher in 2020 and 2025
    assert result["status"] == "answered" and texts(result) == ["梧州市"]


@pytest.mark.parametrize("question, value", [
    ("梧州城区2025年每千常住人口床位数是多少？", 11.01),      # not 梧州's 7.68
    ("梧州县域2025年每千常住人口注册护士数是多少？", 2.59),
])
def test_a_part_of_a_city_named_with_its_short_name_is_that_part(kb, question, value):
    result = ask(kb, question)
    assert result["status"] == "answered" and [a["value"] for a in result["answers"]] == [value]


# ---- 现在/目前 asks the base year's figures, not the plan's targets ---------------------------------

@pytest.mark.parametrize("question, values", [
    ("梧州人民医院现在有多少床位？", [790, 790]),             # 编制 and 实际开放 in 2020, not 1110 planned
    ("赣州每千人口床位数目前是多少？", [6.03]),
    ("钦州每千人口注册护士数现在是多少？", [3.06]),
])
def test_now_asks_the_figures_of_the_base_year(kb, question, values):
    result = ask(kb, question)
    assert result["status"] == "answered" and [a["value"] for a in result["answers"]] == values


# ---- a verb of leading governs the relation asked ---------------------------------------------
# 钦州市妇幼保健院 is a member of the 妇幼保健体系 and leads nothing in the plans: asked what network it
# leads (牵头哪个医联体 / 是哪个医联体的龙头), its membership is no answer.

@pytest.mark.parametrize("question", ["钦州市妇幼保健院牵头哪个医联体？", "钦州市妇幼保健院是哪个医联体的龙头？"])
def test_leading_asked_is_not_answered_with_membership(kb, question):
    result = ask(kb, question)
    assert result["template"] != "member_of"
    assert "妇幼保健体系" not in texts(result)


def test_membership_asked_is_still_answered(kb):
    result = ask(kb, "钦州市妇幼保健院参加了哪个体系？")
    assert result["status"] == "answered"
    assert "妇幼保健体系" in texts(result)


# ---- a bare level word glued to a kind: 县医院 is the county-level kind, not every 医院 -------------
# The plans write 县级医院 / 县办医院; people ask 县医院. What 赣州's plan says of 医院 in general (疾病诊治…)
# is no answer for its county hospitals.

def test_county_hospital_asked_short_is_the_county_level_kind(kb):
    short = ask(kb, "赣州的县医院负责什么？")
    written = ask(kb, "赣州的县级医院负责什么？")
    assert short["status"] == "answered"
    assert texts(short) == texts(written)
    assert "急危重症抢救与疑难病转诊" in texts(short)
    assert "疾病诊治" not in texts(short)


def test_county_hospital_with_no_city_asks_which_city(kb):
    assert ask(kb, "县医院负责什么？")["status"] == "ambiguous"


def test_county_hospitals_of_a_city_are_listed_without_the_city_hospitals(kb):
    names = texts(ask(kb, "梧州有哪些县医院？"))
    assert {"藤县人民医院", "苍梧县人民医院", "岑溪市人民医院"} <= set(names)
    assert "梧州市红十字会医院" not in names


# ---- a city named by its short name that has no plan in the graph -------------------------------
# 桂林的每千人口床位数 was answered with 梧州's, 钦州's and 赣州's figures: a place written without 市
# was not seen as a place. A county's short name that is also a word (安宁疗护) names no place.

@pytest.mark.parametrize("question, place", [
    ("桂林的每千人口床位数是多少？", "桂林"),
    ("柳州有哪些中医医院？", "柳州"),
    ("南宁有几家医院？", "南宁"),
])
def test_a_city_short_name_without_a_plan_is_said_so(kb, question, place):
    result = ask(kb, question)
    assert result["status"] == "unanswerable"
    assert result["answers"] == []
    assert f"没有{place}的规划" in result["message"]


def test_a_plan_city_by_its_short_name_is_still_answered(kb):
    result = ask(kb, "梧州有哪些中医医院？")
    assert result["status"] == "answered"
    assert "梧州市中医医院" in texts(result)


def test_a_word_that_is_a_county_short_name_is_no_place(kb):
    assert "的规划" not in ask(kb, "安宁疗护中心有哪些？")["message"]


# ---- beds asked as people say it: 有多少张床 -------------------------------------------------------
# 张床 stands for the bed indicators as 床位 does; a qualifier before it (编制多少张床) still picks the
# one indicator, and 张床位 is read as the head written (床位).

def test_beds_asked_with_zhang_chuang_are_the_bed_figures(kb):
    spoken = ask(kb, "梧州市红十字会医院有多少张床？")
    written = ask(kb, "梧州市红十字会医院有多少床位？")
    assert spoken["status"] == "answered"
    assert texts(spoken) == texts(written)
    assert {a["value"] for a in spoken["answers"]} >= {1200, 1990, 1233}


def test_a_qualified_bed_question_keeps_its_one_indicator(kb):
    result = ask(kb, "梧州市第三人民医院现在编制多少张床？")
    assert [a["value"] for a in result["answers"]] == [160]
    assert "实际开放" not in result["message"]


# ---- how many indicators of a nature: 约束性指标有几个 -------------------------------------------
# 梧州's and 赣州's tables each mark one indicator 约束性 (每万常住人口全科医生数); 有几个/多少项 asks their
# number (no template before), 目标是多少 still asks the figure.

@pytest.mark.parametrize("question", ["赣州的约束性指标有几个？", "梧州的约束性指标有多少项？"])
def test_how_many_indicators_of_a_nature(kb, question):
    result = ask(kb, question)
    assert result["template"] == "nature"
    assert result["answers"][0]["value"] == 1
    assert texts(result)[1:] == ["每万人口全科医生数"]


def test_the_figure_of_an_indicator_of_a_nature_is_still_a_figure(kb):
    result = ask(kb, "赣州规划里唯一的约束性指标到2025年目标是多少？")
    assert result["template"] == "nature_value"
    assert result["answers"][0]["value"] == 3
