"""Relations as plans state them, found on the misses of one plan and checked on another plan or on an
imaginary plan written in other words (issue #11 item 5). Each test names the phenomenon."""

from __future__ import annotations

import pytest
from conftest import relations_of

PLAN_LIUZHOU = """# 柳州市卫生健康事业发展“十四五”规划

## 一、发展基础

柳州市工人医院成立了胸痛中心，柳州市人民医院、柳州市中医医院分别建立2个远程会诊平台。

二级以上综合医院设立老年医学科。柳州市人民医院牵头组建城市医疗集团。

## 二、县域医疗卫生服务

全面落实乡村一体化管理，加强乡镇卫生院对村卫生室的业务指导。完善县乡一体化机制，提升县级医院综合能力。

## 三、公共卫生

柳州市妇幼保健院承担全市妇幼健康业务管理和基层技术指导。各级健康教育机构的基本职能包括健康传播、健康促进，其中基层业务指导是重点。建设基层指导中心。
"""


@pytest.fixture(scope="module")
def liuzhou(tmp_path_factory) -> set[tuple[str, str, str, str]]:
    from conftest import build_one_plan

    data = build_one_plan(tmp_path_factory.mktemp("liuzhou_rot"), PLAN_LIUZHOU, file="140_liuzhou.txt",
                          city="柳州市", title="柳州市卫生健康事业发展“十四五”规划")
    return relations_of(data)


def test_two_levels_run_as_one_integrate_their_kinds(rels, liuzhou):
    # 钦州 002: 按照县镇一体化、镇村一体化原则，加强县级医院与镇卫生院和村卫生室的统筹管理 (the next clause's kinds)
    assert ("integrated_with", "镇卫生院", "村卫生室", "class") in rels
    # 赣州 003: 以“县级医院为龙头、乡镇卫生院为枢纽…”的县乡一体化管理 (the clause's own kinds)
    assert ("integrated_with", "县级医院", "乡镇卫生院", "class") in rels
    # reworded: 乡村一体化管理 with the kinds in the next clause
    assert ("integrated_with", "乡镇卫生院", "村卫生室", "class") in liuzhou
    # 县乡一体化 with no kind of the 乡 level named near it integrates nothing
    assert not any(p == "integrated_with" and "县级医院" in (s, o) for p, s, o, _ in liuzhou)


def test_guidance_of_the_primary_level_stated_as_jiceng_zhidao(rels, liuzhou):
    # 梧州 001: 县级妇幼保健机构承担…人群服务和基层指导 (the clause's subject)
    assert ("guides", "县级妇幼保健机构", "基层医疗卫生机构", "class") in rels
    # 赣州 003: 各级疾病预防控制机构的基本职能包括…，其中…基层技术指导是核心职能 (the duties' subject, all levels)
    assert ("guides", "疾病预防控制机构", "基层医疗卫生机构", "class") in rels
    # reworded: a named institution's 基层技术指导, a kind's 基层业务指导 among its listed duties
    # (a relation with a kind is of class scope in kg facts)
    assert ("guides", "柳州市妇幼保健院", "基层医疗卫生机构", "class") in liuzhou
    assert ("guides", "健康教育机构", "基层医疗卫生机构", "class") in liuzhou
    # 基层指导中心 is a place, not a guidance: nothing else guides the primary level in that plan
    guiding = {s for p, s, o, _ in liuzhou if p == "guides" and o == "基层医疗卫生机构"}
    assert guiding == {"柳州市妇幼保健院", "健康教育机构"}


def test_named_institutions_that_found_a_centre_host_it(rels, liuzhou):
    # 钦州 002: three hospitals each set up one of the 市县两级3个 telemedicine centres
    for host in ("钦州市第一人民医院", "灵山县人民医院", "浦北县人民医院"):
        assert ("based_on", "远程医疗中心", host, "instance") in rels
    # reworded: 成立了 one centre; 分别建立 a count of platforms
    assert ("based_on", "胸痛中心", "柳州市工人医院", "instance") in liuzhou
    assert ("based_on", "远程会诊平台", "柳州市人民医院", "instance") in liuzhou
    assert ("based_on", "远程会诊平台", "柳州市中医医院", "instance") in liuzhou
    # a kind setting up a department, and a hospital leading a consortium, found nothing of their own
    assert not any(p == "based_on" and s in ("老年医学科", "城市医疗集团") for p, s, _, _ in liuzhou)
