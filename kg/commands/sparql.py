"""`kg sparql`: run SPARQL on the graph — a query text, a file, or a named query of the library."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import DataDir, app
from kg.commands.push import Auth, AuthKind, Endpoint, Password, PasswordFile, User
from kg.errors import QueryError


class ResultFormat(str, Enum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    xml = "xml"
    turtle = "turtle"
    nt = "nt"


MODES = ("list", "run", "check")


@app.command(context_settings={"help_option_names": ["-h", "--help"]})
def sparql(
    data_dir: DataDir,
    args: Annotated[list[str] | None, typer.Argument(
        help="A query; or `list`; or `run NAME`; or `check QUERY` (parse only).", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("-f", "--file", help="从文件读查询（- 为标准输入）read the query from "
                                                                   "a .rq file, or - for standard input.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="结果写入文件 write the results to FILE "
                                                                       "(UTF-8).")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE bound to ?NAME of a library query (repeatable).")] = None,
    fmt: Annotated[ResultFormat, typer.Option(
        "--format", help="table（表格）, or the W3C SPARQL 1.1 results formats csv, tsv, json, xml; "
                         "CONSTRUCT/DESCRIBE: turtle (default) or nt.")] = ResultFormat.table,
    timing: Annotated[bool, typer.Option("--timing", help="Print the query time to stderr.")] = False,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Stop waiting after SECONDS.")] = None,
    endpoint: Endpoint = None,
    user: User = None,
    password: Password = None,
    password_file: PasswordFile = None,
    auth: Auth = AuthKind.basic,
) -> None:
    """SPARQL 查询 query.
    Query the graph with SPARQL (read-only; the ontology's prefixes hk:, hkv:, hkid:, skos:, org:… are declared).

    Examples:
      kg sparql "SELECT ?n WHERE { ?i a hk:Hospital ; skos:prefLabel ?n }"
      kg sparql -f my.rq --format csv -o out.csv
      cat my.rq | kg sparql -f - --format xml
      kg sparql list
      kg sparql run institutions_by_city --param city=梧州市
      kg sparql check "ASK { ?s ?p ?o }"
      kg sparql --endpoint http://127.0.0.1:7878/query run relation_counts --format csv
    CONSTRUCT and DESCRIBE print Turtle; ASK prints true or false.
    """
    from kg import sparql as sq

    words = list(args or [])
    mode = words[0] if words and words[0] in MODES else "query"
    if mode != "query":
        words = words[1:]
    if mode == "list":
        _list(sq.load_library(), fmt)
        return
    bindings = {}
    if mode == "run":
        if len(words) != 1:
            raise QueryError("`kg sparql run` takes one query name", hint="see `kg sparql list`")
        entry = sq.get_query(words[0])
        text = entry.text
        bindings = sq.bind_params(entry, sq.parse_param_args(param or []))
    else:
        text = _query_text(words, file)
        if param:
            raise QueryError("--param binds parameters of library queries only",
                             hint="use `kg sparql run NAME --param …`, or write the value into your own query")
    if mode == "check":
        form = sq.check(text)
        typer.echo(f"ok: {form.upper()} query")
        return

    if endpoint:
        from kg.commands.push import remote_store

        store = remote_store(endpoint, user, password, auth, timeout, password_file)
    else:
        from kg.store import open_store

        store = open_store(data_dir)
    result = sq.run(store, text, bindings, timeout=timeout)
    _emit(_format(result, fmt), output)
    if timing:
        count = len(result.rows) if result.form == "select" else len(result.triples)
        typer.echo(f"{result.seconds * 1000:.1f} ms, {count} results", err=True)


def _query_text(words: list[str], file: Path | None) -> str:
    if file is not None:
        if words:
            raise QueryError("give the query either as an argument or with -f, not both")
        if str(file) == "-":
            return _stdin_query()
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read {file}: {exc}") from None
    if not words:
        if not sys.stdin.isatty():
            return _stdin_query()
        raise QueryError("no query given · 没有给出查询",
                         hint='kg sparql "SELECT …", kg sparql -f q.rq, kg sparql -f - < q.rq or kg sparql list')
    return " ".join(words)


def _stdin_query() -> str:
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryError("the query on standard input is not UTF-8 text · 标准输入的查询不是 UTF-8 文本",
                         hint="save the query as UTF-8 (e.g. iconv -f GBK -t UTF-8)") from None
    if not text.strip():
        raise QueryError("standard input holds no query · 标准输入为空", hint="kg sparql -f - < query.rq")
    return text


def _list(library, fmt: ResultFormat) -> None:
    if fmt is ResultFormat.json:
        import json

        rows = [{"name": q.name, "title": q.title, "description": q.description,
                 "params": [{"name": p.name, "type": p.type, "doc": p.doc} for p in q.params],
                 "examples": q.examples} for q in library.values()]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("name", "标题 title", "参数 params", title=f"{len(library)} library queries (queries/*.rq)")
    for q in library.values():
        table.add_row(q.name, q.title, ", ".join(p.name + (f"={p.example}" if p.example else "") for p in q.params))
    Console().print(table)


def _format(result, fmt: ResultFormat) -> str:
    """The result as text in the chosen format (a graph as Turtle unless N-Triples is asked for)."""
    from kg import sparql as sq

    if result.form == "graph":
        if fmt is ResultFormat.nt:
            import pyoxigraph as ox

            data = ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES)
            return data.decode("utf-8") if data else ""
        return sq.to_turtle(result)
    if fmt in (ResultFormat.turtle, ResultFormat.nt):
        raise QueryError(f"--format {fmt.value} is for CONSTRUCT and DESCRIBE (a graph); this query gives a table",
                         hint="use --format table, csv, tsv, json or xml")
    if fmt is ResultFormat.json:
        return sq.to_json(result) + "\n"
    if fmt is ResultFormat.csv:
        return sq.to_csv(result)
    if fmt is ResultFormat.tsv:
        return sq.to_tsv(result)
    if fmt is ResultFormat.xml:
        from kg.web.protocol import to_xml

        return to_xml(result)
    if result.form == "ask":
        return ("true" if result.boolean else "false") + "\n"
    from kg.texttable import render

    rows = [[sq.compact(row.get(v)) for v in result.vars] for row in result.rows]
    return render(result.vars, rows, caption=f"{len(result.rows)} 行 rows")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from kg.errors import OutputError

    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror} · 无法写入 {output}",
                          hint="choose a writable -o FILE") from None
    typer.echo(f"→ {output}", err=True)
