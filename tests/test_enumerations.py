"""Enumerations: a plan lists the parts, kinds, levels or items of a named thing (kg/pipeline/enumerations.py,
cues in kg/data/enumerations.yaml), written as hk:Enumeration facts and asked by `kg ask` (the
enumeration family). Each rule is shown on real sentences of two plans, or one plan and a rewording
written here; the graph and the answers are the real corpus's."""

from __future__ import annotations

import pytest

from kg.corpus import Sentence
from kg.pipeline.enumerations import read
from kg.qa import ask
from kg.textnorm import normalize


def sentence(text: str, section: tuple[str, ...] = ()) -> Sentence:
    return Sentence("test", 100, 100 + len(text), text, normalize(text, base=100), section)


def listed(text: str, section: tuple[str, ...] = ()) -> list[tuple[str, str, list[str]]]:
    return [(e.whole, e.word, [i.text for i in e.items]) for e in read(sentence(text, section))]


# ---- the reader, rule by rule ------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # 000 钦州 and 001 梧州
    ("钦州市的医院按性质分为公立医院和民营医院。", [("医院", "分为", ["公立医院", "民营医院"])]),
    ("医院分为公立医院和民营医院。", [("医院", "分为", ["公立医院", "民营医院"])]),
    # 001: the subject of the clause before; a note in brackets is no part of the item
    ("公立医院是医疗服务体系的主体，分为政府办医院和其他公立医院（主要包括国有和集体企事业单位等举办的医院），"
     "其中政府办医院包括市办医院、县办医院。",
     [("公立医院", "分为", ["政府办医院", "其他公立医院"]), ("政府办医院", "包括", ["市办医院", "县办医院"])]),
])
def test_kinds_a_thing_is_divided_into(text, expected):
    assert listed(text) == expected


def test_parts_a_thing_includes_with_brackets_kept_and_the_kind_after_etc_cut():
    # 003 赣州: 社区卫生服务中心（站） is one item; 001 梧州: 等机构 names the kind of all of them
    assert listed("基层医疗机构包括乡镇卫生院、社区卫生服务中心（站）、村卫生室、医务室、门诊部和诊所等，"
                  "主要提供预防。") == [
        ("基层医疗机构", "包括", ["乡镇卫生院", "社区卫生服务中心（站）", "村卫生室", "医务室", "门诊部", "诊所"])]
    assert listed("专业公共卫生机构主要包括疾病预防控制、妇幼保健、院前急救、采供血和职业病防治、健康教育等机构。") == [
        ("专业公共卫生机构", "包括", ["疾病预防控制", "妇幼保健", "院前急救", "采供血", "职业病防治", "健康教育"])]


def test_a_list_opening_its_sentence_enumerates_the_heading_thing():
    # 003 赣州 (7.托育服务机构。主要包括…) and a rewording under another heading
    assert listed("主要包括区域综合托育服务中心、社区托育服务中心、家庭和工作场所托育点等。",
                  ("七、优化全方位全周期健康服务体系", "（二）机构设置", "7.托育服务机构。")) == [
        ("托育服务机构", "包括", ["区域综合托育服务中心", "社区托育服务中心", "家庭和工作场所托育点"])]
    assert listed("主要包括综合医院康复医学科和康复医院。", ("（三）机构设置", "4.康复医疗机构。")) == [
        ("康复医疗机构", "包括", ["综合医院康复医学科", "康复医院"])]
    # a heading that is a label of the paragraph names no thing: nothing is read
    assert listed("主要包括甲机构和乙机构。", ("体系构成：",)) == []


def test_a_composition_keeps_its_parts_and_drops_who_runs_them():
    # 000 钦州: 由钦州市人民政府举办的A、B和C组成 under the heading (三）市直医院 ; 001 梧州 职业病防治体系
    assert listed("体系构成：由钦州市人民政府举办的综合医院、中医医院和专科医院组成。", ("（三）市直医院",)) == [
        ("市直医院", "组成", ["综合医院", "中医医院", "专科医院"])]
    assert listed("**机构设置：**职业病防治体系由职业病监测评估、职业病危害工程防护、职业病诊断救治三类技术支撑机构及"
                  "相关专业机构组成，主要依托各级疾病预防控制中心。") == [
        ("职业病防治体系", "组成", ["职业病监测评估", "职业病危害工程防护", "职业病诊断救治", "相关专业机构"])]


def test_parts_cut_at_commas_keep_the_modifiers_they_share():
    # 000 钦州: 市、县区妇幼保健院，医疗机构中的妇产科、儿科业务 — two parts, not four
    assert listed("体系构成：妇幼保健体系由市、县区妇幼保健院，医疗机构中的妇产科、儿科业务组成。") == [
        ("妇幼保健体系", "组成", ["市、县区妇幼保健院", "医疗机构中的妇产科、儿科业务"])]
    assert listed("体系构成：卫生计生监督体系由市、自贸区钦州港片区、县区卫生计生监督所，"
                  "镇卫生计生监督协管机构组成。") == [
        ("卫生计生监督体系", "组成", ["市、自贸区钦州港片区、县区卫生计生监督所", "镇卫生计生监督协管机构"])]


def test_a_short_tail_shares_the_modifier_after_the_joiner_before_it():
    # 000 钦州 卫生教育机构 and 003 赣州 中医医疗服务机构
    assert listed("体系构成：卫生教育机构主要由钦州市卫生学校、钦州市卫生信息与医学考试中心和医院的科教科、"
                  "教学办等组成") == [
        ("卫生教育机构", "组成", ["钦州市卫生学校", "钦州市卫生信息与医学考试中心", "医院的科教科", "教学办"])]
    assert listed("中医医疗服务机构主要包括中医类医疗卫生机构和其他医疗卫生机构中医类科室、职能部门，"
                  "主要承担中医药服务。") == [
        ("中医医疗服务机构", "包括", ["中医类医疗卫生机构", "其他医疗卫生机构中医类科室", "职能部门"])]


@pytest.mark.parametrize("text, section, expected", [
    # 003 赣州: a role chain opening its sentence is the heading's thing; 各级 is trimmed
    ("以各级心理健康和精神卫生防治中心、精神专科医院和综合医院精神科为主体，基层医疗卫生机构为依托。",
     ("（二）机构设置", "3.精神心理卫生机构。"),
     [("精神心理卫生机构", "主体", ["心理健康和精神卫生防治中心", "精神专科医院", "综合医院精神科"])]),
    ("以设置老年医学科的综合性医院和老年医院为主体，以疾病预防控制机构、基层医疗卫生机构、护理院（中心、站）、"
     "安宁疗护机构等为基础，二级以上综合医院设立老年医学科。", ("（二）机构设置", "6.老年健康服务机构。"),
     [("老年健康服务机构", "主体", ["设置老年医学科的综合性医院", "老年医院"]),
      ("老年健康服务机构", "基础", ["疾病预防控制机构", "基层医疗卫生机构", "护理院（中心、站）", "安宁疗护机构"])]),
    # 003: X是以A为主体; 003: a chain ending in …的Y体系 (one item may lead alone)
    ("医疗卫生服务体系由公共卫生体系、医疗服务体系构成，是以专业公共卫生机构、医院、基层医疗卫生机构等为主体。", (),
     [("医疗卫生服务体系", "组成", ["公共卫生体系", "医疗服务体系"]),
      ("医疗卫生服务体系", "主体", ["专业公共卫生机构", "医院", "基层医疗卫生机构"])]),
    ("建成以区域中医医疗中心为龙头，各级各类中医医疗机构为骨干，融预防保健、疾病治疗和康复于一体的中医药服务体系。", (),
     [("中医药服务体系", "龙头", ["区域中医医疗中心"])]),
    # 002 钦州: a focus is of the work the sentence goes on with
    ("以艾滋病、结核病、肝吸虫病、地中海贫血等重大疾病为重点，加强基础研究和科研攻关。", (),
     [("加强基础研究和科研攻关", "重点", ["艾滋病", "结核病", "肝吸虫病", "地中海贫血"])]),
    ("加强医疗机构药事管理，以抗菌药物、抗肿瘤药物、其他重点监控药物等为重点，加强用药监测和合理用药考核。", (),
     [("加强用药监测和合理用药考核", "重点", ["抗菌药物", "抗肿瘤药物", "其他重点监控药物"])]),
])
def test_the_role_items_play_in_a_thing(text, section, expected):
    assert listed(text, section) == expected


def test_two_networks_each_with_its_own_leader():
    # a county's short document (tests/data/short-docs/yongxin-ygt.txt): 以A为龙头的X和以B为龙头的Y
    assert listed("组建了以永新县人民医院为龙头的永新县人民医院医共体和以永新县中医院为龙头的永新县中医院医共体。") == [
        ("永新县人民医院医共体", "龙头", ["永新县人民医院"]), ("永新县中医院医共体", "龙头", ["永新县中医院"])]


def test_who_leads_and_joins_is_no_part_of_a_composition():
    # tests/data/short-docs/hubei-alliance.txt: 同意由X牵头，联合Y组成Z — an approval, not Z's parts
    assert listed("经研究，同意由华中科技大学同济医学院附属协和医院牵头，联合全省二级以上医疗机构，"
                  "组成湖北省呼吸专科联盟。") == []
    assert listed("全市院前医疗急救网络由天水市急救中心、县急救分中心和急救站组成。") == [
        ("院前医疗急救网络", "组成", ["天水市急救中心", "县急救分中心", "急救站"])]


def test_a_focus_of_one_item_is_no_enumeration():
    # 001 梧州 / 002 钦州: 以基层为重点 names one focus, not a list (主体 and 龙头 may be one)
    assert listed("以基层为重点，推动优质医疗资源下沉。") == []
    assert listed("坚持以基层为重点，推动城市优质医疗资源下沉。") == []


@pytest.mark.parametrize("text, expected", [
    ("进一步建设完善市、县区、镇（街道）、村（社区）四级中医药服务体系。",  # 002 钦州
     [("中医药服务体系", "级", ["市", "县区", "镇（街道）", "村（社区）"])]),
    ("到2025年，建成政府主导、覆盖城乡的市、县、乡三级医疗急救服务体系。",  # 001 梧州
     [("医疗急救服务体系", "级", ["市", "县", "乡"])]),
    ("将中医类医院纳入市县两级应急管理救治体系统筹建设。",  # 001 梧州, levels written together
     [("应急管理救治体系", "级", ["市", "县"])]),
    # 001: the whole ends at its verb
    ("力争市、县两级妇幼保健机构达到国家标准。", [("妇幼保健机构", "级", ["市", "县"])]),
])
def test_levels_of_a_system(text, expected):
    assert listed(text) == expected


def test_levels_must_be_as_many_as_the_plan_says_and_be_levels():
    assert listed("建设市、县两级三级医疗服务体系。") == [("三级医疗服务体系", "级", ["市", "县"])]
    assert listed("完善市、县三级医疗救治体系。") == []  # two levels said to be three: no enumeration
    assert listed("二级以上综合医院设置感染性疾病科。") == []
    assert listed("推动三级医院和二级医院协作。") == []


def test_items_of_a_set_of_rules_and_a_three_in_one_mechanism():
    # 002 钦州, and a rewording with the items in brackets after the count
    assert listed("全面落实妊娠风险筛查与评估、高危孕产妇专案管理、危急重症救治、孕产妇死亡个案报告和约谈通报"
                  "等母婴安全5项制度。") == [
        ("母婴安全5项制度", "项", ["妊娠风险筛查与评估", "高危孕产妇专案管理", "危急重症救治", "孕产妇死亡个案报告",
                                   "约谈通报"])]
    bracketed = listed("严格执行母婴安全5项制度（妊娠风险筛查与评估、高危孕产妇专案管理、危急重症救治、"
                       "孕产妇死亡个案报告、约谈通报）。")
    assert bracketed == [("母婴安全5项制度", "项", ["妊娠风险筛查与评估", "高危孕产妇专案管理", "危急重症救治",
                                                    "孕产妇死亡个案报告", "约谈通报"])]
    assert listed("落实甲制度、乙制度等3项制度。") == []  # two said to be three
    assert listed("完善专业公共卫生机构、综合性医院和专科医院、基层医疗卫生机构“三位一体”的重大疾病防控机制。") == [
        ("重大疾病防控机制", "三位一体", ["专业公共卫生机构", "综合性医院和专科医院", "基层医疗卫生机构"])]
    assert listed("健全疾控机构、医疗机构、基层医疗卫生机构三位一体的传染病监测预警机制。") == [
        ("传染病监测预警机制", "三位一体", ["疾控机构", "医疗机构", "基层医疗卫生机构"])]


def test_kinds_others_are_encouraged_to_set_up():
    # 000 钦州 (社会资本) and 002 钦州 (社会力量)
    assert listed("鼓励社会资本举办设置独立的医学检验、病理诊断、医学影像、血液透析、健康体检等医疗机构，"
                  "与各级各类医院建立协作关系。") == [
        ("医疗机构", "举办", ["医学检验", "病理诊断", "医学影像", "血液透析", "健康体检"])]
    assert listed("加快发展个性化健康管理，鼓励社会力量兴办健康体检、专业护理等服务机构。") == [
        ("服务机构", "举办", ["健康体检", "专业护理"])]


def test_lists_that_enumerate_no_thing_are_not_read():
    # a list inside an item (传染病、…等疾病的监测预警) and a note on data
    assert listed("各级疾病预防控制机构的基本职能包括传染病、慢性非传染性疾病、职业病、地方病等疾病的监测预警、"
                  "疫情报告、检验检测等。") == []
    assert listed("注：钦南区数据包括市本级、自贸区钦州港片区的医疗机构数据") == []
    assert listed("推动涵盖基本公共卫生服务的居民电子健康档案的统筹管理、在线查询和规范使用。") == []


def test_item_offsets_are_the_plans_own():
    s = sentence("以设置老年医学科的综合性医院和老年医院为主体，以护理院(中心、站)、安宁疗护机构等为基础。",
                 ("6.老年健康服务机构。",))
    items = [i for e in read(s) for i in e.items]
    assert [s.text[i.start - 100:i.end - 100] for i in items] == [
        "设置老年医学科的综合性医院", "老年医院", "护理院(中心、站)", "安宁疗护机构"]


# ---- the graph --------------------------------------------------------------------------------------

def test_the_corpus_enumerations_are_in_the_graph_with_their_evidence(store):
    rows = store.query("""
        PREFIX hk: <https://w3id.org/healthkg/ont#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label ?start ?end ?quote ?city WHERE {
          GRAPH ?g { ?e a hk:Enumeration ; skos:prefLabel "中医药服务体系"@zh ; hk:enumerationCue "级"@zh ;
                        hk:city ?city ; skos:member ?i . ?i rdfs:label ?label ; oa:start ?start ; oa:end ?end }
          ?g prov:wasDerivedFrom ?span . ?span oa:exact ?quote
        }""", use_default_graph_as_union=True)
    found = {(r["label"].value, int(r["start"].value), int(r["end"].value), r["quote"].value, r["city"].value)
             for r in rows}
    assert {f[0] for f in found} == {"市", "县区", "镇（街道）", "村（社区）"}
    assert {f[4] for f in found} == {"https://w3id.org/healthkg/id/region/450700"}  # 钦州
    assert all("四级中医药服务体系" in f[3] for f in found)
    text = open("corpus/002_c2e64adf10e3179c.txt", encoding="utf-8").read()
    assert all(text[f[1]:f[2]] == f[0] for f in found)


# ---- kg ask ------------------------------------------------------------------------------------------


def texts(result: dict) -> list[str]:
    return [a["text"] for a in result["answers"]]


@pytest.mark.parametrize("question, expected, doc", [
    ("梧州的医院分为哪几类？", ["公立医院", "民营医院"], "001_"),
    ("钦州的医院按性质可以分成哪几类？", ["公立医院", "民营医院"], "000_"),
    ("梧州的公立医院分为哪两类？", ["政府办医院", "其他公立医院"], "001_"),
    ("钦州的卫生应急管理体系是哪两级？", ["市", "县区"], "002_"),
    ("赣州的传染病医疗救治体系分哪几级？", ["市", "县", "乡"], "003_"),
    ("赣州老年健康服务机构以哪些机构为主体？", ["设置老年医学科的综合性医院", "老年医院"], "003_"),
    ("钦州加强用药监测以哪些药物为重点？", ["抗菌药物", "抗肿瘤药物", "其他重点监控药物"], "002_"),
    ("钦州鼓励社会力量兴办哪些服务机构？", ["健康体检", "专业护理"], "002_"),
    ("赣州的托育服务机构主要包括哪些？", ["区域综合托育服务中心", "社区托育服务中心", "家庭和工作场所托育点"], "003_"),
])
def test_enumeration_questions_are_answered_with_the_items_and_their_sentence(kb, question, expected, doc):
    result = ask(kb, question)
    assert result["status"] == "answered", result["message"]
    assert result["template"] == "enumeration"
    assert texts(result) == expected
    assert all(s["doc"].startswith(doc) for a in result["answers"] for s in a["sources"])
    assert all(a["sources"] for a in result["answers"])


def test_the_city_asked_is_kept(kb):
    # 梧州's plan states no 质控组织体系 levels (钦州's does): not recorded, never 钦州's
    assert ask(kb, "钦州的质控组织体系是哪两级？")["status"] == "answered"
    result = ask(kb, "梧州的质控组织体系是哪两级？")
    assert result["status"] != "answered" or result["template"] != "enumeration"
    assert texts(result) == []


def test_a_count_other_than_the_plans_or_an_unknown_thing_is_no_answer(kb):
    assert texts(ask(kb, "梧州的医院分为哪三类？")) == []
    assert texts(ask(kb, "梧州的航天医疗体系是哪四级？")) == []
    assert texts(ask(kb, "梧州的医疗急救服务体系是哪四级？")) == []  # the plan says 市、县、乡三级
    # 钦州's 医院 is divided into 公立/民营: no answer to what its 中医医院 include
    assert texts(ask(kb, "钦州的中医医院包括哪些？")) == []
    # 钦州's plan divides 医院 into 公立医院 and 民营医院, and lists what 市直医院 (under 公立医院) are made
    # of: neither is what 公立医院 are divided into
    assert texts(ask(kb, "钦州的公立医院分为哪几类？")) == []
    assert texts(ask(kb, "梧州的公立医院分为哪几类？")) == ["政府办医院", "其他公立医院"]


def test_a_question_of_institutions_is_still_answered_by_its_own_family(kb):
    # 院前医疗急救体系包括哪些: the members family (org:memberOf), not the enumeration
    result = ask(kb, "钦州的院前医疗急救体系由哪些部分构成？")
    assert result["status"] == "answered"
    assert result["template"] == "members"


def test_a_system_another_plan_names_as_a_network_is_what_the_city_asked_enumerates(kb):
    # 中医药服务体系 is a network of 赣州's graph; 钦州's plan enumerates its levels (四级中医药服务体系)
    result = ask(kb, "钦州规划的中医药服务体系分为哪几个层级？")
    assert result["status"] == "answered"
    assert texts(result) == ["市", "县区", "镇（街道）", "村（社区）"]
    assert all(s["doc"].startswith("002_") for a in result["answers"] for s in a["sources"])
