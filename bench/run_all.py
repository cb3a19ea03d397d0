"""Run every benchmark and write bench/results.md (machine, command, figures). Asserts nothing.

Usage: .venv/bin/python bench/run_all.py [--quick] [--out bench/results.md]
  --quick  small sizes (30 synthetic plans, a small national graph): a few minutes instead of ~half an hour
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PY, REPO, log, machine_markdown  # noqa: E402

BENCH = Path(__file__).resolve().parent


def run(script: str, *args: str) -> tuple[str, float]:
    """A benchmark's markdown (its stdout); its progress goes through to our stderr."""
    log(f"=== {script} {' '.join(args)}")
    start = time.perf_counter()
    proc = subprocess.run([PY, str(BENCH / script), *args], stdout=subprocess.PIPE, text=True, cwd=REPO)
    seconds = time.perf_counter() - start
    out = proc.stdout
    if proc.returncode != 0:
        out += f"\n**{script} exited with status {proc.returncode}** (see the run's stderr).\n"
    return out, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH / "results.md")
    args = parser.parse_args()
    quick = ["--quick"] if args.quick else []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    total = time.perf_counter()
    sections: list[tuple[str, float]] = []

    command = f".venv/bin/python bench/run_all.py{' --quick' if args.quick else ''}"

    def write(done: bool) -> None:
        """Rewritten after each benchmark, so an interrupted run keeps what it measured."""
        parts = ["# Benchmark results\n",
                 f"Produced by `{command}` (or `make bench`), started {started}, "
                 f"{(time.perf_counter() - total) / 60:.1f} min in all{'' if done else ' so far (incomplete)'}. "
                 "The machine was shared with other jobs while it ran, so absolute times are upper bounds; "
                 "the ratios between engines timed back to back are the steadier figures.\n",
                 "## Machine\n", machine_markdown(), ""]
        for text, seconds in sections:
            parts.append(text.rstrip() + "\n")
            if seconds:
                parts.append(f"*(this benchmark took {seconds / 60:.1f} min)*\n")
        args.out.write_text("\n".join(parts), encoding="utf-8")

    sections.append(run("bench_build.py", *quick))
    write(False)
    # The synthetic corpus bench_build just built is the ≥ 1 M-quad graph of the SPARQL comparison.
    synth = Path("/tmp/kg-bench-build/data-synth")
    sparql_args = [*quick, "--synthetic-data-dir", str(synth)] if synth.exists() and not args.quick else quick
    sections.append(run("bench_sparql.py", *sparql_args))
    write(False)
    sections.append(run("bench_national.py", *quick))
    write(False)

    ask_out = subprocess.run([PY, str(BENCH / "bench_ask.py"), "--data-dir", "/tmp/kg-bench-sparql/data-real"],
                             capture_output=True, text=True, cwd=REPO)
    sections.append(("## kg ask on the real corpus (bench/bench_ask.py)\n\n```\n" + ask_out.stdout.strip()
                     + ("\n" + ask_out.stderr.strip()[-500:] if ask_out.returncode else "") + "\n```\n", 0.0))
    write(True)
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
