// The pages of things and plans (kg/web/linked.py): sortable tables, and the plan reader's sentences
// (click one to list the facts read from it; #sN opens at that sentence). Text only, never markup.
"use strict";

window.addEventListener("error", (ev) => { document.documentElement.dataset.kgError = String(ev.message); });

// ---------------------------------------------------------------- sortable tables
function cellValue(row, index) {
  const text = (row.cells[index] ? row.cells[index].textContent : "").trim();
  const number = Number(text.replace(/[^0-9.\-]/g, ""));
  return /^[\-0-9.]/.test(text) && !Number.isNaN(number) ? number : text;
}

function makeSortable(table) {
  const head = table.tHead;
  if (!head) return;
  Array.from(head.rows[0].cells).forEach((th, index) => {
    th.classList.add("sort");
    th.title = "点击排序 click to sort";
    th.addEventListener("click", () => {
      const up = th.dataset.dir !== "asc";
      for (const other of head.rows[0].cells) delete other.dataset.dir;
      th.dataset.dir = up ? "asc" : "desc";
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = cellValue(a, index), y = cellValue(b, index);
        const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh");
        return up ? order : -order;
      });
      body.append(...rows);
    });
  });
}

document.querySelectorAll("table.sortable").forEach(makeSortable);

// ---------------------------------------------------------------- plan reader
function openSentence(span, scroll) {
  document.querySelectorAll(".sentence.current").forEach((s) => s.classList.remove("current"));
  span.classList.add("current");
  const facts = document.getElementById("f" + span.dataset.start);
  if (facts) facts.hidden = false;
  if (scroll) span.scrollIntoView({block: "center"});
  document.documentElement.dataset.kgSentence = span.dataset.start;
}

document.querySelectorAll(".sentence.has-facts").forEach((span) => {
  const toggle = () => {
    const facts = document.getElementById("f" + span.dataset.start);
    if (span.classList.contains("current") && facts && !facts.hidden) { facts.hidden = true; return; }
    openSentence(span, false);
  };
  span.addEventListener("click", toggle);
  span.addEventListener("keydown", (ev) => { if (ev.key === "Enter") toggle(); });
});

function fromHash() {
  const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (target && target.classList.contains("sentence")) openSentence(target, true);
}
window.addEventListener("hashchange", fromHash);
fromHash();
document.documentElement.dataset.kgReady = "1";
