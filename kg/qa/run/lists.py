"""Step 3 — run: Lists, counts and existence of institutions of a kind (in a city, county, level), the indicators of a
nature, and 有没有X answered from a negative statement of the plan."""

from __future__ import annotations

import re

import jinja2

from kg.qa.knowledge import Knowledge
from kg.qa.linking import Mention
from kg.qa.parse import Parsed, is_yes_no, place_of, residual_words, scope_city
from kg.qa.plan import has_slot
from kg.qa.render import answered, cite_passage, no_fact
from kg.qa.textmatch import common_run, names_in

_CJK = re.compile(r"[\u4e00-\u9fff]")


def run_list(kb: Knowledge, family: dict, parsed: Parsed, counting: bool = False) -> dict:
    kinds = parsed.slots.get("class") or parsed.slots.get("class_of_ref") or []
    place = place_of(kb, parsed)
    if kinds and not place["place"] and kinds[-1].entries[0].city:
        # a plan's own phrase (县直综合医院) is about that plan's city
        city = next((e for e in kb.lexicon.by_label.get(kinds[-1].entries[0].city, []) if e.type == "city"), None)
        if city is not None:
            place = {"city": city.iri, "county": None, "place": ""}
    bindings: dict = {}
    shape: dict = {"city": place["city"], "county": place["county"], "level": None}
    named = next((parsed.slots[t][0] for t in ("institution", "consortium", "unit") if parsed.slots.get(t)), None)
    if family["id"] == "where" and named is None and parsed.slots.get("county"):
        return county_city(kb, parsed.slots["county"][0])
    if family["id"] == "where" and named is not None:
        bindings["s"] = named.entries[0].iri
        if re.search(family.get("city_words") or "$^", parsed.question):
            shape["city"] = True
    else:
        bindings["cls"] = kinds[-1].entries[0].iri
        level = parsed.slots.get("level")
        if level:
            shape["level"] = bindings["level"] = level[0].entries[0].iri
        for key in ("city", "county"):
            if shape[key]:
                bindings[key] = shape[key]
    sparql = kb.render_sparql(family, **shape)
    rows = kb.select(sparql, bindings)
    if family["id"] != "where":
        # 医院、疾控中心: every kind named in the question counts.
        seen = {r["item"] for r in rows}
        extras = {m.entries[0].iri for m in kinds[:-1]}
        for also in (kb.config.get("kind_also_includes") or {}).get(kinds[-1].entries[0].label, []):
            extras |= {e.iri for e in kb.lexicon.by_label.get(also, []) if e.type == "class"}
        for extra in extras:
            rows += [r for r in kb.select(sparql, bindings | {"cls": extra}) if r["item"] not in seen]
            seen |= {r["item"] for r in rows}
    if family["id"] == "where" and named is not None and not shape["city"] and rows \
            and re.search(family.get("county_words") or "$^", parsed.question) \
            and all(kb.city_iri(r["label"]) == r["item"] for r in rows):
        # 钦州市第一人民医院在哪个区: the graph knows only its city; the city is no county's answer
        return no_fact(f"{named.entries[0].label}所在的县区（图谱只记录了它属于"
                       f"{'、'.join(r['label'] for r in rows)}）", sparql)
    if family["id"] != "where":
        modifier = unknown_modifier(kb, kinds[-1], parsed)
        if modifier:
            return no_fact(f"“{modifier}{kinds[-1].text}”这一类机构（图谱只认识“{kinds[-1].text}”）", sparql)
        if not parsed.slots.get("level"):
            rows = of_the_prefixed_level(kb, kinds[-1], rows)
        network = [m.text for t in ("consortium", "unit") for m in parsed.slots.get(t, [])]
        # 梧州市人民医院 区域医疗中心 哪几个方面 / A和哪些医院一起…: a list asked with an institution named is
        # of the others — the institution itself is never the answer (it was the whole 区域医疗中心 list)
        # (在不在…名单里 asks whether it is one of them: kept)
        named_insts = {m.entries[0].iri for m in parsed.slots.get("institution", []) if len(m.entries) == 1}
        if not counting and is_yes_no(kb, parsed):
            named_insts = set()
        rows = [r for r in rows if r["item"] not in named_insts]
        if not rows:
            return no_fact(f"{place['place']}{kinds[-1].text}中除所问机构以外的机构", sparql)
        listed = drop_excepted(rows, parsed)
        rows = narrow_by_context(kb, listed, parsed)
        if network and len(rows) == len(listed):
            # 远程医疗中心哪几家医院建的: a network named asks for the institutions named in one clause with
            # it (the words did not narrow the kind); when none is, the kind's list is no answer
            rows = named_with(kb, listed, network)
            if not rows:
                return no_fact(f"{place['place']}{'、'.join(network)}与{kinds[-1].text}的关系", sparql)
    subject = named.entries[0].label if family["id"] == "where" and named is not None else ""
    kind = kinds[-1].text if kinds else ""
    level = parsed.slots["level"][0].text if parsed.slots.get("level") else ""
    if level and kind.startswith(level):
        level = ""  # 市级医院 names both
    if not rows:
        if counting:
            # none recorded is not "none exist": a count of 0 from absence is no answer
            return no_fact(f"{place['place']}{level}{kind}的数量", sparql)
        else:
            return no_fact(f"{place['place']}{level}{kind or subject}的相关信息", sparql)
    if family["id"] != "where" and not place["place"]:
        cities = sorted({kb.city_of(r["item"]) or "" for r in rows} - {""})
        if len(cities) > 1:
            # no place named and the institutions are of several cities' plans: which plan is meant?
            return {"status": "ambiguous", "answers": [], "sparql": sparql,
                    "message": f"{'、'.join(cities)}的规划都有{level}{kind}，请写明城市，例如："
                               f"{cities[0].removesuffix('市')}有哪些{level}{kind}？"}
    if family["id"] != "where" and not counting and is_yes_no(kb, parsed) and named is not None:
        # 灵山县红十字会医院在不在…县直综合医院名单里: yes when it is one of them
        if any(r["item"] == named.entries[0].iri for r in rows):
            return answered([{"text": "是", "value": None, "iri": named.entries[0].iri, "inferred": False,
                              "sources": kb.sources_of_item(named.entries[0].iri)}],
                            f"是。{place['place']}{level}{kind}：{'、'.join(r['label'] for r in rows)}。", sparql)
        return no_fact(f"{named.entries[0].label}是否属于{level}{kind}", sparql)
    # A place is cited by the sentences naming the institution in it.
    cited = bindings["s"] if family["id"] == "where" else None
    answers = [{"text": r["label"], "value": None, "iri": r["item"], "inferred": False,
                "sources": kb.sources_of_item(cited or r["item"])} for r in rows]
    items = [a["text"] for a in answers]
    message = jinja2.Template(family["answer"]).render(
        place=place["place"], level=level, kind=kind, subject=subject, n=len(items), items=items)
    if counting:
        answers.insert(0, {"text": f"{len(items)}家", "value": len(items), "iri": None, "inferred": False,
                           "sources": []})
    return answered(answers, message, sparql)


def county_city(kb: Knowledge, county: Mention) -> dict:
    """蒙山县属于哪个市: the city whose plan names the county as one of its own (hk:withinRegion)."""
    city = county.entries[0].city
    if not city:
        return no_fact(f"{county.entries[0].label}所属的市", "")
    iri = kb.city_iri(city)
    sources = kb.sources_of_item(county.entries[0].iri)  # the plan sentences naming the county
    return answered([{"text": city, "value": None, "iri": iri, "inferred": False, "sources": sources}],
                    f"{county.entries[0].label}属于{city}。", "")


def unknown_modifier(kb: Knowledge, kind: Mention, parsed: Parsed) -> str:
    """航天医院: two characters glued before a kind that no mention covers and that are no question
    or function word narrow it to a kind the graph does not know; answering 医院 would be a guess."""
    before = parsed.question[max(0, kind.start - 2):kind.start]
    if len(before) < 2 or not all(_CJK.match(ch) for ch in before):
        return ""
    if any(m.start < kind.start and m.end > kind.start - 2 for m in parsed.mentions if m is not kind):
        return ""
    allowed = kb.config.get("kind_preceders") or {}
    if before[-1] in allowed.get("chars", "") or any(before.endswith(w) for w in allowed.get("words", [])):
        return ""
    if any(before.endswith(w) for w in kb.config.get("context_stopwords") or [] if len(w) >= 2):
        return ""
    return before


def prefixed_levels(kb: Knowledge, kind: Mention) -> set[str]:
    """县区中医医院 / 县直综合医院: the levels a level word glued before the kind's name says (questions.yaml
    level_short_forms: 县区 is 县 and 区); none when the phrase is the kind's name alone."""
    entry = kind.entries[0]
    names = [n for n in kb.labels_of(entry.iri) + [entry.label] if n and kind.text.endswith(n)]
    if not names:
        return set()
    prefix = kind.text[:len(kind.text) - max(map(len, names))]
    if not prefix:
        return set()
    def level_iris(word: str) -> set[str]:
        return {e.iri for e in kb.lexicon.by_label.get(word, []) if e.type == "level"}
    if level_iris(prefix):
        return level_iris(prefix)
    forms: dict[str, list[str]] = kb.config.get("level_short_forms") or {}
    if not all(ch in forms for ch in prefix):
        return set()
    return {iri for ch in prefix for word in forms[ch] for iri in level_iris(word)}


def of_the_prefixed_level(kb: Knowledge, kind: Mention, rows: list[dict]) -> list[dict]:
    """钦州的县区中医医院: the city's 中医医院 recorded at another level (钦州市中医医院, 市级) are not
    县区中医医院; those whose level the plan does not record are kept."""
    levels = prefixed_levels(kb, kind)
    if not levels:
        return rows
    query = kb.env.get_template("institution_levels.rq.j2").render()
    kept = []
    for r in rows:
        recorded = {str(x["lv"]) for x in kb.select(query, {"s": r["item"]})}
        if not recorded or recorded & levels:
            kept.append(r)
    return kept


def drop_excepted(rows: list[dict], parsed: Parsed) -> list[dict]:
    """除A、B外（另外/其他…）: the institutions named in the exception are not in the answer."""
    m = re.search(r"除(?:了)?(.+?)(?:以外|之外|外)", parsed.question)
    if not m:
        return rows
    excepted = {e.iri for x in parsed.mentions if m.start(1) <= x.start < m.end(1) for e in x.entries}
    return [r for r in rows if r["item"] not in excepted]


def named_with(kb: Knowledge, rows: list[dict], names: list[str]) -> list[dict]:
    """The institutions a clause of their sentences names together with one of `names`
    (钦州市第一人民医院、灵山县人民医院、浦北县人民医院组建了市县两级3个远程医疗中心)."""
    def together(iri: str) -> bool:
        own = kb.labels_of(iri)
        for src in kb.evidence_of(iri):
            for clause in re.split(r"[，,；;。：:]", re.sub(r"\s+", "", src["quote"])):
                if any(names_in(n, clause) for n in own) and any(w in clause for w in names):
                    return True
        return False
    return [r for r in rows if together(r["item"])]


def narrow_by_context(kb: Knowledge, rows: list[dict], parsed: Parsed) -> list[dict]:
    """梧州规划新建几个区级疾控中心: the words left after the entities (新建) keep the institutions
    whose sentences say them, when only some do. Among institutions of one sentence, the clause
    naming each decides (…、钦州市妇幼保健院排名全区靠前，钦州市中医医院排名进入…)."""
    chunks = residual_words(parsed, kb.config.get("context_stopwords") or [])
    if not chunks or len(rows) < 2:
        return rows
    scored = [context_score(kb, r["item"], chunks) for r in rows]
    top = max(scored)
    if top[0] < 2 or all(v == top for v in scored):
        return rows
    if top[1] == 0 and 3 * top[0] < sum(map(len, chunks)):
        # 提供接续性服务的医疗机构，鼓励社会资本举办…: no clause naming an institution says the
        # question's words and its sentences share a scrap of them (服务, 发展): the restriction asked
        # is not in the graph — no institution is kept rather than a chance one
        return []
    # the best sentences; within them, clauses that carry at least half of the best clause's words
    return [r for r, v in zip(rows, scored, strict=True) if v[0] == top[0] and 2 * v[1] >= top[1]]


def context_score(kb: Knowledge, iri: str, chunks: list[str]) -> tuple[int, int]:
    """How much of the question's leftover words the sentences about `iri` share: in the clause
    that names it, and in the whole sentence (runs of 2+ characters, summed over the words)."""
    def overlap(text: str) -> int:
        return sum(run for c in chunks for run in [common_run(c, text)[0]] if run >= 2)
    names = kb.labels_of(iri)
    clause_best = sentence_best = 0
    for src in kb.evidence_of(iri):
        quote = re.sub(r"\s+", "", src["quote"])
        # the sentence's own (innermost) section title counts as part of it: "…这部分点名了哪些医院"
        heading = re.sub(r"\s+", "", src.get("section", "").split(" / ")[-1])
        sentence_best = max(sentence_best, overlap(heading + "。" + quote))
        clauses = re.split(r"[，,；;。：:]", quote)
        for k, clause in enumerate(clauses):
            if any(names_in(n, clause) for n in names):
                residue = clause
                for n in names:
                    residue = residue.replace(n, "")
                if len(residue) <= 4 and k + 1 < len(clauses):
                    clause += "，" + clauses[k + 1]  # "支持A，B、C新建项目": A's clause has no verb of its own
                clause_best = max(clause_best, overlap(clause))
    return sentence_best, clause_best


def run_exists(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    result = run_list(kb, family, parsed)
    kinds = parsed.slots.get("class") or parsed.slots.get("class_of_ref") or []
    if result["status"] != "answered" and kinds and unknown_modifier(kb, kinds[-1], parsed):
        return result  # 三甲医院 is no kind the graph knows: a plan's "no 传染病医院" says nothing of it
    if result["status"] != "answered":
        said = said_not(kb, parsed)
        return said or result
    names = [a["text"] for a in result["answers"]]
    verdict = {"text": "是", "value": len(names), "iri": None, "inferred": False,
               "sources": result["answers"][0]["sources"]}
    result["answers"] = [verdict] + result["answers"]
    result["message"] = f"是。{result['message']}"
    return result


def run_nature(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """约束性指标有哪些: the indicators of that nature (binding/expected/guiding) in the city's plan."""
    nature = parsed.slots["nature"][0]
    place = place_of(kb, parsed)
    bindings = {"nature": nature.entries[0].iri} | ({"city": place["city"]} if place["city"] else {})
    sparql = kb.render_sparql(family, city=bool(place["city"]))
    if has_slot(kb, "measure_only", parsed):
        return nature_of_measure(kb, family, parsed, place)
    rows = kb.select(sparql, bindings)
    if not rows:
        return no_fact(f"{place['place']}的{nature.text}指标", sparql)
    answers: dict[str, dict] = {}
    for r in rows:
        a = answers.setdefault(r["label"], {"text": r["label"], "value": None, "iri": r["m"], "inferred": False,
                                            "sources": []})
        if len(a["sources"]) < 1:
            a["sources"] += kb.sources_of_graph(r["g"])[:1]
    items = list(answers)
    message = jinja2.Template(family["answer"]).render(place=place["place"], nature=nature.entries[0].label,
                                                       items=items, n=len(items))
    found = list(answers.values())
    if has_slot(kb, "asks_how_many", parsed):  # 约束性指标有几个: the number first, then which they are
        found.insert(0, {"text": f"{len(items)}项", "value": len(items), "iri": None, "inferred": False,
                         "sources": [s for a in found for s in a["sources"]][:3]})
    return answered(found, message, sparql)


def said_not(kb: Knowledge, parsed: Parsed) -> dict | None:
    """钦州有没有传染病医院: none listed, but the plan may say so in the negative (全市范围内均未设置
    有专门的传染病防治医院): a sentence of the plan in scope with a negation word shortly before the
    kind (its modifier and head may have a few characters between them)."""
    kinds = parsed.slots.get("class") or parsed.slots.get("class_of_ref") or []
    if not kinds:
        return None
    phrase = kinds[-1].text
    city = scope_city(kb, parsed)
    neg = kb.config.get("negation_words") or "未设置|不设置"
    body = re.escape(phrase[:-2]) + ".{0,4}" + re.escape(phrase[-2:]) if len(phrase) > 3 else re.escape(phrase)
    pattern = re.compile(f"(?:{neg})[^，,。；;]{{0,12}}?{body}")
    for row in kb.passages(city):
        if city and row.get("city") != city:
            continue
        flat = re.sub(r"\s+", "", str(row["quote"]))
        if pattern.search(flat):
            answers = [{"text": "否", "value": None, "iri": None, "inferred": False,
                        "sources": [cite_passage(row)]}]
            return answered(answers, f"否。《{row.get('title') or row['doc']}》：{row['quote']}",
                                  kb.passages_sparql())
    return None


def nature_of_measure(kb: Knowledge, family: dict, parsed: Parsed, place: dict) -> dict:
    """每万人口全科医生数是约束性的还是预期性的: the nature(s) the plans give that indicator."""
    measure = max(parsed.slots["measure"], key=lambda m: len(m.text))
    wanted = {e.iri for e in measure.entries}
    sparql = kb.render_sparql(family, city=bool(place["city"]))
    natures = {e.iri: e.label for _, e in kb.lexicon.labelled("nature")}
    found: dict[str, dict] = {}
    for iri, label in natures.items():
        rows = kb.select(sparql, {"nature": iri} | ({"city": place["city"]} if place["city"] else {}))
        for r in rows:
            if r["m"] in wanted and label not in found:
                found[label] = {"text": label, "value": None, "iri": iri, "inferred": False,
                                "sources": kb.sources_of_graph(r["g"])[:1]}
    if not found:
        return no_fact(f"{measure.entries[0].label}的指标性质", sparql)
    return answered(list(found.values()), f"{measure.entries[0].label}是{'、'.join(found)}指标。", sparql)


def run_count(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    stock = counted_by_the_plan(kb, parsed) or set_per_unit(kb, parsed)
    if stock is not None:
        return stock
    return run_list(kb, family, parsed, counting=True)


def set_per_unit(kb: Knowledge, parsed: Parsed) -> dict | None:
    """梧州每个乡镇设几所乡镇卫生院: how many of a kind each unit gets is the plan's figure written with
    that unit (乡镇卫生院（每个乡镇）：1所), asked with 每/各 — not the institutions the graph names."""
    kinds = parsed.slots.get("class") or []
    if not kinds or not re.search(r"每|各", parsed.question) or not scope_city(kb, parsed):
        return None
    from kg.qa.run.figures import run_figure  # one operator answers for another only here
    kind = kinds[-1]
    names = {kind.text, kind.entries[0].label}
    # the indicator filed under the kind's own name, its unit in brackets (乡镇卫生院（每个乡镇）)
    filed = [e for n in names for e in kb.lexicon.by_label.get(n, [])] \
        + [e for _, es in kb.lexicon.buckets("measure") for e in es]
    entries = [e for e in filed if e.type == "measure"
               and any(re.match(re.escape(n) + r"[（(](每|各)", e.label) for n in names)]
    if not entries:
        return None
    figure = next(f for f in kb.families if f["kind"] == "figure")
    view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers,
                  {k: v for k, v in parsed.slots.items() if k != "class"}
                  | {"measure": [Mention(kind.text, kind.start, kind.end, list({e.iri: e for e in entries}.values()))]})
    result = run_figure(kb, figure, view)
    return result if result["status"] == "answered" else None


def counted_by_the_plan(kb: Knowledge, parsed: Parsed) -> dict | None:
    """梧州有多少家医院: the plan counts the kind itself (医院数 50, 2020) — the institutions it happens to
    name (21) are not how many there are. A count of a whole kind (no level, no plan phrase) that the
    plans count (an indicator named the kind + 数, questions.yaml kind_count_suffixes) is the figure
    of the place's plan, or no answer when that plan gives none; None for a kind no plan counts."""
    kinds = parsed.slots.get("class") or []
    if not kinds or parsed.slots.get("level") or not scope_city(kb, parsed):
        return None
    if any(e.label != kinds[-1].entries[0].label for m in parsed.slots.get("kindref", []) for e in m.entries):
        return None  # a plan's phrase (县直综合医院) is a part of the kind, not the kind counted
    from kg.qa.run.figures import run_figure  # one operator answers for another only here
    figure = next(f for f in kb.families if f["kind"] == "figure")
    for suffix in kb.config.get("kind_count_suffixes") or []:
        entries = [e for e in kb.lexicon.by_label.get(kinds[-1].entries[0].label + suffix, []) if e.type == "measure"]
        if not entries:
            continue
        kind = kinds[-1]
        view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers,
                      {k: v for k, v in parsed.slots.items() if k != "class"}
                      | {"measure": [Mention(kind.text, kind.start, kind.end, entries)]})
        result = run_figure(kb, figure, view)
        if result["status"] == "answered":
            return result
        # the plans count this kind as a whole, this place's plan does not: the few it names are not
        # how many there are
        place = place_of(kb, parsed)["place"]
        return no_fact(f"{place}{kind.text}的总数（规划统计{entries[0].label}，图谱中点名的几家不是总数）",
                       result.get("sparql") or "")
    return None

