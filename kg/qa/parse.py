"""Step 1 — parse: a question into its parts. Entities linked in the lexicon (institution,
consortium, unit, kind with its scope, place, measure, level, nature), years (or plan periods),
numbers, and the slots each mention can fill; plus the helpers that read the place in scope, the
yes/no form and the words left once names and question words are taken out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from kg.numbered_names import numbered_rules
from kg.qa.knowledge import Knowledge
from kg.qa.linking import Entry, Mention, find_mentions, resolve_city, strip_asides

_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年?")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.]*年)")
PRONOUN = re.compile(r"^(它|其|该院|该机构|该医院|这家医院|那家医院)")
SUBJECT_TYPES = ("institution", "consortium", "unit", "kindref", "class", "city", "county")


@dataclass
class Parsed:
    question: str
    mentions: list[Mention]
    years: list[int]
    numbers: list[float]
    slots: dict[str, list[Mention]] = field(default_factory=dict)
    # names the question gives in a form that names one institution (市一医院) but that no plan holds
    unknown_names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a follow-up question may refer back to: the city and institution of the conversation so
    far and the last question asked (for 那X呢？ / 2020年呢？). Immutable: each answer returns a new one."""
    city: str | None = None
    entity: Mention | None = None
    last: str | None = None


def parse(kb: Knowledge, question: str, context: Context | None = None) -> Parsed:
    context = context or Context()
    text = strip_asides(unicodedata.normalize("NFKC", question).strip())
    spoken = (kb.config.get("spoken_question_words") or {}) | (kb.config.get("spoken_abbreviations") or {})
    for word in sorted(spoken, key=len, reverse=True):
        text = text.replace(word, spoken[word])  # 承担啥转诊功能 is asked as 承担什么转诊功能, 创三甲 as 创三级甲等医院
    years = [int(y) for y in _YEAR.findall(text)]
    if not years:
        # 十三五末 / 十四五期间: a plan period stands for its last year
        years = [int(y) for w, y in (kb.config.get("period_years") or {}).items()
                 if w in text.replace("“", "").replace("”", "").replace('"', "")][:1]
    numbers = [float(n) for n in _NUMBER.findall(_YEAR.sub(" ", text))]
    mentions = _without_names_cut_from_kinds(kb, text, find_mentions(text, kb.lexicon))
    mentions = _with_level_after_city(kb, text, mentions)
    mentions = _with_coordinated_names(kb, text, _with_particle_free_measures(kb, text, mentions))
    mentions = _with_city_areas(kb, text, mentions)
    mentions = _with_level_glued_kinds(kb, text, mentions)
    mentions, unknown = _with_numbered_short_forms(kb, text, mentions, context.city)
    mentions = resolve_city(mentions, context.city)
    if PRONOUN.match(text) and context.entity and not any(m.type in SUBJECT_TYPES[:4] for m in mentions):
        mentions.insert(0, context.entity)
    mentions = _with_measure_by_parts(kb, text, mentions)
    mentions = _with_per_capita_apart(kb, text, mentions)
    mentions = [_with_names_of_one_indicator(kb, m) if m.type == "measure" else m for m in mentions]
    if not any(m.type == "measure" for m in mentions):
        mentions = _with_measure_beyond_heads(kb, text, mentions)
    parsed = Parsed(text, mentions, years, numbers, unknown_names=unknown)
    named = any(e.type in ("institution", "county") for m in mentions for e in m.entries)
    for m in mentions:
        # A mention fills a slot for each type it can be (中医医院: class and a plan's kind reference).
        for kind in dict.fromkeys(e.type for e in m.entries):
            view = Mention(m.text, m.start, m.end, [e for e in m.entries if e.type == kind], m.fuzzy)
            if kind == "measure_head":
                # 床位 alone means "its bed figures" only when an institution or county is named;
                # for anything else it would be a guess.
                if not named:
                    continue
                kind = "measure"
            parsed.slots.setdefault(kind, []).append(view)
    _without_repeated_short_names(parsed)
    kinds_of_references(kb, parsed)
    return parsed


def _without_repeated_short_names(parsed: Parsed) -> None:
    """钦州市妇幼保健院是不是全<市妇幼>保健业务指导中心: a short name several institutions share, one of which
    the question names in full, is that one again (or a piece of another word) — not a second name to
    ask back about. It is dropped, so the question is about the institution it names."""
    named = {m.entries[0].iri for m in parsed.slots.get("institution", []) if len({e.iri for e in m.entries}) == 1}
    repeated = [m for m in parsed.slots.get("institution", []) if len({e.iri for e in m.entries}) > 1
                and named & {e.iri for e in m.entries}]
    if not repeated:
        return
    parsed.mentions = [m for m in parsed.mentions if not any(m.start == r.start and m.end == r.end for r in repeated)]
    for kind, views in list(parsed.slots.items()):
        parsed.slots[kind] = [v for v in views if not any(v.start == r.start and v.end == r.end for r in repeated)]
        if not parsed.slots[kind]:
            del parsed.slots[kind]


_KIND_TYPES = ("class", "kindref")


def _with_names_of_one_indicator(kb: Knowledge, mention: Mention) -> Mention:
    """每万人口全科医生 / 每万人口全科医生数: one indicator that two plans name with and without its
    final 数 (a table's row, a sentence's target) is asked under both names — 钦州's figure is filed
    under the one, 赣州's under the other."""
    known = {e.iri for e in mention.entries}
    more = []
    for e in [e for e in mention.entries if e.type == "measure"]:
        label = unicodedata.normalize("NFKC", e.label)
        other = label.removesuffix("数") if label.endswith("数") else label + "数"
        more += [o for o in kb.lexicon.by_label.get(other, []) if o.type == "measure" and o.iri not in known
                 and unicodedata.normalize("NFKC", o.label) == other]
    if not more:
        return mention
    return Mention(mention.text, mention.start, mention.end,
                   mention.entries + list({o.iri: o for o in more}.values()), mention.fuzzy)


def _with_level_after_city(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """赣州<市级医院> / 钦州<市直医院>: a city's full name whose 市 begins a level word (市级, 市直, 市办 of
    questions.yaml kind_phrase_prefixes) that, with what follows, is a kind the plans name, is the
    city's short name and that kind — not the city and a bare kind (医院) with the level lost."""
    prefixes = [p for p in kb.config.get("kind_phrase_prefixes") or [] if len(p) >= 2]
    out = list(mentions)
    for m in mentions:
        if m.type != "city" or not m.text.endswith("市") \
                or not any(text.startswith(p, m.end - 1) for p in prefixes):
            continue
        rest = find_mentions(text[m.end - 1:], kb.lexicon)
        if not rest or rest[0].start != 0 or rest[0].type not in _KIND_TYPES:
            continue
        kind = Mention(rest[0].text, m.end - 1, m.end - 1 + rest[0].end, rest[0].entries)
        city = Mention(m.text[:-1], m.start, m.end - 1, m.entries)
        out = [o for o in out if o is not m and not (o.start < kind.end and kind.start < o.end)] + [city, kind]
    return sorted(out, key=lambda x: x.start)


def _without_names_cut_from_kinds(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """钦州<妇幼保健机构>: a short name (钦州妇幼 → 钦州市妇幼保健院) whose last characters begin a kind's
    name running on past it (妇幼保健机构) is the place and the kind, not the institution — the plans
    say 妇幼保健机构以孕产保健…为中心 of the kind. The name is read as what it leaves before the kind
    (a place) and the kind; a full name, or a kind that ends with it, leaves the name as it is."""
    out: list[Mention] = []
    added: list[Mention] = []
    for m in mentions:
        kind = None
        if m.type == "institution" and not any(m.text == e.label for e in m.entries):
            for s in range(m.start + 1, m.end):
                for n in range(min(kb.lexicon.max_len, len(text) - s), m.end - s, -1):
                    entries = [e for e in kb.lexicon.by_label.get(text[s:s + n], []) if e.type in _KIND_TYPES]
                    if entries:
                        kind = Mention(text[s:s + n], s, s + n, entries)
                        break
                if kind:
                    break
        if kind is None:
            out.append(m)
            continue
        out += [Mention(p.text, m.start + p.start, m.start + p.end, p.entries)
                for p in find_mentions(text[m.start:kind.start], kb.lexicon)] + [kind]
        added.append(kind)
    # a mention the kind now covers (the rest of its characters, 保健机构) is part of it
    return [o for o in out if o in added or not any(k.start < o.end and o.start < k.end for k in added)]


def _with_particle_free_measures(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """Indicator names asked with a particle inside (65岁及以上老年人<的>健康管理率): linked as if the
    particle were not there, when the stretch they cover holds no other name."""
    if "的" not in text:
        return mentions
    keep = [i for i, ch in enumerate(text) if ch != "的"]
    bare = "".join(text[i] for i in keep)
    found = []
    for m in find_mentions(bare, kb.lexicon):
        if m.type != "measure":
            continue
        start, end = keep[m.start], keep[m.end - 1] + 1
        if "的" not in text[start:end]:
            continue  # linked already without the particle
        # a kind before the particle may be a part of an indicator's name (医院<的>病床使用率 =
        # 医院病床使用率); a kind after it is what is counted (县区的卫生计生监督所), a name never is
        particle = text.index("的", start)
        if any(o.start < end and start < o.end and o.type not in ("measure", "measure_head")
               and not (o.type == "class" and o.end <= particle) for o in mentions):
            continue
        found.append(Mention(text[start:end], start, end, m.entries))
    if not found:
        return mentions
    kept = [o for o in mentions if not any(f.start <= o.start and o.end <= f.end for f in found)]
    return sorted(kept + found, key=lambda m: m.start)


# a figure asked, or two compared (梧州跟赣州比…哪个高)
_FIGURE_CUE = re.compile(r"多少|几[张个家所名人岁天]|百分之"
                         r"|(哪个|哪家|谁|哪一?年)[^，,。？?]{0,6}(高|低|多|少)|比[^，,。？?]{0,12}(高|低|多|少)")


def _with_measure_beyond_heads(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """No indicator named: a head as the plans write it (床位) stands for all its indicators; a spoken
    form (张床) only when no indicator's characters are in the words (编制多少张床 → 编制床位), and one
    read across the written head (增加多少张床位) is that head."""
    written = {item.split("|")[0] for item in kb.config.get("measure_heads") or []}
    mentions = [_as_written_head(text, m, written) if m.type == "measure_head" else m for m in mentions]
    heads = [m for m in mentions if m.type == "measure_head"]
    if any(m.text in written for m in heads):
        return mentions
    rest = [m for m in mentions if m.type != "measure_head"]
    found = _with_measure_by_characters(kb, text, rest)
    return found if len(found) > len(rest) or not heads else mentions


def _as_written_head(text: str, mention: Mention, written: set[str]) -> Mention:
    if mention.text in written:
        return mention
    for word in written:
        at = text.find(word, max(0, mention.start - len(word) + 1))
        if 0 <= at < mention.end:
            return Mention(word, at, at + len(word), mention.entries, mention.fuzzy)
    return mention


def _with_measure_by_characters(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """编制多少张床 → 编制床位: a figure question about a named institution or place whose indicator is
    not written as any label is linked to the indicator whose characters it holds in order (at least
    3 of 4 of the label's characters, in the text left after the names), when exactly one is best."""
    if not _FIGURE_CUE.search(text) or not any(m.type in ("institution", "county", "city") for m in mentions):
        return mentions
    free = list(text)
    for m in mentions:
        free[m.start:m.end] = ["|"] * (m.end - m.start)
    rest = "".join(free)
    best = _indicator_by_characters(kb, rest)
    if best is None:
        return mentions
    labels, own = best
    start = min(i for i, ch in enumerate(rest) if ch in own)
    end = max(i for i, ch in enumerate(rest) if ch in own) + 1
    if _other_indicators_qualifier(kb, rest[start:end], labels, own):
        return mentions
    found = Mention(text[start:end], start, end, [e for la in labels for e in kb.lexicon.by_label[la]], fuzzy=True)
    return sorted([*mentions, found], key=lambda m: m.start)


def _indicator_by_characters(kb: Knowledge, rest: str,
                             keep: Callable[[str, str], bool] | None = None) -> tuple[list[str], str] | None:
    """The indicator whose name's characters `rest` holds in order (3+ and 3 of 4 of them, the
    qualifiers questions leave out not counted), when exactly one is best: (its labels, the name
    counted). `keep` says which indicators may be read at all."""
    best: list[tuple[float, str, int, str]] = []
    optional = [unicodedata.normalize("NFKC", w) for w in kb.config.get("measure_optional_words") or []]

    def bare(name: str) -> str:
        # the qualifiers the question leaves out (执业（助理）医师 is asked as 执业医师) are not counted
        name = unicodedata.normalize("NFKC", name)
        for w in optional:
            if w not in rest and len(name.replace(w, "")) >= 4:
                name = name.replace(w, "")
        return name
    seen: set[str] = set()
    for label, entries in kb.lexicon.buckets("measure"):
        # each indicator once, by its own name (whatever name the index files it under)
        if entries[0].type != "measure" or entries[0].iri in seen or len(bare(entries[0].label)) < 4:
            continue
        seen.add(entries[0].iri)
        own = bare(entries[0].label)
        pos, hits, first, last = 0, 0, -1, -1
        for ch in own:
            at = rest.find(ch, pos)
            if at >= 0:
                hits, pos = hits + 1, at + 1
                first = at if first < 0 else first
                last = at
        share = hits / len(own)
        if hits >= 3 and share >= 0.75 and last - first < 2 * len(own) and (keep is None or keep(label, own)):
            best.append((share, label, hits, own))
    if not best:
        return None
    best.sort(reverse=True)
    # one indicator under the names of two plans (每千常住人口康复病床数 / 每千人口康复病床数, 每万人口全科医生
    # / 每万人口全科医生数) is one reading, asked under each name
    same = [b for b in best if b[3].removesuffix("数") == best[0][3].removesuffix("数")]
    best = same[:1] + [b for b in best if b not in same]
    if len(best) > 1 and best[1][0] == best[0][0]:
        return None  # two indicators fit as well: a guess
    if any(b[2] > best[0][2] for b in best[1:]):
        # another indicator holds more of the question's characters (每千人口<中医>执业医师: 中医类别执业
        # (助理)医师数, though 执业(助理)医师数 is the larger share of its own name): a guess
        return None
    return [b[1] for b in same], best[0][3]


_PER_CAPITA = re.compile(r"每\s*(千|万|10万|十万)\s*(常住)?\s*人口?")
_CHUNK = re.compile(r"[\u4e00-\u9fff]+")


def _with_per_capita_apart(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """赣州全科医生 每万人 2025年 / 康复床位每千人: a per-head indicator (每万人口全科医生数) typed with
    its rate apart from its noun. The rate put back before the noun next to it (the words left of it,
    else right of it, without the names) is read by its characters as 编制多少张床 is; the indicator must
    be of that rate (每万 is not 每千) and hold no other indicator's qualifier."""
    rate = _PER_CAPITA.search(text)
    if rate is None:
        return mentions
    measures = [m for m in mentions if m.type == "measure"]
    if measures:
        # 每千人口康复<病床>: a short indicator (病床) typed after the rate and its qualifiers is the head
        # of the per-head indicator asked, not that indicator — read without it (or not at all)
        glued = [m for m in measures if rate.end() <= m.start and _CHUNK.fullmatch(text[rate.end():m.start] or "每")
                 and not unicodedata.normalize("NFKC", m.entries[0].label).startswith("每")]
        if len(glued) != len(measures):
            return mentions
        mentions = [m for m in mentions if m not in glued]
    per = "每" + rate.group(1).replace("十万", "10万") + "人口"
    free = list(text)
    for m in mentions:
        # names are cut out; a kind stays, it may be a part of the indicator's name (中医类医院床位)
        if m.type in ("city", "county", "region", "institution", "consortium", "unit"):
            free[m.start:m.end] = ["|"] * (m.end - m.start)
    free[rate.start():rate.end()] = ["|"] * (rate.end() - rate.start())
    rest = "".join(free)
    words = [c for c in _CHUNK.finditer(rest)]
    before = [c for c in words if c.end() <= rate.start() and not _is_question_word(kb, c.group())]
    after = [c for c in words if c.start() >= rate.end() and not _is_question_word(kb, c.group())]
    for noun in ([before[-1]] if before else []) + ([after[0]] if after else []):
        if len(noun.group()) < 2:
            continue
        typed = per + noun.group()

        def of_the_rate(label: str, own: str, typed: str = typed) -> bool:
            return unicodedata.normalize("NFKC", label).replace("常住", "").startswith(per) \
                and not _other_indicators_qualifier(kb, typed, [label], own)
        best = _indicator_by_characters(kb, typed, of_the_rate)
        if best is None:
            continue
        labels, own = best
        start, end = min(noun.start(), rate.start()), max(noun.end(), rate.end())
        kept = [m for m in mentions if not (m.type == "measure_head" and start <= m.start and m.end <= end)]
        found = Mention(text[start:end], start, end, [e for la in labels for e in kb.lexicon.by_label[la]],
                        fuzzy=True)
        return sorted([*kept, found], key=lambda m: m.start)
    return mentions


def _is_question_word(kb: Knowledge, word: str) -> bool:
    words = list(kb.config.get("question_words") or []) + ["目标", "实际", "现状", "目前", "现在", "年"]
    return any(word == w or word.strip("是要达到的") == w for w in words) or bool(re.fullmatch(r"(多少|几).*", word))


def _other_indicators_qualifier(kb: Knowledge, span: str, labels: list[str], own: str) -> str | None:
    """每千人口<中医>医师 is not 每千人口执业（助理）医师数: a word of two characters inside the words an
    indicator was guessed from, which that indicator's name lacks and another indicator's name has
    (中医 of 每千人口中医类别执业（助理）医师数), is the qualifier of that other indicator. The guess
    would drop it and answer another figure; the word found, or None."""
    fulls = {unicodedata.normalize("NFKC", label) for label in labels}
    # a head word (床位, 张床) is what is counted, said of every bed indicator (病床 / 床位): no qualifier
    heads = {w for item in kb.config.get("measure_heads") or [] for w in item.split("|")}
    others = {unicodedata.normalize("NFKC", entries[0].label) for _, entries in kb.lexicon.buckets("measure")
              if entries[0].type == "measure"} - fulls
    for i in range(len(span) - 1):
        word = span[i:i + 2]
        if "|" in word or not all(_CJK_CHAR.match(ch) for ch in word) or any(word in f for f in fulls) \
                or word in own or word in heads:
            continue
        if any(word in other for other in others):
            return word
    return None


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def _with_measure_by_parts(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """把几个乡镇卫生院升级为二级医院 → 升级为二级医院的乡镇卫生院: an indicator written as a clause
    with its head (A的B) is asked with the parts in another order. In a figure question, the
    indicator each of whose parts (3+ characters) is in the question is linked, when exactly one
    is, in place of shorter indicators inside it."""
    if not _FIGURE_CUE.search(text):
        return mentions
    found: list[tuple[str, list]] = []
    for label, entries in kb.lexicon.buckets("measure"):
        if "的" not in label or entries[0].type != "measure" or label != entries[0].label or label in text:
            continue
        parts = [p for p in re.split(r"[的（）()]", label) if p]
        if len(parts) >= 2 and all(len(p) >= 3 and p in text for p in parts):
            found.append((label, entries))
    if len(found) != 1:
        return mentions
    label, entries = found[0]
    parts = [p for p in re.split(r"[的（）()]", label) if p]
    spans = [(text.find(p), text.find(p) + len(p)) for p in parts]
    start, end = min(a for a, _ in spans), max(b for _, b in spans)
    kept = [m for m in mentions if not (m.type in ("measure", "measure_head", "class") and start <= m.start
                                        and m.end <= end)]
    return sorted([*kept, Mention(text[start:end], start, end, entries, fuzzy=True)], key=lambda m: m.start)


def _with_numbered_short_forms(kb: Knowledge, text: str, mentions: list[Mention],
                               context_city: str | None) -> tuple[list[Mention], list[str]]:
    """梧州市一医院 / 市二院 typed by a user names a numbered hospital (梧州市第一人民医院), not the city and
    the kind 医院: the hospital of the place written (a bare 市/县: the city named or talked of, else every
    city of the graph — several are asked back). A form no plan's hospital answers is an unknown name,
    never the kind (which would answer for every hospital)."""
    if "院" not in text:
        return mentions, []
    pattern, nouns = numbered_rules()
    cities = [m.entries[0].label for m in mentions if m.type == "city"] or ([context_city] if context_city else [])
    for end in (m.end() for m in re.finditer("院", text)):
        unknown = None
        # 梧州三院: a place's short name (梧州 for 梧州市) before the number is that place
        for place_m in (m for m in mentions if m.type in ("city", "county")):
            n_m = re.fullmatch(r"(?P<n>[一二三四五六七八九十]{1,2})(?:医院|院)", text[place_m.end:end])
            if n_m is None or place_m.text == place_m.entries[0].label:
                continue
            found = {e.iri: e for e in place_m.entries for noun in nouns
                     for e in kb.lexicon.by_label.get(f"{e.label}第{n_m.group('n')}{noun}", [])
                     if e.type == "institution"}
            if not found:
                return mentions, [text[place_m.start:end]]
            kept = [m for m in mentions if m.end <= place_m.start or m.start >= end]
            mention = Mention(text[place_m.start:end], place_m.start, end, list(found.values()))
            return sorted(kept + [mention], key=lambda m: m.start), []
        for start in range(max(0, end - 12), end - 2):
            # a bare 市/县 before the number is the place too (the pattern wants a name before it)
            short = pattern.match(text[start:end]) or pattern.match("〇" + text[start:end])
            if short is None or any(m.start < start < m.end for m in mentions):
                continue  # not the form, or it begins inside another name (全市一院 is no 市一院)
            place, n = short.group("place").lstrip("〇"), short.group("n")
            if place in ("市", "县", "区") and start and text[start - 1] in (kb.config.get("place_determiners") or ""):
                continue  # 全市一院一策: the whole city, not a hospital's short name
            if place in ("市", "县", "区"):
                owners = [c for c in cities if c.endswith(place)] or sorted(kb.plan_cities())
            elif any(e.type in ("city", "county") for e in kb.lexicon.by_label.get(place, [])):
                owners = [place]
            else:
                continue
            found = {e.iri: e for owner in owners for noun in nouns
                     for e in kb.lexicon.by_label.get(f"{owner}第{n}{noun}", []) if e.type == "institution"}
            if not found:
                unknown = unknown or text[start:end]
                continue
            kept = [m for m in mentions if m.end <= start or m.start >= end]
            mention = Mention(text[start:end], start, end, list(found.values()))
            return sorted(kept + [mention], key=lambda m: m.start), []
        if unknown:
            return mentions, [unknown]
    return mentions, []


def _with_city_areas(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """梧州城区 / 梧州县域: a city's short name followed by the rest of a part of it the plan names
    (梧州市城区) is that part, not the whole city (whose figures would answer another place)."""
    out = []
    for m in mentions:
        if m.type == "city":
            for n in range(4, 1, -1):
                entries = kb.lexicon.by_label.get(m.entries[0].label + text[m.end:m.end + n], [])
                found = [e for e in entries if e.type == "county"]
                if found and not any(o.start < m.end + n and m.end < o.end for o in mentions if o is not m):
                    m = Mention(text[m.start:m.end + n], m.start, m.end + n, found)
                    break
        out.append(m)
    return out


def _with_level_glued_kinds(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """县医院 / 市妇幼保健院 / 县中医院: a bare level word glued before a kind (no place named) is how
    people say the kind at that level, which the plans write 县级医院, 县办医院 (questions.yaml
    level_short_forms). It is linked as those phrases; with none in the graph, as the kind and the level,
    never as the whole kind (what the plans say of 医院 is not said of county hospitals)."""
    forms: dict[str, list[str]] = kb.config.get("level_short_forms") or {}
    out = []
    for m in mentions:
        short = next((w for w in sorted(forms, key=len, reverse=True)
                      if m.type == "class" and text[max(0, m.start - len(w)):m.start] == w), None)
        start = m.start - len(short) if short else m.start
        if short is None or any(o.start < m.start and start < o.end for o in mentions if o is not m):
            out.append(m)
            continue
        kinds = dict.fromkeys([m.text] + [e.label for e in m.entries if e.type == "class"])
        entries = [e for full in forms[short] for k in kinds for e in kb.lexicon.by_label.get(full + k, [])
                   if e.type in ("kindref", "class")]
        if entries:
            out.append(Mention(text[start:m.end], start, m.end, entries))
            continue
        levels = [e for full in forms[short] for e in kb.lexicon.by_label.get(full, []) if e.type == "level"][:1]
        out.append(m)
        if levels:
            out.append(Mention(text[start:m.start], start, m.start, levels))
    return sorted(out, key=lambda x: x.start)


_COORD = "和与及、跟同"


def _with_coordinated_names(kb: Knowledge, text: str, mentions: list[Mention]) -> list[Mention]:
    """梧州市第二人民医院和第三人民医院: the second name shares the first one's head (梧州市); it is
    linked as the full name when that is a name in the graph."""
    added: list[Mention] = []
    for m in mentions:
        if m.type not in ("institution", "measure") or m.end >= len(text) or text[m.end] not in _COORD:
            continue
        start = m.end + 1
        best = None
        for k in range(2, len(m.text) - 1):
            head = m.text[:k]
            for n in range(min(16, len(text) - start), 1, -1):
                entries = kb.lexicon.by_label.get(head + text[start:start + n])
                if entries and entries[0].type == m.type and (best is None or n > best[0]):
                    best = (n, entries)
                    break
        if best is None:
            continue
        end = start + best[0]
        if any(o.start < end and start < o.end and o.type in ("institution", "consortium", "unit")
               and o.entries[0].iri != best[1][0].iri for o in mentions):
            continue
        added.append(Mention(text[start:end], start, end, best[1]))
    if not added:
        return mentions
    kept = [o for o in mentions if not any(a.start < o.end and o.start < a.end for a in added)]
    return sorted(kept + added, key=lambda x: x.start)


def kinds_of_references(kb: Knowledge, parsed: Parsed) -> None:
    """哪几家市级医院: a plan's generic phrase (a kind reference) also names its class, level and
    city, so a list can be asked with it when no class is named otherwise. (Counts are not: 几家县区
    疾控中心 asks for the number the plan sets, a figure.)"""
    if parsed.slots.get("class"):
        return
    for m in parsed.slots.get("kindref", []):
        ref = next((e for e in m.entries if e.of_kind), None)
        if ref is None or ref.of_kind not in kb.lexicon.names:
            continue
        # the phrase's city only when one plan uses it
        city = ref.city if len({e.city for e in m.entries if e.of_kind}) == 1 else None
        parsed.slots["class_of_ref"] = [Mention(m.text, m.start, m.end, [
            Entry(ref.of_kind, kb.lexicon.names[ref.of_kind], "class", city)])]
        if ref.level and ref.level in kb.lexicon.names and not parsed.slots.get("level"):
            parsed.slots["level"] = [Mention(m.text, m.start, m.end,
                                             [Entry(ref.level, kb.lexicon.names[ref.level], "level")])]
        return


def unknown_place(kb: Knowledge, parsed: Parsed) -> str | None:
    """A city or county named in the question that no plan in the graph is about (北京市…, 桂林的…)."""
    if parsed.slots.get("city") or parsed.slots.get("county"):
        return None
    # a province is known only as a comparison column of the plans, not as a place with a plan
    known = {m.start for m in parsed.mentions if m.type != "region"}
    named = kb.region_names_in(parsed.question)
    # (no index: the gazetteer itself is asked, for names with their suffix and for a city's short name
    # alone — 北海 2025 每千人口床位数 目标? would otherwise be answered with the plans' cities)
    if named is not None and all(start in known for start, _ in named):
        # The index holds every full name, alias and city short name Gazetteer.find can match: when each
        # one starts where a linked name starts, none can be the answer (no gazetteer loaded).
        return None
    try:
        from kg.gazetteer import load
        gazetteer = load()
        found = gazetteer.find(parsed.question, short=True)
    except (OSError, ValueError, KeyError):
        return None  # without the gazetteer the question is still answered
    # short names only of prefecture-level cities: a county's short name is too often a word (安宁疗护)
    cities = gazetteer.city_short_names()
    for m in found:
        if m.region is not None and m.start not in known and len(m.text) >= 2 \
                and (m.kind != "short" or m.text in cities):
            return m.text
    return None


def place_glued_kind(kb: Knowledge, parsed: Parsed) -> tuple[str, list[str]] | None:
    """灵山县医院 / 梧州市医院: a county or city glued to a bare kind word (questions.yaml
    glued_kind_words) with no institution of that name is how people name one institution of the
    place (its county hospital), not the kind: (the phrase, the place's institutions it may be)."""
    if any(parsed.slots.get(t) for t in ("institution", "consortium", "unit")):
        return None
    words = set(kb.config.get("glued_kind_words") or [])
    for place in (m for m in parsed.mentions if m.type in ("city", "county")):
        kind = next((m for m in parsed.mentions if m.start == place.end and m.type == "class" and m.text in words),
                    None)
        if kind is None:
            continue
        heads = {place.text, place.entries[0].label}
        names = sorted({e.label for label, e in kb.lexicon.labelled("institution")
                        if any(label.startswith(h) for h in heads) and label.endswith(kind.text)
                        and e.label.startswith(place.entries[0].label)})
        return parsed.question[place.start:kind.end], names
    return None


def crossed_city(kb: Knowledge, parsed: Parsed) -> tuple[str, str, str] | None:
    """梧州市妇幼保健院在赣州的规划里是什么定位: one institution asked with another city's name.
    (institution, its city, the city named) when the city named is not the institution's own."""
    named = [m for t in ("institution", "consortium", "unit") for m in parsed.slots.get(t, [])]
    cities = parsed.slots.get("city", [])
    if len(named) != 1 or len(cities) != 1:
        return None
    own = {e.city for e in named[0].entries if e.city}
    city = cities[0].entries[0].label
    if not own or city in own:
        return None
    return named[0].entries[0].label, "、".join(sorted(own)), city


def place_of(kb: Knowledge, parsed: Parsed) -> dict:
    city = parsed.slots.get("city", [None])[0]
    county = parsed.slots.get("county", [None])[0]
    return {"city": city.entries[0].iri if city else None, "county": county.entries[0].iri if county else None,
            "place": (county or city).entries[0].label if (county or city) else ""}


def is_yes_no(kb: Knowledge, parsed: Parsed) -> bool:
    return bool(re.search(kb.config.get("yes_no_words") or "$^", parsed.question))


def scope_city(kb: Knowledge, parsed: Parsed) -> str | None:
    """The city whose plans the question is about: the city named, or the city of the county named."""
    if parsed.slots.get("city"):
        return parsed.slots["city"][0].entries[0].label
    if parsed.slots.get("county"):
        return parsed.slots["county"][0].entries[0].city
    return None


def leftover_words(kb: Knowledge, parsed: Parsed, family: dict | None = None) -> list[str]:
    """The question's words left after its entities, the family's cue words and question words
    (在<健康教育>这一块负责什么 → 健康教育)."""
    text = parsed.question
    for m in sorted(parsed.mentions, key=lambda m: -m.start):
        text = text[:m.start] + "|" + text[m.end:]
    text = re.sub(kb.config.get("yes_no_words") or "$^", "|", text)
    for t in (family or {}).get("triggers", []):
        text = re.sub(t, "|", text)
    words = list(kb.config.get("context_stopwords") or []) + list(kb.config.get("relation_cues") or []) \
        + list(kb.config.get("question_words") or [])
    for word in sorted(words, key=len, reverse=True):
        text = text.replace(word, "|")
    return [c for c in re.split(r"[|\W\d]+", text) if len(c) >= 2]


def years_of(parsed: Parsed, mention: Mention, others: list[Mention]) -> list[int]:
    """The years that qualify one of several indicators named (<2025年>规划编制床位比目前编制床位):
    a year written right before an indicator (at most 2 characters between) is that indicator's
    only; the years before none of them qualify them all."""
    def before(m: Mention) -> list[int]:
        return [int(y.group(1)) for y in _YEAR.finditer(parsed.question) if 0 <= m.start - y.end() <= 2]
    own = before(mention)
    if own:
        return own
    taken = {y for o in others if o is not mention for y in before(o)}
    return [y for y in parsed.years if y not in taken]


def figure_subjects(kb: Knowledge, parsed: Parsed) -> list[Mention]:
    """The institutions, counties and cities a figure question is about, in the question's order
    (one mention per entity)."""
    seen: dict[str, Mention] = {}
    # a province is a subject too when its column is compared (梧州和广西平均水平比谁更高)
    for m in sorted((m for t in ("institution", "county", "city", "region") for m in parsed.slots.get(t, [])),
                    key=lambda m: m.start):
        if m.type == "city" and any(s.start < m.start < s.end for s in seen.values()):
            continue
        seen.setdefault(m.entries[0].iri, m)
    subjects = list(seen.values())
    # 梧州市人民医院 names its city too: the city is not a subject of its own then
    insts = [m for m in subjects if m.type in ("institution", "county")]
    if insts:
        cities = {m.entries[0].city for m in insts}
        subjects = [m for m in subjects if m.type != "city" or m.entries[0].label not in cities]
    return subjects


def subject_view(kb: Knowledge, parsed: Parsed, subject: Mention) -> Parsed:
    """The question asked of one of its subjects: a city subject is the place; others keep no city."""
    slots = {k: v for k, v in parsed.slots.items() if k not in ("city", "county", "institution", "region")}
    slots[subject.type] = [subject]
    return Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers, slots)



def residual_words(parsed: Parsed, drop: list[str]) -> list[str]:
    """The question's words of 2+ characters left once its linked names and the `drop` words
    (question words, stop words of a config list) are cut out: what the question says besides names."""
    text = parsed.question
    for m in sorted(parsed.mentions, key=lambda m: -m.start):
        text = text[:m.start] + "|" + text[m.end:]
    for word in sorted(drop, key=len, reverse=True):
        text = text.replace(word, "|")
    return [c for c in re.split(r"[|\W\d]+", text) if len(c) >= 2]
