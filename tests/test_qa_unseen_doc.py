"""Questions as planners type them, on a document of a place not in the corpus (tests/data/qa-unseen/:
a county's 医共体 work report written for these tests, 祁东县 of 衡阳市, added with `kg add` next to the
corpus plans) and on the corpus plans. Each class of misreading found on them is tested on two wordings:

- 要把X建成什么中心 asks what X is to become: a role X has now (X是全县医疗救治中心) is no answer to it;
- 设在哪家医院 asks the body X is set up in, not X's county; 在哪个镇/街道 asks a place below the county,
  which X's county does not answer;
- a question no fact answers whose question word stands where a sentence in scope has a phrase
  (X要与<哪家医院>深度融合) is shown the phrase and its sentence as the plan's words: status `passage`,
  never `answered`; a yes/no question or one no sentence aligns with gets no phrase.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.qa import ask, load

DOC = Path(__file__).parent / "data" / "qa-unseen" / "qidong-yigongti-2024.txt"
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def kb(tmp_path_factory):
    """The corpus plans and the 祁东县 report, added the way a user adds it (`kg add`, then `kg build`)."""
    import shutil

    root = tmp_path_factory.mktemp("qa-unseen")
    corpus, data = root / "corpus", root / "data"
    shutil.copytree(CORPUS, corpus)
    runner = CliRunner()
    result = runner.invoke(app, ["add", str(DOC), "--city", "衡阳市", "--county", "祁东县", "--province", "湖南省",
                                 "--corpus", str(corpus), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", "--corpus", str(corpus), "--data-dir", str(data), "-q"])
    assert result.exit_code == 0, result.output
    return load(data)


def texts(reply: dict) -> list[str]:
    return [a["text"] for a in reply["answers"]]


def quotes(reply: dict) -> list[str]:
    return [s["quote"] for a in reply["answers"] for s in a["sources"]]


# --- what X is to become, not what it is -------------------------------------------------------------

@pytest.mark.parametrize("question", ["祁东要把县人民医院建成什么中心？", "祁东县人民医院要建成什么样的中心"])
def test_becoming_is_not_answered_with_the_present_role(kb, question):
    reply = ask(kb, question)
    # the graph's present role of it (是全县医疗救治中心和急危重症救治中心) answers another question
    assert not any("医疗救治中心" in t for t in texts(reply))
    # the plan's sentence says what it is to become: the phrase, as the plan's words
    assert reply["status"] == "passage"
    assert texts(reply) == ["县域医疗中心"]
    assert quotes(reply) == ["到2025年，要把祁东县人民医院建成县域医疗中心，把祁东县中医医院建成县域中医医疗中心。"]


@pytest.mark.parametrize("question", ["要把祁东县中医医院建成什么？", "祁东县中医医院要打造成什么中心"])
def test_becoming_answered_with_the_upgrade_target(kb, question):
    reply = ask(kb, question)
    assert reply["status"] == "answered"
    assert texts(reply) == ["县域中医医疗中心"]


def test_becoming_keeps_what_a_corpus_plan_says_is_founded_on_it(kb):
    # 依托它创建啥中心: the centre founded on it, not its present role (全市妇幼保健业务指导中心)
    reply = ask(kb, "钦州市妇幼保健院 要依托它创建啥中心")
    assert reply["status"] == "answered"
    assert texts(reply) == ["广西北部湾沿海妇幼保健中心"]


# --- the host body and places below the county --------------------------------------------------------

@pytest.mark.parametrize("question", ["祁东县急救中心设在哪家医院？", "祁东县急救中心设在什么机构"])
def test_set_up_in_which_body_is_the_host_not_the_county(kb, question):
    reply = ask(kb, question)
    assert reply["status"] == "answered"
    assert texts(reply) == ["祁东县人民医院"]


def test_county_of_an_added_institution_still_answered(kb):
    reply = ask(kb, "祁东县急救中心在哪个县？")
    assert reply["status"] == "answered"
    assert texts(reply) == ["祁东县"]


@pytest.mark.parametrize("question, town", [("祁东县第二人民医院在哪个镇", "归阳镇"),
                                             ("祁东县中医医院位于哪个街道？", "玉合街道")])
def test_town_is_not_answered_with_the_county(kb, question, town):
    reply = ask(kb, question)
    assert "祁东县" not in texts(reply)
    assert reply["status"] == "passage"
    assert texts(reply) == [town]
    assert quotes(reply) == ["祁东县人民医院位于洪桥街道，祁东县中医医院位于玉合街道，祁东县第二人民医院位于归阳镇。"]


# --- the plan's phrase where the question word stands --------------------------------------------------

@pytest.mark.parametrize("question, phrase", [
    ("祁东县人民医院要与哪家医院深度融合？", "南华大学附属第一医院"),
    ("钦州市卫生学校跟哪家医院深度融合", "钦州市中西医结合医院"),
    ("钦州力争把全市创建成什么医疗中心？", "北部湾沿海医疗中心"),
    ("祁东县中医医院负责指导什么？", "乡镇卫生院中医馆建设"),
])
def test_phrase_of_the_sentence_shown_as_passage(kb, question, phrase):
    reply = ask(kb, question)
    assert reply["status"] == "passage"
    assert texts(reply) == [phrase]
    assert all(phrase in q for q in quotes(reply))


@pytest.mark.parametrize("question, items", [
    ("祁东县支持社会力量举办哪些机构？", ["康复医院", "护理院", "安宁疗护机构"]),
    # one name qualified twice (国有和集体) is one item
    ("梧州支持哪些单位举办非营利性医院？", ["国有和集体企事业单位"]),
])
def test_list_phrase_split_into_items(kb, question, items):
    reply = ask(kb, question)
    assert reply["status"] == "passage"
    assert texts(reply) == items


@pytest.mark.parametrize("question", ["祁东县中医医院的编制床位有多少？", "祁东县人民医院要和哪家高校共建医学院？"])
def test_no_phrase_when_no_sentence_aligns(kb, question):
    assert ask(kb, question)["status"] == "unanswerable"


def test_yes_no_gets_a_verdict_not_a_phrase(kb):
    reply = ask(kb, "祁东县有没有专门的传染病医院？")
    assert reply["status"] == "answered"
    assert texts(reply) == ["否"]
    assert quotes(reply)[0].startswith("全县未设置专门的传染病医院")


# --- figures of a report: what has happened, and 占比 is no comparison ---------------------------------

@pytest.mark.parametrize("question", ["祁东县外住院费用占比降到多少了", "祁东县县外住院费用占比下降到多少了？"])
def test_share_fallen_to_is_the_reported_figure(kb, question):
    # 占比 is part of the indicator's name (no 比…低 comparison), and 降到多少了 asks what it has come to
    # (the report's present figure), not a target the report does not set
    reply = ask(kb, question)
    assert reply["status"] == "answered"
    assert [a["value"] for a in reply["answers"]] == [18.6]
    assert quotes(reply) == ["2024年县域医保基金支出9.8亿元，县外住院费用占比下降至18.6%。"]


def test_share_compared_across_years_still_a_difference(kb):
    reply = ask(kb, "赣州每千人口医师数2025年比2020年增加多少？")
    assert reply["status"] == "answered"
    assert reply["template"] == "compare_years"


# --- a county's figure is not its city's; a hospital's short form with the city's short name ------------

@pytest.mark.parametrize("question", ["衡阳市每千人口床位数是多少？", "衡阳市的乡镇卫生院有几家"])
def test_city_asked_is_not_answered_with_a_county_report(kb, question):
    # the only 衡阳市 document is 祁东县's report: its figures are the county's, not the city's
    reply = ask(kb, question)
    assert reply["status"] != "answered"
    assert not any("祁东县" in t for t in texts(reply))


def test_county_named_still_gets_its_figure(kb):
    reply = ask(kb, "祁东每千人口床位数是多少")
    assert reply["status"] == "answered"
    assert [a["value"] for a in reply["answers"]] == [4.9]


@pytest.mark.parametrize("question, name, beds", [
    ("梧州三院2025年规划编制床位有多少张？", "梧州市第三人民医院", 420),
    ("梧州红会医院2025年规划编制床位多少张", "梧州市红十字会医院", 1990),
])
def test_short_forms_name_one_hospital_not_all(kb, question, name, beds):
    reply = ask(kb, question)
    assert reply["status"] == "answered"
    assert texts(reply) == [f"{name}2025年规划编制床位：{beds}张"]


def test_short_form_of_a_number_no_plan_has_is_unknown(kb):
    reply = ask(kb, "梧州九院的规划编制床位有多少")
    assert reply["status"] == "unanswerable"
    assert "梧州九院" in reply["message"]


def test_each_hospital_of_a_city_still_listed(kb):
    # the figures of the city's institutions are the city plan's own: 各医院 asks for each of them
    reply = ask(kb, "梧州各医院2025年规划编制床位")
    assert reply["status"] == "answered"
    assert "梧州市第三人民医院2025年规划编制床位：420张" in texts(reply)
    assert len(texts(reply)) == 9


# --- yes/no from what a plan states, in the negative too ------------------------------------------------

@pytest.mark.parametrize("question, quote", [
    ("祁东县是否设置了传染病医院？", "全县未设置专门的传染病医院"),
    ("钦州设置了传染病医院吗", "全市范围内均未设置有专门的传染病防治医院"),
])
def test_negative_statement_answers_no(kb, question, quote):
    # 设置了X: 了 glued before the kind is no unknown modifier; a sentence that only names the kind
    # (实现市、县传染病医院或综合医院传染病区全覆盖) says neither yes nor no
    reply = ask(kb, question)
    assert reply["status"] == "answered"
    assert texts(reply) == ["否"]
    assert quotes(reply)[0].startswith(quote) or quote in quotes(reply)[0]


def test_statement_found_through_the_full_form_of_a_short_name(kb):
    # 疾控机构 is looked for as 疾病预防控制机构 too: the verdict cites the sentence that says it
    reply = ask(kb, "赣州的经济技术开发区、新区这类非独立建制区需要设疾控机构吗？")
    assert texts(reply) == ["是"]
    assert "非独立建制区，应设置疾病预防控制机构" in quotes(reply)[0]


@pytest.mark.parametrize("question, holder", [
    ("祁东全县妇幼保健业务指导由哪家负责？", "祁东县妇幼保健院"),
    ("钦州全市的紧急医疗救援指挥调度由哪家负责？", "钦州市医疗急救中心"),
])
def test_who_holds_a_task_asked_with_a_bare_which(kb, question, holder):
    # 由哪家负责: the body is left out after 哪家; the task read backwards, not a kind 县妇幼 matched inside it
    reply = ask(kb, question)
    assert reply["status"] == "answered"
    assert texts(reply) == [holder]


# --- two hops: the body a clause describes, then the rest of the question about it -----------------------

@pytest.mark.parametrize("question, centres", [
    # the report lists two roles in one clause (A和B): one role each since roles are read per item (xrel4)
    ("祁东县第一医共体的牵头医院是什么中心", ["全县医疗救治中心", "急危重症救治中心"]),
    ("第二医共体的牵头医院是全县什么中心？", ["全县中医药服务指导中心"]),
])
def test_leader_of_a_network_then_its_role(kb, question, centres):
    reply = ask(kb, question)
    assert reply["status"] == "answered"
    assert sorted(texts(reply)) == sorted(centres)


@pytest.mark.parametrize("question, street", [("为第一医共体牵头的医院在哪个街道", "洪桥街道"),
                                              ("第二医共体的牵头医院位于哪个街道？", "玉合街道")])
def test_second_hop_not_recorded_is_not_answered_with_the_first(kb, question, street):
    # the clause resolves to the leader; the leader is not the answer to 在哪个街道
    reply = ask(kb, question)
    assert reply["status"] == "passage"
    assert texts(reply) == [street]
    assert "医院" not in "".join(texts(reply))


@pytest.mark.parametrize("question, centres", [
    ("钦州市妇幼保健院在全市是什么中心？", ["广西北部湾沿海妇幼保健中心", "全市妇幼保健业务指导中心"]),
    ("梧州市级妇幼保健机构是什么中心？", ["全市妇幼保健业务指导中心"]),
])
def test_what_centre_is_answered_with_centres_only(kb, question, centres):
    # not the tasks it carries (…等任务) nor the grade it is to reach (三级妇幼保健院)
    reply = ask(kb, question)
    assert reply["status"] == "answered"
    assert texts(reply) == centres


@pytest.mark.parametrize("question", ["钦州全市疾控工作的质量控制中心是哪家单位？",
                                      "祁东全县的中医药服务指导中心是哪家医院"])
def test_no_phrase_that_restates_what_is_asked_about(kb, question):
    # the sentence says X是…中心: the phrase after 是 is what the question is about, never its answer
    reply = ask(kb, question)
    assert reply["status"] != "passage"
    assert not any("指导中心" in t or "质量控制中心" in t for t in texts(reply))


@pytest.mark.parametrize("question", ["梧州要把国家中医药综合改革试验区建成什么中心？",
                                      "梧州要把健康产业园建成什么中心"])
def test_no_phrase_aligned_by_the_verb_alone(kb, question):
    # no name anchors it and the sentence shares only 建成/建设成为 with the question: no phrase
    reply = ask(kb, question)
    assert reply["status"] == "unanswerable"
    assert reply["answers"] == []
