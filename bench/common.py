"""Helpers shared by the benchmarks: timing, peak memory, the machine's description, example params."""

from __future__ import annotations

import json
import math
import os
import platform
import re
import resource
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
PY = sys.executable


def log(message: str) -> None:
    """Progress goes to stderr so stdout stays the markdown report."""
    print(message, file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def median_time(fn: Callable[[], object], runs: int, warmup: int = 1,
                budget: float = 60.0) -> tuple[float, object, int]:
    """Median seconds over `runs` calls after `warmup` calls; fewer runs when one call exceeds the budget/runs
    (a 30 s rdflib query is reported from the runs that fit, not repeated five times)."""
    value = None
    first = None
    for _ in range(warmup):
        first, value = timed(fn)
    times = []
    for _ in range(runs):
        t, value = timed(fn)
        times.append(t)
        if sum(times) + (first or 0) > budget:
            break
    return statistics.median(times), value, len(times)


def geomean(values: list[float]) -> float:
    values = [v for v in values if v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def dir_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def machine() -> dict[str, str]:
    import pyoxigraph
    import rdflib

    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"CPUs": str(os.cpu_count()), "CPU model": cpu or platform.processor(), "RAM": mem,
            "OS": platform.platform(), "Python": platform.python_version(),
            "pyoxigraph": pyoxigraph.__version__, "rdflib": rdflib.__version__}


def machine_markdown() -> str:
    return "\n".join(f"- **{k}**: {v}" for k, v in machine().items())


def example_params(query) -> dict[str, str]:
    """A library query's parameters from its first `# example:` line (`--param k=v`), else each param's e.g."""
    for example in query.examples:
        words = shlex.split(example)
        values = {}
        for i, w in enumerate(words):
            if w == "--param" and i + 1 < len(words):
                name, _, value = words[i + 1].partition("=")
                values[name] = value
        if values or example:
            return values
    return {p.name: p.example for p in query.params if p.example}


def run_child(args: list[str], timeout: float | None = None) -> dict:
    """Run a benchmark step in a fresh interpreter (so peak RSS is its own); it prints one JSON line last."""
    proc = subprocess.run([PY, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def row_count(rows) -> int:
    return sum(1 for _ in rows)


def sanitize(text: str) -> str:
    """Markdown table cells: no pipes or newlines."""
    return re.sub(r"[|\n]", " ", text)
