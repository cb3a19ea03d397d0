"""Recognise institutions in a sentence: named ones (with place, kind, level, aliases) and generic
mentions of kinds (县级医院, 乡镇卫生院), which are references to classes, not institutions.

A named institution is a place (a region of the gazetteer, or 市 meaning the plan's own city),
a short distinctive part (第二人民, 红十字会, 工人…) and an institution noun that is a label of an
ontology class (医院, 中医院, 疾病预防控制中心…). Coordinated places share the rest of the name
(灵山县、浦北县精神病医院 → two hospitals); a name in brackets after a name is an alias
(钦州市第二人民医院（钦州市职业病防治院）).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer, Region
from kg.paths import PACKAGE_DATA
from kg.vocab import HK, HKV, Vocabulary, load_vocabulary

COORDINATORS = "、和及与"
LEVEL_BY_REGION = {"province": "provincial", "city": "municipal"}


@dataclass
class Mention:
    """One recognised institution mention (possibly an alias or one conjunct of a coordination)."""

    start: int  # in the normalised sentence
    end: int
    surface: str  # the words as written (normalised)
    name: str  # full name (place expanded)
    kind: str  # class IRI
    level: str | None  # level concept IRI
    city: str | None  # region code
    county: str | None
    named: bool
    planned: bool = False
    alias_of: str | None = None  # the name this one is an alias of
    key: str = ""
    modifiers: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def load_rules() -> dict:
    with open(PACKAGE_DATA / "institutions.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def identity_key(city: str | None, name: str, noun: str, canonical: dict[str, str]) -> str:
    """Names that differ only in the form of the institution noun (中医院/中医医院) are one."""
    if noun in canonical and name.endswith(noun):
        name = name[: -len(noun)] + canonical[noun]
    return f"{city or '000000'}|{name}"


def short_hash(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]


class InstitutionRecognizer:
    """Finds institution and kind mentions in `doc.text` (a normalised sentence)."""

    def __init__(self, vocab: Vocabulary, gazetteer: Gazetteer, rules: dict) -> None:
        self.vocab = vocab
        self.gaz = gazetteer
        self.rules = rules
        labels = vocab.label_index()
        # Names end in an institution noun (…医院, …中心血站, …卫生室); synonyms such as 妇幼 or 中心
        # alone are for questions, not name endings. Group nouns (…机构) only make generic mentions.
        endings = tuple(rules["noun_endings"])
        self.noun_kind = {label: iri for label, iri in labels.items()
                          if len(label) >= 2 and label.endswith(endings) and "、" not in label
                          and label not in rules["not_name_nouns"]}
        self.group_nouns = tuple(rules["group_noun_endings"])
        self.noun_re = re.compile("|".join(sorted(map(re.escape, self.noun_kind), key=len, reverse=True)))
        self.stop = set(rules["stop_chars"])
        self.core_words = sorted(rules["core_words"], key=len, reverse=True)
        self.modifiers = sorted(rules["kind_modifiers"], key=len, reverse=True)
        self.planned_cues = rules["planned_cues"]
        self.zone_suffixes = sorted(rules["zone_suffixes"], key=len, reverse=True)
        suffixes = "|".join(sorted(map(re.escape, rules["university_suffixes"]), key=len, reverse=True))
        self.university_re = re.compile(
            f"(?P<uni>[\u4e00-\u9fff]*?(?P<suffix>{suffixes}))(?P<aff>(?:第[一二三四五六七八九十]+)?附属[\u4e00-\u9fff]{{0,6}}?医院)?")
        self.canonical = self._canonical_nouns()
        self.specialty = self._specialty_stems()

    # -- vocabulary-derived tables ------------------------------------------------------------
    def _canonical_nouns(self) -> dict[str, str]:
        """altLabel → prefLabel for institution nouns (中医院 → 中医医院, 疾控中心 → 疾病预防控制中心)."""
        out: dict[str, str] = {}
        for kind in self.vocab.kinds.values():
            for label in kind.labels:
                if label != kind.name and len(label) >= 2 and kind.name:
                    out.setdefault(label, kind.name)
        return dict(sorted(out.items(), key=lambda kv: len(kv[0]), reverse=True))

    def _specialty_stems(self) -> list[tuple[str, str]]:
        """Distinctive stems of hospital subclasses: 精神病医院 → 精神, 传染病医院 → 传染病…"""
        hospital = HK + "Hospital"
        stems: list[tuple[str, str]] = []
        for kind in self.vocab.kinds.values():
            if kind.iri in (hospital, HK + "GeneralHospital") or not self.vocab.is_a(kind.iri, hospital):
                continue
            for label in kind.labels:
                for noun in ("专科医院", "医院", "院"):
                    if label.endswith(noun) and len(label) > len(noun):
                        stem = label[: -len(noun)]
                        stems.append((stem, kind.iri))
                        if stem.endswith("病") and len(stem) > 2:
                            stems.append((stem[:-1], kind.iri))
                        break
        return sorted(set(stems), key=lambda s: len(s[0]), reverse=True)

    # -- recognition --------------------------------------------------------------------------
    def __call__(self, text: str, city: Region | None, truncated: bool = False) -> list[Mention]:
        mentions: list[Mention] = []
        for m in self.noun_re.finditer(text):
            noun_start, noun_end = m.start(), m.end()
            if noun_end < len(text) and text[noun_end] in "院站所室库" and \
                    self.noun_re.match(text, noun_end - 1) is None:
                continue
            mention = self._named(text, noun_start, noun_end, city)
            if mention is None:
                mention = self._generic(text, noun_start, noun_end, city)
            if mention is None:
                continue
            if truncated and mention.end >= len(text):
                continue  # the line was cut here: the name may be incomplete
            mention.planned = self._planned(text, mention.start)
            mentions.append(mention)
            if mention.named:
                for conjunct in self._conjuncts(text, mention, city):
                    conjunct.planned = mention.planned or self._planned(text, conjunct.start)
                    mentions.append(conjunct)
        mentions.extend(self._universities(text, mentions, city, truncated))
        named_spans = [(m.start, m.end) for m in mentions if m.named]
        # a generic noun inside a name (the 医院 of …大学附属医院) is no mention of its own
        mentions = [m for m in mentions if m.named or not any(a <= m.start and m.end <= b and (a, b) != (m.start, m.end)
                                                               for a, b in named_spans)]
        self._mark_aliases(text, mentions)
        return mentions

    def _universities(self, text: str, found: list[Mention], city: Region | None,
                      truncated: bool) -> list[Mention]:
        """Universities and their affiliated hospitals (广西医科大学第一附属医院, 北部湾大学): partners of
        cooperation and hosts of centres. Like a province-run institution, one named in a city's plan is
        placed in that city (the plan's scope), at the level universities are run (institutions.yaml)."""
        out: list[Mention] = []
        for m in self.university_re.finditer(text):
            end = m.end("uni")
            start = m.start("suffix")
            while start > 0 and end - start < self.rules["university_max"] and "\u4e00" <= text[start - 1] <= "\u9fff" \
                    and not any(text.endswith(w, 0, start) for w in self.rules["university_stop_words"]):
                start -= 1
            uni = text[start:end]
            distinctive = uni[: -len(m.group("suffix"))]
            for word in self.rules["university_generic"]:
                distinctive = distinctive.replace(word, "")
            if len(distinctive) < 2 or any(x.start < end and start < x.end for x in found if x.named):
                continue
            if m.group("aff"):
                end = m.end("aff")
                kind = self._kind(m.group("aff")[:-2], "医院")
            else:
                kind = HK + self.rules["university_kind"]
            if truncated and end >= len(text):
                continue
            name = text[start:end]
            code = city.code if city else None
            level = HKV + "level/" + self.rules["university_level"]
            out.append(Mention(start, end, name, name, kind, level, code, None, True,
                               key=identity_key(code, name, "", self.canonical), modifiers=[]))
        return out

    def _region_ending_at(self, text: str, end: int, city: Region | None) -> tuple[int, Region] | None:
        """The longest full region name that ends at `end` (a place right before a name's core)."""
        for length in range(min(9, end), 1, -1):
            name = text[end - length:end]
            if name[-1] not in "省市县区旗州盟" and "自治" not in name:
                continue
            region = self.gaz.resolve(name, city.code if city else None)
            if region is not None and self.gaz.is_full_name(name):
                return end - length, region
        return None

    def _core_ok(self, core: str) -> bool:
        if len(core) > self.rules["max_core"]:
            return False
        if self.noun_re.search(core) or any(c in core for c in "院站所室"):
            return False
        for word in self.core_words:
            core = core.replace(word, "")
        return all("\u4e00" <= c <= "\u9fff" and c not in self.stop for c in core)

    def _named(self, text: str, noun_start: int, noun_end: int, city: Region | None) -> Mention | None:
        noun = text[noun_start:noun_end]
        if noun.endswith(self.group_nouns):
            return None
        # the nearest place followed only by distinctive characters up to the noun
        best = None
        for core_len in range(0, min(self.rules["max_core"], noun_start) + 1):
            if not self._core_ok(text[noun_start - core_len:noun_start]):
                break
            hit = self._region_ending_at(text, noun_start - core_len, city)
            if hit is not None:
                best = (hit[0], noun_start - core_len, hit[1])
                break
        place_region: Region | None = None
        if best is None and (zone := self._zone_name(text, noun_start, noun_end, city)) is not None:
            return zone
        if best is not None:
            start = best[0]
            # a chain of places (广西壮族自治区桂东…, 钦州市钦南区…) starts at the first one
            while (outer := self._region_ending_at(text, start, city)) is not None:
                start = outer[0]
            place_region = best[2]
            core = text[best[1]:noun_start]
            surface = text[start:noun_end]
            name = surface
        else:
            shorthand = self.rules["city_shorthand"]
            j = noun_start
            while j > 0 and text[j - 1] != shorthand and noun_start - j < self.rules["max_core"]:
                j -= 1
            k = j - 1
            if city is None or k < 0 or text[k] != shorthand:
                return None
            if k > 0 and text[k - 1] in self.rules["not_city_shorthand_after"]:
                return None
            core = text[j:noun_start]
            if not self._core_ok(core) or self._is_modifier(core):
                return None
            start = k
            surface = text[k:noun_end]
            name = city.name + surface[1:]
            place_region = city
        if place_region is None:
            return None
        if core and self._is_modifier(core):
            return None
        kind = self._kind(core, noun)
        level, city_code, county_code = self._placement(place_region, city)
        key = identity_key(city_code, name, noun, self.canonical)
        return Mention(start, noun_end, surface, name, kind, level, city_code, county_code, True, key=key,
                       modifiers=[noun])

    def _zone_ending_at(self, text: str, end: int, city: Region) -> int | None:
        """Start of a development zone / port area of the plan's city ending at `end` (自贸区钦州港片区,
        钦州港, 五象新区): not a gazetteer division, so it must carry the city's own name or follow it."""
        suffix = next((s for s in self.zone_suffixes if text.startswith(s, end - len(s))), None)
        if suffix is None:
            return None
        start = end - len(suffix)
        while start > 0 and end - start < self.rules["zone_max"] and "\u4e00" <= text[start - 1] <= "\u9fff" \
                and text[start - 1] not in self.rules["zone_stop_chars"]:
            start -= 1
        zone = text[start:end]
        own = (city.name, *city.short_names)
        if len(zone) <= len(suffix) or not (any(n in zone for n in own) or text[:start].endswith(city.name)):
            return None
        if zone.startswith(city.name):
            return None  # 钦州市X港…: the gazetteer path owns names that open with the city
        return start

    def _zone_name(self, text: str, noun_start: int, noun_end: int, city: Region | None) -> Mention | None:
        if city is None:
            return None
        noun = text[noun_start:noun_end]
        for core_len in range(0, min(self.rules["max_core"], noun_start) + 1):
            core = text[noun_start - core_len:noun_start]
            if core and not self._core_ok(core):
                break
            start = self._zone_ending_at(text, noun_start - core_len, city)
            if start is None or self._is_modifier(core):
                continue
            name = text[start:noun_end]
            # a zone is run by its management committee, a district-like body; no gazetteer county
            level = HKV + "level/" + self.rules["zone_level"]
            return Mention(start, noun_end, name, name, self._kind(core, noun), level, city.code, None, True,
                           key=identity_key(city.code, name, noun, self.canonical), modifiers=[noun])
        return None

    def _is_modifier(self, core: str) -> bool:
        if not core:
            return False
        rest = core
        while rest:
            for word in self.modifiers:
                if rest.startswith(word):
                    rest = rest[len(word):]
                    break
            else:
                return False
        return True

    def _kind(self, core: str, noun: str) -> str:
        kind = self.noun_kind[noun]
        if kind in (HK + "Hospital", HK + "GeneralHospital"):
            for stem, iri in self.specialty:
                if stem in core:
                    return iri
            return HK + "GeneralHospital"
        return kind

    def _placement(self, region: Region, city: Region | None) -> tuple[str | None, str | None, str | None]:
        if region.level == "county":
            level = "district" if region.name.endswith("区") else "county"
            return HKV + "level/" + level, self.gaz.city_of(region.code).code, region.code
        if region.level == "city":
            return HKV + "level/municipal", region.code, None
        # a province-run institution named in a city's plan is placed in that city
        return HKV + "level/provincial", city.code if city else None, None

    def _generic(self, text: str, noun_start: int, noun_end: int, city: Region | None) -> Mention | None:
        j = noun_start
        words: list[str] = []
        while j > 0:
            for word in self.modifiers:
                if text.startswith(word, j - len(word)) and j - len(word) >= 0:
                    words.insert(0, word)
                    j -= len(word)
                    break
            else:
                break
        noun = text[noun_start:noun_end]
        kind = self.noun_kind[noun]
        core = "".join(words)
        if kind in (HK + "Hospital",):
            for stem, iri in self.specialty:
                if stem in core:
                    kind = iri
                    break
        level = None
        for word in words:
            level = self.vocab.level_for(word) or level
        surface = text[j:noun_end]
        return Mention(j, noun_end, surface, surface, kind, level, city.code if city else None, None,
                       False, key=f"kind|{surface}", modifiers=words)

    def _conjuncts(self, text: str, head: Mention, city: Region | None) -> list[Mention]:
        """灵山县、浦北县精神病医院: the places before the head share its name's remainder."""
        out: list[Mention] = []
        first = None
        for length in range(min(9, len(head.surface)), 1, -1):
            hit = self._region_ending_at(text, head.start + length, city)
            if hit is not None and hit[0] == head.start:
                first = length
                break
        if first is None:
            return out
        rest = head.surface[first:]
        noun = head.modifiers[0] if head.modifiers else ""
        pos = head.start
        while pos > 1 and text[pos - 1] in COORDINATORS:
            hit = self._region_ending_at(text, pos - 1, city)
            if hit is None:
                break
            r_start, region = hit
            name = text[r_start:pos - 1] + rest
            level, city_code, county_code = self._placement(region, city)
            out.append(Mention(r_start, pos - 1, name, name, head.kind, level, city_code,
                               county_code, True, key=identity_key(city_code, name, noun, self.canonical),
                               modifiers=[noun]))
            pos = r_start
        return out

    def _planned(self, text: str, start: int) -> bool:
        clause_start = max(text.rfind(p, 0, start) for p in "，。；：") + 1
        window = text[max(clause_start, start - 12):start]
        return any(cue in window for cue in self.planned_cues)

    def _mark_aliases(self, text: str, mentions: list[Mention]) -> None:
        named = [m for m in mentions if m.named]
        by_start = {m.start: m for m in named}
        for m in named:
            if text.startswith("（", m.end) and (m.end + 1) in by_start:
                inner = by_start[m.end + 1]
                if text.startswith("）", inner.end):
                    inner.alias_of = m.key


# ---------------------------------------------------------------------------------------------
# spaCy glue: the recogniser as a pipeline component writing spans with `kg_` extensions

for _name in ("kg_name", "kg_kind", "kg_level", "kg_city", "kg_county", "kg_key", "kg_alias_of",
              "kg_planned", "kg_named", "kg_surface", "kg_norm_span"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
for _name in ("kg_city", "kg_truncated", "kg_sentence"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("kg_institutions_v1", default_config={})
def make_institution_component(nlp: Language, name: str):
    recognizer = InstitutionRecognizer(load_vocabulary(), Gazetteer.load(), load_rules())

    def component(doc: Doc) -> Doc:
        spans_named, spans_kind = [], []
        for m in recognizer(doc.text, doc._.kg_city, bool(doc._.kg_truncated)):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is None:
                continue
            span._.kg_name = m.name
            span._.kg_kind = m.kind
            span._.kg_level = m.level
            span._.kg_city = m.city
            span._.kg_county = m.county
            span._.kg_key = m.key
            span._.kg_alias_of = m.alias_of
            span._.kg_planned = m.planned
            span._.kg_named = m.named
            span._.kg_surface = m.surface
            span._.kg_norm_span = (m.start, m.end)
            (spans_named if m.named else spans_kind).append(span)
        doc.spans["kg_institutions"] = spans_named
        doc.spans["kg_kinds"] = spans_kind
        return doc

    return component
