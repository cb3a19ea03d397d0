"""Figures written in running text → `Observation` records.

For each number kg/quantities.py finds in a sentence, this module reads what a careful reader would:

- the measure: the noun phrase before the number (全市医疗机构病床使用率为78.03% → 医疗机构病床使用率),
  or after a count (配备220张及以上传染病救治床位 → 传染病救治床位; 40个镇获得自治区卫生镇 → 自治区卫生镇),
  with lists paired item by item (床护比、床医比分别达到1:0.52和1:0.40) and a shared per-population
  prefix given to each item (每千人口床位数、执业（助理）医师数分别为… → 每千人口执业（助理）医师数);
- the subject: the plan's city, a county named at the start of the clause, or an institution that
  owns the count (钦州市人民医院编制床位1200张);
- the time: the year stated before the number (截至2020年底, 到2025年, 2018—2020年累计, “十三五”末),
  else the year of the section (a review of the past period: the base year; a plan: the target year);
- the role: target or current (from the words of the clause and the time), added (新增), planned.

What is left out, on purpose: changes (增长49.5%, 比2015年提高, 个百分点: a change is not a level),
standards for a class of places (每个乡镇设置1所, 按每万人口1.75名配备, 30万人口以下的县不低于20张),
figures of other places (全国, 全区平均), ranges (5—7个), a named institution counted once
(设置钦州市疾病预防控制中心1家), and numbers in names (P3, 120, 5G, 十四五).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.corpus import Sentence
from kg.observations import Subject, Value
from kg.pipeline.figure_config import load_config, longest_first, recognizer
from kg.quantities import COUNT_UNITS, Quantity, TimeRef, find_quantities, find_times

_CLAUSE_MARKS = "，；。：！？"  # normalised text writes them full-width (1:1.4 keeps its colon)
_LIST_MARKS = "、"
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Vocabulary:
    """The words of figures.yaml's `text` section, ready for matching."""

    subject_words: list[str]
    anaphora_words: list[str]
    founding_words: tuple[str, ...]
    lead_words: list[str]
    link_words: list[str]
    added_cues: list[str]
    planned_cues: list[str]
    status_verbs: list[str]
    change_of_kind_verbs: list[str]
    norm_openers: list[str]
    level_openers: list[str]
    norm_patterns: list[re.Pattern]
    sentence_norm_patterns: list[re.Pattern]
    foreign_subjects: list[str]
    owner_cues: list[str]
    heads: tuple[str, ...]
    not_measures: set[str]
    change_words: list[str]
    change_patterns: list[re.Pattern]
    count_units: set[str]
    unit_word_tails: dict[str, tuple[str, ...]]
    retrospective: list[str]
    ahead_sections: re.Pattern
    report_ahead: re.Pattern
    present_words: list[str]
    per_population: re.Pattern
    periods: dict[str, tuple[int, int]]
    institution_count_units: set[str]
    level_prefixes: list[str]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    cfg = load_config()
    t = cfg["text"]
    return Vocabulary(
        subject_words=longest_first(t["subject_words"]), lead_words=longest_first(t["lead_words"]),
        anaphora_words=longest_first(t["anaphora_words"]), founding_words=tuple(t["founding_words"]),
        link_words=longest_first(t["link_words"]), added_cues=longest_first(t["added_cues"]),
        planned_cues=longest_first(t["planned_cues"]),
        status_verbs=longest_first(t["status_verbs"]),
        change_of_kind_verbs=longest_first(t["change_of_kind_verbs"]), norm_openers=longest_first(t["norm_openers"]),
        level_openers=longest_first(t["level_openers"]),
        norm_patterns=[re.compile(p) for p in t["norm_patterns"]],
        sentence_norm_patterns=[re.compile(p) for p in t["sentence_norm_patterns"]],
        foreign_subjects=t["foreign_subjects"],
        owner_cues=longest_first(t["owner_cues"]), heads=tuple(longest_first(t["measure_heads"])),
        not_measures=set(t["not_measures"]), change_words=longest_first(t["change_words"]),
        change_patterns=[re.compile(p) for p in t["change_patterns"]], count_units=set(t["count_units"]) | COUNT_UNITS,
        unit_word_tails={u: tuple(ws) for u, ws in t["unit_word_tails"].items()},
        retrospective=t["retrospective_sections"], present_words=t["present_words"],
        ahead_sections=re.compile(t["ahead_sections"]), report_ahead=re.compile(cfg["report_ahead_words"]),
        per_population=re.compile(cfg["per_population"]),
        periods={k: tuple(v) for k, v in cfg["periods"].items()},
        institution_count_units=set(t["institution_count_units"]), level_prefixes=longest_first(t["level_prefixes"]))


# ---------------------------------------------------------------------------------------------
# Reading one piece of text


@dataclass
class Figure:
    """A number read with its measure, before a subject, year and role are settled."""

    quantity: Quantity
    measure: str
    start: int  # where the measure phrase starts (in the text)
    role_cue: str = ""  # added | planned | ""
    comparator: str | None = None
    condition: str | None = None  # for which places or levels it holds (每个乡镇, 市级)


def _strip_front(text: str, words: list[str]) -> tuple[str, int]:
    """Drop any of `words` from the front, repeatedly; returns the rest and how much was dropped."""
    dropped = 0
    changed = True
    while changed and text:
        changed = False
        for w in words:
            if text.startswith(w) and len(text) > len(w):
                text, dropped, changed = text[len(w):], dropped + len(w), True
                break
    return text, dropped


# a one-character link word that ends a word of the measure instead (签约, 所有, 作为, 附近)
_WORD_ENDINGS = {"约": "签预节制契公条", "有": "所拥具享占含持", "在": "所存现实", "近": "附最接", "为": "作成认称行",
                 "共": "公", "是": "或但于"}


def _strip_back(text: str, words: list[str]) -> tuple[str, str]:
    """Drop one link word from the end (达到, 为, 控制在 …); returns the rest and the word."""
    for w in words:
        if text.endswith(w) and len(text) > len(w):
            if len(w) == 1 and text[-2] in _WORD_ENDINGS.get(w, ""):
                continue
            return text[: -len(w)], w
    return text, ""


_TIME_FRONT = re.compile(r"^(?:截至|截止到|截止|到|至|于|在)?(?:(?:19|20)\d{2}年?[-—–－~～至到])?"
                         r"(?:19|20)\d{2}年(?:底|末|年底|年末)?"
                         r"|^“?十[一二三四五六]五”?(?:期末|末期|末|期间|时期|以来|初)?|^(?:目前|当前|现阶段|近年来)")


def clean_measure(phrase: str, voc: Vocabulary, city_names: tuple[str, ...]) -> tuple[str, str, int]:
    """The measure in the words before a number; returns (measure, role cue, chars dropped in front)."""
    dropped = 0
    role = ""
    text = phrase
    changed = True
    while changed:
        changed = False
        m = _TIME_FRONT.match(text)
        if m and m.end() < len(text):
            text, dropped, changed = text[m.end():], dropped + m.end(), True
        for words in (voc.subject_words, voc.anaphora_words, city_names, voc.lead_words):
            rest, n = _strip_front(text, list(words))
            if n:
                text, dropped, changed = rest, dropped + n, True
                if words is not voc.lead_words and text.startswith("有") and len(text) > 1:
                    text, dropped = text[1:], dropped + 1  # 全市有三级医院19所
        for cue in voc.planned_cues:
            if text.startswith(cue) and len(text) > len(cue):
                text, dropped, changed, role = text[len(cue):], dropped + len(cue), True, role or "planned"
                break
        if text.startswith("的"):
            text, dropped, changed = text[1:], dropped + 1, True
    for cue in voc.added_cues:
        if text.startswith(cue):
            role = "added"
            break
    for _ in range(3):  # 累计达, 平均为, 均达到: one link word or a few
        text, word = _strip_back(text, voc.link_words)
        if not word:
            break
    text = text.removesuffix("的")
    bound = re.search(r"不得(?:低于|少于|高于|超过)|不(?:低于|少于|高于|超过)", text)
    if bound and bound.start() >= 2:
        text = text[: bound.start()]  # 公共卫生人员占比不得低于专业技术人员数的25%: 公共卫生人员占比
    by = re.search(r"由(?:(?:19|20)\d{2}年的?)?[\d.]+[^\d]{0,3}$", text)
    if by:
        text = text[: by.start()]  # 卫生总费用由88.79万元增长至90.38万元: the measure is before 由
    population = voc.per_population.match(text)
    if population and text[population.end():].startswith(("拥有", "有")):
        # 每千名儿童拥有儿科医师 → 每千名儿童儿科医师
        have = 2 if text[population.end():].startswith("拥有") else 1
        text = text[: population.end()] + text[population.end() + have:]
    return text, role, dropped


# a service's telephone number naming it (120急救电话10秒内接听率, 12320热线): part of a name, no number of the measure
_SERVICE_NUMBER = re.compile(r"(?<!\d)(?:120|12320|12345|12356)(?=[\u4e00-\u9fff])")


def is_measure(text: str, voc: Vocabulary) -> bool:
    if not (2 <= len(text) <= 40) or text in voc.not_measures:
        return False
    if not _CJK.search(text) or text[0] in "（）、，和及与或等" or text.endswith(("等", "和", "及", "与", "或")):
        return False
    if sum(1 for ch in _SERVICE_NUMBER.sub("", text) if ch.isdigit()) > 3:
        return False
    core = re.sub(r"（[^（）]*）$", "", text)
    return core.endswith(voc.heads)


def _unit_is_word(text: str, q: Quantity, voc: Vocabulary) -> bool:
    """人口, 家庭, 名称: the unit is the first character of a word."""
    if not q.unit or q.end >= len(text):
        return False
    tails = voc.unit_word_tails.get(q.unit[-1], ())
    return text.startswith(tails, q.end - (len(q.text) - len(q.text.rstrip("及以上下左右内之")))) if tails else False


def _ends_clause(text: str, pos: int) -> bool:
    return pos >= len(text) or text[pos] in _CLAUSE_MARKS + _LIST_MARKS + "（()）和及与。" or text.startswith(
        ("的标准", "的目标", "的水平", "的比例"), pos)


def _is_change(text: str, clause_start: int, q: Quantity, link: str, voc: Vocabulary) -> bool:
    if q.unit in ("个百分点", "百分点", "倍"):
        return True
    before = text[clause_start:q.start]
    for w in voc.change_words:
        if before.endswith(w) or (link and link.endswith(w)):
            return True
    return any(p.search(before) for p in voc.change_patterns)


def read_figures(text: str, voc: Vocabulary, city_names: tuple[str, ...] = (), loose: bool = False) -> list[Figure]:
    """Every figure of one sentence (normalised text): number, unit and the measure it is of.

    `loose`: in a table cell about one institution's beds, a count's measure needs no measure noun
    (业务楼扩建达300张: 业务楼扩建)."""
    quantities: list[Quantity] = []
    highs: dict[Quantity, Quantity] = {}  # a range 5—7个: read as its low bound, the high bound follows
    for q in find_quantities(text):
        if _unit_is_word(text, q, voc):
            continue
        if q.value is None and q.low is not None and q.high is not None:
            low, high = replace(q, value=q.low, comparator="≥"), replace(q, value=q.high, comparator="≤")
            highs[low] = high
            q = low
        if q.value is not None:
            quantities.append(q)
    figures: list[Figure] = []
    clause_start = 0
    prev_end = 0
    by_clause: list[list[Quantity]] = []
    bounds: list[tuple[int, int]] = []
    pos = 0
    depth = 0
    for k, ch in enumerate(text):
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif ch in _CLAUSE_MARKS + "。" and not depth:
            bounds.append((pos, k))
            pos = k + 1
    if pos < len(text):
        bounds.append((pos, len(text)))  # the last clause, closed or not (a line cut inside brackets)
    for a, b in bounds:
        by_clause.append([q for q in quantities if a <= q.start and q.end <= b + 1])
    figures_out = figures
    levels: list[Figure] = []  # the levels read so far, for the changes that follow them
    last_list: list[Figure] = []
    part_of: Figure | None = None  # the figure a bare qualifier's part is of (医院9个（公立4个…）)
    parts: list[Figure] = []
    for (a, b), qs in zip(bounds, by_clause, strict=True):
        if not qs:
            continue
        clause_start = a
        listed = _list_figures(text, a, b, qs, voc, city_names, last_list, levels)
        if listed is not None:
            figures.extend(listed)
            if listed and listed[0].role_cue != "change":
                last_list = listed
                levels.extend(listed)
            continue
        prev_end = a
        last: Figure | None = None
        for q in qs:
            reached = _level_reached(text, prev_end, q, voc, city_names)
            if reached is not None:  # 由2015年的2.8万张增加到2020年的3.86万张: the level, and where it started
                figures.append(reached)
                levels.append(reached)
                start = _start_level(text, reached, voc)
                if start is not None:
                    figures.append(start)
                prev_end, last = q.end, reached
                continue
            counted = q.unit in voc.count_units and not _ends_clause(text, q.end)  # 增加2所三级医院: added
            before = text[a:q.start]
            if _GAP.search(before) and any(w in before for w in voc.foreign_subjects):
                prev_end = q.end  # 低于全省平均水平5个百分点: a gap to another place, no figure of this one
                continue
            if not counted and _is_change(text, clause_start, q, "", voc):
                fig = _change_figure(text, prev_end, q, voc, city_names, levels[-1] if levels else None)
                if fig is not None or _ends_clause(text, q.end):
                    prev_end = q.end
                if fig is not None:
                    figures.append(fig)
                continue
            fig = _named_share_of_last(text, prev_end, q, levels[-1] if levels else None, voc)
            if fig is None:
                fig = _share_in_whole(text, a, prev_end, q, voc, city_names)
            if fig is None:
                fig = _counted_that_did(text, prev_end, q, part_of, voc)
            if fig is None:
                fig = _single_figure(text, a, prev_end, q, voc, city_names, loose)
            if fig is None and levels:
                fig = _share_of_last(text, prev_end, q, levels[-1])
            part = fig is None
            if fig is None:
                fig = _qualified_part(text, prev_end, q, part_of, voc)
            if fig is not None or _ends_clause(text, q.end):
                prev_end = q.end  # a number inside a phrase (3岁以下婴幼儿) does not end a measure
            if fig is None:
                continue
            if last is not None and fig.start >= q.end and last.start >= last.quantity.end and not fig.role_cue \
                    and text[last.start + len(last.measure):q.start] in ("和", "及", "与", "、"):
                fig = replace(fig, role_cue=last.role_cue)  # 新建8个急救站和21个急救点: the verb counts both
            fig = _rate_of_kind(fig, part_of)
            fig = _inherit_population(fig, last, text, voc)
            # a rate after a part (其中女性1.5万人，每千常住人口3.1人) is of the whole
            fig = _rate_of_last(fig, part_of if levels and levels[-1] in parts else levels[-1] if levels else None, voc)
            figures.append(fig)
            if q in highs:  # the range's high bound: the same measure, at most
                figures.append(Figure(highs[q], fig.measure, fig.start, fig.role_cue, "≤"))
            levels.append(fig)
            if not part:
                part_of = fig
            else:
                parts.append(fig)
            last = fig
            start = _start_level(text, fig, voc)
            if start is not None:
                figures.append(start)
    opening = _LABEL.sub("", text)
    if any(opening.startswith(cue) for cue in voc.planned_cues):
        for fig in figures_out:  # 设置A1家，县区B4家: the sentence's verb governs its list
            fig.role_cue = fig.role_cue or "planned"
    return _breakdowns(figures_out, text)


_CHANGE_NAMES = [("增幅", "增幅"), ("降幅", "降幅"), ("增速", "增速"), ("年均增长", "年均增长"), ("增长", "增长"),
                 ("增加", "增加"), ("提高", "提高"), ("提升", "提高"), ("上升", "上升"), ("下降", "下降"),
                 ("降低", "降低"), ("减少", "减少"), ("扩大", "扩大"), ("缩小", "缩小")]
_COMPARED = re.compile(r"(?:比|较)(?:(?:19|20)\d{2}年(?:底|末)?|上年|基期|“?十[二三四]五”?末)|同比|分别|了|为|达到?|$")


_COMPARISON = re.compile(r"(?:比|较)(?:(?:19|20)\d{2}年(?:底|末)?|上年|基期|“?十[二三四]五”?(?:末|期末)?)|同比")


def change_wording(base: str, unit: str | None, word: str, compared: str = "",
                   change_unit: str | None = None) -> str:
    """The measure of a change: the level's measure (a count named as a count), what it is compared
    with, the change word, and 率 for a change in per cent (三级医院 + 增长 → 三级医院数增长; 卫生机构床位
    (万张) + 比2015年 + 增长 by 49.5% → 卫生机构床位数比2015年增长率)."""
    if (unit or "").lstrip("万亿") in COUNT_UNITS and not base.endswith(("数", "数量", "人次")) \
            and not base.startswith("每"):  # 每千人口卫生技术人员 is a rate, not a count
        base += "数"
    rate = "率" if change_unit == "%" and word in _RATE_CHANGES else ""
    return base + compared.replace("“", "").replace("”", "") + word + rate


_RATE_CHANGES = ("增长", "下降", "减少", "上升")


def comparison(text: str) -> str:
    """The base a change is measured from, as the clause words it (比2015年, 较“十二五”末, 同比)."""
    found = _COMPARISON.findall(text)
    return found[-1] if found else ""


def change_word(phrase: str) -> tuple[str, str] | None:
    """The change word ending a phrase (比2015年分别增长, 增幅为) and the phrase before it."""
    rest = phrase
    while True:
        m = re.search(r"(?:了|为|分别|达到?|同比|(?:比|较)(?:(?:19|20)\d{2}年(?:底|末)?|上年|基期))$", rest)
        if not m or m.start() == m.end():
            break
        rest = rest[: m.start()]
    for written, name in _CHANGE_NAMES:
        if rest.endswith(written):
            return rest[: -len(written)], name
    return None


def _change_figure(text: str, prev_end: int, q: Quantity, voc: Vocabulary, city_names: tuple[str, ...],
                   level: Figure | None) -> Figure | None:
    """A change (增长40%, 比2015年提高2.8张, 降幅12.1%): a figure of its own, never a level.

    Its measure is the one named before the change word, else the level read just before it in the
    sentence (全市三级医院7家，增长40% → 三级医院数增长)."""
    start = prev_end
    while start < q.start and text[start] in _LIST_MARKS + "和及与，；（）()":
        start += 1
    phrase = text[start:q.start]
    found = change_word(phrase)
    if found is None:
        if q.unit not in ("个百分点", "百分点"):
            return None
        base_phrase, word = phrase, "变化"
    else:
        base_phrase, word = found
    base_phrase = _COMPARED.sub("", base_phrase) if len(base_phrase) < 6 else base_phrase
    base, _, dropped = clean_measure(base_phrase, voc, city_names)
    base = re.sub(r"(?:比|较)(?:19|20)\d{2}年.*$", "", base)
    unit = q.unit
    if is_measure(base, voc):
        level_unit = unit
    elif level is not None:
        base, level_unit = level.measure, level.quantity.unit
    else:
        return None
    clause_start = max(text.rfind(m, 0, q.start) for m in _CLAUSE_MARKS + "。") + 1
    compared = comparison(text[clause_start:q.start])
    return Figure(q, change_wording(base, level_unit, word, compared, q.unit), start + dropped, "change",
                  q.comparator)


_REACHED = re.compile(r"(?:由|从)(?:(?:19|20)\d{2}年(?:底|末)?的?)?[\d.]+(?:/(?:10|1|十)?[万千])?[^\d，；。]{0,3}"
                      r"(?:增加|增长|提高|提升|上升|下降|降低|减少|扩大|缩小|缩短|压缩|降|升)(?:到|至)"
                      r"(?:(?:19|20)\d{2}年(?:底|末)?的?)?$")


def _level_reached(text: str, prev_end: int, q: Quantity, voc: Vocabulary,
                   city_names: tuple[str, ...]) -> Figure | None:
    """X由A增加到B, X从A提高到B (years may stand before each): B is the level X reached."""
    phrase = text[prev_end:q.start]
    m = _REACHED.search(phrase)
    if m is None or not _ends_clause(text, q.end):
        return None
    measure, role, dropped = clean_measure(phrase[:m.start()], voc, city_names)
    if not is_measure(measure, voc):
        return None
    return Figure(q, measure, prev_end + dropped, role, q.comparator)


def _start_level(text: str, fig: Figure, voc: Vocabulary) -> Figure | None:
    """由X增长至Y: the level the change started from (X), of the same measure."""
    m = re.search(r"(?:由|从)((?:19|20)\d{2}年的?)?$", text[: fig.quantity.start])
    if m:
        return None  # the figure itself is X; Y follows
    before = text[fig.start:fig.quantity.start]
    by = re.search(r"(?:由|从)(?:(?:19|20)\d{2}年(?:底|末)?的?)?", before)
    if not by:
        return None
    inner = [q for q in find_quantities(text[fig.start + by.end():fig.quantity.start]) if q.value is not None]
    if len(inner) != 1 or inner[0].unit != fig.quantity.unit:
        return None
    q = inner[0]
    offset = fig.start + by.end()
    shifted = Quantity(q.start + offset, q.end + offset, q.num_start + offset, q.num_end + offset, q.text, q.value,
                       q.unit, q.comparator)
    return Figure(shifted, fig.measure, fig.start, "start", q.comparator)


_ENTITY = re.compile(r"(?:机构|医院|卫生院|中心|站|所|室|诊所)")
_METRIC = ("率", "数", "人次", "比例", "比重", "日", "天", "费用", "床位", "收入", "支出")


def _breakdowns(figures: list[Figure], text: str) -> list[Figure]:
    """Items after 其中 break the figure before them down by kind of institution: each takes the
    parent's measure (总诊疗人次4469.11万，其中医院1544.64万 → 医院总诊疗人次; 病床使用率78.03%，其中医院为
    85.63% → 医院病床使用率)."""
    from kg.measures import unit_family

    out: list[Figure] = []
    parent: Figure | None = None
    tail = ""
    renamed: dict[str, str] = {}
    for fig in figures:
        breakdown = parent is not None and "其中" in text[parent.quantity.end:fig.start]
        if breakdown and tail and unit_family(fig.quantity.unit) == unit_family(parent.quantity.unit) \
                and _ENTITY.search(fig.measure[-3:]) and not fig.measure.endswith(_METRIC):
            renamed[fig.measure] = fig.measure + tail
            fig = Figure(fig.quantity, fig.measure + tail, fig.start, fig.role_cue, fig.comparator)
        elif breakdown and fig.measure.endswith("占比") and fig.measure[:-2] in renamed:
            fig = Figure(fig.quantity, renamed[fig.measure[:-2]] + "占比", fig.start, fig.role_cue, fig.comparator)
        elif not breakdown:
            parent = fig
            ends = [m.end() for m in _ENTITY.finditer(fig.measure)]
            tail = fig.measure[ends[-1]:] if ends else ""
            # a part is no total: 总诊疗人次 of all institutions, 诊疗人次 of the hospitals
            tail = tail.removeprefix("总") if tail.endswith(_METRIC) else ""
        out.append(fig)
    return out


_DID = re.compile(r"(?:达到|通过|获得|获评|被评为|建成|成为|具备|完成|实现|开展|纳入|创建)[^，。；：、]{2,24}")
_AMONG = re.compile(r"(?:(?P<kind>[\u4e00-\u9fff（）]{2,12}?)中|其中[：:]?)(?:仅|只|共|已)?有?$")


def _counted_that_did(text: str, prev_end: int, q: Quantity, whole: Figure | None, voc: Vocabulary) -> Figure | None:
    """县级医院中仅有3家达到三级医院服务能力; 16所乡镇卫生院…，其中5所达到推荐标准: a count among a kind of
    those that did something is a count of 达到推荐标准的乡镇卫生院 (the kind named before 中, else the
    kind of the count the 其中 breaks down), a present count, no standard."""
    if q.unit not in voc.institution_count_units:
        return None
    among = _AMONG.search(text[prev_end:q.start])
    did = _DID.match(text, q.end)
    if among is None or did is None:
        return None
    kind = among.group("kind")
    if kind:
        kind, _, _ = clean_measure(kind, voc, ())
    elif whole is not None and whole.quantity.unit in voc.institution_count_units:
        kind = whole.measure
    if not kind or not is_measure(kind, voc):
        return None
    return Figure(q, f"{did.group(0)}的{kind}", q.end, "", q.comparator)


_BARE_RATES = ("覆盖率", "达标率", "完成率", "使用率", "建成率", "配备率", "设置率", "达标比例")


def _rate_of_kind(fig: Figure, whole: Figure | None) -> Figure:
    """建成标准化村卫生室213个，覆盖率达100%: a bare rate right after a count is the rate of the kind
    counted (标准化村卫生室覆盖率)."""
    if fig.measure not in _BARE_RATES + _BARE_TOTALS or whole is None or whole.quantity.unit == "%" \
            or whole.role_cue == "change" or whole.measure.endswith(("率", "比例", "比重")):
        return fig
    if fig.measure in _BARE_TOTALS:
        # 新增医疗卫生机构床位8600张，总数达到3.3万张: the total of what was added
        kind, _ = _strip_front(whole.measure, _ADDED_WORDS)
        return replace(fig, measure=kind + fig.measure) if is_measure(kind, vocabulary()) else fig
    return replace(fig, measure=whole.measure + fig.measure)


_BARE_TOTALS = ("总数", "总量", "总规模")
_ADDED_WORDS = ["新增", "增加", "增设", "新建成", "新建", "累计"]


def _inherit_population(fig: Figure, last: Figure | None, text: str, voc: Vocabulary) -> Figure:
    """An item after a per-population measure shares its population (每千名儿童…医师0.87名、床位1.79张;
    每千常住人口…7.68张，其中公立医院4.99张)."""
    if last is None or voc.per_population.match(fig.measure):
        return fig
    prefix = voc.per_population.match(last.measure)
    if prefix is None or last.quantity.unit != fig.quantity.unit and not text[last.quantity.end:fig.start].startswith(
            ("、", "，其中")):
        return fig
    return Figure(fig.quantity, prefix.group(0) + fig.measure, fig.start, fig.role_cue, fig.comparator)


def _rate_of_last(fig: Figure, level: Figure | None, voc: Vocabulary) -> Figure:
    """执业（助理）医师2.1万人，每千常住人口3.12人: a per-population rate with no measure of its own is the
    rate of the count just read (每千常住人口执业（助理）医师数)."""
    m = voc.per_population.fullmatch(fig.measure)
    if m is None or level is None or voc.per_population.match(level.measure) or level.role_cue == "change":
        return fig
    count = level.measure if level.measure.endswith("数") else level.measure + "数"
    return replace(fig, measure=fig.measure + count)


def _inside_brackets(text: str, k: int) -> bool:
    depth = 0
    for ch in text[:k]:
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
    return depth > 0


def _single_figure(text: str, clause_start: int, prev_end: int, q: Quantity, voc: Vocabulary,
                   city_names: tuple[str, ...], loose: bool = False) -> Figure | None:
    start = prev_end
    while start < q.start and text[start] in _LIST_MARKS + "和及与，；（）()":
        start += 1
    phrase = text[start:q.start]
    unitless = q.unit is None
    if q.unit == "%" and text.startswith("的", q.end):
        # 100%的社区卫生服务中心和镇卫生院建成中医馆: the share of X that do Y
        return _share_figure(text, q, voc, _role_before(phrase, voc))
    if q.chinese and q.value == "1" and re.search(r"(?:是|为|系|作为|成为)$", text[:q.start]):
        return None  # X医院是一所三级甲等综合医院: what it is, no count
    if q.unit in voc.count_units and not _ends_clause(text, q.end):
        # a count before what it counts: 配备220张及以上传染病救治床位, 设置6家县直综合医院
        after = _noun_after(text, q.end, voc)
        if after is None:
            return None
        per = _PER_POPULATION_BEFORE.search(phrase)
        if per is not None and voc.per_population.match(per.group(1)):
            # 每3万人口配置1辆救护车: a rate per population of what is counted (每3万人口救护车)
            return Figure(q, per.group(1) + after, start + per.start(1), "", q.comparator)
        return Figure(q, after, q.end, _role_before(phrase, voc), q.comparator)
    if not _ends_clause(text, q.end):
        return None
    measure, role, dropped = clean_measure(phrase, voc, city_names)
    link = phrase[dropped + len(measure):]
    if unitless and not (measure.endswith(("比", "率", "指数", "系数", "比值", "比例")) and link):
        return None
    measure = _with_visits(measure, q.unit)
    if _GAP.search(measure) and any(w in measure for w in voc.foreign_subjects):
        return None  # 每千常住人口执业（助理）医师数低于全省平均水平0.4人: a gap to another place, no level
    if not is_measure(measure, voc) and not (loose and q.unit in voc.count_units and len(measure) >= 2
                                             and _CJK.fullmatch(measure[-1])):
        return None
    comparator = q.comparator or _comparator_of_link(phrase[dropped + len(measure):])
    return Figure(q, measure, start + dropped, role, comparator)


_GAP = re.compile(r"(?:低于|高于|超过|少于|多于|优于|落后于?|领先于?|差于)")
# a population right before the verb that sets a count (每3万人口配置1辆救护车, 每万人口拥有2名全科医生)
_PER_POPULATION_BEFORE = re.compile(r"(每[^，。；：、]{1,12}?)(?:平均)?(?:配置|配备|拥有|有|设置|建有)"
                                    r"(?:不少于|不低于|至少)?$")

_LINK_COMPARATORS = [  # longest first: 不高于 before 高于
    ("不得低于", "≥"), ("不得少于", "≥"), ("不得高于", "≤"), ("不得超过", "≤"), ("不低于", "≥"), ("不少于", "≥"),
    ("不高于", "≤"), ("不超过", "≤"), ("控制在", None), ("超过", ">"), ("突破", ">"), ("高于", ">"), ("低于", "<"),
]


def _share_of_last(text: str, prev_end: int, q: Quantity, level: Figure) -> Figure | None:
    """医院1544.64万人、占34.56%: a share right after a figure is that figure's share of the whole."""
    phrase = text[prev_end:q.start].strip("、，（(")
    if q.unit != "%" or phrase not in ("占", "占比", "占比为", "占比达", "占全市的", "占全市"):
        return None
    return Figure(q, level.measure + "占比", prev_end, "", q.comparator)


_NAMED_SHARE = re.compile(r"^[、，（(]*占(?P<base>[^，。；：\d]{2,24}?)的?(?:比例|比重)?(?:为|达到?)?$")


_PART_SHARE = re.compile(r"^(?P<part>[^，。；：\d]{2,24}?)(?:所)?占(?:比)?(?:为|达到?)?$")
_WHOLE_BEFORE = re.compile(r"(?:^|[，。；：])(?P<whole>[^，。；：\d]{2,24})中，$")


_SHARE_IN_WHOLE = re.compile(r"..中.{2,}的?占比$")


def _share_in_whole(text: str, clause_start: int, prev_end: int, q: Quantity, voc: Vocabulary,
                    city_names: tuple[str, ...]) -> Figure | None:
    """县域内住院患者中，医共体牵头医院收治的占81.5%: the share of a part in a whole the clause before names
    (A中，B占N%): measure A中B占比."""
    if q.unit != "%" or prev_end != clause_start:
        return None
    m = _PART_SHARE.match(text[clause_start:q.start])
    whole = _WHOLE_BEFORE.search(text[:clause_start])
    if m is None or whole is None:
        return None
    part, _ = _strip_front(m.group("part"), voc.lead_words + voc.subject_words)
    whole_words, _, _ = clean_measure(whole.group("whole"), voc, city_names)
    if not (is_measure(whole_words, voc) or whole_words.endswith(("患者", "病人", "人群"))) or len(part) < 2:
        return None
    return Figure(q, f"{whole_words}中{part}占比", clause_start, "", q.comparator)


def _named_share_of_last(text: str, prev_end: int, q: Quantity, level: Figure | None,
                         voc: Vocabulary) -> Figure | None:
    """中医类别执业（助理）医师168人，占全县执业（助理）医师总数的18.6%: a share of a named whole right after
    a figure is that figure's share of it (中医类别执业（助理）医师占执业（助理）医师总数的比例), not a measure
    of its own."""
    m = _NAMED_SHARE.match(text[prev_end:q.start])
    if q.unit != "%" or level is None or m is None or level.role_cue == "change":
        return None
    base, _ = _strip_front(m.group("base"), voc.subject_words)
    if base in ("比", "") or not is_measure(base, voc):
        return None
    return Figure(q, f"{level.measure}占{base}的比例", level.start, "", q.comparator)


def _qualified_part(text: str, prev_end: int, q: Quantity, parent: Figure | None, voc: Vocabulary) -> Figure | None:
    """医院9个（公立4个、民营5个）, 卫生技术人员2530人，其中女性1800人: a bare qualifier after a figure, in
    brackets or after 其中, counts a part of the figure's kind (公立医院, 女性卫生技术人员)."""
    from kg.measures import unit_family

    if parent is None or parent.role_cue == "change" or q.unit is None \
            or unit_family(q.unit) != unit_family(parent.quantity.unit):
        return None
    m = _QUALIFIER.fullmatch(text[prev_end:q.start])
    if m is None:
        return None
    if not (_inside_brackets(text, q.start) or _IN_BREAKDOWN.search(text[:q.start])):
        return None  # a list item outside a breakdown is a figure of its own
    qualifier = m.group("q")
    if is_measure(qualifier, voc) or qualifier in voc.not_measures or _CJK.search(qualifier) is None:
        return None
    return Figure(q, qualifier + parent.measure, prev_end + m.start("q"), "", q.comparator)


_QUALIFIER = re.compile(r"[（(、，]?(?:其中[：:]?)?(?P<q>[\u4e00-\u9fff]{1,4}?)(?:为|有)?")


def _share_figure(text: str, q: Quantity, voc: Vocabulary, role: str) -> Figure | None:
    """N%的X…Y → the measure "Y的X比例" (X the ones counted, Y what they do)."""
    end = q.end + 1
    while end < len(text) and text[end] not in _CLAUSE_MARKS + "。":
        end += 1
    phrase = text[q.end + 1:end]
    cut = next((m for m in _NOUN_ENDS.finditer(phrase) if m.start() >= 2), None)
    if cut is None:
        return None
    counted, doing = phrase[: cut.start()], phrase[cut.start():]
    doing = re.sub(r"^(?:均|都|能够|可以|已)+", "", doing)
    measure = f"{doing}的{counted}比例"
    if not (_CJK.search(counted) and 4 <= len(measure) <= 50) or any(ch.isdigit() for ch in counted):
        return None
    return Figure(q, measure, q.end + 1, role, q.comparator)


def _comparator_of_link(link: str) -> str | None:
    for word, comp in _LINK_COMPARATORS:
        if word in link:
            return comp
    return None


def _role_before(phrase: str, voc: Vocabulary) -> str:
    for cue in voc.added_cues:
        if cue in phrase[-6:]:
            return "added"
    for cue in voc.planned_cues:
        if phrase.endswith(cue) or cue in phrase[-6:]:
            return "planned"
    return ""


_NOUN_ENDS = re.compile(r"能够|可以|参与|参加|设置|设有|开展|提供|实现|完成|达到|纳入|建成|获得|覆盖|承担|负责"
                        r"|分别|全部|均|已|将|为|是"
                        r"|并|积极|以及|牵头|组建|建设|共建")


def _noun_after(text: str, pos: int, voc: Vocabulary) -> str | None:
    """What a count counts: the noun phrase after it, up to the clause's end (及以上 skipped)."""
    end = pos
    while end < len(text) and text[end] not in _CLAUSE_MARKS + "。（(":
        if text[end] in "和及与" and any(q.start == 0 and q.value is not None
                                         for q in find_quantities(text[end + 1:end + 12])):
            break  # 2个中医特色优势专科和1个县域中医药适宜技术推广中心: the next one is counted on its own
        if text[end] in _LIST_MARKS:
            nxt = end + 1
            while nxt < len(text) and text[nxt] not in _CLAUSE_MARKS + _LIST_MARKS + "。（(":
                nxt += 1
            if any(q.value is not None for q in find_quantities(text[end + 1:nxt])):
                break  # the next item is counted on its own (40个镇…、103个村…, 一个中心血库、一个固定采血点)
        end += 1
    phrase = text[pos:end]
    for verb in voc.status_verbs:
        at = phrase.find(verb)
        if at > 0:
            status = phrase[at + len(verb):].removesuffix("称号").removesuffix("荣誉称号")
            return status if is_measure(status, voc) or len(status) >= 3 and _CJK.search(status) else None
    for verb in voc.change_of_kind_verbs:
        # 5—7个乡镇卫生院升级为二级医院: what is counted is the ones changed, 升级为二级医院的乡镇卫生院
        at = phrase.find(verb)
        if at >= 2:
            target = phrase[at:]
            cut = next((m for m in _NOUN_ENDS.finditer(target) if m.start() > len(verb) + 1), None)
            target = target[: cut.start()] if cut else target
            noun = phrase[:at].removeprefix("的")
            return f"{target}的{noun}" if is_measure(noun, voc) and len(target) > len(verb) else None
    # the noun ends before a verb of the clause (参与了…, 设置有…)
    cut = next((m for m in _NOUN_ENDS.finditer(phrase) if m.start() >= 2), None)
    noun = phrase[: cut.start()] if cut else phrase
    noun = noun.removeprefix("的")
    if not is_measure(noun, voc) and "的" in phrase:
        # a verb inside a relative clause (1所具备设置儿童传染病独立病区的传染病医院, 1所标准化建设的乡镇
        # 卫生院): the noun is the clause and the head after its last 的
        at = phrase.rfind("的")
        head = phrase[at + 1:]
        end = next((m for m in _NOUN_ENDS.finditer(head) if m.start() >= 2), None)
        head = head[: end.start()] if end else head
        if is_measure(head, voc):
            noun = phrase[: at + 1] + head
    return noun if is_measure(noun, voc) and not any(ch.isdigit() for ch in noun) else None


def _list_figures(text: str, a: int, b: int, qs: list[Quantity], voc: Vocabulary,
                  city_names: tuple[str, ...], last_list: list[Figure] | None = None,
                  levels: list[Figure] | None = None) -> list[Figure] | None:
    """A list of measures and a list of values paired by 分别 (A、B和C分别为x、y和z); a list of changes
    (比2015年分别增长x、y和z) pairs with the list of levels before it."""
    clause = text[a:b]
    at = clause.find("分别")
    qs = [q for q in qs if q.start > a + at]  # numbers before 分别 are in the measures' names (5岁以下儿童)
    if at < 0 or not qs:
        return None
    if _is_change(text, a, qs[0], "", voc) or any(clause[at + 2:].startswith(w) for w in voc.change_words):
        found = change_word(text[a:qs[0].start])
        if last_list is None or len(last_list) != len(qs):
            # 床位5.4万张，卫生技术人员5.24万人，分别比2015年增长49.5%、50.72%: the levels just read
            last_list = (levels or [])[-len(qs):]
        if found is None or len(last_list) != len(qs):
            return []
        word, compared = found[1], comparison(text[a:qs[0].start])
        return [Figure(q, change_wording(level.measure, level.quantity.unit, word, compared, q.unit), level.start,
                       "change",
                       q.comparator) for level, q in zip(last_list, qs, strict=True)]
    head = clause[:at]
    head, dropped = _strip_times(head)
    head_clean, _, front = clean_measure(head, voc, city_names)
    levels_list = _LEVEL_LIST.match(head_clean)
    if levels_list and is_measure(head_clean[levels_list.end():], voc):
        # 市、县健康教育专业机构人员分别按照1人/100万人口、1人/10万人口…: one measure, a value per level
        places = [p for p in re.split(r"、|和|及|与", levels_list.group(0)) if p]
        if len(places) == len(qs):
            measure = head_clean[levels_list.end():]
            return [Figure(q, measure, a + front + levels_list.end(), "standard", q.comparator, place)
                    for place, q in zip(places, qs, strict=True)]
    items = [i for i in re.split(r"[、]|以及", head_clean) if i]
    if len(items) + 1 == len(qs) and items:
        last = re.split(r"和|及|与", items[-1], maxsplit=1)
        if len(last) == 2:
            items = items[:-1] + last
    if len(items) != len(qs):
        return None
    items = _places_before_measure(items, voc)
    prefix = voc.per_population.match(items[0])
    out = []
    for item, q in zip(items, qs, strict=True):
        if q.unit is None and q.value not in ("0",) and not item.endswith(("比", "率", "比例", "指数")):
            continue
        measure = item
        if prefix and not voc.per_population.match(item):
            measure = prefix.group(0) + item
        if is_measure(measure, voc):
            out.append(Figure(q, measure, a + front, "", q.comparator))
    return out


_PLACE = re.compile(r"^[\u4e00-\u9fff]{1,6}?(?:县|区|市|旗)")


def _places_before_measure(items: list[str], voc: Vocabulary) -> list[str]:
    """Places listed before one measure (石门县、桃源县每千常住人口床位数分别达到6.5张和6.8张): the
    measure goes with each place (石门县每千常住人口床位数, 桃源县每千常住人口床位数)."""
    if len(items) < 2 or not all(_PLACE.fullmatch(i) for i in items[:-1]):
        return items
    last = items[-1]
    for end in range(2, min(8, len(last) - 1)):
        place, measure = last[:end], last[end:]
        if _PLACE.fullmatch(place) and measure[0] not in "县区市旗" and is_measure(measure, voc) \
                and not _PLACE.match(measure):
            return [i + measure for i in items[:-1]] + [last]
    return items


_LEVEL = r"(?:省级|市级|县级|区级|乡镇级|乡级|镇级|村级|省|市|县|区)"
_LEVEL_LIST = re.compile(rf"{_LEVEL}(?:(?:、|和|及|与){_LEVEL})+")


def _strip_times(text: str) -> tuple[str, int]:
    m = re.search(r"(?:19|20)\d{2}年(?:底|末)?$", text)
    if m:
        return text[: m.start()], len(text) - m.start()
    return text, 0


# ---------------------------------------------------------------------------------------------
# Subjects, years and roles


def _section_year(sentence: Sentence, voc: Vocabulary, years: tuple[int | None, int | None]) -> int | None:
    base, target = years
    if any(w in s for s in sentence.section for w in voc.retrospective):
        return base
    return None


def section_time(section: tuple[str, ...], voc: Vocabulary, years: tuple[int | None, int | None]) -> TimeRef | None:
    """The time a section's heading gives the figures under it that name none of their own: 五、2024年工作打算,
    （三）2023年重点工作, 到2025年, “十四五”期间, 近期重点（2024—2025年): that year; in a report (no plan period)
    下一步工作安排 / 明年工作打算: the year after the one reported. The innermost heading naming one wins; a heading
    reviewing the past (工作成效, 回顾) leaves its figures to the report's year."""
    base, target = years
    for heading in reversed(section):
        if any(w in heading for w in voc.retrospective):
            return None
        times = [t for t in find_times(heading, voc.periods) if t.kind != "compare"
                 and not heading.startswith(("以来", "来"), t.end)]  # “十四五”以来: since, no time ahead
        if times:
            t = times[-1]
            rest = re.sub(r"^[”」』\s]*", "", heading[t.end:])
            if t.kind == "point" and voc.report_ahead.match(rest) and (base is None or t.year > base):
                return TimeRef(t.start, t.end, t.year, "target")  # 2024年工作打算: the year planned
            return t
        if target is None and base is not None and voc.ahead_sections.search(heading):
            return TimeRef(0, 0, base + 1, "target")
    return None


def _time_before(times: list[TimeRef], pos: int) -> TimeRef | None:
    before = [t for t in times if t.end <= pos and t.kind != "compare"]
    return before[-1] if before else None


def settle(fig: Figure, text: str, times: list[TimeRef], carried: TimeRef | None, retrospective: bool,
           voc: Vocabulary, years: tuple[int | None, int | None],
           heading: TimeRef | None = None) -> tuple[int | None, str]:
    """The year and role of a figure: the time its sentence (or paragraph) names before it, else its
    section heading's, else the report's year or the plan's target."""
    base, target = years
    clause_start = max(text.rfind(m, 0, fig.quantity.start) for m in "。；") + 1
    clause = text[clause_start:fig.quantity.end]
    time = _time_before(times, fig.quantity.start) or carried or heading
    if time is not None:
        year = time.year
        # a report (no plan period) speaks of a later year than the one it reports on as a target, and so
        # does a plan's heading (近期重点（2024—2025年）: the near term's targets, before the plan's end)
        ahead = base is not None and year > base and (target is None or time is heading)
        if time.kind == "target" or (target is not None and year >= target) or ahead:
            role = "target"
        else:
            role = "current"
    elif retrospective or any(w in clause for w in voc.present_words) or target is None:
        # a document with no plan period (a report) speaks of the year it reports on
        year, role = base, "current"
    else:
        # a plan speaks of its period: a figure with no time of its own is a target of the plan
        year, role = target, "target"
    if fig.role_cue in ("change", "standard"):
        role = fig.role_cue
    elif fig.role_cue == "start":
        own = _time_before(times, fig.quantity.start)
        if own is not None and re.fullmatch(r"的?", text[own.end:fig.quantity.start]):
            role = "baseline"  # 由2015年的2.8万张: the start's own year
        else:
            role, year = "baseline", _period_start(year, voc)
    elif fig.role_cue == "added":
        role = "added"
    elif fig.role_cue == "planned" and role == "target":
        role = "planned"
    return year, role


def _period_start(year: int | None, voc: Vocabulary) -> int | None:
    """The first year of the period that ends in `year` (十三五: 2015 for 2020)."""
    return next((start for start, end in voc.periods.values() if end == year), None)


def _subject_at(text: str, start: int, col, voc: Vocabulary, measure: str = "") -> Subject | None | bool:
    """A county of the plan's city named where the clause starts; False for another place (全国…)."""
    clause_start = start
    while clause_start > 0 and text[clause_start - 1] not in _CLAUSE_MARKS + "。":
        clause_start -= 1
    head = text[clause_start:start]
    opening = _TIME_FRONT.sub("", _LABEL.sub("", head + measure))
    titled = _ENTITY.search(measure[-3:]) or measure.endswith(("工作室", "专科", "学科", "基地"))
    if opening.startswith(tuple(voc.foreign_subjects)) and not titled:
        return False  # 全国人均预期寿命…; not a count of titled bodies (全国基层名老中医药专家传承工作室3个)
    city = col.ctx.city
    if city is None:
        return None
    gaz = col.ctx.gazetteer
    if head.startswith(city.name):
        return None  # 岳阳市第一人民医院…: the city's name, not its county 岳阳县 (short name 岳阳)
    for region in gaz.counties_of(city.code):
        for name in (region.name, *region.short_names):
            if len(name) >= 2 and head.startswith(name):
                return Subject("region", region.code)
    return None


_LABEL = re.compile(r"^[*#\s]*[\u4e00-\u9fff]{2,6}[：:][*\s]*")  # 机构设置：…


def _opens_norm(head: str, voc: Vocabulary, count: bool = True) -> bool:
    head = _LABEL.sub("", head).lstrip("*#")
    head = _TIME_FRONT.sub("", head)
    head, _ = _strip_front(head, voc.lead_words + voc.subject_words)
    return head.startswith(tuple(voc.norm_openers)) or (count and head.startswith(tuple(voc.level_openers)))


_VERB = r"(?:设置|设立|建设|建成|配备|举办|办好|培养|拥有|有|配置|布局|建立)"
# who a standard is for: each place or body of a kind, right before the verb that sets it
_CONDITION = re.compile(
    r"(每(?:个|所|家|一个?)?[^，。；：]{1,14}?|各[^，。；：]{1,10}?|[^，。；：]{0,12}?(?:市级|县级|镇级|乡级|村级|区级)(?:及以上)?"
    r"|[^，。；：]{2,30}?(?=均))"
    rf"(?=(?:政府|人民政府)?(?:原则上|要|应当|应|均|都|至少|分别|规划)*{_VERB})")
# the places of a level (市、县（市、区）), a few words before the verb (按照行政区划设置分别设立)
_LEVELS = re.compile(rf"((?:市、)?县（市、?区?）(?:两级)?各?|市、县区?(?:两级)?各?)(?=[^，。；：0-9]{{0,12}}?{_VERB})")


def _segments(text: str, pos: int) -> tuple[int, int]:
    """Where the clause and the list item holding `pos` start (marks inside brackets do not count)."""
    depth, clause, item = 0, 0, 0
    for k, ch in enumerate(text[:pos]):
        if ch in "（(":
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
        elif not depth and ch in _CLAUSE_MARKS + "。":
            clause = item = k + 1
        elif not depth and ch == "、":
            item = k + 1
    return clause, item


def standard(text: str, fig: Figure, voc: Vocabulary) -> Figure | None:
    """A standard for each place or institution of a kind (每个乡镇设置1所乡镇卫生院): a figure of its own
    (role standard) whose measure says for which (乡镇卫生院（每个乡镇）); None when the sentence
    does not say it in that shape (a conditional threshold, 30万人口以下的县不低于20张)."""
    q = fig.quantity
    clause, item = _segments(text, q.start)
    found: list[str] = []
    for seg in (clause, item):
        head = _LABEL.sub("", text[seg:q.start]).lstrip("*#")
        head = _TIME_FRONT.sub("", head)
        head, _ = _strip_front(head, voc.lead_words + voc.subject_words)
        # 在各县（市、区）设立一个中心血库; 县区人民政府在每个镇举办1家…: who sets it up is not for which
        head = re.sub(r"^[^，。；：]{0,6}?(?:人民)?政府(?=在)", "", head).removeprefix("在")
        m = _CONDITION.match(head) or _LEVELS.match(head)
        # a clause's condition holds for an item after 、 only when it spans into that item (A、B均配备)
        spans = len(text[seg:q.start]) - len(head) + m.end() >= item - seg if m is not None else False
        if m is not None and (seg == item or spans or q.start == item):  # 举办1家A、1家B: the list shares it
            found.append(m.group(1))
    if not found or not fig.measure or found[0] in fig.measure:
        return None
    condition = found[0].removesuffix("政府").removesuffix("人民")
    return Figure(q, fig.measure, fig.start, "standard", fig.comparator or q.comparator, condition)


def _county_in_measure(fig: Figure, col) -> tuple[list[Subject] | None, Figure]:
    """瑞昌市每千常住人口床位数达到6.8张: a county of the city opens the measure; it is the subject. Counties
    listed there (赤水市、仁怀市每千常住人口床位数均达到7.0张) are each a subject of the figure."""
    city = col.ctx.city
    if city is None:
        return None, fig
    names = sorted(((name, region) for region in col.ctx.gazetteer.counties_of(city.code)
                    for name in {region.name, *region.short_names} if len(name) >= 2),
                   key=lambda nr: len(nr[0]), reverse=True)
    subjects: list[Subject] = []
    measure = fig.measure
    if measure.startswith(city.name):
        return None, fig  # the city's name, not a county sharing its core (岳阳市 / 岳阳县)
    while True:
        hit = next(((n, r) for n, r in names if measure.startswith(n)), None)
        if hit is None:
            break
        rest = measure[len(hit[0]):]
        joined = re.match(r"、|和|及|与", rest)
        if joined is None:
            rest = rest.removeprefix("的")
            if len(rest) < 2:
                break
            subjects.append(Subject("region", hit[1].code))
            moved = replace(fig, measure=rest, start=fig.start + len(fig.measure) - len(rest))
            return subjects, moved
        subjects.append(Subject("region", hit[1].code))
        measure = rest[joined.end():]
    return None, fig


def _owned_measure(text: str, fig: Figure, named: list, voc: Vocabulary) -> Figure:
    """X医院编制床位1800张: the measure is what follows the institution's name."""
    # the name may open before the measure read (湘潭市中心医院编制床位: the city's name was dropped from it)
    end = max((n.end for n in named if n.start < fig.quantity.start and n.end > fig.start), default=None)
    if end is None:
        return fig
    rest, _, _ = clean_measure(text[end:fig.quantity.start].removeprefix("的"), voc, ())
    rest = _with_visits(rest, fig.quantity.unit)
    if len(rest) >= 2 and is_measure(rest, voc):
        return replace(fig, measure=rest, start=end)
    return fig


def _is_norm(text: str, fig: Figure, voc: Vocabulary) -> bool:
    """A standard for a class of places or institutions, not a figure of the city."""
    clause_start = fig.quantity.start
    while clause_start > 0 and text[clause_start - 1] not in _CLAUSE_MARKS + "。":
        clause_start -= 1
    head = text[clause_start:fig.quantity.start]
    count = fig.quantity.unit in voc.count_units
    if _opens_norm(head, voc, count) or _opens_norm(text, voc, count):
        return True
    if text.startswith(("的标准", "的比例配", "的比例设", "的比率配"), fig.quantity.end):
        return True  # 按照户籍人口80万的标准: a standard's parameter
    before = text[:fig.quantity.start]
    return any(p.search(head) or p.search(fig.measure) for p in voc.norm_patterns) or \
        any(p.search(before) for p in voc.sentence_norm_patterns)


# ---------------------------------------------------------------------------------------------
# Plans and cells


def read_plan(col, years: tuple[int | None, int | None]) -> None:
    """Every figure of the plan's running text."""
    voc = vocabulary()
    ctx = col.ctx
    city = col.city()
    if city is None:
        return
    home = col.home() or city
    city_names = tuple(sorted({ctx.city.name, *ctx.city.short_names}, key=len, reverse=True))
    rec = recognizer(ctx.gazetteer)
    county = getattr(ctx, "county", None)  # a county's document: 县人民医院, 市中医院 are its county's (as names read)
    carried: TimeRef | None = None
    previous: Sentence | None = None
    for sentence in ctx.plan.sentences:
        if sentence.kind != "prose":
            continue
        text = sentence.norm.text
        times = [t for t in find_times(text, voc.periods) if not _founded(text, t, voc)]
        same_paragraph = previous is not None and "\n" not in ctx.plan.text[previous.end:sentence.start]
        if not same_paragraph:
            carried = None
        retrospective = any(w in s for s in sentence.section for w in voc.retrospective)
        heading = section_time(sentence.section, voc, years)
        found = find_quantities(text)
        figures = read_figures(text, voc, city_names) if found else []
        figures = _with_rate_standards(text, found, figures, voc, city_names)
        figures = _band_thresholds(text, found, _with_share_standards(text, found, figures, voc), voc)
        figures = _bound_shares(text, found, _level_shares(text, found, figures, voc), voc, city_names)
        named = None
        listed: tuple[str, str | None] | None = None  # the measure and unit of the last institution's figure
        sentence_owner: Subject | None = None  # the institution the sentence is about, once a clause says so
        whole_place: Subject | None = None  # the place of the figure a 其中 list breaks down
        for fig in figures:
            q = fig.quantity
            if sentence.truncated and q.end >= len(text) - 1:
                continue  # the number may have been cut
            counted_level = fig.start < q.start and fig.measure.startswith(tuple(voc.level_prefixes))
            # 共有医疗卫生机构286家，其中县级医院4家: a breakdown of a count counts, it sets no standard
            counted_level = counted_level or bool(_IN_BREAKDOWN.search(text[:fig.start]))
            # 县级综合医院达到二级甲等水平的有8家: a count of those that did, no standard
            counted_level = counted_level or bool(re.search(r"的(?:共|已)?有$", text[:q.start]))
            if not counted_level and _is_norm(text, fig, voc):  # 县（市、区）疾病预防控制中心7家: a count
                # a standard for each place of a kind, saying which when the sentence does
                fig = standard(text, fig, voc) or replace(fig, role_cue="standard")
            place = _subject_at(text, fig.start, col, voc, fig.measure)
            if place is False:
                continue
            places = None
            if place is None:
                places, fig = _county_in_measure(fig, col)
                place = places[0] if places else None
            in_breakdown = bool(_IN_BREAKDOWN.search(text[:fig.start]))
            if place is None and in_breakdown:
                place = whole_place  # 驿城区共有医疗卫生机构512个，其中社区卫生服务中心9个: 驿城区's
            elif not in_breakdown:
                whole_place = place
            if named is None:
                named = _units_as_their_institution([m for m in rec(text, ctx.city, sentence.truncated, county=county)
                                                     if m.named])
            owner = _owner(text, fig, named, voc)
            if owner == "skip" and _SHARE_IN_WHOLE.search(fig.measure):
                owner = None  # 出院患者中，市人民医院收治的占46.8%: the place's share, an institution's part of it
            if owner == "skip" and listed is not None:
                # X规划编制床位1500张，Y 800张，Z 400张: a list of names and numbers shares the measure of its first
                owner, fig = _listed_owner(text, fig, named, listed)
            if owner == "skip":
                # 设置钦州市疾病预防控制中心1家: the plan sets up one of a kind at its level
                established = _establishment(text, fig, named, col, voc)
                if established is None:
                    continue
                place, fig = established
                owner = None
            if sentence_owner is None and named:
                sentence_owner = _opening_institution(text, named, voc)
            if owner is None and place is None and sentence_owner is not None \
                    and _goes_on_about(text, fig, named, voc):
                owner = sentence_owner  # X医院全年完成手术1.35万台次，门急诊量达到96.8万人次
            if owner is None and place is None and _points_back(text, fig, voc):
                owner = sentence_owner or _earlier_institution(ctx, sentence, rec)  # 该院现有职工1200余人
            if owner is not None:
                fig = _owned_measure(text, fig, named, voc)
                sentence_owner = owner
                listed = (fig.measure, q.unit)
            else:
                listed = None
            subject, area = (owner, city) if owner is not None else (place or home, None)
            each = _each_of_places(text, fig, col) if owner is None else None
            if each is None and owner is None and places and len(places) > 1:
                each = places
            year, role = settle(fig, text, times, carried, retrospective, voc, years, heading)
            if year is None:
                continue
            value = Value(q.text, q.value, fig.comparator)
            if role != "change":
                fig = count_measure(fig, voc)
            for each_subject in each or [subject]:  # 湘潭县、湘乡市各设置1所…: one figure for each place
                col.add(sentence, each_subject, fig.measure, year, role, value, q.unit, area=area, source="text",
                        condition=fig.condition)
        stated = [t for t in times if t.kind != "compare"]
        if stated:
            carried = stated[-1]
        previous = sentence


_IN_BREAKDOWN = re.compile(r"其中[^，；。：]*$")


def _units_as_their_institution(named: list) -> list:
    """X医院东院区规划床位600张: a campus, branch or facility named after its institution (its name opening
    with the institution's) is the institution's part; its figures are the institution's, the unit's name
    staying in the measure (东院区规划床位). The unit's mention gives way to the institution's."""
    parents = {(n.start, n.parent_key) for n in named}
    return [n for n in named if not n.parent_key
            or not any((n.start, p.key) in parents for p in named if p.key == n.parent_key)]


def _listed_owner(text: str, fig: Figure, named: list, listed: tuple[str, str | None]) -> tuple:
    """X医院规划编制床位1500张，Y医院800张，Z医院400张: an institution named right before a number, after a
    figure of another institution in the same unit, has a figure of the same measure; else "skip"."""
    q = fig.quantity
    measure, unit = listed
    before = [n for n in named if n.end <= q.start and not n.alias_of]
    if not before or q.unit != unit or text[before[-1].end:q.start].strip("的 ") != "":
        return "skip", fig
    mention = before[-1]
    clause, item = _segments(text, mention.start)
    if max(clause, item) != mention.start:
        return "skip", fig  # the name opens its clause or list item: nothing else before it
    return Subject("institution", mention.key), replace(fig, measure=measure, start=mention.end)


def _founded(text: str, time: TimeRef, voc: Vocabulary) -> bool:
    """始建于1950年: the year an institution was founded (the time's own 于 may open its span)."""
    lead = "于" if text.startswith("于", time.start) else ""
    return (text[:time.start] + lead).endswith(voc.founding_words)


def _points_back(text: str, fig: Figure, voc: Vocabulary) -> bool:
    """The figure's clause opens with a word pointing back to an institution (该院, 本院), after time and
    lead words only."""
    clause, _ = _segments(text, fig.quantity.start)
    head = _TIME_FRONT.sub("", _LABEL.sub("", text[clause:fig.quantity.start]))
    head, _ = _strip_front(head, voc.lead_words + voc.subject_words)
    return head.startswith(tuple(voc.anaphora_words))


def _earlier_institution(ctx, sentence: Sentence, rec) -> Subject | None:
    """The institution the sentences just before this one (in its section) open with: what 该院 points to."""
    voc = vocabulary()
    before = [s for s in ctx.plan.sentences if s.end <= sentence.start and s.kind == "prose"
              and s.section == sentence.section][-3:]
    for earlier in reversed(before):
        named = [m for m in rec(earlier.norm.text, ctx.city, earlier.truncated, county=getattr(ctx, "county", None))
                 if m.named]
        found = _opening_institution(earlier.norm.text, named, voc)
        if found is not None:
            return found
    return None


def _opening_institution(text: str, named: list, voc: Vocabulary) -> Subject | None:
    """The institution a sentence opens with, as its subject (X医院异地新建，规划床位1200张): named first,
    after time, lead and label words only, and the only institution of its first clause."""
    first = min((k for k in (text.find(m) for m in "，；：") if k >= 0), default=len(text))
    label = _LABEL.match(text)
    if label and label.end() > first:
        first = min((k for k in (text.find(m, label.end()) for m in "，；") if k >= 0), default=len(text))
    inside = [n for n in named if n.start < first and not n.alias_of]
    if len({n.key for n in inside}) != 1:
        return None
    head = text[label.end() if label and label.end() <= inside[0].start else 0:inside[0].start]
    return Subject("institution", inside[0].key) if _opens_clause(head, voc) else None


def _goes_on_about(text: str, fig: Figure, named: list, voc: Vocabulary) -> bool:
    """A later clause of a sentence about one institution goes on about it: it names no subject of its own
    (no institution, place or 全市/全县), its measure is no rate per population, and it is no standard.
    A breakdown (其中三、四级手术占比…) is of the institution's figure before it."""
    clause, _ = _segments(text, fig.quantity.start)
    if clause == 0 or fig.role_cue == "standard" or voc.per_population.match(fig.measure):
        return False
    head = text[clause:fig.quantity.start]
    if any(n.start < fig.quantity.start and n.end > clause for n in named):
        return False
    opening = _TIME_FRONT.sub("", head).removeprefix("其中")
    return not opening.startswith(tuple(voc.subject_words) + tuple(voc.foreign_subjects)) \
        and not _PLACE.match(opening) and not opening.startswith(("同时", "另外", "此外"))


_RATE_BEFORE = re.compile(r"(?:原则上|一般|可以|可|要|应|均)*(?:按照?|依据|根据|以)"
                          r"(?P<pop>每[^，。；：\d]{0,12}?(?:人口|人))?"
                          r"(?P<cmp>不少于|不低于|至少|不超过|不高于|不多于)?$")
_RATE_AFTER = re.compile(r"^(?:的)?(?:标准|比例|比率)?(?:合理)?(?:配备|配置|设置|确定|核定|设立)"
                         r"(?P<noun>[^，。；（(]*)")


def _with_rate_standards(text: str, found: list[Quantity], figures: list[Figure], voc: Vocabulary,
                         city_names: tuple[str, ...]) -> list[Figure]:
    """A standard stated as a rate per population (按照每万人口不少于0.77辆的标准配备救护车; 疾病预防控制机构
    人员原则上按每万常住人口1.75名的比例配备; 按照1.5张/千人合理确定基层医疗卫生机构床位规模): the measure is
    the population and what is provided (每万人口救护车), the figure a standard. It replaces what
    the plain reading made of the same number."""
    out = list(figures)
    for q in found:
        if q.value is None or q.unit is None:
            continue
        clause, item = _segments(text, q.start)
        before = _RATE_BEFORE.search(text[item:q.start])
        after = _RATE_AFTER.match(text[q.end:])
        if before is None or after is None or not (before.group("pop") or "/" in q.unit):
            continue
        noun = after.group("noun")
        cut = next((m for m in _NOUN_ENDS.finditer(noun) if m.start() >= 2), None)
        noun = noun[: cut.start()] if cut else noun
        if not is_measure(noun, voc):
            noun, _, _ = clean_measure(text[item:item + before.start()], voc, city_names)
        if not is_measure(noun, voc):
            continue
        measure = (before.group("pop") or "") + noun
        comparator = q.comparator or {"不少于": "≥", "不低于": "≥", "至少": "≥", "不超过": "≤", "不高于": "≤",
                                      "不多于": "≤"}.get(before.group("cmp") or "")
        out = [f for f in out if f.quantity.num_start != q.num_start]
        out.append(Figure(q, measure, item, "standard", comparator))
    return sorted(out, key=lambda f: f.quantity.start)


_SHARE_BEFORE = re.compile(r"(?:按照?|依据|根据)(?P<base>[^，。；：\d]{2,16}?)的?$")
_UPPER_SHARE = re.compile(r"^[-—–－~～至到](?P<hi>\d+(?:\.\d+)?)%")


def _with_share_standards(text: str, found: list[Quantity], figures: list[Figure], voc: Vocabulary) -> list[Figure]:
    """A standard stated as a share of a base (按医院床位的2%-3%设置急诊科观察床; 按照公立医院床位15%的比例
    设置公立专科医院): the measure is what is provided as a share of the base (急诊科观察床占医院床位比例),
    a range giving its two bounds."""
    out = list(figures)
    for q in found:
        if q.unit != "%" or q.value is None:
            continue
        clause, item = _segments(text, q.start)
        before = _SHARE_BEFORE.search(text[item:q.start])
        upper = _UPPER_SHARE.match(text[q.end:])
        end = q.end + (upper.end() if upper else 0)
        after = _RATE_AFTER.match(text[end:])
        if before is None or after is None:
            continue
        noun = after.group("noun")
        cut = next((m for m in _NOUN_ENDS.finditer(noun) if m.start() >= 2), None)
        noun = noun[: cut.start()] if cut else noun
        base = before.group("base").removesuffix("的")
        if not (is_measure(noun, voc) or _CJK.fullmatch(noun[-1:] or "a")) or len(noun) < 2:
            continue
        measure = f"{noun}占{base}比例"
        out = [f for f in out if f.quantity.num_start not in (q.num_start, q.end + 1)]
        if upper:
            low = replace(q, end=end, text=text[q.start:end])
            hi_start = q.end + 1
            high = Quantity(hi_start, end, hi_start, end - 1, text[hi_start:end], upper.group("hi"), "%", None)
            out += [Figure(low, measure, item, "standard", "≥"), Figure(high, measure, item, "standard", "≤")]
        else:
            out.append(Figure(q, measure, item, "standard", q.comparator))
    return sorted(out, key=lambda f: f.quantity.start)


_LEVEL_SHARE = re.compile(r"^(?P<level>省级|市级|县级|区级|乡镇级|镇级|村级)(?:占比?|比例)(?:为|达到?)?$")


def _level_shares(text: str, found: list[Quantity], figures: list[Figure], voc: Vocabulary) -> list[Figure]:
    """Shares by level after a topic clause (本科学历人员，市级占50%以上，县级占35%以上): the topic's share
    (本科学历人员占比), the level its condition."""
    out = list(figures)
    for q in found:
        if q.unit != "%" or q.value is None:
            continue
        clause, item = _segments(text, q.start)
        m = _LEVEL_SHARE.match(text[clause:q.start])
        if m is None:
            continue
        k = clause - 1  # back over the clauses of the same list to the topic, a clause with no number
        while k > 0:
            start = max(text.rfind(ch, 0, k) for ch in _CLAUSE_MARKS + "。") + 1
            words = text[start:k]
            if _LEVEL_SHARE.match(re.sub(r"\d+(?:\.\d+)?%(?:以上|以下|左右)?$", "", words)):
                k = start - 1
                continue
            topic = words if is_measure(words, voc) and not any(ch.isdigit() for ch in words) else None
            break
        else:
            topic = None
        if topic is None:
            continue
        out = [f for f in out if f.quantity.num_start != q.num_start]
        out.append(Figure(q, topic + "占比", clause, "standard", q.comparator, m.group("level")))
    return sorted(out, key=lambda f: f.quantity.start)


_BOUND_SHARE = re.compile(r"^(?P<a>[^，。；：]+?)(?:原则上?|应当?|要|须)?"
                          r"(?P<cmp>不得低于|不得少于|不得高于|不得超过|不低于|不少于|不高于|不超过)(?P<b>[^，。；：\d]{2,16}?)的$")


def _bound_shares(text: str, found: list[Quantity], figures: list[Figure], voc: Vocabulary,
                  city_names: tuple[str, ...]) -> list[Figure]:
    """A share bounded against a whole (专业技术岗位原则不低于岗位总量的70%; 公共卫生人员占比不得低于专业
    技术人员数的25%): the measure is the part's share of the whole (专业技术岗位占岗位总量比例)."""
    out = list(figures)
    for q in found:
        if q.unit != "%" or q.value is None or not _ends_clause(text, q.end):
            continue
        clause, item = _segments(text, q.start)
        m = _BOUND_SHARE.match(text[item:q.start])
        if m is None:
            continue
        part, _, _ = clean_measure(m.group("a"), voc, city_names)
        part = part.removesuffix("占比").removesuffix("比例")
        whole = m.group("b") if m.group("b").endswith("总数") else m.group("b").removesuffix("数")
        if len(part) < 2 or not _CJK.search(part):
            continue
        comparator = q.comparator or _comparator_of_link(m.group("cmp"))
        out = [f for f in out if f.quantity.num_start != q.num_start]
        out.append(Figure(q, f"{part}占{whole}比例", item, "standard", comparator))
    return sorted(out, key=lambda f: f.quantity.start)


_BAND = re.compile(r"^(?:原则上|其中)?(?P<band>[^，。；：]*?(?:\d+(?:[-—–－~～]\d+)?万(?:人口)?(?:以[上下])?|人口)"
                   r"[^，。；：]{0,6}?的(?:县|市|区|乡镇|镇|城市|地区)(?:（[^（）]*）)?)"
                   r"(?P<link>不低于|不少于|不超过|不高于|至少|为|达到)?$")


def _band_thresholds(text: str, found: list[Quantity], figures: list[Figure], voc: Vocabulary) -> list[Figure]:
    """Thresholds by population band (全市配备220张传染病救治床位，其中30万人口以下的县不低于20张，
    30—50万人口的县不低于50张): each clause names the places it holds for, not a measure; the measure
    is the one the sentence read before with the same unit, else the noun of that unit named before
    (具备快速转换救治床位的能力，原则上…), and the band is the condition."""
    out = list(figures)
    for q in found:
        if q.value is None or q.unit is None or not _ends_clause(text, q.end):
            continue
        clause, item = _segments(text, q.start)
        m = _BAND.match(text[item:q.start])
        if m is None:
            continue
        earlier = [f for f in out if f.quantity.unit == q.unit and f.quantity.end <= item and not f.condition]
        measure = earlier[-1].measure if earlier else _noun_of_unit(text[:item], q.unit)
        if measure is None:
            continue
        comparator = q.comparator or _comparator_of_link(m.group("link") or "")
        out = [f for f in out if f.quantity.num_start != q.num_start]
        out.append(Figure(q, measure, item, "standard", comparator, m.group("band")))
    return sorted(out, key=lambda f: f.quantity.start)


_UNIT_HEADS = {"张": ("床位", "病床"), "床": ("床位", "病床"), "名": ("医师", "医生", "护士", "人员"),
               "人": ("医师", "医生", "护士", "人员")}


def _noun_of_unit(before: str, unit: str) -> str | None:
    """The last noun phrase of the text ending in a head of the unit's kind (床位 for 张)."""
    heads = _UNIT_HEADS.get(unit)
    if not heads:
        return None
    best = max((before.rfind(h) + len(h) for h in heads if h in before), default=-1)
    if best < 0:
        return None
    start = max(before.rfind(ch, 0, best) for ch in _CLAUSE_MARKS + "、") + 1
    phrase = before[start:best]
    m = re.search(r"(?:具备|提供|配备|设置|增加|建设|开放)", phrase)
    if m:
        phrase = phrase[m.end():]
    return phrase if len(phrase) >= 2 else None


_EACH = re.compile(r"^((?:[\u4e00-\u9fff]{1,8}?(?:、|和|及|与))+[\u4e00-\u9fff]{1,8}?)各")


def _each_of_places(text: str, fig: Figure, col) -> list[Subject] | None:
    """The counties of the plan's city listed before 各 at the clause's start (灵山县、浦北县各规划设置1个…):
    the figure holds for each of them."""
    city = col.ctx.city
    if city is None:
        return None
    clause, _ = _segments(text, fig.quantity.start)
    m = _EACH.match(_LABEL.sub("", text[clause:fig.quantity.start]))
    if m is None:
        return None
    names = {n: region for region in col.ctx.gazetteer.counties_of(city.code)
             for n in (region.name, *region.short_names) if len(n) >= 2}
    listed = re.split(r"、|和|及|与", m.group(1))
    if len(listed) < 2 or any(n not in names for n in listed):
        return None
    return [Subject("region", names[n].code) for n in listed]


def _establishment(text: str, fig: Figure, named: list, col, voc: Vocabulary) -> tuple[Subject, Figure] | None:
    """A named institution of the plan's city (or of a zone or county in it) counted where the plan sets
    it up (机构设置：设置钦州市疾病预防控制中心1家，…; 设置自贸区钦州港片区卫生计生监督所1个): the count of
    that kind at that level. The subject is the city (the county for a county's institution); the
    measure is the name without its place; the condition is the level (市级) or the zone."""
    q = fig.quantity
    clause, item = _segments(text, q.start)
    head = _LABEL.sub("", text[item:q.start])
    head, _ = _strip_front(head, voc.planned_cues)
    start = q.start - len(head)
    inside = [n for n in named if n.start >= start and n.end <= q.start and not n.alias_of]
    if len(inside) != 1 or inside[0].start != start:
        return None
    mention = inside[0]
    rest = text[mention.end:q.start]
    if rest and not re.fullmatch(r"（[^（）]+）", rest):
        return None  # only the name, or the name and its other name in brackets
    city = col.ctx.city
    gaz = col.ctx.gazetteer
    surface = re.sub(r"（[^（）]*）", "", mention.surface)
    for region in gaz.counties_of(city.code):
        for name in sorted({region.name, *region.short_names}, key=len, reverse=True):
            if len(name) >= 2 and surface.startswith(name) and len(surface) - len(name) >= 2:
                return Subject("region", region.code), replace(fig, measure=surface[len(name):], start=start)
    for name in sorted({city.name, *city.short_names}, key=len, reverse=True):
        if surface.startswith(name) and len(surface) - len(name) >= 2:
            kind = surface[len(name):]
            zone = re.match(r"[^（）]{2,12}?(?:片区|新区|开发区|园区|自贸区)", kind)
            if zone and len(kind) - zone.end() >= 2:
                return Subject("region", city.code), replace(fig, measure=kind[zone.end():], start=start,
                                                             condition=zone.group(0))
            return Subject("region", city.code), replace(fig, measure=kind, start=start, condition="市级")
    zone = re.match(r"[^（）]{2,12}?(?:片区|新区|开发区|园区)", surface)
    if zone and len(surface) - zone.end() >= 2:
        return Subject("region", city.code), replace(fig, measure=surface[zone.end():], start=start,
                                                     condition=zone.group(0))
    return None


def count_measure(fig: Figure, voc: Vocabulary) -> Figure:
    """The measure of a count of institutions or places: the kind counted, as the plan words it, with a
    level that opens it moved to the condition (县区疾病预防控制中心4家 → 疾病预防控制中心, condition 县区)."""
    unit = (fig.quantity.unit or "").lstrip("万亿")
    if unit not in voc.institution_count_units:
        return fig
    measure, condition = fig.measure, fig.condition
    for level in voc.level_prefixes:
        rest = measure[len(level):]
        if measure.startswith(level) and len(rest) >= 4 and is_measure(rest, voc):
            measure = rest
            condition = condition or level
            break
    return replace(fig, measure=measure, condition=condition)


def read_cell(text: str, sentence: Sentence, subject: Subject, area: Subject | None, col,
              years: tuple[int | None, int | None], skip_values: set[str]) -> None:
    """Figures in a table's text cell, all about the row's subject (a project adding beds, a campus)."""
    voc = vocabulary()
    base, target = years
    for fig in read_figures(text, voc, loose=True):
        q = fig.quantity
        if q.value in skip_values or _is_norm(text, fig, voc) or _inside_brackets(text, q.start):
            continue  # a total read by its pattern, a standard, an aside in brackets
        role = "added" if fig.role_cue == "added" else "planned"
        measure = fig.measure
        if target is None:
            continue
        col.add(sentence, subject, measure, target, role, Value(q.text, q.value, fig.comparator), q.unit,
                area=area, source="text")


def _owner(text: str, fig: Figure, named: list, voc: Vocabulary):
    """The institution a figure is about, "skip" when a named institution is only counted, else None.

    Two conservative shapes: the institution opens the measure and an owner cue follows it
    (钦州市人民医院编制床位1200张, …医院现有床位800张), or the measure opens with an owner cue and the
    sentence named exactly one institution before it (规划设置X1个，下辖直属急救站1个).
    """
    q = fig.quantity
    clause_start = q.start
    while clause_start > 0 and text[clause_start - 1] not in _CLAUSE_MARKS + "。" + _LIST_MARKS:
        clause_start -= 1
    if fig.start >= q.end:
        # a count before what it counts (3个远程医疗中心): a named institution among the counted is
        # counted once; institutions named before the number are who set them up, not what is counted
        counted = [n for n in named if n.start < fig.start + len(fig.measure) and n.end > q.end]
        return "skip" if counted else None
    lo, hi = min(fig.start, clause_start), q.start
    inside = [n for n in named if n.start < hi and n.end > lo]
    if len(inside) == 1 and inside[0].start >= clause_start:
        rest = text[inside[0].end:q.start].removeprefix("的")
        if rest.startswith(tuple(voc.owner_cues)) or _opens_clause(text[clause_start:inside[0].start], voc) \
                and _owned_rest(rest, voc, q.unit):
            return Subject("institution", inside[0].key)
        return "skip"
    if inside:
        return "skip"
    phrase = text[clause_start:q.start]
    if phrase.startswith(tuple(voc.owner_cues)) or fig.measure.startswith(tuple(voc.owner_cues)):
        before = [n for n in named if n.end <= clause_start and not n.alias_of]
        if len({n.key for n in before}) == 1:
            return Subject("institution", before[0].key)
    project = _PROJECT_LABEL.match(text)
    if project and project.end() <= clause_start:
        # 2.X医院医疗综合大楼项目：新增床位500张: an item of a project list is about the one institution
        # its project's name holds, as a row of a project table is
        owners = {n.key for n in named if n.end <= project.end(1) and not n.alias_of}
        if len(owners) == 1:
            return Subject("institution", owners.pop())
    return None


# a project's name opening a list item, before its content (1.X医院外科大楼项目：…; （二）X工程：…)
_PROJECT_LABEL = re.compile(r"^[*#\s]*(?:\d{1,2}[.．、]|[（(][\d一二三四五六七八九十]{1,3}[）)]"
                            r"|[一二三四五六七八九十]{1,3}、)?\s*([^：:。；，]{2,40}?(?:项目|工程))[：:]")


def _opens_clause(head: str, voc: Vocabulary) -> bool:
    """Only time, lead and label words stand before a name in its clause: the name is the clause's subject."""
    head = _TIME_FRONT.sub("", _LABEL.sub("", head).lstrip("*#"))
    head, _ = _strip_front(head, voc.lead_words + voc.subject_words)
    return head == "" or head in voc.lead_words or head in voc.subject_words  # 支持X…, 全县X…


def _owned_rest(rest: str, voc: Vocabulary, unit: str | None = None) -> bool:
    """What follows an institution opening a clause is its own measure (市疾病预防控制中心实验室检测能力达到
    300项; X医院新增精神科床位300张; X医院全年门急诊48.6万人次), not a list or a comparison it is part of
    (X医院等3家, X医院和Y医院)."""
    if not rest or rest[0] in "等和与及、或（(为是在的对由把向":
        return False
    measure, _, _ = clean_measure(rest, voc, ())
    return is_measure(_with_visits(measure, unit), voc)


def _with_visits(measure: str, unit: str | None) -> str:
    """总诊疗1359.44万人次, 门急诊48.6万人次: a count of visits measures the 人次 of what precedes it."""
    if unit in ("人次", "万人次") and not measure.endswith(("人次", "人数", "量")) and not _ENTITY.search(measure[-3:]):
        return measure + "人次"
    return measure
