"""The plan sentences that best match a question (BM25 over character bigrams), for questions the
graph holds no fact for: shown as 原文相关内容 (related passages of the plan), never as an answer.

Two sources, one ranking: `PassageIndex` over rows held in memory (a build without a name index, or a
remote store), and `IndexedPassages` over the sentence tables of the build's name index
(kg/qa/name_index.py), which reads only the postings of the question's bigrams and the sentences
that share enough of them — nothing that grows with the corpus is read whole."""

from __future__ import annotations

import math
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?")
K1, B = 1.2, 0.75
PASSAGE_COLUMNS = ("span", "doc", "title", "city", "quote", "section", "start")  # passages.rq.j2's variables
_CHUNK = 500  # bound parameters per query
_STAGE_BATCH = 50_000  # postings held in memory while the index is written


def terms(text: str) -> list[str]:
    """Character bigrams of each run of Chinese characters (single characters for runs of one),
    latin words and numbers: Chinese has no spaces, and bigrams are the usual unit for ranking it."""
    found: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1 or not "\u4e00" <= run[0] <= "\u9fff":
            found.append(run)
        else:
            found += [run[i:i + 2] for i in range(len(run) - 1)]
    return found


def passages_sparql() -> str:
    """The query listing every sentence of every plan (queries/templates/passages.rq.j2)."""
    import jinja2

    from kg.paths import TEMPLATES_DIR

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)), undefined=jinja2.StrictUndefined,
                             autoescape=False)
    return env.get_template("passages.rq.j2").render()


def _best(q: set[str], candidates: Iterable[tuple[dict, dict, int]], n: int, df, avg_len: float,
          min_shared: int, limit: int) -> list[dict]:
    """BM25 of each candidate (row, its term frequencies, its length in terms), in row order; the
    best `limit` distinct quotes."""
    scored = []
    for row, tf, length in candidates:
        shared = [t for t in q if t in tf]
        if len(shared) < min_shared:
            continue
        score = 0.0
        for t in shared:
            idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            score += idf * tf[t] * (K1 + 1) / (tf[t] + K1 * (1 - B + B * length / avg_len))
        scored.append((score, row))
    scored.sort(key=lambda x: -x[0])
    seen: set[str] = set()
    best = []
    for _, row in scored:
        quote = str(row["quote"])
        if quote in seen:
            continue
        seen.add(quote)
        best.append({"doc": row["doc"], "title": row.get("title"), "quote": quote})
        if len(best) >= limit:
            break
    return best


def _min_shared(q: set[str], min_share: float) -> int:
    return max(2, math.ceil(min_share * len(q)))


@dataclass
class PassageIndex:
    """Sentences (rows with quote, doc, title, city) and their bigram statistics."""
    rows: list[dict]
    tfs: list[Counter] = field(default_factory=list)
    df: Counter = field(default_factory=Counter)
    avg_len: float = 1.0

    def __post_init__(self) -> None:
        self.tfs = [Counter(terms(str(r.get("quote") or ""))) for r in self.rows]
        for tf in self.tfs:
            self.df.update(tf.keys())
        self.avg_len = sum(sum(tf.values()) for tf in self.tfs) / max(1, len(self.tfs))

    def rank(self, query: str, city: str | None = None, limit: int = 3, min_share: float = 0.34) -> list[dict]:
        """The best `limit` sentences of the plans of `city` (all plans when None). A sentence must
        hold at least `min_share` of the query's distinct bigrams, else it is not shown."""
        q = set(terms(query))
        if not q:
            return []
        candidates = ((row, tf, sum(tf.values())) for row, tf in zip(self.rows, self.tfs, strict=True)
                      if not (city and row.get("city") != city))
        return _best(q, candidates, len(self.rows), self.df, self.avg_len, _min_shared(q, min_share), limit)


# ------------------------------------------------------------------ the sentence tables of the name index

PASSAGE_SCHEMA = """
    CREATE TABLE passage(id INTEGER PRIMARY KEY, span TEXT, doc TEXT, title TEXT, city TEXT, quote TEXT,
                         section TEXT, start, len INTEGER);
    CREATE TABLE posting(term TEXT, passage INTEGER, tf INTEGER, PRIMARY KEY(term, passage)) WITHOUT ROWID;
    CREATE TABLE term_df(term TEXT PRIMARY KEY, df INTEGER) WITHOUT ROWID;
    CREATE TABLE city_run(city TEXT, lo INTEGER, hi INTEGER);
    CREATE TABLE passage_block(part TEXT PRIMARY KEY, doc TEXT, block INTEGER, city TEXT, n INTEGER, total INTEGER)
        WITHOUT ROWID;
"""
# Sentences are numbered per document: the k-th sentence of a document (in passages.rq.j2's order) is
# block * BLOCK + k, and blocks are numbered in document order with room between them, so a document
# added later is numbered between its neighbours and the others keep their numbers (an incremental
# build rewrites only the documents that changed). A document is one city's: a city's sentences are a
# few runs of numbers, so a city's postings of a term are ranges of the term's postings.
BLOCK = 1 << 24  # sentences of one document at most
GAP = 1 << 20  # blocks left free between two documents by a full write
MAX_ID = 1 << 62
PASSAGE_INDEXES = """
    CREATE INDEX IF NOT EXISTS passage_city ON passage(city);
    CREATE INDEX IF NOT EXISTS city_run_city ON city_run(city);
"""


class NoRoom(Exception):
    """No free block between two documents: the sentences must be written again whole."""


def write_passages(con: sqlite3.Connection, rows: Iterable[dict], parts: Mapping[str, str] | None = None
                   ) -> dict[str, str]:
    """The sentences (rows of passages.rq.j2, in its order: by document) and their bigram postings,
    into the name index being written; each document is filed under its part (`parts`: document →
    part, kg/build_delta.py; the document itself without). Returns the meta entries (count, average length)."""
    blocks: dict[str, int] = {}

    def block_of(doc: str) -> int:
        if doc not in blocks:
            blocks[doc] = (len(blocks) + 1) * GAP
        return blocks[doc]

    _insert(con, rows, block_of, parts or {})
    return finish_passages(con)


def add_passages(con: sqlite3.Connection, rows: Iterable[dict], doc: str, part: str) -> None:
    """Add one document's sentences (rows of passages.rq.j2 for it) under a block between its neighbours'."""
    order = [(d, p, b) for p, d, b in con.execute("SELECT part, doc, block FROM passage_block")]
    before = max((b for d, p, b in order if (d, p) < (doc, part)), default=0)
    after = min((b for d, p, b in order if (d, p) > (doc, part)), default=before + 2 * GAP)
    block = (before + after) // 2
    if block <= before or block * BLOCK > MAX_ID:
        raise NoRoom(doc)
    _insert(con, rows, lambda _doc: block, {doc: part})


def remove_passages(con: sqlite3.Connection, part: str) -> None:
    """Remove the sentences filed under `part`, their postings and their share of the terms' counts."""
    row = con.execute("SELECT block, n FROM passage_block WHERE part = ?", (part,)).fetchone()
    if row is None:
        return
    lo, hi = row[0] * BLOCK + 1, row[0] * BLOCK + row[1]
    df: Counter = Counter()
    for (quote,) in con.execute("SELECT quote FROM passage WHERE id BETWEEN ? AND ?", (lo, hi)):
        df.update(set(terms(str(quote or ""))))
    for term, count in df.items():
        con.execute("DELETE FROM posting WHERE term = ? AND passage BETWEEN ? AND ?", (term, lo, hi))
        con.execute("UPDATE term_df SET df = df - ? WHERE term = ?", (count, term))
    con.execute("DELETE FROM term_df WHERE df <= 0")
    con.execute("DELETE FROM passage WHERE id BETWEEN ? AND ?", (lo, hi))
    con.execute("DELETE FROM passage_block WHERE part = ?", (part,))


def _insert(con: sqlite3.Connection, rows: Iterable[dict], block_of, parts: Mapping[str, str]) -> None:
    df: Counter = Counter()
    counts: dict[str, list] = {}  # doc → [block, n, total, city]
    postings: list[tuple] = []
    # Postings arrive in sentence order but are keyed by term: inserted as they come, each lands at a
    # random place of the table's B-tree. They are staged in a plain table instead (appended in batches)
    # and copied over in key order, which SQLite sorts on disk when they do not fit in memory.
    con.execute("CREATE TEMP TABLE posting_stage(term TEXT, passage INTEGER, tf INTEGER)")

    def passage_rows() -> Iterator[tuple]:
        for row in rows:
            doc = str(row.get("doc"))
            tf = Counter(terms(str(row.get("quote") or "")))
            length = sum(tf.values())
            if doc not in counts:
                counts[doc] = [block_of(doc), 0, 0, row.get("city")]
            c = counts[doc]
            c[1] += 1
            c[2] += length
            pid = c[0] * BLOCK + c[1]
            df.update(tf.keys())
            postings.extend((t, pid, k) for t, k in tf.items())
            if len(postings) >= _STAGE_BATCH:
                con.executemany("INSERT INTO posting_stage VALUES (?, ?, ?)", postings)
                postings.clear()
            yield (pid, *(row.get(c) for c in PASSAGE_COLUMNS), length)

    con.executemany(f"INSERT INTO passage VALUES (?, {', '.join('?' * len(PASSAGE_COLUMNS))}, ?)", passage_rows())
    con.executemany("INSERT INTO posting_stage VALUES (?, ?, ?)", postings)
    con.execute("INSERT INTO posting SELECT term, passage, tf FROM posting_stage ORDER BY term, passage")
    con.execute("DROP TABLE posting_stage")
    con.executemany("INSERT INTO term_df VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
                    df.items())
    con.executemany("INSERT INTO passage_block VALUES (?, ?, ?, ?, ?, ?)",
                    ((parts.get(doc, doc), doc, block, city, n, total)
                     for doc, (block, n, total, city) in counts.items()))


def finish_passages(con: sqlite3.Connection) -> dict[str, str]:
    """The cities' runs of sentence numbers, and the meta entries (count, average length)."""
    runs: list[list] = []  # [city, first, last]
    last_city: object = None
    for block, n, city in con.execute("SELECT block, n, city FROM passage_block WHERE n > 0 ORDER BY block"):
        if city and runs and last_city == city:
            runs[-1][2] = block * BLOCK + n
        elif city:
            runs.append([city, block * BLOCK + 1, block * BLOCK + n])
        last_city = city
    con.execute("DELETE FROM city_run")
    con.executemany("INSERT INTO city_run VALUES (?, ?, ?)", runs)
    con.executescript(PASSAGE_INDEXES)
    n, total = con.execute("SELECT coalesce(sum(n), 0), coalesce(sum(total), 0) FROM passage_block").fetchone()
    # the average exactly as PassageIndex computes it (a float written with repr reads back the same)
    return {"passages": str(n), "passage_avg_len": repr(total / max(1, n))}


class IndexedPassages:
    """The sentences of the build, read from the name index per question: `rank` gives what
    `PassageIndex.rank` gives over the same rows; `rows` the sentences of one city (or all)."""

    def __init__(self, con: sqlite3.Connection, n: int, avg_len: float) -> None:
        self.con = con
        self.n = n
        self.avg_len = avg_len

    def _rows(self, where: str = "", params: tuple = ()) -> Iterator[tuple[int, int, dict]]:
        """(id, length in terms, row) of the sentences selected, in build order."""
        cols = ", ".join(PASSAGE_COLUMNS)
        for pid, length, *values in self.con.execute(f"SELECT id, len, {cols} FROM passage {where} ORDER BY id",
                                                     params):
            yield pid, length, dict(zip(PASSAGE_COLUMNS, values, strict=True))

    def rows(self, city: str | None = None) -> list[dict]:
        """Every sentence in build order, or those of the plans of `city`."""
        return [row for _, _, row in (self._rows("WHERE city = ?", (city,)) if city else self._rows())]

    def rank(self, query: str, city: str | None = None, limit: int = 3, min_share: float = 0.34) -> list[dict]:
        """What PassageIndex.rank gives over the same sentences. A sentence sharing `need` of the
        question's terms shares at least one of its len(terms) - need + 1 rarest terms, so the
        candidates are read from the rarest terms' postings only, and the other terms are looked up
        for those candidates (a seek each) instead of read whole."""
        q = set(terms(query))
        if not q:
            return []
        df: dict[str, int] = {}
        for chunk in _chunks(sorted(q)):
            df.update(self.con.execute(f"SELECT term, df FROM term_df WHERE term IN ({_marks(chunk)})", chunk))
        need = _min_shared(q, min_share)
        present = sorted(df, key=lambda t: (df[t], t))
        if len(present) < need:
            return []
        runs = [(lo, hi) for lo, hi in self.con.execute("SELECT lo, hi FROM city_run WHERE city = ?", (city,))] \
            if city else [(0, MAX_ID)]
        tfs: dict[int, dict[str, int]] = {}
        rare = present[:len(present) - need + 1]
        for t in rare:
            for lo, hi in runs:
                for pid, tf in self.con.execute("SELECT passage, tf FROM posting WHERE term = ? AND passage BETWEEN ? "
                                                "AND ?", (t, lo, hi)):
                    tfs.setdefault(pid, {})[t] = tf
        ids = sorted(tfs)
        for t in present[len(rare):]:
            if len(ids) < df[t]:
                for chunk in _chunks(ids):
                    for pid, tf in self.con.execute(f"SELECT passage, tf FROM posting WHERE term = ? AND passage IN "
                                                    f"({_marks(chunk)})", (t, *chunk)):
                        tfs[pid][t] = tf
            else:
                for lo, hi in runs:
                    for pid, tf in self.con.execute("SELECT passage, tf FROM posting WHERE term = ? AND passage "
                                                    "BETWEEN ? AND ?", (t, lo, hi)):
                        if pid in tfs:
                            tfs[pid][t] = tf
        ids = [pid for pid in ids if len(tfs[pid]) >= need]
        found: dict[int, tuple[dict, int]] = {}
        for chunk in _chunks(ids):
            for pid, length, row in self._rows(f"WHERE id IN ({_marks(chunk)})", tuple(chunk)):
                found[pid] = (row, length)
        candidates = ((found[pid][0], tfs[pid], found[pid][1]) for pid in ids)
        return _best(q, candidates, self.n, df, self.avg_len, need, limit)


def _chunks(items: list) -> Iterator[list]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _marks(chunk: list) -> str:
    return ",".join("?" * len(chunk))
