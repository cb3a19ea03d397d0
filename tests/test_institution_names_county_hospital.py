"""A county's own document calls its hospital 县医院, as it calls its others 县中医医院, 县疾控中心: one
institution of that county (平江县医院), not the kind 县医院 it is in a city's plan. And a branch named
after an institution that was not read (湘雅二医院平江分院) is not made a branch of another hospital of
the sentence. Two county documents of different shapes (a work summary, a 120 network plan), written
for this test, and the corpus's city plans for the kind."""

from __future__ import annotations

import pytest
from conftest import build_documents

from kg.facts import institution_facts, relation_facts
from kg.store import open_store

PINGJIANG = """平江县卫生健康局2024年工作总结

一、医疗服务体系
全县现有县级医院4所，分别为县医院、县中医医院、县妇幼保健计划生育服务中心和县第二人民医院。县医院是全县医疗救治中心，承担急危重症救治任务。县医院新院区于2024年6月投入使用，开放床位680张。
县疾控中心负责全县传染病监测和预防接种管理工作，对各乡镇卫生院公共卫生工作开展业务指导。县120急救指挥中心设在县医院，下设三阳乡急救站、童市镇急救站。
深化县医院与湘雅二医院合作，湘雅二医院平江分院挂牌运行。对照国家县医院医疗服务能力推荐标准，补齐短板。
二、下一步工作
推进县域医共体建设，由县医院牵头组建紧密型县域医共体，成员包括14家乡镇卫生院和1家社区卫生服务中心。
"""

# another county, another shape: a 120 network plan whose 县医院 hosts the dispatch centre
LUXI = """泸溪县院前医疗急救网络建设实施方案

为完善院前医疗急救体系，结合我县实际，制定本方案。
（一）急救指挥中心。县急救指挥中心设在县医院，由县医院负责日常管理，承担全县院前急救指挥调度。
（二）急救站点。依托县中医院、浦市镇中心卫生院设置急救站，市、县医院要加强院前院内衔接。
"""


@pytest.fixture(scope="module")
def county_facts(tmp_path_factory):
    root = tmp_path_factory.mktemp("county-hospital")
    data = build_documents(root, [
        {"file": "pingjiang.txt", "text": PINGJIANG, "city": "岳阳市", "province": "湖南省",
         "title": "平江县卫生健康局2024年工作总结", "county": "平江县"},
        {"file": "luxi.txt", "text": LUXI, "city": "湘西土家族苗族自治州", "province": "湖南省",
         "title": "泸溪县院前医疗急救网络建设实施方案", "county": "泸溪县"},
    ])
    store = open_store(data)
    return list(institution_facts(store)), list(relation_facts(store))


def _names(facts, file):
    return {f["name"]: f for f in facts if any(s["doc"] == file or s.get("source_file") == file for s in f["sources"])}


def test_the_county_hospital_of_a_county_document_is_an_institution(county_facts):
    insts, _ = county_facts
    pingjiang = _names(insts, "pingjiang.txt")
    assert pingjiang["平江县医院"]["kind"] == "综合医院"
    assert "县医院" in pingjiang["平江县医院"]["aliases"]
    luxi = _names(insts, "luxi.txt")
    assert luxi["泸溪县医院"]["county"] == "泸溪县"
    assert "泸溪县中医院" in luxi


def test_its_relations_are_instance_relations(county_facts):
    _, rels = county_facts
    got = {(r["s"], r["p"], r["o"], r["scope"]) for r in rels}
    assert ("平江县医院", "has_role", "全县医疗救治中心", "instance") in got
    assert ("平江县医院", "responsible_for", "急危重症救治任务", "instance") in got
    assert ("平江县120急救指挥中心", "based_on", "平江县医院", "instance") in got
    assert ("泸溪县急救指挥中心", "based_on", "泸溪县医院", "instance") in got


def test_no_county_hospital_where_the_words_mean_a_kind(county_facts):
    insts, _ = county_facts
    quotes = {s["quote"] for f in insts if f["name"] in ("平江县医院", "泸溪县医院") for s in f["sources"]}
    assert any("由县医院牵头组建紧密型县域医共体" in q for q in quotes)
    # inside a longer word (国家县医院…标准) and in a list of levels (市、县医院) it names no hospital
    assert not any("国家县医院医疗服务能力推荐标准" in q for q in quotes)
    assert not any("市、县医院要加强院前院内衔接" in q for q in quotes)


def test_a_branch_of_an_unread_institution_is_no_branch_of_another(county_facts):
    insts, rels = county_facts
    assert not any(f["name"].endswith("平江分院") and f.get("parent") == "平江县医院" for f in insts)
    assert not any(r["p"] == "member_of" and r["o"] == "平江县医院" for r in rels)


def test_in_a_city_plan_the_county_hospital_stays_a_kind(institutions):
    # 003 (赣州): 市、县医院要持续深入开展… is about hospitals of two levels
    assert not any(name.endswith("县医院") and len(name) <= 4 for name in institutions)
