"""Recognise institutions in a sentence: named ones (with place, kind, level, aliases, parent) and
generic mentions of kinds (县级医院, 乡镇卫生院), which are references to classes, not institutions.

A named institution is [place] [distinctive part] noun (the rules are `kg/data/institutions.yaml`):
- the noun is the label of an ontology class (医院, 中医院, 疾病预防控制中心…), or a head of a named
  body (中心, 站, 所, 院 after a distinctive part carrying a health word: 钦州市卫生信息与医学考试中心);
- the place is a gazetteer region or a chain of them, a short form of the document's own region
  (市人民医院, 省人民医院, and 县人民医院 in a county's document), a town (某某镇中心卫生院), a zone
  of the city (钦州港急救站) or a university (广西医科大学第一附属医院);
- coordinated places share the rest of the name (灵山县、浦北县精神病医院 → two hospitals);
- a name in brackets, after 即 or on a sign (加挂…牌子) is an alias of the name before it;
- a branch, campus or facility (X医院某某分院, 某某院区, X血站某某献血点, X卫生院中医馆) is a
  mention of its own whose parent is the institution it is named after.
A name never starts with a verb, a policy word or a class word: places found by structure (towns,
universities, campuses) start after the boundary words of the rules file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.gazetteer import SHORT_STOPLIST, Gazetteer, Region
from kg.paths import PACKAGE_DATA
from kg.vocab import HK, HKV, Vocabulary, load_vocabulary

COORDINATORS = "、和及与"
HAN = re.compile(r"[\u4e00-\u9fff]")


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@dataclass
class Mention:
    """One recognised institution mention (possibly an alias, a conjunct, a branch or a facility)."""

    start: int  # in the normalised sentence
    end: int
    surface: str  # the words as written (normalised)
    name: str  # full name (place expanded)
    kind: str  # class IRI
    level: str | None  # level concept IRI
    city: str | None  # region code (the document's province when no city is known)
    county: str | None
    named: bool
    planned: bool = False
    alias_of: str | None = None  # the key of the name this one is an alias of
    key: str = ""
    modifiers: list[str] = field(default_factory=list)
    parent_key: str | None = None  # a branch, campus or facility: the key of its institution
    lead_key: str | None = None  # a consortium named after the institution that leads it: that one's key


@dataclass(frozen=True)
class Scope:
    """The regions a document is about: its province, its (prefecture-level) city and, for a document
    about one county, that county. Short forms (市, 省, 县) resolve to these."""

    province: Region | None
    city: Region | None
    county: Region | None

    @property
    def home(self) -> Region | None:
        """The region a named institution is placed in when its name gives no city."""
        return self.city or self.province


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


def _longest_first(words) -> list[str]:
    return sorted(set(words), key=len, reverse=True)


def _alternation(words) -> str:
    return "|".join(map(re.escape, _longest_first(words)))


@dataclass
class _Place:
    """Where a name's place part starts, and what it resolves to."""

    start: int
    region: Region | None  # None for a town or a zone
    kind: str  # region | shorthand | town | zone | hotline
    town: str | None = None  # the town (某某镇) of a town-placed name
    county: Region | None = None  # the county of a town, when known


class InstitutionRecognizer:
    """Finds institution and kind mentions in `text` (a normalised sentence)."""

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
        self.noun_re = re.compile(_alternation(self.noun_kind))
        self.stop = set(rules["stop_chars"])
        self.core_words = _longest_first(rules["core_words"])
        self.modifiers = _longest_first(rules["kind_modifiers"])
        self.planned_cues = rules["planned_cues"]
        self.zone_suffixes = _longest_first(rules["zone_suffixes"])
        self.boundary = _longest_first(rules["boundary_words"])
        self.town_stop = set(rules["town_stop_chars"])
        self.generic_place = set(rules["generic_place_words"])
        self.not_before = tuple(rules["name_not_before"])
        # the longest region name (威宁彝族回族苗族自治县 has 11 characters)
        self.region_max = max(len(n) for r in gazetteer for n in (r.name, *r.aliases))
        self.town_inner = set(rules["town_inner_chars"])
        self.measure_re = re.compile(f"[{rules['numeral_chars']}][{rules['town_inner_chars']}]")
        self.town_kinds = {noun: HK + cls for noun, cls in rules["town_kinds"].items()}
        self.shorthands = [(word, scope) for scope, words in rules["shorthands"].items() for word in words]
        self.shorthands.sort(key=lambda ws: len(ws[0]), reverse=True)
        self.health_words = tuple(rules["health_words"])
        self.body_core_words = tuple(rules["body_core_words"])
        self.body_re = re.compile(_alternation(rules["body_heads"]))
        # heads of branches, campuses and facilities: the labels of hk:InstitutionUnit's sub-classes
        abstract = {HK + "InstitutionUnit", HK + "FunctionalUnit"}
        self.unit_kind = {label: kind.iri for kind in vocab.unit_kinds.values() if kind.iri not in abstract
                          for label in kind.labels if len(label) >= 2}
        hosted = {HK + k for k in rules["hosted_kinds"]}
        self.unit_kind.update({label: iri for label, iri in self.noun_kind.items() if iri in hosted})
        self.unit_re = re.compile(_alternation(self.unit_kind))
        self.orphan_kinds = {HK + k for k in rules["orphan_unit_kinds"]}
        consortium = HK + "MedicalConsortium"
        self.consortium_kind = {label: kind.iri for kind in vocab.consortium_kinds.values()
                                if vocab.is_a(kind.iri, consortium) for label in kind.labels if len(label) >= 3}
        self.consortium_re = re.compile(_alternation(self.consortium_kind))
        suffixes = _alternation(rules["university_suffixes"])
        # a hospital named by its university and an own name, without 附属 (中南大学湘雅二医院)
        stops = re.escape(rules["stop_chars"] + rules["university_hospital_stop_chars"])
        self.university_re = re.compile(
            f"(?P<suffix>{suffixes})(?P<aff>(?:第[一二三四五六七八九十]+)?附属[\u4e00-\u9fff]{{0,6}}?医院"
            f"|(?:(?![{stops}])[\u4e00-\u9fff]){{2,4}}?[一二三四五六七八九]?医院)?")
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
                    if label.endswith(noun) and len(label) > len(noun) + 1:  # 中医院 gives no stem 中
                        stem = label[: -len(noun)]
                        stems.append((stem, kind.iri))
                        if stem.endswith("病") and len(stem) > 2:
                            stems.append((stem[:-1], kind.iri))
                        break
        return sorted(set(stems), key=lambda s: len(s[0]), reverse=True)

    # -- scope --------------------------------------------------------------------------------
    def scope(self, city: Region | None, county: Region | None = None) -> Scope:
        """The document's regions from its metadata: `city` may name a county (a county's document)
        or a province (a provincial document); `county` is the county a document is about."""
        if city is None:
            return Scope(None, None, county)
        province = self.gaz.get(city.province_code)
        if city.level == "county":
            return Scope(province, self.gaz.city_of(city.code), county or city)
        if city.level == "province":
            return Scope(city, self.gaz.city_of(city.code), county)
        return Scope(province, city, county)

    # -- recognition --------------------------------------------------------------------------
    def __call__(self, text: str, city: Region | Scope | None, truncated: bool = False,
                 county: Region | None = None, breaks: tuple[int, ...] = ()) -> list[Mention]:
        """Mentions in `text`; `breaks` are the positions where a table row's cells meet (a name never
        spans two cells: 九江市 | 九江市第一人民医院 is a city column and a name)."""
        scope = city if isinstance(city, Scope) else self.scope(city, county)
        mentions: list[Mention] = []
        for m in self.noun_re.finditer(text):
            noun_start, noun_end = m.start(), m.end()
            # 乡镇急救站点, 医院信息系统: the kind's sites or software, never a named institution
            mention = None if self._word_goes_on(text, noun_end) else self._named(text, noun_start, noun_end, scope)
            if mention is None:
                mention = self._generic(text, noun_start, noun_end, scope)
            if mention is not None:
                mentions.append(mention)
                if mention.named:
                    mention.planned = self._planned(text, mention.start, mention.end)
                    for conjunct in self._conjuncts(text, mention, scope):
                        conjunct.planned = mention.planned or self._planned(text, conjunct.start, conjunct.end)
                        mentions.append(conjunct)
        mentions.extend(self._town_lists(text, mentions, scope))
        mentions.extend(self._universities(text, mentions, scope))
        mentions.extend(self._bodies(text, mentions, scope))
        mentions.extend(self._units(text, mentions, scope))
        mentions.extend(self._branches_named_by_place(text, mentions))
        mentions.extend(self._hosted_centres(text, mentions, scope))
        mentions.extend(self._consortia(text, mentions, scope))
        if truncated:  # the line was cut here: a name ending there may be incomplete
            mentions = [m for m in mentions if m.end < len(text)]
        if breaks:
            mentions = self._within_cells(text, mentions, breaks, scope)
        mentions = self._drop_nested(mentions)
        unit_parents = {(m.start, m.parent_key) for m in mentions if m.parent_key}
        for mention in mentions:
            if not mention.planned:
                mention.planned = self._planned(text, mention.start, mention.end)
            if (mention.start, mention.key) in unit_parents:
                mention.planned = False  # 规划建设X学校第二校区: the campus is planned, not the school
        self._mark_aliases(text, mentions)
        mentions.sort(key=lambda x: (x.start, -x.end))
        return mentions

    def _within_cells(self, text: str, mentions: list[Mention], breaks: tuple[int, ...],
                      scope: Scope) -> list[Mention]:
        """A name read over a cell break (a city column before a name that opens with the city) is read
        again within the cell it ends in."""
        out: list[Mention] = []
        for m in mentions:
            if not any(m.start < b < m.end for b in breaks):
                out.append(m)
                continue
            lo = max(b for b in breaks if b < m.end)
            hi = min((b for b in breaks if b >= m.end), default=len(text))
            for inner in self(text[lo:hi], scope):
                inner.start, inner.end = inner.start + lo, inner.end + lo
                out.append(inner)
        return out

    def _word_goes_on(self, text: str, end: int) -> bool:
        """急救站点, 服务站点: the noun's last character starts another word with the next one; 医院协会,
        医院管理系统: the words after it make the name another thing's."""
        nxt = self.rules["noun_word_continuations"].get(text[end - 1:end], "")
        return end < len(text) and text[end] in nxt or text.startswith(self.not_before, end)

    @staticmethod
    def _drop_nested(mentions: list[Mention]) -> list[Mention]:
        """A generic noun inside a name (the 医院 of …大学附属医院) is no mention of its own, nor is a
        second reading of the same words; a name inside a longer name is kept only as the institution
        a branch, campus or facility belongs to, or the institution a consortium is named after."""
        named = [m for m in mentions if m.named]
        # (and the institution a consortium is named after: 县人民医院 of 县人民医院医共体 leads it)
        parents = {m.parent_key for m in named if m.parent_key} | {m.lead_key for m in named if m.lead_key}
        out: list[Mention] = []
        seen: set[tuple[int, int]] = set()
        for m in sorted(mentions, key=lambda x: (not x.named, x.start, -x.end)):
            if (m.start, m.end) in seen:
                continue
            inside = any(o.start <= m.start and m.end <= o.end and (o.start, o.end) != (m.start, m.end)
                         for o in named)
            if inside and (not m.named or m.key not in parents):
                continue
            seen.add((m.start, m.end))
            out.append(m)
        return out

    # -- places -------------------------------------------------------------------------------
    def _region_ending_at(self, text: str, end: int, scope: Scope) -> tuple[int, Region] | None:
        """The longest full region name that ends at `end` (a place right before a name's core)."""
        context = scope.county or scope.city or scope.province
        for length in range(min(self.region_max, end), 1, -1):
            name = text[end - length:end]
            if name[-1] not in "省市县区旗州盟" and "自治" not in name:
                continue
            region = self.gaz.resolve(name, context.code if context else None)
            if region is None or not self.gaz.is_full_name(name):
                continue
            nxt = text[end] if end < len(text) else ""
            if (name[-1], nxt) in (("区", "域"), ("市", "场")):
                continue  # 新建区域…, …市场: the suffix starts a word (区域, 市场), no place ends here
            if length == 2 and ((end < len(text) and text[end] in "级域")
                                or (scope.province and region.province_code != scope.province.code)):
                continue  # a two-character name (藤县, 成县) is weak: 建设成县域…, 县级 are no places
            return end - length, region
        return None

    def _chain_start(self, text: str, start: int, scope: Scope) -> int:
        """A chain of places (广西壮族自治区桂东…, 钦州市钦南区…) starts at the first one."""
        while (outer := self._region_ending_at(text, start, scope)) is not None:
            start = outer[0]
        return start

    def _boundary_before(self, text: str, pos: int) -> bool:
        """True when a name may start at `pos`: the text start, a non-Chinese character, or the end of
        a boundary word (推进, 依托, 与…)."""
        if pos <= 0 or not is_han(text[pos - 1]):
            return True
        return any(text.endswith(w, 0, pos) for w in self.boundary)

    def _town_ending_at(self, text: str, end: int, scope: Scope) -> _Place | None:
        """A town (某某镇, 某某乡, 某某街道) ending at `end`: 2–4 characters of its own name that are no
        generic word, starting after a boundary (a county name, a boundary word, punctuation)."""
        suffix = next((s for s in self.rules["town_suffixes"] if text.endswith(s, 0, end)), None)
        if suffix is None:
            return None
        name_end = end - len(suffix)
        known = self._known_town_ending_at(text, end, scope)
        if known is not None:
            return known
        best: _Place | None = None
        for length in range(2, self.rules["town_max"] + 1):
            start = name_end - length
            if start < 0:
                break
            own = text[start:name_end]
            if not self._own_name_ok(own[1:], inner=True):
                break
            if own[0] in self.town_stop or not self._own_name_ok(own, inner=True):
                continue  # 郭家坝镇, 沙镇溪镇, 西市街道: 家, 镇, 市 inside a name, never at its start
            region = self._region_ending_at(text, start, scope)
            if region is not None:
                county = region[1] if region[1].level == "county" else None
                return _Place(self._chain_start(text, start, scope), region[1], "town", text[start:end], county)
            # a character that is in no town's name ends the text before it too (成员单位有荷香桥镇), but a
            # candidate ending in a conjunction (协和, …机构和) needs a real boundary
            clean = self._boundary_before(text, start)
            if best is not None and best.start == start + 1 and self._boundary_before(text, start + 1) \
                    and text[start] in self.boundary and not text.endswith("、", 0, start):
                break  # 牵头医院向木乐镇…: a preposition before a town that already starts after it is no part
                # (but no conjunction follows 、: …、与儿街镇卫生院 is a town named 与儿街)
            if best is not None and any(len(w) > 1 and text.endswith(w, 0, best.start) and best.start - len(w) <= start
                                        for w in self.boundary):
                break  # 辖区内古市镇…: nor does a longer word (区内) that a town already starts after
            if clean or (text[start - 1] in self.town_stop and own[-1] not in self.rules["name_end_stop"]):
                best = _Place(start, None, "town", text[start:end], scope.county)
        return best

    def _known_town_ending_at(self, text: str, end: int, scope: Scope) -> _Place | None:
        """A town the gazetteer's towns' table gives in the document's city (or province), after a boundary or
        its county's name: read whole even where its own name holds a boundary or kind character (王村口镇
        with 村, 新建镇 with the verb 新建), which the structural reading cannot."""
        within = scope.city or scope.province
        if within is None:
            return None
        towns = self.gaz.towns_within(within.code)
        for start in range(max(0, end - self.rules["known_town_max"]), end - 2):
            if text[start:end] not in towns:
                continue
            region = self._region_ending_at(text, start, scope)
            if region is not None:
                county = region[1] if region[1].level == "county" else None
                return _Place(self._chain_start(text, start, scope), region[1], "town", text[start:end], county)
            if self._boundary_before(text, start):
                return _Place(start, None, "town", text[start:end], scope.county)
        return None

    def _own_name_ok(self, own: str, inner: bool = False) -> bool:
        """A town's or campus's own name (石塘, 北山) is no generic word and holds no boundary word;
        `inner`: the characters after a name's first, where a few stop characters may stand (郭家坝)
        unless a numeral makes them a measure word (两家乡镇)."""
        stop = self.town_stop - self.town_inner if inner else self.town_stop
        return all(is_han(c) and c not in stop for c in own) \
            and not any(w in own for w in self.generic_place) \
            and not any(w in own for w in self.boundary if len(w) > 1) \
            and not (inner and self.measure_re.search(own))

    def _shorthand_ending_at(self, text: str, end: int, scope: Scope) -> _Place | None:
        """市/省/自治区/县 right before a name's core, meaning the document's own region."""
        for word, which in self.shorthands:
            start = end - len(word)
            if start < 0 or not text.startswith(word, start):
                continue
            if start > 0 and text[start - 1] in self.rules["not_shorthand_after"] or text.startswith(("级", "域"), end):
                return None  # 全市…, 县级…, 县域…: no short form
            if self._unknown_place_before(text, start):
                return None  # 射洪市人民医院 with 射洪 in no gazetteer: another place's name, not 市 alone
            if which == "province":
                region = scope.province
            elif which == "city":
                # in a document about a county-level city (岑溪市), 市 is that city
                region = scope.county if scope.county and scope.county.name.endswith("市") else scope.city
            else:
                region = scope.county if scope.county and scope.county.name.endswith(word) else None
            return _Place(start, region, "shorthand") if region is not None else None
        return None

    def _unknown_place_before(self, text: str, start: int) -> bool:
        """Two or three characters after a table cell's or a list item's start (a tab, a line, a row's
        number, 、, a sentence that is one cell) and before a short form at `start`, holding no stop
        character nor boundary word,
        are a place's own name: the short form is that place's suffix (射洪市 of a gazetteer older than it),
        never the document's own region (after a verb, ，规范市…, the short form stays)."""
        if any(text.endswith(w, 0, start) for w in self.boundary):
            return False
        for length in (2, 3):
            own = text[start - length:start]
            if start - length < 0 or not all(is_han(c) and c not in self.town_stop for c in own) \
                    or any(w in own for w in self.boundary if len(w) > 1) or self._splits_word(text, start):
                continue
            before = text[start - length - 1] if start > length else ""
            if before in ("\t", "\n", "、") or before.isascii() and before.isdigit() \
                    or not before and not any(c in text for c in "，。；"):
                return True  # a cell, a numbered row (31射洪市…), a list item; a sentence's start only as a cell
        return False

    def _place_ending_at(self, text: str, end: int, scope: Scope) -> _Place | None:
        region = self._region_ending_at(text, end, scope)
        if region is not None:
            return _Place(self._chain_start(text, region[0], scope), region[1], "region")
        for short in self.rules["short_name_places"]:  # 北京协和医院, 上海瑞金医院
            start = end - len(short)
            if start >= 0 and text.startswith(short, start) and self._boundary_before(text, start):
                region = self.gaz.resolve(short)
                if region is not None:
                    return _Place(start, region, "region")
        town = self._town_ending_at(text, end, scope)
        if town is not None:
            return town
        return self._shorthand_ending_at(text, end, scope)

    def _city_short_name_ending_at(self, text: str, end: int) -> _Place | None:
        """A city's short name opening a hospital's name after a boundary (南京鼓楼医院, 苏州九龙医院, as
        北京协和医院 for the municipalities): two characters that are the short name of one city only and
        no common word."""
        start = end - 2
        short = text[start:end]
        if start < 0 or short in SHORT_STOPLIST or not self._boundary_before(text, start):
            return None
        regions = self.gaz.by_name(short)
        if len(regions) == 1 and regions[0].level == "city" and short in regions[0].short_names:
            return _Place(start, regions[0], "region")
        return None

    def _core_ok(self, core: str, extra: tuple[str, ...] = ()) -> bool:
        if len(core) > self.rules["max_core"]:
            return False
        if self.noun_re.search(core) or any(c in core for c in "院站所室"):
            return False
        for word in _longest_first([*self.core_words, *extra]):
            core = core.replace(word, "")
        return all((is_han(c) or c.isdigit()) and c not in self.stop for c in core)

    # -- named institutions by their noun ------------------------------------------------------
    def _named(self, text: str, noun_start: int, noun_end: int, scope: Scope) -> Mention | None:
        noun = text[noun_start:noun_end]
        if noun.endswith(self.group_nouns):
            return None
        # 某某镇卫生院: the 镇 of the noun 镇卫生院 ends the town's name
        if noun[0] in "镇乡" and noun[1:] in self.town_kinds and \
                (town := self._town_ending_at(text, noun_start + 1, scope)) is not None:
            return self._make(text, town, noun_start + 1, noun_end, noun[1:], scope)
        for core_len in range(0, min(self.rules["max_core"], noun_start) + 1):
            core_start = noun_start - core_len
            core = text[core_start:noun_start]
            if not self._core_ok(core):
                if any(len(w) > len(core) and w.endswith(core) for w in self.core_words):
                    continue  # the 和 of 太和, 协和: part of a word a name may hold
                break
            if core in self.rules["hotline_cores"] and not self._place_ending_at(text, core_start, scope) \
                    and scope.home is not None and self._boundary_before(text, core_start):
                return self._make(text, _Place(core_start, scope.county or scope.home, "hotline"),
                                  noun_start, noun_end, noun, scope)
            place = self._place_ending_at(text, core_start, scope)
            if place is None and 2 <= len(core) <= 4 and noun.endswith("医院"):
                place = self._city_short_name_ending_at(text, core_start)
            if place is None:
                continue
            if place.kind == "shorthand" and not core and noun in self.rules["shorthand_bare_nouns"] \
                    and not self._own_unit_follows(text, noun_end) \
                    and not self._own_county_hospital(text, place, noun, scope):
                return None  # 市医院, 县医院: a kind (but 县医院城西院区 is the county's hospital)
            if core and core not in self.rules["name_cores"] and self._is_modifier(core):
                return None
            return self._make(text, place, noun_start, noun_end, noun, scope)
        return self._zone_name(text, noun_start, noun_end, scope)

    def _make(self, text: str, place: _Place, noun_start: int, noun_end: int, noun: str,
              scope: Scope, kind: str | None = None) -> Mention:
        """A named mention from its place, core and noun."""
        surface = text[place.start:noun_end]
        core = text[place.start:noun_start]
        name = surface
        if place.kind == "shorthand":
            short = next(w for w, _ in self.shorthands if surface.startswith(w))
            name = place.region.name + surface[len(short):]
        elif place.kind == "hotline":
            name = surface
        if place.kind == "town":
            kind = kind or self.town_kinds.get(noun) or self._kind(core, noun)
            county = place.county or scope.county
            level = HKV + "level/township"
            city = (self.gaz.city_of(county.code).code if county else None) or (scope.home.code if scope.home else None)
            own = name[name.index(place.town):]  # the town-level name: 陆屋镇中心卫生院
            key = identity_key(f"{city}|{county.code if county else ''}", own, noun, self.canonical)
            return Mention(place.start, noun_end, surface, name, kind, level, city,
                           county.code if county else None, True, key=key, modifiers=[noun])
        kind = kind or self._kind(core, noun)
        level, city_code, county_code = self._placement(place.region, scope, self._core_after(place, core))
        key_name = place.region.name + name if place.kind == "hotline" else name
        return Mention(place.start, noun_end, surface, name, kind, level, city_code, county_code, True,
                       key=identity_key(city_code, key_name, noun, self.canonical), modifiers=[noun])

    def _own_county_hospital(self, text: str, place: _Place, noun: str, scope: Scope) -> bool:
        """In a county's own document, 县医院 after a boundary (，县医院是…, 由县医院牵头) is that county's
        hospital, one institution (平江县医院), as 县中医医院 is; in a city's plan it stays a kind, and
        so does one inside a longer word (国家县医院医疗服务能力标准) or a list of levels (市、县医院)."""
        start = place.start
        levels = start >= 2 and text[start - 1] in "、和及与" and text[start - 2] in "省市县区乡镇级"
        return scope.county is not None and place.region.code == scope.county.code \
            and noun in self.rules["own_county_bare_nouns"] and self._boundary_before(text, start) \
            and not levels  # 市、县医院: hospitals of two levels, a kind

    def _own_unit_follows(self, text: str, end: int) -> bool:
        """A campus or branch with a name of its own (城西院区, 石桥分院) right after `end`: what it
        belongs to is one institution, not a kind."""
        for length in (2, 3, 4):
            own = text[end:end + length]
            head = self.unit_re.match(text, end + length)
            if head is not None and self.unit_kind[head.group()] in self.orphan_kinds \
                    and self._unit_core_ok(own) and self._own_name_ok(own):
                return True
        return False

    def _zone_ending_at(self, text: str, end: int, city: Region) -> int | None:
        """Start of a development zone / port area of the plan's city ending at `end` (自贸区钦州港片区,
        钦州港, 五象新区): not a gazetteer division, so it must carry the city's own name or follow it."""
        suffix = next((s for s in self.zone_suffixes if text.startswith(s, end - len(s))), None)
        if suffix is None:
            return None
        start = end - len(suffix)
        while start > 0 and end - start < self.rules["zone_max"] and is_han(text[start - 1]) \
                and text[start - 1] not in self.rules["zone_stop_chars"]:
            start -= 1
        zone = text[start:end]
        own = (city.name, *city.short_names)
        if len(zone) <= len(suffix) or not (any(n in zone for n in own) or text[:start].endswith(city.name)):
            return None
        if zone.startswith(city.name):
            return None  # 钦州市X港…: the gazetteer path owns names that open with the city
        return start

    def _zone_name(self, text: str, noun_start: int, noun_end: int, scope: Scope) -> Mention | None:
        city = scope.city
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

    def _placement(self, region: Region, scope: Scope,
                   core: str | None = None) -> tuple[str | None, str | None, str | None]:
        if region.level == "county":
            level = "district" if region.name.endswith("区") else "county"
            return HKV + "level/" + level, self.gaz.city_of(region.code).code, region.code
        if region.level == "city":
            return HKV + "level/municipal", region.code, None
        # a province-run institution (its name opens with the province) stands in its province's seat
        # (江西省人民医院, 福建省立医院, 四川省八一康复中心; a municipality's in the municipality:
        # 上海市第一人民医院), not in the document's city; only one named by a part of the province
        # (广西壮族自治区桂东人民医院: 桂 and a direction) stands in the document's city (or, in a
        # provincial document, in the province)
        home = scope.home
        level = HKV + "level/provincial"
        seat = self._seat(region)
        own_province = scope.province is not None and region.code == scope.province.code
        if seat is not None and not (own_province and core is not None and self._names_part_of(region, core)):
            return level, seat, None
        return level, home.code if home else None, None

    def _names_part_of(self, province: Region, core: str) -> bool:
        """桂东, 川北, 赣南: the province's one-character name and a direction open the name's own words."""
        short = self.rules["province_characters"].get(province.code, "")
        return any(core.startswith(c + d) for c in short for d in self.rules["directions"])

    def _core_after(self, place: _Place, words: str) -> str | None:
        """The words between a place and the noun (人民 of 省人民医院, 江西省人民医院), if known."""
        if place.kind == "shorthand":
            return next((words[len(w):] for w, _ in self.shorthands if words.startswith(w)), None)
        forms = sorted((place.region.name, *place.region.aliases), key=len, reverse=True)
        return next((words[len(f):] for f in forms if words.startswith(f)), None)

    def _seat(self, province: Region) -> str | None:
        """The city a province's own institutions stand in: a municipality itself, else its capital,
        which GB/T 2260 numbers XX0100 (福建省 350000 → 福州市 350100)."""
        city = self.gaz.city_of(province.code)
        if city is not None:
            return city.code
        seat = self.gaz.get(province.code[:2] + "0100")
        return seat.code if seat is not None and seat.level == "city" else None

    def _seat_core(self, core: str) -> bool:
        """人民, 第一人民, 立, 肿瘤, 中医: the words every province's institution of a kind is named by."""
        for word in _longest_first(self.rules["core_words"] + self.rules["seat_core_words"]):
            core = core.replace(word, "")
        for stem, _ in self.specialty:
            core = core.replace(stem, "")
        return not core

    # -- generic mentions of kinds -------------------------------------------------------------
    def _generic(self, text: str, noun_start: int, noun_end: int, scope: Scope) -> Mention | None:
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
        home = scope.home
        return Mention(j, noun_end, surface, surface, kind, level, home.code if home else None, None,
                       False, key=f"kind|{surface}", modifiers=words)

    # -- coordinated places --------------------------------------------------------------------
    def _conjuncts(self, text: str, head: Mention, scope: Scope) -> list[Mention]:
        """灵山县、浦北县精神病医院: the places before the head share its name's remainder."""
        out: list[Mention] = []
        first = None
        for length in range(min(self.region_max, len(head.surface)), 1, -1):
            hit = self._region_ending_at(text, head.start + length, scope)
            if hit is not None and hit[0] == head.start:
                first = length
                break
        if first is None:
            return out
        rest = head.surface[first:]
        noun = head.modifiers[0] if head.modifiers else ""
        pos = head.start
        while pos > 1 and text[pos - 1] in COORDINATORS:
            hit = self._region_ending_at(text, pos - 1, scope)
            if hit is None:
                break
            r_start, region = hit
            name = text[r_start:pos - 1] + rest
            level, city_code, county_code = self._placement(region, scope)
            out.append(Mention(r_start, pos - 1, name, name, head.kind, level, city_code,
                               county_code, True, key=identity_key(city_code, name, noun, self.canonical),
                               modifiers=[noun]))
            pos = r_start
        return out

    def _town_lists(self, text: str, found: list[Mention], scope: Scope) -> list[Mention]:
        """桃洪镇、六都寨镇、滩头镇等卫生院: coordinated towns share the health centre's noun."""
        out: list[Mention] = []
        taken = {m.end for m in found if m.named}
        for noun in _longest_first(self.town_kinds):
            for m in re.finditer(re.escape(noun), text):
                if m.end() in taken or text.endswith("中心", 0, m.start()) and noun == "卫生院":
                    continue
                pos, listed = m.start(), bool(text.endswith("等", 0, m.start()))
                pos -= 1 if listed else 0
                towns: list[_Place] = []
                while (town := self._town_ending_at(text, pos, scope)) is not None and town.region is None:
                    towns.append(town)
                    if town.start == 0 or text[town.start - 1] not in COORDINATORS:
                        break
                    pos = town.start - 1
                if not towns or (len(towns) == 1 and not listed):
                    continue  # one town right before the noun: an ordinary name
                for town in towns:
                    county = town.county
                    home = scope.home.code if scope.home else None
                    city = (self.gaz.city_of(county.code).code if county else None) or home
                    name = town.town + noun
                    key = identity_key(f"{city}|{county.code if county else ''}", name, noun, self.canonical)
                    out.append(Mention(town.start, town.start + len(town.town), town.town, name, self.town_kinds[noun],
                                       HKV + "level/township", city, county.code if county else None, True,
                                       key=key, modifiers=[noun]))
                taken.add(m.end())
        return out

    # -- universities and their hospitals ------------------------------------------------------
    def _university_start(self, text: str, suffix_start: int, scope: Scope) -> int:
        """A university's name runs back from its suffix over Chinese characters, up to a region name
        (江西中医药大学, 南昌大学) or a boundary word (依托广西医科大学 → 广西医科大学)."""
        start = suffix_start
        while start > 0 and suffix_start - start < self.rules["university_max"] and is_han(text[start - 1]):
            region = self._region_ending_at(text, start, scope)
            if region is None:
                short = [m for m in self.gaz.find(text[max(0, start - 8):start], short=True)
                         if m.end == start - max(0, start - 8)]
                if short:
                    return start - len(short[-1].text)
            else:
                return self._chain_start(text, region[0], scope)
            if any(text.endswith(w, 0, start) for w in self.boundary):
                return start
            start -= 1
        return start

    def _school_of_university(self, text: str, suffix_start: int) -> int:
        """A school inside a university (华中科技大学同济医学院, 长江大学第一临床医学院) is named from its
        university on: where the university's suffix starts, else `suffix_start`."""
        if not text.startswith(self.rules["school_suffix"], suffix_start):
            return suffix_start
        outer = self.rules["school_of"]
        k = text.rfind(outer, max(0, suffix_start - len(outer) - self.rules["school_own_max"]), suffix_start)
        between = text[k + len(outer):suffix_start] if k >= 0 else ""
        if k < 0 or not all(is_han(c) and c not in self.stop for c in between.replace("第一", "").replace("第二", "")):
            return suffix_start
        return k

    def _universities(self, text: str, found: list[Mention], scope: Scope) -> list[Mention]:
        """Universities and their affiliated hospitals (广西医科大学第一附属医院, 北部湾大学): partners of
        cooperation and hosts of centres, at the level universities are run (institutions.yaml); placed by
        the region their name opens with, else by a member table's row, else in the document's city."""
        out: list[Mention] = []
        home = scope.home
        code = home.code if home else None
        for m in self.university_re.finditer(text):
            end = m.end("suffix")
            start = self._university_start(text, self._school_of_university(text, m.start("suffix")), scope)
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
            name = text[start:end]
            level = HKV + "level/" + self.rules["university_level"]
            where = self._university_city(uni, scope) or self._row_city(text, end) or code
            out.append(Mention(start, end, name, name, kind, level, where, None, True,
                               key=identity_key(where, name, "", self.canonical), modifiers=[]))
        return out

    def _university_city(self, uni: str, scope: Scope) -> str | None:
        """A school named after a city (邵阳学院, 桂林医学院, 南昌大学) stands in that city, whatever the
        document's own city is; one named after another province than the document's in its seat."""
        found = self.gaz.find(uni, short=True)
        if not found or found[0].start != 0:
            return None
        regions = [found[0].region] if found[0].region is not None else list(found[0].candidates)
        if len(regions) == 1 and regions[0].level == "province":
            # 重庆医科大学, 四川大学 in a 云南 notice: in that province's seat; one of the document's own
            # province (广西科技大学 stands in 柳州) is placed by the document
            own = scope.province is not None and regions[0].code == scope.province.code
            return None if own else self._seat(regions[0])
        cities = {c.code for r in regions if (c := self.gaz.city_of(r.code)) is not None and c.level == "city"}
        # 邵阳 is 邵阳市 and its 邵阳县: one city either way; a county's name (南华大学 is no 南华县's) is
        # too weak a sign
        named_city = any(r.level == "city" for r in regions)
        return cities.pop() if len(cities) == 1 and named_city else None

    def _row_city(self, text: str, end: int) -> str | None:
        """A table row (序号 单位名称 所在市 [联盟职务], read without its cell breaks: 3西南医科大学附属医院
        泸州市副理事长单位) whose words right after the name are a full city name, and after it no other
        institution's noun (a role, or nothing): the school-run hospital of that row stands in that city."""
        rest = text[end:].rstrip("。；，、 ")
        for length in range(min(9, len(rest)), 2, -1):
            head = rest[:length]
            if not self.gaz.is_full_name(head) or self.noun_re.search(rest[length:]):
                continue
            region = self.gaz.resolve(head)
            return region.code if region is not None and region.level == "city" else None
        return None

    # -- named bodies without a class noun -----------------------------------------------------
    def _bodies(self, text: str, found: list[Mention], scope: Scope) -> list[Mention]:
        """钦州市卫生信息与医学考试中心, 钦州市计划生育药具管理站, 岑溪市精神卫生福利院: a place, a
        distinctive part carrying a health word and a head that is no class label."""
        out: list[Mention] = []
        ends = {m.end for m in found}
        for m in self.body_re.finditer(text):
            head_start, head_end = m.start(), m.end()
            if head_end in ends or (head_end < len(text) and text[head_end] in "院站所室库中") \
                    or self._word_goes_on(text, head_end):
                continue
            for core_len in range(2, min(self.rules["max_core"], head_start) + 1):
                core_start = head_start - core_len
                core = text[core_start:head_start]
                if not self._core_ok(core, self.body_core_words):
                    break
                place = self._place_ending_at(text, core_start, scope)
                if place is None or place.kind == "town":
                    continue
                if not any(w in core for w in self.health_words) or self._is_modifier(core) \
                        or any(w in core for w in self.rules["body_not_words"]):
                    break
                kind = next((k for word, k in self.rules["body_kinds_by_word"].items() if word in core),
                            self.rules["body_kind"])
                out.append(self._make(text, place, head_start, head_end, m.group(), scope, kind=HK + kind))
                break
        return out

    def _hosted_centres(self, text: str, found: list[Mention], scope: Scope) -> list[Mention]:
        """依托X创建Y中心: Y (opening with a place name, or long enough to be a name) is a functional unit of X;
        so is each further item of a list (依托X建设A、B和C) and each facility a named host founds itself
        (X设立Y工作站, 在X挂牌成立Y) that names its service (医学检验中心, 国医大师工作站); X互联网医院 is X's."""
        rules = self.rules
        out: list[Mention] = []
        stations = rules["hosted_station_heads"]
        for host in found:
            if not host.named:
                continue
            hosted = text.endswith(rules["hosted_centre_cue"], 0, host.start)
            if not host.parent_key and text.startswith(tuple(rules["facility_after_host"]), host.end):
                head = next(h for h in _longest_first(rules["facility_after_host"]) if text.startswith(h, host.end))
                out.append(Mention(host.start, host.end + len(head), text[host.start:host.end + len(head)],
                                   host.name + head, HK + rules["facility_after_host"][head], host.level, host.city,
                                   host.county, True, key=f"{host.key}|{head}", modifiers=[head],
                                   parent_key=host.key))
            if not host.parent_key and (after := self._facility_after_name(text, host)) is not None:
                out.append(after)
            verb = self._facility_verb(text, host, hosted)
            if verb is None:
                continue
            for k, (start, end, head) in enumerate(self._facility_items(text, verb)):
                opening = [g for g in self.gaz.find(text[start:end], short=True) if g.start == 0]
                own = end - start - len(head) - (len(opening[0].text) if opening else 0)
                station_own = text[start:end - len(head)]
                if head in stations:
                    if not hosted or k or not (opening and own == 0) \
                            and not (len(station_own) >= 2 and self._own_name_ok(station_own)):
                        continue  # a station on a host is named by a place (城中急救站, 茅坪急救站), else it is a kind
                elif not (opening and own >= 1 or hosted and k == 0 and own >= rules["hosted_centre_min_own"]) \
                        and not self._facility_ok(text[end - len(head) - own:end - len(head)], head):
                    continue
                same = next((m for m in found if m.named and (m.start, m.end) == (start, end)), None)
                if same is not None:  # 市产前诊断中心: a body named by its place, now known to be the host's
                    same.parent_key = same.parent_key or (host.key if same.key != host.key else None)
                    continue
                surface = name = text[start:end]
                if not opening and (short := self._own_region_short_form(text, start, scope)) is not None:
                    name = short[1].name + surface[short[0]:]  # 县中医药适宜技术推广中心: the county's own centre
                kind = HK + stations[head] if head in stations else self._facility_kind(name)
                out.append(Mention(start, end, surface, name, kind, host.level, host.city, host.county,
                                   True, key=f"{host.key}|{name}", modifiers=[head], parent_key=host.key))
        out.extend(self._stations_placed_on(text, found))
        return out

    def _facility_after_name(self, text: str, host: Mention) -> Mention | None:
        """县人民医院医学检验中心: a facility named right after its host, by the service it gives others."""
        if text.startswith((*self.boundary, *self.rules["facility_verbs"], *self.rules["facility_adverbs"]), host.end):
            return None
        items = self._facility_items(text, host.end)
        if not items or items[0][2] in self.rules["hosted_station_heads"]:
            return None
        _, end, head = items[0]
        own = text[host.end:end - len(head)]
        if any(w in own for w in (*self.boundary, *self.rules["facility_verbs"]) if len(w) > 1):
            return None  # 县中医院共同建成远程会诊中心: a verb, no name
        if not self._facility_ok(own, head) or head in self.rules["facility_own_heads"]:
            return None  # a workstation after its host is read with units (院士工作站: no name of its own)
        return Mention(host.start, end, text[host.start:end], host.name + own + head, self._facility_kind(own + head),
                       host.level, host.city, host.county, True, key=f"{host.key}|{own}{head}", modifiers=[head],
                       parent_key=host.key)

    def _facility_verb(self, text: str, host: Mention, hosted: bool) -> int | None:
        """Where the facilities start after a host: 依托X + a verb of creation, or X/在X (adverb) + a verb of
        founding (X设立…, 在X挂牌成立…)."""
        rules = self.rules
        if hosted:
            verb = next((v for v in _longest_first(rules["hosted_centre_verbs"]) if text.startswith(v, host.end)),
                        None)
            return None if verb is None else host.end + len(verb)
        if host.parent_key:
            return None
        pos = host.end
        adverb = next((a for a in _longest_first(rules["facility_adverbs"]) if text.startswith(a, pos)), "")
        pos += len(adverb)
        verb = next((v for v in _longest_first(rules["facility_verbs"]) if text.startswith(v, pos)), None)
        return None if verb is None else pos + len(verb)

    def _facility_items(self, text: str, start: int) -> list[tuple[int, int, str]]:
        """The items (start, end, head) of a list of centres after a verb, each ending in a head
        (远程心电诊断中心、医学检验中心和消毒供应中心); the list ends at the first item without one."""
        rules = self.rules
        heads = _longest_first(rules["hosted_centre_heads"] + list(rules["hosted_station_heads"]))
        stop = set(rules["consortium_core_stop"])
        out = []
        while True:
            end = start
            while end < len(text) and end - start < rules["hosted_centre_max"] and is_han(text[end]) \
                    and text[end] not in stop:
                end += 1
            # the centre's name ends with its head (…中心建设项目 → …中心)
            while end > start and not any(text.endswith(h, 0, end) for h in heads):
                end -= 1
            head = next((h for h in heads if text.endswith(h, 0, end)), None)
            if head is None:
                return out
            if end < len(text) and is_han(text[end]) \
                    and not text.startswith((*rules["facility_item_after"], *self.boundary), end):
                return out  # 建立健全工作站制度: the head inside a longer noun
            out.append((start, end, head))
            joiner = next((j for j in _longest_first(rules["facility_list_joiners"]) if text.startswith(j, end)), None)
            if joiner is None:
                return out
            start = end + len(joiner)

    def _facility_ok(self, own: str, head: str) -> bool:
        """A centre named by the service it gives others (医学检验, 消毒供应, 远程心电诊断), or a workstation with
        words of its own (国医大师工作站); 胸痛中心, 卒中中心 are a hospital's departments, no facility."""
        rules = self.rules
        if head in rules["facility_own_heads"]:
            return len(own) >= 2
        return len(own) >= 2 and any(w in own for w in rules["facility_words"])

    def _facility_kind(self, name: str) -> str:
        """The unit class a facility's name ends with (…工作站, …研究中心), else a functional unit."""
        return next((iri for label, iri in sorted(self.unit_kind.items(), key=lambda x: -len(x[0]))
                     if name.endswith(label) and iri != HK + "TCMHall"), HK + "FunctionalUnit")

    def _own_region_short_form(self, text: str, start: int, scope: Scope) -> tuple[int, Region] | None:
        """县/市 opening a name at `start` as the document's own county or city (县中医药适宜技术推广中心 in
        a county's document): the short form's length and the region; never 县级, 县域, 县乡, 市县 words."""
        for word, _ in self.shorthands:
            end = start + len(word)
            if not text.startswith(word, start) or end >= len(text) \
                    or text[end] in self.rules["not_own_region_after"]:
                continue
            place = self._shorthand_ending_at(text, end, scope)
            if place is not None and place.start == start and place.region is not None \
                    and place.region.level != "province":
                return len(word), place.region
        return None

    def _stations_placed_on(self, text: str, found: list[Mention]) -> list[Mention]:
        """建设路急救站设在天水市第一人民医院, 藉河急救站依托X设置: a station whose own name (a street, a
        neighbourhood: 2–4 characters that are no generic word) opens its clause and which is set up on
        a named host right after it is a unit of that host."""
        rules = self.rules
        stations = rules["hosted_station_heads"]
        hosts = {m.start: m for m in found if m.named and m.parent_key is None}
        out: list[Mention] = []
        for m in re.finditer(_alternation(stations), text):
            head_start, head_end = m.start(), m.end()
            cue = next((c for c in rules["hosted_station_after_cues"] if text.startswith(c, head_end)), None)
            host = hosts.get(head_end + len(cue)) if cue else None
            if host is None:
                continue
            for length in range(2, rules["town_max"] + 1):
                start = head_start - length
                own = text[start:head_start]
                if start < 0 or not all(is_han(c) and c not in self.town_stop for c in own) \
                        or any(w in own for w in self.generic_place):
                    break
                if start == 0 or not is_han(text[start - 1]):
                    name = text[start:head_end]
                    out.append(Mention(start, head_end, name, name, HK + stations[m.group()], host.level, host.city,
                                       host.county, True, key=f"{host.key}|{name}", modifiers=[m.group()],
                                       parent_key=host.key))
                    break
        return out

    # -- branches, campuses and facilities -----------------------------------------------------
    def _unit_core_ok(self, core: str) -> bool:
        return len(core) <= self.rules["unit_core_max"] and \
            all((is_han(c) or (c.isascii() and c.isalnum())) and c not in self.rules["unit_stop_chars"] for c in core) \
            and not core.startswith(tuple(self.rules["unit_start_stop_chars"])) and \
            not any(w in core for w in self.boundary if len(w) > 1)

    def _units(self, text: str, found: list[Mention], scope: Scope) -> list[Mention]:
        """X医院某某院区, X血站某某献血点, X医院急救站: a unit named after its institution; 某某院区 alone
        after the one institution of its sentence; 灵山县献血点 with a place of its own."""
        out: list[Mention] = []
        named = sorted((m for m in found if m.named), key=lambda x: x.end)
        for m in self.unit_re.finditer(text):
            head_start, head_end = m.start(), m.end()
            head = m.group()
            kind = self.unit_kind[head]
            if head_end < len(text) and text[head_end] in "院站所室库" or self._word_goes_on(text, head_end):
                continue
            # after the name of its institution
            parent = next((p for p in reversed(named) if p.end <= head_start and p.parent_key is None
                           and self._unit_core_ok(text[p.end:head_start])), None)
            if parent is not None and not text[parent.end:head_start] and head in self.rules["own_name_unit_heads"]:
                continue  # 加强市疾控中心实验室能力建设: the centre's laboratory, no unit of its own
            if parent is not None and self._generic_unit(text[parent.end:head_start], head):
                continue  # 院士工作站, 博士后科研工作站: a programme any hospital may host, no unit
            if parent is not None and (text[parent.end:head_start] or kind not in self.orphan_kinds):
                out.append(self._unit(text, parent, parent.start, head_start, head_end, kind))
                continue
            # a place of its own (灵山县献血点, 钦州湾广场献血点): a region, or the city's short name
            own = self._unit_with_place(text, head_start, head_end, kind, scope)
            if own is not None:
                out.append(own)
                continue
            # 北山院区 alone: the one institution before it in the sentence
            if kind in self.orphan_kinds:
                before = [p for p in named if p.end <= head_start and p.parent_key is None]
                core_start = self._orphan_start(text, head_start)
                if len({p.key for p in before}) == 1 and core_start is not None \
                        and not self._unread_name_before(text, core_start, before[-1]):
                    out.append(self._unit(text, before[-1], core_start, head_start, head_end, kind))
        return out

    def _branches_named_by_place(self, text: str, found: list[Mention]) -> list[Mention]:
        """A hospital's name right followed by a place's name and 医院 (南昌大学第一附属医院宜春医院,
        北京儿童医院保定医院: a regional branch of a national or provincial hospital) is one branch of it,
        not the hospital alone."""
        out: list[Mention] = []
        branch = self.rules["place_branch_noun"]
        for parent in found:
            if not parent.named or parent.parent_key or not parent.name.endswith(branch):
                continue
            for length in (4, 3, 2):
                end = parent.end + length
                if text.startswith(branch, end) and not self._word_goes_on(text, end + len(branch)) \
                        and self._is_place_name(text[parent.end:end]):
                    out.append(self._unit(text, parent, parent.start, end, end + len(branch),
                                          self.unit_kind[self.rules["place_branch_kind"]]))
                    break
        return out

    def _is_place_name(self, name: str) -> bool:
        """A region's full name (宜春市, 袁州区) or a region's short name (宜春, 保定; between a hospital's
        name and 医院 even a short name that is also a word, or that two regions share, is a place)."""
        return self.gaz.is_full_name(name) or any(name in r.short_names for r in self.gaz.by_name(name))

    @staticmethod
    def _strip_words(text: str, words: list[str]) -> str:
        for word in _longest_first(words):
            text = text.replace(word, "")
        return text

    def _generic_unit(self, own: str, head: str) -> bool:
        """The own words of a unit are only words of a kind of it (院士, 博士后科研 + 工作站)."""
        generic = self.rules["generic_unit_words"].get(head)
        if not generic or not own:
            return False
        for word in _longest_first(generic):
            own = own.replace(word, "")
        return not own

    def _unit(self, text: str, parent: Mention, start: int, head_start: int, head_end: int,
              kind: str) -> Mention:
        """A unit of `parent` written from `start` (the parent's own start when named after it)."""
        own = text[parent.end if start == parent.start else start:head_end]
        return Mention(start, head_end, text[start:head_end], parent.name + own, kind, parent.level, parent.city,
                       parent.county, True, key=f"{parent.key}|{own}", modifiers=[text[head_start:head_end]],
                       parent_key=parent.key)

    def _splits_word(self, text: str, pos: int) -> bool:
        """A boundary word runs across `pos` (推进|新院区: 进新 is no campus's name)."""
        return any(text.startswith(w, pos - i) for w in self.boundary if len(w) > 1 for i in range(1, len(w))
                   if pos - i >= 0)

    def _orphan_start(self, text: str, head_start: int) -> int | None:
        """Start of a campus's or branch's own name (北山, 苍海) before its head: two characters that
        are no generic word, or up to four after a boundary."""
        for length in (4, 3, 2):
            start = head_start - length
            own = text[start:head_start]
            if start < 0 or not self._unit_core_ok(own) or not self._own_name_ok(own) \
                    or self._splits_word(text, start):
                continue
            if length == 2 or self._boundary_before(text, start):
                return start
        return None

    def _unread_name_before(self, text: str, start: int, parent: Mention) -> bool:
        """An institution's noun (湘雅二医院 of 湘雅二医院平江分院) ends right before a branch's own name and
        is not `parent`'s: the branch belongs to that institution, which was not read — not to the
        one named earlier in the sentence."""
        if start == parent.end:
            return False
        return any(text.endswith(noun, 0, start) for noun in self.noun_kind)

    def _unit_with_place(self, text: str, head_start: int, head_end: int, kind: str,
                         scope: Scope) -> Mention | None:
        for core_len in range(0, min(self.rules["unit_core_max"], head_start) + 1):
            core_start = head_start - core_len
            core = text[core_start:head_start]
            if not self._unit_core_ok(core):
                break
            place = self._region_ending_at(text, core_start, scope)
            if place is not None:
                region = place[1]
                start = self._chain_start(text, place[0], scope)
                level, city_code, county_code = self._placement(region, scope)
                name = text[start:head_end]
                return Mention(start, head_end, name, name, kind, level, city_code, county_code, True,
                               key=identity_key(city_code, name, "", self.canonical),
                               modifiers=[text[head_start:head_end]])
            # a local place carrying the city's (or county's) short name: 钦州湾广场
            local = scope.county or scope.city
            if core and local is not None and self._boundary_before(text, core_start) and \
                    any(core.startswith(s) and len(core) > len(s) for s in local.short_names):
                level, city_code, county_code = self._placement(local, scope)
                name = text[core_start:head_end]
                return Mention(core_start, head_end, name, name, kind, level, city_code, county_code, True,
                               key=identity_key(city_code, name, "", self.canonical),
                               modifiers=[text[head_start:head_end]])
        return None

    # -- named consortia -----------------------------------------------------------------------
    def _consortia(self, text: str, found: list[Mention], scope: Scope) -> list[Mention]:
        """灵山县国家级紧密型县域医疗共同体, 江西省儿童医疗联盟 (a place and a designation), 县人民医院医共体
        (the institution that leads it)."""
        out: list[Mention] = []
        stop = set(self.rules["consortium_core_stop"])
        by_end = {m.end: m for m in found if m.named and not m.parent_key}
        for m in self.consortium_re.finditer(text):
            noun_start, noun_end = m.start(), m.end()
            if text.count("《", 0, noun_start) > text.count("》", 0, noun_start):
                continue  # 《钦州市区域医疗联合体建设实施方案》: a title
            if text.startswith(tuple(self.rules["consortium_not_before"]), noun_end):
                continue  # 永新县医共体管理委员会: the consortium's committee, an organ of government
            noun = m.group()
            kind = self.consortium_kind[noun]
            lead = by_end.get(noun_start)
            if lead is None:
                lead = self._leader_short_form(text, noun_start, scope)
                if lead is not None:
                    # the leader named inside the consortium's name (人民医院 of 人民医院医共体) is an institution
                    # of the document too, as 县人民医院 before 医共体 is: its relations must reach a known one
                    out.append(lead)
            if lead is not None:
                name = lead.name + noun
                out.append(Mention(lead.start, noun_end, text[lead.start:noun_end], name, kind, lead.level, lead.city,
                                   lead.county, True, key=f"{lead.key}|{noun}", modifiers=[noun],
                                   lead_key=lead.key))
                continue
            for core_len in range(0, min(self.rules["consortium_core_max"], noun_start) + 1):
                core_start = noun_start - core_len
                core = text[core_start:noun_start]
                if any(c in stop or not is_han(c) or c in self.rules["consortium_core_no_nouns"] for c in core) \
                        or any(w in core for w in self.boundary if len(w) > 1):
                    break  # 永新县第二人民医院纳入医共体: an institution's name is no consortium's designation
                region = self._region_ending_at(text, core_start, scope)
                if region is None:
                    continue
                programme = self.rules["consortium_programme_words"]
                if not self._strip_words(core, programme) and (core or noun.startswith(tuple(programme))):
                    break  # 霍山县紧密型县域医共体(建设): the county's programme, not one consortium
                start = self._chain_start(text, region[0], scope)
                level, city_code, county_code = self._placement(region[1], scope)
                name = text[start:noun_end]
                out.append(Mention(start, noun_end, name, name, kind, level, city_code, county_code, True,
                                   key=identity_key(city_code, name, "", self.canonical), modifiers=[noun]))
                break
        return out

    def _leader_short_form(self, text: str, noun_start: int, scope: Scope) -> Mention | None:
        """人民医院医共体, 中医院医共体 (after 以县人民医院、县中医院…为牵头医院，组建3个医共体): a consortium named
        by its leader's name without the place, in a document about a county or a city, is that region's
        institution's (read as if the region's short form, 县 or 市, stood before it)."""
        region = scope.county or scope.city
        if region is None:
            return None
        short = region.name[-1] if region.name[-1] in self.rules["shorthands"]["county"] else "市"
        if region is scope.city and scope.county is None and short != "市":
            return None
        for m in self.noun_re.finditer(text, max(0, noun_start - self.rules["leader_short_form_max"]), noun_start):
            if m.end() != noun_start:
                continue
            for start in range(m.start(), max(-1, m.start() - self.rules["max_core"] - 1), -1):
                if not all(is_han(c) for c in text[start:m.start()]):
                    break
                if not self._boundary_before(text, start):
                    continue
                synthetic = short + text[start:noun_start]
                lead = self._named(synthetic, 1 + m.start() - start, len(synthetic), scope)
                if lead is not None and lead.named and lead.start == 0 and lead.name.startswith(region.name):
                    lead.start, lead.end, lead.surface = start, noun_start, text[start:noun_start]
                    return lead
        return None

    # -- planned and aliases --------------------------------------------------------------------
    def _planned(self, text: str, start: int, end: int) -> bool:
        """新建/拟建/规划设置 X in the same clause, or X新建项目 right after the name."""
        clause_start = max(text.rfind(p, 0, start) for p in "，。；：") + 1
        window = text[max(clause_start, start - 12):start]
        return any(cue in window for cue in self.planned_cues) or \
            any(text.startswith(cue, end) for cue in self.rules["planned_after_cues"])

    def _mark_aliases(self, text: str, mentions: list[Mention]) -> None:
        """X（Y）, X（原Y）, X（加挂Y牌子）, X即Y, X加挂Y牌子: Y is another name of X; X·Y: X is Y's."""
        named = [m for m in mentions if m.named]
        by_start: dict[int, Mention] = {}
        for m in sorted(named, key=lambda x: x.end - x.start):
            by_start[m.start] = m  # the longest mention starting there
        rules = self.rules
        for m in sorted(named, key=lambda x: x.start):
            if m.alias_of is not None:
                continue
            pos = m.end
            if text[pos:pos + 1] in rules["alias_joiners"] and (joined := by_start.get(pos + 1)) is not None \
                    and joined.parent_key is None and m.parent_key is None:
                m.alias_of = joined.key  # 四川省医学科学院·四川省人民医院: one body, known by its hospital
                continue
            if text.startswith("（", pos):
                inner = pos + 1
                for word in _longest_first(rules["alias_bracket_prefixes"]):
                    if text.startswith(word, inner):
                        inner += len(word)
                        break
                alias = by_start.get(inner)
                if alias is not None and alias is not m and text.startswith(("）", "牌子）"), alias.end) \
                        and alias.parent_key is None:
                    alias.alias_of = m.key
                continue
            for cue in (*rules["alias_sign_cues"], *rules["alias_link_words"]):
                start = pos + (1 if text.startswith("，", pos) else 0)
                if not text.startswith(cue, start):
                    continue
                inner = start + len(cue)
                inner += 1 if text.startswith("“", inner) else 0
                alias = by_start.get(inner)
                if alias is None or alias is m or alias.parent_key is not None and cue not in rules["alias_sign_cues"]:
                    break  # (a sign may name a branch: X镇卫生院加挂Y医院X分院牌子, the centre is that branch)
                after = alias.end + (1 if text.startswith("”", alias.end) else 0)
                if cue in rules["alias_sign_cues"] and not text.startswith(rules["alias_sign_end"], after):
                    break
                alias.alias_of = m.key
                break


# ---------------------------------------------------------------------------------------------
# spaCy glue: the recogniser as a pipeline component writing spans with `kg_` extensions

for _name in ("kg_name", "kg_kind", "kg_level", "kg_city", "kg_county", "kg_key", "kg_alias_of",
              "kg_planned", "kg_named", "kg_surface", "kg_norm_span", "kg_parent", "kg_lead"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)
for _name in ("kg_city", "kg_county", "kg_truncated", "kg_sentence"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def cell_breaks(sentence) -> tuple[int, ...]:
    """Where the cells of a table row meet in its normalised text: a tab (a cell break, or the tab that
    opens a cell written on a line of its own) between two characters."""
    if sentence is None or getattr(sentence, "kind", None) != "table":
        return ()
    offsets, text, base = sentence.norm.offsets, sentence.text, sentence.start
    return tuple(i for i in range(1, len(offsets))
                 if "\t" in text[offsets[i - 1] + 1 - base:offsets[i] - base])


@Language.factory("kg_institutions_v1", default_config={})
def make_institution_component(nlp: Language, name: str):
    recognizer = InstitutionRecognizer(load_vocabulary(), Gazetteer.load(), load_rules())

    def component(doc: Doc) -> Doc:
        spans_named, spans_kind = [], []
        found = recognizer(doc.text, doc._.kg_city, bool(doc._.kg_truncated), county=doc._.kg_county,
                           breaks=cell_breaks(doc._.kg_sentence))
        for m in found:
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
            span._.kg_parent = m.parent_key
            span._.kg_lead = m.lead_key
            (spans_named if m.named else spans_kind).append(span)
        doc.spans["kg_institutions"] = spans_named
        doc.spans["kg_kinds"] = spans_kind
        return doc

    return component
