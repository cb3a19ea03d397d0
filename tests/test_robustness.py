"""Issue #7: bad input never breaks a command (non-zero exit, a clear message, no traceback) and never
loses the graph (a killed, failed or concurrent build leaves the previous graph answering)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.store import current_build

runner = CliRunner()
# A strict UTF-8 stdout (as a pipe into a UTF-8 program): text that cannot be encoded must not crash.
ENV = os.environ | {"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}
QUESTION = "梧州市第三人民医院的功能定位是什么？"
GBK_QUESTION = "梧州市有哪些中医医院？".encode("gbk")


def kg(*args: str | bytes | Path, stdin: bytes | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real command line; stdout/stderr decoded leniently into .out/.err."""
    argv = [os.fsencode(a) if isinstance(a, Path) else a for a in args]
    proc = subprocess.run([sys.executable, "-m", "kg", *argv], input=stdin, capture_output=True, env=ENV,
                          timeout=timeout, check=False)
    proc.out = proc.stdout.decode("utf-8", "replace")  # type: ignore[attr-defined]
    proc.err = proc.stderr.decode("utf-8", "replace")  # type: ignore[attr-defined]
    return proc


def refused(proc: subprocess.CompletedProcess, code: int, *words: str) -> None:
    assert "Traceback" not in proc.err, proc.err
    assert proc.returncode == code, (proc.returncode, proc.err[-500:])
    assert "错误 error" in proc.err
    for word in words:
        assert word in proc.err, proc.err


def refused_in_process(result, code: int, *words: str) -> None:
    """CliRunner: the command ended through typer.Exit (a handled error), not an exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, (result.exit_code, result.output[-500:])
    for word in words:
        assert word in result.output, result.output


@pytest.fixture(scope="module")
def graph(data_dir) -> Path:
    """The session graph with the question caches filled (so each `kg ask` process starts warm)."""
    from kg.qa import ask, load

    assert ask(load(data_dir), QUESTION)["status"] == "answered"
    return data_dir


@pytest.fixture
def scratch(graph, tmp_path) -> Path:
    """A copy of the good graph that a test may break or rebuild."""
    return Path(shutil.copytree(graph, tmp_path / "data"))


def _stats(data: Path) -> dict:
    proc = kg("stats", "--json", "--data-dir", data)
    assert proc.returncode == 0, proc.err
    return json.loads(proc.out)


def _answer(data: Path, question: str = QUESTION) -> dict:
    proc = kg("ask", "--json", question, "--data-dir", data)
    assert proc.returncode == 0 and "Traceback" not in proc.err, proc.err
    return json.loads(proc.out)


# ---- kg ask: an unanswerable question is an answer (exit 0), an unreadable one an error --------

@pytest.mark.parametrize(("question", "code", "status"), [
    ("", 2, None),
    ("  \t\u3000 ", 2, None),
    ("a" * 100_000, 2, "error"),  # 100,000 characters (argv holds at most 128 KiB per argument)
    (GBK_QUESTION, 2, None),  # bytes in GBK: refused, not read as gibberish
    ("\x01\x02\x7f\x1b[31m", 0, "unanswerable"),
    ("😀🏥❓", 0, "unanswerable"),
    ("Which hospitals are in Wuzhou?", 0, "unanswerable"),
])
def test_ask_exit_code_says_whether_the_question_was_readable(graph, question, code, status):
    proc = kg("ask", "--json", question, "--data-dir", graph)
    assert "Traceback" not in proc.err, proc.err
    assert proc.returncode == code, proc.err
    if status:
        assert json.loads(proc.out)["status"] == status
    if code:
        assert "错误 error" in proc.err or json.loads(proc.out)["message"]
    if question == GBK_QUESTION:
        assert "KG001" in proc.err and "not UTF-8" in proc.err


def test_ask_a_question_of_100000_chinese_characters_is_refused(graph):
    result = runner.invoke(app, ["ask", "--json", "梧" * 100_000, "--data-dir", str(graph)])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2
    reply = json.loads(result.stdout)
    assert reply["status"] == "error" and "问题太长（100000 字）" in reply["message"]
    assert len(reply["question"]) < 100  # the echo is cut, not 100,000 characters back


def test_batch_answers_every_line_whatever_it_holds(graph, tmp_path):
    lines = [{"id": "empty", "q": ""}, {"id": "blank", "q": "   "}, {"id": "long", "q": "梧" * 100_000},
             {"id": "emoji", "q": "😀😀"}, {"id": "en", "q": "Which hospitals?"}, {"id": "num", "q": 123},
             {"id": "none"}, {"id": "ok", "q": QUESTION}]
    text = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n[1, 2]\n\n"
    batch = tmp_path / "q.jsonl"
    batch.write_text(text, encoding="utf-8")
    proc = kg("ask", "--batch", batch, "--json", "--data-dir", graph)
    assert proc.returncode == 0 and "Traceback" not in proc.err, proc.err
    got = [json.loads(x) for x in proc.out.splitlines()]
    assert [(r["id"], r["status"]) for r in got] == [
        ("empty", "error"), ("blank", "error"), ("long", "error"), ("emoji", "unanswerable"),
        ("en", "unanswerable"), ("num", "unanswerable"), ("none", "error"), ("ok", "answered"),
        (9, "unanswerable"), (10, "error")]  # a plain-text line is a question; JSON not an object is not
    assert got[7]["answers"][0]["text"] == "市级定点收治医院"


@pytest.mark.parametrize("content", [GBK_QUESTION, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"],
                         ids=["gbk", "binary"])
def test_batch_file_that_is_not_utf8_is_refused(graph, tmp_path, content):
    batch = tmp_path / "q.jsonl"
    batch.write_bytes(b'{"id": 1, "q": "' + content + b'"}\n')
    refused(kg("ask", "--batch", batch, "--data-dir", graph), 2, "cannot read")


INJECTIONS = ['" } ; DROP ALL ; #', "' } UNION { ?s ?p ?o } #", "\\\" ) FILTER(true) #",
              "> <urn:INJECTED> . }", "}}} INSERT DATA { <urn:INJECTED> <urn:p> 1 } {{{", "${s} ?s <urn:INJECTED>"]
CLEAN = [QUESTION, "梧州市有哪些中医医院？", "钦州市第二人民医院参加了哪些体系？", "钦州的约束性指标有哪些？"]


@pytest.fixture(scope="module")
def asker(graph):
    from kg.qa import load

    return load(graph)


def _fresh(asker, question: str) -> dict:
    from kg.qa import ask

    return ask(asker, question)  # no follow-up context between questions


@pytest.mark.parametrize("clean", CLEAN)
def test_sparql_fragments_in_a_question_are_never_query_text(asker, clean):
    expected = _fresh(asker, clean)
    assert expected["status"] == "answered"
    for payload in INJECTIONS:
        # before or after the question (inside a name it would change the name, not the query)
        for question in (clean + payload, payload + clean):
            got = _fresh(asker, question)
            assert got["status"] in ("answered", "passage", "unanswerable", "ambiguous"), (question, got["message"])
            sparql = got["sparql"] or ""
            assert "INJECTED" not in sparql and "DROP" not in sparql and "FILTER(true)" not in sparql
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in sparql), "question text in the SPARQL"
            if got["status"] == "answered":
                assert [a["text"] for a in got["answers"]] == [a["text"] for a in expected["answers"]], question


def test_quotes_inside_a_name_do_not_reach_the_query(asker):
    for question in ['梧州市"第三人民医院的功能定位是什么？', "梧州市'有哪些中医医院？", "梧州市\\有哪些中医医院？"]:
        got = _fresh(asker, question)
        assert got["status"] != "error"
        assert not any(q in (got["sparql"] or "") for q in ("梧州", "\\有"))


# ---- kg sparql -------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["run", "no_such_query"], ["run", "institutions_by_city", "--param", "nope=1"],
                                  ["run", "institutions_by_city", "--param", "city"], ["run"],
                                  ["SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "--param", "city=梧州市"]])
def test_sparql_unknown_names_and_parameters(graph, args):
    refused_in_process(runner.invoke(app, ["sparql", "--data-dir", str(graph), *args]), 4, "错误 error")


@pytest.mark.parametrize("query", ["DROP ALL", "drop graph <urn:x>",
                                   "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                   "PREFIX a: <urn:a#>\n# note\n  insert data { a:x a:y a:z }",
                                   "CREATE GRAPH <urn:g>", "COPY DEFAULT TO <urn:g>", "# SELECT * {}\nDROP ALL",
                                   "BASE <urn:x>\nPREFIX : <urn:x#>\tCLEAR DEFAULT", "ADD DEFAULT TO <urn:g>",
                                   "MOVE <urn:a> TO <urn:b>"])
def test_sparql_updates_are_refused_and_the_graph_is_unchanged(graph, query):
    from kg.store import open_store

    before = len(open_store(graph))
    refused_in_process(runner.invoke(app, ["sparql", "--data-dir", str(graph), query]), 4, "read-only")
    assert len(open_store(graph)) == before


def test_update_after_a_select_is_a_syntax_error_not_run(graph):
    result = runner.invoke(app, ["sparql", "--data-dir", str(graph), "SELECT * WHERE { ?s ?p ?o } ; DROP ALL"])
    refused_in_process(result, 4, "SPARQL syntax error", "line:column 1:")


@pytest.mark.parametrize("query", ["", "   \n ", "SELECT " * 20_000, "}" * 100_000, "😀",
                                   "SELECT ?x WHERE { ?x ?y \"\\"])
def test_sparql_garbage_is_a_syntax_error(graph, query):
    refused_in_process(runner.invoke(app, ["sparql", "--data-dir", str(graph), query]), 4, "SPARQL syntax error")


def test_sparql_from_binary_or_gbk_sources(graph, tmp_path):
    binary = tmp_path / "q.rq"
    binary.write_bytes(b"\x00\xff\xfe SELECT")
    refused(kg("sparql", "-f", binary, "--data-dir", graph), 4, "cannot read")
    refused(kg("sparql", b"SELECT * WHERE { ?s ?p \"" + GBK_QUESTION + b"\" }", "--data-dir", graph), 2, "KG001")


def test_sparql_query_on_stdin_that_is_not_utf8(graph):
    refused(kg("sparql", "--data-dir", graph, stdin=b"SELECT * WHERE { ?s ?p \"" + GBK_QUESTION + b"\" }"), 4)


@pytest.mark.parametrize("timeout", ["nan", "1e300", "inf"])
def test_sparql_timeout_that_is_not_a_duration_is_refused(graph, timeout):
    refused(kg("sparql", "--timeout", timeout, "ASK { ?s ?p ?o }", "--data-dir", graph), 4, "--timeout")


# ---- every command on a missing, misplaced or corrupt data directory --------------------------

READERS = [["stats"], ["facts"], ["export"], ["viz", "--stats"], ["sparql", "ASK { ?s ?p ?o }"], ["ask", QUESTION]]


def _break(data: Path, how: str) -> None:
    build = current_build(data)
    store = build / "store"
    if how == "garbage CURRENT":
        (data / "CURRENT").write_bytes(b"\x00\xff\xfegarbage\n")
    elif how == "CURRENT escapes":
        (data / "CURRENT").write_text("../..", encoding="utf-8")
    elif how == "build dir missing":
        shutil.rmtree(build)
    elif how == "store files truncated":
        for f in store.glob("*.sst"):
            f.write_bytes(f.read_bytes()[:100])
    elif how == "store files garbage":
        for f in store.iterdir():
            f.write_bytes(b"garbage" * 3)
    elif how == "no CURRENT":
        (data / "CURRENT").unlink()


@pytest.mark.parametrize("how", ["garbage CURRENT", "CURRENT escapes", "build dir missing", "store files truncated",
                                 "store files garbage", "no CURRENT"])
def test_corrupt_data_dir_is_reported_by_every_command(scratch, how):
    _break(scratch, how)
    for args in READERS:
        result = runner.invoke(app, [*args, "--data-dir", str(scratch)])
        refused_in_process(result, 3, "kg build")


def test_kg_build_repairs_a_data_dir_with_a_garbage_current(scratch, corpus_dir):
    stats = _stats(scratch)
    (scratch / "CURRENT").write_bytes(b"\x00\xff garbage")
    result = runner.invoke(app, ["build", "-q", "--corpus", str(corpus_dir), "--data-dir", str(scratch)])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert _stats(scratch) == stats


def test_build_from_a_corpus_that_is_missing_or_a_file(scratch, tmp_path):
    before = current_build(scratch)
    for corpus in (tmp_path / "missing", scratch / "CURRENT"):
        result = runner.invoke(app, ["build", "-q", "--corpus", str(corpus), "--data-dir", str(scratch)])
        refused_in_process(result, 2, "does not exist", "--corpus")
    assert current_build(scratch) == before


def test_data_dir_missing_or_a_file_as_subprocesses(tmp_path):
    afile = tmp_path / "a-file"
    afile.write_text("not a directory", encoding="utf-8")
    for args in READERS:
        refused(kg(*args, "--data-dir", tmp_path / "missing"), 3, "does not exist", "kg build")
        refused(kg(*args, "--data-dir", afile), 3, "not a directory")


@pytest.mark.parametrize("where", ["file", "under a file", "/proc"])
def test_build_into_an_unwritable_place_is_refused(tmp_path, corpus_dir, where):
    # Tests run as root, so chmod cannot make a directory read-only; these fail for root too.
    afile = tmp_path / "a-file"
    afile.write_text("x", encoding="utf-8")
    target = {"file": afile, "under a file": afile / "data", "/proc": Path("/proc/kg-robust-data")}[where]
    refused_in_process(runner.invoke(app, ["build", "-q", "--corpus", str(corpus_dir), "--data-dir", str(target)]),
                       3, "cannot write")
    assert afile.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("args", [["facts", "-o"], ["export", "-o"], ["viz", "--city", "钦州市", "-o"]])
def test_unwritable_output_file_is_a_message(graph, tmp_path, args):
    for target in (tmp_path, tmp_path / "missing" / "out.txt"):
        refused(kg(*args, target, "--data-dir", graph), 1, "cannot write")


@pytest.mark.parametrize(("option", "value"), [("--relation", "leadz"), ("--level", "国家级"), ("--city", "北京市")])
def test_viz_filter_naming_nothing_in_the_graph_is_refused(graph, option, value):
    result = runner.invoke(app, ["viz", "--stats", option, value, "--data-dir", str(graph)])
    refused_in_process(result, 1, "not in the graph", "the graph has")


def test_gbk_arguments_to_every_command(graph, tmp_path):
    for args in (["viz", "--city", GBK_QUESTION[:6], "--stats"], ["sparql", "run", "institutions_by_city", "--param",
                                                                   b"city=" + GBK_QUESTION[:6]],
                 ["add", tmp_path / "x.txt", "--city", GBK_QUESTION[:6], "--province", "广西壮族自治区",
                  "--corpus", tmp_path]):
        refused(kg(*args, "--data-dir", graph), 2, "KG001", "not UTF-8")


# ---- corpus and metadata: failed builds leave the previous graph current ----------------------

PLAN = "000_4d37015e455bafe6.txt"


def _corpus(tmp_path: Path, corpus_dir: Path, entries: object = None, files: dict[str, bytes] | None = None) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(corpus_dir / PLAN, corpus / PLAN)
    meta = json.loads((corpus_dir / "documents.json").read_text(encoding="utf-8"))
    own = [m for m in meta if m["file"] == PLAN]
    for name, data in (files or {}).items():
        (corpus / name).write_bytes(data)
    if entries is not None:
        text = entries if isinstance(entries, str) else json.dumps(entries(own[0]) if callable(entries) else entries,
                                                                   ensure_ascii=False)
        (corpus / "documents.json").write_text(text, encoding="utf-8")
    return corpus


BAD_METADATA = {
    "missing": (None, "documents.json is missing"),
    "not json": ("[{", "not valid UTF-8 JSON"),
    "not a list": ('{"file": "x"}', "JSON list"),
    "empty list": ("[]", "lists no plans"),
    "entry not an object": ("[1]", "lacks file"),
    "no city": (lambda m: [m | {"city": None}], "lacks city"),
    "city not text": (lambda m: [m | {"city": {"name": "钦州市"}}], "city must be text"),
    "file not text": (lambda m: [m | {"file": [PLAN]}], "file must be text"),
    "path outside the corpus": (lambda m: [m | {"file": "/etc/passwd"}], "must be a file name"),
    "parent path": (lambda m: [m | {"file": "../" + PLAN}], "must be a file name"),
    "listed twice": (lambda m: [m, m], "twice"),
    "bad date": (lambda m: [m | {"date": "2022/03/01"}], "YYYY-MM-DD"),
    "file not there": (lambda m: [m | {"file": "gone.txt"}], "gone.txt"),
    "binary plan": (lambda m: [m | {"file": "scan.pdf"}], "not a text file"),
    "not text in any encoding": (lambda m: [m | {"file": "latin.txt"}], "latin.txt is neither UTF-8 nor GB18030"),
    "empty plan": (lambda m: [m | {"file": "empty.txt"}], "empty.txt is empty"),
    "metadata not utf-8": (None, "not valid UTF-8"),
}
FILES = {"scan.pdf": b"%PDF-1.7\n\x00\x01\x02binary", "latin.txt": "Café crème brûlée, ça va. " .encode("latin-1") * 20,
         "empty.txt": b" \n\t\n"}


@pytest.mark.parametrize("case", list(BAD_METADATA))
def test_failed_build_reports_and_keeps_the_previous_graph(scratch, tmp_path, corpus_dir, case):
    entries, words = BAD_METADATA[case]
    if case == "metadata not utf-8":
        corpus = _corpus(tmp_path, corpus_dir)
        (corpus / "documents.json").write_bytes('[{"file": "钦州"}]'.encode("gbk"))
    else:
        corpus = _corpus(tmp_path, corpus_dir, entries, FILES)
    before = current_build(scratch)
    result = runner.invoke(app, ["build", "-q", "--corpus", str(corpus), "--data-dir", str(scratch)])
    refused_in_process(result, 2, words)
    assert current_build(scratch) == before
    assert not [p for p in (scratch / "builds").iterdir() if p.name.startswith("tmp-")]


def test_failed_build_as_a_subprocess_then_the_old_graph_answers(scratch, tmp_path, corpus_dir):
    before = _stats(scratch)
    corpus = _corpus(tmp_path, corpus_dir, lambda m: [m | {"file": "scan.pdf"}], FILES)
    refused(kg("build", "--corpus", corpus, "--data-dir", scratch), 2, "KG101", "not a text file")
    assert _stats(scratch) == before


def test_gb18030_plan_is_converted_with_a_warning(tmp_path, corpus_dir):
    text = (corpus_dir / PLAN).read_text(encoding="utf-8")
    corpus = _corpus(tmp_path, corpus_dir, lambda m: [m], {PLAN: text.encode("gb18030")})
    proc = kg("build", "--corpus", corpus, "--data-dir", tmp_path / "data")
    assert proc.returncode == 0 and "Traceback" not in proc.err, proc.err
    assert f"warning: {PLAN}: read as GB18030 and converted to UTF-8" in proc.err
    facts = [json.loads(x) for x in kg("facts", "--data-dir", tmp_path / "data").out.splitlines()]
    quotes = [s["quote"] for f in facts for s in f.get("sources", [])]
    assert len(quotes) > 20 and all(q in text for q in quotes)  # offsets and quotes are of the decoded text
    assert {f["city"] for f in facts if f["type"] == "institution"} == {"钦州市"}


def test_kg_add_converts_gb18030_and_refuses_what_is_not_a_plan(tmp_path, corpus_dir):
    corpus = tmp_path / "data" / "plans"  # the user's own plans, in the data directory
    text = (corpus_dir / PLAN).read_text(encoding="utf-8")
    gb = tmp_path / "plan.txt"
    gb.write_bytes(text.encode("gb18030"))
    args = ["--city", "钦州市", "--province", "广西壮族自治区", "--no-examples", "--data-dir", str(tmp_path / "data")]
    result = runner.invoke(app, ["add", str(gb), *args])
    assert result.exit_code == 0 and "read as GB18030" in result.output
    (entry,) = json.loads((corpus / "documents.json").read_text(encoding="utf-8"))
    assert (corpus / entry["file"]).read_text(encoding="utf-8") == text and entry["source"] == "plan.txt"
    meta = (corpus / "documents.json").read_bytes()
    for name, data in FILES.items():
        (tmp_path / name).write_bytes(data)
        refused_in_process(runner.invoke(app, ["add", str(tmp_path / name), *args]), 2, name)
    refused_in_process(runner.invoke(app, ["add", str(tmp_path / "none.txt"), *args]), 2, "is not a file")
    refused_in_process(runner.invoke(app, ["add", str(tmp_path), *args]), 2, "is not a file")
    refused_in_process(runner.invoke(app, ["add", str(gb), *args]), 2, "already there")
    assert (corpus / "documents.json").read_bytes() == meta  # nothing half-added


@pytest.mark.parametrize("meta", [b"[{", b'{"file": "a.txt"}', b"[1]", b"\xff\xfe[]", "[]".encode("utf-16")])
def test_kg_add_into_a_corpus_with_broken_metadata_changes_nothing(tmp_path, corpus_dir, meta):
    corpus = tmp_path / "data" / "plans"
    corpus.mkdir(parents=True)
    (corpus / "documents.json").write_bytes(meta)
    result = runner.invoke(app, ["add", str(corpus_dir / PLAN), "--city", "钦州市", "--province", "广西壮族自治区",
                                 "--no-examples", "--data-dir", str(tmp_path / "data")])
    refused_in_process(result, 2, "documents.json", "fix or remove it first")
    assert sorted(p.name for p in corpus.iterdir() if p.name != ".lock") == ["documents.json"]
    assert (corpus / "documents.json").read_bytes() == meta


def test_kg_add_into_a_corpus_path_that_is_a_file(tmp_path, corpus_dir):
    afile = tmp_path / "data"
    afile.write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["add", str(corpus_dir / PLAN), "--city", "钦州市", "--province", "广西壮族自治区",
                                 "--no-examples", "--data-dir", str(afile)])
    refused_in_process(result, 2, "cannot create the corpus directory")
    assert afile.read_text(encoding="utf-8") == "x"


# ---- atomic builds ----------------------------------------------------------------------------

def _tmp_builds(data: Path) -> list[Path]:
    return [p for p in (data / "builds").iterdir() if p.name.startswith("tmp-")]


def test_build_killed_midway_leaves_the_previous_graph_answering(scratch, corpus_dir):
    stats, answer = _stats(scratch), _answer(scratch)
    before = current_build(scratch)
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", "-q", "--corpus", str(corpus_dir),
                             "--data-dir", str(scratch)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 600
        while not _tmp_builds(scratch) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _tmp_builds(scratch), "the build never started writing its store"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    leftover = _tmp_builds(scratch)
    assert leftover and current_build(scratch) == before
    assert _stats(scratch) == stats
    assert _answer(scratch) == answer
    # the next build publishes over the debris and clears it
    result = runner.invoke(app, ["build", "-q", "--corpus", str(corpus_dir), "--data-dir", str(scratch)])
    assert result.exit_code == 0, result.output
    assert current_build(scratch) != before and not any(p.exists() for p in leftover)
    assert _stats(scratch) == stats


def test_asking_during_a_build_keeps_answering(scratch, corpus_dir):
    expected = _answer(scratch)
    build = subprocess.Popen([sys.executable, "-m", "kg", "build", "-q", "--corpus", str(corpus_dir),
                              "--data-dir", str(scratch)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # one long-lived reader (opened before the swap) and new processes started during the build
    reader = subprocess.Popen([sys.executable, "-m", "kg", "ask", "--json", "--data-dir", str(scratch)], env=ENV,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    answers = []
    try:
        while build.poll() is None:
            answers.append(_answer(scratch))
        assert build.returncode == 0, build.stderr.read().decode()
        out, err = reader.communicate(((QUESTION + "\n") * 3 + "\n").encode(), timeout=600)
    finally:
        for p in (build, reader):
            if p.poll() is None:
                p.kill()
    assert answers, "the build ended before any question was asked"
    assert all(a["answers"] == expected["answers"] for a in answers), len(answers)
    # the interactive prompt (问> ) precedes each JSON reply on its line
    replies = [json.loads(line[line.index("{"):]) for line in out.decode().splitlines() if "{" in line]
    assert [r["status"] for r in replies] == ["answered"] * 3 and b"Traceback" not in err
    print(f"{len(answers)} questions answered by new processes during one build")


def test_interactive_ask_refuses_a_gbk_line_and_goes_on(graph):
    proc = kg("ask", "--json", "--data-dir", graph, stdin=GBK_QUESTION + b"\n" + QUESTION.encode() + b"\n\n")
    assert "Traceback" not in proc.err and proc.returncode == 0, proc.err
    replies = [json.loads(line[line.index("{"):]) for line in proc.out.splitlines() if "{" in line]
    assert [r["status"] for r in replies] == ["error", "answered"]
