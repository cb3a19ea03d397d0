"""The web application of `kg serve` (Starlette): every route is listed in `routes()`.

  /sparql                 SPARQL 1.1 Protocol, read-only: GET ?query= · POST form (query=) · POST
                          application/sparql-query; `$name=<N-Triples term>` binds ?name
  /api/query/{name}       a library query (queries/*.rq) by name, its parameters as ?param=value
                          (bound, never spliced); results as /sparql gives them — what pages call
  /api/ask?q=             the `kg ask --json` answer
  /api/queries            the query library (name, title, description, params, text)
  /api/cities             the cities that have plans in the graph;  /api/columns  Chinese column headers
  /api/download           POST the /sparql form with ?format=csv|json|xlsx: a SELECT as a file for people
  /api/network?city=      the network of `kg viz` as JSON;  /viz?city= the same as a page
  /                       the web page;  /static/…  the files of kg/data/web/static/ only
  /id/…, /vocab/…, /ont   every IRI of the graph: HTML, Turtle or JSON-LD by Accept (kg/web/linked.py)
  /plan/{file}, /plans    the plan reader: each sentence with the facts read from it

User SPARQL runs in worker processes (kg/web/pool.py); questions and networks run in this process
on the current build's read-only store. A new `kg build` is picked up on the next request.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, urlencode

import anyio
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg import sparql as sq
from kg.errors import KGError, QueryError
from kg.store import current_build, open_store
from kg.web import linked, pages
from kg.web.pool import Busy, QueryPool
from kg.web.protocol import HTTPError, negotiate, parse_term

MAX_BODY = 1 << 20  # a query, not an upload
BODY_SECONDS = 30.0  # a body announced but not sent within this is a 408, not a query
MAX_RESULT_BYTES = 64 << 20
NETWORK_CACHE = 32  # networks kept per build (each a layout of up to a few thousand nodes)
FOLLOW_UP_QUESTIONS = 5  # earlier questions of a page session a follow-up may refer to
MAX_QUESTION_CHARS = 500  # a question, not a document


class State:
    """The graph behind the server: the current build's store, its asker, networks and cities."""

    def __init__(self, data_dir: Path, pool: QueryPool, timeout: float) -> None:
        self.data_dir = data_dir
        self.pool = pool
        self.timeout = timeout
        self._lock = threading.Lock()  # held briefly: the current build, its store and caches
        self._asker_lock = threading.Lock()  # held while the QA knowledge is loaded and while it answers
        self._build: Path | None = None
        self._store: ox.Store | None = None
        self._asker = None
        self._asker_build: Path | None = None
        self._full_network = None
        self._networks: OrderedDict[tuple, dict] = OrderedDict()
        self._cities: list[str] | None = None
        self._reader = None
        self.store()  # fail at start, not at the first request, when there is no graph

    def build(self) -> Path:
        return current_build(self.data_dir)

    def store(self) -> ox.Store:
        build = self.build()
        with self._lock:
            if build != self._build or self._store is None:
                self._store, self._build = open_store(self.data_dir), build
                self._full_network, self._networks, self._cities = None, OrderedDict(), None
                self._reader = None
            return self._store

    def reader(self):
        """The pages' reader of the current build (labels and evidence read once per build)."""
        from kg.resource import Reader

        store = self.store()
        with self._lock:
            reader = self._reader
        if reader is None or reader.store is not store:
            reader = Reader(store)
            with self._lock:
                if store is self._store:
                    self._reader = reader
        return reader

    # ---- questions ---------------------------------------------------------------------------
    def _current_asker(self):
        """The question answerer's knowledge of the current build (kg.qa.Knowledge); the caller holds
        `_asker_lock`."""
        self.store()
        if self._asker is None or self._asker_build != self._build:
            from kg.qa import load

            self._asker, self._asker_build = load(self.data_dir), self._build
        return self._asker

    def warm(self) -> None:
        try:
            with self._asker_lock:
                self._current_asker()
        except KGError:
            pass  # the first question will report it

    def ask(self, question: str, earlier: list[str] | None = None) -> dict:
        # One question at a time: the knowledge fills its caches lazily.
        with self._asker_lock:
            return answer_question(self._current_asker(), question, earlier or [])

    # ---- library queries, cities and networks -------------------------------------------------
    def cities(self) -> list[str]:
        store = self.store()
        with self._lock:
            if self._cities is not None:
                return self._cities
        result = sq.run(store, sq.get_query("documents").text, timeout=self.timeout)
        cities = sorted({row["city"].value for row in result.rows if row.get("city") is not None})
        with self._lock:
            self._cities = cities
        return cities

    def network(self, city: str, consortium: str, county: str = "", kinds: bool = False) -> dict:
        """The JSON of `kg viz` for a city (every city when empty), county or consortium, with the kind
        references when `kinds`; a bounded cache per build."""
        from kg import viz

        if city and city not in self.cities():
            raise HTTPError(HTTPStatus.NOT_FOUND, f"no plan of a city named {city[:60]!r} in the graph; "
                                                  "see /api/cities")
        store = self.store()
        key = (city, consortium, county, kinds)
        with self._lock:
            if key in self._networks:
                self._networks.move_to_end(key)
                return self._networks[key]
            full = self._full_network
        if full is None:
            full = viz.full_network(store)
        try:
            graph = viz.select(full, city=city or None, consortium=consortium or None, county=county or None,
                               kinds=kinds)
        except viz.VizError as exc:
            raise HTTPError(HTTPStatus.NOT_FOUND, str(exc)) from None
        graph.graph["title"] = viz.title(store, city or None, consortium or None, county or None)
        value = viz.to_json(graph)
        with self._lock:
            if store is self._store:
                self._full_network = full
                self._networks[key] = value
                while len(self._networks) > NETWORK_CACHE:
                    self._networks.popitem(last=False)
        return value


def answer_question(kb, question: str, earlier: list[str]) -> dict:
    """The one call into the question answerer (kg/qa). The server keeps no conversation: the page sends
    the questions asked before in its session, replayed here into a context, so a pronoun or 那X呢？
    refers to this page's own earlier questions and never to another user's."""
    from kg.qa import answer

    context = None
    for before in earlier[-FOLLOW_UP_QUESTIONS:]:
        _, context = answer(kb, before, context)
    reply, _ = answer(kb, question, context)
    return reply


def library_json() -> list[dict]:
    return [{"name": q.name, "title": q.title, "description": q.description,
             "params": [{"name": p.name, "type": p.type, "doc": p.doc, "example": p.example} for p in q.params],
             "examples": q.examples, "text": q.text} for q in sq.load_library().values()]


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------

def state_of(request: Request) -> State:
    return request.app.state.kg


def last(params: dict[str, list[str]], name: str) -> str:
    return (params.get(name) or [""])[-1]


async def read_body(request: Request) -> bytes:
    """The request body, at most MAX_BODY bytes, received within BODY_SECONDS."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HTTPError(HTTPStatus.BAD_REQUEST, "Content-Length is not a number")
        if int(declared) > MAX_BODY:
            raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes",
                            {"Connection": "close"})
    chunks, size = [], 0
    try:
        with anyio.fail_after(BODY_SECONDS):
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_BODY:
                    raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"request body over {MAX_BODY} bytes",
                                    {"Connection": "close"})
                chunks.append(chunk)
    except TimeoutError:
        raise HTTPError(HTTPStatus.REQUEST_TIMEOUT, f"the request body did not arrive within {BODY_SECONDS:g} s",
                        {"Connection": "close"}) from None
    return b"".join(chunks)


def utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPError(HTTPStatus.BAD_REQUEST, f"{what} is not UTF-8 text") from None


def text_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    phrase = HTTPStatus(status).phrase
    return Response(f"{status} {phrase}: {message}\n", status_code=status, media_type="text/plain; charset=utf-8",
                    headers=headers)


def json_response(value: object) -> Response:
    return Response(json.dumps(value, ensure_ascii=False), media_type="application/json; charset=utf-8")


def refuse_unsafe(text: str) -> sq.QueryShape:
    """Updates (LOAD included) and SERVICE are refused, whatever the transport; read from the tokens."""
    try:
        shape = sq.query_shape(text)
    except QueryError as exc:
        too_long = len(text) > sq.MAX_QUERY_CHARS
        raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if too_long else HTTPStatus.BAD_REQUEST,
                        str(exc)) from None
    if shape.form == "update":
        raise HTTPError(HTTPStatus.FORBIDDEN, "updates (INSERT, DELETE, LOAD, CLEAR, DROP…) are refused: this "
                                              "endpoint is read-only; the graph is rebuilt from the plans with "
                                              "`kg build`")
    if shape.service:
        raise HTTPError(HTTPStatus.FORBIDDEN, "SERVICE (federated query) is refused: this endpoint does not "
                                              "query other endpoints; fetch their results yourself and join locally")
    return shape


async def run_query(request: Request, text: str, bindings: dict[str, ox.NamedNode | ox.Literal],
                    fmt: str | None) -> Response:
    """Check, negotiate and run one query in a worker; the HTTP answer."""
    state = state_of(request)
    shape = refuse_unsafe(text)
    chosen = None
    if shape.form != "unknown":  # an unreadable form is the engine's syntax error to report
        chosen = negotiate(request.headers.get("accept") or "", shape.form in ("construct", "describe"), fmt)
    job = {"build": str(state.build()), "query": text, "bindings": {k: str(v) for k, v in bindings.items()},
           "format": chosen, "max_bytes": MAX_RESULT_BYTES}
    client = request.client.host if request.client else "?"
    try:
        outcome = await state.pool.run(client, job)
    except Busy as exc:
        raise HTTPError(HTTPStatus(exc.status), exc.message, {"Retry-After": "2"}) from None
    if not outcome.ok:
        status = HTTPStatus.SERVICE_UNAVAILABLE if outcome.kind in ("timeout", "memory") else HTTPStatus.BAD_REQUEST
        hint = {"timeout": "; narrow it (a city, a LIMIT)", "memory": "; narrow it (a city, a LIMIT)"}
        raise HTTPError(status, outcome.message + hint.get(outcome.kind, ""))
    return Response(outcome.body, media_type=outcome.media + "; charset=utf-8",
                    headers={"X-Query-Seconds": f"{outcome.seconds:.4f}", "Vary": "Accept"})


# --------------------------------------------------------------------------------------------------
# Routes
# --------------------------------------------------------------------------------------------------

async def _query_params(request: Request) -> tuple[dict[str, list[str]], str | None]:
    """The parameters of a /sparql request (URL and form), and a direct application/sparql-query body."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    body_query = None
    if request.method == "POST":
        ctype = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise HTTPError(HTTPStatus.FORBIDDEN, "SPARQL Update is refused: this endpoint is read-only")
        if ctype not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise HTTPError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                            "POST application/sparql-query, or a form (application/x-www-form-urlencoded) with query=")
        body = utf8(await read_body(request), "the request body")
        if ctype == "application/sparql-query":
            body_query = body
        else:
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
    return params, body_query


async def sparql_endpoint(request: Request) -> Response:
    params, body_query = await _query_params(request)
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
    bindings = {name[1:]: parse_term(name[1:], values[-1]) for name, values in params.items()
                if name.startswith("$") and len(name) > 1 and values and values[-1].strip()}
    return await run_query(request, queries[0], bindings, last(params, "format") or None)


DOWNLOADS = {"csv": "text/csv", "json": "application/json",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


async def download(request: Request) -> Response:
    """POST /api/download?format=csv|json|xlsx (the /sparql form): a SELECT's results as a file for people —
    Chinese column headers (kg/data/web/columns.yaml), CSV with a BOM so Excel reads UTF-8, or a workbook."""
    params, body_query = await _query_params(request)
    fmt = last(params, "format")
    if fmt not in DOWNLOADS:
        raise HTTPError(HTTPStatus.BAD_REQUEST, "format= must be csv, json or xlsx")
    queries = params.get("query", []) + ([body_query] if body_query is not None else [])
    if len(queries) != 1 or not queries[0].strip():
        raise HTTPError(HTTPStatus.BAD_REQUEST, "give exactly one query (query=…)")
    bindings = {name[1:]: parse_term(name[1:], values[-1]) for name, values in params.items()
                if name.startswith("$") and len(name) > 1 and values and values[-1].strip()}
    if refuse_unsafe(queries[0]).form != "select":
        raise HTTPError(HTTPStatus.BAD_REQUEST, "downloads are for SELECT queries (a table); CONSTRUCT and DESCRIBE "
                                                "results come as Turtle from /sparql")
    response = await run_query(request, queries[0], bindings, "json")
    data = json.loads(response.body)
    names = data["head"]["vars"]
    headers = [pages.column_label(v) for v in names]
    rows = [[_cell(b.get(v)) for v in names] for b in data["results"]["bindings"]]
    filename = "kg-results." + fmt
    disposition = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if fmt == "json":
        body = json.dumps({"columns": [{"name": v, "label": h} for v, h in zip(names, headers, strict=True)],
                           "rows": [dict(zip(names, r, strict=True)) for r in rows]}, ensure_ascii=False, indent=1)
        return Response(body, media_type=DOWNLOADS[fmt] + "; charset=utf-8", headers=disposition)
    if fmt == "csv":
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows([["" if c is None else c for c in r] for r in rows])
        return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8", headers=disposition)
    from kg.export import rows_to_xlsx

    return Response(rows_to_xlsx(headers, rows), media_type=DOWNLOADS[fmt], headers=disposition)


def _cell(term: dict | None):
    """A SPARQL JSON term as a spreadsheet value: numbers as numbers, everything else its text."""
    if term is None:
        return None
    value = term.get("value", "")
    if term.get("type") == "literal" and term.get("datatype", "").endswith(("#integer", "#decimal", "#double")):
        try:
            return int(value) if term["datatype"].endswith("#integer") else float(value)
        except ValueError:
            return value
    return value


async def library_query(request: Request) -> Response:
    name = request.path_params["name"]
    library = sq.load_library()
    if name not in library:
        raise HTTPError(HTTPStatus.NOT_FOUND, f"no library query named {name[:60]!r}; see /api/queries")
    entry = library[name]
    params = parse_qs(request.url.query, keep_blank_values=True)
    values = {k: v[-1] for k, v in params.items() if k != "format" and v and v[-1].strip()}
    try:
        bindings = sq.bind_params(entry, values)
    except QueryError as exc:
        raise HTTPError(HTTPStatus.BAD_REQUEST, str(exc)) from None
    return await run_query(request, entry.text, bindings, last(params, "format") or None)


async def ask(request: Request) -> Response:
    params = parse_qs(request.url.query, keep_blank_values=True)
    question = last(params, "q")
    if not question.strip():
        raise HTTPError(HTTPStatus.BAD_REQUEST, "ask a question with ?q=, e.g. /api/ask?q=梧州市有哪些中医医院？")
    earlier = [q for q in params.get("prev", []) if q.strip()][-FOLLOW_UP_QUESTIONS:]
    if any(len(q) > MAX_QUESTION_CHARS for q in [question, *earlier]):
        raise HTTPError(HTTPStatus.BAD_REQUEST, f"问题太长 question too long (at most {MAX_QUESTION_CHARS} characters)")
    return json_response(await anyio.to_thread.run_sync(state_of(request).ask, question, earlier))


async def queries(request: Request) -> Response:
    return json_response(library_json())


async def columns(request: Request) -> Response:
    return json_response(pages.column_labels())


async def cities(request: Request) -> Response:
    return json_response(await anyio.to_thread.run_sync(state_of(request).cities))


async def _network(request: Request) -> dict:
    params = parse_qs(request.url.query, keep_blank_values=True)
    city, consortium = last(params, "city").strip(), last(params, "consortium").strip()
    county, kinds = last(params, "county").strip(), last(params, "kinds").strip() in ("1", "true", "yes")
    return await anyio.to_thread.run_sync(state_of(request).network, city, consortium, county, kinds)


async def network(request: Request) -> Response:
    return json_response(await _network(request))


async def viz_page(request: Request) -> Response:
    """/viz?city=&county=&consortium=&kinds=1: the network page; a link switches the kind references."""
    params = parse_qs(request.url.query, keep_blank_values=True)
    kinds = last(params, "kinds").strip() in ("1", "true", "yes")
    other = {k: v[-1] for k, v in params.items() if k in ("city", "county", "consortium") and v and v[-1]}
    if not kinds:
        other["kinds"] = "1"
    switch = ("/viz?" + urlencode(other), "隐藏类别指称（泛指）" if kinds else "显示类别指称（泛指，另行排布）")
    return HTMLResponse(pages.viz_page(await _network(request), standalone=False, kinds_switch=switch))


async def index(request: Request) -> Response:
    return HTMLResponse(pages.render("index.html", examples=pages.example_questions()))


def routes() -> list:
    return [
        Route("/", index),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST"]),
        Route("/api/query/{name}", library_query),
        Route("/api/ask", ask),
        Route("/api/queries", queries),
        Route("/api/download", download, methods=["POST"]),
        Route("/api/cities", cities),
        Route("/api/columns", columns),
        Route("/api/network", network),
        Route("/viz", viz_page),
        Route("/id/{path:path}", linked.resource),
        Route("/vocab/{path:path}", linked.resource),
        Route("/ont", linked.ontology),
        Route("/ont/{path:path}", linked.resource),
        Route("/plan/{file}", linked.plan),
        Route("/plans", linked.plan_list),
        Mount("/static", StaticFiles(directory=pages.STATIC_DIR, follow_symlink=False), name="static"),
    ]


# --------------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------------

async def on_http_error(request: Request, exc: HTTPError) -> Response:
    return text_response(exc.status, exc.message, exc.headers)


async def on_kg_error(request: Request, exc: KGError) -> Response:
    return text_response(HTTPStatus.SERVICE_UNAVAILABLE, str(exc))


async def on_starlette_error(request: Request, exc) -> Response:
    status = getattr(exc, "status_code", 500)
    message = {404: f"no such page: {request.url.path[:200]}; see / for the web page, /sparql for the SPARQL "
                    "endpoint", 405: f"{request.method} is not allowed here"}.get(status, str(exc.detail))
    return text_response(status, message)


def make_app(state: State) -> Starlette:
    from starlette.exceptions import HTTPException

    app = Starlette(routes=routes(), exception_handlers={
        HTTPError: on_http_error, KGError: on_kg_error, HTTPException: on_starlette_error})
    app.state.kg = state
    return app
