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
from collections.abc import Iterable, Iterator
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
"""
# Sentences are numbered in document order and a document is one city's: a city's sentences are a
# few runs of consecutive numbers, so a city's postings of a term are ranges of the term's postings.
PASSAGE_INDEXES = """
    CREATE INDEX passage_city ON passage(city);
    CREATE INDEX city_run_city ON city_run(city);
"""


def write_passages(con: sqlite3.Connection, rows: Iterable[dict]) -> dict[str, str]:
    """The sentences (rows of passages.rq.j2, in its order) and their bigram postings, into the
    name index being written; returns the meta entries (count, average length)."""
    df: Counter = Counter()
    n = total = 0
    runs: list[list] = []  # [city, first, last]
    postings: list[tuple] = []
    # Postings arrive in sentence order but are keyed by term: inserted as they come, each lands at a
    # random place of the table's B-tree. They are staged in a plain table instead (appended in batches)
    # and copied over in key order, which SQLite sorts on disk when they do not fit in memory.
    con.execute("CREATE TEMP TABLE posting_stage(term TEXT, passage INTEGER, tf INTEGER)")

    def passage_rows() -> Iterator[tuple]:
        nonlocal n, total
        for row in rows:
            tf = Counter(terms(str(row.get("quote") or "")))
            length = sum(tf.values())
            n += 1
            total += length
            df.update(tf.keys())
            city = row.get("city")
            if city:
                if runs and runs[-1][0] == city and runs[-1][2] == n - 1:
                    runs[-1][2] = n
                else:
                    runs.append([city, n, n])
            postings.extend((t, n, c) for t, c in tf.items())
            if len(postings) >= _STAGE_BATCH:
                con.executemany("INSERT INTO posting_stage VALUES (?, ?, ?)", postings)
                postings.clear()
            yield (n, *(row.get(c) for c in PASSAGE_COLUMNS), length)

    con.executemany(f"INSERT INTO passage VALUES (?, {', '.join('?' * len(PASSAGE_COLUMNS))}, ?)", passage_rows())
    con.executemany("INSERT INTO posting_stage VALUES (?, ?, ?)", postings)
    con.execute("INSERT INTO posting SELECT term, passage, tf FROM posting_stage ORDER BY term, passage")
    con.execute("DROP TABLE posting_stage")
    con.executemany("INSERT INTO term_df VALUES (?, ?)", df.items())
    con.executemany("INSERT INTO city_run VALUES (?, ?, ?)", runs)
    con.executescript(PASSAGE_INDEXES)
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
            if city else [(1, self.n)]
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
