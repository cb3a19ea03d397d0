"""The HTTP server of `kg serve`: uvicorn (h11) running the Starlette app behind the Guard.

uvicorn parses requests (bodies, chunked encoding, pipelining), closes idle keep-alive connections
after KEEP_ALIVE seconds and caps open connections; one gap is filled here: a connection whose
request headers are not complete within HEADER_SECONDS is closed (uvicorn only times out idle
connections, so headers trickled a byte at a time would hold one open for ever). Bodies have their
own deadline in the app (kg/web/app.py).
"""

from __future__ import annotations

import asyncio
import errno
import math
import os
import socket
import threading

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.errors import KGError
from kg.web.guard import Guard, is_loopback

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_TIMEOUT = 10.0
DEFAULT_WORKERS = max(2, min(4, os.cpu_count() or 2))
DEFAULT_QUERY_MEMORY_MB = 1024
MAX_TIMEOUT = 3600.0
KEEP_ALIVE = 5
HEADER_SECONDS = 10.0
MAX_CONNECTIONS = 256


class ServeError(KGError):
    """The server cannot start (port in use, address not available, bad settings)."""

    code = "KG500"
    exit_code = 7


class GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline for each request's headers."""

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_header_deadline()

    def _arm_header_deadline(self) -> None:
        self._cancel_header_deadline()
        if not self.transport.is_closing():
            seconds = getattr(self.config, "kg_header_seconds", HEADER_SECONDS)
            self._header_timer = self.loop.call_later(seconds, self._header_deadline_passed)

    def _cancel_header_deadline(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _header_deadline_passed(self) -> None:
        self._header_timer = None
        waiting_for_headers = self.cycle is None or self.cycle.response_complete
        if waiting_for_headers and not self.transport.is_closing():
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self._cancel_header_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_header_deadline()

    def connection_lost(self, exc) -> None:
        self._cancel_header_deadline()
        super().connection_lost(exc)


class _Server(uvicorn.Server):
    """Stops the query workers first, so requests in flight end at once instead of being cancelled."""

    def __init__(self, config: uvicorn.Config, pool) -> None:
        super().__init__(config)
        self.pool = pool

    async def shutdown(self, sockets=None) -> None:
        self.pool.stop()
        await super().shutdown(sockets)


def check_timeout(timeout: float) -> float:
    if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
        raise ServeError(f"--timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g}, "
                         f"not {timeout!r}", hint="e.g. --timeout 10 (the default)")
    return timeout


class KGServer:
    """A bound server over the graph in a data directory: `serve_forever()` (any thread), `shutdown()`,
    `server_close()`; `url` once bound."""

    def __init__(self, data_dir, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 timeout: float = DEFAULT_TIMEOUT, quiet: bool = False, warm: bool = False,
                 workers: int = DEFAULT_WORKERS, query_memory_mb: int = DEFAULT_QUERY_MEMORY_MB,
                 keep_alive: float = KEEP_ALIVE, header_seconds: float = HEADER_SECONDS) -> None:
        from kg.web.app import State, make_app
        from kg.web.pool import QueryPool

        check_timeout(timeout)
        if workers < 1 or query_memory_mb < 64:
            raise ServeError("--workers must be at least 1 and --query-memory at least 64 (MB)")
        self.pool = QueryPool(size=workers, timeout=timeout, memory_mb=query_memory_mb)
        self.state = State(data_dir, self.pool, timeout)  # raises when there is no graph
        self.socket = _bind(host, port)
        try:
            self.pool.start()
        except Exception:
            self.socket.close()
            raise
        if warm:
            # The question lexicon is computed on first use of a build (slow on a cold build); start now.
            threading.Thread(target=self.state.warm, daemon=True, name="kg-warm").start()
        self.host, self.port = self.socket.getsockname()[:2]
        app = Guard(make_app(self.state), loopback=is_loopback(host))
        self.config = uvicorn.Config(app, http=GuardedH11, lifespan="off", timeout_keep_alive=keep_alive,
                                     limit_concurrency=MAX_CONNECTIONS, access_log=not quiet,
                                     log_level="warning" if quiet else "info", server_header=False,
                                     timeout_graceful_shutdown=5)
        self.config.kg_header_seconds = header_seconds  # read by GuardedH11
        self.server = _Server(self.config, self.pool)
        self._stopped = threading.Event()
        self._stopped.set()

    @property
    def url(self) -> str:
        return f"http://[{self.host}]:{self.port}/" if ":" in str(self.host) else f"http://{self.host}:{self.port}/"

    def serve_forever(self) -> None:
        """Serve until `shutdown()` or, in the main thread, SIGINT/SIGTERM (then KeyboardInterrupt)."""
        self._stopped.clear()
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self._stopped.set()

    def shutdown(self, wait: float = 10.0) -> None:
        """Stop `serve_forever` (running in another thread) and wait for it to return."""
        self.server.should_exit = True
        self._stopped.wait(wait)

    def server_close(self) -> None:
        self.pool.close()
        self.socket.close()


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServeError(f"port {port} on {host} is already in use",
                             hint="choose another with --port, or stop the program using it") from None
        if exc.errno in (errno.EADDRNOTAVAIL, errno.EACCES) or isinstance(exc, socket.gaierror):
            raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                             hint="use an address of this machine (default 127.0.0.1) and a port above 1023") from None
        raise
    sock.set_inheritable(False)
    return sock


def make_server(data_dir, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, timeout: float = DEFAULT_TIMEOUT,
                quiet: bool = False, warm: bool = False, workers: int = DEFAULT_WORKERS,
                query_memory_mb: int = DEFAULT_QUERY_MEMORY_MB, **limits: float) -> KGServer:
    """A bound server over the graph in `data_dir` (port 0: any free port); call `serve_forever()`.

    `warm` prepares the question answerer in the background, so the first question is quick."""
    return KGServer(data_dir, host, port, timeout, quiet, warm, workers, query_memory_mb, **limits)


def url_of(server: KGServer) -> str:
    return server.url

