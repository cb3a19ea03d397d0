"""Plain-text plans: UTF-8 (with or without BOM), UTF-16 with a BOM (Windows Notepad's "Unicode"),
or GB18030/GBK/GB2312 (converted, with a warning). The decoded text is kept untouched."""

from __future__ import annotations

import re
from pathlib import Path

from kg.documents.base import Document, check_size, fix_radicals
from kg.errors import CorpusError, NotTextError


def decode(raw: bytes, name: str) -> tuple[str, str | None]:
    """Bytes of a text file → (text, warning). NotTextError for binary data or an unknown encoding."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), f"{name}: read as UTF-16 and converted to UTF-8"
        except UnicodeDecodeError:
            raise NotTextError(f"{name} starts like UTF-16 text but is not",
                               hint="save the plan as UTF-8 text") from None
    if b"\x00" in raw[:8192]:
        raise NotTextError(f"{name} is not a text file (it holds NUL bytes) / 不是文本文件",
                           hint="plans can be .txt, .pdf, .docx or .html: give the file its real extension")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        raise NotTextError(f"{name} is neither UTF-8 nor GB18030 text / 无法识别的文本编码",
                           hint="save the plan as UTF-8 text") from None
    if cjk_ratio(text) < 0.2:
        raise NotTextError(f"{name} does not look like Chinese text in any known encoding / 无法识别的文本编码",
                           hint="save the plan as UTF-8 text")
    return text, f"{name}: read as GB18030 and converted to UTF-8"


def cjk_ratio(text: str) -> float:
    sample = text[:5000]
    visible = [c for c in sample if not c.isspace()]
    if not visible:
        return 0.0
    return sum("\u4e00" <= c <= "\u9fff" for c in visible) / len(visible)


def read_bytes(path: Path) -> bytes:
    try:
        check_size(path)
        return path.read_bytes()
    except OSError as exc:
        raise CorpusError(f"cannot read {path}: {exc.strerror}") from None


def read(path: Path) -> Document:
    """Character for character the decoded file (offsets into it stay valid), except that a text
    converted from a PDF (pdftotext) has its page breaks (form feeds) read as pages and turned into
    newlines, other control characters turned into spaces, and radicals into ideographs."""
    text, warning = decode(read_bytes(path), path.name)
    warnings = [warning] if warning else []
    pages = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\f"] if "\f" in text else None
    if pages and pages[-1] >= len(text.rstrip()):
        pages.pop()  # a form feed at the very end starts no page
    text = text.replace("\f", "\n")
    text = _CONTROL_1TO1.sub(" ", text)
    text, radicals = fix_radicals(text)
    if radicals:
        warnings.append(f"{path.name}: {radicals} radical characters read as the ideographs they stand for (⽣ → 生)")
    return Document(text, "txt", pages=pages, warnings=warnings)


_CONTROL_1TO1 = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
