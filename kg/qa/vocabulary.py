"""The question vocabulary (queries/questions.yaml): cues, synonyms, operators (families) and answer
wording — read by the answerer and by the build's name index alike."""

from __future__ import annotations

from pathlib import Path

import yaml

from kg.paths import QUERIES_DIR


def load_config(path: Path | None = None) -> dict:
    """The question vocabulary: cues, synonyms, operators (families) and answer wording."""
    # libyaml's loader when built in (a third of the cold start of `kg ask` went to the pure-Python one)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((path or QUERIES_DIR / "questions.yaml").read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
