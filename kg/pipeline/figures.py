"""Figures → `hk:Observation` nodes (docs/model.md, "Figures").

Three kinds of tables are recognised by their header words (kg/data/figures.yaml), not by file:

- indicator tables (领域/序号/主要指标/2020年…/2025年目标/指标性质): one observation per value cell;
  the subject is the plan's city, or the region named above a group of year columns (梧州 / 广西);
- institution resource tables (医院名称/目前编制床位/实际开放床位/…): the subject is the institution
  named in the first cell (found by the institution recogniser), with `hk:area` the plan's city;
- per-area tables (地区/2025年每千常住人口/床位数（张）…): the subject is the county named in the row,
  the city for 全市. Areas that are not administrative regions (城区, 县域) become a node
  `hkid:area/{city code}/{hash}` typed `hk:AdministrativeRegion`, labelled with the city's name and
  the plan's word (梧州市城区), `hk:withinRegion` the city — so their figures never merge with the
  whole city's, and `hk:area` of the observation points at that node.

Counting sentences in running text (全市共有医疗卫生机构8640所) give observations of the city.
Every triple sits in the evidence graph of its row or sentence. A dash cell gives no observation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pyoxigraph as ox
import yaml

from kg.build import HKID, RDF_TYPE, SKOS, BuildContext, N, region_iri, typed, zh
from kg.corpus import Cell, Sentence, Table
from kg.paths import PACKAGE_DATA
from kg.pipeline.institutions import InstitutionRecognizer, load_rules, short_hash
from kg.textnorm import is_dash, normalize, normalize_text
from kg.vocab import HK, HKV, load_vocabulary


@lru_cache(maxsize=1)
def load_config() -> dict:
    with open(PACKAGE_DATA / "figures.yaml", encoding="utf-8") as f:
        return yaml.safe_load(f)


@lru_cache(maxsize=1)
def recognizer(gazetteer) -> InstitutionRecognizer:
    return InstitutionRecognizer(load_vocabulary(), gazetteer, load_rules())


def _longest_first(words) -> list[str]:
    return sorted(words, key=len, reverse=True)


# ---------------------------------------------------------------------------------------------
# Values


@dataclass
class Value:
    text: str  # as written, whitespace removed
    value: str | None  # decimal lexical form
    comparator: str | None


def parse_value(cell: str) -> Value | None:
    """A value cell → Value; None for an empty or dash cell (no observation, never zero).

    >>> parse_value("≥0.77")
    Value(text='≥0.77', value='0.77', comparator='≥')
    >>> parse_value("4.5左右")
    Value(text='4.5左右', value='4.5', comparator='左右')
    >>> parse_value("1:1.39").value is None
    True
    >>> parse_value("—") is None
    True
    """
    pieces = cell.split()
    if not pieces or is_dash(cell):
        return None
    if len(pieces) > 1:
        # two values for two sub-populations (85 / 70): kept as written, no single number
        parsed = [parse_value(p) for p in pieces]
        comparators = {p.comparator for p in parsed if p}
        text = " / ".join(p.text for p in parsed if p)
        return Value(text, None, comparators.pop() if len(comparators) == 1 else None) if text else None
    written = pieces[0]
    norm = normalize_text(written)
    cfg = load_config()["comparators"]
    comparator = None
    for word in _longest_first(cfg["prefix"]):
        if norm.startswith(word):
            comparator, norm = cfg["prefix"][word], norm[len(word):]
            break
    for word in _longest_first(cfg["suffix"]):
        if norm.endswith(word):
            comparator, norm = comparator or cfg["suffix"][word], norm[: -len(word)]
            break
    norm = norm.rstrip("%‰")
    if re.fullmatch(r"\d+(?:\.\d+)?", norm):
        try:
            return Value(written, str(Decimal(norm)), comparator)
        except InvalidOperation:
            pass
    return Value(written, None, comparator)


# ---------------------------------------------------------------------------------------------
# Emitting


class Emitter:
    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.cfg = load_config()
        self.seen: set[str] = set()
        self.table_sentences = {(s.start, s.end): s for s in ctx.plan.sentences if s.kind == "table"}

    def row_sentence(self, row: list[Cell]) -> Sentence | None:
        filled = [c for c in row if c.text]
        if not filled:
            return None
        key = (filled[0].start, filled[-1].end)
        found = self.table_sentences.get(key)
        if found is not None:
            return found
        text = self.ctx.plan.text[key[0]:key[1]]
        return Sentence(self.ctx.plan.doc_id, key[0], key[1], text, normalize(text, base=key[0]), (), "table")

    def measure(self, label: str, sentence: Sentence) -> ox.NamedNode:
        node = N(f"{HKV}measure/{short_hash(label)}")
        self.ctx.writer.add(node, RDF_TYPE, N(SKOS + "Concept"), evidence=sentence)
        self.ctx.writer.add(node, N(SKOS + "prefLabel"), zh(label), evidence=sentence)
        self.ctx.writer.add(node, N(SKOS + "inScheme"), N(HKV + "measure"), evidence=sentence)
        return node

    def observe(self, sentence: Sentence, subject: ox.NamedNode, measure: str, year: int, role: str,
                value: Value, unit: str | None = None, nature: str | None = None,
                area: ox.NamedNode | None = None) -> None:
        doc = self.ctx.plan.doc_id
        key = short_hash(doc, subject.value, measure, str(year), role)
        if key in self.seen:
            return  # one figure per (subject, measure, year, role) and plan: the first statement wins
        self.seen.add(key)
        obs = N(f"{HKID}obs/{key}")
        add = self.ctx.writer.add
        add(obs, RDF_TYPE, N(HK + "Observation"), evidence=sentence)
        add(obs, N(HK + "subject"), subject, evidence=sentence)
        add(obs, N(HK + "measure"), self.measure(measure, sentence), evidence=sentence)
        add(obs, N(HK + "year"), typed(year, "integer"), evidence=sentence)
        add(obs, N(HK + "valueText"), ox.Literal(value.text), evidence=sentence)
        add(obs, N(HK + "valueRole"), N(f"{HKV}vrole/{role}"), evidence=sentence)
        if value.value is not None:
            add(obs, N(HK + "value"), typed(value.value, "decimal"), evidence=sentence)
        if value.comparator:
            add(obs, N(HK + "comparator"), ox.Literal(value.comparator), evidence=sentence)
        if unit:
            add(obs, N(HK + "unit"), ox.Literal(unit), evidence=sentence)
        if nature:
            add(obs, N(HK + "nature"), N(f"{HKV}nature/{nature}"), evidence=sentence)
        if area is not None:
            add(obs, N(HK + "area"), area, evidence=sentence)

    # -- helpers on words ------------------------------------------------------------------------
    def split_unit(self, label: str) -> tuple[str, str | None]:
        """每万人口全科医生数（人） → (每万人口全科医生数, 人); only known units are split off."""
        m = re.search(r"（([^（）]+)）$", label)
        if m and m.group(1) in self.cfg["units"]:
            return label[: m.start()], m.group(1)
        return label, None

    def nature(self, text: str) -> str | None:
        norm = normalize_text(text)
        return next((iri for word, iri in self.cfg["natures"].items() if word in norm), None)

    def city_node(self) -> ox.NamedNode | None:
        return region_iri(self.ctx.city.code) if self.ctx.city else None


# ---------------------------------------------------------------------------------------------
# Tables


def _column_role(text: str, cfg: dict) -> str | None:
    norm = normalize_text(text)
    words = [(w, role) for role, ws in cfg["columns"].items() for w in ws]
    for word, role in sorted(words, key=lambda wr: len(wr[0]), reverse=True):
        if word in norm:
            return role
    return None


_YEAR = re.compile(r"(\d{4})年")


@dataclass
class YearColumn:
    index: int
    year: int
    role: str  # baseline | target
    subject: ox.NamedNode | None


def indicator_layout(table: Table, em: Emitter) -> tuple[dict[str, int], list[YearColumn], int] | None:
    """Column roles, year columns and the number of header rows of an indicator table, or None."""
    cfg = em.cfg
    if not table.rows:
        return None
    header = table.rows[0]
    roles: dict[str, int] = {}
    for k, cell in enumerate(header):
        role = _column_role(cell.text, cfg)
        if role and role not in roles:
            roles[role] = k
    if "indicator" not in roles:
        return None
    n_header = 1
    ind = roles["indicator"]
    # further header rows (years under region names) have no indicator
    while n_header < len(table.rows) and ind < len(table.rows[n_header]) and not table.rows[n_header][ind].text:
        n_header += 1
    width = max(len(r) for r in table.rows[:n_header])
    columns: list[YearColumn] = []
    group_subject: ox.NamedNode | None = None
    for k in range(width):
        texts = [r[k].text if k < len(r) else "" for r in table.rows[:n_header]]
        top = texts[0]
        if top and _column_role(top, cfg) is None and not _YEAR.search(normalize_text(top)):
            region = em.ctx.gazetteer.resolve(normalize_text(top), em.ctx.city.code if em.ctx.city else None)
            group_subject = region_iri(region.code) if region else None
        elif top:
            group_subject = None
        joined = normalize_text("".join(texts))
        m = _YEAR.search(joined)
        if not m or k in roles.values():
            continue
        role = next((r for r, ws in cfg["year_roles"].items() if any(w in joined for w in ws)), None)
        columns.append(YearColumn(k, int(m.group(1)), role or "", group_subject))
    if not columns:
        return None
    years = sorted({c.year for c in columns})
    for c in columns:  # a year column without role words: the earliest year is the baseline
        c.role = c.role or ("baseline" if c.year == years[0] and len(years) > 1 else "target")
    return roles, columns, n_header


def emit_indicator_table(table: Table, layout, em: Emitter) -> None:
    roles, columns, n_header = layout
    city = em.city_node()
    prefixes = _longest_first(normalize_text(p) for p in em.cfg["subrow_prefixes"])
    for row in table.rows[n_header:]:
        if roles["indicator"] >= len(row):
            continue
        label = normalize_text(row[roles["indicator"]].text)
        for p in prefixes:
            if label.startswith(p):
                label = label[len(p):]
                break
        if not label:
            continue
        sentence = em.row_sentence(row)
        if sentence is None:
            continue
        label, unit = em.split_unit(label)
        if "unit" in roles and roles["unit"] < len(row) and row[roles["unit"]].text:
            unit = normalize_text(row[roles["unit"]].text)
        nature = em.nature(row[roles["nature"]].text) if "nature" in roles and roles["nature"] < len(row) else None
        for col in columns:
            subject = col.subject or city
            if col.index >= len(row) or subject is None:
                continue
            value = parse_value(row[col.index].text)
            if value is None:
                continue
            em.observe(sentence, subject, label, col.year, col.role, value, unit, nature)


def _caption_unit(table: Table, em: Emitter) -> str | None:
    m = re.search(em.cfg["institution_table"]["unit_caption"], normalize_text(table.caption))
    return m.group(1) if m else None


def emit_institution_table(table: Table, em: Emitter, years: tuple[int | None, int | None]) -> None:
    cfg = em.cfg["institution_table"]
    header = [normalize_text(c.text) for c in table.rows[0]]
    unit = _caption_unit(table, em)
    base, target = years
    columns: list[tuple[int, str, str, int | None]] = []  # index, measure, role, year
    project_col = None
    for k, text in enumerate(header[1:], start=1):
        if any(w in text for w in cfg["project_column"]):
            project_col = k
            continue
        role = next((cfg["roles"][w] for w in _longest_first(cfg["roles"]) if w in text), None)
        if role is None:
            continue
        m = _YEAR.search(text)
        year = int(m.group(1)) if m else (target if role == "planned" else base)
        measure = _YEAR.sub("", text)
        for p in cfg["strip_prefix"]:
            measure = measure.removeprefix(p)
        for s in cfg["strip_suffix"]:
            measure = measure.removesuffix(s)
        measure, col_unit = em.split_unit(measure)
        if year is not None:
            columns.append((k, measure, role, year))
    area = em.city_node()
    rec = recognizer(em.ctx.gazetteer)
    for row in table.rows[1:]:
        if not row or not row[0].text:
            continue
        subject = _institution(row[0].text, em, rec)
        sentence = em.row_sentence(row)
        if subject is None or sentence is None:
            continue
        for k, measure, role, year in columns:
            value = parse_value(row[k].text) if k < len(row) else None
            if value is not None:
                em.observe(sentence, subject, measure, year, role, value, unit, area=area)
        if project_col is not None and project_col < len(row) and target is not None:
            text = normalize_text(row[project_col].text)
            for pattern in cfg["added_patterns"]:
                found = re.findall(pattern["regex"], text)
                if found:
                    em.observe(sentence, subject, pattern["measure"], target, "added",
                               Value(found[-1], str(Decimal(found[-1])), None), unit, area=area)


def _institution(cell: str, em: Emitter, rec: InstitutionRecognizer) -> ox.NamedNode | None:
    text = normalize_text(cell)
    for m in rec(text, em.ctx.city):
        if m.named and m.start == 0 and m.end == len(text):
            return em.ctx.institution(m.key)
    return None


def emit_area_table(table: Table, em: Emitter, years: tuple[int | None, int | None]) -> None:
    cfg = em.cfg["area_table"]
    header_words = {normalize_text(w) for w in cfg["header_words"]}
    city = em.ctx.city
    if city is None:
        return
    # header rows (repeated inside the table) name the measures: group cell + column cell
    measures: dict[int, tuple[str, int, str | None]] = {}
    base, target = years
    i = 0
    rows = table.rows
    while i < len(rows):
        row = rows[i]
        first = normalize_text(row[0].text) if row else ""
        if first in header_words:
            sub = rows[i + 1] if i + 1 < len(rows) and not rows[i + 1][0].text else None
            group = ""
            measures = {}
            for k in range(1, len(row)):
                if row[k].text:
                    group = normalize_text(row[k].text)
                col = normalize_text(sub[k].text) if sub is not None and k < len(sub) else ""
                m = _YEAR.search(group)
                year = int(m.group(1)) if m else target
                label, unit = em.split_unit(_YEAR.sub("", group) + col)
                if year is not None and label:
                    measures[k] = (label, year, unit)
            i += 2 if sub is not None else 1
            continue
        i += 1
        if not first or not measures:
            continue
        sentence = em.row_sentence(row)
        if sentence is None:
            continue
        subject, area = _area_subject(first, row, em, sentence, cfg)
        for k, (label, year, unit) in measures.items():
            value = parse_value(row[k].text) if k < len(row) else None
            if value is not None:
                role = "baseline" if base is not None and year <= base else "target"
                em.observe(sentence, subject, label, year, role, value, unit, area=area)


def _area_subject(name: str, row, em: Emitter, sentence: Sentence, cfg) -> tuple[ox.NamedNode, ox.NamedNode | None]:
    city = em.ctx.city
    if name in {normalize_text(w) for w in cfg["whole_city"]}:
        return region_iri(city.code), None
    region = em.ctx.gazetteer.resolve(name, city.code)
    if region is not None and em.ctx.gazetteer.is_within(region.code, city.code):
        return region_iri(region.code), None
    # a part of the city that is no administrative region (城区, 县域)
    node = N(f"{HKID}area/{city.code}/{short_hash(name)}")
    add = em.ctx.writer.add
    add(node, RDF_TYPE, N(HK + "AdministrativeRegion"), evidence=sentence)
    add(node, N(SKOS + "prefLabel"), zh(city.name + name), evidence=sentence)
    add(node, N(HK + "withinRegion"), region_iri(city.code), evidence=sentence)
    return node, node


# ---------------------------------------------------------------------------------------------
# Running text


def emit_text(em: Emitter, years: tuple[int | None, int | None]) -> None:
    cfg = em.cfg["text"]
    city = em.city_node()
    if city is None:
        return
    units = "".join(re.escape(u) for u in cfg["units"])
    count = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)([{units}])(?=[{re.escape(cfg['after_unit'])}]|$)")
    year_re = re.compile(cfg["year"])
    lead = _longest_first(cfg["lead_words"])
    rec = recognizer(em.ctx.gazetteer)
    base, target = years
    previous_year: int | None = None
    place_names = (em.ctx.city.name, *em.ctx.city.short_names) if em.ctx.city else ()
    for sentence in em.ctx.plan.sentences:
        if sentence.kind != "prose":
            continue
        text = sentence.norm.text
        stated = [int(m.group(1)) for m in year_re.finditer(text)]
        sentence_year = stated[0] if stated else (previous_year if text.startswith("其中") else None)
        previous_year = sentence_year
        retrospective = any(w in s for s in sentence.section for w in cfg["retrospective_sections"])
        named = [m for m in rec(text, em.ctx.city, sentence.truncated) if m.named]
        for m in count.finditer(text):
            if sentence.truncated and m.end() >= len(text) - 1:
                continue  # the number may have been cut
            seg_start = m.start()
            while seg_start > 0 and text[seg_start - 1] not in "，。；、：,;" and not text[seg_start - 1].isdigit():
                seg_start -= 1
            if seg_start > 0 and text[seg_start - 1] == "、" and not re.search(rf"\d[{units}]$", text[:seg_start - 1]):
                continue  # the last item of a list counted together (诊所、卫生所、医务室1219所)
            if seg_start > 0 and text[seg_start - 1].isdigit():
                continue
            segment = text[seg_start:m.start()]
            subject, area = city, None
            inside = [n for n in named if n.start < m.start() and n.end > seg_start]
            owner = _owner(text, seg_start, m.start(), named, inside, cfg["owner_cues"])
            if owner is not None:
                node = em.ctx.institution(owner[0].key)
                if node is None:
                    continue
                subject, area, seg_start = node, city, owner[1]
                segment = text[seg_start:m.start()]
            elif inside or segment.startswith(place_names):
                continue  # a named institution counted (设置钦州市疾病预防控制中心1家)
            role_word = ""
            changed = True
            while changed:
                changed = False
                for w in lead + cfg["added_cues"]:
                    if segment.startswith(w):
                        role_word = w if w in cfg["added_cues"] or w in cfg["planned_cues"] else role_word
                        segment = segment[len(w):]
                        changed = True
                        break
            core = re.sub(r"（[^（）]*）$", "", segment)
            if not (2 <= len(core) <= 20) or not core.endswith(tuple(cfg["measure_endings"])) \
                    or not all("\u4e00" <= c <= "\u9fff" for c in core):
                continue
            clause = text[max(text.rfind(p, 0, m.start()) for p in "。；") + 1:m.start()]
            if role_word in cfg["added_cues"]:
                role = "added"
            elif role_word or any(w in clause for w in cfg["planned_cues"]):
                role = "planned"
            else:
                role = "current"
            year = sentence_year
            if year is None:
                year = target if role == "planned" and not retrospective else (base if retrospective else None)
            if year is None:
                continue
            if role == "current" and target is not None and year >= target:
                role = "target"
            em.observe(sentence, subject, segment, year, role, Value(m.group(0), str(Decimal(m.group(1))), None),
                       m.group(2), area=area)


def _owner(text: str, seg_start: int, end: int, named: list, inside: list, cues: list[str]):
    """The institution a count belongs to, and where its measure starts; None for a count of the city.

    Two conservative shapes: the institution opens the clause and an owner cue follows it
    (钦州市人民医院编制床位1200张, …医院现有床位800张), or the clause opens with an owner cue and the
    sentence named exactly one institution before it (规划设置X1个，下辖直属急救站1个).
    """
    cues = _longest_first(cues)
    if len(inside) == 1 and inside[0].start == seg_start:
        rest = text[inside[0].end:end].removeprefix("的")
        if rest.startswith(tuple(cues)):
            return inside[0], inside[0].end + (len(text[inside[0].end:end]) - len(rest))
        return None
    if not inside and text.startswith(tuple(cues), seg_start):
        before = [n for n in named if n.end <= seg_start and not n.alias_of]
        if len({n.key for n in before}) == 1:
            return before[0], seg_start
    return None


# ---------------------------------------------------------------------------------------------


def plan_years(em: Emitter, layouts) -> tuple[int | None, int | None]:
    """Base and target years: from the plan's indicator tables, else from the title's period word."""
    base = [c.year for _, (_, cols, _) in layouts for c in cols if c.role == "baseline"]
    target = [c.year for _, (_, cols, _) in layouts for c in cols if c.role == "target"]
    if base and target:
        return min(base), max(target)
    title = normalize_text(em.ctx.plan.meta.title)
    for word, (b, t) in em.cfg["periods"].items():
        if word in title:
            return b, t
    # an excerpt without its title page: the period the text speaks of most
    counts = {word: em.ctx.plan.text.count(word) for word in em.cfg["periods"]}
    word = max(counts, key=lambda w: counts[w])
    if counts[word] and not (base or target):
        b, t = em.cfg["periods"][word]
        return b, t
    return (min(base) if base else None), (max(target) if target else None)


def emit(ctx: BuildContext) -> None:
    """All figures of one plan."""
    em = Emitter(ctx)
    cfg = em.cfg
    inst_words = {normalize_text(w) for w in cfg["institution_table"]["header_words"]}
    area_words = {normalize_text(w) for w in cfg["area_table"]["header_words"]}
    layouts = []
    others: list[Table] = []
    for table in ctx.plan.tables:
        layout = indicator_layout(table, em)
        if layout is not None:
            layouts.append((table, layout))
        else:
            others.append(table)
    years = plan_years(em, layouts)
    for table, layout in layouts:
        emit_indicator_table(table, layout, em)
    for table in others:
        first = normalize_text(table.rows[0][0].text) if table.rows and table.rows[0] else ""
        if first in inst_words:
            emit_institution_table(table, em, years)
        elif first in area_words:
            emit_area_table(table, em, years)
    emit_text(em, years)
