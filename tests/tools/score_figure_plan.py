"""Score the figures `kg` reads from an imaginary plan (tests/data/figure-plans/NAME.txt) against a
careful reader's list written with it (NAME-expected.jsonl): recall, the figures missed and the levels
read for a listed subject and measure with another value or year (the rule of tests/conftest.py;
standards, such as 每个县办好1所…, are not levels and are left out of that count).

    python tests/tools/score_figure_plan.py changde 常德市 湖南省 [--show]
    python tests/tools/score_figure_plan.py tonglu-report 杭州市 浙江省 --county 桐庐县
    python tests/tools/score_figure_plan.py huoshan-bulletin 六安市 安徽省 --county 霍山县 \
        --dir tests/data/figure-unseen
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from conftest import build_documents, score_figures  # noqa: E402

from kg.facts import figure_facts  # noqa: E402
from kg.store import open_store  # noqa: E402

PLANS = HERE.parent / "data" / "figure-plans"


def expected_of(name: str, plans: Path = PLANS) -> list[tuple]:
    rows = [json.loads(line) for line in (plans / f"{name}-expected.jsonl").read_text("utf-8").splitlines() if line]
    return [(r["subject"], r["measure"], r["year"], r["value"]) for r in rows]


def read_plan(name: str, city: str, province: str, county: str | None = None, plans: Path = PLANS) -> list[dict]:
    text = (plans / f"{name}.txt").read_text("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        data = build_documents(Path(tmp), [{"file": f"{name}.txt", "text": text, "city": city, "province": province,
                                            "title": text.splitlines()[0], "county": county}])
        return list(figure_facts(open_store(data)))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("city")
    ap.add_argument("province")
    ap.add_argument("--county", help="the county a county's document is about (kg add --county)")
    ap.add_argument("--show", action="store_true", help="print every figure read")
    ap.add_argument("--dir", type=Path, default=PLANS, help="the folder of NAME.txt and NAME-expected.jsonl")
    args = ap.parse_args()
    facts = read_plan(args.name, args.city, args.province, args.county, args.dir)
    expected = expected_of(args.name, args.dir)
    missed, wrong = score_figures(facts, expected)
    wrong = [w for w in wrong if w[4] != "standard"]  # a standard (for each county…) is no level
    levels = [f for f in facts if f["role"] != "change"]
    print(f"{args.name}: recall {len(expected) - len(missed)}/{len(expected)} = "
          f"{(len(expected) - len(missed)) / len(expected):.2f}; read {len(levels)} levels, {len(wrong)} wrong")
    for m in missed:
        print("  missed", m)
    for w in wrong:
        print("  wrong ", w)
    if args.show:
        for f in facts:
            print("  read  ", f["subject"], f["measure"], f["year"], f["value"], f["unit"], f["role"],
                  f["condition"], "|", f["sources"][0]["quote"][:60])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
