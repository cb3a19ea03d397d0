"""Inference rules (queries/rules/*.ru) on the real corpus: inferred facts are marked and justified."""

from __future__ import annotations

from kg.facts import relation_facts
from kg.store import sparql_select

JUSTIFICATION = """
PREFIX hk: <https://w3id.org/healthkg/ont#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?hospital ?consortium ?rule ?quote WHERE {
  GRAPH ?g { ?h hk:leads ?c }
  ?g hk:assertionMode <https://w3id.org/healthkg/vocab/mode/inferred> ; hk:derivedByRule ?rule ;
     prov:wasDerivedFrom ?premise .
  ?premise prov:wasDerivedFrom/oa:exact ?quote .
  ?h skos:prefLabel ?hospital . ?c skos:prefLabel ?consortium .
}"""


def test_inferred_leader_of_a_county_medical_community_has_its_justification(store):
    rows = [{k: v.value for k, v in r.items()} for r in sparql_select(store, JUSTIFICATION)]
    pubei = [r for r in rows if r["hospital"] == "浦北县人民医院"]
    assert pubei and pubei[0]["consortium"] == "浦北县自治区级紧密型县域医疗共同体"
    assert pubei[0]["rule"] == "https://w3id.org/healthkg/id/rule/county-hospital-leads-community"
    assert {r["quote"] for r in pubei} >= {"县直医院负责牵头组建紧密型县域医共体。"}
    # 灵山县 names three county general hospitals: which one leads is not determined, so none is inferred
    assert not [r for r in rows if r["hospital"].startswith("灵山县")]


def test_inferred_facts_are_flagged_in_the_export(store):
    inferred = [f for f in relation_facts(store) if f["inferred"]]
    assert {(f["s"], f["p"]) for f in inferred} >= {("浦北县人民医院", "leads")}
    assert all(f["sources"] for f in inferred)
    stated = [f for f in relation_facts(store) if not f["inferred"] and f["p"] == "leads"]
    assert ("浦北县人民医院", "浦北县自治区级紧密型县域医疗共同体") not in {(f["s"], f["o"]) for f in stated}
