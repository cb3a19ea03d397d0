"""A SPARQL 1.1 Protocol client that stands in for the embedded pyoxigraph store.

`RemoteStore.query` takes the arguments of `pyoxigraph.Store.query` and returns pyoxigraph result
objects (parsed with `pyoxigraph.parse_query_results`), so `kg.store.sparql_select`, `kg.sparql.run`,
`kg ask` and `kg facts` run unchanged against Oxigraph server, Virtuoso, Fuseki or QLever.

Values are bound the way the embedded store binds them, never spliced: each substitution becomes
`VALUES ?var { term }` at the start of the outermost WHERE group, with the term written by pyoxigraph
in N-Triples syntax (quotes, backslashes and newlines escaped), so no value can change the query.

HTTP is the standard library's http.client, driven here so that:
- one deadline bounds the whole exchange (connect, send, headers, body): a watchdog shuts the socket
  at the deadline, so a server trickling a byte at a time cannot stretch it;
- redirects are never followed for writes (a 302 is an error saying nothing was stored), queries sent
  by POST follow only 307/308 (which keep the body), GET queries follow up to 5; credentials are sent
  only to the endpoint's own scheme, host and port;
- every message names URLs without user-info and with the password replaced by ***; a server's error
  text is shown with control characters escaped.
Queries go as form-encoded POST by default (Virtuoso 7.2 hangs on `application/sparql-query` bodies), or GET.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Mapping

import pyoxigraph as ox

from kg.binding import bind_values
from kg.errors import QueryError, RemoteError
from kg.safe_text import visible
from kg.sparql import query_shape

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
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)


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
        if parts.username is not None or parts.password is not None:
            # user-info in the URL: taken as the credentials, and never shown again
            user = user if user is not None else urllib.parse.unquote(parts.username or "")
            password = password if password is not None else urllib.parse.unquote(parts.password or "")
            parts = parts._replace(netloc=parts.hostname + (f":{parts.port}" if parts.port else "")
                                   if parts.hostname else "")
            endpoint = urllib.parse.urlunsplit(parts)
        self._secrets = [x for x in (password,) if x]
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise RemoteError(f"{self.redact(endpoint)!r} is not an http(s) URL",
                              hint="e.g. --endpoint http://127.0.0.1:7878/query")
        if auth not in ("basic", "digest"):
            raise RemoteError(f"unknown authentication {auth!r}", hint="use basic or digest")
        if method.upper() not in ("POST", "GET"):
            raise RemoteError(f"unknown HTTP method {method!r}", hint="use POST (form-encoded) or GET")
        if (user is None) != (password is None):
            raise RemoteError("give both --user and a password, or neither",
                              hint="the password comes from KG_SPARQL_PASSWORD, --password-file or a prompt")
        if timeout is not None and not (timeout > 0 and timeout < float("inf")):
            raise RemoteError(f"--timeout must be a number of seconds above 0, not {timeout!r}")
        self.endpoint = endpoint
        self.timeout = timeout
        self.method = method.upper()
        self.default_graph = default_graph
        self._headers: dict[str, str] = {"User-Agent": "kg-sparql-client"}
        self._credentials: dict[str, str] = {}
        self._digest: urllib.request.HTTPDigestAuthHandler | None = None
        if user is not None and auth == "basic":
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            self._credentials["Authorization"] = f"Basic {token}"
            self._secrets.append(token)
        elif user is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, f"{parts.scheme}://{parts.netloc}/", user, password)
            self._digest = urllib.request.HTTPDigestAuthHandler(passwords)

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    # ---- messages ------------------------------------------------------------------------------
    def redact(self, text: str) -> str:
        """`text` with URL user-info and every secret replaced by ***."""
        text = re.sub(r"(?<=//)[^/@\s]*@", "***@", text)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    def _error(self, message: str, hint: str | None = None) -> RemoteError:
        return RemoteError(self.redact(message), hint=self.redact(hint) if hint else None)

    # ---- HTTP ----------------------------------------------------------------------------------
    def request(self, url: str, method: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None, reading: bool = False) -> tuple[str, bytes]:
        """Send one request within one deadline; (content type without parameters, body).

        Only `reading` requests (queries) follow redirects; a write never does."""
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        is_query = reading
        origin = _origin(self.endpoint)
        digest_tried = False
        if self._digest is not None and body is not None and _origin(url) == origin:
            # Digest credentials on the first try: without them Virtuoso answers 401 and closes the
            # connection while a large body is still being sent (a broken pipe instead of a retry).
            status, probe_headers, _ = self._exchange(url, "HEAD", None, self._headers, deadline)
            answer = self._digest_answer(url, method, probe_headers.get("WWW-Authenticate") or "") \
                if status == 401 else None
            if answer:
                digest_tried = True
                headers = {**(headers or {}), "Authorization": f"Digest {answer}"}
        for _hop in range(MAX_REDIRECTS + 1):
            sent = {**self._headers, **(headers or {})}
            if _origin(url) == origin:
                sent.update(self._credentials)
            status, reply_headers, data = self._exchange(url, method, body, sent, deadline)
            if status in REDIRECTS:
                target = urllib.parse.urljoin(url, reply_headers.get("Location") or "")
                keeps_body = status in (307, 308) or method == "GET"
                if not is_query or not keeps_body or not target.startswith(("http://", "https://")):
                    raise self._error(
                        f"{url} answered HTTP {status}, a redirect to {target or 'nowhere'}: not followed, "
                        f"so {'nothing was stored' if not is_query else 'the query was not run'}",
                        hint="give the URL it points at as --endpoint")
                url = target
                continue
            if status == 401 and self._digest is not None and not digest_tried and _origin(url) == origin:
                answer = self._digest_answer(url, method, reply_headers.get("WWW-Authenticate") or "")
                if answer:
                    digest_tried = True
                    headers = {**(headers or {}), "Authorization": f"Digest {answer}"}
                    continue
            if status >= 400:
                raise self._http_error(url, status, reply_headers, data)
            ctype = (reply_headers.get("Content-Type") or "").split(";")[0].strip().lower()
            return ctype, data
        raise self._error(f"{self.endpoint} redirected more than {MAX_REDIRECTS} times",
                          hint="give the final URL as --endpoint")

    def _exchange(self, url: str, method: str, body: bytes | None, headers: Mapping[str, str],
                  deadline: float | None) -> tuple[int, http.client.HTTPMessage, bytes]:
        parts = urllib.parse.urlsplit(url)
        where = parts.netloc
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            raise self._timeout(url)
        if parts.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                parts.hostname, parts.port, timeout=remaining, context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=remaining)
        expired = threading.Event()

        def stop() -> None:
            expired.set()
            sock = conn.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        watchdog = threading.Timer(remaining, stop) if remaining is not None else None
        if watchdog is not None:
            watchdog.daemon = True
            watchdog.start()
        selector = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
        try:
            conn.request(method, selector, body=body, headers=dict(headers))
            response = conn.getresponse()
            data = response.read()
            return response.status, response.headers, data
        except TimeoutError:
            raise self._timeout(url) from None
        except ConnectionRefusedError:
            raise self._error(f"cannot connect to {where}: connection refused",
                              hint="is the SPARQL server running, and is the port right?") from None
        except socket.gaierror:
            raise self._error(f"cannot resolve the host of {url}", hint="check the --endpoint URL") from None
        except (http.client.HTTPException, OSError) as exc:
            if expired.is_set():
                raise self._timeout(url) from None
            raise self._error(f"{where} closed the connection: {visible(str(exc)) or type(exc).__name__}",
                              hint="the server may have crashed or rejected the request size") from None
        finally:
            if watchdog is not None:
                watchdog.cancel()
            conn.close()

    def _digest_answer(self, url: str, method: str, challenge: str) -> str | None:
        if not challenge.lower().startswith("digest ") or self._digest is None:
            return None
        fields = urllib.request.parse_keqv_list(
            [item for item in urllib.request.parse_http_list(challenge[7:]) if "=" in item])
        return self._digest.get_authorization(urllib.request.Request(url, method=method), fields)

    def _timeout(self, url: str) -> RemoteError:
        return self._error(f"{url} did not answer within {self.timeout:g} s (the whole exchange)",
                           hint="the server may be busy; narrow the query or raise --timeout")

    def _http_error(self, url: str, code: int, headers: http.client.HTTPMessage, data: bytes) -> Exception:
        message = data[:64 * 1024].decode("utf-8", "replace").strip()
        if headers.get_content_type() == "text/html":
            message = re.sub(r"<[^>]+>", " ", message)  # tags only; a text message keeps its <IRIs>
        message = visible(re.sub(r"[ \t\r\n]+", " ", message).strip()[:MAX_MESSAGE], keep_lines=False)
        message = message or http.client.responses.get(code, "")
        if code in (401, 403):
            return self._error(f"{url} refused access (HTTP {code}): {message}",
                               hint="check --user, the password and --auth (Virtuoso's /sparql-auth takes digest)")
        if code == 404:
            return self._error(f"no SPARQL service at {url} (HTTP 404): {message}",
                               hint="Oxigraph: /query, /update, /store; Virtuoso: /sparql, /sparql-auth")
        if code == 400:
            # A rejected query, like pyoxigraph's SyntaxError, so the usual handlers report it.
            return SyntaxError(self.redact(f"the server rejected the query: {message}"))
        return self._error(f"{url} answered HTTP {code}: {message}")

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
            return self.request(self.endpoint + sep + data.decode("ascii"), "GET", headers={"Accept": accept},
                                reading=True)
        return self.request(self.endpoint, "POST", data, {
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}, reading=True)

    # ---- the pyoxigraph.Store interface ---------------------------------------------------------
    def query(self, query: str, substitutions: Mapping[object, object] | None = None,
              use_default_graph_as_union: bool = True, default_graph: object = None,
              named_graphs: object = None):
        """Like `pyoxigraph.Store.query`: QuerySolutions, QueryBoolean, or a list of Triples."""
        text = bind_values(query, substitutions) if substitutions else query
        try:
            shape = query_shape(query)
        except QueryError:
            shape = None  # the server will say what is wrong with it
        graph = shape is not None and shape.form in ("construct", "describe")
        params = self._params([("query", text)], use_default_graph_as_union, default_graph, named_graphs)
        ctype, body = self._send(params, ACCEPT_GRAPH if graph else ACCEPT_RESULTS)
        expected = _projection(text) if shape is not None and shape.form == "select" and not shape.service else None
        return parse_response(ctype, body, self.endpoint, expected)

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


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def _iris(graphs: object) -> list[str]:
    """None, an IRI string, a NamedNode, or a list of them → IRI strings."""
    if graphs is None:
        return []
    items = graphs if isinstance(graphs, list | tuple | set) else [graphs]
    return [g.value if isinstance(g, ox.NamedNode) else str(g) for g in items]


_PROBE = ox.Store()  # empty: a query on it only parses (queries with SERVICE are never run on it)


def _projection(text: str) -> list[str] | None:
    """The variables a SELECT projects, as pyoxigraph reads them; None when it cannot say."""
    try:
        result = _PROBE.query(text)
    except (SyntaxError, OSError, ValueError, RuntimeError):
        return None
    return [v.value for v in result.variables] if isinstance(result, ox.QuerySolutions) else None


def parse_response(ctype: str, body: bytes, endpoint: str = "the server", expected: list[str] | None = None):
    """A server's answer → pyoxigraph results (Virtuoso's ASK-as-SELECT becomes a boolean).

    `expected`: the variables the query projects. A server that leaves one out of its results is an
    error, not rows without it; variables it adds are dropped."""
    try:
        if ctype in RESULT_FORMATS:
            fmt = RESULT_FORMATS[ctype]
            if fmt is ox.QueryResultsFormat.JSON and (VIRTUOSO_ASK.encode() in body or BOOLEAN.encode() in body):
                body = _normalise_json(body)
            result = ox.parse_query_results(body, format=fmt)
            if expected is not None and isinstance(result, ox.QuerySolutions):
                got = [v.value for v in result.variables]
                missing = [v for v in expected if v not in got]
                if missing:
                    raise RemoteError(f"{endpoint} answered with the variables {', '.join(got) or 'none'}; the "
                                      f"query asks for {', '.join(expected)} (missing: {', '.join(missing)})",
                                      hint="is --endpoint a SPARQL 1.1 query endpoint?")
                if fmt is ox.QueryResultsFormat.JSON and len(got) != len(expected):
                    result = ox.parse_query_results(_keep_variables(body, expected), format=fmt)
            return result
        if ctype in GRAPH_FORMATS:
            return [quad.triple for quad in ox.parse(body, format=GRAPH_FORMATS[ctype])]
    except (SyntaxError, ValueError, KeyError, TypeError) as exc:
        raise RemoteError(f"{endpoint} sent results that cannot be read ({ctype}): {visible(str(exc))[:300]}") from None
    raise RemoteError(f"{endpoint} answered with {ctype or 'no content type'}, not SPARQL results",
                      hint="is --endpoint the query URL (Oxigraph /query, Virtuoso /sparql)?")


def _keep_variables(body: bytes, names: list[str]) -> bytes:
    data = json.loads(body)
    data["head"]["vars"] = names
    for row in data.get("results", {}).get("bindings", []):
        for extra in set(row) - set(names):
            del row[extra]
    return json.dumps(data).encode()


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
