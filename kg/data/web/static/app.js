// The kg web page: questions (/api/ask), SPARQL (/sparql, the query library), networks (/viz).
// Everything is written with textContent: answers and query results are data, never markup.
"use strict";

// Record script errors on the page itself, so a headless check (--dump-dom) can see them.
window.addEventListener("error", (ev) => { document.documentElement.dataset.kgError = String(ev.message); });
window.addEventListener("unhandledrejection", (ev) => { document.documentElement.dataset.kgError = String(ev.reason); });

const XSD = "http://www.w3.org/2001/XMLSchema#";
const root = document.documentElement;
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

// ---------------------------------------------------------------- questions
const IRI_HOST = "w3id.org", IRI_ROOT = "/healthkg";

function pageOf(iri) {
  // The page of an IRI of the graph on this server (…/healthkg/id/… → /id/…); null for other IRIs.
  let url;
  try { url = new URL(iri || ""); } catch (e) { return null; }
  if (url.protocol !== "https:" || url.host !== IRI_HOST || !url.pathname.startsWith(IRI_ROOT + "/")) return null;
  return url.pathname.slice(IRI_ROOT.length) + url.hash;
}

function sentenceLink(src) {
  // The plan reader at the quoted sentence: by its offset when the answer gives one, else by the quote.
  const file = encodeURIComponent(src.doc || "");
  if (src.start !== undefined && src.start !== null) return "/plan/" + file + "#s" + src.start;
  return "/plan/" + file + "?quote=" + encodeURIComponent(src.quote || "");
}

function sourceLine(src) {
  const link = el("a", {class: "quote", href: sentenceLink(src), title: "在规划原文中查看 open in the plan"},
    "《" + (src.title || src.doc) + "》：", el("q", {}, src.quote));
  return el("div", {class: "source"}, link);
}

function suggestionsOf(message) {
  // "…可以这样问：A；B；C" → [A, B, C]: the answerer's suggestions, offered as questions to click.
  const at = message.indexOf("可以这样问：");
  if (at < 0) return [message, []];
  const list = message.slice(at + "可以这样问：".length).split(/[；;]/).map((q) => q.trim()).filter(Boolean);
  return [message.slice(0, at), list];
}

// The page's session: the questions asked before, sent with each new one so that a follow-up
// (它的功能定位？ 那梧州市呢？ 2020年呢？) refers back to them; kept in this tab only.
const SESSION_KEY = "kg-questions", SESSION_MAX = 5;

function earlierQuestions() {
  try { return JSON.parse(sessionStorage.getItem(SESSION_KEY) || "[]"); } catch (e) { return []; }
}

function rememberQuestion(question) {
  const earlier = earlierQuestions().concat([question]).slice(-SESSION_MAX);
  try { sessionStorage.setItem(SESSION_KEY, JSON.stringify(earlier)); } catch (e) { /* storage off: no follow-ups */ }
}

async function ask(question) {
  const box = $("answer");
  box.replaceChildren(el("p", {class: "message"}, "…"));
  const earlier = earlierQuestions().map((q) => "&prev=" + encodeURIComponent(q)).join("");
  const response = await fetch("/api/ask?q=" + encodeURIComponent(question) + earlier);
  rememberQuestion(question);
  if (!response.ok) {
    box.replaceChildren(el("p", {class: "message status-error"}, await response.text()));
    root.dataset.kgAnswer = "error";
    return;
  }
  const result = await response.json();
  const list = el("ul", {class: "answers"});
  for (const answer of result.answers) {
    const href = pageOf(answer.iri);
    const name = href ? el("a", {href: href, class: "entity"}, answer.text) : el("span", {}, answer.text);
    const item = result.status === "passage"
      ? el("li", {class: "passage"})  // the plan's own words: the quotes are the answer
      : el("li", {}, el("b", {}, name));
    if (answer.inferred) item.append(el("span", {class: "inferred", title: "由规则推理得出 inferred by a rule"}, "推理"));
    const sources = answer.sources || [];
    for (const src of (result.status === "passage" ? sources : sources.slice(0, 3))) {
      if (result.status === "passage") {
        item.append(el("blockquote", {}, el("a", {class: "quote", href: sentenceLink(src)}, src.quote),
          el("cite", {}, "——《" + (src.title || src.doc) + "》")));
      } else {
        item.append(sourceLine(src));
      }
    }
    list.append(item);
  }
  const [message, suggestions] = suggestionsOf(result.message || "");
  const parts = [el("p", {class: "message status-" + result.status}, message)];
  if (suggestions.length) {
    parts.push(el("p", {class: "suggestions"}, "可以这样问 try：",
      ...suggestions.map((q) => el("a", {href: "/?q=" + encodeURIComponent(q)}, q))));
  }
  parts.push(list);
  if ((result.passages || []).length) {
    // no fact in the graph: the plan's own sentences closest to the question, never shown as the answer
    parts.push(el("section", {class: "passages"}, el("h3", {}, "原文相关内容（供参考，不是答案） related plan sentences"),
      ...result.passages.map((src) => el("blockquote", {},
        el("a", {class: "quote", href: sentenceLink(src)}, src.quote),
        el("cite", {}, "——《" + (src.title || src.doc) + "》")))));
  }
  if (result.sparql) {
    parts.push(el("details", {}, el("summary", {}, "查询 query: " + (result.template || "")),
      el("pre", {}, result.sparql)));
  }
  box.replaceChildren(...parts);
  root.dataset.kgAnswer = result.status;
}

// ---------------------------------------------------------------- SPARQL
let library = [];

function ntriples(value, type) {
  // A parameter as an N-Triples term, bound by the server to the query variable (never spliced into the text).
  const quoted = '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r") + '"';
  if (type === "iri") return "<" + value + ">";
  if (type === "string") return quoted;
  if (type === "integer" || type === "decimal" || type === "boolean") return quoted + "^^<" + XSD + type + ">";
  return quoted + "@zh";
}

function chooseExample(name) {
  const entry = library.find((q) => q.name === name);
  const params = $("params");
  params.replaceChildren();
  if (!entry) { $("library-doc").textContent = ""; return; }
  $("query").value = entry.text;
  $("library-doc").textContent = entry.title + " — " + entry.description;
  for (const p of entry.params) {
    const input = el("input", {"data-param": p.name, "data-type": p.type, placeholder: "（不限 any）"});
    input.value = p.example || "";
    params.append(el("label", {title: p.doc}, "?" + p.name + " ", input));
  }
  if (entry.params.length) params.append(el("small", {}, "参数按值绑定；留空则不限 (bound as values; empty = free)"));
}

function queryBody() {
  const form = new URLSearchParams({query: $("query").value});
  for (const input of $("params").querySelectorAll("input[data-param]")) {
    if (input.value.trim()) form.append("$" + input.dataset.param, ntriples(input.value.trim(), input.dataset.type));
  }
  return form;
}

async function postQuery(accept) {
  return fetch("/sparql", {method: "POST", body: queryBody(), headers: {Accept: accept}});
}

// Results: Chinese headers (the variable beneath), sortable columns, pages of PAGE rows.
const PAGE = 50;
let columns = {};
let table = {vars: [], rows: [], page: 0, sortBy: null, up: true};

function cellText(term) { return term ? term.value : ""; }

function sortKey(term) {
  if (!term) return "";
  const numeric = term.datatype && /#(integer|decimal|double|float|int|long)$/.test(term.datatype);
  return numeric ? Number(term.value) : term.value;
}

function renderTable() {
  const {vars, rows, page} = table;
  const head = el("tr", {}, ...vars.map((v) => {
    const th = el("th", {class: "sort", title: "?" + v + " · 点击排序 click to sort"}, columns[v] || v);
    if (columns[v]) th.append(el("small", {}, " " + v));
    if (table.sortBy === v) th.dataset.dir = table.up ? "asc" : "desc";
    th.addEventListener("click", () => {
      table.up = table.sortBy === v ? !table.up : true;
      table.sortBy = v;
      table.rows.sort((a, b) => {
        const x = sortKey(a[v]), y = sortKey(b[v]);
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
        return table.up ? order : -order;
      });
      table.page = 0;
      renderTable();
    });
    return th;
  }));
  const shown = rows.slice(page * PAGE, (page + 1) * PAGE);
  const body = shown.map((b) => el("tr", {}, ...vars.map((v) => {
    const term = b[v];
    const href = term && term.type === "uri" ? pageOf(term.value) : null;
    const cell = el("td", {}, href ? el("a", {href: href}, cellText(term)) : cellText(term));
    if (term && term["xml:lang"]) cell.title = "@" + term["xml:lang"];
    else if (term && term.datatype) cell.title = term.datatype;
    return cell;
  })));
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const nav = el("div", {class: "pager"});
  if (pages > 1) {
    const prev = el("button", {type: "button", id: "prev-page"}, "上一页 prev");
    const next = el("button", {type: "button", id: "next-page"}, "下一页 next");
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
    prev.addEventListener("click", () => { table.page -= 1; renderTable(); });
    next.addEventListener("click", () => { table.page += 1; renderTable(); });
    nav.append(prev, " 第 " + (page + 1) + " / " + pages + " 页 page ", next);
  }
  $("results").replaceChildren(el("table", {id: "result-table"}, el("thead", {}, head), el("tbody", {}, ...body)), nav);
}

function showTable(data) {
  if (data.boolean !== undefined) {
    $("results").replaceChildren(el("p", {}, "ASK → " + data.boolean));
    return;
  }
  table = {vars: data.head.vars, rows: data.results.bindings, page: 0, sortBy: null, up: true};
  renderTable();
}

function rememberInUrl() {
  // The URL carries what was run: ?example=NAME&param=value… for a library query, ?sparql=… otherwise.
  const url = new URLSearchParams();
  const name = $("library").value;
  const entry = library.find((q) => q.name === name);
  if (entry && $("query").value === entry.text) {
    url.set("example", name);
    for (const input of $("params").querySelectorAll("input[data-param]")) {
      if (input.value.trim()) url.set(input.dataset.param, input.value.trim());
    }
  } else {
    url.set("sparql", $("query").value);
  }
  history.replaceState(null, "", "?" + url.toString() + "#sparql");
}

async function runQuery() {
  const status = $("status");
  status.className = "";
  status.textContent = "…";
  const response = await postQuery("application/sparql-results+json, text/turtle;q=0.9");
  const text = await response.text();
  if (!response.ok) {
    status.className = "error";
    status.textContent = text;
    $("results").replaceChildren();
    root.dataset.kgRows = "error";
    return;
  }
  rememberInUrl();
  const seconds = Number(response.headers.get("X-Query-Seconds") || 0);
  if ((response.headers.get("Content-Type") || "").startsWith("text/turtle")) {
    $("results").replaceChildren(el("pre", {}, text));
    status.textContent = "图 graph (Turtle) · " + (seconds * 1000).toFixed(0) + " ms";
    root.dataset.kgRows = "graph";
    return;
  }
  const data = JSON.parse(text);
  showTable(data);
  const count = data.results ? data.results.bindings.length : 1;
  status.textContent = count + " 行 rows · " + (seconds * 1000).toFixed(0) + " ms";
  root.dataset.kgRows = String(count);
}

async function download(format) {
  const response = await fetch("/api/download?format=" + format, {method: "POST", body: queryBody()});
  if (!response.ok) {
    $("status").className = "error";
    $("status").textContent = await response.text();
    return;
  }
  const link = el("a", {href: URL.createObjectURL(await response.blob()), download: "kg-results." + format});
  document.body.append(link);
  link.click();
  link.remove();
}

// ---------------------------------------------------------------- networks
function showNetwork(city) {
  // A city's network, narrowed to a county or a consortium, with generic mentions on request.
  const query = new URLSearchParams({city: city});
  if ($("net-county").value.trim()) query.set("county", $("net-county").value.trim());
  if ($("net-consortium").value.trim()) query.set("consortium", $("net-consortium").value.trim());
  if ($("net-kinds").checked) query.set("kinds", "1");
  const url = "/viz?" + query.toString();
  $("viz").src = url;
  $("viz-link").href = url;
}

// ---------------------------------------------------------------- start
async function start() {
  const params = new URLSearchParams(location.search);
  $("ask-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("question").value.trim();
    if (q) ask(q);
  });
  $("run").addEventListener("click", runQuery);
  for (const format of ["csv", "json", "xlsx"]) $("download-" + format).addEventListener("click", () => download(format));
  $("library").addEventListener("change", (ev) => chooseExample(ev.target.value));
  $("city").addEventListener("change", (ev) => showNetwork(ev.target.value));
  for (const id of ["net-county", "net-consortium", "net-kinds"]) {
    $(id).addEventListener("change", () => showNetwork($("city").value));
  }

  const [queries, cities, labels] = await Promise.all([
    fetch("/api/queries").then((r) => r.json()), fetch("/api/cities").then((r) => r.json()),
    fetch("/api/columns").then((r) => r.json())]);
  library = queries;
  columns = labels;
  for (const q of library) $("library").append(el("option", {value: q.name}, q.title + " (" + q.name + ")"));
  for (const c of cities) $("city").append(el("option", {value: c}, c));

  // URL parameters run on load: /?q=问题  /?sparql=SELECT…  /?example=NAME&city=钦州市 (the query's own
  // parameters by name; the example's values otherwise)  /?city=钦州市 (also the network shown)
  const pending = [];
  if (params.get("q")) {
    $("question").value = params.get("q");
    pending.push(ask(params.get("q")));
  }
  if (params.get("example")) {
    $("library").value = params.get("example");
    chooseExample(params.get("example"));
    // A URL naming any of the query's parameters says all of them: the others are free.
    const inputs = Array.from($("params").querySelectorAll("input[data-param]"));
    if (inputs.some((input) => params.has(input.dataset.param))) {
      for (const input of inputs) input.value = params.get(input.dataset.param) || "";
    }
  }
  if (params.get("sparql")) $("query").value = params.get("sparql");
  if (params.get("sparql") || params.get("example")) pending.push(runQuery());
  const city = params.get("city") || cities[0];
  if (city) {
    $("city").value = city;
    showNetwork(city);
  }
  await Promise.all(pending);
  root.dataset.kgReady = "1";
}

start();
