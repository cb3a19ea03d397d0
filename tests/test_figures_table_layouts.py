"""Tables laid out one cell per line (tab-prefixed cells, `/` for an empty cell): bed tables and project
tables read as their tab-separated rows are (kg/tables.py, kg/pipeline/figures.py).

The bed rows are 001's (梧州's 市办医院床位配置规划, written there with tabs), rendered here one cell per
line; the project table is a 专栏 of an imaginary plan. A bare number such as 1990 or 2000 in a body row
is a count of beds, not a year.
"""

from __future__ import annotations

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
