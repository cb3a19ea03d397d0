"""One Knowledge answers every question for as long as it lives (`kg serve` keeps one for all users, the
test session one for all files): what earlier questions left in its caches never changes a later answer.

The bug this guards: the name index's label cache (IndexedLexicon.lookup) is bounded; when it was
emptied in the middle of a lookup, the labels it had held before that call were missing from the call's
answer — after ~100 000 labels looked up (three test files' questions), 钦州呢？ after 梧州2025年每千人口
床位数是多少？ lost 每千人口床位数 and was not answered. The tests lower the bound so that real
questions reach it within a few questions."""

from __future__ import annotations

import json
import warnings

import pytest

from kg.paths import REPO_DIR
from kg.qa import Context, answer, ask, load
from kg.qa.name_index import IndexedLexicon

DEV = REPO_DIR / "tests" / "data" / "questions-dev.jsonl"
SMALL_CACHE = 300  # labels: a question looks up 100–400 pieces of itself, so it is emptied every question or two


def earlier_questions(n: int = 25) -> list[str]:
    lines = DEV.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["q"] for line in lines if line.strip()][:n]


CONVERSATION = [("梧州市第三人民医院2025年规划编制床位是多少？", 420), ("那梧州市人民医院呢？", 1110),
                ("它的实际开放床位是多少？", 790), ("梧州2025年每千人口床位数是多少？", None), ("钦州呢？", 7),
                ("2020年呢？", 6.06)]


def conversation(ask_one) -> list:
    """The first answer's value of each question of the conversation, asked through `ask_one(question,
    earlier questions)`."""
    asked: list[str] = []
    values = []
    for question, _ in CONVERSATION:
        reply = ask_one(question, list(asked))
        values.append(reply["answers"][0]["value"] if reply["answers"] else None)
        asked.append(question)
    return values


@pytest.fixture
def kb(data_dir):
    kb = load(data_dir)
    assert isinstance(kb.lexicon, IndexedLexicon)  # the build wrote its name index
    kb.lexicon.cache_limit = SMALL_CACHE
    return kb


def test_a_lookup_that_empties_the_cache_still_answers_the_labels_it_held(kb):
    index = kb.lexicon
    assert set(index.lookup(["钦州", "梧州"])) == {"钦州", "梧州"}
    index._cache.update({f"未见过的词{i}": [] for i in range(SMALL_CACHE)})  # earlier questions' pieces
    found = index.lookup(["钦州", "梧州", "赣州", "每千人口床位数"])
    assert set(found) == {"钦州", "梧州", "赣州", "每千人口床位数"}
    assert len(index._cache) <= SMALL_CACHE + 2  # and the cache was emptied (it stays bounded)


def test_a_follow_up_after_many_questions_on_one_knowledge(kb):
    for question in earlier_questions():
        ask(kb, question)

    def one(question: str, earlier: list[str]) -> dict:
        context = Context()
        for before in earlier:
            _, context = answer(kb, before, context)
        return answer(kb, question, context)[0]

    values = conversation(one)
    assert values[:3] + values[4:] == [420, 1110, 790, 7, pytest.approx(6.06)]
    assert values[3] is not None  # 梧州's own figure is answered too


def test_a_follow_up_through_the_servers_one_knowledge(data_dir):
    """`kg serve`'s State keeps one Knowledge for every request; each page sends its earlier questions."""
    from kg.web.app import State

    class NoPool:
        """Questions are answered in the server process: no query workers."""

    state = State(data_dir, NoPool(), 10.0)
    state.warm()
    with state._asker_lock:
        state._current_asker().lexicon.cache_limit = SMALL_CACHE
    for question in earlier_questions():
        state.ask(question)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        values = conversation(state.ask)
    assert values[:3] + values[4:] == [420, 1110, 790, 7, pytest.approx(6.06)]
