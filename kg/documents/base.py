"""What every reader returns, and the text clean-up all forms share.

A reader turns one file into the text the pipeline reads: paragraphs one per line, table rows one
per line with their cells separated by tabs (the layout the corpus parser reads as a table), and,
for forms with pages, where each page starts in that text.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kg.errors import NotTextError

# A plan is a few hundred thousand characters at most (the corpus's longest is 38,000); these limits
# keep a wrong file (a 200 MB log, a scanned book) from taking the build's memory.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
MIN_HAN_CHARS = 20  # fewer Chinese characters than this is not a plan (an empty page, an English file)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
                      r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_RADICALS = Path(__file__).resolve().parent.parent / "data" / "cjk_radicals.tsv"


@dataclass
class Document:
    """A plan read from its file: `text` is what the pipeline reads and what offsets refer to."""

    text: str
    form: str  # txt | pdf | docx | html
    pages: list[int] | None = None  # pages[k] = offset in `text` where page k+1 starts (PDF only)
    title: str | None = None  # a title the file itself gives (PDF/Word properties, the page's <title>)
    warnings: list[str] = field(default_factory=list)

    def page_of(self, offset: int) -> int | None:
        return page_of(self.pages, offset)


def page_of(pages: list[int] | None, offset: int) -> int | None:
    """The 1-based page on which `offset` lies, or None for a form without pages.

    >>> page_of([0, 120, 300], 119), page_of([0, 120, 300], 120), page_of(None, 5)
    (1, 2, None)
    """
    if not pages:
        return None
    return max(1, bisect.bisect_right(pages, offset))


@cache
def radical_map() -> dict[int, str]:
    """CJK radical code points → the ideographs they stand for (a PDF font artefact: 卫⽣ for 卫生).

    Kangxi radicals (U+2F00–U+2FD5) have compatibility decompositions; the CJK Radicals Supplement
    (⻓ ⻔ ⺠ …) has none, so those come from `kg/data/cjk_radicals.tsv`.
    """
    table = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)}
    for line in _RADICALS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            radical, ideograph = line.split("\t")[:2]
            table[ord(radical.strip())] = ideograph.strip()
    return table


def fix_radicals(text: str) -> tuple[str, int]:
    """Replace radical code points by their ideographs, one character for one (offsets are unchanged)."""
    table = radical_map()
    count = sum(1 for ch in text if ord(ch) in table)
    return (text.translate(table), count) if count else (text, 0)


def clean_text(text: str) -> str:
    """Newlines as \\n, no control or invisible formatting characters, no trailing spaces (trailing
    tabs stay: they are the empty last cells of a table row, which keep the row on the table's grid)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = _CONTROL.sub("", text)
    return "\n".join(line.rstrip(" \u3000\xa0") for line in text.split("\n")).strip("\n") + "\n"


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of one paragraph that a page or cell wrapped: no space between Chinese text,
    one space between Latin words (so 卫生/服务 → 卫生服务, but health/service → health service)."""
    if not left:
        return right
    if not right:
        return left
    if left[-1].isascii() and left[-1].isalpha() and right[0].isascii() and right[0].isalpha():
        return left + " " + right
    return left + right


def han_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")


def check_size(path: Path) -> int:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise NotTextError(f"{path.name} is {size / 1024 / 1024:.0f} MB, more than a plan can be "
                           f"({MAX_FILE_BYTES // 1024 // 1024} MB) / 文件过大",
                           hint="split it into one file per plan, or remove its images")
    return size


def check_text(name: str, document: Document) -> Document:
    """Refuse what is not a plan: too long, or (almost) no Chinese text."""
    if len(document.text) > MAX_TEXT_CHARS:
        raise NotTextError(f"{name} holds {len(document.text):,} characters of text, more than a plan can be "
                           f"({MAX_TEXT_CHARS:,}) / 文本过长", hint="split it into one file per plan")
    if han_count(document.text) < MIN_HAN_CHARS:
        raise NotTextError(f"{name} holds almost no Chinese text ({han_count(document.text)} Chinese characters) "
                           f"/ 文件中几乎没有中文文本", hint="check that this is the plan, and that it is not a scan")
    return document
