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


@pytest.fixture
def build_plan(tmp_path):
    """Build the graph of a one-plan corpus written in the test (a plan of a city not in corpus/)."""
    import json

    from kg.build import build

    def run(text: str, *, file: str, city: str, title: str, province: str = "广西壮族自治区") -> Path:
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        (corpus / file).write_text(text, encoding="utf-8")
        meta = [{"file": file, "city": city, "province": province, "title": title}]
        (corpus / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        build(corpus, tmp_path / "data")
        return tmp_path / "data"

    return run


@pytest.fixture(scope="session", autouse=True)
def per_user_data_dir(tmp_path_factory):
    """The per-user default data directory (platformdirs, through XDG_DATA_HOME) points into the
    session's temporary directory: a command run without --data-dir never writes into the home of
    whoever runs the tests."""
    import os

    saved = {k: os.environ.get(k) for k in ("XDG_DATA_HOME", "KG_DATA_DIR")}
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("xdg-data"))
    os.environ.pop("KG_DATA_DIR", None)
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
