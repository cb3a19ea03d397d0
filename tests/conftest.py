"""Shared fixtures: the corpus graph is built once per test session from the shipped plans."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.paths import REPO_DIR

CORPUS = REPO_DIR / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    from kg.build import build

    path = tmp_path_factory.mktemp("kg-data")
    build(CORPUS, path)
    return path


@pytest.fixture(scope="session")
def store(data_dir):
    from kg.store import open_store

    return open_store(data_dir)


@pytest.fixture(scope="session")
def institutions(store) -> dict[str, dict]:
    from kg.facts import institution_facts

    return {f["name"]: f for f in institution_facts(store)}


@pytest.fixture(scope="session")
def plans():
    from kg.corpus import load_corpus

    return {p.doc_id[:3]: p for p in load_corpus(CORPUS)}
