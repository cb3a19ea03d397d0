"""The numbered short form of a hospital's name (市一医院, 县三院 → 市第一人民医院 / 市第一医院), as
kg/data/institutions.yaml states it (numbered_short_form, numbered_full_nouns): read once, for the
extraction (a document's short form is an alias) and for questions (a user's short form names the
hospital). A light module: `kg ask` reads it without loading the extraction pipeline."""

from __future__ import annotations

import re
from functools import cache

import yaml

from kg.paths import PACKAGE_DATA


@cache
def numbered_rules() -> tuple[re.Pattern, tuple[str, ...]]:
    """The short form's pattern (groups `place` and `n`) and the nouns the full name may end with after 第N."""
    with open(PACKAGE_DATA / "institutions.yaml", encoding="utf-8") as f:
        rules = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return re.compile(rules["numbered_short_form"]), tuple(rules["numbered_full_nouns"])
