"""SPARQL 1.1 Protocol pieces that need no HTTP stack: bound terms, content negotiation, result formats.

Used by the web application (to validate and negotiate) and by the query workers (to serialise).
"""

from __future__ import annotations

import re
from http import HTTPStatus
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from kg import sparql as sq

# Results formats: name → media type written; the media types a client may ask for each.
RESULT_TYPES = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
                "xml": "application/sparql-results+xml"}
GRAPH_TYPES = {"turtle": "text/turtle", "nt": "application/n-triples"}
ACCEPTED = {
    "json": ("application/sparql-results+json", "application/json"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "xml": ("application/sparql-results+xml", "application/xml", "text/xml"),
    "turtle": ("text/turtle", "application/x-turtle"),
    "nt": ("application/n-triples", "text/plain"),
}
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class HTTPError(Exception):
    """An error answered to the client with a status and a plain-text message."""

    def __init__(self, status: HTTPStatus, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def parse_term(name: str, value: str) -> ox.NamedNode | ox.Literal:
    """An N-Triples term (`"梧州市"@zh`, `<http://…>`, `"5"^^xsd:integer` spelled out) for `$name=`."""
    if not _VARIABLE_NAME.fullmatch(name):
        raise HTTPError(HTTPStatus.BAD_REQUEST, f"${name} is not a variable name")
    try:
        quads = list(ox.parse(f"<urn:kg:s> <urn:kg:p> {value} .".encode(), format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError:
        quads = []
    if len(quads) != 1 or isinstance(quads[0].object, ox.BlankNode):
        raise HTTPError(HTTPStatus.BAD_REQUEST, f"${name} must be one N-Triples term, e.g. \"梧州市\"@zh or "
                                                f"<https://…>, not {value[:200]!r}")
    return quads[0].object


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q, most wanted first (stable for equal q)."""
    ranges = []
    for i, part in enumerate(header.split(",")[:64]):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0]:
            continue
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranges.append((i, fields[0].lower(), q))
    return [(media, q) for _, media, q in sorted(ranges, key=lambda r: (-r[2], r[0])) if q > 0]


def negotiate(accept: str, graph: bool, fmt: str | None = None) -> str:
    """The format to write: `format=` wins, then the Accept header; JSON / Turtle by default."""
    names = tuple(GRAPH_TYPES if graph else RESULT_TYPES)
    if fmt:
        if fmt not in names:
            raise HTTPError(HTTPStatus.NOT_ACCEPTABLE, f"format={fmt[:40]} is not available for this query; "
                                                       f"choose one of {', '.join(names)}")
        return fmt
    if not accept.strip():
        return names[0]
    for media, _ in parse_accept(accept):
        for name in names:
            if media in ACCEPTED[name]:
                return name
        if media in ("*/*", "application/*", "text/*"):
            return names[0] if media != "text/*" or graph else "csv"
    offered = ", ".join(t for n in names for t in ACCEPTED[n][:1])
    raise HTTPError(HTTPStatus.NOT_ACCEPTABLE,
                    f"cannot answer in {accept[:200]}; this query's results come as {offered}")


def media_type(fmt: str) -> str:
    return GRAPH_TYPES.get(fmt) or RESULT_TYPES[fmt]


def to_xml(result: sq.Result) -> str:
    """W3C SPARQL Query Results XML."""
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
    if result.form == "ask":
        out += ["<head/>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in result.vars) + "</head>")
    out.append("<results>")
    for row in result.rows:
        cells = []
        for var in result.vars:
            term = row.get(var)
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                inner = f"<uri>{xml_escape(term.value)}</uri>"
            elif isinstance(term, ox.BlankNode):
                inner = f"<bnode>{xml_escape(term.value)}</bnode>"
            elif term.language:
                inner = f"<literal xml:lang={quoteattr(term.language)}>{xml_escape(term.value)}</literal>"
            elif term.datatype and term.datatype.value != sq.XSD + "string":
                inner = f"<literal datatype={quoteattr(term.datatype.value)}>{xml_escape(term.value)}</literal>"
            else:
                inner = f"<literal>{xml_escape(term.value)}</literal>"
            cells.append(f"<binding name={quoteattr(var)}>{inner}</binding>")
        out.append("<result>" + "".join(cells) + "</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def serialize(result: sq.Result, fmt: str) -> str:
    if fmt == "turtle":
        return sq.to_turtle(result)
    if fmt == "nt":
        data = ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES)
        return data.decode("utf-8") if data else ""
    return {"json": sq.to_json, "csv": sq.to_csv, "tsv": sq.to_tsv, "xml": to_xml}[fmt](result)
