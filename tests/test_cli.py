"""Every command is documented with an example; inspection commands print what the graph holds."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()


def _commands():
    import typer.main

    group = typer.main.get_group(app)
    for name, cmd in group.commands.items():
        yield name, cmd
        for sub, subcmd in getattr(cmd, "commands", {}).items():
            yield f"{name} {sub}", subcmd


@pytest.mark.parametrize("name", [n for n, _ in _commands()])
def test_every_command_has_help_with_an_example(name):
    result = runner.invoke(app, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output, f"`kg {name} --help` shows no example"


def test_stats_counts_by_kind_and_city(data_dir):
    result = runner.invoke(app, ["stats", "--data-dir", str(data_dir), "--json"])
    assert result.exit_code == 0
    stats = json.loads(result.output)
    # 钦州市: 26 hospitals, centres and stations, plus the zone's 卫生计生监督所 and 钦州港急救站, the
    # two universities the plans name as partners (广西中医药大学, 北部湾大学), 钦州市中医药研究所 and the five
    # other named bodies (钦州市卫生信息与医学考试中心…); 梧州市 adds 120急救指挥中心 and 岑溪市精神卫生福利院.
    # Campuses, facilities and consortia are no institutions of their own (kg facts lists them, with a parent).
    assert dict(map(tuple, stats["by_city"])) == {"梧州市": 30, "赣州市": 2, "钦州市": 36}
    assert dict(map(tuple, stats["by_kind"]))["综合医院"] == 18


def test_facts_jsonl_and_csv(data_dir):
    result = runner.invoke(app, ["facts", "--data-dir", str(data_dir), "--type", "institution"])
    lines = [json.loads(line) for line in result.output.splitlines()]
    second = next(f for f in lines if f["name"] == "钦州市第二人民医院")
    assert set(second) >= {"type", "name", "aliases", "kind", "level", "city", "county", "planned", "sources"}
    assert second["sources"][0]["doc"].endswith(".txt") and second["sources"][0]["quote"]
    result = runner.invoke(app, ["facts", "--data-dir", str(data_dir), "--type", "institution", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output.removeprefix("\ufeff"))))
    assert len(rows) == 85 and {r["城市"] for r in rows} == {"梧州市", "钦州市", "赣州市"}
    assert {r["所属机构"] for r in rows if r["机构名称"] == "钦州市妇幼保健院茶山院区"} == {"钦州市妇幼保健院"}


def test_export_turtle_parses(data_dir, tmp_path):
    import rdflib

    out = tmp_path / "kg.ttl"
    result = runner.invoke(app, ["export", "--data-dir", str(data_dir), "--format", "turtle", "-o", str(out)])
    assert result.exit_code == 0
    graph = rdflib.Graph().parse(out)
    assert len(graph) > 5000


def test_no_graph_is_a_clear_error_not_a_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg", "stats", "--data-dir", str(tmp_path / "none")],
                          capture_output=True, text=True)
    assert proc.returncode == 3
    assert "kg build" in proc.stderr and "Traceback" not in proc.stderr


# ---- issue #15: a CLI in the user's language ---------------------------------------------------

HOSPITALS_QZ = ('SELECT ?name ?kind WHERE { ?i a hk:Hospital ; skos:prefLabel ?name ; '
                'org:classification/skos:prefLabel ?kind ; hk:city/skos:prefLabel "钦州市"@zh . '
                'FILTER(LANG(?kind) = "zh") } ORDER BY ?name')


def test_every_command_takes_dash_h_and_shows_flags_as_flags():
    from kg.cli import app as kg_app

    names = [c.name or c.callback.__name__ for c in kg_app.registered_commands]
    assert {"build", "stats", "facts", "sparql", "viz", "serve", "ask"} <= set(names)
    for name in names:
        result = CliRunner().invoke(kg_app, [name, "-h"], env={"COLUMNS": "200"})
        assert result.exit_code == 0 and "Usage: kg " + name in result.output, (name, result.output)
        assert "<bool>" not in result.output, name
    top = CliRunner().invoke(kg_app, ["-h"], env={"COLUMNS": "200"})
    assert "医疗卫生服务体系规划知识图谱" in top.output and "knowledge graph" in top.output
    assert "统计" in top.output and "画网络图或指标图" in top.output


def test_stats_names_relations_in_chinese(data_dir):
    result = CliRunner().invoke(app, ["stats", "--data-dir", str(data_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "牵头 leads" in result.output and "指导 guides" in result.output and "明确陈述" in result.output


def test_sparql_reads_stdin_writes_a_file_and_measures_chinese_width(data_dir, tmp_path):
    from kg.texttable import width

    result = CliRunner().invoke(app, ["sparql", "--data-dir", str(data_dir), "-f", "-"], input=HOSPITALS_QZ)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("|")]
    assert any("钦州市第一人民医院" in line for line in lines)  # whole, not cut
    assert len({width(line) for line in lines}) == 1  # every row as wide as the header, counted in columns
    out = tmp_path / "h.xml"
    result = CliRunner().invoke(app, ["sparql", "--data-dir", str(data_dir), HOSPITALS_QZ, "--format", "xml",
                                      "-o", str(out)])
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml') and "<literal xml:lang=\"zh\">钦州市第一人民医院</literal>" in text
    construct = "CONSTRUCT { ?i skos:prefLabel ?n } WHERE { ?i a hk:CDC ; skos:prefLabel ?n }"
    result = CliRunner().invoke(app, ["sparql", "--data-dir", str(data_dir), construct, "--format", "nt"])
    assert result.exit_code == 0 and "钦州市疾病预防控制中心\"@zh ." in result.output
    bad = CliRunner().invoke(app, ["sparql", "--data-dir", str(data_dir), HOSPITALS_QZ, "--format", "nt"])
    assert bad.exit_code != 0 and "CONSTRUCT" in bad.output


PLAIN_AND_BAD_VALUES = ["", "x", "梧州市", "-", "0", "7", "007", "-3", "0.5", "1e3", " 8 ", "1_0", "true", "no",
                        "basic", "BASIC", "digest", "turtle", "json", "nonsense", "/tmp", "/no/such/file"]


def _typer_coercion(param, value):
    from typer import core
    from typer._click import Context

    ctx = Context(core.TyperCommand("kg"))
    try:
        return "value", core.build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)
    except Exception as error:  # noqa: BLE001 — the kind and message are what is compared
        return type(error).__name__, str(error)


def _plain_coercion(param, value):
    from typer import core
    from typer._click import Context

    from kg.cli import PlainValues

    ctx = Context(core.TyperCommand("kg"))
    try:
        return "value", PlainValues(param.type_descriptor, core.build_runtime_param).coerce(value, param=param, ctx=ctx)
    except Exception as error:  # noqa: BLE001
        return type(error).__name__, str(error)


def test_options_get_the_value_and_the_message_typer_gives_without_pydantic():
    """kg.cli converts plain option values itself (typer would import pydantic for them, a fifth of
    `kg ask`'s start): every option of every command, given plain and wrong values, gets exactly
    what typer's own coercion gives — the same value of the same type, or the same error."""
    checked = 0
    for name, cmd in _commands():
        for param in cmd.params:
            if not hasattr(param, "type_descriptor"):
                continue
            for value in [*PLAIN_AND_BAD_VALUES, param.default if not callable(param.default) else None]:
                expected, got = _typer_coercion(param, value), _plain_coercion(param, value)
                assert got == expected and type(got[1]) is type(expected[1]), (name, param.name, value, got, expected)
                checked += 1
    assert checked > 500


def test_kg_ask_starts_without_pydantic(data_dir):
    """Answering a question imports neither pydantic (option values) nor jieba, and loads no
    gazetteer when every region named is part of a linked name (梧州市 of 梧州市人民医院)."""
    code = ("import sys; sys.argv = ['kg', 'ask', '--data-dir', sys.argv[1], '梧州市人民医院牵头哪个医联体？']\n"
            "import kg.cli, kg.gazetteer\n"
            "try:\n    kg.cli.main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pydantic', 'jieba') if m in sys.modules), len(kg.gazetteer._CACHE))")
    out = subprocess.run([sys.executable, "-c", code, str(data_dir)], capture_output=True, text=True, check=True)
    assert "梧州市人民医院" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[] 0"
