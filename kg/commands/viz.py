"""`kg viz`: draw a city's consortia, guidance and referral networks, or print network metrics."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import DataDir, app
from kg.errors import OutputError


class VizFormat(str, Enum):
    html = "html"
    png = "png"
    svg = "svg"
    graphml = "graphml"
    gexf = "gexf"


def _split(values: list[str] | None) -> list[str]:
    """Accept both `--relation a,b` and repeated `--relation a --relation b`."""
    return [part.strip() for value in values or [] for part in value.replace("，", ",").split(",") if part.strip()]


@app.command()
def viz(data_dir: DataDir,
        city: Annotated[str | None, typer.Option("--city", help="只画这个城市 only this city, e.g. 钦州市.")] = None,
        county: Annotated[str | None, typer.Option("--county", help="只画这个县区 only this county, e.g. 浦北县.")]
        = None,
        kinds: Annotated[bool, typer.Option("--kinds", help="也画类别指称（泛指，另行排布） also draw generic "
                                                            "mentions (县级医院…), set apart.")] = False,
        consortium: Annotated[str | None, typer.Option("--consortium",
                                                       help="Only this consortium/network (name or part of it) "
                                                            "and its members.")] = None,
        relation: Annotated[list[str] | None, typer.Option("--relation",
                                                           help="Relations to draw, e.g. leads,member_of,guides,refers "
                                                                "(the `kg facts` names).")] = None,
        level: Annotated[list[str] | None, typer.Option("--level", help="Institution levels, e.g. 市办,县办.")] = None,
        fmt: Annotated[VizFormat, typer.Option("--format", help="html, png, svg, graphml or gexf.")] = VizFormat.html,
        output: Annotated[Path | None, typer.Option("-o", "--output", help="Output file (default kg-viz.FORMAT).")]
        = None,
        show_stats: Annotated[bool, typer.Option("--stats", help="Print network metrics instead of drawing.")]
        = False,
        measure: Annotated[str | None, typer.Option(
            "--measure", help="画指标图：该指标各地各年数值（2020 与 2025 目标）draw an indicator's values across "
                              "places and years instead, e.g. 每千人口医疗卫生机构床位数.")] = None) -> None:
    """画网络图或指标图 draw networks or indicator charts.
    Draw the networks of the graph (consortia, guidance, referral) or print their metrics.

    Examples: kg viz --city 钦州市 --format png -o qinzhou.png
              kg viz --city 钦州市 --relation leads,member_of --format html
              kg viz --stats --city 钦州市
    """
    from kg.store import open_store
    from kg.viz import full_network, network_stats, select, title, write

    store = open_store(data_dir)
    if measure is not None:
        _chart(store, measure, city, fmt.value, output)
        return
    full = full_network(store)
    relations, levels = _split(relation), _split(level)
    # A misspelt filter would silently draw an empty picture: name what the graph has instead.
    _known("--relation", relations, {d["relation"] for *_, d in full.edges(data=True)})
    _known("--level", levels, {d["level"] for _, d in full.nodes(data=True) if d.get("level")})
    _known("--city", [city] if city else [], {d["city"] for _, d in full.nodes(data=True) if d.get("city")})
    _known("--county", [county] if county else [], {d["county"] for _, d in full.nodes(data=True) if d.get("county")})
    graph = select(full, city=city, consortium=consortium, relations=relations or None, levels=levels or None,
                   county=county, kinds=kinds)
    graph.graph["title"] = title(store, city, consortium, county)
    if show_stats:
        _print_stats(network_stats(graph), graph.graph.get("title", ""))
        return
    path = output or Path(f"kg-viz.{fmt.value}")
    try:
        write(graph, path, fmt.value)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}", hint="choose a writable -o FILE") from None
    left_out = len(graph.graph.get("isolated", []))
    typer.echo(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges → {path}"
               + (f" ({left_out} isolated nodes left out and listed)" if left_out else ""))


def _chart(store, name: str, city: str | None, fmt: str, output: Path | None) -> None:
    """`kg viz --measure NAME`: the indicator chart (PNG or SVG) of a canonical measure."""
    from kg.charts import draw
    from kg.resource import Reader
    from kg.viz import VizError

    if fmt == "html":  # the default format of networks: a chart is a figure (by -o's suffix, else PNG)
        fmt = "svg" if output is not None and output.suffix.lower() == ".svg" else "png"
    if fmt not in ("png", "svg"):
        raise VizError(f"an indicator chart is drawn as png or svg, not {fmt}",
                       hint="kg viz --measure 每千人口医疗卫生机构床位数 --format png -o beds.png")
    reader = Reader(store)
    iri = reader.measure_named(name.strip())
    if iri is None:
        known = "、".join(label for _, label, _ in reader.measures()[:15])
        raise VizError(f"no measure named {name!r} has figures in the graph · 图谱中没有名为“{name}”的指标",
                       hint=f"measures with the most figures: {known}")
    values = [v for v in reader.measure_values(iri) if not city or v["city"] == city]
    if not any(v["value"] is not None for v in values):
        raise VizError(f"{name}: no numeric value{' in ' + city if city else ''} to draw · 没有可画的数值")
    path = output or Path(f"kg-chart.{fmt}")
    label = reader.label(iri)
    try:
        draw(values, f"{label}{' · ' + city if city else ''}", path, fmt)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}", hint="choose a writable -o FILE") from None
    cited = sorted({s["title"] for v in values for s in v["sources"]})
    typer.echo(f"{label}: {sum(v['value'] is not None for v in values)} values → {path} "
               f"(plans cited: {'、'.join('《' + t + '》' for t in cited)})")


def _known(option: str, asked: list[str], present: set[str]) -> None:
    from kg.viz import VizError

    unknown = [v for v in asked if v not in present]
    if unknown:
        raise VizError(f"{option} {', '.join(unknown)}: not in the graph",
                          hint=f"the graph has: {', '.join(sorted(present))}")


def _print_stats(result: dict, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{title}[/bold]")
    specs = {"flow": ("指导/转诊网络 guidance & referral", ("机构", "入度 in", "出度 out", "介数 betweenness")),
             "leaders": ("牵头最多的机构 leading the most networks", ("机构", "牵头数")),
             "consortia": ("医联体规模 consortium sizes", ("医联体/体系", "类别", "成员数"))}
    for key, (name, columns) in specs.items():
        table = Table(title=name)
        for column in columns:
            table.add_column(column)
        for row in result[key]:
            table.add_row(*map(str, row))
        console.print(table)
    outside = result["outside"]
    console.print(f"[bold]未加入任何医联体的机构 institutions in no consortium ({len(outside)})[/bold]: "
                  + "、".join(outside))
