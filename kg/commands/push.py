"""`kg push`: load the current build into a SPARQL 1.1 server; the shared `--endpoint` options."""

from __future__ import annotations

import os
import sys
import time
import urllib.parse
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import DataDir, app

# Options shared by the commands that can read a server instead of the embedded store.
Endpoint = Annotated[str | None, typer.Option(
    "--endpoint", envvar="KG_SPARQL_ENDPOINT", show_default=False,
    help="Query a SPARQL 1.1 server at this URL instead of the embedded store "
         "(Oxigraph …/query, Virtuoso …/sparql, Fuseki …/DATASET/sparql).")]
User = Annotated[str | None, typer.Option("--user", envvar="KG_SPARQL_USER", help="User name for the server.")]
Password = Annotated[str | None, typer.Option(
    "--password", show_default=False,
    help="Password on the command line: other users see it in `ps`, and it stays in shell history. Prefer "
         "KG_SPARQL_PASSWORD, --password-file, or no password option at all (you are asked for it).")]
PasswordFile = Annotated[Path | None, typer.Option(
    "--password-file", envvar="KG_SPARQL_PASSWORD_FILE", show_default=False,
    help="Read the password from the first line of this file (or set KG_SPARQL_PASSWORD_FILE).")]
PASSWORD_ENV = "KG_SPARQL_PASSWORD"


class AuthKind(str, Enum):
    basic = "basic"
    digest = "digest"


Auth = Annotated[AuthKind, typer.Option("--auth", help="HTTP authentication (Virtuoso's *-auth URLs take digest).")]


class Protocol(str, Enum):
    gsp = "gsp"
    update = "update"


def resolve_password(user: str | None, password: str | None, password_file: Path | None,
                     endpoint: str = "") -> str | None:
    """The password, from (in order) --password (with a warning), --password-file,
    KG_SPARQL_PASSWORD, the URL's user-info, or a prompt on a terminal; None without --user."""
    from kg.errors import RemoteError

    if password is not None:
        typer.secho("注意 warning: --password is visible to other users (ps) and kept in shell history; "
                    f"use {PASSWORD_ENV}, --password-file or the prompt instead", fg=typer.colors.YELLOW, err=True)
        return password
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise RemoteError(f"cannot read the password file {password_file}: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None
        if not lines or not lines[0]:
            raise RemoteError(f"the password file {password_file} is empty")
        return lines[0]
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    if urllib.parse.urlsplit(endpoint).password is not None:
        typer.secho("注意 warning: the password in the --endpoint URL is visible to other users (ps); "
                    f"use {PASSWORD_ENV} or --password-file instead", fg=typer.colors.YELLOW, err=True)
        return None  # taken from the URL by RemoteStore
    if user is None:
        return None
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"Password for {user}: ")
    raise RemoteError(f"--user {user} needs a password",
                      hint=f"set {PASSWORD_ENV}, or pass --password-file FILE (or run on a terminal to be asked)")


def remote_store(endpoint: str, user: str | None, password: str | None, auth: AuthKind,
                 timeout: float | None = 60.0, password_file: Path | None = None):
    """A RemoteStore; `timeout` bounds each whole exchange with the server (default 60 s)."""
    from kg.remote import RemoteStore

    password = resolve_password(user, password, password_file, endpoint)
    return RemoteStore(endpoint, user=user, password=password, auth=auth.value,
                       timeout=60.0 if timeout is None else timeout)


@app.command()
def push(
    data_dir: DataDir,
    endpoint: Annotated[str, typer.Option(
        "--endpoint", help="Graph Store URL (--protocol gsp: Oxigraph …/store, Fuseki …/DATASET/data) or "
                           "SPARQL Update URL (--protocol update: Oxigraph …/update, Virtuoso …/sparql-auth).",
        show_default=False)],
    graph: Annotated[str | None, typer.Option(
        "--graph", help="Put every triple into this one named graph (the evidence graphs are merged).")] = None,
    user: User = None,
    password: Password = None,
    password_file: PasswordFile = None,
    auth: Auth = AuthKind.basic,
    protocol: Annotated[Protocol, typer.Option(
        "--protocol", help="gsp: one Graph Store request (N-Quads, or Turtle into --graph); "
                           "update: INSERT DATA in batches.")] = Protocol.gsp,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace instead of add: gsp PUTs (the whole dataset, or --graph); "
                          "update drops --graph, or each graph of the build, first.")] = False,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Triples per INSERT DATA request.")] = 5000,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds each request may take in all "
                                                             "(connect, send, answer).")] = 300.0,
) -> None:
    """推送到 SPARQL 服务器 push.
    Load the current build into a SPARQL 1.1 server (Graph Store Protocol or SPARQL Update).

    Examples:
      kg push --endpoint http://127.0.0.1:7878/store --replace
      KG_SPARQL_PASSWORD=dba kg push --endpoint http://127.0.0.1:8890/sparql-auth --protocol update \\
        --auth digest --user dba
      kg push --endpoint http://127.0.0.1:3030/kg/data --graph https://w3id.org/healthkg/graph
    Then query it with `kg sparql --endpoint URL …` or `kg ask --endpoint URL …`.
    """
    import pyoxigraph as ox

    from kg.errors import RemoteError
    from kg.store import open_store

    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError:
            raise RemoteError(f"--graph {graph!r} is not an IRI",
                              hint="e.g. --graph https://w3id.org/healthkg/graph") from None
    client = remote_store(endpoint, user, password, auth, timeout, password_file)
    quads = list(open_store(data_dir))
    start = time.perf_counter()
    if protocol is Protocol.gsp:
        sent = _push_gsp(client, quads, graph, replace)
    else:
        sent = _push_update(client, quads, graph, replace, batch)
    graphs = 1 if graph else len({q.graph_name for q in quads})
    typer.echo(f"pushed {sent} triples in {graphs} graphs to {client.redact(client.endpoint)} "
               f"in {time.perf_counter() - start:.2f} s")


def _push_gsp(client, quads: list, graph: str | None, replace: bool) -> int:
    import pyoxigraph as ox

    from kg.errors import RemoteError

    method = "PUT" if replace else "POST"
    if graph is None:
        body = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
        ctype, _ = client.request(client.endpoint, method, body,
                                  {"Content-Type": "application/n-quads", "Accept": "*/*"})
        if ctype == "text/html":
            # Virtuoso's Graph Store answers a request without ?graph= with its help page (200) and stores nothing.
            raise RemoteError(f"{client.endpoint} answered with a web page and did not take the N-Quads",
                              hint="its Graph Store needs one graph: add --graph IRI, or use --protocol update")
        return len(quads)
    triples = list(dict.fromkeys(q.triple for q in quads))  # merged graphs hold each triple once
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)  # N-Triples is valid Turtle
    sep = "&" if "?" in client.endpoint else "?"
    url = client.endpoint + sep + urllib.parse.urlencode({"graph": graph})
    client.request(url, method, body, {"Content-Type": "text/turtle; charset=utf-8", "Accept": "*/*"})
    return len(triples)


def _push_update(client, quads: list, graph: str | None, replace: bool, batch: int) -> int:
    import pyoxigraph as ox

    if graph is not None:
        target = ox.NamedNode(graph)
        items = list(dict.fromkeys((target, q.triple) for q in quads))
    else:
        items = [(q.graph_name, q.triple) for q in quads]
    names = list(dict.fromkeys(g for g, _ in items if isinstance(g, ox.NamedNode)))
    if replace:
        for i in range(0, len(names), 500):
            client.update(" ;\n".join(f"DROP SILENT GRAPH {g}" for g in names[i:i + 500]))
    for i in range(0, len(items), batch):
        client.update(_insert_data(items[i:i + batch]))
    return len(items)


GRAPH_BLOCK = 1000


def _insert_data(items: list) -> str:
    """INSERT DATA with the triples grouped by graph; terms in N-Triples syntax (pyoxigraph escapes them)."""
    import pyoxigraph as ox

    by_graph: dict[object, list[str]] = {}
    for g, t in items:
        by_graph.setdefault(g, []).append(f"{t.subject} {t.predicate} {t.object} .")
    parts = []
    for g, lines in by_graph.items():
        # a graph's triples in blocks of GRAPH_BLOCK: Virtuoso's SPARQL compiler runs out of memory on one
        # block of some thousands (a plan's text spans), though the same triples in several blocks pass
        for i in range(0, len(lines), GRAPH_BLOCK):
            body = "\n".join(lines[i:i + GRAPH_BLOCK])
            parts.append(f"GRAPH {g} {{\n{body}\n}}" if isinstance(g, ox.NamedNode) else body)
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"
