"""Text from others (a remote server's error page, a question, a plan sentence) made safe to print.

Terminal control characters (ESC sequences, C1 controls, DEL) and the bidirectional overrides that
can reorder what a reader sees are shown as visible escapes (`\\x1b`, `\\u202e`) instead of being
sent to the terminal; lone surrogates (bytes that were not UTF-8) too.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_LINES = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ud800-\udfff]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep_lines: bool = True) -> str:
    """`text` with every control character shown as an escape; tabs and newlines kept unless
    `keep_lines` is False (then they are escaped too)."""
    return (_UNSAFE if keep_lines else _UNSAFE_LINES).sub(_escape, text)
