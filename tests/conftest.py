"""Shared fixtures: the corpus graph is built once per test session from the shipped plans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from kg.paths import REPO_DIR

CORPUS = REPO_DIR / "corpus"
SERVE_ENV = os.environ | {"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}


@contextmanager
def kg_serve(data_dir: Path, *args: str):
    """`kg serve` as a process on a free loopback port; yields (process, base URL); stopped by PID."""
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--data-dir", str(data_dir), "--port", "0",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=SERVE_ENV)
    try:
        line = proc.stdout.readline()
        assert line.startswith("kg serve: http://127.0.0.1:"), line + proc.stderr.read()
        yield proc, line.split()[2]
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


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
def kb(data_dir):
    """One question answerer (kg.qa Knowledge) of the corpus graph for every test file, as `kg serve`
    keeps one for every request: what earlier questions leave in its caches must never change a later
    answer (tests/test_qa_shared_knowledge.py). A file asking of another graph defines its own."""
    from kg.qa import load

    return load(data_dir)


@pytest.fixture(scope="session")
def institutions(store) -> dict[str, dict]:
    from kg.facts import institution_facts

    return {f["name"]: f for f in institution_facts(store)}


def relation_tuples(facts) -> set[tuple[str, str, str, str]]:
    """Relation facts of `kg facts` as (relation, subject, object, scope)."""
    return {(f["p"], f["s"], f["o"], f["scope"]) for f in facts}


def relations_of(data_dir: Path) -> set[tuple[str, str, str, str]]:
    """The relation tuples of the graph built into `data_dir`."""
    from kg.facts import relation_facts
    from kg.store import open_store

    return relation_tuples(relation_facts(open_store(data_dir)))


@pytest.fixture(scope="session")
def rels(store) -> set[tuple[str, str, str, str]]:
    """The corpus graph's relation tuples."""
    from kg.facts import relation_facts

    return relation_tuples(relation_facts(store))


@pytest.fixture(scope="session")
def plans():
    from kg.corpus import load_corpus

    return {p.doc_id[:3]: p for p in load_corpus(CORPUS)}


def build_documents(root: Path, documents: list[dict], *, with_corpus: bool = False) -> Path:
    """Build the graph of documents written in a test ({file, text, city, province, title[, county]},
    as `kg add` records them) into root/data, with the shipped plans too when asked; returns that
    directory."""
    import json

    from kg.build import build

    corpus = root / "corpus"
    corpus.mkdir()
    meta = []
    for doc in documents:
        (corpus / doc["file"]).write_text(doc["text"], encoding="utf-8")
        meta.append({k: doc[k] for k in ("file", "city", "province", "title", "county") if doc.get(k)})
    (corpus / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    build([CORPUS, corpus] if with_corpus else corpus, root / "data")
    return root / "data"


def figures_by_document(root: Path, documents: list[dict]) -> dict[str, list[dict]]:
    """The `kg facts` figures of documents written in a test (as `build_documents` takes them; a title is
    the text's first line unless given), by the document's file name."""
    from kg.facts import figure_facts
    from kg.store import open_store

    docs = [{"title": d["text"].splitlines()[0], **d} for d in documents]
    out: dict[str, list[dict]] = {d["file"]: [] for d in docs}
    for f in figure_facts(open_store(build_documents(root, docs))):
        out[f["sources"][0]["doc"]].append(f)
    return out


def build_one_plan(root: Path, text: str, *, file: str, city: str, title: str,
                   province: str = "广西壮族自治区") -> Path:
    """Build the graph of a one-plan corpus written in a test into root/data; returns that directory."""
    return build_documents(root, [{"file": file, "text": text, "city": city, "province": province, "title": title}])


def facts_of_file(facts: list[dict], file: str) -> dict[str, dict]:
    """The institution facts (by name) that cite the document `file`."""
    return {f["name"]: f for f in facts if any(file in (s.get("source_file"), s["doc"]) for s in f["sources"])}


def score_figures(facts: list[dict], expected: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """A careful reader's figures (subject, measure, year or None, value) against `kg facts` figures:
    those not found, and the levels read for a listed subject and measure with a value or year not
    listed (the scorer's rule: measures match by containment either way; changes are checked apart)."""
    from decimal import Decimal

    def matches(gold: tuple, fact: dict) -> bool:
        subject, measure, year, value = gold
        return (fact["subject"] == subject and (measure in fact["measure"] or fact["measure"] in measure)
                and fact["value"] is not None and Decimal(str(fact["value"])) == Decimal(value)
                and (year is None or fact["year"] == year))

    missed = [g for g in expected if not any(matches(g, f) for f in facts)]
    wrong = []
    for f in facts:
        if f["role"] == "change":
            continue
        related = [g for g in expected if g[0] == f["subject"] and (g[1] in f["measure"] or f["measure"] in g[1])]
        if related and not any(matches(g, f) for g in related):
            wrong.append((f["subject"], f["measure"], f["year"], f["value"], f["role"]))
    return missed, wrong


@pytest.fixture(scope="session")
def figure_score():
    return score_figures


@pytest.fixture(scope="session")
def one_plan_graph():
    """`build_one_plan`, for fixtures of a wider scope than `build_plan`'s."""
    return build_one_plan


@pytest.fixture
def build_plan(tmp_path):
    """Build the graph of a one-plan corpus written in the test (a plan of a city not in corpus/)."""

    def run(text: str, *, file: str, city: str, title: str, province: str = "广西壮族自治区") -> Path:
        return build_one_plan(tmp_path, text, file=file, city=city, title=title, province=province)

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
