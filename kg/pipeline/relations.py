"""Relations between institutions, consortia and kinds (filled by the relations work).

Writes `doc._.kg_facts`: a list of `Fact` records the build turns into triples.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

if not Doc.has_extension("kg_facts"):
    Doc.set_extension("kg_facts", default=None)


@dataclass
class Fact:
    """One extracted fact. `s`/`o` are mention keys (institutions, kinds) or literals.

    relation: a kg facts name ("guides", "leads", "has_role", …) or "figure".
    """

    relation: str
    s: str
    o: str | None = None
    extra: dict = field(default_factory=dict)


@Language.factory("kg_relations_v1", default_config={})
def make_relations_component(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.kg_facts = []
        return doc

    return component
