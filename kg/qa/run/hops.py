"""Step 3 — run: Two-hop questions (被定为…的那家医院，…): the institution the clause describes, then the rest of the
question asked about it (through `ask_again`, the whole flow, passed in by the caller)."""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.qa.knowledge import Knowledge
from kg.qa.linking import Entry
from kg.qa.parse import Parsed, place_of
from kg.qa.render import reply
from kg.qa.textmatch import common_run

# asks a question of its own (no conversation context) through the whole flow
AskAgain = Callable[[str], dict]


def two_hop(kb: Knowledge, text: str, parsed: Parsed, qid: object, ask_again: AskAgain) -> dict | None:
    """"被定为X的那家医院，…": find the institution(s) the clause describes in the plans' sentences,
    then ask the rest of the question about them (summing figures when asked 加起来)."""
    spec = kb.config.get("descriptors") or {}
    m = next((m for p in spec.get("patterns", []) for m in [re.search(p, text)] if m), None)
    if not m or parsed.slots.get("institution") and parsed.slots["institution"][0].start < m.end("desc"):
        return None
    desc = re.sub(r"\s+", "", m.group("desc"))
    for mention in parsed.mentions:
        if mention.type in ("city", "county") and mention.end <= m.end("desc"):
            desc = desc.replace(mention.text, "")
    for word in spec.get("strip", []):
        desc = desc.replace(word, "")
    rest = m.group("rest").lstrip("，,、 ")
    if not rest.strip("？?。 "):
        return None
    if m.groupdict().get("role"):
        # X的牵头医院: only what the graph says leads X (a sentence naming X names its members too)
        found = described_by_relation(kb, f"{m.group('desc')}由谁{m.group('role')}", ask_again)
    else:
        found = described_by_relation(kb, m.group("desc"), ask_again) or described_by_text(kb, desc, parsed, m, spec)
    if not found:
        return None
    answers, sub = [], None
    meant = "、".join(e.label for e in found)
    for entry in found:
        sub = ask_again(entry.label + "，" + rest.replace("它", entry.label))
        if sub["status"] in ("passage", "unanswerable") and len(found) == 1:
            # the clause names it, the rest of the question is not recorded of it: say so — never answer
            # the clause alone (为第一医共体牵头的医院在哪个街道 is not answered by who leads it)
            said = f"（“{m.group('desc')}”指{meant}）{sub['message']}"
            return reply(text, sub["status"], said, sub["answers"], f"two_hop+{sub['template']}", sub["sparql"], qid)
        if sub["status"] != "answered":
            return None
        if re.search(r"(?:和|与|同|跟)(?:哪些|哪几|哪家|哪个|谁)", rest):
            # 和哪些医院一起…: the institution described is not its own partner
            sub["answers"] = [a for a in sub["answers"] if a.get("iri") != entry.iri] or sub["answers"]
        answers += sub["answers"]
    assert sub is not None
    if len(found) > 1 and any(w in text for w in spec.get("sum_words", [])):
        values = [a["value"] for a in answers if isinstance(a.get("value"), int | float)]
        total = sum(values)
        names_text = "、".join(e.label for e in found)
        sources = [s for a in answers for s in a["sources"]][:4]
        answers = [{"text": f"{names_text}合计{total:g}", "value": total, "iri": None, "inferred": False,
                    "sources": sources}]
    message = "；".join(a["text"] for a in answers) + f"（“{m.group('desc')}”指{meant}）"
    return reply(text, "answered", message, answers, f"two_hop+{sub['template']}", sub["sparql"], qid)


def described_by_relation(kb: Knowledge, desc: str, ask_again: AskAgain) -> list[Entry]:
    """The clause asked as a question of its own (当龙头的 → leads): its answers are the subject."""
    if not any(re.search(t, desc) for f in kb.families if f["kind"] == "relation" for t in f["triggers"]):
        return []
    sub = ask_again(desc)
    if sub["status"] != "answered" or sub.get("template") not in {f["id"] for f in kb.families
                                                                  if f["kind"] == "relation"}:
        return []
    return [Entry(a["iri"], a["text"], "answer") for a in sub["answers"] if a.get("iri")]


def described_by_text(kb: Knowledge, desc: str, parsed: Parsed, m: re.Match, spec: dict) -> list[Entry]:
    """Institutions whose sentences contain the longest run of the clause's words."""
    place = place_of(kb, parsed)["place"]
    best: dict[str, tuple[int, int]] = {}
    names = {e.iri: e for _, e in kb.lexicon.labelled("institution")}
    for iri, entry in names.items():
        if place and entry.city != place and place not in entry.label:
            continue
        for quote in kb.quotes_of(iri):
            quote = re.sub(r"\s+", "", quote)  # table rows are spaced: 在建 3 号儿科楼
            run, at = common_run(desc, quote)
            if run < 4:
                continue
            # In a sentence or table row naming several institutions, the one written just before
            # the clause (the row's subject; 依托X建设…), else the nearest after it.
            spots = [quote.find(lb) for lb in kb.labels_of(iri) if lb in quote]
            distance = min((at - p if p <= at else 1000 + p - at for p in spots), default=10**5)
            best[iri] = max(best.get(iri, (0, -10**6)), (run, -distance))
    if not best:
        return []
    top = max(v[0] for v in best.values())
    wanted = spec.get("counts", {}).get(m.group("n") or "", 1)
    ranked = sorted((v for v in best.values() if v[0] == top), reverse=True)
    cut = ranked[min(len(ranked), wanted) - 1]
    return [names[i] for i, v in best.items() if v[0] == top and v >= cut]

