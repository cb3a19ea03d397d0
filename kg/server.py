"""`kg serve`: the graph over HTTP — a read-only SPARQL 1.1 Protocol endpoint, a question API, a web page.

Standard library only (`http.server.ThreadingHTTPServer`): one process for one analyst's machine or a
small team, bound to 127.0.0.1 unless told otherwise. Queries go through `kg.sparql.run` (read-only,
prefixes pre-declared, values bound never spliced, per-request time limit); SERVICE is refused too,
since the query engine would otherwise fetch remote endpoints on the server's behalf.

Routes:
  /sparql               GET ?query= · POST form (query=) · POST application/sparql-query;
                        `$name=<N-Triples term>` binds ?name (the RDF4J protocol convention)
  /api/ask?q=           the `kg ask --json` answer
  /api/queries          the query library (name, title, description, params, text)
  /api/cities           the cities that have plans in the graph
  /api/network?city=    the network of `kg viz` as JSON;  /viz?city= the same as the self-contained page
  /                     the web page (kg/data/web/)
"""

from __future__ import annotations

import errno
import json
import re
import socket
import threading
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from kg import sparql as sq
from kg.errors import KGError, QueryError
from kg.paths import PACKAGE_DATA
from kg.store import current_build, open_store

WEB_DIR = PACKAGE_DATA / "web"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_TIMEOUT = 10.0
MAX_BODY = 1 << 20  # a query, not an upload
# Queries past their time limit are abandoned, not stopped (the engine cannot be interrupted), so new
# ones are refused while this many are still running: a few runaway queries cannot take every core.
MAX_RUNNING = 4
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1", "[::1]"}

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
# Strings, IRIs and comments are blanked before looking for the SERVICE keyword, so a label or an
# IRI containing the word does not trip the check and a keyword cannot hide inside one either.
_OPAQUE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                     r'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
_SERVICE = re.compile(r"(?<![?$\w:.-])SERVICE(?![\w:.-])", re.IGNORECASE)


class ServeError(KGError):
    """The server cannot start (port in use, address not available)."""

    code = "KG500"
    exit_code = 7


class HTTPError(Exception):
    """An error answered to the client with a status and a plain-text message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# --------------------------------------------------------------------------------------------------
# State shared by the request threads
# --------------------------------------------------------------------------------------------------

class App:
    """The graph behind the server. A new `kg build` is picked up on the next request."""

    def __init__(self, data_dir: Path, timeout: float = DEFAULT_TIMEOUT, warm: bool = False,
                 max_running: int = MAX_RUNNING) -> None:
        self.data_dir = data_dir
        self.timeout = timeout
        self.max_running = max_running
        self._lock = threading.Lock()  # held briefly: the current build, its store, the network cache
        self._asker_lock = threading.Lock()  # held while an Asker is built and while it answers
        self._build: Path | None = None
        self._store: ox.Store | None = None
        self._asker = None
        self._asker_build: Path | None = None
        self._networks: dict[str, tuple[dict, str]] = {}
        self.store()  # fail at start, not at the first request, when there is no graph
        if warm:
            # The question lexicon is computed on first use of a build (slow on a cold build); start now.
            threading.Thread(target=self._warm, daemon=True, name="kg-warm").start()

    def _warm(self) -> None:
        try:
            with self._asker_lock:
                self._current_asker()
        except KGError:
            pass  # the first question will report it

    def store(self) -> ox.Store:
        build = current_build(self.data_dir)
        with self._lock:
            if build != self._build or self._store is None:
                self._store, self._build, self._networks = open_store(self.data_dir), build, {}
            return self._store

    def _current_asker(self):
        """The Asker of the current build; the caller holds `_asker_lock`."""
        self.store()
        if self._asker is None or self._asker_build != self._build:
            from kg.qa.answer import Asker

            self._asker, self._asker_build = Asker(self.data_dir), self._build
        return self._asker

    def ask(self, question: str) -> dict:
        # One question at a time: Asker keeps conversation context and fills caches lazily.
        with self._asker_lock:
            asker = self._current_asker()
            # Each request stands alone: a pronoun must not resolve to another user's last question.
            asker.context_city = None
            asker.context_entity = None
            return asker.ask(question)

    def network(self, city: str | None, consortium: str | None) -> tuple[dict, str]:
        """(JSON, HTML) of `kg viz` for a city, cached per build."""
        from kg import viz

        store = self.store()
        key = f"{city or ''}\x00{consortium or ''}"
        with self._lock:
            if key in self._networks:
                return self._networks[key]
        graph = viz.build_network(store, city=city or None, consortium=consortium or None)
        value = (viz.to_json(graph), viz.to_html(graph))
        with self._lock:
            self._networks[key] = value
        return value

    def cities(self) -> list[str]:
        result = sq.run(self.store(), sq.get_query("documents").text, timeout=self.timeout)
        return sorted({row["city"].value for row in result.rows if row.get("city") is not None})


def library_json() -> list[dict]:
    return [{"name": q.name, "title": q.title, "description": q.description,
             "params": [{"name": p.name, "type": p.type, "doc": p.doc, "example": p.example} for p in q.params],
             "examples": q.examples, "text": q.text} for q in sq.load_library().values()]


# --------------------------------------------------------------------------------------------------
# SPARQL protocol
# --------------------------------------------------------------------------------------------------

def refuse_unsafe(text: str) -> None:
    """Updates (LOAD included) and SERVICE are forbidden here, whatever the transport."""
    if sq.query_form(text) == "update":
        raise HTTPError(HTTPStatus.FORBIDDEN, "updates (INSERT, DELETE, LOAD, CLEAR, DROP…) are refused: this "
                                              "endpoint is read-only; the graph is rebuilt from the plans with "
                                              "`kg build`")
    if _SERVICE.search(_OPAQUE.sub(" ", text)):
        raise HTTPError(HTTPStatus.FORBIDDEN, "SERVICE (federated query) is refused: this endpoint does not "
                                              "query other endpoints; fetch their results yourself and join locally")


def parse_term(name: str, value: str) -> ox.NamedNode | ox.Literal:
    """An N-Triples term (`"梧州市"@zh`, `<http://…>`, `"5"^^xsd:integer` spelled out) for `$name=`."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise HTTPError(HTTPStatus.BAD_REQUEST, f"${name} is not a variable name")
    try:
        quads = list(ox.parse(f"<urn:kg:s> <urn:kg:p> {value} .".encode(), format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError:
        quads = []
    if len(quads) != 1 or isinstance(quads[0].object, ox.BlankNode):
        raise HTTPError(HTTPStatus.BAD_REQUEST, f"${name} must be one N-Triples term, e.g. \"梧州市\"@zh or "
                                                f"<https://…>, not {value!r}")
    return quads[0].object


def parse_accept(header: str) -> list[tuple[str, float]]:
    """Media ranges of an Accept header with their q, most wanted first (stable for equal q)."""
    ranges = []
    for i, part in enumerate(header.split(",")):
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
            raise HTTPError(HTTPStatus.NOT_ACCEPTABLE, f"format={fmt} is not available for this query; "
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
    raise HTTPError(HTTPStatus.NOT_ACCEPTABLE, f"cannot answer in {accept}; this query's results come as {offered}")


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


def sparql_request(app: App, params: dict[str, list[str]], body_query: str | None, accept: str
                   ) -> tuple[str, str, float]:
    """One protocol request → (media type, body, seconds). Raises HTTPError."""
    if "update" in params:
        raise HTTPError(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: this endpoint is read-only; the graph is "
                                              "rebuilt from the plans with `kg build`")
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri"):
        if name in params:
            raise HTTPError(HTTPStatus.BAD_REQUEST, f"{name} is not supported: the default graph is the union of "
                                                    "all graphs; select evidence graphs with GRAPH ?g { … } instead")
    queries = params.get("query", []) + ([body_query] if body_query is not None else [])
    if len(queries) != 1 or not queries[0].strip():
        raise HTTPError(HTTPStatus.BAD_REQUEST, "give exactly one query: GET /sparql?query=…, POST query=… "
                                                "(form) or POST application/sparql-query")
    text = queries[0]
    refuse_unsafe(text)
    bindings = {name[1:]: parse_term(name[1:], values[-1]) for name, values in params.items()
                if name.startswith("$") and len(name) > 1 and values and values[-1].strip()}
    fmt = (params.get("format") or [None])[-1]
    running = sum(t.name == "kg-sparql" and t.is_alive() for t in threading.enumerate())
    if running >= app.max_running:
        raise HTTPError(HTTPStatus.SERVICE_UNAVAILABLE, f"{running} queries are still running (some past their "
                                                        f"{app.timeout:g} s limit); try again in a moment")
    try:
        result = sq.run(app.store(), text, bindings, timeout=app.timeout)
    except QueryError as exc:
        timed_out = "did not finish" in exc.message
        raise HTTPError(HTTPStatus.SERVICE_UNAVAILABLE if timed_out else HTTPStatus.BAD_REQUEST, str(exc)) from None
    chosen = negotiate(accept, result.form == "graph", fmt)
    media = GRAPH_TYPES.get(chosen) or RESULT_TYPES[chosen]
    return media, serialize(result, chosen), result.seconds


# --------------------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------------------

STATIC_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml",
                ".png": "image/png", ".ico": "image/x-icon"}


class Handler(BaseHTTPRequestHandler):
    server: KGServer
    server_version = "kg-serve"
    protocol_version = "HTTP/1.1"

    # ---- dispatch ------------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        self._handle(body=None)

    def do_POST(self) -> None:  # noqa: N802
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0:
            self._send_error(HTTPError(HTTPStatus.BAD_REQUEST, "Content-Length is not a number"))
            self.close_connection = True
            return
        if length > MAX_BODY:
            self._send_error(HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes"))
            self.close_connection = True
            return
        self._handle(body=self.rfile.read(length) if length else b"")

    def _host_allowed(self) -> bool:
        """On a loopback address, only requests naming a loopback host: a web page the user visits
        cannot reach the server through a DNS name rebound to 127.0.0.1."""
        if not self.server.loopback:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        return name in LOOPBACK_NAMES

    def _handle(self, body: bytes | None) -> None:
        if not self._host_allowed():
            self._send_error(HTTPError(HTTPStatus.FORBIDDEN, "this server answers requests for 127.0.0.1 and "
                                                             "localhost only (it listens on a loopback address)"))
            return
        url = urlsplit(self.path)
        params = parse_qs(url.query, keep_blank_values=True)
        routes: dict[str, Callable[[dict, bytes | None], None]] = {
            "/sparql": self._sparql, "/api/ask": self._ask, "/api/queries": self._queries,
            "/api/cities": self._cities, "/api/network": self._network, "/viz": self._viz}
        try:
            if url.path in routes:
                routes[url.path](params, body)
            elif body is None and (url.path == "/" or url.path.startswith("/static/")):
                self._static("index.html" if url.path == "/" else url.path.removeprefix("/static/"))
            else:
                raise HTTPError(HTTPStatus.NOT_FOUND, f"no such page: {url.path}; see / for the web page, "
                                                      "/sparql for the SPARQL endpoint")
        except HTTPError as exc:
            self._send_error(exc)
        except KGError as exc:
            self._send_error(HTTPError(HTTPStatus.SERVICE_UNAVAILABLE, str(exc)))
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as exc:  # a bug must still answer the client, and leave a trace in the log
            self.log_error("%s", traceback.format_exc())
            self._send_error(HTTPError(HTTPStatus.INTERNAL_SERVER_ERROR, f"{type(exc).__name__}: {exc}"))

    # ---- routes --------------------------------------------------------------------------------
    def _sparql(self, params: dict, body: bytes | None) -> None:
        body_query = None
        if body is not None:
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            text = body.decode("utf-8", errors="replace")
            if ctype == "application/sparql-update":
                raise HTTPError(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: this endpoint is read-only")
            if ctype == "application/x-www-form-urlencoded":
                for key, values in parse_qs(text, keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            elif ctype == "application/sparql-query":
                body_query = text
            else:
                raise HTTPError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                                "POST application/sparql-query, or a form (application/x-www-form-urlencoded) "
                                "with query=")
        media, text, seconds = sparql_request(self.server.app, params, body_query, self.headers.get("Accept") or "")
        self._send(HTTPStatus.OK, media, text, {"X-Query-Seconds": f"{seconds:.4f}"})

    def _ask(self, params: dict, body: bytes | None) -> None:
        question = (params.get("q") or [""])[-1]
        if not question.strip():
            raise HTTPError(HTTPStatus.BAD_REQUEST, "ask a question with ?q=, e.g. /api/ask?q=梧州市有哪些中医医院？")
        self._json(self.server.app.ask(question))

    def _queries(self, params: dict, body: bytes | None) -> None:
        self._json(library_json())

    def _cities(self, params: dict, body: bytes | None) -> None:
        self._json(self.server.app.cities())

    def _network_of(self, params: dict) -> tuple[dict, str]:
        from kg.viz import VizError

        city = (params.get("city") or [""])[-1].strip()
        consortium = (params.get("consortium") or [""])[-1].strip()
        try:
            return self.server.app.network(city, consortium)
        except VizError as exc:
            raise HTTPError(HTTPStatus.NOT_FOUND, str(exc)) from None

    def _network(self, params: dict, body: bytes | None) -> None:
        self._json(self._network_of(params)[0])

    def _viz(self, params: dict, body: bytes | None) -> None:
        self._send(HTTPStatus.OK, "text/html", self._network_of(params)[1])

    def _static(self, name: str) -> None:
        # Only files that ship in the web directory, by exact name: no path is ever joined from the URL.
        files = {p.name: p for p in WEB_DIR.iterdir() if p.is_file()}
        if name not in files or files[name].suffix not in STATIC_TYPES:
            raise HTTPError(HTTPStatus.NOT_FOUND, f"no such file: {name}")
        path = files[name]
        data = path.read_bytes()
        media = STATIC_TYPES[path.suffix]
        self._send(HTTPStatus.OK, media, data)

    # ---- writing -------------------------------------------------------------------------------
    def _json(self, value: object) -> None:
        self._send(HTTPStatus.OK, "application/json", json.dumps(value, ensure_ascii=False))

    def _send_error(self, exc: HTTPError) -> None:
        self._send(exc.status, "text/plain", f"{exc.status.value} {exc.status.phrase}: {exc.message}\n")

    def _send(self, status: HTTPStatus, media: str, body: str | bytes, headers: dict | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        charset = "; charset=utf-8" if media.startswith("text/") or media.endswith(("json", "xml", "triples")) else ""
        self.send_header("Content-Type", media + charset)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if status == HTTPStatus.OK and self.path.startswith("/sparql"):
            self.send_header("Vary", "Accept")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the http.server signature
        if not self.server.quiet:
            super().log_message(format, *args)

    def log_error(self, format: str, *args) -> None:  # noqa: A002
        super().log_message(format, *args)  # errors are logged even with --quiet


class KGServer(ThreadingHTTPServer):
    daemon_threads = True  # a slow client never keeps Ctrl-C from stopping the server

    def __init__(self, address: tuple[str, int], app: App, quiet: bool = False) -> None:
        self.app = app
        self.quiet = quiet
        self.loopback = address[0] in LOOPBACK_NAMES or address[0].startswith("127.")
        super().__init__(address, Handler)


class KGServer6(KGServer):
    address_family = socket.AF_INET6


def make_server(data_dir: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                timeout: float = DEFAULT_TIMEOUT, quiet: bool = False, warm: bool = False,
                max_running: int = MAX_RUNNING) -> KGServer:
    """A bound server over the graph in `data_dir` (port 0: any free port); call `serve_forever()`.

    `warm` prepares the question answerer in the background, so the first question is quick."""
    app = App(data_dir, timeout, warm=warm, max_running=max_running)
    cls = KGServer6 if ":" in host else KGServer
    try:
        return cls((host, port), app, quiet)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use",
                             hint="choose another with --port, or stop the program using it") from None
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES) or isinstance(exc, socket.gaierror):
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                             hint="use an address of this machine (default 127.0.0.1) and a port above 1023") from None
        raise


def url_of(server: KGServer) -> str:
    host, port = server.server_address[:2]
    return f"http://[{host}]:{port}/" if ":" in str(host) else f"http://{host}:{port}/"
