"""Benchmark a synthetic national graph in the project's data model (docs/model.md).

The graph: the ontology and vocabulary graphs of a real build, every region of the gazetteer, one plan
document per prefecture-level city, and per county a county hospital, TCM hospital, MCH hospital and
CDC (县办), townships with their health centres (乡镇卫生院) and villages with their clinics (村卫生室);
per city a municipal hospital, TCM hospital, MCH hospital and CDC (市办). Every institution is typed with
its WS 218 class plus the materialised closure (graph `hkid:graph/closure`), has its level, city, county,
locatedIn, planned flag and classification; guidance edges run city → county → township → village (the
sub-property and the `hk:guides` super-property); each county has a 县域医共体 led by its hospital with
its township centres as members (hk:Membership + shortcuts); hospitals and centres have bed observations
(current and 2025 planned). Each fact sits in the evidence graph of a generated sentence that derives
from a hk:TextSpan in its city's document graph. At --scale 1 there are ~1 M institutions.

Measured per scale: generation + on-disk bulk load (kg.store.new_build_dir/write_store/publish), disk size,
peak RSS, library query latencies (each in a fresh process with a time limit, median of 3), `kg ask` warm
latency (kg.qa over the data dir), and optionally the Oxigraph server (`oxigraph load` of an N-Quads dump,
`serve-read-only`, the same queries over HTTP through kg.remote).

Usage: .venv/bin/python bench/bench_national.py [--scale 0.1 0.3 1.0] [--server] [--quick]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, REPO, dir_size_mb, example_params, log, peak_rss_mb  # noqa: E402

HK = "https://w3id.org/healthkg/ont#"
HKV = "https://w3id.org/healthkg/vocab/"
HKID = "https://w3id.org/healthkg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
WORK = Path(os.environ.get("KG_BENCH_NATIONAL_DIR", "/tmp/kg-bench-national"))
BATCH = 1_000_000

# The representative library queries timed at every scale (the others scan every graph: see the report).
QUERIES = ["institutions_by_city", "institutions_per_category", "institutions_per_level", "guidance_tree",
           "guidance_relations", "consortium_members", "institution_figures", "planned_beds_growth", "fact_evidence",
           "documents", "relation_counts"]
QUESTIONS = ["梧州市有哪些综合医院？", "藤县人民医院牵头哪些医共体？", "梧州市人民医院的床位是多少？",
             "钦州市疾病预防控制中心指导哪些机构？"]
# Syllables for township and village names (deterministic, seeded).
SYLLABLES = "东南西北中新上下大小长安和平兴隆福寿太白石马龙凤金水山河桥口湾塘坪坝岭江城关沙田林花园庄"

N = ox.NamedNode
_TERMS: dict[str, ox.NamedNode] = {}


def T(iri: str) -> ox.NamedNode:  # noqa: N802 - reads like a term constructor
    """A cached NamedNode for the IRIs that repeat (predicates, classes, regions, concepts)."""
    node = _TERMS.get(iri)
    if node is None:
        node = _TERMS[iri] = ox.NamedNode(iri)
    return node


def zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=N(XSD + "integer"))


TRUE_FALSE = {b: ox.Literal(str(b).lower(), datatype=N(XSD + "boolean")) for b in (True, False)}


class Generator:
    """Streams the national graph's quads; counts what it made."""

    def __init__(self, scale: float, seed: int = 11) -> None:
        from kg.gazetteer import Gazetteer
        from kg.vocab import load_vocabulary

        self.gaz = Gazetteer.load()
        self.vocab = load_vocabulary()
        self.rng = random.Random(seed)
        side = max(1, round(18 * math.sqrt(scale)))
        self.townships, self.villages = side, side
        self.institutions = 0
        self.quads = 0
        self._offset: dict[str, int] = {}
        kinds = {k.name: k for k in self.vocab.kinds.values()}
        self.kind = {name: kinds[name] for name in ("综合医院", "中医医院", "妇幼保健院", "疾病预防控制中心",
                                                    "乡镇卫生院", "村卫生室")}
        self.closure = {k.iri: self.vocab.ancestors(k.iri) for k in self.kind.values()}
        self.beds = T(HKV + "measure/national-beds")

    # ---------------------------------------------------------------- pieces
    def static(self) -> Iterator[ox.Quad]:
        from kg.build import add_ontology, add_regions
        from kg.build_graph import GraphWriter

        w = GraphWriter()
        add_ontology(w)
        add_regions(w, self.gaz, {r.code for r in self.gaz if r.level == "city"})
        g = T(HKID + "graph/measures")
        w.add(self.beds, RDF_TYPE, T(SKOS + "Concept"), graph=g)
        w.add(self.beds, T(SKOS + "prefLabel"), zh("编制床位数"), graph=g)
        w.add(self.beds, T(SKOS + "inScheme"), T(HKV + "measure"), graph=g)
        yield from w.quads

    def sentence(self, doc: str, text: str) -> tuple[ox.NamedNode, list[ox.Quad]]:
        """An evidence graph for `text` (the next sentence of `doc`) with its span and meta statements."""
        start = self._offset.get(doc, 0)
        end = start + len(text)
        self._offset[doc] = end + 1
        graph = N(f"{HKID}ev/{doc}/{start}-{end}")
        span = N(f"{HKID}doc/{doc}/char/{start}-{end}")
        doc_graph = T(f"{HKID}graph/doc/{doc}")
        meta = T(HKID + "graph/meta")
        return graph, [
            ox.Quad(span, RDF_TYPE, T(HK + "TextSpan"), doc_graph),
            ox.Quad(span, T(HK + "inDocument"), T(f"{HKID}doc/{doc}"), doc_graph),
            ox.Quad(span, T(OA + "start"), integer(start), doc_graph),
            ox.Quad(span, T(OA + "end"), integer(end), doc_graph),
            ox.Quad(span, T(OA + "exact"), ox.Literal(text), doc_graph),
            ox.Quad(graph, T(PROV + "wasDerivedFrom"), span, meta),
            ox.Quad(graph, T(HK + "assertionMode"), T(HKV + "mode/stated"), meta),
        ]

    def institution(self, name: str, kind: str, level: str, city: str, county: str | None,
                    graph: ox.NamedNode) -> tuple[ox.NamedNode, list[ox.Quad]]:
        self.institutions += 1
        node = N(f"{HKID}org/{city}/{hashlib.sha1(name.encode('utf-8')).hexdigest()[:12]}")
        k = self.kind[kind]
        quads = [
            ox.Quad(node, RDF_TYPE, N(k.iri), graph),
            ox.Quad(node, T(SKOS + "prefLabel"), zh(name), graph),
            ox.Quad(node, T(ORG + "classification"), T(f"{HKV}ws218/{k.notation}"), graph),
            ox.Quad(node, T(HK + "adminLevel"), T(f"{HKV}level/{level}"), graph),
            ox.Quad(node, T(HK + "city"), T(f"{HKID}region/{city}"), graph),
            ox.Quad(node, T(HK + "locatedIn"), T(f"{HKID}region/{county or city}"), graph),
            ox.Quad(node, T(HK + "planned"), TRUE_FALSE[self.rng.random() < 0.03], graph),
        ]
        if county:
            quads.append(ox.Quad(node, T(HK + "county"), T(f"{HKID}region/{county}"), graph))
        closure = T(HKID + "graph/closure")
        quads += [ox.Quad(node, RDF_TYPE, N(a), closure) for a in self.closure[k.iri]]
        return node, quads

    def guides(self, guide: ox.NamedNode, guided: ox.NamedNode, sub: str, graph: ox.NamedNode) -> list[ox.Quad]:
        return [ox.Quad(guide, N(HK + sub), guided, graph), ox.Quad(guide, T(HK + "guides"), guided, graph)]

    def beds_of(self, node: ox.NamedNode, key: str, current: int, graph: ox.NamedNode) -> list[ox.Quad]:
        out = []
        for role, year, value in (("current", 2020, current), ("planned", 2025, int(current * 1.3))):
            obs = N(f"{HKID}obs/{hashlib.sha1(f'{key}/{role}'.encode()).hexdigest()[:12]}")
            out += [ox.Quad(obs, RDF_TYPE, T(HK + "Observation"), graph),
                    ox.Quad(obs, T(HK + "subject"), node, graph),
                    ox.Quad(obs, T(HK + "measure"), self.beds, graph),
                    ox.Quad(obs, T(HK + "year"), integer(year), graph),
                    ox.Quad(obs, T(HK + "value"), ox.Literal(str(value), datatype=N(XSD + "decimal")), graph),
                    ox.Quad(obs, T(HK + "unit"), ox.Literal("张"), graph),
                    ox.Quad(obs, T(HK + "valueRole"), T(f"{HKV}vrole/{role}"), graph)]
        return out

    def membership(self, cons: ox.NamedNode, member: ox.NamedNode, role: str, graph: ox.NamedNode) -> list[ox.Quad]:
        mem = N(f"{HKID}mem/{hashlib.sha1(f'{cons.value}{member.value}{role}'.encode()).hexdigest()[:12]}")
        shortcut = T(HK + "leads") if role == "lead" else T(ORG + "memberOf")
        return [ox.Quad(mem, RDF_TYPE, T(HK + "Membership"), graph),
                ox.Quad(mem, T(ORG + "organization"), cons, graph),
                ox.Quad(mem, T(ORG + "member"), member, graph),
                ox.Quad(mem, T(ORG + "role"), T(f"{HKV}role/{role}"), graph),
                ox.Quad(member, shortcut, cons, graph)]

    def names(self, n: int) -> list[str]:
        """`n` distinct two-syllable place names."""
        out: list[str] = []
        seen = set()
        while len(out) < n:
            name = self.rng.choice(SYLLABLES) + self.rng.choice(SYLLABLES)
            if name not in seen:
                seen.add(name)
                out.append(name)
        return out

    # ---------------------------------------------------------------- the graph
    def quads_of_city(self, city) -> Iterator[ox.Quad]:
        gaz = self.gaz
        doc = f"national-{city.code}"
        doc_graph = T(f"{HKID}graph/doc/{doc}")
        doc_node = T(f"{HKID}doc/{doc}")
        yield ox.Quad(doc_node, RDF_TYPE, T(HK + "PlanDocument"), doc_graph)
        yield ox.Quad(doc_node, T(DCT + "title"), zh(f"{city.name}医疗卫生服务体系规划（合成）"), doc_graph)
        yield ox.Quad(doc_node, T(HK + "fileName"), ox.Literal(f"{doc}.txt"), doc_graph)
        yield ox.Quad(doc_node, T(HK + "city"), T(f"{HKID}region/{city.code}"), doc_graph)
        city_kinds = ("综合医院", "中医医院", "妇幼保健院", "疾病预防控制中心")
        city_names = [f"{city.name}人民医院", f"{city.name}中医医院", f"{city.name}妇幼保健院",
                      f"{city.name}疾病预防控制中心"]
        graph, quads = self.sentence(doc, "、".join(city_names) + "为市级医疗卫生服务龙头，负责全市业务指导。")
        yield from quads
        top = {}
        for name, kind in zip(city_names, city_kinds, strict=True):
            node, quads = self.institution(name, kind, "municipal", city.code, None, graph)
            top[kind] = node
            yield from quads
            if kind != "疾病预防控制中心":
                yield from self.beds_of(node, name, self.rng.randint(300, 2000), graph)
        for county in gaz.counties_of(city.code):
            names = [f"{county.name}人民医院", f"{county.name}中医医院", f"{county.name}妇幼保健院",
                     f"{county.name}疾病预防控制中心"]
            graph, quads = self.sentence(doc, f"{county.name}以{names[0]}为龙头组建紧密型县域医共体，"
                                              f"{'、'.join(names[1:])}接受市级机构业务指导。")
            yield from quads
            mid = {}
            for name, kind in zip(names, city_kinds, strict=True):
                node, quads = self.institution(name, kind, "county", city.code, county.code, graph)
                mid[kind] = node
                yield from quads
                yield from self.guides(top[kind], node, "businessGuidance", graph)
                if kind != "疾病预防控制中心":
                    yield from self.beds_of(node, name, self.rng.randint(100, 800), graph)
            cons = N(f"{HKID}cons/{city.code}/{hashlib.sha1(county.code.encode()).hexdigest()[:12]}")
            yield ox.Quad(cons, RDF_TYPE, T(HK + "CountyMedicalCommunity"), graph)
            yield ox.Quad(cons, T(SKOS + "prefLabel"), zh(f"{county.name}紧密型县域医共体"), graph)
            yield ox.Quad(cons, T(HK + "city"), T(f"{HKID}region/{city.code}"), graph)
            yield ox.Quad(cons, T(HK + "county"), T(f"{HKID}region/{county.code}"), graph)
            yield from self.membership(cons, mid["综合医院"], "lead", graph)
            for town in self.names(self.townships):
                centre_name = f"{county.name}{town}镇卫生院"
                villages = [f"{county.name}{town}镇{v}村卫生室" for v in self.names(self.villages)]
                graph, quads = self.sentence(doc, f"{centre_name}作为医共体成员，负责对{'、'.join(villages)}"
                                                  "实行一体化管理。")
                yield from quads
                centre, quads = self.institution(centre_name, "乡镇卫生院", "township", city.code, county.code, graph)
                yield from quads
                yield from self.guides(mid["综合医院"], centre, "technicalGuidance", graph)
                yield from self.membership(cons, centre, "member", graph)
                yield from self.beds_of(centre, centre_name, self.rng.randint(10, 120), graph)
                for village in villages:
                    node, quads = self.institution(village, "村卫生室", "village", city.code, county.code, graph)
                    yield from quads
                    yield from self.guides(centre, node, "unifiedManagement", graph)

    def __iter__(self) -> Iterator[ox.Quad]:
        for quad in self.static():
            self.quads += 1
            yield quad
        cities = [r for r in self.gaz if r.level == "city" or self.gaz._is_municipality(r)]
        for city in cities:
            for quad in self.quads_of_city(city):
                self.quads += 1
                yield quad


# -------------------------------------------------------------------- steps (each in its own process)


def step_load(scale: float, data_dir: Path, nquads: Path | None = None) -> dict:
    from kg import store as kgstore
    from kg.vocab import load_vocabulary

    shutil.rmtree(data_dir, ignore_errors=True)
    gen = Generator(scale)
    start = time.perf_counter()
    build_dir = kgstore.new_build_dir(data_dir)
    # Batches keep pyoxigraph's bulk loader from holding the whole graph in memory at once.
    quads = iter(gen)
    sink = nquads.open("wb") if nquads else None
    store = None
    while batch := list(itertools.islice(quads, BATCH)):
        if store is None:
            store = kgstore.write_store(build_dir, batch)
        else:
            store.bulk_extend(batch)
        if sink:  # the same quads for `oxigraph load` (cheaper than dumping the store afterwards)
            ox.serialize(batch, sink, format=ox.RdfFormat.N_QUADS)
    if sink:
        sink.close()
    store.flush()
    load_s = time.perf_counter() - start
    (build_dir / "vocabulary.json").write_text(load_vocabulary().to_json(), encoding="utf-8")
    # What `kg build` writes for `kg ask` after the store: the name index (kg/qa/name_index.py).
    from kg.qa.name_index import INDEX_FILE, write_name_index

    start = time.perf_counter()
    write_name_index(build_dir, store)
    index_s = time.perf_counter() - start
    index_mb = (build_dir / INDEX_FILE).stat().st_size / 1e6
    del store
    kgstore.publish(data_dir, build_dir, {"plans": 0, "institutions": gen.institutions, "quads": gen.quads,
                                          "note": f"synthetic national graph, scale {scale}"})
    store_dir = kgstore.current_build(data_dir) / "store"
    start = time.perf_counter()
    kgstore.open_store(data_dir)
    reopen = time.perf_counter() - start
    return {"scale": scale, "institutions": gen.institutions, "quads": gen.quads, "load_s": load_s,
            "index_s": index_s, "index_mb": index_mb,
            "reopen_s": reopen, "disk_mb": dir_size_mb(store_dir), "peak_rss_mb": peak_rss_mb()}


def _store_for(target: str):
    if target.startswith("http"):
        from kg.remote import RemoteStore

        return RemoteStore(target, timeout=600)
    from kg.store import open_store

    return open_store(Path(target))


def step_query(target: str, name: str, runs: int, mode: str = "values") -> dict:
    """Time one library query. mode `values`: values written into the query as a VALUES block by
    kg.binding.bind_values (what kg.sparql.run, kg ask and the remote client do); `subst`: bound as
    pyoxigraph substitutions instead (what they did before; kept to show the difference)."""
    import pyoxigraph as ox

    from kg import sparql

    start = time.perf_counter()
    store = _store_for(target)
    open_s = time.perf_counter() - start
    q = sparql.load_library()[name]
    bindings = sparql.bind_params(q, example_params(q))
    times, rows = [], 0
    for i in range(runs + 1):  # the first run warms caches
        if mode == "subst":
            began = time.perf_counter()
            subs = {ox.Variable(k): v for k, v in bindings.items()} or None
            raw = store.query(sparql.PREFIX_TEXT + q.text, substitutions=subs, use_default_graph_as_union=True)
            rows = len(list(raw))
            seconds = time.perf_counter() - began
        else:
            result = sparql.run(store, q.text, bindings)
            rows, seconds = len(result.rows), result.seconds
        times.append(seconds)
        if i == 0 and seconds > 20:
            break  # a scan this slow is reported from its one run
    timed = times[1:] or times
    return {"median_ms": statistics.median(timed) * 1000, "runs": len(timed), "rows": rows,
            "open_s": open_s, "peak_rss_mb": peak_rss_mb()}


def step_ask(data_dir: Path) -> dict:
    from kg.qa import ask, load

    # Cold: a whole `kg ask` process (interpreter, imports, opening the build, one answer), median of 3.
    kg = str(Path(PY).with_name("kg"))
    cold = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run([kg, "ask", "--json", "--data-dir", str(data_dir), QUESTIONS[0]], capture_output=True,
                       check=False)
        cold.append(time.perf_counter() - start)
    start = time.perf_counter()
    kb = load(data_dir)
    init_s = time.perf_counter() - start
    # Partial results as they come, so a step stopped at its time limit still reports how far it got.
    print(json.dumps({"init_s": init_s, "cold_s": statistics.median(cold)}), flush=True)
    out = {}
    start = time.perf_counter()
    ask(kb, QUESTIONS[0])
    first_s = time.perf_counter() - start
    for q in QUESTIONS:
        ask(kb, q)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            answer = ask(kb, q)
            times.append((time.perf_counter() - t0) * 1000)
        cited = sum(1 for a in answer.get("answers", []) if a.get("sources"))
        out[q] = {"median_ms": statistics.median(times), "status": answer.get("status"),
                  "answers": len(answer.get("answers", [])), "cited": cited,
                  "answer": str(answer.get("message", ""))[:80]}
    return {"init_s": init_s, "cold_s": statistics.median(cold), "first_s": first_s,
            "warm_p50_ms": statistics.median(v["median_ms"] for v in out.values()), "questions": out,
            "peak_rss_mb": peak_rss_mb()}


def child(args: list[str], timeout: float) -> dict | None:
    """Run a step in a fresh interpreter; None when it exceeds `timeout` seconds (it is killed)."""
    proc = subprocess.Popen([PY, __file__, "--step", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=REPO)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
        lines = [line for line in (out or "").splitlines() if line.startswith("{")]
        return {"timeout": True, **json.loads(lines[-1])} if lines else None
    if proc.returncode != 0:
        log(f"step {args} failed:\n{err[-2000:]}")
        return {"error": (err.strip().splitlines() or ["?"])[-1][:200]}
    return json.loads(out.strip().splitlines()[-1])


# -------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_bench(nq: Path, names: list[str], timeout: float) -> dict:
    """`oxigraph load` the N-Quads, serve read-only, time the queries over HTTP (kg.remote); stop by PID."""
    binary = Path(PY).with_name("oxigraph")
    if not binary.exists():
        return {"skipped": "no oxigraph binary next to the interpreter (pip install oxigraph)"}
    location = WORK / "server-db"
    shutil.rmtree(location, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([str(binary), "load", "--location", str(location), "--file", str(nq)], check=True,
                   capture_output=True)
    out: dict = {"load_s": time.perf_counter() - start, "nq_mb": nq.stat().st_size / 1e6,
                 "disk_mb": dir_size_mb(location), "queries": {}}
    nq.unlink()
    port = free_port()
    server = subprocess.Popen([str(binary), "serve-read-only", "--location", str(location), "--bind",
                               f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        endpoint = f"http://127.0.0.1:{port}/query"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        for name in names:
            log(f"  server: {name}")
            out["queries"][name] = child(["query", endpoint, name, "3", "values"], timeout)
        status = Path(f"/proc/{server.pid}/status").read_text()
        out["server_rss_mb"] = next(int(line.split()[1]) / 1024 for line in status.splitlines()
                                    if line.startswith("VmHWM"))
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(location, ignore_errors=True)
    return out


# -------------------------------------------------------------------- report


def cell(r: dict | None) -> str:
    if r is None:
        return "timeout"
    if "error" in r:
        return "error"
    return f"{r['median_ms']:,.1f} ({r['rows']:,})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, nargs="+", default=None,
                        help="scales (1.0 ≈ 1 M institutions); default 0.1 0.3 1.0, --quick 0.02")
    parser.add_argument("--quick", action="store_true", help="scale 0.02 only")
    parser.add_argument("--server-scale", type=float, default=None,
                        help="scale at which to time the Oxigraph server (default: the smallest; 0 = never)")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds allowed per query step")
    parser.add_argument("--ask-timeout", type=float, default=150.0, help="seconds allowed for the kg ask step")
    parser.add_argument("--ask-only", action="store_true", help="time only the load and `kg ask` (no library queries)")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        kind, *rest = args.step
        if kind == "load":
            result = step_load(float(rest[0]), Path(rest[1]), Path(rest[2]) if len(rest) > 2 else None)
        elif kind == "query":
            result = step_query(rest[0], rest[1], int(rest[2]), rest[3])
        else:
            result = step_ask(Path(rest[0]))
        print(json.dumps(result, ensure_ascii=False))
        return
    scales = sorted(args.scale or ([0.02] if args.quick else [0.1, 0.3, 1.0]))
    server_scale = scales[0] if args.server_scale is None else args.server_scale
    WORK.mkdir(parents=True, exist_ok=True)
    loads, values, subst, asks = [], {}, {}, []
    server = None
    ask_ok = True
    for scale in scales:
        data_dir = WORK / f"data-{scale:g}"
        nq = WORK / "national.nq" if scale == server_scale and not args.ask_only else None
        log(f"national scale {scale}: generating and loading …")
        load = child(["load", str(scale), str(data_dir), *([str(nq)] if nq else [])], 3600)
        loads.append(load)
        log(f"  {load}")
        values[scale] = {}
        for name in ([] if args.ask_only else QUERIES):
            log(f"  query {name} (VALUES)")
            values[scale][name] = child(["query", str(data_dir), name, "3", "values"], args.timeout)
        if scale == scales[0] and not args.ask_only:
            for name in QUERIES:
                log(f"  query {name} (substitutions)")
                subst[name] = child(["query", str(data_dir), name, "3", "subst"], args.timeout)
        if ask_ok:
            log("  kg ask")
            asks.append(child(["ask", str(data_dir)], args.ask_timeout))
            log(f"  {asks[-1]}")
            ask_ok = asks[-1] is not None and "error" not in asks[-1] and "timeout" not in asks[-1]
        else:
            asks.append({"error": "skipped: timed out at a smaller scale"})
        if nq:
            log("  oxigraph server")
            server = server_bench(nq, QUERIES, args.timeout)
            server["scale"] = scale
        shutil.rmtree(data_dir, ignore_errors=True)
    report(scales, loads, values, subst, asks, server, args)


def trend(loads, values, scales) -> None:
    """Where one machine stops being enough: per-quad costs and the graph size at which queries get slow."""
    ok = [load for load in loads if load and "quads" in load]
    if len(ok) < 2:
        return
    print("\nTrend across scales (per million quads):\n")
    for load in ok:
        m = load["quads"] / 1e6
        print(f"- scale {load['scale']:g}: {load['load_s'] / m:.1f} s to generate + load, "
              f"{load['disk_mb'] / m:.0f} MB of disk, peak RSS {load['peak_rss_mb']:,.0f} MB "
              f"(bulk load in batches of {BATCH:,} quads, so RSS need not grow with the graph)")
    small, large = ok[0], ok[-1]
    grow = large["quads"] / small["quads"]
    slow, fast = [], []
    for name in QUERIES:
        a, b = values[small["scale"]].get(name), values[large["scale"]].get(name)
        if not (a and b and "median_ms" in a and "median_ms" in b):
            continue
        if b["median_ms"] < 100:
            fast.append(f"`{name}` {a['median_ms']:,.1f} → {b['median_ms']:,.1f} ms")
            continue
        factor = b["median_ms"] / max(a["median_ms"], 1e-3)
        # linear in quads from the largest measured point: the size where the query needs 1 s and 10 s
        per_mq = b["median_ms"] / (large["quads"] / 1e6)
        slow.append(f"`{name}` {a['median_ms']:,.0f} → {b['median_ms']:,.0f} ms (×{factor:.1f} for ×{grow:.1f} "
                    f"quads; ≈ 1 s at {1000 / per_mq:,.1f} M quads, 10 s at {10000 / per_mq:,.0f} M)")
    if slow:
        print("- queries that scan (over 100 ms at the largest scale): " + "; ".join(slow) + ".")
    if fast:
        print("- queries under 100 ms at the largest scale (the indexes reach the bound institution or city): "
              + "; ".join(fast) + ".")


def report(scales, loads, values, subst, asks, server, args) -> None:
    print("## National-scale synthetic graph (pyoxigraph on disk)\n")
    print("| scale | institutions | quads | generate + bulk load s | quads/s | re-open s | disk MB | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|")
    for load in loads:
        if load is None or "error" in load:
            print(f"| ? | load failed: {load} |||||||")
            continue
        print(f"| {load['scale']:g} | {load['institutions']:,} | {load['quads']:,} | {load['load_s']:.1f} "
              f"| {load['quads'] / load['load_s']:,.0f} | {load['reopen_s']:.2f} | {load['disk_mb']:,.0f} "
              f"| {load['peak_rss_mb']:,.0f} |")
    print("\nName index for `kg ask` (kg/qa/name_index.py, written after the load as `kg build` does): "
          + "; ".join(f"scale {ld['scale']:g}: {ld['index_s']:.1f} s, {ld['index_mb']:,.0f} MB" for ld in loads
                      if ld and "index_s" in ld))
    if args.ask_only:
        print("\n(library queries not run: --ask-only)")
    else:
        trend(loads, values, scales)
        library_table(scales, values, subst, server, args)
    ask_table(scales, loads, asks, server, args)


def library_table(scales, values, subst, server, args) -> None:
    print(f"\nLibrary queries with their example parameters: median ms of 3 runs after a warm-up (one run when "
          f"the warm-up took over 20 s), each in a fresh process, rows in brackets; 'timeout' = over "
          f"{args.timeout:g} s. *VALUES*: parameters written into the query by `kg.binding.bind_values` "
          f"(what `kg.sparql.run` and `kg ask` now do); "
          f"*substitutions*: bound as pyoxigraph substitutions, as they did before.\n")
    head = [f"VALUES, scale {s:g}" for s in scales] + [f"substitutions, scale {scales[0]:g}"]
    if server and "queries" in server:
        head.append(f"Oxigraph server over HTTP, scale {server['scale']:g}")
    print("| query | " + " | ".join(head) + " |")
    print("|---|" + "---|" * len(head))
    for name in QUERIES:
        cells = [cell(values[s][name]) for s in scales] + [cell(subst.get(name))]
        if server and "queries" in server:
            cells.append(cell(server["queries"].get(name)))
        print(f"| {name} | " + " | ".join(cells) + " |")


def ask_table(scales, loads, asks, server, args) -> None:
    print("\n`kg ask` over the national graph (kg.qa over the data dir: opens the build's name index, "
          "looks citations up per answer; warm median of 3, ms, with the answer's status and cited answers):\n")
    print("| | " + " | ".join(f"scale {s:g}" for s in scales) + " |")
    print("|---|" + "---|" * len(scales))

    def ask_cell(a, key, fmt):
        if a is None:
            return f"timeout (> {args.ask_timeout:g} s)"
        if "error" in a:
            return a["error"][:60]
        try:
            return fmt(key(a))
        except KeyError:  # the step hit its time limit before this figure
            return f"timeout (> {args.ask_timeout:g} s)"

    print("| cold `kg ask` process s (median of 3) | " + " | ".join(
        ask_cell(a, lambda a: a["cold_s"], "{:.2f}".format) for a in asks) + " |")
    print("| QA start-up s | " + " | ".join(ask_cell(a, lambda a: a["init_s"], "{:.1f}".format) for a in asks)
          + " |")
    print("| first answer s | " + " | ".join(ask_cell(a, lambda a: a["first_s"], "{:.1f}".format) for a in asks) + " |")
    print("| peak RSS MB | " + " | ".join(ask_cell(a, lambda a: a["peak_rss_mb"], "{:,.0f}".format) for a in asks)
          + " |")
    for q in QUESTIONS:
        print(f"| {q} | " + " | ".join(ask_cell(a, lambda a, q=q: "{:,.1f} ({}, {}/{} cited)".format(
            a["questions"][q]["median_ms"], a["questions"][q]["status"], a["questions"][q]["cited"],
            a["questions"][q]["answers"]), str) for a in asks) + " |")
    if server:
        if "skipped" in server:
            print(f"\nOxigraph server: {server['skipped']}")
        else:
            print(f"\nOxigraph server at scale {server['scale']:g}: `oxigraph load` of {server['nq_mb']:,.0f} MB of "
                  f"N-Quads {server['load_s']:.1f} s, database {server['disk_mb']:,.0f} MB, "
                  f"server peak RSS {server.get('server_rss_mb', 0):,.0f} MB.")
    last = next(((a, ld) for a, ld in zip(reversed(asks), reversed(loads), strict=True)
                 if a and "warm_p50_ms" in a and ld and "institutions" in ld), None)
    if last:
        print(f"\nask: cold {last[0]['cold_s']:.2f} s, warm p50 {last[0]['warm_p50_ms']:.1f} ms, "
              f"institutions {last[1]['institutions']}")
    else:
        print("\nask: no scale answered within the time limit")


if __name__ == "__main__":
    main()
