#!/usr/bin/env python3
"""Score `kg facts` output against a careful reader's annotation of the plans.

Usage:
    score_extraction.py ANNOTATION_DIR [FACTS.jsonl | -] [--plans 000,003] [--show-misses N]
                        [--json] [--with-inferred]

ANNOTATION_DIR holds, per plan NNN (the plan file's prefix, e.g. 003 for 003_effbe….txt), the files
NNN-institutions.jsonl, NNN-relations.jsonl, NNN-roles.jsonl, NNN-numbers.jsonl (the layout of
/work/shared/gold-example and tests/data/reading/; a missing file counts as an empty one). An
optional NNN-scope.json {"ranges": [[start, end], ...]} says which character ranges of the plan the
annotation covers; kg facts whose sources all lie outside them are then left out of precision.

FACTS is what `kg facts` prints (JSON lines); `-` reads stdin; without it the script runs `kg facts`
on the graph built in this checkout (`.kg/`). A kg fact belongs to plan NNN when one of its sources
is a document whose name starts with NNN. Relations marked "inferred" are left out unless
--with-inferred (the annotation is of what a plan states).

What is measured, per plan and over all plans (sums, not an average of ratios):
- institutions: recall over the annotated institutions, precision over kg's institutions from that
  plan. A kg institution matches an annotated one when its name equals the annotated name or one of
  its aliases after normalisation (full-width → half-width, whitespace, bracket and quote marks
  dropped; a name written 甲（乙） also stands for 甲 and for 乙; an alias 市X of a row whose city is
  某市 also stands for 某市X). Nothing looser.
- instance relations + roles: recall over the annotated instance-scope relations and roles together
  (also shown apart). A relation matches a kg relation with the same predicate whose subject and
  object match by name (normalised, annotation aliases resolved); refers_both matches either
  direction, and an annotated `refers` is also matched by a kg `refers_both` between the two.
  A role matches a kg has_role / responsible_for relation of that institution whose object contains
  the role text or is contained in it (normalised, punctuation dropped).
- class relations: recall, reported separately, matched like instance relations.
- figures: recall over the annotated figures: a kg figure matches when the subject matches by name
  or alias (a place also without its 省/市/县/区/自治区 suffix), one measure contains the other
  (normalised), the values are numerically equal and the years are equal (an annotated year of null
  matches any year). Precision is over the kg figures whose subject and measure match some annotated
  figure of the plan: right when year and value match one of those too.
--show-misses N lists up to N misses per plan and category (annotated items not found; for
institutions and figures also kg items counted wrong). --json prints one JSON object instead.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

CATEGORIES = ("institutions", "relations", "roles", "numbers")
ROLE_PREDICATES = {"has_role", "responsible_for"}
REQUIRED_KEYS = {
    "institutions": ("name", "aliases", "kind", "level", "planned", "doc", "quote"),
    "relations": ("s", "p", "o", "scope", "doc", "quote"),
    "roles": ("name", "role", "doc", "quote"),
    "numbers": ("subject", "measure", "year", "value", "unit", "doc", "quote"),
}
_NAME_DROP = re.compile(r"[\s\u3000()（）\[\]【】〔〕〈〉《》<>“”\"‘’'「」『』]+")
_TEXT_DROP = re.compile(r"[\s\u3000、，,。.；;：:！!？?（）()【】\[\]〔〕“”\"‘’'《》<>·•\-—_/…]+")
_BRACKETED = re.compile(r"[（(〔\[【]([^（）()〔〕\[\]【】]*)[）)〕\]】]")
_PLACE_SUFFIX = re.compile(r"(壮族自治区|回族自治区|维吾尔自治区|自治区|省|市|县|区)$")
_NOT_PLACE = re.compile(r"[院所站室校心会局部]")


class ScoreError(Exception):
    """A bad input: the message is printed in Chinese and English and the exit code is 2."""


# ---------------------------------------------------------------- normalisation

def norm_name(text: str) -> str:
    """Normalised form of a name: NFKC, lower case, no whitespace, no brackets or quote marks."""
    return _NAME_DROP.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def norm_text(text: str) -> str:
    """Normalised running text (roles, measures): like a name, and punctuation dropped too."""
    return _TEXT_DROP.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def name_variants(name: str) -> set[str]:
    """The forms a name may take: as written, and for 甲（乙） also 甲 and (when 4+ characters) 乙."""
    text = unicodedata.normalize("NFKC", str(name))
    variants = {norm_name(text)}
    inner = _BRACKETED.findall(text)
    if inner:
        variants.add(norm_name(_BRACKETED.sub("", text)))
        variants.update(norm_name(part) for part in inner if len(norm_name(part)) >= 4)
    return {v for v in variants if v}


def place_core(name: str) -> str | None:
    """A short name that may be a place, without its administrative suffix (广西壮族自治区 → 广西)."""
    n = norm_name(name)
    if not n or len(n) > 8 or _NOT_PLACE.search(n):
        return None
    core = _PLACE_SUFFIX.sub("", n)
    return core if len(core) >= 2 else n


def contains_either(a: str, b: str) -> bool:
    x, y = norm_text(a), norm_text(b)
    return bool(x) and bool(y) and (x in y or y in x)


def same_number(a: object, b: object) -> bool:
    try:
        x, y = float(a), float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))


def same_year(gold: object, got: object) -> bool:
    if gold in (None, ""):
        return True
    try:
        return got not in (None, "") and int(gold) == int(got)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(gold) == str(got)


# ---------------------------------------------------------------- names and aliases

def institution_names(inst: dict) -> list[str]:
    """An annotated institution's name and aliases; a short form 市X in a city's plan also stands for
    the city's full form (市疾控中心 in 赣州市's plan is 赣州市疾控中心)."""
    names = [inst["name"], *(inst.get("aliases") or [])]
    city = str(inst.get("city") or "")
    if city.endswith("市"):
        names += [city + n[1:] for n in names if n.startswith("市") and not n.startswith(city)]
    return names


@dataclass
class AliasIndex:
    """Resolves a name to keys: the annotated institution it names, else its own normalised forms."""

    by_variant: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, institutions: list[dict]) -> AliasIndex:
        index = cls()
        for number, inst in enumerate(institutions):
            for name in institution_names(inst):
                for variant in name_variants(name):
                    index.by_variant.setdefault(variant, number)
        return index

    def keys(self, name: str, places: bool = False) -> set[str]:
        variants = name_variants(name)
        keys = {f"inst:{self.by_variant[v]}" for v in variants if v in self.by_variant}
        keys |= {f"name:{v}" for v in variants}
        if places and (core := place_core(name)):
            keys.add(f"place:{core}")
        return keys

    def same(self, a: str, b: str, places: bool = False) -> bool:
        return bool(self.keys(a, places) & self.keys(b, places))


# ---------------------------------------------------------------- loading

def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise ScoreError(f"{path}:{number} 不是合法的 JSON / is not valid JSON: {e}") from e
            if not isinstance(row, dict):
                raise ScoreError(f"{path}:{number} 应为 JSON 对象 / should be a JSON object")
            rows.append(row)
    return rows


@dataclass
class PlanAnnotation:
    plan: str
    institutions: list[dict]
    relations: list[dict]
    roles: list[dict]
    numbers: list[dict]
    ranges: list[tuple[int, int]] | None = None


def annotated_plans(directory: Path) -> list[str]:
    return sorted({p.name[:3] for p in directory.glob("[0-9][0-9][0-9]-*.jsonl")})


def load_annotation(directory: Path, plan: str) -> PlanAnnotation:
    parts: dict[str, list[dict]] = {}
    for category in CATEGORIES:
        path = directory / f"{plan}-{category}.jsonl"
        rows = read_jsonl(path) if path.exists() else []
        for number, row in enumerate(rows, 1):
            missing = [k for k in REQUIRED_KEYS[category] if k not in row]
            if missing:
                raise ScoreError(f"{path} 第{number}行缺少字段 / row {number} lacks keys: {', '.join(missing)}")
        parts[category] = rows
    ranges = None
    scope = directory / f"{plan}-scope.json"
    if scope.exists():
        ranges = [(int(a), int(b)) for a, b in json.loads(scope.read_text(encoding="utf-8"))["ranges"]]
    return PlanAnnotation(plan, ranges=ranges, **parts)


def read_facts(source: str | None) -> list[dict]:
    if source is None:
        kg = shutil.which("kg") or str(Path(sys.executable).with_name("kg"))
        try:
            text = subprocess.run([kg, "facts"], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError) as e:
            raise ScoreError(f"无法运行 kg facts（先运行 kg build）/ cannot run `kg facts` (run `kg build` first): "
                             f"{e}") from e
        lines = text.splitlines()
        origin = "kg facts"
    elif source == "-":
        lines = sys.stdin.read().splitlines()
        origin = "stdin"
    else:
        try:
            lines = Path(source).read_text(encoding="utf-8").splitlines()
        except OSError as e:
            raise ScoreError(f"无法读取 / cannot read {source}: {e}") from e
        origin = source
    facts = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            fact = json.loads(line)
        except json.JSONDecodeError as e:
            raise ScoreError(f"{origin}:{number} 不是合法的 JSON / is not valid JSON: {e}") from e
        if not isinstance(fact, dict) or "type" not in fact:
            raise ScoreError(f"{origin}:{number} 不是 kg facts 的一行 / is not a `kg facts` line")
        facts.append(fact)
    return facts


def facts_of_plan(facts: Iterable[dict], plan: str, ranges: list[tuple[int, int]] | None = None) -> list[dict]:
    def in_plan(source: dict) -> bool:
        if not str(source.get("doc", "")).startswith(plan):
            return False
        if ranges is None:
            return True
        start = source.get("start")
        return start is None or any(a <= int(start) < b for a, b in ranges)

    return [f for f in facts if any(in_plan(s) for s in f.get("sources") or [])]


# ---------------------------------------------------------------- matching

def institution_matches(index: AliasIndex, gold_number: int, gold: dict, kg_name: str) -> bool:
    keys = index.keys(kg_name)
    if f"inst:{gold_number}" in keys:
        return True
    gold_variants = set().union(*(name_variants(n) for n in institution_names(gold)))
    return bool(name_variants(kg_name) & gold_variants)


def relation_matches(index: AliasIndex, gold: dict, fact: dict) -> bool:
    gp, fp = gold["p"], fact.get("p")
    s, o = str(fact.get("s", "")), str(fact.get("o", ""))
    forward = index.same(gold["s"], s) and index.same(gold["o"], o)
    backward = index.same(gold["s"], o) and index.same(gold["o"], s)
    if gp == "refers_both":
        return fp == "refers_both" and (forward or backward)
    if gp == "refers" and fp == "refers_both":
        return forward or backward
    return gp == fp and forward


def role_matches(index: AliasIndex, gold: dict, fact: dict) -> bool:
    return (fact.get("p") in ROLE_PREDICATES and index.same(gold["name"], str(fact.get("s", "")))
            and contains_either(gold["role"], str(fact.get("o", ""))))


def figure_subject_measure(index: AliasIndex, gold: dict, fact: dict) -> bool:
    return (index.same(str(gold["subject"]), str(fact.get("subject", "")), places=True)
            and contains_either(str(gold["measure"]), str(fact.get("measure", ""))))


def figure_matches(index: AliasIndex, gold: dict, fact: dict) -> bool:
    return (figure_subject_measure(index, gold, fact) and same_number(gold["value"], fact.get("value"))
            and same_year(gold.get("year"), fact.get("year")))


# ---------------------------------------------------------------- scoring

@dataclass
class Tally:
    hit: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, label: str) -> None:
        self.hit += ok
        self.total += 1
        if not ok:
            self.misses.append(label)

    def ratio(self) -> float | None:
        return self.hit / self.total if self.total else None

    def merge(self, other: Tally) -> None:
        self.hit += other.hit
        self.total += other.total

    def as_dict(self) -> dict:
        return {"hit": self.hit, "total": self.total, "ratio": self.ratio()}


MEASURES = ("institutions_recall", "institutions_precision", "instance_relations_roles_recall",
            "instance_relations_recall", "roles_recall", "class_relations_recall", "figures_recall",
            "figures_precision")


def score_plan(annotation: PlanAnnotation, facts: list[dict], with_inferred: bool = False) -> dict[str, Tally]:
    plan_facts = facts_of_plan(facts, annotation.plan)
    counted = facts_of_plan(plan_facts, annotation.plan, annotation.ranges)
    institutions = [f for f in plan_facts if f.get("type") == "institution"]
    relations = [f for f in plan_facts if f.get("type") == "relation" and (with_inferred or not f.get("inferred"))]
    figures = [f for f in plan_facts if f.get("type") == "figure"]
    index = AliasIndex.of(annotation.institutions)
    t = {m: Tally() for m in MEASURES}

    for number, gold in enumerate(annotation.institutions):
        ok = any(institution_matches(index, number, gold, str(f.get("name", ""))) for f in institutions)
        t["institutions_recall"].add(ok, gold["name"])
    for fact in (f for f in counted if f.get("type") == "institution"):
        name = str(fact.get("name", ""))
        ok = any(institution_matches(index, n, g, name) for n, g in enumerate(annotation.institutions))
        t["institutions_precision"].add(ok, f"{name} ← {fact['sources'][0].get('quote', '')[:60]}")

    for gold in annotation.relations:
        ok = any(relation_matches(index, gold, f) for f in relations)
        label = f"{gold['s']} —{gold['p']}→ {gold['o']}"
        if gold.get("scope") == "class":
            t["class_relations_recall"].add(ok, label)
        else:
            t["instance_relations_recall"].add(ok, label)
            t["instance_relations_roles_recall"].add(ok, label)
    for gold in annotation.roles:
        ok = any(role_matches(index, gold, f) for f in relations)
        label = f"{gold['name']} ：{gold['role']}"
        t["roles_recall"].add(ok, label)
        t["instance_relations_roles_recall"].add(ok, label)

    for gold in annotation.numbers:
        ok = any(figure_matches(index, gold, f) for f in figures)
        t["figures_recall"].add(ok, f"{gold['subject']} | {gold['measure']} | {gold.get('year')} | {gold['value']}")
    for fact in (f for f in counted if f.get("type") == "figure"):
        related = [g for g in annotation.numbers if figure_subject_measure(index, g, fact)]
        if related:
            ok = any(figure_matches(index, g, fact) for g in related)
            t["figures_precision"].add(ok, f"{fact.get('subject')} | {fact.get('measure')} | {fact.get('year')} | "
                                           f"{fact.get('value')}")
    return t


def score(annotation_dir: Path, facts: list[dict], plans: list[str] | None = None,
          with_inferred: bool = False) -> dict[str, dict[str, Tally]]:
    """Tallies per plan, plus "all" (sums over the plans)."""
    if not annotation_dir.is_dir():
        raise ScoreError(f"没有这个目录 / no such directory: {annotation_dir}")
    available = annotated_plans(annotation_dir)
    wanted = plans or available
    unknown = [p for p in wanted if p not in available]
    if unknown:
        raise ScoreError(f"没有这些规划的标注 / no annotation for plan(s): {', '.join(unknown)} "
                         f"(有 / available: {', '.join(available) or '-'})")
    results = {p: score_plan(load_annotation(annotation_dir, p), facts, with_inferred) for p in wanted}
    overall = {m: Tally() for m in MEASURES}
    for tallies in results.values():
        for m, tally in tallies.items():
            overall[m].merge(tally)
    results["all"] = overall
    return results


# ---------------------------------------------------------------- output

COLUMNS = (("institutions_recall", "inst R"), ("institutions_precision", "inst P"),
           ("instance_relations_roles_recall", "inst-rel+roles R"), ("instance_relations_recall", "inst-rel R"),
           ("roles_recall", "roles R"), ("class_relations_recall", "class-rel R"),
           ("figures_recall", "figures R"), ("figures_precision", "figures P"))


def cell(tally: Tally) -> str:
    ratio = tally.ratio()
    return f"{'  n/a' if ratio is None else f'{ratio:5.2f}'} ({tally.hit}/{tally.total})"


def render_table(results: dict[str, dict[str, Tally]]) -> str:
    widths = {m: max(len(title), 16) for m, title in COLUMNS}
    lines = ["plan  " + "  ".join(title.ljust(widths[m]) for m, title in COLUMNS)]
    for plan, tallies in results.items():
        lines.append(f"{plan:<5} " + "  ".join(cell(tallies[m]).ljust(widths[m]) for m, _ in COLUMNS))
    return "\n".join(lines)


def render_misses(results: dict[str, dict[str, Tally]], limit: int) -> str:
    lines = []
    for plan, tallies in results.items():
        if plan == "all":
            continue
        for measure, tally in tallies.items():
            if measure == "instance_relations_roles_recall" or not tally.misses:
                continue
            kind = "wrong" if measure.endswith("precision") else "missed"
            lines.append(f"--- {plan} {measure}: {len(tally.misses)} {kind}")
            lines += [f"    {label}" for label in tally.misses[:limit]]
    return "\n".join(lines)


def as_json(results: dict[str, dict[str, Tally]]) -> dict:
    return {plan: {m: t.as_dict() for m, t in tallies.items()} for plan, tallies in results.items()}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("annotation_dir", type=Path)
    parser.add_argument("facts", nargs="?", default=None, help="kg facts output (JSON lines), - for stdin")
    parser.add_argument("--plans", default=None, help="comma-separated plan prefixes, e.g. 000,003")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--with-inferred", action="store_true")
    args = parser.parse_args(argv)
    plans = [p.strip() for p in args.plans.split(",") if p.strip()] if args.plans else None
    try:
        results = score(args.annotation_dir, read_facts(args.facts), plans, args.with_inferred)
    except ScoreError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_json(results), ensure_ascii=False, indent=1))
        return 0
    print(render_table(results))
    if args.show_misses:
        print(render_misses(results, args.show_misses))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
