#!/usr/bin/env python3
"""Score institution names on the imaginary short documents of other places in tests/data/short-docs.

Usage: score_short_docs.py [--show] [--only tuned|untuned] [--dir DIR]

Builds the shipped plans together with the short documents (as a user's `kg add` of each would, with
its city, province and county) into a temporary data directory, then compares the institutions
`kg facts` gives for each document with the reader's expectation in expected.json: recall over the
expected names, precision over the names found (a found institution is right when its name or one of
its aliases is an expected name or alias; names the reader left open, `neutral`, are not counted), and
how many of the right ones stand in the expected city and county. --show lists misses and wrong names.

Where the reader also wrote the document's relations (`relations`: [s, p, o] between expected names) and
roles (`roles`: [name, words of the role]), the instance relations `kg facts` gives for the document are
scored too: relation recall over the expected triples (cooperates and integrated_with either way round),
relation precision over the found instance relations other than roles whose ends are both expected
institutions (a unit's member_of its expected parent is the parent link, not counted), and role recall
(a has_role, responsible_for or upgrade_to of the institution whose object holds the words, or is held
in them).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "tests" / "data" / "short-docs"


def load_expected(docs: Path = DOCS) -> dict[str, dict]:
    return json.loads((docs / "expected.json").read_text(encoding="utf-8"))


def build_facts(expected: dict[str, dict], files: list[str] | None = None, docs: Path = DOCS) -> list[dict]:
    """Institution facts of the shipped plans and the short documents, built together."""
    sys.path.insert(0, str(REPO))
    from kg.build import build
    from kg.facts import institution_facts, relation_facts
    from kg.store import open_store

    tmp = Path(tempfile.mkdtemp(prefix="kg-short-docs-"))
    corpus = tmp / "docs"
    corpus.mkdir()
    meta = []
    for file, doc in expected.items():
        if files is not None and file not in files:
            continue
        (corpus / file).write_text((docs / file).read_text(encoding="utf-8"), encoding="utf-8")
        record = {"file": file, "city": doc["city"], "province": doc["province"], "title": doc["title"]}
        if doc.get("county"):
            record["county"] = doc["county"]
        meta.append(record)
    (corpus / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    build([REPO / "corpus", corpus], tmp / "data")
    store = open_store(tmp / "data")
    return [*institution_facts(store), *relation_facts(store)]


def _in_doc(fact: dict, file: str) -> bool:
    return any(s.get("source_file", s["doc"]) == file for s in fact["sources"])


def of_doc(facts: list[dict], file: str) -> dict[str, dict]:
    return {f["name"]: f for f in facts if f["type"] == "institution" and _in_doc(f, file)}


def relations_of_doc(facts: list[dict], file: str) -> list[dict]:
    return [f for f in facts if f["type"] == "relation" and f["scope"] == "instance" and _in_doc(f, file)]


ROLE_PREDICATES = {"has_role", "responsible_for", "upgrade_to"}
SYMMETRIC = {"cooperates", "integrated_with"}


def score_relations(doc: dict, found: dict[str, dict], relations: list[dict]) -> dict:
    """Relations and roles of one document against the reader's (empty when the reader wrote none)."""
    if "relations" not in doc:
        return {}
    expected = doc["expected"]
    alias_of = {a: n for n, names in doc.get("aliases", {}).items() for a in names}

    def target(name: str) -> str | None:
        names = [name, *found[name]["aliases"]] if name in found else [name]
        for n in names:
            if n in expected:
                return n
            if n in alias_of:
                return alias_of[n]
        return None

    want = {tuple(t) for t in doc["relations"]}
    # a campus's or branch's membership of its parent is how the graph writes the parent link, scored
    # with the names (parents), neither right nor wrong here
    parent_links = {(unit, "member_of", parent) for unit, parent in doc.get("parents", {}).items()}
    hits, wrong = set(), []
    for r in relations:
        if r["p"] in ROLE_PREDICATES:
            continue
        s, o = target(r["s"]), target(r["o"])
        if s is None or o is None:
            continue
        t = (s, r["p"], o)
        if t in parent_links:
            continue
        if t not in want and r["p"] in SYMMETRIC:
            t = (o, r["p"], s)
        if t in want:
            hits.add(t)
        else:
            wrong.append("→".join((r["s"], r["p"], r["o"])))
    roles_hit = []
    for name, words in doc.get("roles", []):
        if any(r["p"] in ROLE_PREDICATES and target(r["s"]) == name and (words in r["o"] or r["o"] in words)
               for r in relations):
            roles_hit.append((name, words))
    return {"rel_expected": len(want), "rel_recalled": len(hits), "rel_found": len(hits) + len(wrong),
            "rel_right": len(hits), "rel_missed": sorted("→".join(t) for t in want - hits), "rel_wrong": sorted(wrong),
            "roles_expected": len(doc.get("roles", [])), "roles_recalled": len(roles_hit),
            "roles_missed": sorted("：".join(r) for r in map(tuple, doc.get("roles", [])) if r not in roles_hit)}


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
    ap.add_argument("--dir", type=Path, default=DOCS,
                    help="a directory of documents with their expected.json (default tests/data/short-docs)")
    args = ap.parse_args(argv)
    expected = load_expected(args.dir)
    if args.only:
        expected = {f: d for f, d in expected.items() if d["tuned"] == (args.only == "tuned")}
    facts = build_facts(expected, docs=args.dir)
    totals: dict[bool, dict[str, int]] = {}
    rel_totals: dict[bool, dict[str, int]] = {}
    print(f"{'document':24} {'set':8} {'R':>13} {'P':>13} {'place':>9}")
    for file, doc in expected.items():
        found = of_doc(facts, file)
        s = score(doc, found)
        rel = score_relations(doc, found, relations_of_doc(facts, file))
        t = totals.setdefault(doc["tuned"], {"expected": 0, "recalled": 0, "found": 0, "right": 0, "placed": 0})
        for k in t:
            t[k] += s[k]
        tag = "tuned" if doc["tuned"] else "untuned"
        r = s["recalled"] / s["expected"] if s["expected"] else 1.0
        p = s["right"] / s["found"] if s["found"] else 1.0
        print(f"{file:24} {tag:8} {r:5.2f} ({s['recalled']:2}/{s['expected']:2})"
              f" {p:5.2f} ({s['right']:2}/{s['found']:2}) {s['placed']:3}/{s['recalled']:<3}")
        if rel:
            rt = rel_totals.setdefault(doc["tuned"], dict.fromkeys(REL_KEYS, 0))
            for k in REL_KEYS:
                rt[k] += rel[k]
            print(f"{'':24} {'relations':8} {_ratio(rel['rel_recalled'], rel['rel_expected'])}"
                  f" {_ratio(rel['rel_right'], rel['rel_found'])}"
                  f"   roles {_ratio(rel['roles_recalled'], rel['roles_expected'])}")
        if args.show:
            for key in ("rel_missed", "rel_wrong", "roles_missed"):
                if rel.get(key):
                    print(f"    {key}: {'、'.join(rel[key])}")
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
    for tuned, t in rel_totals.items():
        print(f"{'relations':24} {'tuned' if tuned else 'untuned':8} {_ratio(t['rel_recalled'], t['rel_expected'])}"
              f" {_ratio(t['rel_right'], t['rel_found'])}   roles {_ratio(t['roles_recalled'], t['roles_expected'])}")
    return 0


REL_KEYS = ("rel_expected", "rel_recalled", "rel_found", "rel_right", "roles_expected", "roles_recalled")


def _ratio(n: int, d: int) -> str:
    return f"{(n / d if d else 1.0):5.2f} ({n:2}/{d:2})"


if __name__ == "__main__":
    sys.exit(main())
