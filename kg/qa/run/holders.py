"""Step 3 — run: who does a stated task (全市突发事件的紧急医疗救援指挥调度归哪个机构负责, 由谁承担): the
relation read backwards from its object. The question less its names, question words and the
family's cue is the task; the facts whose task text shares most of it (a run of 6+ characters or
70% of it) in the plans of the place in scope give their holders. Several holders equally close
in one plan are all answered; none close enough is no answer."""

from __future__ import annotations

import re

import jinja2

from kg.qa.knowledge import Knowledge
from kg.qa.parse import Parsed, scope_city
from kg.qa.render import answered, no_fact
from kg.qa.run.figures import is_of_class


def task_words(kb: Knowledge, family: dict, parsed: Parsed) -> list[str]:
    text = parsed.question
    for m in sorted(parsed.mentions, key=lambda m: -m.start):
        if m.type in ("city", "county"):
            text = text[:m.start] + "|" + text[m.end:]
    for t in family["triggers"]:
        text = re.sub(t, "|", text)
    for word in sorted(list(kb.config.get("question_words") or []) + list(family.get("stopwords") or []),
                       key=len, reverse=True):
        text = text.replace(word, "|")
    return [c for c in re.split(r"[|\W\d]+", text) if len(c) >= 2]


def covered(word: str, text: str) -> tuple[int, int]:
    """Characters of the word in runs of 2+ found in the text, and the longest such run."""
    i, total, longest = 0, 0, 0
    while i < len(word) - 1:
        j = i + 2
        if word[i:j] not in text:
            i += 1
            continue
        while j < len(word) and word[i:j + 1] in text:
            j += 1
        total, longest, i = total + j - i, max(longest, j - i), j
    return total, longest


def run_holders(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    words = task_words(kb, family, parsed)
    size = sum(len(w) for w in words)
    if size < int(family.get("min_chars", 6)):
        return no_fact("这个问题所说的职责", "")
    sparql = kb.render_sparql(family, props=family["props"])
    city = scope_city(kb, parsed)
    scored: dict[str, tuple[int, dict]] = {}
    for r in kb.select(sparql, {}):
        if city and city not in kb.row_cities(r):
            continue
        if family.get("holder_class") and not is_of_class(kb, r["s"], family["holder_class"]):
            continue  # 哪家医院: an institution, not a kind the plan says it of
        flat = re.sub(r"\s+", "", r["text"])
        runs = [covered(w, flat) for w in words]
        got = sum(n for n, _ in runs)
        if max((n for _, n in runs), default=0) < 4 \
                or got < min(size, max(6, int(size * float(family.get("min_share", 0.7))))):
            continue
        if got > scored.get(r["s"], (0, {}))[0]:
            scored[r["s"]] = (got, r)
    if not scored:
        return no_fact("承担这项职责的机构", sparql)
    top = max(v[0] for v in scored.values())
    rows = [r for v, r in scored.values() if v == top]
    cities = set().union(*(kb.row_cities(r) for r in rows))
    if not city and len(cities) > 1:
        return {"status": "ambiguous", "answers": [], "sparql": sparql,
                "message": f"{'、'.join(sorted(cities))}的规划都说到这项职责，请写明城市。"}
    answers = [{"text": r["slabel"], "value": None, "iri": r["s"], "inferred": False,
                "sources": kb.sources_of_graph(r["g"])[:1]} for r in rows]
    tasks = list(dict.fromkeys(r["text"] for r in rows))
    if len(tasks) > 1:
        # each holder's own words (以肿瘤性疾病为重点的省级区域医疗中心 is one hospital's, not all three's)
        message = "；".join(f"{r['slabel']}：{r['text']}" for r in rows) + "。"
    else:
        message = jinja2.Template(family["answer"]).render(items=[a["text"] for a in answers], task=tasks[0])
    return answered(answers, message, sparql)
