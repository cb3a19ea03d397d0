"""Standards, thresholds and establishment counts in running text (kg/pipeline/figure_text.py).

Phenomena, each checked on real sentences of two plans and on a short plan of a city not in corpus/
written here in another wording:
- a standard's condition (for which places it holds) is a field of its own, the measure stays the
  plan's phrase (每个乡镇设置1所乡镇卫生院: 乡镇卫生院, condition 每个乡镇);
- a standard stated as a rate per population (按照每万人口不少于0.77辆的标准配备救护车: 每万人口救护车);
- thresholds by population band after a figure or a noun of the same unit (其中30万人口以下的县不低于
  20张: 传染病救治床位, condition 30万人口以下的县);
- the plan sets up a named institution of its city (设置钦州市疾病预防控制中心1家): one of that kind at
  the city's level; a level opening a counted kind (县区疾病预防控制中心4家) is the condition.
"""

from __future__ import annotations

import pytest

from kg.facts import figure_facts
from kg.store import open_store


@pytest.fixture(scope="module")
def corpus_facts(store):
    """The figures of the corpus graph, built once per session (tests/conftest.py)."""
    return list(figure_facts(store))


def rows(facts: list[dict], doc: str, measure: str) -> set[tuple]:
    return {(f["subject"], f["condition"], f["value"], f["role"]) for f in facts
            if f["measure"] == measure and f["sources"][0]["doc"].startswith(doc)}


def test_thresholds_by_population_band_in_two_plans(corpus_facts):
    # 001: 全市配备 220 张及以上传染病救治床位，其中 30 万人口以下的县不低于 20 张，30—50 万人口的县…
    assert rows(corpus_facts, "001", "传染病救治床位") >= {
        ("梧州市", "30万人口以下的县", 20.0, "standard"), ("梧州市", "30—50万人口的县", 50.0, "standard"),
        ("梧州市", "50—100万人口的县", 80.0, "standard")}
    # 003: 具备快速转换救治床位的能力，原则上30万人口以下的县（市、区）不低于20张，…: the noun named before
    assert rows(corpus_facts, "003", "快速转换救治床位") == {
        ("赣州市", "30万人口以下的县（市、区）", 20.0, "standard"),
        ("赣州市", "30-50万人口的县（市、区）", 50.0, "standard"),
        ("赣州市", "50-100万人口的县（市、区）", 80.0, "standard"),
        ("赣州市", "100万以上人口的县（市、区）", 100.0, "standard")}


def test_standards_per_population_in_two_plans(corpus_facts):
    # 001: 疾病预防控制机构人员原则上按每万常住人口 1.75 名的比例配备 (the noun before 按)
    assert rows(corpus_facts, "001", "每万常住人口疾病预防控制机构人员") == {("梧州市", None, 1.75, "standard")}
    # 001: 按照每万人口不少于 0.77 辆的标准配备救护车 (the noun after the verb)
    ambulances = [f for f in corpus_facts if f["measure"] == "每万人口救护车"]
    assert [(f["value"], f["text"], f["role"]) for f in ambulances] == [(0.77, "0.77辆", "standard")]
    # 003: 中医类医院床位数可以按照每千常住人口0.75张配置
    assert rows(corpus_facts, "003", "每千常住人口中医类医院床位数") >= {("赣州市", None, 0.75, "standard")}


def test_establishment_counts_and_levels(corpus_facts):
    # 000: 设置钦州市卫生计生监督所1个、自贸区钦州港片区卫生计生监督所1个、县区卫生计生监督所4个
    assert rows(corpus_facts, "000", "卫生计生监督所") == {
        ("钦州市", "市级", 1.0, "planned"), ("钦州市", "自贸区钦州港片区", 1.0, "planned"),
        ("钦州市", "县区", 4.0, "planned")}
    # 000: 设置钦州市卫生学校1家，钦州市卫生信息与医学考试中心1家 (the second without its own verb)
    assert rows(corpus_facts, "000", "卫生信息与医学考试中心") == {("钦州市", "市级", 1.0, "planned")}
    # 003: 每个县设置1所县办中医类医院 (a standard of another wording, condition read as written)
    assert ("赣州市", "每个县", 1.0, "standard") in rows(corpus_facts, "003", "县办中医类医院")
    # the named institution's own name never becomes a measure
    assert not [f for f in corpus_facts if f["measure"].startswith(("钦州市", "赣州市", "梧州市"))]


def test_a_value_per_level_and_shares_in_two_plans(corpus_facts):
    # 001: 市级和县级健康教育专业机构人员分别按照 5 人/100 万人口、1.75 人/10 万人口的比率配置
    staff = [(f["condition"], f["value"], f["unit"]) for f in corpus_facts
             if f["measure"] == "健康教育专业机构人员" and f["sources"][0]["doc"].startswith("001")]
    assert sorted(staff) == [("县级", 1.75, "人/10万人口"), ("市级", 5.0, "人/100万人口")]
    # 003: 市、县健康教育专业机构人员分别按照1人/100万人口、1人/10万人口的比率配置
    assert rows(corpus_facts, "003", "健康教育专业机构人员") == {
        ("赣州市", "市", 1.0, "standard"), ("赣州市", "县", 1.0, "standard")}
    # 001 and 003: 专业技术岗位原则不低于岗位总量的 80% / 70%: a share bounded against a whole
    assert rows(corpus_facts, "001", "专业技术岗位占岗位总量比例") == {("梧州市", None, 80.0, "standard")}
    assert rows(corpus_facts, "003", "专业技术岗位占岗位总量比例") == {("赣州市", None, 70.0, "standard")}
    # 002: 公共卫生人员占比不得低于专业技术人员数的25%
    assert rows(corpus_facts, "002", "公共卫生人员占专业技术人员比例") == {("钦州市", None, 25.0, "standard")}
    # 003: 本科学历人员，市级占50%以上，县级占35%以上: the topic's share, by level
    assert rows(corpus_facts, "003", "本科学历人员占比") == {
        ("赣州市", "市级", 50.0, "standard"), ("赣州市", "县级", 35.0, "standard")}
    # 003: 按医院床位的2%-3%设置急诊科观察床; 001: 按照公立医院床位 15% 的比例设置公立专科医院
    assert rows(corpus_facts, "003", "急诊科观察床占医院床位比例") == {
        ("赣州市", None, 2.0, "standard"), ("赣州市", None, 3.0, "standard")}
    assert rows(corpus_facts, "001", "公立专科医院占公立医院床位比例") == {("梧州市", None, 15.0, "standard")}


def test_counted_nouns_with_relative_clauses_and_chinese_numeral_lists(corpus_facts):
    # 003: 建设1所具备设置儿童传染病独立病区的传染病医院 (a verb inside the relative clause)
    assert rows(corpus_facts, "003", "具备设置儿童传染病独立病区的传染病医院") == {("赣州市", None, 1.0, "planned")}
    # 003: 政府在每个乡镇办好1所标准化建设的乡镇卫生院
    assert rows(corpus_facts, "003", "标准化建设的乡镇卫生院") == {("赣州市", "每个乡镇", 1.0, "standard")}
    # 003: 在各县（市、区）设立一个中心血库、一个固定采血点（或献血屋）
    assert rows(corpus_facts, "003", "中心血库") == {("赣州市", "各县（市、区）", 1.0, "standard")}
    assert rows(corpus_facts, "003", "固定采血点") == {("赣州市", "各县（市、区）", 1.0, "standard")}
    # 001: …依托区域内综合医院规划设置 1 个中心血库
    assert rows(corpus_facts, "001", "中心血库") == {("梧州市", None, 1.0, "planned")}


YULIN = """玉林市“十四五”医疗卫生服务体系规划

一、机构设置

疾病预防控制机构。设置玉林市疾病预防控制中心1家，县（市、区）疾病预防控制中心7家。

急救机构。按照每万常住人口不少于1辆的标准配备救护车。精神科床位可以按照每千常住人口0.6张配置。

传染病救治。全市配备300张传染病救治床位，其中20万人口以下的县不低于15张，20—60万人口的县不低于40张。

人员配置。市级和县级妇幼保健机构人员分别按照3人/10万人口、2人/10万人口的比率配置，卫生技术人员原则上不低于人员总数的85%。
中级以上职称人员，市级占40%以上，县级占25%以上。在每个乡镇设立一个标准化的卫生院、一个中医馆。

精神卫生。容县、陆川县各设置1所县级精神卫生中心。目前，玉林市第一人民医院编制床位1500张，实际开放床位1620张。
"""


def test_an_imaginary_city_plan(tmp_path, build_plan):
    data = build_plan(YULIN, file="yulin.txt", city="玉林市", title="玉林市“十四五”医疗卫生服务体系规划")
    got = {(f["subject"], f["measure"], f["condition"], f["value"], f["role"]) for f in figure_facts(open_store(data))}
    assert got == {
        ("玉林市", "疾病预防控制中心", "市级", 1.0, "planned"),
        ("玉林市", "疾病预防控制中心", "县（市、区）", 7.0, "planned"),
        ("玉林市", "每万常住人口救护车", None, 1.0, "standard"),
        ("玉林市", "每千常住人口精神科床位", None, 0.6, "standard"),
        ("玉林市", "传染病救治床位", None, 300.0, "planned"),  # 配备: what the plan provides
        ("玉林市", "传染病救治床位", "20万人口以下的县", 15.0, "standard"),
        ("玉林市", "传染病救治床位", "20—60万人口的县", 40.0, "standard"),
        ("玉林市", "妇幼保健机构人员", "市级", 3.0, "standard"),
        ("玉林市", "妇幼保健机构人员", "县级", 2.0, "standard"),
        ("玉林市", "卫生技术人员占人员总数比例", None, 85.0, "standard"),
        ("玉林市", "中级以上职称人员占比", "市级", 40.0, "standard"),
        ("玉林市", "中级以上职称人员占比", "县级", 25.0, "standard"),
        ("玉林市", "标准化的卫生院", "每个乡镇", 1.0, "standard"),
        ("玉林市", "中医馆", "每个乡镇", 1.0, "standard"),
        # 容县、陆川县各设置1所…: one for each county listed before 各
        ("容县", "县级精神卫生中心", None, 1.0, "planned"),
        ("陆川县", "县级精神卫生中心", None, 1.0, "planned"),
        # the institution's beds: what follows its name, the city's name inside it no part of the measure
        ("玉林市第一人民医院", "编制床位", None, 1500.0, "current"),
        ("玉林市第一人民医院", "实际开放床位", None, 1620.0, "current"),
    }


def test_two_values_for_groups_sharing_one_measure():
    # 002's indicator table: 职工和城乡居民医保政策范围内报销比例 | 85 / 70: one measure per group
    from kg.pipeline.figures import _parallel_measures, load_config

    class Col:
        cfg = load_config()

    assert _parallel_measures("职工和城乡居民医保政策范围内报销比例", 2, Col()) == [
        "职工医保政策范围内报销比例", "城乡居民医保政策范围内报销比例"]
    assert _parallel_measures("城镇和农村居民人均可支配收入", 2, Col()) == [  # rewording
        "城镇人均可支配收入", "农村居民人均可支配收入"]
    assert _parallel_measures("孕产妇系统管理率和3岁以下儿童系统管理率", 2, Col()) == [  # 002
        "孕产妇系统管理率", "3岁以下儿童系统管理率"]
    assert _parallel_measures("职工和城乡居民", 2, Col()) is None  # no measure to share


def test_counts_joined_by_and_are_counted_apart(corpus_facts):
    # 002: 每个县区级中医医院建成2个中医特色优势专科和1个县域中医药适宜技术推广中心
    assert rows(corpus_facts, "002", "中医特色优势专科") == {("钦州市", "每个县区级中医医院", 2.0, "standard")}
    assert rows(corpus_facts, "002", "县域中医药适宜技术推广中心") == {
        ("钦州市", "每个县区级中医医院", 1.0, "standard")}
    # 001: 各县（市）设置1所二级公立精神专科医院和1所县级公立医院精神心理门诊
    assert rows(corpus_facts, "001", "二级公立精神专科医院") == {("梧州市", "各县（市）", 1.0, "standard")}
