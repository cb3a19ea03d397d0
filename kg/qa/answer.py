"""Answer a Chinese question: link entities, pick a family, run its SPARQL with bound values, cite."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml

from kg.errors import KGError
from kg.paths import QUERIES_DIR, TEMPLATES_DIR
from kg.qa.linking import (
    PREFIXES,
    Entry,
    Lexicon,
    Mention,
    cached_rows,
    find_mentions,
    fuzzy_candidates,
    load_lexicon,
    resolve_city,
    strip_asides,
)
from kg.qa.passages import PassageIndex
from kg.store import current_build, open_store, sparql_select, term_value

MAX_CHARS = 300
_CJK = re.compile(r"[\u4e00-\u9fff]")
_YEAR = re.compile(r"(20\d\d|19\d\d)\s*年?")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.]*年)")
_PRONOUN = re.compile(r"^(它|其|该院|该机构|该医院|这家医院|那家医院)")
SUBJECT_TYPES = ("institution", "consortium", "unit", "kindref", "class", "city", "county")


@dataclass
class Parsed:
    question: str
    mentions: list[Mention]
    years: list[int]
    numbers: list[float]
    slots: dict[str, list[Mention]] = field(default_factory=dict)


def load_config(path: Path | None = None) -> dict:
    return yaml.safe_load((path or QUERIES_DIR / "questions.yaml").read_text(encoding="utf-8"))


def reply(question: str, status: str, message: str, answers: list | None = None, template: str | None = None,
          sparql: str | None = None, qid: object = None) -> dict:
    return {"id": qid, "question": question, "status": status, "answers": answers or [], "template": template,
            "sparql": sparql, "message": message}


class Asker:
    """Holds the store, lexicon and templates; `ask` is cheap once constructed."""

    def __init__(self, data_dir: Path, config: dict | None = None, store=None) -> None:
        # `store`: a kg.remote.RemoteStore to answer from a SPARQL server (no build dir, no cache).
        self.config = config or load_config()
        self.store = open_store(data_dir) if store is None else store
        self.synonyms = {k: list(v) for k, v in (self.config.get("synonyms") or {}).items()}
        self.build_dir = current_build(data_dir) if store is None else None
        self.lexicon: Lexicon = load_lexicon(self.store, self.build_dir, self.synonyms,
                                             self.config.get("measure_optional_words") or [],
                                             self.config.get("measure_heads") or [],
                                             self.config.get("ordinal_names") or {})
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                                      undefined=jinja2.StrictUndefined, autoescape=False)
        self.families = self.config["families"]
        self.context_city: str | None = None
        self.context_entity: Mention | None = None
        self._sources: dict[str, list[dict]] | None = None
        self._graphs_of: dict[str, list[str]] | None = None
        self._labels: dict[str, list[str]] | None = None
        self._passage_rows: list[dict] | None = None
        self._passage_index: PassageIndex | None = None

    # ---- parsing -------------------------------------------------------------------------------
    def parse(self, question: str) -> Parsed:
        text = strip_asides(unicodedata.normalize("NFKC", question).strip())
        years = [int(y) for y in _YEAR.findall(text)]
        if not years:
            # 十三五末 / 十四五期间: a plan period stands for its last year
            years = [int(y) for w, y in (self.config.get("period_years") or {}).items()
                     if w in text.replace("“", "").replace("”", "").replace('"', "")][:1]
        numbers = [float(n) for n in _NUMBER.findall(_YEAR.sub(" ", text))]
        mentions = resolve_city(find_mentions(text, self.lexicon), self.context_city)
        if _PRONOUN.match(text) and self.context_entity and not any(m.type in SUBJECT_TYPES[:4] for m in mentions):
            mentions.insert(0, self.context_entity)
        parsed = Parsed(text, mentions, years, numbers)
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
        self._kinds_of_references(parsed)
        return parsed

    def _kinds_of_references(self, parsed: Parsed) -> None:
        """哪几家市级医院: a plan's generic phrase (a kind reference) also names its class, level and
        city, so a list can be asked with it when no class is named otherwise. (Counts are not: 几家县区
        疾控中心 asks for the number the plan sets, a figure.)"""
        if parsed.slots.get("class"):
            return
        for m in parsed.slots.get("kindref", []):
            ref = next((e for e in m.entries if e.of_kind), None)
            if ref is None or ref.of_kind not in self.lexicon.names:
                continue
            # the phrase's city only when one plan uses it
            city = ref.city if len({e.city for e in m.entries if e.of_kind}) == 1 else None
            parsed.slots["class_of_ref"] = [Mention(m.text, m.start, m.end, [
                Entry(ref.of_kind, self.lexicon.names[ref.of_kind], "class", city)])]
            if ref.level and ref.level in self.lexicon.names and not parsed.slots.get("level"):
                parsed.slots["level"] = [Mention(m.text, m.start, m.end,
                                                 [Entry(ref.level, self.lexicon.names[ref.level], "level")])]
            return

    def score(self, family: dict, parsed: Parsed) -> float:
        # A cue inside a name (比 in 医护比, 中心 in 急救中心) is no cue: the first match starting
        # outside every mention counts.
        spans = [(m.start, m.end) for m in parsed.mentions]
        hits = [next((h for h in re.finditer(t, parsed.question)
                      if not any(a <= h.start() < b for a, b in spans)), None) for t in family["triggers"]]
        hits = [h for h in hits if h]
        if not hits:
            return 0.0
        required = family["slots"].get("required", [])
        for slot in required:
            if not self._has_slot(slot, parsed):
                return 0.0
        optional = family["slots"].get("optional", [])
        if any(self._has_slot(t, parsed) for t in family.get("block_if", [])):
            return 0.0
        penalty = 2.0 * any(self._has_slot(t, parsed) for t in family.get("penalty_if", []))
        trigger_len = max(len(h.group(0)) for h in hits)
        # Later triggers in the question (closer to the question word) say more about what is asked.
        position = max(h.start() for h in hits) / max(1, len(parsed.question))
        return 1.0 + trigger_len * 0.5 + len(required) + 0.3 * sum(self._has_slot(s, parsed) for s in optional) \
            + position + float(family.get("priority", 0)) - penalty

    def _has_slot(self, slot: str, parsed: Parsed) -> bool:
        if slot == "subject":
            return any(parsed.slots.get(t) for t in SUBJECT_TYPES[:5])
        if slot == "named":
            return any(parsed.slots.get(t) for t in ("institution", "consortium", "unit"))
        if slot == "kind":
            return bool(parsed.slots.get("class") or parsed.slots.get("class_of_ref"))
        if slot == "year":
            return bool(parsed.years)
        if slot == "relation_cue":
            return any(w in parsed.question for w in self.config.get("relation_cues") or [])
        if slot == "number":
            return bool(parsed.numbers)
        if slot == "measure_only":
            # an indicator named by itself, not a kind that is also a table column (医院)
            kinds = {(c.start, c.end) for c in parsed.slots.get("class", [])}
            return any((m.start, m.end) not in kinds for m in parsed.slots.get("measure", []))
        if slot == "subject2":
            return len(self._figure_subjects(parsed)) >= 2
        if slot in ("institution2", "measure2"):
            return len({m.entries[0].iri for m in parsed.slots.get(slot[:-1], [])}) >= 2
        return bool(parsed.slots.get(slot))

    # ---- answering -----------------------------------------------------------------------------
    def ask(self, question: object, qid: object = None) -> dict:
        text = "" if question is None else str(question)
        try:
            return self._ask(text, qid)
        except KGError as exc:
            return reply(text, "error", f"查询出错：{exc.message}", qid=qid)

    def _ask(self, text: str, qid: object) -> dict:
        stripped = text.strip()
        if not stripped:
            return reply(text, "error", "问题为空。请输入一个中文问题，例如：梧州市有哪些中医医院？",
                         qid=qid)
        if len(stripped) > MAX_CHARS:
            message = f"问题太长（{len(stripped)} 字）。请把问题缩短到 {MAX_CHARS} 字以内。"
            return reply(text[:80] + "…", "error", message, qid=qid)
        if not _CJK.search(stripped):
            return reply(text, "unanswerable", "目前只支持中文提问，例如：梧州市第三人民医院的功能定位是什么？",
                         qid=qid)
        parsed = self.parse(stripped)
        if not parsed.mentions:
            # 哪个县区要巩固…示范区创建成果: no entity, but the plans may say it in so many words
            text_families = [f for f in self.families if f["kind"] in ("statement", "text_place")]
            best = max(text_families, key=lambda f: self.score(f, parsed), default=None)
            if best is not None and self.score(best, parsed) > 0:
                result = getattr(self, f"_run_{best['kind']}")(best, parsed)
                if result["status"] == "answered":
                    return reply(text, "answered", result["message"], result["answers"], best["id"],
                                 result["sparql"], qid)
            near = fuzzy_candidates(parsed.question, self.lexicon)
            hint = f"您是不是要问：{'、'.join(near[:5])}？" if near else "请写出机构、医联体、城市或指标的名称。"
            return reply(text, "unanswerable", f"没有识别出图谱中的实体。{hint}", qid=qid)
        ambiguous = [m for m in parsed.slots.get("institution", [])
                     if len({e.iri for e in m.entries}) > 1]
        if ambiguous:
            m = ambiguous[0]
            names = "、".join(sorted({e.label for e in m.entries}))
            return reply(text, "ambiguous", f"“{m.text}”可能指：{names}。请写明城市或全称。", qid=qid)
        elsewhere = self._unknown_place(parsed)
        if elsewhere:
            return reply(text, "unanswerable", f"图谱中没有{elsewhere}的规划。目前收录的城市："
                         f"{'、'.join(sorted(self._plan_cities()))}；可以用 `kg add` 加入新的规划。", qid=qid)
        hop = self._two_hop(stripped, parsed, qid)
        if hop is not None:
            return hop
        if not any(parsed.slots.get(t) for t in ("institution", "consortium", "unit")):
            # A name with one wrong or missing character is offered, never silently used.
            near = fuzzy_candidates(parsed.question, self.lexicon, known=parsed.mentions)
            if near:
                return reply(text, "unanswerable", f"没有找到这个名称。您是不是要问：{'、'.join(near[:5])}？", qid=qid)
        scored = sorted(((self.score(f, parsed), i, f) for i, f in enumerate(self.families)),
                        key=lambda x: (-x[0], x[1]))
        if not scored or scored[0][0] <= 0:
            ents = "、".join(dict.fromkeys(m.entries[0].label for m in parsed.mentions))
            return self._with_passages(
                reply(text, "unanswerable", f"识别出了{ents}，但没有能回答这类问题的模板。"
                      f"可以这样问：{'；'.join(self._askable_about(parsed))}", qid=qid), parsed)
        family = scored[0][2]
        result = getattr(self, f"_run_{family['kind']}")(family, parsed)
        self._remember(parsed)
        out = reply(text, result["status"], result["message"], result["answers"], family["id"], result["sparql"], qid)
        return self._with_passages(out, parsed) if result.get("no_fact") else out

    def _with_passages(self, out: dict, parsed: Parsed) -> dict:
        """No fact in the graph: the plan sentences that best match the question, in the plan(s) of
        the place or institution asked, shown as 原文相关内容 — never as the answer (status stays
        unanswerable, answers stay empty)."""
        if self._passage_index is None:
            self._passage_index = PassageIndex(self._passages())
        city = self._scope_city(parsed)
        if city is None:
            named = [m.entries[0].city for t in ("institution", "consortium", "unit")
                     for m in parsed.slots.get(t, []) if m.entries[0].city]
            city = named[0] if len(set(named)) == 1 else None
        query = parsed.question
        for word in sorted(self.config.get("question_words") or [], key=len, reverse=True):
            query = query.replace(word, " ")
        found = self._passage_index.rank(query, city)
        if found:
            out["passages"] = found
            out["message"] += "（下面是规划原文中的相关内容，供参考，不是答案。）"
        return out

    def _askable_about(self, parsed: Parsed) -> list[str]:
        """Questions that can be asked about the first entity recognised (questions.yaml `askable`),
        else one example of each family."""
        about = self.config.get("askable") or {}
        for m in parsed.mentions:
            patterns = about.get(m.type)
            if patterns:
                return [jinja2.Template(p).render(name=m.entries[0].label) for p in patterns]
        return [e for f in self.families for e in f.get("examples", [])[:1]]

    def _plan_cities(self) -> set[str]:
        return {e.label for es in self.lexicon.by_label.values() for e in es if e.type == "city"}

    def _unknown_place(self, parsed: Parsed) -> str | None:
        """A city or county named in the question that no plan in the graph is about (北京市…)."""
        if parsed.slots.get("city") or parsed.slots.get("county") or not re.search(r"[省市县区州]", parsed.question):
            return None
        try:
            from kg.gazetteer import load
            found = load().find(parsed.question)
        except (OSError, ValueError, KeyError):
            return None  # without the gazetteer the question is still answered
        known = {m.start for m in parsed.mentions}
        for m in found:
            if m.region is not None and m.start not in known and len(m.text) >= 2:
                return m.text
        return None

    def _quotes_of(self, iri: str) -> list[str]:
        return [src["quote"] for src in self._evidence_of(iri)]

    def _evidence_of(self, iri: str) -> list[dict]:
        self.sources_of_item(iri)  # fills the index
        return [src for g in (self._graphs_of or {}).get(iri, []) for src in self._source_index().get(g, [])[:3]]

    def _two_hop(self, text: str, parsed: Parsed, qid: object) -> dict | None:
        """"被定为X的那家医院，…": find the institution(s) the clause describes in the plans' sentences,
        then ask the rest of the question about them (summing figures when asked 加起来)."""
        spec = self.config.get("descriptors") or {}
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
        found = self._described_by_relation(m.group("desc")) or self._described_by_text(desc, parsed, m, spec)
        if not found:
            return None
        answers, sub = [], None
        for entry in found:
            sub = self._ask(entry.label + "，" + rest.replace("它", entry.label), None)
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
        meant = "、".join(e.label for e in found)
        message = "；".join(a["text"] for a in answers) + f"（“{m.group('desc')}”指{meant}）"
        return reply(text, "answered", message, answers, f"two_hop+{sub['template']}", sub["sparql"], qid)

    def _described_by_relation(self, desc: str) -> list[Entry]:
        """The clause asked as a question of its own (当龙头的 → leads): its answers are the subject."""
        if not any(re.search(t, desc) for f in self.families if f["kind"] == "relation" for t in f["triggers"]):
            return []
        saved = (self.context_city, self.context_entity)
        sub = self._ask(desc, None)
        self.context_city, self.context_entity = saved
        if sub["status"] != "answered" or sub.get("template") not in {f["id"] for f in self.families
                                                                      if f["kind"] == "relation"}:
            return []
        return [Entry(a["iri"], a["text"], "answer") for a in sub["answers"] if a.get("iri")]

    def _described_by_text(self, desc: str, parsed: Parsed, m: re.Match, spec: dict) -> list[Entry]:
        """Institutions whose sentences contain the longest run of the clause's words."""
        place = self._place(parsed)["place"]
        best: dict[str, tuple[int, int]] = {}
        names = {e.iri: e for es in self.lexicon.by_label.values() for e in es if e.type == "institution"}
        for iri, entry in names.items():
            if place and entry.city != place and place not in entry.label:
                continue
            for quote in self._quotes_of(iri):
                quote = re.sub(r"\s+", "", quote)  # table rows are spaced: 在建 3 号儿科楼
                run, at = _common_run(desc, quote)
                if run < 4:
                    continue
                # In a sentence or table row naming several institutions, the one written just before
                # the clause (the row's subject; 依托X建设…), else the nearest after it.
                spots = [quote.find(lb) for lb in self._labels_of(iri) if lb in quote]
                distance = min((at - p if p <= at else 1000 + p - at for p in spots), default=10**5)
                best[iri] = max(best.get(iri, (0, -10**6)), (run, -distance))
        if not best:
            return []
        top = max(v[0] for v in best.values())
        wanted = spec.get("counts", {}).get(m.group("n") or "", 1)
        ranked = sorted((v for v in best.values() if v[0] == top), reverse=True)
        cut = ranked[min(len(ranked), wanted) - 1]
        return [names[i] for i, v in best.items() if v[0] == top and v >= cut]

    def _remember(self, parsed: Parsed) -> None:
        cities = [m.entries[0].label for m in parsed.mentions if m.type == "city"]
        subjects = [m for m in parsed.mentions if m.type in ("institution", "consortium", "unit")]
        if subjects:
            self.context_entity = subjects[0]
            self.context_city = subjects[0].entries[0].city or self.context_city
        if cities:
            self.context_city = cities[0]

    def render_sparql(self, family: dict, **shape) -> str:
        return self.env.get_template(family["sparql"]).render(**shape)

    def select(self, query: str, bindings: dict) -> list[dict]:
        rows = sparql_select(self.store, query, bindings=bindings, prefixes=PREFIXES)
        return [{k: term_value(v) for k, v in r.items()} for r in rows]

    def _source_index(self) -> dict[str, list[dict]]:
        if self._sources is None:
            index: dict[str, list[dict]] = {}
            rows = cached_rows(self.build_dir, "sources",
                               lambda: self.select(self.env.get_template("sources.rq.j2").render(), {}))
            for r in rows:
                index.setdefault(r["g"], []).append({"doc": r["doc"], "title": r.get("title"), "quote": r["quote"],
                                                     "section": r.get("section") or ""})
            self._sources = index
        return self._sources

    def sources_of_graph(self, graph: str) -> list[dict]:
        """The citations of a graph in the answer format ({doc, title, quote})."""
        return [{"doc": s["doc"], "title": s["title"], "quote": s["quote"]}
                for s in self._source_index().get(graph, [])[:3]]

    def sources_of_item(self, iri: str) -> list[dict]:
        if self._graphs_of is None:
            graphs: dict[str, list[str]] = {}
            rows = cached_rows(self.build_dir, "mentions",
                               lambda: self.select(self.env.get_template("mentions.rq.j2").render(), {}))
            for r in rows:
                graphs.setdefault(r["item"], []).append(r["g"])
            self._graphs_of = graphs
        found: list[dict] = []
        for g in self._graphs_of.get(iri, []):
            found += [s for s in self.sources_of_graph(g) if s not in found]
            if len(found) >= 2:
                break
        return found[:2]

    def _no_fact(self, what: str, sparql: str) -> dict:
        return {"status": "unanswerable", "answers": [], "sparql": sparql, "no_fact": True,
                "message": f"图谱中未记录{what}。可以用 `kg facts` 查看图谱里有哪些事实，或换一种问法。"}

    def _answered(self, answers: list[dict], message: str, sparql: str) -> dict:
        return {"status": "answered", "answers": answers, "sparql": sparql, "message": message}

    def _place(self, parsed: Parsed) -> dict:
        city = parsed.slots.get("city", [None])[0]
        county = parsed.slots.get("county", [None])[0]
        return {"city": city.entries[0].iri if city else None, "county": county.entries[0].iri if county else None,
                "place": (county or city).entries[0].label if (county or city) else ""}

    def _run_list(self, family: dict, parsed: Parsed, counting: bool = False) -> dict:
        kinds = parsed.slots.get("class") or parsed.slots.get("class_of_ref") or []
        place = self._place(parsed)
        if kinds and not place["place"] and kinds[-1].entries[0].city:
            # a plan's own phrase (县直综合医院) is about that plan's city
            city = next((e for e in self.lexicon.by_label.get(kinds[-1].entries[0].city, []) if e.type == "city"), None)
            if city is not None:
                place = {"city": city.iri, "county": None, "place": ""}
        bindings: dict = {}
        shape: dict = {"city": place["city"], "county": place["county"], "level": None}
        named = next((parsed.slots[t][0] for t in ("institution", "consortium", "unit") if parsed.slots.get(t)), None)
        if family["id"] == "where" and named is not None:
            bindings["s"] = named.entries[0].iri
            if re.search(family.get("city_words") or "$^", parsed.question):
                shape["city"] = True
        else:
            bindings["cls"] = kinds[-1].entries[0].iri
            level = parsed.slots.get("level")
            if level:
                shape["level"] = bindings["level"] = level[0].entries[0].iri
            for key in ("city", "county"):
                if shape[key]:
                    bindings[key] = shape[key]
        sparql = self.render_sparql(family, **shape)
        rows = self.select(sparql, bindings)
        if family["id"] != "where":
            # 医院、疾控中心: every kind named in the question counts.
            seen = {r["item"] for r in rows}
            extras = {m.entries[0].iri for m in kinds[:-1]}
            for also in (self.config.get("kind_also_includes") or {}).get(kinds[-1].entries[0].label, []):
                extras |= {e.iri for e in self.lexicon.by_label.get(also, []) if e.type == "class"}
            for extra in extras:
                rows += [r for r in self.select(sparql, bindings | {"cls": extra}) if r["item"] not in seen]
                seen |= {r["item"] for r in rows}
        if family["id"] != "where":
            modifier = self._unknown_modifier(kinds[-1], parsed)
            if modifier:
                return self._no_fact(f"“{modifier}{kinds[-1].text}”这一类机构（图谱只认识“{kinds[-1].text}”）", sparql)
            rows = self._narrow_by_context(self._drop_excepted(rows, parsed), parsed)
        subject = named.entries[0].label if family["id"] == "where" and named is not None else ""
        kind = kinds[-1].text if kinds else ""
        level = parsed.slots["level"][0].text if parsed.slots.get("level") else ""
        if level and kind.startswith(level):
            level = ""  # 市级医院 names both
        if not rows:
            if counting:
                # none recorded is not "none exist": a count of 0 from absence is no answer
                return self._no_fact(f"{place['place']}{level}{kind}的数量", sparql)
            else:
                return self._no_fact(f"{place['place']}{level}{kind or subject}的相关信息", sparql)
        # A place is cited by the sentences naming the institution in it.
        cited = bindings["s"] if family["id"] == "where" else None
        answers = [{"text": r["label"], "value": None, "iri": r["item"], "inferred": False,
                    "sources": self.sources_of_item(cited or r["item"])} for r in rows]
        items = [a["text"] for a in answers]
        message = jinja2.Template(family["answer"]).render(
            place=place["place"], level=level, kind=kind, subject=subject, n=len(items), items=items)
        if counting:
            answers.insert(0, {"text": f"{len(items)}家", "value": len(items), "iri": None, "inferred": False,
                               "sources": []})
        return self._answered(answers, message, sparql)

    def _unknown_modifier(self, kind: Mention, parsed: Parsed) -> str:
        """航天医院: two characters glued before a kind that no mention covers and that are no question
        or function word narrow it to a kind the graph does not know; answering 医院 would be a guess."""
        before = parsed.question[max(0, kind.start - 2):kind.start]
        if len(before) < 2 or not all(_CJK.match(ch) for ch in before):
            return ""
        if any(m.start < kind.start and m.end > kind.start - 2 for m in parsed.mentions if m is not kind):
            return ""
        allowed = self.config.get("kind_preceders") or {}
        if before[-1] in allowed.get("chars", "") or any(before.endswith(w) for w in allowed.get("words", [])):
            return ""
        if any(before.endswith(w) for w in self.config.get("context_stopwords") or [] if len(w) >= 2):
            return ""
        return before

    @staticmethod
    def _drop_excepted(rows: list[dict], parsed: Parsed) -> list[dict]:
        """除A、B外（另外/其他…）: the institutions named in the exception are not in the answer."""
        m = re.search(r"除(?:了)?(.+?)(?:以外|之外|外)", parsed.question)
        if not m:
            return rows
        excepted = {e.iri for x in parsed.mentions if m.start(1) <= x.start < m.end(1) for e in x.entries}
        return [r for r in rows if r["item"] not in excepted]

    def _narrow_by_context(self, rows: list[dict], parsed: Parsed) -> list[dict]:
        """梧州规划新建几个区级疾控中心: the words left after the entities (新建) keep the institutions
        whose sentences say them, when only some do. Among institutions of one sentence, the clause
        naming each decides (…、钦州市妇幼保健院排名全区靠前，钦州市中医医院排名进入…)."""
        text = parsed.question
        for m in sorted(parsed.mentions, key=lambda m: -m.start):
            text = text[:m.start] + "|" + text[m.end:]
        for word in sorted(self.config.get("context_stopwords") or [], key=len, reverse=True):
            text = text.replace(word, "|")
        chunks = [c for c in re.split(r"[|\W\d]+", text) if len(c) >= 2]
        if not chunks or len(rows) < 2:
            return rows
        scored = [self._context_score(r["item"], chunks) for r in rows]
        top = max(scored)
        if top[0] < 2 or all(v == top for v in scored):
            return rows
        # the best sentences; within them, clauses that carry at least half of the best clause's words
        return [r for r, v in zip(rows, scored, strict=True) if v[0] == top[0] and 2 * v[1] >= top[1]]

    def _context_score(self, iri: str, chunks: list[str]) -> tuple[int, int]:
        """How much of the question's leftover words the sentences about `iri` share: in the clause
        that names it, and in the whole sentence (runs of 2+ characters, summed over the words)."""
        def overlap(text: str) -> int:
            return sum(run for c in chunks for run in [_common_run(c, text)[0]] if run >= 2)
        names = self._labels_of(iri)
        clause_best = sentence_best = 0
        for src in self._evidence_of(iri):
            quote = re.sub(r"\s+", "", src["quote"])
            # the sentence's own (innermost) section title counts as part of it: "…这部分点名了哪些医院"
            heading = re.sub(r"\s+", "", src.get("section", "").split(" / ")[-1])
            sentence_best = max(sentence_best, overlap(heading + "。" + quote))
            clauses = re.split(r"[，,；;。：:]", quote)
            for k, clause in enumerate(clauses):
                if any(_names_in(n, clause) for n in names):
                    residue = clause
                    for n in names:
                        residue = residue.replace(n, "")
                    if len(residue) <= 4 and k + 1 < len(clauses):
                        clause += "，" + clauses[k + 1]  # "支持A，B、C新建项目": A's clause has no verb of its own
                    clause_best = max(clause_best, overlap(clause))
        return sentence_best, clause_best

    def _labels_of(self, iri: str) -> list[str]:
        if self._labels is None:
            self._labels = {}
            for label, entries in self.lexicon.by_label.items():
                for e in entries:
                    self._labels.setdefault(e.iri, []).append(label)
        return self._labels.get(iri, [])

    def _run_exists(self, family: dict, parsed: Parsed) -> dict:
        result = self._run_list(family, parsed)
        if result["status"] != "answered":
            said = self._said_not(parsed)
            return said or result
        names = [a["text"] for a in result["answers"]]
        verdict = {"text": "是", "value": len(names), "iri": None, "inferred": False,
                   "sources": result["answers"][0]["sources"]}
        result["answers"] = [verdict] + result["answers"]
        result["message"] = f"是。{result['message']}"
        return result

    def _run_nature(self, family: dict, parsed: Parsed) -> dict:
        """约束性指标有哪些: the indicators of that nature (binding/expected/guiding) in the city's plan."""
        nature = parsed.slots["nature"][0]
        place = self._place(parsed)
        bindings = {"nature": nature.entries[0].iri} | ({"city": place["city"]} if place["city"] else {})
        sparql = self.render_sparql(family, city=bool(place["city"]))
        if self._has_slot("measure_only", parsed):
            return self._nature_of_measure(family, parsed, place)
        rows = self.select(sparql, bindings)
        if not rows:
            return self._no_fact(f"{place['place']}的{nature.text}指标", sparql)
        answers: dict[str, dict] = {}
        for r in rows:
            a = answers.setdefault(r["label"], {"text": r["label"], "value": None, "iri": r["m"], "inferred": False,
                                                "sources": []})
            if len(a["sources"]) < 1:
                a["sources"] += self.sources_of_graph(r["g"])[:1]
        items = list(answers)
        message = jinja2.Template(family["answer"]).render(place=place["place"], nature=nature.entries[0].label,
                                                           items=items, n=len(items))
        return self._answered(list(answers.values()), message, sparql)

    def _said_not(self, parsed: Parsed) -> dict | None:
        """钦州有没有传染病医院: none listed, but the plan may say so in the negative (全市范围内均未设置
        有专门的传染病防治医院): a sentence of the plan in scope with a negation word shortly before the
        kind (its modifier and head may have a few characters between them)."""
        kinds = parsed.slots.get("class") or parsed.slots.get("class_of_ref") or []
        if not kinds:
            return None
        phrase = kinds[-1].text
        city = self._scope_city(parsed)
        neg = self.config.get("negation_words") or "未设置|不设置"
        body = re.escape(phrase[:-2]) + ".{0,4}" + re.escape(phrase[-2:]) if len(phrase) > 3 else re.escape(phrase)
        pattern = re.compile(f"(?:{neg})[^，,。；;]{{0,12}}?{body}")
        for row in self._passages():
            if city and row.get("city") != city:
                continue
            flat = re.sub(r"\s+", "", str(row["quote"]))
            if pattern.search(flat):
                answers = [{"text": "否", "value": None, "iri": None, "inferred": False,
                            "sources": [self._cite_passage(row)]}]
                return self._answered(answers, f"否。《{row.get('title') or row['doc']}》：{row['quote']}",
                                      self._passages_sparql())
        return None

    def _nature_of_measure(self, family: dict, parsed: Parsed, place: dict) -> dict:
        """每万人口全科医生数是约束性的还是预期性的: the nature(s) the plans give that indicator."""
        measure = max(parsed.slots["measure"], key=lambda m: len(m.text))
        wanted = {e.iri for e in measure.entries}
        sparql = self.render_sparql(family, city=bool(place["city"]))
        natures = {e.iri: e.label for es in self.lexicon.by_label.values() for e in es if e.type == "nature"}
        found: dict[str, dict] = {}
        for iri, label in natures.items():
            rows = self.select(sparql, {"nature": iri} | ({"city": place["city"]} if place["city"] else {}))
            for r in rows:
                if r["m"] in wanted and label not in found:
                    found[label] = {"text": label, "value": None, "iri": iri, "inferred": False,
                                    "sources": self.sources_of_graph(r["g"])[:1]}
        if not found:
            return self._no_fact(f"{measure.entries[0].label}的指标性质", sparql)
        return self._answered(list(found.values()), f"{measure.entries[0].label}是{'、'.join(found)}指标。", sparql)

    def _run_count(self, family: dict, parsed: Parsed) -> dict:
        return self._run_list(family, parsed, counting=True)

    def _subject_candidates(self, family: dict, parsed: Parsed) -> list[Mention]:
        """Mentions that can be the subject, nearest to the family's trigger first (the subject of
        依托什么设置Y follows the trigger; that of X的功能定位 precedes it)."""
        hits = [h for t in family["triggers"] for h in [re.search(t, parsed.question)] if h]
        anchor = hits[0].start() if hits else 0
        types = family.get("subject_types", ["institution", "unit", "consortium", "kindref", "class"])
        markers = self.config.get("asked_markers") or []
        # 依托哪家医院创建: a kind right after a question word is what is asked, not the subject.
        asked = re.compile(f"(?:{'|'.join(map(re.escape, markers))})(?:[^，,。？?]{{0,4}}的)?$") if markers else None
        # …创建什么等级的<医院>: the same with a modifier and 的 between
        views = [v for t in types for v in parsed.slots.get(t, [])
                 if v.entries[0].type not in ("kindref", "class")
                 or not (asked and asked.search(parsed.question[:v.start]))]
        return sorted(views, key=lambda m: (abs(m.start - anchor) if m.end <= anchor else abs(m.start - anchor) + 0.5,
                                            types.index(m.entries[0].type)))

    def _run_relation(self, family: dict, parsed: Parsed) -> dict:
        insts = list({m.entries[0].iri: m for m in parsed.slots.get("institution", [])
                      if len(m.entries) == 1}.values())
        if len(insts) >= 2:
            return self._relation_of_each(family, parsed, insts)
        return self._relation_of_one(family, parsed)

    def _relation_of_each(self, family: dict, parsed: Parsed, insts: list[Mention]) -> dict:
        """A和B分别…/A和B的…一样吗: the relation asked of each institution named."""
        results = []
        for m in insts:
            slots = dict(parsed.slots) | {"institution": [m]}
            view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers, slots)
            results.append((m, self._relation_of_one(family, view, yes_no=False)))
        missing = [m.entries[0].label for m, r in results if r["status"] != "answered"]
        sparql = results[-1][1].get("sparql") or ""
        if missing:
            return self._no_fact(f"{'、'.join(missing)}的这类关系", sparql)
        if re.search(self.config.get("same_words") or "$^", parsed.question):
            sets = [frozenset(a["text"] for a in r["answers"]) for _, r in results]
            verdict = "是" if len(set(sets)) == 1 else "否"
            detail = "；".join(f"{m.entries[0].label}：{'、'.join(a['text'] for a in r['answers'])}"
                              for m, r in results)
            sources = [s for _, r in results for a in r["answers"][:1] for s in a["sources"][:1]]
            return self._answered([{"text": verdict, "value": None, "iri": None, "inferred": False,
                                    "sources": sources}], f"{verdict}。{detail}。", sparql)
        answers = []
        for m, r in results:
            for a in r["answers"]:
                answers.append(a | {"text": f"{m.entries[0].label}：{a['text']}"})
        return self._answered(answers, "；".join(a["text"] for a in answers) + "。", sparql)

    def _relation_of_one(self, family: dict, parsed: Parsed, yes_no: bool = True) -> dict:
        # A bare class (医院) stands for every plan's phrases of that kind: answering from all plans
        # pools what different plans say of different kinds (a guess). It is asked only within the
        # plans of the city named; otherwise only the phrase the question names (a kind reference,
        # 县级医院) or a named entity is.
        scope = self._scope_city(parsed)
        candidates = [c for c in self._subject_candidates(family, parsed) if scope or c.entries[0].type != "class"]
        if not candidates:
            return self._no_fact("相关主体", "")
        sparql = ""
        for subject in candidates:
            kind = subject.entries[0].type
            is_class = kind == "class"
            shape = {"subject_is_class": is_class, "city": is_class,
                     "props": family["props"], "reverse": family.get("reverse", False)}
            sparql = self.render_sparql(family, **shape)
            entries = subject.entries
            if scope and not is_class:
                # A kind reference or network of the city named in the question, if there is one.
                local = [e for e in entries if e.city == scope]
                if not local and kind == "institution" and all(e.city for e in entries):
                    continue  # an institution of another city is not what the question is about
                entries = local or entries
            rows: list[dict] = []
            for entry in entries:
                bindings = {"cls": entry.iri, "city": self._city_iri(scope)} if is_class else {"s": entry.iri}
                rows += self.select(sparql, bindings)
                if family.get("also_units") and kind == "institution":
                    rows += self.select(self.env.get_template("units_based_on.rq.j2").render(), bindings)
            own = scope or (entries[0].city if kind == "institution" and len({e.city for e in entries}) == 1
                            else None)
            if own:
                # Scope is never crossed: only what the plan(s) of that city say.
                rows = [r for r in rows if own in self._row_cities(r)]
            answers = self._drop_restatements(self._relation_answers(rows), parsed.question)
            answers = self._narrow_answers(self._drop_other_places(answers, parsed), parsed, family)
            if not answers:
                continue
            cities = {a["text"]: self._answer_cities(a) for a in answers}
            spread = set().union(*cities.values())
            if not own and len(spread) > 1 and kind != "institution":
                # The same kind in several plans: which plan is meant decides the answer.
                names = "、".join(sorted(spread))
                return {"status": "ambiguous", "answers": [], "sparql": sparql,
                        "message": f"“{subject.text}”在{names}的规划中都有说明，答案因城市而异。请写明城市，"
                                   f"例如：{sorted(spread)[0].removesuffix('市')}的{subject.text}……"}
            if yes_no and self._is_yes_no(parsed):
                return self._yes_if_said(answers, parsed, family, subject, sparql)
            items = [a["text"] + ("（推理得出）" if a["inferred"] else "") for a in answers]
            message = jinja2.Template(family["answer"]).render(subject=subject.entries[0].label, items=items)
            if kind in ("kindref", "class"):
                where = "、".join(sorted(spread)) or (own or "")
                message += f"（这是{where}规划对“{subject.text}”这一类机构的表述）"
            return self._answered(answers, message, sparql)
        said = self._said_in_text(family, candidates[0], parsed)
        if said is not None:
            return said
        return self._no_fact(f"{candidates[0].entries[0].label}的这类关系", sparql)

    def _is_yes_no(self, parsed: Parsed) -> bool:
        return bool(re.search(self.config.get("yes_no_words") or "$^", parsed.question))

    def _yes_if_said(self, answers: list[dict], parsed: Parsed, family: dict, subject: Mention,
                     sparql: str) -> dict:
        """市直医院要承担住院医师规范化培训吗: yes when one of the subject's stated answers says the
        question's own words; otherwise the graph does not say (absence is not a no)."""
        # the thing asked about: the longest word left, else a name after the subject (包括<急救站>吗)
        chunks = sorted(self._leftover_words(parsed, family), key=len, reverse=True)[:1]
        chunks += [m.text for m in parsed.mentions if m.start >= subject.end and m.type not in ("city", "county")]
        for chunk in chunks:
            hits = [a for a in answers if _common_run(chunk, a["text"])[0] >= min(len(chunk), 4)]
            if hits:
                verdict = {"text": "是", "value": None, "iri": None, "inferred": any(a["inferred"] for a in hits),
                           "sources": [s for a in hits for s in a["sources"]][:3]}
                return self._answered([verdict], f"是。{subject.entries[0].label}："
                                      f"{'；'.join(a['text'] for a in hits)}。", sparql)
        return self._no_fact(f"{subject.entries[0].label}与“{chunks[0] if chunks else ''}”的关系", sparql)

    def _scope_city(self, parsed: Parsed) -> str | None:
        """The city whose plans the question is about: the city named, or the city of the county named."""
        if parsed.slots.get("city"):
            return parsed.slots["city"][0].entries[0].label
        if parsed.slots.get("county"):
            return parsed.slots["county"][0].entries[0].city
        return None

    def _city_iri(self, label: str | None) -> str | None:
        return next((e.iri for e in self.lexicon.by_label.get(label or "", []) if e.type == "city"), None)

    def _doc_cities(self) -> dict[str, str]:
        return {str(r["doc"]): str(r["city"]) for r in self._passages() if r.get("city")}

    def _row_cities(self, row: dict) -> set[str]:
        """The cities of the plans a fact's evidence (or its premises' evidence) comes from."""
        docs = self._doc_cities()
        return {docs[s["doc"]] for s in self._source_index().get(row.get("g") or "", []) if s["doc"] in docs}

    def _answer_cities(self, answer: dict) -> set[str]:
        docs = self._doc_cities()
        return {docs[s["doc"]] for s in answer["sources"] if s["doc"] in docs}

    def _leftover_words(self, parsed: Parsed, family: dict | None = None) -> list[str]:
        """The question's words left after its entities, the family's cue words and question words
        (在<健康教育>这一块负责什么 → 健康教育)."""
        text = parsed.question
        for m in sorted(parsed.mentions, key=lambda m: -m.start):
            text = text[:m.start] + "|" + text[m.end:]
        text = re.sub(self.config.get("yes_no_words") or "$^", "|", text)
        for t in (family or {}).get("triggers", []):
            text = re.sub(t, "|", text)
        words = list(self.config.get("context_stopwords") or []) + list(self.config.get("relation_cues") or []) \
            + list(self.config.get("question_words") or [])
        for word in sorted(words, key=len, reverse=True):
            text = text.replace(word, "|")
        return [c for c in re.split(r"[|\W\d]+", text) if len(c) >= 2]

    def _drop_other_places(self, answers: list[dict], parsed: Parsed) -> list[dict]:
        """灵山县的医共体由谁牵头: an answer naming another county (浦北县人民医院) is about another place."""
        asked = {m.entries[0].label for m in parsed.slots.get("county", [])}
        if not asked:
            return answers
        others = {lb for lb, es in self.lexicon.by_label.items() for e in es
                  if e.type == "county" and e.label not in asked and len(lb) >= 2 and lb == e.label}
        return [a for a in answers if not any(o in a["text"] for o in others)]

    def _narrow_answers(self, answers: list[dict], parsed: Parsed, family: dict) -> list[dict]:
        """Of several answers, those sharing the question's own words (负责开展什么<宣传活动> keeps the
        answer about 宣传活动), when some do and others do not."""
        if len(answers) < 2:
            return answers
        chunks = self._leftover_words(parsed, family)
        if not chunks:
            return answers
        def overlap(a: dict) -> int:
            return sum(run for c in chunks for run in [_common_run(c, a["text"])[0]] if run >= 2)
        scores = [overlap(a) for a in answers]
        top = max(scores)
        if top < 2:
            return answers
        return [a for a, v in zip(answers, scores, strict=True) if v == top]

    def _said_in_text(self, family: dict, subject: Mention, parsed: Parsed) -> dict | None:
        """No fact in the graph, but a plan sentence states it with the family's own wording
        (`text_pattern`: 依托<X>设置<subject>): quote X and the sentence, saying it is read from the text."""
        pattern = family.get("text_pattern")
        if not pattern:
            return None
        city = parsed.slots["city"][0].entries[0].label if parsed.slots.get("city") else None
        for row in self._passages():
            if city and row.get("city") != city:
                continue
            flat = strip_asides(unicodedata.normalize("NFKC", re.sub(r"\s+", "", str(row["quote"]))))
            for m in re.finditer(pattern, flat):
                if flat.startswith(subject.text, m.end()):
                    x = m.group("x")
                    answers = [{"text": x, "value": None, "iri": None, "inferred": False,
                                "sources": [self._cite_passage(row)]}]
                    message = jinja2.Template(family["answer"]).render(subject=subject.text, items=[x]) + \
                        "（据规划原文，图谱中没有这条关系）"
                    return self._answered(answers, message, self._passages_sparql())
        return None

    @staticmethod
    def _drop_restatements(answers: list[dict], question: str) -> list[dict]:
        """An answer that ends with the question's own noun phrase (…区域医疗中心 for 在哪些方面打造
        区域医疗中心) restates the question; keep it only when nothing else answers."""
        def restates(text: str) -> bool:
            k = next((k for k in range(6, 3, -1) if len(text) > 6 and text[-k:] in question), 0)
            if not k:
                return False
            # An answer that fills the question's frame (以什么为重点的… → 以肿瘤性疾病为重点的…) shares
            # much of its remaining words with the question; a restatement does not.
            rest = text[:-k]
            return sum(ch in question for ch in rest) < len(rest) / 2
        kept = [a for a in answers if not restates(a["text"])]
        return kept or answers

    def _relation_answers(self, rows: list[dict]) -> list[dict]:
        answers: dict[str, dict] = {}
        for r in rows:
            label = r.get("label")
            if not label:
                continue
            inferred = str(r.get("mode") or "").endswith("inferred")
            a = answers.setdefault(label, {"text": label, "value": None,
                                           "iri": r["item"] if str(r["item"]).startswith("http") else None,
                                           "inferred": inferred, "sources": []})
            if r.get("g") and len(a["sources"]) < 3:
                a["sources"] += [s for s in self.sources_of_graph(r["g"]) if s not in a["sources"]]
        return list(answers.values())

    # ---- figures -------------------------------------------------------------------------------
    def _figure_rows(self, family: dict, parsed: Parsed, subject: Mention | None = None) -> tuple[list[dict], str]:
        # The longest indicator named (实际开放床位 rather than a column called 医院); each measure it
        # may stand for (with and without qualifiers) is asked.
        measure = max(parsed.slots["measure"], key=lambda m: len(m.text))
        bindings: dict = {}
        place = self._place(parsed)
        if subject is None:
            for t in ("institution", "county"):
                if parsed.slots.get(t):
                    subject = parsed.slots[t][0]
                    break
        shape = {"subject": subject is not None, "city": bool(place["city"])}
        if subject is not None:
            bindings["subj"] = subject.entries[0].iri
        if place["city"]:
            bindings["city"] = place["city"]
        sparql = self.render_sparql(family, **shape)
        rows = [r for e in measure.entries for r in self.select(sparql, bindings | {"m": e.iri})]
        if subject is None:
            # Without a named subject the figure is about the city asked (or each plan's own city),
            # not its counties, districts or the province quoted for comparison.
            own = [r for r in rows if r.get("subject") and r.get("subject") == (place["city"] or r.get("doccity"))]
            rows = own or rows
        return rows, sparql

    def _pick_role(self, rows: list[dict], parsed: Parsed) -> list[dict]:
        """Prefer the value role named in the question (目标/实际开放…), longest cue first."""
        cues = sorted(((w, role) for role, words in (self.config.get("value_roles") or {}).items() for w in words),
                      key=lambda x: -len(x[0]))
        for word, role in cues:
            if word in parsed.question:
                chosen = [r for r in rows if str(r.get("role") or "").endswith("/" + role)]
                if chosen:
                    return chosen
        return rows

    def _figure_answer(self, r: dict, measure: str) -> dict:
        text = str(r.get("vt") or r.get("value"))
        unit = r.get("unit") or ""
        shown = f"{text}{unit if unit not in text else ''}"
        label = f"{r.get('slabel') or ''}{r.get('year')}年{r.get('mlabel') or measure}：{shown}"
        return {"text": label, "value": r.get("value"), "iri": r.get("obs"), "inferred": False,
                "sources": self.sources_of_graph(r["g"]) if r.get("g") else []}

    def _run_figure(self, family: dict, parsed: Parsed) -> dict:
        subjects = self._figure_subjects(parsed)
        if len(subjects) >= 2:
            # 梧州和钦州……分别是多少: the figure of each place or institution named
            results = [self._run_figure(family, self._subject_view(parsed, m)) for m in subjects]
            missing = [m.entries[0].label for m, r in zip(subjects, results, strict=True) if r["status"] != "answered"]
            if missing:
                return self._no_fact(f"{'、'.join(missing)}的这项数值", results[0]["sparql"] or "")
            answers = [a for r in results for a in r["answers"]]
            return self._answered(answers, "；".join(a["text"] for a in answers) + "。", results[0]["sparql"])
        rows, sparql = self._figure_rows(family, parsed)
        measure = max(parsed.slots["measure"], key=lambda m: len(m.text)).entries[0].label
        if parsed.years:
            rows = [r for r in rows if r.get("year") in parsed.years]
        rows = self._pick_role(rows, parsed)
        if not rows:
            return self._no_fact(f"{''.join(str(y) + '年' for y in parsed.years)}{measure}的数值", sparql)
        answers = list({a["text"]: a for a in (self._figure_answer(r, measure) for r in rows)}.values())
        return self._answered(answers, "；".join(a["text"] for a in answers) + "。", sparql)

    def _sibling_measures(self, mention: Mention) -> list[Entry]:
        """Indicators that are the same quantity at another time: their labels differ only by a
        word of time or role (规划编制床位 / 目前编制床位 / 编制床位)."""
        words = sorted({w for ws in (self.config.get("value_roles") or {}).values() for w in ws
                        if not w.isdigit()} | {"现有", "现状", "规划"}, key=len, reverse=True)

        def core(label: str) -> str:
            for w in words:
                if label.startswith(w) and len(label) - len(w) >= 2:
                    return label[len(w):]
            return label
        own = {e.iri for e in mention.entries}
        want = {core(e.label) for e in mention.entries}
        return [e for es in self.lexicon.by_label.values() for e in es
                if e.type == "measure" and e.iri not in own and core(e.label) in want
                and e.label == self.lexicon.names.get(e.iri, e.label)]

    def _run_diff_subjects(self, family: dict, parsed: Parsed, subjects: list[Mention]) -> dict:
        """梧州比钦州高多少: the difference of one figure between two places or institutions."""
        found: list[tuple[Mention, dict]] = []
        sparql = measure = ""
        for subj in subjects[:2]:
            view = self._subject_view(parsed, subj)
            rows, sparql, measure = self._numeric_rows(family, view, subject=None if subj.type == "city" else subj)
            if not rows:
                return self._no_fact(f"{subj.entries[0].label}的{measure}", sparql)
            years = {r.get("year") for r in rows}
            if len(years) > 1:
                return self._no_fact(f"{subj.entries[0].label}的{measure}是哪一年的（请写明年份）", sparql)
            found.append((subj, rows[0]))
        (m1, a), (m2, b) = found
        diff = round(float(a["value"]) - float(b["value"]), 6)
        word = "高" if diff >= 0 else "低"
        text = (f"{m1.entries[0].label}{measure}比{m2.entries[0].label}{word}{abs(diff):g}"
                f"（{a['year']}年：{a.get('vt') or a['value']}，{b.get('vt') or b['value']}）")
        sources = self.sources_of_graph(a["g"])[:1] + self.sources_of_graph(b["g"])[:1]
        return self._answered([{"text": text, "value": abs(diff), "iri": None, "inferred": False,
                                "sources": sources}], text + "。", sparql)

    def _run_diff(self, family: dict, parsed: Parsed) -> dict:
        subjects = self._figure_subjects(parsed)
        if len(subjects) >= 2:
            return self._run_diff_subjects(family, parsed, subjects)
        rows, sparql = self._figure_rows(family, parsed)
        asked = max(parsed.slots["measure"], key=lambda m: len(m.text))
        measure = asked.entries[0].label
        rows = [r for r in rows if isinstance(r.get("value"), int | float)]
        if len(set(parsed.years)) == 1 and not re.search(self.config.get("now_words") or "$^", parsed.question):
            # one year named and no "now" to compare it with (2020年…和广西比): not a difference of years
            return self._no_fact(f"{measure}的比较对象", sparql)
        if len({r.get("year") for r in rows}) < 2:
            # 规划编制床位比现在多多少: the same quantity now is another indicator (目前编制床位)
            siblings = {e.iri: e for e in self._sibling_measures(asked)}
            if siblings:
                other = Mention(asked.text, asked.start, asked.end, list(siblings.values()))
                view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers,
                              dict(parsed.slots) | {"measure": [other]})
                rows += [r for r in self._figure_rows(family, view)[0] if isinstance(r.get("value"), int | float)]
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
            diff = round(float(b["value"]) - float(a["value"]), 6)
            who = a.get("slabel") or ""
            text = (f"{who}{measure}{years[-1]}年比{years[0]}年{'高' if diff >= 0 else '低'}{abs(diff):g}"
                    f"（{years[0]}年{a.get('vt') or a['value']}，{years[-1]}年{b.get('vt') or b['value']}）")
            sources = self.sources_of_graph(b["g"]) + self.sources_of_graph(a["g"])
            answers.append({"text": text, "value": diff, "iri": None, "inferred": False, "sources": sources[:3]})
        if not answers:
            return self._no_fact(f"{measure}在两个年份的数值", sparql)
        return self._answered(answers, "；".join(a["text"] for a in answers) + "。", sparql)

    def _run_contains(self, family: dict, parsed: Parsed) -> dict:
        """是否升级为X: yes when a stated target of the institution contains X's words."""
        inst = parsed.slots["institution"][0]
        targets = [m.text for t in ("kindref", "class") for m in parsed.slots.get(t, []) if m.start > inst.end]
        sparql = self.render_sparql(family, subject_is_class=False, city=False, props=family["props"], reverse=False)
        answers = self._relation_answers(self.select(sparql, {"s": inst.entries[0].iri}))
        hits = [a for a in answers if any(t in a["text"] for t in targets)] if targets else answers
        if not hits:
            return self._no_fact(f"{inst.entries[0].label}升级为{'、'.join(targets) or '该目标'}", sparql)
        for a in hits:
            a["text"] = f"是（{a['text']}）"
        message = jinja2.Template(family["answer"]).render(verdict="是", subject=inst.entries[0].label,
                                                           items=[a["text"] for a in hits])
        return self._answered(hits, message, sparql)

    def _run_compare_measures(self, family: dict, parsed: Parsed) -> dict:
        """X的A是否超过B: two measures of one subject."""
        measures = list({m.entries[0].iri: m for m in parsed.slots["measure"]}.values())[:2]
        values = []
        sparql = ""
        for m in measures:
            view = Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers,
                          dict(parsed.slots) | {"measure": [m]})
            rows, sparql = self._figure_rows(family, view)
            if parsed.years:
                rows = [r for r in rows if r.get("year") in parsed.years]
            rows = [r for r in rows if isinstance(r.get("value"), int | float)]
            if not rows:
                return self._no_fact(f"{m.entries[0].label}的数值", sparql)
            values.append((m, rows[0]))
        (m1, r1), (m2, r2) = values
        below = re.search(r"少于|低于|不足", parsed.question)
        yes = float(r1["value"]) < float(r2["value"]) if below else float(r1["value"]) > float(r2["value"])
        verdict = "是" if yes else "否"
        detail = f"{m1.entries[0].label} {r1['value']:g}，{m2.entries[0].label} {r2['value']:g}"
        sources = self.sources_of_graph(r1["g"]) + self.sources_of_graph(r2["g"])
        answers = [{"text": verdict, "value": None, "iri": None, "inferred": False, "sources": sources[:3]}]
        return self._answered(answers, jinja2.Template(family["answer"]).render(verdict=verdict, detail=detail), sparql)

    def _run_count_measures(self, family: dict, parsed: Parsed) -> dict:
        """实际开放床位多于目前编制床位的医院有几家: subjects whose first measure beats the second."""
        kinds = {(c.start, c.end) for c in parsed.slots.get("class", [])}
        named = [m for m in parsed.slots["measure"] if (m.start, m.end) not in kinds]  # not 医院 the column
        measures = list({m.entries[0].iri: m for m in sorted(named, key=lambda m: m.start)}.values())
        if len(measures) < 2:
            return self._no_fact("这两项指标", "")
        place = self._place(parsed)
        sparql = self.render_sparql(family, subject=False, city=bool(place["city"]))
        values: list[dict[str, dict]] = []
        for m in measures[:2]:
            by_subject: dict[str, dict] = {}
            for e in m.entries:
                binds = {"m": e.iri} | ({"city": place["city"]} if place["city"] else {})
                for r in self.select(sparql, binds):
                    if r.get("subject") and isinstance(r.get("value"), int | float) \
                            and (not parsed.years or r.get("year") in parsed.years):
                        by_subject.setdefault(r["subject"], r)
            values.append(by_subject)
        below = re.search(r"少于|低于|不足|小于", parsed.question)
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
                                "sources": self.sources_of_graph(r1["g"])[:1]})
        if not any(values[1].get(s) for s in values[0]):
            return self._no_fact(f"同时有{measures[0].entries[0].label}和{measures[1].entries[0].label}的机构", sparql)
        answers.insert(0, {"text": f"{len(answers)}家", "value": len(answers), "iri": None, "inferred": False,
                           "sources": []})
        message = jinja2.Template(family["answer"]).render(
            n=len(answers) - 1, first=measures[0].entries[0].label, second=measures[1].entries[0].label,
            relation="少于" if below else "多于", items=[a["text"] for a in answers[1:]])
        return self._answered(answers, message, sparql)

    # ---- the plan's own words ------------------------------------------------------------------
    def _passages(self) -> list[dict]:
        if self._passage_rows is None:
            self._passage_rows = cached_rows(self.build_dir, "passages",
                                             lambda: self.select(self._passages_sparql(), {}))
        return self._passage_rows

    @staticmethod
    def _cite_passage(row: dict) -> dict:
        return {"doc": row["doc"], "title": row.get("title"), "quote": row["quote"]}

    def _passages_sparql(self) -> str:
        return self.env.get_template("passages.rq.j2").render()

    def _asked_phrase(self, family: dict, parsed: Parsed) -> tuple[str, list[str]]:
        """The phrase a text question is about (what follows its trigger: 是否设置<职业病危害工程防护机构>),
        and the other words left after names of places and question words (本区域内, 站内)."""
        hit = max((h for t in family["triggers"] for h in [re.search(t, parsed.question)] if h),
                  key=lambda h: len(h.group(0)))
        text = parsed.question
        for m in sorted(parsed.mentions, key=lambda m: -m.start):
            if m.type in ("city", "county"):
                text = text[:m.start] + "|" * (m.end - m.start) + text[m.end:]
        if hit.groupdict().get("phrase"):  # 设了<固定献血点>吗: the trigger holds the phrase
            tail = hit.group("phrase")
            head = text[:hit.start()] + "|" + text[hit.end():]
        else:
            tail = re.split(r"[|，,？?。！!吗呢]", text[hit.end():])[0]
            head = text[:hit.start()] + "|" + text[hit.end() + len(tail):]
        for word in sorted(family.get("stopwords") or [], key=len, reverse=True):
            tail = tail.removeprefix(word).removesuffix(word)
            head = head.replace(word, "|")
        words = [c for c in re.split(r"[|\W\d]+", head) if len(c) >= 2]
        if len(tail) < 2 and words:
            # 哪个县区要巩固…: the phrase is the longest word left
            words.sort(key=len)
            tail = words.pop()
        return tail.strip(), words

    def _find_passages(self, phrase: str, words: list[str], parsed: Parsed) -> list[tuple[int, dict, int]]:
        """Sentences of the question's city (or of any plan) holding the phrase, or a run of 80% of it."""
        city = self._place(parsed)["place"]
        city_label = parsed.slots["city"][0].entries[0].label if parsed.slots.get("city") else None
        named = [lb for t in ("institution", "consortium", "unit") for m in parsed.slots.get(t, [])
                 for lb in self._labels_of(m.entries[0].iri)]
        found = []
        # 巩固…示范区的创建成果 vs 巩固钦北区…示范区创建成果: particles split the phrase into pieces
        pieces = [p for p in re.split(r"[的了之]", phrase) if len(p) >= 2]
        need = -(-sum(len(p) for p in pieces) * 4 // 5)
        for row in self._passages():
            if city and city_label and row.get("city") != city_label:
                continue
            quote = re.sub(r"\s+", "", str(row["quote"]))
            runs = [_common_run(p, quote) for p in pieces]
            run = sum(r for r, _ in runs if r >= 2)
            if run < need or max((r for r, _ in runs), default=0) < 4:
                continue
            at = runs[0][1] if runs[0][0] >= 2 else max(runs)[1]
            score = run * 10 + sum(_common_run(w, quote)[0] for w in words) \
                + 5 * any(n in quote for n in named)
            found.append((score, row | {"flat": quote}, at))
        found.sort(key=lambda x: -x[0])
        return found

    def _run_statement(self, family: dict, parsed: Parsed) -> dict:
        """钦州本区域内是否设置职业病危害工程防护机构？ — the plan's sentence saying it, and whether it says
        it in the negative (不设置…)."""
        phrase, words = self._asked_phrase(family, parsed)
        if len(phrase) < 3:
            return self._no_fact("这个问题要找的内容", "")
        found = self._find_passages(phrase, words, parsed)
        if not found:
            return self._no_fact(f"规划中关于“{phrase}”的表述", "")
        _, row, at = found[0]
        before = row["flat"][max(0, at - 6):at]
        negated = re.search(family["negation"], before)
        verdict = "否" if negated else "是"
        answers = [{"text": verdict, "value": None, "iri": None, "inferred": False,
                    "sources": [self._cite_passage(row)]}]
        message = jinja2.Template(family["answer"]).render(verdict=verdict, title=row.get("title") or row["doc"],
                                                           quote=row["quote"])
        return self._answered(answers, message, self._passages_sparql())

    def _run_text_place(self, family: dict, parsed: Parsed) -> dict:
        """哪个县区要巩固国家级慢性病综合防控示范区创建成果？ — the places named in the sentence saying it."""
        phrase, words = self._asked_phrase(family, parsed)
        if len(phrase) < 4:
            return self._no_fact("这个问题要找的内容", "")
        want = "city" if re.search(family["city_words"], parsed.question) else "county"
        for _, row, _ in self._find_passages(phrase, words, parsed)[:3]:
            places = [m for m in find_mentions(row["flat"], self.lexicon) if m.type == want]
            names = list(dict.fromkeys(m.entries[0].label for m in places))
            if names:
                answers = [{"text": n, "value": None, "iri": next(m.entries[0].iri for m in places
                                                                    if m.entries[0].label == n),
                            "inferred": False, "sources": [self._cite_passage(row)]} for n in names]
                message = jinja2.Template(family["answer"]).render(items=names, phrase=phrase)
                return self._answered(answers, message, self._passages_sparql())
        return self._no_fact(f"规划中关于“{phrase}”的地方", "")

    def _numeric_rows(self, family: dict, parsed: Parsed, subject: Mention | None = None
                      ) -> tuple[list[dict], str, str]:
        """Figures of the question's measure with a number, narrowed to its years and value role."""
        rows, sparql = self._figure_rows(family, parsed, subject=subject) if subject else \
            self._figure_rows(family, parsed)
        measure = max(parsed.slots["measure"], key=lambda m: len(m.text)).entries[0].label
        if parsed.years:
            rows = [r for r in rows if r.get("year") in parsed.years]
        rows = [r for r in self._pick_role(rows, parsed) if isinstance(r.get("value"), int | float)]
        return rows, sparql, measure

    def _run_threshold(self, family: dict, parsed: Parsed) -> dict:
        rows, sparql, measure = self._numeric_rows(family, parsed)
        if not rows:
            return self._no_fact(f"{measure}的数值", sparql)
        r, limit = rows[0], parsed.numbers[-1]
        below = re.search(r"低于|不足|少于", parsed.question)
        yes = float(r["value"]) < limit if below else float(r["value"]) > limit
        verdict = "是" if yes else "否"
        fig = self._figure_answer(r, measure)
        answers = [{"text": verdict, "value": r["value"], "iri": r.get("obs"), "inferred": False,
                    "sources": fig["sources"]}]
        return self._answered(answers, f"{verdict}。{fig['text']}（比较值 {limit:g}）。", sparql)

    def _figure_subjects(self, parsed: Parsed) -> list[Mention]:
        """The institutions, counties and cities a figure question is about, in the question's order
        (one mention per entity)."""
        seen: dict[str, Mention] = {}
        for m in sorted((m for t in ("institution", "county", "city") for m in parsed.slots.get(t, [])),
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

    def _subject_view(self, parsed: Parsed, subject: Mention) -> Parsed:
        """The question asked of one of its subjects: a city subject is the place; others keep no city."""
        slots = {k: v for k, v in parsed.slots.items() if k not in ("city", "county", "institution")}
        slots[subject.type] = [subject]
        return Parsed(parsed.question, parsed.mentions, parsed.years, parsed.numbers, slots)

    def _run_compare(self, family: dict, parsed: Parsed) -> dict:
        best: list[tuple[float, Mention, dict]] = []
        sparql = measure = ""
        for inst in self._figure_subjects(parsed):
            view = self._subject_view(parsed, inst)
            if inst.type == "city":
                rows, sparql, measure = self._numeric_rows(family, view)
            else:
                rows, sparql, measure = self._numeric_rows(family, view, subject=inst)
            if not rows:
                return self._no_fact(f"{inst.entries[0].label}的{measure}", sparql)
            best.append((float(rows[0]["value"]), inst, rows[0]))
        if re.search(self.config.get("same_words") or "$^", parsed.question):
            # 是不是一样 / 都是90%吗: yes when every figure is the same (and the number named)
            values = {v for v, _, _ in best} | set(parsed.numbers)
            verdict = "是" if len(values) == 1 else "否"
            detail = "，".join(f"{m.entries[0].label} {v:g}" for v, m, _ in best)
            sources = [s for _, _, r in best for s in self.sources_of_graph(r["g"])[:1]]
            return self._answered([{"text": verdict, "value": None, "iri": None, "inferred": False,
                                    "sources": sources}], f"{verdict}。{measure}：{detail}。", sparql)
        fewer = bool(re.search(r"更少|更低|少|低", parsed.question))
        word = ("低" if fewer else "高") if re.search(r"高|低", parsed.question) else ("少" if fewer else "多")
        best.sort(key=lambda x: x[0], reverse=not fewer)
        value, winner, row = best[0]
        detail = "，".join(f"{m.entries[0].label} {v:g}" for v, m, _ in best)
        sources = [s for _, _, r in best for s in self.sources_of_graph(r["g"])[:1]]
        if len(best) > 1 and best[1][0] == value:
            answers = [{"text": "相同", "value": value, "iri": None, "inferred": False, "sources": sources}]
            return self._answered(answers, f"{measure}相同（{detail}）。", sparql)
        answers = [{"text": winner.entries[0].label, "value": value, "iri": winner.entries[0].iri, "inferred": False,
                    "sources": sources}]
        return self._answered(answers, f"{winner.entries[0].label}的{measure}更{word}（{detail}）。", sparql)

    def _run_superlative(self, family: dict, parsed: Parsed) -> dict:
        rows, sparql, measure = self._numeric_rows(family, parsed)
        if not rows:
            return self._no_fact(f"{measure}的数值", sparql)
        fewest = bool(re.search(r"最少|最低|最小", parsed.question))
        rows.sort(key=lambda r: float(r["value"]), reverse=not fewest)
        top = [r for r in rows if r["value"] == rows[0]["value"]]
        answers = [self._figure_answer(r, measure) | {"text": str(r.get("slabel") or r.get("subject"))} for r in top]
        best = self._figure_answer(top[0], measure)["text"]
        return self._answered(answers, f"{measure}{'最少' if fewest else '最多'}：{best}。", sparql)


def _names_in(name: str, clause: str) -> bool:
    """The clause names the institution, in full or coordinated (万秀区、长洲区疾病预防控制中心)."""
    if name in clause:
        return True
    return any(name[:i] + "、" in clause and name[i:] in clause for i in range(2, len(name) - 1))


def _common_run(a: str, b: str) -> tuple[int, int]:
    """Length of the longest common substring of a short clause and a sentence, and where it is in
    the sentence."""
    best, at = 0, -1
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            pos = b.find(a[i:j])
            if pos < 0:
                break
            best, at = j - i, pos
    return best, at


def explain(asker: Asker, question: str) -> dict:
    """Segmentation, linked entities, family scores and SPARQL, for `--explain`."""
    parsed = asker.parse(question)
    scores = sorted(((round(asker.score(f, parsed), 2), f["id"]) for f in asker.families), reverse=True)
    return {"mentions": [{"text": m.text, "type": m.type, "entities": [e.label for e in m.entries]}
                         for m in parsed.mentions],
            "years": parsed.years, "numbers": parsed.numbers, "scores": [s for s in scores if s[0] > 0][:5]}
