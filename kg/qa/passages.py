"""The plan sentences that best match a question (BM25 over character bigrams), for questions the
graph holds no fact for: shown as 原文相关内容 (related passages of the plan), never as an answer."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z]+|\d+(?:\.\d+)?")
K1, B = 1.2, 0.75


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
        n = len(self.rows)
        scored = []
        for row, tf in zip(self.rows, self.tfs, strict=True):
            if city and row.get("city") != city:
                continue
            shared = [t for t in q if t in tf]
            if len(shared) < max(2, math.ceil(min_share * len(q))):
                continue
            length = sum(tf.values())
            score = 0.0
            for t in shared:
                idf = math.log(1 + (n - self.df[t] + 0.5) / (self.df[t] + 0.5))
                score += idf * tf[t] * (K1 + 1) / (tf[t] + K1 * (1 - B + B * length / self.avg_len))
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
