"""The extraction scorer (tests/tools/score_extraction.py) on a tiny synthetic annotation and facts."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.paths import REPO_DIR

SCORER = REPO_DIR / "tests/tools/score_extraction.py"
_spec = importlib.util.spec_from_file_location("score_extraction", SCORER)
scorer = importlib.util.module_from_spec(_spec)
sys.modules["score_extraction"] = scorer  # dataclasses look their module up there
_spec.loader.exec_module(scorer)

DOC = "900_synthetic.txt"


def _inst(name: str, aliases: list[str] | None = None) -> dict:
    return {"name": name, "aliases": aliases or [], "kind": "综合医院", "level": "市办", "planned": False,
            "doc": DOC, "quote": name}


def _rel(s: str, p: str, o: str, scope: str = "instance") -> dict:
    return {"s": s, "p": p, "o": o, "scope": scope, "doc": DOC, "quote": s}


def _num(subject: str, measure: str, year: int | None, value: float) -> dict:
    return {"subject": subject, "measure": measure, "year": year, "value": value, "unit": "张", "doc": DOC,
            "quote": measure}


ANNOTATION = {
    "institutions": [_inst("甲市人民医院", ["市人民医院"]), _inst("甲市妇幼保健院"), _inst("乙县疾病预防控制中心")],
    "relations": [
        _rel("甲市人民医院", "leads", "甲市医疗集团"),
        _rel("甲市人民医院", "refers_both", "乙县人民医院"),
        _rel("甲市妇幼保健院", "guides", "乙县妇幼保健院"),
        _rel("县级医院", "leads", "县域医共体", "class"),
        _rel("基层医疗卫生机构", "refers", "医院", "class"),
        _rel("医院", "guides", "基层医疗卫生机构", "class"),
    ],
    "roles": [
        {"name": "甲市人民医院", "role": "区域医疗中心", "doc": DOC, "quote": "区域医疗中心"},
        {"name": "甲市妇幼保健院", "role": "全市妇幼保健业务指导中心", "doc": DOC, "quote": "全市"},
    ],
    "numbers": [
        _num("甲市", "每千常住人口医疗卫生机构床位数", 2020, 6.5),
        _num("甲市", "每千常住人口医疗卫生机构床位数", 2025, 7.8),
        _num("广西", "每千常住人口医疗卫生机构床位数", 2025, 7.5),
        _num("甲市人民医院", "规划编制床位", None, 1200),
    ],
}


def _src(doc: str = DOC) -> list[dict]:
    return [{"doc": doc, "quote": "……", "start": 0, "end": 2}]


def _fact_rel(s: str, p: str, o: str, inferred: bool = False) -> dict:
    return {"type": "relation", "s": s, "p": p, "o": o, "scope": "class", "inferred": inferred, "sources": _src()}


def _fact_fig(subject: str, measure: str, year: int | None, value: float) -> dict:
    return {"type": "figure", "subject": subject, "measure": measure, "year": year, "value": value,
            "sources": _src()}


FACTS = [
    {"type": "institution", "name": "市人民医院", "aliases": [], "sources": _src()},
    {"type": "institution", "name": "甲市 妇幼保健院", "aliases": [], "sources": _src()},
    {"type": "institution", "name": "新建甲市儿童医院", "aliases": [], "sources": _src()},
    {"type": "institution", "name": "甲市儿童医院", "aliases": [], "sources": _src("901_other.txt")},
    _fact_rel("市人民医院", "leads", "甲市医疗集团"),
    _fact_rel("乙县人民医院", "refers_both", "甲市人民医院"),
    _fact_rel("县级医院", "leads", "县域医共体"),
    _fact_rel("医院", "refers_both", "基层医疗卫生机构"),
    _fact_rel("医院", "guides", "基层医疗卫生机构", inferred=True),
    _fact_rel("甲市人民医院", "has_role", "甲市区域医疗中心"),
    _fact_fig("甲市", "每千常住人口医疗卫生机构床位数（张）", 2020, 6.50),
    _fact_fig("甲市", "每千常住人口医疗卫生机构床位数", 2025, 7.0),
    _fact_fig("广西壮族自治区", "每千常住人口医疗卫生机构床位数", 2025, 7.5),
    _fact_fig("市人民医院", "规划编制床位", 2025, 1200),
    _fact_fig("甲市", "总诊疗人次", 2020, 100),
]


@pytest.fixture()
def annotation_dir(tmp_path: Path) -> Path:
    for category, rows in ANNOTATION.items():
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        (tmp_path / f"900-{category}.jsonl").write_text(text, encoding="utf-8")
    return tmp_path


def _hits(tallies: dict) -> dict[str, tuple[int, int]]:
    return {m: (t.hit, t.total) for m, t in tallies.items()}


def test_scores_each_category_exactly(annotation_dir):
    result = scorer.score(annotation_dir, FACTS)
    assert _hits(result["900"]) == {
        "institutions_recall": (2, 3),
        "institutions_precision": (2, 3),
        "instance_relations_roles_recall": (3, 5),
        "instance_relations_recall": (2, 3),
        "roles_recall": (1, 2),
        "class_relations_recall": (2, 3),
        "figures_recall": (3, 4),
        "figures_precision": (3, 4),
    }
    assert _hits(result["all"]) == _hits(result["900"])
    assert result["900"]["institutions_precision"].misses[0].startswith("新建甲市儿童医院")
    assert result["900"]["class_relations_recall"].misses == ["医院 —guides→ 基层医疗卫生机构"]


def test_inferred_relations_count_only_when_asked(annotation_dir):
    result = scorer.score(annotation_dir, FACTS, with_inferred=True)
    assert _hits(result["900"])["class_relations_recall"] == (3, 3)


def test_names_tolerate_width_and_brackets_but_nothing_looser():
    assert scorer.name_variants("钦州市第一人民医院（北部湾大学附属第一医院）") == {
        "钦州市第一人民医院北部湾大学附属第一医院", "钦州市第一人民医院", "北部湾大学附属第一医院"}
    index = scorer.AliasIndex.of([_inst("梧州市第三人民医院")])
    assert index.same("梧州市第三人民医院", "梧州市第三人民医院 ")
    assert index.same("120 急救指挥中心", "１２０急救指挥中心")
    assert not index.same("梧州市第三人民医院", "第三人民医院")
    assert not index.same("甲市人民医院", "甲市人民医院分院")


def test_cli_json_and_plan_filter(annotation_dir, tmp_path):
    facts = tmp_path / "facts.jsonl"
    facts.write_text("".join(json.dumps(f, ensure_ascii=False) + "\n" for f in FACTS), encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SCORER), str(annotation_dir), str(facts), "--json", "--plans", "900"],
                          capture_output=True, text=True, check=True)
    report = json.loads(proc.stdout)
    assert report["900"]["figures_recall"] == {"hit": 3, "total": 4, "ratio": 0.75}
    proc = subprocess.run([sys.executable, str(SCORER), str(annotation_dir), str(facts), "--show-misses", "5"],
                          capture_output=True, text=True, check=True)
    assert "甲市妇幼保健院 —guides→ 乙县妇幼保健院" in proc.stdout
    assert proc.stdout.splitlines()[1].startswith("900")


def test_bad_input_is_a_clear_error(annotation_dir, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(SCORER), str(annotation_dir), str(bad)], capture_output=True, text=True)
    assert proc.returncode == 2 and "不是合法的 JSON / is not valid JSON" in proc.stderr
    proc = subprocess.run([sys.executable, str(SCORER), str(annotation_dir), "-", "--plans", "003"],
                          input="", capture_output=True, text=True)
    assert proc.returncode == 2 and "no annotation for plan(s): 003" in proc.stderr
    assert "Traceback" not in proc.stderr
