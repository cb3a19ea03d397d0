"""`kg add`, `kg plans`, `kg remove`: the user's own plans, kept in the data directory (never in the
repository's corpus/, which is the built-in example set)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import CorpusDir, DataDir, app


def _warn(message: str) -> None:
    typer.secho(f"warning: {message}", fg=typer.colors.YELLOW, err=True)


@app.command()
def add(file: Annotated[Path, typer.Argument(help="The plan: .txt (UTF-8, GB18030), .pdf (with text), .docx, "
                                                  ".html/.htm (a page saved from a government site).")],
        city: Annotated[str, typer.Option("--city", help="The plan's prefecture-level city, e.g. 柳州市.")],
        data_dir: DataDir,
        corpus: CorpusDir,
        province: Annotated[str | None, typer.Option("--province", help="Its province (checked; default: the "
                                                                         "city's).")] = None,
        county: Annotated[str | None, typer.Option("--county", help="For a plan of one county/district of the "
                                                                    "city, e.g. 融安县.")] = None,
        title: Annotated[str | None, typer.Option(help="The plan's title (default: the document's own).")] = None,
        date: Annotated[str | None, typer.Option(help="Issue date, YYYY-MM-DD.")] = None,
        doc_number: Annotated[str | None, typer.Option("--doc-number", help="文号.")] = None,
        issuer: Annotated[str | None, typer.Option(help="Issuing body.")] = None,
        replace: Annotated[bool, typer.Option("--replace", help="Replace your plan added from a file of the same "
                                                                "name.")] = False,
        examples: Annotated[bool, typer.Option("--examples/--no-examples", help="Refuse content the example plans "
                                                                                "already hold (default).")] = True,
        ) -> None:
    """添加规划 add a plan.
    Add a plan to your own plans (in the data directory); `kg build` then extracts it with the examples.

    The text that is read is kept beside the original (and, for a PDF, where each page starts).
    The same content twice, a city that is not a city, a county outside it, a province that does
    not hold it, an impossible date or a file too large is refused, and nothing is changed.

    Example: kg add 柳州市医疗卫生服务体系规划.pdf --city 柳州市 --date 2022-03-01
    """
    from kg.plans import add_plan

    added = add_plan(data_dir, file, city=city, province=province, county=county, title=title, date=date,
                     doc_number=doc_number, issuer=issuer, replace=replace, examples=corpus if examples else None)
    for warning in added.warnings:
        _warn(warning)
    m = added.meta
    place = m.city + (f" {m.county}" if m.county else "")
    pages = f", {added.pages} pages" if added.pages else ""
    verb = f"replaced 《{added.replaced.title}》 with" if added.replaced else "added"
    typer.echo(f"{verb} 《{m.title}》 ({place}; {m.form}{pages}, {added.chars:,} characters) as {m.file} "
               f"in {added.corpus}; run `kg build` to extract it")


@app.command()
def remove(plan: Annotated[str, typer.Argument(help="The plan's file (as `kg plans` shows it), the name of the "
                                                    "file it was added from, or its title.")],
           data_dir: DataDir) -> None:
    """删除规划 remove a plan.
    Remove one of your plans (its text and original); the graph keeps it until the next `kg build`.

    Example: kg remove 柳州市医疗卫生服务体系规划.pdf
    """
    from kg.plans import remove_plan

    meta = remove_plan(data_dir, plan)
    typer.echo(f"removed 《{meta.title}》 ({meta.source or meta.file}); run `kg build` to rebuild the graph without it")


@app.command()
def plans(data_dir: DataDir, corpus: CorpusDir,
          examples: Annotated[bool, typer.Option("--examples/--no-examples", help="List the example plans too.")]
          = True,
          as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False) -> None:
    """规划列表 the plans.
    The plans `kg build` builds: the examples and yours, with what the current graph took from each.

    Example: kg plans --json
    """
    from kg.errors import StoreError
    from kg.plans import list_plans, plan_counts
    from kg.store import open_store

    rows = list_plans(data_dir, corpus if examples else None)
    try:
        counts = plan_counts(open_store(data_dir))
    except StoreError:
        counts = {}  # nothing built yet: the plans are listed without counts
    records = []
    for row in rows:
        m = row.meta
        records.append({"file": m.file, "title": m.title, "city": m.city, "county": m.county, "date": m.date,
                        "doc_number": m.doc_number, "source": m.source or m.file, "form": m.form or "txt",
                        "size": row.size, "origin": row.origin,
                        "counts": counts.get(m.file) if counts else None})
    if as_json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=1))
        return
    if not records:
        typer.echo(f"no plans: add one with `kg add FILE --city 某某市` (your plans live in {data_dir})")
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table("规划 title", "地区 place", "日期 date", "文号", "来源文件 source", "格式", "大小",
                  "机构/关系/数据", "", title=f"plans · {data_dir}")
    for r in records:
        c = r["counts"]
        extracted = f"{c['institutions']}/{c['relations']}/{c['figures']}" if c else "not built"
        place = r["city"] + (f" {r['county']}" if r["county"] else "")
        table.add_row(*[escape(str(v)) if v is not None else "" for v in (
            r["title"], place, r["date"], r["doc_number"], r["source"], r["form"], _size(r["size"]), extracted,
            "示例" if r["origin"] == "example" else "我的")])
    Console().print(table)


def _size(size: int | None) -> str:
    if size is None:
        return "missing"
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
