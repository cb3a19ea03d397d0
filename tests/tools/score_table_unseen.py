#!/usr/bin/env python3
"""Score tables whose rows are named units on the imaginary documents of tests/data/table-unseen.

Usage: score_table_unseen.py [--show] [--only tuned|untuned]

Builds the shipped plans with the documents (as `kg add` of each would, with its city, province and
county), then scores for each document: institutions and relations as tests/tools/score_short_docs.py
does, and the table figures: recall over the expected ones ([subject, measure, year, value, unit, a piece
of the row]: a figure hits when its subject (or an alias), measure, year, value and unit are the expected
ones and its quote holds the piece), precision over the figures read from a table row of the document
(a quote holding a tab) whose subject is no region of another document.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "tests" / "data" / "table-unseen"
sys.path.insert(0, str(REPO / "tests" / "tools"))
sys.path.insert(0, str(REPO))

from score_short_docs import of_doc, relations_of_doc, score, score_relations  # noqa: E402


def load_expected() -> dict[str, dict]:
    return json.loads((DOCS / "expected.json").read_text(encoding="utf-8"))


def build_facts(expected: dict[str, dict]) -> list[dict]:
    from kg.build import build
    from kg.facts import figure_facts, institution_facts, relation_facts
    from kg.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="kg-table-unseen-"))
    corpus = tmp / "docs"
    corpus.mkdir()
    meta = []
    for file, doc in expected.items():
        (corpus / file).write_text((DOCS / file).read_text(encoding="utf-8"), encoding="utf-8")
        record = {"file": file, "city": doc["city"], "province": doc["province"], "title": doc["title"]}
        if doc.get("county"):
            record["county"] = doc["county"]
        meta.append(record)
    (corpus / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    build([REPO / "corpus", corpus], tmp / "data")
    store = open_store(tmp / "data")
    return [*institution_facts(store), *relation_facts(store), *figure_facts(store)]


def table_figures_of_doc(facts: list[dict], file: str) -> list[dict]:
    return [f for f in facts if f["type"] == "figure"
            and any(s.get("source_file", s["doc"]) == file and "\t" in s["quote"] for s in f["sources"])]


def score_figures(doc: dict, found: list[dict]) -> dict:
    alias_of = {a: n for n, names in doc.get("aliases", {}).items() for a in names}

    def key(f: dict) -> tuple:
        return (alias_of.get(f["subject"], f["subject"]), f["measure"], f["year"], float(f["value"] or -1), f["unit"])

    want = {(s, m, y, float(v), u): piece for s, m, y, v, u, piece in doc.get("figures", [])}
    got: dict[tuple, list[str]] = {}
    for f in found:
        got.setdefault(key(f), []).extend(s["quote"] for s in f["sources"])
    hits = {k for k, piece in want.items() if k in got and any(piece in q for q in got[k])}
    wrong = sorted({k for k in got if k not in want}, key=str)
    return {"fig_expected": len(want), "fig_recalled": len(hits), "fig_found": len(got),
            "fig_right": len(got) - len(wrong), "fig_missed": sorted((k for k in want if k not in hits), key=str),
            "fig_wrong": wrong}


def _ratio(n: int, d: int) -> str:
    return f"{(n / d if d else 1.0):5.2f} ({n:2}/{d:2})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--show", action="store_true", help="list misses and wrong facts")
    ap.add_argument("--only", choices=("tuned", "untuned"))
    args = ap.parse_args(argv)
    expected = load_expected()
    if args.only:
        expected = {f: d for f, d in expected.items() if d["tuned"] == (args.only == "tuned")}
    facts = build_facts(expected)
    totals: dict[str, dict[str, int]] = {}
    print(f"{'document':22} {'set':8} {'names R':>13} {'names P':>13} {'rel R':>13} {'rel P':>13}"
          f" {'fig R':>13} {'fig P':>13}")
    for file, doc in expected.items():
        found = of_doc(facts, file)
        s = score(doc, found)
        rel = score_relations(doc, found, relations_of_doc(facts, file))
        fig = score_figures(doc, table_figures_of_doc(facts, file))
        tag = "tuned" if doc["tuned"] else "untuned"
        t = totals.setdefault(tag, {})
        for k, v in [*s.items(), *rel.items(), *fig.items()]:
            if isinstance(v, int):
                t[k] = t.get(k, 0) + v
        print(f"{file:22} {tag:8} {_ratio(s['recalled'], s['expected'])} {_ratio(s['right'], s['found'])}"
              f" {_ratio(rel['rel_recalled'], rel['rel_expected'])} {_ratio(rel['rel_right'], rel['rel_found'])}"
              f" {_ratio(fig['fig_recalled'], fig['fig_expected'])} {_ratio(fig['fig_right'], fig['fig_found'])}")
        if args.show:
            for name, d in (("missed", s), ("wrong", s), ("rel_missed", rel), ("rel_wrong", rel),
                            ("fig_missed", fig), ("fig_wrong", fig)):
                if d.get(name):
                    print(f"    {name}: " + "、".join(map(str, d[name])))
    for tag, t in totals.items():
        print(f"{'all':22} {tag:8} {_ratio(t['recalled'], t['expected'])} {_ratio(t['right'], t['found'])}"
              f" {_ratio(t['rel_recalled'], t['rel_expected'])} {_ratio(t['rel_right'], t['rel_found'])}"
              f" {_ratio(t['fig_recalled'], t['fig_expected'])} {_ratio(t['fig_right'], t['fig_found'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
