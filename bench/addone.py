"""The add-one / full ratio of `kg build`, side by side in one process (issue #14 item 3).

Writes N synthetic plans (bench/synth.py) and the same plus one more plan (another seed's plan, as
`kg add` adds one), then: a full build of the N plans into a fresh data directory, and a build of the
N + 1 plans into the same directory (the one plan read, the rest from the previous build). Each build
runs in a fresh process (so the model load counts, as in `kg build`); wall and CPU seconds of that
process and its workers (user + system, all threads); one JSON line per repetition on stdout.

Usage: .venv/bin/python bench/addone.py [--n 30] [--repeat 1] [--work /tmp/kg-bench-addone] [--jobs 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed_build(corpus: Path, data: Path, jobs: int) -> dict:
    """One `build` in a child process: its wall and CPU seconds (its workers included) and its report."""
    c, t = children_cpu(), time.perf_counter()
    out = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(data), str(jobs)],
                         check=True, capture_output=True, text=True).stdout
    return {"wall": round(time.perf_counter() - t, 2), "cpu": round(children_cpu() - c, 2),
            **json.loads(out.strip().splitlines()[-1])}


def child(corpus: Path, data: Path, jobs: int) -> None:
    import kg
    from kg.build import build

    r = build(corpus, data, jobs=jobs)
    print(json.dumps({"kg": str(Path(kg.__file__).parent.parent), "from_cache": r.from_cache,
                      "from_previous": getattr(r, "from_previous", None), "quads": r.quads,
                      "build_seconds": r.seconds}))


def corpora(work: Path, n: int) -> tuple[Path, Path]:
    """N synthetic plans, and the same plus one (bench_build.add_one_plan: another seed's plan, as `kg add` adds it)."""
    # imported here, not in the child builds: bench/common.py puts this checkout first on sys.path, and
    # a child must build with the `kg` of its PYTHONPATH (another commit's, side by side)
    sys.path.insert(0, str(BENCH))
    from bench_build import add_one_plan
    from synth import synthesize

    base, plus = work / f"s{n}", work / f"s{n}+1"
    if not (plus / "documents.json").exists():
        shutil.rmtree(base, ignore_errors=True)
        synthesize(base, n)
        add_one_plan(base, plus)
    return base, plus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-addone"))
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), int(args.child[2]))
        return

    args.work.mkdir(parents=True, exist_ok=True)
    base, plus = corpora(args.work, args.n)
    data = args.work / "data"
    for _ in range(args.repeat):
        shutil.rmtree(data, ignore_errors=True)
        out: dict = {"n": args.n, "load": round(os.getloadavg()[0], 2)}
        for name, corpus in (("full", base), ("add_one", plus)):
            out[name] = timed_build(corpus, data, args.jobs)
        out["ratio_wall"] = round(out["add_one"]["wall"] / out["full"]["wall"], 3)
        out["ratio_cpu"] = round(out["add_one"]["cpu"] / out["full"]["cpu"], 3)
        out["load_after"] = round(os.getloadavg()[0], 2)
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
