"""Fuzz the question parser and answerer (#7): ten thousand generated questions, not one exception.

Inputs mix random Unicode (lone surrogates and control characters included: JSON from /api/ask can
carry them), fragments of the graph's own lexicon with question words, SPARQL fragments and very long
strings. Every reply must be a well-formed dict whose SPARQL carries no text of the question.
"""

from __future__ import annotations

import random
import re
import time
import traceback

import pytest

N_INPUTS = 10_200
SEED = 20261122
STATUSES = {"answered", "passage", "unanswerable", "ambiguous", "error"}
QUESTION_WORDS = ("有哪些 哪些 是什么 多少 几家 几个 是否 有没有 在哪里 在哪个县 的功能定位 牵头 参加了哪些体系 "
                  "指导 转诊 床位 规划 2025年 2020年 比 超过 低于 最多 最少 加起来 的那家医院 "
                  "它 该院 吗 ？ ? ， 。 的 和 与"
                  ).split()
SPARQL = ['" } ; DROP ALL ; #', "' UNION { ?s ?p ?o } #", "SELECT * WHERE { ?s ?p ?o }", "INSERT DATA { <a> <b> <c> }",
          "} } FILTER(true) {", "\\\"", "<http://x/>", "?s", "$x", "@zh", "^^xsd:integer", "#", "{{ x }}", "{% if %}",
          "%s", "\x00", "\n", "\r\n", "\t"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _random_unicode(rng: random.Random, n: int) -> str:
    ranges = [(0x0, 0x7F), (0x80, 0x2FF), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF), (0xD800, 0xDFFF),
              (0x1F300, 0x1FAFF), (0x20000, 0x2A6DF), (0xE000, 0xF8FF), (0x200B, 0x200F)]
    out = []
    for _ in range(n):
        lo, hi = rng.choice(ranges)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


def generate(rng: random.Random, labels: list[str], n: int):
    """Yield n questions, cycling through the kinds of input."""
    for i in range(n):
        kind = i % 6
        if kind == 0:
            yield _random_unicode(rng, rng.randint(0, 40))
        elif kind in (1, 2):  # the lexicon's labels with question words: the parser's real paths
            parts = [rng.choice(labels) if rng.random() < 0.5 else rng.choice(QUESTION_WORDS)
                     for _ in range(rng.randint(1, 6))]
            yield "".join(parts)
        elif kind == 3:  # SPARQL fragments in, around and between names
            parts = [rng.choice(labels), rng.choice(SPARQL), rng.choice(QUESTION_WORDS), rng.choice(SPARQL)]
            rng.shuffle(parts)
            yield "".join(parts)
        elif kind == 4:  # names with a character dropped, doubled or replaced (the fuzzy matcher)
            label = list(rng.choice(labels))
            k = rng.randrange(len(label))
            op = rng.choice(("drop", "double", "replace"))
            if op == "drop":
                del label[k]
            elif op == "double":
                label.insert(k, label[k])
            else:
                label[k] = chr(rng.randint(0x4E00, 0x9FFF))
            yield "".join(label) + rng.choice(QUESTION_WORDS)
        else:  # lengths around the limit and far beyond it
            size = rng.choice((299, 300, 301, 1000, 100_000))
            yield (rng.choice(labels) + rng.choice(QUESTION_WORDS)) * (size // 8 + 1)


@pytest.fixture(scope="module")
def asker(data_dir):
    from kg.qa import load

    return load(data_dir)


@pytest.mark.slow
def test_ten_thousand_generated_questions_raise_nothing(asker, record_property):
    rng = random.Random(SEED)
    labels = sorted(asker.lexicon.by_label)
    failures: list[str] = []
    statuses: dict[str, int] = {}
    from kg.qa import Context, answer

    count = 0
    context = Context()
    started = time.perf_counter()
    for question in generate(rng, labels, N_INPUTS):
        count += 1
        if count % 50 == 0:  # follow-up context carried across questions is exercised, but not forever
            context = Context()
        try:
            reply, context = answer(asker, question, context, qid=count)
            assert isinstance(reply, dict) and reply["status"] in STATUSES, reply
            assert isinstance(reply["message"], str) and reply["message"]
            assert isinstance(reply["answers"], list)
            assert reply["status"] != "answered" or reply["answers"]
            assert not CJK.search(reply["sparql"] or ""), "question text reached the SPARQL"
            statuses[reply["status"]] = statuses.get(reply["status"], 0) + 1
        except Exception:  # noqa: BLE001 - the point is to catch anything
            failures.append(f"{question[:120]!r}: {traceback.format_exc(limit=3)}")
    seconds = time.perf_counter() - started
    record_property("fuzz_inputs", count)
    record_property("fuzz_seconds", round(seconds, 1))
    print(f"fuzz: {count} questions in {seconds:.1f} s, {len(failures)} exceptions, statuses {statuses}")
    assert count >= 10_000
    assert not failures, f"{len(failures)} of {count} inputs raised; first: {failures[0]}"
    assert statuses.get("answered", 0) > count // 20, "the generator no longer reaches the answering paths"
