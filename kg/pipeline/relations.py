"""Relations between institutions, kinds and consortia, found with cue patterns (kg/data/relations.yaml).

The sentence is "masked": every mention recognised by the institutions component (a named institution or
a kind) becomes one private-use character, so a pattern such as `{ML}对{ML}的业务指导` speaks about
mentions, not names, and generalises to any city. `emit` turns matches into triples in the sentence's
evidence graph. In a truncated sentence (a line cut off in the source) no fact may reach the cut end.

Choices (see docs/model.md): a field of a role (在紧急医学救援、儿童医疗…等方面打造区域医疗中心) is written as
its own `hk:functionalRole` literal next to the role phrase; a thing built 依托 a host is a FunctionalUnit
(or a KindReference when it is a kind), `hk:basedOn` the host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml
from spacy.language import Language
from spacy.tokens import Doc

from kg.corpus import Sentence
from kg.paths import PACKAGE_DATA
from kg.pipeline.relation_records import Group, GroupMention, Kind, Named, Party, RelationRecord, Unit
from kg.vocab import HK, HKV, load_vocabulary

if not Doc.has_extension("kg_facts"):
    Doc.set_extension("kg_facts", default=None)

MASK0 = 0xE000


@dataclass
class Fact:
    """One extracted fact. `s`/`o` are mention indexes, literals or consortium labels.

    relation: a kg facts name ("guides", "leads", "has_role", …).
    """

    relation: str
    s: object
    o: object = None
    extra: dict = field(default_factory=dict)


@lru_cache(maxsize=1)
def load_patterns() -> dict:
    with open(PACKAGE_DATA / "relations.yaml", encoding="utf-8") as f:
        raw = yaml.safe_load(f)
    m = "[\ue000-\uf8ff](?:（[^）]*）)?"
    ml = f"{m}(?:[、和及与或]{m})*"
    out = dict(raw)
    for key, value in raw.items():
        if isinstance(value, str) and "(?P<" in value:
            out[key] = re.compile(value.replace("{ML}", ml).replace("{M}", m))
    out["consortium_strip"] = re.compile(raw["consortium_strip"])
    out["upgrade_grade"] = re.compile(raw["upgrade_grade"])
    out["widen_prefix"] = re.compile(raw["widen_prefix"])
    nouns = sorted(raw["consortium_nouns"], key=len, reverse=True)
    out["consortium_re"] = re.compile("(?:[^，。；、“”的：\ue000-\uf8ff（）]{0,14})(?:" + "|".join(nouns) + ")")
    return out


@dataclass
class Masked:
    """The sentence with mentions masked; `mentions[i]` is (start, end, span) in the normalised text."""

    text: str
    norm: str
    mentions: list
    pos: list[int]  # masked index → normalised index

    def unmask(self, a: int, b: int) -> str:
        if a >= b:
            return ""
        end = self.pos[b - 1] + (self._len(b - 1))
        return self.norm[self.pos[a]:end]

    def _len(self, i: int) -> int:
        c = self.text[i]
        if MASK0 <= ord(c) < MASK0 + len(self.mentions):
            s, e, _ = self.mentions[ord(c) - MASK0]
            return e - s
        return 1

    def ids(self, a: int, b: int) -> list[int]:
        """Mention indexes in masked[a:b], skipping those inside brackets (含…, aliases)."""
        out, depth = [], 0
        for c in self.text[a:b]:
            if c == "（":
                depth += 1
            elif c == "）":
                depth -= 1
            elif depth == 0 and MASK0 <= ord(c) < MASK0 + len(self.mentions):
                out.append(ord(c) - MASK0)
        return out


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
    norm = doc.text
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
    return Masked("".join(text), norm, kept, pos)


@Language.factory("kg_relations_v1", default_config={})
def make_relations_component(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.kg_facts = extract(doc)
        return doc

    return component


# ---------------------------------------------------------------------------------------------
# extraction: masked sentence → Facts (no RDF here)

def _clause_bounds(text: str, i: int) -> tuple[int, int]:
    a = max(text.rfind(p, 0, i) for p in "，。；：") + 1
    ends = [j for j in (text.find(p, i) for p in "，。；") if j >= 0]
    return a, min(ends) if ends else len(text)


def extract(doc: Doc) -> list[Fact]:
    P = load_patterns()  # noqa: N806 - the pattern table
    mk = mask(doc)
    t = mk.text
    cut = bool(doc._.kg_truncated)
    facts: list[Fact] = []

    def reaches_cut(end: int) -> bool:
        return cut and end >= len(t)

    def is_mention(c: str) -> bool:
        return MASK0 <= ord(c) < MASK0 + len(mk.mentions)

    first = next((i for i, c in enumerate(t) if is_mention(c)), None)
    subject = ord(t[first]) - MASK0 if first is not None else None

    # guidance: X对Y的CUE, 接受X的CUE, 负责…Y的CUE, X…下辖Y
    for cue, prop in P["guidance_cues"].items():
        for m in re.finditer(re.escape(cue), t):
            a, b = _clause_bounds(t, m.start())
            before = t[a:m.start()]
            if cue == "下辖":
                objs = [o for o in mk.ids(m.end(), b) if not reaches_cut(b)]
                subs = mk.ids(0, m.start())[-1:]
                for o in objs:
                    for s in subs:
                        facts.append(Fact("guides", s, o, {"prop": prop}))
                continue
            if "上级对下级" in before:
                scope = mk.ids(a, m.start())
                if scope:
                    facts.append(Fact("guides_updown", scope[0], None, {"prop": prop}))
                continue
            j = before.rfind("对")
            k = before.rfind("接受")
            if 0 <= k < j and not mk.ids(a + j, m.start()):
                # 接受X对<field>的业务指导: X guides the sentence's subject (the field is no mention)
                guides = mk.ids(a + k, a + j)
                subs = mk.ids(0, a + k)[:1] or [-1]
                facts.extend(Fact("guides", g, subs[0], {"prop": prop}) for g in guides)
            elif j >= 0 and k < j:
                objs = mk.ids(a + j, m.start())
                subs = mk.ids(a, a + j) or ([-1] if before[:j].strip() in ("", "负责") else [])
                for s in subs:
                    for o in objs:
                        facts.append(Fact("guides", s, o, {"prop": prop}))
            elif k >= 0:
                guides = mk.ids(a + k, m.start())
                subs = mk.ids(0, a + k)[:1] or [-1]
                for g in guides:
                    facts.append(Fact("guides", g, subs[0], {"prop": prop}))
            elif "负责" in before:
                f = before.find("负责")
                objs = mk.ids(a + f, m.start())
                subs = mk.ids(a, a + f) or [-1]
                for o in objs:
                    facts.append(Fact("guides", subs[0], o, {"prop": prop}))
            elif "由" in before and cue == "统一管理":
                # 增设A和B，其人员及业务由X统一管理: the things set up in the clause before are managed by X
                managers = mk.ids(a + before.find("由"), m.start())
                managed = P["managed_things"].search(t, 0, a)
                if managed is None or not before.startswith("其") or reaches_cut(b):
                    continue
                items = [x for x in re.split("[、和及]", mk.unmask(managed.start("items"), managed.end("items"))) if x]
                for x in managers:
                    facts.extend(Fact("guides", x, item, {"prop": prop}) for item in items)

    # functional roles: X是/作为 ROLE
    for cue in P["role_cues"]:
        for m in re.finditer(re.escape(cue), t):
            a, b = _clause_bounds(t, m.end())
            if reaches_cut(b):
                continue
            role_text = mk.unmask(m.end(), b)
            if role_text.startswith("以"):
                continue
            if not role_text.endswith(tuple(P["role_nouns"])) or len(role_text) < 3:
                continue
            ca, _ = _clause_bounds(t, m.start())
            subs = mk.ids(ca, m.start())
            if re.match(P["role_skip_start"], role_text):
                continue  # 建成2个…专科和1个…中心: things built, not what the subject becomes
            if not subs and cue == "作为":
                subs = mk.ids(0, ca)[-1:]
            elif not subs and cue in P["role_cues_carry"]:
                # conservative carry-over: the sentence speaks of one named institution only, before this clause
                before_ids = mk.ids(0, ca)
                subs = before_ids if len(before_ids) == 1 and mk.mentions[before_ids[0]][2]._.kg_named else []
            if subs and t[m.start() - 1:m.start()] in ("既", "又") or role_text.endswith("机构") and cue == "是":
                continue
            for s in subs[-1:]:
                facts.append(Fact("has_role", s, role_text))
    for m in P["role_build"].finditer(t):
        if not reaches_cut(m.end()):
            s = mk.ids(m.start(), m.start("role"))
            facts.extend(Fact("has_role", x, mk.unmask(m.start("role"), m.end("role"))) for x in s[-1:])
    target = P["role_fields_target"].search(t)
    if target and not reaches_cut(target.end()):
        role = mk.unmask(target.start("role"), target.end("role"))
        for m in P["role_fields"].finditer(t, 0, target.start()):
            s = mk.ids(m.start("s"), m.end("s"))
            if not s:
                continue
            facts.append(Fact("has_role", s[0], role))
            fields = re.split("[、和及]", mk.unmask(m.start("fields"), m.end("fields")))
            facts.extend(Fact("has_role", s[0], f, {"field": True}) for f in fields if f)

    # duties: X (主要) 负责/承担 DUTY
    for cue in P["duty_cues"]:
        for m in re.finditer(re.escape(cue), t):
            a, b = _clause_bounds(t, m.end())
            if reaches_cut(b) or b - m.end() < 2:
                continue
            duty = mk.unmask(m.end(), b)
            if duty.startswith(tuple(P["duty_skip_after"])):
                continue
            if any(g in duty for g in P["guidance_cues"]) and "对" in duty:
                continue
            before = t[a:m.start()]
            for adv in P["duty_adverbs"]:
                before = before.removesuffix(adv)
            if before and is_mention(before[-1]):
                subs = [ord(before[-1]) - MASK0]
            elif before.strip() == "" and a > 0 and subject is not None and first is not None and first < a \
                    and first <= t.find("：") + 2:
                subs = [subject]  # a later clause of the same sentence: the sentence's subject
            else:
                continue
            facts.extend(Fact("responsible_for", s, duty) for s in subs)

    # referral
    for m in P["referral_in"].finditer(t):
        if subject is not None and first is not None and first < m.start():
            facts.extend(Fact("refers", o, subject) for o in mk.ids(m.start("o"), m.end("o")) if o != subject)
        elif first is not None and first >= m.start():
            # no subject before: the topic (——市级医院。主要…，接受下级医院转诊) receives the patients
            facts.extend(Fact("refers", o, -1) for o in mk.ids(m.start("o"), m.end("o")))
    for m in P["referral_out"].finditer(t):
        if subject is not None and first is not None and first < m.start():
            facts.extend(Fact("refers", subject, o) for o in mk.ids(m.start("o"), m.end("o")) if o != subject)
    for m in P["referral_both"].finditer(t):
        sides: list[object] = []
        for g in ("a", "b"):
            text = mk.unmask(m.start(g), m.end(g))
            for w in P["referral_strip"]:
                text = text.split(w)[-1]
            ids = [i for i in mk.ids(m.start(g), m.end(g)) if mk.norm[mk.mentions[i][0]:mk.mentions[i][1]] == text]
            sides.append(ids[0] if ids else text)
        facts.append(Fact("refers_both", sides[0], sides[1]))

    # consortia
    consortia = [c for c in _consortium_terms(P, mk) if not reaches_cut(c[1])]
    for m in P["consortium_lead"].finditer(t):
        cons = [c for c in consortia if c[1] > m.start("cons") and c[0] < m.end("cons")]
        for c in cons[:1]:
            facts.extend(Fact("leads", s, c[2], {"cls": c[3], "widen": True})
                         for s in mk.ids(m.start("s"), m.end("s")))
    for m in P["consortium_members"].finditer(t):
        cons = [c for c in consortia if c[0] >= m.start("cons")]
        for c in cons[:1]:
            facts.extend(Fact("leads", s, c[2], {"cls": c[3], "widen": True})
                         for s in mk.ids(m.start("s"), m.end("s")))
            facts.extend(Fact("member_of", s, c[2], {"cls": c[3], "role": "member", "widen": True})
                         for s in mk.ids(m.start("m"), m.end("m")))
    for m in P["consortium_each"].finditer(t):
        subs = mk.ids(m.start("s"), m.end("s"))
        cons = [c for c in consortia if c[1] > m.start("cons") and c[0] < m.end("cons")]
        if cons and len(subs) == int(m.group("n")) > 1:
            facts.extend(Fact("leads", s, cons[0][2], {"cls": cons[0][3], "each": True}) for s in subs)
        elif cons:
            facts.extend(Fact("leads", s, cons[0][2], {"cls": cons[0][3]}) for s in subs)
    if consortia and ("以" in t):
        start = t.find("以")
        for m in P["consortium_role"].finditer(t, start):
            role = m.group("role") or ("牵头" if "牵头" in m.group(0) else None)
            if role is None or reaches_cut(m.end()):
                continue
            # the consortium named in the same sentence nearest to the role assignment
            c = min(consortia, key=lambda c: abs(c[0] - m.start()))
            vrole = P["consortium_roles"][role]
            for s in mk.ids(m.start("m"), m.end("m")):
                facts.append(Fact("leads" if vrole == "lead" else "member_of", s, c[2],
                                  {"cls": c[3], "role": vrole}))
    for c in consortia:
        if c[3] != "ServiceSystem":
            facts.append(Fact("group", c[2], None, {"cls": c[3]}))

    # systems: 体系由A，B和C组成
    for m in P["system_members"].finditer(t):
        if m.group("end") == "" and not cut:
            continue
        label = P["consortium_strip"].sub("", mk.unmask(m.start("sys"), m.end("sys")))
        items_text = mk.unmask(m.start("items"), m.end("items"))
        items = [x for x in re.split("[，、]|和(?!.*和)|及", items_text) if x]
        if m.group("end") == "":
            items = items[:-1]  # the last item runs into the cut
        facts.extend(Fact("member_of", x, label, {"cls": "ServiceSystem", "role": "member", "text": True})
                     for x in _expand_places(P, items))

    # based on: 依托HOST VERB UNIT
    for m in P["based_on"].finditer(t):
        a, b = m.start("unit"), m.end("unit")
        if reaches_cut(b):
            continue
        unit = mk.unmask(a, b).removeprefix("的")
        if not unit.endswith(tuple(P["unit_nouns"])):
            continue
        hosts = mk.ids(m.start("host"), m.end("host"))
        unit_ids = mk.ids(a, b)
        unit_obj: object = unit_ids[0] if len(unit_ids) == 1 and mk._len(a) == len(unit) and is_mention(t[a]) \
            else unit
        for h in hosts:
            facts.append(Fact("based_on", unit_obj, h))
            if m.group("verb") == "创建":
                facts.append(Fact("has_role", h, unit))

    # cooperation / integration
    for m in P["pair"].finditer(t):
        prop = P["pair_cues"][m.group("cue")]
        for x in mk.ids(m.start("a"), m.end("a")):
            for y in mk.ids(m.start("b"), m.end("b")):
                facts.append(Fact("pair", x, y, {"prop": prop}))

    # upgrade targets
    for m in P["upgrade"].finditer(t):
        g = "t1" if m.group("t1") else "t2"
        if reaches_cut(m.end(g)) or g == "t2" and not P["upgrade_grade"].match(mk.unmask(m.start(g), m.end(g))):
            continue
        s = mk.ids(m.start("s"), m.end("s"))
        facts.extend(Fact("upgrade_to", x, mk.unmask(m.start(g), m.end(g))) for x in s)
    for f in facts:
        f.extra["masked"] = mk
    return facts


def _consortium_terms(P: dict, mk: Masked) -> list[tuple[int, int, str, str]]:  # noqa: N803
    """(masked start, end, label, class) of consortium / system names in the sentence."""
    out = []
    nouns = sorted(P["consortium_nouns"], key=len, reverse=True)
    for m in P["consortium_re"].finditer(mk.text):
        raw = mk.text[m.start():m.end()]
        label = P["consortium_strip"].sub("", raw)
        if len(label) < 2:
            continue
        noun = next(n for n in nouns if label.endswith(n) or n in label)
        if noun == "体系" and len(label) <= 4:
            continue
        end = m.end()
        if mk.text.startswith("（", end) and "）" in mk.text[end:]:
            end = mk.text.index("）", end) + 1  # 城市医疗联合体（医疗集团）
            label = label + mk.text[m.end():end]
        out.append((m.start() + len(raw) - len(P["consortium_strip"].sub("", raw)), end, label,
                    P["consortium_nouns"][noun]))
    return out


def _expand_places(P: dict, items: list[str]) -> list[str]:  # noqa: N803
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


# ---------------------------------------------------------------------------------------------
# facts → records, with the plan's running state


@dataclass
class PlanReader:
    """Reads one plan's sentences in order and turns their facts into relation records.

    The state is the plan's own: `topic` is the kind or institution a heading or a label sentence
    (1.健康教育机构。) names, the subject of the subject-less sentences after it; `previous` is the
    last sentence with a mention, whose first mention a sentence opening with 并 continues.
    """

    topic: Party | None = None
    previous: tuple[Masked, Sentence] | None = None

    def read(self, sentence: Sentence, doc: Doc) -> list[RelationRecord | GroupMention]:
        facts = doc._.kg_facts if doc._.kg_facts is not None else extract(doc)
        if sentence.kind == "heading":
            # a heading naming a kind is the topic of the following subject-less sentences (并接受…的业务指导)
            mk = mask(doc)
            self.topic = _party_of_mention(mk, 0) if mk.mentions else None
            return []
        mk0 = facts[0].extra["masked"] if facts else mask(doc)
        if P_topic(mk0.text):
            # a sentence that is only a numbered kind (1.健康教育机构。) is the topic of what follows, like a heading
            self.topic = _party_of_mention(mk0, 0)
            return []
        previous = self.previous
        self.previous = (mk0, sentence) if mk0.mentions else None

        def party(f: Fact, x: object, widen: bool = False) -> Party | None:
            mk: Masked = f.extra["masked"]
            if isinstance(x, int):
                if x < 0:
                    if previous is not None and mk.text.lstrip().startswith("并") \
                            and previous[1].section == sentence.section and previous[1].end <= sentence.start:
                        return _party_of_mention(previous[0], 0)
                    return self.topic
                return _party_of_mention(mk, x, widen)
            if isinstance(x, str):
                return _party_of_text(x)
            return None

        out: list[RelationRecord | GroupMention] = []

        def add(relation: str, s: Party | None, o: Party | str | None, term: str | None = None) -> None:
            if s is not None and o is not None and s != o:
                out.append(RelationRecord(relation, s, o, sentence, term))

        for f in facts:
            rel = f.relation
            if rel == "guides":
                add("guides", party(f, f.s), party(f, f.o), f.extra["prop"])
            elif rel == "guides_updown":
                _, _, span = f.extra["masked"].mentions[f.s]
                noun = span._.kg_surface
                for p in ("各级", "各类"):
                    noun = noun.removeprefix(p)
                up, down = (Kind(w + noun, span._.kg_kind) for w in load_patterns()["upper_lower"])
                add("guides", up, down, f.extra["prop"])
            elif rel in ("has_role", "responsible_for", "upgrade_to"):
                add(rel, party(f, f.s), str(f.o))
            elif rel in ("refers", "refers_both"):
                add(rel, party(f, f.s), party(f, f.o))
            elif rel == "pair":
                add(f.extra["prop"], party(f, f.s), party(f, f.o))
            elif rel in ("leads", "member_of"):
                member = party(f, f.s, widen=bool(f.extra.get("widen")))
                label = str(f.o)
                if f.extra.get("each"):
                    label = f.extra["masked"].mentions[f.s][2]._.kg_name + _tail_noun(label)
                role = f.extra.get("role", "lead" if rel == "leads" else "member")
                add(rel, member, Group(label, f.extra["cls"]), role)
            elif rel == "based_on":
                unit = party(f, f.s) if isinstance(f.s, int) else Unit(str(f.s))
                add("based_on", unit, party(f, f.o))
            elif rel == "group":
                out.append(GroupMention(Group(str(f.s), f.extra["cls"]), sentence))
        return out


def _party_of_mention(mk: Masked, i: int, widen: bool = False) -> Party:
    s, e, span = mk.mentions[i]
    if span._.kg_named:
        return Named(span._.kg_key)
    surface = span._.kg_surface
    if widen:
        P = load_patterns()  # noqa: N806 - the pattern table
        j = s
        while j > 0 and s - j < P["widen_max"] and mk.norm[j - 1] not in P["widen_stop"]:
            j -= 1
        if j > 0 and mk.norm[j - 1] not in P["widen_stop"]:
            j = s
        widened = P["widen_prefix"].search(mk.norm[j:s])
        surface = mk.norm[s - len(widened.group(0)) if widened else s:e]
    return Kind(surface, span._.kg_kind, span._.kg_level)


def _party_of_text(text: str) -> Kind:
    """A list item that is no recognised mention: a kind of the closest class by its ending."""
    vocab = load_vocabulary()
    labels = vocab.label_index()
    kind = HK + "HealthInstitution"
    for n in range(len(text), 0, -1):
        if text[-n:] in labels:
            kind = labels[text[-n:]]
            break
    level = None
    for p in load_patterns()["place_prefixes"]:
        if text.startswith(p):
            level = vocab.level_for(p) or (HKV + "level/municipal" if p == "市" else None)
            break
    return Kind(text, kind, level)


def P_topic(masked: str) -> bool:  # noqa: N802 - reads like the pattern it applies
    return load_patterns()["topic_label"].fullmatch(masked.strip()) is not None


def _tail_noun(label: str) -> str:
    nouns = sorted(load_patterns()["consortium_nouns"], key=len, reverse=True)
    return next((n for n in nouns if label.endswith(n)), label)
