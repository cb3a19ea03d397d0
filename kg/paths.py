"""One place that resolves every data path: repository data, the example corpus, the graph
directory and the user's own plans.

The data directory (`--data-dir`, else `KG_DATA_DIR`, else the per-user default) holds the built
graph and, under `plans/`, the plans the user added with `kg add`. The per-user default is chosen
by platformdirs: `~/.local/share/kg` on Linux (or `$XDG_DATA_HOME/kg`), `~/Library/Application
Support/kg` on macOS, `%LOCALAPPDATA%\\kg` on Windows — the same whatever folder the shell is in.
"""

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
EXAMPLE_CORPUS = REPO_DIR / "corpus"
USER_PLANS = "plans"


def default_corpus_dir() -> Path:
    """`KG_CORPUS`, else the repository's `corpus/` (the built-in example plans)."""
    return Path(os.environ.get("KG_CORPUS") or EXAMPLE_CORPUS)


def user_default_data_dir() -> Path:
    """The per-user data directory (platformdirs' user data dir for "kg")."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("kg", appauthor=False))


def default_data_dir() -> Path:
    """`KG_DATA_DIR`, else the per-user data directory."""
    return Path(os.environ.get("KG_DATA_DIR") or user_default_data_dir())


def user_plans_dir(data_dir: Path) -> Path:
    """The user's own corpus: the plans `kg add` added, beside the graph they are built into."""
    return data_dir / USER_PLANS
