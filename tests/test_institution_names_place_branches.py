"""A regional branch of a national or provincial hospital is named by the hospital, a place and 医院
(南昌大学第一附属医院宜春医院, 四川大学华西医院宜宾医院, 北京儿童医院保定医院): one branch of that hospital, not
the hospital alone with a stray 医院. Two documents of other places written for this test (a city plan's
institution section, a county's work summary)."""

from __future__ import annotations

import pytest
from conftest import build_documents

from kg.facts import institution_facts, relation_facts
from kg.store import open_store

YICHUN = """宜春市“十四五”医疗卫生服务体系规划（摘要）
第一节 市级医疗机构
市人民医院（宜春学院第一附属医院）：建成赣西区域医疗中心。推进市人民医院袁州院区建设。
南昌大学第一附属医院宜春医院落户袁州区，与市人民医院开展专科联盟合作。江西省人民医院宜春分院依托宜丰县人民医院建设。
"""

XINGWEN = """兴文县卫生健康局2023年工作总结
一年来，县人民医院与四川大学华西医院宜宾医院建立专科联盟，北京儿童医院保定医院专家团队来县义诊3次。
"""


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    data = build_documents(tmp_path_factory.mktemp("place-branches"), [
        {"file": "yichun.txt", "text": YICHUN, "city": "宜春市", "province": "江西省",
         "title": "宜春市“十四五”医疗卫生服务体系规划（摘要）"},
        {"file": "xingwen.txt", "text": XINGWEN, "city": "宜宾市", "province": "四川省",
         "title": "兴文县卫生健康局2023年工作总结", "county": "兴文县"},
    ])
    store = open_store(data)
    return {f["name"]: f for f in institution_facts(store)}, list(relation_facts(store))


@pytest.mark.parametrize("branch, parent", [
    ("南昌大学第一附属医院宜春医院", "南昌大学第一附属医院"),
    ("四川大学华西医院宜宾医院", "四川大学华西医院"),
    ("北京儿童医院保定医院", "北京儿童医院"),
])
def test_a_branch_named_by_a_place_is_a_branch_of_its_hospital(facts, branch, parent):
    insts, rels = facts
    assert insts[branch]["kind"] == "分院"
    assert insts[branch]["parent"] == parent
    assert (branch, "member_of", parent) in {(r["s"], r["p"], r["o"]) for r in rels}


def test_branches_named_otherwise_are_read_as_before(facts):
    insts, _ = facts
    assert insts["宜春市人民医院袁州院区"]["parent"] == "宜春市人民医院"
    assert insts["江西省人民医院宜春分院"]["parent"] == "江西省人民医院"
    assert "兴文县人民医院" in insts
