"""Relation records (kg/pipeline/relation_records.py) → quads in the sentence's evidence graph.

The terms are the ontology's (kg/ns.py, generated from ontology/hk.ttl): an unknown property fails
loudly instead of writing a term nobody queries. See docs/model.md for the node shapes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.corpus import Sentence
from kg.ns import HK as HK_NS
from kg.pipeline.institutions import short_hash
from kg.pipeline.relation_records import MEMBER_ROLES, Group, GroupMention, Kind, Named, Party, RelationRecord, Unit
from kg.pipeline.relation_text import load_patterns
from kg.vocab import HK, HKV

if TYPE_CHECKING:
    from kg.build_graph import BuildContext, GraphWriter

HKID = "https://w3id.org/healthkg/id/"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

# kg facts name → the property written (the ontology's hk:kgRelation says the same; tests check it)
PROPERTY = {
    "guides": HK_NS.guides,
    "member_of": ORG + "memberOf",  # of an institution (整体并入); of a consortium see _membership
    "refers": HK_NS.refersTo,
    "refers_both": HK_NS.referralPartner,
    "based_on": HK_NS.basedOn,
    "integrated_with": HK_NS.integratedWith,
    "cooperates": HK_NS.cooperatesWith,
    "upgrade_to": HK_NS.upgradeTarget,
    "has_role": HK_NS.functionalRole,
    "responsible_for": HK_NS.responsibleFor,
    "commissioned_by": HK_NS.commissionedBy,
}
# 市级, 市县, 市、县: a level or a list, not the short form of the plan's city
SHORT_FORM_NOT_BEFORE = ("级", "县", "、", "域", "（", "直", "属", "区")
SYMMETRIC = ("refers_both", "integrated_with", "cooperates")
LITERAL = ("upgrade_to", "has_role", "responsible_for", "commissioned_by")


def _n(term: str) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def write_relations(ctx: BuildContext, records: Iterable[RelationRecord | GroupMention]) -> None:
    for record in records:
        if isinstance(record, GroupMention):
            _group(ctx, record.group, record.sentence)
        else:
            write_relation(ctx, record)


def write_relation(ctx: BuildContext, r: RelationRecord) -> None:
    w, ev = ctx.writer, r.sentence
    s = node(ctx, r.subject, ev)
    if s is None:
        return
    if r.relation in LITERAL:
        w.add(s, _n(PROPERTY[r.relation]), ox.Literal(str(r.obj), language="zh"), evidence=ev)
        return
    if r.relation in ("leads", "member_of") and isinstance(r.obj, Group):
        _membership(ctx, node(ctx, r.obj, ev), s, r.term or ("lead" if r.relation == "leads" else "member"), ev)
        return
    assert not isinstance(r.obj, str)
    o = node(ctx, r.obj, ev)
    if o is None or o == s:
        return
    if r.relation == "guides" or r.relation == "member_of" and r.term not in (None, *MEMBER_ROLES):
        w.add(s, _n(getattr(HK_NS, r.term or "guides")), o, evidence=ev)  # the sub-property the cue names
    prop = _n(PROPERTY[r.relation])
    w.add(s, prop, o, evidence=ev)
    if r.relation in SYMMETRIC:
        w.add(o, prop, s, evidence=ev)


def node(ctx: BuildContext, party: Party, sentence: Sentence) -> ox.NamedNode | None:
    if isinstance(party, Named):
        return ctx.institution(party.key)
    if isinstance(party, Kind):
        return _named_by_label(ctx, party.label) or ctx.kindref(party.label, party.kind, party.level, sentence)
    if isinstance(party, Group):
        return _group(ctx, party, sentence)
    return _unit(ctx, party, sentence)


def _named_by_label(ctx: BuildContext, label: str) -> ox.NamedNode | None:
    """A list item expanded to a full name (市、自贸区X片区、县区…监督所) may name an institution of the city;
    so does the short form of the plan's own region (市疾病预防控制中心 in 钦州's plan is 钦州市疾病预防控制中心,
    县人民医院 in a county's document that county's), when the city has an institution of that name."""
    for name in (label, *_own_region_names(ctx, label)):
        if (found := ctx.named_by_label(name)) is not None:
            return found
    return None


def _own_region_names(ctx: BuildContext, label: str) -> list[str]:
    out = []
    for short, region in (("市", ctx.city), ("县", ctx.county)):
        rest = label[len(short):]
        if region is not None and label.startswith(short) and rest and not rest.startswith(SHORT_FORM_NOT_BEFORE):
            out.append(region.name + rest)
    return out


def write_part_of(writer: GraphWriter, unit: ox.NamedNode, kind: str, parent: ox.NamedNode, sentence: Sentence) -> None:
    """A campus or branch (X医院某某院区, X学校第二校区) is a part of its parent: member_of as well as unitOf.
    Hosted facilities and centres are not (a centre built 依托X is based_on X, read from the text)."""
    if kind.removeprefix(HK) in load_patterns()["parts_of_parent"]:
        writer.add(unit, ox.NamedNode(ORG + "memberOf"), parent, evidence=sentence)


def _group(ctx: BuildContext, group: Group, sentence: Sentence) -> ox.NamedNode:
    """A consortium's node; one the plan names (华容县紧密型县域医共体) is the institution of that name."""
    named = _named_by_label(ctx, group.label)
    if named is not None:
        return named
    city = ctx.city.code if ctx.city else "000000"
    node = ox.NamedNode(f"{HKID}cons/{city}/{short_hash(group.label)}")
    w = ctx.writer
    w.add(node, RDF_TYPE, _n(getattr(HK_NS, group.cls)), evidence=sentence)
    w.add(node, ox.NamedNode(SKOS + "prefLabel"), ox.Literal(group.label, language="zh"), evidence=sentence)
    if ctx.city:
        w.add(node, _n(HK_NS.city), ox.NamedNode(f"{HKID}region/{city}"), evidence=sentence)
    found = [r for r in ctx.gazetteer.find(group.label) if r.start == 0]
    if found:
        region = ctx.gazetteer.resolve(found[0].text, ctx.city.code if ctx.city else None) or found[0].region
        if region.level == "county":
            w.add(node, _n(HK_NS.county), ox.NamedNode(f"{HKID}region/{region.code}"), evidence=sentence)
    return node


def _membership(ctx: BuildContext, group: ox.NamedNode, member: ox.NamedNode, role: str,
                sentence: Sentence) -> None:
    w = ctx.writer
    mem = ox.NamedNode(f"{HKID}mem/{short_hash(group.value, member.value, role)}")
    w.add(mem, RDF_TYPE, _n(HK_NS.Membership), evidence=sentence)
    w.add(mem, ox.NamedNode(ORG + "organization"), group, evidence=sentence)
    w.add(mem, ox.NamedNode(ORG + "member"), member, evidence=sentence)
    w.add(mem, ox.NamedNode(ORG + "role"), ox.NamedNode(f"{HKV}role/{role}"), evidence=sentence)
    if role == "lead":
        w.add(member, _n(HK_NS.leads), group, evidence=sentence)
    else:
        w.add(member, ox.NamedNode(ORG + "memberOf"), group, evidence=sentence)


def _unit(ctx: BuildContext, unit: Unit, sentence: Sentence) -> ox.NamedNode:
    city = ctx.city.code if ctx.city else "000000"
    node = ox.NamedNode(f"{HKID}unit/{city}/{short_hash(unit.label)}")
    ctx.writer.add(node, RDF_TYPE, _n(HK_NS.FunctionalUnit), evidence=sentence)
    ctx.writer.add(node, ox.NamedNode(SKOS + "prefLabel"), ox.Literal(unit.label, language="zh"), evidence=sentence)
    return node

