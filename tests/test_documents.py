"""Issue #13: plans published as PDF, Word files and web pages give the same graph as their text.

Real producers make the files from the corpus's own plans (tests/producers.py): Chromium's
print-to-PDF of an HTML rendering with the plans' tables, python-docx, and the plan inside a
government-site template. Each set is converted once, added with `kg add` and built with
`kg build` like a user would, and compared plan by plan with the graph of the text versions
(the session graph): institutions (recall and precision ≥ 0.95) and figures (≥ 0.90).
"""

from __future__ import annotations

import re
from pathlib import Path

import producers
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.documents import read_document
from kg.facts import figure_facts, institution_facts
from kg.store import open_store

runner = CliRunner()
pytestmark = pytest.mark.skipif(producers.CHROMIUM is None, reason="chromium is installed by install_system_deps.sh")

# Each plan in two forms, so every form is tried on plans with tab tables (001), one-cell-per-line
# tables (002, 003) and lines cut mid-sentence (000).
FORMS_A = {"000": "pdf", "001": "pdf", "002": "docx", "003": "html"}
FORMS_B = {"000": "docx", "001": "html", "002": "pdf", "003": "docx"}


def _produce(plan, form: str, target: Path) -> Path:
    if form == "pdf":
        return producers.print_pdf(producers.plan_html(plan), target.with_suffix(".pdf"))
    if form == "docx":
        return producers.plan_docx(plan, target.with_suffix(".docx"))
    path = target.with_suffix(".html")
    path.write_text(producers.gov_page(plan), encoding="utf-8")
    return path


def _converted(tmp_path_factory, plans, forms: dict[str, str]) -> dict:
    """Produce the four plans in `forms`, `kg add` each, `kg build` only those (no examples)."""
    work = tmp_path_factory.mktemp("forms")
    data = work / "data"
    files = {}
    for key, form in forms.items():
        plan = plans[key]
        # the user's file names: Chinese, with a space (any name must work)
        files[key] = _produce(plan, form, work / f"{plan.meta.city} 规划{key}")
        result = runner.invoke(app, ["add", str(files[key]), "--city", plan.meta.city, "--no-examples",
                                     "--data-dir", str(data)])
        assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["build", "-q", "--no-examples", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    return {"data": data, "files": files, "forms": forms}


@pytest.fixture(scope="module")
def set_a(tmp_path_factory, plans):
    return _converted(tmp_path_factory, plans, FORMS_A)


@pytest.fixture(scope="module")
def set_b(tmp_path_factory, plans):
    return _converted(tmp_path_factory, plans, FORMS_B)


_FACTS: dict[str, tuple[list, list]] = {}


def _facts(data: Path) -> tuple[list, list]:
    """Institution and figure facts of a graph, read once per graph (the queries take seconds)."""
    if str(data) not in _FACTS:
        store = open_store(data)
        _FACTS[str(data)] = (list(institution_facts(store)), list(figure_facts(store)))
    return _FACTS[str(data)]


def _by_plan(data: Path) -> dict[str, tuple[set, set]]:
    """Institution names and figures taken from each plan (keyed by the plan's title)."""
    out: dict[str, tuple[set, set]] = {}
    institutions, figures = _facts(data)
    for fact in institutions:
        for src in fact["sources"]:
            out.setdefault(src["title"], (set(), set()))[0].add(fact["name"])
    for fact in figures:
        for src in fact["sources"]:
            out.setdefault(src["title"], (set(), set()))[1].add(
                (fact["subject"], fact["measure"], fact["year"], fact["value"], fact["role"]))
    return out


def _agreement(text_set: set, form_set: set) -> tuple[float, float]:
    both = len(text_set & form_set)
    return both / len(text_set) if text_set else 1.0, both / len(form_set) if form_set else 1.0


@pytest.mark.parametrize("which", ["set_a", "set_b"])
@pytest.mark.parametrize("key", ["000", "001", "002", "003"])
def test_each_form_gives_the_institutions_and_figures_of_the_text(request, which, key, data_dir, plans):
    converted = request.getfixturevalue(which)
    title = plans[key].meta.title
    text_inst, text_figs = _by_plan(data_dir)[title]
    form_inst, form_figs = _by_plan(converted["data"])[title]
    form = converted["forms"][key]
    recall, precision = _agreement(text_inst, form_inst)
    assert recall >= 0.95 and precision >= 0.95, (form, key, sorted(text_inst ^ form_inst))
    recall, precision = _agreement(text_figs, form_figs)
    assert recall >= 0.90 and precision >= 0.90, (form, key, sorted(text_figs ^ form_figs, key=str)[:8])
    assert len(text_inst) >= {"000": 15, "001": 25, "002": 15, "003": 2}[key]  # the comparison is not vacuous


def test_the_forms_give_exact_names_and_figures(set_a):
    institutions, figure_list = _facts(set_a["data"])
    found = {f["name"]: f for f in institutions}
    # 001 (PDF): a name from its prose; 002 (Word): an alias in brackets; 003 (web page)
    assert found["梧州市第三人民医院"]["city"] == "梧州市"
    assert found["钦州市第二人民医院"]["aliases"] == ["钦州市职业病防治院"]
    figures = {(f["subject"], f["measure"], f["year"], f["role"]): f["value"]
               for f in figure_list}
    # a row of 001's indicator table, read from the PDF's table as a table
    assert figures[("梧州市", "每千常住人口医疗卫生机构床位数", 2025, "target")] == 7.68


def test_pdf_quotes_carry_the_page_they_are_on(set_a):
    import pdfplumber

    pdf = set_a["files"]["001"]
    with pdfplumber.open(pdf) as doc:
        pages = [re.sub(r"\s", "", producers_fix(page.extract_text() or "")) for page in doc.pages]
    sources = [s for f in _facts(set_a["data"])[1] for s in f["sources"]
               if s.get("source_file") == pdf.name]
    assert len(sources) > 100
    for src in sources:
        # the quote's first words are on the page it names (a sentence or table row that runs onto
        # the next page starts on this one)
        runs = re.findall(r"[\u4e00-\u9fff]{3,}", src["quote"]) or [re.sub(r"\s", "", src["quote"])]
        head = runs[0][:6]
        assert head in pages[src["page"] - 1], (src["page"], src["quote"][:40])
    assert {s["page"] for s in sources} >= {1, 2, 3, 8, 9}  # figures from five pages, each on its own


def producers_fix(text: str) -> str:
    from kg.documents.base import fix_radicals

    return fix_radicals(text)[0]


def test_the_text_read_is_kept_beside_the_original(set_a):
    plans_dir = set_a["data"] / "plans"
    import json

    records = json.loads((plans_dir / "documents.json").read_text(encoding="utf-8"))
    by_form = {r["form"]: r for r in records}
    assert set(by_form) == {"pdf", "docx", "html"}
    pdf = by_form["pdf"]
    assert (plans_dir / pdf["original"]).read_bytes()[:5] == b"%PDF-"
    assert (plans_dir / pdf["file"]).read_text(encoding="utf-8").count("\n") > 100
    assert pdf["source"].endswith(".pdf") and " " in pdf["source"]  # the user's own file name
    assert json.loads((plans_dir / pdf["pages"]).read_text())[0] == 0


def test_web_page_keeps_the_article_and_drops_the_site(plans, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(producers.gov_page(plans["003"]), encoding="utf-8")
    text = read_document(page).text
    for boilerplate in ("无障碍浏览", "当前位置", "政府信息公开指南", "相关文章", "网站标识码", "分享到", "浏览次数"):
        assert boilerplate not in text, boilerplate
    assert "赣州市“十四五”医疗卫生服务体系规划" in text
    assert any(line.count("\t") >= 4 for line in text.splitlines())  # its indicator table, as rows


def test_a_gbk_web_page_is_read(plans, tmp_path):
    html = producers.gov_page(plans["000"]).replace('charset=utf-8', 'charset=gb2312')
    page = tmp_path / "page.htm"
    page.write_bytes(html.encode("gb18030"))
    text = read_document(page).text
    assert "钦州市医疗卫生服务体系规划" in text


def test_word_tables_stay_in_place_as_rows(plans, tmp_path):
    document = read_document(producers.plan_docx(plans["002"], tmp_path / "plan.docx"))
    lines = document.text.splitlines()
    row = next(n for n, line in enumerate(lines) if line.startswith("领域\t"))
    assert "主要指标" in lines[row - 1] or "指标" in lines[row - 1]  # the caption just above
    assert lines[row + 1].count("\t") == lines[row].count("\t")  # rows on one grid


def test_a_scanned_pdf_needs_ocr_and_adds_nothing(plans, tmp_path):
    scan = producers.scanned_pdf(plans["000"], tmp_path / "scan.pdf")
    result = runner.invoke(app, ["add", str(scan), "--city", "钦州市", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 2, result.output
    assert "scanned PDF" in result.output and "OCR" in result.output and "扫描版" in result.output
    plans_dir = tmp_path / "data" / "plans"
    assert not plans_dir.exists() or not list(plans_dir.glob("*.txt"))


@pytest.mark.parametrize(("name", "data", "words"), [
    ("plan.pdf", b"%PDF-1.7\n\x00\x01\x02 not really", "not a readable PDF"),
    ("plan.docx", b"PK\x03\x04 broken zip", "not a readable Word"),
    ("plan.doc", b"\xd0\xcf\x11\xe0 old word", "save it as .docx"),
    ("plan.ofd", b"PK", "export it to PDF"),
    ("plan.xyz", b"text", "kg cannot read .xyz"),
    ("plan.html", b"<html><body><nav>\xe9\xa6\x96\xe9\xa1\xb5</nav></body></html>", "no article body"),
])
def test_files_that_are_not_readable_plans_get_a_message(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    result = runner.invoke(app, ["add", str(path), "--city", "钦州市", "--data-dir", str(tmp_path / "data")])
    assert result.exit_code == 2 and result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 2, result.output
    assert words in result.output, result.output


def test_radicals_from_pdf_fonts_become_ideographs():
    from kg.documents.base import fix_radicals

    assert fix_radicals("医疗卫⽣服务，国⺠经济，⻓期，⻔诊") == ("医疗卫生服务，国民经济，长期，门诊", 4)


def test_plain_text_from_pdftotext_keeps_its_pages(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("第一页柳州市人民医院。\f第二页柳州市中医医院。\f", encoding="utf-8")
    from kg.documents.text import read

    document = read(path)
    assert document.pages == [0, 12]
    assert document.text.index("第二页") == 12 and "\f" not in document.text

