"""A query worker: `python -m kg.web.worker --memory-mb N`, started and killed by kg/web/pool.py.

It caps its own memory and cuts itself off from the network (kg/web/sandbox.py) before importing
the query engine, then answers queries read from stdin, one at a time, on stdout. A frame is two
big-endian 32-bit lengths, a JSON header and a body:

  request  {"build": DIR, "query": TEXT, "bindings": {name: N-Triples term}, "format": NAME|null,
            "max_bytes": N}                                                    (empty body)
  response {"ok": true, "media": TYPE, "form": FORM, "seconds": S}              body: the results
           {"ok": false, "kind": "syntax"|"failed"|"too_large"|"memory", "message": TEXT}

A query that runs past its time is not this process's concern: the server kills it.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import sys
import time
from typing import BinaryIO

HEADER = struct.Struct(">II")


def read_frame(stream: BinaryIO) -> tuple[dict, bytes] | None:
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        return None
    size, body_size = HEADER.unpack(head)
    header = json.loads(stream.read(size))
    return header, stream.read(body_size)


def write_frame(stream: BinaryIO, header: dict, body: bytes = b"") -> None:
    data = json.dumps(header, ensure_ascii=False).encode("utf-8")
    stream.write(HEADER.pack(len(data), len(body)) + data + body)
    stream.flush()


class Engine:
    """The store of the build named by each request, opened read-only and kept until the build changes."""

    def __init__(self) -> None:
        self.build: str | None = None
        self.store = None

    def answer(self, request: dict) -> tuple[dict, bytes]:
        import pyoxigraph as ox

        from kg import sparql as sq
        from kg.binding import bind_values
        from kg.errors import QueryError
        from kg.web import protocol

        if request["build"] != self.build:
            self.store, self.build = None, None
            self.store = ox.Store.read_only(os.path.join(request["build"], "store"))
            self.build = request["build"]
        bindings = {ox.Variable(name): protocol.parse_term(name, term) for name, term in request["bindings"].items()}
        start = time.perf_counter()
        try:
            raw = self.store.query(bind_values(sq.PREFIX_TEXT + request["query"], bindings),
                                   use_default_graph_as_union=True)
            result = sq._materialise(raw)
        except SyntaxError as exc:
            return {"ok": False, "kind": "syntax", "message": str(sq._syntax_error(exc, prefixed=True))}, b""
        except (OSError, ValueError, RuntimeError) as exc:
            return {"ok": False, "kind": "failed", "message": str(QueryError(f"query failed: {exc}"))}, b""
        result.seconds = time.perf_counter() - start
        graph = result.form == "graph"
        fmt = request["format"]
        if fmt is None or (fmt in protocol.GRAPH_TYPES) != graph:
            fmt = "turtle" if graph else "json"
        body = protocol.serialize(result, fmt).encode("utf-8")
        if len(body) > request["max_bytes"]:
            return {"ok": False, "kind": "too_large",
                    "message": f"the results take {len(body):,} bytes, over the limit of {request['max_bytes']:,}; "
                               "add a LIMIT or narrow the query"}, b""
        return {"ok": True, "media": protocol.media_type(fmt), "form": result.form,
                "seconds": result.seconds}, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--memory-mb", type=int, required=True)
    args = parser.parse_args()
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything printed by a library goes to stderr, never into the frames
    inp = sys.stdin.buffer

    from kg.web import sandbox

    sandbox.limit_memory(args.memory_mb)
    isolated = sandbox.deny_network()
    # the engine and the formats, imported before saying ready: a query's time is the query's own
    import pyoxigraph  # noqa: F401

    from kg import sparql  # noqa: F401
    from kg.web import protocol  # noqa: F401

    write_frame(out, {"ready": True, "network_denied": isolated, "pid": os.getpid()})
    engine = Engine()
    while True:
        frame = read_frame(inp)
        if frame is None:
            return
        try:
            header, body = engine.answer(frame[0])
        except MemoryError:
            write_frame(out, {"ok": False, "kind": "memory", "message": "out of memory"})
            return  # a fresh worker returns the memory to the system
        except Exception as exc:  # a bug: report it, the server logs it
            header, body = {"ok": False, "kind": "failed", "message": f"{type(exc).__name__}: {exc}"}, b""
        write_frame(out, header, body)


if __name__ == "__main__":
    main()
