"""Step 2 — plan: which operator (family of questions.yaml) answers the parsed question. Each
family names the slots it needs, its cue patterns and its SPARQL template; the score prefers the
family whose cue is longest and nearest the question word, with all its required slots filled."""

from __future__ import annotations

import re

from kg.qa.knowledge import Knowledge
from kg.qa.parse import SUBJECT_TYPES, Parsed, figure_subjects, is_yes_no, residual_words


def score(kb: Knowledge, family: dict, parsed: Parsed) -> float:
    # A cue inside a name (比 in 医护比, 中心 in 广西北部湾沿海综合医疗中心) is no cue: the first match
    # starting outside every name counts. (A word for a kind or a nature, 约束性指标, still is one.)
    spans = [(m.start, m.end) for m in parsed.mentions
             if m.type in ("measure", "institution", "consortium", "unit") and not m.fuzzy]
    hits = [next((h for h in re.finditer(t, parsed.question)
                  if not any(a <= h.start() < b for a, b in spans)), None) for t in family["triggers"]]
    hits = [h for h in hits if h]
    if not hits:
        return 0.0
    required = family["slots"].get("required", [])
    for slot in required:
        if not has_slot(kb, slot, parsed):
            return 0.0
    optional = family["slots"].get("optional", [])
    if any(has_slot(kb, t, parsed) for t in family.get("block_if", [])):
        return 0.0
    penalty = 2.0 * any(has_slot(kb, t, parsed) for t in family.get("penalty_if", []))
    trigger_len = max(len(h.group(0)) for h in hits)
    # Later triggers in the question (closer to the question word) say more about what is asked.
    position = max(h.start() for h in hits) / max(1, len(parsed.question))
    # A verb cue right before the question word governs what is asked (依托哪家医院创建 asks the host,
    # 依托X创建什么中心 the centre), over a cue elsewhere in the sentence.
    asking = kb.config.get("asking_word") or "$^"
    # A cue that is the question word itself, with a kind as its noun (哪两家中医医院), is as near.
    kinds = [c.start for c in parsed.slots.get("class", [])]
    governs = any(re.match(asking, parsed.question[h.end():]) and not re.search(asking, h.group(0))
                  or re.match(asking, h.group(0)) and any(h.end() <= k <= h.end() + 2 for k in kinds)
                  for h in hits)
    return 1.0 + trigger_len * 0.5 + len(required) + 0.3 * sum(has_slot(kb, s, parsed) for s in optional) \
        + position + float(family.get("priority", 0)) - penalty + 0.5 * governs


def has_slot(kb: Knowledge, slot: str, parsed: Parsed) -> bool:
    worded = (kb.config.get("slot_patterns") or {}).get(slot)
    if worded:  # a slot the question's wording fills (questions.yaml slot_patterns)
        return bool(re.search(worded, parsed.question))
    if slot == "subject":
        return any(parsed.slots.get(t) for t in SUBJECT_TYPES[:5])
    if slot == "named":
        return any(parsed.slots.get(t) for t in ("institution", "consortium", "unit"))
    if slot == "located":
        return any(parsed.slots.get(t) for t in ("institution", "consortium", "unit", "county"))
    if slot == "kind":
        return bool(parsed.slots.get("class") or parsed.slots.get("class_of_ref"))
    if slot == "yes_no":
        return is_yes_no(kb, parsed)
    if slot == "year":
        return bool(parsed.years)
    if slot == "relation_cue":
        return any(w in parsed.question for w in kb.config.get("relation_cues") or [])
    if slot == "number":
        return bool(parsed.numbers)
    if slot == "measure_only":
        # an indicator named by itself, not a kind that is also a table column (医院)
        kinds = {(c.start, c.end) for c in parsed.slots.get("class", [])}
        return any((m.start, m.end) not in kinds for m in parsed.slots.get("measure", []))
    if slot == "said_beyond_names":
        return bool(residual_words(parsed, list(kb.config.get("typed_figure_words") or [])))
    if slot == "subject2":
        return len(figure_subjects(kb, parsed)) >= 2
    if slot == "compared2":
        # two subjects (梧州和钦州) or two indicators (A率和B率) to compare
        kinds = {(c.start, c.end) for c in parsed.slots.get("class", [])}
        measures = {m.entries[0].iri for m in parsed.slots.get("measure", []) if (m.start, m.end) not in kinds}
        # …or two years of one figure (2020年和2025年哪个高)
        return len(figure_subjects(kb, parsed)) >= 2 or len(measures) >= 2 or len(set(parsed.years)) >= 2
    if slot in ("institution2", "measure2"):
        return len({m.entries[0].iri for m in parsed.slots.get(slot[:-1], [])}) >= 2
    return bool(parsed.slots.get(slot))


def ranked(kb: Knowledge, parsed: Parsed, kinds: tuple[str, ...] | None = None) -> list[tuple[float, dict]]:
    """Families that can answer, best first (ties keep the order of questions.yaml)."""
    scored = [(score(kb, f, parsed), i, f) for i, f in enumerate(kb.families) if not kinds or f["kind"] in kinds]
    return [(s, f) for s, _, f in sorted(scored, key=lambda x: (-x[0], x[1])) if s > 0]
