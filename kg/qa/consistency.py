"""Step 3½ — check: an answer that contradicts what the question itself says is no answer. The
question may state how many items it asks for (哪两项, 哪五大体系), count in a classifier of its own
(超过多少<人>) or set two plans side by side (赣州规划比梧州规划多列了哪一项); an answer of another
length, of another classifier, or from one plan only would be a guess, so it is turned into an
honest refusal (the related plan sentences are then shown, never as the answer). The words are in
questions.yaml (`stated_count`, `classifier_groups`)."""

from __future__ import annotations

import re

from kg.qa.knowledge import Knowledge
from kg.qa.parse import Parsed, is_yes_no
from kg.qa.render import no_fact
from kg.qa.textmatch import common_run

_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def stated_count(kb: Knowledge, question: str) -> int | None:
    """哪两项 / 哪五大体系 / 哪3个: the number of items the question says it asks for."""
    pattern = (kb.config.get("stated_count") or {}).get("pattern")
    m = re.search(pattern, question) if pattern else None
    if not m:
        return None
    n = m.group("n")
    return int(n) if n.isdigit() else _NUMERALS.get(n)


_KIND_NAMES = {"number": "数值", "institution": "机构", "county": "县区", "city": "城市", "department": "科室或部门"}
# a counted phrase (3张, 两家, 十个); 二级医院 is a kind, not a count
_NUMERAL_TEXT = re.compile(r"\d|[一二两三四五六七八九十百千万]+(?:[个家所张人名项次辆倍岁年天%]|成)")


def asked_answer_kind(kb: Knowledge, parsed: Parsed) -> str | None:
    """The kind of thing the question word asks for (questions.yaml `answer_kind_asked`): None when none
    or several match (哪家医院牵头的医共体有几个成员 asks a number through an institution), or the
    question asks yes or no."""
    if is_yes_no(kb, parsed):
        return None
    found = [kind for kind, pattern in (kb.config.get("answer_kind_asked") or {}).items()
             if re.search(pattern, parsed.question)]
    return found[0] if len(found) == 1 else None


def answer_kind(kb: Knowledge, answer: dict) -> str | None:
    """What an answer is: the lexicon type of its label or entity, else a number when it has a value;
    None when the graph cannot tell (a phrase of a plan sentence)."""
    labels = [answer["text"], *(kb.labels_of(answer["iri"]) if answer.get("iri") else [])]
    for entries in kb.lexicon.lookup(dict.fromkeys(labels)).values():
        if entries:
            return entries[0].type  # 哪家医院床位最多: the hospital, its figure beside it
    return "number" if answer.get("value") is not None else None


def of_the_kind_asked(kb: Knowledge, asked: str, answers: list[dict]) -> bool:
    """Whether the answers can be what was asked: a number asked is answered by a value or a counted
    phrase; an entity asked by no answer the graph knows to be of another kind."""
    if asked == "number":
        return any(answer_kind(kb, a) == "number" or _NUMERAL_TEXT.search(a["text"]) for a in answers)
    table = kb.config.get("answer_kinds_accepted") or {}
    if asked not in table:
        return True
    # an empty list: no entity the graph names is of that kind (哪些科室: never an institution or a kind)
    accepted = set(table[asked] or [])
    return any(k is None or k in accepted for k in (answer_kind(kb, a) for a in answers))


def _group(kb: Knowledge, word: str) -> int | None:
    for i, group in enumerate(kb.config.get("classifier_groups") or []):
        if word in group:
            return i
    return None


def asked_classifier(kb: Knowledge, question: str) -> str | None:
    """多少人 / 几张: the classifier the asked number is counted in (个 is every thing's, so none)."""
    m = re.search(r"(?:多少|几)(?P<c>[\u4e00-\u9fff])", question)
    if not m or m.group("c") == "个" or _group(kb, m.group("c")) is None:
        return None
    return m.group("c")


def check(kb: Knowledge, family: dict, parsed: Parsed, result: dict) -> dict:
    if result.get("status") != "answered":
        return result
    sparql = result.get("sparql") or ""
    asked = asked_answer_kind(kb, parsed)
    if asked and not of_the_kind_asked(kb, asked, result["answers"]):
        # 秘书处设在哪家单位 answered with a city; 百分之几 with a kind: the answer of another question
        return no_fact(f"问题所问的{_KIND_NAMES[asked]}（图谱中找到的是"
                       f"{'、'.join(a['text'] for a in result['answers'][:4])}，不是{_KIND_NAMES[asked]}）", sparql)
    items = [a for a in result["answers"] if a.get("value") is None]
    n = stated_count(kb, parsed.question)
    if n is not None and family["kind"] in ("list", "relation") and items and len(items) != n:
        # 哪五大体系 answered with three: the graph holds another list than the one asked
        return no_fact(f"问题所问的{n}项（图谱中找到的是{len(items)}项："
                       f"{'、'.join(a['text'] for a in items[:6])}，与问题不符）", sparql)
    if n is not None and family["kind"] in ("list", "relation") and len(items) == n \
            and any(len(re.split(r"[、；;]", a["text"])) > n for a in items):
        # 核心职责是哪两项 answered with two sentences listing ten duties each: another granularity
        return no_fact(f"问题所问的{n}项（图谱中的表述列举了更多项，与问题不符）", sparql)
    if family["kind"] == "figure":
        other = other_kind(parsed, result["answers"])
        if other:
            # 医院的病床使用率 answered with all institutions' rate; 几个乡镇卫生院升级为二级医院 with
            # the number of 乡镇卫生院 per township: the kind named is not what the figure counts
            return no_fact(f"“{other}”的这项数值（图谱中找到的数值不是按“{other}”算的）", sparql)
    cls = asked_classifier(kb, parsed.question)
    if cls and family["kind"] in ("figure", "diff", "compare", "superlative", "threshold"):
        units = {re.sub(r"[\d.,%％\s]", "", a["text"].rsplit("：", 1)[-1])[-1:] for a in result["answers"]
                 if a.get("value") is not None}
        units = {u for u in units if u}
        if units and all(_group(kb, u) is not None and _group(kb, u) != _group(kb, cls) for u in units):
            # 超过多少人的行政村 answered with a count of 村卫生室 (所): another quantity
            return no_fact(f"以“{cls}”计的这个数（图谱中找到的数以“{'、'.join(sorted(units))}”计，是另一个量）",
                           sparql)
    if family["kind"] == "relation":
        aspect = re.search(kb.config.get("aspect_pattern") or "$^", parsed.question)
        if aspect and not any(common_run(aspect.group("a"), a["text"])[0] >= 2 for a in result["answers"]):
            # 在转诊方面承担哪两项任务: stated tasks that say nothing of 转诊 do not answer it (their
            # sentence may: it lists the kind's other tasks too)
            return no_fact(f"“{aspect.group('a')}”方面的这类关系", sparql)
    if family["kind"] in ("list", "count") and not family.get("level_is_asked"):
        levels = unbound_levels(kb, parsed)
        if levels:
            # 县区一级的疾控中心设几家 answered with the city's one; 市级、…和县区合计 with one level
            return no_fact(f"{'、'.join(levels)}这一级的{'数量' if family['kind'] == 'count' else '名单'}"
                           "（图谱中找到的机构不是按这一级算的）", sparql)
    if family["kind"] == "relation":
        result = of_the_noun_asked(kb, parsed, result)
    if family["id"] == "members":
        result = within_composition(kb, result)
    cities = {m.entries[0].label for m in parsed.slots.get("city", [])}
    if len(cities) >= 2 and family["kind"] == "relation":
        own = {c for a in result["answers"] for c in kb.answer_cities(a)}
        if not cities <= own:
            # 赣州规划比梧州规划多列了哪一项: two plans set side by side, an answer from one of them
            return no_fact(f"{'与'.join(sorted(cities))}两个规划的对比（这类关系只能逐个城市回答）", sparql)
    return within_the_city_asked(kb, parsed, result)


def within_the_city_asked(kb: Knowledge, parsed: Parsed, result: dict) -> dict:
    """梧州市人民医院牵头的医联体有哪些成员 answered with what 钦州's plan says of 医联体 in general: a
    question about one city (named, or the city of the county or institution named) is answered only
    from that city's plans; an answer whose every source is another city's plan is dropped."""
    asked = asked_cities(kb, parsed)
    if len(asked) != 1 or result.get("status") != "answered":
        return result
    kept = [a for a in result["answers"] if not (kb.answer_cities(a) and not kb.answer_cities(a) & asked)]
    if len(kept) == len(result["answers"]):
        return result
    if not any(a.get("value") is None or a.get("sources") for a in kept):
        city = next(iter(asked))
        return no_fact(f"{city}规划中的这类关系（图谱中找到的只有其他城市规划的表述）", result.get("sparql") or "")
    return {**result, "answers": kept}


def asked_cities(kb: Knowledge, parsed: Parsed) -> set[str]:
    """The cities a question is about: named, or of the county, institution, network or unit named."""
    cities = {m.entries[0].label for m in parsed.slots.get("city", [])}
    cities |= {m.entries[0].city for m in parsed.slots.get("county", []) if m.entries[0].city}
    for kind in ("institution", "consortium", "unit"):
        for m in parsed.slots.get(kind, []):
            own = {kb.city_of(e.iri) for e in m.entries}
            if len(own) == 1 and None not in own:
                cities |= own
    return cities


def unbound_levels(kb: Knowledge, parsed: Parsed) -> list[str]:
    """Administrative levels the question names (questions.yaml `level_words`) that its kind or level
    mention does not carry: one level left out (县区一级的疾控中心), or several summed (市级、…和县区合计)."""
    spans = [(m.start, m.end) for m in parsed.mentions if m.type not in ("city", "county")]
    named = []
    for word in sorted(kb.config.get("level_words") or [], key=len, reverse=True):
        for hit in re.finditer(re.escape(word), parsed.question):
            if any(a <= p < b for a, b in [(h.start(), h.end()) for h in named] for p in (hit.start(),)):
                continue
            named.append(hit)
    free = [h.group(0) for h in named if not any(a <= h.start() and h.end() <= b for a, b in spans)]
    if len(named) >= 2 and len({h.group(0) for h in named}) >= 2:
        return list(dict.fromkeys(h.group(0) for h in named))
    return list(dict.fromkeys(free))


def other_kind(parsed: Parsed, answers: list[dict]) -> str:
    """A kind the figure question names (医院, 二级医院) outside its indicator's name that the
    figure found does not name either (its indicator or subject label)."""
    kinds = {(m.start, m.end) for m in parsed.slots.get("class", [])}
    # (a kind that is also a table column, 医院 of 医院数, is not the indicator's name)
    measures = [(m.start, m.end) for m in parsed.slots.get("measure", []) if (m.start, m.end) not in kinds]
    spans = [(m.start, m.end) for m in parsed.mentions]
    for word in ("率", "比例", "占比"):
        free = [h for h in re.finditer(word, parsed.question) if not any(a <= h.start() < b for a, b in spans)]
        if free and not any(word in a["text"].rsplit("：", 1)[0] for a in answers):
            # 医院的床位使用率 (a rate no indicator name covers) answered with 医院数: a count is no rate
            return parsed.question[max(0, free[0].start() - 4):free[0].end()]
    named = [m for m in parsed.slots.get("measure", []) if (m.start, m.end) not in kinds and not m.fuzzy]
    if named and not any(e.label in a["text"] for m in named for e in m.entries for a in answers):
        # 几个乡镇卫生院升级为<二级医院>: the figure found is of 乡镇卫生院, not of the indicator named
        return named[0].text
    for m in parsed.slots.get("class", []):
        if any(a <= m.start and m.end <= b for a, b in measures):
            continue
        if not any(m.text in a["text"] or any(e.label in a["text"] for e in m.entries) for a in answers):
            return m.text
    return ""


def within_composition(kb: Knowledge, result: dict) -> dict:
    """体系由A、B、C构成，以D为主体、E为补充: the members are what the 由…构成 span of their sentence
    names; D and E (another division of the same system, said in the same sentence) are not."""
    pattern = (kb.config.get("composition_span") or "$^")
    spans_of = [[m.group("span") for s in a["sources"] for m in [re.search(pattern, s.get("quote") or "")] if m]
                for a in result["answers"]]
    # when a sentence says what the system is composed of, it alone answers 由哪些构成 / 包括哪几类:
    # X是…的组成部分 said elsewhere (民营医院是医疗卫生服务体系不可或缺的组成部分) divides it another way
    composed = any(spans_of)
    kept = []
    for a, spans in zip(result["answers"], spans_of, strict=True):
        names = [a["text"], *_short_forms(kb, a)]
        if (not spans and not composed) or any(_in_span(n, sp) for n in names for sp in spans):
            kept.append(a)
    if not kept or len(kept) == len(result["answers"]):
        return result
    message = re.sub(r"：.*", "：" + "、".join(a["text"] for a in kept) + "。", result["message"], count=1)
    return result | {"answers": kept, "message": message}


def _short_forms(kb: Knowledge, answer: dict) -> list[str]:
    """钦州市卫生计生监督所 as its own plan writes it in a list: 市卫生计生监督所."""
    return ["市" + answer["text"][len(city):] for city in kb.answer_cities(answer)
            if answer["text"].startswith(city) and city.endswith("市")]


def _in_span(name: str, span: str) -> bool:
    """The name is written in the span, whole or with a shared head (市、县区妇幼保健院 → 市妇幼保健院;
    市、自贸区钦州港片区、县区卫生计生监督所 → 自贸区钦州港片区卫生计生监督所)."""
    return name in span or any(name[:i] in span and name[i:] in span for i in range(1, len(name)))


def of_the_noun_asked(kb: Knowledge, parsed: Parsed, result: dict) -> dict:
    """县办医院主要承担哪几项<功能>: the plan says 承担A、B和C功能, and also 承担D任务, E等工作. When
    some stated answers end in the noun asked and others in another noun of what a body does (功能 /
    任务 / 工作 / 服务: questions.yaml `role_nouns`), those of the noun asked answer it."""
    generic = list(kb.config.get("role_nouns") or [])
    m = re.search(r"(?:哪几项|哪几类|哪些|哪几|什么)(?P<n>[\u4e00-\u9fff]{2})(?:[？?。]|$)", parsed.question)
    if not m or m.group("n") not in generic:
        return result
    noun = m.group("n")
    answers = result["answers"]
    ends = [next((g for g in generic if a["text"].endswith(g)), None) for a in answers]
    keep = [a for a, e in zip(answers, ends, strict=True) if e == noun]
    if not keep or len(keep) == len(answers) or not any(e and e != noun for e in ends):
        return result
    message = re.sub(r"：[^（]*", "：" + "；".join(a["text"] for a in keep) + "。", result["message"], count=1)
    return result | {"answers": keep, "message": message}
