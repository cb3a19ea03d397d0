"""Networks of the graph for planners: consortia, guidance and referral, drawn from SPARQL.

`build_network` reads the store with the named queries in `queries/viz/` (never a parallel data
path) into a networkx MultiDiGraph; the writers turn it into a self-contained HTML page, a static
PNG/SVG figure (matplotlib with a CJK font), or GraphML/GEXF for Gephi and Cytoscape.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import networkx as nx

from kg.errors import KGError
from kg.facts import PREFIXES
from kg.paths import PACKAGE_DATA, QUERIES_DIR
from kg.relation_names import relation_names
from kg.store import sparql_select, term_value

VIZ_QUERIES = QUERIES_DIR / "viz"
VIZ_DATA = PACKAGE_DATA / "viz"
FONT_PACKAGE = "fonts-noto-cjk"
FORMATS = ("html", "png", "svg", "graphml", "gexf")


class VizError(KGError):
    """A drawing cannot be produced (missing font, empty selection)."""


@cache
def style() -> dict:
    return json.loads((VIZ_DATA / "style.json").read_text(encoding="utf-8"))


@cache
def query(name: str) -> str:
    return (VIZ_QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def _select(store, name: str, **bindings) -> list[dict]:
    rows = sparql_select(store, query(name), bindings, prefixes=PREFIXES)
    return [{k: term_value(v) for k, v in row.items()} for row in rows]


# --------------------------------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------------------------------

def full_network(store) -> nx.MultiDiGraph:
    """Every node and relation edge of the graph, with drawing attributes."""
    st = style()
    g = nx.MultiDiGraph()
    for row in _select(store, "nodes"):
        iri = row["n"]
        if iri in g:
            continue
        g.add_node(iri, label=row["label"], type=row["type"], kind=row["kindLabel"] or "",
                   level=row["levelLabel"] or "", city=row["cityLabel"] or "", county=row["countyLabel"] or "",
                   planned=bool(row["planned"]), roles=[], beds="", quote="", source="",
                   category=st["type_categories"].get(row["type"], st["other_category"]))
    for row in _select(store, "categories"):
        node = g.nodes.get(row["n"])
        if node is not None and row["top"] in st["categories"]:
            node["category"] = st["categories"][row["top"]]
    for row in _select(store, "sources"):
        node = g.nodes.get(row["n"])
        if node is not None and not node["quote"]:
            node["quote"], node["source"] = row["quote"], row["file"]
    _add_beds(store, g)
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _select(store, "roles"):
        roles[(row["member"], row["cons"])].add(row["roleLabel"])
        node = g.nodes.get(row["member"])
        cons = g.nodes.get(row["cons"])
        if node is not None and cons is not None:
            card = f"{row['roleLabel']}@{cons['label']}"
            if card not in node["roles"]:
                node["roles"].append(card)
    _add_edges(store, g, roles)
    for _, data in g.nodes(data=True):
        data["layer"] = _layer(data)
    return g


def _add_beds(store, g: nx.MultiDiGraph) -> None:
    """The latest bed figure of each institution, as written (e.g. '2025年 800张（目标）')."""
    best: dict[str, tuple] = {}
    for row in _select(store, "figures", bedUnit=style()["bed_unit"]):
        if row["n"] not in g:
            continue
        year = row["year"] or 0
        text = row["valueText"] if row["valueText"] is not None else row["value"]
        role = (row["vrole"] or "").rsplit("/", 1)[-1]
        card = f"{row['measureLabel']} {year or ''} {text}{row['unit']}" + (f" ({role})" if role else "")
        if row["n"] not in best or year > best[row["n"]][0]:
            best[row["n"]] = (year, card.replace("  ", " "))
    for iri, (_, card) in best.items():
        g.nodes[iri]["beds"] = card


def _add_edges(store, g: nx.MultiDiGraph, roles: dict[tuple[str, str], set[str]]) -> None:
    """One edge per (s, relation, o); asserted when any graph states it, inferred otherwise."""
    merged: dict[tuple[str, str, str], dict] = {}
    for row in _select(store, "edges"):
        s, o, name = row["s"], row["o"], row["name"]
        if s not in g or o not in g or s == o:
            continue
        edge = merged.setdefault((s, name, o), {"relation": name, "subtypes": set(), "stated": False,
                                                "quotes": [], "files": set()})
        if row["pLabel"]:
            edge["subtypes"].add(row["pLabel"])
        if row["mode"].endswith("stated"):
            edge["stated"] = True
        if row["quote"] and row["quote"] not in edge["quotes"]:
            edge["quotes"].append(row["quote"])
        if row["file"]:
            edge["files"].add(row["file"])
    for (s, name, o), edge in sorted(merged.items()):
        role = "、".join(sorted(roles.get((s, o), ()))) if name in style()["consortium_relations"] else ""
        g.add_edge(s, o, key=name, relation=name, role=role, subtypes=sorted(edge["subtypes"]),
                   mode="asserted" if edge["stated"] else "inferred", quote=(edge["quotes"] or [""])[0],
                   source=",".join(sorted(edge["files"])))


def _layer(node: dict) -> int:
    """Row in the hierarchical layout: networks on top, then city → county → township → village."""
    if node["type"] == "consortium":
        return 0
    return style()["level_layer"].get(node["level"], 2 if node["type"] != "unit" else 1)


def select(g: nx.MultiDiGraph, city: str | None = None, consortium: str | None = None,
           relations: Iterable[str] | None = None, levels: Iterable[str] | None = None,
           county: str | None = None, kinds: bool = False) -> nx.MultiDiGraph:
    """The part of the network a planner asked for.

    By default only what the plans name: institutions, consortia and units; `kinds` adds the kind
    references (generic mentions such as 县级医院, drawn apart). A consortium the plan places in a
    county hangs off that county (a place node), so a county's 医共体 is drawn even before anyone is
    said to lead it. Nodes left with no edge are left out and listed in `graph["isolated"]`.
    """
    relations = set(relations or ())
    levels = set(levels or ())
    h = g.copy()
    if relations:
        h.remove_edges_from([(u, v, k) for u, v, k, d in h.edges(keys=True, data=True)
                             if d["relation"] not in relations])
    if not kinds:
        h.remove_nodes_from([n for n, d in list(h.nodes(data=True)) if d["type"] == "kindref"])
    for attr, value in (("city", city), ("county", county)):
        if value:
            # Nodes with no place of their own (units) belong where their edges lead.
            inside = {n for n, d in h.nodes(data=True) if d[attr] == value}
            anchored = inside | {n for n in h if not h.nodes[n][attr]
                                 and any(m in inside for m in nx.all_neighbors(h, n))}
            h.remove_nodes_from([n for n in list(h) if n not in anchored])
    if levels:
        h.remove_nodes_from([n for n, d in list(h.nodes(data=True))
                             if d["type"] in ("institution", "kindref") and d["level"] not in levels])
    if not relations or "in_county" in relations:
        _add_places(h)
    if consortium:
        hits = {n for n, d in h.nodes(data=True) if d["type"] == "consortium"
                and (consortium in d["label"] or consortium in d["kind"])}
        if not hits:
            raise VizError(f"no consortium or network named like {consortium!r} in this selection",
                           hint="see `kg viz --stats` for the consortia in the graph")
        keep = set(hits)
        for n in hits:
            keep.update(nx.all_neighbors(h, n))
        h = h.subgraph(keep).copy()
    isolated = [n for n in h if h.degree(n) == 0]
    if h.number_of_edges() == 0:
        # no relation at all in this view (a plan read without any): show what it names, rather than nothing
        isolated = []
    # a name drawn under another node (远程医疗中心 the network in passing, 远程医疗中心 the unit three
    # hospitals set up) is in the view: listing it as left out too would say it is missing
    drawn = {h.nodes[n]["label"] for n in h if h.degree(n) > 0}
    h.graph["isolated"] = sorted(({"label": h.nodes[n]["label"], "type": h.nodes[n]["type"],
                                   "kind": h.nodes[n]["kind"]} for n in isolated if h.nodes[n]["label"] not in drawn),
                                 key=lambda d: (d["type"] != "consortium", d["label"]))
    h.remove_nodes_from(isolated)
    return h


def _add_places(h: nx.MultiDiGraph) -> None:
    """Each consortium the plans place in a county is linked to that county (a place node)."""
    for n, d in list(h.nodes(data=True)):
        if d["type"] == "consortium" and d["county"]:
            place = "place:" + d["county"]
            if place not in h:
                h.add_node(place, label=d["county"], type="place", kind="县区", level="", city=d["city"],
                           county=d["county"], planned=False, roles=[], beds="", quote="", source="",
                           category=style()["type_categories"]["place"], layer=0)
            h.add_edge(n, place, key="in_county", relation="in_county", role="", subtypes=[], mode="asserted",
                       quote=d["quote"], source=d["source"])


def build_network(store, city: str | None = None, consortium: str | None = None,
                  relations: Iterable[str] | None = None, levels: Iterable[str] | None = None,
                  county: str | None = None, kinds: bool = False) -> nx.MultiDiGraph:
    g = select(full_network(store), city, consortium, relations, levels, county=county, kinds=kinds)
    g.graph["title"] = title(store, city, consortium)
    return g


def title(store, city: str | None, consortium: str | None = None, county: str | None = None) -> str:
    plans = sorted({r["title"] for r in _select(store, "plans") if not city or r["cityLabel"] == city})
    head = (city or "全部城市") + (f" · {county}" if county else "")
    if consortium:
        head += f" · {consortium}"
    if 0 < len(plans) <= 2:
        return f"{head} — " + "、".join(f"《{p}》" for p in plans)
    return f"{head} — {len(plans)} 份规划"


# --------------------------------------------------------------------------------------------------
# Layout: positions in pixels whose label boxes never overlap
# --------------------------------------------------------------------------------------------------

NODE_PX = 8  # the radius the drawing gives a node, in layout pixels


def text_px(text: str, font_px: float) -> float:
    """The width of a label: a CJK (full-width) character is one em, anything else about half."""
    return sum(font_px if ord(ch) > 0x2E80 else font_px * 0.55 for ch in text)


def label_box(label: str, x: float, y: float, font_px: float | None = None) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) of a node and its label drawn under it, in layout pixels."""
    font = font_px or style()["label_font_px"]
    half = max(text_px(label, font), 2 * NODE_PX) / 2 + 2
    return (x - half, y - NODE_PX, x + half, y + NODE_PX + font * 1.4)


def overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def layout(g: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Seeded spring layout scaled to pixels, kind references set apart on the right, then nodes
    pushed apart until no two label boxes overlap."""
    import numpy as np

    nodes = list(g)
    if not nodes:
        return {}
    n = len(nodes)
    pos = nx.spring_layout(nx.Graph(g), seed=seed, k=3.0 / max(n, 1) ** 0.5)
    spread = 110 * max(n, 1) ** 0.5
    xy = np.array([[pos[v][0] * spread, pos[v][1] * spread] for v in nodes], dtype=float)
    kind = np.array([g.nodes[v]["type"] == "kindref" for v in nodes])
    if kind.any() and (~kind).any():  # generic mentions drawn apart, to the right of the named network
        xy[kind, 0] += xy[~kind, 0].max() - xy[kind, 0].min() + 160
    font = style()["label_font_px"]
    half = np.array([max(text_px(g.nodes[v]["label"], font), 2 * NODE_PX) / 2 + 2 for v in nodes])
    up, down = NODE_PX, NODE_PX + font * 1.4
    for _ in range(2000):
        cx, cy = xy[:, 0], xy[:, 1] + (down - up) / 2
        dx = cx[:, None] - cx[None, :]
        dy = cy[:, None] - cy[None, :]
        need_x = half[:, None] + half[None, :] + 2 - np.abs(dx)
        need_y = (up + down) + 2 - np.abs(dy)
        clash = (need_x > 0) & (need_y > 0)
        np.fill_diagonal(clash, False)
        if not clash.any():
            break
        # push each clashing pair apart along the axis that needs the shorter move, half each
        along_x = need_x < need_y
        sx = np.where(dx == 0, np.sign(np.arange(n)[:, None] - np.arange(n)[None, :]), np.sign(dx))
        sy = np.where(dy == 0, np.sign(np.arange(n)[:, None] - np.arange(n)[None, :]), np.sign(dy))
        mx = np.where(clash & along_x, sx * (need_x / 2 + 0.5), 0).sum(axis=1)
        my = np.where(clash & ~along_x, sy * (need_y / 2 + 0.5), 0).sum(axis=1)
        xy[:, 0] += np.clip(mx, -60, 60)
        xy[:, 1] += np.clip(my, -60, 60)
    xy -= xy.mean(axis=0)
    return {v: (round(float(xy[i, 0]), 1), round(float(xy[i, 1]), 1)) for i, v in enumerate(nodes)}


def label_overlaps(g: nx.MultiDiGraph, pos: dict[str, tuple[float, float]]) -> list[tuple[str, str]]:
    """The pairs of nodes whose label boxes overlap (none, for `layout`)."""
    boxes = [(g.nodes[v]["label"], label_box(g.nodes[v]["label"], *pos[v])) for v in g]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:] if overlaps(box_a, box_b)]


# --------------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------------

def network_stats(g: nx.MultiDiGraph) -> dict[str, list]:
    """What an analyst asks of the networks; lists of rows, largest first."""
    st = style()
    flow = nx.DiGraph()
    for u, v, d in g.edges(data=True):
        if d["relation"] in st["flow_relations"]:
            flow.add_edge(u, v)
    between = nx.betweenness_centrality(flow) if flow.number_of_nodes() else {}
    label = nx.get_node_attributes(g, "label")
    flow_rows = sorted(((label[n], flow.in_degree(n), flow.out_degree(n), round(between.get(n, 0.0), 4))
                        for n in flow), key=lambda r: (-r[3], -(r[1] + r[2]), r[0]))
    leads: Counter = Counter()
    sizes: dict[str, int] = {}
    members: set[str] = set()
    for u, v, d in g.edges(data=True):
        if d["relation"] in st["consortium_relations"] and g.nodes[v]["type"] == "consortium":
            members.add(u)
            if d["relation"] == "leads":
                leads[u] += 1
    for n, d in g.nodes(data=True):
        if d["type"] == "consortium":
            sizes[n] = len({u for u, _, e in g.in_edges(n, data=True) if e["relation"] in st["consortium_relations"]})
    return {
        "flow": flow_rows,
        "leaders": sorted(((label[n], c) for n, c in leads.items()), key=lambda r: (-r[1], r[0])),
        "consortia": sorted(((label[n], g.nodes[n]["kind"], s) for n, s in sizes.items()), key=lambda r: (-r[2], r[0])),
        # institutions in no consortium: those drawn, and those left out of the drawing for want of any edge
        "outside": sorted({label[n] for n, d in g.nodes(data=True) if d["type"] == "institution" and n not in members}
                          | {d["label"] for d in g.graph.get("isolated", []) if d["type"] == "institution"}),
    }


# --------------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------------

def write(g: nx.MultiDiGraph, path: Path, fmt: str) -> Path:
    if fmt not in FORMATS:
        raise VizError(f"unknown format {fmt!r}", hint=f"choose one of {', '.join(FORMATS)}")
    if fmt == "html":
        path.write_text(to_html(g), encoding="utf-8")
    elif fmt in ("png", "svg"):
        draw_static(g, path, fmt)
    else:
        flat = flatten(g)
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(flat, str(path))
    return path


def flatten(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML/GEXF take scalars only: lists become '；'-joined strings."""
    h = nx.MultiDiGraph()
    h.graph.update({k: str(v) for k, v in g.graph.items()})

    def scalar(v):
        return "；".join(map(str, v)) if isinstance(v, list | tuple | set) else v

    for n, d in g.nodes(data=True):
        h.add_node(n, **{k: scalar(v) for k, v in d.items()})
    for u, v, k, d in g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, **{a: scalar(b) for a, b in d.items()})
    return h


def to_json(g: nx.MultiDiGraph) -> dict:
    st = style()
    # The layout of `layout` (no two labels overlap): the page draws it as it is, so the same graph
    # always opens the same way and readable; a planner may still drag nodes.
    pos = layout(g)
    nodes = [{"id": n, "x": pos[n][0], "y": pos[n][1],
              **{k: d[k] for k in ("label", "type", "kind", "level", "city", "county", "category",
                                             "roles", "beds", "quote", "source", "layer", "planned")}}
             for n, d in g.nodes(data=True)]
    edges = [{"s": u, "t": v, **{k: d[k] for k in ("relation", "role", "subtypes", "mode", "quote")}}
             for u, v, d in g.edges(data=True)]
    relations = sorted({e["relation"] for e in edges})
    return {"title": g.graph.get("title", ""), "nodes": nodes, "edges": edges,
            "categoryColors": st["category_colors"], "relationColors": st["relation_colors"],
            "defaultRelationColor": st["default_relation_color"], "relations": relations,
            "relationLabels": relation_names(), "typeNames": st["type_names"],
            "isolated": g.graph.get("isolated", []), "levelOrder": st["level_order"], "fontPx": st["label_font_px"]}


def to_html(g: nx.MultiDiGraph, standalone: bool = True) -> str:
    """The network page (kg/web/pages.py): one file with everything inlined (planners' machines may be
    offline), or, for `kg serve`, a page that loads its script and style from /static/."""
    from kg.web.pages import viz_page

    return viz_page(to_json(g), standalone=standalone)


def cjk_font() -> str:
    """The family name of an installed Noto Sans CJK font; VizError naming the package otherwise."""
    from matplotlib import font_manager

    def found() -> str | None:
        for entry in font_manager.fontManager.ttflist:
            if "Noto Sans CJK" in entry.name and "SC" in entry.name:
                return entry.name
        for entry in font_manager.fontManager.ttflist:
            if "Noto Sans CJK" in entry.name:
                return entry.name
        return None

    name = found()
    if name is None:
        # The font may have been installed after matplotlib cached its font list.
        for file in font_manager.findSystemFonts():
            if "NotoSansCJK" in Path(file).name:
                font_manager.fontManager.addfont(file)
        name = found()
    if name is None:
        raise VizError("no CJK font for Chinese labels (Noto Sans CJK not found)",
                       hint=f"install the Debian package {FONT_PACKAGE} (apt-get install {FONT_PACKAGE})")
    return name


def draw_static(g: nx.MultiDiGraph, path: Path, fmt: str) -> None:
    """PNG/SVG of the network: the positions of `layout`, drawn at one layout pixel per output pixel
    (labels the size the layout kept apart), a Chinese legend, and the nodes left out listed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    st = style()
    font = cjk_font()
    pos = layout(g)
    dpi = 100
    font_px = st["label_font_px"]
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    pad = 40 + max((text_px(g.nodes[v]["label"], font_px) / 2 for v in g), default=0)
    width_px = max(xs) - min(xs) + 2 * pad
    height_px = max(ys) - min(ys) + 2 * 60
    names = relation_names()
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": [font],
                                "axes.unicode_minus": False, "svg.fonttype": "path"}):
        bottom = 100  # room for the list of nodes left out
        fig = plt.figure(figsize=((width_px + 260) / dpi, (height_px + bottom) / dpi), dpi=dpi)
        ax = fig.add_axes((0, bottom / (height_px + bottom), width_px / (width_px + 260),
                           height_px / (height_px + bottom)))
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(max(ys) + 60, min(ys) - 60)  # y grows downwards, as on the page
        drawn_rel = set()
        for u, v, d in g.edges(data=True):
            color = st["relation_colors"].get(d["relation"], st["default_relation_color"])
            drawn_rel.add(d["relation"])
            ax.annotate("", xy=pos[v], xytext=pos[u], zorder=1,
                        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.3, "alpha": 0.85,
                                    "linestyle": "-" if d["mode"] == "asserted" else "--",
                                    "shrinkA": 7, "shrinkB": 7, "connectionstyle": "arc3,rad=0.06"})
        shapes = {}
        for node, d in g.nodes(data=True):
            marker = st["type_markers"].get(d["type"]) if d["type"] != "institution" else None
            marker = marker or st["level_markers"].get(d["level"], st["default_marker"])
            shapes.setdefault(d["level"] if d["type"] == "institution" and d["level"] else st["type_names"][d["type"]],
                              marker)
            ax.scatter(*pos[node], s=150 if d["type"] == "consortium" else 80, marker=marker, zorder=2,
                       c=st["category_colors"].get(d["category"], "#7f7f7f"), edgecolors="white", linewidths=0.8,
                       alpha=0.55 if d["type"] == "kindref" else 1.0)
            ax.text(pos[node][0], pos[node][1] + NODE_PX, d["label"], fontsize=font_px * 72 / dpi, ha="center",
                    va="top", zorder=3)
        cats = sorted({d["category"] for _, d in g.nodes(data=True)})
        handles = [Line2D([], [], marker="o", ls="", color=st["category_colors"].get(c, "#7f7f7f"), label=c)
                   for c in cats]
        handles += [Line2D([], [], marker=m, ls="", color="#444", label=lvl) for lvl, m in sorted(shapes.items())]
        handles += [Line2D([], [], color=st["relation_colors"].get(r, st["default_relation_color"]),
                           label=names.get(r, r)) for r in sorted(drawn_rel)]
        handles.append(Line2D([], [], color="#444", ls="-", label="规划明确陈述"))
        if any(d["mode"] == "inferred" for _, _, d in g.edges(data=True)):
            handles.append(Line2D([], [], color="#444", ls="--", label="规则推理"))
        fig.legend(handles=handles, loc="upper right", fontsize=9, frameon=False, title="图例")
        ax.set_axis_off()
        fig.suptitle(g.graph.get("title", ""), fontsize=13, x=0.02, ha="left")
        isolated = g.graph.get("isolated") or []
        if isolated:
            text = f"未画出的孤立节点（{len(isolated)}）：" + "、".join(d["label"] for d in isolated)
            per_line = max(20, int((width_px + 240) / 11))
            lines = [text[i:i + per_line] for i in range(0, len(text), per_line)][:6]
            fig.text(0.01, 0.005, "\n".join(lines), fontsize=8, ha="left", va="bottom")
        fig.savefig(str(path), format=fmt)
        plt.close(fig)
