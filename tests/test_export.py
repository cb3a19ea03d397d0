"""Issue #13: exports a spreadsheet opens — CSV with a UTF-8 BOM, one table per fact type with its
own Chinese columns, every source kept with its plan's title; xlsx with one sheet per type.

The CSV is read back as a spreadsheet program reads it: a BOM means UTF-8, no BOM means the
system's code page (GBK on a Chinese Windows)."""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.export import FACT_TABLES, to_csv

runner = CliRunner()
TITLE_002 = "钦州市卫生健康发展“十四五”规划"


def spreadsheet_read(raw: bytes) -> list[dict]:
    """What Excel does with a CSV file: UTF-8 when it starts with a BOM, else the ANSI code page."""
    text = raw[len(codecs.BOM_UTF8):].decode("utf-8") if raw.startswith(codecs.BOM_UTF8) else raw.decode(
        "gbk", errors="replace")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture(scope="module")
def jsonl(data_dir) -> dict[str, list[dict]]:
    result = runner.invoke(app, ["facts", "--data-dir", str(data_dir)])
    facts = [json.loads(line) for line in result.output.splitlines()]
    return {t: [f for f in facts if f["type"] == t] for t in ("institution", "relation", "figure")}


def test_csv_for_people_opens_as_chinese_with_every_source(data_dir, tmp_path, jsonl):
    out = tmp_path / "机构.csv"
    result = runner.invoke(app, ["facts", "--type", "institution", "--format", "csv", "-o", str(out),
                                 "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = spreadsheet_read(raw)
    assert list(rows[0]) == ["机构名称", "别名", "机构类别", "办医层级", "城市", "县区", "规划新设", "所属机构",
                             "IRI", "来源数", "来源规划", "规划文件", "原始文件", "页码", "原文", "字符位置"]
    assert len(rows) == len(jsonl["institution"]) == 85
    second = next(r for r in rows if r["机构名称"] == "钦州市第二人民医院")
    assert second["别名"] == "钦州市职业病防治院" and second["城市"] == "钦州市" and second["机构类别"] == "综合医院"
    fact = next(f for f in jsonl["institution"] if f["name"] == "钦州市第二人民医院")
    assert int(second["来源数"]) == len(fact["sources"]) > 1  # every source, not the first
    assert second["原文"].split("\n") == [s["quote"] for s in fact["sources"]]
    assert second["来源规划"].split("\n") == [s["title"] for s in fact["sources"]] and TITLE_002 in second["来源规划"]
    assert second["规划文件"].split("\n")[0].endswith(".txt")
    # without the BOM the same spreadsheet shows garbage: the BOM is what makes it readable
    garbled = spreadsheet_read(raw[len(codecs.BOM_UTF8):])
    assert "机构名称" not in garbled[0]


def test_one_table_per_fact_type_with_its_own_columns(data_dir, tmp_path, jsonl):
    result = runner.invoke(app, ["facts", "--format", "csv", "-o", str(tmp_path / "out"), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["关系.csv", "指标数据.csv", "机构.csv"]
    relations = spreadsheet_read((tmp_path / "out" / "关系.csv").read_bytes())
    figures = spreadsheet_read((tmp_path / "out" / "指标数据.csv").read_bytes())
    assert list(relations[0])[:5] == ["主体", "关系", "客体", "层面", "推理得出"]
    assert list(figures[0])[:9] == ["对象", "指标", "标准指标", "年份", "数值", "原文数值", "单位", "指标性质",
                                    "数值类型"]
    assert len(relations) == len(jsonl["relation"]) and len(figures) == len(jsonl["figure"])
    beds = [r for r in figures if r["对象"] == "梧州市" and r["指标"] == "每千常住人口医疗卫生机构床位数"
            and r["年份"] == "2025" and r["数值类型"] == "目标"]
    assert [r["数值"] for r in beds] == ["7.68"]
    assert beds[0]["来源规划"] == "梧州市医疗卫生服务体系“十四五”规划"
    # a standard says for which places it holds in a column of its own (每个乡镇设置 1 所乡镇卫生院)
    towns = [r for r in figures if r["对象"] == "梧州市" and r["指标"] == "乡镇卫生院" and r["数值类型"] == "配置标准"]
    assert [(r["适用条件"], r["数值"]) for r in towns] == [("每个乡镇", "1.0")]
    inferred = {r["推理得出"] for r in relations}
    assert inferred == {"是", "否"}


def test_english_headers_for_programs(data_dir):
    result = runner.invoke(app, ["facts", "--type", "figure", "--format", "csv", "--headers", "en", "--no-bom",
                                 "--data-dir", str(data_dir)])
    assert result.exit_code == 0
    assert not result.output.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert list(rows[0])[:5] == ["subject", "measure", "canonical_measure", "year", "value"]
    assert "plan_titles" in rows[0]


def test_csv_of_several_types_to_one_stream_is_refused(data_dir):
    result = runner.invoke(app, ["facts", "--format", "csv", "--data-dir", str(data_dir)])
    assert result.exit_code == 1 and "one fact type per file" in result.output and "xlsx" in result.output


def test_xlsx_has_one_sheet_per_type(data_dir, tmp_path, jsonl):
    from openpyxl import load_workbook

    out = tmp_path / "规划事实.xlsx"
    result = runner.invoke(app, ["facts", "--format", "xlsx", "-o", str(out), "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["机构", "关系", "指标数据"]
    rows = list(book["机构"].iter_rows(values_only=True))
    assert rows[0][:3] == ("机构名称", "别名", "机构类别") and len(rows) - 1 == len(jsonl["institution"])
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["梧州市第三人民医院"][4] == "梧州市"
    figures = list(book["指标数据"].iter_rows(values_only=True))
    assert len(figures) - 1 == len(jsonl["figure"])
    assert any(r[0] == "梧州市" and r[4] == 7.68 and r[3] == 2025 for r in figures[1:])  # numbers stay numbers


def test_text_that_looks_like_a_formula_stays_text():
    fact = {"name": "=HYPERLINK(\"http://x\")", "aliases": [], "kind": "综合医院", "sources": [
        {"doc": "a.txt", "title": "+规划", "quote": "@SUM(A1)", "start": 0, "end": 5}]}
    rows = list(csv.reader(io.StringIO(to_csv(FACT_TABLES["institution"], [fact]).lstrip("\ufeff"))))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"
    assert "'+规划" in rows[1] and "'@SUM(A1)" in rows[1]
    # for programs (no BOM) the value is kept as it is
    rows = list(csv.reader(io.StringIO(to_csv(FACT_TABLES["institution"], [fact], "en", bom=False))))
    assert rows[1][0] == "=HYPERLINK(\"http://x\")"
