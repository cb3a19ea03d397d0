"""Benchmark `kg ask`: warm latency per question over the dev set, and a cold process's wall time.

Usage: .venv/bin/python bench/bench_ask.py [--data-dir DIR]   (builds nothing; run `kg build` first)
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "tests" / "data" / "questions-dev.jsonl"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=str(REPO / ".kg"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from kg.qa import ask, load

    questions = [json.loads(line)["q"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    kb = load(Path(args.data_dir))
    for q in questions:  # warm-up: caches, templates
        ask(kb, q)
    times = []
    for q in questions:
        start = time.perf_counter()
        ask(kb, q)
        times.append((time.perf_counter() - start) * 1000)
    print(f"warm: {len(times)} questions, p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
          f"max {max(times):.1f} ms")
    cold = []
    kg = str(Path(sys.executable).with_name("kg"))
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run([kg, "ask", "--json", "--data-dir", args.data_dir, questions[0]],
                       capture_output=True, check=False)
        cold.append(time.perf_counter() - start)
    print(f"cold `kg ask`: median {statistics.median(cold):.2f} s over {args.runs} runs "
          f"(min {min(cold):.2f}, max {max(cold):.2f})")


if __name__ == "__main__":
    main()
