"""An incremental build (kg/build_delta.py: the previous build's store and name index copied, only the
parts of plans whose inputs changed written again) gives what a full build of the same plans gives:
the same graph (sorted N-Quads), the same sentence tables and lexicon rows in the name index, and the
same answers to the dev questions.

Starting from the session's corpus build (its data directory copied): adding a second 钦州 document that
names 钦州's institutions again (so what the registry says of institutions other plans name may
change), changing that document, removing plan 002. After each step, a full build of the same plans
in a fresh directory (the extraction cache copied, so only the graph is written again) is the reference.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.build import build
from kg.build_cache import CACHE_DIR
from kg.qa.name_index import INDEX_FILE
from kg.store import current_build, open_store

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
DEV = Path(__file__).resolve().parent / "data" / "questions-dev.jsonl"


def _documents() -> list[dict]:
    return json.loads((CORPUS / "documents.json").read_text(encoding="utf-8"))


def _lines(name_start: str, first: int, last: int) -> str:
    path = next(CORPUS.glob(f"{name_start}_*.txt"))
    return "\n".join(path.read_text(encoding="utf-8").splitlines()[first:last]) + "\n"


QINZHOU = {"file": "901_qinzhou.txt", "city": "钦州市", "province": "广西壮族自治区",
           "title": "钦州市医疗卫生服务体系规划（补充）"}
CHANGED = "钦州市第一人民医院新增床位500张，钦州市妇幼保健院迁建。\n"


def _corpus(root: Path, files: dict[str, str], drop: tuple[str, ...] = ()) -> Path:
    """The shipped plans (less those whose file starts with `drop`) and `files` (name → text)."""
    root.mkdir(parents=True)
    docs = [d for d in _documents() if not d["file"].startswith(drop)]
    for d in docs:
        shutil.copy(CORPUS / d["file"], root / d["file"])
    for meta in (QINZHOU,):
        if meta["file"] in files:
            (root / meta["file"]).write_text(files[meta["file"]], encoding="utf-8")
            docs.append(dict(meta))
    (root / "documents.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    return root


def _nquads(data: Path) -> list[str]:
    return sorted(str(q) for q in open_store(data))


def _index(data: Path) -> dict[str, list]:
    """The name index's content, sentence numbers replaced by the sentences (they are numbered per
    document, so a document added later has other numbers than in a full build, in the same order)."""
    con = sqlite3.connect(current_build(data) / INDEX_FILE)
    try:
        return {
            "passages": con.execute("SELECT span, doc, title, city, quote, section, start, len FROM passage "
                                    "ORDER BY id").fetchall(),
            "postings": sorted(con.execute("SELECT term, span, tf FROM posting JOIN passage ON id = passage")),
            "df": sorted(con.execute("SELECT term, df FROM term_df")),
            "runs": [(c, *con.execute("SELECT min(span), max(span), count(*) FROM passage WHERE id BETWEEN ? AND ?",
                                      (lo, hi)).fetchone()) for c, lo, hi in
                     con.execute("SELECT city, lo, hi FROM city_run ORDER BY lo").fetchall()],
            "canon": sorted(con.execute("SELECT iri, label FROM canon")),
            "meta": sorted(con.execute("SELECT key, value FROM meta WHERE key NOT IN ('blocks', 'max_len')")),
        }
    finally:
        con.close()


def _reference(root: Path, corpus: Path, cache_from: Path) -> Path:
    """A full build of `corpus` in a fresh directory, with the plans' records of `cache_from`."""
    data = root / "data"
    shutil.copytree(cache_from / CACHE_DIR, data / CACHE_DIR)
    report = build(corpus, data, jobs=1)
    assert report.from_previous == 0 and report.from_cache == report.plans
    return data


STEPS = ("add", "change", "remove")


@pytest.fixture(scope="module")
def steps(tmp_path_factory, data_dir) -> dict[str, dict]:
    """Each step's incremental build and its reference: reports, graphs and indexes."""
    root = tmp_path_factory.mktemp("incremental")
    data = root / "data"
    shutil.copytree(data_dir, data)  # the session's corpus build: its store, parts, index and records
    qinzhou = _lines("000", 0, 60)
    corpora = {
        "add": _corpus(root / "c1", {QINZHOU["file"]: qinzhou}),
        "change": _corpus(root / "c2", {QINZHOU["file"]: qinzhou + CHANGED}),
        "remove": _corpus(root / "c3", {QINZHOU["file"]: qinzhou + CHANGED}, drop=("002",)),
    }
    out = {}
    for step in STEPS:
        report = build(corpora[step], data, jobs=1)
        reference = _reference(root / f"ref-{step}", corpora[step], data)
        out[step] = {"report": report, "graph": _nquads(data), "reference_graph": _nquads(reference),
                     "index": _index(data), "reference_index": _index(reference),
                     "lexicon": _lexicon_rows(data), "reference_lexicon": _lexicon_rows(reference)}
    out["data"], out["reference"] = data, reference
    return out


def _lexicon_rows(data: Path) -> list[str]:
    """The rows the lexicon is made of (in no fixed order: LEXICON_QUERY's order is Oxigraph's)."""
    from kg.qa.linking import build_lexicon_rows

    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True) for r in build_lexicon_rows(open_store(data)))


@pytest.mark.parametrize("step", STEPS)
def test_incremental_graph_is_the_full_builds(steps, step):
    s = steps[step]
    # the step wrote only some plans again: the others' parts were taken over
    assert 0 < s["report"].from_previous < s["report"].plans
    assert s["graph"] == s["reference_graph"]


@pytest.mark.parametrize("step", STEPS)
def test_incremental_name_index_is_the_full_builds(steps, step):
    s = steps[step]
    assert s["index"]["passages"], "the index holds the plans' sentences"
    for table in s["index"]:
        assert s["index"][table] == s["reference_index"][table], table


def test_which_parts_are_written_again(steps):
    """Adding a 钦州 document rewrites at most the 钦州 plans (their institutions' names, aliases or
    status may change) and keeps 梧州's and 赣州's; changing it keeps those too; removing 002 keeps 梧州's."""
    add, change, remove = (steps[s]["report"] for s in STEPS)
    assert (add.plans, change.plans, remove.plans) == (5, 5, 4)
    assert add.from_previous >= 2 and change.from_previous >= 2 and remove.from_previous >= 1


def test_incremental_lexicon_is_the_full_builds(steps):
    """The name index's lexicon is written whole each build from the graph: the same rows. (Not the
    same table: lexicon_from_rows keeps the first label it meets, and the rows come in an order
    Oxigraph does not fix — two readings of one store can give a few labels more or less.)"""
    for step in STEPS:
        assert steps[step]["lexicon"] == steps[step]["reference_lexicon"], step


def test_incremental_answers_are_the_full_builds(steps):
    from kg.cli import app

    runner = CliRunner()
    answers = [runner.invoke(app, ["ask", "--data-dir", str(steps[d]), "--batch", str(DEV), "--json"])
               for d in ("data", "reference")]
    assert all(r.exit_code == 0 for r in answers), [r.output[-500:] for r in answers]
    assert answers[0].output == answers[1].output
    assert len(answers[0].output.splitlines()) == len(DEV.read_text(encoding="utf-8").splitlines())


def test_a_changed_rule_gives_another_graph_version(tmp_path, monkeypatch):
    """A build whose rules, vocabularies or writer code changed does not take parts over: the
    version its parts are kept under covers the rule files (and, through the pipeline's version,
    kg/data and the ontology)."""
    import kg.paths
    from kg import build_cache

    rules = tmp_path / "rules"
    shutil.copytree(kg.paths.RULES_DIR, rules)
    build_cache.graph_version.cache_clear()
    before = build_cache.graph_version()
    monkeypatch.setattr(kg.paths, "RULES_DIR", rules)
    build_cache.graph_version.cache_clear()
    assert build_cache.graph_version() == before
    rule = sorted(rules.glob("*.ru"))[0]
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    build_cache.graph_version.cache_clear()
    assert build_cache.graph_version() != before
    monkeypatch.undo()
    build_cache.graph_version.cache_clear()


def test_full_flag_writes_every_part_again(tmp_path):
    corpus = _corpus(tmp_path / "c", {QINZHOU["file"]: _lines("000", 0, 30)}, drop=("0",))
    data = tmp_path / "data"
    assert build(corpus, data, jobs=1).from_previous == 0
    assert build(corpus, data, jobs=1).from_previous == 1
    report = build(corpus, data, jobs=1, full=True)
    assert report.from_previous == 0 and report.from_cache == 0
