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


MODES = ("list", "run", "check")


@app.command(context_settings={"help_option_names": ["-h", "--help"]})
def sparql(
    data_dir: DataDir,
    args: Annotated[list[str] | None, typer.Argument(
        help="A query; or `list`; or `run NAME`; or `check QUERY` (parse only).", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("-f", "--file", help="Read the query from a .rq file.")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="NAME=VALUE bound to ?NAME of a library query (repeatable).")] = None,
    fmt: Annotated[ResultFormat, typer.Option(
        "--format", help="table, or the W3C SPARQL 1.1 results formats csv, tsv, json.")] = ResultFormat.table,
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
      kg sparql -f my.rq --format csv
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
    _print(result, fmt)
    if timing:
        count = len(result.rows) if result.form == "select" else len(result.triples)
        typer.echo(f"{result.seconds * 1000:.1f} ms, {count} results", err=True)


def _query_text(words: list[str], file: Path | None) -> str:
    if file is not None:
        if words:
            raise QueryError("give the query either as an argument or with -f, not both")
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read {file}: {exc}") from None
    if not words:
        if not sys.stdin.isatty():
            data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError:
                raise QueryError("the query on standard input is not UTF-8 text",
                                 hint="save the query as UTF-8 (e.g. iconv -f GBK -t UTF-8)") from None
        raise QueryError("no query given", hint='kg sparql "SELECT …", kg sparql -f q.rq or kg sparql list')
    return " ".join(words)


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


def _print(result, fmt: ResultFormat) -> None:
    from kg import sparql as sq

    if result.form == "graph":
        sys.stdout.write(sq.to_turtle(result))
        return
    if fmt is ResultFormat.json:
        typer.echo(sq.to_json(result))
    elif fmt is ResultFormat.csv:
        sys.stdout.write(sq.to_csv(result))
    elif fmt is ResultFormat.tsv:
        sys.stdout.write(sq.to_tsv(result))
    elif result.form == "ask":
        typer.echo("true" if result.boolean else "false")
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*result.vars, caption=f"{len(result.rows)} rows")
        for row in result.rows:
            table.add_row(*[sq.compact(row.get(v)) for v in result.vars])
        Console().print(table)
