"""The graph being written: its terms (N, zh, typed; the id namespace), the writer that collects quads
with their evidence graphs, the registry's institutions and the context extractors write through. Below
kg.build (which orchestrates) and the writers of each kind of fact (kg.build_relations), so both import
from here and not from each other."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.corpus import Plan, Sentence
from kg.gazetteer import Gazetteer, Region
from kg.pipeline.institutions import short_hash
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
    """Collects quads; `add(..., evidence=sentence)` puts a triple in that sentence's graph.

    With a `sink` (the store being built), the quads collected are passed on to it in batches of
    about `batch` after each plan (`plan_done`) and forgotten, so memory does not grow with the corpus;
    the store is a set, so a quad written twice (a span quoted by two plans) is stored once."""

    def __init__(self, sink: ox.Store | None = None, batch: int = 250_000) -> None:
        self.quads: set[ox.Quad] = set()
        self._ev: dict[tuple[str, int, int], ox.NamedNode] = {}
        self.plans: dict[str, Plan] = {}  # by doc id: for the page of a span in a paged original
        self.sink = sink
        self.batch = batch

    def plan_done(self) -> None:
        if self.sink is not None and len(self.quads) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.sink is not None and self.quads:
            self.sink.bulk_extend(self.quads)
            self.quads = set()
            self._ev.clear()  # their meta quads are in the store; a graph met again is described again

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

    def digest_state(self) -> list:
        """What a plan's triples may read of the institution (kg/build_delta.py): a plan whose
        institutions say the same is written the same."""
        return [self.iri.value, self.name, self.kind, sorted(self.aliases), self.level, self.city, self.county,
                self.parent, any(self.planned_votes)]

    @property
    def iri(self) -> ox.NamedNode:
        if self.kind in load_vocabulary().consortium_kinds:
            # a named consortium: the IRI a relation naming it by the same words gets (kg/pipeline/relations.py)
            return N(f"{HKID}cons/{self.city or '000000'}/{short_hash(self.name)}")
        return N(f"{HKID}org/{self.city or '000000'}/{short_hash(self.key)}")


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

    labels: dict[tuple[str | None, str], ox.NamedNode] | None = None  # see named_by_label

    def institution(self, key: str) -> ox.NamedNode | None:
        inst = self.institutions.get(key)
        return inst.iri if inst else None

    def named_by_label(self, label: str) -> ox.NamedNode | None:
        """The first institution of the plan's city (in registry order) named or aliased `label`."""
        if self.labels is None:
            self.labels = label_index(self.institutions)
        return self.labels.get((self.city.code if self.city else None, label))

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


def label_index(institutions: dict[str, Institution]) -> dict[tuple[str | None, str], ox.NamedNode]:
    """(city, name or alias) → the first institution so named, in registry order: one pass over the
    registry instead of one per lookup (which grew with plans × institutions)."""
    index: dict[tuple[str | None, str], ox.NamedNode] = {}
    for inst in institutions.values():
        for label in (inst.name, *inst.aliases):
            if (inst.city, label) not in index:
                index[(inst.city, label)] = inst.iri
    return index


def region_iri(code: str) -> ox.NamedNode:
    return N(f"{HKID}region/{code}")
