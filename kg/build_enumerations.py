"""Enumerations (kg/pipeline/enumerations.py) → quads in the sentence's evidence graph: the thing
enumerated as an hk:Enumeration (skos:Collection) with its cue, each item a skos:member with its
words and original offsets. See docs/model.md."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.corpus import Sentence
from kg.ns import HK
from kg.pipeline.enumerations import Enumeration
from kg.pipeline.institutions import short_hash

if TYPE_CHECKING:
    from kg.build_graph import BuildContext

HKID = "https://w3id.org/healthkg/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def write_enumerations(ctx: BuildContext, enumerations: list[Enumeration], sentence: Sentence) -> None:
    for enumeration in enumerations:
        write_enumeration(ctx, enumeration, sentence)


def write_enumeration(ctx: BuildContext, e: Enumeration, sentence: Sentence) -> None:
    w = ctx.writer
    base = f"{HKID}enum/{sentence.doc_id}"
    whole = ox.NamedNode(f"{base}/{sentence.start}-{sentence.end}/{short_hash(e.whole, e.word)}")
    w.add(whole, RDF_TYPE, ox.NamedNode(str(HK.Enumeration)), evidence=sentence)
    w.add(whole, ox.NamedNode(SKOS + "prefLabel"), ox.Literal(e.whole, language="zh"), evidence=sentence)
    w.add(whole, ox.NamedNode(str(HK.enumerationCue)), ox.Literal(e.word, language="zh"), evidence=sentence)
    if ctx.city is not None:
        w.add(whole, ox.NamedNode(str(HK.city)), ox.NamedNode(f"{HKID}region/{ctx.city.code}"), evidence=sentence)
    for item in e.items:
        start, end = item.start, item.end
        node = ox.NamedNode(f"{base}/{start}-{end}")
        w.add(whole, ox.NamedNode(SKOS + "member"), node, evidence=sentence)
        w.add(node, RDF_TYPE, ox.NamedNode(OA + "TextPositionSelector"), evidence=sentence)
        w.add(node, RDFS_LABEL, ox.Literal(item.text, language="zh"), evidence=sentence)
        w.add(node, ox.NamedNode(OA + "start"), ox.Literal(str(start), datatype=XSD_INTEGER), evidence=sentence)
        w.add(node, ox.NamedNode(OA + "end"), ox.Literal(str(end), datatype=XSD_INTEGER), evidence=sentence)
