"""Plans in every common form → the text the pipeline reads. One reader per form, registered by
file extension as a module path (imported only when a file of that form is read):

| extension      | reader                 | library     |
|----------------|------------------------|-------------|
| .txt .text .md | kg.documents.text:read | —           |
| .pdf           | kg.documents.pdf:read  | pdfplumber  |
| .docx          | kg.documents.word:read | python-docx |
| .html .htm     | kg.documents.web:read  | trafilatura |

Every reader returns a `Document`: the text (paragraphs one per line, table rows one per line
with tab-separated cells), its form, and for PDFs the offset where each page starts.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from kg.documents.base import MAX_FILE_BYTES, MAX_TEXT_CHARS, Document, check_text, page_of
from kg.errors import NotTextError

READERS: dict[str, str] = {
    ".txt": "kg.documents.text:read",
    ".text": "kg.documents.text:read",
    ".md": "kg.documents.text:read",
    ".pdf": "kg.documents.pdf:read",
    ".docx": "kg.documents.word:read",
    ".html": "kg.documents.web:read",
    ".htm": "kg.documents.web:read",
    ".shtml": "kg.documents.web:read",
}

# Forms a plan is also published in that have no reader: what to do instead.
CONVERT_FIRST: dict[str, str] = {
    ".doc": "an old Word file: open it in Word or WPS and save it as .docx (or `soffice --headless --convert-to docx`)",
    ".wps": "a WPS file: open it in WPS and save it as .docx",
    ".rtf": "open it in Word or WPS and save it as .docx",
    ".ofd": "an OFD file: export it to PDF from an OFD reader",
    ".xls": "a spreadsheet: plans are documents; save the plan itself as .docx or PDF",
    ".xlsx": "a spreadsheet: plans are documents; save the plan itself as .docx or PDF",
    ".zip": "an archive: unpack it and add the plan's file",
    ".png": "a picture: it needs OCR first",
    ".jpg": "a picture: it needs OCR first",
    ".jpeg": "a picture: it needs OCR first",
}

__all__ = ["MAX_FILE_BYTES", "MAX_TEXT_CHARS", "READERS", "Document", "form_of", "page_of", "read_document"]


def form_of(path: Path) -> str:
    """The reader key of a file (its lower-case extension); NotTextError when no reader takes it."""
    ext = path.suffix.lower()
    if ext in READERS:
        return ext
    if ext in CONVERT_FIRST:
        raise NotTextError(f"{path.name} is {CONVERT_FIRST[ext]} / 不支持的文件格式 {ext}",
                           hint=f"kg add reads {', '.join(sorted(READERS))}")
    raise NotTextError(f"{path.name}: kg cannot read {ext or 'files without an extension'} files / 不支持的文件格式",
                       hint=f"kg add reads {', '.join(sorted(READERS))}; rename the file if it is one of these")


def read_document(path: Path) -> Document:
    """Read a plan in any supported form. NotTextError (with what to do) for what is not a readable plan."""
    module, _, func = READERS[form_of(path)].partition(":")
    reader = getattr(importlib.import_module(module), func)
    return check_text(path.name, reader(path))
