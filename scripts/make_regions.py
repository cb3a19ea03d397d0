"""Build `kg/data/regions.csv` (GB/T 2260 administrative divisions) from cpca's `adcodes.csv`.

Source: the PyPI package `cpca` 0.5.5 (MIT licence, (c) 2018 QinYuan Du), file
`cpca/resources/adcodes.csv` (12-digit codes, name, longitude, latitude). Get it with::

    .venv/bin/pip download --no-deps -d /tmp/cpca cpca
    cd /tmp/cpca && mkdir -p x && cd x && unzip -o ../cpca-*.whl
    .venv/bin/python scripts/make_regions.py --source /tmp/cpca/x/cpca/resources/adcodes.csv

Output columns: ``code,name,level,parent_code,province_code,aliases``

- ``code``: the first 6 digits of the 12-digit code.
- ``level``: ``province`` (XX0000), ``city`` (XXXX00) or ``county`` (everything else: 区/县/县级市/旗...).
- Placeholder rows are dropped: 市辖区 (XXXX01), 县 (500200), 省直辖县级行政区划 /
  自治区直辖县级行政区划 (XX9000). Their children get the province as parent.
- Direct-administered municipalities (北京 110000, 天津 120000, 上海 310000, 重庆 500000) are one row
  of level ``province``; their districts/counties have the municipality itself as ``parent_code``
  (the municipality also acts as the city: ``Gazetteer.city_of`` returns the municipality).
- County-level units directly under a province (仙桃市, 济源市, 琼海市, 石河子市…) have the province
  as ``parent_code``; ``Gazetteer.city_of`` returns the unit itself (they issue municipal plans).
- ``aliases``: former names separated by ``|`` (from CHANGES below), so older plans still resolve.

cpca's table is a snapshot of about mid-2016. CHANGES lists the later changes applied (the ones we are
sure of; Guangxi, Jiangxi and Chongqing were checked county by county). Everything else in China is
left as cpca has it.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/tmp/cpca/x/cpca/resources/adcodes.csv")
DEFAULT_OUT = REPO / "kg" / "data" / "regions.csv"

PLACEHOLDER_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}

# (year, old code, old name, new code, new name, note)
#   old code None  -> a new region (parent = new code's city);
#   new name None  -> abolished; the old name becomes an alias of the region with new code.
CHANGES: list[tuple[int, str | None, str | None, str, str | None, str]] = [
    # --- Guangxi 广西壮族自治区 ---
    (2016, "451281", "宜州市", "451203", "宜州区", "河池: 撤市设区"),
    (2018, "450331", "荔浦县", "450381", "荔浦市", "桂林: 撤县设市"),
    (2019, "451021", "田阳县", "451003", "田阳区", "百色: 撤县设区"),
    (2019, "451023", "平果县", "451082", "平果市", "百色: 撤县设市"),
    (2021, "450127", "横县", "450181", "横州市", "南宁: 撤县设市"),
    # --- Jiangxi 江西省 ---
    (2016, "360721", "赣县", "360704", "赣县区", "赣州: 撤县设区"),
    (2017, "360421", "九江县", "360404", "柴桑区", "九江: 撤县设区"),
    (2017, "361029", "东乡县", "361003", "东乡区", "抚州: 撤县设区"),
    (2018, "360622", "余江县", "360603", "余江区", "鹰潭: 撤县设区"),
    (2019, "361121", "上饶县", "361104", "广信区", "上饶: 撤县设区"),
    (2019, None, None, "360113", "红谷滩区", "南昌: 新设区 (from 新建区)"),
    (2019, "360105", "湾里区", "360112", None, "南昌: 湾里区 abolished, its area joined 新建区"),
    (2020, "360727", "龙南县", "360783", "龙南市", "赣州: 撤县设市"),
    # --- Chongqing 重庆市 ---
    (2016, "500232", "武隆县", "500156", "武隆区", "撤县设区"),
    (2016, "500228", "梁平县", "500155", "梁平区", "撤县设区"),
]


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def build(source: Path) -> list[dict[str, str]]:
    raw: dict[str, str] = {}
    with source.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"].strip()[:6]
            name = row["name"].strip()
            if code in raw and raw[code] != name:
                raise SystemExit(f"duplicate code {code}: {raw[code]} / {name}")
            raw[code] = name

    placeholders = {c for c, n in raw.items() if n in PLACEHOLDER_NAMES}
    regions: dict[str, dict[str, str]] = {}
    for code, name in raw.items():
        if code in placeholders:
            continue
        regions[code] = {"code": code, "name": name, "level": level_of(code), "aliases": ""}

    def parent_of(code: str) -> str:
        level = level_of(code)
        prov = code[:2] + "0000"
        if level == "province":
            return ""
        if level == "city":
            return prov
        city = code[:4] + "00"
        if prov in MUNICIPALITIES or city in placeholders or city not in regions:
            return prov
        return city

    for year, old_code, old_name, new_code, new_name, _note in CHANGES:
        if old_code is not None:
            old = regions.pop(old_code, None)
            if old is None or old["name"] != old_name:
                raise SystemExit(f"change {year} {old_name}: {old_code} not found as expected ({old})")
            aliases = [a for a in old["aliases"].split("|") if a] + [old_name]
        else:
            aliases = []
        if new_name is None:  # abolished: old name becomes an alias of the absorbing region
            target = regions[new_code]
            target["aliases"] = "|".join([a for a in target["aliases"].split("|") if a] + aliases)
            continue
        if new_code in regions:
            raise SystemExit(f"change {year} {new_name}: code {new_code} already used")
        regions[new_code] = {
            "code": new_code,
            "name": new_name,
            "level": level_of(new_code),
            "aliases": "|".join(aliases),
        }

    rows = []
    for code in sorted(regions):
        r = regions[code]
        parent = parent_of(code)
        if parent and parent not in regions:
            raise SystemExit(f"{code} {r['name']}: parent {parent} missing")
        rows.append(
            {
                "code": code,
                "name": r["name"],
                "level": r["level"],
                "parent_code": parent,
                "province_code": code[:2] + "0000",
                "aliases": r["aliases"],
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="cpca resources/adcodes.csv")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)
    rows = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(
            fh,
            fieldnames=["code", "name", "level", "parent_code", "province_code", "aliases"],
            lineterminator="\n",
        )
        w.writeheader()
        w.writerows(rows)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["level"]] = counts.get(r["level"], 0) + 1
    print(f"wrote {len(rows)} regions to {args.out}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
