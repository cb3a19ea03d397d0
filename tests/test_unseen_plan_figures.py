"""A second plan the rules were never written against, kept as a check (see docs/recall.md, "Figures").

Written, with its list of figures, after the rules had been developed on plans 001 and 002 and on
宜春 (tests/test_new_plan_figures.py), and run once before any change: that first run's recall and
precision are the generalisation figures reported. Later changes must keep every figure found here;
the list is a careful reader's, not the reader's output. Its first run found 28 of 42 figures and gave
8 a wrong year (a period compared with, 较“十二五”末, taken as the sentence's time); the classes it
showed were fixed for every plan (docs/figures.md).

Another city and province again, other layouts again: the indicator table as markdown pipes with a
two-row header (年份 over 2020 and 2025), the bed table one cell per line without indentation, the
per-county table tab-separated, and running text worded unlike the repository's plans.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.facts import figure_facts
from kg.store import open_store

PLAN = """九江市医疗卫生服务体系规划（2021—2025年）

第一章 规划背景

一、发展现状

“十三五”末，全市医疗卫生机构总数达到5267家，较“十二五”末增加318家；其中三级医院9家，二级医院41家，乡镇卫生院168所，村卫生室2893个。全市共有卫生人员5.6万人，其中执业（助理）医师1.6万人、注册护士2.1万人。截至2021年底，全市每千人口医疗卫生机构床位数为6.45张，每千人口执业（助理）医师数为2.41人，医护比为1:1.25。九江市第一人民医院编制床位1800张。孕产妇死亡率控制在9.6/10万以内，婴儿死亡率降至3.9‰。全市建成两个国家级临床重点专科。每个乡镇设置一所政府办卫生院。

二、主要问题

优质医疗资源总量不足，基层服务能力仍然薄弱，城乡区域发展不平衡。

第二章 发展目标

九江市“十四五”医疗卫生服务体系主要指标

| 序号 | 指标 | 年份 | | 属性 |
| | | 2020年 | 2025年 | |
|---|---|---|---|---|
| 1 | 每千人口医疗卫生机构床位数（张） | 6.3 | 7.5 | 预期性 |
| 2 | 每千人口注册护士数（人） | 2.78 | 3.8 | 预期性 |
| 3 | 每万人口全科医生数（人） | 2.5 | ≥3.93 | 约束性 |
| 4 | 个人卫生支出占卫生总费用的比例（%） | 28.1 | ≤27 | 约束性 |

到2025年，全市每千人口医疗卫生机构床位数力争达到7.5张，其中中医类医院床位数不低于0.85张。县域内就诊率稳定在90%以上。新建改扩建传染病医院3所。全市120急救站点增加到60个。瑞昌市每千常住人口床位数达到6.8张。

第三章 资源配置

市级医院床位规划表（单位：张）
医院名称
现有床位
2025年规划床位
九江市第一人民医院
1800
2200
九江市中医医院
900
1200
九江市妇幼保健院
500
700

各县（市、区）2025年卫生资源配置
县（市、区）\t每千人口床位数（张）\t每千人口执业（助理）医师数（人）
瑞昌市\t6.8\t2.6
共青城市\t5.9\t2.3
庐山市\t6.1\t2.5
合计\t7.5\t3.1

第四章 保障措施

健全投入机制，按照每千服务人口不少于1名的标准配备乡村医生。
"""

# (subject, measure as a careful reader words it, year, value); year None: the plan gives none
EXPECTED = [
    ("九江市", "医疗卫生机构", 2020, "5267"),
    ("九江市", "三级医院", 2020, "9"),
    ("九江市", "二级医院", 2020, "41"),
    ("九江市", "乡镇卫生院", 2020, "168"),
    ("九江市", "村卫生室", 2020, "2893"),
    ("九江市", "卫生人员", 2020, "5.6"),
    ("九江市", "执业（助理）医师", 2020, "1.6"),
    ("九江市", "注册护士", 2020, "2.1"),
    ("九江市", "每千人口医疗卫生机构床位数", 2021, "6.45"),
    ("九江市", "每千人口执业（助理）医师数", 2021, "2.41"),
    ("九江市", "医护比", 2021, "1.25"),
    ("九江市第一人民医院", "编制床位", None, "1800"),
    ("九江市", "孕产妇死亡率", 2021, "9.6"),
    ("九江市", "婴儿死亡率", 2021, "3.9"),
    ("九江市", "国家级临床重点专科", None, "2"),
    ("九江市", "每千人口医疗卫生机构床位数", 2020, "6.3"),
    ("九江市", "每千人口医疗卫生机构床位数", 2025, "7.5"),
    ("九江市", "每千人口注册护士数", 2020, "2.78"),
    ("九江市", "每千人口注册护士数", 2025, "3.8"),
    ("九江市", "每万人口全科医生数", 2020, "2.5"),
    ("九江市", "每万人口全科医生数", 2025, "3.93"),
    ("九江市", "个人卫生支出占卫生总费用的比例", 2020, "28.1"),
    ("九江市", "个人卫生支出占卫生总费用的比例", 2025, "27"),
    ("九江市", "中医类医院床位数", 2025, "0.85"),
    ("九江市", "县域内就诊率", 2025, "90"),
    ("九江市", "传染病医院", 2025, "3"),
    ("九江市", "120急救站点", 2025, "60"),
    ("瑞昌市", "每千常住人口床位数", 2025, "6.8"),
    ("九江市第一人民医院", "现有床位", None, "1800"),
    ("九江市第一人民医院", "规划床位", 2025, "2200"),
    ("九江市中医医院", "现有床位", None, "900"),
    ("九江市中医医院", "规划床位", 2025, "1200"),
    ("九江市妇幼保健院", "现有床位", None, "500"),
    ("九江市妇幼保健院", "规划床位", 2025, "700"),
    ("瑞昌市", "每千人口床位数", 2025, "6.8"),
    ("瑞昌市", "每千人口执业（助理）医师数", 2025, "2.6"),
    ("共青城市", "每千人口床位数", 2025, "5.9"),
    ("共青城市", "每千人口执业（助理）医师数", 2025, "2.3"),
    ("庐山市", "每千人口床位数", 2025, "6.1"),
    ("庐山市", "每千人口执业（助理）医师数", 2025, "2.5"),
    ("九江市", "每千人口床位数", 2025, "7.5"),
    ("九江市", "每千人口执业（助理）医师数", 2025, "3.1"),
]
# the change 较“十二五”末增加318家 is a change, not a level; 每个乡镇设置一所 and 不少于1名的标准 are
# standards for each township and each 1,000 people, not figures of the city
NOT_LEVELS = {Decimal("318")}


@pytest.fixture(scope="module")
def facts(tmp_path_factory, one_plan_graph):
    data = one_plan_graph(tmp_path_factory.mktemp("jiujiang"), PLAN, file="jiujiang.txt",
                          city="九江市", province="江西省", title="九江市医疗卫生服务体系规划（2021—2025年）")
    return list(figure_facts(open_store(data)))


def test_the_unseen_plan_s_figures_are_read(facts, figure_score):
    missed, _ = figure_score(facts, EXPECTED)
    assert missed == []


def test_nothing_else_is_read_from_it(facts, figure_score):
    _, wrong = figure_score(facts, EXPECTED)
    assert wrong == []
    changes = [f for f in facts if f["value"] is not None and Decimal(str(f["value"])) in NOT_LEVELS]
    assert [(f["measure"], f["role"], f["year"]) for f in changes] == [
        ("医疗卫生机构总数较十二五末增加", "change", 2020)]
    # the standards are read as standards: for each township, and per 1,000 people served
    standards = {(f["measure"], f["condition"], f["value"], f["role"]) for f in facts
                 if "政府办卫生院" in f["measure"] or "乡村医生" in f["measure"]}
    assert standards == {("政府办卫生院", "每个乡镇", 1.0, "standard"), ("每千服务人口乡村医生", None, 1.0, "standard")}


# A third plan, written after every rule above (柳州, pipes and prose), run once: 19 of 21 figures and
# nothing wrong. The two misses were general: 各级各类 (all levels and kinds) is no standard's "each
# level", and 力争达到 is a link word before a target.
LIUZHOU = """柳州市“十四五”卫生健康事业发展规划

第一章　发展基础

“十三五”时期，全市卫生健康事业取得长足进步。截至2020年末，全市拥有各级各类医疗卫生机构2618个，其中三级甲等医院8家、社区卫生服务中心43个。全市实有床位数达2.86万张，比“十二五”末增长23.4%；每千常住人口执业（助理）医师数达到3.12人，每千常住人口注册护士4.36人。人均预期寿命提高至78.5岁，婴儿死亡率、孕产妇死亡率分别降至3.21‰和8.9/10万。家庭医生签约服务覆盖率达到42.6%。

第二章　发展目标

到2025年，全市每千常住人口医疗卫生机构床位数力争达到8.2张，其中公立医院床位数控制在5.8张以内；每万常住人口全科医生数达到4.2人以上；居民健康素养水平不低于28%。新建市级传染病医院1所，建成3个市级区域医疗中心。鹿寨县每千常住人口床位数提高到6.0张。

“十四五”时期主要发展指标
| 类别 | 指标名称 | 单位 | 2020年 | 2025年 | 属性 |
|---|---|---|---|---|---|
| 健康水平 | 人均预期寿命 | 岁 | 78.5 | 79.2 | 预期性 |
| 健康水平 | 婴儿死亡率 | ‰ | 3.21 | ≤4.5 | 预期性 |
| 医疗资源 | 每千常住人口执业（助理）医师数 | 人 | 3.12 | 3.6 | 预期性 |
| 医疗资源 | 每万常住人口全科医生数 | 人 | 3.05 | ≥4.2 | 约束性 |

第三章　保障措施

各县（区）至少设立1个急救站。加强人才队伍建设。
"""

LIUZHOU_EXPECTED = [
    ("柳州市", "医疗卫生机构", 2020, "2618"),
    ("柳州市", "三级甲等医院", 2020, "8"),
    ("柳州市", "社区卫生服务中心", 2020, "43"),
    ("柳州市", "实有床位", 2020, "2.86"),
    ("柳州市", "每千常住人口执业（助理）医师数", 2020, "3.12"),
    ("柳州市", "每千常住人口注册护士", 2020, "4.36"),
    ("柳州市", "人均预期寿命", 2020, "78.5"),
    ("柳州市", "婴儿死亡率", 2020, "3.21"),
    ("柳州市", "孕产妇死亡率", 2020, "8.9"),
    ("柳州市", "家庭医生签约服务覆盖率", 2020, "42.6"),
    ("柳州市", "每千常住人口医疗卫生机构床位数", 2025, "8.2"),
    ("柳州市", "公立医院床位数", 2025, "5.8"),
    ("柳州市", "每万常住人口全科医生数", 2025, "4.2"),
    ("柳州市", "居民健康素养水平", 2025, "28"),
    ("柳州市", "传染病医院", 2025, "1"),
    ("柳州市", "区域医疗中心", 2025, "3"),
    ("鹿寨县", "每千常住人口床位数", 2025, "6.0"),
    ("柳州市", "人均预期寿命", 2025, "79.2"),
    ("柳州市", "婴儿死亡率", 2025, "4.5"),
    ("柳州市", "每千常住人口执业（助理）医师数", 2025, "3.6"),
    ("柳州市", "每万常住人口全科医生数", 2020, "3.05"),
]


@pytest.fixture(scope="module")
def liuzhou_facts(tmp_path_factory, one_plan_graph):
    data = one_plan_graph(tmp_path_factory.mktemp("liuzhou"), LIUZHOU, file="liuzhou.txt",
                          city="柳州市", province="广西壮族自治区", title="柳州市“十四五”卫生健康事业发展规划")
    return list(figure_facts(open_store(data)))


def test_the_third_plan_s_figures_are_read_and_nothing_else(liuzhou_facts, figure_score):
    missed, wrong = figure_score(liuzhou_facts, LIUZHOU_EXPECTED)
    assert missed == [] and wrong == []
