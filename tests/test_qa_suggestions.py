"""When no family fits, the questions suggested are about what the question named (a kind, an indicator)
in a city of the graph, few, and each of them answered."""

from __future__ import annotations

import pytest

from kg.qa import ask


@pytest.mark.parametrize(("question", "named"), [("乡镇卫生院在传染病防控上要设立什么？", "乡镇卫生院"),
                                                 ("每千人口床位数的来源", "每千人口医疗卫生机构床位数")])
def test_suggestions_about_the_kind_or_indicator_named_are_answered(kb, question, named):
    result = ask(kb, question)
    assert result["status"] == "unanswerable" and not result["answers"]
    suggested = result["message"].split("可以这样问：", 1)[1].split("（")[0].rstrip("。").split("；")
    assert 1 <= len(suggested) <= 5
    for q in suggested:
        assert named in q and ask(kb, q)["status"] == "answered", q
