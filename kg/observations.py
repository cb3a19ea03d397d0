"""Figures as plain records: what the figure extractors produce and the build writes as quads.

An `Observation` says who (`Subject`), what (`Measure`: the canonical measure and the plan's own
wording), when (`year`), how much (`Value`), and where it was read (`evidence`: the table row or the
sentence, whose text is the quote). No RDF here: kg/build.py turns records into `hk:Observation` nodes.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.corpus import Sentence


@dataclass(frozen=True)
class Value:
    text: str  # as written, whitespace removed (≥0.77, 80左右, 1:1.39)
    value: str | None  # decimal lexical form; None when the text holds no single number
    comparator: str | None  # ≥ ≤ > < 左右


@dataclass(frozen=True)
class Subject:
    """What a figure is about.

    kind "region": `key` a region code; "institution": `key` an institution identity key (see
    kg/pipeline/institutions.py); "area": a part of a city that is no administrative region (城区,
    县域), `key` the plan's word, `city` the code of the city it lies in.
    """

    kind: str
    key: str
    city: str | None = None


@dataclass(frozen=True)
class Measure:
    """The canonical measure (`id`, `name`, its other names) and the plan's own `wording`."""

    id: str  # slug of the hkv:measure concept
    name: str  # canonical name (skos:prefLabel)
    wording: str  # as the plan words it, normalised (kept on the observation and as skos:altLabel)
    known: bool = True  # listed in kg/data/measures.yaml (else the concept is the plan's own wording)


@dataclass(frozen=True)
class Observation:
    subject: Subject
    measure: Measure
    year: int
    role: str  # baseline | target | current | open | added | planned (hkv:vrole)
    value: Value
    evidence: Sentence  # the table row or sentence it was read from: its text is the quote
    unit: str | None = None
    nature: str | None = None  # binding | expected | guiding (hkv:nature)
    area: Subject | None = None  # the region a figure of an institution is about
    source: str = "table"  # table | text
    condition: str | None = None  # for which places or levels it holds (每个乡镇, 市级), as the plan words it
    # the plan's phrase for the measure when the measure's concept is named with the condition (the
    # standard 乡镇卫生院（每个乡镇）, the level's 县区疾病预防控制中心: a measure of its own, never the
    # city's 乡镇卫生院 or 疾病预防控制中心)
    wording: str | None = None
