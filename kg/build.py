"""Corpus → triples with provenance → the embedded store, published atomically.

Every extracted triple is written into the named graph of the sentence it came from
(`hkid:ev/{doc}/{start}-{end}`); that graph is described in `hkid:graph/meta` (derived from its
span, stated). See docs/model.md.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.build_cache import ExtractionCache, graph_version, loads, plan_key
from kg.build_delta import (
    GLOBAL,
    Lookups,
    PartRecord,
    Parts,
    TrackedMapping,
    TrackedMeasures,
    apply_delta,
    label_key,
    part_digest,
    part_file,
    registry_digest,
    remove_inferred,
)
from kg.build_enumerations import write_enumerations
from kg.build_extract import (
    InstitutionMention,
    PlanExtraction,
    SentenceReading,
    extract_many,
    extract_pickled,
    extract_plan,
    parsed,
    plan_places,
)
from kg.build_graph import (
    DCT,
    HKID,
    ORG,
    RDF_TYPE,
    SKOS,
    BuildContext,
    GraphWriter,
    Institution,
    N,
    label_index,
    region_iri,
    typed,
    zh,
)
from kg.build_relations import write_part_of, write_relations
from kg.corpus import Plan, Sentence, load_corpora
from kg.gazetteer import Gazetteer, Region
from kg.measures import catalog
from kg.observations import Measure, Observation, Subject
from kg.paths import ONTOLOGY_DIR, RULES_DIR
from kg.pipeline.institutions import load_rules, short_hash
from kg.vocab import HK, HKV, load_vocabulary


class Registry:
    """Named institutions across the corpus, merged by identity key and by alias."""

    def __init__(self) -> None:
        self.by_key: dict[str, Institution] = {}
        self.parent: dict[str, str] = {}

    def find(self, key: str) -> str:
        while self.parent.get(key, key) != key:
            key = self.parent[key]
        return key

    def union(self, alias_key: str, main_key: str) -> None:
        a, b = self.find(alias_key), self.find(main_key)
        if a != b:
            self.parent[a] = b

    def record(self, m: InstitutionMention, sentence: Sentence) -> None:
        inst = self.by_key.setdefault(m.key, Institution(m.key))
        inst.names[m.name] += 1
        if m.surface != m.name:
            inst.aliases.add(m.surface)
        inst.kinds[m.kind] += 1
        inst.level = inst.level or m.level
        inst.city = inst.city or m.city
        inst.county = inst.county or m.county
        inst.planned_votes.append(m.planned)
        inst.mentions.append(sentence)
        inst.parent = inst.parent or m.parent
        if m.alias_of:
            self.union(m.key, m.alias_of)

    def merged(self) -> dict[str, Institution]:
        """One Institution per alias group, keyed by every key of the group; a unit's parent is the
        key of its parent's group."""
        groups: dict[str, list[Institution]] = defaultdict(list)
        for key, inst in self.by_key.items():
            groups[self.find(key)].append(inst)
        out: dict[str, Institution] = {}
        for root, members in groups.items():
            main = self.by_key[root]
            merged = Institution(root, Counter(main.names), set(main.aliases), Counter(main.kinds), main.level,
                                 main.city, main.county, list(main.planned_votes), list(main.mentions))
            for other in members:
                if other is main:
                    continue
                merged.aliases.update(other.names)
                merged.aliases.update(other.aliases)
                merged.mentions.extend(other.mentions)
                merged.planned_votes.extend(other.planned_votes)
            merged.aliases.discard(merged.name)
            parent = next((m.parent for m in [main, *members] if m.parent and m.parent in self.by_key), None)
            merged.parent = self.find(parent) if parent else None
            if merged.parent == root:
                merged.parent = None
            for other in members:
                out[other.key] = merged
        attach_hosts(out)
        return out


def attach_hosts(institutions: dict[str, Institution]) -> None:
    """A facility standing alone (灵山县献血点) is hosted by the one institution of its host kind
    (institutions.yaml `host_kinds`: a blood donation site by the central blood station) that a plan
    naming it names in the same city."""
    host_kinds = {HK + unit: HK + host for unit, host in load_rules()["host_kinds"].items()}
    unique = list({id(i): i for i in institutions.values()}.values())
    for inst in unique:
        host_kind = host_kinds.get(inst.kind)
        if inst.parent or host_kind is None:
            continue
        docs = {s.doc_id for s in inst.mentions}
        hosts = [h for h in unique if h.kind == host_kind and h.city == inst.city
                 and docs & {s.doc_id for s in h.mentions}]
        if len(hosts) == 1:
            inst.parent = hosts[0].key


@dataclass
class BuildReport:
    plans: int
    sentences: int
    institutions: int
    quads: int
    seconds: float
    build_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)
    from_cache: int = 0  # plans whose records came from the extraction cache
    from_previous: int = 0  # plans whose triples were taken over from the previous build (kg/build_delta.py)


def corpus_dirs(corpus_dir: Path | Sequence[Path]) -> list[Path]:
    return [corpus_dir] if isinstance(corpus_dir, Path) else list(corpus_dir)


def build_quads(corpus_dir: Path | Sequence[Path], progress: Callable[[str, int, int], None] | None = None,
                warn: Callable[[str], None] | None = None, jobs: int = 1) -> tuple[GraphWriter, BuildReport]:
    """Extract the corpus (or corpora: the examples, then the user's plans) into quads (no store involved)."""
    started = time.perf_counter()
    extraction = extract_corpus(corpus_dir, progress, warn, jobs=jobs)
    writer = GraphWriter()
    report = write_graph(extraction, writer)
    report.seconds = time.perf_counter() - started
    return writer, report


@dataclass
class Extraction:
    """The corpus's plans, the registry of the institutions they name, and where each plan's records
    are (held in memory, or in the extraction cache to be read again plan by plan)."""

    plans: list[Plan]  # text and metadata (parsed only where the records had to be read again)
    keys: list[str]
    registry: Registry
    sentences: int
    from_cache: int
    cache: ExtractionCache | None
    held: dict[int, PlanExtraction] = field(default_factory=dict)

    def records(self, i: int) -> PlanExtraction:
        ext = self.held.pop(i, None)
        if ext is None and self.cache is not None:
            ext = self.cache.get(self.keys[i])
        if ext is None:  # the cache was removed under us (another build's pipeline version): read again
            ext = extract_plan(self.plans[i])
        return ext  # type: ignore[return-value]


def extract_corpus(corpus_dir: Path | Sequence[Path], progress: Callable[[str, int, int], None] | None = None,
                   warn: Callable[[str], None] | None = None, *, jobs: int = 1,
                   cache: ExtractionCache | None = None, full: bool = False) -> Extraction:
    """Every plan's records (from the cache, or read by `jobs` processes) and the institution registry,
    fed in plan and sentence order whichever way the records came. With a cache, records are written
    to it as plans finish and not kept in memory; the registry is fed from each plan's mentions alone
    (cached beside its records: a fraction of their size), so a plan whose part is taken over from the
    previous build (kg/build_delta.py) is not read whole."""
    plans = load_corpora(corpus_dirs(corpus_dir), warn=warn, parse=False)
    keys = [plan_key(p, cache.version) if cache else "" for p in plans]
    todo = [i for i in range(len(plans)) if cache is None or full or not cache.has(keys[i])]
    pending = set(todo)
    fresh = extract_many([plans[i] for i in todo], jobs)
    registry = Registry()
    held: dict[int, PlanExtraction] = {}
    sentences = 0
    for i, plan in enumerate(plans):
        ext = None
        mentions = cache.get_mentions(keys[i]) if cache is not None and i not in pending else None
        if i in pending:
            data = next(fresh)
            ext = loads(data)
            if cache is not None:
                cache.put(keys[i], data)
        elif cache is not None and mentions is None:
            ext = cache.get(keys[i])
            if ext is None:  # unreadable: read the plan again
                pending.add(i)
                data = extract_pickled(plan)
                cache.put(keys[i], data)
                ext = loads(data)
        if ext is not None:
            assert isinstance(ext, PlanExtraction)
            mentions = (len(ext.readings), [(r.sentence, r.institutions) for r in ext.readings if r.institutions])
            if cache is not None:
                cache.put_mentions(keys[i], mentions)
        assert mentions is not None
        count, named = mentions
        for sentence, found in named:
            for mention in found:
                registry.record(mention, sentence)
        sentences += count
        if cache is None:
            held[i] = ext  # type: ignore[assignment]
        if progress:
            progress(plan.meta.file, i + 1, len(plans))
    return Extraction(plans, keys, registry, sentences, len(plans) - len(pending), cache, held)


def write_graph(extraction: Extraction, writer: GraphWriter, parts: Parts | None = None) -> BuildReport:
    """The records → triples, plan by plan in corpus order (the writer may pass them on to the store
    in batches), then what spans plans: each institution's summary.

    With `parts`, each plan's triples are kept as its part (kg/build_delta.py) with the lookups they
    made; a plan whose part in the previous build made the same lookups with the same answers is not
    written again (its part is taken over, and nothing of it reaches `writer`)."""
    from kg.pipeline import figures

    plans = extraction.plans
    gaz = Gazetteer.load()
    writer.plans = {p.doc_id: p for p in plans}
    warnings: list[str] = []
    places = [plan_places(gaz, plan, warnings) for plan in plans]
    institutions = extraction.registry.merged()
    measure_labels: dict[str, str] = {}
    labels = label_index(institutions)
    registry = registry_digest(institutions) if parts is not None else None
    for i, plan in enumerate(plans):
        city, county = places[i]
        codes = [city.code if city else None, county.code if county else None]
        previous = parts.previous.get(plan.doc_id) if parts is not None else None
        if (previous is not None and previous.plan_key == extraction.keys[i] and previous.places == codes
                and previous.replay(institutions, labels, measure_labels, registry) == previous.digest):
            for key, value in previous.measures_set:
                measure_labels[key] = value
            parts.reuse(previous)  # type: ignore[union-attr]
            continue
        ext = extraction.records(i)
        lookups = Lookups()
        part = GraphWriter()
        part.plans = writer.plans
        known = TrackedMapping(institutions, lookups.keys, on_iter=lambda lk=lookups: setattr(lk, "whole", True))
        ctx = BuildContext(part, gaz, plan, city, known, county, TrackedMeasures(measure_labels, lookups),  # type: ignore[arg-type]
                           TrackedMapping(labels, lookups.labels, encode=label_key))  # type: ignore[arg-type]
        add_document(part, plan, city, county)
        for reading in ext.readings:
            part.add_span(reading.sentence)
            emit_institutions(ctx, reading)
            write_relations(ctx, reading.relations)
            write_enumerations(ctx, reading.enumerations, reading.sentence)
        observations = ext.observations
        if not ext.probes_hold(known):
            # a name in a table row is an institution another plan names: read the figures with the registry
            observations = figures.extract(BuildContext(part, gaz, parsed(plan), city, known, county))  # type: ignore[arg-type]
        write_observations(ctx, observations)
        if parts is not None:
            digest = part_digest(extraction.keys[i], codes, lookups, registry)
            parts.write(PartRecord(plan.doc_id, extraction.keys[i], codes, digest, part_file(plan.doc_id, digest),
                                   sorted(lookups.keys), sorted(lookups.labels), sorted(lookups.measures),
                                   lookups.measures_set, lookups.whole), part.quads)
        writer.quads |= part.quads
        writer.plan_done()
    common = GraphWriter()
    common.plans = writer.plans
    add_ontology(common)
    add_regions(common, gaz, {city.code for city, _ in places if city},
                {code for inst in institutions.values() for code in (inst.city, inst.county) if code})
    for inst in {id(i): i for i in institutions.values()}.values():
        add_institution_summary(common, inst, institutions)
    if parts is not None:
        parts.write(PartRecord(GLOBAL, "", [], "", part_file(GLOBAL, registry or "")), common.quads)
    writer.quads |= common.quads
    return BuildReport(len(plans), extraction.sentences, len({id(i) for i in institutions.values()}), 0, 0.0,
                       warnings=warnings, from_cache=extraction.from_cache)


def emit_institutions(ctx: BuildContext, reading: SentenceReading) -> None:
    w = ctx.writer
    sentence = reading.sentence
    for mention in reading.institutions:
        inst = ctx.institutions[mention.key]
        node = inst.iri
        w.add(node, RDF_TYPE, N(inst.kind), evidence=sentence)
        w.add(node, N(SKOS + "prefLabel"), zh(inst.name), evidence=sentence)
        if mention.surface != inst.name:
            w.add(node, N(SKOS + "altLabel"), zh(mention.surface), evidence=sentence)
        if mention.name != inst.name:
            w.add(node, N(SKOS + "altLabel"), zh(mention.name), evidence=sentence)
    for kind in reading.kinds:
        ctx.kindref(kind.surface, kind.kind, kind.level, sentence)


def write_observations(ctx: BuildContext, records: list[Observation]) -> None:
    """Figure records → `hk:Observation` nodes, each triple in the graph of its row or sentence."""
    add = ctx.writer.add
    seen: set[str] = set()
    for rec in records:
        subject = _subject_node(ctx, rec.subject, rec.evidence)
        if subject is None:
            continue
        area = _subject_node(ctx, rec.area, rec.evidence) if rec.area is not None else None
        key = short_hash(ctx.plan.doc_id, subject.value, rec.measure.wording, str(rec.year), rec.role)
        if key in seen:  # the same figure twice, in two values: keep both, told apart by the value
            key = short_hash(ctx.plan.doc_id, subject.value, rec.measure.wording, str(rec.year), rec.role,
                             rec.value.text, str(rec.value.value), str(rec.value.comparator))
        seen.add(key)
        ev = rec.evidence
        obs = N(f"{HKID}obs/{key}")
        add(obs, RDF_TYPE, N(HK + "Observation"), evidence=ev)
        add(obs, N(HK + "subject"), subject, evidence=ev)
        add(obs, N(HK + "measure"), _measure_node(ctx, rec.measure, ev), evidence=ev)
        add(obs, N(HK + "measureWording"), zh(rec.wording or rec.measure.wording), evidence=ev)
        add(obs, N(HK + "year"), typed(rec.year, "integer"), evidence=ev)
        add(obs, N(HK + "valueText"), ox.Literal(rec.value.text), evidence=ev)
        add(obs, N(HK + "valueRole"), N(f"{HKV}vrole/{rec.role}"), evidence=ev)
        if rec.value.value is not None:
            add(obs, N(HK + "value"), typed(rec.value.value, "decimal"), evidence=ev)
        if rec.value.comparator:
            add(obs, N(HK + "comparator"), ox.Literal(rec.value.comparator), evidence=ev)
        if rec.unit:
            add(obs, N(HK + "unit"), ox.Literal(rec.unit), evidence=ev)
        if rec.condition:
            add(obs, N(HK + "condition"), ox.Literal(rec.condition), evidence=ev)
        if rec.nature:
            add(obs, N(HK + "nature"), N(f"{HKV}nature/{rec.nature}"), evidence=ev)
        if area is not None:
            add(obs, N(HK + "area"), area, evidence=ev)


def _subject_node(ctx: BuildContext, subject: Subject, evidence: Sentence) -> ox.NamedNode | None:
    if subject.kind == "region":
        return region_iri(subject.key)
    if subject.kind == "institution":
        return ctx.institution(subject.key)
    if subject.kind == "area" and subject.city and ctx.city:
        # a part of the city that is no administrative region (城区, 县域): a region of its own
        node = N(f"{HKID}area/{subject.city}/{short_hash(subject.key)}")
        add = ctx.writer.add
        add(node, RDF_TYPE, N(HK + "AdministrativeRegion"), evidence=evidence)
        add(node, N(SKOS + "prefLabel"), zh(ctx.city.name + subject.key), evidence=evidence)
        add(node, N(HK + "withinRegion"), region_iri(subject.city), evidence=evidence)
        return node
    return None


def _measure_node(ctx: BuildContext, measure: Measure, evidence: Sentence) -> ox.NamedNode:
    """The canonical measure's concept: its name, and the plan's wording as another label."""
    node = N(f"{HKV}measure/{measure.id}")
    add = ctx.writer.add
    add(node, RDF_TYPE, N(SKOS + "Concept"), evidence=evidence)
    add(node, N(SKOS + "inScheme"), N(HKV + "measure"), evidence=evidence)
    if measure.id not in ctx.measure_labels and measure.known:
        # the names kg/data/measures.yaml gives this measure, for finding it by any of them
        graph = N(HKID + "graph/measures")
        for name in catalog().names(measure.id):
            if name != measure.name:
                add(node, N(SKOS + "altLabel"), zh(name), graph=graph)
    label = ctx.measure_labels.setdefault(measure.id, measure.name)
    add(node, N(SKOS + "prefLabel"), zh(label), evidence=evidence)
    if measure.wording != label:
        add(node, N(SKOS + "altLabel"), zh(measure.wording), evidence=evidence)
    return node


def add_institution_summary(w: GraphWriter, inst: Institution, institutions: dict[str, Institution]) -> None:
    """Placement, status and parent, stated in the first sentence that names the institution."""
    first = inst.mentions[0]
    node = inst.iri
    if inst.parent and inst.parent in institutions:
        w.add(node, N(HK + "unitOf"), institutions[inst.parent].iri, evidence=first)
        write_part_of(w, node, inst.kind, institutions[inst.parent].iri, first)
    vocab = load_vocabulary()
    kind = vocab.kinds.get(inst.kind)
    if kind and kind.notation:
        w.add(node, N(ORG + "classification"), N(f"{HKV}ws218/{kind.notation}"), evidence=first)
    if inst.level:
        w.add(node, N(HK + "adminLevel"), N(inst.level), evidence=first)
    if inst.city:
        w.add(node, N(HK + "city"), region_iri(inst.city), evidence=first)
    if inst.county:
        w.add(node, N(HK + "county"), region_iri(inst.county), evidence=first)
    located = inst.county or inst.city
    if located:
        w.add(node, N(HK + "locatedIn"), region_iri(located), evidence=first)
    planned = any(inst.planned_votes)
    w.add(node, N(HK + "planned"), typed(str(planned).lower(), "boolean"), evidence=first)
    for alias in sorted(inst.aliases):
        w.add(node, N(SKOS + "altLabel"), zh(alias), evidence=first)
    # superclass closure, so 哪些医院/几家 queries need no property paths (portable to every server)
    for ancestor in vocab.ancestors(inst.kind):
        w.add(node, RDF_TYPE, N(ancestor), graph=N(HKID + "graph/closure"))


def add_document(w: GraphWriter, plan: Plan, city: Region | None, county: Region | None = None) -> None:
    g = N(f"{HKID}graph/doc/{plan.doc_id}")
    node = N(f"{HKID}doc/{plan.doc_id}")
    m = plan.meta
    w.add(node, RDF_TYPE, N(HK + "PlanDocument"), graph=g)
    w.add(node, N(DCT + "title"), zh(m.title), graph=g)
    w.add(node, N(HK + "fileName"), ox.Literal(m.file), graph=g)
    w.add(node, N(HK + "sourceSha256"), ox.Literal(plan.sha256), graph=g)
    if city:
        w.add(node, N(HK + "city"), region_iri(city.code), graph=g)
    if county is not None:
        w.add(node, N(HK + "county"), region_iri(county.code), graph=g)
    if m.source:
        w.add(node, N(HK + "sourceFile"), ox.Literal(m.source), graph=g)
    if m.form:
        w.add(node, N(HK + "documentForm"), ox.Literal(m.form), graph=g)
    if m.issuer:
        w.add(node, N(DCT + "publisher"), zh(m.issuer), graph=g)
    if m.doc_number:
        w.add(node, N(DCT + "identifier"), zh(m.doc_number), graph=g)
    if m.date:
        w.add(node, N(DCT + "issued"), typed(m.date, "date"), graph=g)


def add_regions(w: GraphWriter, gaz: Gazetteer, city_codes: set[str], other_codes: set[str] = frozenset()) -> None:
    """The plans' provinces with their cities and counties, and the regions (with the regions they
    lie in) where institutions of other provinces stand (复旦大学附属儿科医院 of 上海市 in a 云南 notice)."""
    g = N(HKID + "graph/regions")
    classes = {"province": "Province", "city": "City", "county": "County"}
    provinces = {gaz.province_of(c).code for c in city_codes if gaz.province_of(c)}
    others = {r.code for c in other_codes if gaz.get(c) and gaz.get(c).province_code not in provinces
              for r in (gaz.get(c), *gaz.ancestors(c))}
    for region in gaz:
        if region.province_code not in provinces and region.code not in others:
            continue
        node = region_iri(region.code)
        w.add(node, RDF_TYPE, N(HK + classes[region.level]), graph=g)
        w.add(node, N(SKOS + "prefLabel"), zh(region.name), graph=g)
        w.add(node, N(SKOS + "notation"), ox.Literal(region.code), graph=g)
        for short in region.short_names:
            w.add(node, N(SKOS + "altLabel"), zh(short), graph=g)
        if region.parent_code:
            w.add(node, N(HK + "withinRegion"), region_iri(region.parent_code), graph=g)


def add_ontology(w: GraphWriter) -> None:
    for name, graph in (("hk.ttl", "tbox"), ("vocab.ttl", "vocab")):
        g = N(f"{HKID}graph/{graph}")
        with open(ONTOLOGY_DIR / name, "rb") as f:
            for triple in ox.parse(f, format=ox.RdfFormat.TURTLE):
                w.quads.add(ox.Quad(triple.subject, triple.predicate, triple.object, g))


def apply_rules(store: ox.Store) -> int:
    """Run the inference rules (`queries/rules/*.ru`) to a fixpoint; return the quads added."""
    rules = sorted(RULES_DIR.glob("*.ru"))
    before = len(store)
    for _round in range(5):
        size = len(store)
        for rule in rules:
            store.update(rule.read_text(encoding="utf-8"))
        if len(store) == size:
            break
    return len(store) - before


def build(corpus_dir: Path | Sequence[Path], data_dir: Path, progress=None, warn=None, *,
          jobs: int | None = None, full: bool = False) -> BuildReport:
    """Build the graph of `corpus_dir` (or of several corpora) into `data_dir`, atomically.

    Plans are read by `jobs` processes (default: one per CPU); each plan's records are cached in the
    data directory, so a plan read before by the same pipeline is not read again (`full`: read all)."""
    from kg import store as kgstore
    from kg.build_extract import default_jobs
    from kg.qa.name_index import write_name_index

    started = time.perf_counter()
    kgstore.ensure_writable(data_dir)
    cache = ExtractionCache(data_dir)
    extraction = extract_corpus(corpus_dir, progress, warn, jobs=jobs or default_jobs(), cache=cache, full=full)
    build_dir = kgstore.new_build_dir(data_dir)
    try:
        previous = None if full else kgstore.previous_build(data_dir)
        parts = Parts(build_dir, graph_version(), previous)
        if parts.previous:  # the previous build's store, changed by the parts that changed
            st = kgstore.copy_store(previous, build_dir)  # type: ignore[arg-type]
            writer = GraphWriter()
            report = write_graph(extraction, writer, parts)
            old: set[ox.Quad] = set()
            for doc_id in parts.previous.keys() - parts.reused:
                old |= parts.quads(doc_id, previous=True)
            remove_inferred(st)
            apply_delta(st, parts, old, writer.quads, parts.reused)
            del old, writer
        else:
            st = kgstore.open_new_store(build_dir)
            writer = GraphWriter(sink=st)
            report = write_graph(extraction, writer, parts)
            writer.flush()
        report.from_previous = len(parts.reused)
        parts.save()
        inferred = apply_rules(st)
        st.flush()
        # what `kg ask` links names with, opened lazily (kg/qa/name_index.py); the sentences of the parts
        # taken over are taken over from the previous build's index
        files = {plan.doc_id: plan.meta.file for plan in extraction.plans}
        write_name_index(build_dir, st, parts={files[d]: (r.file, f"{HKID}doc/{d}") for d, r in parts.records.items()
                                               if d in files},
                         version=parts.version, previous=previous if parts.previous else None)
        (build_dir / "vocabulary.json").write_text(load_vocabulary().to_json(), encoding="utf-8")
        report.quads = len(st)
        del st
        meta = {"version": __version__, "corpus": [str(d) for d in corpus_dirs(corpus_dir)], "plans": report.plans,
                "sentences": report.sentences, "institutions": report.institutions,
                "quads": report.quads, "inferred_quads": inferred, "plans_from_cache": report.from_cache,
                "plans_from_previous_build": report.from_previous,
                "built": time.strftime("%Y-%m-%dT%H:%M:%S")}
        report.build_dir = kgstore.publish(data_dir, build_dir, meta)
    except BaseException:
        kgstore.discard(build_dir)
        raise
    cache.prune()
    report.seconds = round(time.perf_counter() - started, 2)
    return report
