"""Quantities and times in running text: the numbers a plan states, with their units and comparators.

Pure functions over normalised text (kg.textnorm: ASCII digits, full-width punctuation, no spaces);
offsets are positions in that text. What a number measures, and of whom, is read by
kg/pipeline/figure_text.py; this module only says where numbers are and what they are written as.

>>> [(q.text, q.value, q.unit, q.comparator) for q in find_quantities("全市共有医疗卫生机构3826个")]
[('3826个', '3826', '个', None)]
>>> [(q.value, q.unit) for q in find_quantities("达到1.2万人次，孕产妇死亡率8.51/10万，比值1:1.4")]
[('1.2', '万人次'), ('8.51', '1/10万'), ('1.4', '1:x')]
>>> [(q.value, q.unit, q.comparator) for q in find_quantities("设置一所医院，两家中心，90%以上")]
[('1', '所', None), ('2', '家', None), ('90', '%', '≥')]
>>> find_quantities("建成5—7个中心")[0].low, find_quantities("建成5—7个中心")[0].value
('5', None)
>>> [(q.value, q.unit, q.comparator) for q in find_quantities("职工1200余人，年门急诊120余万人次、出院4万余人次")]
[('1200', '人', '>'), ('120', '万人次', '>'), ('4', '万人次', '>')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Units, longest first when matched. 万/亿 before a unit multiply it and stay part of it (万人次).
UNITS = ["万平方米", "平方米", "万人次", "人次", "台次", "例次", "万人", "万元", "亿元", "元", "万张", "万册", "公里",
         "千米", "小时", "分钟", "秒钟", "秒",
         "个百分点", "百分点", "倍", "%", "‰", "‱",
         "个", "所", "家", "张", "床", "名", "人", "辆", "台", "座", "间", "项", "种", "支", "处", "条", "岁",
         "天", "日", "户", "例", "次", "套", "亩", "年"]
COUNT_UNITS = {"个", "所", "家", "张", "床", "名", "人", "辆", "台", "座", "间", "项", "种", "支", "处", "条", "户",
               "例", "套"}
_PREFIX_COMPARATORS = {"≥": "≥", "≤": "≤", ">": ">", "<": "<", "≧": "≥", "≦": "≤"}
_SUFFIX_COMPARATORS = [("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤"),
                       ("左右", "左右"), ("上下", "左右")]
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_YEAR_FOLLOWERS = ("年", "—", "-", "－", "–", "~", "～", "至")
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_NUMBER = re.compile(
    rf"(?P<ratio>1:(?P<rval>{_ARABIC}))"
    rf"|(?P<num>{_ARABIC})(?:(?P<rsep>[-—–－~～至到])(?P<hi>{_ARABIC}))?"
    rf"(?P<per>/(?:\d*万|十万|千|百))?"
    r"|(?P<cn>[零〇一二两三四五六七八九十百千]+)")
_OVER = re.compile(r"[余多]")
_RANGE_CN_CONTEXT = "第统唯之单同逐进初某每"  # 第一, 统一, 唯一, 之一 … are no counts
_DATE_TAILS = ("月", "号", "期", "届", "版", "号文", "周年", "次会议", "级", "类", "型", "大", "线", "代", "维", "G",
               "元素", "方面", "环节", "批次")


@dataclass(frozen=True)
class Quantity:
    start: int  # the written quantity, comparator and unit included
    end: int
    num_start: int  # the number itself
    num_end: int
    text: str
    value: str | None  # decimal lexical form (None for a range)
    unit: str | None
    comparator: str | None
    low: str | None = None  # a range 5—7: its bounds
    high: str | None = None
    chinese: bool = False  # written in Chinese numerals (一所, 两家)


def _decimal(text: str) -> str | None:
    try:
        return str(Decimal(text.replace(",", "")))
    except InvalidOperation:
        return None


def chinese_number(text: str) -> int | None:
    """一 → 1, 两 → 2, 十 → 10, 二十三 → 23, 一百二十 → 120 (None for what is no number).

    >>> [chinese_number(t) for t in ("一", "两", "十", "十二", "二十三", "一百二十", "三千零五")]
    [1, 2, 10, 12, 23, 120, 3005]
    """
    total, current = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch] if current is None else current * 10 + _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (1 if current is None else current) * _CN_UNITS[ch]
            current = None
        else:
            return None
    return total + (current or 0)


def _unit_at(text: str, pos: int, units: list[str]) -> str | None:
    for unit in units:
        if text.startswith(unit, pos):
            return unit
    return None


def find_quantities(text: str, units: list[str] | None = None) -> list[Quantity]:
    """Every number of the text with its unit, comparator and range; years and dates are left out."""
    units = sorted(units or UNITS, key=len, reverse=True)
    out: list[Quantity] = []
    for m in _NUMBER.finditer(text):
        start, end = m.start(), m.end()
        before = text[start - 1] if start else ""
        if before and before.isascii() and (before.isalnum() or before in "./"):
            continue  # P3, 5G's digits, a version or a path
        if m.group("ratio"):
            if end < len(text) and (text[end].isdigit() or text[end] == ":"):
                continue
            q = Quantity(start, end, start, end, m.group(0), _decimal(m.group("rval")), "1:x", None)
            out.append(_with_comparators(text, q))
            continue
        if m.group("cn"):
            q = _chinese(text, m, units)
            if q is not None:
                out.append(_with_comparators(text, q))
            continue
        num = m.group("num")
        after = text[end:]
        if m.group("per"):
            per = m.group("per").replace("十万", "10万")
            q = Quantity(start, end, start, end, m.group(0), _decimal(num), "1" + per, None)
            out.append(_with_comparators(text, q))
            continue
        hi = m.group("hi")
        if hi is None and re.fullmatch(r"(?:19|20)\d{2}", num) and after[:1] in _YEAR_FOLLOWERS:
            continue  # a year, not a quantity
        if hi is not None and re.fullmatch(r"(?:19|20)\d{2}", num) and re.fullmatch(r"(?:19|20)\d{2}", hi):
            continue  # a span of years
        bracketed = bool(before) and before in "〔[（" and after.startswith(("〕", "]"))
        if after.startswith(_DATE_TAILS) or before == "第" or bracketed:
            continue
        if after.startswith("日") and before == "月":
            continue  # 1月6日
        # 1200余人, 120余万人次, 4万余人次, 20多家: more than the number written
        over = _OVER.match(text, end)
        more = None
        if over and (_unit_at(text, over.end(), units) or text.startswith(("万", "亿"), over.end())):
            more, end = ">", over.end()
        unit = _unit_at(text, end, units)
        unit_end = end + len(unit) if unit else end
        if unit is None and text.startswith(("万", "亿"), end):
            mult = text[end]
            k = end + 1
            if _OVER.match(text, k) and _unit_at(text, k + 1, units):
                more, k = ">", k + 1
            rest = _unit_at(text, k, units)
            unit = mult + (rest or "")
            unit_end = k + (len(rest) if rest else 0)
        if unit == "年":
            continue  # durations and years (3年, 2025年)
        per = re.match(r"/(?:\d*万|十万|千|百)(?:人口|人|名|常住人口)?", text[unit_end:]) if unit else None
        if per:  # 4名/10万人: a rate per population
            unit, unit_end = unit + per.group(0).replace("十万", "10万"), unit_end + per.end()
        written = text[start:unit_end]
        if hi is not None:
            q = Quantity(start, unit_end, start, m.end(), written, None, unit, None, _decimal(num), _decimal(hi))
        else:
            q = Quantity(start, unit_end, start, m.end(), written, _decimal(num), unit, more)
        out.append(_with_comparators(text, q))
    return out


def _chinese(text: str, m: re.Match, units: list[str]) -> Quantity | None:
    start, end = m.start(), m.end()
    digits = m.group("cn")
    if start and text[start - 1] in _RANGE_CN_CONTEXT:
        return None
    unit = _unit_at(text, end, units)
    if unit is None or unit not in COUNT_UNITS:
        return None  # 三级医院, 一体化, 十四五: no count
    if digits in ("千", "百", "万"):
        return None  # 千人床位数, 百人: a population a rate is per, no count
    value = chinese_number(digits)
    if value is None or value == 0:
        return None
    return Quantity(start, end + len(unit), start, end, text[start:end + len(unit)], str(value), unit, None,
                    chinese=True)


def _with_comparators(text: str, q: Quantity) -> Quantity:
    comparator = None
    start, end = q.start, q.end
    before = text[start - 1] if start else ""
    if before in _PREFIX_COMPARATORS:
        comparator = _PREFIX_COMPARATORS[before]
        start -= 1
    for word, comp in _SUFFIX_COMPARATORS:
        if text.startswith(word, end):
            comparator = comparator or comp
            end += len(word)
            break
    if (start, end) == (q.start, q.end):
        return q
    return Quantity(start, end, q.num_start, q.num_end, text[start:end], q.value, q.unit, comparator, q.low, q.high,
                    q.chinese)


# ---------------------------------------------------------------------------------------------
# Times


@dataclass(frozen=True)
class TimeRef:
    start: int
    end: int
    year: int
    # point (2020年) | asof (截至2020年底) | target (到2025年) | span (2018—2020年, 累计) | period (“十三五”末)
    # | compare (比2015年: the year a change is measured from)
    kind: str


_YEAR_RANGE = re.compile(r"((?:19|20)\d{2})年?[-—–－~～至到]((?:19|20)\d{2})年")
_YEAR = re.compile(r"(?P<lead>截至|截止到|截止|到|至|于|在)?(?P<y>(?:19|20)\d{2})年(?P<tail>底|末|年底|年末)?")
_REACHED_VERB = re.compile(r"(?:增加|增长|提高|提升|上升|下降|降低|减少|扩大|缩小|缩短|压缩|降|升)$")
_PERIOD = re.compile(r"“?(?P<p>十[一二三四五六]五)”?(?P<tail>期末|末期|末|期间|时期|以来|初|期初)?")


def find_times(text: str, periods: dict[str, tuple[int, int]]) -> list[TimeRef]:
    """Years the text speaks of, in order.

    >>> [(t.year, t.kind) for t in find_times("截至2020年底，到2025年，2018—2020年累计", {})]
    [(2020, 'asof'), (2025, 'target'), (2020, 'span')]
    >>> [(t.year, t.kind) for t in find_times("由2015年的2.8万张增加到2020年的3.86万张", {})]
    [(2015, 'point'), (2020, 'point')]
    >>> periods = {"十三五": (2015, 2020), "十四五": (2020, 2025)}
    >>> [(t.year, t.kind) for t in find_times("“十三五”期间，“十四五”末", periods)]
    [(2020, 'period'), (2025, 'period')]
    """
    found: list[TimeRef] = []
    taken: list[tuple[int, int]] = []
    for m in _YEAR_RANGE.finditer(text):
        found.append(TimeRef(m.start(), m.end(), int(m.group(2)), "span"))
        taken.append((m.start(), m.end()))
    for m in _YEAR.finditer(text):
        if any(a <= m.start("y") < b for a, b in taken):
            continue
        lead, tail = m.group("lead"), m.group("tail")
        kind = "asof" if lead in ("截至", "截止到", "截止") or tail else "target" if lead in ("到", "至") else "point"
        if kind == "target" and _REACHED_VERB.search(text[:m.start()]):
            kind = "point"  # 由2015年的2.8万张增加到2020年的3.86万张: the year of the level reached, no deadline
        if not lead and text[max(0, m.start() - 2):m.start()].endswith(("比", "较", "相比", "与", "同")):
            kind = "compare"  # 比2015年增长: the year compared with, not the figure's
        found.append(TimeRef(m.start(), m.end(), int(m.group("y")), kind))
    for m in _PERIOD.finditer(text):
        span = periods.get(m.group("p"))
        if span is None:
            continue
        tail = m.group("tail") or ""
        year = span[0] if tail in ("初", "期初") else span[1]
        compared = text[max(0, m.start() - 2):m.start()].endswith(("比", "较", "相比", "与", "同"))
        found.append(TimeRef(m.start(), m.end(), year, "compare" if compared else "period"))
    return sorted(found, key=lambda t: t.start)
