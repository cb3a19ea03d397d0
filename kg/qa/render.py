"""Step 4 — render: the reply every caller receives (JSON-ready dict: status, message, answers with
citations, template, SPARQL), figure texts, the plan's related sentences when the graph holds no
fact, and `--explain` output as readable text."""

from __future__ import annotations

from functools import lru_cache

import jinja2

from kg.qa.knowledge import Knowledge
from kg.qa.parse import Parsed, scope_city


def reply(question: str, status: str, message: str, answers: list | None = None, template: str | None = None,
          sparql: str | None = None, qid: object = None) -> dict:
    return {"id": qid, "question": question, "status": status, "answers": answers or [], "template": template,
            "sparql": sparql, "message": message}


def with_passages(kb: Knowledge, out: dict, parsed: Parsed) -> dict:
    """No fact in the graph: the plan sentences that best match the question, in the plan(s) of
    the place or institution asked, shown as 原文相关内容 — never as the answer (status stays
    unanswerable, answers stay empty)."""
    city = scope_city(kb, parsed)
    if city is None:
        named = [m.entries[0].city for t in ("institution", "consortium", "unit")
                 for m in parsed.slots.get(t, []) if m.entries[0].city]
        city = named[0] if len(set(named)) == 1 else None
    query = parsed.question
    for word in sorted(kb.config.get("question_words") or [], key=len, reverse=True):
        query = query.replace(word, " ")
    found = kb.passage_index().rank(query, city)
    if found:
        out["passages"] = found
        out["message"] += "（下面是规划原文中的相关内容，供参考，不是答案。）"
    return out


def askable_about(kb: Knowledge, parsed: Parsed) -> list[str]:
    """Questions that can be asked about the first entity recognised (questions.yaml `askable`),
    else a few families' examples (a page of thirty examples is read by no one)."""
    about = kb.config.get("askable") or {}
    # the city asked, else each of the graph's (a kind may be named in one plan only)
    cities = [m.entries[0].label for m in parsed.mentions if m.type == "city"] or sorted(kb.plan_cities()) or [""]
    for m in parsed.mentions:
        patterns = about.get(m.type)
        if patterns:
            return list(dict.fromkeys(_template(p).render(name=m.entries[0].label, city=c)
                                      for p in patterns for c in cities))
    return [e for f in kb.families for e in f.get("examples", [])[:1]][:5]


@lru_cache(maxsize=256)
def _template(pattern: str) -> jinja2.Template:
    # compiled once per pattern: each failed question offers suggestions from the same few patterns
    return jinja2.Template(pattern)


def no_fact(what: str, sparql: str) -> dict:
    return {"status": "unanswerable", "answers": [], "sparql": sparql, "no_fact": True,
            "message": f"图谱中未记录{what}。可以用 `kg facts` 查看图谱里有哪些事实，或换一种问法。"}


def answered(answers: list[dict], message: str, sparql: str) -> dict:
    return {"status": "answered", "answers": answers, "sparql": sparql, "message": message}


def figure_answer(kb: Knowledge, r: dict, measure: str) -> dict:
    text = str(r.get("vt") or r.get("value"))
    unit = r.get("unit") or ""
    if not unit or unit in text or (unit[:1].isdigit() and unit.lstrip("0123456789.") in text):
        shown = text  # 14.0/10万 says its unit (1/10万) already
    elif unit[:1].isdigit():
        shown = f"{text}（{unit}）"  # ≤14 and 1/10万 glued would read ≤141/10万
    else:
        shown = f"{text}{unit}"
    label = f"{r.get('slabel') or ''}{r.get('year')}年{r.get('mlabel') or measure}：{shown}"
    return {"text": label, "value": r.get("value"), "iri": r.get("obs"), "inferred": False,
            "sources": kb.sources_of_graph(r["g"]) if r.get("g") else []}


def cite_passage(row: dict) -> dict:
    return {"doc": row["doc"], "title": row.get("title"), "quote": row["quote"]}


def explain_text(explained: dict) -> str:
    """`kg ask --explain` as lines a person reads (not Python reprs)."""
    mentions = [f"{m['text']}（{m['type']}：{'、'.join(dict.fromkeys(m['entities']))}）" for m in explained["mentions"]]
    lines = ["实体 entities: " + ("；".join(mentions) or "无")]
    if explained["years"]:
        lines.append("年份 years: " + "、".join(str(y) for y in explained["years"]))
    if explained["numbers"]:
        lines.append("数字 numbers: " + "、".join(f"{n:g}" for n in explained["numbers"]))
    lines.append("模板得分 families: " + ("，".join(f"{fid} {s:.2f}" for s, fid in explained["scores"]) or "无"))
    return "\n".join(lines)
