"""Plans + `documents.json` → plain records: sections, sentences and tables with original offsets.

Plans arrive as messy PDF conversions. The loader keeps the decoded text untouched (offsets are
code points of that text) and derives, for matching, a normalised form of each sentence with a map
back to the original. It recognises:

- headings (一、 （一） 1. （1） and markdown #) as a section tree;
- tables, in every layout conversions produce (kg/tables.py reads them);
- tables of contents (dot leaders), which are skipped;
- sentences broken across lines by the conversion (joined), and lines cut off mid-sentence
  (kept, flagged `truncated` so extraction does not produce half facts from them).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import CorpusError, MetadataError, NotTextError
from kg.tables import Cell, Line, Table, find_tables, split_lines
from kg.textnorm import Normalized, normalize

__all__ = ["Cell", "Plan", "PlanMeta", "Sentence", "Table", "load_corpus", "parse_plan", "read_text"]

METADATA_FILE = "documents.json"
TERMINAL = "。；！？"
_LINE_END_OK = TERMINAL + "：:”」）)》"
_HEADING_PATTERNS = [
    (1, re.compile(r"^[一二三四五六七八九十]+、")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
    (3, re.compile(r"^\d{1,2}\s*[.．、](?!\d)")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
]
_MARKDOWN = re.compile(r"^(#{1,6})\s*")
_BOLD = re.compile(r"\*\*")
_TOC = re.compile(r"\.{4,}|…{2,}")


@dataclass
class Sentence:
    """One sentence (or table row, or heading) with its original span and its normalised form."""

    doc_id: str
    start: int
    end: int
    text: str  # the exact original substring text[start:end]
    norm: Normalized
    section: tuple[str, ...] = ()
    kind: str = "prose"  # prose | heading | table
    truncated: bool = False  # cut off mid-sentence in the source (a line cut at ~50 characters)

    def span_of(self, norm_start: int, norm_end: int) -> tuple[int, int]:
        """Original offsets of a span of the normalised sentence."""
        return self.norm.original_span(norm_start, norm_end)


@dataclass
class PlanMeta:
    file: str
    city: str
    province: str
    title: str
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None
    note: str | None = None

    @classmethod
    def from_json(cls, record: dict) -> PlanMeta:
        missing = [k for k in ("file", "city", "province", "title") if not record.get(k)]
        if missing:
            raise MetadataError(
                f"documents.json: entry {record.get('file', '?')!r} lacks {', '.join(missing)}",
                hint="every plan needs file, city, province and title (kg add sets them)",
            )
        wrong = [k for k in cls.__dataclass_fields__ if record.get(k) is not None and not isinstance(record[k], str)]
        if wrong:
            raise MetadataError(f"documents.json: entry {record['file']!r}: {', '.join(wrong)} must be text")
        if Path(record["file"]).name != record["file"] or record["file"] in (".", ".."):
            # a path would read files outside the corpus
            raise MetadataError(f"documents.json: file {record['file']!r} must be a file name in the corpus directory")
        if record.get("date") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(record["date"])):
            raise MetadataError(f"documents.json: date {record['date']!r} is not YYYY-MM-DD")
        known = {k: record.get(k) for k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class Plan:
    doc_id: str
    meta: PlanMeta
    text: str
    sha256: str
    sentences: list[Sentence] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading files


def read_text(path: Path) -> tuple[str, str | None]:
    """Decode a plan file: UTF-8 (with or without BOM); GB18030 is converted with a warning.

    Returns (text, warning). Raises NotTextError for binary files.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror}") from None
    if b"\x00" in raw[:8192]:
        raise NotTextError(f"{path.name} is not a text file (it holds NUL bytes)",
                           hint="convert the plan to UTF-8 text first (e.g. pdftotext)")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise NotTextError(f"{path.name} is neither UTF-8 nor GB18030 text",
                           hint="save the plan as UTF-8 text") from None
    if _cjk_ratio(text) < 0.2:
        raise NotTextError(f"{path.name} does not look like Chinese text in any known encoding")
    return text, f"{path.name}: read as GB18030 and converted to UTF-8"


def _cjk_ratio(text: str) -> float:
    sample = text[:5000]
    visible = [c for c in sample if not c.isspace()]
    if not visible:
        return 0.0
    return sum("\u4e00" <= c <= "\u9fff" for c in visible) / len(visible)


def load_metadata(corpus_dir: Path) -> list[PlanMeta]:
    meta_path = corpus_dir / METADATA_FILE
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus directory {corpus_dir} does not exist",
                          hint="pass --corpus DIR or set KG_CORPUS")
    if not meta_path.exists():
        raise MetadataError(f"{meta_path} is missing", hint="add plans with `kg add FILE --city …`")
    try:
        records = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MetadataError(f"{meta_path} is not valid UTF-8 JSON: {exc}") from None
    if not isinstance(records, list):
        raise MetadataError(f"{meta_path} must hold a JSON list of plan entries")
    metas = [PlanMeta.from_json(r if isinstance(r, dict) else {}) for r in records]
    if not metas:
        # building nothing would replace the current graph with an empty one
        raise MetadataError(f"{meta_path} lists no plans", hint="add plans with `kg add FILE --city …`")
    seen: set[str] = set()
    for meta in metas:
        if meta.file in seen:
            raise MetadataError(f"{meta_path} lists {meta.file} twice")
        seen.add(meta.file)
    return metas


def load_corpus(corpus_dir: Path, warn=None) -> list[Plan]:
    """Load every plan listed in `documents.json`, in file order."""
    plans = []
    for meta in load_metadata(corpus_dir):
        path = corpus_dir / meta.file
        if not path.exists():
            raise CorpusError(f"documents.json lists {meta.file}, which is not in {corpus_dir}")
        text, warning = read_text(path)
        if not text.strip():
            raise CorpusError(f"{meta.file} is empty", hint="remove it from documents.json or add its text")
        if warning and warn:
            warn(warning)
        plans.append(parse_plan(Path(meta.file).stem, meta, text))
    return plans


# ---------------------------------------------------------------------------------------------
# Parsing


def heading_level(body: str) -> int | None:
    """The level of a heading line, or None for prose.

    >>> heading_level("（一）专业公共卫生机构。")
    2
    >>> heading_level("1. 发展机遇。从历史发展看，党的十九大作出实施健康中国战略的重大决策部署")
    """
    text = _BOLD.sub("", _MARKDOWN.sub("", body)).strip()
    if not text:
        return None
    for level, pattern in _HEADING_PATTERNS:
        m = pattern.match(text)
        if m:
            rest = text[m.end():].strip()
            if len(rest) <= 32 and "，" not in rest and "；" not in rest and "：" not in rest.rstrip("：") \
                    and rest.count("。") <= (1 if rest.endswith("。") else 0):
                return level
            return None
    md = _MARKDOWN.match(body)
    if md and len(text) <= 40 and "，" not in text:
        return 0 if len(md.group(1)) == 1 else 1
    return None


def parse_plan(doc_id: str, meta: PlanMeta, text: str) -> Plan:
    plan = Plan(doc_id, meta, text, hashlib.sha256(text.encode("utf-8")).hexdigest())
    lines = split_lines(text)
    tables = {f.first: f for f in find_tables(lines, text, doc_id, lambda body: heading_level(body) is not None)}
    in_table = {k for f in tables.values() for k in range(f.first, f.stop)}
    section: list[tuple[int, str]] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        body = line.body
        if i in tables:
            found = tables[i]
            _add_table(plan, found.table, _section_path(section))
            i = found.stop
            continue
        if not body:
            i += 1
            continue
        if _TOC.search(body):
            i += 1
            continue
        level = heading_level(body)
        if level is not None:
            title = _BOLD.sub("", _MARKDOWN.sub("", body)).strip()
            if title.replace(" ", "").replace("\u3000", "") in ("目录", "目次"):
                i += 1
                continue
            while section and section[-1][0] >= level:
                section.pop()
            section.append((level, title))
            plan.sentences.append(_sentence(plan, line.content_start, line.content_end,
                                            _section_path(section[:-1]), "heading"))
            i += 1
            continue
        # A paragraph: this line plus the lines a PDF conversion broke off it.
        segments = [line]
        k = i + 1
        while not _ends_paragraph(segments[-1].body):
            m = k
            while m < n and not lines[m].body:
                m += 1
            if m >= n or m in in_table or not _is_continuation(lines[m]):
                break
            segments.append(lines[m])
            k = m + 1
        truncated = not _ends_paragraph(segments[-1].body) and _looks_cut(lines, k, tables)
        _split_sentences(plan, segments, _section_path(section), truncated)
        i = k
    return plan


def _section_path(section: list[tuple[int, str]]) -> tuple[str, ...]:
    return tuple(title for _, title in section)


def _ends_paragraph(body: str) -> bool:
    return not body or body[-1] in _LINE_END_OK


def _is_continuation(line: Line) -> bool:
    body = line.body
    return (not line.indented and heading_level(body) is None and "\t" not in line.raw
            and not _TOC.search(body) and not _MARKDOWN.match(body))


def _looks_cut(lines: list[Line], following: int, tables: dict) -> bool:
    """A paragraph that stops mid-sentence, unless it is the caption of the table that follows."""
    m = following
    while m < len(lines) and not lines[m].body:
        m += 1
    return m >= len(lines) or m not in tables


def _sentence(plan: Plan, start: int, end: int, section: tuple[str, ...], kind: str,
              truncated: bool = False) -> Sentence:
    text = plan.text[start:end]
    return Sentence(plan.doc_id, start, end, text, normalize(text, base=start), section, kind, truncated)


def _split_sentences(plan: Plan, segments: list[Line], section: tuple[str, ...], truncated: bool) -> None:
    start = segments[0].content_start
    end = segments[-1].content_end
    text = plan.text
    depth = 0
    cur = start
    pieces: list[tuple[int, int]] = []
    for pos in range(start, end):
        ch = text[pos]
        if ch in "（(“「《":
            depth += 1
        elif ch in "）)”」》":
            depth = max(0, depth - 1)
        elif ch in TERMINAL and (depth == 0 or ch == "。"):
            pieces.append((cur, pos + 1))
            cur = pos + 1
            depth = 0
    if cur < end:
        pieces.append((cur, end))
    own_section = section
    for idx, (a, b) in enumerate(pieces):
        # trim whitespace at the edges so the quote starts and ends on text
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            last = idx == len(pieces) - 1
            plan.sentences.append(_sentence(plan, a, b, own_section, "prose", truncated and last))
            if idx == 0 and len(pieces) > 1 and heading_level(text[a:b]) is not None:
                # A run-in title ("2. 推进县域医疗综合服务能力提升。加快推进…") heads the rest of its paragraph.
                own_section = section + (text[a:b],)


# -- tables ------------------------------------------------------------------------------------

def _add_table(plan: Plan, table: Table, section: tuple[str, ...]) -> None:
    """The table, and each of its rows as a sentence of kind "table" (evidence for its figures)."""
    table.section = section
    plan.tables.append(table)
    for row in table.rows:
        filled = [c for c in row if c.text]
        if filled:
            plan.sentences.append(_sentence(plan, filled[0].start, filled[-1].end, section, "table"))
