"""Step 3 — run: what a plan enumerates of a named thing (钦州的医院按性质分成哪几类, 四级中医药服务体系
是哪四级, 老年健康服务机构以哪些机构为主体, 母婴安全5项制度分别是什么). The question's cue says which
of the plan's cues answer it (questions.yaml enumeration `cues`: 哪几级 → 级, 为主体 → 主体, 分成哪几类 →
分为/包括/组成…); the question less its places, cue and question words names the thing: the
enumerations of the plans in scope whose thing or heading holds `min_named` of those words, and with
its sentence `min_share` of them, answer (a class of institution the question names must be in the thing or heading),
each item cited with its sentence. A count the
question states (哪两类) keeps only lists of that length. Nothing close enough is no answer."""

from __future__ import annotations

import math
import re

import jinja2

from kg.qa.knowledge import Knowledge
from kg.qa.parse import Parsed, scope_city
from kg.qa.render import answered, no_fact
from kg.qa.run.holders import covered


def asked_cues(family: dict, question: str) -> list[str]:
    """The plan cues that answer the question's cue (the first pattern of `cues` it matches)."""
    for pattern, cues in (family.get("cues") or {}).items():
        if re.search(pattern, question):
            return list(cues)
    return []


def thing_words(kb: Knowledge, family: dict, parsed: Parsed) -> list[str]:
    """The question's words naming the thing: less places, the cue patterns and question words."""
    text = parsed.question
    for m in sorted(parsed.mentions, key=lambda m: -m.start):
        if m.type in ("city", "county"):
            text = text[:m.start] + "|" + text[m.end:]
    for pattern in list(family.get("cues") or {}) + list(family.get("strip") or []):
        text = re.sub(pattern, "|", text)
    words = list(kb.config.get("question_words") or []) + list(family.get("stopwords") or [])
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "|")
    return [c for c in re.split(r"[|\W\d]+", text) if len(c) >= 2]


def run_enumeration(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    from kg.qa.consistency import stated_count

    sparql = kb.render_sparql(family)
    cues = asked_cues(family, parsed.question)
    words = thing_words(kb, family, parsed)
    # a kind of institution the question names (a class: 中医医院) is the thing or in it
    kinds = [m.text for m in parsed.mentions if m.type == "class"]
    size = sum(len(w) for w in words)
    if not cues or size < int(family.get("min_chars", 2)):
        return no_fact("这个问题所说的列举", sparql)
    city = scope_city(kb, parsed)
    n = stated_count(kb, parsed.question)
    found: dict[str, dict] = {}
    for r in kb.select(sparql, {}):
        if r["cue"] not in cues or city and city not in kb.row_cities(r):
            continue
        e = found.setdefault(r["e"], {**r, "items": {}})
        e["items"][r["item"]] = (int(r["start"]), r["ilabel"])
    scored: list[tuple[tuple[int, float, int], dict]] = []
    for e in found.values():
        if n is not None and len(e["items"]) != n:
            continue
        # the thing and the heading of its own paragraph (the headings above it are broader: a list under
        # 1.公立医院 / (1)市直医院 says what 市直医院 are made of, not 公立医院)
        heading = (e.get("section") or "").split(" / ")[-1]
        thing = re.sub(r"\s+", "", f"{e['whole']}|{heading}")
        # …and its sentence less the items (钦州的公立医院分为哪几类 is not asked of 医院分为公立医院和民营医院)
        quote = re.sub(r"\s+", "", e["quote"])
        for _, label in e["items"].values():
            quote = quote.replace(label, "|")
        said = thing + "|" + quote
        named = sum(covered(w, thing)[0] for w in words)
        got = sum(covered(w, said)[0] for w in words)
        # the thing or its heading names most of the words, and with its sentence all but a few
        if named < size * float(family.get("min_named", 0.5)) \
                or got < min(size, max(2, math.ceil(size * float(family.get("min_share", 0.6))))):
            continue
        if any(k not in thing for k in kinds):
            continue  # 中医医院包括哪些 is not answered by what 医院 is divided into
        # of two equally close, the one whose own name the question says most fully
        whole = re.sub(r"\s+", "", e["whole"])
        scored.append(((named, sum(covered(w, whole)[0] for w in words) / len(whole), got), e))
    if not scored:
        return no_fact("这个问题所说的列举", sparql)
    top = max(s for s, _ in scored)
    best = [e for s, e in scored if s == top]
    lists = {tuple(label for _, label in sorted(e["items"].values())) for e in best}
    cities = set().union(*(kb.row_cities(e) for e in best))
    if not city and len(cities) > 1:
        return {"status": "ambiguous", "answers": [], "sparql": sparql,
                "message": f"{'、'.join(sorted(cities))}的规划都有这样的列举，请写明城市。"}
    if len(lists) > 1:
        return no_fact("唯一的一种列举（规划中有几种同样接近的说法）", sparql)
    e = best[0]
    sources = kb.sources_of_graph(e["g"])[:1]
    answers = [{"text": label, "value": None, "iri": iri, "inferred": False, "sources": sources}
               for iri, (_, label) in sorted(e["items"].items(), key=lambda kv: kv[1][0])]
    message = jinja2.Template(family["answer"]).render(whole=e["whole"], cue=e["cue"],
                                                       items=[a["text"] for a in answers])
    return answered(answers, message, sparql)
