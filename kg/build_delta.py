"""A build's parts, so that the next build rewrites only what changed (issue #14: adding one plan).

The graph is the union of parts: one per plan (its documents, spans, mentions, relations and figures,
written in corpus order) and one of what spans plans (the ontology, the regions, each institution's
summary). A plan's part depends on its records (the extraction cache's key: the plan and the pipeline's
version), on the places it is read as, and on what it looks up while it is written — the registry's
institutions it names (their IRI, name, kind, aliases, level, places, parent, status), the city's
labels it resolves, the measure labels met before it in corpus order. The writer records those
lookups (`Lookups`), and the part is kept with a digest of the plan's key and of every answer it got.

The next build answers the same lookups from its own registry: a plan whose digest is the same would
be written the same, so its part is taken over (hard-linked) and not written; the others are written
again. The previous build's store is copied (hard links) and changed by the difference of the parts
that changed; the inferred quads are removed and the rules run again. Everything is keyed by
`graph_version` (kg/build_cache.py): another pipeline, writer or rule set means a full build.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.build_graph import HKID, META_GRAPH

PARTS_DIR = "parts"
MANIFEST = "parts.json"
MANIFEST_FORMAT = 2  # bump when the manifest or the parts' files change form
GLOBAL = "_global"  # the part of what spans plans
_EV = HKID + "ev/"
_DOC_GRAPH = HKID + "graph/doc/"
INFERRED = HKID + "inferred/"
RULE = HKID + "rule/"


def _frozen(value: object) -> object:
    """A JSON-able, order-independent form of what a lookup answered."""
    if value is None:
        return None
    if isinstance(value, ox.NamedNode):
        return value.value
    state = getattr(value, "digest_state", None)
    if state is not None:
        return state()
    return str(value)


class Lookups:
    """The lookups a plan's part made: registry keys, (city, label) pairs, measure ids (with the label
    a measure had before the plan met it) and the measure labels the plan set."""

    def __init__(self) -> None:
        self.keys: dict[str, object] = {}
        self.labels: dict[str, object] = {}
        self.measures: dict[str, str | None] = {}
        self.measures_set: list[tuple[str, str]] = []
        self.whole = False  # the registry was iterated: the part depends on all of it


class TrackedMapping(Mapping):
    """A read-only mapping that records every key looked up, found or not, and what it answered."""

    def __init__(self, data: Mapping, log: dict[str, object], on_iter=None, encode=str) -> None:
        self._data = data
        self._log = log
        self._on_iter = on_iter
        self._encode = encode

    def _record(self, key) -> None:
        # what a key answers does not change while a build writes: recorded at its first lookup
        encoded = self._encode(key)
        if encoded not in self._log:
            self._log[encoded] = _frozen(self._data[key]) if key in self._data else None

    def __getitem__(self, key):
        self._record(key)
        return self._data[key]

    def __contains__(self, key) -> bool:
        self._record(key)
        return key in self._data

    def __iter__(self) -> Iterator:
        if self._on_iter:
            self._on_iter()
        return iter(self._data)

    def __len__(self) -> int:
        if self._on_iter:
            self._on_iter()
        return len(self._data)


class TrackedMeasures(MutableMapping):
    """The measure labels met so far in corpus order, recording what the plan found and set."""

    def __init__(self, data: dict[str, str], lookups: Lookups) -> None:
        self._data = data
        self._lookups = lookups

    def _read(self, key: str) -> None:
        if key not in self._lookups.measures:
            self._lookups.measures[key] = self._data.get(key)

    def __getitem__(self, key):
        self._read(key)
        return self._data[key]

    def __contains__(self, key) -> bool:
        self._read(key)
        return key in self._data

    def __setitem__(self, key, value) -> None:
        self._read(key)
        if self._data.get(key) != value:
            self._lookups.measures_set.append((key, value))
        self._data[key] = value

    def __delitem__(self, key) -> None:  # never done by the writer; recorded as a change all the same
        self._read(key)
        self._lookups.measures_set.append((key, None))  # type: ignore[arg-type]
        del self._data[key]

    def __iter__(self) -> Iterator:
        raise TypeError("the measure labels are looked up by id, not listed")

    def __len__(self) -> int:
        raise TypeError("the measure labels are looked up by id, not counted")


def label_key(key: tuple) -> str:
    return json.dumps(list(key), ensure_ascii=False)


def part_digest(plan_key: str, places: list, lookups: Lookups, registry_digest: str | None) -> str:
    h = hashlib.sha256()
    h.update(json.dumps([plan_key, places, sorted(lookups.keys.items(), key=lambda kv: kv[0]),
                         sorted(lookups.labels.items()), sorted(lookups.measures.items(), key=lambda kv: kv[0]),
                         registry_digest if lookups.whole else None],
                        ensure_ascii=False, sort_keys=True, default=str).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def registry_digest(institutions: Mapping) -> str:
    h = hashlib.sha256()
    for key in sorted(institutions):
        h.update(json.dumps([key, _frozen(institutions[key])], ensure_ascii=False, default=str)
                 .encode("utf-8", "surrogatepass"))
    return h.hexdigest()


@dataclass
class PartRecord:
    """What the manifest says of one plan's part."""

    doc_id: str
    plan_key: str
    places: list
    digest: str
    file: str
    keys: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    measures_set: list[tuple[str, str]] = field(default_factory=list)
    whole: bool = False
    shared: str = ""  # N-Quads of the part's quads outside its document's graphs (doc_of is another)

    def shared_quads(self) -> set[ox.Quad]:
        return set(ox.parse(self.shared.encode("utf-8"), format=ox.RdfFormat.N_QUADS)) if self.shared else set()

    def replay(self, institutions: Mapping, labels: Mapping, measure_labels: dict[str, str],
               registry: str) -> str:
        """The digest this part would have in a build with these institutions, labels and measure
        labels met before it (what its lookups would answer now)."""
        lookups = Lookups()
        lookups.whole = self.whole
        for key in self.keys:
            lookups.keys[key] = _frozen(institutions.get(key))
        for key in self.labels:
            lookups.labels[key] = _frozen(labels.get(tuple(json.loads(key))))
        for key in self.measures:
            lookups.measures[key] = measure_labels.get(key)
        return part_digest(self.plan_key, self.places, lookups, registry)


def doc_of(quad: ox.Quad) -> str | None:
    """The document a quad belongs to by its graph (an evidence or document graph, or the meta graph's
    statement about an evidence graph); None for a quad of a shared graph."""
    g = quad.graph_name
    if isinstance(g, ox.NamedNode):
        iri = g.value
        if iri.startswith(_EV):
            return iri[len(_EV):].rpartition("/")[0]
        if iri.startswith(_DOC_GRAPH):
            return iri[len(_DOC_GRAPH):]
        if g == META_GRAPH and isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(_EV):
            return quad.subject.value[len(_EV):].rpartition("/")[0]
    return None


def write_quads(path: Path, quads: Iterable[ox.Quad]) -> None:
    """N-Quads, gzipped (a tenth of the size; a part is read only when it or its document changed)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with gzip.open(tmp, "wb", compresslevel=1) as f:
        ox.serialize(quads, f, format=ox.RdfFormat.N_QUADS)
    os.replace(tmp, path)


def read_quads(path: Path) -> set[ox.Quad]:
    with gzip.open(path, "rb") as f:
        return set(ox.parse(f, format=ox.RdfFormat.N_QUADS))


class Parts:
    """The parts of the build being written (under BUILD/parts, listed in BUILD/parts.json), and those
    of the build it starts from (`previous`), if that one's parts were written by the same version."""

    def __init__(self, build_dir: Path, version: str, previous: Path | None = None) -> None:
        self.dir = build_dir / PARTS_DIR
        self.dir.mkdir(exist_ok=True)
        self.build_dir = build_dir
        self.version = version
        self.records: dict[str, PartRecord] = {}
        self.previous_dir = previous
        self.previous: dict[str, PartRecord] = {}
        self.reused: set[str] = set()
        if previous is not None:
            self.previous = read_manifest(previous, version) or {}

    def reuse(self, record: PartRecord) -> None:
        """Take over the previous build's part (a hard link, or a copy across file systems)."""
        assert self.previous_dir is not None
        source = self.previous_dir / PARTS_DIR / record.file
        target = self.dir / record.file
        try:
            os.link(source, target)
        except OSError:
            target.write_bytes(source.read_bytes())
        self.records[record.doc_id] = record
        self.reused.add(record.doc_id)

    def write(self, record: PartRecord, quads: set[ox.Quad]) -> None:
        outside = [q for q in quads if doc_of(q) != record.doc_id] if record.doc_id != GLOBAL else []
        record.shared = ox.serialize(outside, format=ox.RdfFormat.N_QUADS).decode("utf-8") if outside else ""
        write_quads(self.dir / record.file, quads)
        self.records[record.doc_id] = record

    def quads(self, doc_id: str, previous: bool = False) -> set[ox.Quad]:
        """The quads of a part of this build (or of the previous one)."""
        records, root = (self.previous, self.previous_dir / PARTS_DIR) if previous else (self.records, self.dir)
        return read_quads(root / records[doc_id].file)

    def save(self) -> None:
        data = {"format": MANIFEST_FORMAT, "version": self.version,
                "parts": [vars(r) for r in self.records.values()]}
        (self.build_dir / MANIFEST).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def read_manifest(build_dir: Path, version: str) -> dict[str, PartRecord] | None:
    """The parts of a build, by doc id; None when it has none or they were written by another version."""
    try:
        data = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("format") != MANIFEST_FORMAT or data.get("version") != version:
        return None
    try:
        records = [PartRecord(**{**r, "measures_set": [tuple(x) for x in r["measures_set"]]}) for r in data["parts"]]
    except (TypeError, KeyError):
        return None
    if not all((build_dir / PARTS_DIR / r.file).is_file() for r in records):
        return None
    return {r.doc_id: r for r in records}


def part_file(doc_id: str, digest: str) -> str:
    return hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:16] + f"-{digest[:16]}.nq.gz"


def remove_inferred(store: ox.Store) -> None:
    """The quads the rules added (their graphs, what the meta graph says of those and of the rules)."""
    graphs = [g for g in store.named_graphs() if g.value.startswith(INFERRED)]
    for g in graphs:
        store.remove_graph(g)
    meta = [q for q in store.quads_for_pattern(None, None, None, META_GRAPH)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith((INFERRED, RULE))]
    for q in meta:
        store.remove(q)


def apply_delta(store: ox.Store, parts: Parts, old: set[ox.Quad], new: set[ox.Quad], unchanged: set[str]) -> int:
    """Change the copied store by the parts that changed: `old` the previous build's quads of the parts
    written again or gone (and of its global part), `new` this build's. A quad of `old` not in `new` is
    removed unless a part taken over has it too: the part of its document, or any such part among the
    quads it writes outside its document (`PartRecord.shared`). Returns the quads removed and added."""
    shared: set[ox.Quad] | None = None
    loaded: dict[str, set[ox.Quad]] = {}
    removed = set()
    for q in old - new:
        doc = doc_of(q)
        if doc is not None and doc in unchanged:
            if doc not in loaded:
                loaded[doc] = parts.quads(doc)
            if q in loaded[doc]:
                continue
        if shared is None:
            shared = set()
            for d in unchanged:
                shared |= parts.records[d].shared_quads()
        if q not in shared:
            removed.add(q)
    for q in removed:
        store.remove(q)
    added = new - old
    store.bulk_extend(added)
    return len(removed) + len(added)
