"""What a question is answered from: the graph (a store), the lexicon of its labels, the SPARQL
templates and the question vocabulary (queries/questions.yaml), with the per-build caches of
evidence and plan sentences. Loaded once; every later step only reads it (and fills its caches)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from kg.paths import TEMPLATES_DIR
from kg.qa.linking import PREFIXES, Lexicon, cached_rows, load_lexicon
from kg.qa.name_index import open_name_index
from kg.qa.passages import IndexedPassages, PassageIndex
from kg.qa.vocabulary import load_config
from kg.store import current_build, open_store, sparql_select, term_value


class Knowledge:
    """The store, lexicon, templates and vocabulary; cheap to ask once constructed."""

    def __init__(self, data_dir: Path, config: dict | None = None, store=None) -> None:
        # `store`: a kg.remote.RemoteStore to answer from a SPARQL server (no build dir, no cache).
        self.config = config or load_config()
        self.store = open_store(data_dir) if store is None else store
        self.synonyms = {k: list(v) for k, v in (self.config.get("synonyms") or {}).items()}
        self.build_dir = current_build(data_dir) if store is None else None
        # The build's name index when it has one (opened, not read); else the lexicon from the store.
        self.index = open_name_index(self.build_dir, self.config)
        self.lexicon: Lexicon = self.index or load_lexicon(
            self.store, self.build_dir, self.synonyms, self.config.get("measure_optional_words") or [],
            self.config.get("measure_heads") or [], self.config.get("ordinal_names") or {})
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                                      undefined=jinja2.StrictUndefined, autoescape=False)
        self.families = self.config["families"]
        self._sources: dict[str, list[dict]] = {}  # graph → its evidence, filled per answer
        self._graphs_of: dict[str, list[str]] = {}  # item → its evidence graphs
        self._doc_cities: dict[str, str] | None = None
        self._labels: dict[str, list[str]] = {}
        self._passage_rows: dict[str | None, list[dict]] = {}
        self._passage_index: PassageIndex | IndexedPassages | None = None
        self._city_of: dict[str, str | None] = {}
        self.suggestions: dict[str, bool] = {}  # a suggested question → whether it is answered (kg/qa/ask.py)

    def plan_cities(self) -> set[str]:
        return {e.label for _, e in self.lexicon.labelled("city")}

    def quotes_of(self, iri: str) -> list[str]:
        return [src["quote"] for src in self.evidence_of(iri)]

    def evidence_of(self, iri: str) -> list[dict]:
        return [src for g in self.graphs_of(iri) for src in self.graph_sources(g)[:3]]

    def render_sparql(self, family: dict, **shape) -> str:
        """The family's SPARQL template with the query's shape chosen (jinja2 picks the shape only;
        every value from the question is bound by `select`, never spliced)."""
        return self.env.get_template(family["sparql"]).render(**shape)

    def select(self, query: str, bindings: dict) -> list[dict]:
        """Run a query with the question's values bound as SPARQL variables (VALUES)."""
        rows = sparql_select(self.store, query, bindings=bindings, prefixes=PREFIXES)
        return [{k: term_value(v) for k, v in r.items()} for r in rows]

    def graph_sources(self, graph: str) -> list[dict]:
        """The evidence of a graph ({doc, title, quote, section}), looked up when an answer cites it."""
        found = self._sources.get(graph)
        if found is None:
            rows = self.select(self.env.get_template("sources_of.rq.j2").render(), {"g": graph}) if graph else []
            found = [{"doc": r["doc"], "title": r.get("title"), "quote": r["quote"], "section": r.get("section") or ""}
                     for r in rows]
            if len(self._sources) > 50_000:
                self._sources.clear()
            self._sources[graph] = found
        return found

    def graphs_of(self, iri: str) -> list[str]:
        """The evidence graphs stating something about a named item."""
        found = self._graphs_of.get(iri)
        if found is None:
            found = [r["g"] for r in self.select(self.env.get_template("mentions_of.rq.j2").render(), {"item": iri})]
            if len(self._graphs_of) > 50_000:
                self._graphs_of.clear()
            self._graphs_of[iri] = found
        return found

    def sources_of_graph(self, graph: str) -> list[dict]:
        """The citations of a graph in the answer format ({doc, title, quote})."""
        return [{"doc": s["doc"], "title": s["title"], "quote": s["quote"]} for s in self.graph_sources(graph)[:3]]

    def sources_of_item(self, iri: str) -> list[dict]:
        found: list[dict] = []
        for g in self.graphs_of(iri):
            found += [s for s in self.sources_of_graph(g) if s not in found]
            if len(found) >= 2:
                break
        return found[:2]

    def labels_of(self, iri: str) -> list[str]:
        if iri not in self._labels:
            self._labels[iri] = self.lexicon.labels_of(iri)
        return self._labels[iri]

    def city_of(self, iri: str) -> str | None:
        """The city (label) of an institution, network or unit in the lexicon."""
        if iri not in self._city_of:
            self._city_of[iri] = self.lexicon.city_of(iri)
        return self._city_of[iri]

    def city_iri(self, label: str | None) -> str | None:
        return next((e.iri for e in self.lexicon.by_label.get(label or "", []) if e.type == "city"), None)

    def doc_cities(self) -> dict[str, str]:
        if self._doc_cities is None:
            rows = self.select(self.env.get_template("doc_cities.rq.j2").render(), {})
            self._doc_cities = {str(r["doc"]): str(r["city"]) for r in rows if r.get("city")}
        return self._doc_cities

    def row_cities(self, row: dict) -> set[str]:
        """The cities of the plans a fact's evidence (or its premises' evidence) comes from."""
        docs = self.doc_cities()
        return {docs[s["doc"]] for s in self.graph_sources(row.get("g") or "") if s["doc"] in docs}

    def answer_cities(self, answer: dict) -> set[str]:
        docs = self.doc_cities()
        return {docs[s["doc"]] for s in answer["sources"] if s["doc"] in docs}

    def passages(self, city: str | None = None) -> list[dict]:
        """The plan sentences in document order ({span, doc, title, city, quote, section, start}); with
        `city`, those of its plans only (read from the name index, not the whole list, when it has them)."""
        key = city or None
        if key not in self._passage_rows:
            if self.index is not None:
                self._passage_rows[key] = self.index.passages.rows(key)
            elif key is None:
                self._passage_rows[key] = cached_rows(self.build_dir, "passages",
                                                      lambda: self.select(self.passages_sparql(), {}))
            else:
                self._passage_rows[key] = [r for r in self.passages() if r.get("city") == key]
        return self._passage_rows[key]

    def passages_sparql(self) -> str:
        return self.env.get_template("passages.rq.j2").render()

    def passage_index(self) -> PassageIndex | IndexedPassages:
        """What ranks the sentences against a question: the index's postings, else the sentences in memory."""
        if self._passage_index is None:
            self._passage_index = self.index.passages if self.index is not None else PassageIndex(self.passages())
        return self._passage_index

    def region_names_in(self, text: str) -> list[tuple[int, str]] | None:
        """(start, name) of the gazetteer's full names and aliases in `text`, from the name index;
        None when it cannot tell (no index, or one made with another gazetteer)."""
        return self.index.region_names_in(text) if self.index is not None else None
