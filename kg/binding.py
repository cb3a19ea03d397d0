"""Bind values to a SPARQL query as `VALUES ?var { term }` at the start of its outermost WHERE group.

The term is written by pyoxigraph in N-Triples syntax (quotes, backslashes and newlines escaped), so
no value can change the query. The embedded store binds this way too: pyoxigraph's own
substitutions do not narrow the search (the query scans first, then filters), which bench/results.md
measured at 10-3,000x slower on bound library queries; a VALUES block is joined first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from kg.errors import QueryError

# Tokens that may hold braces or parentheses without opening a group: comments, strings, IRIs.
_SKIP = re.compile(r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                   r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\x00-\x20]*>', re.DOTALL)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def _outer_where(text: str) -> int:
    """Index just after the `{` that opens the outermost WHERE group; QueryError if there is none."""
    form: str | None = None
    braces = parens = groups_closed = 0
    where_seen = False
    i = 0
    while i < len(text):
        ch = text[i]
        skip = _SKIP.match(text, i) if ch in "#\"'<" else None
        if skip:
            i = skip.end()
            continue
        if ch.isalpha() or ch == "_":
            word = _WORD.match(text, i)
            assert word is not None
            if braces == 0 and parens == 0 and text[i - 1:i] not in ("?", "$", ":"):
                upper = word.group(0).upper()
                if form is None and upper in _FORMS:
                    form = upper
                elif upper == "WHERE":
                    where_seen = True
            i = word.end()
            continue
        if ch == "(":
            parens += 1
        elif ch == ")":
            parens -= 1
        elif ch == "{":
            if braces == 0 and parens == 0 and form is not None:
                if form == "CONSTRUCT" and not where_seen and groups_closed == 0:
                    pass  # the template, not the pattern
                elif form == "CONSTRUCT" and where_seen and groups_closed == 0:
                    raise QueryError("values cannot be bound in the short form `CONSTRUCT WHERE { … }`",
                                     hint="write `CONSTRUCT { template } WHERE { … }`")
                else:
                    return i + 1
            braces += 1
        elif ch == "}":
            braces -= 1
            if braces == 0:
                groups_closed += 1
        i += 1
    raise QueryError("cannot bind values: the query has no WHERE group",
                     hint="bind values only in SELECT, ASK, CONSTRUCT or DESCRIBE queries with a WHERE clause")


def _term_text(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)  # pyoxigraph writes N-Triples: the value cannot escape its quotes or brackets
    raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be bound",
                     hint="bind an IRI or a literal")


def bind_values(text: str, substitutions: Mapping[object, object]) -> str:
    """The query with `VALUES ?var { term }` injected at the start of its outermost WHERE group;
    several variables are bound by one block, `VALUES (?a ?b) { (term term) }`: pyoxigraph joins a
    block of one row into the patterns first, but two blocks one after the other it joins less well
    (a list of a kind in a city: 20 ms with one block, 200-440 ms with two, national scale 0.05)."""
    names, terms = [], []
    for var, term in substitutions.items():
        names.append(var.value if isinstance(var, ox.Variable) else ox.Variable(str(var).lstrip("?$")).value)
        terms.append(_term_text(term))
    if not names:
        return text
    if len(names) == 1:
        clause = f"VALUES ?{names[0]} {{ {terms[0]} }}"
    else:
        clause = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"
    at = _outer_where(text)
    # on the same line, so line:column of a syntax error still points into the query as written
    return text[:at] + " " + clause + " " + text[at:]
