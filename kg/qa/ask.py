"""The flow of answering: check the input, parse (kg/qa/parse.py), plan — choose the family
(kg/qa/plan.py), run its operator (kg/qa/run/), render the reply (kg/qa/render.py). `answer` is a
pure function of the knowledge, the question and the conversation context: it returns the reply
and the context for the next question, so `kg ask` sessions and `kg serve` pages share it."""

from __future__ import annotations

import re

from kg.errors import KGError
from kg.qa.consistency import check
from kg.qa.knowledge import Knowledge
from kg.qa.linking import fuzzy_candidates
from kg.qa.parse import (
    PRONOUN,
    Context,
    Parsed,
    crossed_city,
    is_yes_no,
    parse,
    place_glued_kind,
    residual_words,
    unknown_place,
)
from kg.qa.plan import ranked
from kg.qa.render import askable_about, reply, with_passages
from kg.qa.run import run
from kg.qa.run.hops import two_hop
from kg.qa.run.text import aligned_passage
from kg.qa.textmatch import common_run

MAX_CHARS = 300
_CJK = re.compile(r"[\u4e00-\u9fff]")


def answer(kb: Knowledge, question: object, context: Context | None = None,
           qid: object = None) -> tuple[dict, Context]:
    """The reply to one question, and the context a follow-up question may refer back to."""
    context = context or Context()
    text = "" if question is None else str(question)
    try:
        out, parsed = _answer(kb, text, context, qid)
    except KGError as exc:
        return reply(text, "error", f"查询出错：{exc.message}", qid=qid), context
    return out, remember(context, parsed) if parsed is not None else context


def suggested(kb: Knowledge, parsed: Parsed, most: int = 3) -> str:
    """Questions about what was recognised that the graph answers (each tried; a suggestion that
    fails in turn would send the user in a circle)."""
    good: list[str] = []
    for q in askable_about(kb, parsed):
        answered = kb.suggestions.get(q)
        if answered is None:
            # no family reads it (and trying it would suggest again), or it is tried once per Knowledge
            answered = bool(ranked(kb, parse(kb, q, Context()))) and \
                _answer(kb, q, Context(), None)[0]["status"] == "answered"
            if len(kb.suggestions) > 10_000:
                kb.suggestions.clear()
            kb.suggestions[q] = answered
        if answered:
            good.append(q)
            if len(good) == most:
                break
    return f"可以这样问：{'；'.join(good)}" if good else ""


def _answer(kb: Knowledge, text: str, context: Context, qid: object) -> tuple[dict, Parsed | None]:
    stripped = text.strip()
    if not stripped:
        return reply(text, "error", "问题为空。请输入一个中文问题，例如：梧州市有哪些中医医院？", qid=qid), None
    if len(stripped) > MAX_CHARS:
        message = f"问题太长（{len(stripped)} 字）。请把问题缩短到 {MAX_CHARS} 字以内。"
        return reply(text[:80] + "…", "error", message, qid=qid), None
    if not _CJK.search(stripped):
        return reply(text, "unanswerable", "目前只支持中文提问，例如：梧州市第三人民医院的功能定位是什么？",
                     qid=qid), None
    follow = follow_up(kb, stripped, context)
    if follow is not None:
        # 那梧州市人民医院呢？ / 2020年呢？: the last question with the new entity or year
        out, parsed = _answer(kb, follow, Context(city=context.city, entity=context.entity), qid)
        out["question"] = text
        out["message"] = f"（按“{follow}”理解）{out['message']}"
        return out, parsed
    parsed = parse(kb, stripped, context)
    if parsed.unknown_names:
        # 梧州市一医院 when no plan names a 梧州市第一人民医院: no institution, never the kind 医院
        name = parsed.unknown_names[0]
        return reply(text, "unanswerable", f"图谱中没有“{name}”这家机构（按编号简称查找第N人民医院/第N医院，"
                     f"规划中未出现）。请写明机构全称。", qid=qid), parsed
    if not parsed.mentions:
        # 哪个县区要巩固…示范区创建成果: no entity, but the plans may say it in so many words
        for _, family in ranked(kb, parsed, kinds=("statement", "text_place", "text_plan", "claim", "holders",
                                                   "enumeration"))[:2]:
            result = run(kb, family, parsed)
            if result["status"] == "answered":
                return reply(text, "answered", result["message"], result["answers"], family["id"],
                             result["sparql"], qid), parsed
        said = as_passage(kb, parsed, text, qid)
        if said is not None:
            return said, parsed
        near = fuzzy_candidates(parsed.question, kb.lexicon)
        hint = f"您是不是要问：{'、'.join(near[:5])}？" if near else "请写出机构、医联体、城市或指标的名称。"
        return reply(text, "unanswerable", f"没有识别出图谱中的实体。{hint}", qid=qid), parsed
    ambiguous = [m for m in parsed.slots.get("institution", []) if len({e.iri for e in m.entries}) > 1]
    if ambiguous:
        m = ambiguous[0]
        only = only_reading_with_fact(kb, parsed, m)
        if only is not None:
            family, result, label = only
            out = reply(text, "answered", f"（“{m.text}”只有{label}有这类记录，按它回答）{result['message']}",
                        result["answers"], family["id"], result["sparql"], qid)
            return out, parsed
        names = "、".join(sorted({e.label for e in m.entries}))
        return reply(text, "ambiguous", f"“{m.text}”可能指：{names}。请写明城市或全称。", qid=qid), parsed
    elsewhere = unknown_place(kb, parsed)
    if elsewhere:
        return reply(text, "unanswerable", f"图谱中没有{elsewhere}的规划。目前收录的城市："
                     f"{'、'.join(sorted(kb.plan_cities()))}；可以用 `kg add` 加入新的规划。", qid=qid), parsed
    crossed = crossed_city(kb, parsed)
    listed = enumerated(kb, parsed) if crossed else None
    if listed is not None:
        # 钦州…四级中医药服务体系是哪四级: a system named as another city's network is, in the city asked,
        # what its plan enumerates
        family, result = listed
        return reply(text, "answered", result["message"], result["answers"], family["id"], result["sparql"],
                     qid), parsed
    if crossed:
        # an answer about the institution would be about its own city's plan, not the city asked
        name, own, asked = crossed
        return reply(text, "unanswerable", f"{name}是{own}的机构，{asked}的规划中没有它。"
                     f"请去掉{asked}再问，或问{asked}的机构。", qid=qid), parsed
    hop = two_hop(kb, stripped, parsed, qid, lambda q: _answer(kb, q, Context(), None)[0])
    if hop is not None:
        return hop, parsed
    if not any(parsed.slots.get(t) for t in ("institution", "consortium", "unit")):
        # A name with one wrong or missing character is offered, never silently used.
        near = fuzzy_candidates(parsed.question, kb.lexicon, known=parsed.mentions)
        if near:
            return reply(text, "unanswerable", f"没有找到这个名称。您是不是要问：{'、'.join(near[:5])}？",
                         qid=qid), parsed
    families = ranked(kb, parsed)
    if not families:
        said = as_passage(kb, parsed, text, qid)
        if said is not None:
            return said, parsed
        ents = "、".join(dict.fromkeys(m.entries[0].label for m in parsed.mentions))
        out = reply(text, "unanswerable", f"识别出了{ents}，但没有能回答这类问题的模板。"
                    f"{suggested(kb, parsed)}", qid=qid)
        return with_passages(kb, out, parsed), parsed
    # an enumeration is what the plan lists of a thing: asked when no family of a fact answers
    family = next((f for _, f in families if f["kind"] != "enumeration"), families[0][1])
    glued = place_glued_kind(kb, parsed)
    if glued and family["kind"] in (kb.config.get("glued_kind_asks_one") or []):
        phrase, names = glued
        which = f"可能指：{'、'.join(names[:8])}" if names else "图谱中没有这个名称的机构"
        return reply(text, "ambiguous", f"“{phrase}”不是图谱中的机构全称，{which}。请写明机构全称。",
                     qid=qid), parsed
    result = check(kb, family, parsed, run(kb, family, parsed))
    if result["status"] != "answered" and family["kind"] != "enumeration":
        # 医院按性质分成哪几类 / 是哪四级: what the plan enumerates of the thing the question names
        family, result = enumerated(kb, parsed) or (family, result)
    if result["status"] != "answered" and family["kind"] != "claim" and is_yes_no(kb, parsed):
        # a yes/no question no fact answers: what the plan states of it, if it states it
        for _, claim in ranked(kb, parsed, kinds=("claim",))[:1]:
            said = run(kb, claim, parsed)
            if said["status"] == "answered":
                family, result = claim, said
    out = reply(text, result["status"], result["message"], result["answers"], family["id"], result["sparql"], qid)
    guessed = [m for m in parsed.mentions if m.fuzzy and m.type == "measure"]
    if guessed and out["status"] == "answered":
        out["message"] = f"（“{guessed[0].text}”按指标“{guessed[0].entries[0].label}”理解）{out['message']}"
    if result.get("no_fact") and out["status"] == "unanswerable":
        said = as_passage(kb, parsed, text, qid)
        if said is not None:
            return said, parsed
    return (with_passages(kb, out, parsed) if result.get("no_fact") else out), parsed


def as_passage(kb: Knowledge, parsed: Parsed, text: str, qid: object) -> dict | None:
    """No fact answers the question, but a plan sentence in scope has a phrase where the question has its
    question word: that phrase with its sentence, as the plan's words (status `passage`, not `answered`).
    A yes/no question is never answered by a phrase."""
    if is_yes_no(kb, parsed):
        return None
    found = aligned_passage(kb, parsed)
    if found is None:
        return None
    return reply(text, "passage", found["message"], found["answers"], "text_alignment", found["sparql"], qid)


def enumerated(kb: Knowledge, parsed: Parsed) -> tuple[dict, dict] | None:
    """What the plans in scope enumerate of the thing the question names, when it asks that."""
    for _, family in ranked(kb, parsed, kinds=("enumeration",))[:1]:
        result = run(kb, family, parsed)
        if result["status"] == "answered":
            return family, result
    return None


def only_reading_with_fact(kb: Knowledge, parsed: Parsed, mention) -> tuple[dict, dict, str] | None:
    """市疾控中心要强化对谁的业务指导: a short name several institutions share, asked for a relation
    the graph records for exactly one of them, is that one (the others have no such fact to mix in).
    Only for relation questions; figures and lists stay asked back."""
    readings = []
    for iri in dict.fromkeys(e.iri for e in mention.entries):
        entries = [e for e in mention.entries if e.iri == iri]
        one = type(mention)(mention.text, mention.start, mention.end, entries, mention.fuzzy)
        slots = {k: [one if x is mention else x for x in v] for k, v in parsed.slots.items()}
        view = Parsed(parsed.question, [one if x is mention else x for x in parsed.mentions],
                      parsed.years, parsed.numbers, slots)
        families = ranked(kb, view)
        if not families or not families[0][1].get("one_reading_with_fact"):
            return None
        family = families[0][1]
        result = check(kb, family, view, run(kb, family, view))
        if result["status"] == "answered" and restates(kb, parsed, result):
            readings.append((family, result, entries[0].label))
    return readings[0] if len(readings) == 1 else None


def restates(kb: Knowledge, parsed: Parsed, result: dict) -> bool:
    """The question repeats the plan sentence the answer comes from (强化…的业务指导和工作协同): its
    words other than names and question words share runs of 4+ characters in all with it."""
    chunks = residual_words(parsed, kb.config.get("question_words") or [])
    quotes = [re.sub(r"\s+", "", s.get("quote") or "") for a in result["answers"] for s in a.get("sources", [])]
    return any(sum(n for c in chunks for n in [common_run(c, q)[0]] if n >= 2) >= 4 for q in quotes)


_ELLIPSIS = re.compile(r"^(?:那么?|还有|再问)?(?P<part>.{1,30}?)(?:的呢|呢|又如何|怎么样|如何)[？?。]?$")


def follow_up(kb: Knowledge, text: str, context: Context) -> str | None:
    """An elliptical question (那X呢？, 2020年呢？) as the last question with its entity, place or
    year replaced by the new one; None when the question is not elliptical or nothing can be replaced."""
    m = _ELLIPSIS.match(text)
    if not m or not context.last:
        return None
    part = m.group("part")
    last = parse(kb, context.last)
    new = parse(kb, part)
    question = last.question
    changed = False
    if new.years and last.years and str(last.years[0]) in question:
        # the first year of the last question is the one the follow-up changes
        question = question.replace(str(last.years[0]), str(new.years[0]), 1)
        changed = True
    elif new.years:
        question = f"{new.years[0]}年{question}"
        changed = True
    for m_new in new.mentions:
        same = [m for m in last.mentions if m.type == m_new.type or
                {m.type, m_new.type} <= {"institution", "county", "city"}]
        if same:
            old = same[0]
            question = question.replace(old.text, m_new.text, 1)
            changed = True
    if not changed or question == last.question:
        return None
    return question


def remember(context: Context, parsed: Parsed) -> Context:
    """The context after a question: its first named institution (and that one's city), else the
    city it names, else what was remembered before; and the question as understood (a pronoun
    replaced by the institution it stands for), for an elliptical follow-up."""
    question = parsed.question
    if context.entity is not None and PRONOUN.match(question):
        question = PRONOUN.sub(context.entity.entries[0].label, question, count=1)
    cities = [m.entries[0].label for m in parsed.mentions if m.type == "city"]
    subjects = [m for m in parsed.mentions if m.type in ("institution", "consortium", "unit")]
    city, entity = context.city, context.entity
    if subjects:
        entity = subjects[0]
        city = subjects[0].entries[0].city or city
    if cities:
        city = cities[0]
    return Context(city=city, entity=entity, last=question)


def explain(kb: Knowledge, question: str, context: Context | None = None) -> dict:
    """Entities, years, numbers and the best family scores, for `kg ask --explain`."""
    parsed = parse(kb, question, context)
    scores = [(round(s, 2), f["id"]) for s, f in ranked(kb, parsed)][:5]
    return {"mentions": [{"text": m.text, "type": m.type, "entities": [e.label for e in m.entries]}
                         for m in parsed.mentions],
            "years": parsed.years, "numbers": parsed.numbers, "scores": scores}
