// kg viz: a small self-contained force layout on a canvas (no libraries, works offline).
// Data: the JSON of <script type="application/json" id="kg-data"> = {title, nodes[{id,label,type,kind,level,
// category,roles,beds,quote,layer}], edges[{s,t,relation,mode,role,quote}]}. It is read with JSON.parse
// and every text of it reaches the page through textContent: data is never markup.
// Record script errors on the page itself, so a headless check (--dump-dom) can see them.
window.addEventListener("error", function (ev) { document.body.dataset.kgError = String(ev.message); });
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("kg-data").textContent);
  const canvas = document.getElementById("view");
  const ctx = canvas.getContext("2d");
  const card = document.getElementById("card");
  const byId = new Map();
  const nodes = data.nodes.map(function (n) {
    // Start from the seeded layout computed by kg (x, y); the forces below refine it.
    const node = Object.assign({vx: 0, vy: 0, fixed: false}, n);
    byId.set(n.id, node);
    return node;
  });
  const edges = data.edges.filter(function (e) { return byId.has(e.s) && byId.has(e.t); })
    .map(function (e) { return Object.assign({a: byId.get(e.s), b: byId.get(e.t)}, e); });
  const shown = new Set(data.relations);
  let hierarchical = false, showLabels = true;
  let scale = 1, ox = 0, oy = 0, alpha = 1;

  function relColor(r) { return data.relationColors[r] || data.defaultRelationColor; }
  function catColor(c) { return data.categoryColors[c] || "#7f7f7f"; }
  // Radii are in screen pixels, whatever the zoom.
  // Radii and labels are in layout units (they zoom with the drawing), as kg's layout measured them:
  // no two labels overlap at any zoom.
  function radius(n) { return n.type === "consortium" ? 8 : n.type === "kindref" ? 5 : 6.5; }
  function relLabel(r) { return (data.relationLabels || {})[r] || r; }
  function visibleEdges() { return edges.filter(function (e) { return shown.has(e.relation); }); }

  // Controls: one checkbox per relation present, with its colour.
  const filters = document.getElementById("relfilters");
  data.relations.forEach(function (r) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { if (box.checked) shown.add(r); else shown.delete(r); kick(); });
    const sw = document.createElement("span");
    sw.className = "swatch"; sw.style.background = relColor(r);
    label.append(box, sw, document.createTextNode(relLabel(r)));
    filters.append(label);
  });
  document.getElementById("hier").addEventListener("change", function (ev) { hierarchical = ev.target.checked; kick(); });
  document.getElementById("labels").addEventListener("change", function (ev) { showLabels = ev.target.checked; draw(); });
  document.getElementById("fit").addEventListener("click", fit);

  // Legend: categories, node types, asserted vs inferred.
  const legend = document.getElementById("legend");
  const cats = Array.from(new Set(nodes.map(function (n) { return n.category; }))).sort();
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = String(text);
    return node;
  }
  cats.forEach(function (c) {
    const dot = el("span", "dot");
    dot.style.background = catColor(c);  // CSSOM, not a style attribute: allowed by the page's CSP
    const row = el("div");
    row.append(dot, document.createTextNode(c));
    legend.append(row);
  });
  legend.append(el("div", null, "◆ 医联体/体系 · ○ 机构 · ■ 功能单元/县区 · 半透明 = 类别指称（泛指）"),
    el("div", null, "—— 规划明确陈述 · - - - 规则推理"));
  data.relations.forEach(function (r) {
    const line = el("span", "line");
    line.style.background = relColor(r);
    const row = el("div");
    row.append(line, document.createTextNode(relLabel(r)));
    legend.append(row);
  });
  // Nodes with no edge in this view are not drawn: they are listed.
  const isolated = document.getElementById("isolated");
  if (isolated && (data.isolated || []).length) {
    isolated.append(el("b", null, "未画出的孤立节点（无关系） " + data.isolated.length + "："));
    isolated.append(document.createTextNode(data.isolated.map(function (d) { return d.label; }).join("、")));
    isolated.hidden = false;
  }

  function resize() {
    canvas.width = window.innerWidth * devicePixelRatio;
    canvas.height = window.innerHeight * devicePixelRatio;
    draw();
  }

  // Forces: repulsion between all nodes, springs on visible edges, gravity; in hierarchical mode
  // each node is pulled to the row of its layer (networks → city → county → township → village).
  function step() {
    const vis = visibleEdges();
    const k = 90;
    for (let i = 0; i < nodes.length; i++) {
      const a = nodes[i];
      for (let j = i + 1; j < nodes.length; j++) {
        const b = nodes[j];
        let dx = a.x - b.x, dy = a.y - b.y;
        let d2 = dx * dx + dy * dy;
        if (d2 < 0.01) { dx = Math.random() - 0.5; dy = Math.random() - 0.5; d2 = 0.5; }
        if (d2 > 250000) continue;
        const f = (k * k) / d2;
        a.vx += dx * f * 0.05; a.vy += dy * f * 0.05;
        b.vx -= dx * f * 0.05; b.vy -= dy * f * 0.05;
      }
    }
    vis.forEach(function (e) {
      const dx = e.b.x - e.a.x, dy = e.b.y - e.a.y;
      const d = Math.sqrt(dx * dx + dy * dy) || 1;
      const f = (d - k) * 0.02;
      e.a.vx += (dx / d) * f; e.a.vy += (dy / d) * f;
      e.b.vx -= (dx / d) * f; e.b.vy -= (dy / d) * f;
    });
    nodes.forEach(function (n) {
      if (hierarchical) { n.vy = 0; n.y = n.layer * 260 - 400; n.vx -= n.x * 0.002; }
      else { n.vx -= n.x * 0.004; n.vy -= n.y * 0.004; }
      if (!n.fixed) {
        n.vx *= 0.6; n.vy *= 0.6;
        n.x += Math.max(-30, Math.min(30, n.vx * alpha));
        n.y += Math.max(-30, Math.min(30, n.vy * alpha));
      }
      n.vx = 0; n.vy = 0;
    });
    alpha *= 0.985;
  }

  function draw() {
    const w = canvas.width, h = canvas.height, dpr = devicePixelRatio;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(scale * dpr, 0, 0, scale * dpr, w / 2 + ox * dpr, h / 2 + oy * dpr);
    visibleEdges().forEach(function (e) {
      ctx.strokeStyle = relColor(e.relation);
      ctx.lineWidth = 1.5;
      ctx.setLineDash(e.mode === "inferred" ? [5, 4] : []);
      ctx.beginPath(); ctx.moveTo(e.a.x, e.a.y); ctx.lineTo(e.b.x, e.b.y); ctx.stroke();
      // Arrow head at the target's rim.
      const dx = e.b.x - e.a.x, dy = e.b.y - e.a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      const r = radius(e.b) + 2, tx = e.b.x - (dx / d) * r, ty = e.b.y - (dy / d) * r, s = 7;
      ctx.setLineDash([]);
      ctx.fillStyle = relColor(e.relation);
      ctx.beginPath(); ctx.moveTo(tx, ty);
      ctx.lineTo(tx - (dx / d) * s - (dy / d) * s * 0.5, ty - (dy / d) * s + (dx / d) * s * 0.5);
      ctx.lineTo(tx - (dx / d) * s + (dy / d) * s * 0.5, ty - (dy / d) * s - (dx / d) * s * 0.5);
      ctx.closePath(); ctx.fill();
    });
    nodes.forEach(function (n) {
      const r = radius(n);
      ctx.globalAlpha = n.type === "kindref" ? 0.55 : 1;
      ctx.fillStyle = catColor(n.category);
      ctx.beginPath();
      if (n.type === "consortium") { ctx.moveTo(n.x, n.y - r); ctx.lineTo(n.x + r, n.y); ctx.lineTo(n.x, n.y + r); ctx.lineTo(n.x - r, n.y); ctx.closePath(); }
      else if (n.type === "unit" || n.type === "place") { ctx.rect(n.x - r * 0.8, n.y - r * 0.8, r * 1.6, r * 1.6); }
      else { ctx.arc(n.x, n.y, r, 0, 2 * Math.PI); }
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = "#fff"; ctx.lineWidth = 1.2; ctx.stroke();
      if (showLabels) {
        ctx.fillStyle = "#222";
        ctx.font = (data.fontPx || 12) + "px " + getComputedStyle(document.body).fontFamily;
        ctx.textAlign = "center";
        ctx.fillText(n.label, n.x, n.y + 8 + (data.fontPx || 12));
      }
    });
  }

  function kick() { alpha = 1; if (!running) { running = true; requestAnimationFrame(tick); } }
  let running = false, ticks = 0;
  function tick() {
    step(); draw(); ticks++;
    if (alpha > 0.02) requestAnimationFrame(tick); else running = false;
    
  }

  function fit() {
    if (!nodes.length) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    nodes.forEach(function (n) { x0 = Math.min(x0, n.x); y0 = Math.min(y0, n.y); x1 = Math.max(x1, n.x); y1 = Math.max(y1, n.y); });
    const w = window.innerWidth, h = window.innerHeight - 60;
    scale = Math.min(2, 0.9 * Math.min(w / (x1 - x0 + 80), h / (y1 - y0 + 80)));
    ox = -((x0 + x1) / 2) * scale; oy = -((y0 + y1) / 2) * scale + 30;
    draw();
  }

  // Pan (drag background), zoom (wheel), drag nodes, hover cards.
  function world(ev) {
    return {x: (ev.clientX - window.innerWidth / 2 - ox) / scale, y: (ev.clientY - window.innerHeight / 2 - oy) / scale};
  }
  function hit(p) {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const n = nodes[i], dx = n.x - p.x, dy = n.y - p.y;
      const rr = radius(n) + 3;
      if (dx * dx + dy * dy <= rr * rr) return n;
    }
    return null;
  }
  let dragging = null, panning = null;
  canvas.addEventListener("mousedown", function (ev) {
    const n = hit(world(ev));
    if (n) { dragging = n; n.fixed = true; } else { panning = {x: ev.clientX - ox, y: ev.clientY - oy}; }
  });
  window.addEventListener("mouseup", function () { if (dragging) dragging.fixed = false; dragging = null; panning = null; });
  canvas.addEventListener("mousemove", function (ev) {
    const p = world(ev);
    if (dragging) { dragging.x = p.x; dragging.y = p.y; draw(); return; }
    if (panning) { ox = ev.clientX - panning.x; oy = ev.clientY - panning.y; draw(); return; }
    const n = hit(p);
    if (!n) { card.hidden = true; return; }
    const rows = [["类别", n.kind], ["办医层级", n.level], ["所在地", [n.city, n.county].filter(Boolean).join(" ")],
      ["角色", (n.roles || []).join("；")], ["床位", n.beds], ["规划新建", n.planned ? "是" : ""]];
    card.replaceChildren(el("b", null, n.label), document.createTextNode(" "), el("small", null, n.category));
    rows.forEach(function (r) { if (r[1]) card.append(el("div", null, r[0] + "：" + r[1])); });
    if (n.quote) card.append(el("div", "q", n.quote));
    if (location.protocol.indexOf("http") === 0) card.append(el("small", null, "双击打开其页面 double-click for its page"));
    card.hidden = false;
    card.style.left = Math.min(ev.clientX + 14, window.innerWidth - 380) + "px";
    card.style.top = Math.min(ev.clientY + 14, window.innerHeight - 160) + "px";
  });
  // Double-click a node: its page on the server (the IRI's path), in the whole window.
  canvas.addEventListener("dblclick", function (ev) {
    const n = hit(world(ev));
    if (!n || location.protocol.indexOf("http") !== 0) return;
    let url;
    try { url = new URL(n.id); } catch (e) { return; }
    if (url.host === "w3id.org" && url.pathname.indexOf("/healthkg/") === 0) {
      window.open(url.pathname.slice("/healthkg".length), "_top");
    }
  });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    const f = Math.exp(-ev.deltaY * 0.0015);
    const mx = ev.clientX - window.innerWidth / 2, my = ev.clientY - window.innerHeight / 2;
    ox = mx - (mx - ox) * f; oy = my - (my - oy) * f; scale *= f;
    draw();
  }, {passive: false});
  window.addEventListener("resize", resize);

  // Settle the layout before the first paint, so static screenshots see a readable drawing.
  // #hierarchical in the URL opens the layered layout directly (links in reports, screenshots).
  // Otherwise the layout kg computed is drawn as it is (its labels do not overlap).
  if (location.hash.indexOf("hier") >= 0) {
    hierarchical = true; document.getElementById("hier").checked = true;
    alpha = 1;
    for (let i = 0; i < 200; i++) step();
  }
  alpha = 0.05;
  resize();
  fit();
  document.body.dataset.kgDrawn = String(nodes.length);
})();
