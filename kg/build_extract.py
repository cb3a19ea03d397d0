"""One plan → its extraction records: what the build needs from the pipeline, as plain data.

Everything here depends on one plan only, so plans are read in parallel (a process pool over plans,
each worker loading the spaCy/jieba pipeline once) and the records are cached between builds
(kg/build_cache.py). What spans plans — the institution registry that merges mentions across plans,
the triples, inference — is kg/build.py's, run on the records in plan order, so the graph is the
same whatever the number of workers and whichever plans came from the cache.

Figure extraction asks one cross-plan question: is a name read in a table row an institution the
corpus names (`key in ctx.institutions`)? A worker cannot know the whole corpus, so it answers from
the plan's own mentions and notes every answer (`PlanExtraction.probes`); the build checks them
against the whole registry and reads the figures of a plan again, in the main process, when one
answer differs (or when figures looked at the institutions in any other way).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from kg.corpus import Plan, Sentence, parse_plan
from kg.gazetteer import Gazetteer, Region
from kg.numbered_names import numbered_rules
from kg.observations import Observation
from kg.pipeline.enumerations import Enumeration
from kg.pipeline.relation_records import Group, GroupMention, Named, RelationRecord


@dataclass(frozen=True)
class InstitutionMention:
    """A named institution as recognised in a sentence (the `kg_` extensions of its span)."""

    key: str
    name: str
    surface: str
    kind: str
    level: str | None
    city: str | None
    county: str | None
    planned: bool
    parent: str | None
    alias_of: str | None


@dataclass(frozen=True)
class KindMention:
    """A kind of institution as worded (县级医院), in a sentence."""

    surface: str
    kind: str
    level: str | None


@dataclass
class SentenceReading:
    sentence: Sentence
    institutions: list[InstitutionMention] = field(default_factory=list)
    kinds: list[KindMention] = field(default_factory=list)
    relations: list[RelationRecord | GroupMention] = field(default_factory=list)
    enumerations: list[Enumeration] = field(default_factory=list)


@dataclass
class PlanExtraction:
    """All the pipeline read in one plan, in sentence order."""

    doc_id: str
    readings: list[SentenceReading]
    observations: list[Observation]
    probes: dict[str, bool]  # institution key → the answer figures got to `key in institutions`
    opaque: bool = False  # figures used the institutions beyond `in`: read them again with the registry

    @property
    def sentences(self) -> list[Sentence]:
        return [r.sentence for r in self.readings]

    def probes_hold(self, known: Mapping | set) -> bool:
        return not self.opaque and all((key in known) == answer for key, answer in self.probes.items())


@dataclass
class FigureContext:
    """What figure extraction reads about a plan (kg.pipeline.figures.PlanContext; the build's
    BuildContext is another)."""

    gazetteer: Gazetteer
    plan: Plan
    city: Region | None
    institutions: Mapping
    county: Region | None = None


class ProbedKeys(Mapping):
    """The institutions figure extraction may ask about, answered from one plan's own mentions;
    every answer is noted so the build can check it against the whole corpus."""

    def __init__(self, keys: set[str]) -> None:
        self._keys = keys
        self.probes: dict[str, bool] = {}
        self.opaque = False

    def __contains__(self, key: object) -> bool:
        answer = key in self._keys
        self.probes[str(key)] = answer
        return answer

    def __getitem__(self, key: str):
        self.opaque = True
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        self.opaque = True
        return iter(sorted(self._keys))

    def __len__(self) -> int:
        self.opaque = True
        return len(self._keys)


def plan_county(gaz: Gazetteer, plan: Plan, city: Region | None, warnings: list[str]) -> Region | None:
    """The county a document is about (documents.json "county"), a county-level region of its city."""
    name = plan.meta.county
    if not name:
        return None
    county = gaz.resolve(name, city.code if city else None)
    inside = county is not None and (city is None or gaz.is_within(county.code, city.code))
    if county is None or county.level != "county" or not inside:
        warnings.append(f"{plan.meta.file}: county {name!r} is not a county of {plan.meta.city!r} in the gazetteer")
        return None
    return county


def plan_places(gaz: Gazetteer, plan: Plan, warnings: list[str] | None = None) -> tuple[Region | None, Region | None]:
    """The city and the county (documents.json) a plan is read as; what is wrong goes to `warnings`."""
    warnings = [] if warnings is None else warnings
    city = gaz.resolve(plan.meta.city)
    if city is None:
        warnings.append(f"{plan.meta.file}: city {plan.meta.city!r} is not in the gazetteer")
    return city, plan_county(gaz, plan, city, warnings)


def parsed(plan: Plan) -> Plan:
    """The plan with its sentences and tables (a plan loaded with `parse=False` has neither)."""
    if plan.sentences or plan.tables:
        return plan
    full = parse_plan(plan.doc_id, plan.meta, plan.text)
    full.pages, full.corpus_dir = plan.pages, plan.corpus_dir
    return full


def extract_plan(plan: Plan) -> PlanExtraction:
    """Run the pipeline over one plan: its sentences' mentions and relations, and its figures."""
    from kg.pipeline import enumerations, figures
    from kg.pipeline.nlp import sentence_docs
    from kg.pipeline.relations import PlanReader

    plan = parsed(plan)
    gaz = Gazetteer.load()
    city, county = plan_places(gaz, plan)
    reader = PlanReader()
    readings: list[SentenceReading] = []
    for sentence, doc in sentence_docs(plan.sentences, city, county=county):
        reading = SentenceReading(sentence)
        for span in doc.spans["kg_institutions"]:
            x = span._
            reading.institutions.append(InstitutionMention(
                x.kg_key, x.kg_name, x.kg_surface, x.kg_kind, x.kg_level, x.kg_city, x.kg_county,
                bool(x.kg_planned), x.kg_parent, x.kg_alias_of))
        for span in doc.spans["kg_kinds"]:
            reading.kinds.append(KindMention(span._.kg_surface, span._.kg_kind, span._.kg_level))
        reading.relations = reader.read(sentence, doc)
        reading.enumerations = enumerations.read(sentence)
        readings.append(reading)
    _table_units(plan, readings, gaz, city, county)
    _one_place_per_name(readings, city)
    _numbered_short_forms(readings)
    keys = ProbedKeys({m.key for r in readings for m in r.institutions})
    ctx = FigureContext(gaz, plan, city, keys, county)
    observations = figures.extract(ctx)
    return PlanExtraction(plan.doc_id, readings, observations, keys.probes, keys.opaque)


def _table_units(plan: Plan, readings: list[SentenceReading], gaz: Gazetteer, city: Region | None,
                 county: Region | None) -> None:
    """Tables whose rows are named units (kg/pipeline/table_entities.py): each row's unit is an
    institution mentioned in the row, with the relations its other columns state."""
    from kg.pipeline.figure_config import recognizer
    from kg.pipeline.table_entities import RowReader, table_columns

    by_span = {(r.sentence.start, r.sentence.end): r for r in readings if r.sentence.kind == "table"}
    reader: RowReader | None = None
    for table in plan.tables:
        cols = table_columns(table)
        if cols is None:
            _member_list(plan, table, readings, by_span)
            continue
        reader = reader or RowReader(recognizer(gaz), gaz, city, county)
        for row in table.body():
            filled = [c for c in row if c.text]
            reading = by_span.get((filled[0].start, filled[-1].end)) if filled else None
            unit = reader.unit(row, cols) if reading is not None else None
            if unit is None or reading is None:
                continue
            if not any(m.key == unit.key for m in reading.institutions):
                reading.institutions.append(InstitutionMention(unit.key, unit.name, unit.surface, unit.kind, unit.level,
                                                               unit.city, unit.county, False, None, None))
            if cols.kind == "consortium":
                # the row's consortium is its unit: the running-text reading of the joined cells (the bare
                # 医共体 of 人民医院医共体, led by the lead column's hospital) gives way to the columns'
                reading.relations = [r for r in reading.relations if not _of_other_group(r, unit.name)]
            reading.relations.extend(reader.relations(row, cols, unit, reading.sentence))


def _member_list(plan: Plan, table, readings: list[SentenceReading], by_span: dict) -> None:
    """A member list whose caption names no consortium (附件：首批成员单位名单): its rows' institutions are
    members of the consortium the document's title names (关于成立江西省胸痛中心联盟的通知), when the
    rows were given none."""
    from kg.pipeline.table_entities import member_name_column
    from kg.textnorm import normalize_text

    k = member_name_column(table)
    if k is None:
        return
    rows = []
    for row in table.body():
        filled = [c for c in row if c.text]
        reading = by_span.get((filled[0].start, filled[-1].end)) if filled else None
        if reading is not None and k < len(row):
            rows.append((normalize_text(row[k].text), reading))
    if any(isinstance(rec, RelationRecord) and isinstance(rec.obj, Group) for _, r in rows for rec in r.relations):
        return
    named = {rec.group for r in readings for rec in r.relations
             if isinstance(rec, GroupMention) and rec.group.label in plan.meta.title}
    if len(named) != 1:
        return
    group = named.pop()
    for cell, reading in rows:
        for m in reading.institutions:
            if m.surface and m.surface in cell and m.parent is None and m.alias_of is None:
                reading.relations.append(RelationRecord("member_of", Named(m.key), group, reading.sentence, "member"))


def _of_other_group(record: RelationRecord | GroupMention, name: str) -> bool:
    group = record.group if isinstance(record, GroupMention) else record.obj
    return isinstance(group, Group) and group.label != name


def _one_place_per_name(readings: list[SentenceReading], city: Region | None) -> None:
    """A name a document gives one institution stands in one place: where one mention is placed in
    the document's own city only because nothing else placed it (a university's hospital in running
    text) and another mention of the same name is placed in one other city (its member-table row
    says 泸州市), the first is an alias of the second."""
    if city is None:
        return
    placed: dict[str, set[str]] = {}
    for r in readings:
        for m in r.institutions:
            if m.parent is None and m.city != city.code:
                placed.setdefault(m.name, set()).add(m.key)
    for r in readings:
        for i, m in enumerate(r.institutions):
            others = placed.get(m.name, set())
            if m.city == city.code and m.parent is None and m.alias_of is None and len(others) == 1:
                r.institutions[i] = replace(m, alias_of=next(iter(others)))


def _numbered_short_forms(readings: list[SentenceReading]) -> None:
    """市一医院, 市三院 is the short form of 市第一人民医院 (or 市第一医院) when the same document names
    that hospital in full: one institution, the short form its alias (kg/data/institutions.yaml
    numbered_short_form)."""
    pattern, nouns = numbered_rules()
    full: dict[str, set[str]] = {}
    for r in readings:
        for m in r.institutions:
            if m.parent is None:
                full.setdefault(m.name, set()).add(m.key)
    for r in readings:
        for i, m in enumerate(r.institutions):
            short = pattern.match(m.name)
            if short is None or m.alias_of is not None or m.parent is not None:
                continue
            place, n = short.group("place"), short.group("n")
            keys = set().union(*(full.get(f"{place}第{n}{noun}", set()) for noun in nouns))
            if len(keys) == 1:
                r.institutions[i] = replace(m, alias_of=next(iter(keys)))


# -- the process pool -------------------------------------------------------------------------

def _init_worker() -> None:
    from kg.pipeline.nlp import make_nlp

    make_nlp()  # once per worker


def extract_pickled(plan: Plan) -> bytes:
    """A worker's task: the plan's records, pickled as the cache stores them (sent back as bytes)."""
    from kg.build_cache import dumps

    return dumps(extract_plan(plan))


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def extract_many(plans: list[Plan], jobs: int) -> Iterator[bytes]:
    """The pickled records of each plan, in the order given, read by `jobs` processes."""
    if jobs <= 1 or len(plans) <= 1:
        for plan in plans:
            yield extract_pickled(plan)
        return
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    if method == "fork":
        from kg.pipeline.nlp import make_nlp

        make_nlp()  # loaded once here, the workers share it (a process that builds again reuses it)
    ctx = mp.get_context(method)
    with ctx.Pool(min(jobs, len(plans)), initializer=_init_worker) as pool:
        yield from pool.imap(extract_pickled, plans, chunksize=1)
