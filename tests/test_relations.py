"""Relations extracted from the real corpus (built once per session) and from a small imaginary plan."""

from __future__ import annotations

import pytest
from conftest import relations_of

from kg.build import build
from kg.facts import relation_facts
from kg.store import open_store


def test_guidance_instance_to_kind(rels):
    assert ("guides", "钦州市疾病预防控制中心", "县区疾病预防控制中心", "class") in rels
    assert ("guides", "钦州市医疗急救中心", "直属急救站", "class") in rels
    assert ("guides", "上级疾控机构", "下级疾控机构", "class") in rels


def test_roles_and_duties(rels):
    assert ("has_role", "梧州市第三人民医院", "市级定点收治医院", "instance") in rels
    assert ("has_role", "市级妇幼保健机构", "全市妇幼保健业务指导中心", "class") in rels
    assert ("has_role", "梧州市红十字会医院", "以肿瘤性疾病为重点的省级区域医疗中心", "instance") in rels
    assert ("has_role", "梧州市人民医院", "紧急医学救援", "instance") in rels
    assert ("responsible_for", "钦州市疾病预防控制中心", "疾病预防控制业务范围内的健康教育工作", "instance") in rels
    assert ("responsible_for", "钦州市健康教育与健康促进中心", "开展大众卫生科学知识宣传活动", "instance") in rels


def test_role_after_a_name_that_ends_a_jieba_token(rels):
    # jieba makes 院是 one token: the mention must end at 院 so that 是 still cues the role
    assert ("has_role", "钦州市妇幼保健院", "全市妇幼保健业务指导中心", "instance") in rels


def test_unified_management_of_things_set_up_in_the_previous_clause(rels):
    # 偏远地区可根据需要增设采血点和储血点，其工作人员及业务由中心血站统一管理
    assert ("guides", "中心血站", "采血点", "class") in rels
    assert ("guides", "中心血站", "储血点", "class") in rels


def test_guidance_received_with_a_field(rels):
    # …城乡基层医疗卫生机构…职责，接受疾病预防控制机构对传染病防控的业务指导和监督
    assert ("guides", "疾病预防控制机构", "城乡基层医疗卫生机构", "class") in rels


def test_numbered_kind_sentence_is_the_topic(rels):
    # 1.健康教育机构。…负责辖区内医疗卫生机构、…及下级健康教育机构的业务指导和人员的培训。
    assert ("guides", "健康教育机构", "下级健康教育机构", "class") in rels
    assert ("guides", "健康教育机构", "辖区内医疗卫生机构", "class") in rels


def test_role_carried_over_from_the_clause_before(rels):
    # 支持钦州市中医医院巩固中医药特色优势，深化服务内涵，打造市级中医特色重点医院
    assert ("has_role", "钦州市中医医院", "市级中医特色重点医院", "instance") in rels
    # 建成2个中医特色优势专科和1个…中心 builds things: no role
    assert not any(p == "has_role" and s == "县区级中医医院" for p, s, _, _ in rels)


def test_duty_and_referral_of_a_topic(rels):
    assert ("responsible_for", "钦州市卫生学校", "全面贯彻党的教育方针和卫生工作方针", "instance") in rels
    # ——市级医院。主要向…，接受下级医院转诊
    assert ("refers", "下级医院", "市级医院", "class") in rels
    # 全面推进专业公共卫生机构与医疗卫生机构深度协作
    assert ("cooperates", "专业公共卫生机构", "医疗卫生机构", "class") in rels


def test_university_cooperation_partners(rels):
    # 支持钦州市中医医院与广西中医药大学、北部湾大学等高等院校合作
    assert ("cooperates", "钦州市中医医院", "广西中医药大学", "instance") in rels
    assert ("cooperates", "钦州市中医医院", "北部湾大学", "instance") in rels
    assert ("cooperates", "北部湾大学", "钦州市中医医院", "instance") in rels


def test_alias_leads_occupational_system(rels):
    assert ("leads", "钦州市第二人民医院", "职业病防治技术支撑体系", "instance") in rels
    assert ("member_of", "其他综合医院", "职业病防治技术支撑体系", "class") in rels


def test_three_remote_medicine_centres(rels):
    for host in ("钦州市第一人民医院", "灵山县人民医院", "浦北县人民医院"):
        assert ("leads", host, host + "远程医疗中心", "instance") in rels


def test_consortia_and_systems(rels):
    # a kind in a list of members keeps the words that say which ones and how many
    assert ("leads", "市直4家公立医院", "城市医疗联合体（医疗集团）", "class") in rels
    assert ("leads", "代表辖区医疗水平的医院", "紧密型城市医疗集团", "class") in rels
    assert ("member_of", "其他若干所医院", "紧密型城市医疗集团", "class") in rels
    assert ("member_of", "乡镇卫生院", "紧密型县域医共体", "class") in rels
    members = {s for p, s, o, _ in rels if p == "member_of" and o == "卫生计生监督体系"}
    # 市、自贸区钦州港片区、县区卫生计生监督所: 市… in the city's own plan is the city's named institution
    assert members == {"钦州市卫生计生监督所", "自贸区钦州港片区卫生计生监督所", "县区卫生计生监督所",
                       "镇卫生计生监督协管机构"}


def test_based_on_referral_upgrade(rels):
    assert ("based_on", "尘肺病康复站", "乡镇卫生院", "class") in rels
    assert ("based_on", "尘肺病康复站", "社区卫生服务中心", "class") in rels
    assert ("based_on", "广西北部湾沿海职业病防治中心", "钦州市第二人民医院", "instance") in rels
    assert ("refers_both", "医疗机构", "残疾人专业康复机构", "class") in rels
    assert ("upgrade_to", "藤县人民医院", "三级综合医院", "instance") in rels
    assert ("upgrade_to", "灵山县人民医院", "三级甲等医院", "instance") in rels


def test_kinds_counted_in_a_list_are_each_a_member(rels):
    # 001: 职业病防治体系由职业病监测评估、职业病危害工程防护、职业病诊断救治三类技术支撑机构及相关专业机构组成
    members = {s for p, s, o, _ in rels if p == "member_of" and o == "职业病防治体系"}
    assert {"职业病监测评估", "职业病危害工程防护", "职业病诊断救治", "相关专业机构"} <= members
    assert not any("三类" in m for m in members)


def test_truncated_line_gives_no_half_fact(store):
    # 000: 疾病预防控制体系由市、县区疾病预防控制中心，医疗机构中的传染病科（医院感染控制科），基层医 (cut)
    members = {f["s"] for f in relation_facts(store) if f["p"] == "member_of" and f["o"] == "疾病预防控制体系"
               and any(s["doc"].startswith("000") and s["quote"].startswith("体系构成") for s in f["sources"])}
    assert members == {"钦州市疾病预防控制中心", "县区疾病预防控制中心", "医疗机构中的传染病科（医院感染控制科）"}


PLAN = """柳州市医疗卫生服务体系规划

一、机构设置
柳州市疾病预防控制中心是全市疾病预防控制业务指导中心。
强化柳州市疾病预防控制中心对县区疾病预防控制中心的业务指导。
柳江区疾病预防控制中心负责辖区内疾病预防控制工作。
柳城县疾病预防控制中心负责辖区内传染病监测工作。
支持柳城县人民医院升级为三级综合医院。
依托柳州市人民医院创建桂中区域医疗中心。
"""


def test_imaginary_city_plan(build_plan):
    rels = relations_of(build_plan(PLAN, file="100_liuzhou.txt", city="柳州市", title="柳州市医疗卫生服务体系规划"))
    assert ("has_role", "柳州市疾病预防控制中心", "全市疾病预防控制业务指导中心", "instance") in rels
    assert ("guides", "柳州市疾病预防控制中心", "县区疾病预防控制中心", "class") in rels
    assert ("upgrade_to", "柳城县人民医院", "三级综合医院", "instance") in rels
    assert ("based_on", "桂中区域医疗中心", "柳州市人民医院", "instance") in rels


def test_imaginary_city_inferred_guidance(build_plan, tmp_path):
    test_imaginary_city_plan(build_plan)
    rels = relations_of(tmp_path / "data")
    # inferred by class-guidance-expansion: the kind 县区疾病预防控制中心 covers both named county CDCs
    assert ("guides", "柳州市疾病预防控制中心", "柳城县疾病预防控制中心", "instance") in rels
    assert ("guides", "柳州市疾病预防控制中心", "柳江区疾病预防控制中心", "instance") in rels


PLAN_NEW_PATTERNS = """防城港市“十四五”医疗卫生服务体系规划

一、专业公共卫生机构
防城港市妇幼保健院是全市妇幼保健业务指导中心，承担市域妇幼健康业务管理任务。
各县（市、区）至少设置1个固定采血点，偏远地区可根据需要增设采血点和储血点，其工作人员及业务由中心血站统一管理。
规划设置防城港市医疗急救中心1个，下辖直属急救站2个。
设置防城港东湾港区卫生监督所1个、北海新区卫生监督所1个。
1.健康教育机构。
负责辖区内医疗卫生机构及下级健康教育机构的业务指导。
二、医院
——市级医院。
主要提供高水平医疗服务，接受下级医院转诊。
支持防城港市中医医院巩固特色优势，打造市级中医特色重点医院。
支持防城港市中医医院与广西中医药大学等高等院校合作。
落实城乡基层医疗卫生机构公共卫生职责，接受疾病预防控制机构对传染病防控的业务指导。
"""


def test_imaginary_city_new_patterns(build_plan):
    data = build_plan(PLAN_NEW_PATTERNS, file="101_fangchenggang.txt", city="防城港市",
                      title="防城港市“十四五”医疗卫生服务体系规划")
    rels = relations_of(data)
    assert ("has_role", "防城港市妇幼保健院", "全市妇幼保健业务指导中心", "instance") in rels
    assert ("guides", "中心血站", "采血点", "class") in rels
    assert ("guides", "中心血站", "储血点", "class") in rels
    assert ("guides", "防城港市医疗急救中心", "直属急救站", "class") in rels
    assert ("guides", "健康教育机构", "下级健康教育机构", "class") in rels
    assert ("refers", "下级医院", "市级医院", "class") in rels
    assert ("has_role", "防城港市中医医院", "市级中医特色重点医院", "instance") in rels
    assert ("cooperates", "防城港市中医医院", "广西中医药大学", "instance") in rels
    assert ("guides", "疾病预防控制机构", "城乡基层医疗卫生机构", "class") in rels
    from kg.facts import figure_facts, institution_facts

    store = open_store(data)
    names = {f["name"]: f for f in institution_facts(store)}
    assert names["防城港东湾港区卫生监督所"]["level"] == "区办"
    assert "北海新区卫生监督所" not in names  # a zone not carrying the plan's city name is not taken
    stations = [f for f in figure_facts(store) if f["measure"] == "直属急救站"]
    assert [(f["subject"], f["value"]) for f in stations] == [("防城港市医疗急救中心", 2.0)]


def test_a_sentence_opening_with_bing_continues_the_previous_sentences_subject(store):
    """003: "二级以上医疗机构和县级以上公共卫生机构从事健康教育的专（兼）职人员配备不少于2人。
    并接受当地健康教育机构的业务指导和考核评估。" — the second sentence has no subject of its own."""
    from kg.facts import relation_facts

    found = [f for f in relation_facts(store) if f["p"] == "guides" and f["s"] == "当地健康教育机构"]
    assert [(f["o"], f["sources"][0]["quote"]) for f in found] == [
        ("公共卫生机构", "并接受当地健康教育机构的业务指导和考核评估。")]


# Imaginary documents of other places in other wordings (rules were written against plans 001 and 002).
YUEYANG = """岳阳市医疗卫生服务体系规划（2021—2025年）

三、机构设置与功能定位
（一）岳阳市第一人民医院。
功能定位：主要承担全市急危重症和疑难复杂疾病诊治任务，负责对县级医院开展技术指导，作为湘北区域医疗中心。
（二）县级医院。
主要负责县域内常见病、多发病诊疗，接收乡镇卫生院转诊的患者，并对乡镇卫生院进行业务指导。
四、重点任务
由岳阳市第一人民医院牵头组建城市医疗集团，成员单位包括岳阳市第二人民医院、岳阳楼区人民医院和社区卫生服务中心。
以华容县人民医院为龙头、乡镇卫生院为枢纽、村卫生室为基础，组建华容县紧密型县域医共体。
依托岳阳市妇幼保健院，建设岳阳市危重新生儿救治中心。
岳阳市第二人民医院与岳阳市第三人民医院实行一体化管理。
岳阳市中医医院加挂岳阳市中西医结合医院牌子。
献血屋是岳阳市中心血站的业务窗口。
推动岳阳县人民医院达到三级综合医院标准，建设成为县域医疗次中心。
支持岳阳市卫生学校开设护理专业，建立实训基地，并整体并入岳阳职业技术学院。
将有条件的3—5个乡镇卫生院转型为社区医院。
县级妇幼保健机构承担县域妇幼健康业务管理，参与县域医共体建设。
五、保障措施
发挥市场机制作用，调动社会力量的积极性。
卫生健康部门要制定医疗机构设置规划，负责统筹全市医疗资源。
以习近平新时代中国特色社会主义思想为指导，推进岳阳市中医医院整体搬迁工程。
承担重大传染病救治任务的医疗机构要加强设备配置。
六、其他机构功能定位
1.岳阳市第四人民医院：主要承担全市传染病救治任务，建设成为湘北传染病救治中心。
2.岳阳市妇幼保健院的功能定位是全市妇幼保健业务指导中心，负责全市妇幼健康业务管理。
"""


@pytest.fixture(scope="module")
def yueyang(tmp_path_factory) -> set[tuple[str, str, str, str]]:
    import json

    root = tmp_path_factory.mktemp("yueyang")
    (root / "corpus").mkdir()
    (root / "corpus" / "110_yueyang.txt").write_text(YUEYANG, encoding="utf-8")
    meta = [{"file": "110_yueyang.txt", "city": "岳阳市", "province": "湖南省", "title": "岳阳市医疗卫生服务体系规划"}]
    (root / "corpus" / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    build(root / "corpus", root / "data")
    return relations_of(root / "data")


def test_a_heading_naming_an_institution_is_the_subject_of_its_paragraph(yueyang):
    assert ("responsible_for", "岳阳市第一人民医院", "全市急危重症和疑难复杂疾病诊治任务", "instance") in yueyang
    assert ("guides", "岳阳市第一人民医院", "县级医院", "class") in yueyang  # 对…开展技术指导
    assert ("has_role", "岳阳市第一人民医院", "湘北区域医疗中心", "instance") in yueyang
    # a heading naming a kind: the kind's duties, referrals and guidance
    assert ("responsible_for", "县级医院", "县域内常见病、多发病诊疗", "class") in yueyang
    assert ("refers", "乡镇卫生院", "县级医院", "class") in yueyang
    assert ("guides", "县级医院", "乡镇卫生院", "class") in yueyang


def test_a_label_opening_the_sentence_and_a_subject_with_its_functional_position(yueyang):
    # 1.X：主要承担… / X的功能定位是…
    assert ("responsible_for", "岳阳市第四人民医院", "全市传染病救治任务", "instance") in yueyang
    assert ("has_role", "岳阳市第四人民医院", "湘北传染病救治中心", "instance") in yueyang
    assert ("has_role", "岳阳市妇幼保健院", "全市妇幼保健业务指导中心", "instance") in yueyang
    assert ("responsible_for", "岳阳市妇幼保健院", "全市妇幼健康业务管理", "instance") in yueyang


def test_consortia_stated_in_other_words(yueyang):
    assert ("leads", "岳阳市第一人民医院", "城市医疗集团", "instance") in yueyang  # 由X牵头组建
    members = {s for p, s, o, _ in yueyang if p == "member_of" and o == "城市医疗集团"}
    assert members == {"岳阳市第二人民医院", "岳阳楼区人民医院", "社区卫生服务中心"}  # 成员单位包括
    assert ("leads", "华容县人民医院", "华容县紧密型县域医共体", "instance") in yueyang  # 以X为龙头
    assert ("member_of", "乡镇卫生院", "华容县紧密型县域医共体", "class") in yueyang
    assert ("member_of", "县级妇幼保健机构", "县域医共体", "class") in yueyang  # 参与…建设


def test_hosts_integration_signs_windows_upgrades_and_mergers(yueyang):
    assert ("based_on", "岳阳市危重新生儿救治中心", "岳阳市妇幼保健院", "instance") in yueyang
    assert ("integrated_with", "岳阳市第三人民医院", "岳阳市第二人民医院", "instance") in yueyang
    assert ("has_role", "岳阳市中医医院", "岳阳市中西医结合医院", "instance") in yueyang  # 加挂…牌子
    assert ("member_of", "献血屋", "岳阳市中心血站", "class") in yueyang  # Y是X的业务窗口
    assert ("has_role", "献血屋", "岳阳市中心血站的业务窗口", "class") in yueyang
    assert ("upgrade_to", "岳阳县人民医院", "三级综合医院", "instance") in yueyang  # 达到…标准
    assert ("upgrade_to", "岳阳县人民医院", "县域医疗次中心", "instance") in yueyang  # 建设成为
    assert ("upgrade_to", "乡镇卫生院", "社区医院", "class") in yueyang  # selection qualifiers dropped
    assert ("member_of", "岳阳市卫生学校", "岳阳职业技术学院", "instance") in yueyang  # 整体并入
    assert ("responsible_for", "岳阳市卫生学校", "开设护理专业", "instance") in yueyang  # a task of the focus


def test_no_relation_from_sentences_without_an_institution_subject(yueyang):
    # under 五、保障措施 (a heading naming no kind): the government's tasks, a guiding ideology, a
    # building project, a relative clause — none is a fact about an institution
    quotes_heading = {("has_role", "市场机制"), ("responsible_for", "统筹全市医疗资源")}
    assert not {(p, o) for p, s, o, _ in yueyang} & quotes_heading
    assert not any(p == "guides" and "思想" in o for p, s, o, _ in yueyang)
    assert not any(s == "岳阳市中医医院" and p == "responsible_for" for p, s, o, _ in yueyang)
    assert not any(p == "responsible_for" and "重大传染病救治" in o for p, s, o, _ in yueyang)


XIANGTAN = """湘潭县紧密型县域医共体建设情况报告
湘潭县以湘潭县人民医院为牵头医院，联合14家乡镇卫生院组建紧密型县域医共体。
湘潭县中医医院托管乡镇卫生院，派驻专家开展坐诊和带教。
湘潭县急救指挥中心依托湘潭县人民医院设置，负责全县院前急救调度工作。
乡镇卫生院作为医共体的枢纽，承担常见病多发病诊疗和基本公共卫生服务。
村卫生室负责辖区内居民健康管理，接受乡镇卫生院的业务管理。
湘潭县妇幼保健院与湘潭县人民医院建立双向转诊机制。
"""


def test_a_county_report_in_its_own_wording(build_plan):
    rels = relations_of(build_plan(XIANGTAN, file="111_xiangtan.txt", city="湘潭市", province="湖南省",
                                 title="湘潭县紧密型县域医共体建设情况报告"))
    assert ("leads", "湘潭县人民医院", "紧密型县域医共体", "instance") in rels  # 以X为牵头医院
    assert ("member_of", "14家乡镇卫生院", "紧密型县域医共体", "class") in rels  # 联合14家…组建
    assert ("guides", "湘潭县中医医院", "乡镇卫生院", "class") in rels  # 托管
    assert ("based_on", "湘潭县急救指挥中心", "湘潭县人民医院", "instance") in rels  # X依托Y设置
    assert ("has_role", "乡镇卫生院", "医共体的枢纽", "class") in rels
    assert ("guides", "乡镇卫生院", "村卫生室", "class") in rels  # 接受…的业务管理
    assert ("refers_both", "湘潭县妇幼保健院", "湘潭县人民医院", "instance") in rels


def test_a_centre_built_on_its_host_is_a_unit_and_a_party_ofrelations_of(rels, institutions):
    """002: 依托钦州市第一人民医院创建广西北部湾沿海综合医疗中心 — the names component makes the centre a
    unit of its host (hk:unitOf); it stays a party: based_on its host, and the host gets the role."""
    assert institutions["广西北部湾沿海综合医疗中心"]["parent"] == "钦州市第一人民医院"
    assert ("based_on", "广西北部湾沿海综合医疗中心", "钦州市第一人民医院", "instance") in rels
    assert ("has_role", "钦州市第一人民医院", "广西北部湾沿海综合医疗中心", "instance") in rels
    assert ("based_on", "广西北部湾沿海精神卫生中心", "钦州市精神病医院", "instance") in rels


PLAN_NAMED_CONSORTIUM = """南宁市卫生健康规划

（三）县域医共体
以横州市人民医院为龙头组建横州市紧密型县域医共体，成员单位包括各乡镇卫生院。
依托南宁市第一人民医院建设南宁市胸痛救治中心，承担全市胸痛患者救治任务。
"""


def test_a_named_consortium_and_a_named_centre_in_another_plan(build_plan):
    """A consortium the names component recognises (横州市紧密型县域医共体) is the group the plan's
    以X为龙头 speaks of; a centre named after its city and built 依托 a hospital is based on it."""
    data = build_plan(PLAN_NAMED_CONSORTIUM, file="102_nanning.txt", city="南宁市", title="南宁市卫生健康规划")
    rels = relations_of(data)
    assert ("leads", "横州市人民医院", "横州市紧密型县域医共体", "instance") in rels
    assert ("based_on", "南宁市胸痛救治中心", "南宁市第一人民医院", "instance") in rels


def test_the_short_form_of_the_plans_city_in_a_list_is_its_named_institution(rels):
    """000: 妇幼保健体系由市、县区妇幼保健院，… — 市妇幼保健院 in 钦州's plan is 钦州市妇幼保健院 (an instance),
    县区妇幼保健院 stays a kind; a level (市级医院) is never taken for a name."""
    assert ("member_of", "钦州市妇幼保健院", "妇幼保健体系", "instance") in rels
    assert ("member_of", "县区妇幼保健院", "妇幼保健体系", "class") in rels
    assert not any(s.startswith("市") and s.endswith("妇幼保健院") for _, s, _, _ in rels)


def test_campuses_and_branches_are_parts_of_their_parent(rels):
    # 002: 钦州市第二人民医院白石湖院区, 钦州市卫生学校第二校区; 001: 苍梧县人民医院石桥分院
    assert ("member_of", "钦州市第二人民医院白石湖院区", "钦州市第二人民医院", "instance") in rels
    assert ("member_of", "钦州市卫生学校第二校区", "钦州市卫生学校", "instance") in rels
    assert ("member_of", "苍梧县人民医院石桥分院", "苍梧县人民医院", "instance") in rels
    # a centre built on a host is based on it, not one of its parts; a blood donation site is hosted
    assert ("member_of", "广西北部湾沿海综合医疗中心", "钦州市第一人民医院", "instance") not in rels
    assert not any(p == "member_of" and s == "钦州湾广场献血点" for p, s, _, _ in rels)


def test_two_capacities_of_one_institution_are_both_roles(rels):
    # 000: 钦州市精神病医院（钦州市心理卫生中心），既是精神病专科医院，又是精神卫生机构。 — the name alone opens the
    # sentence, 既是A，又是B gives it both (是…机构 alone is a classification and gives none)
    assert ("has_role", "钦州市精神病医院", "精神病专科医院", "instance") in rels
    assert ("has_role", "钦州市精神病医院", "精神卫生机构", "instance") in rels
    # 精神病专科医院是精神疾病患者急性住院治疗的医疗机构 is a definition (a role, tests/test_relations_duties.py);
    # a bare classification (是…机构 with no 的 clause defining it) still gives none
    assert not any(p == "has_role" and o.endswith("机构") and "的" not in o and s == "精神病专科医院"
                   for p, s, o, _ in rels)


def test_work_a_subject_carries_out_is_its_duty(rels):
    # 000: 钦州市卫生计生监督所受钦州市卫生健康委员会的委托，依法开展辖区内卫生健康行政执法工作
    assert ("responsible_for", "钦州市卫生计生监督所", "开展辖区内卫生健康行政执法工作", "instance") in rels
    # 003: 卫生健康监督执法机构受同级卫生健康行政部门委托，依法集中行使监督执法权，开展本行政区域…行政执法工作
    assert ("responsible_for", "卫生健康监督执法机构", "开展本行政区域医疗卫生等行政执法工作", "class") in rels
    # 001: 市、县（市）急救（指挥）中心（站）承担…院前急救工作，开展急救技能普及宣传、培训和科研等工作
    assert ("responsible_for", "市急救（指挥）中心（站）", "开展急救技能普及宣传、培训和科研等工作", "class") in rels
    # 负责开展…活动 is read once, by 负责
    assert ("responsible_for", "钦州市健康教育与健康促进中心", "开展大众卫生科学知识宣传活动", "instance") in rels
    assert not any(p == "responsible_for" and o.startswith("规范开展") for p, s, o, _ in rels)


def test_a_whole_after_a_composition_label(rels):
    # 000: 体系构成：卫生教育机构主要由钦州市卫生学校、钦州市卫生信息与医学考试中心和医院的科教科、教学办等组成
    assert ("member_of", "钦州市卫生学校", "卫生教育机构", "instance") in rels
    assert ("member_of", "钦州市卫生信息与医学考试中心", "卫生教育机构", "instance") in rels


def test_a_key_institution_to_build_may_end_in_a_kind(rels):
    # 003: 推进市中医院中医特色医院建设 (医院 is a kind mention inside the role)
    assert ("has_role", "赣州市中医院", "中医特色医院", "instance") in rels
    # 002: 支持钦州市中医医院建成市级中医特色重点医院 — the verb is no part of the role
    assert ("has_role", "钦州市中医医院", "市级中医特色重点医院", "instance") in rels
    assert not any(p == "has_role" and o.startswith("建成") for p, _, o, _ in rels)


def test_tasks_of_a_supported_institution_later_in_the_sentence(rels):
    # 002: 积极培育海洋生物医药产业，支持钦州市中医医院与广西中医药大学、…合作，加快推动…研发。
    assert ("responsible_for", "钦州市中医医院", "加快推动海洋生物医药关键技术和优势药物的研发", "instance") in rels
    # 002: 加大钦州市中医医院院内制剂的科研攻关
    assert ("responsible_for", "钦州市中医医院", "院内制剂的科研攻关", "instance") in rels
    # the partner (与Y) gets no tasks; a clause naming other institutions ends the tasks
    assert not any(p == "responsible_for" and s in ("广西中医药大学", "北部湾大学") for p, s, _, _ in rels)
    assert not any(p == "responsible_for" and s == "灵山县人民医院" and "医疗联合体" in o for p, s, o, _ in rels)


def test_a_sentence_opening_with_its_predicate_continues_the_paragraphs_subject(rels):
    # 000: 钦州市精神病医院（…），既是…，又是精神卫生机构。承担全市精神疾病预防、<cut> — the duty is the
    # hospital's (not the section's 精神卫生体系); the item before the cut is complete
    assert ("responsible_for", "钦州市精神病医院", "全市精神疾病预防", "instance") in rels
    assert not any(p == "responsible_for" and s == "精神卫生体系" for p, s, _, _ in rels)


def test_the_guidance_centre_of_a_field_guides_its_institutions(rels):
    # 000: 钦州市妇幼保健院是全市妇幼保健业务指导中心; 钦州市疾病预防控制中心是全市疾病预防控制工作的业务管理、
    # 技术指导、科研培训和质量控制中心; 001: 市级妇幼保健机构是全市妇幼保健业务指导中心
    assert ("guides", "钦州市妇幼保健院", "全市妇幼保健机构", "class") in rels
    assert ("guides", "钦州市疾病预防控制中心", "全市疾病预防控制机构", "class") in rels
    assert ("guides", "市级妇幼保健机构", "全市妇幼保健机构", "class") in rels
    # a centre of another kind (区域医疗中心, 救治中心) guides nobody
    assert not any(p == "guides" and o.startswith("全市") and "救治" in o for p, _, o, _ in rels)


# An imaginary city's plan in another layout (Markdown headings, bold labels, several facts to a
# paragraph), with each phenomenon of issue #11 worded as plans word it.
PLAN_YULIN = """# 玉林市医疗卫生服务体系规划（2021—2025年）

## 一、医院

### （一）市办医院

**功能定位**：玉林市第一人民医院作为桂东南区域医疗中心，主要承担全市急危重症和疑难复杂疾病的诊疗任务，负责对县级医院开展技术指导。规划建设玉林市第一人民医院东院区。

由玉林市第一人民医院牵头组建玉林市城市医疗集团，成员单位包括玉林市第二人民医院、玉林市中医医院和城区社区卫生服务中心。

支持玉林市中医医院打造成为桂东南中医诊疗中心。玉林市中西医结合医院加挂玉林市骨科医院牌子。

玉林市第三人民医院与玉林市精神病医院实行一体化管理。依托玉林市红十字会医院建设桂东南区域创伤中心。

### （二）县级医院

以北流市人民医院为龙头、乡镇卫生院为枢纽、村卫生室为网底，组建北流市紧密型县域医共体。

## 二、专业公共卫生机构

**体系构成**：妇幼保健体系由市、县妇幼保健院和基层医疗卫生机构组成。

玉林市疾病预防控制中心对县级疾病预防控制中心开展业务指导和技术培训。玉林市妇幼保健院是全市妇幼保健业务指导中心，负责全市孕产妇和儿童保健业务管理。

院前急救体系由玉林市急救中心、县级急救站和网络医院组成。献血屋是玉林市中心血站的业务窗口。

广西医科大学第一附属医院对口帮扶玉林市第一人民医院。在玉林市第二人民医院设立玉林市胸痛中心。

## 三、医学教育

玉林市卫生学校的主要职责是开展中职医学教育，培养基层卫生人才，承担全市乡村医生培训。
"""


@pytest.fixture(scope="module")
def yulin(tmp_path_factory) -> set[tuple[str, str, str, str]]:
    from conftest import build_one_plan

    data = build_one_plan(tmp_path_factory.mktemp("yulin"), PLAN_YULIN, file="120_yulin.txt", city="玉林市",
                          title="玉林市医疗卫生服务体系规划（2021—2025年）")
    return relations_of(data)


def test_imaginary_plan_in_another_layout_consortia_and_systems(yulin):
    assert ("leads", "玉林市第一人民医院", "玉林市城市医疗集团", "instance") in yulin  # 由X牵头组建Y
    assert {s for p, s, o, _ in yulin if p == "member_of" and o == "玉林市城市医疗集团"} == {
        "玉林市第二人民医院", "玉林市中医医院", "城区社区卫生服务中心"}  # 成员单位包括…
    assert ("leads", "北流市人民医院", "北流市紧密型县域医共体", "instance") in yulin  # 以X为龙头
    assert ("member_of", "村卫生室", "北流市紧密型县域医共体", "class") in yulin  # …为网底
    # 体系由…组成, 市、县妇幼保健院 (one kind mention) → the city's named one and the county kind
    assert ("member_of", "玉林市妇幼保健院", "妇幼保健体系", "instance") in yulin
    assert ("member_of", "县妇幼保健院", "妇幼保健体系", "class") in yulin
    assert ("member_of", "玉林市急救中心", "院前急救体系", "instance") in yulin
    assert ("member_of", "网络医院", "院前急救体系", "class") in yulin
    assert ("member_of", "玉林市第一人民医院东院区", "玉林市第一人民医院", "instance") in yulin  # a campus
    assert ("member_of", "献血屋", "玉林市中心血站", "class") in yulin  # Y是X的业务窗口


def test_imaginary_plan_in_another_layout_guidance_hosts_roles_and_duties(yulin):
    assert ("guides", "玉林市疾病预防控制中心", "县级疾病预防控制中心", "class") in yulin  # X对Y开展业务指导
    assert ("guides", "玉林市第一人民医院", "县级医院", "class") in yulin  # 负责对Y开展技术指导
    assert ("guides", "玉林市妇幼保健院", "全市妇幼保健机构", "class") in yulin  # 是全市…业务指导中心
    assert ("based_on", "桂东南区域创伤中心", "玉林市红十字会医院", "instance") in yulin  # 依托X建设Y
    assert ("integrated_with", "玉林市第三人民医院", "玉林市精神病医院", "instance") in yulin  # 一体化管理
    assert ("has_role", "玉林市中西医结合医院", "玉林市骨科医院", "instance") in yulin  # 加挂…牌子
    assert ("has_role", "玉林市第一人民医院", "桂东南区域医疗中心", "instance") in yulin  # 作为…
    assert ("has_role", "玉林市中医医院", "桂东南中医诊疗中心", "instance") in yulin  # 打造成为…
    assert ("responsible_for", "玉林市第一人民医院", "全市急危重症和疑难复杂疾病的诊疗任务", "instance") in yulin
    assert ("responsible_for", "玉林市妇幼保健院", "全市孕产妇和儿童保健业务管理", "instance") in yulin


def test_a_list_of_duties_runs_over_the_clauses(yulin, rels):
    # X的主要职责是A，B，承担C: B is a duty too; C is read by its own cue
    assert ("responsible_for", "玉林市卫生学校", "开展中职医学教育", "instance") in yulin
    assert ("responsible_for", "玉林市卫生学校", "培养基层卫生人才", "instance") in yulin
    assert ("responsible_for", "玉林市卫生学校", "全市乡村医生培训", "instance") in yulin
    # 000: 钦州市卫生学校的主要职责是全面贯彻…方针，培养具有一定科学文化素养，德<cut>: complete clauses only
    assert ("responsible_for", "钦州市卫生学校", "培养具有一定科学文化素养", "instance") in rels
    assert not any(p == "responsible_for" and s == "钦州市卫生学校" and o.startswith("德") for p, s, o, _ in rels)


def test_a_unit_set_up_at_a_host_and_paired_assistance(yulin, rels):
    # 001: 在符合条件的社区卫生服务中心、乡镇卫生院设立精神（心理）科门诊; 在有条件的社区医疗卫生机构设立科学健身门诊
    assert ("based_on", "精神（心理）科门诊", "乡镇卫生院", "class") in rels
    assert ("based_on", "科学健身门诊", "有条件的社区医疗卫生机构", "class") in rels
    assert ("based_on", "玉林市胸痛中心", "玉林市第二人民医院", "instance") in yulin
    assert ("guides", "广西医科大学第一附属医院", "玉林市第一人民医院", "instance") in yulin  # 对口帮扶
    # 在…基础上, 在全市范围内: no host
    assert not any(p == "based_on" and "全市" in o for p, _, o, _ in rels)


# A short work report of an imaginary county-level city in the style of the other places' documents
# (one paragraph per achievement, consortia formed by named hospitals, grades reached).
REPORT_BEILIU = """北流市2023年卫生健康工作总结

一、医共体建设。北流市人民医院牵头，整合北流市中医医院和12家乡镇卫生院，组建北流市紧密型县域医共体。由北流市妇幼保健院牵头，联合全市8家医院成立北流市妇幼专科联盟。北流市中医医院与广西中医药大学第一附属医院建立紧密型医联体。

二、能力提升。北流市人民医院成功创建三级甲等综合医院，北流市中医医院通过三级甲等中医医院复审。北流市妇幼保健院获批自治区级危重新生儿救治中心。规划设置北流市医疗急救中心1个，下设急救站6个。

三、质量控制。依托北流市人民医院成立北流市医疗质量控制中心。北流市护理质量控制中心挂靠北流市中医医院。北流市人民医院作为国家胸痛中心建设试点单位。
"""


def test_a_short_work_report_consortia_formed_and_grades_reached(build_plan):
    data = build_plan(REPORT_BEILIU, file="121_beiliu.txt", city="玉林市", title="北流市2023年卫生健康工作总结")
    rels = relations_of(data)
    # X牵头，整合A和B，组建Y / 由X牵头，联合…成立Y
    assert ("leads", "北流市人民医院", "北流市紧密型县域医共体", "instance") in rels
    assert ("member_of", "北流市中医医院", "北流市紧密型县域医共体", "instance") in rels
    assert ("member_of", "12家乡镇卫生院", "北流市紧密型县域医共体", "class") in rels
    assert ("leads", "北流市妇幼保健院", "北流市妇幼专科联盟", "instance") in rels
    # A与B建立Y: both members
    assert ("member_of", "北流市中医医院", "紧密型医联体", "instance") in rels
    assert ("member_of", "广西中医药大学第一附属医院", "紧密型医联体", "instance") in rels
    # 成功创建 / 通过…复审 / 获批 / 下设
    assert ("upgrade_to", "北流市人民医院", "三级甲等综合医院", "instance") in rels
    assert ("upgrade_to", "北流市中医医院", "三级甲等中医医院", "instance") in rels
    assert ("has_role", "北流市妇幼保健院", "自治区级危重新生儿救治中心", "instance") in rels
    assert ("guides", "北流市医疗急救中心", "急救站", "class") in rels
    # 依托X成立Y, Y挂靠X, 作为…试点单位
    assert ("based_on", "北流市医疗质量控制中心", "北流市人民医院", "instance") in rels
    assert ("based_on", "北流市护理质量控制中心", "北流市中医医院", "instance") in rels
    assert ("has_role", "北流市人民医院", "国家胸痛中心建设试点单位", "instance") in rels


def test_no_duty_from_a_verb_whose_object_is_cut_off_nor_from_a_building_project(rels):
    # 000: 负责提供自贸区钦州港片区、钦南区、钦北区<cut> — what is provided is cut off
    assert not any(p == "responsible_for" and o.startswith("提供自贸区") for p, _, o, _ in rels)
    # while 承担全市精神疾病预防、<cut> keeps its complete item
    assert ("responsible_for", "钦州市精神病医院", "全市精神疾病预防", "instance") in rels
    # 002: 推进钦州市公共卫生应急救治中心建设项目 — a building project is no task
    assert not any(p == "responsible_for" and s == "钦州市公共卫生应急救治中心" for p, s, _, _ in rels)


def test_each_unit_of_a_list_set_up_at_a_host(rels):
    # 002: 在中医药机构建立名老中医药专家研究室、工作室和中医药流派传承工作室 (机构建立 holds no 构建; the
    # bare 工作室 shares the words before the previous item's head)
    for unit in ("名老中医药专家研究室", "名老中医药专家工作室", "中医药流派传承工作室"):
        assert ("based_on", unit, "中医药机构", "class") in rels
    assert ("based_on", "工作室", "中医药机构", "class") not in rels
    # 001/003: 感染楼或感染病区 is one unit, either way
    assert ("based_on", "感染楼或感染病区", "县域综合实力强的医院", "class") in rels
    assert ("based_on", "感染楼或感染性疾病病区", "县域综合医院", "class") in rels


# ---- a consortium's name starts after the plan's verbs, and a document title names none ----------------

def test_consortium_labels_start_after_policy_words_and_titles_name_none(store):
    from kg.pipeline.relation_text import group_label, load_patterns

    P = load_patterns()  # noqa: N806
    # real wordings of 000/002 (继续深化推进…, 单位加快推进…, 1.推进…) and rewordings of another plan's
    assert group_label(P, "继续深化推进城市医疗联合体（医疗集团）") == "城市医疗联合体（医疗集团）"
    assert group_label(P, "单位加快推进紧密型医共体") == "紧密型医共体"
    assert group_label(P, "1.推进医共体") == "医共体"
    assert group_label(P, "——专科联盟") == "专科联盟"
    assert group_label(P, "积极探索紧密型医疗联合体") == "紧密型医疗联合体"
    assert group_label(P, "促进医联体") == "医联体"
    assert group_label(P, "城市医疗联合体") == "城市医疗联合体"  # 联合 inside the noun is no verb
    assert group_label(P, "了《钦州市区域医疗联合体") == ""  # 出台了《钦州市区域医疗联合体建设实施方案》

    labels = {str(row["l"].value) for row in store.query(
        "SELECT ?l WHERE { GRAPH ?g { ?c <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } "
        "FILTER(STRSTARTS(STR(?c), 'https://w3id.org/healthkg/id/cons/')) }")}
    assert {"城市医疗联合体（医疗集团）", "紧密型医共体", "专科联盟"} <= labels
    policy = ("推进", "推动", "促进", "支持", "深化", "积极", "继续", "加快", "——", "《", "1.")
    assert not [label for label in labels if label.startswith(policy) or "《" in label]


def test_a_leader_carried_from_the_clause_before_leads_what_it_forms(build_plan):
    """X为…医院，(并)牵头组建Y: the clause that forms Y has no subject of its own; X leads Y."""
    text = ("# 百色市医疗卫生服务体系规划\n\n## 一、医疗机构设置\n\n"
            "百色市人民医院为三级甲等综合医院，是全市医疗中心，牵头组建百色市紧密型城市医疗集团。\n"
            "田阳区人民医院为二级综合医院，并牵头成立田阳区紧密型县域医共体。\n"
            "右江区人民医院为二级综合医院，加入百色市紧密型城市医疗集团。\n")
    data = build_plan(text, file="plan.txt", city="百色市", title="百色市医疗卫生服务体系规划")
    rels = relations_of(data)
    assert ("leads", "百色市人民医院", "百色市紧密型城市医疗集团", "instance") in rels
    assert ("leads", "田阳区人民医院", "田阳区紧密型县域医共体", "instance") in rels
    assert ("member_of", "右江区人民医院", "百色市紧密型城市医疗集团", "instance") in rels
    assert not any(p == "leads" and s == "右江区人民医院" for p, s, _, _ in rels)
