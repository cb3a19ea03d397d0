"""Entity linking: a lexicon of every label in the graph, matched longest first.

The lexicon is read from the store once and cached as JSON next to the build (the build is
immutable, so the cache never goes stale), keeping a cold `kg ask` free of heavy imports.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from kg.store import SPARQL_PREFIXES as PREFIXES
from kg.store import sparql_select, term_value

# One UNION branch per entity type; labels of regions are limited to those the plans are about.
# A kind reference is stated in every sentence that uses it, so its triples repeat across evidence
# graphs: each of its attributes is made DISTINCT on its own before the join (else the join grows
# to millions of rows).
LEXICON_QUERY = """
SELECT DISTINCT ?e ?label ?type ?city ?ofKind ?level ?pref WHERE {
  { ?e a hk:HealthInstitution ; skos:prefLabel|skos:altLabel ?label . BIND("institution" AS ?type)
    OPTIONAL { ?e hk:city/skos:prefLabel ?city } }
  UNION { ?e a/rdfs:subClassOf* org:OrganizationalCollaboration ; skos:prefLabel|skos:altLabel ?label .
    BIND("consortium" AS ?type)
    OPTIONAL { ?e hk:city/skos:prefLabel ?city } }
  UNION { { ?e a hk:FunctionalUnit } UNION { ?e a hk:InstitutionUnit }
    ?e skos:prefLabel|skos:altLabel ?label . BIND("unit" AS ?type)
    OPTIONAL { ?e hk:city/skos:prefLabel ?city } }
  UNION { { SELECT DISTINCT ?e ?label WHERE { ?e a hk:KindReference ; rdfs:label ?label } } BIND("kindref" AS ?type)
    OPTIONAL { SELECT DISTINCT ?e ?city WHERE { ?e a hk:KindReference ; hk:city/skos:prefLabel ?city } }
    OPTIONAL { SELECT DISTINCT ?e ?ofKind WHERE { ?e a hk:KindReference ; hk:refersToKind ?ofKind } }
    OPTIONAL { SELECT DISTINCT ?e ?level WHERE { ?e a hk:KindReference ; hk:adminLevel ?level } } }
  UNION { ?e rdfs:subClassOf+ hk:HealthInstitution . ?e skos:prefLabel|skos:altLabel ?label .
    BIND("class" AS ?type) }
  UNION { BIND(hk:HealthInstitution AS ?e) ?e skos:prefLabel|skos:altLabel ?label . BIND("class" AS ?type) }
  UNION { ?e skos:inScheme hkv:level ; skos:prefLabel|skos:altLabel ?label . BIND("level" AS ?type) }
  UNION { ?e skos:inScheme hkv:nature ; skos:prefLabel|skos:altLabel ?label . BIND("nature" AS ?type) }
  UNION { { SELECT DISTINCT ?e WHERE { ?obs hk:measure ?e } }
    { ?e skos:prefLabel ?label BIND(true AS ?pref) } UNION { ?e skos:altLabel ?label }
    BIND("measure" AS ?type) }
  UNION { ?d a hk:PlanDocument ; hk:city ?e . ?e skos:prefLabel ?label . BIND("city" AS ?type) }
  UNION { { SELECT DISTINCT ?e WHERE { ?obs hk:subject ?e . ?e a hk:Province } }
    ?e skos:prefLabel|skos:altLabel ?label . BIND("region" AS ?type) }
  UNION { ?d a hk:PlanDocument ; hk:city ?c . ?e hk:withinRegion ?c ; skos:prefLabel ?label .
    ?c skos:prefLabel ?city . BIND("county" AS ?type) }
  FILTER(lang(?label) = "zh" || lang(?label) = "")
}
"""

TYPE_RANK = {"institution": 0, "consortium": 1, "unit": 2, "city": 3, "county": 3, "region": 3, "class": 4,
             "measure": 5,
             "kindref": 6, "level": 7, "nature": 7, "measure_head": 8}
# Bump when LEXICON_QUERY or the row format changes: the cache in the build dir is then rebuilt.
LEXICON_VERSION = 8


# A short aside inside a name (精神病（精神卫生）医院, 县（市）, 城市医疗联合体（医疗集团）) is left out of
# both questions and labels before matching.
_ASIDE = re.compile(r"(?<=[\u4e00-\u9fff])\([^()]{1,6}\)")


def strip_asides(text: str) -> str:
    return _ASIDE.sub("", text)


@dataclass
class Entry:
    iri: str
    label: str  # the canonical label of the entity
    type: str
    city: str | None = None
    of_kind: str | None = None  # a kind reference's class (县级医院 → hk:Hospital)
    level: str | None = None  # and its administrative level (县级医院 → 县办)


@dataclass
class Mention:
    text: str
    start: int
    end: int
    entries: list[Entry]
    fuzzy: bool = False

    @property
    def type(self) -> str:
        return self.entries[0].type


@dataclass
class Lexicon:
    by_label: dict[str, list[Entry]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # iri → canonical label
    max_len: int = 0
    _labels_of: dict[str, list[str]] | None = field(default=None, repr=False)
    _city_of: dict[str, str] | None = field(default=None, repr=False)
    _iris: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def add(self, label: str, entry: Entry) -> None:
        # Questions are NFKC-normalised (（ → () and lose short asides, so labels are too.
        label = strip_asides(unicodedata.normalize("NFKC", label).strip())
        if len(label) < 2:
            return
        bucket = self.by_label.setdefault(label, [])
        iris = self._iris.setdefault(label, set())  # a shared label (县域医共体) has thousands of entries
        if entry.iri not in iris:
            iris.add(entry.iri)
            bucket.append(entry)
        self.max_len = max(self.max_len, len(label))

    # The reads answering needs; kg/qa/name_index.py answers them from the build's index instead.
    def lookup(self, labels: Iterable[str]) -> dict[str, list[Entry]]:
        """The entries of those of `labels` that are in the lexicon."""
        return {lb: self.by_label[lb] for lb in labels if lb in self.by_label}

    def labelled(self, *types: str) -> Iterator[tuple[str, Entry]]:
        """(label, entry) for every entry of one of `types`, in lexicon order."""
        return ((lb, e) for lb, es in self.by_label.items() for e in es if e.type in types)

    def buckets(self, *types: str) -> Iterator[tuple[str, list[Entry]]]:
        """(label, entries) for the labels whose first entry is of one of `types`."""
        return ((lb, es) for lb, es in self.by_label.items() if es[0].type in types)

    def labels_of(self, iri: str) -> list[str]:
        if self._labels_of is None:
            self._labels_of = {}
            for lb, es in self.by_label.items():
                for e in es:
                    self._labels_of.setdefault(e.iri, []).append(lb)
        return self._labels_of.get(iri, [])

    def city_of(self, iri: str) -> str | None:
        """The city of an institution, network or unit."""
        if self._city_of is None:
            self._city_of = {e.iri: e.city for es in self.by_label.values() for e in es
                             if e.city and e.type in ("institution", "consortium", "unit")}
        return self._city_of.get(iri)

    def fuzzy_labels(self, text: str, types: tuple[str, ...]) -> Iterator[tuple[str, list[Entry]]]:
        """The labels fuzzy_candidates compares with `text` (all, here)."""
        return self.buckets(*types)


def _short_region(label: str) -> str | None:
    """梧州市 → 梧州 (people drop the suffix of multi-character place names)."""
    if len(label) >= 3 and label[-1] in "市县区":
        return label[:-1]
    return None


def build_lexicon_rows(store) -> list[dict]:
    rows = []
    for row in sparql_select(store, LEXICON_QUERY, prefixes=PREFIXES):
        rows.append({k: term_value(v) for k, v in row.items()})
    return rows


def lexicon_from_rows(rows: list[dict], synonyms: dict[str, list[str]],
                      optional_words: list[str] | None = None, measure_heads: list[str] | None = None,
                      ordinal_names: dict[str, str] | None = None) -> Lexicon:
    lex = Lexicon()
    canon: dict[str, str] = {}
    preferred: set[str] = set()
    for row in rows:
        iri, label, kind = str(row["e"]), str(row["label"]), str(row["type"])
        # The canonical label is the first prefLabel seen; rows list pref and alt labels alike,
        # so prefer the longest label for institutions (full names) and the shortest for classes.
        # A measure's is its prefLabel (the query marks it): the engine's row order is no rule.
        old = canon.get(iri)
        if old is None or (kind in ("institution", "consortium", "unit") and len(label) > len(old)) \
                or row.get("pref") and iri not in preferred:
            canon[iri] = label
            if row.get("pref"):
                preferred.add(iri)
    for row in rows:
        iri, label, kind, city = str(row["e"]), str(row["label"]), str(row["type"]), row.get("city")
        entry = Entry(iri, canon[iri], kind, str(city) if city else None,
                      str(row["ofKind"]) if row.get("ofKind") else None,
                      str(row["level"]) if row.get("level") else None)
        lex.add(label, entry)
        if kind in ("city", "county"):
            short = _short_region(label)
            if short and len(short) >= 2:
                lex.add(short, entry)
        if kind == "institution" and city:
            # 梧州市人民医院 is called 市人民医院 inside its own plan: keep the short form, tied to the city.
            stem = _short_region(str(city)) or str(city)
            for prefix in (str(city), stem):
                if label.startswith(prefix) and len(label) - len(prefix) >= 3:
                    lex.add("市" + label[len(prefix):], entry)
                    lex.add(stem + label[len(prefix):], entry)
                    break  # 钦州市… gives 市…; the stem 钦州 would give 市市…
    # Indicators are asked without their qualifiers (每千人口床位数 for 每千人口医疗卫生机构床位数), never
    # without their head: 每千人口 left of a name cut after its qualifier (每千人口医疗卫生机构) is the
    # start of every 每千人口 indicator (每千人口执业医师), not this one.
    optional = [unicodedata.normalize("NFKC", w) for w in optional_words or []]
    for label, entries in list(lex.by_label.items()):
        measures = [e for e in entries if e.type == "measure"]
        present = [w for w in optional if w in label]
        for n in range(1, len(present) + 1):
            for drop in combinations(present, n):
                short = label
                for w in drop:
                    short = short.replace(w, "", 1)
                if len(short) >= 4 and short[-2:] == label[-2:]:
                    for entry in measures:
                        lex.add(short, entry)
    # A bare head word (床位) stands for every indicator ending with it (实际开放床位, 规划编制床位…).
    # Spoken forms after a | stand for the head too (床位|张床: 有多少张床 asks its beds).
    for item in measure_heads or []:
        head, *spoken = item.split("|")
        for label, entries in list(lex.by_label.items()):
            if label.endswith(head) and label != head:
                for entry in entries:
                    if entry.type == "measure":
                        for word in (head, *spoken):
                            lex.add(word, Entry(entry.iri, entry.label, "measure_head", entry.city))
    # Consortia are named with optional modifiers (紧密型县域医共体 is asked as 县域医共体): keep the suffixes
    # that still name a kind of network.
    for label, entries in list(lex.by_label.items()):
        if entries[0].type == "consortium":
            for k in range(1, len(label) - 4):
                for entry in entries:
                    if entry.type == "consortium":
                        lex.add(label[k:], entry)
    # A unit named after its institution (钦州市第二人民医院白石湖院区) is asked by its own part
    # (白石湖院区): the rest of the label after an institution's full name, when it is 4+ characters.
    # (The longest such name is sought among the label's prefixes, not by a pass over every name per
    # label: that grew with labels × institutions, hours at national scale.)
    institution_names = {canon[str(r["e"])] for r in rows if str(r["type"]) == "institution"}
    for label, entries in list(lex.by_label.items()):
        units = [e for e in entries if e.type == "unit"]
        if not units:
            continue
        head = next((label[:k] for k in range(len(label), 0, -1) if label[:k] in institution_names), None)
        if head and len(label) - len(head) >= 4:
            for entry in units:
                lex.add(label[len(head):], entry)
    # Ordinal short names (市一医院 for 市第一人民医院): every label of an institution holding the long
    # form also gets the short one, so it is tied to the same city as the label it comes from.
    for pattern, short in (ordinal_names or {}).items():
        rx = re.compile(pattern)
        for label, entries in list(lex.by_label.items()):
            m = rx.search(label)
            if m and m.start() >= 1:
                variant = label[:m.start()] + short.format(**m.groupdict()) + label[m.end():]
                for entry in entries:
                    if entry.type == "institution":
                        lex.add(variant, entry)
    # Abbreviations (疾控 = 疾病预防控制中心…) apply inside any label: add the abbreviated variants.
    for label, entries in list(lex.by_label.items()):
        for full, shorts in synonyms.items():
            if full in label:
                for short in shorts:
                    for entry in entries:
                        lex.add(label.replace(full, short), entry)
    lex.names = canon
    return lex


def cached_rows(build_dir: Path | None, name: str, compute) -> list:
    """Rows computed once per build and kept as JSON in the build directory (builds are immutable,
    so the cache never goes stale; LEXICON_VERSION invalidates it when the queries change)."""
    cache = build_dir / f"qa-{name}.json" if build_dir else None
    if cache and cache.exists():
        try:
            cached = json.loads(cache.read_text(encoding="utf-8"))
            if cached.get("version") == LEXICON_VERSION:
                return cached["rows"]
        except (OSError, ValueError, AttributeError, KeyError):
            pass
    rows = compute()
    if cache:
        try:
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"version": LEXICON_VERSION, "rows": rows}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, cache)
        except OSError:
            pass  # a read-only data dir only costs speed
    return rows


def load_lexicon(store, build_dir: Path | None, synonyms: dict[str, list[str]],
                 optional_words: list[str] | None = None, measure_heads: list[str] | None = None,
                 ordinal_names: dict[str, str] | None = None) -> Lexicon:
    """The lexicon of the current build, cached as JSON in the build directory."""
    rows = cached_rows(build_dir, "lexicon", lambda: build_lexicon_rows(store))
    return lexicon_from_rows(rows, synonyms, optional_words, measure_heads, ordinal_names)


def find_mentions(text: str, lex: Lexicon) -> list[Mention]:
    """Greedy longest-match-first scan; overlapping shorter matches are dropped."""
    found: list[Mention] = []
    known = lex.lookup(text[i:i + size] for i in range(len(text))
                       for size in range(min(lex.max_len, len(text) - i), 1, -1))
    i = 0
    while i < len(text):
        for size in range(min(lex.max_len, len(text) - i), 1, -1):
            piece = text[i:i + size]
            entries = known.get(piece)
            if entries:
                ordered = sorted(entries, key=lambda e: TYPE_RANK.get(e.type, 9))
                found.append(Mention(piece, i, i + size, ordered))
                i += size
                break
        else:
            i += 1
    return found


def resolve_city(mentions: list[Mention], context_city: str | None) -> list[Mention]:
    """Short names shared by several cities (市人民医院) keep only the city named in the question,
    else the city of the previous question; ties stay ambiguous."""
    cities = [m.entries[0].label for m in mentions if m.type == "city"]
    city = cities[0] if cities else context_city
    for m in mentions:
        if len(m.entries) > 1 and city:
            named = [e for e in m.entries if e.type in ("institution", "consortium", "unit")]
            same = [e for e in named if e.city == city]
            if same and len(same) < len(named):
                m.entries = [e for e in m.entries if e not in named or e in same]
    return mentions


_CJK = re.compile(r"[\u4e00-\u9fff]")


def fuzzy_candidates(text: str, lex: Lexicon, types: tuple[str, ...] = ("institution", "consortium"),
                     known: list[Mention] | None = None) -> list[str]:
    """Full names of 4+ characters that differ from a piece of the question by one character
    (substituted or missing): offered as "您是不是要问…", never used silently. A piece mostly made of
    words already recognised (县区疾病预防控制中心 is a kind) is not a misspelt name."""
    covered = [False] * len(text)
    for m in known or []:
        if len(m.text) < 4 or m.type in ("city", "county"):
            continue  # place names and bare kinds (医院) are parts of names, not alternatives to them
        for k in range(m.start, m.end):
            covered[k] = True
    hits: dict[str, str] = {}
    chars = set(text)
    for label, entries in lex.fuzzy_labels(text, types):
        if len(label) < 4 or entries[0].type not in types or label != entries[0].label:
            continue
        if sum(ch not in chars for ch in label) > 1:
            continue  # cheap filter: more than one character of the name is absent from the question
        n = len(label)
        for size in (n, n - 1):
            for i in range(0, len(text) - size + 1):
                piece = text[i:i + size]
                if size == n:
                    ok = sum(a != b for a, b in zip(piece, label, strict=True)) == 1
                else:
                    ok = any(label[:k] + label[k + 1:] == piece for k in range(n))
                if ok and _CJK.search(piece) and sum(covered[i:i + size]) <= size / 2:
                    hits[entries[0].iri] = entries[0].label
                    break
    return sorted(set(hits.values()))
