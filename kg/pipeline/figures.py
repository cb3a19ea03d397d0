"""Figures of a plan → `Observation` records (kg/observations.py; docs/model.md, "Figures").

Tables come from kg/tables.py in one model whatever their layout; what a table means is read from
the words of its header (kg/data/figures.yaml), never from the plan it is in:

- indicator tables (主要指标 with year columns, 性质, 单位): one figure per value cell; the subject is
  the plan's city, or the region named above a group of year columns (梧州 / 广西);
- tables by institution (医院名称, 建设单位 … and value columns such as 目前编制床位): the subject
  is the institution named in the row; text cells (建设内容, 项目) are read as running text about it;
- tables by area (地区, 县（市、区）…): the subject is the county named in the row, the city for 全市;
  a part of the city that is no administrative region (城区, 县域) is an area of its own.

Running text is read by kg/pipeline/figure_text.py. A cell or sentence with no number gives no figure
(a dash is never a zero). Each figure's measure is resolved to a canonical measure (kg/measures.py).
The build writes the records as quads; nothing here knows RDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Protocol

from kg.corpus import Cell, Plan, Sentence, Table
from kg.gazetteer import Gazetteer, Region
from kg.measures import catalog
from kg.observations import Observation, Subject, Value
from kg.pipeline.figure_config import load_config, longest_first, recognizer
from kg.tables import is_empty_mark
from kg.textnorm import normalize, normalize_text

__all__ = ["Observation", "PlanContext", "Value", "extract", "parse_value"]


class PlanContext(Protocol):
    """What figure extraction needs to know about the plan (kg.build.BuildContext is one)."""

    gazetteer: Gazetteer
    plan: Plan
    city: Region | None
    institutions: dict
    county: Region | None  # the county a document is about (kg add --county), else None


# ---------------------------------------------------------------------------------------------
# Values


def parse_value(cell: str) -> Value | None:
    """A value cell → Value; None for an empty cell (—, -, /, blank: no figure, never a zero).

    >>> parse_value("≥0.77")
    Value(text='≥0.77', value='0.77', comparator='≥')
    >>> parse_value("4.5左右")
    Value(text='4.5左右', value='4.5', comparator='左右')
    >>> parse_value("1:1.39").value  # a ratio 1:x is worth x
    '1.39'
    >>> parse_value("2.36/10万").value
    '2.36'
    >>> parse_value("—") is None and parse_value("／") is None
    True
    """
    pieces = cell.split()
    if not pieces or is_empty_mark(cell):
        return None
    if len(pieces) > 1:
        # two values for two sub-populations (85 / 70): kept as written, no single number
        parsed = [parse_value(p) for p in pieces]
        comparators = {p.comparator for p in parsed if p}
        text = " / ".join(p.text for p in parsed if p)
        return Value(text, None, comparators.pop() if len(comparators) == 1 else None) if text else None
    written = pieces[0]
    norm = normalize_text(written)
    cfg = load_config()["comparators"]
    comparator = None
    for word in longest_first(cfg["prefix"]):
        if norm.startswith(word):
            comparator, norm = cfg["prefix"][word], norm[len(word):]
            break
    for word in longest_first(cfg["suffix"]):
        if norm.endswith(word):
            comparator, norm = comparator or cfg["suffix"][word], norm[: -len(word)]
            break
    norm = norm.rstrip("%‰‱")
    ratio = re.fullmatch(r"1[:：](\d+(?:\.\d+)?)", norm)
    if ratio:
        norm = ratio.group(1)
    per = re.fullmatch(r"(\d+(?:\.\d+)?)/(?:10|十)?万", norm)
    if per:
        norm = per.group(1)
    if re.fullmatch(r"\d+(?:\.\d+)?", norm):
        try:
            return Value(written, str(Decimal(norm)), comparator)
        except InvalidOperation:
            pass
    return Value(written, None, comparator)


def split_values(cell: Cell) -> list[Value]:
    """The values of a cell holding one per line (93.95 / 94.69), else its one value."""
    parts = [p for p in cell.text.split() if p]
    if len(parts) > 1 and all(parse_value(p) is not None and parse_value(p).value is not None for p in parts):
        return [parse_value(p) for p in parts]  # type: ignore[misc]
    value = parse_value(cell.text)
    return [value] if value is not None else []


# ---------------------------------------------------------------------------------------------
# Collecting records


class Collector:
    """Records of one plan; one figure per subject, wording, year, role and value."""

    def __init__(self, ctx: PlanContext) -> None:
        self.ctx = ctx
        self.cfg = load_config()
        self.records: list[Observation] = []
        self.seen: dict[tuple, str] = {}
        self.row_sentences = {(s.start, s.end): s for s in ctx.plan.sentences if s.kind == "table"}

    def row_sentence(self, row: list[Cell]) -> Sentence | None:
        filled = [c for c in row if c.text]
        if not filled:
            return None
        key = (filled[0].start, filled[-1].end)
        found = self.row_sentences.get(key)
        if found is not None:
            return found
        text = self.ctx.plan.text[key[0]:key[1]]
        return Sentence(self.ctx.plan.doc_id, key[0], key[1], text, normalize(text, base=key[0]), (), "table")

    def add(self, evidence: Sentence, subject: Subject, wording: str, year: int | None, role: str, value: Value,
            unit: str | None = None, nature: str | None = None, area: Subject | None = None,
            source: str = "table", condition: str | None = None) -> bool:
        if year is None or not wording:
            return False
        plain = None
        if condition:
            # the concept is named with its condition; the observation keeps the plan's phrase
            plain = normalize_text(wording)
            wording = f"{wording}（{condition}）" if role == "standard" else f"{condition}{wording}"
        measure = catalog().resolve(wording, unit)
        worded = (subject, measure.wording, year, role, value.text, value.value, value.comparator, condition)
        if worded in self.seen:
            return False  # said before in the same words; said again in other words, it is kept with its quote
        self.seen[worded] = value.text
        self.records.append(Observation(subject, measure, year, role, value, evidence, unit, nature, area, source,
                                        condition, plain))
        return True

    # -- helpers on words ------------------------------------------------------------------------
    def split_unit(self, label: str) -> tuple[str, str | None]:
        """每万人口全科医生数（人） → (每万人口全科医生数, 人); only units are split off."""
        m = re.search(r"（([^（）]+)）$", label)
        if m and (m.group(1) in self.cfg["units"]):
            return label[: m.start()], m.group(1)
        return label, None

    def nature(self, text: str) -> str | None:
        norm = normalize_text(text)
        return next((iri for word, iri in self.cfg["natures"].items() if word in norm), None)

    def city(self) -> Subject | None:
        return Subject("region", self.ctx.city.code) if self.ctx.city else None

    def home(self) -> Subject | None:
        """The place the document speaks of when it names none: the county of a county's document
        (全县共有医疗卫生机构312个 is the county's), else the plan's city."""
        county = getattr(self.ctx, "county", None)
        return Subject("region", county.code) if county is not None else self.city()


# ---------------------------------------------------------------------------------------------
# Column roles

_YEAR = re.compile(r"((?:19|20)\d{2})年?")


def column_role(path: tuple[str, ...], cfg: dict) -> str | None:
    """The role of a column from its header path (the most specific header cell first)."""
    words = [(w, role) for role, ws in cfg["columns"].items() for w in ws]
    ordered = sorted(words, key=lambda wr: len(wr[0]), reverse=True)
    for text in reversed(path):
        for word, role in ordered:
            if word in text:
                return role
    return None


@dataclass
class YearColumn:
    index: int
    year: int
    role: str  # baseline | target
    subject: Subject | None


@dataclass
class Layout:
    roles: dict[str, int]
    years: list[YearColumn]


def indicator_layout(table: Table, col: Collector) -> Layout | None:
    """Column roles and year columns of an indicator table, or None."""
    cfg = col.cfg
    roles: dict[str, int] = {}
    for k in range(table.width):
        path = table.header_path(k)
        if not path or _YEAR.search("".join(path)) and column_role(path[-1:], cfg) is None:
            continue
        role = column_role(path, cfg)
        if role and role not in roles:
            roles[role] = k
    if "indicator" not in roles:
        return None
    columns: list[YearColumn] = []
    paths: dict[int, tuple[str, ...]] = {}
    for k in range(table.width):
        path = table.header_path(k)
        m = _YEAR.search("".join(path))
        if m and k not in roles.values():
            paths[k] = path
    years_under: dict[str, set[str]] = {}  # a header cell → the years of the columns under it
    for path in paths.values():
        year = _YEAR.search("".join(path)).group(1)
        for text in path:
            years_under.setdefault(text, set()).add(year)
    for k, path in paths.items():
        # role words count in a header cell over one year only: 指标值 spanning 2020年 and 2025年
        # says nothing of either
        own = "".join(text for text in path if len(years_under[text]) == 1)
        role = next((r for r, ws in cfg["year_roles"].items() if any(w in own for w in ws)), None)
        year = int(_YEAR.search("".join(path)).group(1))
        columns.append(YearColumn(k, year, role or "", _group_subject(path, col)))
    if not columns:
        return None
    years = sorted({c.year for c in columns})
    for c in columns:  # a year column without role words: the earliest year is the baseline
        c.role = c.role or ("baseline" if c.year == years[0] and len(years) > 1 else "target")
    return Layout(roles, columns)


def _group_subject(path: tuple[str, ...], col: Collector) -> Subject | None:
    """A region named above a group of year columns (梧州 over 2020年, 2025年目标)."""
    for text in path:
        if _YEAR.search(text) or column_role((text,), col.cfg):
            continue
        region = col.ctx.gazetteer.resolve(text, col.ctx.city.code if col.ctx.city else None)
        if region is not None:
            return Subject("region", region.code)
    return None


# ---------------------------------------------------------------------------------------------
# Indicator tables


def emit_indicator_table(table: Table, layout: Layout, col: Collector) -> None:
    roles = layout.roles
    city = col.home()
    prefixes = longest_first(normalize_text(p) for p in col.cfg["subrow_prefixes"])
    per_population = re.compile(col.cfg["per_population"])
    parent_prefix = ""
    for row in table.body():
        label_cell = row[roles["indicator"]]
        label = normalize_text(label_cell.text)
        sub = False
        for p in prefixes:
            if label.startswith(p):
                label, sub = label[len(p):], True
                break
        if not label or all(is_empty_mark(row[c.index].text) for c in layout.years):
            continue
        sentence = col.row_sentence(row)
        if sentence is None:
            continue
        label, unit = col.split_unit(label)
        prefix = per_population.match(label)
        if sub and not prefix and parent_prefix:
            label = parent_prefix + label
        elif not sub:
            parent_prefix = prefix.group(0) if prefix else ""
        if "unit" in roles and row[roles["unit"]].text and not is_empty_mark(row[roles["unit"]].text):
            unit = normalize_text(row[roles["unit"]].text)
        unit = unit or _header_unit(table, roles["indicator"], col) or table.unit
        nature = col.nature(row[roles["nature"]].text) if "nature" in roles else None
        for yc in layout.years:
            subject = yc.subject or city
            if subject is None:
                continue
            values = split_values(row[yc.index])
            if len(values) > 1:
                parts = _parallel_measures(label, len(values), col)
                if parts is None:
                    joined = parse_value(row[yc.index].text)
                    if joined is not None:
                        col.add(sentence, subject, label, yc.year, yc.role, joined, unit, nature)
                    continue
                for part, value in zip(parts, values, strict=True):
                    col.add(sentence, subject, part, yc.year, yc.role, value, unit, nature)
                continue
            for value in values:
                wording, role, value = _phrase_value(label, yc.role, value, row[yc.index].text)
                col.add(sentence, subject, wording, yc.year, role, value, unit, nature)


def _phrase_value(label: str, role: str, value: Value, cell: str) -> tuple[str, str, Value]:
    """A cell written as a phrase around one number (力争每年降低0.5个百分点以上): its number, and when
    the phrase states a change, the change's measure and role."""
    from kg.pipeline.figure_text import change_word, change_wording
    from kg.quantities import find_quantities

    if value.value is not None:
        return label, role, value
    norm = normalize_text(cell)
    found = [q for q in find_quantities(norm) if q.value is not None]
    if len(found) != 1:
        return label, role, value
    q = found[0]
    number = Value(value.text, q.value, q.comparator or value.comparator)
    change = change_word(norm[: q.start].removeprefix("力争").removeprefix("每年").removeprefix("年均"))
    if change is not None or q.unit in ("个百分点", "百分点"):
        return change_wording(label, None, change[1] if change else "变化"), "change", number
    return label, role, number


def _parallel_measures(label: str, n: int, col: Collector) -> list[str] | None:
    """孕产妇系统管理率和3岁以下儿童系统管理率 with two values: one measure per value, when each part
    is a measure by itself."""
    parts = re.split(r"和|及|与|、", label)
    heads = tuple(col.cfg["text"]["measure_heads"])
    if len(parts) == n and all(len(p) >= 3 and p.endswith(heads) for p in parts):
        return parts
    # 职工和城乡居民医保政策范围内报销比例: groups of people (or places) sharing one measure's tail
    groups = longest_first(col.cfg["text"]["coordinated_groups"])
    if len(parts) == n and all(p in groups for p in parts[:-1]):
        last = parts[-1]
        group = next((g for g in groups if last.startswith(g) and len(last) > len(g)), None)
        tail = last[len(group):] if group else ""
        if tail.endswith(heads) and len(tail) >= 2:
            return [p + tail for p in parts[:-1]] + [last]
    return None


def _header_unit(table: Table, k: int, col: Collector) -> str | None:
    for text in reversed(table.header_path(k)):
        _, unit = col.split_unit(text)
        if unit:
            return unit
    return None


# ---------------------------------------------------------------------------------------------
# Tables by institution and by area


def _value_role(text: str, cfg: dict) -> str | None:
    return next((cfg["value_roles"][w] for w in longest_first(cfg["value_roles"]) if w in text), None)


@dataclass
class ValueColumn:
    index: int
    wording: str
    role: str
    year: int
    unit: str | None


def value_columns(table: Table, label_col: int, col: Collector, years: tuple[int | None, int | None],
                  projects: bool = False, words: set[int] | frozenset[int] = frozenset()
                  ) -> tuple[list[ValueColumn], list[int]]:
    """Columns holding numbers (with their measure, role, year and unit) and columns holding text.

    A column's year is in its header, else in the caption (各县（市、区）2025年床位配置规划); a project
    table's figures (总投资) are planned for the plan's target year."""
    base, target = years
    caption_years = {int(y) for y in _YEAR.findall(normalize_text(table.caption))}
    caption_year = caption_years.pop() if len(caption_years) == 1 else None
    body = table.body()
    numeric: list[ValueColumn] = []
    text_cols: list[int] = []
    for k in range(table.width):
        if k == label_col or k in words:
            continue
        path = table.header_path(k)
        role_name = column_role(path, col.cfg)
        cells = [r[k].text for r in body if r[k].text and not is_empty_mark(r[k].text)]
        if not cells:
            continue
        if role_name == "seq" or role_name in ("domain", "nature", "unit", "institution", "area") and not words:
            continue  # (in a table of named units, a column of numbers is a measure whatever its words: 成员单位（个）)
        numbers = sum(parse_value(c) is not None and parse_value(c).value is not None for c in cells)
        if numbers < max(1, len(cells) // 2):
            text_cols.append(k)
            continue
        joined = "".join(path)
        m = _YEAR.search(joined)
        year = int(m.group(1)) if m else caption_year
        role = _value_role(joined, col.cfg) or ("planned" if projects else "current" if year is None else None)

        if role is None:
            role = "target" if target is not None and year is not None and year >= target else "current"
        if year is None:
            year = target if role == "planned" else base
        if year is None:
            continue
        wording = _YEAR.sub("", "".join(p for p in path if column_role((p,), col.cfg) is None) or joined)
        wording, unit = col.split_unit(wording)
        unit = unit or next((u for u in (col.split_unit(p)[1] for p in path) if u), None) or table.unit
        wording = re.sub(r"^(?:年底|年末|年)", "", wording)
        if wording:
            numeric.append(ValueColumn(k, wording, role, year, unit))
    return numeric, text_cols


def emit_entity_table(table: Table, label_col: int, kind: str, col: Collector,
                      years: tuple[int | None, int | None], projects: bool = False) -> None:
    """A table whose rows are institutions (kind "institution") or areas (kind "area")."""
    numeric, text_cols = value_columns(table, label_col, col, years, projects)
    city = col.city()
    for row in table.body():
        name = normalize_text(row[label_col].text)
        if not name:
            continue
        sentence = col.row_sentence(row)
        if sentence is None:
            continue
        if kind == "area":
            subject, area = _area_subject(name, col)
        else:
            subject, area = _institution(name, col, projects), city
        if subject is None:
            continue
        for vc in numeric:
            for value in split_values(row[vc.index]):
                col.add(sentence, subject, vc.wording, vc.year, vc.role, value, vc.unit, area=area)
        for k in text_cols:
            _read_text_cell(row[k], sentence, subject, area, col, years)


def _read_text_cell(cell: Cell, sentence: Sentence, subject: Subject, area: Subject | None, col: Collector,
                    years: tuple[int | None, int | None]) -> None:
    """A text cell of a row (a project, 建设内容): added beds by the configured pattern, and every
    other figure as running text about the row's subject."""
    from kg.pipeline import figure_text

    text = normalize_text(cell.text)
    if not text or is_empty_mark(text):
        return
    target = years[1]
    taken: set[str] = set()
    for pattern in col.cfg["added_patterns"]:
        found = re.findall(pattern["regex"], text)
        if found and target is not None:
            col.add(sentence, subject, pattern["measure"], target, "added",
                    Value(found[-1], str(Decimal(found[-1])), None), "张", area=area)
            taken.update(found)
    figure_text.read_cell(text, sentence, subject, area, col, years, skip_values=taken)


def _institution(name: str, col: Collector, project: bool = False) -> Subject | None:
    """The institution a row is about: its name is the cell (or, for a project, opens it)."""
    rec = recognizer(col.ctx.gazetteer)
    for m in rec(name, col.ctx.city):
        if m.named and m.start == 0 and (m.end == len(name) or project) and m.key in col.ctx.institutions:
            return Subject("institution", m.key)
    return None


def _area_subject(name: str, col: Collector) -> tuple[Subject | None, Subject | None]:
    city = col.ctx.city
    if city is None:
        return None, None
    if name in {normalize_text(w) for w in col.cfg["whole_city"]}:
        return Subject("region", city.code), None
    region = col.ctx.gazetteer.resolve(name, city.code)
    if region is not None and col.ctx.gazetteer.is_within(region.code, city.code):
        return Subject("region", region.code), None
    if len(name) > 12 or any(ch.isdigit() for ch in name):
        return None, None
    # a part of the city that is no administrative region (城区, 县域)
    node = Subject("area", name, city.code)
    return node, node


# ---------------------------------------------------------------------------------------------


_YEAR_ROW = re.compile(r"^((?:19|20)\d{2})年?(?:度|底|末)?$")


def year_rows(table: Table) -> tuple[int, list[tuple[list[Cell], int]]] | None:
    """A table whose rows are years (年度 | 免费培训医师（人次） | 专家工作站（个）, then 2023年 | 200 | 3):
    the column of years and each body row with its year; None for any other table."""
    body = table.body()
    if len(body) < 2 or table.width < 2:
        return None
    k = next((c for c in range(table.width) if any(r[c].text for r in body)), 0)
    found = [_YEAR_ROW.match(normalize_text(r[k].text)) for r in body]
    if not all(found) or len({m.group(1) for m in found}) != len(found):
        return None
    return k, [(r, int(m.group(1))) for r, m in zip(body, found, strict=True)]


def emit_year_rows_table(table: Table, year_col: int, rows: list[tuple[list[Cell], int]], col: Collector,
                         years: tuple[int | None, int | None]) -> None:
    """Each number of a table of years is a figure of the document's place in its row's year, measured by
    its column's header (unit from the header's parentheses). A year after the one the document speaks
    of as now is a target, and so is every year of a document that speaks of no present (年度目标)."""
    home = col.home()
    if home is None:
        return
    now = _now_outside(col, table, years[1])
    for c in range(table.width):
        path = table.header_path(c)
        if c == year_col or not path or column_role(path, col.cfg) or _YEAR.search("".join(path)):
            continue
        label, unit = col.split_unit(normalize_text(path[-1]))
        if not label:
            continue
        for row, year in rows:
            if not row[c].text or is_empty_mark(row[c].text):
                continue
            sentence = col.row_sentence(row)
            if sentence is None:
                continue
            role = "target" if now is None or year > now else "current"
            for value in split_values(row[c]):
                col.add(sentence, home, label, year, role, value, unit or table.unit)


def _now_outside(col: Collector, table: Table, target: int | None) -> int | None:
    """The year a document speaks of as now (its title's, else the latest 截至/point year before the
    target) in its text outside the table: the table's own years say nothing of it."""
    from kg.quantities import find_times

    titled = _title_report_years(col)
    if titled:
        return max(titled)
    cells = [c for r in table.rows for c in r if c.text]
    text = col.ctx.plan.text
    if cells:
        a, b = min(c.start for c in cells), max(c.end for c in cells)
        text = text[:a] + " " * (b - a) + text[b:]
    now = [t.year for t in find_times(normalize_text(text), col.cfg["periods"])
           if t.kind in ("point", "asof") and (target is None or t.year < target)]
    return max(now) if now else None


def label_column(table: Table, cfg: dict) -> tuple[int, str] | None:
    """The column naming each row's subject, and its kind (institution, area or project)."""
    found: dict[str, int] = {}
    for k in range(table.width):
        role = column_role(table.header_path(k), cfg)
        if role in ("institution", "area", "project") and role not in found:
            found[role] = k
    for kind in ("institution", "area", "project"):
        if kind in found:
            return found[kind], kind
    return None


def plan_years(col: Collector, layouts: list[tuple[Table, Layout]]) -> tuple[int | None, int | None]:
    """Base and target years: from the plan's indicator tables, else from the title's period word."""
    base = [c.year for _, lay in layouts for c in lay.years if c.role == "baseline"]
    target = [c.year for _, lay in layouts for c in lay.years if c.role == "target"]
    if base and target:
        return min(base), max(target)
    title = normalize_text(col.ctx.plan.meta.title)
    for word, (b, t) in col.cfg["periods"].items():
        if word in title:
            return b, t
    # a report whose title names the year it sums up (霍山县2022年卫生健康事业发展统计公报, …2023年工作总结):
    # its figures are of that year, whatever plan period its text mentions in passing
    titled = _title_report_years(col)
    if titled and not (base or target):
        return max(titled), None
    # an excerpt without its title page: the period the text speaks of most
    counts = {word: col.ctx.plan.text.count(word) for word in col.cfg["periods"]}
    word = max(counts, key=lambda w: counts[w])
    if counts[word] and not (base or target):
        b, t = col.cfg["periods"][word]
        return b, t
    first, last = (min(base) if base else None), (max(target) if target else None)
    return (first if first is not None else report_year(col, last)), last


def _title_report_years(col: Collector) -> list[int]:
    """The years a document's title names as the one it reports on (2023年柳州市卫生健康工作报告);
    2022年工作总结和2023年工作思路: the year summed up is the report's, not the year planned next."""
    from kg.quantities import find_times

    title = normalize_text(col.ctx.plan.meta.title)
    ahead = re.compile(col.cfg.get("report_ahead_words") or "$^")
    return [t.year for t in find_times(title, col.cfg["periods"])
            if t.kind in ("point", "asof") and not ahead.match(re.sub(r"^[^\u4e00-\u9fff]*", "", title[t.end:]))]


def report_year(col: Collector, target: int | None) -> int | None:
    """The year a document without a plan period reports on (a work report, a county's account of
    its 医共体): the year of its title (2023年柳州市卫生健康工作报告), else the latest year its text
    speaks of as now (截至2023年底, 2023年全县…), before any target year."""
    from kg.quantities import find_times

    periods = col.cfg["periods"]
    titled = _title_report_years(col)
    if titled:
        return max(titled)
    now = [t.year for t in find_times(normalize_text(col.ctx.plan.text), periods)
           if t.kind in ("point", "asof") and (target is None or t.year < target)]
    return max(now) if now else None


def extract(ctx: PlanContext) -> list[Observation]:
    """All figures of one plan: its tables, then its running text."""
    from kg.pipeline import figure_text

    col = Collector(ctx)
    layouts: list[tuple[Table, Layout]] = []
    others: list[Table] = []
    for table in ctx.plan.tables:
        layout = indicator_layout(table, col)
        if layout is not None:
            layouts.append((table, layout))
        else:
            others.append(table)
    years = plan_years(col, layouts)
    for table, layout in layouts:
        emit_indicator_table(table, layout, col)
    from kg.pipeline import table_figures

    units = table_figures.UnitTables(col, years)
    for table in others:
        if units.emit(table):  # a table whose rows are named units (kg/pipeline/table_figures.py)
            continue
        by_year = year_rows(table)
        if by_year is not None:
            emit_year_rows_table(table, *by_year, col, years)
            continue
        found = label_column(table, col.cfg)
        if found is None:
            continue
        k, kind = found
        projects = kind == "project" or any(column_role(table.header_path(i), col.cfg) == "project"
                                            for i in range(table.width))
        if kind == "project":
            kind = "institution"  # a project's figures are its institution's (建设单位, or named in the project)
        emit_entity_table(table, k, kind, col, years, projects)
    figure_text.read_plan(col, years)
    return col.records
