"""`kg serve`: the graph over HTTP — SPARQL endpoint, question API and a web page, on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli import DataDir, app


@app.command()
def serve(data_dir: DataDir,
          host: Annotated[str, typer.Option("--host", help="Address to listen on; 127.0.0.1 keeps it to this "
                                                          "machine, 0.0.0.0 opens it to the network.")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help="TCP port (0: any free port).")] = 8765,
          timeout: Annotated[float, typer.Option("--timeout", help="Seconds a SPARQL query may run; its worker "
                                                                   "is stopped then.")] = 10.0,
          workers: Annotated[int, typer.Option("--workers", help="Worker processes that run SPARQL queries "
                                                                 "(default: the cores, 2 to 4).")] = 0,
          query_memory: Annotated[int, typer.Option("--query-memory", help="Memory (MB) one query may use; "
                                                                           "past it the query is stopped.")] = 1024,
          quiet: Annotated[bool, typer.Option("--quiet", help="Do not log each request.")] = False) -> None:
    """网页与 SPARQL 服务 serve.
    Serve the graph: a read-only SPARQL 1.1 endpoint (/sparql), questions (/api/ask) and a web page (/).

    Example: kg serve --port 8765   then open http://127.0.0.1:8765/ or
             curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 5'
             http://127.0.0.1:8765/sparql
    """
    from kg.web.http import DEFAULT_WORKERS, check_timeout, make_server

    check_timeout(timeout)  # before the graph is opened: a bad setting is the first thing to hear about
    server = make_server(data_dir, host, port, timeout=timeout, quiet=quiet, warm=True,
                         workers=workers or DEFAULT_WORKERS, query_memory_mb=query_memory)
    url = server.url
    typer.echo(f"kg serve: {url}  (SPARQL {url}sparql · questions {url}api/ask?q=… · Ctrl-C to stop)")
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.secho(f"注意 note: listening on {host}, reachable from other machines", fg=typer.colors.YELLOW, err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    typer.echo("kg serve: stopped")
