"""The name index written by `kg build` (kg/qa/name_index.py) links questions exactly as the lexicon
read from the store did, and a build without it (made before it existed) still answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.qa import ask, load, load_config
from kg.qa.linking import Lexicon, build_lexicon_rows, find_mentions, fuzzy_candidates, lexicon_from_rows
from kg.qa.name_index import INDEX_FILE, IndexedLexicon, lexicon_params, open_name_index, write_name_index
from kg.store import current_build

DEV = Path(__file__).parent / "data" / "questions-dev.jsonl"


@pytest.fixture(scope="module")
def lexicons(data_dir, store, tmp_path_factory) -> tuple[IndexedLexicon, Lexicon]:
    """The index and the in-memory lexicon of the same rows (the store returns them in an order of
    its own, so two reads may list a label's entries differently; a build caches one read)."""
    config = load_config()
    assert isinstance(open_name_index(current_build(data_dir), config), IndexedLexicon)  # kg build wrote it
    p = lexicon_params(config)
    memory = lexicon_from_rows(build_lexicon_rows(store), p["synonyms"], p["optional_words"], p["measure_heads"],
                               p["ordinal_names"])
    where = tmp_path_factory.mktemp("index")
    write_name_index(where, store, config, lexicon=memory)
    indexed = open_name_index(where, config)
    assert isinstance(indexed, IndexedLexicon)
    return indexed, memory


def dev_questions() -> list[str]:
    return [json.loads(line)["q"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_index_holds_the_lexicon(lexicons):
    indexed, memory = lexicons
    assert list(indexed.by_label.items()) == list(memory.by_label.items())
    assert indexed.max_len == memory.max_len
    assert all(indexed.names.get(iri) == label for iri, label in memory.names.items())
    # a real institution of the corpus and its short name inside its own plan
    assert [e.label for e in indexed.by_label["梧州市红十字会医院"]] == ["梧州市红十字会医院"]
    assert indexed.by_label.get("市红十字会医院")[0].city == "梧州市"
    assert indexed.by_label.get("没有这个医院") is None


def test_index_links_questions_as_the_lexicon_did(lexicons):
    indexed, memory = lexicons
    for q in dev_questions():
        assert find_mentions(q, indexed) == find_mentions(q, memory), q
        known = find_mentions(q, memory)
        assert fuzzy_candidates(q, indexed, known=known) == fuzzy_candidates(q, memory, known=known), q
    # a name with one character wrong is offered from the index too
    assert "梧州市红十字会医院" in fuzzy_candidates("梧州市红十字医医院有多少床位", indexed)


def test_index_reads_by_type_and_iri(lexicons):
    indexed, memory = lexicons
    for types in (("city",), ("county",), ("measure",), ("nature",), ("institution",)):
        assert list(indexed.labelled(*types)) == list(memory.labelled(*types))
        assert list(indexed.buckets(*types)) == list(memory.buckets(*types))
    iris = {e.iri for _, e in memory.labelled("institution", "consortium", "unit", "measure", "city")}
    for iri in sorted(iris):
        assert indexed.labels_of(iri) == memory.labels_of(iri)
        assert indexed.city_of(iri) == memory.city_of(iri)


def test_index_of_another_vocabulary_is_not_used(data_dir):
    config = load_config()
    config["synonyms"] = {**(config.get("synonyms") or {}), "人民医院": ["人医"]}
    assert open_name_index(current_build(data_dir), config) is None


def test_build_without_index_answers_the_same(data_dir, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(data_dir, old)
    (current_build(old) / INDEX_FILE).unlink()  # a build made before the index existed
    kb_old, kb_new = load(old), load(data_dir)
    assert not isinstance(kb_old.lexicon, IndexedLexicon) and isinstance(kb_new.lexicon, IndexedLexicon)
    for q in ["梧州市有哪些中医医院？", "梧州市红十字会医院的床位是多少？", "藤县人民医院牵头哪些医共体？"]:
        assert ask(kb_old, q) == ask(kb_new, q), q
    reply = ask(kb_new, "梧州市有哪些中医医院？")
    assert reply["status"] == "answered" and all(a["sources"] for a in reply["answers"])


def test_text_sqlite_cannot_take_links_like_the_lexicon(lexicons):
    indexed, memory = lexicons
    q = "梧州市\ud91a红十字会医院有多少床位"  # a lone surrogate pasted into a question
    assert find_mentions(q, indexed) == find_mentions(q, memory)
    assert [m.text for m in find_mentions(q, indexed)] == ["梧州市", "红十字会", "医院", "床位"]
    assert fuzzy_candidates(q, indexed) == fuzzy_candidates(q, memory)


OWN = [Path(__file__).parent / "data" / f"questions-own-{part}.jsonl" for part in ("tune", "heldout")]


def all_questions() -> list[str]:
    return dev_questions() + [json.loads(line)["q"] for p in OWN
                              for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_index_holds_the_sentences_and_ranks_them_as_the_rows_in_memory(data_dir, store):
    """The plan sentences shown as related text are served per question from the index: the same
    rows in the same order as passages.rq.j2 over the store, the same ranking as over all of them."""
    from kg.qa.passages import PassageIndex, passages_sparql
    from kg.store import sparql_select, term_value

    kb = load(data_dir)
    indexed = kb.passage_index()
    rows = [{k: term_value(v) for k, v in r.items()} for r in sparql_select(store, passages_sparql(),
                                                                            prefixes=kb_prefixes())]
    assert kb.passages() == rows and len(rows) > 1000
    assert kb.passages("梧州市") == [r for r in rows if r["city"] == "梧州市"] != []
    memory = PassageIndex(rows)
    assert indexed.n == len(rows) and indexed.avg_len == memory.avg_len
    ranked = 0
    for q in all_questions():
        for city in (None, "梧州市", "钦州市", "赣州市"):
            got = indexed.rank(q, city)
            assert got == memory.rank(q, city), (q, city)
            ranked += bool(got)
    assert ranked > 100
    found = indexed.rank("梧州市人民医院儿童传染病病区建设", "梧州市")
    assert found[0]["quote"] == "加强梧州市工人医院、梧州市人民医院儿童传染病病区建设。"


def kb_prefixes() -> str:
    from kg.qa.linking import PREFIXES

    return PREFIXES


def test_places_of_other_cities_are_told_apart_as_with_the_whole_gazetteer(data_dir, monkeypatch):
    """unknown_place reads the gazetteer's names from the index first and loads the gazetteer only
    when a region name starts somewhere no linked name does: the same verdict for every question."""
    from kg.qa.parse import parse, unknown_place

    kb = load(data_dir)
    questions = [*all_questions(), "北京市有哪些三级医院？", "梧州市人民医院和南宁市第一人民医院哪个床位多？",
                 "广西壮族自治区梧州市藤县人民医院牵头哪些医共体？", "上海市浦东新区有哪些社区卫生服务中心？"]
    verdicts = {}
    for q in questions:
        parsed = parse(kb, q)
        with monkeypatch.context() as m:
            m.setattr(kb, "region_names_in", lambda text: None)  # the whole gazetteer, as before the index
            expected = unknown_place(kb, parsed)
        verdicts[q] = unknown_place(kb, parsed)
        assert verdicts[q] == expected, q
    assert verdicts["北京市有哪些三级医院？"] == "北京市"
    assert verdicts["梧州市人民医院和南宁市第一人民医院哪个床位多？"] == "南宁市"
    # the index also holds the short names of prefecture-level cities (梧州, 桂林): a city named without
    # 市 is found by it, where the whole gazetteer is read only for names with their suffix
    assert kb.region_names_in("梧州市人民医院牵头哪个医联体？") == [(0, "梧州"), (0, "梧州市")]
    assert unknown_place(kb, parse(kb, "桂林的每千人口床位数是多少？")) == "桂林"


def test_region_names_of_another_gazetteer_are_not_used(data_dir, monkeypatch):
    import kg.qa.name_index as name_index

    kb = load(data_dir)
    monkeypatch.setattr(name_index, "regions_key", lambda: "another gazetteer")
    assert kb.region_names_in("北京市有哪些三级医院？") is None
