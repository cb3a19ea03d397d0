"""Benchmark `kg build`: the tokenizer alone, one process, every core, and the extraction cache, side by side.

On the real corpus: the default build (every core, nothing cached), median of 3. On the synthetic corpus
(bench/synth.py, 334 plans unless --plans/--quick), in one run, each build in a fresh interpreter:

- the tokenizer alone on the same text (jieba on each plan's text, and the spaCy zh tokenizer —
  jieba plus the Doc — on each sentence, as the pipeline runs it): the physical floor of this design;
- `--jobs 1 --full`: the single-core path (one process reads every plan);
- `--jobs N --full`: plans read by a pool of N processes (default: the CPUs);
- the same corpus again, nothing changed (every plan from the cache);
- one plan added (`kg add` then `kg build`): one plan read, the registry, triples, store and inference
  redone for all;
- the two full builds' graphs compared (sha256 of their sorted N-Quads).

Times are `kg.build.build`'s wall time (corpus → pipeline → store → rules → publish), not interpreter
start-up. Peak RSS: the build's own process, and the largest of its worker processes.

Usage: .venv/bin/python bench/bench_build.py [--quick] [--plans N] [--jobs N]   (markdown report on stdout)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, log, peak_rss_mb, run_child  # noqa: E402

WORK = Path("/tmp/kg-bench-build")


def child_build(corpus: Path, data_dir: Path, jobs: int, full: bool) -> None:
    """One build, reported as a JSON line."""
    from kg.build import build
    from kg.corpus import load_corpus

    chars = sum(len(p.text) for p in load_corpus(corpus, parse=False))
    start = time.perf_counter()
    report = build(corpus, data_dir, jobs=jobs, full=full)
    seconds = time.perf_counter() - start
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"chars": chars, "seconds": seconds, "plans": report.plans, "sentences": report.sentences,
                      "from_cache": report.from_cache, "institutions": report.institutions, "quads": report.quads,
                      "peak_rss_mb": peak_rss_mb(), "worker_rss_mb": workers}))


def child_tokenize(corpus: Path) -> None:
    """jieba alone on each plan's text; the spaCy zh tokenizer (jieba + Doc) on each sentence."""
    import logging

    import jieba

    from kg.corpus import load_corpus
    from kg.pipeline.nlp import make_nlp

    jieba.setLogLevel(logging.WARNING)
    nlp = make_nlp()
    plans = load_corpus(corpus)
    chars = sum(len(p.text) for p in plans)
    start = time.perf_counter()
    for plan in plans:
        jieba.lcut(plan.text)
    jieba_s = time.perf_counter() - start
    texts = [s.norm.text for p in plans for s in p.sentences]
    start = time.perf_counter()
    for text in texts:
        nlp.make_doc(text)
    spacy_s = time.perf_counter() - start
    print(json.dumps({"chars": chars, "jieba_s": jieba_s, "sentence_chars": sum(map(len, texts)),
                      "spacy_s": spacy_s}))


def child_digest(data_dir: Path) -> None:
    """sha256 of the graph's sorted N-Quads (two graphs are the same when their digests are)."""
    from kg.store import open_store

    lines = sorted(str(q) for q in open_store(data_dir))
    print(json.dumps({"quads": len(lines), "sha256": hashlib.sha256("\n".join(lines).encode()).hexdigest()}))


def build_once(corpus: Path, data_dir: Path, jobs: int, full: bool, fresh: bool) -> dict:
    if fresh:
        shutil.rmtree(data_dir, ignore_errors=True)
    log(f"build {corpus.name} → {data_dir.name} (jobs {jobs}{', full' if full else ''}) …")
    return run_child([__file__, "--child-build", str(corpus), str(data_dir), str(jobs)] + (["--full"] if full else []))


def add_one_plan(synth_dir: Path, out: Path) -> str:
    """A copy of the synthetic corpus with one more plan (another seed's plan for a city), as `kg add` adds one."""
    from synth import synthesize

    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(synth_dir, out)
    extra_dir = WORK / "extra-plan"
    shutil.rmtree(extra_dir, ignore_errors=True)
    record = synthesize(extra_dir, 1, seed=99)[0]
    name = "extra_" + record["file"]
    shutil.copy(extra_dir / record["file"], out / name)
    records = json.loads((out / "documents.json").read_text(encoding="utf-8"))
    records.append({**record, "file": name})
    (out / "documents.json").write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return record["city"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="30 synthetic plans instead of every city")
    parser.add_argument("--plans", type=int, default=None, help="number of synthetic plans (default: 334, all cities)")
    parser.add_argument("--jobs", type=int, default=None, help="processes of the parallel build (default: the CPUs)")
    parser.add_argument("--child-build", nargs=3, metavar=("CORPUS", "DATA_DIR", "JOBS"), help=argparse.SUPPRESS)
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-tokenize", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-digest", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_build:
        corpus, data, jobs = args.child_build
        child_build(Path(corpus), Path(data), int(jobs), args.full)
        return
    if args.child_tokenize:
        child_tokenize(args.child_tokenize)
        return
    if args.child_digest:
        child_digest(args.child_digest)
        return
    from synth import synthesize

    from kg.build_extract import default_jobs

    jobs = args.jobs or default_jobs()
    WORK.mkdir(parents=True, exist_ok=True)
    real_runs = [build_once(REPO / "corpus", WORK / "data-real", jobs, True, True) for _ in range(3)]
    real = dict(real_runs[0], seconds=statistics.median(r["seconds"] for r in real_runs),
                peak_rss_mb=max(r["peak_rss_mb"] for r in real_runs))

    n = args.plans or (30 if args.quick else None)
    synth_dir = WORK / "synth-corpus"
    shutil.rmtree(synth_dir, ignore_errors=True)
    records = synthesize(synth_dir, n)
    log("tokenizer alone …")
    tok = run_child([__file__, "--child-tokenize", str(synth_dir)])
    single = build_once(synth_dir, WORK / "data-synth-1", 1, True, True)
    parallel = build_once(synth_dir, WORK / "data-synth", jobs, True, True)
    cached = build_once(synth_dir, WORK / "data-synth", jobs, False, False)
    log("graph digests …")
    digests = [run_child([__file__, "--child-digest", str(WORK / d)]) for d in ("data-synth-1", "data-synth")]
    plus_one = WORK / "synth-corpus-plus-one"
    city = add_one_plan(synth_dir, plus_one)
    added = build_once(plus_one, WORK / "data-synth-1", jobs, False, False)  # its cache: the single-core build's

    print("## kg build throughput\n")
    print(f"Parallel builds use {jobs} processes on this {default_jobs()}-CPU machine. Each build in a fresh "
          "process; seconds are the build's wall time; peak RSS of the build's process (and of its largest worker).\n")
    print("| corpus | build | runs | plans (from cache) | sentences | characters | seconds | chars/s | institutions "
          "| quads | peak RSS MB (worker) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")

    def row(label: str, how: str, r: dict, runs: int = 1) -> None:
        print(f"| {label} | {how} | {runs} | {r['plans']} ({r['from_cache']}) | {r['sentences']:,} | {r['chars']:,} "
              f"| {r['seconds']:.2f} | {r['chars'] / r['seconds']:,.0f} | {r['institutions']:,} | {r['quads']:,} "
              f"| {r['peak_rss_mb']:,.0f} ({r['worker_rss_mb']:,.0f}) |")

    row("real corpus (corpus/)", f"`--jobs {jobs}`, nothing cached (median)", real, 3)
    label = f"synthetic, {len(records)} plans (bench/synth.py)"
    row(label, "`--jobs 1 --full` (single core)", single)
    row(label, f"`--jobs {jobs} --full`", parallel)
    row(label, f"`--jobs {jobs}`, nothing changed", cached)
    row(label + " + 1", f"`--jobs {jobs}` after adding one plan ({city})", added)
    same = digests[0]["sha256"] == digests[1]["sha256"]
    print(f"\nTokenizer alone on the same text, one process: jieba on each plan's text "
          f"{tok['chars'] / tok['jieba_s']:,.0f} chars/s ({tok['jieba_s']:.1f} s); the spaCy zh tokenizer "
          f"(jieba + Doc) on each sentence {tok['sentence_chars'] / tok['spacy_s']:,.0f} chars/s "
          f"({tok['spacy_s']:.1f} s).\n")
    print(f"- every core vs one: **{single['seconds'] / parallel['seconds']:.2f}×** faster "
          f"({single['seconds']:.1f} s → {parallel['seconds']:.1f} s); the graphs are "
          f"{'identical' if same else 'DIFFERENT'} ({digests[0]['quads']:,} quads, sorted N-Quads sha256 "
          f"{digests[0]['sha256'][:12]}{'' if same else ' vs ' + digests[1]['sha256'][:12]}).")
    print(f"- nothing changed: {cached['seconds']:.1f} s, "
          f"{cached['seconds'] / parallel['seconds']:.0%} of the parallel full build, "
          f"{cached['seconds'] / single['seconds']:.0%} of the single-core one.")
    print(f"- one plan added: {added['seconds']:.1f} s ({added['plans'] - added['from_cache']} plan read), "
          f"{added['seconds'] / parallel['seconds']:.0%} of the parallel full build, "
          f"{added['seconds'] / single['seconds']:.0%} of the single-core one.")
    print(f"- the single-core build reads {single['chars'] / single['seconds']:,.0f} chars/s, "
          f"{single['chars'] / single['seconds'] / (tok['sentence_chars'] / tok['spacy_s']):.0%} of the tokenizer's "
          f"speed.")


if __name__ == "__main__":
    main()
