"""A SPARQL 1.1 Protocol client that stands in for the embedded pyoxigraph store.

`RemoteStore.query` takes the arguments of `pyoxigraph.Store.query` and returns pyoxigraph result
objects (parsed with `pyoxigraph.parse_query_results`), so `kg.store.sparql_select`, `kg.sparql.run`,
`kg ask` and `kg facts` run unchanged against Oxigraph server, Virtuoso, Fuseki or QLever.

Values are bound the way the embedded store binds them, never spliced: each substitution becomes
`VALUES ?var { term }` at the start of the outermost WHERE group, with the term written by pyoxigraph
in N-Triples syntax (quotes, backslashes and newlines escaped), so no value can change the query.

Only the standard library talks HTTP (urllib). Queries go as form-encoded POST by default
(Virtuoso 7.2 hangs on `application/sparql-query` bodies), or GET.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping

import pyoxigraph as ox

from kg.binding import bind_values
from kg.errors import RemoteError
from kg.sparql import query_form

# Asked by query form: Virtuoso answers CONSTRUCT with a SELECT-like table when JSON results are acceptable.
ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.5"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # older servers label N-Triples so
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
# Virtuoso 7 answers ASK as a one-column SELECT with this variable (no row, or "0", means false).
VIRTUOSO_ASK = "__ASK_RETVAL"
BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
MAX_MESSAGE = 600



class RemoteStore:
    """A SPARQL 1.1 endpoint with the query interface of `pyoxigraph.Store` (read side).

    `endpoint` is the query URL (Oxigraph `/query`, Virtuoso `/sparql`, Fuseki `/DATASET/sparql`).
    `default_graph` sends `default-graph-uri`; without it, union-default-graph queries ask Oxigraph
    for its `union-default-graph` mode (Virtuoso and QLever query all graphs by default; Fuseki needs
    `tdb2:unionDefaultGraph true` in its dataset configuration).
    """

    def __init__(self, endpoint: str, user: str | None = None, password: str | None = None,
                 auth: str = "basic", timeout: float | None = 60.0, method: str = "POST",
                 default_graph: str | None = None) -> None:
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RemoteError(f"{endpoint!r} is not an http(s) URL", hint="e.g. --endpoint http://127.0.0.1:7878/query")
        if auth not in ("basic", "digest"):
            raise RemoteError(f"unknown authentication {auth!r}", hint="use basic or digest")
        if method.upper() not in ("POST", "GET"):
            raise RemoteError(f"unknown HTTP method {method!r}", hint="use POST (form-encoded) or GET")
        if (user is None) != (password is None):
            raise RemoteError("give both --user and --password, or neither")
        self.endpoint = endpoint
        self.timeout = timeout
        self.method = method.upper()
        self.default_graph = default_graph
        self._headers: dict[str, str] = {"User-Agent": "kg-sparql-client"}
        handlers: list[urllib.request.BaseHandler] = []
        self._digest: urllib.request.HTTPDigestAuthHandler | None = None
        if user is not None and auth == "basic":
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        elif user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password)
            self._digest = urllib.request.HTTPDigestAuthHandler(passwords)
            handlers.append(self._digest)
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    # ---- HTTP ----------------------------------------------------------------------------------
    def request(self, url: str, method: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> tuple[str, bytes]:
        """Send one request; (content type without parameters, body). Failures become RemoteError."""
        req = urllib.request.Request(url, data=body, method=method, headers={**self._headers, **(headers or {})})
        where = urllib.parse.urlsplit(url).netloc
        if self._digest is not None and body is not None:
            self._authorise(req)
        try:
            with self._opener.open(req, timeout=self.timeout) as resp:
                ctype = resp.headers.get_content_type()
                return ctype, resp.read()
        except urllib.error.HTTPError as exc:
            raise self._http_error(url, exc) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise self._timeout(url) from None
            if isinstance(reason, ConnectionRefusedError):
                raise RemoteError(f"cannot connect to {where}: connection refused",
                                  hint="is the SPARQL server running, and is the port right?") from None
            if isinstance(reason, socket.gaierror):
                raise RemoteError(f"cannot resolve the host of {url}", hint="check the --endpoint URL") from None
            raise RemoteError(f"cannot reach {url}: {reason}") from None
        except TimeoutError:
            raise self._timeout(url) from None
        except (http.client.HTTPException, ConnectionError) as exc:
            raise RemoteError(f"{where} closed the connection: {exc or type(exc).__name__}",
                              hint="the server may have crashed or rejected the request size") from None

    def _authorise(self, req: urllib.request.Request) -> None:
        """Digest credentials on the first try: without them Virtuoso answers 401 and closes the
        connection while a large body is still being sent (a broken pipe instead of a retry)."""
        probe = urllib.request.Request(req.full_url, method="HEAD", headers=self._headers)
        try:
            with urllib.request.urlopen(probe, timeout=self.timeout):
                return  # no authentication asked for
        except urllib.error.HTTPError as exc:
            challenge = exc.headers.get("WWW-Authenticate", "")
        except (urllib.error.URLError, OSError, http.client.HTTPException):
            return  # the request itself will report the failure
        if not challenge.lower().startswith("digest ") or self._digest is None:
            return
        fields = urllib.request.parse_keqv_list(
            [item for item in urllib.request.parse_http_list(challenge[7:]) if "=" in item])
        answer = self._digest.get_authorization(req, fields)
        if answer:
            req.add_unredirected_header("Authorization", f"Digest {answer}")

    def _timeout(self, url: str) -> RemoteError:
        return RemoteError(f"{url} did not answer within {self.timeout:g} s",
                           hint="the server may be busy; narrow the query or raise --timeout")

    def _http_error(self, url: str, exc: urllib.error.HTTPError) -> Exception:
        try:
            message = exc.read().decode("utf-8", "replace").strip()
        except (OSError, http.client.HTTPException):
            message = ""
        if exc.headers.get_content_type() == "text/html":
            message = re.sub(r"<[^>]+>", " ", message)  # tags only; a text message keeps its <IRIs>
        message = re.sub(r"\s+", " ", message).strip()[:MAX_MESSAGE] or str(exc.reason)
        code = exc.code
        if code in (401, 403):
            return RemoteError(f"{url} refused access (HTTP {code}): {message}",
                               hint="check --user/--password and --auth (Virtuoso's /sparql-auth takes digest)")
        if code == 404:
            return RemoteError(f"no SPARQL service at {url} (HTTP 404): {message}",
                               hint="Oxigraph: /query, /update, /store; Virtuoso: /sparql, /sparql-auth")
        if code == 400:
            # A rejected query, like pyoxigraph's SyntaxError, so the usual handlers report it.
            return SyntaxError(f"the server rejected the query: {message}")
        return RemoteError(f"{url} answered HTTP {code}: {message}")

    def _params(self, params: list[tuple[str, str]], use_default_graph_as_union: bool,
                default_graph: object = None, named_graphs: object = None) -> list[tuple[str, str]]:
        defaults = _iris(default_graph) or _iris(self.default_graph)
        params += [("default-graph-uri", g) for g in defaults] + [("named-graph-uri", g) for g in _iris(named_graphs)]
        if use_default_graph_as_union and not defaults:
            params.append(("union-default-graph", ""))  # Oxigraph's switch; other servers ignore it
        return params

    def _send(self, params: list[tuple[str, str]], accept: str) -> tuple[str, bytes]:
        data = urllib.parse.urlencode(params).encode("ascii")
        if self.method == "GET":
            sep = "&" if "?" in self.endpoint else "?"
            return self.request(self.endpoint + sep + data.decode("ascii"), "GET", headers={"Accept": accept})
        return self.request(self.endpoint, "POST", data, {
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

    # ---- the pyoxigraph.Store interface ---------------------------------------------------------
    def query(self, query: str, substitutions: Mapping[object, object] | None = None,
              use_default_graph_as_union: bool = True, default_graph: object = None,
              named_graphs: object = None):
        """Like `pyoxigraph.Store.query`: QuerySolutions, QueryBoolean, or a list of Triples."""
        text = bind_values(query, substitutions) if substitutions else query
        accept = ACCEPT_GRAPH if query_form(query) in ("construct", "describe") else ACCEPT_RESULTS
        params = self._params([("query", text)], use_default_graph_as_union, default_graph, named_graphs)
        ctype, body = self._send(params, accept)
        return parse_response(ctype, body, self.endpoint)

    def update(self, update: str) -> None:
        """SPARQL 1.1 Update (this store's endpoint must be the update URL)."""
        try:
            self.request(self.endpoint, "POST", urllib.parse.urlencode([("update", update)]).encode("ascii"),
                         {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "*/*"})
        except SyntaxError as exc:
            raise RemoteError(str(exc).replace("query", "update", 1),
                              hint="is --endpoint the update URL (Oxigraph /update, Virtuoso /sparql-auth)? "
                                   "a smaller --batch helps servers that limit request size") from None

    def __len__(self) -> int:
        """Quads in named graphs (a kg build keeps all its triples in named graphs; on Virtuoso the
        count includes its system graphs, about 2,500 quads)."""
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", use_default_graph_as_union=False)
        for row in result:
            return int(row["n"].value)
        return 0


def _iris(graphs: object) -> list[str]:
    """None, an IRI string, a NamedNode, or a list of them → IRI strings."""
    if graphs is None:
        return []
    items = graphs if isinstance(graphs, list | tuple | set) else [graphs]
    return [g.value if isinstance(g, ox.NamedNode) else str(g) for g in items]


def parse_response(ctype: str, body: bytes, endpoint: str = "the server"):
    """A server's answer → pyoxigraph results (Virtuoso's ASK-as-SELECT becomes a boolean)."""
    try:
        if ctype in RESULT_FORMATS:
            fmt = RESULT_FORMATS[ctype]
            if fmt is ox.QueryResultsFormat.JSON and (VIRTUOSO_ASK.encode() in body or BOOLEAN.encode() in body):
                body = _normalise_json(body)
            return ox.parse_query_results(body, format=fmt)
        if ctype in GRAPH_FORMATS:
            return [quad.triple for quad in ox.parse(body, format=GRAPH_FORMATS[ctype])]
    except SyntaxError as exc:
        raise RemoteError(f"{endpoint} sent results that cannot be read ({ctype}): {exc}") from None
    raise RemoteError(f"{endpoint} answered with {ctype or 'no content type'}, not SPARQL results",
                      hint="is --endpoint the query URL (Oxigraph /query, Virtuoso /sparql)?")


def _normalise_json(body: bytes) -> bytes:
    """Virtuoso's ASK-as-SELECT → a boolean result; xsd:boolean "1"/"0" → "true"/"false".

    Virtuoso stores booleans as integers and answers `"0"^^xsd:boolean`: a valid lexical form, but
    code comparing `.value == "true"` (kg.store.term_value) would misread "1", so the canonical form is used.
    """
    data = json.loads(body)
    rows = data.get("results", {}).get("bindings", [])
    if data.get("head", {}).get("vars") == [VIRTUOSO_ASK]:
        value = rows[0].get(VIRTUOSO_ASK, {}).get("value", "0") if rows else "0"
        return json.dumps({"head": {}, "boolean": value not in ("0", "false", "")}).encode()
    for row in rows:
        for term in row.values():
            if term.get("datatype") == BOOLEAN and term.get("value") in ("0", "1"):
                term["value"] = "true" if term["value"] == "1" else "false"
    return json.dumps(data).encode()
