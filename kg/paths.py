"""One place that resolves every data path: repository data, the corpus and the graph directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
PACKAGE_DATA = PACKAGE_DIR / "data"
ONTOLOGY_DIR = REPO_DIR / "ontology"
QUERIES_DIR = REPO_DIR / "queries"
TEMPLATES_DIR = QUERIES_DIR / "templates"
RULES_DIR = QUERIES_DIR / "rules"


def default_corpus_dir() -> Path:
    """`KG_CORPUS`, else the repository's `corpus/`."""
    return Path(os.environ.get("KG_CORPUS") or REPO_DIR / "corpus")


def default_data_dir() -> Path:
    """`KG_DATA_DIR`, else `.kg/` in the current directory."""
    return Path(os.environ.get("KG_DATA_DIR") or Path.cwd() / ".kg")
