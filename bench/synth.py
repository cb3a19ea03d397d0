"""Synthetic plans for benchmarks: the real plans' sentences re-written for other cities of the gazetteer.

Each synthetic plan takes one real plan (round robin, seeded) and rewrites its place names: the plan's
city → the target city, its counties → the target's counties (seeded shuffle), its province → the
target's province, each in the form the plan used (full name, alias → full name, short name → short
name). Institution names are place + distinctive part + institution noun, so 梧州市红十字会医院 becomes
柳州市红十字会医院 with the same noun; other places (referral centres in other provinces) are kept.
Everything else — sentence patterns, tables, headings, PDF damage — is the real plan's.

Usage: .venv/bin/python bench/synth.py OUT_DIR [--n 334] [--seed 7]   (writes OUT_DIR/*.txt + documents.json)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg.corpus import Plan, load_corpus  # noqa: E402
from kg.gazetteer import Gazetteer, Region  # noqa: E402
from kg.paths import REPO_DIR  # noqa: E402

CORPUS_DIR = REPO_DIR / "corpus"


def _form(target: Region, kind: str) -> str:
    """The target's name in the form the source used (a short name only when the target has one)."""
    if kind == "short" and target.short_names:
        return target.short_names[0]
    return target.name


def _mapping(gaz: Gazetteer, source: Region, target: Region, rng: random.Random) -> dict[str, Region]:
    """Source region code → target region: city, province, and each county onto a shuffled target county."""
    out = {source.code: target}
    src_prov, tgt_prov = gaz.province_of(source.code), gaz.province_of(target.code)
    if src_prov and tgt_prov:
        out[src_prov.code] = tgt_prov
    targets = gaz.counties_of(target.code)
    rng.shuffle(targets)
    for i, county in enumerate(sorted(gaz.counties_of(source.code), key=lambda r: r.code)):
        out[county.code] = targets[i % len(targets)] if targets else target
    return out


def rewrite(text: str, gaz: Gazetteer, mapping: dict[str, Region]) -> str:
    """Replace every mention of a mapped region (full, alias or short form) by its target's name."""
    parts, last = [], 0
    for m in gaz.find(text, short=True):
        regions = (m.region,) if m.region is not None else m.candidates
        target = next((mapping[r.code] for r in regions if r.code in mapping), None)
        if target is None:
            continue
        parts.append(text[last:m.start])
        parts.append(_form(target, m.kind))
        last = m.end
    parts.append(text[last:])
    return "".join(parts)


def _replace_names(value: str | None, gaz: Gazetteer, mapping: dict[str, Region]) -> str | None:
    return rewrite(value, gaz, mapping) if value else value


def synthesize(out_dir: Path, n: int | None = None, seed: int = 7, corpus_dir: Path = CORPUS_DIR) -> list[dict]:
    """Write `n` synthetic plans (default: one per prefecture-level city) and their documents.json."""
    gaz = Gazetteer.load()
    rng = random.Random(seed)
    plans: list[Plan] = load_corpus(corpus_dir)
    cities = sorted((r for r in gaz if r.level == "city"), key=lambda r: r.code)
    rng.shuffle(cities)
    cities = cities[:n] if n is not None else cities
    out_dir.mkdir(parents=True, exist_ok=True)
    records = []
    for i, target in enumerate(cities):
        plan = plans[(i + seed) % len(plans)]
        source = gaz.resolve(plan.meta.city)
        if source is None:
            continue
        mapping = _mapping(gaz, source, target, rng)
        text = rewrite(plan.text, gaz, mapping)
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        name = f"{i:03d}_{digest}.txt"
        (out_dir / name).write_text(text, encoding="utf-8")
        province = gaz.province_of(target.code)
        records.append({
            "file": name, "city": target.name, "province": province.name if province else target.name,
            "title": _replace_names(plan.meta.title, gaz, mapping),
            "issuer": _replace_names(plan.meta.issuer, gaz, mapping),
            "doc_number": None, "date": plan.meta.date,
            "note": f"synthetic (bench/synth.py, seed {seed}) from {plan.meta.file}",
        })
    (out_dir / "documents.json").write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=None, help="number of plans (default: every prefecture-level city)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    records = synthesize(args.out_dir, args.n, args.seed)
    chars = sum(len((args.out_dir / r["file"]).read_text(encoding="utf-8")) for r in records)
    print(f"{len(records)} synthetic plans, {chars:,} characters → {args.out_dir}")


if __name__ == "__main__":
    main()
