// dyad dashboard. Plain JS, no build step; talks only to this server.
"use strict";

const QUAD_NAMES = ["verbal coop.", "material coop.", "verbal conflict", "material conflict"];
const QUAD_COLORS = ["#4c9be8", "#2a9d4a", "#f0a030", "#d64545"];
const $ = (sel) => document.querySelector(sel);

const state = { chart: null, cursor: null, events: [], land: null };

function esc(s) {
  return String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
  })[c]);
}

async function api(path, opts) {
  const r = await fetch(path, opts);
  const body = await r.json().catch(() => ({ error: "HTTP " + r.status }));
  if (!r.ok) throw new Error(body.error || "HTTP " + r.status);
  return body;
}

function period() {
  const p = new URLSearchParams();
  if ($("#from").value) p.set("from", $("#from").value);
  if ($("#to").value) p.set("to", $("#to").value);
  return p;
}

function dyad() {
  return [$("#dyad-a").value.trim().toUpperCase(), $("#dyad-b").value.trim().toUpperCase()];
}

async function refreshHealth() {
  try {
    const h = await api("/v1/health");
    $("#health").textContent = `${h.documents} documents · ${h.sentences} sentences · ${h.events} events`;
  } catch (e) {
    $("#health").textContent = "server unreachable: " + e.message;
  }
}

async function refreshCountries() {
  const p = period();
  p.set("by", "country");
  p.set("limit", "200");
  const { actors } = await api("/v1/actors?" + p);
  $("#countries").innerHTML = actors
    .map((a) => `<option value="${esc(a.actor)}">${esc(a.actor)} (${a.total})</option>`)
    .join("");
}

// ---- timeline ------------------------------------------------------------

async function drawTimeline() {
  const [a, b] = dyad();
  if (!a || !b) return;
  const p = period();
  p.set("interval", $("#interval").value);
  const t = await api(`/v1/dyads/${encodeURIComponent(a)}/${encodeURIComponent(b)}/timeline?` + p);
  const buckets = t.buckets.slice();
  const un = t.unplaced;
  if (un.a_to_b.count + un.b_to_a.count > 0) buckets.push(Object.assign({}, un, { period: "undated" }));
  const labels = buckets.map((x) => x.period);
  const datasets = [];
  for (const [dir, name] of [["a_to_b", `${a}→${b}`], ["b_to_a", `${b}→${a}`]]) {
    for (let q = 0; q < 4; q++) {
      datasets.push({
        type: "bar",
        label: `${name} ${QUAD_NAMES[q]}`,
        data: buckets.map((x) => x[dir].quad_counts[q]),
        backgroundColor: QUAD_COLORS[q] + (dir === "a_to_b" ? "" : "99"),
        borderColor: dir === "a_to_b" ? QUAD_COLORS[q] : "#333",
        borderWidth: dir === "a_to_b" ? 0 : 1,
        stack: dir,
        yAxisID: "y",
        order: 2,
      });
    }
    datasets.push({
      type: "line",
      label: `${name} mean Goldstein`,
      data: buckets.map((x) => x[dir].goldstein_mean),
      borderColor: dir === "a_to_b" ? "#1d2430" : "#8a3ffc",
      backgroundColor: dir === "a_to_b" ? "#1d2430" : "#8a3ffc",
      borderDash: dir === "a_to_b" ? [] : [5, 4],
      spanGaps: true,
      tension: 0.2,
      yAxisID: "g",
      order: 1,
    });
  }
  if (state.chart) state.chart.destroy();
  state.chart = new Chart($("#timeline"), {
    data: { labels, datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { labels: { boxWidth: 10, font: { size: 10 } } } },
      scales: {
        x: { stacked: true },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: "events" }, ticks: { precision: 0 } },
        g: { position: "right", min: -10, max: 10, grid: { drawOnChartArea: false }, title: { display: true, text: "Goldstein" } },
      },
    },
  });
  const total = t.totals.a_to_b.count + t.totals.b_to_a.count;
  $("#timeline-title").textContent = `${a}–${b}, ${total} events`;
  const fmt = (s) => `${s.count} events, mean Goldstein ${s.goldstein_mean == null ? "–" : s.goldstein_mean.toFixed(2)}`;
  $("#dyad-summary").textContent = `${a}→${b}: ${fmt(t.totals.a_to_b)}; ${b}→${a}: ${fmt(t.totals.b_to_a)}`;
  const panel = $("#timeline-panel");
  panel.dataset.buckets = String(labels.length);
  panel.dataset.events = String(total);
  panel.dataset.drawn = "true";
}

// ---- event table and detail ------------------------------------------------

function eventRow(e) {
  const tr = document.createElement("tr");
  tr.className = "q" + e.event.quad_class;
  const plover = e.event.plover ? ` ${e.event.plover.event}` : "";
  tr.innerHTML =
    `<td>${esc(e.date || "–")}</td><td>${esc(e.source ? e.source.code : "–")}</td>` +
    `<td>${esc(e.event.cameo)}${esc(plover)}</td><td>${esc(e.target ? e.target.code : "–")}</td>` +
    `<td>${esc(e.location ? e.location.name : "")}</td>`;
  tr.addEventListener("click", () => {
    document.querySelectorAll("#events-table tr.selected").forEach((r) => r.classList.remove("selected"));
    tr.classList.add("selected");
    showDetail(e);
  });
  return tr;
}

async function loadEvents(append) {
  const [a, b] = dyad();
  const p = period();
  p.set("dyad", `${a},${b}`);
  p.set("both", "true");
  p.set("limit", "100");
  if (append && state.cursor) p.set("cursor", state.cursor);
  const page = await api("/v1/events?" + p);
  const tbody = $("#events-table tbody");
  if (!append) {
    tbody.innerHTML = "";
    state.events = [];
  }
  for (const e of page.events) {
    state.events.push(e);
    tbody.appendChild(eventRow(e));
  }
  state.cursor = page.next_cursor;
  $("#events-more").hidden = !page.next_cursor;
  $("#events-count").textContent = `(${state.events.length}${page.next_cursor ? "+" : ""})`;
}

// Highlight the actor and verb words. Spans are character (code point)
// offsets into the document; the sentence starts at e.sentence_start.
function highlightSentence(e) {
  const chars = Array.from(e.sentence);
  const base = e.sentence_start == null ? null : e.sentence_start;
  const marks = [];
  const add = (span, cls, text) => {
    if (span && base != null) {
      const s = span.start - base;
      const t = span.end - base;
      if (s >= 0 && t <= chars.length && s < t) return marks.push({ s, t, cls });
    }
    if (text) {
      // Fallback: first occurrence of the words in the sentence.
      const i = e.sentence.indexOf(text);
      if (i >= 0) {
        const s = Array.from(e.sentence.slice(0, i)).length;
        marks.push({ s, t: s + Array.from(text).length, cls });
      }
    }
  };
  add(e.source && e.source.span, "src", e.source && e.source.text);
  add(e.target && e.target.span, "tgt", e.target && e.target.text);
  add(e.evidence.verb_span, "verb", e.evidence.verb_text);
  marks.sort((x, y) => x.s - y.s);
  let out = "";
  let pos = 0;
  for (const m of marks) {
    if (m.s < pos) continue; // overlapping: keep the first
    out += esc(chars.slice(pos, m.s).join(""));
    out += `<mark class="${m.cls}">${esc(chars.slice(m.s, m.t).join(""))}</mark>`;
    pos = m.t;
  }
  return out + esc(chars.slice(pos).join(""));
}

function showDetail(e) {
  const loc = e.location
    ? `${esc(e.location.name)}, ${esc(e.location.country)} (${e.location.lat.toFixed(2)}, ${e.location.lon.toFixed(2)}; ${esc(e.location.source)})`
    : "–";
  const mod = e.modality
    ? Object.entries(e.modality).filter(([, v]) => v).map(([k]) => k).join(", ") || "none"
    : "–";
  const date = e.date
    ? `${esc(e.date)}${e.date_precision ? " (" + esc(e.date_precision) + (e.date_source ? ", from " + esc(e.date_source) : "") + ")" : ""}`
    : "undated";
  $("#event-detail").className = "";
  $("#event-detail").innerHTML =
    `<p class="sentence">${highlightSentence(e)}</p>` +
    `<dl class="facts">` +
    `<dt>who</dt><dd><mark class="src">${esc(e.source ? e.source.code : "–")}</mark> → <mark class="tgt">${esc(e.target ? e.target.code : "–")}</mark></dd>` +
    `<dt>event</dt><dd><mark class="verb">${esc(e.event.cameo)}</mark> ${esc(e.event.plover ? e.event.plover.event : "")} · QuadClass ${e.event.quad_class} · Goldstein ${e.event.goldstein}</dd>` +
    `<dt>date</dt><dd>${date}</dd>` +
    `<dt>place</dt><dd>${loc}</dd>` +
    `<dt>pattern</dt><dd><code>${esc(e.evidence.pattern)}</code> <span class="muted">${esc(e.evidence.dictionary)}</span></dd>` +
    `<dt>modality</dt><dd>${esc(mod)}</dd>` +
    `<dt>confidence</dt><dd>${e.confidence == null ? "–" : e.confidence.toFixed(2)}</dd>` +
    `<dt>document</dt><dd>${esc(e.doc_id)} · sentence ${esc(e.sentence_id)}</dd>` +
    `</dl>`;
}

// ---- network ---------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
function svgEl(name, attrs, text) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

function goldsteinColor(g) {
  if (g >= 1) return "#2a9d4a";
  if (g <= -1) return "#d64545";
  return "#8a94a3";
}

async function drawNetwork() {
  const p = period();
  p.set("by", "country");
  p.set("limit", "40");
  const { edges } = await api("/v1/network?" + p);
  const svg = $("#network");
  svg.innerHTML = "";
  svg.appendChild(svgEl("defs", {})).appendChild(
    svgEl("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "20", refY: "5", markerWidth: "9", markerHeight: "9", markerUnits: "userSpaceOnUse", orient: "auto" })
  ).appendChild(svgEl("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#8a94a3" }));
  const nodes = [...new Set(edges.flatMap((e) => [e.source, e.target]))].sort();
  if (!nodes.length) {
    svg.appendChild(svgEl("text", { x: 20, y: 40, fill: "#6b7380" }, "no events in this period"));
    return;
  }
  // Circle layout, nodes ordered by name.
  const cx = 210, cy = 210, r = 160;
  const pos = {};
  nodes.forEach((n, i) => {
    const a = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
    pos[n] = [cx + r * Math.cos(a), cy + r * Math.sin(a)];
  });
  const maxCount = Math.max(...edges.map((e) => e.count));
  for (const e of edges) {
    const [x1, y1] = pos[e.source];
    const [x2, y2] = pos[e.target];
    // A gentle curve, so that A→B and B→A are two distinct arcs.
    const mx = (x1 + x2) / 2 - (y2 - y1) * 0.15;
    const my = (y1 + y2) / 2 + (x2 - x1) * 0.15;
    const line = svgEl("path", {
      d: `M${x1.toFixed(1)},${y1.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`,
      fill: "none",
      class: "edge",
      stroke: goldsteinColor(e.goldstein_mean),
      "stroke-width": 1 + (4 * e.count) / maxCount,
      "stroke-opacity": 0.7,
      "marker-end": "url(#arrow)",
    });
    line.appendChild(svgEl("title", {}, `${e.source}→${e.target}: ${e.count} events, mean Goldstein ${e.goldstein_mean.toFixed(2)}`));
    svg.appendChild(line);
  }
  for (const n of nodes) {
    const [x, y] = pos[n];
    const g = svgEl("g", { class: "node", transform: `translate(${x},${y})` });
    g.appendChild(svgEl("circle", { r: 8 }));
    const out = x >= cx ? 1 : -1;
    g.appendChild(svgEl("text", { x: out * 11, y: 4, "text-anchor": out > 0 ? "start" : "end" }, n));
    g.style.cursor = "pointer";
    g.addEventListener("click", (ev) => {
      // Click: make this country side A (shift-click: side B).
      $(ev.shiftKey ? "#dyad-b" : "#dyad-a").value = n;
      showDyad();
    });
    svg.appendChild(g);
  }
}

// ---- map ----------------------------------------------------------------------

function project(lon, lat) {
  return [((lon + 180) / 360) * 720, ((90 - lat) / 180) * 360];
}

function ringPath(ring) {
  let d = "";
  let prev = null;
  for (const [lon, lat] of ring) {
    const [x, y] = project(lon, lat);
    // Break the path where it wraps around the antimeridian.
    d += (prev == null || Math.abs(lon - prev) > 180 ? "M" : "L") + x.toFixed(1) + "," + y.toFixed(1);
    prev = lon;
  }
  return d + "Z";
}

async function drawMap() {
  const svg = $("#map");
  if (!state.land) {
    try {
      const topo = await api("/assets/land-110m.json");
      state.land = topojson.feature(topo, topo.objects.land);
    } catch (e) {
      state.land = { features: [] };
    }
  }
  svg.innerHTML = "";
  let d = "";
  for (const f of state.land.features || [state.land]) {
    const geom = f.geometry || f;
    const polys = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates || [];
    for (const poly of polys) for (const ring of poly) d += ringPath(ring);
  }
  svg.appendChild(svgEl("path", { class: "land", d }));
  const p = period();
  p.set("located", "true");
  p.set("limit", "1000");
  const { events } = await api("/v1/events?" + p);
  for (const e of events) {
    const [x, y] = project(e.location.lon, e.location.lat);
    const c = svgEl("circle", {
      cx: x.toFixed(1), cy: y.toFixed(1), r: 4,
      fill: QUAD_COLORS[e.event.quad_class - 1] || "#333",
      "fill-opacity": 0.7, stroke: "#fff", "stroke-width": 0.5, class: "event-dot",
    });
    c.appendChild(svgEl("title", {}, `${e.location.name}: ${e.source ? e.source.code : "?"} ${e.event.cameo} ${e.target ? e.target.code : "?"} (${e.date || "undated"})`));
    c.style.cursor = "pointer";
    c.addEventListener("click", () => showDetail(e));
    svg.appendChild(c);
  }
  $("#map-count").textContent = `${events.length} located events`;
}

// ---- live coding ------------------------------------------------------------

async function codeArticle(ev) {
  ev.preventDefault();
  const text = $("#article").value;
  if (!text.trim()) return;
  const body = { text };
  if ($("#published").value) body.published = $("#published").value;
  if ($("#doc-id").value.trim()) body.doc_id = $("#doc-id").value.trim();
  $("#code-status").className = "muted";
  $("#code-status").textContent = "coding…";
  try {
    const res = await api("/v1/documents", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: "Bearer " + $("#token").value },
      body: JSON.stringify(body),
    });
    const list = $("#coded-list");
    list.innerHTML = "";
    for (const d of res.documents) {
      for (const e of d.events) {
        const li = document.createElement("li");
        li.className = "coded-event q" + e.event.quad_class;
        li.textContent = `${e.source ? e.source.code : "–"} ${e.event.cameo}${e.event.plover ? " " + e.event.plover.event : ""} ${e.target ? e.target.code : "–"} — ${e.sentence.slice(0, 110)}`;
        li.addEventListener("click", () => showDetail(e));
        list.appendChild(li);
      }
    }
    const d = res.documents[0];
    $("#code-status").textContent = `${d.doc_id}: ${d.sentences} sentences, ${res.events} events${d.replaced ? " (replaced earlier version)" : ""}`;
    await Promise.all([refreshHealth(), refreshCountries(), showDyad()]);
  } catch (e) {
    $("#code-status").className = "error";
    $("#code-status").textContent = e.message;
  }
}

async function showDyad(ev) {
  if (ev && ev.preventDefault) ev.preventDefault();
  const jobs = [drawTimeline(), loadEvents(false), drawNetwork(), drawMap()];
  const results = await Promise.allSettled(jobs);
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length) {
    $("#dyad-summary").className = "error";
    $("#dyad-summary").textContent = failed.map((f) => f.reason.message).join("; ");
  } else {
    $("#dyad-summary").className = "muted";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#dyad-form").addEventListener("submit", showDyad);
  $("#code-form").addEventListener("submit", codeArticle);
  $("#events-more").addEventListener("click", () => loadEvents(true));
  refreshHealth();
  refreshCountries().catch(() => {});
  showDyad();
});
