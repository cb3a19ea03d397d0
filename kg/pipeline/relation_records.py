"""What the relations component hands to the graph builder: plain records, no RDF.

A record says who stands in which `kg facts` relation to whom, in which sentence. The parties are
named institutions (by identity key), kinds of institution as the plan words them, consortia and
service systems, and functional units (a centre built on a host). kg/build_relations.py turns the
records into quads.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.corpus import Sentence


@dataclass(frozen=True)
class Named:
    """A named institution; `key` is its identity key in the institution registry."""

    key: str


@dataclass(frozen=True)
class Kind:
    """A kind of institution as the plan words it (县级医院, 区域内综合医院); `kind` is a class IRI.

    A label equal to the name of a named institution of the plan's city is that institution (an item
    of a list such as 市、自贸区X片区、县区卫生计生监督所 expands to a full name)."""

    label: str
    kind: str
    level: str | None = None


@dataclass(frozen=True)
class Group:
    """A consortium, network or service system; `cls` is its class's local name (CountyMedicalCommunity…)."""

    label: str
    cls: str


@dataclass(frozen=True)
class Unit:
    """A centre or unit built on a host (依托X建设Y) that is no institution of its own."""

    label: str


Party = Named | Kind | Group | Unit

# Roles of a member in a consortium or system (the object of leads / member_of).
MEMBER_ROLES = ("lead", "hub", "base", "member")


@dataclass(frozen=True)
class RelationRecord:
    """One stated fact.

    relation: the `kg facts` name (guides, refers, refers_both, leads, member_of, based_on,
    integrated_with, cooperates, upgrade_to, has_role, responsible_for).
    obj: a Party, or the words of the plan for upgrade_to / has_role / responsible_for.
    term: for guides the sub-property's local name (businessGuidance…); for leads / member_of the
    member's role (MEMBER_ROLES); otherwise None.
    """

    relation: str
    subject: Party
    obj: Party | str
    sentence: Sentence
    term: str | None = None


@dataclass(frozen=True)
class GroupMention:
    """A consortium or network named in a sentence, member or not (so that it is in the graph)."""

    group: Group
    sentence: Sentence
