"""Write NAME-expected.jsonl from the careful reader's rows below, checking every quote is in the text."""
import json, sys
from pathlib import Path

def write(name, rows):
    text = Path(f"{name}.txt").read_text("utf-8")
    out = []
    for subject, measure, year, value, unit, comparator, role, quote in rows:
        assert quote in text, (name, quote)
        out.append(json.dumps({"subject": subject, "measure": measure, "year": year, "value": value, "unit": unit,
                               "comparator": comparator, "role": role, "quote": quote}, ensure_ascii=False))
    Path(f"{name}-expected.jsonl").write_text("\n".join(out) + "\n", "utf-8")
    print(name, len(out))
