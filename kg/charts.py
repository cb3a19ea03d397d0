"""Indicator charts: the values of one canonical measure across places and years (2020 against the
2025 target), as grouped bars. Pure functions: `series` arranges the values (kg/resource.py's
`measure_values`), `measure_chart` lays them out as SVG geometry for a page, `draw` writes PNG/SVG
with matplotlib for `kg chart`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
MAX_GROUPS = 40


def series(values: list[dict]) -> dict:
    """{unit, groups: [subject…], series: [{name, values: {subject: number}}], cited: [sources], left_out}:
    the numeric values in the measure's most common unit, one series per (year, role)."""
    numeric = [v for v in values if v.get("value") is not None]
    units = Counter(v["unit"] for v in numeric)
    unit = units.most_common(1)[0][0] if units else ""
    kept = [v for v in numeric if v["unit"] == unit]
    groups: list[str] = []
    named: dict[tuple, dict] = {}
    for v in sorted(kept, key=lambda v: (v["city"], v["subject"], v["year"] or 0)):
        label = v["subject"]
        if label not in groups:
            groups.append(label)
        key = (v["year"] or 0, v["role"])
        entry = named.setdefault(key, {"name": f"{v['year'] or ''}年 {v['role']}".strip(), "values": {}})
        entry["values"].setdefault(label, v["value"])
    cited = []
    for v in kept:
        for src in v["sources"]:
            if src["title"] not in [c["title"] for c in cited]:
                cited.append({"title": src["title"], "href": src["href"]})
    return {"unit": unit, "groups": groups[:MAX_GROUPS], "series": [named[k] for k in sorted(named)],
            "cited": cited, "left_out": len(values) - len(kept) + max(0, len(groups) - MAX_GROUPS)}


def measure_chart(values: list[dict], title: str, width: int = 900) -> dict | None:
    """SVG geometry of grouped horizontal bars (one row per place, one bar per year/role); None when
    the measure has no numeric value."""
    data = series(values)
    if not data["groups"]:
        return None
    n_series = max(1, len(data["series"]))
    bar, gap, left, right, top = 12, 10, 190, 90, 30
    row = bar * n_series + gap
    height = top + row * len(data["groups"]) + 20
    top_value = max((x for s in data["series"] for x in s["values"].values()), default=0) or 1
    scale = (width - left - right) / top_value
    bars, labels = [], []
    for gi, group in enumerate(data["groups"]):
        y0 = top + gi * row
        labels.append({"x": left - 6, "y": y0 + (bar * n_series) / 2 + 4, "text": group})
        for si, s in enumerate(data["series"]):
            if group not in s["values"]:
                continue
            value = s["values"][group]
            w = max(1.0, value * scale)
            bars.append({"x": left, "y": y0 + si * bar, "w": round(w, 1), "h": bar - 2,
                         "color": PALETTE[si % len(PALETTE)], "title": f"{group} {s['name']}: {value:g}{data['unit']}",
                         "label_x": round(left + w + 4, 1), "label_y": y0 + si * bar + bar - 3,
                         "text": f"{value:g}"})
    legend = [{"x": left + i * 150, "color": PALETTE[i % len(PALETTE)], "name": s["name"]}
              for i, s in enumerate(data["series"])]
    return {"width": width, "height": height, "bars": bars, "labels": labels, "legend": legend,
            "unit": data["unit"], "cited": data["cited"], "left_out": data["left_out"], "title": title}


def draw(values: list[dict], title: str, path: Path, fmt: str) -> Path:
    """The chart as a PNG or SVG figure (matplotlib, the CJK font of kg viz)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kg.viz import cjk_font

    data = series(values)
    groups = data["groups"]
    n = max(1, len(data["series"]))
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": [cjk_font()],
                                "axes.unicode_minus": False, "svg.fonttype": "path"}):
        fig, ax = plt.subplots(figsize=(10, max(3.0, 0.45 * len(groups) * max(1, n / 2) + 1.5)), dpi=110)
        height = 0.8 / n
        for si, s in enumerate(data["series"]):
            ys = [gi + si * height for gi, g in enumerate(groups) if g in s["values"]]
            xs = [s["values"][g] for g in groups if g in s["values"]]
            ax.barh(ys, xs, height=height * 0.9, color=PALETTE[si % len(PALETTE)], label=s["name"])
            for x, y in zip(xs, ys, strict=True):
                ax.text(x, y, f" {x:g}", va="center", fontsize=8)
        ax.set_yticks([gi + 0.4 - height / 2 for gi in range(len(groups))], groups)
        ax.invert_yaxis()
        ax.set_xlabel(data["unit"])
        ax.set_title(title)
        ax.legend(loc="lower right", fontsize=8)
        cited = "；".join(f"《{c['title']}》" for c in data["cited"])
        fig.text(0.01, 0.005, f"来源 sources: {cited}", fontsize=7, ha="left", va="bottom")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        fig.savefig(str(path), format=fmt, bbox_inches="tight")
        plt.close(fig)
    return path
