"""What the graph says about one thing (an IRI it mints), and the text of a plan with its facts.

A service for the pages of `kg serve` (kg/web/linked.py) and anyone else: it reads the store with
the named queries of queries/pages/ (values bound, never spliced) and returns plain dicts. Every
statement carries its sentences: the plan's file, the quote and its offsets, so a page can link each
fact to the sentence it was read from (`sentence_href`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
import yaml

from kg.paths import PACKAGE_DATA, QUERIES_DIR
from kg.prefixes import NAMESPACES
from kg.store import SPARQL_PREFIXES, run_query, sparql_select, term_value

BASE = "https://w3id.org/healthkg"
PAGE_QUERIES = QUERIES_DIR / "pages"
RDF_TYPE = NAMESPACES["rdf"] + "type"
INFERRED = NAMESPACES["hkv"] + "mode/inferred"
HK = NAMESPACES["hk"]
ORG = NAMESPACES["org"]


@cache
def words() -> dict:
    """kg/data/web/pages.yaml: Chinese names of borrowed terms, property order, hidden graphs, families."""
    return yaml.safe_load((PACKAGE_DATA / "web" / "pages.yaml").read_text(encoding="utf-8"))


@cache
def query(name: str) -> str:
    return (PAGE_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def select(store, name: str, **bindings) -> list[dict]:
    return sparql_select(store, query(name), bindings, prefixes=SPARQL_PREFIXES)


# --------------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------------

def path_of(iri: str) -> str | None:
    """The path under which `kg serve` serves an IRI of the graph (`…/id/org/450700/x` → /id/org/450700/x);
    the ontology's terms (`…/ont#GeneralHospital`) are anchors of /ont. None for other IRIs."""
    if not iri.startswith(BASE + "/"):
        return None
    return iri[len(BASE):]


def iri_of(path: str) -> str:
    return BASE + path


def sentence_href(file: str, start: int) -> str:
    """The plan reader at one sentence."""
    return f"/plan/{file}#s{start}"


def short(iri: str) -> str:
    """A prefixed name for an IRI outside the graph's own (skos:prefLabel)."""
    for prefix, ns in NAMESPACES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


# --------------------------------------------------------------------------------------------------
# Values and their sentences
# --------------------------------------------------------------------------------------------------

@dataclass
class Value:
    """A value of a property (or, for incoming statements, the subject), with its sentences."""

    iri: str | None
    text: str
    href: str | None
    inferred: bool = False
    rules: list[str] = field(default_factory=list)
    sources: list[dict] = field(default_factory=list)


def _inferred(row: dict) -> bool:
    return row.get("mode") is not None and row["mode"].value == INFERRED


def family(iri: str) -> str:
    """The family of an IRI by its path (org, cons, region, doc, obs, measure …)."""
    parts = (path_of(iri) or "").split("#")[0].strip("/").split("/")
    if not parts or not parts[0]:
        return ""
    return parts[1] if parts[0] in ("id", "vocab") and len(parts) > 1 else parts[0]


class Reader:
    """One build's graph read for pages: labels and the sentences of each graph are read once."""

    def __init__(self, store) -> None:
        self.store = store
        self._labels: dict[str, str] = dict(words()["property_labels"])
        self.spans: dict[str, list[dict]] = defaultdict(list)
        self.parents: dict[str, list[str]] = defaultdict(list)
        for row in select(store, "evidence"):
            g = row["g"].value
            if row.get("quote") is not None:
                src = self._source(row)
                if src not in self.spans[g]:
                    self.spans[g].append(src)
            else:
                self.parents[g].append(row["from"].value)
        self.hidden = set(words()["hidden_graphs"])
        self.first = {p: i for i, p in enumerate(words()["first_properties"])}

    # ---- labels and terms ------------------------------------------------------------------------
    def label(self, iri: str) -> str:
        if iri not in self._labels:
            best = None
            for row in select(self.store, "labels", s=ox.NamedNode(iri)):
                lit = row["label"]
                rank = 0 if lit.language == "zh" else 1 if not lit.language else 2
                if best is None or (rank, len(lit.value)) < best[0]:
                    best = ((rank, len(lit.value)), lit.value)
            self._labels[iri] = best[1] if best else short(iri).rsplit("/", 1)[-1]
        return self._labels[iri]

    def term(self, term) -> Value:
        if isinstance(term, ox.NamedNode):
            return Value(term.value, self.label(term.value), path_of(term.value))
        if isinstance(term, ox.Literal):
            dt = term.datatype.value if term.datatype else ""
            if dt.endswith("#boolean"):
                return Value(None, "是" if term.value == "true" else "否", None)
            return Value(None, term.value, None)
        return Value(None, str(term), None)

    @staticmethod
    def _source(row: dict) -> dict:
        file, start = row["file"].value, term_value(row["start"])
        return {"file": file, "title": row["title"].value, "quote": row["quote"].value, "start": start,
                "end": term_value(row["end"]), "href": sentence_href(file, start)}

    def sources(self, graph: str, depth: int = 0) -> list[dict]:
        """The sentences a graph was read from, directly or through the graphs it was inferred from."""
        found = list(self.spans.get(graph, ()))
        if depth < 4:
            for parent in self.parents.get(graph, ()):
                found += [s for s in self.sources(parent, depth + 1) if s not in found]
        return found

    # ---- one thing -------------------------------------------------------------------------------
    def exists(self, iri: str) -> bool:
        return bool(run_query(self.store, query("resource_quads"), {"s": ox.NamedNode(iri)}, SPARQL_PREFIXES))

    def _collect(self, rows: list[dict], key: str) -> list[dict]:
        """Rows of out.rq / in.rq → [{property, label, values}], sources merged, stated over inferred."""
        found: dict[str, dict[str, Value]] = defaultdict(dict)
        for row in rows:
            if row["g"].value in self.hidden:
                continue
            prop, term = row["p"].value, row[key]
            value = found[prop].get(str(term))
            inferred = _inferred(row)
            if value is None:
                value = found[prop][str(term)] = self.term(term)
                value.inferred = inferred
            elif not inferred:
                value.inferred = False
            if inferred and row.get("rule") is not None and row["rule"].value not in value.rules:
                value.rules.append(row["rule"].value)
            for src in self.sources(row["g"].value):
                if src not in value.sources:
                    value.sources.append(src)
        out = []
        for prop in sorted(found, key=lambda p: (self.first.get(p, len(self.first)), self.label(p))):
            values = sorted(found[prop].values(), key=lambda v: (v.inferred, v.text))
            for v in values:
                v.sources.sort(key=lambda s: (s["file"], s["start"]))
            out.append({"iri": prop, "label": self.label(prop), "values": values})
        return out

    def describe(self, iri: str) -> dict:
        """Everything the graph says about `iri` and with it, by property, each value with its sentences."""
        node = ox.NamedNode(iri)
        out = self._collect(select(self.store, "out", s=node), "o")
        incoming = self._collect(select(self.store, "in", s=node), "x")
        types = next((p["values"] for p in out if p["iri"] == RDF_TYPE), [])
        # memberships are shown as such (member, consortium, role), figures as a table
        skip_in = {ORG + "member", ORG + "organization", HK + "subject"}
        if family(iri) == "measure":
            skip_in.add(HK + "measure")  # a measure's page lists its values in a table of its own
        return {"iri": iri, "label": self.label(iri), "family": family(iri),
                "family_label": words()["families"].get(family(iri), ""), "types": types,
                "props": [p for p in out if p["iri"] != RDF_TYPE],
                "incoming": [p for p in incoming if p["iri"] not in skip_in],
                "memberships": self.memberships(node), "figures": self.figures(node)}

    def memberships(self, node: ox.NamedNode) -> list[dict]:
        grouped: dict[tuple, dict] = {}
        for row in select(self.store, "memberships", s=node):
            member, org = row["member"].value, row["org"].value
            role = row["roleLabel"].value if row.get("roleLabel") is not None else ""
            entry = grouped.get((member, org, role))
            if entry is None:
                entry = grouped[(member, org, role)] = {
                    "member": self.term(row["member"]), "org": self.term(row["org"]), "role": role,
                    "inferred": _inferred(row), "sources": []}
            elif not _inferred(row):
                entry["inferred"] = False
            for src in self.sources(row["g"].value):
                if src not in entry["sources"]:
                    entry["sources"].append(src)
        return sorted(grouped.values(), key=lambda e: (e["org"].text, e["role"], e["member"].text))

    def figures(self, node: ox.NamedNode) -> list[dict]:
        """The figures whose subject is `node`, by measure and year."""
        rows: dict[str, dict] = {}
        for row in select(self.store, "figures", s=node):
            obs = row["obs"].value
            fig = rows.get(obs)
            if fig is None:
                fig = rows[obs] = {
                    "obs": obs, "href": path_of(obs), "measure": row["measureLabel"].value,
                    "measure_href": path_of(row["measure"].value),
                    "wording": term_value(row.get("wording")) or row["measureLabel"].value,
                    "year": term_value(row["year"]), "value": value_text(row), "role": self.role(row),
                    "nature": term_value(row.get("natureLabel")) or "", "sources": []}
            if row.get("quote") is not None:
                src = self._source(row)
                if src not in fig["sources"]:
                    fig["sources"].append(src)
        return sorted(rows.values(), key=lambda f: (f["measure"], f["year"] or 0, f["role"]))

    def role(self, row: dict) -> str:
        return self.label(row["vrole"].value) if row.get("vrole") is not None else ""

    def measure_values(self, measure_iri: str) -> list[dict]:
        """Every value of a canonical measure, with whose it is, the plan's city and the sentence."""
        out: dict[str, dict] = {}
        for row in select(self.store, "measure_values", measure=ox.NamedNode(measure_iri)):
            obs = row["obs"].value
            entry = out.get(obs)
            if entry is None:
                value = term_value(row.get("value"))
                entry = out[obs] = {
                    "obs": obs, "href": path_of(obs), "subject": row["subjectLabel"].value,
                    "subject_href": path_of(row["subject"].value), "city": term_value(row.get("cityLabel")) or "",
                    "year": term_value(row["year"]),
                    "value": value if isinstance(value, int | float) and not isinstance(value, bool) else None,
                    "text": value_text(row), "unit": term_value(row.get("unit")) or "", "role": self.role(row),
                    "role_key": (row["vrole"].value.rsplit("/", 1)[-1] if row.get("vrole") is not None else ""),
                    "wording": term_value(row.get("wording")) or "", "sources": []}
            if row.get("quote") is not None:
                src = self._source(row)
                if src not in entry["sources"]:
                    entry["sources"].append(src)
        return sorted(out.values(), key=lambda e: (e["city"], e["subject"], e["year"] or 0, e["role"]))

    def measure_named(self, name: str) -> str | None:
        """The IRI of the canonical measure called `name` (a wording plans use, or its id), or None."""
        rows = select(self.store, "measure_named", wording=ox.Literal(name, language="zh"))
        if rows:
            return rows[0]["m"].value
        by_id = NAMESPACES["hkv"] + "measure/" + name
        return by_id if name and "/" not in name and self.exists(by_id) else None

    def measures(self) -> list[tuple[str, str, int]]:
        """(IRI, name, number of figures) of every measure with figures, most figures first."""
        return [(r["m"].value, r["label"].value, term_value(r["n"])) for r in select(self.store, "measures")]

    # ---- RDF -------------------------------------------------------------------------------------
    def triples(self, iri: str) -> list[ox.Triple]:
        """The statements about `iri` (as subject or as value) for Turtle / JSON-LD, each once."""
        node = ox.NamedNode(iri)
        seen: dict[tuple, ox.Triple] = {}
        for row in select(self.store, "out", s=node):
            if row["g"].value not in self.hidden:
                seen.setdefault((row["p"].value, str(row["o"])), ox.Triple(node, row["p"], row["o"]))
        for row in select(self.store, "in", s=node):
            if row["g"].value not in self.hidden and isinstance(row["x"], ox.NamedNode):
                seen.setdefault((str(row["x"]), row["p"].value), ox.Triple(row["x"], row["p"], node))
        return list(seen.values())

    def serialize(self, iri: str, fmt: ox.RdfFormat) -> bytes:
        found = self.triples(iri)
        if fmt == ox.RdfFormat.TURTLE:
            return ox.serialize(found, format=fmt, prefixes=dict(NAMESPACES)) or b""
        return ox.serialize(found, format=fmt) or b""

    def ontology_terms(self) -> list[dict]:
        """The ontology's classes (anchors of /ont) with the things of each kind the plans name."""
        terms: dict[str, dict] = {}
        for row in select(self.store, "ontology_terms"):
            c = row["c"].value
            term = terms.setdefault(c, {"iri": c, "anchor": c.rsplit("#", 1)[-1], "label": row["label"].value,
                                        "super": None, "things": {}})
            if row.get("super") is not None:
                term["super"] = self.term(row["super"])
            if row.get("i") is not None and row["i"].value not in term["things"]:
                term["things"][row["i"].value] = self.term(row["i"])
        out = []
        for term in sorted(terms.values(), key=lambda t: t["anchor"]):
            things = sorted(term["things"].values(), key=lambda v: (family(v.iri or "") != "org", v.text))
            out.append({**term, "things": things})
        return out

    # ---- plans -----------------------------------------------------------------------------------
    def plans(self) -> list[dict]:
        return [{"doc": r["doc"].value, "file": r["file"].value, "title": r["title"].value,
                 "city": term_value(r.get("cityLabel")) or "", "href": f"/plan/{r['file'].value}",
                 "iri_href": path_of(r["doc"].value)} for r in select(self.store, "plans")]

    def plan_text(self, file: str) -> dict | None:
        """The plan `file` as its sentences in order, each with its section path, page and the facts
        taken from it; None when no plan of the graph has that file name."""
        plan = next((p for p in self.plans() if p["file"] == file), None)
        if plan is None:
            return None
        doc = ox.NamedNode(plan["doc"])
        facts: dict[int, list[dict]] = defaultdict(list)
        seen: set[tuple] = set()
        skip = set(words().get("reader_skip_families") or ())
        for row in select(self.store, "plan_facts", doc=doc) + select(self.store, "plan_inferred", doc=doc):
            if row["g"].value in self.hidden or family(str(row["s"].value)) in skip:
                continue
            for src in self.sources(row["g"].value):
                if src["file"] != file:
                    continue
                key = (src["start"], str(row["s"]), row["p"].value, str(row["o"]))
                if key in seen:
                    continue
                seen.add(key)
                s, o = self.term(row["s"]), self.term(row["o"])
                facts[src["start"]].append({"s": s.text, "s_href": s.href, "p": self.label(row["p"].value),
                                            "o": o.text, "o_href": o.href, "inferred": _inferred(row)})
        rows = select(self.store, "plan_sentences", doc=doc)
        headings = {part.strip() for row in rows if row.get("section") is not None
                    for part in row["section"].value.split(" / ")}
        sentences = []
        for row in rows:
            start, text = term_value(row["start"]), row["text"].value
            section = row["section"].value if row.get("section") is not None else ""
            sentences.append({
                "start": start, "end": term_value(row["end"]), "text": text, "section": section,
                "page": term_value(row.get("page")), "heading": text.strip() in headings,
                "depth": len(section.split(" / ")) if section else 0, "href": path_of(row["span"].value),
                "facts": sorted(facts.get(start, []), key=lambda f: (f["inferred"], f["s"], f["p"], f["o"]))})
        return {**plan, "sentences": sentences, "with_facts": sum(1 for s in sentences if s["facts"])}


def value_text(row: dict) -> str:
    """A figure as the plan writes it (its own wording when kept), with its unit."""
    text = term_value(row.get("valueText"))
    if text is None:
        text = term_value(row.get("value"))
    unit = term_value(row.get("unit")) or ""
    if text is None:
        return ""
    return f"{text}{unit}" if unit and not str(text).endswith(unit) else str(text)
