"""`kg build`, `kg stats`, `kg facts`, `kg export`: building and inspecting the graph."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import CorpusDir, DataDir, app
from kg.errors import CorpusError, KGError, MetadataError, OutputError

Examples = Annotated[bool, typer.Option("--examples/--no-examples",
                                        help="Build the example plans of --corpus too (default) or only your own.")]


@app.command()
def build(data_dir: DataDir, corpus: CorpusDir, examples: Examples = True,
          quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
          jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1,
                                                   help="Processes reading plans (default: one per CPU).")] = None,
          full: Annotated[bool, typer.Option("--full", help="Read every plan again, not only the new or changed "
                                                            "ones (the cache is rebuilt).")] = False) -> None:
    """从规划原文构建图谱 build the graph.
    Extract the example plans (--corpus) and your own (`kg add`) into a graph, persisted in the embedded store.

    The build is written into a new directory and swapped in at the end, so a failed or
    interrupted build leaves the previous graph usable. Plans are read in parallel, and what the
    pipeline read in each is kept in the data directory: the next build reads again only the plans
    that are new or changed, or all of them when a rule, a vocabulary or the pipeline changed.

    Example: kg build --no-examples
    """
    from rich.progress import Progress

    from kg.build import build as run_build
    from kg.paths import user_plans_dir
    from kg.plans import list_plans
    from kg.store import ensure_writable

    corpora = [corpus, user_plans_dir(data_dir)] if examples else [user_plans_dir(data_dir)]
    if not examples and not list_plans(data_dir, None):
        raise MetadataError(f"you have no plans of your own in {data_dir} / 尚未添加自己的规划",
                            hint="add one with `kg add FILE --city 某某市`, or build the examples too (without "
                                 "--no-examples)")
    ensure_writable(data_dir)  # fail now, not after the extraction
    try:
        if quiet or not sys.stderr.isatty():
            report = run_build(corpora, data_dir, warn=_warn, jobs=jobs, full=full)
        else:
            with Progress(transient=True) as bar:
                task = bar.add_task("extracting", total=None)

                def progress(file: str, done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total, description=f"extracting {file}")

                report = run_build(corpora, data_dir, progress=progress, warn=_warn, jobs=jobs, full=full)
    except KGError:
        raise
    except OSError as exc:
        raise CorpusError(f"build failed: {exc}") from None
    for warning in report.warnings:
        _warn(warning)
    typer.echo(f"built {report.plans} plans ({report.from_cache} from the cache, {report.plans - report.from_cache} "
               f"read), {report.sentences} sentences, {report.institutions} institutions, "
               f"{report.quads} quads in {report.seconds:.2f} s → {report.build_dir}")


def _warn(message: str) -> None:
    typer.secho(f"warning: {message}", fg=typer.colors.YELLOW, err=True)


@app.command()
def stats(data_dir: DataDir,
          as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """统计：机构类别、城市、关系、指标 counts.
    Counts by institution kind, by city, by relation kind (asserted vs inferred), and figures.

    Example: kg stats --json
    """
    from kg.facts import stats as graph_stats
    from kg.store import open_store

    result = graph_stats(open_store(data_dir))
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    titles = {"by_kind": ("机构类别 kind", "数量"), "by_city": ("城市 city", "机构数"),
              "by_relation": ("关系 relation", "方式 mode", "数量"), "by_city_relation": ("城市", "关系", "数量"),
              "figures": ("城市 city", "数据 figures"), "total": ("graph", "size")}
    from kg.relation_names import zh

    modes = {"stated": "明确陈述", "inferred": "规则推理"}
    for name, rows in result.items():
        table = Table(*titles.get(name, ()), title=name)
        for row in rows:
            cells = [str(v).rsplit("/", 1)[-1] if isinstance(v, str) and v.startswith("http") else str(v) for v in row]
            if name in ("by_relation", "by_city_relation"):  # relations and modes in Chinese, kg facts name beside
                i = 0 if name == "by_relation" else 1
                cells[i] = f"{zh(cells[i])} {cells[i]}" if zh(cells[i]) != cells[i] else cells[i]
                if name == "by_relation":
                    cells[1] = modes.get(cells[1], cells[1])
            table.add_row(*cells)
        console.print(table)


class FactFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    xlsx = "xlsx"


class FactType(str, Enum):
    institution = "institution"
    relation = "relation"
    figure = "figure"


class Headers(str, Enum):
    zh = "zh"
    en = "en"


@app.command()
def facts(data_dir: DataDir,
          fmt: Annotated[FactFormat, typer.Option("--format", help="jsonl, csv (one file per type) or xlsx "
                                                                   "(one sheet per type).")] = FactFormat.jsonl,
          fact_type: Annotated[list[FactType] | None, typer.Option("--type", help="Only this kind of fact.")] = None,
          output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file (a directory for "
                                                                             "CSV of several types).")] = None,
          headers: Annotated[Headers, typer.Option("--headers", help="Column names: zh for people (default), "
                                                                     "en for programs.")] = Headers.zh,
          bom: Annotated[bool, typer.Option("--bom/--no-bom", help="Start CSV with a UTF-8 BOM so Excel reads it "
                                                                    "as UTF-8 (default).")] = True) -> None:
    """导出事实（每条带原文）facts.
    Facts for analysts and spreadsheets, each with every source (plan title, file, page, quote).

    CSV and xlsx have one table per fact type with its own columns (机构, 关系, 指标数据); CSV starts
    with a UTF-8 BOM so that Excel opens it as Chinese text. JSON lines keep everything nested.

    Example: kg facts --format xlsx -o 规划事实.xlsx
    """
    from kg.facts import FACT_TYPES, all_facts, to_jsonl
    from kg.store import open_store

    types = list(dict.fromkeys(t.value for t in fact_type)) if fact_type else None
    store = open_store(data_dir)
    if fmt is FactFormat.jsonl:
        out = _open_output(output) if output else sys.stdout
        try:
            for line in to_jsonl(all_facts(store, types)):
                out.write(line + "\n")
        finally:
            if output:
                out.close()
        return
    from kg.export import FACT_TABLES, to_csv, to_xlsx, write_csv_files

    if fmt is FactFormat.xlsx:
        data = to_xlsx(store, types, headers.value)
        if output is None:
            if sys.stdout.isatty():
                raise OutputError("an xlsx workbook is not for a terminal", hint="add -o FILE.xlsx")
            sys.stdout.buffer.write(data)
            return
        with _open_output(output, binary=True) as out:
            out.write(data)
        typer.echo(f"wrote {output} (sheets: {', '.join(FACT_TABLES[t].sheet for t in types or FACT_TYPES)})", err=True)
        return
    chosen = types or list(FACT_TYPES)
    if len(chosen) == 1 and (output is None or output.suffix.lower() == ".csv"):
        text = to_csv(FACT_TABLES[chosen[0]], FACT_TYPES[chosen[0]](store), headers.value, bom)
        if output is None:
            sys.stdout.write(text)
        else:
            with _open_output(output) as out:
                out.write(text)
        return
    if output is None or output.suffix.lower() == ".csv":
        raise OutputError("CSV holds one fact type per file / CSV 每个文件一种事实",
                          hint="pass --type institution|relation|figure, or -o DIR for one file per type, "
                               "or --format xlsx -o FILE.xlsx for one sheet per type")
    try:
        written = write_csv_files(store, output, chosen, headers.value, bom)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror}", hint="choose a writable -o DIR") from None
    typer.echo("wrote " + ", ".join(str(p) for p in written), err=True)


class ExportFormat(str, Enum):
    turtle = "turtle"
    trig = "trig"
    nquads = "nquads"
    nt = "nt"
    jsonld = "jsonld"


@app.command()
def export(data_dir: DataDir,
           fmt: Annotated[ExportFormat, typer.Option("--format", help="turtle, trig, nquads, nt or jsonld.")]
           = ExportFormat.turtle,
           output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None) -> None:
    """导出整个图谱 export.
    Export the whole graph. Turtle/N-Triples/JSON-LD merge the named graphs; TriG/N-Quads keep them.

    Example: kg export --format trig -o kg.trig
    """
    from kg.export import export_graph
    from kg.store import open_store

    data = export_graph(open_store(data_dir), fmt.value)
    if output:
        with _open_output(output, binary=True) as out:
            out.write(data)
        typer.echo(f"wrote {len(data)} bytes to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)


def _open_output(path: Path, binary: bool = False):
    try:
        return open(path, "wb") if binary else open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}", hint="choose a writable -o FILE") from None
