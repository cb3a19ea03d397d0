"""Corpus → triples with provenance → the embedded store, published atomically.

Every extracted triple is written into the named graph of the sentence it came from
(`hkid:ev/{doc}/{start}-{end}`); that graph is described in `hkid:graph/meta` (derived from its
span, stated). See docs/model.md.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.build_relations import write_relations
from kg.corpus import Plan, Sentence, load_corpus
from kg.gazetteer import Gazetteer, Region
from kg.paths import ONTOLOGY_DIR, RULES_DIR
from kg.pipeline.institutions import short_hash
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

    @property
    def name(self) -> str:
        return max(self.names.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]

    @property
    def kind(self) -> str:
        return max(self.kinds.items(), key=lambda kv: (kv[1], kv[0]))[0]

    @property
    def iri(self) -> ox.NamedNode:
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
        if span._.kg_alias_of:
            self.union(span._.kg_key, span._.kg_alias_of)

    def merged(self) -> dict[str, Institution]:
        """One Institution per alias group, keyed by every key of the group."""
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
            for other in members:
                out[other.key] = merged
        return out


@dataclass
class BuildContext:
    """What extractors need to turn mentions into triples."""

    writer: GraphWriter
    gazetteer: Gazetteer
    plan: Plan
    city: Region | None
    institutions: dict[str, Institution]

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


def build_quads(corpus_dir: Path, progress: Callable[[str, int, int], None] | None = None,
                warn: Callable[[str], None] | None = None) -> tuple[GraphWriter, BuildReport]:
    """Extract the corpus into quads (no store involved)."""
    from kg.pipeline.nlp import sentence_docs

    started = time.perf_counter()
    plans = load_corpus(corpus_dir, warn=warn)
    gaz = Gazetteer.load()
    writer = GraphWriter()
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
        docs = []
        for sentence, doc in sentence_docs(plan.sentences, city):
            for span in doc.spans["kg_institutions"]:
                registry.record(span, sentence)
            docs.append((sentence, doc))
            done += 1
            if progress:
                progress(plan.meta.file, done, total)
        parsed.append((plan, city, docs))
    institutions = registry.merged()
    add_regions(writer, gaz, {c.code for _, c, _ in parsed if c})
    for plan, city, docs in parsed:
        ctx = BuildContext(writer, gaz, plan, city, institutions)
        add_document(writer, plan, city)
        relation_reader = PlanReader()
        for sentence, doc in docs:
            writer.add_span(sentence)
            emit_institutions(ctx, sentence, doc)
            write_relations(ctx, relation_reader.read(sentence, doc))
        emit_plan_extensions(ctx)
    for inst in {id(i): i for i in institutions.values()}.values():
        add_institution_summary(writer, inst)
    report = BuildReport(len(plans), total, len({id(i) for i in institutions.values()}), 0,
                         time.perf_counter() - started, warnings=warnings)
    return writer, report


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
    """Whole-plan extractors (tables)."""
    try:
        from kg.pipeline import figures
    except ImportError:
        return
    figures.emit(ctx)


def add_institution_summary(w: GraphWriter, inst: Institution) -> None:
    """Placement and status, stated in the first sentence that names the institution."""
    first = inst.mentions[0]
    node = inst.iri
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


def add_document(w: GraphWriter, plan: Plan, city: Region | None) -> None:
    g = N(f"{HKID}graph/doc/{plan.doc_id}")
    node = N(f"{HKID}doc/{plan.doc_id}")
    m = plan.meta
    w.add(node, RDF_TYPE, N(HK + "PlanDocument"), graph=g)
    w.add(node, N(DCT + "title"), zh(m.title), graph=g)
    w.add(node, N(HK + "fileName"), ox.Literal(m.file), graph=g)
    w.add(node, N(HK + "sourceSha256"), ox.Literal(plan.sha256), graph=g)
    if city:
        w.add(node, N(HK + "city"), region_iri(city.code), graph=g)
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


def build(corpus_dir: Path, data_dir: Path, progress=None, warn=None) -> BuildReport:
    """Build the graph of `corpus_dir` into `data_dir`, atomically."""
    from kg import store as kgstore

    writer, report = build_quads(corpus_dir, progress, warn)
    build_dir = kgstore.new_build_dir(data_dir)
    try:
        st = kgstore.write_store(build_dir, writer.quads)
        inferred = apply_rules(st)
        st.flush()
        (build_dir / "vocabulary.json").write_text(load_vocabulary().to_json(), encoding="utf-8")
        report.quads = len(st)
        del st
        meta = {"version": __version__, "corpus": str(corpus_dir), "plans": report.plans,
                "sentences": report.sentences, "institutions": report.institutions,
                "quads": report.quads, "inferred_quads": inferred,
                "built": time.strftime("%Y-%m-%dT%H:%M:%S")}
        report.build_dir = kgstore.publish(data_dir, build_dir, meta)
    except BaseException:
        kgstore.discard(build_dir)
        raise
    report.seconds = round(report.seconds, 2)
    return report
