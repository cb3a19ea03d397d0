"""Step 3 — run: Questions the plans answer in so many words, not as a fact of the graph (是否设置…, 哪个县区要…):
the sentence holding the asked phrase, and whether it says it in the negative."""

from __future__ import annotations

import re

import jinja2

from kg.qa.knowledge import Knowledge
from kg.qa.linking import Mention, find_mentions
from kg.qa.parse import Parsed, place_of
from kg.qa.render import answered, cite_passage, no_fact
from kg.qa.textmatch import common_run


def asked_phrase(kb: Knowledge, family: dict, parsed: Parsed) -> tuple[str, list[str]]:
    """The phrase a text question is about (what follows its trigger: 是否设置<职业病危害工程防护机构>),
    and the other words left after names of places and question words (本区域内, 站内)."""
    hit = max((h for t in family["triggers"] for h in [re.search(t, parsed.question)] if h),
              key=lambda h: len(h.group(0)))
    text = parsed.question
    for m in sorted(parsed.mentions, key=lambda m: -m.start):
        if m.type in ("city", "county"):
            text = text[:m.start] + "|" * (m.end - m.start) + text[m.end:]
    if hit.groupdict().get("phrase"):  # 设了<固定献血点>吗: the trigger holds the phrase
        tail = hit.group("phrase")
        head = text[:hit.start()] + "|" + text[hit.end():]
    else:
        # 算不算钦州规划的<县直综合医院>: a place right after the trigger is not the phrase
        tail = re.split(r"[|，,？?。！!吗呢]", text[hit.end():].lstrip("|"))[0]
        head = text[:hit.start()] + "|" + text[hit.end() + len(tail):]
    for word in sorted(family.get("stopwords") or [], key=len, reverse=True):
        tail = tail.removeprefix(word).removesuffix(word)
        head = head.replace(word, "|")
    words = [c for c in re.split(r"[|\W\d]+", head) if len(c) >= 2]
    if len(tail) < 2 and words:
        # 哪个县区要巩固…: the phrase is the longest word left
        words.sort(key=len)
        tail = words.pop()
    return tail.strip(), words


def find_passages(kb: Knowledge, phrase: str, words: list[str], parsed: Parsed) -> list[tuple[int, dict, int]]:
    """Sentences of the question's city (or of any plan) holding the phrase, or a run of 80% of it."""
    city = place_of(kb, parsed)["place"]
    city_label = parsed.slots["city"][0].entries[0].label if parsed.slots.get("city") else None
    named = [lb for t in ("institution", "consortium", "unit") for m in parsed.slots.get(t, [])
             for lb in kb.labels_of(m.entries[0].iri)]
    found = []
    # 巩固…示范区的创建成果 vs 巩固钦北区…示范区创建成果: particles split the phrase into pieces
    pieces = [p for p in re.split(r"[的了之]", phrase) if len(p) >= 2]
    need = -(-sum(len(p) for p in pieces) * 4 // 5)
    for row in kb.passages(city_label if city else None):
        if city and city_label and row.get("city") != city_label:
            continue
        quote = re.sub(r"\s+", "", str(row["quote"]))
        runs = [common_run(p, quote) for p in pieces]
        run = sum(r for r, _ in runs if r >= 2)
        if run < need or max((r for r, _ in runs), default=0) < 4:
            continue
        at = runs[0][1] if runs[0][0] >= 2 else max(runs)[1]
        score = run * 10 + sum(common_run(w, quote)[0] for w in words) \
            + 5 * any(n in quote for n in named)
        found.append((score, row | {"flat": quote}, at))
    found.sort(key=lambda x: -x[0])
    return found


def run_statement(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """钦州本区域内是否设置职业病危害工程防护机构？ — the plan's sentence saying it, and whether it says
    it in the negative (不设置…)."""
    phrase, words = asked_phrase(kb, family, parsed)
    if len(phrase) < 3:
        return no_fact("这个问题要找的内容", "")
    found = find_passages(kb, phrase, words, parsed)
    if family.get("require_named"):
        # 甲算不算<某类>: only a sentence naming 甲 itself says whether it is one
        named = [lb for t in ("institution", "consortium", "unit") for m in parsed.slots.get(t, [])
                 for lb in kb.labels_of(m.entries[0].iri)]
        # …and says it is one (是/属于, 分别是), not that it is to become one (升级为, 建设…中心)
        says = [p.replace("{kind}", re.escape(phrase)) for p in family["require_named"]]
        found = [f for f in found if any(re.search(p.replace("{name}", re.escape(n)), f[1]["flat"])
                                         for n in named for p in says)]
    if not found:
        return no_fact(f"规划中关于“{phrase}”的表述", "")
    _, row, at = found[0]
    before = row["flat"][max(0, at - 6):at]
    negated = re.search(family["negation"], before)
    verdict = "否" if negated else "是"
    answers = [{"text": verdict, "value": None, "iri": None, "inferred": False,
                "sources": [cite_passage(row)]}]
    message = jinja2.Template(family["answer"]).render(verdict=verdict, title=row.get("title") or row["doc"],
                                                       quote=row["quote"])
    return answered(answers, message, kb.passages_sparql())


def run_text_place(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """哪个县区要巩固国家级慢性病综合防控示范区创建成果？ — the places named in the sentence saying it."""
    phrase, words = asked_phrase(kb, family, parsed)
    if len(phrase) < 4:
        return no_fact("这个问题要找的内容", "")
    want = "city" if re.search(family["city_words"], parsed.question) else "county"
    found = find_passages(kb, phrase, words, parsed)
    if not found:
        # 固定献血点中，有哪两个县各设了一个: what follows the question word says little; the
        # longest word before it (4+ characters) is what the places are asked of
        for word in sorted((w for w in words if len(w) >= 4), key=len, reverse=True)[:1]:
            found = find_passages(kb, word, [w for w in words if w != word], parsed)
            phrase = word
    for _, row, _ in found[:3]:
        places = []
        for m in find_mentions(row["flat"], kb.lexicon):
            if m.type == want:
                places.append(m)
            elif m.type in ("institution", "unit"):
                # 灵山县献血点: a name that begins with a place names the place too
                head = next((n for n in range(len(m.text) - 2, 1, -1)
                             if any(e.type == want for e in kb.lexicon.by_label.get(m.text[:n], []))), None)
                if head:
                    entries = [e for e in kb.lexicon.by_label[m.text[:head]] if e.type == want]
                    places.append(Mention(m.text[:head], m.start, m.start + head, entries))
        names = list(dict.fromkeys(m.entries[0].label for m in places))
        if names:
            answers = [{"text": n, "value": None, "iri": next(m.entries[0].iri for m in places
                                                                if m.entries[0].label == n),
                        "inferred": False, "sources": [cite_passage(row)]} for n in names]
            message = jinja2.Template(family["answer"]).render(items=names, phrase=phrase)
            return answered(answers, message, kb.passages_sparql())
    return no_fact(f"规划中关于“{phrase}”的地方", "")



def run_text_plan(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """哪个规划提出要建设国际生物毒素研究中心？ — the plans whose sentences say the asked phrase."""
    phrase, words = asked_phrase(kb, family, parsed)
    if len(phrase) < 4 and words:
        # X是哪份规划里提到的: what follows the question word (提到的) says nothing; X is before it
        phrase = max(words, key=len)
        words = [w for w in words if w != phrase]
    if len(phrase) < 4:
        return no_fact("这个问题要找的内容", "")
    found = find_passages(kb, phrase, words, parsed)
    if not found:
        return no_fact(f"规划中关于“{phrase}”的表述", "")
    by_title: dict[str, dict] = {}
    for _, row, _ in found:
        by_title.setdefault(str(row.get("title") or row["doc"]), row)
    answers = [{"text": t, "value": None, "iri": None, "inferred": False, "sources": [cite_passage(r)]}
               for t, r in by_title.items()]
    message = jinja2.Template(family["answer"]).render(items=[f"《{t}》" for t in by_title],
                                                       quote=found[0][1]["quote"])
    return answered(answers, message, kb.passages_sparql())
