"""Flat exports of the graph for analysts: `kg facts` (JSON lines / CSV) and `kg stats`.

Everything is read from the store with SPARQL, so the export says exactly what the graph says.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

from kg.store import SPARQL_PREFIXES as PREFIXES
from kg.store import sparql_select, term_value

INSTITUTIONS = """
SELECT ?i ?name ?kindLabel ?levelLabel ?cityLabel ?countyLabel ?planned ?parentName WHERE {
  ?i skos:prefLabel ?name ; hk:city ?city ; hk:planned ?planned .
  VALUES ?top { hk:HealthInstitution hk:InstitutionUnit hk:MedicalConsortium }
  ?i a ?kind . ?kind rdfs:subClassOf* ?top .
  FILTER NOT EXISTS { ?i a ?sub . ?sub rdfs:subClassOf+ ?kind . FILTER(?sub != ?kind) }
  ?kind skos:prefLabel ?kindLabel . FILTER(LANG(?kindLabel) = "zh")
  ?city skos:prefLabel ?cityLabel .
  OPTIONAL { ?i hk:adminLevel/skos:prefLabel ?levelLabel . FILTER(LANG(?levelLabel) = "zh") }
  OPTIONAL { ?i hk:county/skos:prefLabel ?countyLabel }
  OPTIONAL { ?i hk:unitOf/skos:prefLabel ?parentName }
} ORDER BY ?cityLabel ?name
"""

ALIASES = "SELECT ?i ?alias WHERE { ?i skos:altLabel ?alias ; hk:city ?c }"

# Every source says which plan (title, file, the file it was added from) and where (offsets, page).
_DOC = """?doc hk:fileName ?file . OPTIONAL { ?doc dcterms:title ?title } OPTIONAL { ?doc hk:sourceFile ?sourceFile }
  OPTIONAL { ?span hk:page ?page }"""

SOURCES = """
SELECT ?s ?file ?title ?sourceFile ?page ?quote ?start ?end WHERE {
  GRAPH ?g { ?s ?p ?o }
  ?g prov:wasDerivedFrom ?span .
  ?span oa:exact ?quote ; oa:start ?start ; oa:end ?end ; hk:inDocument ?doc .
  #DOC#
  VALUES ?p { skos:prefLabel }
}
""".replace("#DOC#", _DOC)

RELATIONS = """
SELECT DISTINCT ?s ?sLabel ?p ?name ?o ?oLabel ?g ?mode ?file ?title ?sourceFile ?page ?quote ?start ?end WHERE {
  ?p hk:kgRelation ?name .
  GRAPH ?g { ?s ?p ?o }
  ?g hk:assertionMode ?mode .
  OPTIONAL { ?s skos:prefLabel|rdfs:label ?sLabel0 }
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?oLabel0 }
  BIND(COALESCE(?sLabel0, STR(?s)) AS ?sLabel)
  BIND(IF(isLiteral(?o), STR(?o), COALESCE(?oLabel0, STR(?o))) AS ?oLabel)
  OPTIONAL {
    ?g prov:wasDerivedFrom+ ?span .
    ?span a hk:TextSpan ; oa:exact ?quote ; oa:start ?start ; oa:end ?end ; hk:inDocument ?doc .
    #DOC#
  }
}
""".replace("#DOC#", _DOC)

FIGURES = """
SELECT ?obs ?subjectLabel ?measureLabel ?wording ?year ?value ?valueText ?comparator ?unit ?natureLabel ?vrole
       ?condition
       ?file ?title
       ?sourceFile ?page ?quote ?start ?end
WHERE {
  GRAPH ?g { ?obs a hk:Observation ; hk:subject ?subject ; hk:measure ?measure ; hk:year ?year . }
  OPTIONAL { ?obs hk:measureWording ?wording }
  OPTIONAL { ?obs hk:value ?value } OPTIONAL { ?obs hk:valueText ?valueText }
  OPTIONAL { ?obs hk:unit ?unit } OPTIONAL { ?obs hk:valueRole ?vrole } OPTIONAL { ?obs hk:comparator ?comparator }
  OPTIONAL { ?obs hk:condition ?condition }
  OPTIONAL { ?obs hk:nature/skos:prefLabel ?natureLabel . FILTER(LANG(?natureLabel) = "zh") }
  ?subject skos:prefLabel|rdfs:label ?subjectLabel .
  ?measure skos:prefLabel ?measureLabel .
  ?g prov:wasDerivedFrom ?span .
  ?span oa:exact ?quote ; oa:start ?start ; oa:end ?end ; hk:inDocument ?doc .
  #DOC#
}
""".replace("#DOC#", _DOC)


def _v(row: dict, key: str):
    return term_value(row.get(key))


def _source(row: dict) -> dict:
    """One source of a fact: the plan's file and title (and the file it was added from), the quote,
    its offsets in the plan's text and, for a paged original, its page."""
    src = {"doc": _v(row, "file"), "title": _v(row, "title"), "quote": _v(row, "quote"),
           "start": _v(row, "start"), "end": _v(row, "end")}
    if row.get("sourceFile") is not None:
        src["source_file"] = _v(row, "sourceFile")
    if row.get("page") is not None:
        src["page"] = _v(row, "page")
    return src


def institution_facts(store) -> Iterator[dict]:
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in sparql_select(store, ALIASES, prefixes=PREFIXES):
        aliases[row["i"].value].add(row["alias"].value)
    sources: dict[str, list[dict]] = defaultdict(list)
    for row in sparql_select(store, SOURCES, prefixes=PREFIXES):
        src = _source(row)
        if src not in sources[row["s"].value]:
            sources[row["s"].value].append(src)
    seen = set()
    for row in sparql_select(store, INSTITUTIONS, prefixes=PREFIXES):
        iri = row["i"].value
        if iri in seen:
            continue
        seen.add(iri)
        yield {
            "type": "institution", "name": _v(row, "name"), "aliases": sorted(aliases[iri]),
            "kind": _v(row, "kindLabel"), "level": _v(row, "levelLabel"), "city": _v(row, "cityLabel"),
            "county": _v(row, "countyLabel"), "planned": bool(_v(row, "planned")),
            "parent": _v(row, "parentName"), "iri": iri,
            "sources": sorted(sources[iri], key=lambda s: (s["doc"], s["start"])),
        }


def relation_facts(store) -> Iterator[dict]:
    grouped: dict[tuple, dict] = {}
    for row in sparql_select(store, RELATIONS, prefixes=PREFIXES):
        name = _v(row, "name")
        s_iri, o = row["s"].value, row["o"]
        inferred = row["mode"].value.endswith("inferred")
        key = (s_iri, name, o.value, inferred)
        fact = grouped.get(key)
        if fact is None:
            scope = "class" if "/kindref/" in s_iri or "/kindref/" in o.value else "instance"
            fact = grouped[key] = {"type": "relation", "s": _v(row, "sLabel"), "p": name, "o": _v(row, "oLabel"),
                                   "scope": scope, "inferred": inferred, "sources": []}
        if row.get("file") is not None:
            src = _source(row)
            if src not in fact["sources"]:
                fact["sources"].append(src)
    yield from sorted(grouped.values(), key=lambda f: (f["p"], f["s"], str(f["o"])))


def figure_facts(store) -> Iterator[dict]:
    grouped: dict[str, dict] = {}
    for row in sparql_select(store, FIGURES, prefixes=PREFIXES):
        iri = row["obs"].value
        fact = grouped.get(iri)
        if fact is None:
            vrole = _v(row, "vrole")
            fact = grouped[iri] = {
                # measure: as the plan words it; canonical_measure: the measure it is (kg/data/measures.yaml)
                "type": "figure", "subject": _v(row, "subjectLabel"),
                "measure": _v(row, "wording") or _v(row, "measureLabel"), "canonical_measure": _v(row, "measureLabel"),
                "year": _v(row, "year"), "value": _v(row, "value"), "text": _v(row, "valueText"),
                "comparator": _v(row, "comparator"),  # ≥ ≤ > < 左右, as the plan bounds the value
                "unit": _v(row, "unit"), "nature": _v(row, "natureLabel"),
                "role": vrole.rsplit("/", 1)[-1] if vrole else None, "condition": _v(row, "condition"),
                "sources": []}
        src = _source(row)
        if src not in fact["sources"]:
            fact["sources"].append(src)
    yield from sorted(grouped.values(), key=lambda f: (f["subject"], f["measure"], f["year"] or 0, f["role"] or ""))


FACT_TYPES = {"institution": institution_facts, "relation": relation_facts, "figure": figure_facts}


def all_facts(store, types: list[str] | None = None) -> Iterator[dict]:
    for name, fn in FACT_TYPES.items():
        if not types or name in types:
            yield from fn(store)


STATS_QUERIES = {
    "by_kind": """SELECT ?label (COUNT(DISTINCT ?i) AS ?n) WHERE {
        ?i hk:city ?c ; a ?kind . ?kind rdfs:subClassOf+ hk:HealthInstitution ; skos:prefLabel ?label .
        FILTER(LANG(?label) = "zh")
        FILTER NOT EXISTS { ?i a ?sub . ?sub rdfs:subClassOf+ ?kind . FILTER(?sub != ?kind) }
      } GROUP BY ?label ORDER BY DESC(?n) ?label""",
    "by_city": """SELECT ?label (COUNT(DISTINCT ?i) AS ?n) WHERE {
        ?i a hk:HealthInstitution ; hk:city ?c . ?c skos:prefLabel ?label } GROUP BY ?label ORDER BY ?label""",
    "by_relation": """SELECT ?name ?mode (COUNT(*) AS ?n) WHERE {
        SELECT DISTINCT ?name ?mode ?s ?o WHERE {
          ?p hk:kgRelation ?name . GRAPH ?g { ?s ?p ?o } ?g hk:assertionMode ?mode } }
      GROUP BY ?name ?mode ORDER BY ?name ?mode""",
    "by_city_relation": """SELECT ?city ?name (COUNT(*) AS ?n) WHERE {
        SELECT DISTINCT ?city ?name ?s ?o WHERE {
          ?p hk:kgRelation ?name . GRAPH ?g { ?s ?p ?o }
          ?g prov:wasDerivedFrom|hk:derivedFromGraph ?x .
          { ?g prov:wasDerivedFrom/hk:inDocument/hk:city/skos:prefLabel ?city }
          UNION { ?s hk:city/skos:prefLabel ?city } } }
      GROUP BY ?city ?name ORDER BY ?city ?name""",
    "figures": """SELECT ?city (COUNT(DISTINCT ?obs) AS ?n) WHERE {
        GRAPH ?g { ?obs a hk:Observation } ?g prov:wasDerivedFrom/hk:inDocument/hk:city/skos:prefLabel ?city }
      GROUP BY ?city ORDER BY ?city""",
}


def stats(store) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for name, query in STATS_QUERIES.items():
        rows = sparql_select(store, query, prefixes=PREFIXES)
        out[name] = [tuple(term_value(v) for v in row.values()) for row in rows]
    out["total"] = [("quads", len(store))]
    return out


def to_jsonl(facts) -> Iterator[str]:
    for fact in facts:
        yield json.dumps(fact, ensure_ascii=False)
