"""Tables of a plan, found by their structure in whatever layout a conversion left them.

Plans reach us as PDF or Word conversions, and one table comes out in many shapes. Every shape below
gives the same table model; nothing here depends on a plan's wording.

- ``tabs``: one row per line, cells separated by tabs (a row may open with empty cells); a cell that
  held a line break splits its row in two lines, which are joined again;
- ``pipes``: markdown rows ``| a | b |`` (the ``|---|`` rule is skipped);
- ``spaces``: columns aligned with runs of two or more spaces;
- ``cell-per-line``: one cell per line. Each cell starts on an indented (tab-prefixed) line, its text may go
  on over unindented lines (``2020年`` / ``基期值``), a bare tab is an empty cell, and rows are told
  apart by blank lines or, failing that, by the period of their sequence numbers (1, 2, 3 …);
  ``cell-per-line-plain``: the same without indentation (rows found by their sequence numbers only).

The model (`Table`): ``rows`` is a rectangular grid of `Cell` (original text and offsets), the first
``header_rows`` of them the header. `Table.header_path` gives the header cells above a column with
spans filled (年份 over 2020 and 2025 → ("年份", "2020")); `Table.body` the data rows, repeated header
rows dropped. A table cut by a page break (page numbers, 续表, a repeated header) is read as one table;
its notes (注：…, 备注：…) and its unit line (单位：张) are kept.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from kg.textnorm import is_dash, normalize_text

# ---------------------------------------------------------------------------------------------
# Lines and cells


@dataclass
class Line:
    start: int  # offset of the first character of the line
    end: int  # offset after the last character (newline excluded)
    raw: str

    @property
    def body(self) -> str:
        return self.raw.strip()

    @property
    def indented(self) -> bool:
        return bool(self.raw) and self.raw[0] in " \t\u3000"

    @property
    def content_start(self) -> int:
        return self.start + (len(self.raw) - len(self.raw.lstrip()))

    @property
    def content_end(self) -> int:
        return self.start + len(self.raw.rstrip())


def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        out.append(Line(pos, pos + len(raw), raw.rstrip("\r")))
        pos += len(raw) + 1
    return out


@dataclass
class Cell:
    text: str  # original text of the cell (continuation lines included), stripped
    start: int
    end: int

    @cached_property
    def norm(self) -> str:
        return normalize_text(self.text)

    @property
    def empty(self) -> bool:
        return is_empty_mark(self.text)


_EMPTY_MARKS = {"/", "／", "\\", "、"}


def is_empty_mark(text: str) -> bool:
    """A cell that holds no value: blank, a dash (—, -, －) or a slash (/, ／). Never a zero.

    >>> [is_empty_mark(t) for t in ("", " ", "—", "--", "/", "／", "0", "一")]
    [True, True, True, True, True, True, False, False]
    """
    stripped = "".join(text.split())
    return not stripped or is_dash(stripped) or stripped in _EMPTY_MARKS


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_VALUE = re.compile(
    r"^(?:[≥≤><]|不低于|不少于|不高于|不超过|约|力争)?=?"
    r"(?:\d+(?:\.\d+)?(?:[:：]\d+(?:\.\d+)?)?|\d+(?:\.\d+)?/\d+万?)"
    r"(?:%|‰|万|亿)?(?:左右|以上|以下|以内)?$")
_YEAR_HEAD = re.compile(r"^(?:19|20)\d{2}(?:年.*)?$")
_SEQ = re.compile(r"^\d{1,3}$")
_NOTE = re.compile(r"^[（(]?(?:注|备注|说明|资料来源|数据来源)\s*[0-9一二三四五六七八九十]*\s*[:：.．、）)]")
_UNIT_LINE = re.compile(r"^[（(]?\s*(?:计量)?单位\s*[:：（(]\s*([^（）()]+?)\s*[）)]?\s*[）)]?$")
_PAGE_MARK = re.compile(r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\f)$")
_CONTINUED = re.compile(r"^[（(]?续(?:表|上表)?\s*\d*[）)]?[:：]?$")
_TOC = re.compile(r"\.{4,}|…{2,}")
# a table's caption, never one of its cells (a header cell such as 主要指标 is shorter)
_CAPTION = re.compile(r"^(?:专栏|附表|表)\s*\d|^.{6,}(?:表|一览|规划|清单|配置|指标|情况|汇总)$|[（(]\s*单位")


def is_value_text(text: str) -> bool:
    """A data value as tables write it: a number with its comparator, %, ‰, a ratio or a dash.

    >>> [is_value_text(t) for t in ("0.74", "≥90", "4.5左右", "1:1.39", "2.36/10万", "—", "2020年", "预期性")]
    [True, True, True, True, True, True, False, False]
    """
    norm = normalize_text(text)
    if not norm or norm[0] in "（(":
        return False
    if is_empty_mark(norm):
        return True
    if _YEAR_HEAD.match(norm):
        return False
    return bool(_VALUE.match(norm)) or (len(norm) <= 12 and bool(_NUMBER.search(norm)) and not _has_cjk_run(norm, 3))


def _has_cjk_run(text: str, n: int) -> bool:
    run = 0
    for ch in text:
        run = run + 1 if "\u4e00" <= ch <= "\u9fff" else 0
        if run >= n:
            return True
    return False


def _is_year_head(text: str) -> bool:
    return bool(_YEAR_HEAD.match(normalize_text(text)))


def _is_page_rule(line: Line) -> bool:
    """A page number set off by dashes or words (— 9 —, 第9页), unindented: never a cell's text (a bare
    number on its own line may be one, 85 / 70)."""
    body = line.body.strip()
    return bool(body) and not line.indented and not body.isdigit() and bool(_PAGE_MARK.match(body))


def _is_seq(text: str) -> bool:
    return bool(_SEQ.match(text.strip()))


# ---------------------------------------------------------------------------------------------
# The model


@dataclass
class Table:
    """A table: a rectangular grid of cells, the first `header_rows` rows its header."""

    doc_id: str
    start: int
    end: int
    rows: list[list[Cell]]
    caption: str = ""
    section: tuple[str, ...] = ()
    layout: str = "tabs"  # tabs | pipes | spaces | cell-per-line | cell-per-line-plain
    header_rows: int = 0
    unit: str | None = None  # from a 单位：… line above the table
    notes: list[Cell] = field(default_factory=list)  # 注：… lines after it

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    @property
    def header(self) -> list[list[Cell]]:
        return self.rows[: self.header_rows]

    def header_path(self, col: int) -> tuple[str, ...]:
        """The header cells above column `col`, top to bottom, spans filled, normalised.

        A header cell left empty next to a filled one spans to the right when the row below names
        sub-columns (梧州 over 2020年 and 2025年目标); an empty cell spans down from the cell above.
        """
        path: list[str] = []
        for r in range(self.header_rows):
            text = self._spanned(r, col)
            if text and (not path or path[-1] != text):
                path.append(text)
        return tuple(path)

    def _spanned(self, r: int, col: int) -> str:
        row = self.rows[r]
        text = row[col].norm if col < len(row) else ""
        if text or r == self.header_rows - 1:
            return text
        below = self.rows[r + 1]
        if col < len(below) and below[col].norm:
            k = col - 1
            while k >= 0 and not row[k].norm:
                if k < len(below) and not below[k].norm:
                    return ""
                k -= 1
            return row[k].norm if k >= 0 else ""
        return ""

    def body(self) -> list[list[Cell]]:
        """The data rows; header rows repeated after a page break are dropped."""
        header = [tuple(c.norm for c in r) for r in self.header]
        out = []
        for row in self.rows[self.header_rows:]:
            if header and tuple(c.norm for c in row) in header:
                continue
            if all(c.empty and not c.text for c in row):
                continue
            out.append(row)
        return out


# ---------------------------------------------------------------------------------------------
# Reading: one pass over the lines finds every table


@dataclass
class Found:
    """A table and the lines it covers: `first` (the first row line) to `stop` (exclusive)."""

    table: Table
    first: int
    stop: int


def find_tables(lines: list[Line], text: str, doc_id: str,
                is_heading: Callable[[str], bool] = lambda body: False) -> list[Found]:
    """Every table of a plan, in order (a table interrupted by a page break is one)."""
    reader = _Reader(lines, text, doc_id, is_heading)
    found: list[Found] = []
    i = 0
    while i < len(lines):
        hit = reader.table_at(i)
        if hit is None:
            i += 1
            continue
        hit = reader.continue_over_page_breaks(hit)
        reader.finish(hit)
        found.append(hit)
        i = hit.stop
    return found


class _Reader:
    def __init__(self, lines: list[Line], text: str, doc_id: str, is_heading: Callable[[str], bool]) -> None:
        self.lines = lines
        self.text = text
        self.doc_id = doc_id
        self.is_heading = is_heading
        self.cell_runs_tried: set[int] = set()

    # -- dispatch ---------------------------------------------------------------------------------
    def table_at(self, i: int) -> Found | None:
        line = self.lines[i]
        if not line.body and not line.raw.startswith("\t"):
            return None
        if _TOC.search(line.body):
            return None
        if _pipe_cells(line) is not None:
            return self._grid_table(i, "pipes", _pipe_cells)
        if _tab_cells(line) is not None:
            return self._grid_table(i, "tabs", _tab_cells)
        if _space_cells(line) is not None:
            return self._grid_table(i, "spaces", _space_cells)
        if _word_cells(line) is not None:
            found = self._grid_table(i, "words", _word_cells)
            if found is not None:
                return found
        if i not in self.cell_runs_tried and (line.indented or _is_seq(line.body) or self._short(line)):
            return self._cell_table(i)
        return None

    def _short(self, line: Line) -> bool:
        return 0 < len(line.body) <= 30 and not self.is_heading(line.body)

    # -- one row per line ---------------------------------------------------------------------------
    def _grid_table(self, i: int, layout: str, splitter) -> Found | None:
        pieces: list[list[Cell]] = []
        piece_lines: list[int] = []
        lines, n = self.lines, len(self.lines)
        j = last = i
        while j < n:
            line = lines[j]
            cells = splitter(line)
            if cells is not None:
                pieces.append(cells)
                piece_lines.append(j)
                last = j
                j += 1
                continue
            if layout == "pipes" and _PIPE_RULE.match(line.body):
                j += 1
                continue
            if not line.body:
                m = j
                while m < n and not lines[m].body:
                    m += 1
                if m < n and m - j <= 2 and splitter(lines[m]) is not None:
                    j = m
                    continue
                break
            # a cell that held a line break: its second half stands alone on a line
            if layout == "tabs" and pieces and self._fragment(line) and j + 1 < n \
                    and splitter(lines[j + 1]) is not None:
                pieces.append([Cell(line.body, line.content_start, line.content_end)])
                j += 1
                continue
            # a row whose name held a line break, set off by spaces: its number and the name's first half on
            # one line (2     每千常住人口医疗卫生机构), the rest and the values on the next
            started = _space_row_start(line) if layout == "spaces" and pieces and j + 1 < n else None
            if started is not None and splitter(lines[j + 1]) is not None:
                pieces.append(started)
                j += 1
                continue
            break
        rows = [r for r in _join_broken_rows(pieces, self.text) if any(c.text for c in r)]
        if len(rows) < 2 or sum(1 for r in rows if sum(1 for c in r if c.text) >= 2) < 2:
            return None
        if layout == "spaces" and not any(c.text and is_value_text(c.text) for r in rows for c in r):
            return None
        if layout == "words":
            # cells set off by single spaces: only a run of rows as wide as the first, a header of words
            # over at least two rows of values, is a table (a line of prose has spaces too)
            width = len(rows[0])
            run = list(itertools.takewhile(lambda r: len(r) == width, rows))
            if len(run) < 3 or any(is_value_text(c.text) for c in run[0]) \
                    or sum(1 for r in run[1:] if sum(is_value_text(c.text) or bool(_BARE_NUMBER.match(c.norm))
                                                     for c in r) >= 2) < 2:
                return None
            if len(run) < len(rows):
                last = piece_lines[len(run) - 1]
            rows = run
        return Found(self._make(rows, layout), i, last + 1)

    @staticmethod
    def _width(rows: list[list[Cell]]) -> int:
        return Counter(len(r) for r in rows).most_common(1)[0][0]

    def _fragment(self, line: Line) -> bool:
        return 0 < len(line.body) <= 40 and not _NOTE.match(line.body) and not self.is_heading(line.body)

    # -- one cell per line ----------------------------------------------------------------------------
    def _cell_table(self, i: int) -> Found | None:
        indented = self.lines[i].indented
        items = list(self._cell_items(i, indented))
        # remember the whole run so it is not tried again from each of its lines
        for _, first, last in items:
            for k in range(first, last + 1):
                self.cell_runs_tried.add(k)
        self.cell_runs_tried.add(i)
        cells = [cell for cell, _, _ in items if cell is not None]
        if len(cells) < 6:
            return None
        groups = _groups(items)
        layout = "cell-per-line" if indented else "cell-per-line-plain"
        grid = _rows_from_groups(groups) if indented else None
        if grid is None:
            grid = _rows_from_sequence(cells, merge_header=not indented)
        if grid is None:
            grid = _rows_under_group_cells(cells)
        if grid is None:
            grid = _rows_from_rhythm(cells)
        if grid is None:
            return None
        rows, used = grid
        if len(rows) < 2:
            return None
        first_line = next(f for c, f, _ in items if c is not None and c.start >= used[0].start)
        last_line = next(last for c, _, last in reversed(items) if c is not None and c.end <= used[-1].end)
        table = self._make(rows, layout)
        return Found(table, first_line, last_line + 1)

    def _cell_items(self, i: int, indented: bool) -> Iterator[tuple[Cell | None, int, int]]:
        """(cell, first line, last line) for each cell of a run; (None, k, k) marks a row break."""
        lines, n = self.lines, len(self.lines)
        k = i
        while k < n:
            line = lines[k]
            if not line.body and not line.raw.startswith("\t"):
                m = self._past_blanks(k)
                if m >= n or not self._cell_start(lines[m], indented) or m - k > 3:
                    return
                yield None, k, k
                k = m
                continue
            if indented and _is_page_rule(line):
                # a page break inside the run (— 9 —): the cells go on after it
                m = self._past_blanks(k + 1)
                if m < n and m - k <= 3 and self._cell_start(lines[m], indented):
                    k = m
                    continue
                return
            if not self._cell_start(line, indented):
                return
            last = k
            if indented:
                m = k + 1
                while m < n:
                    nxt = lines[m]
                    if not nxt.body and not nxt.raw.startswith("\t"):
                        # a blank line inside a cell (2020年 / blank / 实际值) is followed by its text
                        p = self._past_blanks(m)
                        if p < n and p - m <= 1 and self._continuation(lines[p]) and \
                                (len(lines[p].body) <= 8 or is_value_text(lines[p].body)):
                            m = p
                            continue
                        break
                    if not self._continuation(nxt):
                        break
                    last = m
                    m += 1
            a, b = line.content_start, lines[last].content_end
            yield Cell(self.text[a:b].strip() if b > a else "", a, max(a, b)), k, last
            k = last + 1

    def _past_blanks(self, k: int) -> int:
        """The first line from k on that is not blank (a bare tab is an empty cell, not a blank)."""
        while k < len(self.lines) and not self.lines[k].body and not self.lines[k].raw.startswith("\t"):
            k += 1
        return k

    def _cell_start(self, line: Line, indented: bool) -> bool:
        if indented:
            if not line.indented:
                return False
            return not line.body or (len(line.body) <= 80 and not _TOC.search(line.body)
                                     and "\t" not in line.raw.strip("\t ")
                                     and not (len(line.body) > 40 and line.body.endswith("。")))
        return bool(line.body) and len(line.body) <= 30 and not self.is_heading(line.body) \
            and not _NOTE.match(line.body) and "\t" not in line.raw and not line.body.endswith("。") \
            and not _CAPTION.search(line.body)

    def _continuation(self, line: Line) -> bool:
        """An unindented line going on with the cell above (2020年 / 基期值), not a caption."""
        return (not line.indented and 0 < len(line.body) <= 30 and "\t" not in line.raw
                and not _is_page_rule(line) and not self.is_heading(line.body) and not _NOTE.match(line.body)
                and not _TOC.search(line.body) and not _CAPTION.search(line.body))

    # -- the model --------------------------------------------------------------------------------
    def _make(self, rows: list[list[Cell]], layout: str) -> Table:
        width = max(len(r) for r in rows)
        grid = [_place_short_row(r, width, rows) if len(r) < width else r for r in rows]
        return Table(self.doc_id, min(c.start for r in grid for c in r if c.text),
                     max(c.end for r in grid for c in r if c.text), grid, layout=layout,
                     header_rows=count_header_rows(grid))

    def finish(self, found: Found) -> None:
        """Caption and unit from the lines above, notes from the lines below."""
        table = found.table
        m = found.first - 1
        while m >= 0 and not self.lines[m].body:
            m -= 1
        if m >= 0:
            unit = _UNIT_LINE.match(normalize_text(self.lines[m].body))
            if unit:
                table.unit = unit.group(1)
                m -= 1
                while m >= 0 and not self.lines[m].body:
                    m -= 1
        if m >= 0 and len(self.lines[m].body) <= 60 and "\t" not in self.lines[m].raw.strip() \
                and not self.lines[m].body.endswith(("。", "；")):
            table.caption = re.sub(r"^#+\s*|\*\*", "", self.lines[m].body).strip()
            tail = re.search(r"[（(]\s*单位\s*[:：]\s*([^（）()]+?)\s*[）)]\s*$", normalize_text(table.caption))
            if tail and table.unit is None:
                table.unit = tail.group(1)
        k = found.stop
        while k < len(self.lines) and k - found.stop <= 3:
            body = self.lines[k].body
            if body and _NOTE.match(body):
                table.notes.append(Cell(body, self.lines[k].content_start, self.lines[k].content_end))
            elif body:
                break
            k += 1

    def continue_over_page_breaks(self, found: Found) -> Found:
        """Rows after a page break (page number, 续表, a repeated caption or header) join the table."""
        while True:
            k = found.stop
            skipped = 0
            while k < len(self.lines):
                body = self.lines[k].body
                if not body or _PAGE_MARK.match(body) or _CONTINUED.match(normalize_text(body)) or \
                        (found.table.caption and body == found.table.caption):
                    k += 1
                    skipped += 1
                    continue
                break
            if k >= len(self.lines) or skipped == 0 or k == found.stop and skipped == 0:
                return found
            if not any(_PAGE_MARK.match(self.lines[m].body) or _CONTINUED.match(normalize_text(self.lines[m].body))
                       for m in range(found.stop, k) if self.lines[m].body):
                return found  # blank lines alone do not say the table goes on
            nxt = self.table_at(k)
            if nxt is None or nxt.table.width != found.table.width:
                return found
            head = [tuple(c.norm for c in r) for r in found.table.header]
            extra = nxt.table.rows
            if nxt.table.header_rows:
                if [tuple(c.norm for c in r) for r in nxt.table.header] != head:
                    return found
                extra = nxt.table.body()
            table = found.table
            table.rows.extend(extra)
            table.end = max(table.end, nxt.table.end)
            found = Found(table, found.first, nxt.stop)


def _place_short_row(row: list[Cell], width: int, rows: list[list[Cell]]) -> list[Cell]:
    """A row with fewer cells than the table: padded on the right (trailing empty cells dropped), or on
    the left when its first cells are under a cell spanning rows above (领域 written once for its group:
    资源配置 / 1 / 每千… on the first row, 2 / 每千… on the next), which the kinds of its cells tell:
    numbers stand under the full rows' numbers, words under their words."""
    def kinds(cells: list[Cell]) -> list[bool]:
        return [is_value_text(c.text) or bool(_BARE_NUMBER.match(c.norm)) for c in cells]

    full = [kinds(r) for r in rows if len(r) == width and any(is_value_text(c.text) for c in r[1:])]
    best = 0
    if len(full) >= 1 and len(row) >= 2 and any(is_value_text(c.text) for c in row):
        columns = [Counter(k[c] for k in full).most_common(1)[0][0] for c in range(width)]
        own = kinds(row)

        def fit(offset: int) -> int:
            return sum(own[i] == columns[offset + i] for i in range(len(row)))

        scores = [fit(o) for o in range(width - len(row) + 1)]
        best = max(range(len(scores)), key=lambda o: (scores[o], -o))
        if scores[best] <= scores[0]:
            best = 0
    left = [Cell("", row[0].start, row[0].start)] * best
    right = [Cell("", row[-1].end, row[-1].end)] * (width - len(row) - best)
    return left + row + right


# -- row splitters for the one-row-per-line layouts ---------------------------------------------------

_PIPE_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")


def _split(line: Line, pieces: list[tuple[int, int]]) -> list[Cell]:
    out = []
    for a, b in pieces:
        part = line.raw[a:b]
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        out.append(Cell(body, line.start + a + lead, line.start + a + lead + len(body)))
    return out


def _tab_cells(line: Line) -> list[Cell] | None:
    raw = line.raw
    if "\t" not in raw.strip("\t ") and not (raw.startswith("\t\t") and raw.strip()):
        return None
    pieces, pos = [], 0
    for part in raw.split("\t"):
        pieces.append((pos, pos + len(part)))
        pos += len(part) + 1
    cells = _split(line, pieces)
    filled = [c for c in cells if c.text]
    if len(filled) < 2 and not (raw.startswith("\t\t") and filled):
        return None
    if raw.startswith("\t") and raw.lstrip("\t").count("\t") == 0:
        return None  # an indented single cell (one cell per line, or an indented paragraph)
    return cells


def _pipe_cells(line: Line) -> list[Cell] | None:
    body = line.body
    if not (body.startswith("|") and body.count("|") >= 3) or _PIPE_RULE.match(body):
        return None
    raw = line.raw
    first = raw.index("|")
    last = raw.rindex("|")
    pieces, pos = [], first + 1
    for part in raw[first + 1:last].split("|"):
        pieces.append((pos, pos + len(part)))
        pos += len(part) + 1
    return _split(line, pieces)


_SPACE_GAP = re.compile(r"(?: {2,}|\u3000+| ?\u3000 ?)")


def _space_cells(line: Line) -> list[Cell] | None:
    body = line.body
    if "\t" in line.raw or len(body) > 160:
        return None
    offset = len(line.raw) - len(line.raw.lstrip())
    pieces, pos = [], offset
    for m in _SPACE_GAP.finditer(line.raw, offset):
        if m.start() > pos and m.end() < len(line.raw.rstrip()):
            pieces.append((pos, m.start()))
            pos = m.end()
    pieces.append((pos, len(line.raw.rstrip())))
    pieces = [(a, b) for a, b in pieces if line.raw[a:b].strip()]
    if len(pieces) < 3:
        return None
    cells = _split(line, pieces)
    if any(c.text.endswith(("。", "；", "，")) for c in cells):
        return None
    return cells


def _space_row_start(line: Line) -> list[Cell] | None:
    """The first line of a space-set row whose name breaks: a sequence number and words, nothing else."""
    if "\t" in line.raw or not line.body or len(line.body) > 60:
        return None
    offset = len(line.raw) - len(line.raw.lstrip())
    end = len(line.raw.rstrip())
    gaps = [m for m in _SPACE_GAP.finditer(line.raw, offset) if offset < m.start() and m.end() < end]
    if len(gaps) != 1:
        return None
    cells = _split(line, [(offset, gaps[0].start()), (gaps[0].end(), end)])
    name = cells[1].text
    if not _is_seq(cells[0].text) or is_value_text(name) or name.endswith(("。", "；", "，")):
        return None
    return cells


def _word_cells(line: Line) -> list[Cell] | None:
    """A row whose cells are set off by single spaces (a conversion that kept no columns): short, no
    sentence punctuation, three cells or more."""
    body = line.body
    if "\t" in line.raw or len(body) > 100 or " " not in body or any(p in body for p in "，。；、！？"):
        return None
    offset = len(line.raw) - len(line.raw.lstrip())
    end = len(line.raw.rstrip())
    pieces = [(m.start(), m.end()) for m in re.finditer(r"[^ \u3000]+", line.raw[:end]) if m.start() >= offset]
    if len(pieces) < 3:
        return None
    return _split(line, pieces)


def _join(a: Cell, b: Cell, text: str) -> Cell:
    if not b.text:
        return a
    if not a.text:
        return b
    return Cell(text[a.start:b.end].strip(), a.start, b.end)


def _join_broken_rows(pieces: list[list[Cell]], text: str) -> list[list[Cell]]:
    """Rows whose cell held a line break come as two short pieces: join them again.

    A piece shorter than the table continues on the next piece when together they make at most a
    full row, the broken cell is text (not a value) and the next piece does not open a new row.
    """
    if not any(sum(1 for c in r if c.text) >= 2 for r in pieces):
        return pieces
    width = max(len(r) for r in pieces)
    out: list[list[Cell]] = []
    for row in pieces:
        prev = out[-1] if out else None
        if prev is not None and len(prev) < width and prev[-1].text and not is_value_text(prev[-1].text):
            head = row[0]
            opens_row = len(row) > 1 and _is_seq(row[1].text) if not head.text else \
                (is_value_text(head.text) or _is_seq(head.text))
            fits = len(prev) + len(row) - 1 == width if not head.text else len(prev) + len(row) - 1 <= width
            if fits and not opens_row:
                out[-1] = prev[:-1] + [_join(prev[-1], head, text)] + row[1:]
                continue
        out.append(row)
    return out


# -- grouping cells into rows ------------------------------------------------------------------------

def _groups(items: list[tuple[Cell | None, int, int]]) -> list[list[Cell]]:
    groups: list[list[Cell]] = [[]]
    for cell, _, _ in items:
        if cell is None:
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(cell)
    return [g for g in groups if g]


def _rows_from_groups(groups: list[list[Cell]]) -> tuple[list[list[Cell]], list[Cell]] | None:
    """Rows separated by blank lines: the groups of the common size k ≥ 3 are rows; the groups
    before the first of them make the header (two short groups: a spanning header over sub-columns)."""
    if len(groups) < 3:
        return None
    sizes = Counter(len(g) for g in groups if len(g) >= 3)
    if not sizes:
        return None
    k, count = sizes.most_common(1)[0]
    if count < 2:
        return None
    first = next(idx for idx, g in enumerate(groups) if len(g) == k or len(g) % k == 0)
    rows: list[list[Cell]] = []
    # groups of k after the first: the body, as long as the rhythm holds
    body_end = first
    for idx in range(first, len(groups)):
        g = groups[idx]
        if len(g) % k == 0:
            rows.extend(g[m:m + k] for m in range(0, len(g), k))
            body_end = idx + 1
        elif len(g) == k - 1 and _is_seq_at(g, k):
            rows.append([Cell("", g[0].start, g[0].start)] + g)
            body_end = idx + 1
        else:
            break
    if body_end - first < 2 and len(rows) < 3:
        return None
    header = _header_groups(groups[max(0, first - 2):first], k, rows)
    rows = header + rows
    used = [c for r in rows for c in r if c.text or c.end > c.start]
    used = [c for g in groups[max(0, first - 2):body_end] for c in g]
    return rows, used


def _is_seq_at(group: list[Cell], k: int) -> bool:
    return any(_is_seq(c.text) for c in group[:2])


def _header_groups(before: list[list[Cell]], k: int, body: list[list[Cell]]) -> list[list[Cell]]:
    """Header rows from the short groups just above the body (none when they do not fit)."""
    if not before:
        return []
    last = before[-1]
    if len(last) == k:
        return [last]
    if len(before) == 2 and len(before[0]) < k and len(last) < k:
        top, sub = before
        span = len(top) + len(last) - k + 1  # the top cell over the sub-columns covers this many
        if span == len(sub) + 0 or len(top) - 1 + len(sub) == k:
            at = _spanning_position(top, sub, body)
            if at is not None:
                pad = Cell("", top[at].end, top[at].end)
                top_row = top[:at + 1] + [pad] * (len(sub) - 1) + top[at + 1:]
                sub_row = [Cell("", top[m].end, top[m].end) for m in range(at)] + sub + \
                          [Cell("", top[m].end, top[m].end) for m in range(at + 1, len(top))]
                return [top_row, sub_row]
    return []


def _spanning_position(top: list[Cell], sub: list[Cell], body: list[list[Cell]]) -> int | None:
    """Which top header cell spans the sub-columns: where the body holds values under them."""
    best, best_score = None, -1.0
    for at in range(len(top)):
        cols = range(at, at + len(sub))
        score = sum(is_value_text(r[c].text) for r in body for c in cols if c < len(r)) / max(1, len(body) * len(sub))
        if score > best_score:
            best, best_score = at, score
    return best if best_score >= 0.5 else None


def _rows_from_sequence(cells: list[Cell], merge_header: bool = True) -> tuple[list[list[Cell]], list[Cell]] | None:
    """Rows recognised by their sequence numbers 1, 2, 3 … at a fixed period."""
    seq_at = [k for k, c in enumerate(cells) if _is_seq(c.text)]
    # the longest chain of consecutive numbers
    best: list[int] = []
    for s in seq_at:
        if int(cells[s].text) != 1:
            continue
        chain = [s]
        for t in seq_at:
            if t > chain[-1] and int(cells[t].text) == int(cells[chain[-1]].text) + 1:
                chain.append(t)
        if len(chain) > len(best):
            best = chain
    if len(best) < 3:
        return None
    gaps = Counter(b - a for a, b in zip(best, best[1:], strict=False))
    period = gaps.most_common(1)[0][0]
    if period < 3 or any(g % period for g in gaps):
        return None
    named = _header_over_numbers(cells, best[0], period)
    # the header: the cells just above the first row, as many as a row has (broken header cells
    # joined); the sequence column is where 序号 stands in it
    candidates: list[tuple[int, int, int, int, list[Cell]]] = []  # (rows, preference, first row, offset, header)
    for first_row in range(best[0], best[0] - period, -1) if named is None else ():
        offset = best[0] - first_row
        for h in range(first_row - period, max(-1, first_row - 2 * period - 1), -1):
            head = _merge_header_lines(cells[h:first_row], merge_header)
            if len(head) > period:
                break
            if len(head) == period and not any(is_value_text(c.text) for c in head):
                seq_named = "序号" in head[offset].norm
                complete = (len(cells) - first_row) // period  # the shift that leaves no row cut short
                candidates.append((-complete, 0 if seq_named else 1 + offset, first_row, offset, head))
                break
    found = min(candidates, key=lambda c: c[:2])[2:] if candidates else None
    first_row, offset, header_cells = found if found else (best[0], 0, None)
    if named is not None:
        first_row, offset, header_cells = best[0], 0, None
    rows: list[list[Cell]] = []
    k = first_row
    while k + period <= len(cells):
        row = cells[k:k + period]
        if not _is_seq(row[offset].text) and not (not row[offset].text):
            break
        rows.append(row)
        k += period
    if len(rows) < 3:
        return None
    used_start = first_row
    header_rows: list[list[Cell]] = named or []
    if header_cells is not None and len(header_cells) == period:
        header_rows = [header_cells]
    if named is None and (not header_rows or _misaligned(header_rows[-1], rows)):
        # a header cell spanning sub-columns (指标值 over 2020年 and 2025年) gives one cell more above
        # the first row than a row has: the top row, then the sub-columns' names
        spanning = _spanning_header(cells[:first_row], period, rows)
        if spanning is not None:
            header_rows = spanning
    if header_rows:
        rows = header_rows + rows
        first_cell = next(c for c in header_rows[0] if c.text)
        used_start = next(m for m, c in enumerate(cells) if c.start == first_cell.start)
    used = cells[used_start:k]
    return rows, used


def _header_over_numbers(cells: list[Cell], first: int, period: int) -> list[list[Cell]] | None:
    """A run of cells opening with 序号 one or two rows above the first number: the number column is the
    first, the rows open with their numbers, and the cells from 序号 on are the header, one row or two
    (年份 / 指标值 over 2020年 and 2025年, a bare tab for each empty header cell). Read so, the phase of
    the rows is the number's, whatever cells follow the table. (序号 after another column, 领域 | 序号,
    is left to the general reading.)"""
    for rows in (1, 2):
        at = first - rows * period
        if at == 0 and cells[at].norm == "序号":
            head = [cells[at + r * period: at + (r + 1) * period] for r in range(rows)]
            if not any(is_value_text(c.text) or _is_seq(c.text) for row in head for c in row):
                return head
    return None


def _rows_under_group_cells(cells: list[Cell]) -> tuple[list[list[Cell]], list[Cell]] | None:
    """Rows numbered 1, 2, 3 … whose first column names a group once, on the group's first row (资源配置 /
    1 / 每千… / …, then 2 / 每千… / …): the numbers come every p or p−1 cells. The header is the p cells
    above the first row; a row without its group cell gets an empty one."""
    seq_at = [k for k, c in enumerate(cells) if _is_seq(c.text)]
    chain: list[int] = []
    for s in seq_at:
        if not chain:
            if int(cells[s].text) == 1:
                chain = [s]
        elif int(cells[s].text) == int(cells[chain[-1]].text) + 1 and s - chain[-1] >= 3:
            chain.append(s)
    if len(chain) < 3:
        return None
    gaps = [b - a for a, b in zip(chain, chain[1:], strict=False)]
    period = max(gaps)
    if period < 4 or set(gaps) != {period, period - 1}:
        return None
    first = chain[0] - 1  # the first row opens with its group cell
    if first - period < 0:
        return None
    header = cells[first - period:first]
    if any(is_value_text(c.text) for c in header) or is_value_text(cells[first].text):
        return None
    rows = [header]
    for i, s in enumerate(chain):
        group = cells[s - 1] if i == 0 or gaps[i - 1] == period else Cell("", cells[s].start, cells[s].start)
        rest = cells[s:s + period - 1]
        if len(rest) < period - 1 or is_value_text(group.text):
            return None
        rows.append([group, *rest])
    return rows, cells[first - period:chain[-1] + period - 1]


def _misaligned(head: list[Cell], body: list[list[Cell]]) -> bool:
    """A header whose year columns stand over words: it is not the body's header."""
    for c, cell in enumerate(head):
        if _is_year_head(cell.text):
            values = sum(is_value_text(r[c].text) for r in body if c < len(r))
            if values * 2 < len(body):
                return True
    return False


def _spanning_header(above: list[Cell], period: int, body: list[list[Cell]]) -> list[list[Cell]] | None:
    """Two header rows from the cells above the first row when one top cell spans the sub-columns
    named last (year heads or the words of a year column: 2020年 / 2025年, 基期值 / 目标值)."""
    subs = 0
    while subs < len(above) and (_is_year_head(above[-1 - subs].text)
                                 or above[-1 - subs].norm in _HEADER_TAILS):
        subs += 1
    if subs < 2:
        return None
    top_count = period + 1 - subs
    if top_count < 2 or len(above) < top_count + subs:
        return None
    top = above[len(above) - subs - top_count: len(above) - subs]
    sub = above[len(above) - subs:]
    if any(is_value_text(c.text) or _is_seq(c.text) for c in top):
        return None
    at = _spanning_position(top, sub, body)
    if at is None:
        return None
    pad = Cell("", top[at].end, top[at].end)
    top_row = top[:at + 1] + [pad] * (len(sub) - 1) + top[at + 1:]
    sub_row = [Cell("", top[m].end, top[m].end) for m in range(at)] + sub + \
              [Cell("", top[m].end, top[m].end) for m in range(at + 1, len(top))]
    if _misaligned(sub_row, body):
        return None
    return [top_row, sub_row]


def _rows_from_rhythm(cells: list[Cell]) -> tuple[list[list[Cell]], list[Cell]] | None:
    """Rows without sequence numbers: the shortest period p at which the first p cells are a header
    of words and every later column holds only values or only words, with at least two rows and a
    column of values (医院名称 / 现有床位 / 规划床位, then a name and two numbers per hospital)."""
    for period in range(2, 9):
        header = cells[:period]
        if len(header) < period or any(is_value_text(c.text) or _is_seq(c.text) for c in header):
            return None
        rows = [cells[k:k + period] for k in range(period, len(cells) - period + 1, period)]
        kept: list[list[Cell]] = []
        # what each column holds (values or words), from its first filled cell: an empty cell (—, /)
        # stands in a column of words as well as in one of values (合计 | — | 32, 岩头镇急救站 | / | 1)
        kinds: list[bool | None] = [None] * period
        for row in rows:
            # in a body row a bare 2000 is a count (of beds), not a year
            row_kinds = [is_value_text(c.text) or bool(_BARE_NUMBER.match(c.norm)) for c in row]
            if row_kinds[0]:
                break  # a row opens with its name
            if any(kinds[k] is not None and kinds[k] != row_kinds[k] for k, c in enumerate(row) if not c.empty):
                break
            for k, c in enumerate(row):
                if kinds[k] is None and not c.empty:
                    kinds[k] = row_kinds[k]
            kept.append(row)
        if len(kept) >= 2 and any(kinds):
            used = cells[: period * (len(kept) + 1)]
            return [header] + kept, used
        if len(kept) >= 2 and all(c.norm.endswith(_TEXT_HEADER_TAILS) for c in header) \
                and period * (len(kept) + 1) == len(cells):
            # a table of words (专栏: 项目名称 / 建设内容): every header cell says what its column holds,
            # and the run is whole rows to its end
            return [header] + kept, cells
    return None


# header cells of columns of words (a project table): what each column holds
_TEXT_HEADER_TAILS = ("名称", "内容", "规模", "单位", "业主", "地点", "备注", "说明", "年限", "类别", "类型", "性质",
                      "主体", "任务", "措施", "投资", "进度", "时间")


_BARE_NUMBER = re.compile(r"^\d+$")
_HEADER_TAILS = ("基期值", "目标值", "实际值", "现状值", "规划值", "预期值", "指标值", "完成值")


def _merge_header_lines(head: list[Cell], merge: bool = True) -> list[Cell]:
    """Header cells; without indentation to tell cells apart, a broken header cell is joined again
    (2020年 + 基期值, 床位数 + （张）)."""
    merged: list[Cell] = []
    for cell in head:
        norm = cell.norm
        if merge and merged and (norm.startswith(("（", "(")) or norm in _HEADER_TAILS):
            prev = merged[-1]
            merged[-1] = Cell(prev.text + "\n" + cell.text, prev.start, cell.end)
        else:
            merged.append(cell)
    return merged


# -- header rows -------------------------------------------------------------------------------------

def count_header_rows(rows: list[list[Cell]]) -> int:
    """How many leading rows are header: rows without data values (years are header words), at
    most three, a row opening with a sequence number never."""
    count = 0
    for r, row in enumerate(rows[:3]):
        filled = [c for c in row if c.text]
        if not filled:
            break
        if _is_seq(filled[0].text) and len(filled) > 1:
            break
        if any(is_value_text(c.text) and not _is_year_head(c.text) for c in filled):
            break
        if r > 0:
            # a lower header row names sub-columns: it leaves the first column to the row above, or
            # holds years
            if row[0].text and not any(_is_year_head(c.text) for c in filled):
                break
        count += 1
    if count == len(rows):
        return min(1, count)
    return count
