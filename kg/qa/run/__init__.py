"""Step 3 — run: one operator per kind of family (questions.yaml `kind`), each building its SPARQL
from the family's template with the question's values bound, running it and shaping the answers."""

from __future__ import annotations

from collections.abc import Callable

from kg.qa.knowledge import Knowledge
from kg.qa.parse import Parsed
from kg.qa.run.claims import run_claim
from kg.qa.run.enumerations import run_enumeration
from kg.qa.run.figures import (
    run_compare,
    run_compare_measures,
    run_count_measures,
    run_count_threshold,
    run_diff,
    run_figure,
    run_nature_value,
    run_superlative,
    run_threshold,
)
from kg.qa.run.holders import run_holders
from kg.qa.run.lists import run_count, run_exists, run_list, run_nature
from kg.qa.run.relations import run_contains, run_relation
from kg.qa.run.text import run_statement, run_text_place, run_text_plan

Operator = Callable[[Knowledge, dict, Parsed], dict]

OPERATORS: dict[str, Operator] = {
    "list": run_list, "count": run_count, "exists": run_exists, "nature": run_nature,
    "relation": run_relation, "contains": run_contains,
    "figure": run_figure, "diff": run_diff, "compare": run_compare, "superlative": run_superlative,
    "threshold": run_threshold, "compare_measures": run_compare_measures, "count_measures": run_count_measures,
    "count_threshold": run_count_threshold,
    "nature_value": run_nature_value, "holders": run_holders, "enumeration": run_enumeration,
    "statement": run_statement, "text_place": run_text_place, "text_plan": run_text_plan, "claim": run_claim,
}


def run(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    return OPERATORS[family["kind"]](kb, family, parsed)
