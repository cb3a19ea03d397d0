"""Step 3 — run: Relations of an institution, network, unit or kind (roles, leaders, members, guidance, referral,
基于/依托): answers stay in the plans of the place asked; kinds are answered from class-level facts and
say so; yes/no from what is stated; several institutions at once (分别/一样吗)."""

from __future__ import annotations

import re
import unicodedata

import jinja2

from kg.qa.knowledge import Knowledge
from kg.qa.linking import Entry, Mention, strip_asides
from kg.qa.parse import Parsed, is_yes_no, leftover_words, scope_city
from kg.qa.render import answered, cite_passage, no_fact
from kg.qa.textmatch import common_run


def subject_candidates(kb: Knowledge, family: dict, parsed: Parsed) -> list[Mention]:
    """Mentions that can be the subject, nearest to the family's trigger first (the subject of
    依托什么设置Y follows the trigger; that of X的功能定位 precedes it)."""
    hits = [h for t in family["triggers"] for h in [re.search(t, parsed.question)] if h]
    anchor = hits[0].start() if hits else 0
    types = family.get("subject_types", ["institution", "unit", "consortium", "kindref", "class"])
    markers = kb.config.get("asked_markers") or []
    # 依托哪家医院创建: a kind right after a question word is what is asked, not the subject.
    asked = re.compile(f"(?:{'|'.join(map(re.escape, markers))})(?:[^，,。？?]{{0,4}}的)?$") if markers else None
    # …创建什么等级的<医院>: the same with a modifier and 的 between
    views = [v for t in types for v in parsed.slots.get(t, [])
             if v.entries[0].type not in ("kindref", "class")
             or not (asked and asked.search(parsed.question[:v.start]))]
    return sorted(views, key=lambda m: (abs(m.start - anchor) if m.end <= anchor else abs(m.start - anchor) + 0.5,
                                        types.index(m.entries[0].type)))


def run_relation(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    insts = list({m.entries[0].iri: m for m in parsed.slots.get("institution", [])
                  if len(m.entries) == 1}.values())
    if len(insts) >= 2:
        return relation_of_each(kb, family, parsed, insts)
    return relation_of_one(kb, family, parsed)


def relation_of_each(kb: Knowledge, family: dict, parsed: Parsed, insts: list[Mention]) -> dict:
    """A和B分别…/A和B的…一样吗: the relation asked of each institution named."""
    results = []
    for m in insts:
        slots = dict(parsed.slots) | {"institution": [m]}
        view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers, slots)
        results.append((m, relation_of_one(kb, family, view, yes_no=False)))
    missing = [m.entries[0].label for m, r in results if r["status"] != "answered"]
    sparql = results[-1][1].get("sparql") or ""
    if missing:
        return no_fact(f"{'、'.join(missing)}的这类关系", sparql)
    if re.search(kb.config.get("same_words") or "$^", parsed.question):
        sets = [frozenset(a["text"] for a in r["answers"]) for _, r in results]
        verdict = "是" if len(set(sets)) == 1 else "否"
        detail = "；".join(f"{m.entries[0].label}：{'、'.join(a['text'] for a in r['answers'])}"
                          for m, r in results)
        sources = [s for _, r in results for a in r["answers"][:1] for s in a["sources"][:1]]
        return answered([{"text": verdict, "value": None, "iri": None, "inferred": False,
                                "sources": sources}], f"{verdict}。{detail}。", sparql)
    answers = []
    for m, r in results:
        for a in r["answers"]:
            answers.append(a | {"text": f"{m.entries[0].label}：{a['text']}"})
    return answered(answers, "；".join(a["text"] for a in answers) + "。", sparql)


def led_networks(kb: Knowledge, parsed: Parsed) -> tuple[Mention, list[Mention]] | None:
    """浦北县人民医院牵头的医共体有哪些成员: a network named by its leader (questions.yaml
    led_by_pattern right after an institution) is the network that institution leads — (the
    institution, the networks the graph says it leads; none when it records none), not the kind."""
    pattern = kb.config.get("led_by_pattern")
    for m in parsed.slots.get("institution", []) if pattern else []:
        if len(m.entries) != 1 or not re.match(pattern, parsed.question[m.end:]):
            continue
        sparql = kb.env.get_template("led_by.rq.j2").render()
        rows = kb.select(sparql, {"leader": m.entries[0].iri})
        networks = {r["n"]: r["label"] for r in rows}
        return m, [Mention(label, m.start, m.end, [Entry(iri, label, "consortium", m.entries[0].city)])
                   for iri, label in networks.items()]
    return None


def relation_of_one(kb: Knowledge, family: dict, parsed: Parsed, yes_no: bool = True) -> dict:
    # A bare class (医院) stands for every plan's phrases of that kind: answering from all plans
    # pools what different plans say of different kinds (a guess). It is asked only within the
    # plans of the city named; otherwise only the phrase the question names (a kind reference,
    # 县级医院) or a named entity is.
    scope = scope_city(kb, parsed)
    candidates = [c for c in subject_candidates(kb, family, parsed) if scope or c.entries[0].type != "class"]
    led = led_networks(kb, parsed) if family.get("of_led_network") else None
    if led is not None:
        leader, candidates = led
        if not candidates:
            return no_fact(f"{leader.entries[0].label}牵头的网络", "")
    if not candidates:
        return no_fact("相关主体", "")
    missing = f"{led[0].entries[0].label}牵头的网络" if led else candidates[0].entries[0].label
    sparql = ""
    # the cue's direction (X由谁牵头 / X牵头组建了什么): `flip_if` turns the family's direction around
    reverse = bool(family.get("reverse", False)) != bool(family.get("flip_if") and
                                                          re.search(family["flip_if"], parsed.question))
    props = cue_props(family, parsed)
    for subject in candidates:
        kind = subject.entries[0].type
        is_class = kind == "class"
        shape = {"subject_is_class": is_class, "city": is_class, "props": props, "reverse": reverse}
        sparql = kb.render_sparql(family, **shape)
        entries = subject.entries
        if scope and not is_class:
            # A kind reference or network of the city named in the question, if there is one.
            local = [e for e in entries if e.city == scope]
            if not local and kind == "institution" and all(e.city for e in entries):
                continue  # an institution of another city is not what the question is about
            entries = local or entries
        rows: list[dict] = []
        for entry in entries:
            bindings = {"cls": entry.iri, "city": kb.city_iri(scope)} if is_class else {"s": entry.iri}
            rows += kb.select(sparql, bindings)
            # a unit set up on the institution is one of its roles, never a grade or a duty asked
            if family.get("also_units") and kind == "institution" and "hk:functionalRole" in props:
                rows += hosted_units(kb, family, bindings)
        if is_class:
            rows = rows_of_the_kind_asked(kb, parsed, subject, rows)
        own = scope or (entries[0].city if kind == "institution" and len({e.city for e in entries}) == 1
                        else None)
        if own:
            # Scope is never crossed: only what the plan(s) of that city say.
            rows = [r for r in rows if own in kb.row_cities(r)]
        answers = drop_restatements(relation_answers(kb, rows), parsed.question, asked_noun(kb, parsed),
                                    subject.text)
        answers = narrow_answers(kb, drop_other_places(kb, answers, parsed), parsed, family)
        answers = said_with_cue(family, answers, parsed.question)
        answers = said_becoming(family, answers, rows, parsed.question)
        head = re.search(family.get("asked_head") or "$^", parsed.question)
        if head:
            answers = [a for a in answers if head.group("head") in a["text"]] or answers
        read = 0
        if answers and family.get("complete_from_span"):
            found = len(answers)
            key = family["complete_from_span"]
            answers = completed_from_span(kb, answers, key if isinstance(key, str) else "composition_span")
            read = len(answers) - found
        qualified = (family.get("qualified_duties") or {})
        asked_q = re.search(qualified.get("question") or "$^", parsed.question)
        if answers and asked_q:
            answers = singled_out(answers, qualified["text"], asked_q.group("q"))
        if answers and family.get("check_asked_noun") and not addresses_asked_noun(kb, answers, parsed):
            continue  # 负责开展什么<宣传活动>: stated tasks that are no 宣传活动 do not answer it
        if not answers:
            continue
        cities = {a["text"]: kb.answer_cities(a) for a in answers}
        spread = set().union(*cities.values())
        per_city = {c: frozenset(t for t, cs in cities.items() if c in cs) for c in spread}
        if not own and len(set(per_city.values())) > 1 and kind != "institution":
            # The same kind in several plans: which plan is meant decides the answer.
            names = "、".join(sorted(spread))
            return {"status": "ambiguous", "answers": [], "sparql": sparql,
                    "message": f"“{subject.text}”在{names}的规划中都有说明，答案因城市而异。请写明城市，"
                               f"例如：{sorted(spread)[0].removesuffix('市')}的{subject.text}……"}
        if yes_no and is_yes_no(kb, parsed):
            return yes_if_said(kb, answers, parsed, family, subject, sparql)
        items = [a["text"] + ("（推理得出）" if a["inferred"] else "") for a in answers]
        message = jinja2.Template(family["answer"]).render(subject=subject.entries[0].label, items=items,
                                                           flipped=reverse != bool(family.get("reverse")))
        if read:
            message += f"（其中{'、'.join(a['text'] for a in answers[-read:])}图谱中没有，据同一句规划原文补充）"
        if kind in ("kindref", "class"):
            where = "、".join(sorted(spread)) or (own or "")
            message += f"（这是{where}规划对“{subject.text}”这一类机构的表述）"
        return answered(answers, message, sparql)
    if family.get("kind_fallback"):
        by_kind = relation_of_kind(kb, family, parsed, candidates, props, reverse, yes_no)
        if by_kind is not None:
            return by_kind
    said = said_in_text(kb, family, candidates[0], parsed)
    if said is not None:
        return said
    return no_fact(f"{missing}的这类关系", sparql)


def rows_of_the_kind_asked(kb: Knowledge, parsed: Parsed, subject: Mention, rows: list[dict]) -> list[dict]:
    """A class asked within a city's plans stands for all its phrases there (市级妇幼保健机构, 县级妇幼
    保健机构, 市、县两级妇幼保健机构…): pooling what each says is a guess. A level written just before
    the kind (梧州<市级>妇幼保健机构, even when the city's name took its 市) keeps the phrases of that level
    only; otherwise the plan's phrase worded as the question's kind is preferred when it says something."""
    before = parsed.question[:subject.start]
    for word in sorted(kb.config.get("level_words") or [], key=len, reverse=True):
        if before.endswith(word):
            level = next((e.iri for e in kb.lexicon.by_label.get(word, []) if e.type == "level"), None)
            if level:
                return [r for r in rows if r.get("slevel") == level]
    same = [r for r in rows if strip_asides(str(r.get("slabel") or "")) == strip_asides(subject.text)]
    return same or rows


def relation_of_kind(kb: Knowledge, family: dict, parsed: Parsed, candidates: list[Mention], props: list[str],
                     reverse: bool, yes_no: bool) -> dict | None:
    """梧州市中心血站主要做哪些工作: nothing is said of the institution itself, but its city's plan states
    what its kind does (功能定位：中心血站做好…). Answered from the phrases of the institution's own kind
    in the plan(s) of its own city, at a compatible level: the most specific kind that answers first
    (a superclass only when the kind says nothing; never the broadest ones, questions.yaml
    `kind_fallback_too_broad`). Of a kind's phrases, the one the name ends with (中心血站) is preferred;
    the reply says that it is the plan's statement of a kind."""
    inst = next((c for c in candidates if c.entries[0].type == "institution" and len(c.entries) == 1), None)
    if inst is None:
        return None
    entry = inst.entries[0]
    city = entry.city
    broad = set(kb.config.get("kind_fallback_too_broad") or [])
    phrases: dict[str, list[dict]] = {}
    for r in kind_phrases_of(kb, entry.iri):
        if str(r["cls"]).rsplit("/", 1)[-1].rsplit("#", 1)[-1] not in broad and \
                names_whole_kind(kb, str(r["label"]), str(r["cls"])):
            phrases.setdefault(str(r["cls"]), []).append(r)
    sparql = kb.render_sparql(family, subject_is_class=False, city=False, props=props, reverse=reverse)
    name = strip_asides(entry.label)
    for refs in phrases.values():
        own_name = [r for r in refs if name.endswith(strip_asides(str(r["label"])))]
        for group in ([own_name, refs] if own_name else [refs]):
            said: dict[str, list[dict]] = {}
            for r in group:
                found = [row for row in kb.select(sparql, {"s": r["k"]}) if not city or city in kb.row_cities(row)]
                if found:
                    said.setdefault(str(r["label"]), []).extend(found)
            rows = [row for found in said.values() for row in found]
            answers = drop_restatements(relation_answers(kb, rows), parsed.question, asked_noun(kb, parsed))
            answers = narrow_answers(kb, drop_other_places(kb, answers, parsed), parsed, family)
            if not answers or family.get("check_asked_noun") and not addresses_asked_noun(kb, answers, parsed):
                continue
            for a in answers:
                a["inferred"] = True
            if yes_no and is_yes_no(kb, parsed):
                return yes_if_said(kb, answers, parsed, family, inst, sparql)
            labels = "、".join(f"“{lb}”" for lb in said)
            message = jinja2.Template(family["answer"]).render(
                subject=entry.label, items=[a["text"] for a in answers], flipped=False)
            where = "、".join(sorted(set().union(*(kb.answer_cities(a) for a in answers)))) or city or ""
            message += f"（图谱中没有专门针对{entry.label}的这类说法；这是{where}规划对{labels}这一类机构的表述，" \
                       f"{entry.label}属于这一类）"
            return answered(answers, message, sparql)
    return None


def kind_phrases_of(kb: Knowledge, iri: str) -> list[dict]:
    """The plan phrases of the kinds an institution is an instance of, in the plans of its own city,
    at a level compatible with its own (a phrase without a level fits any); the most specific kind
    first. Three small bound queries: one query joining them all was planned badly by the store
    (minutes for one institution, every quad repeated across the evidence graphs)."""
    rows = []
    for inst in kb.select(kb.env.get_template("kinds_of_instance.rq.j2").render(), {"s": iri}):
        cls, city, level = str(inst["cls"]), inst["city"], inst.get("il")
        bound = {"cls": cls, "city": city}
        phrases = kb.select(kb.env.get_template("kind_phrases.rq.j2").render(), bound)
        levels: dict[str, set] = {}
        for r in kb.select(kb.env.get_template("kind_phrase_levels.rq.j2").render(), bound):
            levels.setdefault(r["k"], set()).add(r["kl"])
        phrases = [p for p in phrases if not level or not levels.get(p["k"]) or level in levels[p["k"]]]
        if not phrases:
            continue
        depth = kb.select(kb.env.get_template("class_depth.rq.j2").render(), {"cls": cls})
        d = int(depth[0]["depth"]) if depth else 0
        rows += [{"k": p["k"], "label": p["label"], "cls": cls, "depth": d} for p in phrases]
    return sorted(rows, key=lambda r: (-r["depth"], str(r["label"])))


def names_whole_kind(kb: Knowledge, label: str, cls: str) -> bool:
    """市办公立医院, 各级疾病预防控制机构, 中心血站: a phrase naming a kind as a whole (a name of the
    class after words of level or ownership, questions.yaml `kind_phrase_prefixes`), not a part of
    it (有精神专科特长的综合性医院, 三级医院: what the plan says of those is not said of every member)."""
    prefixes = sorted(kb.config.get("kind_phrase_prefixes") or [], key=len, reverse=True)
    text = strip_asides(label)
    while True:
        if any(e.type == "class" and e.iri == cls for e in kb.lexicon.by_label.get(text, [])):
            return True
        cut = next((p for p in prefixes if text.startswith(p) and len(text) > len(p)), None)
        if cut is None:
            return False
        text = text[len(cut):]


def yes_if_said(kb: Knowledge, answers: list[dict], parsed: Parsed, family: dict, subject: Mention,
                 sparql: str) -> dict:
    """市直医院要承担住院医师规范化培训吗: yes when one of the subject's stated answers says the
    question's own words; otherwise the graph does not say (absence is not a no)."""
    # the thing asked about: the longest word left, else a name after the subject (包括<急救站>吗)
    chunks = sorted(leftover_words(kb, parsed, family), key=len, reverse=True)[:1]
    named = [m for m in parsed.mentions if m.start >= subject.end and m.type not in ("city", "county")]
    chunks += [m.text for m in named]
    # …or that name's full form (县区疾控中心 is stated as 县区疾病预防控制中心), as the answer: a full name
    # shares long runs with other names of its kind (疾病预防控制) that are not it, and a kind's name
    # (疾病预防控制中心 of 乡镇疾控中心) is inside any of its qualified phrases
    full = [m.entries[0].label for m in named if m.entries[0].label != m.text]
    for chunk in chunks + full:
        hits = [a for a in answers if a["text"] == chunk] if chunk in full else \
            [a for a in answers if common_run(chunk, a["text"])[0] >= min(len(chunk), 4)]
        if hits:
            verdict = {"text": "是", "value": None, "iri": None, "inferred": any(a["inferred"] for a in hits),
                       "sources": [s for a in hits for s in a["sources"]][:3]}
            return answered([verdict], f"是。{subject.entries[0].label}："
                                  f"{'；'.join(a['text'] for a in hits)}。", sparql)
    return no_fact(f"{subject.entries[0].label}与“{chunks[0] if chunks else ''}”的关系", sparql)


def drop_other_places(kb: Knowledge, answers: list[dict], parsed: Parsed) -> list[dict]:
    """灵山县的医共体由谁牵头: an answer naming another county (浦北县人民医院) is about another place."""
    asked = {m.entries[0].label for m in parsed.slots.get("county", [])}
    if not asked:
        return answers
    others = {lb for lb, e in kb.lexicon.labelled("county")
              if e.type == "county" and e.label not in asked and len(lb) >= 2 and lb == e.label}
    return [a for a in answers if not any(o in a["text"] for o in others)]


def hosted_units(kb: Knowledge, family: dict, bindings: dict) -> list[dict]:
    """Units set up on the institution, as the plan words hosting (questions.yaml `units_hosted_cue`)."""
    rows = kb.select(kb.env.get_template("units_based_on.rq.j2").render(), bindings)
    cue = family.get("units_hosted_cue")
    if not cue:
        return rows
    return [r for r in rows if r.get("g") and any(re.search(cue, s.get("quote") or "")
                                                  for s in kb.sources_of_graph(r["g"]))]


def cue_props(family: dict, parsed: Parsed) -> list[str]:
    """The properties the question's cue asks for (承担/负责 → responsibilities; 定位/角色 → roles:
    questions.yaml `props_by_cue`), else all of the family's."""
    for pattern, props in (family.get("props_by_cue") or {}).items():
        if re.search(pattern, parsed.question):
            return list(props)
    return list(family["props"])


def asked_noun(kb: Knowledge, parsed: Parsed) -> str:
    """The noun a 什么/哪些 question asks for (开展什么<宣传活动>, 以哪几类<保健>为中心), unless it is a
    generic one (工作, 任务, 职责…: questions.yaml `generic_asked`)."""
    m = re.search(r"(?:什么样的|什么|哪些|哪几[类项个种家所]?|哪[类种个项家所])([\u4e00-\u9fff]{2,8})", parsed.question)
    if not m:
        # 宣传活动 开展什么: the noun typed as the topic, apart, before a verb and the bare question word
        m = re.search(r"([\u4e00-\u9fff]{2,8})\s+[\u4e00-\u9fff]{1,3}(?:什么|哪些)[？?]?$", parsed.question)
        if m is None or any(o.start < m.end(1) and m.start(1) < o.end for o in parsed.mentions):
            return ""
    noun = re.split(r"[为的来去和与及是呢吗]", m.group(1))[0]
    generic = kb.config.get("generic_asked") or []
    # 什么<转诊>功能: a generic noun with a qualifier asks for the qualifier's kind of it
    noun = next((noun[:-len(g)] for g in sorted(generic, key=len, reverse=True)
                 if noun.endswith(g) and len(noun) - len(g) >= 2), noun)
    if len(noun) < 2 or any(noun.endswith(g) or noun == g for g in generic):
        return ""
    return noun


def addresses_asked_noun(kb: Knowledge, answers: list[dict], parsed: Parsed) -> bool:
    noun = asked_noun(kb, parsed)
    return not noun or any(common_run(noun, a["text"])[0] >= 2 for a in answers)


def narrow_answers(kb: Knowledge, answers: list[dict], parsed: Parsed, family: dict) -> list[dict]:
    """Of several answers, those sharing the question's own words (负责开展什么<宣传活动> keeps the
    answer about 宣传活动), when some do and others do not."""
    if len(answers) < 2:
        return answers
    # a generic noun left in the question (负责哪些<业务>) says nothing of which answers are meant
    generic = set(kb.config.get("generic_asked") or [])
    chunks = [c for c in leftover_words(kb, parsed, family) if c not in generic]
    def overlap(a: dict) -> int:
        return sum(run for c in chunks for run in [common_run(c, a["text"])[0]] if run >= 2)
    scores = [overlap(a) for a in answers]
    top = max(scores, default=0)
    if top < 2:
        return said_with_question_words(kb, answers, parsed)
    return [a for a, v in zip(answers, scores, strict=True) if v == top]


def said_with_cue(family: dict, answers: list[dict], question: str) -> list[dict]:
    """以哪几类保健<为中心>: a question holding one of the family's `quote_cues` asks for what the plan
    states with that wording: of several answers, those stated in the clause that holds it (when some
    are; 以A、B为中心，…，承担C: A and B, not C)."""
    def in_cue_clause(a: dict, cue: str) -> bool:
        text = re.sub(r"\s+", "", a["text"])
        return cue in text or any(cue in c and text in c for s in a["sources"]
                                  for c in re.split("[，。；]", re.sub(r"\s+", "", s.get("quote") or "")))
    for cue in family.get("quote_cues") or []:
        if cue in question:
            hits = [a for a in answers if in_cue_clause(a, cue)]
            if hits:
                return hits
            if family.get("quote_cues_required"):
                # the answer's own clause may word it otherwise (依托市疾控中心 for 赣州市疾控中心): the sentence
                return [a for a in answers if any(cue in (s.get("quote") or "") for s in a["sources"])]
    return answers


def said_becoming(family: dict, answers: list[dict], rows: list[dict], question: str) -> list[dict]:
    """要把X建成什么中心 asks what X is to become (questions.yaml `becoming_cue`): of the answers, what the
    graph says X is to be upgraded to, and roles whose sentence states them with a verb of becoming
    (`becoming_said`: 打造成为…中心); a role X has now (X是全县…中心) answers another question."""
    cue = family.get("becoming_cue")
    if not cue or not re.search(cue, question):
        return answers
    upgraded = {r.get("label") for r in rows if str(r.get("p") or "").endswith("upgradeTarget")}
    said = family.get("becoming_said") or "$^"

    def becoming(a: dict) -> bool:
        text = re.sub(r"\s+", "", a["text"])
        for s in a.get("sources") or []:
            quote = re.sub(r"\s+", "", s.get("quote") or "")
            at = quote.find(text)
            if at >= 0 and re.search(said, quote[max(0, at - 12):at]):
                return True
        return False
    return [a for a in answers if a["text"] in upgraded or becoming(a)]


def said_with_question_words(kb: Knowledge, answers: list[dict], parsed: Parsed) -> list[dict]:
    """在哪些方面<打造区域医疗中心>: the question's words (less its subject's names and question
    words) are in the sentence stating some answers, not in the answers: those answers, when the
    others' sentences hold clearly less of them."""
    text = parsed.question
    for m in sorted(parsed.mentions, key=lambda m: -m.start):
        if m.type in ("institution", "city", "county", "unit", "consortium"):
            text = text[:m.start] + "|" + text[m.end:]
    for word in sorted(kb.config.get("question_words") or [], key=len, reverse=True):
        text = text.replace(word, "|")
    chunks = [c for c in re.split(r"[|\W\d]+", text) if len(c) >= 3]
    if not chunks:
        return answers
    def said(a: dict) -> int:
        quotes = [re.sub(r"\s+", "", s.get("quote") or "") for s in a.get("sources", [])]
        return max((sum(run for c in chunks for run in [common_run(c, q)[0]] if run >= 3) for q in quotes),
                   default=0)
    scores = [said(a) for a in answers]
    top = max(scores)
    if top < 4 or min(scores) == top:
        return answers
    return [a for a, v in zip(answers, scores, strict=True) if v == top]


def said_in_text(kb: Knowledge, family: dict, subject: Mention, parsed: Parsed) -> dict | None:
    """No fact in the graph, but a plan sentence states it with the family's own wording
    (`text_pattern`: 依托<X>设置<subject>): quote X and the sentence, saying it is read from the text."""
    pattern = family.get("text_pattern")
    if not pattern:
        return None
    city = parsed.slots["city"][0].entries[0].label if parsed.slots.get("city") else None
    for row in kb.passages(city):
        if city and row.get("city") != city:
            continue
        flat = strip_asides(unicodedata.normalize("NFKC", re.sub(r"\s+", "", str(row["quote"]))))
        for m in re.finditer(pattern, flat):
            if flat.startswith(subject.text, m.end()):
                x = m.group("x")
                answers = [{"text": x, "value": None, "iri": None, "inferred": False,
                            "sources": [cite_passage(row)]}]
                message = jinja2.Template(family["answer"]).render(subject=subject.text, items=[x]) + \
                    "（据规划原文，图谱中没有这条关系）"
                return answered(answers, message, kb.passages_sparql())
    return None


def singled_out(answers: list[dict], pattern: str, qualifier: str) -> list[dict]:
    """…，其中传染病防控和应急处置是核心职责: of the duties stated, those the sentence itself singles out
    with the question's qualifier (核心), cited with it; none when the sentence singles none out (the
    whole list is not what is asked)."""
    found: dict[str, dict] = {}
    for a in answers:
        for s in a["sources"]:
            for m in re.finditer(pattern, s.get("quote") or ""):
                if m.group("q") != qualifier:
                    continue
                for item in _ITEM_SPLIT.split(m.group("x")):
                    if len(item.strip()) >= 2:
                        found.setdefault(item.strip(), {"text": item.strip(), "value": None, "iri": None,
                                                         "inferred": False, "sources": [s]})
    return list(found.values())


_ITEM_SPLIT = re.compile(r"[、，,；;]|以及|和|及|与")


def completed_from_span(kb: Knowledge, answers: list[dict], key: str = "composition_span") -> list[dict]:
    """体系由A、B、C构成 read into the graph as A and B only (儿科业务 of 妇产科、儿科业务): the members
    are completed with the items of that span (questions.yaml `composition_span`, cut at 、，和及) that
    no member found covers, cited with the same sentence. Only when one span is the composition of
    the answers' sentences and covers at least two of them (it is the system asked). The same for the
    span of another relation's objects (负责A、机关、学校及B的业务指导: questions.yaml `guidance_span`)."""
    pattern = kb.config.get(key) or "$^"
    spans = {(m.group("span"), s["quote"], s["doc"]) for a in answers for s in a["sources"]
             for m in [re.search(pattern, s.get("quote") or "")] if m}
    if len({sp for sp, _, _ in spans}) != 1:
        return answers
    span, quote, doc = next(iter(spans))
    source = next(s for a in answers for s in a["sources"] if s["quote"] == quote and s["doc"] == doc)
    items = [re.sub(r"等.*$", "", i).strip() for i in _ITEM_SPLIT.split(span)]
    items = [i for i in items if len(i) >= 2]

    def covers(a: dict, item: str) -> bool:
        text = a["text"]
        return text in item or item in text or common_run(item, text)[0] >= max(4, len(item) - 2)
    covered = [i for i in items if any(covers(a, i) for a in answers)]
    missing = [i for i in items if i not in covered]
    if len(covered) < 2 or not missing:
        return answers
    return answers + [{"text": i, "value": None, "iri": None, "inferred": False, "sources": [source]}
                      for i in missing]


def drop_restatements(answers: list[dict], question: str, asked: str = "",
                      subject: str = "") -> list[dict]:
    """An answer that ends with the question's own noun phrase (…区域医疗中心 for 在哪些方面打造
    区域医疗中心) restates the question; keep it only when nothing else answers. When the question asks
    for a noun (开展什么<宣传活动>) that only the restating answers hold (开展大众卫生科学知识宣传活动), those
    fill the question's gap: they are kept instead of the others. The relation's subject qualified is no
    restatement: 健康教育机构 guides 下级健康教育机构, the other end of the relation named by its kind."""
    def restates(text: str) -> bool:
        k = next((k for k in range(6, 3, -1) if len(text) > 6 and text[-k:] in question), 0)
        if not k or subject and text.endswith(subject) and text != subject:
            return False
        # An answer that fills the question's frame (以什么为重点的… → 以肿瘤性疾病为重点的…) shares
        # much of its remaining words with the question; a restatement does not.
        rest = text[:-k]
        return sum(ch in question for ch in rest) < len(rest) / 2

    def holds_asked(a: dict) -> bool:
        return common_run(asked, a["text"])[0] >= 2

    kept = [a for a in answers if not restates(a["text"])]
    if asked and not any(holds_asked(a) for a in kept):
        return [a for a in answers if holds_asked(a)] or kept or answers
    return kept or answers


def relation_answers(kb: Knowledge, rows: list[dict]) -> list[dict]:
    answers: dict[str, dict] = {}
    for r in rows:
        label = r.get("label")
        if not label:
            continue
        inferred = str(r.get("mode") or "").endswith("inferred")
        a = answers.setdefault(label, {"text": label, "value": None,
                                       "iri": r["item"] if str(r["item"]).startswith("http") else None,
                                       "inferred": inferred, "sources": []})
        if r.get("g") and len(a["sources"]) < 3:
            a["sources"] += [s for s in kb.sources_of_graph(r["g"]) if s not in a["sources"]]
    return list(answers.values())


def run_contains(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """是否升级为X: yes when a stated target of the institution contains X's words."""
    inst = parsed.slots["institution"][0]
    named = [m for t in ("kindref", "class") for m in parsed.slots.get(t, []) if m.start > inst.end]
    # the target asked is all the verb governs (升级为<三级甲等综合医院>), grade words before the kind too
    verbs = [v for v in re.finditer(family.get("target_verb") or "$^", parsed.question)
             if named and v.end() <= min(m.start for m in named)]
    targets = [parsed.question[verbs[-1].end():max(m.end for m in named)]] if verbs else [m.text for m in named]
    sparql = kb.render_sparql(family, subject_is_class=False, city=False, props=family["props"], reverse=False)
    answers = relation_answers(kb, kb.select(sparql, {"s": inst.entries[0].iri}))
    hits = [a for a in answers if any(t in a["text"] or _in_order(t, a["text"]) for t in targets)] \
        if targets else answers
    verdict = "是"
    if not hits and targets:
        # 创建三级甲等医院吗, the plan saying 创建三级医院: the stated target is a coarser grade of the one
        # asked (its characters, in order, within it) — the plan sets a lower target, so no
        hits = [a for a in answers if any(_in_order(_target_words(a["text"]), t) for t in targets)]
        verdict = "否"
    if not hits:
        return no_fact(f"{inst.entries[0].label}升级为{'、'.join(targets) or '该目标'}", sparql)
    for a in hits:
        a["text"] = f"{verdict}（规划写的是：{a['text']}）" if verdict == "否" else f"是（{a['text']}）"
    message = jinja2.Template(family["answer"]).render(verdict=verdict, subject=inst.entries[0].label,
                                                       items=[a["text"] for a in hits])
    return answered(hits, message, sparql)


def _target_words(text: str) -> str:
    return re.sub(r"^(创建|建成|升级为|升级|达到|成为)", "", text)


def _in_order(short: str, long: str) -> bool:
    """三级医院 in 三级甲等医院: every character of `short`, in order, within `long` (and longer)."""
    it = iter(long)
    return len(short) >= 3 and len(long) > len(short) and all(ch in it for ch in short)

