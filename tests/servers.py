"""SPARQL servers for the tests: started on 127.0.0.1 on a free port in a temp dir, stopped by PID.

`OxigraphServer` runs the `oxigraph` binary of the venv (PyPI `oxigraph`, the `test` extra);
`VirtuosoServer` runs Debian's `virtuoso-t` (package `virtuoso-opensource-7-bin`) with a minimal
virtuoso.ini bound to loopback. Both wait until the HTTP endpoint answers a query.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

VIRTUOSO_BIN = "virtuoso-t"
ISQL_BIN = "isql-vt"
VIRTUOSO_INI = """\
[Database]
DatabaseFile={dir}/v.db
ErrorLogFile={dir}/v.log
LockFile={dir}/v.lck
TransactionFile={dir}/v.trx
xa_persistent_file={dir}/v.pxa
TempStorage=TempDatabase

[TempDatabase]
DatabaseFile={dir}/v-temp.db
TransactionFile={dir}/v-temp.trx

[Parameters]
ServerPort=127.0.0.1:{sql_port}
DisableUnixSocket=1
NumberOfBuffers=20000
MaxDirtyBuffers=15000
DirsAllowed={dir}

[HTTPServer]
ServerPort=127.0.0.1:{http_port}
ServerRoot={dir}
EnabledDavVSP=0

[SPARQL]
ResultSetMaxRows=1000000
MaxQueryExecutionTime=120
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str | None:
    local = Path(sys.executable).with_name("oxigraph")
    return str(local) if local.exists() else shutil.which("oxigraph")


class Server:
    """A server process; `query_url` answers SPARQL once `start` returns."""

    name = "server"

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log = self.dir / "server.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        raise NotImplementedError

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self, ready_within: float = 30.0) -> None:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self.command(), cwd=self.dir, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + ready_within
        probe = self.query_url + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}: {self.tail()}")
            try:
                with urllib.request.urlopen(probe, timeout=2):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {ready_within} s: {self.tail()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()  # by PID: only the process this object started
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def tail(self, chars: int = 2000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]
        except OSError:
            return ""


class OxigraphServer(Server):
    name = "oxigraph"

    def __init__(self, directory: Path, read_only: bool = False) -> None:
        super().__init__(directory)
        self.read_only = read_only

    @property
    def query_url(self) -> str:
        return self.base + "/query"

    @property
    def store_url(self) -> str:
        return self.base + "/store"

    @property
    def update_url(self) -> str:
        return self.base + "/update"

    def command(self) -> list[str]:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("the oxigraph binary is missing: pip install -e '.[test]'")
        mode = "serve-read-only" if self.read_only else "serve"
        return [binary, mode, "--location", str(self.dir / "db"), "--bind", f"127.0.0.1:{self.port}"]


class VirtuosoServer(Server):
    name = "virtuoso"

    def __init__(self, directory: Path) -> None:
        super().__init__(directory)
        self.sql_port = free_port()
        (self.dir / "virtuoso.ini").write_text(
            VIRTUOSO_INI.format(dir=self.dir, sql_port=self.sql_port, http_port=self.port), encoding="utf-8")

    @staticmethod
    def missing() -> str | None:
        """Why Virtuoso cannot run here, or None."""
        if shutil.which(VIRTUOSO_BIN) is None:
            return ("Virtuoso is not installed (Debian package virtuoso-opensource-7-bin; "
                    "scripts/install_system_deps.sh installs it as root)")
        return None

    @property
    def query_url(self) -> str:
        return self.base + "/sparql"

    @property
    def update_url(self) -> str:
        return self.base + "/sparql-auth"  # updates need the dba account, with Digest authentication

    def command(self) -> list[str]:
        return [VIRTUOSO_BIN, "+foreground", "+configfile", str(self.dir / "virtuoso.ini")]

    def isql(self, statements: str) -> str:
        run = subprocess.run([ISQL_BIN, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={statements}"],
                             capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        return run.stdout + run.stderr

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.isql("shutdown;")  # a clean checkpoint; terminate() below is the fallback
                self.proc.wait(timeout=20)
            except (subprocess.SubprocessError, OSError):
                pass
        super().stop()
