"""The sentence as the relation patterns see it: mentions masked, clauses, argument phrases → parties.

Every mention recognised by the institutions component (a named institution or a kind) becomes one
private-use character, so a pattern such as `对{ML}的业务指导` speaks about mentions, not names. An
argument of a relation is a stretch of the masked sentence (a "slot"); `parties` splits it into
coordinated items (A、B和C) and turns each into a party: a named institution, a kind as the plan words
it (区域内综合水平较高的医疗机构, 一级、二级医院), or a consortium / system. A phrase that ends neither in a
mention nor in a word of an institution (kg/data/relations.yaml `kind_heads`) is no party.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import yaml
from spacy.tokens import Doc

from kg.paths import PACKAGE_DATA
from kg.pipeline.institutions import load_rules
from kg.pipeline.relation_records import Group, Kind, Named, Party
from kg.vocab import HK, HKV, load_vocabulary

MASK0 = 0xE000
COORD = "、和及与或"


@lru_cache(maxsize=1)
def load_patterns() -> dict:
    """kg/data/relations.yaml with its regular expressions compiled ({M}/{ML} expanded)."""
    with open(PACKAGE_DATA / "relations.yaml", encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    m = "[\ue000-\uf8ff](?:（[^）]*）)?"
    ml = f"{m}(?:[、和及与或]{m})*"
    out = dict(raw)
    for key, value in raw.items():
        if isinstance(value, str) and ("(?P<" in value or key.endswith("_re")):
            out[key] = re.compile(value.replace("{ML}", ml).replace("{M}", m))
    nouns = sorted(raw["consortium_nouns"], key=len, reverse=True)
    out["consortium_re"] = re.compile(f"(?:{raw['group_name_words']}){{0,14}}(?:" + "|".join(nouns) + ")")
    out["kind_heads"] = tuple(sorted(raw["kind_heads"], key=len, reverse=True))
    out["group_nouns"] = tuple(nouns)
    # A consortium's name starts after the plan's verbs and policy words (继续深化推进城市医联体 → 城市医联体):
    # the same words that end right before an institution's name (institutions.yaml), two characters or more.
    boundary = load_rules()["boundary_words"]
    words = sorted((re.escape(w) for w in boundary if len(w) >= 2), key=len, reverse=True)
    out["group_boundary_re"] = re.compile("|".join(words))
    out["group_boundary_chars"] = "".join(w for w in boundary if len(w) == 1)  # 至城市医疗集团 → 城市医疗集团
    return out


def group_label(P: dict, raw: str) -> str:  # noqa: N803
    """A consortium's or system's name as worded, without what the plan says before it: list marks and
    dashes, verbs and policy words (继续深化推进城市医疗联合体 → 城市医疗联合体), counts (2个医共体 → 医共体)."""
    if raw.count("《") > raw.count("》"):
        return ""  # the words of a document's title (出台了《…医疗联合体建设实施方案》) name no consortium
    label = raw
    while True:
        before = label
        label = P["consortium_strip_re"].sub("", _LEADING_MARKS.sub("", label)).lstrip(P["group_boundary_chars"])
        if label == before:
            break
    noun = next((n for n in P["group_nouns"] if n in label), None)
    if noun is not None:
        policy = [b for b in P["group_boundary_re"].finditer(label) if b.end() <= label.rindex(noun)]
        if policy:
            label = label[policy[-1].end():]
    return label


_LEADING_MARKS = re.compile(r"^[—–\-·《》“”\"'*\s]+")


@dataclass
class Masked:
    """The sentence with mentions masked; `mentions[i]` is (start, end, span) in the normalised text."""

    text: str
    norm: str
    mentions: list
    pos: list[int]  # masked index → normalised index
    truncated: bool = False

    def unmask(self, a: int, b: int) -> str:
        if a >= b:
            return ""
        end = self.pos[b - 1] + self._len(b - 1)
        return self.norm[self.pos[a]:end]

    def _len(self, i: int) -> int:
        c = self.text[i]
        if self.is_mention(c):
            s, e, _ = self.mentions[ord(c) - MASK0]
            return e - s
        return 1

    def is_mention(self, c: str) -> bool:
        return MASK0 <= ord(c) < MASK0 + len(self.mentions)

    def ids(self, a: int, b: int) -> list[int]:
        """Mention indexes in masked[a:b], skipping those inside brackets (含…, aliases)."""
        out, depth = [], 0
        for c in self.text[a:b]:
            if c == "（":
                depth += 1
            elif c == "）":
                depth -= 1
            elif depth == 0 and self.is_mention(c):
                out.append(ord(c) - MASK0)
        return out

    def span(self, i: int):
        return self.mentions[i][2]

    def named(self, i: int) -> bool:
        return bool(self.span(i)._.kg_named)

    def reaches_cut(self, end: int) -> bool:
        """In a truncated sentence (a line cut off in the source) no fact may reach the cut end."""
        return self.truncated and end >= len(self.text)

    # -- clauses --------------------------------------------------------------------------------
    def clause(self, i: int) -> tuple[int, int]:
        """The clause around masked index i: between ，。；： (outside brackets)."""
        t = self.text
        a = max(t.rfind(p, 0, i) for p in "，。；：") + 1
        ends = [j for j in (t.find(p, i) for p in "，。；") if j >= 0]
        return a, min(ends) if ends else len(t)


def mask(doc: Doc) -> Masked:
    # the recogniser's own offsets: a token-aligned span may swallow a following word (院是 is one jieba token)
    spans = [(*(sp._.kg_norm_span or (sp.start_char, sp.end_char)), sp)
             for sp in list(doc.spans.get("kg_institutions", [])) + list(doc.spans.get("kg_kinds", []))]
    spans.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    kept = []
    for s, e, sp in spans:
        if kept and s < kept[-1][1]:
            continue
        kept.append((s, e, sp))
    text, pos, i, k = [], [], 0, 0
    sentence = doc._.kg_sentence
    norm = sentence.norm.text if sentence is not None else doc.text  # doc.text rebuilds it from tokens
    while i < len(norm):
        if k < len(kept) and kept[k][0] == i:
            text.append(chr(MASK0 + k))
            pos.append(i)
            i = kept[k][1]
            k += 1
        else:
            text.append(norm[i])
            pos.append(i)
            i += 1
    return Masked("".join(text), norm, kept, pos, bool(doc._.kg_truncated))


# ---------------------------------------------------------------------------------------------
# argument phrases → parties

def split_items(mk: Masked, a: int, b: int) -> list[tuple[int, int]]:
    """Coordinated items of masked[a:b] (A、B和C), outside brackets; 以及 and 等 close a list."""
    t = mk.text
    out, depth, start = [], 0, a
    i = a
    while i < b:
        c = t[i]
        if c in "（(":
            depth += 1
        elif c in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and (c in COORD or t.startswith("以及", i)):
            out.append((start, i))
            i += 2 if t.startswith("以及", i) else 1
            start = i
            continue
        i += 1
    out.append((start, b))
    return [(x, y) for x, y in out if y > x]


def parties(mk: Masked, a: int, b: int, *, select: bool = False, complete: bool = False) -> list[Party]:
    """The parties named in masked[a:b]: each coordinated item; a bare place takes the rest of the next
    item's name (市、县区卫生计生监督所); items that are no parties before a last one that is share its
    head (一级、二级医院; 产科、儿科实力较强的医疗机构), so the whole phrase is the party.

    select: drop selection qualifiers (有条件的5—7个乡镇卫生院 → 乡镇卫生院), for subjects of
    upgrades, roles and duties where they say which ones, not what kind.
    complete: nothing unless the whole phrase is read (no item left over)."""
    P = load_patterns()  # noqa: N806 - the pattern table
    a, b = _trim(mk, a, b)
    if a >= b or mk.reaches_cut(b):
        return []
    items = split_items(mk, a, b)
    found = [party_of(mk, x, y, select=select) for x, y in items]
    if len(items) > 1 and not all(found):
        texts = [mk.unmask(x, y) for x, y in items]
        for k, (text, expanded) in enumerate(zip(texts, expand_places(P, texts), strict=True)):
            if found[k] is None and expanded != text and any(found[k + 1:]):
                found[k] = Kind(expanded, kind_of_label(expanded), _level_of_prefix(P, expanded))
    kinds_of = _kinds_of_a_count(P, mk, items, found)
    if kinds_of is not None:
        return kinds_of
    if len(items) > 1 and found[-1] is not None and not any(found[:-1]):
        whole = party_of(mk, a, b, select=select)
        if whole is not None and not isinstance(whole, Named):
            return [whole]
    if complete and not all(found):
        return []
    return list(dict.fromkeys(q for p in found if p is not None for q in _split_places(P, p)))


def _split_places(P: dict, p: Party) -> list[Party]:  # noqa: N803
    """市、县妇幼保健院 (one kind mention): the city's and the counties' ones, each as its own party, like
    市、县区妇幼保健院 written as two items."""
    m = P["coordinated_places_re"].match(p.label) if isinstance(p, Kind) else None
    if m is None:
        return [p]
    return [Kind(place + m.group("rest"), p.kind, _level_of_prefix(P, place + m.group("rest")))
            for place in m.group("places").split("、")]


def _kinds_of_a_count(P: dict, mk: Masked, items: list, found: list) -> list[Party] | None:  # noqa: N803
    """职业病监测评估、职业病危害工程防护、职业病诊断救治三类技术支撑机构及相关专业机构: A、B、C三类X names the
    three kinds A, B and C (of X), each as worded."""
    for k, (a, b) in enumerate(items):
        m = P["count_of_kinds_re"].search(mk.text, a, b)
        if m is None or found[k] is None or k == 0 or any(found[:k]) or m.start() == a:
            continue
        head = kind_of_label(mk.unmask(m.end(), b))
        named = [mk.unmask(x, y) for x, y in items[:k]] + [mk.unmask(a, m.start())]
        out: list[Party] = [Kind(text, head, _level_of_prefix(P, text)) for text in named]
        return out + [p for p in found[k + 1:] if p is not None]
    return None


def party(mk: Masked, a: int, b: int, *, select: bool = False) -> Party | None:
    """The one party masked[a:b] names (no list)."""
    a, b = _trim(mk, a, b)
    return party_of(mk, a, b, select=select) if a < b and not mk.reaches_cut(b) else None


def _trim(mk: Masked, a: int, b: int) -> tuple[int, int]:
    P = load_patterns()  # noqa: N806
    t = mk.text
    while a < b and (t[a] in " 　“”\"" or any(t.startswith(w, a) for w in P["item_openers"])):
        a += next((len(w) for w in P["item_openers"] if t.startswith(w, a)), 1)
    scope = next((w for w in P["scope_before_name"] if t.startswith(w, a)), "")
    if scope and a + len(scope) < b and mk.is_mention(t[a + len(scope)]) and mk.named(ord(t[a + len(scope)]) - MASK0):
        a += len(scope)
    while b > a and t[b - 1] in " 　“”\"":
        b -= 1
    m = P["item_closer_re"].search(t, a, b)
    if m and m.start() > a:
        b = m.start()
    for w in P["item_closers"]:
        if b - a > len(w) and t.endswith(w, a, b):
            b -= len(w)
            break
    return a, b


def party_of(mk: Masked, a: int, b: int, *, select: bool = False) -> Party | None:
    P = load_patterns()  # noqa: N806
    t = mk.text
    if a >= b:
        return None
    if select:
        m = P["selection_re"].match(t, a, b)
        if m and m.end() < b:
            a = m.end()
    note = P["bracket_note_re"].search(t, a, b)
    if note and note.end() == b and note.start() > a:
        b = note.start()  # 代表辖区医疗水平的医院（含社会办医院、中医医院）: the note is no part of the name
    raw = mk.unmask(a, b)
    ids = mk.ids(a, b)
    last = t[b - 1]
    if mk.is_mention(last) or (t[b - 1] == "）" and _bracket_after_mention(mk, a, b)):
        j = b - 1 if mk.is_mention(last) else t.rfind("（", a, b) - 1
        i = ord(t[j]) - MASK0
        span = mk.span(i)
        if span._.kg_named:
            # a named institution is a party only as the whole item (not 钦州市第二人民医院白石湖院区)
            return Named(span._.kg_key) if j == a else None
        if not _phrase_ok(P, raw):
            return None
        level = span._.kg_level or _level_of_prefix(P, raw)
        return Kind(raw, span._.kg_kind, level)
    if ids and not all(not mk.named(i) for i in ids):
        return None  # a named institution inside a longer phrase (X的Y, X某院区) is not that phrase's kind
    group = next((n for n in P["group_nouns"] if raw.endswith(n)), None)
    if group is not None:
        label = group_label(P, raw)
        if len(label) <= len(group) + (2 if group in P["group_nouns_need_words"] else 0) or not _phrase_ok(P, raw):
            return None
        return Group(label, P["consortium_nouns"][group])
    bare = re.sub(r"（[^（）]*）$", "", raw)  # 献血点（屋）
    department = P["department_re"].search(bare) is not None  # 医疗机构中的传染病科: a department of a kind
    if not (bare.endswith(P["kind_heads"]) or department) or not _phrase_ok(P, raw) or bare in P["heads_not_alone"]:
        return None  # 机构 alone names no kind
    return Kind(raw, kind_of_label(bare), _level_of_prefix(P, raw))


def _bracket_after_mention(mk: Masked, a: int, b: int) -> bool:
    j = mk.text.rfind("（", a, b)
    return j > a and mk.is_mention(mk.text[j - 1])


def _phrase_ok(P: dict, raw: str) -> bool:  # noqa: N803
    """A kind phrase: not too long, no verb outside a 的-modifier, no opening verb."""
    if len(raw) > P["kind_phrase_max"] or len(raw) < 2:
        return False
    head = raw.rsplit("的", 1)[-1]
    if any(v in head for v in P["not_in_kind_head"]):
        return False
    return not raw.startswith(tuple(P["not_kind_start"]))


def _level_of_prefix(P: dict, text: str) -> str | None:  # noqa: N803
    vocab = load_vocabulary()
    for p in P["place_prefixes"]:
        if text.startswith(p):
            return vocab.level_for(p) or (HKV + "level/municipal" if p == "市" else None)
    return None


def kind_of_label(text: str) -> str:
    """The class a phrase names by its ending (…卫生监督所 → hk:HealthSupervisionInstitute)."""
    labels = load_vocabulary().label_index()
    for n in range(len(text), 0, -1):
        if text[-n:] in labels:
            return labels[text[-n:]]
    return HK + "HealthInstitution"


def expand_places(P: dict, items: list[str]) -> list[str]:  # noqa: N803
    """市、自贸区钦州港片区、县区卫生计生监督所 → each bare place takes the next item's remainder."""
    prefixes = sorted(P["place_prefixes"], key=len, reverse=True)
    out = list(items)
    rest = None
    for i in range(len(out) - 1, -1, -1):
        item = out[i]
        bare = item in prefixes or (len(item) <= 10 and item.endswith(("片区", "新区")))
        if bare and rest:
            out[i] = item + rest
        elif not bare:
            rest = next((item[len(p):] for p in prefixes if item.startswith(p) and len(item) > len(p)), None)
    return out
