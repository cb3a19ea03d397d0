"""The ontology files: they parse, are labelled, agree with each other and with kg/ns.py, and the
SHACL shapes accept good data and reject broken data at the right nodes."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict

import pytest
from pyshacl import validate
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Literal, Namespace, URIRef

from kg import ns_gen
from kg.ns import HK, HKV, ORG
from kg.paths import ONTOLOGY_DIR, REPO_DIR

SH = Namespace("http://www.w3.org/ns/shacl#")
HK_IRI = str(HK._NS)
HKV_IRI = str(HKV)

PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# Sub-classes of hk:HealthInstitution that are statistical groups, not WS 218 categories.
UNCODED_GROUPS = set(
    "HealthInstitution PrimaryCareInstitution PublicHealthInstitution OtherHealthInstitution".split()
)
KG_RELATION_NAMES = {
    "guides", "refers", "refers_both", "leads", "member_of", "based_on",
    "integrated_with", "cooperates", "upgrade_to", "has_role", "responsible_for", "commissioned_by",
}  # fmt: skip


def _parse(name: str) -> Graph:
    return Graph().parse(ONTOLOGY_DIR / name, format="turtle")


@pytest.fixture(scope="module")
def tbox() -> Graph:
    return _parse("hk.ttl")


@pytest.fixture(scope="module")
def vocab() -> Graph:
    return _parse("vocab.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse("shapes.ttl")


def hk_classes(g: Graph) -> set[URIRef]:
    return {s for s in g.subjects(RDF.type, OWL.Class) if str(s).startswith(HK_IRI)}


def hk_properties(g: Graph) -> set[URIRef]:
    return {s for t in PROPERTY_TYPES for s in g.subjects(RDF.type, t) if str(s).startswith(HK_IRI)}


def local(term: URIRef) -> str:
    return str(term)[len(HK_IRI) :]


def langs(g: Graph, s: URIRef, p: URIRef) -> list[str | None]:
    return [o.language for o in g.objects(s, p) if isinstance(o, Literal)]


@pytest.mark.parametrize("name", ["hk.ttl", "vocab.ttl", "shapes.ttl"])
def test_files_parse_and_are_not_empty(name: str) -> None:
    assert len(_parse(name)) > 50


def test_ontology_is_declared(tbox: Graph) -> None:
    ont = URIRef("https://w3id.org/healthkg/ont")
    assert (ont, RDF.type, OWL.Ontology) in tbox
    assert tbox.value(ont, OWL.versionInfo) is not None
    assert tbox.value(ont, URIRef("http://purl.org/dc/terms/title")) is not None


def test_tbox_stays_out_of_equivalences(tbox: Graph) -> None:
    # OWL 2 RL and the alignment policy: reuse by subClassOf/subPropertyOf only.
    assert not list(tbox.triples((None, OWL.equivalentClass, None)))
    assert not list(tbox.triples((None, OWL.equivalentProperty, None)))
    assert not list(tbox.triples((None, OWL.sameAs, None)))


def test_every_term_has_one_zh_and_one_en_label_and_a_comment(tbox: Graph) -> None:
    terms = hk_classes(tbox) | hk_properties(tbox)
    assert len(terms) > 100
    bad = []
    for t in terms:
        label_langs = sorted(x or "" for x in langs(tbox, t, RDFS.label))
        if label_langs != ["en", "zh"] or langs(tbox, t, RDFS.comment) != ["en"]:
            bad.append(local(t))
    assert not bad, f"labels/comment missing or duplicated: {sorted(bad)}"


def test_class_preflabels_match_rdfs_labels(tbox: Graph) -> None:
    # `kind` in `kg facts` is the class's skos:prefLabel@zh; it must be the same as its rdfs:label@zh.
    for c in hk_classes(tbox):
        assert set(tbox.objects(c, SKOS.prefLabel)) == set(tbox.objects(c, RDFS.label)), local(c)


def test_chinese_class_labels_are_unambiguous(tbox: Graph) -> None:
    # Extraction and QA map a label to a class; a label naming two classes would be a coin toss.
    owners: dict[str, set[str]] = defaultdict(set)
    for c in hk_classes(tbox):
        for p in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for o in tbox.objects(c, p):
                if isinstance(o, Literal) and o.language == "zh":
                    # labels are words as plans write them: no bracketed or slashed alternatives
                    assert not set(str(o)) & set("()（）/／"), (local(c), str(o))
                    owners[str(o)].add(local(c))
    clashes = {label: cs for label, cs in owners.items() if len(cs) > 1}
    assert not clashes


def test_requested_synonyms_are_on_the_right_classes(tbox: Graph) -> None:
    expected = {
        HK.CDC: {"疾控", "疾控中心", "疾病预防控制机构"},
        HK.MaternalChildHealthInstitution: {"妇幼", "妇幼保健机构"},
        HK.EmergencyCentre: {"急救中心", "医疗急救中心", "急救指挥中心"},
        HK.CentralBloodStation: {"血站"},
        HK.CountyMedicalCommunity: {"医共体", "县域医疗卫生共同体", "县域医疗共同体", "紧密型县域医共体"},
        HK.UrbanMedicalGroup: {"城市医联体"},
        HK.MedicalConsortium: {"医联体", "医疗联合体"},
        HK.HealthSupervisionInstitute: {"卫生计生监督所"},
        HK.PsychiatricHospital: {"精神病专科医院", "精神专科医院"},
        HK.TCMHospital: {"中医院"},
    }
    for cls, labels in expected.items():
        have = {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in tbox.objects(cls, p)}
        assert labels <= have, (cls, labels - have)


def test_every_referenced_hk_term_is_declared(tbox: Graph, vocab: Graph, shapes: Graph) -> None:
    # Catches typos such as hk:adminLvel in shapes or vocab: every hk: IRI used anywhere is declared.
    declared = hk_classes(tbox) | hk_properties(tbox)
    for g in (tbox, vocab, shapes):
        for triple in g:
            for term in triple:
                if isinstance(term, URIRef) and str(term).startswith(HK_IRI):
                    assert term in declared, f"undeclared {term}"


def test_superclasses_and_superproperties_resolve(tbox: Graph) -> None:
    # the vocabularies docs/model.md says are reused (hk:Enumeration ⊑ skos:Collection)
    reused = ("http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "https://schema.org/",
              "http://purl.org/linked-data/cube#", "http://www.w3.org/2004/02/skos/core#")  # fmt: skip
    for p in (RDFS.subClassOf, RDFS.subPropertyOf):
        for s, o in tbox.subject_objects(p):
            assert str(o).startswith(HK_IRI) or str(o).startswith(reused), (s, o)
    assert (HK.HealthInstitution, RDFS.subClassOf, ORG.FormalOrganization) in tbox
    assert (HK.Hospital, RDFS.subClassOf, URIRef("https://schema.org/Hospital")) in tbox
    assert (HK.PlanDocument, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Entity")) in tbox
    assert (HK.Enumeration, RDFS.subClassOf, URIRef("http://www.w3.org/2004/02/skos/core#Collection")) in tbox
    assert (HK.leads, RDFS.subPropertyOf, ORG.memberOf) in tbox
    assert (HK.withinRegion, RDF.type, OWL.TransitiveProperty) in tbox
    for sym in (HK.referralPartner, HK.integratedWith, HK.cooperatesWith):
        assert (sym, RDF.type, OWL.SymmetricProperty) in tbox


def _institution_classes(g: Graph) -> set[URIRef]:
    out: set[URIRef] = set()
    frontier = [HK.HealthInstitution]
    while frontier:
        c = frontier.pop()
        if c not in out:
            out.add(c)
            frontier.extend(g.subjects(RDFS.subClassOf, c))
    return out


def test_ws218_classes_have_unique_notations_and_concepts(tbox: Graph, vocab: Graph) -> None:
    classes = _institution_classes(tbox)
    assert len(classes) > 50
    seen: dict[str, URIRef] = {}
    ws218 = URIRef(HKV_IRI + "ws218")
    for c in classes:
        notations = list(tbox.objects(c, SKOS.notation))
        if local(c) in UNCODED_GROUPS:
            assert not notations, local(c)
            continue
        assert len(notations) == 1, f"{local(c)} lacks a WS 218 skos:notation"
        code = str(notations[0])
        assert code not in seen, (code, c, seen.get(code))
        seen[code] = c
        concept = vocab.value(c, HK.classConcept)
        assert concept == URIRef(f"{HKV_IRI}ws218/{code}"), local(c)
        assert str(vocab.value(concept, SKOS.notation)) == code
        assert (concept, SKOS.inScheme, ws218) in vocab
    # and the scheme holds nothing else
    in_scheme = set(vocab.subjects(SKOS.inScheme, ws218))
    assert in_scheme == {URIRef(f"{HKV_IRI}ws218/{code}") for code in seen}
    for code in "A100 A520 B100 C210 D600 E100 F120 G100 H113 J100 K100 Q100".split():
        assert code in seen, code


def test_vocab_concepts_have_one_zh_preflabel_and_a_declared_scheme(vocab: Graph) -> None:
    concepts = set(vocab.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 60
    schemes = set(vocab.subjects(RDF.type, SKOS.ConceptScheme))
    for c in concepts:
        assert str(c).startswith(HKV_IRI), c
        assert langs(vocab, c, SKOS.prefLabel).count("zh") == 1, c
        assert langs(vocab, c, SKOS.prefLabel).count("en") == 1, c
        in_schemes = set(vocab.objects(c, SKOS.inScheme))
        assert in_schemes and in_schemes <= schemes, c
        assert str(c).startswith(tuple(f"{s}/" for s in in_schemes)), f"{c} is not under its scheme's IRI"
    for name in "ws218 level role guidance referral nature vrole mode frole measure".split():
        assert URIRef(HKV_IRI + name) in schemes, name


def test_roles_and_guidance_concepts_link_to_properties(vocab: Graph, tbox: Graph) -> None:
    lead = HKV["role/lead"]
    assert (lead, RDF.type, ORG.Role) in vocab
    assert vocab.value(lead, ORG.roleProperty) == HK.leads
    for r in ("member", "hub", "base", "support"):
        assert vocab.value(HKV[f"role/{r}"], ORG.roleProperty) == ORG.memberOf, r
    subs = set(tbox.subjects(RDFS.subPropertyOf, HK.guides))
    assert len(subs) == 9
    linked = {vocab.value(c, RDFS.seeAlso) for c in vocab.subjects(SKOS.inScheme, HKV["guidance"])}
    assert linked == subs


def test_kg_relation_names(tbox: Graph) -> None:
    names = {str(o) for o in tbox.objects(None, HK.kgRelation)}
    assert names == KG_RELATION_NAMES
    assert str(tbox.value(ORG.memberOf, HK.kgRelation)) == "member_of"
    # every sub-property of hk:guides is exported as "guides"
    for sub in tbox.subjects(RDFS.subPropertyOf, HK.guides):
        assert str(tbox.value(sub, HK.kgRelation)) == "guides", sub
    # one name per property
    for s in set(tbox.subjects(HK.kgRelation, None)):
        assert len(list(tbox.objects(s, HK.kgRelation))) == 1, s


def test_ns_py_is_up_to_date() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "kg.ns_gen", "--check"], cwd=REPO_DIR, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr


def test_ns_gen_check_detects_drift(tmp_path) -> None:
    stale = tmp_path / "ns.py"
    stale.write_text(ns_gen.render().replace("    year: URIRef", "    yaer: URIRef"), encoding="utf-8")
    assert ns_gen.main(["--check", "--out", str(stale)]) == 1
    assert ns_gen.main(["--out", str(stale)]) == 0
    assert ns_gen.main(["--check", "--out", str(stale)]) == 0


def test_ns_covers_every_term_and_rejects_unknown_ones(tbox: Graph) -> None:
    for t in hk_classes(tbox) | hk_properties(tbox):
        assert getattr(HK, local(t)) == t
    with pytest.raises(AttributeError):
        HK.Nope  # noqa: B018
    from kg import ns

    assert ns.PREFIXES["schema"] == "https://schema.org/"
    assert ns.PREFIXES["oa"] == "http://www.w3.org/ns/oa#"
    assert set(ns.PREFIXES) == set(
        "hk hkv hkid hks org prov oa skos rdfs rdf xsd dcterms schema qb owl".split()
    )


def test_ns_imports_nothing_heavy() -> None:
    code = (
        "import sys, kg.ns\n"
        "heavy = [m for m in ('spacy', 'pyoxigraph', 'pyshacl', 'owlrl', 'networkx', 'matplotlib', 'jieba')"
        " if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO_DIR, capture_output=True, text=True, check=True)
    assert r.stdout.strip() == ""


# ------------------------------------------------------------------------------------------ SHACL

PREFIXES = """
@prefix hk: <https://w3id.org/healthkg/ont#> .
@prefix hkv: <https://w3id.org/healthkg/vocab/> .
@prefix hkid: <https://w3id.org/healthkg/id/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

GOOD = (
    PREFIXES
    + """
<https://w3id.org/healthkg/id/org/450400/abc> a hk:GeneralHospital ;
    skos:prefLabel "梧州市人民医院"@zh ; skos:altLabel "市人民医院"@zh ;
    hk:city <https://w3id.org/healthkg/id/region/450400> ;
    hk:adminLevel <https://w3id.org/healthkg/vocab/level/municipal> ;
    org:classification <https://w3id.org/healthkg/vocab/ws218/A100> ;
    hk:planned false .

<https://w3id.org/healthkg/id/doc/wz> a hk:PlanDocument ;
    dcterms:title "梧州市医疗卫生服务体系规划" ;
    hk:city <https://w3id.org/healthkg/id/region/450400> ;
    hk:sourceSha256 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" .

<https://w3id.org/healthkg/id/doc/wz/char/10-25> a hk:TextSpan ;
    hk:inDocument <https://w3id.org/healthkg/id/doc/wz> ;
    oa:start 10 ; oa:end 25 ; oa:exact "市人民医院牵头组建城市医疗集团" .

<https://w3id.org/healthkg/id/obs/1> a hk:Observation ;
    hk:subject <https://w3id.org/healthkg/id/region/450400> ;
    hk:measure <https://w3id.org/healthkg/vocab/measure/beds-per-1000> ;
    hk:measureWording "每千常住人口医疗卫生机构床位数"@zh ;
    hk:year 2025 ; hk:value "6.5"^^xsd:decimal ; hk:valueText "≥6.5" ; hk:comparator "≥" ;
    hk:valueRole <https://w3id.org/healthkg/vocab/vrole/target> ;
    hk:nature <https://w3id.org/healthkg/vocab/nature/expected> .
"""
)

BROKEN = (
    PREFIXES
    + """
<https://w3id.org/healthkg/id/org/450400/two-names> a hk:GeneralHospital ;
    skos:prefLabel "梧州市人民医院"@zh , "梧州市第一人民医院"@zh ;
    hk:city <https://w3id.org/healthkg/id/region/450400> .

<https://w3id.org/healthkg/id/obs/no-year> a hk:Observation ;
    hk:subject <https://w3id.org/healthkg/id/region/450400> ;
    hk:measure <https://w3id.org/healthkg/vocab/measure/beds-per-1000> ;
    hk:valueText "6.5" .

<https://w3id.org/healthkg/id/doc/wz/char/10-25> a hk:TextSpan ;
    hk:inDocument <https://w3id.org/healthkg/id/doc/wz> ;
    oa:start 10 ; oa:end 25 ; oa:exact "市人民医院牵头组建城市医疗集团" .
"""
)


def _validate(data_ttl: str, tbox: Graph, vocab: Graph, shapes: Graph) -> tuple[bool, Graph]:
    data = Graph().parse(data=data_ttl, format="turtle")
    conforms, results, _ = validate(
        data, shacl_graph=shapes, ont_graph=tbox + vocab, inference="none", allow_warnings=False
    )
    return conforms, results


def _focus_nodes(results: Graph) -> set[URIRef]:
    return set(results.objects(None, SH.focusNode))


def test_shapes_accept_conforming_data(tbox: Graph, vocab: Graph, shapes: Graph) -> None:
    conforms, results = _validate(GOOD, tbox, vocab, shapes)
    assert conforms, results.serialize(format="turtle")


def test_shapes_reject_broken_data_at_the_right_nodes(tbox: Graph, vocab: Graph, shapes: Graph) -> None:
    conforms, results = _validate(BROKEN, tbox, vocab, shapes)
    assert not conforms
    assert _focus_nodes(results) == {
        URIRef("https://w3id.org/healthkg/id/org/450400/two-names"),
        URIRef("https://w3id.org/healthkg/id/obs/no-year"),
    }
    paths = {(f, p) for r in results.subjects(SH.focusNode, None)
             for f, p in [(results.value(r, SH.focusNode), results.value(r, SH.resultPath))]}  # fmt: skip
    assert (URIRef("https://w3id.org/healthkg/id/obs/no-year"), HK.year) in paths
    assert (URIRef("https://w3id.org/healthkg/id/org/450400/two-names"), SKOS.prefLabel) in paths


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        ("oa:start 10 ; oa:end 25", "oa:start 25 ; oa:end 10", "http://www.w3.org/ns/oa#start"),
        ("vocab/level/municipal", "vocab/level/citywide", str(HK.adminLevel)),
        ("vocab/ws218/A100", "vocab/frole/key-specialty", "http://www.w3.org/ns/org#classification"),
        ('"6.5"^^xsd:decimal', "6", str(HK.value)),
        ('hk:sourceSha256 "0123', 'hk:sourceSha256 "X123', str(HK.sourceSha256)),
    ],
)
def test_each_constraint_bites(
    old: str, new: str, path: str, tbox: Graph, vocab: Graph, shapes: Graph
) -> None:
    assert old in GOOD
    conforms, results = _validate(GOOD.replace(old, new), tbox, vocab, shapes)
    assert not conforms
    assert URIRef(path) in set(results.objects(None, SH.resultPath))


def test_vocabulary_itself_conforms_to_the_concept_shape(tbox: Graph, vocab: Graph, shapes: Graph) -> None:
    conforms, results, _ = validate(vocab, shacl_graph=shapes, ont_graph=tbox, inference="none")
    assert conforms, results.serialize(format="turtle")
    broken = Graph() + vocab
    county = HKV["level/county"]
    broken.add((county, SKOS.prefLabel, Literal("县区办", lang="zh")))
    conforms, results, _ = validate(broken, shacl_graph=shapes, ont_graph=tbox, inference="none")
    assert not conforms
    assert _focus_nodes(results) == {county}
