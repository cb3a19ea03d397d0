"""Tables laid out one cell per line (tab-prefixed cells, `/` for an empty cell): bed tables and project
tables read as their tab-separated rows are (kg/tables.py, kg/pipeline/figures.py).

The bed rows are 001's (梧州's 市办医院床位配置规划, written there with tabs), rendered here one cell per
line; the project table is a 专栏 of an imaginary plan. A bare number such as 1990 or 2000 in a body row
is a count of beds, not a year.
"""

from __future__ import annotations

import pytest

from kg.facts import figure_facts
from kg.store import open_store
from kg.tables import find_tables, split_lines

BEDS_BY_TABS = """梧州市医疗卫生服务体系“十四五”规划

市办医院床位配置规划

单位（张）

医院名称	目前编制床位	实际开放床位	2025 年规划编制床位数
梧州市红十字会医院	1200	1233	1990
梧州市工人医院	810	875	1740
梧州市第三人民医院	160	160	/
"""

BEDS_BY_CELLS = """梧州市医疗卫生服务体系“十四五”规划

市办医院床位配置规划

单位（张）

\t医院名称
\t目前编制床位
\t实际开放床位
\t2025 年规划编制床位数
\t梧州市红十字会医院
\t1200
\t1233
\t1990
\t梧州市工人医院
\t810
\t875
\t1740
\t梧州市第三人民医院
\t160
\t160
\t/

专栏1  重点建设项目
\t项目名称
\t建设内容
\t梧州市传染病医院
\t新建住院楼，新增床位300张
\t梧州市妇幼保健院
\t建设儿童医院，建成后增加床位200张
"""


def _figures(root, one_plan_graph, text: str) -> set[tuple]:
    root.mkdir(parents=True)
    data = one_plan_graph(root, text, file="beds.txt", city="梧州市", title="梧州市医疗卫生服务体系“十四五”规划")
    return {(f["subject"], f["measure"], f["year"], f["value"], f["role"]) for f in figure_facts(open_store(data))}


def test_a_bare_count_in_a_body_row_is_no_year():
    text = BEDS_BY_CELLS
    tables = find_tables(split_lines(text), text, "x")
    assert [[c.text for c in r] for r in tables[0].table.rows][1] == ["梧州市红十字会医院", "1200", "1233", "1990"]
    assert [[c.text for c in r] for r in tables[1].table.rows] == [
        ["项目名称", "建设内容"], ["梧州市传染病医院", "新建住院楼，新增床位300张"],
        ["梧州市妇幼保健院", "建设儿童医院，建成后增加床位200张"]]


def test_the_bed_table_reads_the_same_in_both_layouts(tmp_path, one_plan_graph):
    by_tabs = _figures(tmp_path / "tabs", one_plan_graph, BEDS_BY_TABS)
    by_cells = _figures(tmp_path / "cells", one_plan_graph, BEDS_BY_CELLS)
    beds = {f for f in by_cells if f[0] != "梧州市传染病医院" and f[0] != "梧州市妇幼保健院"}
    assert beds == by_tabs
    assert ("梧州市红十字会医院", "目前编制床位", 2020, 1200.0, "current") in beds
    assert ("梧州市红十字会医院", "规划编制床位数", 2025, 1990.0, "planned") in beds  # the year is the figure's
    assert ("梧州市工人医院", "实际开放床位", 2020, 875.0, "open") in beds
    # the empty cell (/) gives nothing
    assert not [f for f in beds if f[0] == "梧州市第三人民医院" and f[4] == "planned"]


def test_a_project_table_of_words_gives_its_rows_figures(tmp_path, one_plan_graph):
    got = _figures(tmp_path / "p", one_plan_graph, BEDS_BY_CELLS)
    assert ("梧州市传染病医院", "新增床位", 2025, 300.0, "added") in got
    assert ("梧州市妇幼保健院", "增加床位", 2025, 200.0, "added") in got


# An indicator table whose 指标值 spans the year columns (2020年, 2025年 in a second header row), in
# tab rows and one cell per line; the cell-per-line one is cut by a page number (— 9 —). Both give
# the same figures, the earlier year the baseline: 指标值 over both years names neither's role.
SPAN_BY_TABS = """常德市医疗卫生服务体系规划

主要指标
序号\t指标名称\t指标值\t\t性质
\t\t2020年\t2025年\t
1\t每千常住人口医疗卫生机构床位数（张）\t7.03\t8.0\t预期性
2\t每千常住人口注册护士数（人）\t2.95\t3.8\t预期性
3\t医护比\t1:1.17\t1:1.4\t预期性
4\t二级及以上综合医院设置老年医学科的比例（%）\t/\t≥60\t预期性
"""

SPAN_BY_CELLS = """常德市医疗卫生服务体系规划

主要指标
\t序号
\t指标名称
\t指标值
\t性质
\t2020年
\t2025年
\t1
\t每千常住人口医疗卫生机构床位数（张）
\t7.03
\t8.0
\t预期性
\t2
\t每千常住人口注册护士数（人）
\t2.95
\t3.8
\t预期性
— 9 —
\t3
\t医护比
\t1:1.17
\t1:1.4
\t预期性
\t4
\t二级及以上综合医院设置老年医学科的比例（%）
\t/
\t≥60
\t预期性
"""


def _indicator_figures(root, one_plan_graph, text: str) -> set[tuple]:
    root.mkdir(parents=True)
    data = one_plan_graph(root, text, file="span.txt", city="常德市", province="湖南省",
                          title="常德市医疗卫生服务体系规划")
    return {(f["subject"], f["measure"], f["year"], f["value"], f["role"], f["nature"])
            for f in figure_facts(open_store(data))}


def test_a_header_spanning_the_year_columns_reads_the_same_in_both_layouts(tmp_path, one_plan_graph):
    text = SPAN_BY_CELLS
    rows = find_tables(split_lines(text), text, "x")[0].table.rows
    assert [c.text for c in rows[0]] == ["序号", "指标名称", "指标值", "", "性质"]
    assert [c.text for c in rows[1]][2:4] == ["2020年", "2025年"]
    assert [c.text for c in rows[-1]] == ["4", "二级及以上综合医院设置老年医学科的比例（%）", "/", "≥60", "预期性"]
    by_tabs = _indicator_figures(tmp_path / "tabs", one_plan_graph, SPAN_BY_TABS)
    by_cells = _indicator_figures(tmp_path / "cells", one_plan_graph, SPAN_BY_CELLS)
    assert by_cells == by_tabs
    assert ("常德市", "每千常住人口医疗卫生机构床位数", 2020, 7.03, "baseline", "预期性") in by_cells
    assert ("常德市", "每千常住人口注册护士数", 2025, 3.8, "target", "预期性") in by_cells
    assert ("常德市", "医护比", 2025, 1.4, "target", "预期性") in by_cells
    assert ("常德市", "二级及以上综合医院设置老年医学科的比例", 2025, 60.0, "target", "预期性") in by_cells
    # the empty cell (/) gives no figure; nothing is read from the page number
    assert len(by_cells) == 7


# A category column written once for its group (领域: 资源配置 on the first row of its rows, 健康水平 on
# the next group's), the rows below it one cell shorter: in tab rows and one cell per line.
GROUP_ROWS = [["领域", "序号", "指标", "单位", "2020年", "2025年", "性质"],
              ["资源配置", "1", "每千常住人口医疗卫生机构床位数", "张", "7.03", "8.0", "预期性"],
              ["2", "每千常住人口注册护士数", "人", "2.95", "3.8", "预期性"],
              ["3", "每万常住人口全科医生数", "人", "2.86", "3.93", "约束性"],
              ["健康水平", "4", "人均预期寿命", "岁", "77.2", "78.5", "预期性"],
              ["5", "孕产妇死亡率", "1/10万", "8.51", "≤9", "预期性"]]
GROUP_HEAD = "常德市医疗卫生服务体系规划\n\n主要发展指标\n"
GROUP_BY_TABS = GROUP_HEAD + "".join("\t".join(r) + "\n" for r in GROUP_ROWS)
GROUP_BY_CELLS = GROUP_HEAD + "".join(f"\t{c}\n" for r in GROUP_ROWS for c in r) + "\n二、主要任务\n\n加强建设。\n"


@pytest.mark.parametrize("text", [GROUP_BY_TABS, GROUP_BY_CELLS], ids=["tabs", "cells"])
def test_a_group_cell_written_once_leaves_the_rows_below_it_aligned(text):
    rows = [[c.text for c in r] for r in find_tables(split_lines(text), text, "x")[0].table.rows]
    assert rows[2] == ["", "2", "每千常住人口注册护士数", "人", "2.95", "3.8", "预期性"]
    assert rows[4][:3] == ["健康水平", "4", "人均预期寿命"]
    assert rows[5][:5] == ["", "5", "孕产妇死亡率", "1/10万", "8.51"]


def test_a_group_cell_written_once_gives_the_same_figures_in_both_layouts(tmp_path, one_plan_graph):
    by_tabs = _indicator_figures(tmp_path / "tabs", one_plan_graph, GROUP_BY_TABS)
    by_cells = _indicator_figures(tmp_path / "cells", one_plan_graph, GROUP_BY_CELLS)
    assert by_tabs == by_cells
    assert ("常德市", "每千常住人口注册护士数", 2020, 2.95, "baseline", "预期性") in by_tabs
    assert ("常德市", "孕产妇死亡率", 2025, 9.0, "target", "预期性") in by_tabs
    assert len(by_tabs) == 10


# A conversion that kept no columns: cells set off by single spaces. The same indicator table as
# SPAN_BY_TABS without its spanning header, in tabs and in single spaces, gives the same figures; a
# line of prose with spaces around its numbers (梧州's 新增 790 张) is no row.
WORDS_ROWS = [["序号", "指标名称", "2020年", "2025年", "指标性质"],
              ["1", "每千常住人口医疗卫生机构床位数（张）", "7.03", "8.0", "预期性"],
              ["2", "每千常住人口注册护士数（人）", "2.95", "3.8", "预期性"],
              ["3", "二级及以上综合医院设置老年医学科的比例（%）", "/", "≥60", "预期性"]]
WORDS_TAIL = "\n在建苍海医院一期新增 790 张，建成后增加床位 790 张。\n"


@pytest.mark.parametrize("sep", ["\t", " "], ids=["tabs", "single-spaces"])
def test_cells_set_off_by_single_spaces_read_as_tab_rows(tmp_path, one_plan_graph, sep):
    text = GROUP_HEAD + "".join(sep.join(r) + "\n" for r in WORDS_ROWS) + WORDS_TAIL
    tables = find_tables(split_lines(text), text, "x")
    assert [[c.text for c in r] for r in tables[0].table.rows] == WORDS_ROWS and len(tables) == 1
    got = _indicator_figures(tmp_path / "t", one_plan_graph, text)
    assert ("常德市", "每千常住人口注册护士数", 2020, 2.95, "baseline", "预期性") in got
    assert ("常德市", "二级及以上综合医院设置老年医学科的比例", 2025, 60.0, "target", "预期性") in got
    assert len([f for f in got if f[4] in ("baseline", "target")]) == 5
