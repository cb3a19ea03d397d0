"""Relations, roles and duties in the plans' own wording (issue #11): duty lists that run over clauses,
the commissioning body (受…委托), 由X负责, compositions of a kind, a department's role. Each phenomenon is
checked on the real corpus and on an imaginary plan written in other words."""

from __future__ import annotations

import pytest
from conftest import relations_of

from kg.facts import relation_facts

PLAN_LIUZHOU = """# 柳州市医疗卫生服务体系规划（2021—2025年）

## 一、市级医院

柳州市人民医院主要承担全市危急重症救治，疑难复杂疾病诊疗，医学教学和科研，以及突发公共卫生事件医疗救治等任务，重点提升心血管专科能力。

柳州市中医医院主要承担中医药诊疗、急诊急救功能，负责全市中医适宜技术推广。

全市院前急救调度工作由柳州市急救中心统一负责。

柳州市卫生监督所依法或受柳州市卫生健康委员会委托开展公共场所卫生监督工作。

## 二、社会办医

### （一）民营医院。

机构组成：由社会力量举办的各类综合医院、专科医院、康复医院和护理院组成。

### （二）基层医疗卫生机构。

机构组成：基层医疗卫生机构由社区卫生服务中心、乡镇卫生院和村卫生室构成。

全市专业公共卫生机构主要包括疾病预防控制、妇幼保健和健康教育等机构，其中县办医院包括综合医院和中医医院。疾病预防控制机构的基本职能包括监测预警、检验检测。

## 三、重点专科

组建以柳州市妇幼保健院为核心的妇幼健康联盟。以柳州市工人医院为中心，联合柳州市柳铁中心医院组建城市医疗集团。

推进柳州市中医医院与柳州市骨伤科医院一体化发展。柳州市第三人民医院与柳州市精神病医院实行一体化运行。

### （一）柳州市红十字会医院

功能定位：全市创伤救治中心。主要承担全市严重创伤救治，以及院前急救培训等任务。

### （二）县级医院

功能定位：县域医疗中心，主要承担县域内常见病、多发病诊疗。

把柳州市人民医院心血管内科打造成区域心血管病诊疗中心。
"""

# Headings that name a kind's or an institution's functional position or duties, with and without a number.
PLAN_HEADINGS = """# 柳州市医疗卫生服务体系规划

## 三、功能定位

### （一）县级医院的功能定位

主要承担县域居民常见病、多发病诊疗，急危重症抢救，以及疑难病转诊等任务。同时负责基层医务人员培训。

### （二）妇幼保健机构职责

**职责**：负责辖区孕产妇和儿童保健服务；承担妇幼健康信息管理工作。

### （三）柳州市中心血站功能定位

负责全市无偿献血者招募、血液采集与供应。

### 四、保障措施

加强组织领导。负责人要落实责任。
"""

# A short county work report in its own wording (the kind of document users add of their own county).
REPORT_RONGAN = """# 融安县紧密型县域医共体建设工作报告

一、基本情况

2022年，由融安县人民医院牵头，联合融安县中医医院和12家乡镇卫生院组建融安县紧密型县域医共体。医共体成员包括融安县妇幼保健院、12家乡镇卫生院和96个村卫生室。

融安县人民医院对乡镇卫生院开展业务指导和人员培训。融安县急救站是融安县人民医院的业务窗口。融安县中医医院加挂融安县壮医医院牌子。

依托融安县人民医院建设县级胸痛中心、卒中中心和创伤中心。融安县疾病预防控制中心负责全县传染病防控、免疫规划和健康教育工作。

融安县人民医院作为医共体牵头医院，承担县域内急危重症救治任务。乡镇卫生院作为医共体的枢纽，主要负责常见病诊疗，基本公共卫生服务，以及一般急症处置等工作。

融安县卫生健康监督所受融安县卫生健康局委托，开展全县医疗卫生监督执法工作。全县120急救调度工作由融安县急救站负责。

二、下一步工作

推动融安县人民医院创建三级综合医院，将大将镇中心卫生院升级为二级医院。支持融安县人民医院骨科打造成为柳州市级重点专科。
"""


@pytest.fixture(scope="module")
def corpus_facts(store) -> list[dict]:
    return list(relation_facts(store))


@pytest.fixture(scope="module")
def liuzhou(tmp_path_factory) -> set[tuple[str, str, str, str]]:
    from conftest import build_one_plan

    data = build_one_plan(tmp_path_factory.mktemp("liuzhou"), PLAN_LIUZHOU, file="130_liuzhou.txt", city="柳州市",
                          title="柳州市医疗卫生服务体系规划（2021—2025年）")
    return relations_of(data)


@pytest.fixture(scope="module")
def rongan(tmp_path_factory) -> set[tuple[str, str, str, str]]:
    from conftest import build_one_plan

    data = build_one_plan(tmp_path_factory.mktemp("rongan"), REPORT_RONGAN, file="131_rongan.txt", city="柳州市",
                          title="融安县紧密型县域医共体建设工作报告")
    return relations_of(data)


def test_a_duty_list_closed_by_deng_gongzuo_gives_every_clause(rels, liuzhou):
    # 003 ——县级医院。主要承担A，B，C，D，以及E等工作，作为…
    duties = {o for p, s, o, _ in rels if p == "responsible_for" and s == "县级医院"}
    assert {"县级区域内居民的常见病、多发病诊疗", "急危重症抢救与疑难病转诊", "培训和指导基层医疗卫生机构人员",
            "相应公共卫生服务职能", "一般突发事件紧急医疗救援等工作"} <= duties
    # 003 医院主要提供疾病诊治，特别是A，以及B等医疗卫生服务: 特别是 opens no duty
    assert ("responsible_for", "医院", "急危重症和疑难病症的诊疗、突发事件医疗处置和救援", "class") in rels
    # a rewording, instance level
    assert {o for p, s, o, _ in liuzhou if p == "responsible_for" and s == "柳州市人民医院"} == {
        "全市危急重症救治", "疑难复杂疾病诊疗", "医学教学和科研", "突发公共卫生事件医疗救治等任务"}


def test_a_duty_that_closes_itself_runs_no_further(rels, liuzhou):
    # 001 市办公立医院主要承担…任务，重点提升…: the clause after is no duty
    assert not any(p == "responsible_for" and s == "市办公立医院" and o.startswith("重点提升") for p, s, o, _ in rels)
    # 001 县办医院主要承担…转诊功能，负责…: the next duty is read by its own cue, once
    assert ("responsible_for", "县办医院", "县域内常见病多发病临床诊治、急诊急救和危重症转诊功能", "class") in rels
    assert ("responsible_for", "柳州市中医医院", "中医药诊疗、急诊急救功能", "instance") in liuzhou
    assert ("responsible_for", "柳州市中医医院", "全市中医适宜技术推广", "instance") in liuzhou


def test_the_commissioning_body(rels, liuzhou):
    # 000 钦州市卫生计生监督所受钦州市卫生健康委员会的委托，依法开展…
    assert ("commissioned_by", "钦州市卫生计生监督所", "钦州市卫生健康委员会", "instance") in rels
    # 001 卫生监督机构依职责或受上级行政主管部门委托; 003 卫生健康监督执法机构受同级卫生健康行政部门委托
    assert ("commissioned_by", "卫生监督机构", "上级行政主管部门", "class") in rels
    assert ("commissioned_by", "卫生健康监督执法机构", "同级卫生健康行政部门", "class") in rels
    assert ("commissioned_by", "柳州市卫生监督所", "柳州市卫生健康委员会", "instance") in liuzhou  # 依法或受…委托
    # …委托开展公共场所卫生监督工作 (no comma): the commission stands between the subject and its duty
    assert ("responsible_for", "柳州市卫生监督所", "开展公共场所卫生监督工作", "instance") in liuzhou
    assert len({s for p, s, _, _ in rels if p == "commissioned_by"}) == 4  # no other sentence of the plans


def test_a_duty_stated_as_done_by_someone(liuzhou):
    # A由X(统一)负责
    assert ("responsible_for", "柳州市急救中心", "全市院前急救调度工作", "instance") in liuzhou


def test_a_kind_composed_of_kinds_after_a_label(rels, liuzhou):
    # 000 （1）市直医院。体系构成：由钦州市人民政府举办的综合医院、中医医院和专科医院组成。
    for kind in ("综合医院", "中医医院", "专科医院"):
        assert ("member_of", kind, "市直医院", "class") in rels
        assert ("member_of", kind, "县办医院", "class") in rels
        assert ("member_of", kind, "民营医院", "class") in rels  # 各类综合医院: 各类 is no kind
    # 000 院前医疗急救体系由…，急救站和各急救网点医院组成; 001 健康教育体系由…、各类医疗卫生机构健康教育职能部门等组成
    assert ("member_of", "急救网点医院", "院前医疗急救体系", "class") in rels
    assert ("member_of", "医疗卫生机构健康教育职能部门", "健康教育体系", "class") in rels
    # 000 体系构成：基层医疗卫生机构主要由社区卫生服务中心（站）、…、门诊部、<cut>: complete items only
    members = {s for p, s, o, _ in rels if p == "member_of" and o == "基层医疗卫生机构"}
    assert {"社区卫生服务中心（站）", "镇（中心）卫生院", "村卫生室", "医务室", "门诊部"} <= members
    assert {s for p, s, o, _ in liuzhou if p == "member_of" and o == "民营医院"} == {
        "综合医院", "专科医院", "康复医院", "护理院"}
    assert {s for p, s, o, _ in liuzhou if p == "member_of" and o == "基层医疗卫生机构"} == {
        "社区卫生服务中心", "乡镇卫生院", "村卫生室"}


def test_a_kind_that_includes_kinds(rels, liuzhou):
    # 003 基层医疗机构包括乡镇卫生院、社区卫生服务中心（站）、村卫生室、医务室、门诊部和诊所等，主要提供…
    members = {s for p, s, o, _ in rels if p == "member_of" and o == "基层医疗机构"}
    assert {"乡镇卫生院", "社区卫生服务中心（站）", "村卫生室", "医务室", "门诊部", "诊所"} <= members
    assert "门诊部和诊所" not in members  # two kinds, each with its own head
    # 001 其中政府办医院包括市办医院、县办医院
    assert ("member_of", "市办医院", "政府办医院", "class") in rels
    assert ("member_of", "县办医院", "政府办医院", "class") in rels
    # 001 专业公共卫生机构主要包括疾病预防控制、妇幼保健、…、采供血和职业病防治、健康教育等机构: one kind per field
    members = {s for p, s, o, _ in rels if p == "member_of" and o == "专业公共卫生机构"}
    assert {"疾病预防控制机构", "妇幼保健机构", "院前急救机构", "采供血机构", "职业病防治机构",
            "健康教育机构"} <= members
    assert {s for p, s, o, _ in liuzhou if p == "member_of" and o == "全市专业公共卫生机构"} == {
        "疾病预防控制机构", "妇幼保健机构", "健康教育机构"}
    assert {s for p, s, o, _ in liuzhou if p == "member_of" and o == "县办医院"} == {"综合医院", "中医医院"}
    # X的基本职能包括…: duties, no members
    assert not any(p == "member_of" and o == "疾病预防控制机构" for p, s, o, _ in liuzhou)
    assert not any(p == "member_of" and "监测预警" in s for p, s, o, _ in rels | liuzhou)


def test_the_role_of_a_department(rels, liuzhou):
    # 001 推动蛇伤专科建设成为国家中医区域诊疗中心
    assert ("has_role", "蛇伤专科", "国家中医区域诊疗中心", "instance") in rels
    assert ("upgrade_to", "蛇伤专科", "国家中医区域诊疗中心", "instance") in rels
    # a department of a named hospital is a part of it
    assert ("has_role", "柳州市人民医院心血管内科", "区域心血管病诊疗中心", "instance") in liuzhou
    assert ("member_of", "柳州市人民医院心血管内科", "柳州市人民医院", "instance") in liuzhou
    assert not any(p == "has_role" and s == "柳州市人民医院" for p, s, _, _ in liuzhou)


def test_new_facts_quote_the_plan_at_their_offsets(corpus_facts):
    from pathlib import Path

    from kg.corpus import read_text

    texts = {p.name: read_text(p)[0] for p in Path("corpus").glob("*.txt")}
    new = [f for f in corpus_facts if f["p"] == "commissioned_by" or f["p"] == "member_of" and f["o"] == "市直医院"]
    assert new
    for f in new:
        for src in f["sources"]:
            assert texts[src["doc"]][src["start"]:src["end"]] == src["quote"]


def test_integration_in_other_words(rels, liuzhou):
    # 002 加快推进钦州市卫生学校与钦州市中西医结合医院的深度融合; rewordings: 一体化发展, 实行一体化运行
    assert ("integrated_with", "钦州市卫生学校", "钦州市中西医结合医院", "instance") in rels
    assert ("integrated_with", "柳州市中医医院", "柳州市骨伤科医院", "instance") in liuzhou
    assert ("integrated_with", "柳州市第三人民医院", "柳州市精神病医院", "instance") in liuzhou


def test_a_functional_position_label_with_a_bare_role_under_a_heading(liuzhou):
    # （一）柳州市红十字会医院 / 功能定位：全市创伤救治中心。主要承担A，以及B等任务。
    assert ("has_role", "柳州市红十字会医院", "全市创伤救治中心", "instance") in liuzhou
    assert ("responsible_for", "柳州市红十字会医院", "全市严重创伤救治", "instance") in liuzhou
    assert ("responsible_for", "柳州市红十字会医院", "院前急救培训等任务", "instance") in liuzhou
    # （二）县级医院 / 功能定位：县域医疗中心，主要承担…: the role and the duty are the heading's kind's
    assert ("has_role", "县级医院", "县域医疗中心", "class") in liuzhou
    assert ("responsible_for", "县级医院", "县域内常见病、多发病诊疗", "class") in liuzhou
    assert not any(s == "县域医疗中心" for _, s, _, _ in liuzhou)


def test_a_county_report_in_its_own_wording(rongan):
    assert ("leads", "融安县人民医院", "融安县紧密型县域医共体", "instance") in rongan  # 由X牵头，联合…组建
    assert ("member_of", "融安县中医医院", "融安县紧密型县域医共体", "instance") in rongan
    assert ("guides", "融安县人民医院", "乡镇卫生院", "class") in rongan  # X对Y开展业务指导
    assert ("member_of", "融安县急救站", "融安县人民医院", "instance") in rongan  # Y是X的业务窗口
    assert ("has_role", "融安县中医医院", "融安县壮医医院", "instance") in rongan  # 加挂…牌子
    assert ("based_on", "卒中中心", "融安县人民医院", "instance") in rongan  # 依托X建设A、B和C
    # 作为…的枢纽，主要负责A，B，以及C等工作
    assert {o for p, s, o, _ in rongan if p == "responsible_for" and s == "乡镇卫生院"} == {
        "常见病诊疗", "基本公共卫生服务", "一般急症处置等工作"}
    assert ("commissioned_by", "融安县卫生健康监督所", "融安县卫生健康局", "instance") in rongan
    assert ("responsible_for", "融安县急救站", "全县120急救调度工作", "instance") in rongan  # 由X负责
    assert ("upgrade_to", "大将镇中心卫生院", "二级医院", "instance") in rongan
    # 支持X医院骨科打造成为…重点专科: the department's, not the hospital's, and no task of the hospital
    assert ("has_role", "融安县人民医院骨科", "柳州市级重点专科", "instance") in rongan
    assert not any("骨科" in o for p, s, o, _ in rongan if s == "融安县人民医院")


def test_a_lead_stated_as_the_core_or_the_centre_of_a_consortium(rels, liuzhou):
    # 003 以1所医疗机构特色专科为主…; 001/002 以X为龙头: rewordings with 为核心 / 为中心 and an alliance
    assert ("leads", "柳州市妇幼保健院", "妇幼健康联盟", "instance") in liuzhou
    assert ("leads", "柳州市工人医院", "城市医疗集团", "instance") in liuzhou
    assert ("member_of", "柳州市柳铁中心医院", "城市医疗集团", "instance") in liuzhou
    # 以人民健康为中心 names no institution: no lead
    assert not any(p == "leads" and "健康" in s for p, s, _, _ in rels)


def test_a_heading_naming_a_partys_functional_position_is_the_topic(tmp_path):
    from conftest import build_one_plan

    data = build_one_plan(tmp_path, PLAN_HEADINGS, file="132_headings.txt", city="柳州市",
                          title="柳州市医疗卫生服务体系规划")
    got = relations_of(data)
    # （一）县级医院的功能定位 / 主要承担A，B，以及C等任务。同时负责D。
    assert {o for p, s, o, _ in got if p == "responsible_for" and s == "县级医院"} == {
        "县域居民常见病、多发病诊疗", "急危重症抢救", "疑难病转诊等任务", "基层医务人员培训"}
    # （二）妇幼保健机构职责 / **职责**：负责A；承担B。
    assert ("responsible_for", "妇幼保健机构", "辖区孕产妇和儿童保健服务", "class") in got
    assert ("responsible_for", "妇幼保健机构", "妇幼健康信息管理工作", "class") in got
    # （三）柳州市中心血站功能定位 / 负责…
    assert ("responsible_for", "柳州市中心血站", "全市无偿献血者招募、血液采集与供应", "instance") in got
    # 四、保障措施 names no party: 负责人要落实责任 is nobody's duty
    assert len(got) == 7
