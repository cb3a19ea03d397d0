"""The careful reader's annotation in tests/data/reading/: every line parses, has the keys the format
requires, and quotes its plan exactly (so it can measure extraction; see its README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.paths import REPO_DIR

READING = REPO_DIR / "tests/data/reading"
CORPUS = REPO_DIR / "corpus"
REQUIRED = {
    "institutions": {"name", "aliases", "kind", "level", "planned", "doc", "quote"},
    "relations": {"s", "p", "o", "scope", "doc", "quote"},
    "roles": {"name", "role", "doc", "quote"},
    "numbers": {"subject", "measure", "year", "value", "unit", "doc", "quote"},
}
PREDICATES = {"guides", "refers", "refers_both", "leads", "member_of", "based_on", "integrated_with", "cooperates",
              "upgrade_to"}
FILES = sorted(READING.glob("[0-9][0-9][0-9]-*.jsonl"))


def _rows(path: Path) -> list[dict]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line) for line in lines]


def test_every_plan_in_the_annotation_has_all_four_files():
    plans = {p.name[:3] for p in FILES}
    assert {"000", "001", "003"} <= plans
    for plan in plans:
        assert {f"{plan}-{c}.jsonl" for c in REQUIRED} <= {p.name for p in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_rows_parse_with_required_keys_and_exact_quotes(path):
    category = path.stem.split("-", 1)[1]
    rows = _rows(path)
    assert rows, f"{path.name} is empty"
    texts: dict[str, str] = {}
    for number, row in enumerate(rows, 1):
        where = f"{path.name}:{number}"
        assert REQUIRED[category] <= set(row), f"{where} lacks {REQUIRED[category] - set(row)}"
        assert row["doc"].startswith(path.name[:3]), f"{where} quotes another plan: {row['doc']}"
        if row["doc"] not in texts:
            texts[row["doc"]] = (CORPUS / row["doc"]).read_text(encoding="utf-8")
        assert row["quote"] and row["quote"] in texts[row["doc"]], f"{where} quote not in the plan: {row['quote']}"
        if category == "relations":
            assert row["p"] in PREDICATES and row["scope"] in {"instance", "class"}, where
        elif category == "institutions":
            assert isinstance(row["aliases"], list) and isinstance(row["planned"], bool), where
        elif category == "numbers":
            assert isinstance(row["value"], (int, float)) and not isinstance(row["value"], bool), where
            assert row["year"] is None or isinstance(row["year"], int), where
