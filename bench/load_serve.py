"""Load `kg serve` from a second process: a bounded number of requests from a few client threads.

Usage: .venv/bin/python bench/load_serve.py URL [--requests 2000] [--clients 4]
Mixes SPARQL GET (JSON), SPARQL POST (CSV), questions (/api/ask) and updates that must be refused,
and prints one JSON line: requests, errors, refusals, seconds, requests/s, p50 and p95 latency (ms).
An error is any reply other than 200 for a read or 403 for an update; it asserts nothing itself.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

HOSPITALS = ("SELECT DISTINCT ?name WHERE { ?i a hk:Hospital ; skos:prefLabel ?name ; hk:city/skos:prefLabel ?c . "
             'FILTER(?c = "梧州市"@zh) } ORDER BY ?name')
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?i a hk:HealthInstitution }"
QUESTIONS = ["梧州市第三人民医院的功能定位是什么？", "钦州有哪些疾控中心？", "梧州市工人医院2025年规划编制床位是多少？"]
# Each must be refused (403): the endpoint is read-only and fetches nothing remote.
REFUSED = ["INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "LOAD <http://example.org/x.ttl>",
           "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"]


def request_for(i: int, base: str) -> tuple[Request, int]:
    """The i-th request of the mix and the status it must get."""
    kind = i % 10
    if kind < 4:
        return Request(f"{base}sparql?{urlencode({'query': HOSPITALS})}",
                       headers={"Accept": "application/sparql-results+json"}), 200
    if kind < 7:
        return Request(f"{base}sparql", data=urlencode({"query": COUNT}).encode(),
                       headers={"Accept": "text/csv"}), 200
    if kind < 9:
        return Request(f"{base}api/ask?{urlencode({'q': QUESTIONS[i % len(QUESTIONS)]})}"), 200
    return Request(f"{base}sparql", data=urlencode({"query": REFUSED[i % len(REFUSED)]}).encode()), 403


def run(base: str, total: int, clients: int) -> dict:
    base = base if base.endswith("/") else base + "/"
    latencies: list[float] = []
    errors: list[str] = []
    refusals = 0
    lock = threading.Lock()
    counter = iter(range(total))

    def client() -> None:
        nonlocal refusals
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            req, expected = request_for(i, base)
            start = time.perf_counter()
            try:
                with urlopen(req, timeout=60) as resp:
                    resp.read()
                    status = resp.status
            except HTTPError as err:
                err.read()
                status = err.code
            except (URLError, OSError) as err:
                status = f"{type(err).__name__}: {err}"
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if status != expected:
                    errors.append(f"request {i}: {status} (expected {expected})")
                elif expected == 403:
                    refusals += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"requests": len(latencies), "clients": clients, "errors": len(errors), "first_errors": errors[:5],
            "refused_as_expected": refusals, "seconds": round(seconds, 2),
            "requests_per_s": round(len(latencies) / seconds, 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    print(json.dumps(run(args.url, args.requests, args.clients), ensure_ascii=False))


if __name__ == "__main__":
    main()
