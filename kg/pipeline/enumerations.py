"""Enumerations: a plan lists the parts, kinds, levels or items of a named thing (医院按性质分为A和B;
以A、B和C为主体; 市、县区、镇、村四级…体系; 母婴安全5项制度; 鼓励社会资本举办A、B等医疗机构).

A pure reader of one sentence: the cues are data (kg/data/enumerations.yaml); each enumeration keeps
the thing enumerated (the whole), the plan's cue word and its items, each item with its offsets in
the normalised sentence (Sentence.span_of gives the original ones). The build writes them as
class-level facts (kg/build_enumerations.py); `kg ask` reaches them by the question's words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import yaml

from kg.corpus import Sentence
from kg.paths import PACKAGE_DATA

OPEN, CLOSE = "（(“《", "）)”》"


@dataclass(frozen=True)
class Item:
    text: str  # the item's words (normalised)
    start: int  # original offsets in the plan's text, half-open
    end: int


@dataclass(frozen=True)
class Enumeration:
    whole: str
    word: str  # the plan's cue: 分为, 包括, 组成, 主体/重点/龙头…, 级, 项, 三位一体, 举办
    items: tuple[Item, ...]


@cache
def load_cues() -> dict:
    with open(PACKAGE_DATA / "enumerations.yaml", encoding="utf-8") as f:
        data = yaml.safe_load(f)
    data["compiled"] = [(c["word"], re.compile(c["pattern"])) for c in data["cues"]]
    return data


def read(sentence: Sentence) -> list[Enumeration]:
    """The enumerations a sentence states (none twice: the first cue to read a list wins)."""
    text = sentence.norm.text
    data = load_cues()
    out: list[Enumeration] = []
    taken: list[tuple[int, int]] = []
    for word, pattern in data["compiled"]:
        for m in pattern.finditer(text):
            a, b = m.span("items")
            if any(a < y and x < b for x, y in taken):
                continue
            found = _enumeration(m, word, sentence, data)
            if found is not None:
                out.append(found)
                taken.append((a, b))
    return out


def _enumeration(m: re.Match, word: str, sentence: Sentence, data: dict) -> Enumeration | None:
    groups = m.groupdict()
    word = groups.get("role") or word
    n = _number(groups.get("n"), data)
    if word == "级":
        cut = _levels(m, data)
    else:
        cut = _items(m.group("items"), m.start("items"), data, leftward=word in ("项", "三位一体"))
    items = [Item(t, *sentence.span_of(a, a + len(t))) for t, a in cut]
    fewest = 1 if n == 1 or word in data["single_item_roles"] else 2
    if n is not None and len(items) != n or len(items) < fewest:
        return None
    whole = groups.get("whole") or ""
    text = sentence.norm.text
    if groups.get("role"):
        whole = _role_whole(m, text, data)
    before = text[:m.start("whole") if "whole" in groups else m.start()]
    opening = re.sub(data["sentence_label"], "", before).strip("*")
    # the list opens its sentence, or (a chain of roles: 以A为主体，以B为基础) the chain does
    at_start = not whole and (not opening or bool(groups.get("role")) and opening.startswith("以"))
    whole = _whole(whole, word, sentence, data, heading=at_start and (groups.get("role") and "role" or word)
                   in data["heading_wholes"])
    if not whole:
        return None
    return Enumeration(whole, word, tuple(items))


def _number(text: str | None, data: dict) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else data["numbers"].get(text)


def _role_whole(m: re.Match, text: str, data: dict) -> str:
    """X是以A为主体: X; 以A为龙头、B为骨干…的Y体系: Y; 以A、B为重点，加强X (a focus): the clause it goes
    on with; else none (the heading's thing, when the list opens its sentence)."""
    before = text[:m.start()]
    if before.endswith("是"):
        return re.split(r"由|是|，", before)[0]
    rest = text[m.end():]
    named = re.match(r"的(?P<w>[^，。；、和]{2,20}?)(?=[，。；、]|和以|$)", rest)  # 以A、B为基础的X
    whole = named or re.search(data["role_whole_after"], rest.split("。")[0])
    if whole:
        return whole.group("w")
    after = re.match(r"，?(?P<c>[^，。；]{2,30})(?=[，。；]|$)", rest)
    if m.group("role") not in data["clause_roles"] or after is None \
            or after.group("c").startswith(("以", "、")) or "为" in after.group("c"):
        return ""
    return after.group("c")


def _whole(text: str, word: str, sentence: Sentence, data: dict, heading: bool) -> str:
    """The thing enumerated: the words the cue names, else (a list opening its sentence) the run-in
    heading of the paragraph (7.托育服务机构。主要包括…)."""
    if word in ("级", "项", "三位一体", "举办"):
        text = re.split(data["whole_end"], text)[0]
    text = re.sub(data["whole_openers"], "", text.strip()).strip("“”\"：:* ")
    if word in ("项", "三位一体"):
        text = re.sub(data["first_item_verbs"], "", text)
    if not text and heading and sentence.section:
        text = re.sub(r"^[\s\d一二三四五六七八九十（）()、.．]+", "", sentence.section[-1]).rstrip("。．.：: ")
        if re.search(data["heading_labels"], text):
            text = ""
    if re.search(data["whole_not"], text) or len(text) < 2:
        return ""
    return text


def _levels(m: re.Match, data: dict) -> list[tuple[str, int]]:
    """市、县区、镇（街道）三级 or 市县两级: each item a level word."""
    text, base = m.group("items"), m.start("items")
    levels = sorted(data["levels"], key=len, reverse=True)
    items, i = [], 0
    while i < len(text):
        if text[i] in "、和":
            i += 1
            continue
        level = next((w for w in levels if text.startswith(w, i)), None)
        if level is None:
            return []
        items.append((level, base + i))
        i += len(level)
    return items


def _items(text: str, base: int, data: dict, leftward: bool = False) -> list[tuple[str, int]]:
    """A、B和C (等) cut outside brackets; the last item cut at its joiner (和/及); 各级/各类 and a
    trailing 等 trimmed; a leftward list loses the verb it follows (落实A、B → A)."""
    etc = _outside(text, "等")
    if etc > 0 and len(text) - etc <= 13:
        text = text[:etc]  # A、B等机构: what follows 等 is the kind of all of them, no item
    top = data["top_separator"]
    parts = _split(text, top if _outside(text, top) >= 0 else data["separators"])
    # A、B和C: the joiner of the last item; A、B和医院的C、D (D short): the joiner before the modifier
    # the short tail shares; 家庭和工作场所托育点 (a modifier too short to be an item): no item of its own
    joined = len(parts) - 1
    if len(parts) >= 2 and len(parts[-1][0]) <= data["short_tail"] and not _joiner_at(parts[-1][0], data):
        joined = len(parts) - 2
    if parts:
        part, start = parts[joined]
        k, joiner = _joiner_at(part, data) or (-1, "")
        modifier = k < data["modifier_max"] and len(part) - k - len(joiner) >= 4 \
            and not re.search(data["noun_heads"], part[:k])
        if k > 0 and not modifier:
            parts[joined:joined + 1] = [(part[:k], start), (part[k + len(joiner):], start + k + len(joiner))]
    items = []
    for i, (part, start) in enumerate(parts):
        if leftward and i == 0:
            verb = re.match(data["first_item_verbs"], part)
            if verb:
                part, start = part[verb.end():], start + verb.end()
        if i == 0:
            qualifier = re.match(data["item_qualifier"], part)
            if qualifier:
                part, start = part[qualifier.end():], start + qualifier.end()
        part, start = _trim(part, start, data)
        if "等" in part:
            return []  # A、B等C的D: a list inside an item, not items of one whole
        # a verb makes an item a clause, unless it qualifies a noun (依托X建立的救援基地)
        if not part or len(part) > data["item_max"] or re.search(f"(?:{data['item_not']})(?![^的]*的)", part):
            return []
        items.append((part, base + start))
    return items


def _joiner_at(part: str, data: dict) -> tuple[int, str] | None:
    for joiner in data["last_joiners"]:
        k = _outside(part, joiner)
        if k > 0:
            return k, joiner
    return None


def _trim(part: str, start: int, data: dict) -> tuple[str, int]:
    while part and part[0] in " “\"":
        part, start = part[1:], start + 1
    part = part.rstrip(" ”\"")
    for opener in data["item_openers"]:
        if part.startswith(opener) and len(part) > len(opener) + 1:
            part, start = part[len(opener):], start + len(opener)
            break
    part = re.sub(data["item_note"], "", part)
    part = re.sub(data["item_count_head"], "", part)
    return re.sub(r"等$", "", part).rstrip(" ”\""), start


def _split(text: str, separators: str) -> list[tuple[str, int]]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif ch in separators and depth == 0:
            parts.append((text[start:i], start))
            start = i + 1
    parts.append((text[start:], start))
    return [(p, s) for p, s in parts if p.strip()]


def _outside(text: str, word: str) -> int:
    """The last place of word in text outside brackets, or -1."""
    depth, found = 0, -1
    for i, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(word, i):
            found = i
    return found
