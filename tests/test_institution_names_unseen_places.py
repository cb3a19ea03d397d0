# ruff: noqa: E501 - the sentences are quoted as written
"""Institution names in short documents of other places, precision first: tests/data/short-docs holds
nine imaginary documents of the kinds users add (a county 医共体 work report, a county 120 network
plan, a provincial 专科联盟 founding notice with a member table, a municipal work report, a city's news
item about a consortium; two more, a provincial notice and a county report, kept aside and only
scored). Each was written in official style with what such documents carry besides institutions
(committees, offices, societies, companies, platforms, projects, meetings, departments, titles of
people, contacts) and its reader's expectation (expected.json) written before any rule was changed.

Read by the rules unchanged, the five tuned ones gave recall 0.88, precision 0.96 (70/80, 70/73); the
classes of error found, each fixed at its cause in kg/pipeline/institutions.py or its rules file:
towns whose names hold 家, 镇 or 市 (郭家坝镇, 沙镇溪镇, 西市街道); 急救站点 (sites) read as a station;
a campus named across 新 (荆北新区院区); 县医院城西院区 (a named campus makes 县医院 the county's
hospital); a university's school (华中科技大学同济医学院附属同济医院); a station named by two characters
of its own on its host (茅坪急救站); 红河州 for 红河哈尼族彝族自治州; long autonomous counties
(威宁彝族回族苗族自治县); province-run institutions of other provinces placed in the document's city
(and missing from `kg facts`, their city having no region node). `python tests/tools/score_short_docs.py`
prints the figures. Two more tuned ones written after those fixes (a provincial notice as a PDF gives
it, with page marks, a title broken over two lines and a member table one cell a line; a municipal
report as a web page gives it) were read at recall 0.97, precision 1.00 (35/36): 十堰市太和医院 was
missed (和 inside a name's own words).

Six more (a provincial alliance's notice with a tab-separated member table and a role column, a county
医共体 report with 总院/分院 and 村卫生室, a prefecture 120 notice with stations 设在 hospitals, a municipal
work report full of programme phrases; a hospital news item and a township notice kept report-only), with
relations and roles in expected.json, were read by the rules unchanged at recall 0.96, precision 0.97
(209/218, 211/217) on the four tuned ones. Classes of error, each fixed at its cause: a county upgraded to
a city after the gazetteer's date (射洪市) read as the document's 市 (成都市人民医院); a town named 与儿街
after 、; a preposition and a count swallowed into a consortium or a unit (…中心向两个医共体, …下设5个城区
急救站); stations named by a street at their clause's start (建设路急救站设在X医院); the county's programme
(霍山县紧密型县域医共体) as a consortium; 四川省医学科学院·四川省人民医院 as two bodies; a sign naming a
township centre a branch (加挂…分院牌子) as another body; 南京鼓楼医院 (a city's short name, and 鼓 of 鼓励
a stop character); school-run hospitals placed in the document's city though their member-table row names
theirs (and, in another sentence of the same document, a second node of the same name).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import facts_of_file

from kg.facts import institution_facts
from kg.gazetteer import Gazetteer
from kg.pipeline.institutions import InstitutionRecognizer, load_rules
from kg.store import open_store
from kg.vocab import load_vocabulary

DOCS = Path(__file__).parent / "data" / "short-docs"
EXPECTED = json.loads((DOCS / "expected.json").read_text(encoding="utf-8"))
TUNED = [f for f, d in EXPECTED.items() if d["tuned"]]

# what the rules still miss or misplace on the tuned documents (universities named by no place, whose
# city no gazetteer gives; one of the document's province placed by the document): listed so that a
# change is seen either way
KNOWN_MISSES: set[str] = set()
# names found that the reader did not expect, left as they are (表1 松阳县医共体组成情况, a table's title,
# names the county's consortia as one)
KNOWN_WRONG = {"松阳县医共体"}
KNOWN_MISPLACED = {"福建医科大学附属协和医院", "复旦大学附属儿科医院", "首都医科大学附属北京儿童医院",
                   "华中科技大学同济医学院附属同济医院", "广西中医药大学第一附属医院", "安徽医科大学第一附属医院",
                   # right county (510922), named by the gazetteer's older name 射洪县
                   "射洪市人民医院"}


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> list[dict]:
    from conftest import build_documents

    docs = [{**doc, "file": file, "text": (DOCS / file).read_text(encoding="utf-8")} for file, doc in EXPECTED.items()]
    data = build_documents(tmp_path_factory.mktemp("unseen-places"), docs)
    return list(institution_facts(open_store(data)))


def _reading(file: str, found: dict[str, dict]) -> dict[str, dict]:
    """The expected name each found institution is (by its name or an alias), None for others."""
    doc = EXPECTED[file]
    alias_of = {a: n for n, names in doc["aliases"].items() for a in names}
    out = {}
    for name, fact in found.items():
        for written in (name, *fact["aliases"]):
            if written in doc["expected"] or written in alias_of:
                out[name] = doc["expected"].get(written) and written or alias_of[written]
                break
        else:
            out[name] = None
    return out


@pytest.mark.parametrize("file", TUNED)
def test_every_expected_institution_is_found(facts, file):
    found = set(_reading(file, facts_of_file(facts, file)).values())
    assert set(EXPECTED[file]["expected"]) - found - KNOWN_MISSES == set()
    assert KNOWN_MISSES & set(EXPECTED[file]["expected"]) & found == set()


@pytest.mark.parametrize("file", TUNED)
def test_nothing_else_is_an_institution(facts, file):
    reading = _reading(file, facts_of_file(facts, file))
    wrong = {n for n, r in reading.items() if r is None and n not in EXPECTED[file]["neutral"]}
    assert wrong - KNOWN_WRONG == set()
    assert set(reading) & set(EXPECTED[file]["not"]) == set()


@pytest.mark.parametrize("file", TUNED)
def test_each_in_its_city_and_county(facts, file):
    found = facts_of_file(facts, file)
    for name, expected in _reading(file, found).items():
        if expected is None or expected in KNOWN_MISPLACED:
            continue
        place = EXPECTED[file]["expected"][expected]
        assert [found[name]["city"], found[name]["county"]] == place, name


@pytest.mark.parametrize("file", TUNED)
def test_campuses_branches_and_laboratories_have_their_parent(facts, file):
    found = facts_of_file(facts, file)
    for unit, parent in EXPECTED[file]["parents"].items():
        assert found[unit]["parent"] == parent


def test_other_provinces_hospitals_stand_in_their_province(facts):
    found = facts_of_file(facts, "yunnan-alliance.txt")
    assert found["重庆医科大学附属儿童医院"]["city"] == "重庆市"
    found = facts_of_file(facts, "shangrao-news.txt")
    assert (found["江西省人民医院"]["city"], found["江西省人民医院"]["level"]) == ("南昌市", "省/自治区办")


@pytest.fixture(scope="module")
def recognise():
    gaz = Gazetteer.load()
    rec = InstitutionRecognizer(load_vocabulary(), gaz, load_rules())

    def run(text: str, city: str, county: str | None = None) -> set[str]:
        return {m.name for m in rec(text, gaz.resolve(city), county=gaz.resolve(county) if county else None)
                if m.named}

    return run


# what must never become an institution, each phenomenon in two wordings (one from a plan of the corpus
# where the plans have it): organs of government and their offices, societies and associations,
# insurance bodies, software and platforms, sites, committees of consortia, verbs before a unit or a
# consortium
NEGATIVE = [
    ("湖北省医院协会、荆州市医院管理协会换届。", "荆州市", None, {"湖北省医院", "荆州市医院"}),
    ("中国医院协会年会在广西壮族自治区医院协会协办下召开。", "南宁市", None, {"广西壮族自治区医院"}),
    ("荆州市医院管理系统上线。", "荆州市", None, {"荆州市医院"}),
    ("市医疗保障事业管理中心、荆州市医疗保险基金管理中心开展稽核。", "荆州市", None,
     {"荆州市医疗保障事业管理中心", "荆州市医疗保险基金管理中心"}),
    ("县医保基金管理中心开展检查。", "宜昌市", "秭归县", {"秭归县医保基金管理中心"}),
    ("市食品药品稽查支队、县医疗保障基金监管大队开展检查。", "三明市", "尤溪县", {"三明市食品药品稽查支队", "尤溪县医疗保障基金监管大队"}),
    ("附件：1.秭归县急救站点一览表", "宜昌市", "秭归县", {"秭归县急救站"}),
    ("合理布局院前急救站点，柳城县急救站点达到5个。", "柳州市", None, {"柳城县急救站"}),
    ("成立永新县医共体管理委员会，办公室设在县卫健委。", "吉安市", "永新县", {"永新县医共体"}),
    ("成立平南县医共体建设领导小组。", "贵港市", "平南县", {"平南县医共体"}),
    ("将永新县第二人民医院纳入医共体统一管理。", "吉安市", "永新县", {"永新县第二人民医院纳入医共体"}),
    ("平南县第三人民医院加入医共体。", "贵港市", "平南县", {"平南县第三人民医院加入医共体"}),
    ("埠前镇卫生院开设中医馆，石龙镇卫生院增设国医堂。", "吉安市", "永新县",
     {"埠前镇卫生院开设中医馆", "石龙镇卫生院增设国医堂"}),
    ("支持藤县人民医院升级为三级综合医院以及推进新院区建设。", "梧州市", None, {"藤县人民医院进新院区", "藤县人民医院新院区"}),
    ("荆州市妇幼保健院新院区开诊运行。", "荆州市", None, {"荆州市妇幼保健院新院区"}),
    ("全县共有两家乡镇卫生院，15家乡镇卫生院完成改造。", "宜昌市", "秭归县", {"两家乡镇卫生院", "家乡镇卫生院"}),
    ("城市街道社区卫生服务中心和农村乡镇卫生院。", "荆州市", None, {"城市街道社区卫生服务中心"}),
    ("昆明医科大学第一附属医院院士工作站、曲靖市第一人民医院博士后科研工作站挂牌。", "昆明市", None,
     {"昆明医科大学第一附属医院院士工作站", "曲靖市第一人民医院博士后科研工作站"}),
    ("钦州市第一人民医院专家工作站、钦州市中医医院名中医工作室建成。", "钦州市", None,
     {"钦州市第一人民医院专家工作站", "钦州市中医医院名中医工作室"}),
    # a preposition and what it governs after a name (…中心向两个医共体派驻…)
    ("霍山县疾病预防控制中心向两个医共体派驻公共卫生专员。", "六安市", "霍山县", {"霍山县疾病预防控制中心向两个医共体"}),
    ("县人民医院向各医共体成员单位派驻专家。", "宜昌市", "秭归县", {"秭归县人民医院向各医共体"}),
    # 下设/设有 and a count of units: the units are a kind, no name
    ("天水市急救中心下设5个城区急救站。", "天水市", None, {"天水市急救中心下设5个城区急救站", "天水市急救中心下设5个城区"}),
    ("县人民医院设有3个院区。", "三明市", "尤溪县", {"尤溪县人民医院设有3个院区"}),
    # the county's programme of consortia (the national programme's words only) is no consortium
    ("霍山县紧密型县域医共体2023年度工作报告", "六安市", "霍山县", {"霍山县紧密型县域医共体"}),
    ("持续推进永新县县域医共体建设。", "吉安市", "永新县", {"永新县县域医共体"}),
    # a place the gazetteer does not know, in a member list: its 市 is not the document's city
    ("3\t龙港市人民医院\t温州市", "杭州市", None, {"杭州市人民医院"}),
    ("、龙港市中医院、", "温州市", None, {"温州市中医院"}),
    ("31龙港市人民医院温州市理事单位", "温州市", None, {"温州市人民医院"}),  # a numbered row as read, cells joined
]


@pytest.mark.parametrize("text,city,county,never", NEGATIVE)
def test_negative_phrases_are_no_institutions(recognise, text, city, county, never):
    assert recognise(text, city, county) & never == set()


@pytest.mark.parametrize("text,city,county,names", [
    # towns whose own names hold 家, 镇, 市 after their first character
    ("郭家坝镇中心卫生院急救站与宜昌市第一人民医院建立协作。", "宜昌市", "秭归县", {"郭家坝镇中心卫生院", "郭家坝镇中心卫生院急救站", "宜昌市第一人民医院"}),
    ("张家湾镇卫生院、沙镇溪镇中心卫生院设立急救点。", "宜昌市", "秭归县", {"张家湾镇卫生院", "沙镇溪镇中心卫生院"}),
    ("北门街道社区卫生服务中心、西市街道社区卫生服务中心加入集团。", "上饶市", None,
     {"北门街道社区卫生服务中心", "西市街道社区卫生服务中心"}),
    # a campus named across 新; a named campus makes 县医院 the county's hospital
    ("荆州市中心医院荆北新区院区一期主体完工。", "荆州市", None, {"荆州市中心医院", "荆州市中心医院荆北新区院区"}),
    ("南宁市第一人民医院五象新区院区开诊。", "南宁市", None, {"南宁市第一人民医院", "南宁市第一人民医院五象新区院区"}),
    ("县医院城西院区于6月投入使用。", "三明市", "尤溪县", {"尤溪县医院", "尤溪县医院城西院区"}),
    ("县医院石桥分院建设。", "梧州市", "苍梧县", {"苍梧县医院", "苍梧县医院石桥分院"}),
    # a university's school before 附属
    ("与华中科技大学同济医学院附属同济医院合作。", "荆州市", None, {"华中科技大学同济医学院附属同济医院"}),
    ("中南大学湘雅医学院附属海口医院派驻专家。", "海口市", None, {"中南大学湘雅医学院附属海口医院"}),
    # a station named by its own two characters on its host
    ("依托县人民医院茅坪院区设立茅坪急救站。", "宜昌市", "秭归县", {"秭归县人民医院", "秭归县人民医院茅坪院区", "茅坪急救站"}),
    ("依托柳州市人民医院设立城中急救站。", "柳州市", None, {"柳州市人民医院", "城中急救站"}),
    # 和 inside a name's own words (太和, 协和, 和平), not only between two names
    ("十堰市太和医院、武汉市和平医院加入联盟。", "武汉市", None, {"十堰市太和医院", "武汉市和平医院"}),
    ("福州市协和医院和福州市第一医院。", "福州市", None, {"福州市协和医院", "福州市第一医院"}),
    # the 卫生监督所 of many places is now a 卫生健康综合监督执法大队/支队
    ("县卫生健康综合监督执法大队开展专项检查42次。", "三明市", "尤溪县", {"尤溪县卫生健康综合监督执法大队"}),
    ("荆州市卫生健康综合监督执法支队开展“蓝盾”行动。", "荆州市", None, {"荆州市卫生健康综合监督执法支队"}),
    # municipalities' hospitals named by the short name (and placed there)
    ("与北京协和医院、上海长征医院合作。", "昆明市", None, {"北京协和医院", "上海长征医院"}),
    ("邀请北京天坛医院专家坐诊。", "上饶市", None, {"北京天坛医院"}),
    # no conjunction follows 、: a town named 与儿街, 和溪
    ("成员单位包括但家庙镇卫生院、与儿街镇卫生院等8家乡镇卫生院", "六安市", "霍山县", {"但家庙镇卫生院", "与儿街镇卫生院"}),
    ("龙山镇卫生院、和溪镇卫生院加入医共体。", "漳州市", "南靖县", {"龙山镇卫生院", "和溪镇卫生院"}),
    # a county upgraded to a city after the gazetteer's date (射洪县 → 射洪市)
    ("31\t射洪市人民医院\t遂宁市\t理事单位", "成都市", None, {"射洪市人民医院"}),
    ("与蓬溪市中医医院合作。", "遂宁市", None, {"蓬溪市中医医院"}),
    # ...but after a sentence's opening word the short form is the document's city
    ("同时市人民医院牵头组建医联体。", "温州市", None, {"温州市人民医院"}),
    # a city's short name opening a hospital's name, as 北京协和医院 (南京鼓楼医院: 鼓 is no stop character)
    ("南京鼓楼医院与淮安市第一人民医院合作共建心血管专科联盟。", "淮安市", None, {"南京鼓楼医院", "淮安市第一人民医院"}),
    ("邀请苏州九龙医院、广州华侨医院专家坐诊。", "上饶市", None, {"苏州九龙医院", "广州华侨医院"}),
    # a station named by a street at its clause's start and set up on a named host
    ("下设5个城区急救站：建设路急救站设在天水市第一人民医院，七里墩急救站设在天水市第四人民医院。", "天水市", None,
     {"建设路急救站", "天水市第一人民医院", "七里墩急救站", "天水市第四人民医院"}),
    ("，城北急救站设于柳州市工人医院，藉河急救站依托天水市妇幼保健院设置。", "柳州市", None,
     {"城北急救站", "柳州市工人医院", "藉河急救站", "天水市妇幼保健院"}),
    # a town of the gazetteer's towns' table whose own name holds a boundary or kind character (村, the
    # verb 新建): read whole in its city's documents
    ("王村口镇卫生院、安民乡卫生院加入医共体。", "丽水市", "遂昌县", {"王村口镇卫生院", "安民乡卫生院"}),
    ("依托缙云县新建镇中心卫生院设立急救站点。", "丽水市", None, {"缙云县新建镇中心卫生院"}),
    ("推动新建镇卫生院与市人民医院组建医共体。", "无锡市", "宜兴市", {"新建镇卫生院", "宜兴市人民医院"}),
    # ...but only there: 新建 stays a verb where the city has no such town
    ("新建镇卫生院3所。", "南昌市", "新建区", set()),
    # short and long names of autonomous prefectures and counties
    ("红河州第一人民医院、黔东南州人民医院、威宁彝族回族苗族自治县人民医院。", "昆明市", None,
     {"红河州第一人民医院", "黔东南州人民医院", "威宁彝族回族苗族自治县人民医院"}),
])
def test_names_found_whole(recognise, text, city, county, names):
    assert recognise(text, city, county) == names


@pytest.mark.parametrize("text,city,name,seat", [
    ("江西省人民医院专家到会祝贺。", "上饶市", "江西省人民医院", "南昌市"),
    ("与福建省立医院签订帮扶协议。", "三明市", "福建省立医院", "福州市"),
    ("与四川省人民医院合作。", "昆明市", "四川省人民医院", "成都市"),
    ("与上海市第一人民医院合作。", "昆明市", "上海市第一人民医院", "上海市"),
    ("重庆医科大学附属儿童医院为技术指导单位。", "昆明市", "重庆医科大学附属儿童医院", "重庆市"),
    ("与北京协和医院合作。", "昆明市", "北京协和医院", "北京市"),
    # a name of its own after the document's province: still the province's, in its seat
    ("与湖北省荣军医院签订康复协作协议。", "宜昌市", "湖北省荣军医院", "武汉市"),
    ("贵州省荣誉军人康复医院派驻专家到县人民医院。", "遵义市", "贵州省荣誉军人康复医院", "贵阳市"),
    # ...but one named by a part of the province (its one-character name and a direction) is placed by
    # the document, and so is a university of the document's province (广西科技大学 stands in 柳州)
    ("广西壮族自治区桂东人民医院。", "梧州市", "广西壮族自治区桂东人民医院", "梧州市"),
    ("广东省粤北人民医院牵头组建专科联盟。", "韶关市", "广东省粤北人民医院", "韶关市"),
    ("广西科技大学第一附属医院。", "柳州市", "广西科技大学第一附属医院", "柳州市"),
])
def test_province_run_institutions_stand_in_their_seat(text, city, name, seat):
    gaz = Gazetteer.load()
    rec = InstitutionRecognizer(load_vocabulary(), gaz, load_rules())
    found = {m.name: m.city for m in rec(text, gaz.resolve(city)) if m.named}
    assert gaz.get(found[name]).name == seat


def test_no_corpus_institution_is_an_organ_a_society_a_company_or_a_platform(institutions):
    # (钦州市卫生健康项目服务中心 is a centre, not a project: 项目 only ends no name)
    organ_words = ("委员会", "办公室", "学会", "协会", "公司", "平台", "系统", "会议", "领导小组", "医保")
    assert [n for n in institutions if any(w in n for w in organ_words) or n.endswith(("项目", "工程"))] == []


@pytest.mark.parametrize("text,city,county,alias,main", [
    # two names joined by a middle dot: one body, known by the second (its hospital)
    ("以四川省医学科学院·四川省人民医院为副理事长单位。", "成都市", None, "四川省医学科学院", "四川省人民医院"),
    ("甘肃省医学科学研究院·甘肃省肿瘤医院牵头。", "兰州市", None, "甘肃省医学科学研究院", "甘肃省肿瘤医院"),
    # a sign hung on a township centre naming it a branch of the county hospital
    ("佛子岭镇中心卫生院加挂霍山县总医院佛子岭分院牌子。", "六安市", "霍山县", "霍山县总医院佛子岭分院", "佛子岭镇中心卫生院"),
    ("皂市镇卫生院挂县人民医院皂市分院牌子。", "常德市", "石门县", "石门县人民医院皂市分院", "皂市镇卫生院"),
])
def test_joined_names_and_branch_signs_are_aliases(text, city, county, alias, main):
    gaz = Gazetteer.load()
    found = {m.name: m for m in InstitutionRecognizer(load_vocabulary(), gaz, load_rules())(
        text, gaz.resolve(city), county=gaz.resolve(county) if county else None) if m.named}
    assert found[alias].alias_of == found[main].key


@pytest.mark.parametrize("text,name,city", [
    # a member table's row (read without its cell breaks) places a school-run hospital in its city cell
    ("3西南医科大学附属医院泸州市副理事长单位", "西南医科大学附属医院", "510500"),
    ("4川北医学院附属医院南充市", "川北医学院附属医院", "511300"),
])
def test_member_rows_place_school_hospitals(text, name, city):
    gaz = Gazetteer.load()
    found = {m.name: m for m in InstitutionRecognizer(load_vocabulary(), gaz, load_rules())(text, gaz.resolve("成都市"))}
    assert found[name].city == city


SHORT_FORMS = [
    {"file": "yibin.txt", "city": "宜宾市", "province": "四川省", "title": "宜宾市医联体工作简报",
     "text": "宜宾市医联体工作简报\n\n宜宾市第一人民医院牵头组建城市医疗集团。市一医院派驻专家12名到南溪区人民医院，市二医院与翠屏区人民医院开展合作。宜宾市第二人民医院新院区开诊。\n"},
    {"file": "pingnan.txt", "city": "贵港市", "province": "广西壮族自治区", "county": "平南县", "title": "平南县医共体工作汇报",
     "text": "平南县医共体工作汇报\n\n平南县第一人民医院与大安镇卫生院实行一体化管理。县一医院选派业务骨干到镇卫生院任职。\n"},
]


@pytest.fixture(scope="module")
def short_form_facts(tmp_path_factory) -> list[dict]:
    from conftest import build_documents

    return list(institution_facts(open_store(build_documents(tmp_path_factory.mktemp("short-forms"), SHORT_FORMS))))


@pytest.mark.parametrize("file,full,short", [
    ("yibin.txt", "宜宾市第一人民医院", "市一医院"),
    ("yibin.txt", "宜宾市第二人民医院", "市二医院"),
    ("pingnan.txt", "平南县第一人民医院", "县一医院"),
])
def test_numbered_short_forms_are_aliases_of_the_full_name(short_form_facts, file, full, short):
    found = facts_of_file(short_form_facts, file)
    assert short in found[full]["aliases"]
    assert not any(n.endswith(short[1:]) for n in found)  # no second node under the short form


@pytest.mark.parametrize("text,city,county,names", [
    # a centre created on a host and opening with 县/市 alone is the county's or the city's own, by its full name
    ("依托县中医院设立县中医药适宜技术推广中心，负责全县培训。", "丽水市", "松阳县", {"松阳县中医院", "松阳县中医药适宜技术推广中心"}),
    ("依托县人民医院成立县医学检验共享中心。", "吉安市", "永新县", {"永新县人民医院", "永新县医学检验共享中心"}),
    ("依托市中医医院建设市中医药适宜技术推广中心。", "钦州市", None, {"钦州市中医医院", "钦州市中医药适宜技术推广中心"}),
    # ...and so is such a centre named by the work it does (推广, a verb) standing alone
    ("县中医药适宜技术推广中心全年开展培训12期。", "丽水市", "松阳县", {"松阳县中医药适宜技术推广中心"}),
    ("市卫生适宜技术推广中心组织基层医生进修。", "吉安市", None, {"吉安市卫生适宜技术推广中心"}),
])
def test_own_region_short_forms_of_hosted_centres_are_expanded(recognise, text, city, county, names):
    assert recognise(text, city, county) == names


@pytest.mark.parametrize("text,city,county,never", [
    # ...never a word of class or scope opening with 县/市 (县域, 县乡, 县级, 市县): no county's own centre
    ("依托县人民医院建设县域医学影像中心。", "吉安市", "永新县", {"永新县域医学影像中心"}),
    ("依托县人民医院建设县乡一体化管理中心。", "吉安市", "永新县", {"永新县乡一体化管理中心"}),
    ("依托市人民医院建设市县两级远程会诊中心。", "钦州市", None, {"钦州市县两级远程会诊中心"}),
    # (推广 in a body's own words only: 在县推广医院管理经验 names no hospital)
    ("在县推广医院管理经验。", "吉安市", "永新县", {"永新县推广医院"}),
])
def test_scope_words_of_hosted_centres_are_not_expanded(recognise, text, city, county, never):
    assert recognise(text, city, county) & never == set()
