"""Word plans (.docx), read with python-docx: the body's paragraphs and tables in document order;
a table row is one line with its cells separated by tabs (a merged cell is written once).

Body paragraphs are written indented with two ideographic spaces, as Chinese plain text is, and
headings (Word's heading and title styles) are not, so the corpus parser keeps them apart.
"""

from __future__ import annotations

from pathlib import Path

from kg.documents.base import Document, check_size, clean_text, join_wrapped
from kg.errors import CorpusError, NotTextError

INDENT = "\u3000\u3000"


def read(path: Path) -> Document:
    import docx

    check_size(path)
    try:
        document = docx.Document(str(path))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if hasattr(block, "rows"):
                lines.extend(_table_rows(block))
            else:
                _paragraph(block, lines)
        title = (document.core_properties.title or "").strip() or None
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - a damaged file can fail anywhere inside the parser
        raise NotTextError(f"{path.name} is not a readable Word (.docx) file ({type(exc).__name__}) "
                           "/ 无法读取的 Word 文件", hint="open it in Word or WPS and save it again as .docx") from None
    return Document(clean_text("\n".join(lines)), "docx", title=title)


def _paragraph(paragraph, lines: list[str]) -> None:
    # a manual line break inside a paragraph (Shift+Enter) wraps the same paragraph
    text = ""
    for part in paragraph.text.split("\n"):
        text = join_wrapped(text, part.strip())
    text = text.strip()
    if not text:
        return
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    heading = style.lower().startswith(("heading", "title", "subtitle")) or style.startswith(("标题", "副标题"))
    lines.append(text if heading else INDENT + text)


def _table_rows(table) -> list[str]:
    """Rows on the table's grid: a cell merged across columns is written in its first column and
    the others left empty; a cell merged down is written in its first row (as PDF tables read)."""
    from docx.table import _Cell

    rows = []
    for tr in table._tbl.tr_lst:
        cells: list[str] = []
        for tc in tr.tc_lst:
            text = ""
            if tc.vMerge != "continue":
                for part in _Cell(tc, table).text.replace("\t", " ").splitlines():
                    text = join_wrapped(text, part.strip())
            cells.append(text)
            cells.extend([""] * (max(1, tc.grid_span) - 1))
        if any(cells):
            rows.append("\t".join(cells))
    return rows
