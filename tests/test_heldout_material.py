"""The held-out evaluation material stays well formed: every question has a gold answer the scorer can
use and a quote that is exact text of its document; every annotation row quotes its document exactly;
the documents' metadata names real places. Failures name files, lines and ids only, never the held-out
text (see tests/data/heldout/README.md: developers must not read it)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from kg.paths import REPO_DIR

DATA = REPO_DIR / "tests/data"
HELDOUT = DATA / "heldout"
CORPUS = REPO_DIR / "corpus"
TYPES = {"list_by_kind", "leads", "members", "guided_by", "guides_who", "based_on", "number", "count", "compare",
         "yes_no", "multi_hop", "role", "class_role", "composition", "text", "where", "refer", "unanswerable"}
QUESTION_SETS = {
    "questions-own-tune.jsonl": (DATA / "questions-own-tune.jsonl", CORPUS),
    "questions-own-heldout.jsonl": (DATA / "questions-own-heldout.jsonl", CORPUS),
    "heldout/questions.jsonl": (HELDOUT / "questions.jsonl", HELDOUT / "docs"),
}
ANNOTATION_KEYS = {
    "institutions": {"name", "aliases", "city", "county", "kind", "level", "planned", "doc", "quote"},
    "relations": {"s", "p", "o", "scope", "doc", "quote"},
    "roles": {"name", "role", "doc", "quote"},
    "numbers": {"subject", "measure", "year", "value", "unit", "doc", "quote"},
}
PREDICATES = {"guides", "refers", "refers_both", "leads", "member_of", "based_on", "integrated_with", "cooperates",
              "upgrade_to"}


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _documents() -> list[dict]:
    return json.loads((HELDOUT / "docs/documents.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(QUESTION_SETS))
def test_questions_have_usable_gold_and_exact_quotes(name):
    path, docs = QUESTION_SETS[name]
    rows = _jsonl(path)
    assert len(rows) >= 80, f"{name}: only {len(rows)} questions"
    texts: dict[str, str] = {}
    for row in rows:
        where = f"{name} {row.get('id')}"
        assert {"id", "q", "type", "answer", "match", "doc", "quote"} <= set(row), where
        assert row["type"] in TYPES and row["match"] in {"all", "any", "number"}, where
        assert isinstance(row["answer"], list), where
        assert (row["type"] == "unanswerable") == (row["answer"] == []), f"{where}: [] is exactly the unanswerable"
        if row["match"] == "number":
            assert len(row["answer"]) == 1 and isinstance(row["answer"][0], (int, float)), where
        else:
            assert all(isinstance(a, str) and a.strip() for a in row["answer"]), where
        if row["doc"] is None:
            assert not row["quote"], where
            continue
        if row["doc"] not in texts:
            texts[row["doc"]] = (docs / row["doc"]).read_text(encoding="utf-8")
        assert row["quote"] in texts[row["doc"]], f"{where}: quote is not text of {row['doc']}"


def test_own_question_ids_are_unique_and_the_halves_do_not_overlap():
    tune = [r["id"] for r in _jsonl(DATA / "questions-own-tune.jsonl")]
    held = [r["id"] for r in _jsonl(DATA / "questions-own-heldout.jsonl")]
    assert len(set(tune)) == len(tune) and len(set(held)) == len(held)
    assert not set(tune) & set(held)
    assert all(i.startswith("own-") for i in tune + held)


def test_documents_are_short_real_places_with_complete_metadata():
    with open(REPO_DIR / "kg/data/regions.csv", encoding="utf-8") as f:
        regions = list(csv.DictReader(f))
    code_of = {(r["name"], r["level"]): r["code"] for r in regions}
    parent_of = {r["code"]: r["parent_code"] for r in regions}
    entries = _documents()
    assert len(entries) >= 5
    for entry in entries:
        where = entry["file"]
        assert {"file", "city", "province", "county", "title", "issuer", "date", "doc_number"} <= set(entry), where
        text = (HELDOUT / "docs" / entry["file"]).read_text(encoding="utf-8")
        assert 2000 <= len(text) <= 8000, f"{where}: {len(text)} characters"
        assert entry["province"] not in {"广西壮族自治区", "江西省"}, where
        province = code_of[(entry["province"], "province")]
        city = entry["city"] or entry.get("file_under_city")
        assert parent_of[code_of[(city, "city")]] == province, where
        if entry["county"]:
            assert parent_of[code_of[(entry["county"], "county")]] == code_of[(city, "city")], where


def test_every_document_has_an_annotation_quoting_it_exactly():
    for entry in _documents():
        prefix = entry["file"][:3]
        text = (HELDOUT / "docs" / entry["file"]).read_text(encoding="utf-8")
        for category, keys in ANNOTATION_KEYS.items():
            path = HELDOUT / "reading" / f"{prefix}-{category}.jsonl"
            rows = _jsonl(path)
            assert rows, f"{path.name} is empty"
            for number, row in enumerate(rows, 1):
                where = f"{path.name}:{number}"
                assert keys <= set(row) and row["doc"] == entry["file"], where
                assert row["quote"] and row["quote"] in text, f"{where}: quote is not text of the document"
                if category == "relations":
                    assert row["p"] in PREDICATES and row["scope"] in {"instance", "class"}, where
                if category == "numbers":
                    assert isinstance(row["value"], (int, float)) and not isinstance(row["value"], bool), where
                    assert row["year"] is None or isinstance(row["year"], int), where
