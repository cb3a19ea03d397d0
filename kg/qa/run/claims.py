"""Step 3 — run: a yes/no question about something the plan states in so many words, with no fact of
the graph to read it from (能和社会资本合作办营利性医院吗, 储备库建成了吗, 会被纳入120急救体系吗).

The question less its yes/no form, places and names is the claim; the plan sentence of the place in
scope holding most of the claim's character pairs is what the plan says of it. The verdict is read
from that sentence: a negation near the claimed words (不得, 未, 不再…) says no; a question whether
something is built (建成了吗) is answered no by a plan that only plans or is building it (在建,
拟建, 推进…建设). Several places asked together (梧州和赣州…都是…吗) are each checked, and yes
only when every one says so. Vocabulary: `claims` in queries/questions.yaml."""

from __future__ import annotations

import re

import jinja2

from kg.qa.knowledge import Knowledge
from kg.qa.parse import Parsed
from kg.qa.render import answered, cite_passage, no_fact


def _pairs(chunks: list[str]) -> set[str]:
    return {c[i:i + 2] for c in chunks for i in range(len(c) - 1)}


def claim_chunks(kb: Knowledge, family: dict, parsed: Parsed, without_kinds: bool = False) -> list[str]:
    """The runs of the question that state the claim: what is left once the yes/no form, the
    places, the named institutions (and, asked for, the kinds) and the function words are taken out."""
    text = re.sub(r"(.)不\1以?", "|", parsed.question)  # 可不可以, 能不能: the A-not-A form asks, it does not deny
    out = ("city", "county", "institution", "consortium", "unit") + (("class", "kindref") if without_kinds else ())
    for m in sorted(parsed.mentions, key=lambda m: -m.start):
        if m.type in out:
            text = text[:m.start] + "|" + text[m.end:]
    text = re.sub(kb.config.get("yes_no_words") or "$^", "|", text)
    # a word of several characters goes wherever it is; one character (会, 能) only at the edge of
    # a run, never from inside a word (社会资本)
    words = sorted(family.get("stopwords") or [], key=len, reverse=True)
    for word in (w for w in words if len(w) > 1):
        text = text.replace(word, "|")
    single = "".join(re.escape(w) for w in words if len(w) == 1)
    chunks = []
    for c in re.split(r"[|\W\d]+", text):
        while single and c and c[0] in single:
            c = c[1:]
        while single and c and c[-1] in single:
            c = c[:-1]
        chunks.append(c)
    return [c for c in chunks if len(c) >= 2]


def named_labels(kb: Knowledge, parsed: Parsed) -> list[list[str]]:
    """For each institution, network or unit named, the labels a sentence may name it by."""
    return [kb.labels_of(m.entries[0].iri) for t in ("institution", "consortium", "unit")
            for m in parsed.slots.get(t, [])]


def best_sentence(kb: Knowledge, family: dict, parsed: Parsed, city: str | None,
                  chunks: list[str]) -> tuple[float, dict, list[int]] | None:
    """The sentence of the city's plans (or of any plan, with no city) holding most of the claim's
    character pairs, with the positions of those it holds; None when none holds enough or two
    sentences hold as many and say different things."""
    want = _pairs(chunks)
    names = named_labels(kb, parsed)
    numbers = [re.sub(r"\.0$", "", str(n)) for n in parsed.numbers]
    # a name or a figure the sentence must hold is evidence of its own: fewer claimed pairs suffice
    anchors = sum(len(parsed.slots.get(t, [])) for t in ("institution", "consortium", "unit")) + len(numbers)
    if len(want) < max(2, int(family.get("min_pairs", 4)) - 2 * anchors):
        return None
    least = float(family.get("min_share_anchored" if numbers else "min_share", 0.7))
    found: list[tuple[float, dict, list[int]]] = []
    for row in kb.passages():
        if city and row.get("city") != city:
            continue
        if re.search(family.get("table_row") or "$^", str(row["quote"])) \
                and not re.search(family.get("table_prose") or "$^", str(row["quote"])):
            continue  # a row of a table states figures (0 in 2020, 1 in 2025), not the claim
        flat = re.sub(r"\s+", "", str(row["quote"]))
        if any(not any(lb in flat for lb in labels) for labels in names):
            continue  # a named institution must be the one the sentence speaks of
        if any(n not in flat for n in numbers):
            continue  # 不超过5公里: the figure asked is in the sentence
        at = [flat.find(p) for p in want if p in flat]
        share = len(at) / len(want)
        if share >= least:
            found.append((share, row | {"flat": flat}, at))
    if not found:
        return None
    found.sort(key=lambda f: -f[0])
    return found[0]


def verdict_of(kb: Knowledge, family: dict, parsed: Parsed, flat: str, at: list[int]) -> str:
    """是 or 否 as the sentence says it around the claimed words."""
    span = flat[max(0, min(at) - 8):max(at) + 2]
    if re.search(family["completion_asked"], parsed.question):
        if re.search(family["completed"], span):
            return "是"
        return "否"  # a plan that plans it, or is building it, says it is not built yet
    return "否" if re.search(family["negation"], span) else "是"


def in_the_order_asked(kb: Knowledge, parsed: Parsed, flat: str) -> bool:
    """县区疾控中心指导钦州市疾控中心吗 against 强化钦州市疾控中心对县区疾控中心的业务指导: the sentence
    holds both names and the claimed words, but who does what to whom is the other way round. Two
    parties of the question (a body named and another body or kind: 4+ characters) found in the
    sentence in the other order are no yes — the plan may say it in the passive, but then a plain
    yes is a guess too. An attribute (平均住院日高于9天的公立综合医院) is no party."""
    found = []
    bodies = ("institution", "consortium", "unit")
    suffix = kb.config.get("party_suffixes") or "$^"
    # the parties: bodies named, kinds, or a name of a body linked otherwise (县区疾病预防控制中心)
    parties = [(m.start, sorted({m.text, *(e.label for e in m.entries), *(lb for e in m.entries[:1]
                if e.type in bodies for lb in kb.labels_of(e.iri))}, key=len, reverse=True))
               for m in parsed.mentions if len(m.text) >= 4
               and (m.type in bodies + ("kindref", "class") or re.search(suffix, m.text))]
    # …or not linked at all (钦州市<卫生健康委员会>): a run of the question ending as a body's name does
    free = list(parsed.question)
    for m in parsed.mentions:
        if m.type not in ("city", "county"):
            free[m.start:m.end] = ["|"] * (m.end - m.start)
    for run in re.finditer(r"[\u4e00-\u9fff]{4,}", "".join(free)):
        end = re.search(suffix.rstrip("$") + "(?=$|[^\u4e00-\u9fff]|受|对|的|是|为)", run.group())
        if end and end.end() >= 4:
            name = run.group()[:end.end()]
            parties.append((run.start(), [name[k:] for k in range(0, len(name) - 3)]))
    parties.sort(key=lambda p: p[0])
    if len(parties) < 2:
        return True
    for _, names in parties:
        at = min((flat.find(n) for n in names if n and n in flat), default=-1)
        if at < 0:
            return False  # 基层医疗卫生机构指导县级医院吗: a sentence without 县级医院 says nothing of it
        found.append(at)
    return all(a <= b for a, b in zip(found, found[1:], strict=False))


def run_claim(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    if re.search(family["question_negated"], re.sub(r"(.)不\1", "", parsed.question)):
        # 不设置…吗: a negated question flips the verdict; better no answer than a wrong one
        return no_fact("这个否定问法对应的规划表述", "")
    chunks = claim_chunks(kb, family, parsed)
    if len(_pairs(claim_chunks(kb, family, parsed, without_kinds=True))) < 2:
        # 赣州有没有传染病医院: a kind alone is no claim (whether the plan has one is a list question)
        return no_fact("这个问题要找的规划表述", "")
    cities = list(dict.fromkeys(m.entries[0].label if m.type == "city" else m.entries[0].city
                                for m in parsed.mentions if m.type in ("city", "county")))
    if not cities:
        cities = list(dict.fromkeys(m.entries[0].city for t in ("institution", "consortium", "unit")
                                    for m in parsed.slots.get(t, []) if m.entries[0].city)) or [None]
    if len(cities) > 1 and not re.search(family["all_words"], parsed.question):
        return no_fact("这个问题问的是哪个城市的规划", "")
    verdicts, sources, quotes = [], [], []
    for city in cities:
        best = best_sentence(kb, family, parsed, city, chunks)
        if best is None:
            return no_fact(f"{city or ''}规划中关于“{''.join(chunks)}”的表述", "")
        _, row, at = best
        if not in_the_order_asked(kb, parsed, row["flat"]):
            return no_fact(f"{city or ''}规划中按问题的先后说的“{''.join(chunks)}”（规划的说法主客不同）", "")
        verdicts.append(verdict_of(kb, family, parsed, row["flat"], at))
        sources.append(cite_passage(row))
        quotes.append((row.get("title") or row["doc"], row["quote"]))
    verdict = "是" if all(v == "是" for v in verdicts) else "否"
    answers = [{"text": verdict, "value": None, "iri": None, "inferred": False, "sources": sources}]
    message = jinja2.Template(family["answer"]).render(verdict=verdict, quotes=quotes)
    return answered(answers, message, kb.passages_sparql())
