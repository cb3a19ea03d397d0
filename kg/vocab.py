"""The ontology's terms as lookup tables for extraction and question answering.

Institution kinds and their Chinese labels (prefLabel, altLabel, hiddenLabel on the classes of
`ontology/hk.ttl`), levels and relation names all come from the ontology files: one place for each
piece of knowledge. The tables are small and cached; `kinds_json()` is what a built graph keeps
beside the store so that `kg ask` never has to parse Turtle.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.paths import ONTOLOGY_DIR

HK = "https://w3id.org/healthkg/ont#"
HKV = "https://w3id.org/healthkg/vocab/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"


@dataclass(frozen=True)
class Kind:
    """An institution class: its IRI, Chinese name, WS 218 code, labels, and its superclasses."""

    iri: str
    name: str
    notation: str | None
    labels: tuple[str, ...]
    parents: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    kinds: dict[str, Kind]  # by IRI
    levels: dict[str, tuple[str, tuple[str, ...]]]  # level IRI -> (prefLabel, altLabels)
    relations: dict[str, str]  # property IRI -> kg facts name
    consortium_kinds: dict[str, Kind]
    # branches, campuses and named facilities (hk:InstitutionUnit and below): named like institutions,
    # but no kinds of institution (a 院区 is counted in no 几家医院)
    unit_kinds: dict[str, Kind] = field(default_factory=dict)

    def label_index(self) -> dict[str, str]:
        """Every Chinese label of an institution class → class IRI (longest labels win ties)."""
        index: dict[str, str] = {}
        for kind in sorted(self.kinds.values(), key=lambda k: len(k.labels)):
            for label in kind.labels:
                index.setdefault(label, kind.iri)
        return index

    def ancestors(self, iri: str) -> list[str]:
        seen, todo = [], [iri]
        while todo:
            cur = todo.pop()
            kind = self.kinds.get(cur) or self.unit_kinds.get(cur) or self.consortium_kinds.get(cur) \
                or Kind(cur, "", None, (), ())
            for parent in kind.parents:
                if parent not in seen:
                    seen.append(parent)
                    todo.append(parent)
        return seen

    def is_a(self, iri: str, ancestor: str) -> bool:
        return iri == ancestor or ancestor in self.ancestors(iri)

    def level_for(self, word: str) -> str | None:
        """The level concept a Chinese word names (市办, 市级, 县直…), or None."""
        for iri, (pref, alts) in self.levels.items():
            if word == pref or word in alts:
                return iri
        return None

    def to_json(self) -> str:
        return json.dumps({
            "kinds": {k: [v.name, v.notation, list(v.labels), list(v.parents)] for k, v in self.kinds.items()},
            "consortium_kinds": {k: [v.name, v.notation, list(v.labels), list(v.parents)]
                                 for k, v in self.consortium_kinds.items()},
            "unit_kinds": {k: [v.name, v.notation, list(v.labels), list(v.parents)]
                           for k, v in self.unit_kinds.items()},
            "levels": {k: [p, list(a)] for k, (p, a) in self.levels.items()},
            "relations": self.relations,
        }, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Vocabulary:
        data = json.loads(text)

        def kinds(d: dict) -> dict[str, Kind]:
            return {k: Kind(k, v[0], v[1], tuple(v[2]), tuple(v[3])) for k, v in d.items()}

        return cls(kinds(data["kinds"]), {k: (v[0], tuple(v[1])) for k, v in data["levels"].items()},
                   data["relations"], kinds(data["consortium_kinds"]), kinds(data.get("unit_kinds", {})))


@lru_cache(maxsize=4)
def load_vocabulary(ontology_dir: Path = ONTOLOGY_DIR) -> Vocabulary:
    """Read the kinds, levels and relation names from the ontology's Turtle files."""
    from rdflib import RDFS as R
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import SKOS as S

    graph = Graph()
    for name in ("hk.ttl", "vocab.ttl"):
        graph.parse(ontology_dir / name, format="turtle")
    hk = Namespace(HK)

    def zh_labels(node: URIRef) -> tuple[str, str, tuple[str, ...]]:
        pref = ""
        labels: list[str] = []
        for prop in (S.prefLabel, R.label, S.altLabel, S.hiddenLabel):
            for lit in graph.objects(node, prop):
                if isinstance(lit, Literal) and lit.language == "zh":
                    text = str(lit)
                    if not pref and prop in (S.prefLabel, R.label):
                        pref = text
                    # a label such as 门诊部/诊所 names two words
                    for part in text.replace("（", "/").replace("）", "/").split("/"):
                        if part and part not in labels:
                            labels.append(part)
        return pref, str(next(iter(graph.objects(node, S.notation)), "")) or None, tuple(labels)

    def subclasses(root: URIRef) -> dict[str, Kind]:
        found: dict[str, Kind] = {}
        todo = [root]
        while todo:
            cls = todo.pop()
            if str(cls) in found:
                continue
            pref, notation, labels = zh_labels(cls)
            parents = tuple(str(p) for p in graph.objects(cls, R.subClassOf) if str(p).startswith(HK))
            found[str(cls)] = Kind(str(cls), pref, notation, labels, parents)
            todo.extend(graph.subjects(R.subClassOf, cls))
        return found

    kinds = subclasses(hk.HealthInstitution)
    consortia = subclasses(URIRef(HK + "MedicalConsortium"))
    consortia.update(subclasses(URIRef(HK + "ServiceSystem")))
    levels: dict[str, tuple[str, tuple[str, ...]]] = {}
    for concept in graph.subjects(S.inScheme, URIRef(HKV + "level")):
        pref = next((str(lit) for lit in graph.objects(concept, S.prefLabel) if lit.language == "zh"), "")
        alts = tuple(str(lit) for lit in graph.objects(concept, S.altLabel) if lit.language == "zh")
        levels[str(concept)] = (pref, alts)
    relations = {str(s): str(o) for s, o in graph.subject_objects(hk.kgRelation)}
    return Vocabulary(kinds, levels, relations, consortia, subclasses(hk.InstitutionUnit))
