# Rule county-hospital-leads-community: when a plan makes county hospitals (a KindReference of a hospital
# kind at county level, e.g. 县级医院/县直医院) the lead of county medical communities, each named general
# hospital run by a county leads the county medical community named for that county in the same city.
PREFIX hk: <https://w3id.org/healthkg/ont#>
PREFIX hkv: <https://w3id.org/healthkg/vocab/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
INSERT {
  GRAPH ?g {
    ?h hk:leads ?cons .
    ?mem a hk:Membership ; org:organization ?cons ; org:member ?h ; org:role <https://w3id.org/healthkg/vocab/role/lead> .
  }
  GRAPH <https://w3id.org/healthkg/id/graph/meta> {
    ?g hk:assertionMode <https://w3id.org/healthkg/vocab/mode/inferred> ;
       hk:derivedByRule <https://w3id.org/healthkg/id/rule/county-hospital-leads-community> ;
       prov:wasDerivedFrom ?ev, ?ev2 .
    <https://w3id.org/healthkg/id/rule/county-hospital-leads-community> a hk:InferenceRule ;
       rdfs:label "county hospital leads its county's medical community"@en .
  }
}
WHERE {
  # SPARQL Update sees no union default graph: every pattern names its graph.
  # The stated lead of a kind first, in a sub-select: Oxigraph then looks up the consortia and the
  # hospitals of its city for each, instead of joining every one of them first.
  { SELECT * WHERE {
      GRAPH ?ev { ?k hk:leads ?generic . }
      GRAPH ?m { ?ev hk:assertionMode <https://w3id.org/healthkg/vocab/mode/stated> . }
      GRAPH ?g1 { ?k a hk:KindReference ; hk:refersToKind ?kk ; hk:city ?city . }
      GRAPH ?g1b { ?k hk:adminLevel <https://w3id.org/healthkg/vocab/level/county> . }
      FILTER (?kk IN (hk:Hospital, hk:GeneralHospital))
      GRAPH ?g2 { ?generic a hk:CountyMedicalCommunity . }
  } }
  GRAPH ?ev2 { ?cons hk:county ?county . }
  GRAPH ?g3 { ?cons a hk:CountyMedicalCommunity . }
  GRAPH ?g4 { ?cons hk:city ?city . }
  GRAPH ?g5 { ?h a hk:GeneralHospital . }
  GRAPH ?g6 { ?h hk:county ?county ; hk:adminLevel <https://w3id.org/healthkg/vocab/level/county> . }
  FILTER NOT EXISTS { GRAPH ?g7 { ?h a hk:KindReference } }
  # "the county hospital" is only determined when the county has one named county-level general hospital
  FILTER NOT EXISTS {
    GRAPH ?g8 { ?other a hk:GeneralHospital . } GRAPH ?g9 { ?other hk:county ?county . }
    FILTER (?other != ?h)
  }
  BIND (IRI(CONCAT("https://w3id.org/healthkg/id/inferred/county-hospital-leads-community/",
                   SUBSTR(SHA1(CONCAT(STR(?h), " ", STR(?cons))), 1, 12))) AS ?g)
  BIND (IRI(CONCAT("https://w3id.org/healthkg/id/mem/", SUBSTR(SHA1(CONCAT(STR(?cons), "|", STR(?h), "|lead")), 1, 12)))
        AS ?mem)
}
