"""Queries run in worker processes (kg/web/worker.py): killed at the time limit, capped in memory,
shared fairly between clients.

A runaway query cannot keep its slot or its memory: at the time limit its worker is killed (the
engine cannot be interrupted; a process can) and a fresh one takes its place; a query that needs more
than the memory cap ends its own worker. Each client (remote address) may hold at most
`per_client` workers at once (one fewer than all, so another client always finds one) and keep at
most `queue_per_client` queries waiting; waiting queries are served round-robin across clients, and
one that waits longer than the time limit (plus WAIT_GRACE) is answered 503.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import select
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass

import anyio

from kg.web.worker import HEADER, write_frame

log = logging.getLogger("kg.serve")
START_SECONDS = 60.0  # a worker that is not ready by then is broken (imports fail)
# A waiting query gets a worker within the time limit plus this (a killed worker's replacement starts in ~0.5 s).
WAIT_GRACE = 5.0


@dataclass
class Outcome:
    """What a query came to: `ok` (media, body), or an error `kind` with its message."""

    ok: bool
    kind: str = ""
    message: str = ""
    media: str = ""
    body: bytes = b""
    seconds: float = 0.0


class WorkerGone(Exception):
    pass


class Worker:
    """One worker process; `run` is blocking (called in a thread)."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self.proc = subprocess.Popen([sys.executable, "-m", "kg.web.worker", "--memory-mb", str(memory_mb)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        self.fd = self.proc.stdout.fileno()
        ready = self._read(time.monotonic() + START_SECONDS)
        if not ready.get("ready"):
            self.kill()
            raise WorkerGone("the query worker did not start")
        self.network_denied = bool(ready.get("network_denied"))
        self.alive = True

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _read_exact(self, size: int, deadline: float) -> bytes:
        chunks, left = [], size
        while left:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                raise TimeoutError
            chunk = os.read(self.fd, min(left, 1 << 20))
            if not chunk:
                raise WorkerGone
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _read(self, deadline: float) -> dict:

        size, body_size = HEADER.unpack(self._read_exact(HEADER.size, deadline))
        header = json.loads(self._read_exact(size, deadline))
        header["_body"] = self._read_exact(body_size, deadline) if body_size else b""
        return header

    def run(self, job: dict, timeout: float) -> Outcome:
        deadline = time.monotonic() + timeout
        try:
            write_frame(self.proc.stdin, job)
            reply = self._read(deadline)
        except TimeoutError:
            self.kill()
            return Outcome(False, "timeout", f"the query did not finish within {timeout:g} s and was stopped")
        except (WorkerGone, BrokenPipeError, OSError, ValueError):
            stopped = not self.alive  # killed by close(): the server is stopping
            self.kill()
            if stopped:
                return Outcome(False, "timeout", "the server is stopping")
            code = self.proc.returncode
            return Outcome(False, "memory", f"the query ran out of memory (limit {self.memory_mb} MB) and was "
                                            f"stopped (worker exit {code})")
        if not reply.get("ok"):
            if reply.get("kind") == "memory":
                self.kill()
                return Outcome(False, "memory", f"the query ran out of memory (limit {self.memory_mb} MB) "
                                                "and was stopped")
            return Outcome(False, reply.get("kind", "failed"), reply.get("message", ""))
        return Outcome(True, media=reply["media"], body=reply["_body"], seconds=reply.get("seconds", 0.0))

    def kill(self) -> None:
        self.alive = False
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log.warning("query worker %s did not exit after SIGKILL", self.proc.pid)
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass


@dataclass
class _Waiting:
    future: asyncio.Future


class Busy(Exception):
    """The query cannot be taken now (HTTP 429 for one client's excess, 503 for a full server)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class QueryPool:
    def __init__(self, size: int = 2, timeout: float = 10.0, memory_mb: int = 1024,
                 per_client: int | None = None, queue_per_client: int = 16) -> None:
        self.size = max(1, size)
        self.timeout = timeout
        self.memory_mb = memory_mb
        self.per_client = per_client or max(1, self.size - 1)
        self.queue_per_client = queue_per_client
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._waiting: dict[str, deque[_Waiting]] = {}
        self._running: dict[str, int] = {}
        self._turn: deque[str] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        self._lock = threading.Lock()  # guards _all against the respawning threads

    # ---- life ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Start every worker now (in parallel), so the first query does not wait for one."""
        threads = [threading.Thread(target=self._spawn_into_idle, daemon=True) for _ in range(self.size)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if not self._idle:
            raise WorkerGone("no query worker could be started")

    def _spawn_into_idle(self) -> None:
        try:
            worker = Worker(self.memory_mb)
        except (WorkerGone, OSError) as exc:
            log.error("cannot start a query worker: %s", exc)
            return
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        if not worker.network_denied:
            log.warning("query workers run without the network filter on this machine (%s)", sys.platform)
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._return, worker)
        else:
            self._idle.append(worker)

    def stop(self) -> None:
        """On the event loop, when the server stops: waiting queries are answered 503, workers killed."""
        self._closed = True
        for queue in self._waiting.values():
            for entry in queue:
                if not entry.future.done():
                    entry.future.set_exception(Busy(503, "the server is stopping"))
        self._waiting.clear()
        self._turn.clear()
        self.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
        for worker in workers:
            worker.kill()

    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._all if w.alive]

    # ---- scheduling (on the event loop) ---------------------------------------------------------
    def _return(self, worker: Worker) -> None:
        if worker.alive and not self._closed:
            self._idle.append(worker)
        self._dispatch()

    def _dispatch(self) -> None:
        while self._idle and self._turn:
            for _ in range(len(self._turn)):
                client = self._turn[0]
                self._turn.rotate(-1)
                queue = self._waiting.get(client)
                if queue and self._running.get(client, 0) < self.per_client:
                    entry = queue.popleft()
                    if not queue:
                        del self._waiting[client]
                        self._turn.remove(client)
                    if entry.future.done():
                        break
                    self._running[client] = self._running.get(client, 0) + 1
                    entry.future.set_result(self._idle.pop())
                    break
            else:
                return  # every waiting client is at its share

    async def run(self, client: str, job: dict) -> Outcome:
        self._loop = asyncio.get_running_loop()
        queue = self._waiting.get(client)
        if queue is not None and len(queue) >= self.queue_per_client:
            raise Busy(429, f"{len(queue)} of your queries are already waiting; wait for their answers")
        entry = _Waiting(self._loop.create_future())
        if queue is None:
            self._waiting[client] = queue = deque()
            self._turn.append(client)
        queue.append(entry)
        self._dispatch()
        done, _ = await asyncio.wait({entry.future}, timeout=self.timeout + WAIT_GRACE)
        if not done:
            entry.future.cancel()
            if entry in queue:
                queue.remove(entry)
                if not queue and self._waiting.get(client) is queue:
                    del self._waiting[client]
                    self._turn.remove(client)
            raise Busy(503, f"every query worker stayed busy for {self.timeout + WAIT_GRACE:g} s; "
                            "try again in a moment")
        worker: Worker = entry.future.result()  # Busy when the server is stopping
        try:
            outcome = await anyio.to_thread.run_sync(worker.run, job, self.timeout)
        finally:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]
            if worker.alive:
                self._return(worker)
            else:
                with self._lock:
                    self._all.discard(worker)
                if not self._closed:
                    threading.Thread(target=self._spawn_into_idle, daemon=True, name="kg-worker-start").start()
                self._dispatch()
        return outcome
