"""Short documents written as prose, of places not in the repository: a county's report on its
紧密型县域医共体, a county's 120 network, a city's work report (written for this test; the places are
real, the numbers are not). They are added the way a user adds them (`kg add --city … --county …`,
then `kg build`), and their figures must come out with the right owner, value, unit and year.

The classes: a county's document speaks of the county (全县…) without naming it, so its figures are
the county's, not its city's; a document with no plan period (a report) speaks of the year it
reports on (its title's year, else the latest year its text calls now), so a figure with no time of its
own is that year's, not dropped.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.facts import figure_facts
from kg.store import open_store

COUNTY_REPORT = """融安县紧密型县域医共体建设情况报告

一、基本情况
截至2023年底，全县共有医疗卫生机构312个，其中县级公立医院3家，乡镇卫生院12家，村卫生室205个。全县医疗卫生机构实有床位2150张，每千人口床位数5.8张。全县卫生技术人员3400人，其中执业（助理）医师1260人，注册护士1480人。

二、主要成效
县域内就诊率达90.2%，较2022年提高2.1个百分点。全年门诊量156万人次，同比增长8.5%。住院人次4.2万人次。基层医疗卫生机构诊疗量占比达到62.5%。家庭医生签约服务覆盖率达45%。县人民医院三四级手术占比达到38%。
医共体牵头医院向乡镇卫生院下派医师86名，远程会诊1.2万例。

三、存在问题
部分乡镇卫生院人才流失，全科医生仅有58人。

四、下一步工作
到2025年，县域就诊率达到92%以上，每千人口执业（助理）医师数达到2.8人。
"""

COUNTY_120 = """融安县院前急救网络建设工作方案

为提升院前急救能力，制定本方案。目前全县设急救站8个，配备救护车26辆，其中负压救护车4辆。2023年全县120急救电话受理量3.6万次，出车2.1万次，平均反应时间12分钟。急救人员共有156人。
到2025年，全县急救站点达到12个，每3万人口配置1辆救护车，平均急救呼叫满足率达到100%，城区平均反应时间缩短至10分钟以内，农村地区平均反应时间不超过20分钟。
"""

CITY_REPORT = """2023年柳州市卫生健康工作报告

2023年，全市卫生健康系统坚持人民至上，各项工作取得新成效。全市医疗卫生机构总数达到2860个，床位总数达到3.1万张，每千人口医疗卫生机构床位数达到7.2张。全市卫生技术人员达到4.6万人，每千人口执业（助理）医师数达到3.1人，每千人口注册护士数达到4.0人。全市人均预期寿命达到79.5岁，孕产妇死亡率为8.5/10万，婴儿死亡率为3.2‰。全年总诊疗人次2850万人次，同比增长6.3%。全市居民健康素养水平达到28.6%。
2024年，全市将新增床位1200张。
"""


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    """(document file prefix, owner label, canonical measure, year, value, unit, role) of every figure
    of the three documents."""
    root = tmp_path_factory.mktemp("prose")
    data = root / "data"
    runner = CliRunner()
    for name, text, place in (("rongan-yigongti", COUNTY_REPORT, ["--county", "融安县"]),
                              ("rongan-120", COUNTY_120, ["--county", "融安县"]),
                              ("liuzhou-report", CITY_REPORT, [])):
        path = root / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(app, ["add", str(path), "--city", "柳州市", *place, "--data-dir", str(data)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    rows = set()
    for fact in figure_facts(open_store(data)):
        doc = fact["sources"][0]["doc"]
        if doc.startswith(("rongan", "liuzhou")):
            rows.add((doc.split("-")[0] + "-" + doc.split("-")[1], fact["subject"], fact["canonical_measure"],
                      fact["year"], float(fact["value"]), fact["unit"], fact["role"]))
    return rows


# counts of kinds, staff and beds resolve to the canonical measures of kg/data/measures.yaml
# (乡镇卫生院数, 医疗卫生机构床位数 for 医疗卫生机构实有床位, 卫生技术人员数 also for 4.6万人)
COUNTY_FIGURES = {
    ("rongan-yigongti", "融安县", "医疗卫生机构数", 2023, 312.0, "个", "current"),
    ("rongan-yigongti", "融安县", "乡镇卫生院数", 2023, 12.0, "家", "current"),
    ("rongan-yigongti", "融安县", "村卫生室数", 2023, 205.0, "个", "current"),
    ("rongan-yigongti", "融安县", "医疗卫生机构床位数", 2023, 2150.0, "张", "current"),
    ("rongan-yigongti", "融安县", "每千人口医疗卫生机构床位数", 2023, 5.8, "张", "current"),
    ("rongan-yigongti", "融安县", "卫生技术人员数", 2023, 3400.0, "人", "current"),
    ("rongan-yigongti", "融安县", "注册护士数", 2023, 1480.0, "人", "current"),
    ("rongan-yigongti", "融安县", "县域内就诊率", 2025, 92.0, "%", "target"),
    ("rongan-yigongti", "融安县", "每千人口执业（助理）医师数", 2025, 2.8, "人", "target"),
    ("rongan-120", "融安县", "平均急救反应时间", 2023, 12.0, "分钟", "current"),
    # no time of their own and no plan period: the year the document reports on (截至2023年底)
    ("rongan-yigongti", "融安县", "县域内就诊率", 2023, 90.2, "%", "current"),
    ("rongan-yigongti", "融安县", "住院人次", 2023, 4.2, "万人次", "current"),
    ("rongan-yigongti", "融安县", "基层医疗卫生机构诊疗量占比", 2023, 62.5, "%", "current"),
    ("rongan-yigongti", "融安县", "家庭医生签约服务覆盖率", 2023, 45.0, "%", "current"),
    ("rongan-120", "融安县", "救护车", 2023, 26.0, "辆", "current"),
    ("rongan-120", "融安县", "负压救护车", 2023, 4.0, "辆", "current"),
    ("rongan-120", "融安县", "急救人员", 2023, 156.0, "人", "current"),
    ("rongan-120", "融安县", "急救站点数", 2025, 12.0, "个", "target"),
    ("rongan-120", "融安县", "急救呼叫满足率", 2025, 100.0, "%", "target"),
    ("rongan-120", "融安县", "城区平均反应时间", 2025, 10.0, "分钟", "target"),
}

CITY_FIGURES = {
    ("liuzhou-report", "柳州市", "每千人口医疗卫生机构床位数", 2023, 7.2, "张", "current"),
    ("liuzhou-report", "柳州市", "每千人口执业（助理）医师数", 2023, 3.1, "人", "current"),
    ("liuzhou-report", "柳州市", "卫生技术人员数", 2023, 4.6, "万人", "current"),
    ("liuzhou-report", "柳州市", "孕产妇死亡率", 2023, 8.5, "1/10万", "current"),
    ("liuzhou-report", "柳州市", "婴儿死亡率", 2023, 3.2, "‰", "current"),
    ("liuzhou-report", "柳州市", "居民健康素养水平", 2023, 28.6, "%", "current"),
    ("liuzhou-report", "柳州市", "增加床位", 2024, 1200.0, "张", "added"),
    # a report's wordings resolve to the canonical measures (全年总诊疗人次, 医疗卫生机构总数)
    ("liuzhou-report", "柳州市", "总诊疗人次", 2023, 2850.0, "万人次", "current"),
    ("liuzhou-report", "柳州市", "医疗卫生机构数", 2023, 2860.0, "个", "current"),
}


def test_a_county_document_s_figures_are_the_county_s(figures):
    assert COUNTY_FIGURES - figures == set()
    rongan = {f for f in figures if f[0].startswith("rongan")}
    # the county's, but for the one figure the report gives its 县人民医院 (read in the county's scope)
    assert rongan and {f[1] for f in rongan} == {"融安县", "融安县人民医院"}
    assert {f[2:] for f in rongan if f[1] == "融安县人民医院"} == {("三四级手术占比", 2023, 38.0, "%", "current")}


def test_a_city_report_s_figures_are_the_city_s(figures):
    assert CITY_FIGURES - figures == set()
    assert {f[1] for f in figures if f[0] == "liuzhou-report"} == {"柳州市"}
