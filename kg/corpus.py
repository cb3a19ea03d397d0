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
    # 第一篇 / 第一章 / 第一节 above 一、: the parts, chapters and sections of a long plan
    (-2, re.compile(r"^第[一二三四五六七八九十]+[篇编](?=[\s\u3000]|$)")),
    (-1, re.compile(r"^第[一二三四五六七八九十]+章(?=[\s\u3000]|$)")),
    (0, re.compile(r"^第[一二三四五六七八九十]+节(?=[\s\u3000]|$)")),
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
    """One entry of `documents.json`. `file` is the text the pipeline reads; a plan added from a PDF,
    Word file or web page also names its `original` (kept beside the text), the `source` file name
    its user gave, its `form`, and for PDFs a `pages` file (where each page starts in the text)."""

    file: str
    city: str
    province: str
    title: str
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None
    note: str | None = None
    county: str | None = None  # a plan about one county (区/县/县级市) of the city
    source: str | None = None  # the file name the plan was added from (any characters)
    original: str | None = None  # the original file kept in the corpus (PDF, Word, HTML)
    form: str | None = None  # txt | pdf | docx | html
    pages: str | None = None  # JSON list of the offsets where each page of the original starts
    added: str | None = None  # when `kg add` added it (ISO 8601)

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
        for key in ("file", "original", "pages"):
            value = record.get(key)
            if value is not None and (Path(value).name != value or value in (".", "..")):
                # a path would read files outside the corpus
                raise MetadataError(f"documents.json: {key} {value!r} must be a file name in the corpus directory")
        if record.get("date") and not valid_date(str(record["date"])):
            raise MetadataError(f"documents.json: date {record['date']!r} is not a date written YYYY-MM-DD")
        for key in ("title", "city", "province", "county", "issuer", "doc_number"):
            if record.get(key) and CONTROL_CHARS.search(record[key]):
                raise MetadataError(f"documents.json: entry {record['file']!r}: {key} holds control characters",
                                    hint="remove them (kg add cleans them when it adds a plan)")
        known = {k: record.get(k) for k in cls.__dataclass_fields__}
        return cls(**known)


# C0/C1 controls, and invisible formatting that can reorder or hide text (bidi overrides, zero widths)
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def valid_date(text: str) -> bool:
    """YYYY-MM-DD naming a real day.

    >>> valid_date("2023-01-06"), valid_date("2022-13-45"), valid_date("2022/03/01")
    (True, False, False)
    """
    import datetime

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def doc_id_for(file: str) -> str:
    """The id a plan's IRIs are made from: its file stem when that is safe in an IRI (the corpus's
    000_4d37015e455bafe6), else an ASCII slug of it plus a hash, so any file name works.

    >>> doc_id_for("001_bd047ee8077cb387.txt")
    '001_bd047ee8077cb387'
    >>> doc_id_for("柳州 规划.txt")
    'plan-b339ab9fb4a2'
    """
    stem = Path(file).stem
    if _SAFE_ID.fullmatch(stem) and len(stem) <= 80:
        return stem
    slug = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-")[:40] or "plan"
    return f"{slug}-{hashlib.sha256(file.encode('utf-8', 'surrogatepass')).hexdigest()[:12]}"


@dataclass
class Plan:
    doc_id: str
    meta: PlanMeta
    text: str
    sha256: str
    sentences: list[Sentence] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: list[int] | None = None  # offsets where each page of the original starts (PDF)
    corpus_dir: Path | None = None  # the corpus the plan was loaded from

    def page_of(self, offset: int) -> int | None:
        from kg.documents.base import page_of

        return page_of(self.pages, offset)


# ---------------------------------------------------------------------------------------------
# Reading files


def read_text(path: Path) -> tuple[str, str | None]:
    """Decode a plan's text file: UTF-8 (with or without BOM); UTF-16 and GB18030 are converted
    with a warning; PDF page breaks become newlines (see kg.documents.text).

    Returns (text, warning). Raises NotTextError for binary files, too large or not Chinese.
    """
    from kg.documents.base import MAX_TEXT_CHARS
    from kg.documents.text import read

    document = read(path)
    if len(document.text) > MAX_TEXT_CHARS:
        raise NotTextError(f"{path.name} holds {len(document.text):,} characters, more than a plan can be "
                           f"({MAX_TEXT_CHARS:,}) / 文本过长", hint="split it into one file per plan")
    return document.text, "; ".join(document.warnings) or None


def load_metadata(corpus_dir: Path, allow_empty: bool = False) -> list[PlanMeta]:
    meta_path = corpus_dir / METADATA_FILE
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus directory {corpus_dir} does not exist",
                          hint="pass --corpus DIR or set KG_CORPUS")
    if not meta_path.exists():
        if allow_empty:
            return []
        raise MetadataError(f"{meta_path} is missing", hint="add plans with `kg add FILE --city …`")
    try:
        records = json.loads(meta_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MetadataError(f"{meta_path} is not valid UTF-8 JSON: {exc}") from None
    except OSError as exc:
        raise MetadataError(f"cannot read {meta_path}: {exc.strerror}") from None
    if not isinstance(records, list):
        raise MetadataError(f"{meta_path} must hold a JSON list of plan entries")
    metas = [PlanMeta.from_json(r if isinstance(r, dict) else {}) for r in records]
    if not metas and not allow_empty:
        # building nothing would replace the current graph with an empty one
        raise MetadataError(f"{meta_path} lists no plans", hint="add plans with `kg add FILE --city …`")
    seen: set[str] = set()
    for meta in metas:
        if meta.file in seen:
            raise MetadataError(f"{meta_path} lists {meta.file} twice")
        seen.add(meta.file)
    return metas


def load_pages(corpus_dir: Path, meta: PlanMeta, text_length: int) -> list[int] | None:
    """The page map of a plan read from a paged original (increasing offsets into its text)."""
    if not meta.pages:
        return None
    path = corpus_dir / meta.pages
    try:
        pages = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise MetadataError(f"{path} is missing or not JSON", hint=f"add {meta.source or meta.file} again") from None
    if (not isinstance(pages, list) or not all(isinstance(p, int) and 0 <= p <= text_length for p in pages)
            or pages != sorted(pages)):
        raise MetadataError(f"{path} is not a list of increasing offsets into {meta.file}",
                            hint=f"add {meta.source or meta.file} again")
    return pages


def load_corpus(corpus_dir: Path, warn=None, allow_empty: bool = False, parse: bool = True) -> list[Plan]:
    """Load every plan listed in `documents.json`, in file order (`parse=False`: text and metadata
    only, no sentences or tables yet: the build parses plans in its worker processes)."""
    plans = []
    for meta in load_metadata(corpus_dir, allow_empty):
        path = corpus_dir / meta.file
        if not path.exists():
            raise CorpusError(f"documents.json lists {meta.file}, which is not in {corpus_dir}")
        text, warning = read_text(path)
        if not text.strip():
            raise CorpusError(f"{meta.file} is empty", hint="remove it from documents.json or add its text")
        if warning and warn:
            warn(warning)
        if parse:
            plan = parse_plan(doc_id_for(meta.file), meta, text)
        else:
            plan = Plan(doc_id_for(meta.file), meta, text, text_sha256(text))
        plan.pages = load_pages(corpus_dir, meta, len(text))
        plan.corpus_dir = corpus_dir
        plans.append(plan)
    return plans


def load_corpora(corpus_dirs: list[Path], warn=None, parse: bool = True) -> list[Plan]:
    """The plans of several corpora (the built-in examples, then the user's own), each plan once.

    The first corpus must list plans; the others (a user's corpus that is empty or not made yet)
    may be empty.
    """
    plans: list[Plan] = []
    by_id: dict[str, Plan] = {}
    for n, corpus_dir in enumerate(corpus_dirs):
        optional = n > 0
        if optional and not corpus_dir.exists():
            continue
        for plan in load_corpus(corpus_dir, warn, allow_empty=optional, parse=parse):
            other = by_id.get(plan.doc_id)
            if other is not None:
                raise MetadataError(f"{corpus_dir / plan.meta.file} and {other.corpus_dir / other.meta.file} "
                                    f"would be the same document ({plan.doc_id})", hint="remove one of them")
            by_id[plan.doc_id] = plan
            plans.append(plan)
    if not plans:
        raise MetadataError("there are no plans to build: " + ", ".join(str(d) for d in corpus_dirs) +
                            " list none", hint="add plans with `kg add FILE --city …`")
    return plans


# ---------------------------------------------------------------------------------------------
# Parsing


def heading_level(body: str) -> int | None:
    """The level of a heading line, or None for prose.

    >>> heading_level("（一）专业公共卫生机构。")
    2
    >>> heading_level("1. 发展机遇。从历史发展看，党的十九大作出实施健康中国战略的重大决策部署")
    >>> heading_level("第二章　发展目标"), heading_level("第一节 发展现状")
    (-1, 0)
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


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_plan(doc_id: str, meta: PlanMeta, text: str) -> Plan:
    plan = Plan(doc_id, meta, text, text_sha256(text))
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
