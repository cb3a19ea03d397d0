"""The administrative-division gazetteer (kg/gazetteer.py, kg/data/regions.csv)."""

from __future__ import annotations

import csv

import pytest

from kg.gazetteer import Gazetteer, Mention, Region, short_names_of

G = Gazetteer.load()


def names(regions):
    return {r.name for r in regions}


# ---------------------------------------------------------------- data


def test_load_is_cached_and_counts_levels():
    assert Gazetteer.load() is G
    levels = {lv: sum(1 for r in G if r.level == lv) for lv in ("province", "city", "county")}
    assert levels["province"] == 34
    assert 330 <= levels["city"] <= 340
    assert 2800 <= levels["county"] <= 2900
    assert len(G) == sum(levels.values())


def test_csv_has_no_placeholders_and_valid_parents():
    from kg.gazetteer import _CSV

    with _CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["code", "name", "level", "parent_code", "province_code", "aliases"]
    codes = {r["code"] for r in rows}
    assert len(codes) == len(rows)
    for r in rows:
        assert len(r["code"]) == 6 and r["code"].isdigit()
        assert r["name"] not in {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
        assert r["level"] in {"province", "city", "county"}
        assert (r["parent_code"] == "") == (r["level"] == "province")
        if r["parent_code"]:
            assert r["parent_code"] in codes
        assert r["province_code"] == r["code"][:2] + "0000"


def test_wuzhou():
    wz = G.get("450400")
    assert wz == Region("450400", "梧州市", "city", "450000", "450000")
    wuzhou_counties = {"万秀区", "长洲区", "龙圩区", "苍梧县", "藤县", "蒙山县", "岑溪市"}
    assert names(G.counties_of("450400")) == wuzhou_counties
    assert G.city_of("450422").code == "450400"
    assert G.province_of("450422").name == "广西壮族自治区"


def test_qinzhou():
    assert G.get("450700").name == "钦州市"
    assert names(G.counties_of("450700")) == {"钦南区", "钦北区", "灵山县", "浦北县"}


def test_ganzhou_after_renames():
    assert G.get("360700").name == "赣州市"
    counties = names(G.counties_of("360700"))
    assert {"章贡区", "南康区", "赣县区", "瑞金市", "龙南市"} <= counties
    assert len(counties) == 18
    assert "赣县" not in counties and "龙南县" not in counties
    assert G.get("360704").name == "赣县区" and G.get("360704").aliases == ("赣县",)
    assert G.get("360783").name == "龙南市" and "龙南县" in G.get("360783").aliases
    assert G.get("360721") is None and G.get("360727") is None


@pytest.mark.parametrize(
    "code,name,old",
    [
        ("450181", "横州市", "横县"),
        ("450381", "荔浦市", "荔浦县"),
        ("451003", "田阳区", "田阳县"),
        ("451082", "平果市", "平果县"),
        ("451203", "宜州区", "宜州市"),
        ("360404", "柴桑区", "九江县"),
        ("361104", "广信区", "上饶县"),
        ("500155", "梁平区", "梁平县"),
    ],
)
def test_later_changes_keep_old_names(code, name, old):
    r = G.get(code)
    assert r.name == name and old in r.aliases
    assert G.by_name(old) == [r]


def test_municipalities_act_as_city():
    bj = G.get("110000")
    assert bj.level == "province"
    chaoyang = G.get("110105")
    assert chaoyang.parent_code == "110000"
    assert G.city_of("110105") == bj
    assert G.city_of("110000") == bj
    assert "朝阳区" in names(G.counties_of("110000"))
    assert G.city_of("500243").code == "500000"  # 彭水 (a 县 of 重庆, cpca's 500200 placeholder)


def test_county_under_province_is_its_own_city():
    xiantao = G.get("429004")
    assert xiantao.parent_code == "420000"
    assert G.city_of("429004") == xiantao
    assert G.city_of("420000") is None  # an ordinary province has no city


def test_children_and_within():
    assert "450400" in {r.code for r in G.children("450000")}
    assert G.is_within("450422", "450000") and G.is_within("450422", "450400")
    assert not G.is_within("450422", "450700")


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name,short",
    [
        ("梧州市", ("梧州",)),
        ("岑溪市", ("岑溪",)),
        ("灵山县", ("灵山",)),
        ("钦南区", ("钦南",)),
        ("广西壮族自治区", ("广西",)),
        ("江西省", ("江西",)),
        ("内蒙古自治区", ("内蒙古",)),
        ("新疆维吾尔自治区", ("新疆",)),
        ("融水苗族自治县", ("融水",)),
        ("龙胜各族自治县", ("龙胜",)),
        ("恩施土家族苗族自治州", ("恩施",)),
        ("长白朝鲜族自治县", ("长白",)),
        ("浦东新区", ("浦东",)),
        ("神农架林区", ("神农架",)),
        ("藤县", ()),
        ("城区", ()),
        ("赣县区", ("赣县",)),
    ],
)
def test_short_names(name, short):
    assert short_names_of(name) == short


def test_no_one_character_short_names():
    assert all(len(s) >= 2 for r in G for s in r.short_names)


def test_by_name():
    assert [r.code for r in G.by_name("梧州")] == ["450400"]
    assert [r.code for r in G.by_name("梧州市")] == ["450400"]
    assert [r.code for r in G.by_name("灵山")] == ["450721"]
    assert [r.code for r in G.by_name("藤县")] == ["450422"]
    assert G.by_name("藤") == []
    assert [r.code for r in G.by_name("赣县")] == ["360704"]
    assert G.by_name("赣") == []
    assert len(G.by_name("新华区")) >= 3
    assert [r.code for r in G.by_name("新华区", within="130900")] == ["130902"]
    assert [r.code for r in G.by_name("新华区", within="410000")] == ["410402"]


def test_resolve():
    assert G.resolve("梧州").code == "450400"
    assert G.resolve("灵山").code == "450721"
    assert G.resolve("藤县").code == "450422"
    assert G.resolve("藤") is None
    assert G.resolve("不存在的地方") is None
    # ambiguous without context
    assert G.resolve("城区") is None
    assert G.resolve("新华区") is None
    assert G.resolve("朝阳区") is None
    assert G.resolve("吉林") is None  # 吉林省 and 吉林市
    # resolved with context (city, or a county of that city)
    assert G.resolve("城区", context_city="140500").code == "140502"
    assert G.resolve("新华区", context_city="130900").code == "130902"
    assert G.resolve("朝阳区", context_city="110000").code == "110105"
    assert G.resolve("朝阳区", context_city="220100").code == "220104"
    assert G.resolve("新华区", context_city="410402").code == "410402"
    # province-level context: 河北 has two 新华区 (石家庄, 沧州) -> still ambiguous
    assert G.resolve("新华区", context_city="130000") is None
    # context outside: falls back to all of China
    assert G.resolve("钦南区", context_city="360700").code == "450702"


# ---------------------------------------------------------------- find


def test_find_real_sentence():
    text = "推进万秀区、长洲区、龙圩区、苍梧县、岑溪市、藤县疾病预防控制中心项目建设"
    ms = G.find(text)
    assert [(m.start, m.end, m.text, m.region.code) for m in ms] == [
        (2, 5, "万秀区", "450403"),
        (6, 9, "长洲区", "450405"),
        (10, 13, "龙圩区", "450406"),
        (14, 17, "苍梧县", "450421"),
        (18, 21, "岑溪市", "450481"),
        (22, 24, "藤县", "450422"),
    ]
    assert all(text[m.start : m.end] == m.text for m in ms)
    assert isinstance(ms[0], Mention)


def test_find_offsets_are_code_points():
    text = "𠀀😀钦州市第一人民医院"  # astral characters before the mention
    (m,) = G.find(text)
    assert (m.start, m.end, m.region.code) == (2, 5, "450700")


def test_find_longest_and_no_overlap():
    ms = G.find("钦南区、钦州市、广西壮族自治区", short=True)
    assert [m.text for m in ms] == ["钦南区", "钦州市", "广西壮族自治区"]
    assert {m.kind for m in ms} == {"name"}


def test_find_names_at_the_end_of_the_text():
    # a longer name that would run past the end (广西壮族自治区) must not make 广西 a mention past the text
    for text in ("依托广西", "广西", "推进钦州"):
        ms = G.find(text, short=True)
        assert [(m.text, text[m.start:m.end]) for m in ms] == [(text[-2:], text[-2:])]


def test_find_short_names_only_on_request():
    text = "梧州、钦州和灵山的医院"
    assert G.find(text) == []
    ms = G.find(text, short=True)
    assert [(m.text, m.region.code, m.kind) for m in ms] == [
        ("梧州", "450400", "short"),
        ("钦州", "450700", "short"),
        ("灵山", "450721", "short"),
    ]


def test_find_short_name_rules():
    # followed by 镇: another place (灵山镇), not 灵山县
    assert G.find("灵山镇卫生院", short=True) == []
    # stoplisted common words
    assert G.find("优化医疗资源配置，加强健康保障", short=True) == []


def test_find_aliases_by_default():
    ms = G.find("原赣州市赣县、龙南县")
    assert [(m.text, m.region.code, m.kind) for m in ms] == [
        ("赣州市", "360700", "name"),
        ("赣县", "360704", "alias"),
        ("龙南县", "360783", "alias"),
    ]


def test_find_weak_and_generic_names():
    # two-character names inside ordinary words are not regions
    assert G.find("建设国家卫生示范县和信息县级平台，推进和县级医院建设") == []
    # generic district names need their city (or `within`)
    assert G.find("全市城区和中心城区，老城区改造") == []
    ms = G.find("晋城市城区、阳泉市郊区、洛阳市老城区")
    assert [(m.text, m.region.code) for m in ms] == [
        ("晋城市", "140500"),
        ("城区", "140502"),
        ("阳泉市", "140300"),
        ("郊区", "140311"),
        ("洛阳市", "410300"),
        ("老城区", "410302"),
    ]
    assert [(m.text, m.region.code) for m in G.find("、城区", within="140500")] == [("城区", "140502")]
    # a weak name right after an enclosing region
    assert [m.text for m in G.find("广西藤县人民医院", short=True)] == ["广西", "藤县"]
    # 区域 / 市场
    assert G.find("河北区域协同，东方市场") == []


def test_find_ambiguous_and_within():
    (m,) = G.find("朝阳区卫生健康委")
    assert m.region is None and {c.code for c in m.candidates} >= {"110105", "220104"}
    (m,) = G.find("朝阳区卫生健康委", within="110000")
    assert m.region.code == "110105"
    assert G.find("钦州市与梧州市", within="450400")[0].region.code == "450400"
    assert len(G.find("钦州市与梧州市", within="450400")) == 1


def test_find_large_text_runs():
    text = "推进万秀区、长洲区、龙圩区、苍梧县、岑溪市、藤县疾病预防控制中心项目建设。" * 3000
    ms = G.find(text)
    assert len(ms) == 6 * 3000
