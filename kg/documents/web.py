"""Web pages (.html/.htm) as saved from a government site: the article body, read with trafilatura
(its boilerplate removal drops the header, navigation, breadcrumbs, sidebar, related links and
footer), tables kept as tables (one line per row, cells separated by tabs).

The page's encoding comes from a byte-order mark or its `<meta charset>` (government sites often
serve GB2312/GBK), else UTF-8, else GB18030. Paragraphs are written indented with two ideographic
spaces, headings are not, so the corpus parser keeps them apart.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from kg.documents.base import MIN_HAN_CHARS, Document, clean_text, han_count, join_wrapped
from kg.documents.text import read_bytes
from kg.errors import NotTextError

INDENT = "\u3000\u3000"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def decode_html(raw: bytes, name: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", "replace")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", "replace")
    declared = _META_CHARSET.search(raw[:8192])
    if declared:
        encoding = declared.group(1).decode("ascii").lower()
        encoding = _WIDER.get(encoding, encoding)
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise NotTextError(f"{name} is a web page in an encoding that cannot be read / 无法识别网页编码",
                       hint="save the page again as UTF-8 (or print it to PDF)")


def read(path: Path) -> Document:
    import trafilatura
    from lxml import etree

    html = decode_html(read_bytes(path), path.name)
    try:
        xml = trafilatura.extract(html, output_format="xml", include_tables=True, include_comments=False,
                                  include_formatting=False, include_links=False, include_images=False,
                                  deduplicate=False, favor_recall=True, with_metadata=True)
        root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(huge_tree=True, resolve_entities=False)) \
            if xml else None
    except Exception as exc:  # noqa: BLE001 - a damaged page can fail anywhere inside the parser
        raise NotTextError(f"{path.name} is not a readable web page ({type(exc).__name__}) / 无法读取的网页",
                           hint="open it in a browser and save it again (or print it to PDF)") from None
    lines: list[str] = []
    if root is not None:
        main = root.find("main")
        _walk(main if main is not None else root, lines)
    text = clean_text("\n".join(lines))
    if han_count(text) < MIN_HAN_CHARS:
        raise NotTextError(f"{path.name}: no article body was found in this web page / 网页中没有找到正文",
                           hint="save the article itself (or print it to PDF) and add that")
    title = (root.get("title") or "").strip() or None
    return Document(text, "html", title=title)


def _text(element) -> list[str]:
    """The element's text as lines: a <lb/> (a <br> in the page) ends a line."""
    out, current = [], ""
    if element.text:
        current = element.text
    for child in element:
        if child.tag == "lb":
            out.append(current)
            current = ""
        else:
            current = join_wrapped(current, " ".join(_text(child)))
        if child.tail:
            current += child.tail
    out.append(current)
    return [" ".join(part.split()) if part.isascii() else part.strip() for part in out if part.strip()]


def _walk(element, lines: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag == "head":
            lines.extend(_text(child))
        elif tag in ("p", "quote", "code", "item"):
            lines.extend(INDENT + line for line in _text(child))
        elif tag == "table":
            rows = [["".join(_text(cell)).replace("\t", " ") for cell in row if cell.tag == "cell"]
                    for row in child.iter("row")]
            width = max((len(r) for r in rows), default=0)
            for cells in rows:
                if any(cells):  # a short row is padded to the table's grid, as a spanning cell would be
                    lines.append("\t".join(cells + [""] * (width - len(cells))))
        elif tag in ("list", "div", "main", "section"):
            _walk(child, lines)
        elif tag not in ("graphic", "ref", "comments"):
            lines.extend(INDENT + line for line in _text(child))
