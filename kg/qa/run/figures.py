"""Step 3 — run: Figures (indicator values): value, difference between years or subjects, comparison, threshold,
superlative; 目前/规划 roles and sibling indicators (规划编制床位 vs 目前编制床位)."""

from __future__ import annotations

import re

import jinja2

from kg.qa.knowledge import Knowledge
from kg.qa.linking import Entry, Mention
from kg.qa.parse import Parsed, figure_subjects, is_yes_no, place_of, subject_view, years_of
from kg.qa.render import answered, figure_answer, no_fact


def figure_rows(kb: Knowledge, family: dict, parsed: Parsed, subject: Mention | None = None,
                own_city: bool = True) -> tuple[list[dict], str]:
    # The longest indicator named (实际开放床位 rather than a column called 医院); each measure it
    # may stand for (with and without qualifiers) is asked.
    measure = max(parsed.slots["measure"], key=lambda m: len(m.text))
    bindings: dict = {}
    place = place_of(kb, parsed)
    if subject is None:
        for t in ("institution", "county", "region"):
            if parsed.slots.get(t):
                subject = parsed.slots[t][0]
                break
    shape = {"subject": subject is not None, "city": bool(place["city"])}
    if subject is not None:
        bindings["subj"] = subject.entries[0].iri
    if place["city"]:
        bindings["city"] = place["city"]
    sparql = kb.render_sparql(family, **shape)
    rows = [r for e in measure.entries for r in kb.select(sparql, bindings | {"m": e.iri})]
    if subject is None and own_city:
        # Without a named subject the figure is about the city asked (or each plan's own city),
        # not its counties, districts or the province quoted for comparison.
        own = [r for r in rows if r.get("subject") and r.get("subject") == (place["city"] or r.get("doccity"))]
        # a city named whose plans state no figure of its own: a county's figure (a county's report added
        # under the city) is not the city's — the scope is not crossed
        others = place["city"] and rows and all(_is_place(kb, r.get("subject")) for r in rows)
        rows = own or ([] if others else rows)
    return rows, sparql


def _is_place(kb: Knowledge, iri: object) -> bool:
    """The subject of a figure is a county or district (not an institution of the city)."""
    return bool(iri) and any(e.iri == iri and e.type in ("county", "region")
                             for label in kb.labels_of(str(iri)) for e in kb.lexicon.by_label.get(label, []))


def pick_role(kb: Knowledge, rows: list[dict], parsed: Parsed) -> list[dict]:
    """Prefer the value role named in the question (目标/实际开放…), longest cue first."""
    cues = sorted(((w, role) for role, words in (kb.config.get("value_roles") or {}).items() for w in words),
                  key=lambda x: -len(x[0]))
    for word, role in cues:
        if word.isdigit() and len(set(parsed.years)) >= 2:
            continue  # 2020年和2025年分别是多少: a year named among others picks no role
        if word in parsed.question:
            chosen = [r for r in rows if str(r.get("role") or "").endswith("/" + role)]
            if chosen:
                return chosen
    return rows


def run_figure(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    subjects = figure_subjects(kb, parsed)
    if len(subjects) >= 2:
        # 梧州和钦州……分别是多少: the figure of each place or institution named
        results = [run_figure(kb, family, subject_view(kb, parsed, m)) for m in subjects]
        missing = [m.entries[0].label for m, r in zip(subjects, results, strict=True) if r["status"] != "answered"]
        if missing:
            return no_fact(f"{'、'.join(missing)}的这项数值", results[0]["sparql"] or "")
        answers = [a for r in results for a in r["answers"]]
        if any(w in parsed.question for w in (kb.config.get("descriptors") or {}).get("sum_words", [])):
            return sum_of(subjects, results)
        return answered(answers, "；".join(a["text"] for a in answers) + "。", results[0]["sparql"])
    measures = named_measures(parsed)
    if len(measures) >= 2 and re.search(kb.config.get("each_words") or "$^", parsed.question):
        # 托位数和普惠托位数分别是多少: the figure of each indicator named
        views = [Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers,
                        dict(parsed.slots) | {"measure": [m]}) for m in measures]
        results = [run_figure(kb, family, v) for v in views]
        missing = [m.entries[0].label for m, r in zip(measures, results, strict=True) if r["status"] != "answered"]
        if missing:
            return no_fact(f"{'、'.join(missing)}的数值", results[0]["sparql"] or "")
        answers = [a for r in results for a in r["answers"]]
        return answered(answers, "；".join(a["text"] for a in answers) + "。", results[0]["sparql"])
    rows, sparql = figure_rows(kb, family, parsed)
    measure = max(parsed.slots["measure"], key=lambda m: len(m.text)).entries[0].label
    if parsed.years:
        rows = [r for r in rows if r.get("year") in parsed.years]
        if not rows:
            rows = of_the_year_in_a_sibling(kb, family, parsed)
    elif re.search(kb.config.get("now_words") or "$^", parsed.question):
        # 现在有多少床位: the figures of the base year, not the plan's targets
        first = min((r["year"] for r in rows if r.get("year")), default=None)
        rows = [r for r in rows if r.get("year") == first]
    elif re.search(kb.config.get("target_words") or "$^", parsed.question):
        rows = target_rows(kb, rows)
    rows = pick_role(kb, rows, parsed)
    if not rows:
        return no_fact(f"{''.join(str(y) + '年' for y in parsed.years)}{measure}的数值", sparql)
    scoped = [r for r in rows if _PER_UNIT.search(str(r.get("mlabel") or measure))]
    if scoped and len(scoped) == len(rows) and not re.search(r"每|各|单个|一个", parsed.question):
        # 乡镇卫生院（每个乡镇）：1所 is what each township has, not how many there are (梧州乡镇卫生院有多少)
        return no_fact(f"{measure}的总数（规划只写了{_PER_UNIT.search(str(rows[0].get('mlabel') or measure)).group(1)}"
                       f"的数量）", sparql)
    if len({r.get("subject") for r in rows}) > 1 \
            and any(w in parsed.question for w in (kb.config.get("descriptors") or {}).get("sum_words", [])):
        # 梧州市办医院规划编制床位合计多少: the plan states each institution's figure, not their total;
        # the list is not the sum asked, and which rows a reader would add is not said
        return no_fact(f"{measure}的合计（规划只列出各家的数值）", sparql)
    answers = one_answer_per_value(kb, rows, measure)
    return answered(answers, "；".join(a["text"] for a in answers) + "。", sparql)


_PER_UNIT = re.compile(r"[（(]((?:每|各)[^（）()]*(?:[（(][^）)]*[）)])?[^（）()]*)[）)]")


def worded(text: str) -> int:
    """How much a figure's wording says beyond its digits (≤, 左右, 以上, the unit)."""
    return sum(not (c.isdigit() or c == ".") for c in text.rsplit("：", 1)[-1])


def one_answer_per_value(kb: Knowledge, rows: list[dict], measure: str) -> list[dict]:
    """A value the plan states twice (the indicator table's 7.68 and the text's 7.68张左右) is one answer
    citing both: the same subject, year, indicator and number. Its wording is the fuller one (≤5‰ over
    5.0‰: the comparator is part of what the plan says)."""
    answers: dict[tuple, dict] = {}
    for r in rows:
        a = figure_answer(kb, r, measure)
        number = r.get("value") if isinstance(r.get("value"), int | float) else None
        key = (r.get("slabel"), r.get("year"), r.get("mlabel") or measure, number)
        same = next((b for b in answers.values() if b["text"] == a["text"]), None) or answers.get(key)
        if same is None or number is None and same["text"] != a["text"]:
            answers[key if number is not None else (a["text"],)] = a
            continue
        # the fuller wording; between equally full ones (3人 / 3名) one rule, not the engine's row order
        if (worded(a["text"]), same["text"]) > (worded(same["text"]), a["text"]):
            same["text"] = a["text"]
        kept = same["sources"]
        kept += [s for s in a["sources"] if s not in kept][:max(0, 3 - len(kept))]
    return list(answers.values())


def target_rows(kb: Knowledge, rows: list[dict]) -> list[dict]:
    """要控制在多少 (no year named): the figures the plan gives as targets; without a stated role, those
    of the latest year when it gives several. A figure stated as the present (基期/现状) is no target:
    梧州 gives 孕产妇死亡率 for 2020 only."""
    def role(r: dict) -> str:
        return str(r.get("role") or "").rsplit("/", 1)[-1]
    roles = kb.config.get("figure_roles") or {}
    targets = [r for r in rows if role(r) in (roles.get("target") or [])]
    if targets:
        return targets
    unstated = [r for r in rows if role(r) not in (roles.get("present") or [])]
    years = {r["year"] for r in unstated if r.get("year")}
    if len(years) < 2:
        return unstated
    return [r for r in unstated if r.get("year") == max(years)]


def sum_of(subjects: list[Mention], results: list[dict]) -> dict:
    """A和B的规划编制床位加起来是多少: the sum of one figure of each subject named; a subject with
    several figures (years, roles) leaves which to add unsaid."""
    values = []
    for subj, r in zip(subjects, results, strict=True):
        numbers = {a["value"] for a in r["answers"] if isinstance(a.get("value"), int | float)}
        if len(numbers) != 1:
            return no_fact(f"{subj.entries[0].label}的哪一个数值相加（请写明年份或指标）", r["sparql"] or "")
        values.append(numbers.pop())
    total = round(sum(values), 6)
    detail = "，".join(a["text"] for r in results for a in r["answers"][:1])
    sources = [s for r in results for a in r["answers"][:1] for s in a["sources"][:1]]
    text = f"合计{total:g}（{detail}）"
    return answered([{"text": text, "value": total, "iri": None, "inferred": False, "sources": sources}],
                    text + "。", results[0]["sparql"])


def of_the_year_in_a_sibling(kb: Knowledge, family: dict, parsed: Parsed) -> list[dict]:
    """梧州市中医医院2025年编制床位: the table gives 编制床位 for now and 规划编制床位 for 2025 — the same
    quantity at the year asked is the sibling indicator's figure of that year (none when no sibling
    has one)."""
    asked = max(parsed.slots["measure"], key=lambda m: len(m.text))
    siblings = sibling_measures(kb, asked)
    if not siblings:
        return []
    view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers,
                  dict(parsed.slots) | {"measure": [Mention(asked.text, asked.start, asked.end, siblings)]})
    rows, _ = figure_rows(kb, family, view)
    return [r for r in rows if r.get("year") in parsed.years]


def sibling_measures(kb: Knowledge, mention: Mention) -> list[Entry]:
    """Indicators that are the same quantity at another time: their labels differ only by a
    word of time or role (规划编制床位 / 目前编制床位 / 编制床位)."""
    words = sorted({w for ws in (kb.config.get("value_roles") or {}).values() for w in ws
                    if not w.isdigit()} | {"现有", "现状", "规划"}, key=len, reverse=True)

    def core(label: str) -> str:
        for w in words:
            if label.startswith(w) and len(label) - len(w) >= 2:
                return label[len(w):]
        return label
    own = {e.iri for e in mention.entries}
    want = {core(e.label) for e in mention.entries}
    return [e for _, e in kb.lexicon.labelled("measure")
            if e.type == "measure" and e.iri not in own and core(e.label) in want
            and e.label == kb.lexicon.names.get(e.iri, e.label)]


def run_diff_subjects(kb: Knowledge, family: dict, parsed: Parsed, subjects: list[Mention]) -> dict:
    """梧州比钦州高多少: the difference of one figure between two places or institutions."""
    found: list[tuple[Mention, dict]] = []
    sparql = measure = ""
    for subj in subjects[:2]:
        view = subject_view(kb, parsed, subj)
        rows, sparql, measure = numeric_rows(kb, family, view, subject=None if subj.type == "city" else subj)
        if not rows:
            return no_fact(f"{subj.entries[0].label}的{measure}", sparql)
        years = {r.get("year") for r in rows}
        if len(years) > 1:
            return no_fact(f"{subj.entries[0].label}的{measure}是哪一年的（请写明年份）", sparql)
        found.append((subj, rows[0]))
    (m1, a), (m2, b) = found
    diff = round(float(a["value"]) - float(b["value"]), 6)
    word = "高" if diff >= 0 else "低"
    text = (f"{m1.entries[0].label}{measure}比{m2.entries[0].label}{word}{abs(diff):g}"
            f"（{a['year']}年：{a.get('vt') or a['value']}，{b.get('vt') or b['value']}）")
    sources = kb.sources_of_graph(a["g"])[:1] + kb.sources_of_graph(b["g"])[:1]
    return answered([{"text": text, "value": abs(diff), "iri": None, "inferred": False,
                      "sources": sources, "sign": 1 if diff > 0 else -1 if diff < 0 else 0}], text + "。", sparql)


def named_measures(parsed: Parsed) -> list[Mention]:
    """The indicators named in the question, one mention each, in order (a kind that is also a table
    column, 医院, is not one)."""
    kinds = {(c.start, c.end) for c in parsed.slots.get("class", [])}
    named = [m for m in parsed.slots.get("measure", []) if (m.start, m.end) not in kinds]
    return list({m.entries[0].iri: m for m in sorted(named, key=lambda m: m.start)}.values())


def measure_values(kb: Knowledge, family: dict, parsed: Parsed, measures: list[Mention]
                   ) -> tuple[list[tuple[Mention, dict]], str, str | None]:
    """One figure per indicator (same place, year and role): ([(measure, row)], sparql, missing)."""
    found, sparql = [], ""
    for m in measures:
        view = Parsed(parsed.question, parsed.mentions, years_of(parsed, m, measures), parsed.numbers,
                      dict(parsed.slots) | {"measure": [m]})
        rows, sparql, _ = numeric_rows(kb, family, view)
        # one figure: one year and one subject (a table of hospitals is no figure of one place)
        if not rows or len({r.get("year") for r in rows}) > 1 or len({r.get("subject") for r in rows}) > 1:
            return found, sparql, m.entries[0].label
        found.append((m, rows[0]))
    return found, sparql, None


def run_diff_measures(kb: Knowledge, family: dict, parsed: Parsed, measures: list[Mention]) -> dict:
    """二级医院比三级医院多几家: the difference of two indicators of one place and year."""
    found, sparql, missing = measure_values(kb, family, parsed, measures[:2])
    if missing:
        return no_fact(f"{missing}的数值（一个年份）", sparql)
    (m1, a), (m2, b) = found
    diff = round(float(a["value"]) - float(b["value"]), 6)
    when = (f"{a['year']}年：{a.get('vt') or a['value']}，{b.get('vt') or b['value']}" if a["year"] == b["year"] else
            f"{a['year']}年{a.get('vt') or a['value']}，{b['year']}年{b.get('vt') or b['value']}")
    text = f"{m1.entries[0].label}比{m2.entries[0].label}{'多' if diff >= 0 else '少'}{abs(diff):g}（{when}）"
    sources = kb.sources_of_graph(a["g"])[:1] + kb.sources_of_graph(b["g"])[:1]
    return answered([{"text": text, "value": abs(diff), "iri": None, "inferred": False, "sources": sources,
                      "sign": 1 if diff > 0 else -1 if diff < 0 else 0}],
                    text + "。", sparql)


def run_diff(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    result = _run_diff(kb, family, parsed)
    if result["status"] != "answered" or not is_yes_no(kb, parsed) \
            or re.search(kb.config.get("ratio_words") or "$^", parsed.question):
        return result
    # A比B多吗 / 2025年比2020年高吗: asked yes/no, the verdict of the difference's sign
    signs = {a.get("sign") for a in result["answers"]}
    if len(signs) != 1 or None in signs:
        return no_fact("这个比较的结论（几个对象的结果不同）", result["sparql"])
    sign = signs.pop()
    fewer = bool(re.search(kb.config.get("fewer_words") or "$^", parsed.question)) \
        or bool(re.search(r"比[^，,？?]{1,16}?(?<!多)(少|低|小|减少|下降)", parsed.question))
    verdict = "否" if sign == 0 else "是" if (sign < 0) == fewer else "否"
    detail = "；".join(a["text"] for a in result["answers"])
    answers = [{"text": verdict, "value": None, "iri": None, "inferred": False,
                "sources": [x for a in result["answers"] for x in a["sources"]][:3]}]
    return answered(answers, f"{verdict}。{detail}。", result["sparql"])


def _run_diff(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    subjects = figure_subjects(kb, parsed)
    if len(subjects) >= 2:
        return run_diff_subjects(kb, family, parsed, subjects)
    measures = named_measures(parsed)
    if len(measures) >= 2:
        return run_diff_measures(kb, family, parsed, measures)
    rows, sparql = figure_rows(kb, family, parsed)
    asked = max(parsed.slots["measure"], key=lambda m: len(m.text))
    measure = asked.entries[0].label
    rows = [r for r in rows if isinstance(r.get("value"), int | float)]
    if len(set(parsed.years)) == 1 and not re.search(kb.config.get("now_words") or "$^", parsed.question):
        # one year named and no "now" to compare it with (2020年…和广西比): not a difference of years
        return no_fact(f"{measure}的比较对象", sparql)
    if len({r.get("year") for r in rows}) < 2:
        # 规划编制床位比现在多多少: the same quantity now is another indicator (目前编制床位)
        siblings = {e.iri: e for e in sibling_measures(kb, asked)}
        if siblings:
            other = Mention(asked.text, asked.start, asked.end, list(siblings.values()))
            view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers,
                          dict(parsed.slots) | {"measure": [other]})
            rows += [r for r in figure_rows(kb, family, view)[0] if isinstance(r.get("value"), int | float)]
    answers = []
    # One difference per subject (a question without a city may be about several plans).
    for subj in dict.fromkeys(r.get("subject") for r in rows):
        mine = [r for r in rows if r.get("subject") == subj]
        # one year named (2025年…比现在): the other end is the figure of the other year
        years = sorted(set(parsed.years)) if len(set(parsed.years)) >= 2 else sorted({r["year"] for r in mine})
        by_year = {y: [r for r in mine if r["year"] == y] for y in years}
        if len(years) < 2 or not by_year.get(years[0]) or not by_year.get(years[-1]):
            continue
        a, b = by_year[years[0]][0], by_year[years[-1]][0]
        if re.search(kb.config.get("ratio_words") or "$^", parsed.question) and float(a["value"]):
            # 2025年目标是2020年的几倍: the ratio, not the difference
            ratio = round(float(b["value"]) / float(a["value"]), 4)
            text = (f"{a.get('slabel') or ''}{measure}{years[-1]}年是{years[0]}年的{ratio:g}倍"
                    f"（{years[0]}年{a.get('vt') or a['value']}，{years[-1]}年{b.get('vt') or b['value']}）")
            answers.append({"text": text, "value": ratio, "iri": None, "inferred": False,
                            "sources": (kb.sources_of_graph(b["g"]) + kb.sources_of_graph(a["g"]))[:3]})
            continue
        diff = round(float(b["value"]) - float(a["value"]), 6)
        who = a.get("slabel") or ""
        text = (f"{who}{measure}{years[-1]}年比{years[0]}年{'高' if diff >= 0 else '低'}{abs(diff):g}"
                f"（{years[0]}年{a.get('vt') or a['value']}，{years[-1]}年{b.get('vt') or b['value']}）")
        sources = kb.sources_of_graph(b["g"]) + kb.sources_of_graph(a["g"])
        # the sign read in the question's order (2020年比2025年高吗: the earlier year is the subject)
        first_earlier = bool(parsed.years) and parsed.years[0] == years[0]
        sign = (1 if diff > 0 else -1 if diff < 0 else 0) * (-1 if first_earlier else 1)
        answers.append({"text": text, "value": diff, "iri": None, "inferred": False, "sources": sources[:3],
                        "sign": sign})
    if not answers:
        return no_fact(f"{measure}在两个年份的数值", sparql)
    return answered(answers, "；".join(a["text"] for a in answers) + "。", sparql)


def run_compare_measures(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """X的A是否超过B: two measures of one subject."""
    measures = list({m.entries[0].iri: m for m in parsed.slots["measure"]}.values())[:2]
    values = []
    sparql = ""
    for m in measures:
        view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers,
                      dict(parsed.slots) | {"measure": [m]})
        rows, sparql = figure_rows(kb, family, view)
        if parsed.years:
            rows = [r for r in rows if r.get("year") in parsed.years]
        rows = [r for r in rows if isinstance(r.get("value"), int | float)]
        if not rows:
            return no_fact(f"{m.entries[0].label}的数值", sparql)
        values.append((m, rows[0]))
    (m1, r1), (m2, r2) = values
    below = re.search(kb.config.get("fewer_words") or "$^", parsed.question)
    yes = float(r1["value"]) < float(r2["value"]) if below else float(r1["value"]) > float(r2["value"])
    verdict = "是" if yes else "否"
    detail = f"{m1.entries[0].label} {r1['value']:g}，{m2.entries[0].label} {r2['value']:g}"
    sources = kb.sources_of_graph(r1["g"]) + kb.sources_of_graph(r2["g"])
    answers = [{"text": verdict, "value": None, "iri": None, "inferred": False, "sources": sources[:3]}]
    return answered(answers, jinja2.Template(family["answer"]).render(verdict=verdict, detail=detail), sparql)


def run_count_measures(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """实际开放床位多于目前编制床位的医院有几家: subjects whose first measure beats the second."""
    kinds = {(c.start, c.end) for c in parsed.slots.get("class", [])}
    named = [m for m in parsed.slots["measure"] if (m.start, m.end) not in kinds]  # not 医院 the column
    measures = list({m.entries[0].iri: m for m in sorted(named, key=lambda m: m.start)}.values())
    if len(measures) < 2:
        return no_fact("这两项指标", "")
    place = place_of(kb, parsed)
    sparql = kb.render_sparql(family, subject=False, city=bool(place["city"]))
    values: list[dict[str, dict]] = []
    for m in measures[:2]:
        by_subject: dict[str, dict] = {}
        for e in m.entries:
            binds = {"m": e.iri} | ({"city": place["city"]} if place["city"] else {})
            for r in kb.select(sparql, binds):
                if r.get("subject") and isinstance(r.get("value"), int | float) \
                        and (not parsed.years or r.get("year") in parsed.years):
                    by_subject.setdefault(r["subject"], r)
        values.append(by_subject)
    below = re.search(kb.config.get("fewer_words") or "$^", parsed.question)
    answers = []
    for subj, r1 in values[0].items():
        r2 = values[1].get(subj)
        if r2 is None or subj == r1.get("doccity"):
            continue
        a, b = float(r1["value"]), float(r2["value"])
        if (a < b) if below else (a > b):
            text = f"{r1.get('slabel') or subj}（{measures[0].entries[0].label} {a:g}，" \
                   f"{measures[1].entries[0].label} {b:g}）"
            answers.append({"text": text, "value": None, "iri": subj, "inferred": False,
                            "sources": kb.sources_of_graph(r1["g"])[:1]})
    if not any(values[1].get(s) for s in values[0]):
        return no_fact(f"同时有{measures[0].entries[0].label}和{measures[1].entries[0].label}的机构", sparql)
    answers.insert(0, {"text": f"{len(answers)}家", "value": len(answers), "iri": None, "inferred": False,
                       "sources": []})
    message = jinja2.Template(family["answer"]).render(
        n=len(answers) - 1, first=measures[0].entries[0].label, second=measures[1].entries[0].label,
        relation="少于" if below else "多于", items=[a["text"] for a in answers[1:]])
    return answered(answers, message, sparql)


def numeric_rows(kb: Knowledge, family: dict, parsed: Parsed, subject: Mention | None = None,
                 own_city: bool = True) -> tuple[list[dict], str, str]:
    """Figures of the question's measure with a number, narrowed to its years and value role."""
    rows, sparql = figure_rows(kb, family, parsed, subject=subject, own_city=own_city)
    measure = max(parsed.slots["measure"], key=lambda m: len(m.text)).entries[0].label
    if parsed.years:
        rows = [r for r in rows if r.get("year") in parsed.years]
    rows = [r for r in pick_role(kb, rows, parsed) if isinstance(r.get("value"), int | float)]
    return rows, sparql, measure


def run_threshold(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    rows, sparql, measure = numeric_rows(kb, family, parsed)
    if not rows:
        return no_fact(f"{measure}的数值", sparql)
    r, limit = rows[0], parsed.numbers[-1]
    below = re.search(r"低于|不足|少于", parsed.question)
    # 达到7张 / 不低于7张 is met by 7 itself; 超过7张 is not
    reach = re.search(kb.config.get("at_least_words") or "$^", parsed.question)
    value = float(r["value"])
    yes = value >= limit if reach else value < limit if below else value > limit
    verdict = "是" if yes else "否"
    fig = figure_answer(kb, r, measure)
    answers = [{"text": verdict, "value": r["value"], "iri": r.get("obs"), "inferred": False,
                "sources": fig["sources"]}]
    return answered(answers, f"{verdict}。{fig['text']}（比较值 {limit:g}）。", sparql)


def run_compare_two_measures(kb: Knowledge, family: dict, parsed: Parsed, measures: list[Mention]) -> dict:
    """A和B（两项指标）哪个更高: the two indicators of one place and year compared."""
    found, sparql, missing = measure_values(kb, family, parsed, measures[:2])
    if missing:
        return no_fact(f"{missing}的数值（一个年份）", sparql)
    fewer = bool(re.search(r"更少|更低|低|少", parsed.question))
    ordered = sorted(found, key=lambda x: float(x[1]["value"]), reverse=not fewer)
    detail = "，".join(f"{m.entries[0].label} {r.get('vt') or r['value']}" for m, r in found)
    sources = [s for _, r in found for s in kb.sources_of_graph(r["g"])[:1]]
    if float(found[0][1]["value"]) == float(found[1][1]["value"]):
        return answered([{"text": "相同", "value": None, "iri": None, "inferred": False, "sources": sources}],
                        f"相同（{detail}）。", sparql)
    winner, row = ordered[0]
    message = f"{winner.entries[0].label}更{'低' if fewer else '高'}（{detail}）。"
    return answered([{"text": winner.entries[0].label, "value": row["value"], "iri": None, "inferred": False,
                      "sources": sources}], message, sparql)


def run_compare_years(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """X的A，2020年和2025年哪个高: one figure of one subject in the years named, compared."""
    rows, sparql, measure = numeric_rows(kb, family, parsed)
    by_year: dict[int, dict] = {}
    for r in rows:
        by_year.setdefault(int(r["year"]), r)
    subjects = {r.get("subject") for r in rows}
    if len(subjects) > 1 or any(y not in by_year for y in set(parsed.years)):
        return no_fact(f"{measure}在这几个年份的数值（一个对象）", sparql)
    values = {y: float(by_year[y]["value"]) for y in sorted(set(parsed.years))}
    detail = "，".join(f"{y}年 {by_year[y].get('vt') or by_year[y]['value']}" for y in values)
    sources = [s for y in values for s in kb.sources_of_graph(by_year[y]["g"])[:1]]
    if len(set(values.values())) == 1:
        return answered([{"text": "相同", "value": None, "iri": None, "inferred": False, "sources": sources}],
                        f"{measure}相同（{detail}）。", sparql)
    fewer = bool(re.search(r"更少|更低|少|低", parsed.question))
    year = (min if fewer else max)(values, key=lambda y: values[y])
    word = ("低" if fewer else "高") if re.search(r"高|低", parsed.question) else ("少" if fewer else "多")
    return answered([{"text": f"{year}年", "value": values[year], "iri": None, "inferred": False,
                      "sources": sources}], f"{year}年的{measure}更{word}（{detail}）。", sparql)


def run_compare(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    measures = named_measures(parsed)
    if len(figure_subjects(kb, parsed)) < 2 and len(measures) < 2 and len(set(parsed.years)) >= 2:
        return run_compare_years(kb, family, parsed)
    if len(figure_subjects(kb, parsed)) < 2 and len(measures) >= 2:
        return run_compare_two_measures(kb, family, parsed, measures)
    found: list[tuple[Mention, list[dict]]] = []
    sparql = measure = ""
    if len(figure_subjects(kb, parsed)) < 2:
        return no_fact("要比较的两个对象", "")  # one of them not recognised: no winner out of one
    for inst in figure_subjects(kb, parsed):
        view = subject_view(kb, parsed, inst)
        if inst.type == "city":
            rows, sparql, measure = numeric_rows(kb, family, view)
        else:
            rows, sparql, measure = numeric_rows(kb, family, view, subject=inst)
        if not rows:
            return no_fact(f"{inst.entries[0].label}的{measure}", sparql)
        found.append((inst, rows))
    fewer = bool(re.search(r"更少|更低|少|低", parsed.question))
    # no year named: figures of one year each, the same year for all (梧州和钦州每千人口床位数哪个高 is
    # 钦州 in 2020 and 梧州 in 2025: which year is meant is not said)
    common = sorted(set.intersection(*({r["year"] for r in rows} for _, rows in found)))
    if not common:
        return no_fact(f"同一年份的{measure}", sparql)
    by_year = {y: [next(r for r in rows if r["year"] == y) for _, rows in found] for y in common}
    winners = {y: (min if fewer else max)(range(len(found)), key=lambda i: float(rs[i]["value"]))
               for y, rs in by_year.items()}
    if len(set(winners.values())) > 1:
        said = "，".join(f"{y}年{found[i][0].entries[0].label}" for y, i in winners.items())
        return no_fact(f"问的是哪一年（{said}{'更低' if fewer else '更高'}，请写明年份）", sparql)
    year = common[-1]
    best = [(float(r["value"]), inst, r) for (inst, _), r in zip(found, by_year[year], strict=True)]
    if re.search(kb.config.get("same_words") or "$^", parsed.question):
        # 是不是一样 / 都是90%吗: yes when every figure is the same (and the number named)
        values = {v for v, _, _ in best} | set(parsed.numbers)
        verdict = "是" if len(values) == 1 else "否"
        detail = "，".join(f"{m.entries[0].label} {v:g}" for v, m, _ in best)
        sources = [s for _, _, r in best for s in kb.sources_of_graph(r["g"])[:1]]
        return answered([{"text": verdict, "value": None, "iri": None, "inferred": False,
                                "sources": sources}], f"{verdict}。{measure}：{detail}。", sparql)
    word = ("低" if fewer else "高") if re.search(r"高|低", parsed.question) else ("少" if fewer else "多")
    best.sort(key=lambda x: x[0], reverse=not fewer)
    value, winner, row = best[0]
    detail = "，".join(f"{m.entries[0].label} {v:g}" for v, m, _ in best)
    sources = [s for _, _, r in best for s in kb.sources_of_graph(r["g"])[:1]]
    if len(best) > 1 and best[1][0] == value:
        answers = [{"text": "相同", "value": value, "iri": None, "inferred": False, "sources": sources}]
        return answered(answers, f"{measure}相同（{detail}）。", sparql)
    answers = [{"text": winner.entries[0].label, "value": value, "iri": winner.entries[0].iri, "inferred": False,
                "sources": sources}]
    return answered(answers, f"{winner.entries[0].label}的{measure}更{word}（{detail}）。", sparql)


def asked_subject_type(kb: Knowledge, parsed: Parsed) -> str | None:
    """The ontology class a superlative ranks, by its question word (哪家医院 → HealthInstitution,
    哪个县 → County, 哪个市 → City; questions.yaml which_subject), or None when the question does not say."""
    for spec in (kb.config.get("which_subject") or {}).values():
        if re.search(spec["words"], parsed.question):
            return spec["class"]
    return None


def is_of_class(kb: Knowledge, iri: str | None, name: str) -> bool:
    """Whether a figure's subject is stated to be of the ontology class `name` (local name)."""
    if not iri:
        return False
    rows = kb.select(kb.env.get_template("types_of.rq.j2").render(), {"s": iri})
    return any(re.search(rf"[#/]{re.escape(name)}$", r["cls"]) for r in rows)


_CN_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def top_n(kb: Knowledge, parsed: Parsed) -> int:
    """最多的三家 / 哪两家…最多 / 排前两位: how many a superlative asks for (1 unless said)."""
    hit = re.search(kb.config.get("top_n") or "$^", parsed.question)
    if not hit:
        return 1
    n = hit.group("n")
    return int(n) if n.isdigit() else _CN_DIGITS.get(n, 1)


def _peers_view(kb: Knowledge, parsed: Parsed, subject: Mention) -> Parsed | None:
    """The question asked of the peers of its one named subject: the subject's slot left out, its
    city (the one named, else its own) in scope."""
    city = parsed.slots.get("city")
    if not city:
        label = subject.entries[0].city or kb.city_of(subject.entries[0].iri)
        entries = [e for e in kb.lexicon.by_label.get(label or "", []) if e.type == "city"]
        if not entries:
            return None
        city = [Mention(label, subject.start, subject.start, entries)]
    slots = {k: v for k, v in parsed.slots.items() if k not in ("institution", "county")} | {"city": city}
    return Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers, slots)


def run_superlative(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    if len(named_measures(parsed)) >= 2:
        # 三项指标里哪一项增加得最多: a superlative over indicators, not over places (not answered)
        return no_fact("几项指标之间的比较", "")
    subjects = figure_subjects(kb, parsed)
    if any(m.type == "region" for m in subjects):
        # 是不是广西最高: the province is where the ranking is asked, and its cities' figures are not known
        return no_fact("这个范围内各地的数值", "")
    named = [m for m in subjects if m.type in ("institution", "county")]
    asks_rank = re.search(kb.config.get("rank_words") or "$^", parsed.question)
    if len(named) == 1 and (asks_rank or is_yes_no(kb, parsed)):
        return run_rank(kb, family, parsed, named[0], bool(asks_rank))
    if len(subjects) >= 2:
        # 梧州、钦州、赣州三个市…谁最高: the places named are the ones ranked
        return run_compare(kb, family, parsed)
    if named:
        return no_fact("和它比较的对象", "")
    rows, sparql, measure = ranked_rows(kb, family, parsed, asked_subject_type(kb, parsed))
    if isinstance(rows, dict):
        return rows
    fewest = bool(re.search(kb.config.get("fewest_words") or "$^", parsed.question))
    rows.sort(key=lambda r: float(r["value"]), reverse=not fewest)
    n = top_n(kb, parsed)
    if n > 1 and len(rows) > n and rows[n]["value"] == rows[n - 1]["value"]:
        return no_fact(f"{measure}前{n}名（第{n}名与第{n + 1}名并列）", sparql)
    top = rows[:n] if n > 1 else [r for r in rows if r["value"] == rows[0]["value"]]
    answers = [figure_answer(kb, r, measure) | {"text": str(r.get("slabel") or r.get("subject"))} for r in top]
    best = "；".join(figure_answer(kb, r, measure)["text"] for r in top)
    return answered(answers, f"{measure}{'最少' if fewest else '最多'}：{best}。", sparql)


def ranked_rows(kb: Knowledge, family: dict, parsed: Parsed, asked: str | None) -> tuple:
    """The figures a superlative ranks: of the kind asked (or what the figures are about), one per
    subject, one year; else (a no-fact result, sparql, measure)."""
    # 梧州哪个县…最高 ranks the city's counties, not the city's own figure; the rows of the kind asked
    rows, sparql, measure = numeric_rows(kb, family, parsed, own_city=asked is None)
    if asked:
        rows = [r for r in rows if is_of_class(kb, r.get("subject"), asked)]
    if not rows:
        return no_fact(f"{measure}的数值", sparql), sparql, measure
    if len({r.get("year") for r in rows}) > 1:
        # figures of several years ranked together would compare one year's with another's
        return no_fact(f"{measure}是哪一年的（请写明年份）", sparql), sparql, measure
    # one row per subject (a figure the plan states in its table and again in its text is one)
    rows = list({r.get("subject"): r for r in reversed(rows)}.values())[::-1]
    if len(rows) < 2:
        return no_fact(f"可比较的{measure}（只有一个对象有数值）", sparql), sparql, measure
    return rows, sparql, measure


def run_rank(kb: Knowledge, family: dict, parsed: Parsed, subject: Mention, asks_rank: bool) -> dict:
    """X在梧州排第几 / X是不是梧州最多的: X's place among the figures of its peers (institutions or
    counties of its city, those of its own kind)."""
    view = _peers_view(kb, parsed, subject)
    if view is None:
        return no_fact(f"{subject.entries[0].label}所在城市的其他数值", "")
    cls = "County" if subject.type == "county" else "HealthInstitution"
    rows, sparql, measure = ranked_rows(kb, family, view, asked_subject_type(kb, parsed) or cls)
    if isinstance(rows, dict):
        return rows
    mine = [r for r in rows if r.get("subject") == subject.entries[0].iri]
    if not mine:
        return no_fact(f"{subject.entries[0].label}的{measure}", sparql)
    fewest = bool(re.search(kb.config.get("fewest_words") or "$^", parsed.question))
    value = float(mine[0]["value"])
    better = [r for r in rows if (float(r["value"]) < value if fewest else float(r["value"]) > value)]
    rank = len(better) + 1
    figure = mine[0].get("vt") or mine[0]["value"]
    shown = f"{subject.entries[0].label}的{measure}为{figure}，在{len(rows)}个中排第{rank}"
    sources = kb.sources_of_graph(mine[0]["g"])[:1] if mine[0].get("g") else []
    if asks_rank:
        return answered([{"text": f"第{rank}", "value": rank, "iri": None, "inferred": False, "sources": sources}],
                        shown + "。", sparql)
    verdict = "是" if rank == 1 else "否"
    return answered([{"text": verdict, "value": None, "iri": None, "inferred": False, "sources": sources}],
                    f"{verdict}。{shown}。", sparql)


def run_nature_value(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """唯一一项约束性指标的目标值是多少: an indicator named by its nature (约束性/预期性/指导性) in
    the plan of the city asked is that indicator when the plan has exactly one of that nature; its
    figure is then asked as if it were named. Several of that nature: which one is not said."""
    nature = parsed.slots["nature"][0]
    kind = nature.text.removesuffix("指标")
    place = place_of(kb, parsed)
    if not place["city"]:
        return no_fact(f"哪个城市规划的{kind}指标", "")
    sparql = kb.render_sparql(family, city=True)
    rows = kb.select(sparql, {"nature": nature.entries[0].iri, "city": place["city"]})
    measures = {r["m"]: r["label"] for r in rows}
    if len(measures) != 1:
        return no_fact(f"{place['place']}规划中唯一的{kind}指标（共{len(measures)}项）", sparql)
    (iri, label), = measures.items()
    entries = [e for e in kb.lexicon.by_label.get(label, []) if e.type == "measure" and e.iri == iri]
    mention = Mention(label, nature.start, nature.end, entries or [Entry(iri, label, "measure")])
    view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers,
                  dict(parsed.slots) | {"measure": [mention]})
    figure = next(f for f in kb.families if f["kind"] == "figure")
    result = run_figure(kb, figure, view)
    if result["status"] == "answered":
        # the indicator as its table gives it: the same measure stated in prose is another figure
        tabled = {r["obs"] for r in rows if r.get("obs")}
        answers = [a for a in result["answers"] if a.get("iri") in tabled]
        if answers and len(answers) < len(result["answers"]):
            result["answers"] = answers
            result["message"] = "；".join(a["text"] for a in answers) + "。"
        result["message"] = f"{place['place']}规划的{kind}指标只有一项：{label}。{result['message']}"
    return result


def run_count_threshold(kb: Knowledge, family: dict, parsed: Parsed) -> dict:
    """实际开放床位超过1000张的医院有几家: the subjects (institutions, counties) of the city in scope
    whose figure is beyond the number, one figure each (a subject with several years: the year named)."""
    rows, sparql, measure = numeric_rows(kb, family, parsed, own_city=False)
    asked = asked_subject_type(kb, parsed)
    # institutions or counties (or the kind asked), not the city, its province or its 城区/县域 aggregates
    rows = [r for r in rows if r.get("subject") and r.get("subject") != r.get("doccity")
            and any(is_of_class(kb, r["subject"], c) for c in ([asked] if asked else ["HealthInstitution", "County"]))]
    by_subject: dict[str, dict] = {}
    for r in rows:
        if r["subject"] in by_subject and by_subject[r["subject"]]["year"] != r["year"]:
            return no_fact(f"{measure}是哪一年的（请写明年份）", sparql)
        by_subject.setdefault(r["subject"], r)
    if len(by_subject) < 2:
        return no_fact(f"各机构或县区的{measure}", sparql)
    limit = parsed.numbers[-1]
    below = re.search(r"少于|低于|不足|小于", parsed.question)
    reach = re.search(kb.config.get("at_least_words") or "$^", parsed.question)
    hits = [r for r in by_subject.values()
            if (float(r["value"]) >= limit if reach else float(r["value"]) < limit if below
                else float(r["value"]) > limit)]
    answers = [figure_answer(kb, r, measure) | {"text": f"{r.get('slabel') or r['subject']}"
                                                        f"（{r.get('vt') or r['value']}）",
                                                "iri": r["subject"]} for r in hits]
    unit = "个" if asked == "County" else "家"
    answers.insert(0, {"text": f"{len(hits)}{unit}", "value": len(hits), "iri": None, "inferred": False,
                       "sources": []})
    word = "低于" if below else "达到" if reach else "超过"
    message = jinja2.Template(family["answer"]).render(measure=measure, relation=word, limit=f"{limit:g}",
                                                       n=len(hits), unit=unit, items=[a["text"] for a in answers[1:]])
    return answered(answers, message, sparql)
