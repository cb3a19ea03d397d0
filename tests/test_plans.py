"""Issue #13 and #16: a user's own plans, apart from the code — `kg add`, `kg plans`, `kg remove`,
`kg add --replace` — checked metadata, any file name, and one place for the graph.

Nothing here may touch the checkout (`git status` is compared before and after), and a refused
command changes no plan and no built graph.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.paths import REPO_DIR
from kg.store import current_build

runner = CliRunner()
PLAN_000 = "000_4d37015e455bafe6.txt"
ENV = os.environ | {"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}

LIUZHOU = """柳州市医疗卫生服务体系规划（2021—2025年）

一、机构设置
（一）专业公共卫生机构。
设置柳州市疾病预防控制中心1家，柳江区、融安县疾病预防控制中心各1家。
柳州市妇幼保健院是全市妇幼保健业务指导中心。

（二）医院。
支持柳州市工人医院（柳州市第四人民医院）建设区域医疗中心，推进融水县人民医院、
融安县人民医院提标扩能，规划新建柳江区中医医院。
"""
RONGAN = """融安县县域医疗卫生服务体系规划（2022—2025年）

一、县域医共体
以融安县人民医院为牵头单位组建紧密型县域医共体，融安县中医医院、融安县妇幼保健院和各乡镇卫生院为成员单位。
融安县人民医院负责指导各乡镇卫生院开展基本医疗服务。
"""


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO_DIR,
                          capture_output=True, text=True, check=True).stdout


def kg(*args, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *map(str, args)], capture_output=True, text=True,
                          env=env or ENV, cwd=cwd, timeout=600, check=False)


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def refused(result, *words: str, code: int = 2) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output
    for word in words:
        assert word in result.output, result.output


@pytest.fixture
def liuzhou(tmp_path) -> Path:
    path = tmp_path / "柳州 医疗卫生服务体系规划\n(2021).txt"  # a space and a newline in the name
    path.write_text(LIUZHOU, encoding="utf-8")
    return path


def _plans(data: Path, *extra) -> list[dict]:
    result = invoke("plans", "--json", "--data-dir", data, *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_add_build_plans_remove_round_trip_leaves_the_checkout_alone(tmp_path, liuzhou, corpus_dir):
    before = _git_status()
    examples = corpus_dir / "documents.json"
    examples_bytes = examples.read_bytes()
    data = tmp_path / "data"
    result = invoke("add", liuzhou, "--city", "柳州市", "--date", "2022-03-01", "--data-dir", data)
    assert result.exit_code == 0, result.output
    assert "《柳州市医疗卫生服务体系规划（2021—2025年）》" in result.output
    result = invoke("build", "-q", "--data-dir", data)  # the examples and the user's plan
    assert result.exit_code == 0, result.output
    assert "built 5 plans" in result.output
    listed = _plans(data)
    assert [p["origin"] for p in listed] == ["example"] * 4 + ["mine"]
    mine = listed[-1]
    assert mine["source"] == liuzhou.name and mine["city"] == "柳州市" and mine["date"] == "2022-03-01"
    assert mine["form"] == "txt" and mine["size"] == len(LIUZHOU.encode("utf-8"))
    # what the graph took from it: the 8 institutions a reader finds in it
    assert mine["counts"]["institutions"] == 8 and mine["counts"]["relations"] >= 1
    assert listed[1]["counts"]["institutions"] == 30 and listed[1]["counts"]["figures"] >= 100  # 梧州 (example)
    result = invoke("remove", liuzhou.name, "--data-dir", data)
    assert result.exit_code == 0 and "removed 《柳州市" in result.output, result.output
    assert [p["origin"] for p in _plans(data)] == ["example"] * 4
    assert sorted(p.name for p in (data / "plans").iterdir()) == [".lock", "documents.json"]
    assert _git_status() == before and examples.read_bytes() == examples_bytes


def test_any_file_name_builds(tmp_path, liuzhou):
    data = tmp_path / "data"
    assert invoke("add", liuzhou, "--city", "柳州市", "--data-dir", data).exit_code == 0
    result = invoke("build", "-q", "--no-examples", "--data-dir", data)
    assert result.exit_code == 0, result.output
    from kg.facts import institution_facts
    from kg.store import open_store

    names = {f["name"] for f in institution_facts(open_store(data))}
    assert {"柳州市工人医院", "融安县人民医院", "柳江区中医医院"} <= names
    file = _plans(data, "--no-examples")[0]["file"]
    assert file.isascii() and " " not in file and "\n" not in file


def test_a_hand_written_corpus_with_spaces_in_file_names_builds(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "柳州 规划 .txt").write_text(LIUZHOU, encoding="utf-8")
    meta = [{"file": "柳州 规划 .txt", "city": "柳州市", "province": "广西壮族自治区", "title": "柳州市规划"}]
    (corpus / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    result = invoke("build", "-q", "--corpus", corpus, "--data-dir", tmp_path / "data")
    assert result.exit_code == 0, result.output


def test_the_same_content_twice_is_refused_naming_the_plan(tmp_path, liuzhou, corpus_dir):
    data = tmp_path / "data"
    assert invoke("add", liuzhou, "--city", "柳州市", "--data-dir", data).exit_code == 0
    copy = tmp_path / "another name.txt"
    copy.write_text(LIUZHOU.replace("\n\n", "\n"), encoding="utf-8")  # the same plan, laid out differently
    refused(invoke("add", copy, "--city", "柳州市", "--data-dir", data), "same plan", "柳州市医疗卫生服务体系规划")
    # an example plan under another name: refused, naming the example
    example = tmp_path / "钦州.txt"
    shutil.copy(corpus_dir / PLAN_000, example)
    refused(invoke("add", example, "--city", "钦州市", "--data-dir", data), "same plan as the example",
            "钦州市医疗卫生服务体系规划（节选提纲）")
    assert len(_plans(data, "--no-examples")) == 1


def test_replace_keeps_one_plan_and_a_second_add_asks_for_replace(tmp_path, liuzhou):
    data = tmp_path / "data"
    assert invoke("add", liuzhou, "--city", "柳州市", "--data-dir", data).exit_code == 0
    first = _plans(data, "--no-examples")[0]
    liuzhou.write_text(LIUZHOU + "规划新建柳州市第五人民医院。\n", encoding="utf-8")
    refused(invoke("add", liuzhou, "--city", "柳州市", "--data-dir", data), "already there", "--replace")
    result = invoke("add", liuzhou, "--city", "柳州市", "--replace", "--date", "2022-04-01", "--data-dir", data)
    assert result.exit_code == 0 and "replaced" in result.output, result.output
    (plan,) = _plans(data, "--no-examples")
    assert plan["date"] == "2022-04-01" and plan["file"] != first["file"]
    assert not (data / "plans" / first["file"]).exists()


def test_a_plan_about_one_county(tmp_path):
    data = tmp_path / "data"
    path = tmp_path / "融安.txt"
    path.write_text(RONGAN, encoding="utf-8")
    result = invoke("add", path, "--city", "柳州市", "--county", "融安县", "--data-dir", data)
    assert result.exit_code == 0, result.output
    assert json.loads((data / "plans" / "documents.json").read_text(encoding="utf-8"))[0]["county"] == "融安县"
    assert invoke("build", "-q", "--no-examples", "--data-dir", data).exit_code == 0
    from kg.store import SPARQL_PREFIXES, open_store, sparql_select

    rows = sparql_select(open_store(data), "SELECT ?c WHERE { ?d a hk:PlanDocument ; hk:county/skos:prefLabel ?c }",
                         prefixes=SPARQL_PREFIXES)
    assert [r["c"].value for r in rows] == ["融安县"]


@pytest.mark.parametrize(("args", "words"), [
    (["--city", "广西壮族自治区"], ["is a province", "--province 广西壮族自治区"]),
    (["--city", "融安县"], ["is a county of 柳州市", "--city 柳州市 --county 融安县"]),
    (["--city", "柳州市", "--province", "江西省"], ["柳州市 is in 广西壮族自治区, not in 江西省"]),
    (["--city", "南宁市", "--province", "江西省"], ["南宁市 is in 广西壮族自治区"]),
    (["--city", "柳州市", "--province", "柳州市"], ["not a known province"]),
    (["--city", "柳州市", "--county", "岑溪市"], ["岑溪市 is not in 柳州市", "梧州市"]),
    (["--city", "柳州市", "--county", "不存在县"], ["not a known county"]),
    (["--city", "朝阳区"], ["not a known city", "北京市", "吉林省"]),
    (["--city", "柳州市", "--date", "2022-13-45"], ["YYYY-MM-DD"]),
    (["--city", "柳州市", "--date", "2022-02-30"], ["YYYY-MM-DD"]),
    (["--city", "柳州市", "--title", "\x1b\x07\u202e\n"], ["--title is empty"]),
])
def test_metadata_is_checked_and_nothing_is_added(tmp_path, liuzhou, args, words):
    data = tmp_path / "data"
    refused(invoke("add", liuzhou, *args, "--data-dir", data), *words)
    assert not (data / "plans" / "documents.json").exists()


def test_a_title_with_control_characters_is_cleaned_with_a_message(tmp_path, liuzhou):
    data = tmp_path / "data"
    title = "柳州市\x1b[31m规划\n（2021）\u202e"
    result = invoke("add", liuzhou, "--city", "柳州市", "--title", title, "--data-dir", data)
    assert result.exit_code == 0, result.output
    assert "control character" in result.output
    assert _plans(data, "--no-examples")[0]["title"] == "柳州市[31m规划 （2021）"


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "plan.txt"
    with open(huge, "wb") as f:  # 200 MB, sparse: no disk is used
        f.truncate(200 * 1024 * 1024)
    result = invoke("add", huge, "--city", "柳州市", "--data-dir", tmp_path / "data")
    refused(result, "200 MB", "文件过大")


def test_a_long_text_is_refused(tmp_path, monkeypatch):
    import kg.documents.base as base

    monkeypatch.setattr(base, "MAX_TEXT_CHARS", 1000)
    path = tmp_path / "plan.txt"
    path.write_text(LIUZHOU * 10, encoding="utf-8")  # 1,790 characters
    refused(invoke("add", path, "--city", "柳州市", "--data-dir", tmp_path / "data"), "more than a plan can be")


def test_bad_input_never_loses_a_plan_or_the_built_graph(tmp_path, liuzhou):
    data = tmp_path / "data"
    assert invoke("add", liuzhou, "--city", "柳州市", "--data-dir", data).exit_code == 0
    assert invoke("build", "-q", "--no-examples", "--data-dir", data).exit_code == 0
    graph = current_build(data)
    plans_before = {p.name: p.read_bytes() for p in (data / "plans").iterdir()}
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\n%\xe2\xe3 broken")
    refused(invoke("add", bad, "--city", "柳州市", "--data-dir", data), "not a readable PDF")
    refused(invoke("add", liuzhou, "--city", "柳州市", "--data-dir", data), "already there")
    refused(invoke("remove", "no such plan", "--data-dir", data), "none of your plans")
    # a documents.json broken by hand: add and build refuse, the plans and the graph stay
    meta = data / "plans" / "documents.json"
    good = meta.read_bytes()
    meta.write_bytes(b"[{")
    refused(invoke("add", bad, "--city", "柳州市", "--data-dir", data), "not a readable PDF")
    other = tmp_path / "other.txt"
    other.write_text(RONGAN, encoding="utf-8")
    refused(invoke("add", other, "--city", "柳州市", "--data-dir", data), "fix or remove it first")
    refused(invoke("build", "-q", "--data-dir", data), "documents.json")
    assert current_build(data) == graph
    meta.write_bytes(good)
    assert {p.name: p.read_bytes() for p in (data / "plans").iterdir()} == plans_before


def test_the_default_graph_is_per_user_whatever_the_folder(tmp_path, corpus_dir):
    home = tmp_path / "xdg"
    env = {k: v for k, v in ENV.items() if k != "KG_DATA_DIR"} | {"XDG_DATA_HOME": str(home)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus_dir / PLAN_000, corpus / PLAN_000)
    meta = [m for m in json.loads((corpus_dir / "documents.json").read_text(encoding="utf-8")) if m["file"] == PLAN_000]
    (corpus / "documents.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    proc = kg("build", "-q", "--corpus", corpus, cwd=elsewhere, env=env)
    assert proc.returncode == 0, proc.stderr
    assert (home / "kg" / "CURRENT").exists() and not (elsewhere / ".kg").exists()
    other = tmp_path / "other"
    other.mkdir()
    proc = kg("ask", "--json", "钦州市有哪些精神病医院？", cwd=other, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "钦州市精神病医院共1家" in proc.stdout  # answered from the graph built in the other folder


def test_a_graph_other_than_the_default_is_named_on_a_terminal(tmp_path, data_dir):
    import pty

    main, secondary = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "kg", "stats", "--json", "--data-dir", str(data_dir)],
                          stdout=subprocess.PIPE, stderr=secondary, env=ENV, timeout=300, check=False)
    os.close(secondary)
    said = os.read(main, 4096).decode("utf-8", "replace")
    os.close(main)
    assert proc.returncode == 0
    assert f"图谱 graph: {data_dir}" in said
    json.loads(proc.stdout)  # the machine-readable output stays clean
    # not on a pipe: scripts get only what they asked for
    assert "图谱 graph" not in kg("stats", "--json", "--data-dir", data_dir).stderr
