"""Text normalisation for matching, with a map back to the original code-point offsets.

The canonical matching form: full-width digits and Latin letters become ASCII (NFKC on the
full-width block), Chinese punctuation stays full-width (ASCII brackets, colons, semicolons and
commas between Chinese text become their full-width forms, so patterns are written once), and
whitespace is dropped. Every character of the normalised text remembers where it came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# ASCII punctuation that Chinese text writes full-width; the normalised form is full-width.
_TO_FULLWIDTH = {"(": "（", ")": "）", ";": "；", "!": "！", "?": "？"}
# Written either way in Chinese text but meaningful between digits (1:1.39, 1,200).
_CONTEXTUAL = {":": "：", ",": "，"}
_DASHES = {"-", "－", "–", "—", "―", "─", "一"}  # candidates for "no value" in a table cell
_SPACE = {" ", "\t", "\n", "\r", "\u3000", "\xa0", "\u2002", "\u2003", "\ufeff"}


def normalize_char(ch: str, prev: str = "", nxt: str = "") -> str:
    """Return the canonical form of one character ('' for whitespace).

    >>> normalize_char("２")
    '2'
    >>> normalize_char("(")
    '（'
    >>> normalize_char(":", "1", "1")
    ':'
    """
    if ch in _SPACE:
        return ""
    if "\uff01" <= ch <= "\uff5e":
        ch = unicodedata.normalize("NFKC", ch)
        if ch in _TO_FULLWIDTH:
            return _TO_FULLWIDTH[ch]
        if ch in _CONTEXTUAL:
            return ch if (prev.isdigit() and nxt.isdigit()) else _CONTEXTUAL[ch]
        return ch
    if ch in _TO_FULLWIDTH:
        return _TO_FULLWIDTH[ch]
    if ch in _CONTEXTUAL:
        return ch if (prev.isdigit() and nxt.isdigit()) else _CONTEXTUAL[ch]
    return ch


@dataclass(frozen=True)
class Normalized:
    """A normalised string and, for each of its characters, the original offset it came from."""

    text: str
    offsets: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of the normalised text to the original text.

        >>> n = normalize("到 ２０２５ 年", base=10)
        >>> n.text
        '到2025年'
        >>> n.original_span(1, 5)
        (12, 16)
        """
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span {start}-{end} outside 0-{len(self.text)}")
        return self.offsets[start], self.offsets[end - 1] + 1


def normalize(text: str, base: int = 0) -> Normalized:
    """Normalise `text`; offsets are `base` + the index in `text`."""
    # kg/data/figures.yaml's `[其中：, 其中:, 其中]` reads `其中:` as a mapping; iterating it gave its key, keep that.
    text = text if isinstance(text, str) else "".join(text)
    out: list[str] = []
    offsets: list[int] = []
    # The context of ':' and ',' is their neighbours in the normalised text (whitespace dropped), so
    # "1 : 2" and "1:2" agree and normalising twice changes nothing.
    visible = [i for i, ch in enumerate(text) if ch not in _SPACE]
    neighbours = {i: (text[visible[k - 1]] if k else "", text[visible[k + 1]] if k + 1 < len(visible) else "")
                  for k, i in enumerate(visible) if text[i] in _CONTEXTUAL or text[i] in "：，"}
    for i, ch in enumerate(text):
        prev, nxt = neighbours.get(i, ("", ""))
        norm = normalize_char(ch, _digitish(prev), _digitish(nxt))
        for c in norm:
            out.append(c)
            offsets.append(base + i)
    return Normalized("".join(out), tuple(offsets))


def _digitish(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch) if ch and "\uff10" <= ch <= "\uff19" else ch


def normalize_text(text: str) -> str:
    """The normalised form alone (for patterns, labels and questions)."""
    return normalize(text).text


def is_dash(cell: str) -> bool:
    """A table cell that means "no value" (—, -, －): never a zero."""
    stripped = "".join(c for c in cell if c not in _SPACE)
    return bool(stripped) and all(c in _DASHES for c in stripped) and stripped != "一"
