"""SPARQL for analysts: the query library (`queries/*.rq`), read-only execution, result formats.

Library queries are plain SPARQL files whose header comments document them:

    # title: 某市的医疗卫生机构
    # description: …
    # param: city — 城市名 (e.g. 梧州市)
    # param: year (integer) — 年份 (e.g. 2025)
    # example: kg sparql run institutions_by_city --param city=梧州市

A parameter is the query variable of the same name (`?city`). At run time it is *bound* (a VALUES
block whose term pyoxigraph writes, kg/binding.py), never spliced into the text, so a value holding
quotes or `} UNION {` cannot change the query. An unbound parameter leaves the variable free, so
every parameter is an optional filter.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.binding import bind_values
from kg.errors import QueryError
from kg.ns import PREFIXES
from kg.paths import QUERIES_DIR
from kg.sparql_lexer import QueryShape
from kg.sparql_lexer import shape as lexer_shape
from kg.store import SPARQL_PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
# One line per prefix, so an error position maps back to the user's text by subtracting a line count.
PREFIX_TEXT = SPARQL_PREFIXES
PREFIX_LINES = PREFIX_TEXT.count("\n")

MAX_TIMEOUT = 7 * 24 * 3600.0  # a week: beyond it a timeout is no limit (and threading rejects huge ones)
PARAM_TYPES = {"zh": "a Chinese-tagged literal (default)", "string": "a plain string", "integer": "xsd:integer",
               "decimal": "xsd:decimal", "iri": "an IRI", "boolean": "xsd:boolean"}

_HEADER = re.compile(r"^#\s*(title|description|param|example)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<type>\w+)\))?\s*(?:[—–-]+\s*(?P<doc>.*))?$")
_EXAMPLE_VALUE = re.compile(r"\(e\.g\.\s*(.+?)\)\s*$")
# A hand-written or generated query is far shorter; a longer text is a mistake or an attack.
MAX_QUERY_CHARS = 256 * 1024


@dataclass
class Param:
    name: str
    type: str = "zh"
    doc: str = ""
    example: str | None = None


@dataclass
class LibraryQuery:
    name: str
    path: Path
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


@dataclass
class Result:
    """A query result, whatever its form: `select` (vars, rows), `ask` (boolean) or `graph` (triples)."""

    form: str
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, object]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    seconds: float = 0.0


def parse_header(name: str, path: Path, text: str) -> LibraryQuery:
    query = LibraryQuery(name=name, path=path, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.groups()
        if key == "title":
            query.title = value
        elif key == "description":
            query.description = (query.description + " " + value).strip()
        elif key == "example":
            query.examples.append(value)
        else:
            pm = _PARAM.match(value)
            if not pm:
                raise QueryError(f"{path.name}: malformed parameter line {line!r}",
                                 hint="write `# param: NAME (TYPE) — description (e.g. VALUE)`")
            ptype = pm["type"] or "zh"
            if ptype not in PARAM_TYPES:
                raise QueryError(f"{path.name}: parameter {pm['name']} has unknown type {ptype!r}",
                                 hint="types: " + ", ".join(PARAM_TYPES))
            doc = pm["doc"] or ""
            ex = _EXAMPLE_VALUE.search(doc)
            query.params.append(Param(pm["name"], ptype, doc, ex.group(1).strip() if ex else None))
    return query


def load_library(directory: Path = QUERIES_DIR) -> dict[str, LibraryQuery]:
    """Every `*.rq` directly in `directory`, by file stem."""
    library = {}
    for path in sorted(directory.glob("*.rq")):
        library[path.stem] = parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    return library


def get_query(name: str, directory: Path = QUERIES_DIR) -> LibraryQuery:
    library = load_library(directory)
    if name not in library:
        raise QueryError(f"no library query named {name!r}", hint="list them with `kg sparql list`")
    return library[name]


def to_param_term(param: Param, value: str) -> ox.NamedNode | ox.Literal:
    """A parameter value → the RDF term bound to its variable."""
    try:
        if param.type == "iri":
            return ox.NamedNode(value)
        if param.type == "string":
            return ox.Literal(value)
        if param.type in ("integer", "decimal", "boolean"):
            if param.type == "integer":
                value = str(int(value))
            elif param.type == "decimal":
                value = str(float(value))
            elif value.lower() not in ("true", "false"):
                raise ValueError(value)
            return ox.Literal(value.lower() if param.type == "boolean" else value,
                              datatype=ox.NamedNode(XSD + param.type))
    except ValueError:
        raise QueryError(f"parameter {param.name} must be {PARAM_TYPES[param.type]}, not {value!r}") from None
    return ox.Literal(value, language="zh")


def bind_params(query: LibraryQuery, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(f"{query.name} has no parameter {', '.join(unknown)}",
                         hint="its parameters: " + (", ".join(known) or "none"))
    return {name: to_param_term(known[name], value) for name, value in values.items()}


def parse_param_args(args: list[str]) -> dict[str, str]:
    values = {}
    for arg in args:
        name, sep, value = arg.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {arg!r} is not NAME=VALUE", hint="e.g. --param city=梧州市")
        values[name.strip()] = value
    return values


def query_shape(text: str) -> QueryShape:
    """The form of a query and whether it calls another endpoint, read from its tokens (kg/sparql_lexer.py).

    QueryError when the text is over MAX_QUERY_CHARS or holds a string that never ends."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long; the limit is {MAX_QUERY_CHARS:,}",
                         hint="bind long lists of values as parameters, or split the query")
    return lexer_shape(text)


def query_form(text: str) -> str:
    """`select|ask|construct|describe`, or `update`; the first keyword after the prologue decides."""
    try:
        return query_shape(text).form
    except QueryError:
        return "unknown"


def _syntax_error(exc: SyntaxError, prefixed: bool) -> QueryError:
    message = str(exc)
    m = re.search(r"(\d+):(\d+)", message)
    if m and prefixed:
        line, col = int(m.group(1)) - PREFIX_LINES, int(m.group(2))
        message = message[:m.start()] + f"{line}:{col}" + message[m.end():]
        if line >= 1:
            message = message.replace("error at", "error at line:column", 1)
    return QueryError(f"SPARQL syntax error: {message}",
                      hint="positions are line:column of your query (the ontology prefixes are pre-declared)")


def _refuse_update(text: str) -> QueryShape:
    shape = query_shape(text)
    if shape.form == "update":
        raise QueryError("updates (INSERT, DELETE, LOAD, CLEAR, DROP…) are refused: `kg sparql` is read-only",
                         hint="the graph is rebuilt from the corpus with `kg build`; change the plans, not the store")
    return shape


_SYNTAX_PROBE = ox.Store()  # empty in-memory store: "parsing" a query there costs nothing


def check(text: str) -> str:
    """Parse without running (on an empty store); return the query form or raise QueryError.

    A query with SERVICE is not handed to the engine: even on an empty store it would call the
    remote endpoint; its form is read from its tokens."""
    shape = _refuse_update(text)
    if shape.service:
        return shape.form
    try:
        result = _SYNTAX_PROBE.query(PREFIX_TEXT + text)
    except SyntaxError as exc:
        raise _syntax_error(exc, prefixed=True) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query rejected: {exc}") from None
    if isinstance(result, ox.QuerySolutions):
        return "select"
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    return query_form(text) if query_form(text) in ("construct", "describe") else "construct"


def _materialise(raw) -> Result:
    if isinstance(raw, ox.QueryBoolean):
        return Result("ask", boolean=bool(raw))
    if isinstance(raw, ox.QuerySolutions):
        names = [v.value for v in raw.variables]
        return Result("select", vars=names, rows=[{n: sol[n] for n in names} for sol in raw])
    return Result("graph", triples=list(raw))


def run(store: ox.Store, text: str, bindings: Mapping[str, object] | None = None,
        timeout: float | None = None) -> Result:
    """Run a read-only query on the union of all graphs, values bound, optionally with a time limit.

    The query runs (and its results are read) in a daemon thread; on timeout we stop waiting and
    raise, and the thread is abandoned — the CLI exits right after, which ends it.
    """
    _refuse_update(text)
    subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
    box: dict[str, object] = {}

    def work() -> None:
        try:
            # bound as a VALUES block, not pyoxigraph substitutions (which scan first: see kg/binding.py)
            raw = store.query(bind_values(PREFIX_TEXT + text, subs), use_default_graph_as_union=True)
            box["result"] = _materialise(raw)
        except SyntaxError as exc:
            box["error"] = _syntax_error(exc, prefixed=True)
        except (OSError, ValueError, RuntimeError) as exc:
            box["error"] = QueryError(f"query failed: {exc}")

    if timeout is not None and not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
        raise QueryError(f"--timeout must be a number of seconds between 0 and {MAX_TIMEOUT:g}, not {timeout!r}",
                         hint="e.g. --timeout 30")
    start = time.perf_counter()
    if timeout is None:
        work()
    else:
        worker = threading.Thread(target=work, daemon=True, name="kg-sparql")
        worker.start()
        worker.join(timeout)
        if worker.is_alive():
            raise QueryError(f"the query did not finish within {timeout:g} s and was abandoned",
                             hint="narrow it (a city, a LIMIT) or raise --timeout")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    result: Result = box["result"]  # type: ignore[assignment]
    result.seconds = time.perf_counter() - start
    return result


# ---------------------------------------------------------------- formats


def _json_term(term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype and term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


def to_json(result: Result) -> str:
    """W3C SPARQL 1.1 Query Results JSON."""
    if result.form == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = [{k: _json_term(v) for k, v in row.items() if v is not None} for row in result.rows]
    return json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}}, ensure_ascii=False,
                      indent=1)


def to_csv(result: Result) -> str:
    """W3C SPARQL 1.1 Query Results CSV: plain values, CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if result.form == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return out.getvalue()
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow(["" if row.get(v) is None else row[v].value for v in result.vars])
    return out.getvalue()


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and term.datatype and term.datatype.value in (
            XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"):
        return term.value  # the spec allows the bare Turtle form of numbers and booleans
    return str(term).replace("\t", "\\t").replace("\n", "\\n")


def to_tsv(result: Result) -> str:
    """W3C SPARQL 1.1 Query Results TSV: `?var` header, terms in Turtle syntax."""
    if result.form == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.vars)]
    lines += ["\t".join(_tsv_term(row.get(v)) for v in result.vars) for row in result.rows]
    return "\n".join(lines) + "\n"


def to_turtle(result: Result) -> str:
    data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return data.decode("utf-8") if data else ""


def compact(term) -> str:
    """A short display form: prefixed IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, iri in PREFIXES.items():
            if term.value.startswith(iri) and term.value != iri:
                return f"{prefix}:{term.value[len(iri):]}"
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value
