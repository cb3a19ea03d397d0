#!/usr/bin/env python3
"""Score `kg` on material it was not developed on, without touching the repository's corpus or graph.

Usage:
    eval_heldout.py [--kg PATH] [--keep] [--json] [--by-type] [--show-misses N]

In a temporary directory it copies corpus/, adds the six held-out documents of tests/data/heldout/docs/
with `kg add` and their metadata (documents.json), builds the graph there, and runs
`kg ask --batch FILE --json` on three question sets:
    own-tune       tests/data/questions-own-tune.jsonl      (questions on the four corpus plans; may be read)
    own-heldout    tests/data/questions-own-heldout.jsonl   (the other half; never read while developing)
    heldout-docs   tests/data/heldout/questions.jsonl       (questions on the six held-out documents)
Only {"id", "q"} of each question reaches `kg`. Answers are scored with tests/tools/score_questions.py:
accuracy over all questions, and precision over the answers given (status "answered").
If tests/tools/score_extraction.py is present, `kg facts` of the same build is scored against the careful
annotation of the held-out documents (tests/data/heldout/reading/).

What `kg add` cannot do yet (for instance --county) is said in the output and worked around: the
metadata is written into the temporary documents.json instead, where a builder that reads it finds it.
--show-misses N lists misses of the own-tune set only: the held-out sets are scored, never shown.
--keep keeps the temporary directory (its path is printed); --json prints one JSON object instead.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tests" / "tools"
HELDOUT = REPO / "tests" / "data" / "heldout"
SETS = (
    ("own-tune", REPO / "tests" / "data" / "questions-own-tune.jsonl"),
    ("own-heldout", REPO / "tests" / "data" / "questions-own-heldout.jsonl"),
    ("heldout-docs", HELDOUT / "questions.jsonl"),
)
SHOWABLE = {"own-tune"}
ADD_METADATA = (("--title", "title"), ("--date", "date"), ("--doc-number", "doc_number"), ("--issuer", "issuer"),
                ("--county", "county"))
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


class EvalError(Exception):
    """A failure that ends the evaluation; printed in Chinese and English, exit code 1."""


def load_module(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise EvalError(f"无法载入 / cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(cmd: list[str], timeout: float = 900) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except FileNotFoundError as e:
        raise EvalError(f"找不到可执行文件 / no such executable: {cmd[0]}") from e
    except subprocess.TimeoutExpired as e:
        raise EvalError(f"超时 / timed out after {timeout:.0f} s: {' '.join(cmd[:3])} …") from e


def first_line(text: str) -> str:
    lines = [line.strip() for line in _ANSI.sub("", text).splitlines() if line.strip()]
    return lines[-1] if lines else ""


def add_options(kg: str) -> set[str]:
    """The options `kg add` accepts, read from its --help (so a new option is used as soon as it exists)."""
    help_text = _ANSI.sub("", run([kg, "add", "--help"]).stdout)
    return set(re.findall(r"--[a-z][a-z-]+", help_text))


def add_documents(kg: str, corpus: Path, data: Path, notes: list[str]) -> int:
    """`kg add` each held-out document into the temporary corpus; returns how many were added."""
    entries = json.loads((HELDOUT / "docs" / "documents.json").read_text(encoding="utf-8"))
    options = add_options(kg)
    added, without_county = 0, []
    for entry in entries:
        city = entry.get("city") or entry.get("file_under_city")
        if entry.get("city") is None and city:
            notes.append(f"{entry['file']}: a provincial document; `kg add` needs --city, so it is added under {city}")
        cmd = [kg, "add", str(HELDOUT / "docs" / entry["file"]), "--city", city, "--province", entry["province"],
               "--corpus", str(corpus)]
        if "--data-dir" in options:  # own plans live in the data directory: the one the build reads
            cmd += ["--data-dir", str(data)]
        for option, key in ADD_METADATA:
            if not entry.get(key):
                continue
            if option in options:
                cmd += [option, str(entry[key])]
            elif option == "--county":
                without_county.append(entry["file"])
        result = run(cmd)
        if result.returncode != 0:
            notes.append(f"kg add {entry['file']} failed (exit {result.returncode}): "
                         f"{first_line(result.stderr or result.stdout)}")
            continue
        added += 1
    if without_county:
        notes.append("kg add has no --county yet: " + ", ".join(without_county)
                     + " added under their city; their county is written into the temporary documents.json only")
    record_counties(corpus / "documents.json", entries)
    return added


def record_counties(path: Path, entries: list[dict]) -> None:
    """Keep the county of county documents in the corpus metadata, whatever `kg add` wrote."""
    counties = {e["file"]: e["county"] for e in entries if e.get("county")}
    if not path.exists() or not counties:
        return
    metadata = json.loads(path.read_text(encoding="utf-8"))
    for row in metadata:
        if row.get("file") in counties and not row.get("county"):
            row["county"] = counties[row["file"]]
    path.write_text(json.dumps(metadata, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def ask(kg: str, data: Path, questions: list[dict], work: Path, name: str, notes: list[str]) -> tuple[dict, float]:
    """Run `kg ask --batch` on the questions (id and wording only); returns replies by id and seconds."""
    batch = work / f"{name}.batch.jsonl"
    batch.write_text("".join(json.dumps({"id": q["id"], "q": q["q"]}, ensure_ascii=False) + "\n"
                             for q in questions), encoding="utf-8")
    started = time.perf_counter()
    result = run([kg, "ask", "--batch", str(batch), "--json", "--data-dir", str(data)])
    seconds = time.perf_counter() - started
    (work / f"{name}.answers.jsonl").write_text(result.stdout, encoding="utf-8")
    replies = {}
    for line in result.stdout.splitlines():
        try:
            reply = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(reply, dict) and "id" in reply:
            replies[reply["id"]] = reply
    if result.returncode != 0:
        notes.append(f"kg ask on {name} exited {result.returncode}: {first_line(result.stderr)}")
    if len(replies) < len(questions):
        notes.append(f"kg ask on {name}: {len(questions) - len(replies)} of {len(questions)} questions got no reply")
    return replies, seconds


def score_set(scorer: ModuleType, questions: list[dict], replies: dict) -> dict:
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    answered = right = 0
    misses = []
    for q in questions:
        reply = replies.get(q["id"])
        ok = bool(scorer.correct(q, reply))
        by_type[q.get("type", "?")][0] += ok
        by_type[q.get("type", "?")][1] += 1
        if reply and reply.get("status") == "answered":
            answered += 1
            right += ok
        if not ok:
            misses.append((q, reply))
    good = sum(v[0] for v in by_type.values())
    return {"questions": len(questions), "right": good, "accuracy": good / len(questions) if questions else None,
            "answered": answered, "answered_right": right, "answered_wrong": answered - right,
            "precision": right / answered if answered else None,
            "by_type": {k: {"right": v[0], "total": v[1]} for k, v in sorted(by_type.items())}, "_misses": misses}


def score_extraction(kg: str, data: Path, work: Path, notes: list[str]) -> dict | None:
    scorer_path = TOOLS / "score_extraction.py"
    if not scorer_path.exists():
        notes.append("tests/tools/score_extraction.py is not in this checkout: extraction not scored")
        return None
    facts = work / "facts.jsonl"
    result = run([kg, "facts", "--data-dir", str(data), "-o", str(facts)])
    if result.returncode != 0 or not facts.exists():
        notes.append(f"kg facts failed (exit {result.returncode}): {first_line(result.stderr)}; extraction not scored")
        return None
    plans = sorted({p.name[:3] for p in (HELDOUT / "reading").glob("[0-9][0-9][0-9]-*.jsonl")})
    if not plans:
        notes.append(f"no reading in {HELDOUT / 'reading'}: extraction not scored")
        return None
    result = run([sys.executable, str(scorer_path), str(HELDOUT / "reading"), str(facts), "--plans", ",".join(plans),
                  "--json"])
    if result.returncode != 0:
        notes.append(f"score_extraction.py failed (exit {result.returncode}): {first_line(result.stderr)}")
        return None
    table = run([sys.executable, str(scorer_path), str(HELDOUT / "reading"), str(facts), "--plans", ",".join(plans)])
    return {"scores": json.loads(result.stdout), "table": table.stdout.rstrip()}


def fmt(ratio: float | None) -> str:
    return "  n/a" if ratio is None else f"{ratio:.3f}"


def render(report: dict, by_type: bool, show_misses: int) -> str:
    lines = [f"kg: {report['kg']}", f"build: {report['build']}"]
    lines += [f"note: {note}" for note in report["notes"]]
    lines.append("")
    lines.append(f"{'set':14s} {'questions':>9s}  {'accuracy':18s} {'answered':>8s} {'right':>6s} {'wrong':>6s}  "
                 f"{'precision':9s} {'seconds':>7s}")
    for name, s in report["sets"].items():
        lines.append(f"{name:14s} {s['questions']:9d}  {fmt(s['accuracy'])} ({s['right']}/{s['questions']})".ljust(44)
                     + f"{s['answered']:8d} {s['answered_right']:6d} {s['answered_wrong']:6d}  "
                     f"{fmt(s['precision']):9s} {s['seconds']:7.1f}")
    if by_type:
        for name, s in report["sets"].items():
            lines.append(f"\n{name} by type:")
            lines += [f"  {kind:14s} {v['right']:4d}/{v['total']:<4d} {v['right'] / v['total']:.2f}"
                      for kind, v in s["by_type"].items()]
    if show_misses:
        for name, s in report["sets"].items():
            if name not in SHOWABLE:
                continue
            lines.append(f"\n{name} misses (held-out sets are never shown):")
            for q, reply in s["_misses"][:show_misses]:
                got = None if reply is None else [a.get("text") for a in reply.get("answers") or []]
                status = None if reply is None else reply.get("status")
                lines.append(f"  MISS {q['id']} {q['q']} gold={q['answer']} got={got} status={status}")
    if report.get("extraction"):
        lines.append("\nextraction of the held-out documents (tests/tools/score_extraction.py, annotation in "
                     "tests/data/heldout/reading/):")
        lines.append(report["extraction"]["table"])
    return "\n".join(lines)


def evaluate(kg: str, work: Path, notes: list[str]) -> dict:
    corpus, data = work / "corpus", work / "data"
    shutil.copytree(REPO / "corpus", corpus)
    added = add_documents(kg, corpus, data, notes)
    result = run([kg, "build", "--corpus", str(corpus), "--data-dir", str(data), "-q"])
    if result.returncode != 0:
        reason = first_line(result.stderr or result.stdout)
        raise EvalError(f"kg build 失败 / failed (exit {result.returncode}): {reason}")
    scorer = load_module("score_questions", TOOLS / "score_questions.py")
    report: dict = {"kg": kg, "build": f"{added} held-out documents added; {first_line(result.stdout)}",
                    "notes": notes, "sets": {}}
    for name, path in SETS:
        questions = scorer.load(str(path))
        replies, seconds = ask(kg, data, questions, work, name, notes)
        report["sets"][name] = score_set(scorer, questions, replies) | {"seconds": seconds}
    report["extraction"] = score_extraction(kg, data, work, notes)
    return report


def main(argv: list[str]) -> int:
    global HELDOUT, SETS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kg", default=str(REPO / ".venv" / "bin" / "kg"), help="the kg executable")
    parser.add_argument("--heldout", type=Path, default=HELDOUT, metavar="DIR",
                        help="another directory of documents in the same layout (docs/, questions.jsonl, reading/)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--by-type", action="store_true", help="accuracy per question type")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N", help="misses of the own-tune set only")
    args = parser.parse_args(argv)
    HELDOUT = args.heldout.resolve()
    SETS = (*SETS[:2], ("heldout-docs", HELDOUT / "questions.jsonl"))
    if not Path(args.kg).exists() and shutil.which(args.kg) is None:
        print(f"error: 找不到 kg / no kg executable at {args.kg}", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="kg-heldout-"))
    notes: list[str] = []
    try:
        report = evaluate(args.kg, work, notes)
    except EvalError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            notes.append(f"temporary directory kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        for s in report["sets"].values():
            s.pop("_misses", None)
        print(json.dumps(report, ensure_ascii=False, indent=1))
    else:
        print(render(report, args.by_type, args.show_misses))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
