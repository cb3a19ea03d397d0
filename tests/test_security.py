"""Issue #16: every break of the attack audit, reproduced on loopback and shown fixed.

Servers are started as processes on 127.0.0.1 (free ports) and stopped by PID; fake remote servers
are threads of this process on 127.0.0.1 and 127.0.0.2. Request loops are bounded in count and time.
The script payloads run in Debian's headless Chromium (scripts/install_system_deps.sh).
"""

from __future__ import annotations

import http.client
import http.server
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from conftest import kg_serve
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import RemoteError
from kg.paths import REPO_DIR
from kg.remote import RemoteStore
from kg.sparql_lexer import shape
from kg.store import current_build, open_store

runner = CliRunner()
ENV = os.environ | {"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HOSPITALS = ('SELECT DISTINCT ?name WHERE { ?i a hk:Hospital ; skos:prefLabel ?name ; hk:city/skos:prefLabel ?c . '
             'FILTER(?c = "梧州市"@zh) } ORDER BY ?name')
# Seconds of CPU for the engine, and no memory to speak of: a counted cross product of all quads.
RUNAWAY_CPU = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# Rows materialised as fast as the engine can make them: the audit's 70 MB/s.
RUNAWAY_MEMORY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }"
LIMIT = 2.0  # --timeout of the served graph
MEMORY_MB = 400  # --query-memory
PWNED = "document.documentElement.dataset.pwned=1"


# ---- helpers -----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(base: str, path: str, data: bytes | None = None, headers: dict | None = None, source: str | None = None,
            timeout: float = 60) -> tuple[int, dict, str]:
    """One request from `source` (a loopback address: another client) → (status, headers, text)."""
    host, port = base.split("//")[1].strip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout,
                                      source_address=(source, 0) if source else None)
    try:
        conn.request("POST" if data is not None else "GET", "/" + path, body=data, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8")
    finally:
        conn.close()


def sparql(base: str, query: str, source: str | None = None, accept: str = "text/csv", timeout: float = 60):
    return request(base, "sparql", urlencode({"query": query}).encode(),
                   {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, source, timeout)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the query workers), in MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, AttributeError):
            continue
    return total / 1024


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            pass
    return found


def chromium_dom(tmp_path: Path, name: str, url: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run",
                           f"--user-data-dir={tmp_path / name}", "--virtual-time-budget=5000", "--dump-dom", url],
                          check=True, capture_output=True, timeout=120, text=True)


class Listener:
    """A socket on 127.0.0.1 that records every connection made to it (it must stay silent)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"

    def connections(self) -> int:
        self.sock.setblocking(False)
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1

    def close(self) -> None:
        self.sock.close()


@pytest.fixture(scope="module")
def served(data_dir):
    with kg_serve(data_dir, "--timeout", str(LIMIT), "--workers", "2", "--query-memory", str(MEMORY_MB),
                  "--quiet") as (proc, base):
        yield proc, base


# ---- data loss: concurrent builds --------------------------------------------------------------

TINY_PLAN = """# 河池市医疗卫生服务体系规划

## 一、医疗机构设置

河池市人民医院为三级甲等综合医院，是全市医疗中心，牵头组建河池市紧密型城市医疗集团。
河池市中医医院为三级中医医院，负责指导各县中医医院。
金城江区人民医院为二级综合医院，加入河池市紧密型城市医疗集团。
"""


def tiny_corpus(directory: Path, title: str = "河池市医疗卫生服务体系规划", text: str = TINY_PLAN) -> Path:
    directory.mkdir(parents=True)
    (directory / "plan.txt").write_text(text, encoding="utf-8")
    meta = [{"file": "plan.txt", "city": "河池市", "province": "广西壮族自治区", "title": title}]
    (directory / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return directory


def test_twenty_concurrent_build_trials_each_leave_a_usable_graph(tmp_path):
    corpus, data = tiny_corpus(tmp_path / "corpus"), tmp_path / "data"
    first = runner.invoke(app, ["build", "-q", "--corpus", str(corpus), "--data-dir", str(data)])
    assert first.exit_code == 0, first.output
    quads = len(open_store(data))
    # One process warms the pipeline, then forks two builds per trial into the same data dir.
    proc = subprocess.Popen([sys.executable, str(REPO_DIR / "tests" / "tools" / "concurrent_builds.py"), str(corpus),
                             str(data), "20"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=ENV)
    try:
        for trial in range(20):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            report = json.loads(line)
            assert report == {"trial": trial, "codes": [0, 0]}, report
            build = current_build(data)  # CURRENT names a build that exists …
            assert len(open_store(data)) == quads  # … and answers, with the whole graph
            builds = sorted(p.name for p in (data / "builds").iterdir())
            assert build.name in builds and not [b for b in builds if b.startswith("tmp-")], builds
            proc.stdin.write("\n")
            proc.stdin.flush()
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    # The second build of a trial waited, and said for whom.
    assert "another kg build (pid " in err and "waiting for it to finish" in err


def test_leftovers_of_killed_writers_are_removed(tmp_path):
    corpus, data = tiny_corpus(tmp_path / "corpus"), tmp_path / "data"
    runner.invoke(app, ["build", "-q", "--corpus", str(corpus), "--data-dir", str(data)])
    build = current_build(data)
    dead = subprocess.Popen(["true"])
    dead.wait()
    (build / f"qa-lexicon.{dead.pid}.tmp").write_bytes(b"")  # kg ask killed on a full disk
    (build / f"qa-lexicon.{os.getpid()}.tmp").write_bytes(b"")  # a live writer's
    (data / "builds" / "tmp-20260101T000000-1-000001").mkdir()  # a killed build
    open_store(data)
    assert not (build / f"qa-lexicon.{dead.pid}.tmp").exists()
    assert (build / f"qa-lexicon.{os.getpid()}.tmp").exists()
    result = runner.invoke(app, ["build", "-q", "--corpus", str(corpus), "--data-dir", str(data)])
    assert result.exit_code == 0
    assert not [p for p in (data / "builds").iterdir() if p.name.startswith("tmp-")]


# ---- request forgery: SERVICE ------------------------------------------------------------------

# Every character Python calls whitespace, and the invisible ones it does not.
UNICODE_SPACES = sorted({chr(c) for c in range(0x110000) if chr(c).isspace()} | {"\u200b", "\u2060", "\ufeff",
                                                                                   "\u180e"})
LINE_ENDS = ["\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"]


def service_variants(url: str) -> list[str]:
    body = "{ ?s ?p ?o }"
    escaped = url.replace("sparql", "\\u0073parql")  # a codepoint escape inside the IRI
    out = []
    for ws in UNICODE_SPACES:
        out.append(f"SELECT * WHERE {{ BIND(<urn:x{ws}#> AS ?a) SERVICE <{url}> {body} }}")  # the audit's form
        out.append(f"SELECT * WHERE {{{ws}SERVICE{ws}<{url}>{ws}{body} }}")
        out.append(f"SELECT * WHERE {{ VALUES ?z {{ 1 }} #{ws}\nSERVICE <{url}> {body} }}")
    for end in LINE_ENDS:
        out.append(f"SELECT * WHERE {{ VALUES ?z {{ 1 }} # note{end}SERVICE <{url}> {body} }}")
        out.append(f"PREFIX e: <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ # {end} SERVICE e:sparql {body} }}")
    # no word boundary, any case, SILENT glued, nested, in every query form
    out += [f"SELECT * WHERE {{ VALUES ?z {{1}}SERVICE<{url}>{body} }}",
            f"SELECT * WHERE {{ BIND(1 AS ?z)sErViCeSILENT<{url}>{body} }}",
            f"SELECT * WHERE {{ VALUES ?z {{1}} OPTIONAL{{SERVICE<{url}>{body}}} }}",
            f"ASK {{ VALUES ?z {{1}} FILTER EXISTS {{ SERVICE <{url}> {body} }} }}",
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?z {{1}} SERVICE <{url}> {body} }}",
            f"DESCRIBE ?s WHERE {{ VALUES ?z {{1}} SERVICE <{url}> {body} }}",
            f"BASE <{url.rsplit('/', 1)[0]}/> SELECT * WHERE {{ VALUES ?z {{1}} SERVICE <sparql> {body} }}",
            f"SELECT * WHERE {{ VALUES ?z {{1}} SERVICE <{escaped}> {body} }}"]
    return out


def test_service_in_every_disguise_is_refused_and_nothing_reaches_the_listener(served):
    _, base = served
    listener = Listener()
    try:
        variants = service_variants(listener.url)
        assert len(variants) > 90
        refused = 0
        for query in variants:
            # With ASCII whitespace inside <urn:x #> the rest of that line really is a comment (the engine
            # says so too: a syntax error); every other variant calls SERVICE and must be refused.
            ascii_comment = re.search(r"<urn:x[\x00-\x20]#>", query) is not None
            assert shape(query).service or ascii_comment, query
            status, _, body = sparql(base, query)
            assert status in (400, 403), (query, status, body)
            if not ascii_comment:
                assert status == 403 and "SERVICE" in body, (query, status, body)
                refused += 1
        assert refused > 90
        # the same through a library-free GET and an application/sparql-query body
        audit = variants[3 * UNICODE_SPACES.index("\u3000")]  # the audit's query, U+3000 inside the IRI
        status, _, _ = request(base, "sparql?" + urlencode({"query": audit}))
        assert status == 403
        status, _, _ = request(base, "sparql", audit.encode(), {"Content-Type": "application/sparql-query"})
        assert status == 403
        time.sleep(0.5)
        assert listener.connections() == 0
    finally:
        listener.close()


def test_words_like_service_in_names_strings_and_iris_still_run(served):
    _, base = served
    query = ('SELECT ?service ?x WHERE { VALUES (?service ?x) { ("SERVICE" <urn:x:SERVICE>) } '
             "# SERVICE <http://127.0.0.1:1/>\n ?s hk:service* ?s . FILTER(?s = <urn:none>) }")
    status, _, body = sparql(base, query)
    assert status == 200, body  # ?service, "SERVICE", <…SERVICE>, a comment and hk:service are not calls


def test_a_worker_is_stopped_at_its_memory_cap(data_dir):
    from kg.web.pool import Worker

    worker = Worker(160)  # about 100 MB once the store is open
    try:
        started = time.monotonic()
        outcome = worker.run({"build": str(current_build(data_dir)), "bindings": {}, "format": "csv",
                              "max_bytes": 1 << 30, "query": RUNAWAY_MEMORY}, timeout=60)
        assert not outcome.ok and "ran out of memory (limit 160 MB)" in outcome.message, outcome
        assert not worker.alive and worker.proc.returncode is not None
        print(f"memory runaway stopped at 160 MB after {time.monotonic() - started:.1f} s")
    finally:
        worker.kill()


def test_a_worker_cannot_reach_the_network_even_past_the_check(data_dir):
    """The second wall: the worker's sandbox refuses sockets, whatever query reaches it."""
    from kg.web.pool import Worker

    listener = Listener()
    worker = Worker(256)
    try:
        assert worker.network_denied
        outcome = worker.run({"build": str(current_build(data_dir)), "bindings": {}, "format": "json",
                              "max_bytes": 1 << 20,
                              "query": f"SELECT * WHERE {{ VALUES ?z {{1}} SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"},
                             timeout=10)
        assert not outcome.ok and outcome.kind == "failed", outcome
        assert "Permission denied" in outcome.message or "os error 13" in outcome.message, outcome.message
        assert listener.connections() == 0
        good = worker.run({"build": str(current_build(data_dir)), "bindings": {}, "format": "csv",
                           "max_bytes": 1 << 20, "query": "ASK { ?s ?p ?o }"}, timeout=10)
        assert good.ok and good.body == b"boolean\r\ntrue\r\n"
    finally:
        worker.kill()
        listener.close()


# ---- one request must not take the server down -----------------------------------------------

def test_a_megabyte_of_quotes_is_refused_at_once_and_the_server_keeps_answering(served):
    _, base = served
    payload = ("#" + '"\\' * 524_000).encode()  # the audit's 1 MB body: 90 s of regex before
    started = time.monotonic()
    status, _, body = request(base, "sparql", payload, {"Content-Type": "application/sparql-query"})
    assert status == 413 and "limit is 262,144" in body
    assert time.monotonic() - started < 2
    smaller = ("SELECT * WHERE { ?s ?p " + '"\\' * 100_000).encode()  # under the size cap: read in linear time
    started = time.monotonic()
    status, _, body = request(base, "sparql", smaller, {"Content-Type": "application/sparql-query"})
    assert status == 400 and "never ends" in body
    assert time.monotonic() - started < 2
    status, _, _ = request(base, "static/app.js")
    assert status == 200
    try:
        status, _, body = request(base, "sparql", b"x" * (2 << 20), {"Content-Type": "application/sparql-query"})
        assert status == 413
    except ConnectionResetError:
        pass  # refused before its body was read: the server may close while the client is still sending
    status, _, _ = request(base, "static/app.js")
    assert status == 200  # and it keeps answering


def test_runaway_queries_give_back_their_slot_and_memory_while_others_are_answered(served):
    proc, base = served
    baseline = tree_rss_mb(proc.pid)
    workers_before = children(proc.pid)
    assert len(workers_before) == 2
    results: dict[str, tuple] = {}

    def runaway(name: str, query: str) -> None:
        started = time.monotonic()
        status, _, body = sparql(base, query)
        results[name] = (status, body, time.monotonic() - started)

    started = time.monotonic()
    threads = [threading.Thread(target=runaway, args=("memory", RUNAWAY_MEMORY))]
    threads += [threading.Thread(target=runaway, args=(f"cpu{i}", RUNAWAY_CPU)) for i in range(3)]
    threads[0].start()  # the memory runaway takes a worker first; the CPU ones queue behind it (one per client)
    time.sleep(0.3)
    for t in threads[1:]:
        t.start()
    peak = baseline
    answered_meanwhile = []
    for _ in range(3):  # another client, while the runaways run or wait
        time.sleep(0.3)
        peak = max(peak, tree_rss_mb(proc.pid))
        t0 = time.monotonic()
        status, _, body = sparql(base, HOSPITALS, source="127.0.0.2")
        answered_meanwhile.append((status, time.monotonic() - t0))
        assert status == 200 and "梧州市第三人民医院" in body
    assert all(seconds < 1.5 for _, seconds in answered_meanwhile), answered_meanwhile
    threads[0].join(30)
    status, body, seconds = results["memory"]
    # stopped by whichever comes first, its memory cap or its time limit
    assert status == 503 and ("ran out of memory" in body or "did not finish" in body), body
    assert seconds < LIMIT + 2 and peak > baseline + 30, (seconds, baseline, peak)
    # its memory is back within the limit + 2 s of its start
    while time.monotonic() - started < LIMIT + 2 and tree_rss_mb(proc.pid) > baseline + 150:
        time.sleep(0.1)
    back = tree_rss_mb(proc.pid)
    assert back < baseline + 150, (baseline, peak, back)
    for t in threads[1:]:
        t.join(60)
    for i in range(3):
        status, body, seconds = results[f"cpu{i}"]
        assert status == 503 and f"did not finish within {LIMIT:g} s and was stopped" in body, body
    # every slot is back: two fresh workers, none of the killed ones alive, and the next query answered
    deadline = time.monotonic() + 2
    while len(children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(children(proc.pid)) == 2
    assert all(not Path(f"/proc/{pid}").exists() or pid in children(proc.pid) for pid in workers_before)
    status, _, _ = sparql(base, HOSPITALS)
    assert status == 200
    print(f"runaways: baseline {baseline:.0f} MB, peak {peak:.0f} MB, back to {back:.0f} MB; "
          f"others answered in {[round(s, 2) for _, s in answered_meanwhile]} s")


def test_one_client_cannot_queue_without_bound(served):
    _, base = served
    statuses = []

    def one() -> None:
        statuses.append(sparql(base, RUNAWAY_CPU, source="127.0.0.3")[0])

    threads = [threading.Thread(target=one) for _ in range(20)]
    for t in threads:
        t.start()
    time.sleep(0.5)
    assert sparql(base, "ASK { ?s ?p ?o }", source="127.0.0.4")[0] == 200
    for t in threads:
        t.join(60)
    assert statuses.count(429) >= 3  # past 16 waiting, a client is told to wait for its answers
    assert set(statuses) <= {429, 503}


def test_network_cache_is_bounded_and_unknown_cities_are_404(served):
    proc, base = served
    assert request(base, "api/network?city=" + quote("钦州市"))[0] == 200
    before = tree_rss_mb(proc.pid)
    for i in range(200):
        status, _, _ = request(base, "api/network?city=" + quote(f"不存在市{i}"))
        assert status == 404
    for i in range(40):  # distinct consortium filters that each match: cached at most 32
        request(base, "api/network?city=" + quote("钦州市") + "&consortium=" + quote("钦州市" + "医" * (i % 3)))
    assert tree_rss_mb(proc.pid) < before + 40


# ---- scripts in pages ------------------------------------------------------------------------

XSS = f"<img src=x onerror={PWNED}>/*__DATA__*/null"


def test_reflected_payloads_are_404_and_pages_carry_a_strict_csp(served):
    _, base = served
    status, headers, body = request(base, "viz?city=" + quote(XSS))
    assert status == 404 and "onerror" not in headers.get("content-type", "")
    assert body.startswith("404") and headers["content-type"].startswith("text/plain")
    for path in ("", "viz?city=" + quote("钦州市"), "sparql?query=ASK%7B%7D", "nowhere"):
        status, headers, _ = request(base, path)
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
    status, _, page = request(base, "")
    assert "<script>" not in page and "onerror" not in page  # no inline script on our own pages


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install_system_deps.sh)")
def test_reflected_payloads_do_not_run_in_chromium(served, tmp_path):
    _, base = served
    for name, url in (("viz", base + "viz?city=" + quote(XSS)), ("index", base + "?" + urlencode({"city": XSS}))):
        dom = chromium_dom(tmp_path, name, url).stdout
        assert "data-pwned" not in dom, name
    assert 'data-kg-ready="1"' in dom  # the index page itself still works


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory) -> Path:
    """A plan whose title and sentences carry markup, a fake placeholder and a comment opener."""
    root = tmp_path_factory.mktemp("hostile")
    text = TINY_PLAN.replace("是全市医疗中心", f"是全市医疗中心{XSS}<!--<script>[/red][link=file:///etc/passwd]x[/link]")
    corpus = tiny_corpus(root / "corpus", title=f"河池市{XSS}规划", text=text)
    result = runner.invoke(app, ["build", "-q", "--corpus", str(corpus), "--data-dir", str(root / "data")])
    assert result.exit_code == 0, result.output
    return root / "data"


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install_system_deps.sh)")
def test_stored_payloads_are_text_in_served_pages_and_written_files(hostile_graph, tmp_path):
    out = tmp_path / "hechi.html"
    result = runner.invoke(app, ["viz", "--data-dir", str(hostile_graph), "--city", "河池市", "--format", "html",
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "<img src=x" not in page  # escaped in the title, \u003c in the data
    assert "Content-Security-Policy" in page and "script-src &#39;sha256-" in page  # in an attribute
    with kg_serve(hostile_graph, "--quiet") as (_, base):
        served_dom = chromium_dom(tmp_path, "served", base + "viz?city=" + quote("河池市")).stdout
    file_dom = chromium_dom(tmp_path, "file", out.resolve().as_uri()).stdout
    for dom in (served_dom, file_dom):
        assert "data-pwned" not in dom and "data-kg-error" not in dom
        drawn = re.search(r'data-kg-drawn="(\d+)"', dom)
        assert drawn and int(drawn.group(1)) >= 3  # the network is drawn despite <!--<script>
        assert "河池市&lt;img src=x onerror=" in dom  # the title shows the markup as text


# ---- the HTTP stack ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def quick(data_dir):
    """An in-process server with short idle and header deadlines."""
    from kg.web.http import make_server

    server = make_server(data_dir, port=0, quiet=True, workers=1, keep_alive=1, header_seconds=1.5)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    time.sleep(0.3)
    yield server
    server.shutdown()
    server.server_close()


def raw(server, data: bytes, wait: float = 3.0) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except TimeoutError:
            pass
        return b"".join(chunks)


def test_short_body_is_not_a_query_and_chunked_bodies_are_bodies(quick):
    query = b"ASK { ?s ?p ?o }"
    head = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            b"Accept: text/csv\r\nContent-Length: %d\r\n\r\n" % (len(query) + 10))
    with socket.create_connection(("127.0.0.1", quick.port), timeout=1.0) as sock:
        sock.sendall(head + query)  # 10 bytes short: the server waits for them, it does not run a truncated query
        with pytest.raises(TimeoutError):
            sock.recv(100)
        sock.sendall(b"   #      ")
        sock.settimeout(10)
        reply = b""
        while not reply.endswith(b"true\r\n"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"boolean\r\ntrue\r\n")
    chunked = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
               b"Accept: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"5\r\nASK {\r\n" + b"b\r\n ?s ?p ?o }\r\n0\r\n\r\n"
               b"GET /api/queries HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    reply = raw(quick, chunked, wait=10)
    assert reply.count(b"HTTP/1.1 200") == 2 and b"boolean\r\ntrue\r\n" in reply  # the body, then the next request


def test_idle_and_trickling_connections_are_closed(quick):
    with socket.create_connection(("127.0.0.1", quick.port), timeout=5) as sock:
        started = time.monotonic()
        assert sock.recv(10) == b""  # nothing sent: closed by the header deadline
        assert time.monotonic() - started < 4
    with socket.create_connection(("127.0.0.1", quick.port), timeout=5) as sock:
        started = time.monotonic()
        closed = False
        for byte in b"GET /api/queries HTTP/1.1\r\nHost: 127.0.0.1\r\n":
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            time.sleep(0.1)
            if time.monotonic() - started > 3:
                break
        sock.settimeout(3)
        try:
            closed = closed or sock.recv(10) == b""
        except (ConnectionResetError, TimeoutError):
            closed = True
        assert closed and time.monotonic() - started < 6


def test_disconnects_leave_no_traceback_in_the_log(data_dir):
    with kg_serve(data_dir, "--timeout", "2", "--workers", "1") as (proc, base):
        port = int(base.rstrip("/").rsplit(":", 1)[1])
        for _ in range(5):
            with socket.create_connection(("127.0.0.1", port)) as sock:
                body = urlencode({"query": RUNAWAY_CPU}).encode()
                sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-"
                             b"urlencoded\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
            with socket.create_connection(("127.0.0.1", port)) as sock:
                sock.sendall(b"GET /static/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")  # gone before the reply
        time.sleep(3)
        assert request(base, "api/queries")[0] == 200
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and "Exception" not in err, err[-2000:]


@pytest.mark.parametrize("timeout", ["0", "-1", "nan", "inf"])
def test_serve_refuses_a_timeout_that_is_not_a_duration(data_dir, timeout):
    proc = subprocess.run([sys.executable, "-m", "kg", "serve", "--data-dir", str(data_dir), "--port", "0",
                           "--timeout", timeout], capture_output=True, text=True, env=ENV, timeout=60)
    assert proc.returncode == 7 and "--timeout must be a number of seconds" in proc.stderr
    assert "Traceback" not in proc.stderr


# ---- remote calls ------------------------------------------------------------------------------

class Recorder(http.server.ThreadingHTTPServer):
    """A fake remote server: records requests, answers with `respond(handler)`."""

    def __init__(self, host: str, respond) -> None:
        self.requests: list[dict] = []
        self.respond = respond
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                recorder.requests.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                          "body": self.rfile.read(length)})
                recorder.respond(self)

            do_GET = do_POST = do_PUT = do_HEAD = _any  # noqa: N815

        super().__init__((host, 0), Handler)
        self.url = f"http://{host}:{self.server_address[1]}"
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.shutdown()
        self.server_close()


def answer(status: int, body: bytes = b"", ctype: str = "application/sparql-results+json", **headers):
    def respond(handler) -> None:
        handler.send_response(status)
        for k, v in {"Content-Type": ctype, "Content-Length": str(len(body)), **headers}.items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(body)
    return respond


EMPTY_X = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()


@pytest.fixture
def elsewhere():
    """The host a redirect points at (127.0.0.2: another origin)."""
    server = Recorder("127.0.0.2", answer(200, EMPTY_X))
    yield server
    server.close()


def test_a_302_is_never_success_and_nothing_is_sent_on(data_dir, elsewhere):
    redirect = Recorder("127.0.0.1", answer(302, Location=elsewhere.url + "/store"))
    try:
        env = {"KG_SPARQL_PASSWORD": "s3cr3t-pw"}
        pushed = runner.invoke(app, ["push", "--data-dir", str(data_dir), "--endpoint", redirect.url + "/store",
                                     "--user", "u"], env=env)
        assert pushed.exit_code == RemoteError.exit_code, pushed.output
        assert "HTTP 302" in pushed.output and "nothing was stored" in pushed.output
        queried = runner.invoke(app, ["sparql", "--endpoint", redirect.url + "/query", "SELECT ?x WHERE {}",
                                      "--user", "u"], env=env)
        assert queried.exit_code != 0 and "0 rows" not in queried.output and "HTTP 302" in queried.output
        assert "s3cr3t" not in pushed.output + queried.output
        assert elsewhere.requests == []  # nothing followed, no credentials carried away
        assert redirect.requests[0]["method"] == "POST" and redirect.requests[0]["headers"]["Authorization"]
    finally:
        redirect.close()


def test_a_query_follows_307_without_its_credentials(elsewhere):
    redirect = Recorder("127.0.0.1", answer(307, Location=elsewhere.url + "/query"))
    try:
        store = RemoteStore(redirect.url + "/query", user="u", password="s3cr3t-pw", timeout=10)
        assert list(store.query("SELECT ?x WHERE {}")) == []
        assert "Authorization" in redirect.requests[0]["headers"]
        [followed] = elsewhere.requests
        assert followed["method"] == "POST" and b"query=SELECT" in followed["body"]
        assert "Authorization" not in followed["headers"]
    finally:
        redirect.close()


def test_passwords_never_show_and_the_option_warns(tmp_path):
    port = free_port()  # nothing listens there
    result = runner.invoke(app, ["sparql", "--endpoint", f"http://u:s3cr3t-pw@127.0.0.1:{port}/query", "ASK {}"])
    assert result.exit_code != 0 and "cannot connect to 127.0.0.1" in result.output
    assert "s3cr3t" not in result.output
    result = runner.invoke(app, ["sparql", "--endpoint", f"http://127.0.0.1:{port}/query", "--user", "u",
                                 "--password", "s3cr3t-pw", "ASK {}"])
    assert "visible to other users" in result.output and "s3cr3t" not in result.output
    secret = tmp_path / "pw"
    secret.write_text("s3cr3t-pw\n", encoding="utf-8")
    result = runner.invoke(app, ["sparql", "--endpoint", f"http://127.0.0.1:{port}/query", "--user", "u",
                                 "--password-file", str(secret), "ASK {}"])
    assert "cannot connect" in result.output and "visible" not in result.output and "s3cr3t" not in result.output
    result = runner.invoke(app, ["sparql", "--endpoint", f"http://127.0.0.1:{port}/query", "--user", "u", "ASK {}"],
                           env={"KG_SPARQL_PASSWORD": ""})
    assert result.exit_code == RemoteError.exit_code and "needs a password" in result.output


def test_one_deadline_for_a_server_that_trickles():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    stop = threading.Event()

    def trickle() -> None:
        conn, _ = sock.accept()
        for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Pad: " + b"a" * 1000:
            if stop.wait(0.2):
                break
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                break
        conn.close()

    threading.Thread(target=trickle, daemon=True).start()
    started = time.monotonic()
    try:
        with pytest.raises(RemoteError, match=r"did not answer within 1.5 s \(the whole exchange\)"):
            RemoteStore(f"http://127.0.0.1:{sock.getsockname()[1]}/query", timeout=1.5).query("ASK {}")
        assert time.monotonic() - started < 3
    finally:
        stop.set()
        sock.close()
    from kg.commands.push import AuthKind, remote_store

    assert remote_store("http://127.0.0.1:1/query", None, None, AuthKind.basic, None).timeout == 60.0


def test_remote_error_bodies_are_printed_without_terminal_escapes():
    server = Recorder("127.0.0.1", answer(500, "\x1b[2J\x1b]0;owned\x07boom\u202e".encode(), "text/plain"))
    try:
        result = runner.invoke(app, ["sparql", "--endpoint", server.url + "/query", "ASK {}"])
        assert result.exit_code != 0
        assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output
        assert "\\x1b[2J" in result.output and "boom" in result.output
    finally:
        server.close()


def test_unexpected_result_variables_are_a_message(data_dir):
    server = Recorder("127.0.0.1", answer(200, json.dumps({"head": {"vars": ["other"]},
                                                            "results": {"bindings": []}}).encode()))
    try:
        with pytest.raises(RemoteError, match="missing: x"):
            list(RemoteStore(server.url + "/query").query("SELECT ?x WHERE { ?x ?p ?o }"))
        proc = subprocess.run([sys.executable, "-m", "kg", "ask", "--endpoint", server.url + "/query",
                               "梧州市有哪些中医医院？"], capture_output=True, text=True, env=ENV, timeout=120)
        assert proc.returncode != 0 and "Traceback" not in proc.stderr and "KeyError" not in proc.stderr
        assert "错误 error" in proc.stderr
    finally:
        server.close()


# ---- kg ask prints what it is given ---------------------------------------------------------

def test_markup_and_controls_in_questions_and_quotes_are_printed_as_text(hostile_graph):
    # a terminal (links and colours would be rendered), wide enough not to wrap the quote
    env = ENV | {"FORCE_COLOR": "1", "TTY_COMPATIBLE": "1", "COLUMNS": "2000"}
    shown = {}
    for question in ("哪个县区要[/red]建设医院？", "[link=file:///etc/passwd]河池市人民医院[/link]的功能定位是什么？",
                     "河池市\x1b]0;owned\x07人民医院\x1b[2J是什么？", "河池市有哪些综合医院？"):
        proc = subprocess.run([sys.executable, "-m", "kg", "ask", "--data-dir", str(hostile_graph), question],
                              capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        assert "\x1b]8;" not in proc.stdout and "\x1b]0;" not in proc.stdout and "\x1b[2J" not in proc.stdout
        shown[question] = proc.stdout
    assert "[/red]建设医院" in shown["哪个县区要[/red]建设医院？"]
    # the plan sentence's own markup is printed as written
    assert "<!--<script>[/red][link=file:///etc/passwd]x[/link]" in shown["河池市有哪些综合医院？"]
    session = subprocess.run([sys.executable, "-m", "kg", "ask", "--data-dir", str(hostile_graph)],
                             input="哪个县区要[/red]建设医院？\n河池市有哪些医院？\n\n", capture_output=True, text=True,
                             env=env, timeout=120)
    assert session.returncode == 0 and "Traceback" not in session.stderr
    assert "[/red]" in session.stdout and session.stdout.count("问>") == 3  # the session went on


def test_batch_reports_bad_lines_and_goes_on(hostile_graph, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "s", "q": "\\ud800河池"}\n{"id": "bad" \n{"id": "ok", "q": "河池市有哪些医院？"}\n'
                     '{"id": "nul", "q": null}\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kg", "ask", "--batch", str(batch), "--json", "--data-dir",
                           str(hostile_graph)], capture_output=True, text=True, env=ENV, timeout=120)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    got = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["id"], r["status"]) for r in got] == [("s", "error"), (2, "error"), ("ok", "answered"),
                                                     ("nul", "error")]
    assert "surrogate" in got[0]["message"] and "JSON" in got[1]["message"]


# ---- held: a full disk loses nothing -----------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A 6 MB tmpfs (root only: mount), unmounted after the test."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_keeps_the_graph_and_leaves_no_debris(tmp_path, small_disk):
    corpus, data = tiny_corpus(tmp_path / "corpus"), small_disk / "data"
    assert runner.invoke(app, ["build", "-q", "--corpus", str(corpus), "--data-dir", str(data)]).exit_code == 0
    before, quads = current_build(data), len(open_store(data))
    filler = small_disk / "filler"
    with filler.open("wb") as f:  # fill the disk to the last block
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    proc = subprocess.run([sys.executable, "-m", "kg", "build", "--corpus", str(corpus), "--data-dir", str(data)],
                          capture_output=True, text=True, env=ENV, timeout=300)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr and "错误 error" in proc.stderr, proc.stderr
    assert current_build(data) == before and len(open_store(data)) == quads
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-m", "kg", "ask", "--json", "--data-dir", str(data),
                               "河池市有哪些医院？"], capture_output=True, text=True, env=ENV, timeout=300)
        assert proc.returncode == 0 and json.loads(proc.stdout)["status"] == "answered", proc.stderr
    # each question's caches could not be written; the next reader removes the dead writer's files
    writers = {p.name.split(".")[-2] for p in before.glob("qa-*.tmp")}
    assert len(writers) <= 1, writers
    assert not [p for p in (data / "builds").iterdir() if p.name.startswith("tmp-")]
    filler.unlink()
    assert runner.invoke(app, ["build", "-q", "--corpus", str(corpus), "--data-dir", str(data)]).exit_code == 0
    assert current_build(data) != before and not list(before.parent.glob("*/qa-*.tmp"))
