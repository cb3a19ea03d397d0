"""Serialise the stored graph: merged (Turtle, N-Triples, JSON-LD) or with its named graphs (TriG, N-Quads)."""

from __future__ import annotations

import pyoxigraph as ox

from kg.ns import PREFIXES

FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "nt": (ox.RdfFormat.N_TRIPLES, False),
    "jsonld": (ox.RdfFormat.JSON_LD, False),
    "trig": (ox.RdfFormat.TRIG, True),
    "nquads": (ox.RdfFormat.N_QUADS, True),
}


def export_graph(store: ox.Store, fmt: str) -> bytes:
    """The whole store in `fmt`; triple formats merge the named graphs (duplicates removed)."""
    rdf_format, keeps_graphs = FORMATS[fmt]
    if keeps_graphs:
        items = sorted(store, key=str)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in store}, key=str)
    prefixes = {k: str(v) for k, v in PREFIXES.items()} if rdf_format in (
        ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    return ox.serialize(items, format=rdf_format, prefixes=prefixes)
