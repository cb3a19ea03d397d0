"""What the figure readers share: their vocabulary file (kg/data/figures.yaml) and the institution
recogniser they name owners with. Both kg/pipeline/figures.py (tables) and figure_text.py (prose)
import it, so neither imports the other for it."""

from __future__ import annotations

from functools import lru_cache

import yaml

from kg.gazetteer import Gazetteer
from kg.paths import PACKAGE_DATA
from kg.pipeline.institutions import InstitutionRecognizer, load_rules
from kg.vocab import load_vocabulary


@lru_cache(maxsize=1)
def load_config() -> dict:
    with open(PACKAGE_DATA / "figures.yaml", encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506


@lru_cache(maxsize=4)
def recognizer(gazetteer: Gazetteer) -> InstitutionRecognizer:
    return InstitutionRecognizer(load_vocabulary(), gazetteer, load_rules())


def longest_first(words) -> list[str]:
    return sorted(words, key=len, reverse=True)
