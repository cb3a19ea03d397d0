"""Benchmark `kg build`: characters per second on the real corpus (median of 3) and on synthetic plans.

Each build runs in a fresh interpreter so its peak RSS is its own; the time is `kg.build.build`'s wall
time (corpus → pipeline → store → rules → publish), not interpreter start-up.

Usage: .venv/bin/python bench/bench_build.py [--quick] [--plans N]   (markdown report on stdout)
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, log, peak_rss_mb, run_child  # noqa: E402

WORK = Path("/tmp/kg-bench-build")


def child(corpus: Path, data_dir: Path) -> None:
    """One build, reported as a JSON line."""
    from kg.build import build
    from kg.corpus import load_corpus

    chars = sum(len(p.text) for p in load_corpus(corpus))
    start = time.perf_counter()
    report = build(corpus, data_dir)
    seconds = time.perf_counter() - start
    print(json.dumps({"chars": chars, "seconds": seconds, "plans": report.plans, "sentences": report.sentences,
                      "institutions": report.institutions, "quads": report.quads, "peak_rss_mb": peak_rss_mb()}))


def measure(corpus: Path, label: str, runs: int) -> dict:
    results = []
    for i in range(runs):
        data_dir = WORK / f"data-{label}"
        shutil.rmtree(data_dir, ignore_errors=True)
        log(f"build {label} run {i + 1}/{runs} …")
        results.append(run_child([__file__, "--child", str(corpus), str(data_dir)]))
    out = dict(results[0])
    out["seconds"] = statistics.median(r["seconds"] for r in results)
    out["peak_rss_mb"] = max(r["peak_rss_mb"] for r in results)
    out["runs"] = runs
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="30 synthetic plans instead of every city")
    parser.add_argument("--plans", type=int, default=None, help="number of synthetic plans (default: 334, all cities)")
    parser.add_argument("--child", nargs=2, type=Path, metavar=("CORPUS", "DATA_DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    from synth import synthesize

    WORK.mkdir(parents=True, exist_ok=True)
    rows = [("real corpus (corpus/)", measure(REPO / "corpus", "real", 3))]
    n = args.plans or (30 if args.quick else None)
    synth_dir = WORK / "synth-corpus"
    shutil.rmtree(synth_dir, ignore_errors=True)
    records = synthesize(synth_dir, n)
    rows.append((f"synthetic, {len(records)} plans (bench/synth.py)", measure(synth_dir, "synth", 1)))
    print("## kg build throughput\n")
    print("| corpus | runs | plans | sentences | characters | seconds (median) | chars/s | institutions | quads "
          "| peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, r in rows:
        print(f"| {label} | {r['runs']} | {r['plans']} | {r['sentences']:,} | {r['chars']:,} | {r['seconds']:.2f} "
              f"| {r['chars'] / r['seconds']:,.0f} | {r['institutions']:,} | {r['quads']:,} "
              f"| {r['peak_rss_mb']:,.0f} |")
    real, synth = rows[0][1], rows[1][1]
    speed = (synth['chars'] / synth['seconds']) / (real['chars'] / real['seconds'])
    print(f"\nThroughput on the synthetic corpus is {speed:.2f}"
          f"× the real corpus's; the synthetic corpus is {synth['chars'] / real['chars']:.0f}× larger.")


if __name__ == "__main__":
    main()
