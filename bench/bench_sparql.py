"""Benchmark every library query (queries/*.rq, with its example parameters): pyoxigraph on disk vs rdflib.

Engines, over the same quads:
- pyoxigraph on disk, with the parameters bound as pyoxigraph substitutions, and written in as a
  VALUES block (`kg.binding.bind_values`, what `kg sparql run` does since the first run of this);
- rdflib's in-memory `Dataset(default_union=True)` loaded from the store's N-Quads, queried with the
  same prefixes and `initBindings`.
Median of 5 after a warm-up (fewer runs when a query is slow; an rdflib call over the time limit is
stopped with SIGALRM — rdflib is pure Python, so the alarm interrupts it). Row counts are compared.

Graphs: the real corpus's build, and a synthetic graph of ≥ 1 M quads: a build of the synthetic corpus
(`--synthetic-data-dir`, as run_all passes from bench_build) or else bench_national's generator.

Usage: .venv/bin/python bench/bench_sparql.py [--quick] [--synthetic-data-dir DIR]
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, example_params, geomean, log, median_time, peak_rss_mb, run_child  # noqa: E402

WORK = Path("/tmp/kg-bench-sparql")
RDFLIB_LIMIT = 20.0  # seconds per rdflib call
PYOX_LIMIT = 90.0  # seconds per pyoxigraph child (warm-up + runs)


def child(args: list[str], timeout: float) -> dict | None:
    from bench_national import child as national_child

    return national_child(args, timeout)


def ms(result: dict | None) -> str:
    if result is None:
        return f"> {PYOX_LIMIT:g} s"
    if "median_ms" not in result:
        return "error"
    return f"{result['median_ms']:,.1f}" + ("" if result.get("runs", 0) > 1 else " (n=1)")


class Timeout(Exception):
    pass


def _alarm(_signum, _frame):
    raise Timeout


def to_rdflib(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value if term.datatype else None
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        datatype = None  # rdflib tells "x" and "x"^^xsd:string apart; RDF 1.1 (and the parsed data) does not
    return Literal(term.value, datatype=URIRef(datatype) if datatype else None)


def load_rdflib(store):
    import pyoxigraph as ox
    from rdflib import Dataset

    # Store.dump writes every quad of every graph; rdflib parses them into one Dataset.
    data = store.dump(format=ox.RdfFormat.N_QUADS)
    ds = Dataset(default_union=True)
    ds.parse(data=data, format="nquads")
    return ds


def bench_graph(label: str, data_dir: Path, runs: int) -> tuple[list[str], list[float], list[str]]:
    """Markdown rows for one graph, the rdflib/pyoxigraph ratios, and mismatch notes."""
    from rdflib import Variable

    from kg import sparql
    from kg.store import open_store

    store = open_store(data_dir)
    quads = len(store)
    log(f"{label}: {quads:,} quads; loading rdflib …")
    start = time.perf_counter()
    rss_before = peak_rss_mb()
    ds = load_rdflib(store)
    rdflib_load = time.perf_counter() - start
    log(f"  rdflib loaded in {rdflib_load:.1f} s")
    lines = [f"### {label}: {quads:,} quads\n",
             f"rdflib `Dataset.parse` of the N-Quads: {rdflib_load:.1f} s (peak RSS {rss_before:,.0f} → "
             f"{peak_rss_mb():,.0f} MB); pyoxigraph re-opens its on-disk store in well under a second.\n",
             "| query | rows | pyoxigraph ms (substitutions) | pyoxigraph ms (VALUES) | rdflib ms "
             "| rdflib ÷ pyoxigraph |",
             "|---|---|---|---|---|---|"]
    ratios, mismatches = [], []
    signal.signal(signal.SIGALRM, _alarm)
    for name, q in sparql.load_library().items():
        params = example_params(q)
        bindings = sparql.bind_params(q, params)
        log(f"  {name}")
        # pyoxigraph calls cannot be interrupted in-process, so each runs in a child with a time limit.
        subst = child(["query", str(data_dir), name, str(runs), "subst"], PYOX_LIMIT)
        values = child(["query", str(data_dir), name, str(runs), "values"], PYOX_LIMIT)
        ox_s = subst["median_ms"] / 1000 if subst and "median_ms" in subst else None
        init = {Variable(k): to_rdflib(v) for k, v in bindings.items()}
        text = sparql.PREFIX_TEXT + q.text

        def rd(text=text, init=init):
            signal.setitimer(signal.ITIMER_REAL, RDFLIB_LIMIT)
            try:
                return len(list(ds.query(text, initBindings=init)))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)

        try:
            rd_s, rd_rows, n = median_time(rd, runs, budget=2 * RDFLIB_LIMIT)
            rd_cell = f"{rd_s * 1000:,.1f}" + ("" if n == runs else f" (n={n})")
            if ox_s:
                ratios.append(rd_s / ox_s)
                ratio_cell = f"{rd_s / ox_s:,.1f}×"
            else:
                ratio_cell = "—"
        except Timeout:
            rd_rows, rd_cell, ratio_cell = None, f"> {RDFLIB_LIMIT:g} s", "—"
            if ox_s:  # a lower bound, kept in the mean so the slowest rdflib queries are not left out
                ratios.append(RDFLIB_LIMIT / ox_s)
                ratio_cell = f"≥ {RDFLIB_LIMIT / ox_s:,.1f}×"
        except Exception as exc:  # noqa: BLE001 - an engine's failure is a finding to report, not a crash
            rd_rows, rd_cell, ratio_cell = None, f"error: {type(exc).__name__}", "—"
            mismatches.append(f"{label} / {name}: rdflib failed: {str(exc)[:120]}")
        rows = subst["rows"] if subst and "rows" in subst else None
        row_cell = "?" if rows is None else f"{rows:,}"
        if rows is not None and values and "rows" in values and values["rows"] != rows:
            mismatches.append(f"{label} / {name}: pyoxigraph VALUES {values['rows']} rows vs substitutions {rows}")
        if rd_rows is not None and rows is not None and rd_rows != rows:
            row_cell += f" (rdflib {rd_rows:,})"
            mismatches.append(f"{label} / {name}: rdflib {rd_rows} rows vs pyoxigraph {rows}")
        lines.append(f"| {name} | {row_cell} | {ms(subst)} | {ms(values)} | {rd_cell} | {ratio_cell} |")
    lines.append(f"\nGeometric mean of rdflib ÷ pyoxigraph (substitutions) over {len(ratios)} queries "
                 f"(rdflib timeouts counted at the limit, so a lower bound): **{geomean(ratios):,.1f}×**.\n")
    return lines, ratios, mismatches


def ensure_real() -> Path:
    data_dir = WORK / "data-real"
    shutil.rmtree(data_dir, ignore_errors=True)
    log("building the real corpus …")
    from kg.build import build

    build(REPO / "corpus", data_dir)
    return data_dir


def ensure_synthetic(scale: float) -> Path:
    data_dir = WORK / f"data-national-{scale:g}"
    shutil.rmtree(data_dir, ignore_errors=True)
    log(f"generating the synthetic national graph at scale {scale} …")
    run_child([str(Path(__file__).with_name("bench_national.py")), "--step", "load", str(scale), str(data_dir)])
    return data_dir


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a small synthetic graph, 3 runs")
    parser.add_argument("--synthetic-data-dir", type=Path, help="a built data dir to use as the large graph")
    parser.add_argument("--runs", type=int, default=None)
    args = parser.parse_args()
    runs = args.runs or (3 if args.quick else 5)
    WORK.mkdir(parents=True, exist_ok=True)
    print("## SPARQL library queries: pyoxigraph (embedded, on disk) vs rdflib (in memory)\n")
    all_mismatches = []
    real = ensure_real()
    lines, _, mismatches = bench_graph("real corpus build", real, runs)
    print("\n".join(lines))
    all_mismatches += mismatches
    if args.synthetic_data_dir:
        big, label = args.synthetic_data_dir, f"synthetic corpus build ({args.synthetic_data_dir})"
    else:
        scale = 0.002 if args.quick else 0.02
        big, label = ensure_synthetic(scale), f"synthetic national graph (bench_national.py, scale {scale:g})"
    lines, _, mismatches = bench_graph(label, big, runs)
    print("\n".join(lines))
    all_mismatches += mismatches
    print("Row-count disagreements: " + ("none." if not all_mismatches else ""))
    for m in all_mismatches:
        print(f"- {m}")
    print()


if __name__ == "__main__":
    main()
