"""哪些医院是区域医疗中心: the role after 是 restricts the kind — the institutions the plan gives that role,
each with its own words; never the city's whole list of hospitals (which it used to answer)."""

from __future__ import annotations

import pytest

from kg.qa import ask


@pytest.mark.parametrize("question", ["梧州市哪些医院是区域医疗中心？", "梧州哪几家医院要打造成区域医疗中心"])
def test_the_institutions_holding_the_role(kb, question):
    result = ask(kb, question)
    # 梧州 001: 建设梧州市红十字会医院以肿瘤性疾病为重点的省级区域医疗中心; 支持梧州市工人医院…，支持梧州市
    # 红十字会医院…，支持梧州市人民医院…打造形成一批具有区级先进水平的区域医疗中心
    assert sorted(a["text"] for a in result["answers"]) == ["梧州市人民医院", "梧州市工人医院", "梧州市红十字会医院"]
    assert "梧州市工人医院：具有区级先进水平的区域医疗中心" in result["message"]
    assert "梧州市红十字会医院：以肿瘤性疾病为重点的省级区域医疗中心" in result["message"]


def test_no_holder_in_the_city_asked_is_no_answer(kb):
    # 赣州's plan gives no hospital that role: not its hospitals, not 梧州's
    result = ask(kb, "赣州市哪些医院是区域医疗中心？")
    assert result["status"] != "answered" and not result["answers"]


def test_the_plain_list_of_a_kind_is_still_a_list(kb):
    result = ask(kb, "梧州市有哪些医院？")
    assert result["status"] == "answered" and len(result["answers"]) > 10
