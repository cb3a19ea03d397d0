"""Concurrent `kg build` trials for tests/test_security.py: two builds at once into one data dir, per trial.

Usage: python tests/tools/concurrent_builds.py CORPUS DATA_DIR TRIALS
Warms the extraction pipeline once (no store opened: forking after RocksDB starts its threads would
deadlock), then for each trial forks two processes that both run `kg.build.build`, prints one JSON
line {"trial", "codes"} and waits for a line on stdin, so the caller checks the graph between trials.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from kg.build import build, build_quads


def main() -> None:
    corpus, data, trials = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    build_quads(corpus)
    for trial in range(trials):
        pids = []
        for _ in range(2):
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    build(corpus, data)
                except BaseException as exc:  # a failed build is the finding: report it, exit non-zero
                    print(f"build failed: {exc!r}", file=sys.stderr)
                    code = 1
                os._exit(code)
            pids.append(pid)
        codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
        print(json.dumps({"trial": trial, "codes": codes}), flush=True)
        sys.stdin.readline()


if __name__ == "__main__":
    main()
