"""Named institutions in the graph built from the real plans: names, kinds, levels, places, aliases."""

from __future__ import annotations

import pytest

from kg.gazetteer import Gazetteer
from kg.pipeline.institutions import InstitutionRecognizer, load_rules
from kg.vocab import load_vocabulary


@pytest.fixture(scope="module")
def recognise():
    gaz = Gazetteer.load()
    rec = InstitutionRecognizer(load_vocabulary(), gaz, load_rules())

    def run(text: str, city: str = "钦州市", truncated: bool = False):
        return rec(text, gaz.resolve(city), truncated)

    return run


@pytest.mark.parametrize("name, kind, level, city, county", [
    ("钦州市第二人民医院", "综合医院", "市办", "钦州市", None),
    ("钦州市精神病医院", "精神病医院", "市办", "钦州市", None),
    ("钦州市疾病预防控制中心", "疾病预防控制中心", "市办", "钦州市", None),
    ("钦州市中心血站", "中心血站", "市办", "钦州市", None),
    ("钦州市卫生学校", "医学教育机构", "市办", "钦州市", None),
    ("灵山县第二人民医院", "综合医院", "县办", "钦州市", "灵山县"),
    ("钦南区中医医院", "中医医院", "区办", "钦州市", "钦南区"),
    ("梧州市红十字会医院", "综合医院", "市办", "梧州市", None),
    ("梧州市中西医结合医院", "中西医结合医院", "市办", "梧州市", None),
    ("广西壮族自治区桂东人民医院", "综合医院", "省/自治区办", "梧州市", None),
    ("藤县人民医院", "综合医院", "县办", "梧州市", "藤县"),
    ("岑溪市第三人民医院", "综合医院", "县办", "梧州市", "岑溪市"),
    ("龙圩区妇幼保健院", "妇幼保健院", "区办", "梧州市", "龙圩区"),
])
def test_named_institution_with_kind_level_and_place(institutions, name, kind, level, city, county):
    fact = institutions[name]
    assert (fact["kind"], fact["level"], fact["city"], fact["county"]) == (kind, level, city, county)


def test_counts_per_city(institutions):
    per_city: dict[str, int] = {}
    for fact in institutions.values():
        per_city[fact["city"]] = per_city.get(fact["city"], 0) + 1
    # 钦州: 30 hospitals and centres, 2 universities and a research institute, 3 other named bodies, 2 campuses and
    # a school campus, 3 blood donation sites, 5 centres created on hospitals, 2 county consortia, 1 industrial park
    assert per_city == {"梧州市": 33, "钦州市": 49, "赣州市": 3}


def test_parenthesised_second_name_is_an_alias(institutions):
    assert "钦州市职业病防治院" in institutions["钦州市第二人民医院"]["aliases"]
    assert "钦州市职业病防治院" not in institutions
    assert "钦州市心理卫生中心" in institutions["钦州市精神病医院"]["aliases"]


def test_short_forms_resolve_to_the_plans_city(institutions):
    assert "市人民医院" in institutions["梧州市人民医院"]["aliases"]
    assert "市中西医结合医院" in institutions["梧州市中西医结合医院"]["aliases"]
    # 赣州's plan only ever says 市疾控中心 / 市中医院
    assert institutions["赣州市疾控中心"]["aliases"] == ["市疾控中心"]
    assert institutions["赣州市中医院"]["kind"] == "中医医院"


def test_coordinated_places_share_the_name(institutions):
    for name in ("灵山县精神病医院", "浦北县精神病医院", "钦南区精神病医院", "钦北区精神病医院"):
        assert institutions[name]["kind"] == "精神病医院"
    for county in ("万秀区", "长洲区", "龙圩区", "苍梧县", "岑溪市", "藤县"):
        fact = institutions[f"{county}疾病预防控制中心"]
        assert fact["county"] == county and fact["aliases"] == []


def test_planned_institutions_are_flagged(institutions):
    assert institutions["万秀区疾病预防控制中心"]["planned"] is True  # 规划新建万秀区、长洲区疾病预防控制中心
    assert institutions["梧州市人民医院"]["planned"] is False


def test_generic_mentions_are_not_institutions(institutions):
    for generic in ("县级医院", "乡镇卫生院", "村卫生室", "县区疾病预防控制中心", "市直医院", "县办医院", "综合医院",
                    "三级医院", "社区卫生服务中心", "市级三级综合医院", "县区妇幼保健院", "全市三级医院"):
        assert generic not in institutions
    # a short form (县…, 市…) always becomes the full name; 区域… is a word, not the short form 区
    assert not [n for n in institutions if n.startswith(("县", "市", "区", "全市", "各")) and not n.startswith("区域")]


def test_every_institution_cites_an_exact_quote(institutions, plans):
    by_file = {p.meta.file: p for p in plans.values()}
    for fact in institutions.values():
        assert fact["sources"], fact["name"]
        for src in fact["sources"]:
            assert by_file[src["doc"]].text[src["start"]:src["end"]] == src["quote"]


def test_recogniser_on_sentences(recognise):
    found = recognise("支持钦州市精神卫生福利医院，钦南区、钦北区精神病医院新建项目。")
    assert [(m.name, m.named, m.planned) for m in found] == [
        ("钦州市精神卫生福利医院", True, False), ("钦南区精神病医院", True, True), ("钦北区精神病医院", True, True)]
    kinds = recognise("县级医院为龙头、乡镇卫生院为枢纽、村卫生室为基础")
    assert [(m.surface, m.named) for m in kinds] == [("县级医院", False), ("乡镇卫生院", False), ("村卫生室", False)]
    assert kinds[0].level.endswith("level/county")


def test_cut_line_does_not_make_half_names(recognise):
    text = "设置6家县直综合医院，分别是灵山县人民医院、灵山县第二人民医院、浦北县人民医"
    assert [m.name for m in recognise(text, truncated=True) if m.named] == ["灵山县人民医院", "灵山县第二人民医院"]


def test_new_city_needs_no_code_change(recognise):
    found = recognise("支持柳州市工人医院、融安县人民医院创建三级医院，规划新建柳江区妇幼保健院。", city="柳州市")
    assert [(m.name, m.county is not None, m.planned) for m in found if m.named] == [
        ("柳州市工人医院", False, False), ("融安县人民医院", True, False), ("柳江区妇幼保健院", True, True)]


def test_zone_and_port_names_of_the_city(institutions):
    # 自贸区钦州港片区, 钦州港: development zones / ports, no gazetteer divisions; run like a district
    for name, kind in (("自贸区钦州港片区卫生计生监督所", "卫生监督所"), ("钦州港急救站", "急救站")):
        fact = institutions[name]
        assert (fact["kind"], fact["level"], fact["city"], fact["county"]) == (kind, "区办", "钦州市", None)


def test_universities_named_in_a_plan(institutions):
    # 支持钦州市中医医院与广西中医药大学、北部湾大学等高等院校合作
    for name in ("广西中医药大学", "北部湾大学"):
        fact = institutions[name]
        assert (fact["kind"], fact["level"], fact["city"]) == ("医学教育机构", "省/自治区办", "钦州市")
    assert not any(n.endswith("医学院") for n in institutions)  # 共建医学院: no name


def test_zone_needs_the_city_name(recognise):
    names = [m.name for m in recognise("建设钦州港急救站和五象新区急救站", "钦州市") if m.named]
    assert names == ["钦州港急救站"]  # 五象新区 carries no name of 钦州
    names = [m.name for m in recognise("建设南宁五象新区人民医院", "南宁市") if m.named]
    assert names == ["南宁五象新区人民医院"]


def test_university_and_affiliated_hospital(recognise):
    found = {m.name: m for m in recognise("依托广西医科大学第一附属医院，联合右江民族医学院共建中心", "百色市")}
    assert set(found) == {"广西医科大学第一附属医院", "右江民族医学院"}
    assert found["广西医科大学第一附属医院"].kind.endswith("#GeneralHospital")
    assert found["右江民族医学院"].kind.endswith("#MedicalEducationInstitution")
    # generic words only: no university name
    assert [m.name for m in recognise("推动与高等院校共建医学院", "百色市") if m.named] == []


def test_units_and_their_parents_in_the_graph(institutions):
    # plan 000: the sites of 钦州市中心血站 (one named after it, two standing alone: hosted by the city's blood station)
    for name in ("钦州市中心血站站内机采血小板献血点", "钦州湾广场献血点", "灵山县献血点"):
        assert (institutions[name]["kind"], institutions[name]["parent"]) == ("献血点", "钦州市中心血站")
    assert institutions["钦州市第二人民医院白石湖院区"]["parent"] == "钦州市第二人民医院"
    assert institutions["钦州市卫生学校第二校区"]["kind"] == "院区"
    branch = institutions["苍梧县人民医院石桥分院"]
    assert (branch["kind"], branch["county"], branch["parent"]) == ("分院", "苍梧县", "苍梧县人民医院")
    assert institutions["广西北部湾沿海中医医疗中心"]["parent"] == "钦州市中医医院"
    assert institutions["梧州市人民医院"]["parent"] is None


def test_a_documents_county_is_read_and_checked(tmp_path):
    import json

    from kg.build import build_quads

    text = "以县人民医院为龙头，联合石塘镇卫生院组建医共体。\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    meta = [{"file": "a.txt", "city": "柳州市", "province": "广西壮族自治区", "title": "a", "county": "融安县"},
            {"file": "b.txt", "city": "柳州市", "province": "广西壮族自治区", "title": "b", "county": "灵山县"}]
    (tmp_path / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    writer, report = build_quads(tmp_path)
    labels = {q.object.value for q in writer.quads if q.predicate.value.endswith("#prefLabel")}
    assert "融安县人民医院" in labels and "石塘镇卫生院" in labels
    # 灵山县 is no county of 柳州市: said, and the document is read as the city's
    assert report.warnings == ["b.txt: county '灵山县' is not a county of '柳州市' in the gazetteer"]
    assert "灵山县人民医院" not in labels
