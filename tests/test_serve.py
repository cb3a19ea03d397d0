"""`kg serve`: the SPARQL 1.1 Protocol endpoint, the question API and the web page, over real HTTP."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import quote, urlencode
from urllib.request import Request, urlopen

import pyoxigraph as ox
import pytest

from kg import sparql as sq
from kg.web.http import make_server, url_of
from kg.web.pages import STATIC_DIR, TEMPLATES_DIR

WUZHOU = "梧州市"
HOSPITALS = ('SELECT DISTINCT ?name WHERE { ?i a hk:Hospital ; skos:prefLabel ?name ; hk:city/skos:prefLabel ?city . '
             'FILTER(?city = "梧州市"@zh) } ORDER BY ?name')
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def base(data_dir):
    server = make_server(data_dir, port=0, quiet=True, warm=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url_of(server)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def hospitals(store) -> list[str]:
    """The answer of the embedded store, which the endpoint must reproduce in every format."""
    names = [row["name"].value for row in sq.run(store, HOSPITALS).rows]
    # The real corpus: 梧州's plan names these hospitals (the count changes when recognition does).
    assert {"梧州市第三人民医院", "梧州市红十字会医院", "广西壮族自治区桂东人民医院", "藤县人民医院"} <= set(names)
    assert len(names) == 18
    return names


def fetch(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 60
          ) -> tuple[int, dict, str]:
    request = Request(url, data=data, headers=headers or {})
    try:
        with urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except HTTPError as err:
        return err.code, err.headers, err.read().decode("utf-8")


def get_query(base: str, query: str, accept: str | None = None, **extra) -> tuple[int, dict, str]:
    return fetch(base + "sparql?" + urlencode({"query": query, **extra}), headers={"Accept": accept} if accept else {})


def post_form(base: str, fields: dict, accept: str | None = None) -> tuple[int, dict, str]:
    headers = {"Content-Type": "application/x-www-form-urlencoded", **({"Accept": accept} if accept else {})}
    return fetch(base + "sparql", urlencode(fields).encode(), headers)


def names_from(media: str, body: str) -> list[str]:
    if media == "application/sparql-results+json":
        return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert rows[0] == ["name"]
        return [r[0] for r in rows[1:]]
    if media == "text/tab-separated-values":
        lines = body.rstrip("\n").split("\n")
        assert lines[0] == "?name"
        assert all(line.endswith('"@zh') for line in lines[1:])  # terms in Turtle syntax
        return [line[1:-4] for line in lines[1:]]
    root = ET.fromstring(body)
    assert [v.get("name") for v in root.iter(SRX + "variable")] == ["name"]
    literals = list(root.iter(SRX + "literal"))
    assert all(lit.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh" for lit in literals)
    return [lit.text for lit in literals]


MEDIA = ["application/sparql-results+json", "text/csv", "text/tab-separated-values", "application/sparql-results+xml"]


@pytest.mark.parametrize("media", MEDIA)
def test_get_each_results_format(base, hospitals, media):
    status, headers, body = get_query(base, HOSPITALS, accept=media)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == media
    assert names_from(media, body) == hospitals


@pytest.mark.parametrize("media", MEDIA)
def test_post_form_and_direct_body(base, hospitals, media):
    status, headers, body = post_form(base, {"query": HOSPITALS}, accept=media)
    assert status == 200, body
    assert names_from(media, body) == hospitals
    status, headers, body = fetch(base + "sparql", HOSPITALS.encode(),
                                  {"Content-Type": "application/sparql-query", "Accept": media})
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == media
    assert names_from(media, body) == hospitals


def test_negotiation_defaults_q_values_and_refusal(base, hospitals):
    status, headers, body = get_query(base, HOSPITALS)  # no Accept: JSON
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    status, headers, body = get_query(base, HOSPITALS, accept="application/sparql-results+json;q=0.5, text/csv")
    assert headers["Content-Type"].startswith("text/csv")
    status, headers, body = get_query(base, HOSPITALS, accept="text/html,*/*;q=0.8")  # a browser
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    status, _, body = get_query(base, HOSPITALS, accept="image/png")
    assert status == 406 and "text/csv" in body
    status, headers, body = get_query(base, HOSPITALS, format="tsv")
    assert headers["Content-Type"].startswith("text/tab-separated-values")


def test_bound_parameter_matches_the_library_run(base, store):
    entry = sq.get_query("institutions_by_city")
    expected = sq.run(store, entry.text, sq.bind_params(entry, {"city": WUZHOU, "kind": "综合医院"}))
    status, _, body = post_form(base, {"query": entry.text, "$city": f'"{WUZHOU}"@zh', "$kind": '"综合医院"@zh'},
                                accept="text/csv")
    assert status == 200, body
    assert body == sq.to_csv(expected)
    assert "梧州市人民医院" in body and "钦州市" not in body
    # A value holding quotes and braces is one literal, never query text.
    status, _, body = post_form(base, {"query": entry.text, "$city": '"x"@zh } UNION { ?s ?p ?o'})
    assert status == 400 and "N-Triples term" in body


def test_ask_construct_and_describe(base, store):
    status, _, body = get_query(base, 'ASK { ?i skos:prefLabel "梧州市第三人民医院"@zh }')
    assert json.loads(body) == {"head": {}, "boolean": True}
    construct = 'CONSTRUCT { ?i skos:prefLabel ?n } WHERE { ?i a hk:Hospital ; skos:prefLabel ?n }'
    status, headers, body = get_query(base, construct)
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    turtle = list(ox.parse(body.encode(), format=ox.RdfFormat.TURTLE))
    status, headers, body = get_query(base, construct, accept="application/n-triples")
    assert headers["Content-Type"].startswith("application/n-triples")
    nt = list(ox.parse(body.encode(), format=ox.RdfFormat.N_TRIPLES))
    expected = set(sq.run(store, construct).triples)
    assert {q.triple for q in nt} == {q.triple for q in turtle} == expected
    assert any(t.object.value == "梧州市第三人民医院" for t in expected)
    describe = 'DESCRIBE ?i WHERE { ?i skos:prefLabel "梧州市第三人民医院"@zh }'
    status, headers, body = get_query(base, describe, accept="application/n-triples")
    assert {q.triple for q in ox.parse(body.encode(), format=ox.RdfFormat.N_TRIPLES)} == set(
        sq.run(store, describe).triples)
    status, _, body = get_query(base, construct, accept="application/sparql-results+json")
    assert status == 406


@pytest.mark.parametrize("send", [
    lambda base: post_form(base, {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    lambda base: post_form(base, {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    lambda base: get_query(base, "PREFIX ex: <urn:x#> DELETE WHERE { ?s ?p ?o }"),
    lambda base: fetch(base + "sparql", b"DROP ALL", {"Content-Type": "application/sparql-update"}),
    lambda base: get_query(base, "LOAD <http://example.org/data.ttl>"),
    lambda base: get_query(base, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"),
    lambda base: get_query(base, "SELECT * WHERE { service silent <http://example.org/sparql> { ?s ?p ?o } }"),
], ids=["update-param", "update-as-query", "delete", "update-body", "load", "service", "service-lowercase"])
def test_updates_load_and_service_are_refused(base, store, send):
    before = len(store)
    status, _, body = send(base)
    assert status == 403, body
    assert "refused" in body
    assert len(store) == before


def test_service_inside_a_string_or_iri_is_not_refused(base):
    status, _, body = get_query(base, 'SELECT ?x WHERE { VALUES ?x { "SERVICE" <urn:SERVICE> } }',
                                accept="text/csv")
    assert status == 200 and body.count("SERVICE") == 2


def test_bad_requests_say_why(base):
    status, _, body = get_query(base, "SELECT ?s WHERE {\n  ?s ?p ?o FILTER( }")
    # The position is in the user's text, not shifted by the pre-declared prefixes.
    assert status == 400 and "syntax error" in body and "line:column 2:" in body
    status, _, body = fetch(base + "sparql")
    assert status == 400 and "exactly one query" in body
    status, _, body = get_query(base, HOSPITALS, **{"default-graph-uri": "https://w3id.org/healthkg/id/x"})
    assert status == 400 and "default-graph-uri" in body and "GRAPH ?g" in body
    status, _, body = get_query(base, HOSPITALS, **{"named-graph-uri": "https://w3id.org/healthkg/id/x"})
    assert status == 400
    status, _, body = fetch(base + "sparql", b"{}", {"Content-Type": "application/json"})
    assert status == 415


def test_slow_query_is_stopped_and_its_worker_replaced(data_dir):
    server = make_server(data_dir, port=0, timeout=1, quiet=True, workers=1)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # A cross product of all labels, counted: minutes of work, far beyond 1 s.
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a skos:prefLabel ?b . ?c skos:prefLabel ?d . ?e skos:prefLabel ?f }"
    try:
        before = server.pool.pids()
        status, _, body = get_query(url_of(server), slow)
        assert status == 503 and "did not finish within 1 s and was stopped" in body
        # The worker was killed, not abandoned: a fresh one answers the next query.
        status, _, body = get_query(url_of(server), "ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(body)["boolean"] is True
        assert server.pool.pids() and not set(server.pool.pids()) & set(before)
        assert all(not Path(f"/proc/{pid}").exists() for pid in before)
    finally:
        server.shutdown()
        server.server_close()


def test_requests_for_other_host_names_are_refused(base):
    # DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1.
    status, _, body = fetch(base + "api/cities", headers={"Host": "evil.example:8765"})
    assert status == 403 and "localhost" in body
    port = base.rstrip("/").rsplit(":", 1)[1]
    assert fetch(base + "api/cities", headers={"Host": f"localhost:{port}"})[0] == 200


def test_ask_api_answers_with_a_quote(base):
    # The first question of a fresh build waits for the answerer's lexicon (cached in the build afterwards).
    status, headers, body = fetch(base + "api/ask?q=" + quote("梧州市第三人民医院的功能定位是什么？"), timeout=600)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    result = json.loads(body)
    assert result["status"] == "answered"
    answer = result["answers"][0]
    assert answer["text"] == "市级定点收治医院" and answer["inferred"] is False
    source = answer["sources"][0]
    assert "梧州市第三人民医院" in source["quote"] and "市级定点收治医院" in source["quote"]
    assert source["title"] == "梧州市医疗卫生服务体系“十四五”规划"
    status, _, body = fetch(base + "api/ask?q=")
    assert status == 400


def test_a_follow_up_refers_to_the_earlier_questions_the_page_sends(base):
    first = quote("梧州市第三人民医院的功能定位是什么？")
    follow = quote("那梧州市红十字会医院呢？")
    alone = json.loads(fetch(base + "api/ask?q=" + follow)[2])
    assert alone["status"] != "answered"  # nothing to refer back to: no guess
    reply = json.loads(fetch(base + "api/ask?q=" + follow + "&prev=" + first)[2])
    assert reply["status"] == "answered"
    assert "以肿瘤性疾病为重点的省级区域医疗中心" in {a["text"] for a in reply["answers"]}
    assert all("梧州市红十字会医院" in s["quote"] for a in reply["answers"] for s in a["sources"][:1])
    status, _, body = fetch(base + "api/ask?q=" + follow + "&prev=" + quote("问" * 600))
    assert status == 400 and "too long" in body


def test_concurrent_questions_get_their_own_answers(base):
    questions = ["梧州市第三人民医院的功能定位是什么？", "钦州市第二人民医院参加了哪些体系？"] * 3
    results: dict[int, dict] = {}

    def one(i: int, q: str) -> None:
        results[i] = json.loads(fetch(base + "api/ask?q=" + quote(q))[2])

    threads = [threading.Thread(target=one, args=(i, q)) for i, q in enumerate(questions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for i, q in enumerate(questions):
        assert results[i]["question"] == q and results[i]["status"] == "answered"
    assert {a["text"] for a in results[1]["answers"]} >= {"职业病防治技术支撑体系"}


def test_library_cities_and_network(base):
    queries = json.loads(fetch(base + "api/queries")[2])
    library = sq.load_library()
    assert [q["name"] for q in queries] == list(library)
    by_name = {q["name"]: q for q in queries}
    city = by_name["institutions_by_city"]
    assert city["text"] == library["institutions_by_city"].text and city["title"]
    assert [(p["name"], p["type"], p["example"]) for p in city["params"]][0] == ("city", "zh", WUZHOU)
    cities = json.loads(fetch(base + "api/cities")[2])
    assert {"梧州市", "钦州市"} <= set(cities)
    status, _, body = fetch(base + "api/network?city=" + quote("钦州市"))
    network = json.loads(body)
    labels = {n["label"] for n in network["nodes"]}
    assert "钦州市第一人民医院" in labels and not any(n["city"] == WUZHOU for n in network["nodes"])
    status, headers, page = fetch(base + "viz?city=" + quote("钦州市"))
    assert status == 200 and headers["Content-Type"].startswith("text/html") and "钦州市第一人民医院" in page
    status, _, body = fetch(base + "api/network?city=" + quote("钦州市") + "&consortium=" + quote("不存在的联合体"))
    assert status == 404 and "no consortium" in body


def test_page_assets_ship_and_nothing_else_is_served(base):
    status, headers, page = fetch(base)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    for asset in ("/static/app.js", "/static/app.css"):
        assert asset in page
        assert fetch(base + asset.lstrip("/"))[0] == 200
    for path in [*STATIC_DIR.iterdir(), *TEMPLATES_DIR.iterdir()]:  # no CDN, no external fonts
        assert "http://" not in path.read_text(encoding="utf-8").replace("http://www.w3.org", "")
        assert "https://" not in path.read_text(encoding="utf-8")
    assert fetch(base + "static/../server.py")[0] == 404
    assert fetch(base + "static/%2e%2e%2fserver.py")[0] == 404
    assert fetch(base + "nowhere")[0] == 404


def test_binds_loopback_by_default(data_dir):
    server = make_server(data_dir, port=0, quiet=True)
    try:
        assert server.host == "127.0.0.1" and server.url.startswith("http://127.0.0.1:")
    finally:
        server.server_close()


def test_port_in_use_is_a_clean_error(data_dir):
    from typer.testing import CliRunner

    from kg.cli import app

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--data-dir", str(data_dir), "--port", str(port)])
    assert result.exit_code == 7
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
    assert "Traceback" not in result.output


def test_no_graph_is_a_clean_error(tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    result = CliRunner().invoke(app, ["serve", "--data-dir", str(tmp_path / "none"), "--port", "0"])
    assert result.exit_code == 3 and "kg build" in result.output and "Traceback" not in result.output


def test_command_prints_the_url_and_stops_on_ctrl_c(data_dir):
    env = {**os.environ, "KG_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--port", "0", "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("kg serve: http://127.0.0.1:"), line + proc.stderr.read()
        url = line.split()[2]
        assert fetch(url + "api/cities")[0] == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "stopped" in out and "Traceback" not in err


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def chromium(tmp_path: Path, name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run",
                           f"--user-data-dir={tmp_path / name}", "--virtual-time-budget=8000", *args],
                          check=True, capture_output=True, timeout=120, text=True)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install_system_deps.sh)")
def test_page_answers_and_queries_in_headless_chromium(base, hospitals, tmp_path):
    page = base + "?" + urlencode({"q": "梧州市第三人民医院的功能定位是什么？", "sparql": HOSPITALS, "city": "钦州市"})
    run = chromium(tmp_path, "p1", "--enable-logging=stderr", "--v=0", "--dump-dom", page)
    dom = run.stdout
    assert "Uncaught" not in run.stderr
    # The page marks itself with what it showed, and records any script error.
    assert 'data-kg-ready="1"' in dom and "data-kg-error" not in dom
    assert 'data-kg-answer="answered"' in dom
    assert "市级定点收治医院" in dom and "提升梧州市第三人民医院传染病救治能力" in dom
    assert "《梧州市医疗卫生服务体系“十四五”规划》" in dom
    assert f'data-kg-rows="{len(hospitals)}"' in dom
    assert re.findall(r"<td[^>]*>([^<]*)</td>", dom) == hospitals
    assert 'src="/viz?city=%E9%92%A6%E5%B7%9E%E5%B8%82"' in dom
    assert '<option value="institutions_by_city">' in dom  # the library's examples
    shot = tmp_path / "shot.png"
    chromium(tmp_path, "p2", f"--screenshot={shot}", "--window-size=1200,1600", page)
    import matplotlib.image as mpimg

    pixels = mpimg.imread(str(shot))
    assert pixels.shape[:2] == (1600, 1200)
    assert pixels.std() > 0.05  # text, tables and the network drawn, not a blank page
    assert len({tuple(p) for p in (pixels[::7, ::7, :3] * 255).astype(int).reshape(-1, 3)}) > 50


def test_library_query_api_binds_its_parameters(base, store):
    entry = sq.get_query("institutions_by_city")
    expected = sq.to_csv(sq.run(store, entry.text, sq.bind_params(entry, {"city": WUZHOU, "kind": "综合医院"})))
    status, headers, body = fetch(base + "api/query/institutions_by_city?" + urlencode(
        {"city": WUZHOU, "kind": "综合医院"}), headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert body == expected and "梧州市人民医院" in body
    # a hostile value is one literal: it matches nothing, it changes no query
    hostile = urlencode({"city": '梧州市"@zh } UNION { ?s ?p ?o'})
    status, _, body = fetch(base + "api/query/institutions_by_city?" + hostile, headers={"Accept": "text/csv"})
    assert status == 200 and body.count("\r\n") == 1
    assert fetch(base + "api/query/no_such_query")[0] == 404
    status, _, body = fetch(base + "api/query/institutions_by_city?nope=1")
    assert status == 400 and "no parameter nope" in body
