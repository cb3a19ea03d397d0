"""Questions in Chinese answered from the graph, with citations.

    parse (parse.py) → plan (plan.py) → run (run/) → render (render.py), orchestrated by ask.py;
    vocabulary and families in queries/questions.yaml, SPARQL shapes in queries/templates/.

Public entry points: `load` the knowledge once, then `answer(kb, question, context)` (pure: returns
the reply and the context for a follow-up) or `ask(kb, question)` for a question standing alone."""

from __future__ import annotations

from pathlib import Path

from kg.qa.ask import answer, explain
from kg.qa.knowledge import Knowledge
from kg.qa.parse import Context
from kg.qa.render import explain_text
from kg.qa.vocabulary import load_config

__all__ = ["Context", "Knowledge", "answer", "ask", "explain", "explain_text", "load", "load_config"]


def load(data_dir: Path, config: dict | None = None, store=None) -> Knowledge:
    """The knowledge of the current build in `data_dir` (or of a remote SPARQL `store`)."""
    return Knowledge(data_dir, config=config, store=store)


def ask(kb: Knowledge, question: object, qid: object = None) -> dict:
    """The reply to a question standing alone (no conversation context)."""
    return answer(kb, question, None, qid)[0]
