"""PDF plans with a text layer, read with pdfplumber: paragraphs rebuilt from the page layout,
tables read as tables (one line per row, cells separated by tabs), running headers, footers and
page numbers dropped, and the offset where each page starts kept.

Paragraphs: a PDF has lines, not paragraphs. A line starts a paragraph when it is indented from
the body's left margin, follows a line that stopped short of the right margin, follows a gap wider
than the line spacing, or changes font size (a heading). Wrapped lines are joined without a space
between Chinese characters. A paragraph that was indented is written indented with two ideographic
spaces, as Chinese plain text is, so the corpus parser never joins it to a heading above it.

A PDF with pages but (almost) no text is a scan: it needs OCR, and is refused with that message.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kg.documents.base import Document, check_size, fix_radicals, han_count, join_wrapped
from kg.errors import CorpusError, KGError, NotTextError

INDENT = "\u3000\u3000"
_PAGE_NUMBER = re.compile(r"^[-—–－_\s]*(第\s*)?\d{1,4}(\s*页)?([/／]\s*\d{1,4})?(\s*共\s*\d+\s*页)?[-—–－_\s]*$")
_EDGE = 0.08  # top and bottom share of a page where running headers, footers and page numbers sit


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    text: str


@dataclass
class _TableBlock:
    page: int
    top: float
    rows: list[str]


def read(path: Path) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    check_size(path)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are noise to a user
    try:
        with pdfplumber.open(path) as pdf:
            blocks, pages, images, title = _layout(pdf)
    except PDFPasswordIncorrect:
        raise NotTextError(f"{path.name} is a password-protected PDF / PDF 文件有密码保护",
                           hint="save an unprotected copy first") from None
    except KGError:
        raise
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - a damaged file can fail anywhere inside the parser
        raise NotTextError(f"{path.name} is not a readable PDF ({type(exc).__name__}) / 无法读取的 PDF 文件",
                           hint="open it in a PDF viewer and save or print it to a new PDF") from None
    text_chars = sum(han_count(b.text) if isinstance(b, _Line) else sum(han_count(r) for r in b.rows) for b in blocks)
    if text_chars < 20:
        if images:
            raise NotTextError(f"{path.name} is a scanned PDF: its {pages} page(s) are images with no text layer, "
                               f"so it needs OCR first / 扫描版 PDF 没有文字层，需要先做文字识别（OCR）",
                               hint="run OCR (e.g. `ocrmypdf -l chi_sim scan.pdf plan.pdf`) and add the result")
        raise NotTextError(f"{path.name} holds no text ({pages} page(s)) / PDF 中没有文字",
                           hint="check that this is the plan")
    return _assemble(blocks, title)


def _layout(pdf) -> tuple[list[_Line | _TableBlock], int, int, str | None]:
    blocks: list[_Line | _TableBlock] = []
    images = 0
    for number, page in enumerate(pdf.pages, 1):
        images += len(page.images)
        tables = [t for t in page.find_tables() if len(t.rows) >= 2 or len(t.rows[0].cells) >= 2]
        boxes = [t.bbox for t in tables]

        def outside(obj, boxes=boxes) -> bool:
            if obj.get("object_type") != "char":
                return True
            cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
            return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

        lines = page.filter(outside).extract_text_lines(strip=True) if boxes else page.extract_text_lines(strip=True)
        height = float(page.height)
        for line in lines:
            text = line["text"].strip()
            if not text:
                continue
            chars = line.get("chars") or []
            size = round(float(Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]), 1) if chars else 0.0
            blocks.append(_Line(number, float(line["top"]), float(line["bottom"]), float(line["x0"]),
                                float(line["x1"]), size, text))
        for table in tables:
            rows = []
            for row in table.extract():
                cells = [_cell_text(c) for c in row]
                if any(cells):
                    rows.append("\t".join(cells))
            if rows:
                blocks.append(_TableBlock(number, float(table.bbox[1]), rows))
        blocks = _drop_running_lines(blocks, number, height)
    title = (pdf.metadata or {}).get("Title")
    return blocks, len(pdf.pages), images, title if isinstance(title, str) else None


def _cell_text(cell: str | None) -> str:
    if not cell:
        return ""
    out = ""
    for part in cell.replace("\t", " ").splitlines():
        out = join_wrapped(out, part.strip())
    return out


def _drop_running_lines(blocks: list, page: int, height: float) -> list:
    """Page numbers at the top or bottom edge of the page just read."""
    keep = []
    for b in blocks:
        if isinstance(b, _Line) and b.page == page and _PAGE_NUMBER.match(b.text) and (
                b.top < height * _EDGE or b.bottom > height * (1 - _EDGE)):
            continue
        keep.append(b)
    return keep


def _repeated_edge_lines(lines: list[_Line], pages: int) -> set[str]:
    """Running headers and footers: the same text (digits aside) at a page edge on most pages."""
    if pages < 3:
        return set()
    tops: dict[int, float] = {}
    bottoms: dict[int, float] = {}
    for ln in lines:
        tops[ln.page] = min(tops.get(ln.page, ln.top), ln.top)
        bottoms[ln.page] = max(bottoms.get(ln.page, ln.bottom), ln.bottom)
    counts: Counter = Counter()
    for ln in lines:
        if ln.top == tops[ln.page] or ln.bottom == bottoms[ln.page]:
            counts[re.sub(r"\d+", "#", ln.text)] += 1
    return {key for key, n in counts.items() if n >= max(3, pages // 2)}


def _assemble(blocks: list[_Line | _TableBlock], title: str | None) -> Document:
    lines = [b for b in blocks if isinstance(b, _Line)]
    pages_total = max((b.page for b in blocks), default=0)
    running = _repeated_edge_lines(lines, pages_total)
    lines = [ln for ln in lines if re.sub(r"\d+", "#", ln.text) not in running]
    kept = {id(ln) for ln in lines}
    blocks = [b for b in blocks if isinstance(b, _TableBlock) or id(b) in kept]
    blocks.sort(key=lambda b: (b.page, b.top))

    left = _mode(round(ln.x0) for ln in lines)
    right = _mode(round(ln.x1) for ln in lines if ln.x1 > left + 100) if lines else 0
    body_size = _mode(ln.size for ln in lines)
    char = body_size or 10.0
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if a.page == b.page and 0 < b.top - a.top]
    pitch = sorted(pitches)[len(pitches) // 2] if pitches else char * 1.5

    out: list[str] = []  # output lines
    out_pages: list[int] = []  # page of each output line's start
    out_breaks: list[list[tuple[int, int]]] = []  # pages a line's paragraph runs onto: (offset in line, page)
    para = ""
    para_page = 0
    para_breaks: list[tuple[int, int]] = []
    para_indented = False
    prev: _Line | None = None

    def flush() -> None:
        nonlocal para, para_breaks
        if para:
            prefix = INDENT if para_indented else ""
            out.append(prefix + para)
            out_pages.append(para_page)
            out_breaks.append([(len(prefix) + o, p) for o, p in para_breaks])
            para, para_breaks = "", []

    for block in blocks:
        if isinstance(block, _TableBlock):
            flush()
            for row in block.rows:
                out.append(row)
                out_pages.append(block.page)
                out_breaks.append([])
            prev = None
            continue
        ln = block
        indented = ln.x0 > left + char * 0.8
        starts = (prev is None or indented or prev.x1 < right - char * 1.5 or abs(ln.size - prev.size) > 0.6
                  or (ln.page == prev.page and ln.top - prev.top > pitch * 1.6))
        if starts:
            flush()
            para, para_page, para_indented = ln.text, ln.page, indented and abs(ln.size - body_size) <= 0.6
        else:
            joined = join_wrapped(para, ln.text)
            if prev is not None and ln.page != prev.page:
                # a paragraph running onto the next page: that page starts inside it
                para_breaks.append((len(joined) - len(ln.text), ln.page))
            para = joined
        prev = ln
    flush()

    text = ""
    page_starts: list[int] = []
    for line, page, breaks in zip(out, out_pages, out_breaks, strict=True):
        while len(page_starts) < page:
            page_starts.append(len(text))
        for offset, later in breaks:
            while len(page_starts) < later:
                page_starts.append(len(text) + offset)
        text += line + "\n"
    # Fonts with CJK radicals map 生 to ⽣ in many PDFs (Chromium's and Word's included): a glyph
    # artefact, replaced one character for one.
    text = fix_radicals(text)[0]
    title = fix_radicals(title)[0].strip() if title else None
    return Document(text, "pdf", pages=page_starts or [0], title=title or None)


def _mode(values) -> float:
    counts = Counter(values)
    return counts.most_common(1)[0][0] if counts else 0.0
