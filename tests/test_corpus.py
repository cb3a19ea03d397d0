"""The corpus loader on the real plans: offsets, joins, cut lines, headings, tables, encodings."""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.corpus import load_corpus, read_text
from kg.errors import MetadataError, NotTextError
from kg.textnorm import is_dash, normalize, normalize_char


def test_every_sentence_is_its_exact_slice(plans):
    for plan in plans.values():
        assert plan.sentences
        for s in plan.sentences:
            assert plan.text[s.start:s.end] == s.text
            # every normalised character comes from the original character at its offset
            for ch, off in zip(s.norm.text, s.norm.offsets, strict=True):
                after = plan.text[off + 1] if off + 1 < len(plan.text) else ""
                assert normalize_char(plan.text[off], plan.text[off - 1], after) == ch


def test_sentence_broken_by_pdf_conversion_is_joined(plans):
    joined = [s for s in plans["001"].sentences if "加大对特殊类型地" in s.norm.text]
    assert len(joined) == 1
    assert "加大对特殊类型地区、重点人群保障力度" in joined[0].norm.text
    assert "\n\n" in joined[0].text  # the quote keeps the original line break


def test_lines_cut_at_fifty_characters_are_flagged(plans):
    cut = [s for s in plans["000"].sentences if s.norm.text.startswith("钦州市疾病预防控制中心是全市疾病预防控制工作")]
    assert len(cut) == 1 and cut[0].truncated
    complete = "机构设置：设置钦州市疾病预防控制中心1家，县区疾病预防控制中心4家。"
    whole = [s for s in plans["000"].sentences if s.norm.text == complete]
    assert len(whole) == 1 and not whole[0].truncated


def test_headings_form_a_section_tree(plans):
    s = next(s for s in plans["000"].sentences if s.norm.text.startswith("机构设置：设置钦州市妇幼保健院1家"))
    assert s.section == ("（一）专业公共卫生机构。", "2. 妇幼保健体系。")
    s = next(s for s in plans["001"].sentences if s.norm.text.startswith("各级疾控机构间强化上级对下级的业务领导"))
    assert s.section[-2:] == ("（一）专业公共卫生机构。", "1. 疾病预防控制体系。")


def test_table_of_contents_is_skipped(plans):
    assert not any("....." in s.text for s in plans["001"].sentences)
    assert not any(s.section and s.section[0].replace(" ", "") == "目录" for s in plans["001"].sentences)


def test_tab_separated_tables(plans):
    tables = plans["001"].tables
    assert [t.layout for t in tables] == ["tabs", "tabs", "tabs"]
    beds = next(t for t in tables if any(c.text == "医院名称" for c in t.rows[0]))
    row = next(r for r in beds.rows if r[0].text == "梧州市工人医院")
    assert [c.text for c in row[:3]] + [row[-1].text] == ["梧州市工人医院", "810", "875", "1740"]
    assert plans["001"].text[row[1].start:row[1].end] == "810"


def test_one_cell_per_line_tables(plans):
    table = plans["002"].tables[0]
    assert table.layout == "cell-per-line"
    assert len(table.rows) == 26 and all(len(r) == 7 for r in table.rows)
    row = next(r for r in table.rows if r[1].text == "11")
    assert [c.text for c in row] == ["健康服务", "11", "每千人口医疗卫生机构床位数", "张", "6.06", "7", "预期性"]
    ganzhou = plans["003"].tables[0]
    row = next(r for r in ganzhou.rows if r[1].text == "14")
    assert [c.text for c in row[2:]] == ["每万人口全科医生数（人）", "1.45", "3", "约束性"]


def test_table_rows_are_not_prose(plans):
    indicator = "每千人口医疗卫生机构床位数"
    kinds = {s.kind for s in plans["002"].sentences if indicator in s.norm.text and "6.06" in s.norm.text}
    assert kinds == {"table"}


def test_normalisation_of_full_width_characters():
    n = normalize("到２０２５年，床位数（张）: 1:1.39")
    assert n.text == "到2025年，床位数（张）：1:1.39"
    assert normalize("（一）").text == normalize("(一)").text == "（一）"


def test_dashes_mean_no_value():
    assert is_dash("—") and is_dash("-") and is_dash(" － ")
    assert not is_dash("0") and not is_dash("一") and not is_dash("")


@given(st.text(alphabet=st.sampled_from("钦州市２０25年（）() \t\n:：,，—ＡＢab。；"), max_size=60))
def test_normalised_offsets_always_point_at_their_source(text):
    n = normalize(text, base=7)
    assert len(n.text) == len(n.offsets)
    assert list(n.offsets) == sorted(n.offsets)
    def visible_neighbour(i: int, step: int) -> str:
        # a ':' between digits keeps its ASCII form whatever whitespace stands between them ("2 : 2")
        i += step
        while 0 <= i < len(text) and text[i] in " \t\n":
            i += step
        return unicodedata.normalize("NFKC", text[i]) if 0 <= i < len(text) else ""

    for ch, off in zip(n.text, n.offsets, strict=True):
        i = off - 7
        assert normalize_char(text[i], visible_neighbour(i, -1), visible_neighbour(i, 1)) == ch
    if n.text:
        a, b = n.original_span(0, len(n.text))
        assert text[a - 7] not in " \t\n" and text[b - 8] not in " \t\n"


def test_gb18030_plan_is_converted_with_a_warning(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes("柳州市人民医院是区域医疗中心。".encode("gb18030"))
    text, warning = read_text(path)
    assert text == "柳州市人民医院是区域医疗中心。"
    assert "GB18030" in warning


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4\x00\x01\x02")
    with pytest.raises(NotTextError):
        read_text(path)


def test_invalid_metadata_is_refused(tmp_path):
    (tmp_path / "documents.json").write_text(json.dumps([{"file": "a.txt", "city": "柳州市"}]), encoding="utf-8")
    with pytest.raises(MetadataError, match="province"):
        load_corpus(tmp_path)
    (tmp_path / "documents.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(MetadataError):
        load_corpus(tmp_path)
