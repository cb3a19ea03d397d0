"""`kg build`, `kg stats`, `kg facts`, `kg export`, `kg add`: building and inspecting the graph."""

from __future__ import annotations

import csv
import json
import re
import shutil
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import CorpusDir, DataDir, app
from kg.errors import CorpusError, KGError, MetadataError, OutputError


@app.command()
def build(data_dir: DataDir, corpus: CorpusDir,
          quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False) -> None:
    """Extract the plans of the corpus into a graph, persisted in the embedded store.

    The build is written into a new directory and swapped in at the end, so a failed or
    interrupted build leaves the previous graph usable.

    Example: kg build --corpus corpus/ --data-dir .kg/
    """
    from rich.progress import Progress

    from kg.build import build as run_build
    from kg.store import ensure_writable

    ensure_writable(data_dir)  # fail now, not after the extraction
    try:
        if quiet or not sys.stderr.isatty():
            report = run_build(corpus, data_dir, warn=_warn)
        else:
            with Progress(transient=True) as bar:
                task = bar.add_task("extracting", total=None)

                def progress(file: str, done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total, description=f"extracting {file}")

                report = run_build(corpus, data_dir, progress=progress, warn=_warn)
    except KGError:
        raise
    except OSError as exc:
        raise CorpusError(f"build failed: {exc}") from None
    for warning in report.warnings:
        _warn(warning)
    typer.echo(f"built {report.plans} plans, {report.sentences} sentences, {report.institutions} institutions, "
               f"{report.quads} quads in {report.seconds:.2f} s → {report.build_dir}")


def _warn(message: str) -> None:
    typer.secho(f"warning: {message}", fg=typer.colors.YELLOW, err=True)


@app.command()
def stats(data_dir: DataDir,
          as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """Counts by institution kind, by city, by relation kind (asserted vs inferred), and figures.

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
    for name, rows in result.items():
        table = Table(*titles.get(name, ()), title=name)
        for row in rows:
            table.add_row(*[str(v).rsplit("/", 1)[-1] if isinstance(v, str) and v.startswith("http") else str(v)
                            for v in row])
        console.print(table)


class FactFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class FactType(str, Enum):
    institution = "institution"
    relation = "relation"
    figure = "figure"


@app.command()
def facts(data_dir: DataDir,
          fmt: Annotated[FactFormat, typer.Option("--format", help="jsonl or csv.")] = FactFormat.jsonl,
          fact_type: Annotated[list[FactType] | None, typer.Option("--type", help="Only this kind of fact.")] = None,
          output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to a file.")] = None) -> None:
    """A flat export for analysts: one fact per line with its sources (document and quote).

    Example: kg facts --type institution --format csv -o institutions.csv
    """
    from kg.facts import CSV_COLUMNS, all_facts, csv_row, to_jsonl
    from kg.store import open_store

    types = [t.value for t in fact_type] if fact_type else None
    rows = all_facts(open_store(data_dir), types)
    out = _open_output(output) if output else sys.stdout
    try:
        if fmt is FactFormat.jsonl:
            for line in to_jsonl(rows):
                out.write(line + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
            writer.writeheader()
            for fact in rows:
                writer.writerow(csv_row(fact))
    finally:
        if output:
            out.close()


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
    """Export the whole graph. Turtle/N-Triples/JSON-LD merge the named graphs; TriG/N-Quads keep them.

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


@app.command()
def add(file: Annotated[Path, typer.Argument(help="A plan as a UTF-8 (or GB18030) text file.")],
        city: Annotated[str, typer.Option("--city", help="The plan's city, e.g. 某某市.")],
        province: Annotated[str, typer.Option("--province", help="Its province, e.g. 某某省.")],
        corpus: CorpusDir,
        title: Annotated[str | None, typer.Option(help="The plan's title (default: its first line).")] = None,
        date: Annotated[str | None, typer.Option(help="Issue date, YYYY-MM-DD.")] = None,
        doc_number: Annotated[str | None, typer.Option("--doc-number", help="文号.")] = None,
        issuer: Annotated[str | None, typer.Option(help="Issuing body.")] = None) -> None:
    """Copy a new plan into the corpus with its metadata; `kg build` then extracts it.

    Example: kg add 某市规划.txt --city 柳州市 --province 广西壮族自治区 --date 2022-03-01
    """
    from kg.corpus import METADATA_FILE, read_text
    from kg.gazetteer import Gazetteer

    if not file.is_file():
        raise CorpusError(f"{file} is not a file")
    text, warning = read_text(file)
    if not text.strip():
        raise CorpusError(f"{file} is empty")
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        raise MetadataError(f"--date {date!r} is not YYYY-MM-DD")
    gaz = Gazetteer.load()
    region = gaz.resolve(city)
    if region is None:
        raise MetadataError(f"--city {city!r} is not a known city", hint="use the full name, e.g. 柳州市")
    if gaz.resolve(province) is None:
        raise MetadataError(f"--province {province!r} is not a known province", hint="e.g. 广西壮族自治区")
    try:
        corpus.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorpusError(f"cannot create the corpus directory {corpus}: {exc.strerror}") from None
    meta_path = corpus / METADATA_FILE
    records = _records(meta_path)
    name = file.name if file.suffix == ".txt" else file.stem + ".txt"
    if any(r.get("file") == name for r in records):
        raise MetadataError(f"the corpus already holds a plan named {name}", hint="rename the file")
    first_line = next((ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip()), name)
    record = {"file": name, "city": region.name, "province": province, "title": title or first_line,
              "issuer": issuer, "doc_number": doc_number, "date": date, "note": None}
    target = corpus / name
    if warning:
        _warn(warning)
    try:
        if warning:
            target.write_text(text, encoding="utf-8")
        else:
            shutil.copyfile(file, target)
        tmp = meta_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(records + [record], ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(meta_path)
    except OSError as exc:
        raise CorpusError(f"cannot write into {corpus}: {exc.strerror}") from None
    typer.echo(f"added {name} ({region.name}) to {corpus}; run `kg build` to extract it")


def _records(meta_path: Path) -> list[dict]:
    """The corpus's documents.json entries ([] when there is none yet); MetadataError when unreadable."""
    if not meta_path.exists():
        return []
    try:
        records = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise MetadataError(f"{meta_path} is not valid UTF-8 JSON: {exc}", hint="fix or remove it first") from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise MetadataError(f"{meta_path} must hold a JSON list of plan entries", hint="fix or remove it first")
    return records
