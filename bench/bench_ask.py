"""Benchmark `kg ask`: warm latency per question over the dev set, and a cold process's wall time;
with --vs REV, the same figures for the code of git revision REV side by side, in one run.

Usage: .venv/bin/python bench/bench_ask.py [--data-dir DIR] [--runs 5] [--vs REV] [--question Q ...]
Builds nothing for the working tree (run `kg build` first); with --vs, REV's code is exported with
`git archive` into a temporary directory and builds its own graph with its own code (a build is read
by the code that wrote it). Each code's warm figures come from a fresh interpreter of its own; the
cold runs alternate old, new, old, new… so both see the same machine. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEV = REPO / "tests" / "data" / "questions-dev.jsonl"
# The first dev question, and one the graph has no fact for (it shows the plan's related sentences
# and names a city inside an institution's name): the two ends of what a cold process does.
DEFAULT_QUESTIONS = ["", "梧州市人民医院牵头哪个医联体？"]

# Runs `kg` from the code in sys.argv[1] (not the editable install of the working tree).
LAUNCHER = ("import sys\n"
            "sys.meta_path[:] = [f for f in sys.meta_path if '__editable__' not in type(f).__module__]\n"
            "code = sys.argv.pop(1)\n"
            "sys.path.insert(0, code)\n"
            "sys.argv[0] = 'kg'\n"
            "from kg.cli import main\n"
            "sys.exit(main())\n")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def dev_questions() -> list[str]:
    return [json.loads(line)["q"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def warm(code: Path, data_dir: str) -> dict:
    """In this process (a child started for `code`): every dev question once to warm the caches,
    then once more timed."""
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in type(f).__module__]
    sys.path.insert(0, str(code))
    from kg.qa import ask, load

    questions = dev_questions()
    kb = load(Path(data_dir))
    for q in questions:
        ask(kb, q)
    times = []
    for q in questions:
        start = time.perf_counter()
        ask(kb, q)
        times.append((time.perf_counter() - start) * 1000)
    return {"n": len(times), "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95), "max_ms": max(times)}


def warm_child(code: Path, data_dir: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--warm-only", "--code", str(code), "--data-dir", data_dir],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_command(code: Path, data_dir: str, question: str) -> list[str]:
    return [sys.executable, "-c", LAUNCHER, str(code), "ask", "--json", "--data-dir", data_dir, question]


def cold_runs(codes: list[tuple[Path, str]], question: str, runs: int) -> list[list[float]]:
    """Wall seconds of whole `kg ask --json` processes, the codes taking turns (one warm-up each)."""
    found: list[list[float]] = [[] for _ in codes]
    for n in range(runs + 1):
        for i, (code, data_dir) in enumerate(codes):
            start = time.perf_counter()
            done = subprocess.run(cold_command(code, data_dir, question), capture_output=True, check=False)
            if done.returncode not in (0, 2):
                raise SystemExit(f"kg ask failed ({code}): {done.stderr.decode(errors='replace')[-500:]}")
            if n:
                found[i].append(time.perf_counter() - start)
    return found


def export(rev: str, into: Path) -> Path:
    """The tree of `rev`, exported, and a graph built by its own code."""
    code = into / "code"
    code.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(code)], input=archive, check=True)
    data = into / "data"
    subprocess.run([sys.executable, "-c", LAUNCHER, str(code), "build", "--data-dir", str(data)],
                   capture_output=True, check=True, env=os.environ | {"KG_DATA_DIR": str(data)})
    return code


def cold_text(times: list[float]) -> str:
    return f"{statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=str(REPO / ".kg"))
    parser.add_argument("--runs", type=int, default=5, help="cold runs of each code and question (median quoted)")
    parser.add_argument("--vs", metavar="REV", help="also time the code of this git revision, side by side")
    parser.add_argument("--question", action="append", help="a question for the cold runs (repeatable; default: "
                        "the first dev question and one without a fact in the graph)")
    parser.add_argument("--warm-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--code", default=str(REPO), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.warm_only:
        print(json.dumps(warm(Path(args.code), args.data_dir)))
        return
    questions = args.question or [q or dev_questions()[0] for q in DEFAULT_QUESTIONS]
    with tempfile.TemporaryDirectory(prefix="kg-bench-ask-") as tmp:
        codes: list[tuple[str, Path, str]] = []
        if args.vs:
            old = export(args.vs, Path(tmp))
            codes.append((args.vs, old, str(Path(tmp) / "data")))
        codes.append(("working tree", REPO, args.data_dir))
        load = os.getloadavg()
        warms = [warm_child(code, data) for _, code, data in codes]
        colds = {q: cold_runs([(code, data) for _, code, data in codes], q, args.runs) for q in questions}
        load_after = os.getloadavg()
    print(f"load average {load[0]:.2f} before, {load_after[0]:.2f} after ({os.cpu_count()} cores)")
    for (name, _, _), w in zip(codes, warms, strict=True):
        print(f"{name}: warm: {w['n']} questions, p50 {w['p50_ms']:.1f} ms, p95 {w['p95_ms']:.1f} ms, "
              f"max {w['max_ms']:.1f} ms")
    for q, per_code in colds.items():
        for (name, _, _), times in zip(codes, per_code, strict=True):
            print(f"{name}: cold `kg ask --json {q}`: median {cold_text(times)} over {len(times)} runs")
        if len(per_code) == 2:
            ratios = [b / a for a, b in zip(per_code[0], per_code[1], strict=True)]
            print(f"  new/old pair by pair: median {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
