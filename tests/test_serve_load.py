"""`kg serve` under load from a second process on loopback: a bounded run with zero errors.

The figures (requests/s, p95) are printed, not asserted: timing belongs to benchmarks.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from urllib.request import urlopen

import pytest

from kg.paths import REPO_DIR

REQUESTS = 2000


@pytest.fixture(scope="module")
def served(data_dir):
    """`kg serve` in its own process on a free loopback port; stopped by PID."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--data-dir", str(data_dir), "--port", str(port),
                             "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO_DIR)})
    base = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urlopen(base + "api/queries", timeout=30):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"kg serve exited: {proc.stderr.read()}")
            time.sleep(0.2)
    yield proc, base, port
    proc.terminate()
    proc.wait(timeout=30)


def test_serve_binds_loopback_by_default(served):
    proc, _, port = served
    # the listening socket answers on 127.0.0.1 and is not bound to every interface
    out = subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout if os.path.exists("/usr/bin/ss") \
        else ""
    lines = [line for line in out.splitlines() if f":{port} " in line]
    if lines:
        assert all("127.0.0.1:" in line for line in lines), lines
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


def test_thousands_of_requests_from_another_process_with_zero_errors(served):
    _, base, _ = served
    run = subprocess.run([sys.executable, str(REPO_DIR / "bench" / "load_serve.py"), base,
                          "--requests", str(REQUESTS), "--clients", "4"],
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    print(f"kg serve load: {report}")
    assert report["requests"] == REQUESTS
    assert report["errors"] == 0, report["first_errors"]
    # every tenth request is an update, LOAD or SERVICE: each was refused with 403
    assert report["refused_as_expected"] == REQUESTS // 10
