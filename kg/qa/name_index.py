"""The name index of a build: every label `kg ask` links (institutions, networks, units, kinds,
places, levels, natures, measures, with the derived short forms of kg/qa/linking.py), written once
per build into the build directory as SQLite and opened lazily, so a question reads only the
labels it contains instead of the whole lexicon (a national graph has millions of labels).

Chosen over a JSON lexicon or an in-memory automaton because opening it costs nothing whatever
the size: a question's substrings are looked up in one indexed query (see bench/results.md).
A build without the index (made before it existed) falls back to the lexicon read from the store.

The same file holds what else a question would otherwise read whole: the plan sentences shown as
related text, with their bigram postings (kg/qa/passages.py), and the names of the gazetteer's
regions, so a question that names no region other than inside a linked name is told apart without
loading the gazetteer (kg/qa/parse.py:unknown_place).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from kg.qa.linking import PREFIXES, Entry, Lexicon, build_lexicon_rows, lexicon_from_rows
from kg.qa.passages import (
    PASSAGE_COLUMNS,
    PASSAGE_SCHEMA,
    IndexedPassages,
    NoRoom,
    add_passages,
    finish_passages,
    passages_sparql,
    remove_passages,
    write_passages,
)

INDEX_FILE = "qa-names.sqlite"
# Bump when the schema or what goes into the lexicon changes: an older index is then ignored.
INDEX_VERSION = 8
_CHUNK = 500  # bound parameters per lookup query
_FUZZY_MIN = 4  # fuzzy_candidates only offers names of 4+ characters


def lexicon_params(config: dict) -> dict:
    """The parts of the question vocabulary (queries/questions.yaml) the lexicon is derived with."""
    return {"synonyms": {k: list(v) for k, v in (config.get("synonyms") or {}).items()},
            "optional_words": config.get("measure_optional_words") or [],
            "measure_heads": config.get("measure_heads") or [],
            "ordinal_names": config.get("ordinal_names") or {}}


def params_key(params: dict) -> str:
    """A fingerprint of the vocabulary: an index made with other synonyms is not used."""
    text = json.dumps(params, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def regions_key() -> str:
    """A fingerprint of the gazetteer's source: region names indexed from another one are not used."""
    from kg.gazetteer import REGIONS_CSV

    try:
        return hashlib.sha1(REGIONS_CSV.read_bytes()).hexdigest()
    except OSError:
        return ""


def _passage_rows(store, doc: str | None = None) -> Iterator[dict]:
    """The sentences of passages.rq.j2 (of the document whose IRI is `doc`, or all), streamed (a
    national graph has millions)."""
    from kg.store import run_query, term_value

    bindings = {"d": doc} if doc else None
    for sol in run_query(store, passages_sparql(), bindings, prefixes=PREFIXES):
        yield {c: term_value(sol[c]) for c in PASSAGE_COLUMNS}


_LEXICON_SCHEMA = """
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE entry(id INTEGER PRIMARY KEY, iri TEXT, label TEXT, type TEXT, city TEXT,
                       of_kind TEXT, level TEXT);
    CREATE TABLE name(ord INTEGER, pos INTEGER, label TEXT, entry INTEGER, PRIMARY KEY(ord, pos))
        WITHOUT ROWID;
    CREATE TABLE canon(iri TEXT PRIMARY KEY, label TEXT) WITHOUT ROWID;
    CREATE TABLE fuzzy(len INTEGER, label TEXT, head TEXT, tail TEXT, type TEXT);
    CREATE TABLE place(name TEXT PRIMARY KEY) WITHOUT ROWID;
"""
_LEXICON_TABLES = ("meta", "entry", "name", "canon", "fuzzy", "place")


def _writer_digest(version: str) -> str:
    """What the sentence tables of an index depend on besides the graph: the graph's version (given by
    the build) and this writer's code and query."""
    from kg.paths import TEMPLATES_DIR
    from kg.qa import passages

    h = hashlib.sha256(f"{INDEX_VERSION} {version}".encode())
    for path in (Path(__file__), Path(passages.__file__), TEMPLATES_DIR / "passages.rq.j2"):
        h.update(path.read_bytes())
    return h.hexdigest()


def _reusable(previous: Path | None, digest: str) -> bool:
    """Whether the name index of a previous build holds sentence tables written the same way."""
    path = previous / INDEX_FILE if previous else None
    if path is None or not path.is_file():
        return False
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'blocks'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == digest


def write_name_index(build_dir: Path, store, config: dict | None = None, lexicon: Lexicon | None = None, *,
                     parts: Mapping[str, tuple[str, str]] | None = None, version: str = "",
                     previous: Path | None = None) -> Path:
    """Write the name index of the graph in `store` (or of a `lexicon` already read from it), its
    sentences and the gazetteer's region names into `build_dir`, once per build.

    `parts` (a document's file name → its part and its IRI, kg/build_delta.py) and `version` (the
    graph's) let the next build start from this index: the name index of the `previous` build, when
    written under the same version, is copied and only the sentences of the parts that changed are
    removed and added; the lexicon, a question's vocabulary and the places are written again whole."""
    if config is None:
        from kg.qa.vocabulary import load_config

        config = load_config()
    params = lexicon_params(config)
    lex = lexicon or lexicon_from_rows(build_lexicon_rows(store), params["synonyms"], params["optional_words"],
                                       params["measure_heads"], params["ordinal_names"])
    path = build_dir / INDEX_FILE
    tmp = build_dir / f"{INDEX_FILE}.{os.getpid()}.tmp"
    tmp.unlink(missing_ok=True)
    digest = _writer_digest(version) if parts is not None else ""
    reuse = parts is not None and _reusable(previous, digest)
    if reuse:
        shutil.copyfile(previous / INDEX_FILE, tmp)  # type: ignore[operator]
    con = sqlite3.connect(str(tmp))
    try:
        con.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -131072;")
        if reuse:
            con.executescript("".join(f"DROP TABLE {t};" for t in _LEXICON_TABLES) + _LEXICON_SCHEMA)
        else:
            con.executescript(_LEXICON_SCHEMA + PASSAGE_SCHEMA)
        _write_lexicon(con, lex)
        if reuse:
            try:
                meta = _update_passages(con, store, parts)  # type: ignore[arg-type]
            except NoRoom:
                con.close()
                return write_name_index(build_dir, store, config, lex, parts=parts, version=version)
        else:
            meta = write_passages(con, _passage_rows(store), {doc: part for doc, (part, _) in (parts or {}).items()})
        place_meta = _write_places(con)
        con.executemany("INSERT INTO meta VALUES (?, ?)",
                        [("version", str(INDEX_VERSION)), ("params", params_key(params)),
                         ("max_len", str(lex.max_len)), *meta.items(), *place_meta.items(),
                         *([("blocks", digest)] if digest else [])])
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)
    return path


def _update_passages(con: sqlite3.Connection, store, parts: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """The sentence tables of a copied index brought to this build's parts (NoRoom: write them whole)."""
    have = {part for (part,) in con.execute("SELECT part FROM passage_block")}
    wanted = {part: (doc, iri) for doc, (part, iri) in parts.items()}
    for part in sorted(have - wanted.keys()):
        remove_passages(con, part)
    for part in sorted(wanted.keys() - have, key=lambda p: (wanted[p][0], p)):
        doc, iri = wanted[part]
        add_passages(con, _passage_rows(store, iri), doc, part)
    return finish_passages(con)


def _write_lexicon(con: sqlite3.Connection, lex: Lexicon) -> None:
    ids: dict[tuple, int] = {}

    def entry_id(e: Entry) -> int:
        key = (e.iri, e.label, e.type, e.city, e.of_kind, e.level)
        found = ids.get(key)
        if found is None:
            found = ids[key] = len(ids) + 1
        return found

    def name_rows() -> Iterator[tuple]:
        for ord_, (label, entries) in enumerate(lex.by_label.items()):
            for pos, e in enumerate(entries):
                yield ord_, pos, label, entry_id(e)

    con.executemany("INSERT INTO name VALUES (?, ?, ?, ?)", name_rows())
    con.executemany("INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?)",
                    ((i, *key) for key, i in ids.items()))
    con.executemany("INSERT INTO canon VALUES (?, ?)", lex.names.items())
    # A label one character off a piece of a question keeps its first or its second half intact.
    con.executemany("INSERT INTO fuzzy VALUES (?, ?, ?, ?, ?)",
                    ((len(label), label, label[:len(label) // 2], label[len(label) // 2:], es[0].type)
                     for label, es in lex.by_label.items()
                     if len(label) >= _FUZZY_MIN and label == es[0].label))
    con.executescript("""
        CREATE INDEX name_label ON name(label);
        CREATE INDEX name_entry ON name(entry);
        CREATE INDEX entry_iri ON entry(iri);
        CREATE INDEX entry_type ON entry(type);
        CREATE INDEX fuzzy_head ON fuzzy(head);
        CREATE INDEX fuzzy_tail ON fuzzy(tail);
    """)


def _write_places(con: sqlite3.Connection) -> dict[str, str]:
    """The gazetteer's full names and aliases (what Gazetteer.find matches), and the short names of its
    prefecture-level cities (桂林: a question names a city without 市), when it can be read."""
    from kg.gazetteer import load

    key = regions_key()
    try:
        gazetteer = load() if key else None
        names = sorted(set(gazetteer.full_names()) | gazetteer.city_short_names()) if gazetteer else []
    except (OSError, ValueError, KeyError):
        return {}
    con.executemany("INSERT INTO place VALUES (?)", ((n,) for n in names))
    lengths = [len(n) for n in names] or [0]
    return {"regions": key, "region_min_len": str(min(lengths)), "region_max_len": str(max(lengths))} if names else {}


def open_name_index(build_dir: Path | None, config: dict) -> IndexedLexicon | None:
    """The build's name index, or None when the build has none (older build) or it was made with
    another version or vocabulary: the caller then reads the lexicon from the store."""
    path = build_dir / INDEX_FILE if build_dir else None
    if path is None or not path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        meta = dict(con.execute("SELECT key, value FROM meta"))
    except sqlite3.Error:
        return None
    if meta.get("version") != str(INDEX_VERSION) or meta.get("params") != params_key(lexicon_params(config)):
        con.close()
        return None
    return IndexedLexicon(con, int(meta.get("max_len") or 0), meta)


def _storable(text: str) -> bool:
    """False for text SQLite cannot take (a lone surrogate pasted into a question): no label has it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _starts(text: str, name: str) -> Iterator[int]:
    i = text.find(name)
    while i >= 0:
        yield i
        i = text.find(name, i + 1)


_ENTRY_COLS = "e.iri, e.label, e.type, e.city, e.of_kind, e.level"


class _Labels:
    """label → entries, read from the index (the `by_label` of an in-memory Lexicon)."""

    def __init__(self, lex: IndexedLexicon) -> None:
        self._lex = lex

    def get(self, label: str, default=None):
        entries = self._lex.lookup([label]).get(label)
        return entries if entries else default

    def __getitem__(self, label: str) -> list[Entry]:
        entries = self.get(label)
        if entries is None:
            raise KeyError(label)
        return entries

    def __contains__(self, label: object) -> bool:
        return isinstance(label, str) and self.get(label) is not None

    def items(self) -> Iterator[tuple[str, list[Entry]]]:
        """Every label (a full scan: for tests and tools, not for answering)."""
        label, bucket = None, []
        for row in self._lex.con.execute(f"SELECT n.label, {_ENTRY_COLS} FROM name n JOIN entry e "
                                         "ON e.id = n.entry ORDER BY n.ord, n.pos"):
            if row[0] != label and bucket:
                yield label, bucket
                bucket = []
            label = row[0]
            bucket.append(Entry(*row[1:]))
        if bucket:
            yield label, bucket

    def __iter__(self) -> Iterator[str]:
        return (label for label, _ in self.items())

    def values(self) -> Iterator[list[Entry]]:
        return (entries for _, entries in self.items())

    def __len__(self) -> int:
        return self._lex.con.execute("SELECT count(DISTINCT ord) FROM name").fetchone()[0]


class _Names:
    """iri → canonical label."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    def get(self, iri: str, default=None):
        row = self._con.execute("SELECT label FROM canon WHERE iri = ?", (iri,)).fetchone()
        return row[0] if row else default

    def __getitem__(self, iri: str) -> str:
        found = self.get(iri)
        if found is None:
            raise KeyError(iri)
        return found

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and self.get(iri) is not None


class IndexedLexicon(Lexicon):
    """The Lexicon interface over the SQLite name index: lookups by label, by iri and by type."""

    cache_limit = 100_000  # labels looked up kept in memory (`kg serve` asks for as long as it runs)

    def __init__(self, con: sqlite3.Connection, max_len: int, meta: dict[str, str] | None = None) -> None:
        self.con = con
        self.max_len = max_len
        self.by_label = _Labels(self)  # type: ignore[assignment]
        self.names = _Names(con)  # type: ignore[assignment]
        self._cache: dict[str, list[Entry]] = {}
        self.meta = meta or {}
        self.passages = IndexedPassages(con, int(self.meta.get("passages") or 0),
                                        float(self.meta.get("passage_avg_len") or 1.0))
        self._regions_current: bool | None = None

    def region_names_in(self, text: str) -> list[tuple[int, str]] | None:
        """(start, name) of every gazetteer full name or alias occurring in `text`, overlaps included;
        None when the index holds no region names or holds those of another gazetteer."""
        if self._regions_current is None:
            self._regions_current = bool(self.meta.get("regions")) and self.meta["regions"] == regions_key()
        if not self._regions_current or not _storable(text):
            return None
        low, high = int(self.meta["region_min_len"]), int(self.meta["region_max_len"])
        pieces = {text[i:i + k]: None for k in range(low, high + 1) for i in range(len(text) - k + 1)}
        found: set[str] = set()
        wanted = list(pieces)
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i:i + _CHUNK]
            found.update(r[0] for r in self.con.execute(
                f"SELECT name FROM place WHERE name IN ({','.join('?' * len(chunk))})", chunk))
        return sorted((i, name) for name in found for i in _starts(text, name))

    def lookup(self, labels: Iterable[str]) -> dict[str, list[Entry]]:
        labels = [lb for lb in labels if _storable(lb)]
        # The answer is collected apart from the cache: the cache may be emptied in the middle of this
        # call (it is bounded), and the labels it held before must still be in this call's answer.
        known = {lb: self._cache[lb] for lb in dict.fromkeys(labels) if lb in self._cache}
        wanted = [lb for lb in dict.fromkeys(labels) if lb not in known]
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i:i + _CHUNK]
            found: dict[str, list[Entry]] = {}
            marks = ",".join("?" * len(chunk))
            for row in self.con.execute(f"SELECT n.label, {_ENTRY_COLS} FROM name n JOIN entry e ON e.id = n.entry "
                                        f"WHERE n.label IN ({marks}) ORDER BY n.label, n.pos", chunk):
                found.setdefault(row[0], []).append(Entry(*row[1:]))
            if len(self._cache) > self.cache_limit:
                self._cache.clear()
            for lb in chunk:
                self._cache[lb] = known[lb] = found.get(lb, [])
        return {lb: known[lb] for lb in labels if known.get(lb)}

    def labelled(self, *types: str) -> Iterator[tuple[str, Entry]]:
        marks = ",".join("?" * len(types))
        for row in self.con.execute(f"SELECT n.label, {_ENTRY_COLS} FROM entry e JOIN name n ON n.entry = e.id "
                                    f"WHERE e.type IN ({marks}) ORDER BY n.ord, n.pos", types):
            yield row[0], Entry(*row[1:])

    def buckets(self, *types: str) -> Iterator[tuple[str, list[Entry]]]:
        marks = ",".join("?" * len(types))
        labels = [r[0] for r in self.con.execute(
            f"SELECT n.label FROM entry e JOIN name n ON n.entry = e.id WHERE n.pos = 0 AND e.type IN ({marks}) "
            "ORDER BY n.ord", types)]
        found = self.lookup(labels)
        for label in labels:
            yield label, found[label]

    def labels_of(self, iri: str) -> list[str]:
        return [r[0] for r in self.con.execute(
            "SELECT n.label FROM entry e JOIN name n ON n.entry = e.id WHERE e.iri = ? ORDER BY n.ord, n.pos",
            (iri,))]

    def city_of(self, iri: str) -> str | None:
        row = self.con.execute(
            "SELECT e.city FROM entry e JOIN name n ON n.entry = e.id WHERE e.iri = ? AND e.city IS NOT NULL "
            "AND e.city != '' AND e.type IN ('institution', 'consortium', 'unit') ORDER BY n.ord DESC, n.pos DESC "
            "LIMIT 1", (iri,)).fetchone()
        return row[0] if row else None

    def fuzzy_labels(self, text: str, types: tuple[str, ...]) -> Iterator[tuple[str, list[Entry]]]:
        """The labels that may differ from a piece of `text` by one character (substituted or
        missing): one half of such a label is in the text as it is (a superset; the caller checks)."""
        marks = ",".join("?" * len(types))
        found: set[str] = set()
        n_max = len(text) + 1  # a label with one character missing from the text
        pieces = sorted({text[i:i + k] for k in range(_FUZZY_MIN // 2, n_max // 2 + 2)
                         for i in range(len(text) - k + 1)} if _storable(text) else ())
        for col in ("head", "tail"):
            for i in range(0, len(pieces), _CHUNK):
                chunk = pieces[i:i + _CHUNK]
                found.update(r[0] for r in self.con.execute(
                    f"SELECT label FROM fuzzy WHERE {col} IN ({','.join('?' * len(chunk))}) AND len <= ? "
                    f"AND type IN ({marks})", (*chunk, n_max, *types)))
        by = self.lookup(sorted(found))
        for label in sorted(found):
            if label in by:
                yield label, by[label]
