#!/usr/bin/env python3
"""Score institution names on the imaginary short documents of other places in tests/data/short-docs.

Usage: score_short_docs.py [--show] [--only tuned|untuned]

Builds the shipped plans together with the short documents (as a user's `kg add` of each would, with
its city, province and county) into a temporary data directory, then compares the institutions
`kg facts` gives for each document with the reader's expectation in expected.json: recall over the
expected names, precision over the names found (a found institution is right when its name or one of
its aliases is an expected name or alias; names the reader left open, `neutral`, are not counted), and
how many of the right ones stand in the expected city and county. --show lists misses and wrong names.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "tests" / "data" / "short-docs"


def load_expected() -> dict[str, dict]:
    return json.loads((DOCS / "expected.json").read_text(encoding="utf-8"))


def build_facts(expected: dict[str, dict], files: list[str] | None = None) -> list[dict]:
    """Institution facts of the shipped plans and the short documents, built together."""
    sys.path.insert(0, str(REPO))
    from kg.build import build
    from kg.facts import institution_facts
    from kg.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="kg-short-docs-"))
    corpus = tmp / "docs"
    corpus.mkdir()
    meta = []
    for file, doc in expected.items():
        if files is not None and file not in files:
            continue
        (corpus / file).write_text((DOCS / file).read_text(encoding="utf-8"), encoding="utf-8")
        record = {"file": file, "city": doc["city"], "province": doc["province"], "title": doc["title"]}
        if doc.get("county"):
            record["county"] = doc["county"]
        meta.append(record)
    (corpus / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    build([REPO / "corpus", corpus], tmp / "data")
    return list(institution_facts(open_store(tmp / "data")))


def of_doc(facts: list[dict], file: str) -> dict[str, dict]:
    return {f["name"]: f for f in facts if any(s.get("source_file", s["doc"]) == file for s in f["sources"])}


def score(doc: dict, found: dict[str, dict]) -> dict:
    expected = doc["expected"]
    alias_of = {a: n for n, names in doc.get("aliases", {}).items() for a in names}
    neutral = set(doc.get("neutral", []))

    def target(fact: dict) -> str | None:
        for name in [fact["name"], *fact["aliases"]]:
            if name in expected:
                return name
            if name in alias_of:
                return alias_of[name]
        return None

    hits: dict[str, dict] = {}
    wrong, open_ = [], []
    for name, fact in found.items():
        t = target(fact)
        if t is not None:
            hits[t] = fact
        elif name in neutral or set(fact["aliases"]) & neutral:
            open_.append(name)
        else:
            wrong.append(name)
    right = len([n for n, f in found.items() if target(f) is not None])
    placed = [n for n, f in hits.items() if (f["city"], f["county"]) == tuple(expected[n])]
    misplaced = {n: (f["city"], f["county"], tuple(expected[n])) for n, f in hits.items() if n not in placed}
    return {"expected": len(expected), "recalled": len(hits), "found": right + len(wrong), "right": right,
            "placed": len(placed), "missed": sorted(set(expected) - set(hits)), "wrong": sorted(wrong),
            "misplaced": misplaced, "neutral": sorted(open_)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="list misses, wrong names and misplaced ones")
    ap.add_argument("--only", choices=("tuned", "untuned"))
    args = ap.parse_args(argv)
    expected = load_expected()
    if args.only:
        expected = {f: d for f, d in expected.items() if d["tuned"] == (args.only == "tuned")}
    facts = build_facts(expected)
    totals: dict[bool, dict[str, int]] = {}
    print(f"{'document':24} {'set':8} {'R':>13} {'P':>13} {'place':>9}")
    for file, doc in expected.items():
        s = score(doc, of_doc(facts, file))
        t = totals.setdefault(doc["tuned"], {"expected": 0, "recalled": 0, "found": 0, "right": 0, "placed": 0})
        for k in t:
            t[k] += s[k]
        tag = "tuned" if doc["tuned"] else "untuned"
        r = s["recalled"] / s["expected"] if s["expected"] else 1.0
        p = s["right"] / s["found"] if s["found"] else 1.0
        print(f"{file:24} {tag:8} {r:5.2f} ({s['recalled']:2}/{s['expected']:2})"
              f" {p:5.2f} ({s['right']:2}/{s['found']:2}) {s['placed']:3}/{s['recalled']:<3}")
        if args.show:
            for key in ("missed", "wrong", "neutral"):
                if s[key]:
                    print(f"    {key}: {'、'.join(s[key])}")
            for n, (city, county, want) in s["misplaced"].items():
                print(f"    misplaced: {n} in {city}/{county}, expected {want[0]}/{want[1]}")
    for tuned, t in totals.items():
        r = t["recalled"] / t["expected"] if t["expected"] else 1.0
        p = t["right"] / t["found"] if t["found"] else 1.0
        print(f"{'all':24} {'tuned' if tuned else 'untuned':8} {r:5.2f} ({t['recalled']:2}/{t['expected']:2})"
              f" {p:5.2f} ({t['right']:2}/{t['found']:2}) {t['placed']:3}/{t['recalled']:<3}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
