"""Text normalisation for matching, with a map back to the original code-point offsets.

The canonical matching form: full-width digits and Latin letters become ASCII (NFKC on the
full-width block), Chinese punctuation stays full-width (ASCII brackets, colons, semicolons and
commas between Chinese text become their full-width forms, so patterns are written once), and
whitespace is dropped. Every character of the normalised text remembers where it came from.
"""

from __future__ import annotations

import re
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
    # Most characters are their own canonical form: the runs between the characters normalize_char
    # may change are copied whole, with their offsets as a range.
    out: list[str] = []
    offsets: list[int] = []
    done = 0
    for m in _CHANGED.finditer(text):
        i = m.start()
        if i > done:
            out.append(text[done:i])
            offsets.extend(range(base + done, base + i))
        ch = text[i]
        prev = nxt = ""
        if ch in _CONTEXTUAL or ch in "：，":
            # The context of ':' and ',' is their neighbours in the normalised text (whitespace
            # dropped), so "1 : 2" and "1:2" agree and normalising twice changes nothing.
            prev, nxt = _visible_before(text, i), _visible_after(text, i)
        norm = normalize_char(ch, _digitish(prev), _digitish(nxt))
        out.append(norm)
        offsets.extend([base + i] * len(norm))
        done = i + 1
    if done < len(text):
        out.append(text[done:])
        offsets.extend(range(base + done, base + len(text)))
    return Normalized("".join(out), tuple(offsets))


# the characters normalize_char may change: whitespace, the full-width ASCII block, ASCII punctuation
_CHANGED = re.compile("[" + re.escape("".join(sorted(_SPACE | set(_TO_FULLWIDTH) | set(_CONTEXTUAL))))
                      + "\uff01-\uff5e]")


def _visible_before(text: str, i: int) -> str:
    for j in range(i - 1, -1, -1):
        if text[j] not in _SPACE:
            return text[j]
    return ""


def _visible_after(text: str, i: int) -> str:
    for j in range(i + 1, len(text)):
        if text[j] not in _SPACE:
            return text[j]
    return ""


def _digitish(ch: str) -> str:
    return unicodedata.normalize("NFKC", ch) if ch and "\uff10" <= ch <= "\uff19" else ch


def normalize_text(text: str) -> str:
    """The normalised form alone (for patterns, labels and questions)."""
    return normalize(text).text


def is_dash(cell: str) -> bool:
    """A table cell that means "no value" (—, -, －): never a zero."""
    stripped = "".join(c for c in cell if c not in _SPACE)
    return bool(stripped) and all(c in _DASHES for c in stripped) and stripped != "一"
