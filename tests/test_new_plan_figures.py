"""Figures of a plan the rules were not written against: a short plan of another city and province,
in another layout (every table one cell per line, each cell on its own tab-prefixed line, `/` for an
empty cell, units in the indicator's parentheses; a bed table per hospital, a per-county table and a
project table (专栏) in that layout), and figures in running text worded unlike the repository's plans.

EXPECTED is a careful reader's list of the plan's figures (levels), written with the plan before the
extraction was run on it (the first run found 32 of 45; the two table defects it showed were fixed for
every layout); the test asserts every one is found, with its value and year, and that no figure of a
listed measure has another value.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.facts import figure_facts
from kg.store import open_store

PLAN = """宜春市“十四五”医疗卫生服务体系规划

一、发展现状

截至2020年底，全市共有医疗卫生机构4512个，其中医院98个、基层医疗卫生机构4356个、专业公共卫生机构45个。全市医疗卫生机构实有床位3.21万张，卫生技术人员3.05万人。每千常住人口执业（助理）医师数2.35人，每千常住人口注册护士数2.81人。全市医院病床使用率为81.2%，平均住院日为8.1天。“十三五”期间，新增二级以上医院12家，全市拥有三级医院6所。2018—2020年累计培训乡村医生3200人次。每千常住人口床位数比2015年增长31.5%。

二、主要指标

宜春市“十四五”医疗卫生服务体系主要指标
\t领域
\t序号
\t指标名称
\t2020年
现状值
\t2025年
目标值
\t指标属性

\t医疗资源
\t1
\t每千常住人口医疗卫生机构床位数（张）
\t6.21
\t7.2
\t预期性

\t
\t2
\t每千常住人口执业（助理）医师数（人）
\t2.35
\t≥3.0
\t预期性

\t
\t3
\t每万常住人口全科医生数（人）
\t/
\t4
\t约束性

\t公共卫生
\t4
\t每万常住人口救护车数量（辆）
\t0.3
\t≥0.5
\t预期性

\t
\t5
\t孕产妇死亡率（1/10万）
\t9.8
\t≤12
\t预期性

注：“/”表示无统计数据。

三、资源配置

到2025年，全市每千常住人口医疗卫生机构床位数控制在7.2张左右，其中公立医院床位不超过5.4张。全市每万常住人口全科医生数力争达到4人。配备不少于300张传染病救治床位。建设生物安全三级实验室1个。每10万人口精神科执业（助理）医师数不低于4.5名。全市建成两家区域医疗中心。

市办医院床位配置表
单位：张
\t医院名称
\t现有编制床位
\t实际开放床位
\t2025年规划床位

\t宜春市人民医院
\t1500
\t1620
\t2000

\t宜春市中医院
\t800
\t860
\t1000

\t宜春市妇幼保健院
\t/
\t300
\t450

各县（市、区）2025年床位配置规划
\t县（市、区）
\t每千常住人口床位数（张）
\t每千常住人口执业（助理）医师数（人）

\t袁州区
\t8.1
\t3.2

\t丰城市
\t6.5
\t2.6

\t樟树市
\t6.8
\t2.7

\t全市
\t7.2
\t3.0

专栏1  重点建设项目
\t序号
\t项目名称
\t建设单位
\t建设内容
\t总投资（万元）

\t1
\t宜春市人民医院新院区建设项目
\t宜春市人民医院
\t新增床位500张，建筑面积12万平方米
\t98000

\t2
\t宜春市中医院住院楼项目
\t宜春市中医院
\t新增床位200张
\t36000

四、保障措施

加强组织领导，强化规划实施的监督评估。
"""

# (subject, measure as a careful reader words it, year, value): the plan's figures
EXPECTED = [
    ("宜春市", "医疗卫生机构", 2020, "4512"),
    ("宜春市", "医院", 2020, "98"),
    ("宜春市", "基层医疗卫生机构", 2020, "4356"),
    ("宜春市", "专业公共卫生机构", 2020, "45"),
    ("宜春市", "实有床位", 2020, "3.21"),
    ("宜春市", "卫生技术人员", 2020, "3.05"),
    ("宜春市", "每千常住人口执业（助理）医师数", 2020, "2.35"),
    ("宜春市", "每千常住人口注册护士数", 2020, "2.81"),
    ("宜春市", "医院病床使用率", 2020, "81.2"),
    ("宜春市", "平均住院日", 2020, "8.1"),
    ("宜春市", "二级以上医院", 2020, "12"),
    ("宜春市", "三级医院", 2020, "6"),
    ("宜春市", "培训乡村医生", 2020, "3200"),
    ("宜春市", "每千常住人口医疗卫生机构床位数", 2020, "6.21"),
    ("宜春市", "每千常住人口医疗卫生机构床位数", 2025, "7.2"),
    ("宜春市", "每千常住人口执业（助理）医师数", 2025, "3.0"),
    ("宜春市", "每万常住人口全科医生数", 2025, "4"),
    ("宜春市", "每万常住人口救护车数量", 2020, "0.3"),
    ("宜春市", "每万常住人口救护车数量", 2025, "0.5"),
    ("宜春市", "孕产妇死亡率", 2020, "9.8"),
    ("宜春市", "孕产妇死亡率", 2025, "12"),
    ("宜春市", "公立医院床位", 2025, "5.4"),
    ("宜春市", "传染病救治床位", 2025, "300"),
    ("宜春市", "生物安全三级实验室", 2025, "1"),
    ("宜春市", "每10万人口精神科执业（助理）医师数", 2025, "4.5"),
    ("宜春市", "区域医疗中心", 2025, "2"),
    ("宜春市人民医院", "编制床位", None, "1500"),
    ("宜春市人民医院", "实际开放床位", None, "1620"),
    ("宜春市人民医院", "规划床位", 2025, "2000"),
    ("宜春市中医院", "编制床位", None, "800"),
    ("宜春市中医院", "实际开放床位", None, "860"),
    ("宜春市中医院", "规划床位", 2025, "1000"),
    ("宜春市妇幼保健院", "实际开放床位", None, "300"),
    ("宜春市妇幼保健院", "规划床位", 2025, "450"),
    ("袁州区", "每千常住人口床位数", 2025, "8.1"),
    ("袁州区", "每千常住人口执业（助理）医师数", 2025, "3.2"),
    ("丰城市", "每千常住人口床位数", 2025, "6.5"),
    ("丰城市", "每千常住人口执业（助理）医师数", 2025, "2.6"),
    ("樟树市", "每千常住人口床位数", 2025, "6.8"),
    ("樟树市", "每千常住人口执业（助理）医师数", 2025, "2.7"),
    ("宜春市", "每千常住人口床位数", 2025, "7.2"),
    ("宜春市人民医院", "新增床位", 2025, "500"),
    ("宜春市人民医院", "总投资", 2025, "98000"),
    ("宜春市中医院", "新增床位", 2025, "200"),
    ("宜春市中医院", "总投资", 2025, "36000"),
]


@pytest.fixture(scope="module")
def facts(tmp_path_factory, one_plan_graph):
    data = one_plan_graph(tmp_path_factory.mktemp("yichun"), PLAN, file="yichun.txt",
                          city="宜春市", province="江西省", title="宜春市“十四五”医疗卫生服务体系规划")
    return list(figure_facts(open_store(data)))


def test_every_figure_of_the_new_plan_is_read(facts, figure_score):
    missed, _ = figure_score(facts, EXPECTED)
    assert missed == []


def test_nothing_else_is_read(facts, figure_score):
    # a figure whose subject and measure a careful reader listed must have one of the listed values
    # and years; the empty cells (/) give nothing; the change (增长31.5%) is a change, not a level
    _, wrong = figure_score(facts, EXPECTED)
    assert wrong == []
    changes = [(f["measure"], f["role"], f["year"]) for f in facts
               if f["value"] is not None and Decimal(str(f["value"])) == Decimal("31.5")]
    assert changes == [("每千常住人口床位数比2015年增长率", "change", 2020)]


def test_quotes_are_the_plan_s_text(facts):
    for f in facts:
        for src in f["sources"]:
            assert PLAN[src["start"]:src["end"]] == src["quote"]


def test_canonical_measures_join_wordings_across_tables(facts):
    county = next(f for f in facts if f["subject"] == "袁州区" and f["measure"] == "每千常住人口床位数")
    indicator = next(f for f in facts if f["subject"] == "宜春市" and f["measure"] == "每千常住人口医疗卫生机构床位数"
                     and f["year"] == 2025)
    assert county["canonical_measure"] == indicator["canonical_measure"] == "每千人口医疗卫生机构床位数"
