"""Relations and roles as plans state them, found with cue patterns (kg/data/relations.yaml).

Two steps, one job each:
- the spaCy component `kg_relations_v1` reads one sentence (mentions masked, see relation_text.py)
  into a SentenceReading: facts whose parties are named institutions, kinds as worded, consortia and
  systems; a fact whose subject the sentence leaves out carries `TOPIC` instead;
- a PlanReader, one per plan, reads the sentences in order and fills `TOPIC` from the plan's own
  structure: a heading or a label line naming a kind or an institution (1.健康教育机构。/ ——市级医院。/
  （三）基层医疗卫生机构。) is the subject of the subject-less sentences under it (功能定位：主要承担…);
  a sentence opening with 并 continues the previous sentence's first party. It emits RelationRecords
  (relation_records.py), which kg/build_relations.py writes as quads.

A subject left out of a later clause is the sentence's subject (X是…中心，承担…任务); a role or an
upgrade may also take the party an opening verb is about (提升X…能力，作为…医院). Nothing is carried
further than that. In a truncated sentence (a line cut off in the source) no fact reaches the cut.

Choices (see docs/model.md): a field of a role (在紧急医学救援、儿童医疗…等方面打造区域医疗中心) is written as
its own role next to the role phrase; a thing built 依托 a host is a unit (or a kind, when the plan
words it as one) based on the host; 建设成为/建成 X is both an upgrade target and a role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from spacy.language import Language
from spacy.tokens import Doc

from kg.corpus import Sentence
from kg.pipeline.relation_records import Group, GroupMention, Kind, Named, Party, RelationRecord, Unit
from kg.pipeline.relation_text import (
    COORD,
    MASK0,
    Masked,
    group_label,
    kind_of_label,
    load_patterns,
    mask,
    parties,
    party,
    split_items,
)
from kg.vocab import HK

if not Doc.has_extension("kg_relations"):
    Doc.set_extension("kg_relations", default=None)


class Carry(Enum):
    """A party the sentence leaves out, filled in by the PlanReader."""

    TOPIC = "topic"
    BEFORE_NOTE = "before_note"  # the subject of the previous sentence, cut off inside a bracketed note


Arg = Party | Carry


@dataclass
class Fact:
    """One fact of a sentence. relation: a kg facts name; term: see RelationRecord."""

    relation: str
    s: Arg
    o: Arg | str
    term: str | None = None
    of_kind: bool = False  # a composition: the whole (member_of's object) may be a kind of institution


@dataclass
class SentenceReading:
    facts: list[Fact] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)  # consortia named in the sentence
    is_label: bool = False  # a label line (1.健康教育机构。 ——市级。 5.政府主导，多元参与。)
    label: Party | None = None  # the party a label line or heading names and nothing else
    lead: Party | None = None  # the sentence's first party
    continues: bool = False  # opens with 并: continues the previous sentence
    subjectless: bool = False  # opens with its predicate (承担…, 主要负责…): in a paragraph, the previous sentence's
    note_subject: Party | None = None  # ends inside an open bracketed note: the subject of the clause before it


@Language.factory("kg_relations_v1", default_config={})
def make_relations_component(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        doc._.kg_relations = read_sentence(doc)
        return doc

    return component


# ---------------------------------------------------------------------------------------------
# one sentence

class SentenceAnalysis:
    """The masked sentence with its clauses and their subjects; the families below read facts from it."""

    def __init__(self, mk: Masked, heading: bool = False) -> None:
        self.mk = mk
        self.heading = heading  # the sentence is a heading of the plan
        self.t = mk.text
        self.P = load_patterns()
        self.start = self._body_start()
        self.clauses = self._clauses()
        self.subjectless = self.t.startswith(tuple(self.P["subjectless_openers"]), self.start)
        self.position = self._position_phrase()
        self.subjectless = self.subjectless or self.position is not None
        self.clause_subjects = [self._clause_subject(a, b) for a, b in self.clauses]
        self.note_end = self._note_end()
        self.focus = self._focus()

    def _body_start(self) -> int:
        """After a numbering or dash opening and a short label (功能定位：, **职责分工：**)."""
        m = self.P["sentence_label_re"].match(self.t)
        return m.end() if m else 0

    def _clauses(self) -> list[tuple[int, int]]:
        out, depth, a = [], 0, self.start
        for i, c in enumerate(self.t):
            if i < self.start:
                continue
            if c in "（(":
                depth += 1
            elif c in "）)":
                depth = max(0, depth - 1)
            elif depth == 0 and c in "，。；：！？":
                out.append((a, i))
                a = i + 1
        out.append((a, len(self.t)))
        return out

    def _note_end(self) -> int:
        """A sentence the source split inside a bracketed note (（含中医类医院。中医类医院包括…，下同），争取…)
        opens with the note's end: where its unopened bracket closes (-1: none). What comes before it is the
        note's, so no subject is carried across it."""
        depth = 0
        for i, c in enumerate(self.t):
            depth += 1 if c == "（" else -1 if c == "）" else 0
            if depth < 0:
                return i
        return -1

    def open_note_subject(self) -> Party | None:
        """每…人口设置1-2所市办综合性医院（含中医类医院。: a sentence cut off inside a bracketed note; the one
        party the clause before the note states (the next sentence's clauses after the note take it)."""
        opened: list[int] = []
        for i, c in enumerate(self.t):
            if c == "（":
                opened.append(i)
            elif c == "）" and opened:
                opened.pop()
        if not opened:
            return None
        a = self.clauses[self.clause_index(opened[0])][0]
        found = self._clause_subject(a, opened[0]) if opened[0] > a else None
        return found[0] if found and len(found) == 1 else None

    def _position_phrase(self) -> str | None:
        """功能定位：县域医疗中心，主要承担…: after a label of functional position, a first clause that is a
        bare phrase ending in a role noun (no predicate, no named institution) is the topic's role, and the
        clauses after it have no subject of their own."""
        if self.start == 0 or self.P["position_label_re"].search(self.t, 0, self.start) is None:
            return None
        a, b = self.clauses[0]
        phrase = self.mk.unmask(a, b)
        if len(phrase) < 3 or self.P["predicate_re"].search(self.t, a, b) \
                or any(self.mk.named(i) for i in self.mk.ids(a, b)):
            return None
        return phrase if phrase.endswith(tuple(self.P["role_nouns"])) else None

    def clause_index(self, p: int) -> int:
        return next((i for i, (a, b) in enumerate(self.clauses) if a <= p <= b), len(self.clauses) - 1)

    # -- subjects ---------------------------------------------------------------------------------
    def strip_adverbs(self, a: int, b: int) -> int:
        t = self.t
        changed = True
        while changed and b > a:
            changed = False
            for adv in self.P["predicate_adverbs"]:
                if t.endswith(adv, a, b) and b - len(adv) >= a:
                    b -= len(adv)
                    changed = True
                    break
            when = self.P["time_adverbial_re"].search(t, a, b)
            if not changed and when is not None and when.start() > a:
                b, changed = when.start(), True
        return b

    def strip_openers(self, a: int, b: int) -> int:
        t = self.t
        changed = True
        while changed and a < b:
            changed = False
            for w in self.P["clause_openers"]:
                if t.startswith(w, a, b):
                    a += len(w)
                    changed = True
                    break
        return a

    def np_before(self, a: int, p: int, *, select: bool = False) -> list[Party] | None:
        """Parties of the noun phrase masked[a:p] that ends right before a predicate.

        None: nothing is there (the subject is left out); []: something that is no party is there."""
        b = self.strip_adverbs(a, p)
        commission = self.P["commission_tail_re"].search(self.t, a, b)  # X受Y委托开展…: X
        b = self.strip_adverbs(a, commission.start()) if commission else b
        a = self.strip_openers(a, b)
        tail = next((w for w in self.P["subject_tails"] if self.t.endswith(w, a, b) and b - len(w) > a), None)
        b -= len(tail) if tail else 0  # X的功能定位是… → X
        if a >= b:
            return None
        found = parties(self.mk, a, b, select=select)
        if found:
            return found
        return self.leading_parties(a, b, select=select)

    def prefix_parties(self, a: int, b: int, *, select: bool = False) -> list[Party]:
        """The parties a phrase opens with (对医疗机构疾病预防控制工作的技术指导 → 医疗机构)."""
        for e in range(b, a, -1):
            if e < b and self.t[e] in COORD:
                continue
            found = parties(self.mk, a, e, select=select, complete=True)
            if found:
                return found
        return []

    def leading_parties(self, a: int, b: int, *, select: bool = False) -> list[Party]:
        """公立医院和社会办医院按照…原则互相组建: the parties a clause opens with, before an adverbial."""
        t = self.t
        for e in range(b - 1, a, -1):
            if t[e - 1] in COORD or not t.startswith(tuple(self.P["adverbial_openers"]), e):
                continue
            found = parties(self.mk, a, e, select=select)
            if found and len(found) == len(split_items(self.mk, a, e)):
                return found
        return []

    def _only_object_openers(self, a: int, p: int) -> bool:
        """推动建成Y: an opening verb with no object of its own before the predicate."""
        b = self.strip_adverbs(a, p)
        seen = False
        while a < b:
            w = next((w for w in self.P["object_openers"] if self.t.startswith(w, a, b)), None)
            if w is None:
                return False
            a += len(w)
            seen = True
        return seen

    def _clause_subject(self, a: int, b: int) -> list[Party] | None:
        """The subject a clause states, which later subject-less clauses take. None: none stated (a
        clause opening with its predicate, a role of a list: 以X为骨干 / 医疗机构为依托)."""
        t = self.t
        if b < len(t) and t[b] in "：:" and (named := party(self.mk, a, b)) is not None:
            return [named]  # 1.钦州市第一人民医院：主要承担…  the label is the subject of what follows
        if t.startswith(tuple(self.P["subjectless_openers"]), a) or self.P["member_role_clause_re"].search(t, a, b):
            return None
        setup = self.P["setup_clause_re"].fullmatch(t, a, b)
        if setup is not None and (made := party(self.mk, setup.start("m"), setup.end("m"), select=True)):
            return [made]  # 设立一个市级中心血站，负责…: what is set up is the subject of what follows
        m = self.P["predicate_re"].search(t, a, b)
        if m is None:
            # 钦州市精神病医院（钦州市心理卫生中心），既是…，又是…: a sentence opening with a name alone
            # in its clause is about that institution
            alone = parties(self.mk, a, b, complete=True) if a == self.start else []
            return alone if len(alone) == 1 and isinstance(alone[0], Named) else None
        de = t.rfind("的", m.end(), b)
        if de > 0 and m.group(0) not in self.P["copulas"]:  # X是…的Y: Y is what X is, X the subject
            # …等为成员的紧密型城市医疗集团: the clause is one noun phrase; its head is what it names
            head = party(self.mk, de + 1, b)
            if head is not None:
                return [head]
        return self.np_before(a, m.start(), select=True)

    def subjects(self, p: int, *, carry: str = "sentence", select: bool = False) -> list[Arg]:
        """The subject(s) of a predicate at masked index p.

        A clause without a subject takes the subject of the nearest clause before it that has one
        (X是…中心，承担…任务); when none has, the topic if the sentence opens with its predicate
        (功能定位：主要承担…); with carry="focus" also the party the sentence's opening verb is about
        (提升X…能力，作为…医院). carry="none": no carrying."""
        ci = self.clause_index(p)
        a = self.clauses[ci][0]
        found = self.np_before(a, p, select=select)
        if found is not None:
            return list(found)
        if carry == "none" or self._only_object_openers(a, p):
            return []
        for j in range(ci - 1, -1, -1):
            if self.clauses[j][0] <= self.note_end < self.clauses[j][1] + 1:
                # the clauses before are a note's (the source split the sentence inside it): the subject is
                # that of the clause the note stands in, in the previous sentence
                return [Carry.BEFORE_NOTE]
            before = self.clause_subjects[j]
            if before:
                return list(before)
            if before == [] and not self.subjectless and carry != "nearest":
                return []  # a clause with a subject that is no party (卫生健康部门要…) ends the carrying
        if self.subjectless:
            return [Carry.TOPIC]
        if carry in ("focus", "nearest"):
            return list(self.focus)
        return []

    def _focus(self) -> list[Party]:
        """提升X…/支持X、Y…/将有条件的X…: the parties right after the sentence's opening verb."""
        t = self.t
        m = self.P["focus_re"].match(t, self.start)
        if m is None:
            return []
        i = m.end()
        sel = self.P["selection_re"].match(t, i)
        if sel and sel.end() < len(t) and self.mk.is_mention(t[sel.end()]):
            i = sel.end()
        j = i
        while j < len(t) and (self.mk.is_mention(t[j]) or (t[j] in COORD and j + 1 < len(t)
                                                          and self.mk.is_mention(t[j + 1]))):
            j += 1
        return [p for k in range(i, j) if self.mk.is_mention(t[k]) and (p := party(self.mk, k, k + 1)) is not None]

    # -- helpers ------------------------------------------------------------------------------------
    def label(self) -> tuple[bool, Party | None]:
        """A label line or heading (1.健康教育机构。 ——市级医院。 5.政府主导，多元参与。): whether the
        sentence is one, and the party it names when it names only that."""
        m = self.P["label_re"].fullmatch(self.t.strip())
        if m is None and self.heading:
            m = self.P["heading_label_re"].fullmatch(self.t.strip())  # ### 柳州市人民医院: a heading needs no number
        if m is None:
            return False, None
        a, b = m.start("x"), m.end("x")
        if not self.P["label_party_re"].fullmatch(self.t, a, b):
            return True, None
        tail = self.P["label_topic_tail_re"].search(self.t, a, b)  # （一）县级医院的功能定位: 县级医院
        return True, party(self.mk, a, tail.start() if tail and tail.start() > a else b)


def read_sentence(doc: Doc) -> SentenceReading:
    mk = mask(doc)
    sentence = doc._.kg_sentence
    S = SentenceAnalysis(mk, heading=sentence is not None and sentence.kind == "heading")  # noqa: N806
    is_label, named = S.label()
    reading = SentenceReading(is_label=is_label, label=named)
    first = next((i for i, c in enumerate(mk.text) if mk.is_mention(c)), None)
    reading.lead = party(mk, first, first + 1) if first is not None else None
    reading.continues = mk.text.lstrip().startswith("并")
    reading.subjectless = S.subjectless and S.start == 0
    reading.note_subject = S.open_note_subject()
    if named is not None:
        return reading
    groups = consortium_terms(S)
    for family in FAMILIES:
        reading.facts.extend(family(S, groups))
    reading.groups = [Group(label, cls) for _, _, label, cls in groups if cls != "ServiceSystem"]
    return reading


# ---------------------------------------------------------------------------------------------
# families of relations: each reads facts from the sentence

def guidance(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """X对Y的业务指导, 对Y开展技术指导, 接受X的业务指导, 负责Y的业务指导, 由X统一管理, X下辖Y, 指导Y…"""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for cue, prop in P["guidance_cues"].items():
        for m in re.finditer(re.escape(cue), t):
            a, b = mk.clause(m.start())
            before = t[a:m.start()]
            if prop == "administers":  # 下辖, 下设
                if not mk.reaches_cut(b):
                    objs = parties(mk, m.end(), _cut_counts(P, t, m.end(), b))
                    subs = S.subjects(m.start(), carry="focus")
                    facts.extend(Fact("guides", s, o, prop) for s in subs[:1] for o in objs)
                continue
            if "上级对下级" in before:
                scope = mk.ids(a, m.start())
                if scope:
                    span = mk.span(scope[0])
                    noun = span._.kg_surface
                    for p in P["upper_lower_strip"]:
                        noun = noun.removeprefix(p)
                    up, down = (Kind(w + noun, span._.kg_kind) for w in P["upper_lower"])
                    facts.append(Fact("guides", up, down, prop))
                continue
            j = before.rfind("对")
            k = before.rfind("接受")
            if 0 <= k < j and not mk.ids(a + j, m.start()):
                # 接受X对<field>的业务指导: X guides the sentence's subject (the field is no mention)
                guides = parties(mk, a + k + 2, a + j)
                facts.extend(Fact("guides", g, s, prop) for g in guides for s in S.subjects(a + k, carry="focus")[:1])
            elif j >= 0 and k < j:
                # X对Y(的|开展|进行)CUE; 对下级的CUE: the subject's own kind one level down
                tail = P["guidance_object_tail_re"].search(t, a + j + 1, m.start())
                end = tail.start() if tail else m.start()
                subs = S.subjects(a + j)
                if t[a + j + 1:end] == "下级":
                    objs = [Kind("下级" + _noun_of(s), s.kind) for s in subs if isinstance(s, Kind)]
                else:
                    objs = parties(mk, a + j + 1, end) or S.prefix_parties(a + j + 1, end)
                facts.extend(Fact("guides", s, o, prop) for s in subs for o in objs)
            elif k >= 0:
                # 接受X的(康复)业务指导: X ends at its 的 (a field of the guidance may stand after it)
                de = t.find("的", a + k + 2, m.start())
                end = de if de >= 0 and not mk.ids(de, m.start()) else _strip_de(t, a + k + 2, m.start())
                guides = parties(mk, a + k + 2, end)
                facts.extend(Fact("guides", g, s, prop) for g in guides for s in _receivers(S, a + k))
            elif "负责" in before:
                f = before.find("负责")
                objs = parties(mk, a + f + 2, _strip_de(t, a + f + 2, m.start()))
                facts.extend(Fact("guides", s, o, prop) for s in S.subjects(a + f)[:1] for o in objs)
            elif "由" in before and cue == "统一管理":
                facts.extend(_managed_by(S, a, b, before, m, prop))
    facts.extend(_grassroots_guidance(S))
    # Y由X托管
    for m in P["guided_by_re"].finditer(t):
        guides = parties(mk, m.start("s"), m.end("s"))
        term = P["guide_verbs"][m.group("cue")]
        if not mk.reaches_cut(m.end()):
            facts.extend(Fact("guides", g, s, term) for g in guides for s in S.subjects(m.start()))
    # X派驻专家到Y / X向Y派驻…: only to named institutions (派驻专家到卫生院坐诊 names none)
    for m in P["dispatch_re"].finditer(t):
        objs = [o for o in parties(mk, m.start("o"), m.end("o")) if isinstance(o, Named)]
        if objs and not mk.reaches_cut(m.end()):
            senders = [s for s in S.subjects(m.start()) if isinstance(s, Named | Carry)]
            facts.extend(Fact("guides", s, o) for s in senders for o in objs)
    # bare 指导 as a verb: 培训和指导基层医疗卫生机构人员
    for m in P["guide_verb_re"].finditer(t):
        objs = parties(mk, m.start("o"), m.end("o"))
        term = P["guide_verbs"][m.group("cue")]
        if objs and not mk.reaches_cut(m.end("o")):
            facts.extend(Fact("guides", s, o, term) for s in S.subjects(m.start()) for o in objs)
    return facts


def _receivers(S: SentenceAnalysis, p: int) -> list[Arg]:  # noqa: N803
    """Who 接受 guidance at p: each party its own clause names before it (A、B接受X的业务指导), else the
    one subject carried to the clause."""
    stated = S.np_before(S.clauses[S.clause_index(p)][0], p)
    return list(stated) if stated else S.subjects(p, carry="focus")[:1]


def _grassroots_guidance(S: SentenceAnalysis) -> list[Fact]:  # noqa: N803
    """X承担…和基层指导 / 其中…基层技术指导是核心职能: X guides the primary-level institutions. X is the
    subject of the clause's predicate before the cue, else the one carried to the clause, else the subject of
    the duties the sentence lists before it."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for m in P["grassroots_guidance_re"].finditer(t):
        if mk.reaches_cut(m.end()):
            continue
        a, _ = mk.clause(m.start())
        pred = P["predicate_re"].search(t, a, m.start())
        subs = S.subjects(pred.start() if pred else a)
        duty = list(P["duty_cue_re"].finditer(t, 0, m.start())) if not subs else []
        if duty:  # X的基本职能包括…，其中…基层技术指导是核心职能: one of X's duties
            c = duty[-1].start()
            subs = S.subjects(c - (1 if t.endswith(P["duty_possessive"], 0, c) else 0), select=True)
        label = P["grassroots_kind"]
        prop = P["guidance_cues"].get(m.group("cue") + "指导") if m.group("cue") else None
        # 各级疾病预防控制机构: all levels of the kind guide, so the kind itself (as in compositions)
        facts.extend(Fact("guides", _unqualified(P, s), Kind(label, kind_of_label(label)), prop) for s in subs
                     if isinstance(s, Kind | Named | Carry))
    return facts


def _managed_by(S: SentenceAnalysis, a: int, b: int, before: str, m, prop: str) -> list[Fact]:  # noqa: N803
    """增设A和B，其工作人员及业务由X统一管理: the things set up in the clause before are managed by X."""
    mk, t, P = S.mk, S.t, S.P  # noqa: N806
    managers = parties(mk, a + before.find("由") + 1, m.start())
    managed = P["managed_things"].search(t, 0, a)
    if managed is None or not before.startswith("其") or mk.reaches_cut(b):
        return []
    items = parties(mk, managed.start("items"), managed.end("items"))
    return [Fact("guides", x, item, prop) for x in managers for item in items]


def _noun_of(kind: Kind) -> str:
    """专业公共卫生机构 → 专业公共卫生机构; 市级妇幼保健机构 → 妇幼保健机构 (a level word dropped)."""
    P = load_patterns()  # noqa: N806
    label = kind.label
    for p in P["upper_lower_strip"]:
        label = label.removeprefix(p)
    return label


def _strip_de(t: str, a: int, b: int) -> int:
    return b - 1 if b > a and t[b - 1] == "的" else b


def _cut_counts(P: dict, t: str, a: int, b: int) -> int:  # noqa: N803
    m = P["count_tail_re"].search(t, a, b)
    return m.start() if m else b


def roles(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """X是/作为/建设成为/打造 ROLE; 发挥X的R作用; 支持X建设R学科; 建设X以…为重点的…中心; 支持X在…方面打造…"""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = [Fact("has_role", Carry.TOPIC, S.position)] if S.position else []
    for m in P["role_cue_re"].finditer(t):
        cue = m.group("cue")
        dual = cue == "是" and t.endswith(tuple(P["dual_role_before_shi"]), 0, m.start())
        if cue == "是" and t.endswith(tuple(P["not_role_before_shi"]), 0, m.start()):
            continue
        a, b = mk.clause(m.end())
        if mk.reaches_cut(b):
            continue
        role_text = mk.unmask(m.end(), b)
        if role_text.startswith(tuple(P["role_skip_prefix"])) or len(role_text) < 3:
            continue
        # 把X医院骨科打造成…重点专科: a department becomes a speciality (no role of a whole institution)
        of_department = role_text.endswith(tuple(P["department_role_nouns"])) and cue in P["role_cues_carry"]
        if not (role_text.endswith(tuple(P["role_nouns"])) or of_department or P["part_role_re"].search(role_text)) \
                or P["role_skip_start_re"].match(role_text):
            continue  # 建成2个…专科和1个…中心: things built, not what the subject becomes
        if cue == "是" and role_text.endswith(tuple(P["class_not_role"])) and not dual \
                and not P["definition_role_re"].search(role_text) and not P["part_role_re"].search(role_text):
            continue  # 是…机构 / 是…体系的主体: a classification or a membership, not a functional role
            # (既是A，又是B names two capacities of one institution: both are its roles)
        carry = "focus" if cue in P["role_cues_carry"] else "sentence"
        centre = P["guidance_centre_re"].match(role_text)
        guided = centre.group("scope") + centre.group("field") + P["guidance_centre_noun"] if centre else None
        subs = [] if of_department else S.subjects(m.start(), carry=carry, select=True)
        if not subs and cue in P["role_cues_carry"]:
            subs = _department(S, m.start(), facts)  # 把X医院心血管内科打造成…: the department's role
        for s in subs:
            for item in role_items(P, role_text):
                facts.append(Fact("has_role", s, item))
                if cue in P["upgrade_role_cues"]:
                    facts.append(Fact("upgrade_to", s, item))
            if guided is not None:  # 是全市妇幼保健业务指导中心: guides 全市妇幼保健机构
                facts.append(Fact("guides", s, Kind(guided, kind_of_label(guided)), "businessGuidance"))
    for m in P["role_as_re"].finditer(t):
        role = mk.unmask(m.start("role"), m.end("role"))
        ids = mk.ids(m.start("s"), m.end("s"))
        if not ids or not all(mk.named(i) for i in ids) or mk.reaches_cut(m.end()):
            continue
        if not role.endswith(tuple(P["role_nouns"])) or role in P["consortium_roles"] \
                or P["role_skip_start_re"].match(role):
            continue
        facts.extend(Fact("has_role", s, item) for s in parties(mk, m.start("s"), m.end("s"))
                     for item in role_items(P, role))
        holders = parties(mk, m.start("s"), m.end("s"))
        facts.extend(_office_in_group(P, groups, holders, m.start("role"), m.end("role"), t))
    for m in P["role_office_re"].finditer(t):  # X任…副理事长单位
        if all(mk.named(i) for i in mk.ids(m.start("s"), m.end("s"))) and not mk.reaches_cut(m.end()):
            facts.extend(Fact("has_role", s, mk.unmask(m.start("role"), m.end("role")))
                         for s in parties(mk, m.start("s"), m.end("s")))
            facts.extend(_office_in_group(P, groups, parties(mk, m.start("s"), m.end("s")), m.start("role"),
                                          m.end("role"), t))
    for m in P["bracket_role_re"].finditer(t):  # 设置X（Y）: Y a further capacity of X
        role = mk.unmask(m.start("role"), m.end("role"))
        holder = party(mk, m.start("s"), m.end("s"))
        if holder is not None and role.endswith(tuple(P["role_nouns"])) and not mk.reaches_cut(m.end()) \
                and not P["bracket_note_re"].fullmatch(f"（{role}）"):
            facts.append(Fact("has_role", holder, role))
    for m in P["hang_sign_re"].finditer(t):
        if not mk.reaches_cut(m.end()):
            sign = mk.unmask(m.start("o"), m.end("o"))
            facts.extend(Fact("has_role", s, sign) for s in S.subjects(m.start(), carry="focus"))
    for m in P["role_effect_re"].finditer(t):
        if mk.reaches_cut(m.end()):
            continue
        subs = parties(mk, m.start("s"), m.end("s")) if m.group("s") else S.subjects(m.start(), carry="focus")
        for part in re.split("作用[和及、]", mk.unmask(m.start("role"), m.end("role"))):
            if len(part) >= 2 and part.strip("“”\"").endswith(tuple(P["effect_nouns"])):
                facts.extend(Fact("has_role", s, part) for s in subs)
    for m in P["role_build_re"].finditer(t):
        if not mk.reaches_cut(m.end()):
            subs = parties(mk, m.start("s"), m.end("s"))
            facts.extend(Fact("has_role", s, mk.unmask(m.start("role"), m.end("role"))) for s in subs)
    for m in P["role_develop_re"].finditer(t):
        if mk.reaches_cut(m.end("role")) or any(mk.named(i) for i in mk.ids(m.start("role"), m.end("role"))):
            continue
        role = P["developed_verb_re"].sub("", mk.unmask(m.start("role"), m.end("role")))
        if not role.endswith(tuple(P["developed_nouns"])) or P["role_skip_start_re"].match(role) \
                or role.startswith(tuple(P["not_kind_start"])) or P["department_role_re"].match(role):
            continue
        g = "s" if m.group("s") else "s2" if m.group("s2") else None
        subs = parties(mk, m.start(g), m.end(g), select=True) if g else S.subjects(m.start(), carry="focus")
        facts.extend(Fact("has_role", s, role) for s in subs if not isinstance(s, Group))
    target = P["role_fields_target_re"].search(t)
    if target and not mk.reaches_cut(target.end()):
        role = mk.unmask(target.start("role"), target.end("role"))
        for m in P["role_fields_re"].finditer(t, 0, target.start()):
            subs = parties(mk, m.start("s"), m.end("s"))
            for s in subs[:1]:
                facts.append(Fact("has_role", s, role))
                fields = re.split("[、和及]", mk.unmask(m.start("fields"), m.end("fields")))
                facts.extend(Fact("has_role", s, f) for f in fields if f)
    return facts


def _office_in_group(P: dict, groups: list, holders: list, a: int, b: int, t: str) -> list[Fact]:  # noqa: N803
    """X为/任Y联盟副理事长单位: X holds that office in the consortium named right before it (理事长单位 leads)."""
    out = []
    for g in groups:
        if a <= g[0] and g[1] <= b:
            office = next((o for o in sorted(P["consortium_offices"], key=len, reverse=True) if t.startswith(o, g[1])),
                          None)
            if office is not None:
                vrole = P["consortium_roles"][office]
                out.extend(Fact("leads" if vrole == "lead" else "member_of", s, Group(g[2], g[3]), vrole)
                           for s in holders if isinstance(s, Named))
    return out


def role_items(P: dict, role: str) -> list[str]:  # noqa: N803
    """胸痛中心、卒中中心和创伤中心(三大中心) → each centre; a phrase whose items do not all end in a role
    noun (医疗、教学和科研中心) is one role as written."""
    listed = P["role_list_close_re"].sub("", role)
    items = [i for i in P["role_list_split_re"].split(listed) if i]
    if len(items) < 2 or not all(i.endswith(tuple(P["role_nouns"])) and len(i) <= P["role_item_max"] for i in items):
        return [role]
    return items


def _department(S: SentenceAnalysis, p: int, facts: list[Fact]) -> list[Party]:  # noqa: N803
    """把X医院心血管内科打造成… / 推动蛇伤专科建设成为…: a department or speciality (of the named hospital
    right before it) is the subject, as a unit of its own (a part of that hospital: member_of it)."""
    mk, t = S.mk, S.t
    a = S.clauses[S.clause_index(p)][0]
    b = S.strip_adverbs(a, p)
    a = S.strip_openers(a, b)
    m = S.P["department_subject_re"].fullmatch(t, a, b)
    if m is None:
        return []
    host = party(mk, m.start("host"), m.end("host")) if m.group("host") else None
    if m.group("host") and not isinstance(host, Named):
        return []
    unit = Unit(mk.unmask(a, b))
    if isinstance(host, Named):
        facts.append(Fact("member_of", unit, host, "member"))
    return [unit]


def duties(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """X (主要) 负责/承担/做好 DUTY; X的主要职责是…; 向/为…提供…"""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for m in P["duty_cue_re"].finditer(t):
        a, b = mk.clause(m.end())
        b = _complete_items(mk, m.end(), b)
        if b is None or len(mk.unmask(m.end(), b)) < 2:
            continue
        duty = mk.unmask(m.end(), b).removeprefix("做好")
        if duty.startswith(tuple(P["duty_skip_after"])) or P["duty_relative_re"].search(duty):
            continue
        if mk.truncated and b < mk.clause(m.end())[1] and duty.startswith(tuple(P["duty_cut_verbs"])):
            continue  # 负责提供A、B、<cut>: the verb's object is cut off
        if any(g in duty for g in P["guidance_cues"]) and "对" in duty:
            continue  # 负责对…的业务指导: a guidance
        start = m.start() - (1 if t.endswith(P["duty_possessive"], 0, m.start()) else 0)
        subs = S.subjects(start, select=True)
        facts.extend(Fact("responsible_for", s, duty) for s in subs)
        facts.extend(_duty_guidance(S, m.end(), b, subs))
        if m.group(0) in P["duty_list_cues"]:  # X的主要职责是A，B，C: each clause after is a duty too
            facts.extend(Fact("responsible_for", s, d) for d in _listed_duties(S, b) for s in subs)
        elif not P["duty_list_close_re"].search(duty):  # 承担A，B，以及C等工作: a closed list
            facts.extend(Fact("responsible_for", s, d) for d in _closed_duty_list(S, b) for s in subs)
    for m in P["duty_by_re"].finditer(t):  # A由X负责: X is responsible for A
        a = S.strip_openers(mk.clause(m.start())[0], m.start())
        if m.start() - a >= 2 and not mk.ids(a, m.start()) and not mk.reaches_cut(m.end()):
            duty = mk.unmask(a, m.start())
            facts.extend(Fact("responsible_for", s, duty) for s in parties(mk, m.start("s"), m.end("s")))
    for m in P["duty_work_re"].finditer(t):
        if not mk.reaches_cut(m.end()) and not mk.ids(m.start(), m.end()):
            facts.extend(Fact("responsible_for", s, mk.unmask(m.start(), m.end()))
                         for s in S.subjects(m.start(), select=True))
    for m in P["duty_provide_re"].finditer(t):
        a, b = mk.clause(m.end())
        b = _complete_items(mk, m.end(), b)
        if b is None or len(mk.unmask(m.end(), b)) < 2:
            continue
        duty = mk.unmask(m.end(), b)
        facts.extend(Fact("responsible_for", s, duty) for s in S.subjects(m.start(), select=True))
    return facts


def _duty_guidance(S: SentenceAnalysis, a: int, b: int, subs: list) -> list[Fact]:  # noqa: N803
    """(由)X负责全县基层医疗卫生机构公共卫生服务的技术指导: a duty of guiding the institutions it names (a kind
    or named ones) is X's guidance of them."""
    P = S.P  # noqa: N806
    area = P["duty_area_re"].fullmatch(S.t, a, b)
    if area is not None and (area.group("work") or area.group("cue")) and not S.mk.ids(a, b) \
            and not area.group("field").endswith(tuple(P["kind_heads"])):
        # 负责全县妇幼健康工作 / 负责全市疾病预防控制工作的技术指导: the field's institutions of that region
        guided = area.group("scope") + area.group("field") + P["guidance_centre_noun"]
        kind = kind_of_label(guided)
        if kind == HK + "HealthInstitution":
            return []  # 全县妇幼健康机构 names no kind: it would stand for every institution of the region
        term = P["guidance_cues"].get(area.group("cue") or "")
        return [Fact("guides", s, Kind(guided, kind), term) for s in subs if isinstance(s, Named)]
    g = P["duty_guidance_re"].fullmatch(S.t, a, b)
    if g is None:
        return []
    objects = [_widened(S.mk, i) for i in S.mk.ids(g.start("o"), g.end("o"))]
    term = P["guidance_cues"].get(g.group("cue"))
    return [Fact("guides", s, o, term) for s in subs for o in objects if o != s and not isinstance(o, Group)]


def duty_items(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """Duties a plan lists as items, one fact each: X以A、B和C为中心(开展工作); X(应)重点强化A、B等职责;
    X建立…平台 / X整合A和B (a platform to build, services to bring together: a task of the clause's own subject)."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for key in ("centre_of_work_re", "strengthen_duties_re"):
        for m in P[key].finditer(t):
            if mk.reaches_cut(m.end()):
                continue
            a = mk.clause(m.start())[0]
            subs = S.np_before(a, m.start(), select=True)
            subs = S.subjects(m.start(), select=True) if subs is None else subs
            items = _duty_items(P, mk.unmask(m.start("items"), m.end("items")))
            facts.extend(Fact("responsible_for", s, item) for s in subs for item in items)
    for m in [*P["platform_task_re"].finditer(t), *P["integrate_task_re"].finditer(t)]:
        if mk.reaches_cut(m.end()):
            continue
        subs = S.np_before(mk.clause(m.start())[0], m.start(), select=True) or []
        task = mk.unmask(m.start(), m.end())
        facts.extend(Fact("responsible_for", s, task) for s in subs if not isinstance(s, Group))
    return facts


def _duty_items(P: dict, text: str) -> list[str]:  # noqa: N803
    """A、B和C → A, B, C; an item too short to stand alone (检测 of 血液采集、检测和制备) stays with the one
    before it, joined as written."""
    out: list[str] = []
    pos, sep = 0, 0  # where the current item starts, and the separator before it
    for m in [*P["duty_item_split_re"].finditer(text), None]:
        end = m.start() if m else len(text)
        item = text[pos:end]
        if out and len(item) < P["duty_item_min"]:
            out[-1] += text[sep:end]
        elif item:
            out.append(item)
        if m:
            sep, pos = m.start(), m.end()
    return out


def _listed_duties(S: SentenceAnalysis, b: int) -> list[str]:  # noqa: N803
    """The clauses after the first duty of a list cue, up to one with a subject, a mention or a cue of its
    own (read by itself), complete ones only."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    out = []
    for k in range(S.clause_index(b) + 1, len(S.clauses)):
        a, e = S.clauses[k]
        if S.clause_subjects[k] or mk.ids(a, e) or P["duty_cue_re"].search(t, a, e) or t[a - 1] != "，":
            break
        if mk.reaches_cut(e):
            break
        if e - a >= 4 and not t.startswith(tuple(P["duty_skip_after"]), a):
            out.append(mk.unmask(a, e))
    return out


def _closed_duty_list(S: SentenceAnalysis, b: int) -> list[str]:  # noqa: N803
    """主要承担A，B，C，以及D等工作: the clauses after the first duty up to the one that closes the list
    (…等工作, 以及…任务); none when no clause closes it (the clauses after are then no duties of the list).
    A clause with a subject or a duty cue of its own, or a cut, ends the search."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    out = []
    for k in range(S.clause_index(b) + 1, len(S.clauses)):
        a, e = S.clauses[k]
        if t[a - 1] != "，" or S.clause_subjects[k] or P["duty_cue_re"].search(t, a, e) or mk.reaches_cut(e):
            return []
        item = mk.unmask(a, e)
        closes = P["duty_list_close_re"].search(item) is not None
        opener = next((w for w in P["duty_item_openers"] if item.startswith(w)), "")
        item = item[len(opener):]
        if len(item) >= 2:
            out.append(item)
        if closes:
            return out
    return []


def _complete_items(mk: Masked, a: int, b: int) -> int | None:
    """A list of duties cut off by the source (监测预警、检验检测、人群健康 <cut>) keeps its complete items."""
    if not mk.reaches_cut(b):
        return b
    last = mk.text.rfind("、", a, b)
    return last if last > a else None


def commissions(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """X受Y(的)委托 / X依职责或受Y委托: Y (a department as worded) commissions X."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for m in P["commission_re"].finditer(t) if "委托" in t else ():
        if mk.reaches_cut(m.end()):
            continue
        body = mk.unmask(m.start("o"), m.end("o"))
        facts.extend(Fact("commissioned_by", s, body) for s in S.subjects(m.start(), select=True))
    return facts


def tasks(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """支持X申报…，探索…，建立…: what a clause opening with a verb of support asks of the one named
    institution right after it (支持X与Y合作…: X, Y its partner) is that institution's task, clause by
    clause, up to a clause with a subject of its own or another such opening. The opening may come
    later in the sentence (积极培育…产业，支持X与…合作，加快推动…的研发). Building projects (扩建, 搬迁,
    院区, 大楼) are no tasks; relations and roles are read elsewhere."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    x: Party | None = None
    for k, (a, b) in enumerate(S.clauses):
        m = P["task_focus_re"].match(t, a)
        focus = _task_focus(S, m.end()) if m is not None else None
        if focus is not None:
            x, a = focus, m.end() + 1
        elif x is None or S.clause_subjects[k] or mk.ids(a, b) \
                or m is not None and t.startswith(tuple(P["object_openers"]), m.start()):
            x = None  # a subject of its own, other parties, or support for someone else ends the tasks
            continue
        if mk.reaches_cut(b) or a >= b:
            continue
        text = mk.unmask(a, b)
        if len(text) < 4 or P["task_skip_re"].search(text) or mk.ids(a, b):
            continue
        facts.append(Fact("responsible_for", x, text))
    return facts


def _task_focus(S: SentenceAnalysis, i: int) -> Party | None:  # noqa: N803
    """The one named institution at masked index i (支持X…, 支持X与Y合作…), or None (支持X、Y…: several)."""
    mk, t = S.mk, S.t
    if i >= len(t) or not mk.is_mention(t[i]) or not mk.named(ord(t[i]) - MASK0):
        return None
    if i + 1 < len(t) and t[i + 1] in COORD and t[i + 1] != "与":
        return None
    return party(mk, i, i + 1)


def referral(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """接收Y转诊 (Y refers to the subject), 向Y转诊, X与Y建立双向转诊"""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for m in P["referral_in_re"].finditer(t):
        for s in S.subjects(m.start()):
            facts.extend(Fact("refers", o, s) for o in parties(mk, m.start("o"), m.end("o")))
    for m in P["referral_out_re"].finditer(t):
        g = "o" if m.group("o") else "o2"
        for s in S.subjects(m.start()):
            facts.extend(Fact("refers", s, o) for o in parties(mk, m.start(g), m.end(g)))
    for m in P["referral_both_re"].finditer(t) if "双向转诊" in t else ():
        sides = []
        for g in ("a", "b"):
            a, b = m.start(g), m.end(g)
            for w in P["referral_strip"]:
                i = t.rfind(w, a, b)
                a = max(a, i + len(w)) if i >= 0 else a
            sides.append(parties(mk, a, b))
        facts.extend(Fact("refers_both", x, y) for x in sides[0] for y in sides[1])
    return facts


def consortia(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """X牵头组建Y; 由X牵头，A、B为成员的Y; X、Y组建了N个Y; 以X为龙头、Y为枢纽…; 成员包括…; 体系由…组成;
    X参与/加入/纳入Y; X是Y的组成部分"""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    groups = [g for g in groups if not mk.reaches_cut(g[1])]

    def members(a: int, b: int, widen: bool = True) -> list[Party]:
        """市直4家公立医院、其他若干所医院: a list of mentions keeps the counts and 其他 before them."""
        b = S.strip_adverbs(a, b)
        a = S.strip_openers(a, b)
        first = next((i for i in range(a, b) if mk.is_mention(t[i])), None)
        if widen and first is not None and all(mk.is_mention(c) or c in COORD for c in t[first:b]):
            return [_widened(mk, i) for i in mk.ids(first, b)]
        return parties(mk, a, b)

    for m in P["consortium_lead_re"].finditer(t) if "牵头" in t else ():
        named = [g for g in groups if g[1] > m.start("cons") and g[0] < m.end("cons")]
        if P["respectively_re"].search(m.group("s")):
            if P["counted_group_re"].match(m.group("cons")):
                continue  # A、B分别牵头组建两个医共体: each hosts its own (consortium_each_re)
            leaders = members(m.start("s"), m.end("s"))
            if len(leaders) == len(named) > 1:  # A、B分别牵头组建C和D
                facts.extend(Fact("leads", s, Group(g[2], g[3]), "lead") for s, g in zip(leaders, named, strict=True))
                continue
        for g in named[:1]:
            leaders = members(m.start("s"), m.end("s"))
            if not leaders and not any(mk.is_mention(c) for c in m.group("s")):
                # X为三级医院，(并)牵头组建Y: the clause names no leader; its subject is carried
                leaders = [s for s in S.subjects(m.end("s")) if isinstance(s, (Named, Kind))]
            facts.extend(Fact("leads", s, Group(g[2], g[3]), "lead") for s in leaders)
    for m in P["consortium_led_by_re"].finditer(t) if "牵头" in t else ():
        for g in [g for g in groups if g[1] == m.start()][:1]:
            facts.extend(Fact("leads", s, Group(g[2], g[3]), "lead") for s in members(m.start("s"), m.end("s")))
    for m in P["lead_then_form_re"].finditer(t) if "牵头" in t else ():
        for g in [g for g in groups if g[1] > m.start("cons") and g[0] < m.end("cons")][:1]:
            facts.extend(Fact("leads", s, Group(g[2], g[3]), "lead") for s in members(m.start("s"), m.end("s")))
    for m in P["pair_form_re"].finditer(t):
        for g in [g for g in groups if m.start("cons") <= g[0] <= m.start("cons") + P["join_gap"]
                  and g[0] < m.end("cons")][:1]:  # in the clause of the verb
            both = parties(mk, m.start("a"), m.end("a")) + members(m.start("b"), m.end("b"))
            facts.extend(Fact("member_of", x, Group(g[2], g[3]), "member") for x in both)
    for m in P["consortium_members_re"].finditer(t) if "牵头" in t else ():
        for g in [g for g in groups if g[0] >= m.start("cons")][:1]:
            group = Group(g[2], g[3])
            facts.extend(Fact("leads", s, group, "lead") for s in members(m.start("s"), m.end("s")))
            facts.extend(Fact("member_of", s, group, "member") for s in members(m.start("m"), m.end("m")))
    for m in P["consortium_each_re"].finditer(t):
        subs = mk.ids(m.start("s"), m.end("s"))
        cons = [g for g in groups if g[1] > m.start("cons") and g[0] < m.end("cons")]
        n = int(m.group("n")) if m.group("n").isdigit() else P["numeral_words"][m.group("n")]
        if cons and len(subs) == n > 1:
            for i in subs:
                name = mk.span(i)._.kg_name
                facts.append(Fact("leads", _widened(mk, i), Group(name + _tail_noun(P, cons[0][2]), cons[0][3]),
                                  "lead"))
        elif cons:
            facts.extend(Fact("leads", _widened(mk, i), Group(cons[0][2], cons[0][3]), "lead") for i in subs)
    # 以X为龙头、Y为枢纽、Z为基础 (…的 CONSORTIUM / the system the heading names)
    if "以" in t:
        for m in P["consortium_role_re"].finditer(t, t.find("以")):
            role = m.group("role") or ("牵头" if "牵头" in m.group(0) else None)
            role = role[:2] if role and role.startswith("牵头") else role
            if role is None or mk.reaches_cut(m.end()):
                continue
            vrole = P["consortium_roles"][role]
            target = _group_of_roles(S, groups, m)
            leaders = members(m.start("m"), m.end("m"), widen=False)
            each = _each_their_own(P, mk, groups, m, leaders) if vrole == "lead" else None
            for s in leaders:
                facts.append(Fact("leads" if vrole == "lead" else "member_of", s, each(s) if each else target, vrole))
                if role in P["consortium_offices"]:
                    facts.append(Fact("has_role", s, role))
    # X为龙头，A、B为成员 / X作为牵头单位，…: the roles open their clauses
    said = [m for m in P["role_clause_re"].finditer(t) if not mk.reaches_cut(m.end())]
    for m in said if len(said) > 1 or any(m.group("cue") == "作为" for m in said) else ():
        role = m.group("role")
        vrole = P["consortium_roles"][role[:2] if role.startswith("牵头") else role]
        target = _group_of_roles(S, groups, m)
        for s in parties(mk, m.start("m"), m.end("m"), select=True, complete=True):
            facts.append(Fact("leads" if vrole == "lead" else "member_of", s, target, vrole))
    # 体系由A，B和C组成 / A和B共同组成Y
    for m in P["system_members_re"].finditer(t) if "由" in t else ():
        if m.group("end") == "" and not mk.truncated:
            continue
        label = group_label(P, mk.unmask(m.start("sys"), m.end("sys")))
        end = m.end("items")
        if m.group("end") == "":
            end = max(t.rfind(c, m.start("items"), end) for c in "，、和及")  # the last item runs into the cut
        items = [p for a, b in _comma_items(t, m.start("items"), end) for p in _composed_of(P, mk, a, b)]
        cls = _group_class(P, label)
        facts.extend(Fact("member_of", x, Group(label, cls), "member") for x in items)
    for m in P["label_composition_re"].finditer(t) if "由" in t else ():
        if m.group("end") == "" and not mk.truncated:
            continue
        whole: Arg | None = Carry.TOPIC
        if m.group("whole"):
            whole = party(mk, m.start("whole"), m.end("whole"))
            if not isinstance(whole, Kind):
                continue  # a system (体系由…组成) is read above; anything else is no whole
        end = m.end("items")
        if m.group("end") == "":
            end = max(t.rfind(c, m.start("items"), end) for c in "，、和及")  # the last item runs into the cut
        a = m.start("items")
        qualifier = P["composition_qualifier_re"].match(t, a, end)
        a = qualifier.end() if qualifier else a
        items = [p for a, b in _comma_items(t, a, end) for p in _composed_of(P, mk, a, b)]
        facts.extend(Fact("member_of", x, whole, "member", of_kind=True) for x in items)
    for m in P["kind_includes_re"].finditer(t) if "包括" in t else ():
        a = S.strip_openers(S.clauses[S.clause_index(m.start())][0], m.start())
        a = a + 2 if t.startswith("其中", a) else a
        whole = party(mk, a, m.start()) if m.start() - a >= 1 else None
        if isinstance(whole, Kind | Group) and not mk.reaches_cut(m.end()):
            items = _composed_of(P, mk, m.start("items"), m.end("items"))
            facts.extend(Fact("member_of", x, whole, "member", of_kind=True) for x in items if x != whole)
    for m in P["group_composed_re"].finditer(t) if "由" in t else ():
        for g in [g for g in groups if g[1] == m.start() and g[3] != "ServiceSystem"][:1]:  # 体系由… is read above
            facts.extend(Fact("member_of", x, Group(g[2], g[3]), "member")
                         for x in parties(mk, m.start("items"), m.end("items")) if isinstance(x, Named))
    for m in P["compose_re"].finditer(t) if "组成" in t or "构成" in t else ():
        g = party(mk, m.start("g"), m.end("g"))
        if isinstance(g, Group):
            facts.extend(Fact("member_of", x, g, "member") for x in parties(mk, m.start("m"), m.end("m")))
    for m in P["join_with_re"].finditer(t):
        for g in [g for g in groups if m.end() <= g[0] <= m.end() + P["join_gap"]][:1]:
            a, b = m.start("m"), m.end("m")
            members_ = [_widened(mk, i) for i in mk.ids(a, b)] if all(
                mk.is_mention(c) or c in COORD for c in t[next((i for i in range(a, b) if mk.is_mention(t[i])), b):b]
            ) and mk.ids(a, b) else parties(mk, a, b)
            facts.extend(Fact("member_of", x, Group(g[2], g[3]), "member") for x in members_)
    for m in P["linked_members_re"].finditer(t) if groups else ():
        g = party(mk, m.start("g"), m.end("g"))
        if isinstance(g, Group):
            a = mk.clause(m.start("m"))[0]
            a = S.strip_openers(a, m.end("m"))
            facts.extend(Fact("member_of", x, g, "member") for x in parties(mk, a, m.end("m")))
    # X下设N个K：A设在…，B设在…
    for m in P["sub_units_re"].finditer(t):
        whole = party(mk, m.start("s"), m.end("s"))
        head = mk.unmask(m.start("k"), m.end("k"))[-2:]
        if isinstance(whole, Named):
            end = t.find("。", m.end())
            for i in mk.ids(m.end(), len(t) if end < 0 else end):
                if mk.named(i) and mk.span(i)._.kg_name.endswith(head):
                    facts.append(Fact("member_of", Named(mk.span(i)._.kg_key), whole, "member"))
    # 成员包括A、B / 成员单位为…
    for m in P["members_list_re"].finditer(t, S.start):
        near = [g for g in groups if g[1] <= m.start()]
        target = Group(near[-1][2], near[-1][3]) if near else Carry.TOPIC
        if m.start() == S.start and not near:
            target = Carry.TOPIC  # 3.…救治体系。主要包括A、B以及C
        facts.extend(Fact("member_of", x, target, "member") for x in parties(mk, m.start("m"), m.end("m")))
    # 人民医院医共体覆盖A、B等7家单位: the named institutions a consortium covers are its members
    for m in P["group_covers_re"].finditer(t):
        for g in [g for g in groups if g[1] == m.start()][:1]:
            facts.extend(Fact("member_of", x, Group(g[2], g[3]), "member")
                         for x in parties(mk, m.start("m"), m.end("m")) if isinstance(x, Named))
    # X参与/加入/参加Y, 将X纳入Y, X是/作为Y的组成部分
    for m in P["join_re"].finditer(t):
        near = [g for g in groups if m.end() <= g[0] <= m.end() + P["join_gap"]
                and not any(c in "，。；" or mk.is_mention(c) for c in t[m.end():g[0]])]
        targets = [g for g in groups if near and g[0] >= near[0][0]
                   and all(c in "、和及与或" for c in _between_groups(t, groups, near[0][0], g[0]))]
        if not targets:
            continue
        subs = parties(mk, m.start("s"), m.end("s"), select=True) if m.group("s") \
            else S.subjects(m.start(), carry="focus", select=True)
        for g in targets:
            facts.extend(Fact("member_of", s, Group(g[2], g[3]), "member") for s in subs)
    for m in P["part_of_named_re"].finditer(t):
        whole = party(mk, m.start("o"), m.end("o"))
        if isinstance(whole, Named) and not mk.reaches_cut(m.end()):
            facts.extend(Fact("member_of", s, whole, "member") for s in S.subjects(m.start()))
    for m in P["merge_re"].finditer(t):
        into = party(mk, m.start("o"), m.end("o"))
        if isinstance(into, Named):
            subs = S.subjects(m.start(), carry="nearest")
            facts.extend(Fact("member_of", s, into, "mergesInto") for s in subs if isinstance(s, Named | Carry))
    for m in P["part_of_re"].finditer(t):
        g = [g for g in groups if m.start("g") <= g[0] < m.end("g")]
        if g:
            subs = S.subjects(m.start(), carry="focus")
            facts.extend(Fact("member_of", s, Group(g[0][2], g[0][3]), "member") for s in subs)
    return facts


def _unqualified(P: dict, p: Party) -> Party:  # noqa: N803
    """各类综合医院 in a composition → 综合医院: 各类/各级 says all of them, not another kind."""
    if isinstance(p, Kind):
        word = next((w for w in P["composition_item_openers"] if p.label.startswith(w)), None)
        if word and len(p.label) > len(word) + 1:
            label = p.label[len(word):]
            return Kind(label, kind_of_label(label), p.level)  # the class of the label (one per kind reference)
    return p


def _coordinated_kinds(P: dict, x: Party) -> list[Party]:  # noqa: N803
    """门诊部和诊所 read as one kind: two kinds, each with a head of its own."""
    if not isinstance(x, Kind):
        return [x]
    parts = re.split("[和及]", x.label)
    if len(parts) == 2 and all(len(p) >= 2 and p.endswith(P["kind_heads"]) and p not in P["heads_not_alone"]
                               for p in parts):
        return [Kind(p, kind_of_label(p), x.level) for p in parts]
    return [x]


def _composed_of(P: dict, mk: Masked, a: int, b: int) -> list[Party]:  # noqa: N803
    """The parts a composition lists in masked[a:b]: 疾病预防控制、妇幼保健、采供血和职业病防治等机构 names one
    kind per field (疾病预防控制机构, 妇幼保健机构…: the head they share after 等); 各类X is X."""
    found = [_unqualified(P, x) for x in parties(mk, a, b)]
    out: list[Party] = []
    for x in found:
        m = P["shared_head_re"].fullmatch(x.label) if isinstance(x, Kind) else None
        head = m and next((h for h in P["kind_heads"] if m.group("head") == h), None)
        if m is None or head is None:
            out.extend(_coordinated_kinds(P, x))
            continue
        out.extend(Kind(f + head, kind_of_label(f + head), x.level)
                   for f in re.split("[、和及]", m.group("fields")) if len(f) >= 2)
    return out


def _each_their_own(P: dict, mk: Masked, groups: list, m, leaders: list[Party]):  # noqa: N803
    """以A、B、C为牵头医院，组建3个医共体: as many consortia as leaders, each leads its own (named after it, as
    人民医院医共体 later names it); None when the count is not the leaders'."""
    c = P["each_own_group_re"].match(mk.text, m.end())
    named = [x for x in leaders if isinstance(x, Named)]
    if c is None or len(named) != len(leaders) or len(leaders) < 2:
        return None
    n = int(c.group("n")) if c.group("n").isdigit() else P["numeral_words"][c.group("n")]
    cons = [g for g in groups if c.start("cons") <= g[0] < c.end("cons")]
    if n != len(leaders) or not cons:
        return None
    names = {}
    for i in mk.ids(m.start("m"), m.end("m")):
        names[Named(mk.span(i)._.kg_key)] = mk.span(i)._.kg_name
    return lambda s: Group(names[s] + _tail_noun(P, cons[0][2]), cons[0][3])


def _group_of_roles(S: SentenceAnalysis, groups: list, m) -> Arg:  # noqa: N803
    """The group 以X为龙头、Y为枢纽 speaks of: one named after the list (…的紧密型县域医共体), else the
    sentence's subject when it is a group (体系由…构成，是以X为主体…), else the topic."""
    after = [g for g in groups if g[0] >= m.end()]
    if after:
        return Group(after[0][2], after[0][3])
    for subject in S.clause_subjects:
        if subject and isinstance(subject[0], Group):
            return subject[0]
    before = [g for g in groups if g[1] <= m.start() and g[0] < S.clauses[0][1]]
    if before:
        return Group(before[0][2], before[0][3])
    return Carry.TOPIC


def _between_groups(t: str, groups: list, a: int, b: int) -> str:
    """The text between a and b with the group names in it removed."""
    out, i = [], a
    for g in sorted(groups):
        if a <= g[0] < b:
            out.append(t[i:g[0]])
            i = g[1]
    out.append(t[i:b])
    return "".join(out)


def _comma_items(t: str, a: int, b: int) -> list[tuple[int, int]]:
    """A system's members may be listed with commas (市、县区疾控中心，医疗机构中的传染病科，…)."""
    out, start = [], a
    for i in range(a, b):
        if t[i] == "，":
            out.append((start, i))
            start = i + 1
    out.append((start, b))
    return [(x, y) for x, y in out if y > x]


def _group_class(P: dict, label: str) -> str:  # noqa: N803
    return next((cls for noun, cls in sorted(P["consortium_nouns"].items(), key=lambda kv: -len(kv[0]))
                 if label.endswith(noun)), "ServiceSystem")


def _widened(mk: Masked, i: int) -> Party:
    """市直4家公立医院, 其他若干所医院: a kind in a list of members keeps the words before it that say
    which ones and how many (a question may ask 几家)."""
    P = load_patterns()  # noqa: N806
    s, e, span = mk.mentions[i]
    if span._.kg_named:
        return Named(span._.kg_key)
    j = s
    while j > 0 and s - j < P["widen_max"] and mk.norm[j - 1] not in P["widen_stop"]:
        j -= 1
    if j > 0 and mk.norm[j - 1] not in P["widen_stop"]:
        j = s
    widened = P["widen_prefix_re"].search(mk.norm[j:s])
    surface = mk.norm[s - len(widened.group(0)) if widened else s:e]
    return Kind(surface, span._.kg_kind, span._.kg_level)


def _tail_noun(P: dict, label: str) -> str:  # noqa: N803
    nouns = sorted(P["consortium_nouns"], key=len, reverse=True)
    return next((n for n in nouns if label.endswith(n)), label)


def based_on(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """依托HOST(…，)VERB UNIT / 利用HOST等现有资源…VERB UNIT / 依托HOST开展UNIT建设: the unit is based on the
    host; 依托X创建Y also gives X the role Y.

    The host is the longest noun phrase after the cue (依托大型综合医院扩展…能力，建设Y: 大型综合医院); the unit
    follows the first verb of building after it, in that clause or one of the next two."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for m in P["host_cue_re"].finditer(t):
        i = m.end()
        _, c1 = mk.clause(i)
        first_verb = P["based_on_verb_re"].search(t, i, c1)
        hosts, host_end = [], i
        limit = first_verb.start() if first_verb else c1
        at = t.find("在", i + 1, limit)  # 依托X在乡镇卫生院建设Y: the host ends before where Y is built
        limit = at if at > 0 and mk.is_mention(t[at - 1]) else limit
        for e in range(limit, i, -1):
            found = parties(mk, i, e, complete=True)
            if found:
                hosts, host_end = found, e
                break
        if not hosts:
            continue
        if m.group(0) == "利用":
            res = P["host_resource_re"].match(t[host_end:c1])
            if res is None:
                continue  # 利用X: only 利用X等现有资源 names a host
        if m.group(0) == "在" and (first_verb is None or any(isinstance(h, Group | Unit) for h in hosts)
                                  or not P["host_at_gap_re"].match(t[host_end:first_verb.start()])):
            continue  # 在X设立Y: institutions or kinds as hosts, the verb right after them
        end = c1
        for _ in range(2):  # the unit may come one or two clauses later
            if end < len(t) and t[end] == "，":
                end = mk.clause(end + 1)[1]
        v = P["based_on_verb_re"].search(t, host_end, end)
        inner = P["unit_in_building_re"].search(t, host_end, end)
        if v is not None and v.start() == host_end and mk.clause(v.end())[1] == v.end():
            # X依托Y设置: the verb ends the clause, so what is built is the clause's subject
            units = S.np_before(mk.clause(m.start())[0], m.start()) or []
            facts.extend(Fact("based_on", u, h) for u in units for h in hosts if not isinstance(u, Group))
            continue
        if inner is not None and (v is None or inner.start() < v.start()):
            a, b, verb = inner.start("unit"), inner.end("unit"), "建设"
        elif v is not None:
            a, b, verb = v.end(), mk.clause(v.end())[1], v.group("verb")
            # 在乡镇卫生院建设国医馆18个: the count after the unit is none of its name
            count = re.search(f"(?:{P['count_tail_re'].pattern})$", t[a:b])
            b -= len(count.group()) if count and count.start() > 0 else 0
        else:
            continue
        if mk.reaches_cut(b) or a >= b or "依托" in t[host_end:a]:
            continue
        whole = _unit_of(S, a, b)
        items = split_items(mk, a, b)
        items = items if "或" not in mk.text[a:b] else [(a, b)]  # 感染楼或感染病区: one unit, either way
        # 建立A研究室、工作室和B工作室: each item a unit of its own
        pieces = [(x, y, u) for x, y in items if (u := _unit_of(S, x, y)) is not None] if len(items) > 1 else []
        if len(pieces) != len(items):
            pieces = [(a, b, whole)] if whole is not None else []
        for k in range(1, len(pieces)):
            x, y, u = pieces[k]
            before = pieces[k - 1][2]
            if isinstance(u, Unit) and isinstance(before, Unit) and len(u.label) <= 3 < len(before.label) - 1:
                # A研究室、工作室: a bare head shares the words before the previous item's head
                pieces[k] = (x, y, Unit(before.label[:len(before.label) - len(u.label)] + u.label))
        for x, y, unit in pieces:
            # the unit as the plan words it (a named centre is an institution of its own, a unit of its host)
            label = unit.label if isinstance(unit, Unit | Kind | Group) else mk.span(mk.ids(x, y)[-1])._.kg_name
            for h in hosts:
                facts.append(Fact("based_on", unit, h))
                if verb == "创建" or isinstance(h, Named) and isinstance(unit, Unit | Named) \
                        and label.endswith(tuple(P["hosted_role_nouns"])):
                    facts.append(Fact("has_role", h, label))  # 依托X建设Y中心: X serves as Y
    for m in P["attached_re"].finditer(t):
        a = S.strip_openers(mk.clause(m.start())[0], m.end("u"))
        unit = _unit_of(S, a, m.end("u"))
        if unit is not None and not mk.reaches_cut(m.end()):
            facts.extend(Fact("based_on", unit, h) for h in parties(mk, m.start("h"), m.end("h")))
    facts.extend(_founded(S))
    return facts


def _founded(S: SentenceAnalysis) -> list[Fact]:  # noqa: N803
    """X、Y组建了市县两级3个远程医疗中心: named institutions opening a clause that found a centre, base or
    platform each host it (the unit as worded, without its scope and count)."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for m in P["founder_re"].finditer(t):
        a0, b0 = mk.clause(m.start("h"))
        if S.strip_openers(a0, m.start("h")) != m.start("h") or mk.reaches_cut(m.end()):
            continue  # the founders open their clause (推动X成立Y: X still; 在X设立Y is 依托's)
        hosts = parties(mk, m.start("h"), m.end("h"))
        if not hosts or not all(isinstance(h, Named) for h in hosts):
            continue
        a, b = m.start("u"), m.end("u")
        counts = list(P["count_re"].finditer(t, a, b))
        a = counts[-1].end() if counts else a  # 市县两级3个远程医疗中心 → 远程医疗中心
        unit = _unit_of(S, a, b) if a < b else None
        if not isinstance(unit, Unit | Named):
            continue
        label = unit.label if isinstance(unit, Unit) else mk.span(mk.ids(a, b)[-1])._.kg_name
        if not label.endswith(tuple(P["founded_unit_nouns"])):
            continue
        facts.extend(Fact("based_on", unit, h) for h in hosts)
    return facts


def _unit_of(S: SentenceAnalysis, a: int, b: int) -> Party | None:  # noqa: N803
    """What is built: a consortium or system, a named institution (a centre the names component
    recognised, such as a unit of its host: 依托X创建广西北部湾沿海综合医疗中心), a kind (a mention as such),
    else a unit named as worded (a centre, a ward: 相对独立的感染楼 → 感染楼)."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    a += 1 if t[a] == "的" else 0
    label = group_label(P, mk.unmask(a, b))
    unit = party(mk, a, b)
    bare = re.sub(r"（[^（）]*）$", "", label)
    if isinstance(unit, Named):
        return unit
    if isinstance(unit, Group):
        return Group(label, unit.cls)
    if isinstance(unit, Kind) and b - a == 1 and mk.is_mention(t[a]):
        return Kind(label, unit.kind, unit.level)
    if bare.endswith(tuple(P["unit_nouns"])) and not P["role_skip_start_re"].match(label) \
            and not isinstance(unit, Named):
        return Unit(label.rsplit("的", 1)[-1] if "的" in label else label)
    return None


def pairs(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """A与B(…)合作/协作/一体化管理/深度融合; A和B合作; 强化与B的合作 (A the sentence's subject)."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for m in P["pair_cue_re"].finditer(t):
        relation = P["pair_cues"][m.group("cue")]
        a, _ = mk.clause(m.start())
        j = t.rfind("与", a, m.start())
        k = t.rfind("对", a, m.start())
        if j >= 0:
            tail = P["pair_object_tail_re"].search(t, j + 1, m.start())
            end = tail.start() if tail else m.start()
            others = parties(mk, j + 1, end) or S.prefix_parties(j + 1, end)
            subs = S.subjects(j, select=True)
        elif k >= 0 and relation == "integrated_with":
            # X对A、B实行一体化管理: X runs them as one with itself
            verb = P["pair_verb_re"].search(t, k + 1, m.start())
            others = [o for o in parties(mk, k + 1, verb.start() if verb else m.start()) if isinstance(o, Named)]
            subs = [s for s in S.subjects(k, select=True) if isinstance(s, Named)]
        else:
            b = _strip_de(t, a, m.start())
            both = parties(mk, S.strip_openers(a, b), b, select=True)
            subs, others = both[:1], both[1:]
        facts.extend(Fact(relation, s, o) for s in subs for o in others)
    for m in P["partner_of_re"].finditer(t):  # X成为Y的协作医院
        if not mk.reaches_cut(m.end()):
            partners = [o for o in parties(mk, m.start("o"), m.end("o")) if isinstance(o, Named)]
            subs = [s for s in S.subjects(m.start(), select=True) if isinstance(s, Named)]
            facts.extend(Fact("cooperates", s, o) for s in subs for o in partners if s != o)
    facts.extend(_level_pairs(S))
    return facts


def _level_pairs(S: SentenceAnalysis) -> list[Fact]:  # noqa: N803
    """县乡一体化 / 镇村一体化: the clause's kinds of those two levels (else the next clause's) are integrated."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for m in P["level_pair_re"].finditer(t):
        a, b = mk.clause(m.start())
        found = _kinds_of_levels(S, a, b, m.group("a"), m.group("b"))
        if found is None and b < len(t) and t[b] == "，":
            a, b = b + 1, mk.clause(b + 1)[1]
            found = _kinds_of_levels(S, a, b, m.group("a"), m.group("b"))
        if found is not None and not mk.reaches_cut(b):
            facts.append(Fact("integrated_with", *found))
    return facts


def _kinds_of_levels(S: SentenceAnalysis, a: int, b: int, upper: str, lower: str) -> tuple[Kind, Kind] | None:  # noqa: N803
    """The first kind named in masked[a:b] of each level, when both are there and differ."""
    mk = S.mk
    kinds = [k for i in range(a, b) if mk.is_mention(S.t[i]) and isinstance(k := party(mk, i, i + 1), Kind)]
    ends = []
    for level in (upper, lower):
        ends.append(next((k for k in kinds if k.label.startswith(tuple(S.P["level_words"][level]))), None))
    x, y = ends
    return (x, y) if x is not None and y is not None and x.label != y.label else None


def upgrades(S: SentenceAnalysis, groups: list) -> list[Fact]:  # noqa: N803
    """X升级为T / X转型为T / 将X建设为T / X创建T / X达到T(标准) / X完成T创建: the grade, status or kind
    X is to reach."""
    P, mk, t = S.P, S.mk, S.t  # noqa: N806
    facts: list[Fact] = []
    for m in P["upgrade_re"].finditer(t):
        a, b = m.end(), mk.clause(m.end())[1]
        stop = P["upgrade_target_end_re"].search(t, a, b)
        b = stop.start() if stop else b
        if mk.reaches_cut(b) or len(mk.unmask(a, b)) < 2:
            continue
        target = mk.unmask(a, b)
        standard = P["standard_re"].search(target)
        if standard:
            # 达到三级妇幼保健院标准 → 三级妇幼保健院; 国家综合服务能力推荐标准 stays a standard
            inner = target[:standard.start()]
            if P["upgrade_grade_re"].search(inner) or inner.endswith(P["kind_heads"]):
                target = inner
        verb = m.group("verb")
        if verb in P["upgrade_needs_grade"] and not (P["upgrade_grade_re"].search(target) or standard):
            continue
        if P["role_skip_start_re"].match(target):
            continue
        for s in S.subjects(m.start(), carry="focus", select=True):
            text = target
            if P["grade_only_re"].fullmatch(target) and isinstance(s, Kind):
                text = target + _level_free(P, s)  # 县级妇幼保健机构达到三级标准 → 三级妇幼保健机构
            facts.append(Fact("upgrade_to", s, text))
    for m in P["upgrade_creation_re"].finditer(t):
        a, b = m.start("t"), m.end("t")
        target = party(mk, a, b)
        if not isinstance(target, Kind) or mk.reaches_cut(b):
            continue
        subs = S.subjects(m.start(), carry="none", select=True)
        facts.extend(Fact("upgrade_to", s, target.label) for s in subs if s != target)
    return facts


def _level_free(P: dict, kind: Kind) -> str:  # noqa: N803
    """县级妇幼保健机构 → 妇幼保健机构: what a bare grade (三级) is a grade of."""
    label = kind.label
    for p in sorted(P["place_prefixes"] + P["upper_lower_strip"], key=len, reverse=True):
        if label.startswith(p):
            return label[len(p):]
    return label


FAMILIES = (guidance, roles, duties, duty_items, commissions, tasks, referral, consortia, based_on, pairs, upgrades)


def consortium_terms(S: SentenceAnalysis) -> list[tuple[int, int, str, str]]:
    """(masked start, end, label, class) of consortium / system names in the sentence."""
    P, mk = S.P, S.mk  # noqa: N806
    out = []
    nouns = sorted(P["consortium_nouns"], key=len, reverse=True)
    for m in P["consortium_re"].finditer(mk.text):
        raw = mk.text[m.start():m.end()]
        if mk.text.count("《", 0, m.start()) > mk.text.count("》", 0, m.start()):
            continue  # inside a document's title (《…医疗联合体建设实施方案》): the title's words, no consortium
        label = group_label(P, raw)
        if len(label) < 2 or not any(n in label for n in nouns) or P["group_document_re"].match(mk.text, m.end()):
            continue
        noun = next(n for n in nouns if label.endswith(n) or n in label)
        if noun in P["group_nouns_need_words"] and len(label) <= len(noun) + 2:
            continue
        end = m.end()
        if mk.text.startswith("（", end) and "）" in mk.text[end:]:
            end = mk.text.index("）", end) + 1  # 城市医疗联合体（医疗集团）
            label = label + mk.text[m.end():end]
        start = m.start() + len(raw) - len(label)
        # 县域医共体和专科联盟: two names, each ending in a consortium noun
        cut = re.search("(?:" + "|".join(nouns) + ")[和及与、]", label)
        if cut is not None and end == m.end():
            first = label[:cut.end() - 1]
            out.append((start, start + len(first), first, _group_class(P, first)))
            start, label = start + cut.end(), label[cut.end():]
        out.append((start, end, label, P["consortium_nouns"][noun]))
    # a consortium the names component recognised (华容县紧密型县域医共体) is one mention: a named group
    classes = {HK + cls: cls for cls in P["consortium_nouns"].values()}
    for i, c in enumerate(mk.text):
        if mk.is_mention(c) and mk.named(ord(c) - MASK0) and mk.span(ord(c) - MASK0)._.kg_kind in classes:
            span = mk.span(ord(c) - MASK0)
            out.append((i, i + 1, span._.kg_name, classes[span._.kg_kind]))
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# the plan: sentences in order → records


@dataclass
class PlanReader:
    """Reads one plan's sentences in order; `topic` and `previous` are this plan's own state.

    topic: the party the last heading or label line named (None after a heading naming none);
    previous: the first party of the previous sentence that had one (for a sentence opening with 并).
    """

    topic: Party | None = None
    previous: tuple[Party, Sentence] | None = None
    note: tuple[Party, Sentence] | None = None  # a sentence cut off inside a note: its subject
    short_forms: dict[str, Group] = field(default_factory=dict)  # 联盟 for …专科联盟（以下简称联盟）
    member_table: Group | None = None  # the consortium whose member list (…成员单位名单) the rows give
    group_columns: dict[str, int] | None = None  # a table of consortia: the columns of group, lead, members

    def read(self, sentence: Sentence, doc: Doc) -> list[RelationRecord | GroupMention]:
        reading: SentenceReading = doc._.kg_relations or read_sentence(doc)
        P = load_patterns()  # noqa: N806
        for g in reading.groups:
            for m in P["short_form_re"].finditer(doc.text):
                if doc.text.endswith(g.label, 0, m.start()):
                    self.short_forms[m.group("short")] = g
        if sentence.kind != "table":
            self.group_columns = None
        elif (columns := _group_columns(P, sentence.text)) is not None:
            self.group_columns = columns
            return []
        elif self.group_columns is not None:
            return _group_row(sentence, doc, reading, self.group_columns)
        if sentence.kind == "table" and self.member_table is not None:
            return self._member_row(sentence, doc, self.member_table)
        self.member_table = next((g for g in reading.groups if P["member_list_title_re"].search(doc.text)), None)
        if sentence.kind == "heading" or reading.is_label:
            self.topic = reading.label
        if sentence.kind == "heading" or reading.label is not None:
            return []
        carried = self.topic
        if (reading.continues or reading.subjectless) and self.previous is not None:
            lead, before = self.previous
            # 并…: in the same section; a sentence opening with its predicate: right after, in one paragraph
            if before.section == sentence.section and (before.end == sentence.start
                                                       or reading.continues and before.end <= sentence.start):
                carried = lead
        self.previous = (reading.lead, sentence) if reading.lead is not None else None
        before_note = None
        if self.note is not None and self.note[1].section == sentence.section and self.note[1].end <= sentence.start:
            before_note = self.note[0]
        self.note = (reading.note_subject, sentence) if reading.note_subject is not None else None
        out: list[RelationRecord | GroupMention] = [GroupMention(g, sentence) for g in reading.groups]
        out.extend(_named_after_leader(P, doc, sentence))
        out.extend(_hosted_facilities(P, doc, sentence))
        # a consortium the document named and shortened (联盟以X为理事长单位) is what its short form speaks of
        # (or, when it shortened one only, a sentence giving roles under it: X为龙头，A、B为成员)
        short = next((g for w, g in self.short_forms.items() if w in doc.text), None) if not reading.groups else None
        if short is None and not reading.groups and len(set(self.short_forms.values())) == 1:
            short = next(iter(self.short_forms.values()))
        for f in reading.facts:
            s = carried if f.s is Carry.TOPIC else before_note if f.s is Carry.BEFORE_NOTE else f.s
            o = carried if f.o is Carry.TOPIC else before_note if f.o is Carry.BEFORE_NOTE else f.o
            if f.o is Carry.TOPIC and short is not None and f.relation in ("leads", "member_of"):
                o = short
            if s is None or o is None or s == o or isinstance(s, Carry) or isinstance(o, Carry):
                continue
            if f.relation == "leads" and not isinstance(o, Group) or f.relation == "member_of" \
                    and not isinstance(o, Group | Named) and not (f.of_kind and isinstance(o, Kind)):
                continue
            out.append(RelationRecord(f.relation, s, o, sentence, f.term))
        seen: set = set()
        unique = []
        for r in out:
            key = (r.relation, r.subject, r.obj, r.term) if isinstance(r, RelationRecord) else r.group
            if key not in seen:
                seen.add(key)
                unique.append(r)
        return unique

    def _member_row(self, sentence: Sentence, doc: Doc, group: Group) -> list[RelationRecord | GroupMention]:
        """A row of a consortium's member list (序号 单位名称 所在市 联盟职务): each institution is a member, in
        the office its row names (理事长单位 leads)."""
        P = load_patterns()  # noqa: N806
        office = next((o for o in sorted(P["consortium_offices"], key=len, reverse=True) if o in doc.text), None)
        role = P["consortium_roles"].get(office, "member") if office else "member"
        out: list[RelationRecord | GroupMention] = []
        for member in _member_row_parties(doc):
            out.append(RelationRecord("leads" if role == "lead" else "member_of", member, group, sentence, role))
            if office:
                out.append(RelationRecord("has_role", member, office, sentence))
        return out


def _named_after_leader(P: dict, doc: Doc, sentence: Sentence) -> list[RelationRecord]:  # noqa: N803
    """县人民医院医共体, 人民医院医共体: a consortium named after the institution that leads it is led by it."""
    classes = {HK + cls: cls for cls in P["consortium_nouns"].values()}
    return [RelationRecord("leads", Named(span._.kg_lead), Group(span._.kg_name, classes[span._.kg_kind]), sentence,
                           "lead")
            for span in doc.spans.get("kg_institutions", []) if span._.kg_lead and span._.kg_kind in classes]


def _hosted_facilities(P: dict, doc: Doc, sentence: Sentence) -> list[RelationRecord]:  # noqa: N803
    """依托X建设A、B和C / X设立Y工作站 / X互联网医院: a facility the names component found on its host is based
    on that host."""
    kinds = {HK + k for k in P["hosted_unit_kinds"]}
    return [RelationRecord("based_on", Named(span._.kg_key), Named(span._.kg_parent), sentence)
            for span in doc.spans.get("kg_institutions", []) if span._.kg_parent and span._.kg_kind in kinds]


def _group_columns(P: dict, row: str) -> dict[str, int] | None:  # noqa: N803
    """The columns of a consortia table's header row (医共体 | 牵头医院 | 主要成员单位), or None."""
    cells = row.split("\t")
    columns: dict[str, int] = {}
    for role, pattern in P["group_table_columns"].items():
        found = [i for i, c in enumerate(cells) if i not in columns.values() and re.search(pattern, c)]
        if not found:
            return None
        columns[role] = found[0]
    return columns


def _group_row(sentence: Sentence, doc: Doc, reading: SentenceReading, columns: dict[str, int]) -> list:
    """A row of a consortia table: its consortium (the group named in its column), led by the named
    institutions of the lead column, with those of the members column as members."""
    cells, a = [], sentence.start  # the cells' original offsets (the normalised row has no tabs)
    for cell in sentence.text.split("\t"):
        cells.append((a, a + len(cell)))
        a += len(cell) + 1
    if max(columns.values()) >= len(cells):
        return []
    ga, gb = cells[columns["group"]]
    group_cell = sentence.text[ga - sentence.start:gb - sentence.start]
    group = next((g for g in reading.groups if g.label in group_cell), None)
    if group is None:
        return []
    out: list[RelationRecord | GroupMention] = [GroupMention(group, sentence)]
    for role, relation in (("lead", "leads"), ("members", "member_of")):
        ca, cb = cells[columns[role]]
        for span in doc.spans.get("kg_institutions", []):
            oa, ob = sentence.span_of(span.start_char, span.end_char)
            if span._.kg_named and not span._.kg_parent and ca <= oa and ob <= cb:
                out.append(RelationRecord(relation, Named(span._.kg_key), group, sentence,
                                          "lead" if role == "lead" else "member"))
    return out


def _member_row_parties(doc: Doc) -> list[Named]:
    """The named institutions of a table row (no unit of another)."""
    return [Named(span._.kg_key) for span in doc.spans.get("kg_institutions", [])
            if span._.kg_named and not span._.kg_parent and not span._.kg_alias_of]


__all__ = ["MASK0", "Carry", "Fact", "PlanReader", "SentenceReading", "kind_of_label", "read_sentence"]
