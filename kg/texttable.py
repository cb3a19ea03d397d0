"""Plain-text tables that measure Chinese width: a CJK (wide) character takes two columns, so columns
line up in a terminal and nothing is cut (after Jena arq's table output)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Terminal columns of `text`: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def render(headers: list[str], rows: list[list[str]], caption: str = "") -> str:
    """| a | b | rows between rules; every cell whole (newlines shown as ⏎)."""
    cells = [[str(c).replace("\r\n", "⏎").replace("\n", "⏎") for c in row] for row in rows]
    sizes = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    rule = "-" * (sum(sizes) + 3 * len(sizes) + 1)

    def line(values: list[str]) -> str:
        return "| " + " | ".join(pad(v, sizes[i]) for i, v in enumerate(values)) + " |"

    out = [rule, line(headers), "=" * len(rule)] + [line(r) for r in cells] + [rule]
    if caption:
        out.append(caption)
    return "\n".join(out) + "\n"
