# Rule class-guidance-expansion: a named institution that guides a kind (e.g. 县区疾病预防控制中心)
# guides each named institution of that kind in the same city whose level matches the kind's level
# (a county-level kind covers districts too). Inferred triples go in their own graph, justified by the
# premise's evidence graph.
PREFIX hk: <https://w3id.org/healthkg/ont#>
PREFIX hkv: <https://w3id.org/healthkg/vocab/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT {
  GRAPH ?g { ?a ?p ?b . ?a hk:guides ?b . }
  GRAPH <https://w3id.org/healthkg/id/graph/meta> {
    ?g hk:assertionMode <https://w3id.org/healthkg/vocab/mode/inferred> ;
       hk:derivedByRule <https://w3id.org/healthkg/id/rule/class-guidance-expansion> ;
       prov:wasDerivedFrom ?ev .
    <https://w3id.org/healthkg/id/rule/class-guidance-expansion> a hk:InferenceRule ;
       rdfs:label "class-level guidance expansion"@en .
  }
}
WHERE {
  # SPARQL Update sees no union default graph: every pattern names its graph.
  # The stated guidance of a kind first, in a sub-select: Oxigraph then looks up the institutions of
  # that kind and city for each (as one join it scanned every typed node: 50× slower on 20 plans).
  { SELECT * WHERE {
      GRAPH ?t { ?p rdfs:subPropertyOf hk:guides . }
      GRAPH ?ev { ?a ?p ?k . }
      GRAPH ?m { ?ev hk:assertionMode <https://w3id.org/healthkg/vocab/mode/stated> . }
      GRAPH ?g1 { ?k a hk:KindReference ; hk:refersToKind ?kind ; hk:city ?city . }
      GRAPH ?g2 { ?a hk:city ?city . }
      FILTER NOT EXISTS { GRAPH ?g3 { ?a a hk:KindReference } }
  } }
  GRAPH ?g4 { ?b a ?kind . }
  GRAPH ?g5 { ?b hk:city ?city ; hk:adminLevel ?bl . }
  FILTER NOT EXISTS { GRAPH ?g6 { ?b a hk:KindReference } }
  FILTER (?b != ?a)
  OPTIONAL { GRAPH ?g7 { ?k hk:adminLevel ?kl } }
  OPTIONAL { GRAPH ?g8 { ?a hk:adminLevel ?al } }
  FILTER (IF(BOUND(?kl), ?bl = ?kl || (?kl = <https://w3id.org/healthkg/vocab/level/county> && ?bl = <https://w3id.org/healthkg/vocab/level/district>), !BOUND(?al) || ?bl != ?al))
  BIND (IRI(CONCAT("https://w3id.org/healthkg/id/inferred/class-guidance-expansion/",
                   SUBSTR(SHA1(CONCAT(STR(?a), " ", STR(?p), " ", STR(?b))), 1, 12))) AS ?g)
}
