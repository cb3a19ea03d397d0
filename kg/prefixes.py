"""Prefix → namespace IRI: the one table of namespaces (no rdflib, so the fast `kg ask` path can use it).

`kg/ns.py` is generated from it and from ontology/hk.ttl by `python -m kg.ns_gen`.
"""

from __future__ import annotations

NAMESPACES: dict[str, str] = {
    "hk": "https://w3id.org/healthkg/ont#",
    "hkv": "https://w3id.org/healthkg/vocab/",
    "hkid": "https://w3id.org/healthkg/id/",
    "hks": "https://w3id.org/healthkg/shapes#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "qb": "http://purl.org/linked-data/cube#",
    "owl": "http://www.w3.org/2002/07/owl#",
}

# The same table as SPARQL declarations, for queries written with hk:, skos:, prov: …
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in NAMESPACES.items())
