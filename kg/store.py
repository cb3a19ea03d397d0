"""The embedded store: the only module that talks to pyoxigraph.

A data directory holds finished builds under `builds/` and a `CURRENT` file naming the one in
use. A build is written into a fresh directory and published by atomically replacing `CURRENT`,
so an interrupted or failed build leaves the previous graph usable, and readers that opened the
previous build keep answering from it. The previous build is kept until the next publish.

Builds into one data directory are serialised by a lock (`.build.lock`, an flock the kernel drops
when the process dies, even by kill -9): a second build waits, saying which process holds it. Only
the lock holder writes under `builds/`, so the `tmp-*` directories it finds there belong to killed
builds and are removed, and publishing removes only builds that neither the new nor the previous
`CURRENT` names.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import shutil
import socket
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from kg.binding import bind_values
from kg.errors import NoGraphError, QueryError, StoreError
from kg.prefixes import SPARQL_PREFIXES  # noqa: F401 - re-exported for the query modules

CURRENT = "CURRENT"
BUILDS = "builds"
META = "meta.json"
LOCK = ".build.lock"
LOCK_WAIT = float(os.environ.get("KG_BUILD_LOCK_WAIT", 3600))  # seconds a build waits for another to finish
# kg build writes the name index qa-names.sqlite and kg ask caches rows as qa-NAME.json, each through qa-NAME.PID.tmp
_QA_TMP = re.compile(r"qa-.*\.(\d+)\.tmp")

log = logging.getLogger("kg.store")
_held_locks: dict[Path, int] = {}  # build dir in progress → descriptor of the data dir's lock


def current_build(data_dir: Path) -> Path:
    """The directory of the build in use; NoGraphError when there is none."""
    pointer = data_dir / CURRENT
    if not data_dir.exists():
        raise NoGraphError(f"data directory {data_dir} does not exist",
                           hint="run `kg build` first, or pass --data-dir DIR / set KG_DATA_DIR")
    if not data_dir.is_dir():
        raise StoreError(f"data directory {data_dir} is not a directory", hint="pass --data-dir DIR")
    if not pointer.exists():
        raise NoGraphError(f"no graph has been built in {data_dir}", hint="run `kg build`")
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read {pointer}: {exc}", hint="rebuild with `kg build`") from None
    build = data_dir / BUILDS / name
    if not name or "/" in name or not (build / "store").is_dir():
        raise StoreError(f"{pointer} names a build that is missing ({name!r})", hint="rebuild with `kg build`")
    return build


def open_store(data_dir: Path) -> ox.Store:
    """Open the current build read-only."""
    build = current_build(data_dir)
    clean_cache_leftovers(build)
    try:
        return ox.Store.read_only(str(build / "store"))
    except (OSError, ValueError, RuntimeError) as exc:
        raise StoreError(f"the graph in {build} cannot be opened: {exc}",
                         hint="it may be corrupt; rebuild with `kg build`") from None


def build_meta(data_dir: Path) -> dict:
    path = current_build(data_dir) / META
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def ensure_writable(data_dir: Path) -> None:
    """Create the builds directory and prove it writable (StoreError if not), before a long extraction."""
    try:
        (data_dir / BUILDS).mkdir(parents=True, exist_ok=True)
        probe = data_dir / BUILDS / f".probe-{os.getpid()}"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise StoreError(f"cannot write to {data_dir}: {exc.strerror}",
                         hint="choose a writable --data-dir") from None


def new_build_dir(data_dir: Path, wait: float | None = None) -> Path:
    """A fresh directory for a build in progress (not visible to readers until published).

    Takes the data directory's build lock, held until `publish` or `discard`; waits up to `wait`
    seconds (LOCK_WAIT, or KG_BUILD_LOCK_WAIT) while another build holds it."""
    ensure_writable(data_dir)
    fd = _lock(data_dir, LOCK_WAIT if wait is None else wait)
    try:
        builds = data_dir / BUILDS
        for old in builds.iterdir():
            if old.name.startswith("tmp-"):  # we hold the lock: its writer is dead
                shutil.rmtree(old, ignore_errors=True)
        stamp = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 10**6:06d}"
        path = builds / f"tmp-{stamp}"
        path.mkdir()
    except BaseException:
        _unlock(fd)
        raise
    _held_locks[path] = fd
    return path


def _lock(data_dir: Path, wait: float) -> int:
    path = data_dir / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(f"cannot create the build lock {path}: {exc.strerror}",
                         hint="choose a writable --data-dir") from None
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            holder = _lock_holder(path)
            if time.monotonic() >= deadline:
                os.close(fd)
                raise StoreError(f"another kg build ({holder}) is still writing to {data_dir}",
                                 hint="wait for it to finish, or stop that process; "
                                      "KG_BUILD_LOCK_WAIT sets how long a build waits") from None
            if not told:
                log.warning("另一个构建正在进行 another kg build (%s) is writing to %s; waiting for it to finish",
                            holder, data_dir)
                told = True
            time.sleep(0.05)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                  "started": time.strftime("%Y-%m-%dT%H:%M:%S")}).encode(), 0)
    except OSError:
        pass  # who holds the lock is a courtesy for the next build's message
    return fd


def _lock_holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
        return f"pid {int(info['pid'])} on {info.get('host', '?')}, started {info.get('started', '?')}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a process that has not said who it is"


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the descriptor releases the flock


def open_new_store(build_dir: Path) -> ox.Store:
    """The (empty) store of a build in progress, to be filled with `bulk_extend`."""
    return ox.Store(str(build_dir / "store"))


def previous_build(data_dir: Path) -> Path | None:
    """The current build, to start the next one from; None when there is none or it cannot be read."""
    try:
        return current_build(data_dir)
    except (NoGraphError, StoreError):
        return None


def copy_store(previous: Path, build_dir: Path) -> ox.Store:
    """A copy of a build's store in a build in progress, to be changed there (hard links to the
    previous store's immutable files: the previous build is left as it was, readers included)."""
    try:
        ox.Store.read_only(str(previous / "store")).backup(str(build_dir / "store"))
    except (OSError, ValueError, RuntimeError) as exc:
        raise StoreError(f"cannot copy the graph of {previous}: {exc}", hint="rebuild with `kg build --full`") from None
    return ox.Store(str(build_dir / "store"))


def write_store(build_dir: Path, quads: Iterable[ox.Quad]) -> ox.Store:
    store = open_new_store(build_dir)
    store.bulk_extend(quads)
    return store


def publish(data_dir: Path, build_dir: Path, meta: Mapping) -> Path:
    """Make `build_dir` the current build atomically; drop builds older than the previous one.

    Runs under the build lock taken by `new_build_dir`, and releases it."""
    fd = _held_locks.pop(build_dir, None)
    try:
        final = build_dir.with_name(build_dir.name.removeprefix("tmp-"))
        (build_dir / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        build_dir.rename(final)
        previous = None
        pointer = data_dir / CURRENT
        try:
            previous = pointer.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            pass  # none yet, or garbage: the rebuild that the error message recommends must still publish
        tmp = data_dir / f".{CURRENT}.{os.getpid()}"
        tmp.write_text(final.name, encoding="utf-8")
        os.replace(tmp, pointer)
        for old in (data_dir / BUILDS).iterdir():
            if old.name in (final.name, previous) or old.name.startswith("."):
                if old.is_dir():
                    clean_cache_leftovers(old)
                continue
            shutil.rmtree(old, ignore_errors=True)
        return final
    finally:
        _unlock(fd)


def discard(build_dir: Path) -> None:
    shutil.rmtree(build_dir, ignore_errors=True)
    _unlock(_held_locks.pop(build_dir, None))


def clean_cache_leftovers(build: Path) -> None:
    """Remove the temporary files of question caches whose writer is gone (a full disk leaves them
    empty); a live writer's file is left alone."""
    try:
        names = [p for p in build.iterdir() if p.name.startswith("qa-") and p.name.endswith(".tmp")]
    except OSError:
        return
    for path in names:
        m = _QA_TMP.fullmatch(path.name)
        if m and not _alive(int(m.group(1))):
            try:
                path.unlink()
            except OSError:
                pass  # a read-only data dir: harmless


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return pid != 0


def sparql_select(store: ox.Store, query: str, bindings: Mapping[str, object] | None = None,
                  prefixes: str = "") -> list[dict[str, object]]:
    """Run a SELECT on the union of all graphs; values are bound, never spliced into the text."""
    result = run_query(store, query, bindings, prefixes)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    names = [v.value for v in result.variables]
    return [{n: sol[n] for n in names} for sol in result]


def run_query(store: ox.Store, query: str, bindings: Mapping[str, object] | None = None, prefixes: str = ""):
    subs = {ox.Variable(k): to_term(v) for k, v in (bindings or {}).items()}
    try:
        # bound as a VALUES block, not pyoxigraph substitutions (which scan first: see kg/binding.py)
        return store.query(bind_values(prefixes + query, subs), use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from None


def to_term(value: object):
    """Python value → RDF term (strings are @zh literals unless they look like IRIs)."""
    if isinstance(value, ox.NamedNode | ox.Literal | ox.BlankNode):
        return value
    if isinstance(value, bool):
        return ox.Literal(str(value).lower(), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    if isinstance(value, float):
        return ox.Literal(repr(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
    text = str(value)
    if text.startswith(("http://", "https://", "urn:")):
        return ox.NamedNode(text)
    return ox.Literal(text, language="zh")


def term_value(term) -> object:
    """RDF term → plain Python (numbers for numeric literals)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith(("#integer", "#int", "#long")):
            try:
                return int(term.value)
            except ValueError:
                return term.value
        if dt.endswith(("#decimal", "#double", "#float")):
            try:
                return float(term.value)
            except ValueError:
                return term.value
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value
