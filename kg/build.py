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
from kg.build_relations import write_relations
from kg.corpus import Plan, Sentence, load_corpora
from kg.gazetteer import Gazetteer, Region
from kg.measures import catalog
from kg.observations import Measure, Observation, Subject
from kg.paths import ONTOLOGY_DIR, RULES_DIR
from kg.pipeline.institutions import load_rules, short_hash
from kg.pipeline.relations import PlanReader
from kg.vocab import HK, HKV, load_vocabulary

HKID = "https://w3id.org/healthkg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
ORG = "http://www.w3.org/ns/org#"
DCT = "http://purl.org/dc/terms/"
META_GRAPH = ox.NamedNode(HKID + "graph/meta")


def N(iri: str) -> ox.NamedNode:  # noqa: N802 - reads like a term constructor
    return ox.NamedNode(iri)


def zh(text: str) -> ox.Literal:
    return ox.Literal(text, language="zh")


def typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=N(XSD + datatype))


class GraphWriter:
    """Collects quads; `add(..., evidence=sentence)` puts a triple in that sentence's graph."""

    def __init__(self) -> None:
        self.quads: set[ox.Quad] = set()
        self._ev: dict[tuple[str, int, int], ox.NamedNode] = {}
        self.plans: dict[str, Plan] = {}  # by doc id: for the page of a span in a paged original

    def add(self, s, p, o, evidence: Sentence | None = None, graph: ox.NamedNode | None = None) -> None:
        g = self.evidence_graph(evidence) if evidence is not None else graph
        self.quads.add(ox.Quad(s, p, o, g) if g is not None else ox.Quad(s, p, o))

    def evidence_graph(self, sentence: Sentence) -> ox.NamedNode:
        key = (sentence.doc_id, sentence.start, sentence.end)
        graph = self._ev.get(key)
        if graph is None:
            graph = N(f"{HKID}ev/{sentence.doc_id}/{sentence.start}-{sentence.end}")
            self._ev[key] = graph
            span = self.add_span(sentence)
            self.add(graph, N(PROV + "wasDerivedFrom"), span, graph=META_GRAPH)
            self.add(graph, N(HK + "assertionMode"), N(HKV + "mode/stated"), graph=META_GRAPH)
        return graph


    def add_span(self, sentence: Sentence) -> ox.NamedNode:
        """The sentence as a text span of its document (every sentence has one, evidence or not, so
        the plan's text can be searched and quoted from the graph alone)."""
        span = span_iri(sentence)
        doc_graph = N(f"{HKID}graph/doc/{sentence.doc_id}")
        self.add(span, RDF_TYPE, N(HK + "TextSpan"), graph=doc_graph)
        self.add(span, N(HK + "inDocument"), N(f"{HKID}doc/{sentence.doc_id}"), graph=doc_graph)
        self.add(span, N(OA + "start"), typed(sentence.start, "integer"), graph=doc_graph)
        self.add(span, N(OA + "end"), typed(sentence.end, "integer"), graph=doc_graph)
        self.add(span, N(OA + "exact"), ox.Literal(sentence.text), graph=doc_graph)
        if sentence.section:
            self.add(span, N(HK + "section"), zh(" / ".join(sentence.section)), graph=doc_graph)
        plan = self.plans.get(sentence.doc_id)
        page = plan.page_of(sentence.start) if plan is not None else None
        if page is not None:
            self.add(span, N(HK + "page"), typed(page, "integer"), graph=doc_graph)
        return span


def span_iri(sentence: Sentence) -> ox.NamedNode:
    return N(f"{HKID}doc/{sentence.doc_id}/char/{sentence.start}-{sentence.end}")


@dataclass
class Institution:
    key: str
    names: Counter = field(default_factory=Counter)
    aliases: set[str] = field(default_factory=set)
    kinds: Counter = field(default_factory=Counter)
    level: str | None = None
    city: str | None = None
    county: str | None = None
    planned_votes: list[bool] = field(default_factory=list)
    mentions: list[Sentence] = field(default_factory=list)
    parent: str | None = None  # a branch, campus or facility: the key of its institution

    @property
    def name(self) -> str:
        return max(self.names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]

    @property
    def kind(self) -> str:
        return max(self.kinds.items(), key=lambda kv: (kv[1], kv[0]))[0]

    @property
    def iri(self) -> ox.NamedNode:
        if self.kind in load_vocabulary().consortium_kinds:
            # a named consortium: the IRI a relation naming it by the same words gets (kg/pipeline/relations.py)
            return N(f"{HKID}cons/{self.city or '000000'}/{short_hash(self.name)}")
        return N(f"{HKID}org/{self.city or '000000'}/{short_hash(self.key)}")


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

    def record(self, span, sentence: Sentence) -> None:
        inst = self.by_key.setdefault(span._.kg_key, Institution(span._.kg_key))
        inst.names[span._.kg_name] += 1
        if span._.kg_surface != span._.kg_name:
            inst.aliases.add(span._.kg_surface)
        inst.kinds[span._.kg_kind] += 1
        inst.level = inst.level or span._.kg_level
        inst.city = inst.city or span._.kg_city
        inst.county = inst.county or span._.kg_county
        inst.planned_votes.append(bool(span._.kg_planned))
        inst.mentions.append(sentence)
        inst.parent = inst.parent or span._.kg_parent
        if span._.kg_alias_of:
            self.union(span._.kg_key, span._.kg_alias_of)

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
class BuildContext:
    """What extractors need to turn mentions into triples."""

    writer: GraphWriter
    gazetteer: Gazetteer
    plan: Plan
    city: Region | None
    institutions: dict[str, Institution]
    county: Region | None = None  # the county a document is about (PlanMeta.county)
    measure_labels: dict[str, str] = field(default_factory=dict)  # one prefLabel per measure concept

    def institution(self, key: str) -> ox.NamedNode | None:
        inst = self.institutions.get(key)
        return inst.iri if inst else None

    def kindref(self, surface: str, kind: str, level: str | None, sentence: Sentence) -> ox.NamedNode:
        node = N(f"{HKID}kindref/{self.plan.doc_id}/{short_hash(surface)}")
        w = self.writer
        w.add(node, RDF_TYPE, N(HK + "KindReference"), evidence=sentence)
        w.add(node, N(RDFS + "label"), zh(surface), evidence=sentence)
        w.add(node, N(HK + "refersToKind"), N(kind), evidence=sentence)
        if level:
            w.add(node, N(HK + "adminLevel"), N(level), evidence=sentence)
        if self.city:
            w.add(node, N(HK + "city"), region_iri(self.city.code), evidence=sentence)
        return node


def region_iri(code: str) -> ox.NamedNode:
    return N(f"{HKID}region/{code}")


@dataclass
class BuildReport:
    plans: int
    sentences: int
    institutions: int
    quads: int
    seconds: float
    build_dir: Path | None = None
    warnings: list[str] = field(default_factory=list)


def corpus_dirs(corpus_dir: Path | Sequence[Path]) -> list[Path]:
    return [corpus_dir] if isinstance(corpus_dir, Path) else list(corpus_dir)


def build_quads(corpus_dir: Path | Sequence[Path], progress: Callable[[str, int, int], None] | None = None,
                warn: Callable[[str], None] | None = None) -> tuple[GraphWriter, BuildReport]:
    """Extract the corpus (or corpora: the examples, then the user's plans) into quads (no store involved)."""
    from kg.pipeline.nlp import sentence_docs

    started = time.perf_counter()
    plans = load_corpora(corpus_dirs(corpus_dir), warn=warn)
    gaz = Gazetteer.load()
    writer = GraphWriter()
    writer.plans = {p.doc_id: p for p in plans}
    add_ontology(writer)
    registry = Registry()
    parsed: list[tuple[Plan, Region | None, list]] = []
    total = sum(len(p.sentences) for p in plans)
    done = 0
    warnings: list[str] = []
    for plan in plans:
        city = gaz.resolve(plan.meta.city)
        if city is None:
            warnings.append(f"{plan.meta.file}: city {plan.meta.city!r} is not in the gazetteer")
        county = plan_county(gaz, plan, city, warnings)
        docs = []
        for sentence, doc in sentence_docs(plan.sentences, city, county=county):
            for span in doc.spans["kg_institutions"]:
                registry.record(span, sentence)
            docs.append((sentence, doc))
            done += 1
            if progress:
                progress(plan.meta.file, done, total)
        parsed.append((plan, city, county, docs))
    institutions = registry.merged()
    measure_labels: dict[str, str] = {}
    add_regions(writer, gaz, {c.code for _, c, _, _ in parsed if c})
    for plan, city, county, docs in parsed:
        ctx = BuildContext(writer, gaz, plan, city, institutions, county, measure_labels)
        add_document(writer, plan, city, county)
        relation_reader = PlanReader()
        for sentence, doc in docs:
            writer.add_span(sentence)
            emit_institutions(ctx, sentence, doc)
            write_relations(ctx, relation_reader.read(sentence, doc))
        emit_plan_extensions(ctx)
    for inst in {id(i): i for i in institutions.values()}.values():
        add_institution_summary(writer, inst, institutions)
    report = BuildReport(len(plans), total, len({id(i) for i in institutions.values()}), 0,
                         time.perf_counter() - started, warnings=warnings)
    return writer, report


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


def emit_institutions(ctx: BuildContext, sentence: Sentence, doc) -> None:
    w = ctx.writer
    for span in doc.spans["kg_institutions"]:
        inst = ctx.institutions[span._.kg_key]
        node = inst.iri
        w.add(node, RDF_TYPE, N(inst.kind), evidence=sentence)
        w.add(node, N(SKOS + "prefLabel"), zh(inst.name), evidence=sentence)
        if span._.kg_surface != inst.name:
            w.add(node, N(SKOS + "altLabel"), zh(span._.kg_surface), evidence=sentence)
        if span._.kg_name != inst.name:
            w.add(node, N(SKOS + "altLabel"), zh(span._.kg_name), evidence=sentence)
    for span in doc.spans["kg_kinds"]:
        ctx.kindref(span._.kg_surface, span._.kg_kind, span._.kg_level, sentence)


def emit_plan_extensions(ctx: BuildContext) -> None:
    """Whole-plan extractors: the figures of the plan's tables and running text."""
    from kg.pipeline import figures

    write_observations(ctx, figures.extract(ctx))


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
        add(obs, N(HK + "measureWording"), zh(rec.measure.wording), evidence=ev)
        add(obs, N(HK + "year"), typed(rec.year, "integer"), evidence=ev)
        add(obs, N(HK + "valueText"), ox.Literal(rec.value.text), evidence=ev)
        add(obs, N(HK + "valueRole"), N(f"{HKV}vrole/{rec.role}"), evidence=ev)
        if rec.value.value is not None:
            add(obs, N(HK + "value"), typed(rec.value.value, "decimal"), evidence=ev)
        if rec.value.comparator:
            add(obs, N(HK + "comparator"), ox.Literal(rec.value.comparator), evidence=ev)
        if rec.unit:
            add(obs, N(HK + "unit"), ox.Literal(rec.unit), evidence=ev)
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


def add_regions(w: GraphWriter, gaz: Gazetteer, city_codes: set[str]) -> None:
    """The plans' provinces with their cities and counties."""
    g = N(HKID + "graph/regions")
    classes = {"province": "Province", "city": "City", "county": "County"}
    provinces = {gaz.province_of(c).code for c in city_codes if gaz.province_of(c)}
    for region in gaz:
        if region.province_code not in provinces:
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


def build(corpus_dir: Path | Sequence[Path], data_dir: Path, progress=None, warn=None) -> BuildReport:
    """Build the graph of `corpus_dir` (or of several corpora) into `data_dir`, atomically."""
    from kg import store as kgstore
    from kg.qa.name_index import write_name_index

    writer, report = build_quads(corpus_dir, progress, warn)
    build_dir = kgstore.new_build_dir(data_dir)
    try:
        st = kgstore.write_store(build_dir, writer.quads)
        inferred = apply_rules(st)
        st.flush()
        write_name_index(build_dir, st)  # what `kg ask` links names with, opened lazily (kg/qa/name_index.py)
        (build_dir / "vocabulary.json").write_text(load_vocabulary().to_json(), encoding="utf-8")
        report.quads = len(st)
        del st
        meta = {"version": __version__, "corpus": [str(d) for d in corpus_dirs(corpus_dir)], "plans": report.plans,
                "sentences": report.sentences, "institutions": report.institutions,
                "quads": report.quads, "inferred_quads": inferred,
                "built": time.strftime("%Y-%m-%dT%H:%M:%S")}
        report.build_dir = kgstore.publish(data_dir, build_dir, meta)
    except BaseException:
        kgstore.discard(build_dir)
        raise
    report.seconds = round(report.seconds, 2)
    return report
