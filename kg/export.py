"""Serialise the stored graph: merged (Turtle, N-Triples, JSON-LD) or with its named graphs (TriG, N-Quads);
and its facts as spreadsheets (CSV with a BOM, one file per fact type; xlsx with one sheet per type)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.ns import PREFIXES

FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "jsonld": (ox.RdfFormat.JSON_LD, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
}


def export_graph(store: ox.Store, fmt: str) -> bytes:
    """The whole store in `fmt`; triple formats merge the named graphs (duplicates removed)."""
    rdf_format, keeps_graphs = FORMATS[fmt]
    if keeps_graphs:
        items = sorted(store, key=str)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in store}, key=str)
    prefixes = {k: str(v) for k, v in PREFIXES.items()} if rdf_format in (
        ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return ox.serialize(items, format=rdf_format, prefixes=prefixes)


# ---------------------------------------------------------------------------------------------
# Spreadsheets: one table per fact type, with its own columns and every source of each fact.
#
# Called by `kg facts --format csv|xlsx` and meant for the web page's downloads too: each function
# takes the store (or facts) and returns text or bytes; nothing here prints or reads options.


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str


@dataclass(frozen=True)
class FactTable:
    fact_type: str  # institution | relation | figure (kg.facts.FACT_TYPES)
    sheet: str  # sheet name and file stem for people (Chinese)
    file: str  # file stem for programs (English)
    columns: tuple[Column, ...]


SOURCE_COLUMNS = (
    Column("n_sources", "来源数", "n_sources"),
    Column("titles", "来源规划", "plan_titles"),
    Column("files", "规划文件", "plan_files"),
    Column("source_files", "原始文件", "source_files"),
    Column("pages", "页码", "pages"),
    Column("quotes", "原文", "quotes"),
    Column("offsets", "字符位置", "offsets"),
)

FACT_TABLES: dict[str, FactTable] = {
    "institution": FactTable("institution", "机构", "institutions", (
        Column("name", "机构名称", "name"), Column("aliases", "别名", "aliases"), Column("kind", "机构类别", "kind"),
        Column("level", "办医层级", "level"), Column("city", "城市", "city"), Column("county", "县区", "county"),
        Column("planned", "规划新设", "planned"), Column("parent", "所属机构", "parent"), Column("iri", "IRI", "iri"),
        *SOURCE_COLUMNS)),
    "relation": FactTable("relation", "关系", "relations", (
        Column("s", "主体", "subject"), Column("p", "关系", "relation"), Column("o", "客体", "object"),
        Column("scope", "层面", "scope"), Column("inferred", "推理得出", "inferred"), *SOURCE_COLUMNS)),
    "figure": FactTable("figure", "指标数据", "figures", (
        Column("subject", "对象", "subject"), Column("measure", "指标", "measure"),
        Column("canonical_measure", "标准指标", "canonical_measure"), Column("year", "年份", "year"),
        Column("value", "数值", "value"), Column("text", "原文数值", "value_text"), Column("unit", "单位", "unit"),
        Column("nature", "指标性质", "nature"), Column("role", "数值类型", "value_role"),
        Column("condition", "适用条件", "condition"), *SOURCE_COLUMNS)),
}

_SCOPE_ZH = {"instance": "机构", "class": "类别"}
_ROLE_ZH = {"baseline": "基期", "target": "目标", "current": "现状", "open": "实际开放", "added": "新增",
            "planned": "规划", "change": "变化", "standard": "配置标准"}
SEPARATOR = "\n"  # several sources in one cell, one per line (a spreadsheet shows them wrapped)
_EXCEL_CELL = 32_767  # the most characters an Excel cell holds


def table_rows(table: FactTable, facts, headers: str = "zh") -> Iterator[list]:
    """The rows of one fact type's table (header row first), values ready for a spreadsheet."""
    yield [c.zh if headers == "zh" else c.en for c in table.columns]
    for fact in facts:
        yield [_cell(fact, c.key, headers) for c in table.columns]


def _cell(fact: dict, key: str, headers: str):
    sources = fact.get("sources") or []
    zh = headers == "zh"
    if key == "n_sources":
        return len(sources)
    if key in ("titles", "files", "source_files", "pages", "quotes", "offsets"):
        pick = {"titles": lambda s: s.get("title") or "", "files": lambda s: s.get("doc") or "",
                "source_files": lambda s: s.get("source_file") or "", "pages": lambda s: str(s.get("page") or ""),
                "quotes": lambda s: s.get("quote") or "", "offsets": lambda s: f"{s.get('start')}-{s.get('end')}"}[key]
        values = [pick(s) for s in sources]
        return SEPARATOR.join(values) if any(values) else ""
    value = fact.get(key)
    if key == "aliases":
        return "、".join(value or []) if zh else "|".join(value or [])
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else str(value).lower()
    if key == "scope" and zh:
        return _SCOPE_ZH.get(value, value)
    if key == "role" and zh and value:
        return _ROLE_ZH.get(value, value)
    return "" if value is None else value


def _safe_text(value):
    """A text cell a spreadsheet shows as text: never run as a formula (=, +, @, or - before a non-number)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "@") or (
            isinstance(value, str) and value[:1] == "-" and not _is_number(value)):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(table: FactTable, facts, headers: str = "zh", bom: bool = True) -> str:
    """One fact type as CSV text; `bom` starts it with a UTF-8 byte-order mark, which Excel needs to
    read the file as UTF-8 (without it, a Chinese Excel reads GBK and shows garbage)."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for n, row in enumerate(table_rows(table, facts, headers)):
        writer.writerow(row if n == 0 or not bom else [_safe_text(v) for v in row])
    return out.getvalue()


def write_csv_files(store, directory: Path, types: list[str] | None = None, headers: str = "zh",
                    bom: bool = True) -> list[Path]:
    """One CSV file per fact type in `directory` (机构.csv … with Chinese headers, institutions.csv …
    with English ones)."""
    from kg.facts import FACT_TYPES

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in types or list(FACT_TYPES):
        table = FACT_TABLES[name]
        path = directory / f"{table.sheet if headers == 'zh' else table.file}.csv"
        path.write_text(to_csv(table, FACT_TYPES[name](store), headers, bom), encoding="utf-8", newline="")
        written.append(path)
    return written


def to_xlsx(store, types: list[str] | None = None, headers: str = "zh") -> bytes:
    """An Excel workbook with one sheet per fact type (openpyxl); text cells stay text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from kg.facts import FACT_TYPES

    book = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for name in types or list(FACT_TYPES):
        table = FACT_TABLES[name]
        sheet = book.create_sheet(table.sheet if headers == "zh" else table.file)
        sheet.freeze_panes = "A2"
        for key, width in zip(table.columns, _widths(table), strict=True):
            sheet.column_dimensions[_letter(table.columns.index(key))].width = width
        for n, row in enumerate(table_rows(table, FACT_TYPES[name](store), headers)):
            cells = []
            for value in row:
                cell = _sheet_cell(sheet, value)
                if n == 0:
                    cell.font = bold
                elif isinstance(value, str) and SEPARATOR in value:
                    cell.alignment = wrap
                cells.append(cell)
            sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_cell(sheet, value):
    """A cell that shows what it holds: text longer than a cell takes is cut with …, and text stays text
    (a quote that starts with = is no formula)."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) and len(value) > _EXCEL_CELL:
        value = value[:_EXCEL_CELL - 1] + "…"
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _widths(table: FactTable) -> list[int]:
    wide = {"quotes": 80, "titles": 30, "name": 28, "s": 28, "o": 28, "subject": 24, "measure": 30, "iri": 20,
            "aliases": 20, "files": 26, "source_files": 20}
    return [wide.get(c.key, 12) for c in table.columns]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def rows_to_xlsx(headers: list[str], rows: list[list], sheet_name: str = "结果") -> bytes:
    """One sheet of query results (a header row, then rows); text cells stay text, numbers numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name[:31] or "结果")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for n, row in enumerate([headers, *rows]):
        cells = []
        for value in row:
            cell = _sheet_cell(sheet, value)
            if n == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
