"""Properties that must hold for any input: offsets always point back at the same characters, the
linker never raises and takes the longest label, templates never carry user text into SPARQL."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.corpus import PlanMeta, parse_plan
from kg.textnorm import _SPACE, normalize, normalize_char, normalize_text

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that exercise the normaliser's and splitter's special cases: full-width forms, contextual
# punctuation between digits, brackets and quotes that hold back a sentence end, headings, tables.
PIECES = ["一、", "（一）", "(二)", "1.", "１．", "（1）", "# ", "## ", "**", "。", "；", "！", "？", "，", ",", ":",
          "：", "（", "）", "(", ")", "“", "”", "《", "》", "「", "」", "\n", "\n\n", "\t", " ", "\u3000", "\xa0",
          "\r\n", "\ufeff", "序号", "指标", "领域", "名称", "......", "……", "1", "2", "０", "９", "２０２５", "1.39",
          "%", "％", "梧州市", "人民医院", "中医医院", "建设", "床位", "张", "医共体", "牵头", "a", "Ａ", "—", "－",
          "一", "目录", "😀", "\u200b", "\U00020000"]
plan_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=80).map("".join)
CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


# ---- the text normaliser ---------------------------------------------------------------------

@FAST
@given(plan_text, st.integers(min_value=0, max_value=10**6))
@example("1 : 2", 0)
def test_normalised_characters_map_back_to_the_characters_they_came_from(text, base):
    norm = normalize(text, base=base)
    assert len(norm.text) == len(norm.offsets)
    assert list(norm.offsets) == sorted(norm.offsets)
    # every character but whitespace is kept, and nothing else appears
    assert sorted(set(norm.offsets)) == [base + i for i, ch in enumerate(text) if ch not in _SPACE]
    pos = 0
    while pos < len(norm.text):
        origin = norm.offsets[pos] - base
        group = "".join(c for c, o in zip(norm.text, norm.offsets, strict=True) if o - base == origin)
        assert group == normalize_char(text[origin], *_neighbours(text, origin))
        assert group[0] not in _SPACE
        pos += len(group)


def _neighbours(text: str, i: int) -> tuple[str, str]:
    """The non-space characters around i, as the normalised text has them (whitespace is dropped)."""
    prev = next((normalize_char(c) for c in reversed(text[:i]) if c not in _SPACE), "")
    nxt = next((normalize_char(c) for c in text[i + 1:] if c not in _SPACE), "")
    return prev, nxt


@FAST
@given(plan_text, st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=200))
def test_original_span_covers_exactly_the_normalised_span(text, a, b):
    norm = normalize(text)
    if not norm.text:
        return
    a, b = sorted((a % len(norm.text), b % len(norm.text)))
    start, end = norm.original_span(a, b + 1)
    # the original span, normalised, is the normalised span (its edges are the mapped characters)
    assert normalize_text(text[start:end]) == norm.text[a:b + 1] or _contextual_edge(norm.text, a, b + 1)
    assert text[start] not in _SPACE and text[end - 1] not in _SPACE


def _contextual_edge(norm: str, a: int, b: int) -> bool:
    """A ':' or ',' at the edge of a span loses the digit beside it, so its form may differ."""
    return any(c in ":,：，" for c in (norm[a], norm[b - 1]))


@FAST
@given(plan_text)
@example("1 : 2")  # whitespace between digits and a contextual ':' (found by this test)
@example("１，\u3000２")
def test_normalising_twice_changes_nothing(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


def test_contextual_punctuation_ignores_whitespace_between_digits():
    # "1 : 1.39" and "1:1.39" are the same ratio; the normalised forms must agree.
    assert normalize_text("1 : 1.39") == normalize_text("1:1.39") == "1:1.39"
    assert normalize_text("医院 : 2所") == "医院：2所"


# ---- the sentence splitter -------------------------------------------------------------------

META = PlanMeta(file="x.txt", city="梧州市", province="广西壮族自治区", title="t")


@FAST
@given(plan_text)
def test_every_sentence_is_the_exact_original_substring(text):
    plan = parse_plan("x", META, text)
    ends = []
    for s in plan.sentences:
        assert 0 <= s.start < s.end <= len(text)
        assert s.text == text[s.start:s.end]
        # quotes start and end on text, never on whitespace
        assert not s.text[0].isspace() and not s.text[-1].isspace(), (s.kind, s.text)
        assert s.norm.text == normalize_text(s.text)
        assert all(s.start <= o < s.end for o in s.norm.offsets)
        if s.norm.text:
            a, b = s.span_of(0, len(s.norm.text))
            assert s.start <= a < b <= s.end
        ends.append((s.start, s.end))
    prose = sorted(e for e, s in zip(ends, plan.sentences, strict=True) if s.kind != "table")
    for (_, end1), (start2, _) in zip(prose, prose[1:], strict=False):
        assert end1 <= start2, "two sentences share characters"
    for table in plan.tables:
        for row in table.rows:
            for cell in row:
                assert cell.text == text[cell.start:cell.end].strip()


def test_sentences_of_a_plan_with_every_construct():
    text = ("一、总体要求\n（一）基本原则。\n\t序号\t指标\t2025年\n\t1\t床位数（张）\t6.5\n"
            "1. 发展机遇。从历史发展看，（括号里。还在括号里）句子继续；\n"
            "被 PDF\n断开的句子继续到这里。\n  目录 ......... 3\n最后一行没有句号")
    plan = parse_plan("x", META, text)
    for s in plan.sentences:
        assert text[s.start:s.end] == s.text
    assert [s.text for s in plan.sentences if s.kind == "heading"] == ["一、总体要求", "（一）基本原则。"]
    assert "被 PDF\n断开的句子继续到这里。" in [s.text for s in plan.sentences]
    assert plan.sentences[-1].text == "最后一行没有句号" and plan.sentences[-1].truncated


# ---- the entity linker -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def asker(data_dir):
    from kg.qa import load

    return load(data_dir)


WORDS = ["的", "是", "有哪些", "哪些", "多少", "功能定位", "牵头", "指导", "转诊", "床位", "几家", "是什么", "？", "?",
         "市", "县", "区", "医院", "中心", "年", "2025", "它", "和", "与", " ", "（", "）", "\"", "'", "}", "#"]


def questions(lex_labels: list[str]):
    piece = st.one_of(st.sampled_from(lex_labels), st.sampled_from(WORDS), st.text(max_size=4),
                      st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=3))
    return st.lists(piece, max_size=12).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_linker_finds_the_longest_labels_inside_the_question(asker, data):
    from kg.qa.linking import find_mentions

    lex = asker.lexicon
    labels = sorted(lex.by_label)
    text = data.draw(questions(labels))
    mentions = find_mentions(text, lex)
    covered = set()
    last_end = 0
    for m in mentions:
        assert last_end <= m.start < m.end <= len(text), "mentions overlap or leave the question"
        assert text[m.start:m.end] == m.text and m.text in lex.by_label and m.entries
        # longest match: no longer label starts where this one does
        longer = [text[m.start:m.start + k] for k in range(len(m.text) + 1, min(lex.max_len, len(text) - m.start) + 1)]
        assert not any(p in lex.by_label for p in longer), (text, m.text)
        covered.update(range(m.start, m.end))
        last_end = m.end
    # greedy scan: no label starts at a character left unlinked
    for i in set(range(len(text))) - covered:
        starting = [text[i:i + k] for k in range(2, min(lex.max_len, len(text) - i) + 1)]
        assert not any(p in lex.by_label for p in starting), (text, i)


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_parsing_never_raises(asker, data):
    text = data.draw(questions(sorted(asker.lexicon.by_label)))
    from kg.qa.parse import parse

    parsed = parse(asker, text)
    for m in parsed.mentions:
        assert 0 <= m.start <= m.end <= len(parsed.question)


# ---- template filling ------------------------------------------------------------------------

USER = st.one_of(st.none(), st.booleans(), st.text(max_size=20).map(lambda t: "⟦" + t + "⟧"))
SHAPE_KEYS = ("subject", "city", "county", "level", "subject_is_class", "reverse")


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_templates_render_parseable_sparql_without_user_text(asker, data):
    from kg.store import SPARQL_PREFIXES

    family = data.draw(st.sampled_from([f for f in asker.families if f.get("sparql")]))
    shape = {k: data.draw(USER) for k in SHAPE_KEYS} | {"props": family.get("props", [])}
    sparql = asker.render_sparql(family, **shape)
    assert "⟦" not in sparql and "⟧" not in sparql
    assert not CJK.search(sparql), "a template put Chinese text into SPARQL"
    ox.Store().query(SPARQL_PREFIXES + sparql)  # raises SyntaxError if the filled template does not parse
