"""Step 3 — run: Questions the plans answer in so many words, not as a fact of the graph (是否设置…, 哪个县区要…):
the sentence holding the asked phrase, and whether it says it in the negative."""

from __future__ import annotations

import re
import unicodedata

import jinja2

from kg.qa.knowledge import Knowledge
from kg.qa.linking import Mention, find_mentions
from kg.qa.parse import Parsed, place_of, scope_city
from kg.qa.render import answered, cite_passage, no_fact
from kg.qa.run.lists import said_not
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
    """Sentences of the question's city (or of any plan) holding the phrase, or a run of 80% of it; a
    phrase with a short form (疾控机构) is looked for in full too (疾病预防控制机构: questions.yaml synonyms)."""
    found = _find_passages(kb, phrase, words, parsed)
    for full, shorts in (kb.config.get("synonyms") or {}).items():
        for short in shorts:
            if short in phrase and full not in phrase:
                seen = {(id(f[1]), f[2]) for f in found}
                found += [f for f in _find_passages(kb, phrase.replace(short, full), words, parsed)
                          if (id(f[1]), f[2]) not in seen]
    found.sort(key=lambda x: -x[0])
    return found


def _find_passages(kb: Knowledge, phrase: str, words: list[str], parsed: Parsed) -> list[tuple[int, dict, int]]:
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
    if family.get("affirm"):
        # only a sentence saying it (设置…) or saying it is not (未设置…) gives a verdict
        found = [f for f in found if re.search(family["negation"], f[1]["flat"][max(0, f[2] - 10):f[2]])
                 or re.search(family["affirm"], f[1]["flat"][max(0, f[2] - 6):f[2]])]
    if not found and family.get("affirm"):
        # 钦州设置了传染病医院吗 — 全市范围内均未设置有专门的传染病防治医院: a kind's modifier and head apart
        return said_not(kb, parsed) or no_fact(f"规划中关于“{phrase}”的表述", "")
    if not found:
        return no_fact(f"规划中关于“{phrase}”的表述", "")
    _, row, at = found[0]
    before = row["flat"][max(0, at - (10 if family.get("affirm") else 6)):at]
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


def aligned_passage(kb: Knowledge, parsed: Parsed) -> dict | None:
    """要把X建成什么中心？ when the graph holds no fact of it: the phrase of a plan sentence in the question's
    scope that stands where the question word stands (…要把X建成<县域医疗中心>), the sentence sharing the
    question's words on either side of it (questions.yaml `text_alignment`). It is the plan's words, not a
    fact of the graph: status `passage`, the phrase cited with its sentence. None when no sentence, or
    two sentences with different phrases, align."""
    conf = kb.config.get("text_alignment") or {}
    if not conf:
        return None
    # the names' offsets are the question's: full-width digits read as digits only where that keeps them
    folded = unicodedata.normalize("NFKC", parsed.question)
    question = folded if len(folded) == len(parsed.question) else parsed.question
    question = re.sub(r"[？?。！!\s]+$", "", question)
    question = re.sub(r"[呢吗啊]$", "", question)
    asked = re.search(conf["asking"], question)
    if asked is None:
        return None
    noun = asked.group("noun") or ""
    several = bool(re.search("[些几]", asked.group(0)))
    named = [m for m in parsed.mentions if m.type in ("institution", "unit", "consortium") and m.end <= asked.start()]
    subject = named[-1] if named else None
    left = question[:asked.start()]
    for m in sorted(parsed.mentions, key=lambda m: -m.start):
        if m.type in ("city", "county") and m.end <= asked.start():
            left = left[:m.start] + "|" + left[m.end:]
    tail = question[subject.end:asked.start()] if subject else left.split("|")[-1]
    right = question[asked.end():]
    drop = sorted(conf.get("drop_words") or [], key=len, reverse=True)
    for word in drop:
        tail, right = tail.replace(word, ""), right.replace(word, "")
    labels = sorted({*kb.labels_of(subject.entries[0].iri), subject.text}, key=len, reverse=True) if subject else []
    city = scope_city(kb, parsed) or (subject.entries[0].city if subject else None)
    found: dict[str, tuple[int, dict, str]] = {}
    for row in kb.passages(city):
        quote = unicodedata.normalize("NFKC", re.sub(r"\s+", "", str(row["quote"])))
        hit = _align(quote, labels, tail, right, noun, conf)
        if hit is None:
            continue
        context, span = hit
        best = found.get(span)
        if best is None or context > best[0]:
            found[span] = (context, row, quote)
    if not found:
        return None
    top = max(c for c, _, _ in found.values())
    spans = [s for s, (c, _, _) in found.items() if c == top]
    cities = {str(r.get("city")) for c, r, _ in found.values() if c == top}
    if len(spans) != 1 or (city is None and len(cities) > 1):
        return None
    span = spans[0]
    _, row, quote = found[span]
    items = [span]
    if several:
        items = [i.strip().removesuffix("等") for i in span.split("、")]
        # A和B: two items when both are whole names (护理院和安宁疗护机构),
        # not one name qualified by both (国有和集体企事业单位)
        last = re.split(conf.get("list_split") or "$^", items[-1])
        if len(last) > 1 and all(len(i) >= 3 for i in last):
            items = items[:-1] + last
        items = [i for i in items if len(i) >= 2] or [span]
    answers = [{"text": i, "value": None, "iri": None, "inferred": False, "sources": [cite_passage(row)]}
               for i in items]
    message = (f"图谱中没有这条事实；规划原文这样写：“{row['quote']}”（《{row.get('title') or row['doc']}》），"
               f"与问题对应的是“{span}”。")
    return {"status": "passage", "answers": answers, "sparql": kb.passages_sparql(), "message": message}


def _align(quote: str, labels: list[str], tail: str, right: str, noun: str, conf: dict) -> tuple[int, str] | None:
    """(context shared, phrase) of one sentence: the phrase between the question's words before its question
    word (after the subject's name, if it names one) and those after it, in the sentence; None if it does
    not align."""
    start, context = 0, 0
    if labels:
        at = next(((quote.find(lb), lb) for lb in labels if lb in quote), None)
        if at is None:
            return None
        start, context = at[0] + len(at[1]), len(at[1])
    left_end, context_left = -1, 0
    for variant in _variants(tail, conf.get("verb_equivalents") or {}):
        for k in range(len(variant), 0, -1):
            piece = variant[-k:]
            at = quote.find(piece, start)
            # the verb may be a later clause's, its subject left out (X是…中心，负责指导…)
            if at < 0 or (labels and at - start > (12 if k < 2 else 40)) or (not labels and k < 2):
                continue
            if left_end < 0 or k > context_left:
                left_end, context_left = at + k, k
            break
    if left_end < 0:
        if tail or not labels:
            return None
        left_end, context_left = start, 0
    rest = tail[:max(0, len(tail) - context_left)]
    if not labels and len(rest) >= 3:
        # no name to anchor it: the words before the verb must be the sentence's too (a third of their
        # character pairs), else the verb alone (建成) aligns any sentence (建设成为县域医疗次中心)
        pairs = [rest[i:i + 2] for i in range(len(rest) - 1)]
        if sum(p in quote for p in pairs) * 3 < len(pairs):
            return None
    context += context_left
    clause_end = re.search(r"[，,。；;：:！!？?]|$", quote[left_end:]).start() + left_end
    right_at, context_right = clause_end, 0
    if right:
        for k in range(len(right), 1, -1):
            at = quote.find(right[:k], left_end, clause_end)
            if at >= 0:
                right_at, context_right = at, k
                break
        if context_right == 0:
            return None
    span = re.sub(r"^(了|为|成为)|(的|等)+$", "", quote[left_end:right_at].strip("“”\"'（）()"))
    context += context_right
    if not 2 <= len(span) <= 40 or re.search(r"[，,。；;：:|]", span) or context < int(conf.get("min_context", 4)):
        return None
    if context_left + context_right < 2:
        return None
    if noun and noun not in (conf.get("broad_nouns") or []) and not span.endswith(noun):
        return None
    if any(lb in span for lb in labels):
        return None
    # the phrase restates the question's own words (…质量控制中心是哪家单位 ↔ X是…质量控制中心): the
    # sentence says it the other way round, and the phrase is what was asked about, not the answer
    if common_run(tail, span)[0] >= 4:
        return None
    return context, span


def _variants(tail: str, equivalents: dict) -> list[str]:
    """The question's words before its question word, and the same with its last verb worded as the plans
    word it (在 → 位于, 设在)."""
    out = [tail]
    for word, others in equivalents.items():
        if tail.endswith(word):
            out += [tail[: -len(word)] + o for o in others]
    return out
