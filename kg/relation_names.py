"""The Chinese names of relations (kg/data/relation_names.yaml) for output people read."""

from __future__ import annotations

from functools import cache

import yaml

from kg.paths import PACKAGE_DATA


@cache
def relation_names() -> dict[str, str]:
    return yaml.safe_load((PACKAGE_DATA / "relation_names.yaml").read_text(encoding="utf-8"))


def zh(name: str) -> str:
    """`leads` → 牵头; a name with no Chinese name stays as it is."""
    return relation_names().get(name, name)
