"""The table reader (kg/tables.py): one table, every layout a conversion leaves it in, the same figures.

The property tests draw an indicator table, render it in each layout (tab rows, markdown pipes,
aligned spaces, one cell per line with and without indentation, broken cells, a header spanning its
year columns, a page break with the header repeated) and check that the figures read from each
rendering are the ones the drawn table holds, computed here from the drawn cells, not by the reader.
"""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.corpus import PlanMeta, parse_plan
from kg.gazetteer import Gazetteer
from kg.pipeline.figures import extract
from kg.tables import is_empty_mark, is_value_text
from kg.textnorm import normalize_text

GAZ = Gazetteer.load()
CITY = "玉林市"
META = PlanMeta(file="x.txt", city=CITY, province="广西壮族自治区", title="玉林市卫生健康“十四五”规划")
CAPTION = "玉林市“十四五”卫生健康主要指标"

# (indicator as written, the measure a reader takes from it, its unit)
INDICATORS = [
    ("每千常住人口医疗卫生机构床位数（张）", "每千常住人口医疗卫生机构床位数", "张"),
    ("每万人口全科医生数（人）", "每万人口全科医生数", "人"),
    ("孕产妇死亡率（1/10万）", "孕产妇死亡率", "1/10万"),
    ("婴儿死亡率（‰）", "婴儿死亡率", "‰"),
    ("居民健康素养水平（%）", "居民健康素养水平", "%"),
    ("人均预期寿命（岁）", "人均预期寿命", "岁"),
    ("每千人口药师（士）数（人）", "每千人口药师（士）数", "人"),
    ("二级及以上综合医院设置感染性疾病科的比例（%）", "二级及以上综合医院设置感染性疾病科的比例", "%"),
    ("每万常住人口急救车数量（辆）", "每万常住人口急救车数量", "辆"),
    ("医护比", "医护比", None),
]
VALUES = ["0.74", "6.5", "≥90", "4.5左右", "≤6.3", "12", "1:1.4", "100", "—", "/", "－"]
DOMAINS = ["健康水平", "医疗资源", "公共卫生", "中医药"]
NATURES = {"预期性": "expected", "约束性": "binding", "指导性": "guiding"}


@st.composite
def indicator_tables(draw):
    picks = draw(st.lists(st.sampled_from(range(len(INDICATORS))), min_size=3, max_size=7, unique=True))
    rows = []
    for seq, k in enumerate(picks, start=1):
        rows.append({
            "domain": draw(st.sampled_from(DOMAINS)), "seq": str(seq), "label": INDICATORS[k][0],
            "measure": INDICATORS[k][1], "unit": INDICATORS[k][2],
            "base": draw(st.sampled_from(VALUES)), "target": draw(st.sampled_from(VALUES)),
            "nature": draw(st.sampled_from(sorted(NATURES))),
        })
    return rows


def expected(rows) -> set[tuple]:
    """The figures a careful reader takes from the drawn table: one per value cell, none for a dash."""
    out = set()
    for r in rows:
        for year, role, cell in ((2020, "baseline", r["base"]), (2025, "target", r["target"])):
            if not is_empty_mark(cell):
                out.add((r["measure"], year, role, normalize_text(cell), r["unit"], NATURES[r["nature"]]))
    return out


HEADER = ["领域", "序号", "主要指标", "2020年", "2025年", "指标性质"]


def cells(r) -> list[str]:
    return [r["domain"], r["seq"], r["label"], r["base"], r["target"], r["nature"]]


def wrap(table: str) -> str:
    return f"一、主要指标\n\n{CAPTION}\n{table}\n\n二、重点任务\n加强基层医疗卫生服务能力建设。\n"


# -- layouts --------------------------------------------------------------------------------------

def tabs(rows) -> str:
    return "\n".join("\t".join(line) for line in [HEADER] + [cells(r) for r in rows])


def tabs_spanning_header(rows) -> str:
    """年份 over the two year columns, 目标值 under 2025: a header of two rows."""
    head = ["领域\t序号\t主要指标\t年份\t\t指标性质", "\t\t\t2020年\t2025年目标值\t"]
    return "\n".join(head + ["\t".join(cells(r)) for r in rows])


def tabs_broken_cells(rows) -> str:
    """A label holding a line break splits its row over two lines."""
    out = ["\t".join(HEADER)]
    for r in rows:
        c = cells(r)
        label = c[2]
        cut = max(2, len(label) // 2)
        out.append("\t".join(c[:2] + [label[:cut]]))
        out.append("\t".join([label[cut:]] + c[3:]))
    return "\n".join(out)


def tabs_page_break(rows) -> str:
    """The table goes on after a page number, its header repeated."""
    half = max(1, len(rows) // 2)
    first = "\n".join("\t".join(line) for line in [HEADER] + [cells(r) for r in rows[:half]])
    rest = "\n".join("\t".join(line) for line in [HEADER] + [cells(r) for r in rows[half:]])
    return f"{first}\n\n- 12 -\n\n续表\n{rest}"


def pipes(rows) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def spaces(rows) -> str:
    return "\n".join("    ".join(line) for line in [HEADER] + [cells(r) for r in rows])


def cell_per_line(rows) -> str:
    """Each cell on its own tab-prefixed line, a header cell broken (2020年 / 基期值), blank lines
    between rows, the domain written only on a domain's first row (later rows leave a bare tab)."""
    head = ["\t领域", "\t序号", "\t主要指标", "\t2020年", "基期值", "\t2025年", "目标值", "\t指标性质"]
    out = ["\n".join(head)]
    previous = None
    for r in rows:
        c = cells(r)
        domain = c[0] if c[0] != previous else ""
        previous = c[0]
        out.append("\n".join("\t" + x for x in [domain] + c[1:]))
    return "\n\n".join(out)


def cell_per_line_no_blanks(rows) -> str:
    """Each cell on its own tab-prefixed line, rows told apart only by their sequence numbers."""
    head = ["\t领域", "\t序号", "\t主要指标", "\t2020年", "\t2025年", "\t指标性质"]
    return "\n".join(head + ["\t" + x for r in rows for x in cells(r)])


def plain_lines(rows) -> str:
    """One cell per line, no indentation, no blank lines (a raw PDF text dump)."""
    return "\n".join(HEADER + [x for r in rows for x in cells(r)])


def cell_per_line_spanning(rows) -> str:
    """One cell per line with 年份 spanning the year columns: a short header row over a shorter one."""
    top = "\n".join("\t" + x for x in ["领域", "序号", "主要指标", "年份", "指标性质"])
    sub = "\n".join("\t" + x for x in ["2020年", "2025年"])
    body = ["\n".join("\t" + x for x in cells(r)) for r in rows]
    return "\n\n".join([top, sub] + body)


LAYOUTS = [tabs, tabs_spanning_header, tabs_broken_cells, tabs_page_break, pipes, spaces, cell_per_line,
           cell_per_line_no_blanks, plain_lines, cell_per_line_spanning]


def figures_of(text: str) -> set[tuple]:
    plan = parse_plan("x", META, text)
    ctx = SimpleNamespace(gazetteer=GAZ, plan=plan, city=GAZ.resolve(CITY), institutions={})
    out = set()
    for rec in extract(ctx):
        assert rec.evidence.text == text[rec.evidence.start:rec.evidence.end]
        out.add((rec.measure.wording, rec.year, rec.role, rec.value.text, rec.unit, rec.nature))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indicator_tables())
def test_every_layout_gives_the_table_s_figures(rows):
    want = expected(rows)
    for layout in LAYOUTS:
        got = figures_of(wrap(layout(rows)))
        assert got == want, (layout.__name__, sorted(got ^ want))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(indicator_tables())
def test_every_layout_gives_one_table_of_the_drawn_shape(rows):
    for layout in LAYOUTS:
        plan = parse_plan("x", META, wrap(layout(rows)))
        assert len(plan.tables) == 1, layout.__name__
        table = plan.tables[0]
        assert table.caption == CAPTION, layout.__name__
        body = table.body()
        assert [normalize_text(r[2].text) for r in body] == [normalize_text(r["label"]) for r in rows], layout.__name__
        for row in table.rows:  # every cell is the exact text at its offsets
            for cell in row:
                assert cell.text == plan.text[cell.start:cell.end].strip()


# -- real layouts of the corpus -------------------------------------------------------------------

def test_ganzhou_tab_prefixed_cells_with_broken_headers(plans):
    table = plans["003"].tables[0]
    assert table.layout == "cell-per-line" and table.header_rows == 1
    assert [table.header_path(k) for k in (3, 4)] == [("2020年基期值",), ("2025年目标值",)]
    assert len(table.body()) == 20
    assert table.notes and table.notes[0].text.startswith("备注：指标中“每千人口”定义为“每千常住人口”")


def test_wuzhou_spanning_header_and_repeated_header(plans):
    indicators, beds, areas = plans["001"].tables
    assert indicators.header_path(3) == ("梧州", "2020年") and indicators.header_path(6) == ("广西", "2025年目标")
    assert beds.unit == "张" and beds.caption == "市办医院床位配置规划"
    # the per-county table repeats its two header rows after a page break: they are no data
    assert [r[0].text for r in areas.body()] == ["城区", "县域", "苍梧县", "岑溪市", "藤县", "蒙山县", "全市"]
    assert areas.header_path(1) == ("2025年每千常住人口", "床位数（张）")


def test_prose_written_with_indented_lines_is_no_table(plans):
    # plan 000 indents every line with a tab: one cell per line in shape, but no rows
    assert plans["000"].tables == []


def test_value_cells():
    assert all(is_value_text(t) for t in ("0.74", "≥90", "4.5左右", "1:1.39", "2.36/10万", "—", "/", "85%"))
    assert not any(is_value_text(t) for t in ("2020年", "2025年目标值", "预期性", "每千人口床位数（张）"))
    assert all(is_empty_mark(t) for t in ("", "—", "-", "/", "／", "——"))
    assert not is_empty_mark("0")
