# ruff: noqa: E501 - sentences are quoted from the plans as written
"""Names that are names: each rule of the recogniser on sentences of the plans and on realistic rewordings
(other places, other layouts), and the phrases of the plans that must never become an institution."""

from __future__ import annotations

import pytest

from kg.gazetteer import Gazetteer
from kg.pipeline.institutions import InstitutionRecognizer, load_rules
from kg.vocab import HK, load_vocabulary


@pytest.fixture(scope="module")
def recognise():
    gaz = Gazetteer.load()
    rec = InstitutionRecognizer(load_vocabulary(), gaz, load_rules())

    def run(text: str, city: str, county: str | None = None, truncated: bool = False):
        return rec(text, gaz.resolve(city), truncated, county=gaz.resolve(county) if county else None)

    return run


def named(found) -> list[str]:
    return [m.name for m in found if m.named]


def by_name(found) -> dict:
    return {m.name: m for m in found if m.named}


# --- phrases of the plans that are no institution (generic kinds, policy words, fragments) -------------

NOT_INSTITUTIONS = [
    ("003", "赣州市", "鼓励新建或通过转型发展康复医院或护理院，每个县（市、区）设有安宁疗护病区（病床）。"),
    ("002", "钦州市", "加强方舱医院建设和储备，新建的大型公共建筑预留“平急结合”改造空间。"),
    ("002", "钦州市", "加快智慧医院建设，提升医院管理现代化、服务智能化水平。"),
    ("000", "钦州市", "体系构成：妇幼保健体系由市、县区妇幼保健院，医疗机构中的妇产科、儿科业务组成。"),
    ("002", "钦州市", "到2025年，全市居民健康素养水平达到25%，自治区级健康县区比例达到100%，二级以上医院要全部完成健康促进医院创建工作。"),
    ("002", "钦州市", "推进镇卫生院和社区卫生服务中心达到国家综合服务能力基本标准，推动一批镇卫生院建成县域医疗次中心。"),
    ("002", "钦州市", "广西基层医疗卫生机构管理信息系统基本覆盖全市镇卫生院，电子健康卡全面推广应用。"),
    ("002", "钦州市", "政府办镇卫生院和社区卫生服务中心（站）实行“核定任务、核定收支、绩效考核补助”的运行机制。"),
    ("002", "钦州市", "共有11家县区级医院、56个镇卫生院参与了医联体、医共体建设，镇卫生院参与比例达98.25%。"),
    ("002", "钦州市", "依托县级综合医院建设相对独立的传染病区，实现市、县传染病医院或综合医院传染病区全覆盖。"),
    ("002", "钦州市", "“十三五”期间，出台了《钦州市区域医疗联合体建设实施方案》等政策文件。"),
    ("002", "钦州市", "市、县区疾控中心硬件不足、设备陈旧、人才贮备不足等问题依然存在。"),
    ("000", "钦州市", "县直医院负责牵头组建紧密型县域医共体。"),
    ("001", "梧州市", "积极推动乡镇卫生院、社区卫生服务中心进行标准化建设，将有条件的5—7个乡镇卫生院升级为二级医院，建设成为县域医疗次中心。"),
    ("001", "梧州市", "支持岑溪等条件较好的县级妇幼保健机构达到三级标准。"),
    ("001", "梧州市", "鼓励二级及以上公立医院成立住院服务中心，对全院床位资源实行统一管理、统筹调配。"),
    ("001", "梧州市", "县级医院牵头组建紧密型县域医共体。医疗资源较为丰富的市辖区可根据实际决定是否举办区级医院。"),
    ("001", "梧州市", "推动市级医疗健康大数据中心建设，建成为区域健康医疗大数据中心。"),
    ("003", "赣州市", "——县级医院。主要承担县级区域内居民的常见病、多发病诊疗，急危重症抢救与疑难病转诊。"),
    ("003", "赣州市", "依托县域综合医院（含中医医院），规划布局建设相对独立的感染楼或感染性疾病病区。"),
    ("003", "赣州市", "市、县医院要持续深入开展卫生人才双向交流和医师多点注册。"),
    ("003", "赣州市", "积极发展以“县级医院为龙头、乡镇卫生院为枢纽、村卫生室为基础”的县乡一体化管理的紧密型县域医共体。"),
    ("002", "钦州市", "到2025年，100%的社区卫生服务中心和镇卫生院建成中医综合服务区（中医馆）。"),
    ("002", "钦州市", "加快建设钦州市医疗废弃物集中处置设施；实施食品安全标准引领工程。"),
]


@pytest.mark.parametrize("plan, city, text", NOT_INSTITUTIONS, ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(NOT_INSTITUTIONS)])
def test_phrases_of_the_plans_that_are_no_institution(recognise, plan, city, text):
    assert named(recognise(text, city)) == []


def test_the_same_phrases_in_a_county_document_stay_kinds(recognise):
    # 县级/县域 are no short form of the county, nor 乡镇卫生院 a town
    found = recognise("长安镇中心卫生院建成县域医疗次中心，深化乡镇卫生院与村卫生室一体化管理，加强县级医院急诊科建设。",
                      "柳州市", county="融安县")
    assert named(found) == ["长安镇中心卫生院"]


def test_no_institution_in_the_graph_starts_with_a_verb_or_a_policy_word(institutions):
    rules = load_rules()
    verbs = [w for w in rules["boundary_words"] if len(w) > 1]
    for fact in institutions.values():
        for name in (fact["name"], *fact["aliases"]):
            assert not name.startswith(tuple(verbs)), name
            assert "新建" not in name and "推进" not in name, name


# --- boundaries: a name never takes in the verb or policy word before it --------------------------------

@pytest.mark.parametrize("text, city, expected", [
    # plan 002: 推进 X，Y、Z精神病医院扩建项目
    ("推进钦州市精神病医院，灵山县、浦北县精神病医院扩建项目；支持钦州市精神卫生福利医院，钦南区、钦北区精神病医院新建项目。",
     "钦州市", ["钦州市精神病医院", "浦北县精神病医院", "灵山县精神病医院", "钦州市精神卫生福利医院", "钦南区精神病医院",
              "钦北区精神病医院"]),
    # a provincial notice: 确定 X 为…
    ("经评审，确定福建医科大学附属第一医院、厦门大学附属中山医院为省级区域医疗中心建设单位。", "福建省",
     ["福建医科大学附属第一医院", "厦门大学附属中山医院"]),
    # a county's work plan: 新建 / 深化 before town health centres and a university hospital
    ("新建协和镇卫生院，深化石塘镇中心卫生院改革，引进北部湾大学附属医院专家。", "钦州市",
     ["协和镇卫生院", "石塘镇中心卫生院", "北部湾大学附属医院"]),
])
def test_names_start_after_the_verb(recognise, text, city, expected):
    assert sorted(named(recognise(text, city))) == sorted(expected)


# --- short forms of the document's own regions ----------------------------------------------------------

def test_city_short_form_in_a_city_plan_and_in_a_county_level_city_document(recognise):
    # plan 001 and plan 003 say 市X for their own city's institutions
    assert named(recognise("支持市工人医院、市人民医院加强自治区级重点学科老年病学科建设。", "梧州市")) == \
        ["梧州市工人医院", "梧州市人民医院"]
    assert named(recognise("依托市疾控中心布局区域公共卫生检验检测中心。", "赣州市"))[0] == "赣州市疾控中心"
    # a document about 岑溪市 (a county-level city): 市人民医院 is 岑溪市's
    found = recognise("市人民医院牵头组建医共体，市中医医院参与。", "梧州市", county="岑溪市")
    assert named(found)[:2] == ["岑溪市人民医院", "岑溪市中医医院"]
    assert found[0].county is not None and found[0].level.endswith("level/county")


@pytest.mark.parametrize("text, city, expected", [
    ("由省人民医院牵头，联合省妇幼保健院成立联盟。", "南昌市", ["江西省人民医院", "江西省妇幼保健院"]),
    ("支持自治区人民医院与市人民医院合作共建胸痛中心。", "南宁市", ["广西壮族自治区人民医院", "南宁市人民医院"]),
    ("福建中医药大学附属人民医院与省立医院开展协作。", "福建省", ["福建中医药大学附属人民医院", "福建省立医院"]),
])
def test_province_short_form(recognise, text, city, expected):
    found = recognise(text, city)
    assert named(found) == expected
    short = [m for m in found if m.named and m.surface.startswith(("省", "自治区"))]
    assert short and all(m.level.endswith("level/provincial") for m in short)


def test_county_short_form_only_in_a_county_document(recognise):
    text = "以县人民医院、县中医医院为龙头，县妇幼保健院、县疾病预防控制中心作为技术指导单位。"
    found = recognise(text, "柳州市", county="融安县")
    assert named(found) == ["融安县人民医院", "融安县中医医院", "融安县妇幼保健院", "融安县疾病预防控制中心"]
    assert {m.surface for m in found if m.named} == {"县人民医院", "县中医医院", "县妇幼保健院", "县疾病预防控制中心"}
    # the same words in a city's plan name no institution (which county's?)
    assert named(recognise(text, "柳州市")) == []
    # a document added with its county as the city is a county's document too
    assert named(recognise("新建县急救指挥中心。", "平南县")) == ["平南县急救指挥中心"]
    assert named(recognise("县120急救指挥中心设在县人民医院。", "平南县")) == ["平南县120急救指挥中心", "平南县人民医院"]


# --- towns ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, city, county, expected", [
    ("支持犀牛脚镇卫生院、那丽镇中心卫生院建设县域医疗次中心。", "钦州市", None, ["犀牛脚镇卫生院", "那丽镇中心卫生院"]),
    ("成员包括泗顶镇卫生院、板榄镇中心卫生院、雅瑶乡卫生院及辖区村卫生室。", "柳州市", "融安县",
     ["泗顶镇卫生院", "板榄镇中心卫生院", "雅瑶乡卫生院"]),
    ("联合桃洪镇、六都寨镇、滩头镇等卫生院组建集团，成员单位有荷香桥镇中心卫生院。", "邵阳市", "隆回县",
     ["桃洪镇卫生院", "六都寨镇卫生院", "滩头镇卫生院", "荷香桥镇中心卫生院"]),
    ("推动灵山县陆屋镇中心卫生院、和平镇卫生院提档升级。", "钦州市", None, ["灵山县陆屋镇中心卫生院", "和平镇卫生院"]),
    ("支持民乐镇中心卫生院、沙田镇卫生院、山心镇卫生院建成县域医疗次中心。", "玉林市", None,
     ["民乐镇中心卫生院", "沙田镇卫生院", "山心镇卫生院"]),
])
def test_township_health_centres_are_found_by_structure(recognise, text, city, county, expected):
    found = recognise(text, city, county)
    assert sorted(named(found)) == sorted(expected)
    for m in found:
        if m.named:
            assert m.level.endswith("level/township")
            assert m.kind in (HK + "TownshipHealthCentre", HK + "CentralHealthCentre")


def test_a_town_in_a_county_belongs_to_that_county(recognise):
    found = by_name(recognise("推动灵山县陆屋镇中心卫生院提档升级。", "钦州市"))
    assert found["灵山县陆屋镇中心卫生院"].county == "450721"
    assert by_name(recognise("成员包括泗顶镇卫生院。", "柳州市", "融安县"))["泗顶镇卫生院"].county == "450224"


# --- branches, campuses and facilities ------------------------------------------------------------------

def test_campuses_and_branches_after_their_hospital(recognise):
    found = by_name(recognise("继续推动钦州市第二人民医院白石湖院区、钦州市妇幼保健院茶山院区等项目建设。", "钦州市"))
    campus = found["钦州市第二人民医院白石湖院区"]
    assert campus.kind == HK + "Campus" and campus.parent_key == found["钦州市第二人民医院"].key
    assert found["钦州市妇幼保健院茶山院区"].parent_key == found["钦州市妇幼保健院"].key
    found = by_name(recognise("推进苍梧县人民医院石桥分院、藤县第二人民医院新院区项目。", "梧州市"))
    assert found["苍梧县人民医院石桥分院"].kind == HK + "Branch"
    assert found["苍梧县人民医院石桥分院"].county == "450421"
    assert not any("新院区" in n for n in found)  # a new campus without a name of its own
    found = by_name(recognise("南昌大学附属口腔医院红谷滩分院作为联盟成员单位参与。", "江西省"))
    assert found["南昌大学附属口腔医院红谷滩分院"].parent_key == found["南昌大学附属口腔医院"].key


def test_a_campus_named_alone_belongs_to_the_one_hospital_of_its_row(recognise):
    # plan 001's bed table: the row's hospital, then 北山院区 in the project cell
    found = by_name(recognise("梧州市工人医院810875在建门诊住院综合楼项目，建成后增加床位590张，加上北山院区340张。1740", "梧州市"))
    assert found["梧州市工人医院北山院区"].surface == "北山院区"
    assert found["梧州市工人医院北山院区"].parent_key == found["梧州市工人医院"].key
    found = by_name(recognise("市中医医院涪城院区主体封顶。", "绵阳市"))
    assert found["绵阳市中医医院涪城院区"].parent_key == found["绵阳市中医医院"].key


def test_facilities_with_their_host(recognise):
    text = "设置固定献血点4个（钦州市中心血站站内机采血小板献血点、钦州湾广场献血点、灵山县献血点、浦北县献血点"
    found = by_name(recognise(text, "钦州市", truncated=True))
    assert found["钦州市中心血站站内机采血小板献血点"].parent_key == found["钦州市中心血站"].key
    # a site with a place of its own (the host is found when the graph is built: test_facility_hosts_in_the_graph)
    assert {"钦州湾广场献血点", "灵山县献血点"} <= set(found)
    assert "浦北县献血点" not in found  # the line is cut there
    found = by_name(recognise("全市新增献血点2个，市中心血站右江献血屋正式启用。", "百色市"))
    assert found["百色市中心血站右江献血屋"].kind == HK + "BloodDonationSite"
    found = by_name(recognise("大将镇卫生院国医馆投入使用，岩口镇卫生院国医堂建成示范点。", "柳州市", "融安县"))
    assert found["大将镇卫生院国医馆"].kind == found["岩口镇卫生院国医堂"].kind == HK + "TCMHall"
    found = by_name(recognise("县疾控中心P2实验室投入运行，县人民医院急救站24小时值守。", "邵阳市", "隆回县"))
    assert found["隆回县疾控中心P2实验室"].kind == HK + "Laboratory"
    assert found["隆回县人民医院急救站"].kind == HK + "EmergencyStation"
    assert found["隆回县人民医院急救站"].parent_key == found["隆回县人民医院"].key
    found = by_name(recognise("改造玉林市疾病预防控制中心生物安全二级实验室。", "玉林市"))
    assert found["玉林市疾病预防控制中心生物安全二级实验室"].parent_key == found["玉林市疾病预防控制中心"].key


def test_a_facility_needs_its_own_name(recognise):
    assert named(recognise("在浮石镇卫生院设立急救站。", "柳州市", "融安县")) == ["浮石镇卫生院"]
    assert named(recognise("乡镇卫生院中医馆全覆盖，每个社区卫生服务中心建设中医馆。", "柳州市", "融安县")) == []


def test_centres_created_on_an_institution(recognise):
    # plan 002 and plan 003: 依托 X 创建/布局 Y
    found = by_name(recognise("依托钦州市第一人民医院创建广西北部湾沿海综合医疗中心；依托钦州市精神病医院创建广西北部湾沿海精神卫生中心。",
                              "钦州市"))
    assert found["广西北部湾沿海综合医疗中心"].parent_key == found["钦州市第一人民医院"].key
    assert found["广西北部湾沿海精神卫生中心"].kind == HK + "FunctionalUnit"
    found = by_name(recognise("依托市疾控中心布局区域公共卫生检验检测中心，发挥检验检测资源辐射作用。", "赣州市"))
    assert found["区域公共卫生检验检测中心"].parent_key == found["赣州市疾控中心"].key
    # without a place name, a long enough description is the centre's name
    found = by_name(recognise("依托玉林市中医医院建设桂东南中医药传承创新中心，支持开展协作。", "玉林市"))
    assert found["桂东南中医药传承创新中心"].parent_key == found["玉林市中医医院"].key
    # clinical centres of a hospital are departments, not named centres
    assert named(recognise("依托县人民医院建设胸痛中心、卒中中心。", "贵港市", "平南县")) == ["平南县人民医院"]


# --- universities ---------------------------------------------------------------------------------------

def test_universities_and_their_hospitals(recognise):
    found = by_name(recognise("湖北文理学院附属医院（襄阳市中心医院）与襄阳职业技术学院附属医院开展协作。", "襄阳市"))
    assert set(found) == {"湖北文理学院附属医院", "襄阳市中心医院", "襄阳职业技术学院附属医院"}
    assert found["襄阳市中心医院"].alias_of == found["湖北文理学院附属医院"].key
    found = by_name(recognise("南昌大学附属口腔医院与江西中医药大学附属医院（江西省中医院）合作。", "江西省"))
    assert found["南昌大学附属口腔医院"].kind == HK + "StomatologicalHospital"
    assert found["江西省中医院"].alias_of == found["江西中医药大学附属医院"].key


# --- aliases ----------------------------------------------------------------------------------------------

def test_aliases_in_brackets_on_signs_and_after_ji(recognise):
    found = by_name(recognise("以钦州市第二人民医院（钦州市职业病防治院）牵头，其他综合医院为支撑。", "钦州市"))
    assert found["钦州市职业病防治院"].alias_of == found["钦州市第二人民医院"].key
    found = by_name(recognise("设置钦州市精神病医院（钦州市心理卫生中心）1家；县区精神病医院4家。", "钦州市"))
    assert found["钦州市心理卫生中心"].alias_of == found["钦州市精神病医院"].key
    found = by_name(recognise("县人民医院加挂“融安县医共体总医院”牌子，负责统一管理。", "柳州市", "融安县"))
    assert found["融安县医共体总医院"].alias_of == found["融安县人民医院"].key
    found = by_name(recognise("梧州市第三人民医院，即梧州市传染病医院，作为市级定点收治医院。", "梧州市"))
    assert found["梧州市传染病医院"].alias_of == found["梧州市第三人民医院"].key
    found = by_name(recognise("百色市第二人民医院（原百色市精神病医院）创建三级专科医院。", "百色市"))
    assert found["百色市精神病医院"].alias_of == found["百色市第二人民医院"].key


# --- named bodies and consortia -----------------------------------------------------------------------------

def test_named_bodies_without_a_class_noun(recognise):
    found = by_name(recognise("设置钦州市卫生学校1家，钦州市卫生信息与医学考试中心1家。", "钦州市"))
    assert found["钦州市卫生信息与医学考试中心"].kind == HK + "OtherInstitution"
    found = by_name(recognise("钦州市卫生健康项目服务中心、钦州市计划生育药具管理站等其他市办公立卫生健康机构", "钦州市"))
    assert set(found) == {"钦州市卫生健康项目服务中心", "钦州市计划生育药具管理站"}
    assert "岑溪市精神卫生福利院" in named(recognise("推进岑溪市精神卫生福利院建设项目。", "梧州市"))
    assert by_name(recognise("支持市中医药研究所打造产学研一体化科技合作基地。", "钦州市"))["钦州市中医药研究所"].kind == \
        HK + "MedicalResearchInstitution"
    found = by_name(recognise("建设玉林市急救调度指挥中心和玉林市医疗废物集中处置中心。", "玉林市"))
    assert list(found) == ["玉林市急救调度指挥中心"]  # a waste facility is no health institution
    assert found["玉林市急救调度指挥中心"].kind == HK + "EmergencyCentre"
    # a government department or a platform is no health institution
    assert named(recognise("钦州市卫生计生监督所受钦州市卫生健康委员会的委托。", "钦州市")) == ["钦州市卫生计生监督所"]
    assert named(recognise("推动市域内医疗卫生机构联通广西全民健康信息平台及市级卫生健康信息平台。", "钦州市")) == []


def test_named_consortia(recognise):
    found = by_name(recognise("抓好灵山县国家级紧密型县域医疗共同体、浦北县自治区级紧密型县域医疗共同体的试点建设。", "钦州市"))
    assert set(found) == {"灵山县国家级紧密型县域医疗共同体", "浦北县自治区级紧密型县域医疗共同体"}
    assert found["灵山县国家级紧密型县域医疗共同体"].kind == HK + "CountyMedicalCommunity"
    found = by_name(recognise("县人民医院医共体成员单位包括长安镇中心卫生院。", "柳州市", "融安县"))
    assert "融安县人民医院医共体" in found
    found = by_name(recognise("省肿瘤医院牵头组建福建省肿瘤专科联盟。", "福建省"))
    assert found["福建省肿瘤专科联盟"].kind == HK + "SpecialtyAlliance"
