"""Figures in running text (kg/quantities.py, kg/pipeline/figure_text.py), one phenomenon per test,
each on a sentence of a plan in corpus/ and on a realistic rewording (another city, other words)."""

from __future__ import annotations

import doctest

import pytest

import kg.measures
import kg.pipeline.figures
import kg.quantities
import kg.tables
from kg.pipeline.figure_text import Vocabulary, read_figures, settle, vocabulary
from kg.quantities import find_quantities, find_times
from kg.textnorm import normalize_text


@pytest.fixture(scope="module")
def voc() -> Vocabulary:
    return vocabulary()


def read(text: str, voc: Vocabulary, city: tuple[str, ...] = ("梧州市", "梧州")) -> list[tuple]:
    norm = normalize_text(text)
    return [(f.measure, f.quantity.value, f.quantity.unit, f.role_cue) for f in read_figures(norm, voc, city)]


@pytest.mark.parametrize("module", [kg.quantities, kg.tables, kg.measures, kg.pipeline.figures])
def test_doctests(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_numbers_units_and_comparators():
    got = [(q.value, q.unit, q.comparator) for q in find_quantities(normalize_text(
        "达到 3826 个、1.2万人次、8.51/10万、2.3‰、1：1.4、90%以上、4.5 张左右、不低于 4.0 人"))]
    assert got == [("3826", "个", None), ("1.2", "万人次", None), ("8.51", "1/10万", None), ("2.3", "‰", None),
                   ("1.4", "1:x", None), ("90", "%", "≥"), ("4.5", "张", "左右"), ("4.0", "人", None)]
    # years, dates, names and ranges are no values
    assert [q.value for q in find_quantities(normalize_text("2023年1月6日，P3实验室，5G，“十四五”"))] == []
    assert find_quantities("建成5—7个中心")[0].value is None


def test_numbers_in_names_are_no_figures(voc):
    assert read("健全市、县区120急救体系，开通“12320”卫生热线。", voc) == []  # 002
    assert read("建成P3实验室，推广5G远程诊疗。", voc) == []  # rewording


def test_chinese_numerals_count_only_with_a_counting_unit(voc):
    assert ("产前诊断机构", "1", "家", "added") in read("增设一家产前诊断机构，加强产前筛查。", voc)  # 001
    assert ("区域医疗中心", "2", "家", "planned") in read("全市建成两家区域医疗中心。", voc)  # rewording
    assert read("坚持“一老一小”重点，推进“两专科一中心”建设，建立三级医院。", voc) == []


def test_a_count_and_its_breakdown(voc):
    got = read("2020年，全市共有医疗卫生机构1671个，其中医院50个，基层医疗卫生机构1592个。", voc)  # 001
    assert [g[:2] for g in got] == [("医疗卫生机构", "1671"), ("医院", "50"), ("基层医疗卫生机构", "1592")]
    got = read("截至2021年末，全县拥有医疗卫生机构532家，其中医院12家。", voc, ("藤县",))  # rewording
    assert [g[:2] for g in got] == [("医疗卫生机构", "532"), ("医院", "12")]


def test_a_part_takes_the_measure_of_its_whole(voc):
    # 其中 breaks a figure down by kind of institution: the part takes the whole's measure, without 总
    got = read("全市医疗机构病床使用率为78.03%，其中医院为85.63%。", voc)  # 001
    assert [g[:2] for g in got] == [("医疗机构病床使用率", "78.03"), ("医院病床使用率", "85.63")]
    got = read("全市医疗卫生机构总诊疗人次3120万人次，其中：医院1210万人次、占38.8%。", voc)  # rewording
    assert [g[:2] for g in got] == [("医疗卫生机构总诊疗人次", "3120"), ("医院诊疗人次", "1210"),
                                    ("医院诊疗人次占比", "38.8")]


def test_a_count_before_what_it_counts(voc):
    assert read("全市配备 220 张及以上传染病救治床位。", voc)[0][:3] == ("传染病救治床位", "220", "张")  # 001
    assert read("新建成3个县域医疗次中心，覆盖全部乡镇。", voc)[0][:3] == ("县域医疗次中心", "3", "个")  # rewording


def test_a_count_of_places_that_won_a_status(voc):
    got = read("我市40个镇获得自治区卫生镇、103个村获得自治区卫生村。", voc, ("钦州市", "钦州"))  # 002
    assert [g[:2] for g in got] == [("自治区卫生镇", "40"), ("自治区卫生村", "103")]
    got = read("全市已有12个乡镇被评为国家卫生乡镇。", voc)  # rewording
    assert [g[:2] for g in got] == [("国家卫生乡镇", "12")]


def test_lists_paired_by_fenbie_share_their_population(voc):
    got = read("每千人口医疗机构床位数、卫生技术人员、执业（助理）医师数和注册护士数分别达到6.06张、6.67人、2.05人"
               "和3.06人。", voc, ("钦州市", "钦州"))  # 002
    assert [g[:2] for g in got] == [("每千人口医疗机构床位数", "6.06"), ("每千人口卫生技术人员", "6.67"),
                                    ("每千人口执业（助理）医师数", "2.05"), ("每千人口注册护士数", "3.06")]
    got = read("床护比、床医比分别达到 1：0.52 和 1：0.40。", voc)  # 001: ratios 1:x are worth x
    assert [g[:3] for g in got] == [("床护比", "0.52", "1:x"), ("床医比", "0.40", "1:x")]
    got = read("全县每万常住人口全科医生数、公共卫生医师数分别为3.1人、1.2人。", voc, ("藤县",))  # rewording
    assert [g[:2] for g in got] == [("每万常住人口全科医生数", "3.1"), ("每万常住人口公共卫生医师数", "1.2")]


def test_a_change_is_a_figure_of_its_own_never_a_level(voc):
    # a growth in per cent is a growth rate (增长率); a count's measure is named as a count (数)
    got = read("全市三级医院7家，增长40%；", voc, ("钦州市", "钦州"))  # 002
    assert got == [("三级医院", "7", "家", ""), ("三级医院数增长率", "40", "%", "change")]
    got = read("每千常住人口床位数6.03张，比2015年增长42.55%。", voc)  # rewording
    assert got == [("每千常住人口床位数", "6.03", "张", ""),
                   ("每千常住人口床位数比2015年增长率", "42.55", "%", "change")]
    got = read("卫生机构床位5.4万张，卫生技术人员5.24万人，分别比2015年增长49.5%、50.72%。", voc)  # 003
    assert [g[0] for g in got if g[3] == "change"] == ["卫生机构床位数比2015年增长率", "卫生技术人员数比2015年增长率"]
    got = read("每千人口卫生技术人员6.67人，比2015年增加1.66人。", voc)  # 002 rewording: a rate is no count
    assert got[1][0] == "每千人口卫生技术人员比2015年增加"
    got = read("全市医疗卫生机构总数达到5267家，较“十二五”末增加318家。", voc)  # rewording
    assert got[1] == ("医疗卫生机构总数较十二五末增加", "318", "家", "change")
    # a change list pairs with the levels before it
    got = read("全市每千常住人口医疗卫生机构床位数、执业（助理）医师数分别为6.02张、2.49人，比2015年分别增长"
               "49.38%、33.87%。", voc)  # 001
    assert [g[0] for g in got if g[3] == "change"] == ["每千常住人口医疗卫生机构床位数比2015年增长率",
                                                      "每千常住人口执业（助理）医师数比2015年增长率"]


def test_added_counts_are_no_changes(voc):
    assert read("新增实有床位6519张。", voc) == [("新增实有床位", "6519", "张", "added")]  # 002
    assert ("三级妇幼保健院", "2", "所", "added") in read("力争增加2所三级妇幼保健院。", voc)  # rewording


def test_a_standard_for_each_place_of_a_kind_says_for_which(voc):
    # the measure stays the plan's phrase; for which places the standard holds is its condition
    from kg.pipeline.figure_text import standard

    def standards(sentence: str) -> list[tuple]:
        norm = normalize_text(sentence)
        found = [standard(norm, f, voc) for f in read_figures(norm, voc)]
        return [(f.measure, f.condition, f.quantity.value, f.role_cue) if f else None for f in found]

    assert standards("机构设置：每个乡镇设置 1 所乡镇卫生院。") == [("乡镇卫生院", "每个乡镇", "1", "standard")]  # 001
    assert standards("机构设置：县（市、区）政府原则上举办 1 家县办综合医院、1 家县办中医医院。") == [  # 001
        ("县办综合医院", "县（市、区）", "1", "standard"), ("县办中医医院", "县（市、区）", "1", "standard")]
    assert standards("各县区至少要建成1所公办综合性托育中心（园）。") == [  # 002
        ("公办综合性托育中心", "各县区", "1", "standard")]
    assert standards("每个县（市、区）至少设立1个职业健康检查机构。") == [  # rewording
        ("职业健康检查机构", "每个县（市、区）", "1", "standard")]
    # a threshold for places of a size is no standard of that shape: nothing is read
    assert standards("其中 30 万人口以下的县不低于 20 张。") == [None]  # 001


def test_standards_for_a_class_of_places_are_no_figures_of_the_city(voc):
    from kg.pipeline.figure_text import _is_norm

    for sentence in ("每个乡镇设置 1 所乡镇卫生院，每个街道设置 1 所社区卫生服务中心。",  # 001
                     "疾病预防控制机构人员原则上按每万常住人口 1.75 名的比例配备。",  # 001
                     "其中 30 万人口以下的县不低于 20 张。",  # 001
                     "各县（市、区）至少建成1所公办托育中心。",  # rewording
                     "按照每千服务人口不少于1名的标准配备乡村医生。"):  # rewording
        norm = normalize_text(sentence)
        assert all(_is_norm(norm, f, vocabulary()) for f in read_figures(norm, vocabulary())), sentence


def test_a_range_gives_its_two_bounds(voc):
    def bounds(sentence: str) -> list[tuple]:
        norm = normalize_text(sentence)
        return [(f.measure, f.quantity.value, f.comparator) for f in read_figures(norm, voc)]

    assert bounds("建成 1—2 所公办综合性托育中心（园）。") == [  # 001
        ("公办综合性托育中心", "1", "≥"), ("公办综合性托育中心", "2", "≤")]
    assert bounds("将有条件的 5—7 个乡镇卫生院升级为二级医院。") == [  # 001
        ("升级为二级医院的乡镇卫生院", "5", "≥"), ("升级为二级医院的乡镇卫生院", "7", "≤")]
    assert bounds("力争3至5家县级医院转型为三级医院。") == [  # rewording
        ("转型为三级医院的县级医院", "3", "≥"), ("转型为三级医院的县级医院", "5", "≤")]


def test_other_places_give_nothing(voc):
    from kg.pipeline.figure_text import _subject_at

    class Col:  # another place is told before the plan's city is looked at
        ctx = None

    norm = normalize_text("全国人均预期寿命为77.93岁。")
    fig = read_figures(norm, voc)[0]
    assert _subject_at(norm, fig.start, Col, voc, fig.measure) is False


def test_rates_per_population(voc):
    got = read("到2025年，精神科医师数提升至4名/10万人，精神科注册护士数不低于8.68名/10万人。", voc)  # 002
    assert [g[:3] for g in got] == [("精神科医师数", "4", "名/10万人"), ("精神科注册护士数", "8.68", "名/10万人")]
    got = read("孕产妇死亡率控制在9.6/10万以内，婴儿死亡率降至3.9‰。", voc)  # rewording
    assert [g[:3] for g in got] == [("孕产妇死亡率", "9.6", "1/10万"), ("婴儿死亡率", "3.9", "‰")]


def test_the_year_of_a_figure(voc):
    periods = voc.periods

    def year_role(sentence: str, retrospective: bool = False) -> list[tuple]:
        norm = normalize_text(sentence)
        times = find_times(norm, periods)
        return [settle(f, norm, times, None, retrospective, voc, (2020, 2025))
                for f in read_figures(norm, voc)]

    assert year_role("截至2020年底，全市肺结核报告率达到97.25%。") == [(2020, "current")]  # 002
    assert year_role("到2025年，居民健康素养水平达到25%。") == [(2025, "target")]  # 002
    assert year_role("2018-2020年，全市城乡居民大病保险受益人数累计达82211人。") == [(2020, "current")]  # 002
    assert year_role("“十三五”末，全市医疗卫生机构总数达到5267家。") == [(2020, "current")]  # rewording
    # 比2015年 is the year a change is measured from, not the figure's
    assert year_role("每万人口全科医生数达2.90人，比2015年增长222.23%。", retrospective=True) == [
        (2020, "current"), (2020, "change")]  # 001
    # a figure with no time of its own in a plan's chapter is a target; in a review, the base year's
    assert year_role("县域内就诊率提高到90%左右。") == [(2025, "target")]  # 002
    assert year_role("全市三级医院7家。", retrospective=True) == [(2020, "current")]  # 002


def test_link_words_never_cut_a_word(voc):
    # 约 is a link word (约500张) but ends 签约; 有 ends 所有
    got = read("65岁及以上常住居民家庭医生签约22.27万人，签约率67.85%。", voc, ("钦州市", "钦州"))  # 002
    assert [g[:2] for g in got] == [("65岁及以上常住居民家庭医生签约", "22.27"), ("签约率", "67.85")]
    assert read("全市床位约5000张。", voc) == [("床位", "5000", "张", "")]  # rewording


def test_a_level_reached_from_another(voc):
    """X由A增加到B / X从A提高到B: B is the level X reached, A where it started (role cue start); a year
    before each (由2015年的…增加到2020年的…) is that value's, and 到 there sets no deadline."""
    got = read("全市卫生总费用由88.79万元增长至90.38万元。", voc)  # 002
    assert ("卫生总费用", "90.38", "万元", "") in got and ("卫生总费用", "88.79", "万元", "start") in got
    text = normalize_text("全市医疗卫生机构床位总数由2015年的2.8万张增加到2020年的3.86万张。")  # rewording
    got = [(f.measure, f.quantity.value, f.role_cue) for f in read_figures(text, voc, ("常德市", "常德"))]
    assert got == [("医疗卫生机构床位总数", "3.86", ""), ("医疗卫生机构床位总数", "2.8", "start")]
    assert [(t.year, t.kind) for t in find_times(text, voc.periods)] == [(2015, "point"), (2020, "point")]
    got = read("每千常住人口医疗卫生机构床位数从6.2张提高到7.03张。", voc)  # rewording, 从
    beds = "每千常住人口医疗卫生机构床位数"
    assert [g[:2] for g in got] == [(beds, "7.03"), (beds, "6.2")]


def test_a_rate_per_population_after_its_count(voc):
    """执业（助理）医师2.1万人，每千常住人口3.12人: the rate names only its population; it is the rate of the
    count just read. A rate with its own measure keeps it."""
    got = read("全市共有执业（助理）医师2.1万人，每千常住人口3.12人；注册护士2.6万人，每千常住人口3.86人。", voc)
    assert [g[:2] for g in got] == [("执业（助理）医师", "2.1"), ("每千常住人口执业（助理）医师数", "3.12"),
                                    ("注册护士", "2.6"), ("每千常住人口注册护士数", "3.86")]
    got = read("全县卫生技术人员3400人，每千人口卫生技术人员数6.1人。", voc, ("融安县",))  # rewording
    assert [g[:2] for g in got] == [("卫生技术人员", "3400"), ("每千人口卫生技术人员数", "6.1")]
    got = read("全县卫生技术人员3400人，每千人口6.1人。", voc, ("融安县",))
    assert [g[:2] for g in got] == [("卫生技术人员", "3400"), ("每千人口卫生技术人员数", "6.1")]
