"""`kg ask` on the real corpus: examples, citations, bound values, bad inputs, and the dev-set floor."""

from __future__ import annotations

import importlib.util
import itertools
import json
import subprocess
import sys

import pyoxigraph as ox
import pytest

from kg.paths import REPO_DIR, TEMPLATES_DIR
from kg.qa import Context, answer, ask, load, load_config
from kg.qa.linking import PREFIXES

CONFIG = load_config()
EXAMPLES = [(f["id"], q) for f in CONFIG["families"] for q in f.get("examples", [])]
DEV = REPO_DIR / "tests" / "data" / "questions-dev.jsonl"
# The shared dev set grew from 67 to 219 questions (class_role, composition, text…); 0.557 is the
# score the 67-question system gets on it, 0.626 the recomposed one (precision first: fewer answers,
# more of them right). A floor that catches regressions, raised as QA improves: 0.635 with precision
# 0.975 once an answer that contradicts its question is refused (kg/qa/consistency.py).
DEV_FLOOR = 0.66
# Of the questions answered, the share answered right: a wrong answer misleads more than a refusal.
DEV_PRECISION_FLOOR = 0.94



@pytest.fixture(scope="module")
def plan_texts(corpus_dir):
    return {p.name: p.read_text(encoding="utf-8") for p in corpus_dir.glob("*.txt")}


def test_every_family_has_an_example():
    assert all(f.get("examples") for f in CONFIG["families"]), [f["id"] for f in CONFIG["families"]
                                                                 if not f.get("examples")]


@pytest.mark.parametrize(("family", "question"), EXAMPLES)
def test_example_is_answered_by_its_family_with_exact_quotes(kb, plan_texts, family, question):
    result = ask(kb, question)
    assert result["status"] == "answered", result["message"]
    assert result["template"] == family
    sources = [s for a in result["answers"] for s in a["sources"]]
    assert sources, "an answer must cite its plan"
    for src in sources:
        assert src["quote"] in plan_texts[src["doc"]]
        assert src["title"]


@pytest.mark.parametrize("name", sorted(p.name for p in TEMPLATES_DIR.glob("*.rq.j2")))
def test_every_template_shape_parses(kb, name):
    empty = ox.Store()
    flags = ["subject_is_class", "city", "county", "level", "subject", "reverse"]
    for values in itertools.product([False, True], repeat=len(flags)):
        shape = dict(zip(flags, values, strict=True)) | {"props": ["hk:guides", "org:memberOf"]}
        query = kb.env.get_template(name).render(**shape)
        empty.query(PREFIXES + query)  # raises SyntaxError when a shape does not parse


def test_answers_and_cities(kb):
    result = ask(kb, "梧州市有哪些中医医院？")
    names = {a["text"] for a in result["answers"]}
    assert names == {"岑溪市中医医院", "梧州市中医医院", "苍梧县中医医院", "长洲区中医医院", "龙圩区中医医院"}
    count = ask(kb, "梧州市有几家中医医院？")
    assert count["answers"][0]["value"] == 5


def test_short_name_resolved_with_the_city_in_the_question(kb):
    result = ask(kb, "梧州的市人民医院的功能定位是什么？")
    assert result["status"] == "answered"
    assert result["message"].startswith("梧州市人民医院")
    assert {"儿童医疗", "心血管疾病", "紧急医学救援"} <= {a["text"] for a in result["answers"]}


def test_figure_difference_is_the_value(kb):
    result = ask(kb, "梧州每千常住人口精神科床位数2025年比2020年多多少？")
    assert result["template"] == "compare_years"
    assert result["answers"][0]["value"] == pytest.approx(0.23)


def test_follow_up_uses_the_previous_entity(data_dir):
    kb = load(data_dir)
    _, context = answer(kb, "梧州市第三人民医院的功能定位是什么？", Context())
    result, _ = answer(kb, "它的实际开放床位是多少？", context)
    assert result["status"] == "answered"
    assert result["answers"][0]["value"] == 160


def test_fuzzy_name_is_offered_not_used(kb):
    result = ask(kb, "梧州市红十会医院的功能定位是什么？")
    assert result["status"] == "unanswerable"
    assert "您是不是要问：梧州市红十字会医院" in result["message"]


def test_missing_fact_says_so(kb):
    result = ask(kb, "钦州市第一人民医院2020年的实有床位数是多少？")
    assert result["status"] == "unanswerable"
    assert "图谱中未记录" in result["message"]


@pytest.mark.parametrize("payload", ['"} UNION { ?s ?p ?o } #', "' DROP ALL ;", "} } UNION {", "\\\" ) FILTER(true"])
def test_injection_does_not_change_the_query(kb, payload):
    clean = ask(kb, "梧州市有哪些中医医院？")
    dirty = ask(kb, f"梧州市{payload}有哪些中医医院？")
    assert dirty["sparql"] == clean["sparql"]
    assert {a["text"] for a in dirty["answers"]} == {a["text"] for a in clean["answers"]}


@pytest.mark.parametrize("question", ["", "   ", "啊" * 10_000, "😀😀😀", "Which hospitals are in Wuzhou?",
                                      "SELECT * WHERE { ?s ?p ?o }", "\"'\"'", "DROP ALL", None, "？？？", "\x00\x01"])
def test_bad_input_gets_a_message_not_a_traceback(kb, question):
    result = ask(kb, question)
    assert result["status"] in ("unanswerable", "error")
    assert result["message"]
    assert result["answers"] == []


def test_cli_empty_question_exits_non_zero(data_dir):
    proc = subprocess.run([sys.executable, "-m", "kg", "ask", "", "--data-dir", str(data_dir)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode != 0
    assert "问题为空" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_batch_writes_one_json_per_line(data_dir, tmp_path):
    # JSON lines and plain-text lines mix; a broken JSON object is an error for its line only
    batch = tmp_path / "q.txt"
    batch.write_text('{"id": "a", "q": "藤县人民医院在哪个县？"}\n{not json\n藤县人民医院属于哪个地级市？\n',
                     encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "kg", "ask", "--batch", str(batch), "--json",
                           "--data-dir", str(data_dir)], capture_output=True, text=True, check=True)
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["status"] for x in lines] == ["answered", "error", "answered"]
    assert lines[0]["answers"][0]["text"] == "藤县"
    assert (lines[2]["id"], lines[2]["answers"][0]["text"]) == (3, "梧州市")
    assert set(lines[0]) == {"id", "question", "status", "answers", "template", "sparql", "message"}


def test_dev_set_score_floor(kb):
    spec = importlib.util.spec_from_file_location("score_questions", REPO_DIR / "tests/tools/score_questions.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    questions = scorer.load(str(DEV))
    replies = [ask(kb, q["q"], qid=q["id"]) for q in questions]
    good = sum(scorer.correct(q, r) for q, r in zip(questions, replies, strict=True))
    assert good / len(questions) >= DEV_FLOOR
    answered = [(q, r) for q, r in zip(questions, replies, strict=True) if r["status"] == "answered"]
    right = sum(scorer.correct(q, r) for q, r in answered)
    assert right / len(answered) >= DEV_PRECISION_FLOOR


def test_two_hop_finds_the_institution_described(kb):
    result = ask(kb, "梧州被定为市级定点收治医院的那家医院，实际开放床位是多少？")
    assert result["status"] == "answered"
    assert result["template"].startswith("two_hop")
    assert result["answers"][0]["value"] == 160
    assert "梧州市第三人民医院" in result["message"]


def test_place_without_a_plan_is_said_not_guessed(kb):
    result = ask(kb, "北京市有哪些医院？")
    assert result["status"] == "unanswerable"
    assert "图谱中没有北京市的规划" in result["message"]


def test_bare_beds_needs_a_named_institution(kb):
    beds = ask(kb, "梧州市中医医院的床位呢？")
    assert {a["value"] for a in beds["answers"]} >= {600, 800}
    unknown = ask(kb, "钦州市公共卫生应急救治中心规划设置多少张床位？")
    assert unknown["status"] == "unanswerable"


def test_inferred_answer_says_so_and_cites_the_premises(kb):
    result = ask(kb, "浦北县人民医院参加了哪些医共体？")
    inferred = [a for a in result["answers"] if a["inferred"]]
    assert [a["text"] for a in inferred] == ["浦北县自治区级紧密型县域医疗共同体"]
    assert "推理" in result["message"]
    assert len(inferred[0]["sources"]) >= 2


def test_where_a_network_is(kb):
    result = ask(kb, "国家级紧密型县域医疗共同体试点在哪个县？")
    assert [a["text"] for a in result["answers"]] == ["灵山县"]


# ---- questions the plans answer in so many words, and lists narrowed by the question's words ----

def test_statement_in_the_negative_is_no_with_the_plan_sentence(kb):
    result = ask(kb, "钦州本区域内是否设置职业病危害工程防护机构？")
    assert result["status"] == "answered" and result["template"] == "statement_check"
    assert result["answers"][0]["text"] == "否"
    quote = result["answers"][0]["sources"][0]["quote"]
    assert quote == "本区域内不设置职业病危害工程防护机构，其职责由自治区相关医疗机构承担。"


def test_statement_said_is_yes_and_an_unsaid_one_is_not_guessed(kb):
    said = ask(kb, "钦州市中心血站站内设了固定献血点吗？")
    assert said["status"] == "answered" and said["answers"][0]["text"] == "是"
    assert "钦州市中心血站站内机采血小板献血点" in said["answers"][0]["sources"][0]["quote"]
    unsaid = ask(kb, "钦州有没有建设儿童乐园？")
    assert unsaid["status"] == "unanswerable" and unsaid["answers"] == []


def test_place_named_in_the_sentence_that_says_it(kb):
    result = ask(kb, "哪个区要巩固国家级慢性病综合防控示范区的创建成果？")
    assert result["template"] == "where_said"
    assert [a["text"] for a in result["answers"]] == ["钦北区"]


def test_count_of_institutions_whose_one_measure_beats_another(kb):
    more = ask(kb, "梧州实际开放床位超过目前编制床位的医院有几家？")
    assert more["template"] == "count_compare_measures" and more["answers"][0]["value"] == 4
    fewer = ask(kb, "梧州哪些医院的实际开放床位少于目前编制床位？")
    assert [a["iri"] is not None for a in fewer["answers"][1:]] == [True]
    assert fewer["answers"][1]["text"].startswith("梧州市妇幼保健院")


def test_clause_naming_each_institution_narrows_a_list(kb):
    result = ask(kb, "哪几家市级医院要做到绩效考核排名全区靠前？")
    assert sorted(a["text"] for a in result["answers"]) == [
        "钦州市妇幼保健院", "钦州市第一人民医院", "钦州市第二人民医院"]


def test_coordinated_names_in_a_sentence_each_count(kb):
    result = ask(kb, "梧州规划新建哪些区级疾控中心？")
    assert sorted(a["text"] for a in result["answers"]) == ["万秀区疾病预防控制中心", "长洲区疾病预防控制中心"]


def test_exceptions_leave_the_list_and_nothing_is_invented(kb):
    result = ask(kb, "6家县直综合医院中，除灵山县人民医院、灵山县第二人民医院、灵山县红十字会医院、"
                       "浦北县人民医院外，另外两家是哪两家？")
    assert result["status"] == "unanswerable" and result["answers"] == []


def test_a_kind_the_graph_does_not_know_is_not_answered_with_a_broader_kind(kb):
    result = ask(kb, "梧州是否设置航天医院？")
    assert result["status"] == "unanswerable"
    assert "航天医院" in result["message"]


def test_an_aside_in_a_kind_is_read_through(kb):
    result = ask(kb, "规划支持新建哪些精神病（精神卫生）医院？")
    assert sorted(a["text"] for a in result["answers"]) == [
        "钦北区精神病医院", "钦南区精神病医院", "钦州市精神卫生福利医院"]


def test_no_family_fits_suggests_questions_about_the_entity_that_do_fit(kb):
    result = ask(kb, "梧州市人民医院的院长是谁？")
    assert result["status"] == "unanswerable" and result["answers"] == []
    assert "梧州市人民医院的功能定位是什么？" in result["message"]
    suggested = result["message"].split("可以这样问：", 1)[1].split("；")
    for question in suggested:
        assert ask(kb, question)["template"] is not None, question


def test_based_on_of_a_unit_whose_host_is_a_descriptive_phrase(kb):
    # the graph now states it (the host is read as the plan words it), so no quoting of the text is needed
    result = ask(kb, "条件尚不具备的县（市）依托什么设置县级急救（指挥）中心（站）？")
    assert result["status"] == "answered" and result["template"] == "based_on"
    assert [a["text"] for a in result["answers"]] == ["区域内综合水平较高的医疗机构"]
    assert "据规划原文" not in result["message"]
    assert "条件尚不具备的县（市）依托区域内综合水平较高的医疗机构设置县级急救（指挥）中心（站）" in \
        result["answers"][0]["sources"][0]["quote"]
