"""The spaCy pipeline: blank Chinese with the jieba segmenter plus kg's rule components.

Components are registered by name and listed in `kg/data/pipeline.yaml`, so a component is added
or switched off by editing data, not code.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc

from kg.corpus import Sentence
from kg.gazetteer import Region
from kg.paths import PACKAGE_DATA


@lru_cache(maxsize=1)
def make_nlp() -> Language:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    # The components register their factories on import.
    import kg.pipeline.institutions  # noqa: F401
    import kg.pipeline.relations  # noqa: F401

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    with open(PACKAGE_DATA / "pipeline.yaml", encoding="utf-8") as f:
        config = yaml.safe_load(f)
    for component in config["components"]:
        nlp.add_pipe(component["factory"], name=component["name"], config=component.get("config", {}))
    return nlp


def sentence_docs(sentences: Iterable[Sentence], city: Region | None,
                  progress: Callable[[int], None] | None = None,
                  county: Region | None = None) -> Iterator[tuple[Sentence, Doc]]:
    """Run the pipeline over sentences, yielding each with its Doc (`county`: the county a document
    is about, for its short forms such as 县人民医院)."""
    nlp = make_nlp()
    items = list(sentences)

    def docs() -> Iterator[Doc]:
        for sentence in items:
            doc = nlp.make_doc(sentence.norm.text)
            doc._.kg_city = city
            doc._.kg_county = county
            doc._.kg_truncated = sentence.truncated
            doc._.kg_sentence = sentence
            yield doc

    for sentence, doc in zip(items, _pipe(nlp, docs()), strict=True):
        if progress:
            progress(1)
        yield sentence, doc


def _pipe(nlp: Language, docs: Iterable[Doc]) -> Iterator[Doc]:
    for doc in docs:
        for _name, proc in nlp.pipeline:
            doc = proc(doc)
        yield doc
