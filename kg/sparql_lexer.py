"""What a SPARQL query may do, read from its tokens before any engine sees it.

The SPARQL 1.1 grammar's terminals decide what is opaque (strings, IRIs, comments, variables, the
local part of prefixed names) and what is query text. Two facts are read from the query text:

- its form (`select`, `ask`, `construct`, `describe`, or `update`): the first keyword after the
  prologue (BASE and PREFIX declarations);
- whether it may call another endpoint (`SERVICE`).

The SERVICE check errs on the side of refusing. Oxigraph's parser is scannerless: it reads a keyword
wherever its letters start, with no word boundary (`1SERVICE<…>`, `}SERVICE`, `SERVICEsilent` all
parse as SERVICE; found by experiment with pyoxigraph 0.5 and a listener that records connections),
so the letters S-E-R-V-I-C-E anywhere in query text count, in any case. Only tokens that the
grammar reads greedily as one whole are exempt: strings, IRIs, comments, variables (`?service`),
blank-node labels and the local part of a prefixed name (`hk:service`). Whitespace is what the
grammar says (space, tab, CR, LF): U+3000, U+00A0 or U+2028 separate nothing, they are text.

Every pattern is possessive or bounded, so reading a query takes time linear in its length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import QueryError

# Character classes of the grammar (SPARQL 1.1 §19.8).
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
         "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff")
_CHARS = _BASE + "_0-9\\-\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

_WS = re.compile(r"[ \t\r\n]++")
# A comment ends at a line end; every Unicode line break ends it here, so more text is read as query
# text than the engine would (never less).
_COMMENT = re.compile(r"#[^\r\n\x0b\x0c\x85\u2028\u2029]*+")
_IRI = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*+>')
_STRINGS = (re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*+'''", re.S), re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*+"""', re.S),
            re.compile(r"'(?:[^'\\\r\n]|\\.)*+'"), re.compile(r'"(?:[^"\\\r\n]|\\.)*+"'))
_VARIABLE = re.compile(f"[?$][{_BASE}_0-9][{_BASE}_0-9\u00b7\u0300-\u036f\u203f-\u2040]*+")
_BNODE = re.compile(f"_:[{_BASE}_0-9](?:[{_CHARS}.]*+)")
# A run of name characters: a keyword, a number, a prefixed name (prefix:local) or a mix of them.
_WORD = re.compile(f"(?:[{_CHARS}.:]|{_PLX})++")
_LOCAL_START = re.compile(f"[{_BASE}_0-9:]|{_PLX}")
_SERVICE = re.compile("service", re.IGNORECASE)

QUERY_FORMS = ("select", "ask", "construct", "describe")
UPDATE_WORDS = ("insert", "delete", "load", "clear", "drop", "create", "add", "move", "copy", "with")


@dataclass(frozen=True)
class QueryShape:
    form: str  # select | ask | construct | describe | update | unknown
    service: bool  # the query may call another endpoint (SERVICE)


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    return f"{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def code_words(text: str):
    """(offset, word) for every run of name characters that is query text, in order.

    Raises QueryError for a string that never ends (the engine would refuse the query too)."""
    pos, end = 0, len(text)
    while pos < end:
        ch = text[pos]
        m = None
        if ch in " \t\r\n":
            m = _WS.match(text, pos)
        elif ch == "#":
            m = _COMMENT.match(text, pos)
        elif ch == "<":
            m = _IRI.match(text, pos)
        elif ch in "'\"":
            for pattern in _STRINGS:
                m = pattern.match(text, pos)
                if m:
                    break
            if m is None:
                raise QueryError(f"SPARQL syntax error: a string opened at line:column {_position(text, pos)} "
                                 "never ends", hint='close it on the same line, or use """…""" for several lines')
        elif ch in "?$":
            m = _VARIABLE.match(text, pos)
        elif ch == "_" and text.startswith("_:", pos):
            m = _BNODE.match(text, pos)
        if m is not None:
            pos = m.end()
            continue
        word = _WORD.match(text, pos)
        if word is None:
            pos += 1  # punctuation
            continue
        yield from _split_prefixed(word.group(), pos)
        pos = word.end()


def _split_prefixed(word: str, offset: int):
    """A word is query text except the local part of a prefixed name (`hk:service`): the part after
    the first colon, when it may start a local name, up to its last character that is not a dot."""
    colon = word.find(":")
    if colon < 0:
        yield offset, word
        return
    yield offset, word[:colon + 1]
    local = word[colon + 1:]
    if not local or not _LOCAL_START.match(local):
        yield offset + colon + 1, local
        return
    trailing = len(local) - len(local.rstrip("."))
    if trailing:
        yield offset + len(word) - trailing, local[-trailing:]


def shape(text: str) -> QueryShape:
    """The form of a query and whether it may call another endpoint (QueryError: unreadable)."""
    words = [(offset, word.lower()) for offset, word in code_words(text) if word]
    form = "unknown"
    i = 0
    while i < len(words):  # skip the prologue: BASE <iri>, PREFIX name: <iri>
        word = words[i][1]
        if word == "base":
            i += 1
        elif word == "prefix":
            i += 2 if i + 1 < len(words) and words[i + 1][1].endswith(":") else 1
        else:
            break
    if i < len(words):
        first = words[i][1]
        # no word boundary here either: the engine reads `SELECTDISTINCT` as SELECT DISTINCT
        form = next((f for f in QUERY_FORMS if first.startswith(f)), None) or (
            "update" if first.startswith(UPDATE_WORDS) else "unknown")
    service = any(_SERVICE.search(word) for _, word in words)
    return QueryShape(form, service)
