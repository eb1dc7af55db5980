"use strict";
// Kabar's web page: every view is drawn from what the JSON API returns; text is always set as text.

const app = document.getElementById("app");

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({ ok: false, error: "invalid answer", status: response.status }));
  if (!response.ok || body.ok === false) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function showError(error) {
  app.replaceChildren(el("p", { class: "error" }, error.message || String(error)));
}

function anchor(sentenceId) {
  return "s-" + sentenceId.replace(/[^A-Za-z0-9_-]/g, "-");
}

function highlight(sentenceId) {
  document.querySelectorAll(".s.highlight").forEach((n) => n.classList.remove("highlight"));
  const target = document.getElementById(anchor(sentenceId));
  if (target) {
    target.classList.add("highlight");
    target.scrollIntoView({ behavior: "smooth", block: "center" });
  }
}

async function renderEvents() {
  const params = new URLSearchParams(location.search);
  const sort = params.get("sort") || "newest";
  const offset = Number(params.get("offset") || 0);
  const data = await api(`/api/events?limit=25&offset=${offset}&sort=${encodeURIComponent(sort)}`);
  const select = el("select", { id: "sort", onchange: (e) => navigate(`/?sort=${e.target.value}`) },
    ["newest", "sources", "articles", "conflicts"].map((s) => el("option", { value: s, ...(s === sort ? { selected: "" } : {}) },
      { newest: "Newest", sources: "Most sources", articles: "Most articles", conflicts: "Most conflicts" }[s])));
  const rows = data.items.map((e) => el("tr", {},
    el("td", {}, el("a", { href: `/event/${encodeURIComponent(e.id)}`, class: "event-link" }, e.title)),
    el("td", {}, e.first_published || "–", " – ", e.last_published || "–"),
    el("td", {}, e.articles), el("td", {}, e.sources), el("td", {}, e.conflicts === null ? "–" : e.conflicts)));
  const pager = el("div", { class: "toolbar" },
    offset > 0 ? el("a", { href: `/?sort=${sort}&offset=${Math.max(0, offset - 25)}` }, "← newer") : null,
    data.next_offset !== null ? el("a", { href: `/?sort=${sort}&offset=${data.next_offset}` }, "older →") : null);
  app.replaceChildren(el("h1", {}, "Events"), el("div", { class: "toolbar" }, "Order: ", select),
    data.items.length ? el("table", { id: "events" }, el("tr", {}, el("th", {}, "Event"), el("th", {}, "Dates"),
      el("th", {}, "Articles"), el("th", {}, "Sources"), el("th", { title: "counted once the event has been compared" }, "Conflicts")), rows) : el("p", { class: "muted" }, "No events yet: ingest some articles."),
    pager);
}

function statusBySentence(facts) {
  const status = {};
  for (const fact of facts) {
    for (const m of fact.members) status[m.sentence] = fact.status;
    for (const c of fact.conflicts) for (const v of c.values) status[v.sentence] = "conflict";
  }
  return status;
}

function renderComparison(data, heading) {
  const status = statusBySentence(data.facts);
  const names = Object.fromEntries(data.articles.map((a) => [a.id, a.source || a.title || a.id]));
  const counts = { shared: 0, unique: 0, conflict: 0 };
  data.facts.forEach((f) => (counts[f.status] += 1));
  const brief = el("ol", { class: "brief", id: "brief" }, data.brief.map((b) => el("li", {}, b.text,
    b.citations.map((c) => el("a", { href: "#" + anchor(c.sentence), class: "cite", "data-sentence": c.sentence,
      onclick: (e) => { e.preventDefault(); highlight(c.sentence); } }, `[${names[c.article]} ${c.sentence.split(":").pop()}]`)))));
  const sources = el("div", { class: "sources", id: "sources" }, data.articles.map((a) => {
    const paragraphs = [];
    let current = null, paragraph = -1;
    for (const s of a.sentences) {
      if (s.paragraph !== paragraph) { current = el("p", {}); paragraphs.push(current); paragraph = s.paragraph; }
      const cls = s.boilerplate ? "boilerplate" : status[s.id] || "";
      current.append(el("span", { class: `s ${cls}`, id: anchor(s.id), title: s.boilerplate_kind }, s.text), " ");
    }
    return el("div", { class: "source" }, el("h3", {}, a.title || a.id),
      el("div", { class: "muted" }, [a.source, a.published, a.language].filter(Boolean).join(" · ")), paragraphs);
  }));
  const entities = el("table", { id: "entities" }, el("tr", {}, el("th", {}, "Name"), el("th", {}, "Type"),
    el("th", {}, "Mentions"), el("th", {}, "Also written")),
    [...data.entities].sort((a, b) => b.mentions - a.mentions).map((e) =>
      el("tr", {}, el("td", {}, e.name), el("td", {}, e.type), el("td", {}, e.mentions), el("td", {}, e.aliases.join(", ")))));
  const dated = [];
  for (const a of data.articles) for (const d of a.dates) {
    if (!d.value || !/^\d/.test(d.value) || !["date", "period"].includes(d.kind)) continue;
    const sentence = a.sentences.find((s) => s.start <= d.start && d.start < s.end);
    if (sentence) dated.push({ value: d.value, text: d.text, article: a.id, sentence: sentence.id });
  }
  dated.sort((x, y) => x.value.localeCompare(y.value));
  const timeline = el("table", { id: "timeline" }, el("tr", {}, el("th", {}, "When"), el("th", {}, "As written"), el("th", {}, "Source")),
    dated.map((d) => el("tr", {}, el("td", {}, d.value), el("td", {}, el("a", { href: "#" + anchor(d.sentence),
      onclick: (e) => { e.preventDefault(); highlight(d.sentence); } }, d.text)), el("td", {}, names[d.article]))));
  app.replaceChildren(el("h1", {}, heading),
    el("p", { class: "legend" }, el("span", { class: "shared" }, `shared (${counts.shared})`),
      el("span", { class: "unique" }, `unique (${counts.unique})`), el("span", { class: "conflict" }, `conflict (${counts.conflict})`),
      el("span", { class: "boilerplate" }, "boilerplate")),
    (data.notes || []).map((n) => el("p", { class: "notes" }, n)),
    el("h2", {}, "Brief"), brief, el("h2", {}, "Sources"), sources,
    el("h2", {}, "Entities"), entities, el("h2", {}, "Timeline"), timeline);
}

async function renderEvent(id) {
  const data = await api(`/api/events/${encodeURIComponent(id)}`);
  renderComparison(data, data.event.title);
}

function renderCompare() {
  const text = el("textarea", { id: "paste", placeholder: "Paste articles here; put a line with --- between two articles." });
  const files = el("input", { type: "file", id: "files", multiple: "" });
  const run = el("button", { id: "run", onclick: async () => {
    try {
      const articles = text.value.split(/^\s*---\s*$/m).map((t) => t.trim()).filter(Boolean).map((t, k) => ({ id: `pasted-${k + 1}`, text: t }));
      for (const file of files.files) articles.push({ id: file.name.replace(/\.[^.]*$/, ""), text: await file.text() });
      if (!articles.length) throw new Error("paste or choose at least one article");
      app.replaceChildren(el("p", { class: "muted" }, "Comparing…"));
      const data = await api("/api/compare", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ articles }) });
      renderComparison(data, "Comparison (not stored)");
    } catch (error) { showError(error); }
  } }, "Compare");
  app.replaceChildren(el("h1", {}, "Compare articles"), el("p", { class: "muted" }, "Nothing is stored."), text,
    el("div", { class: "toolbar" }, "or files: ", files, run));
}

function navigate(path) {
  history.pushState({}, "", path);
  route();
}

async function route() {
  try {
    const path = location.pathname;
    if (path.startsWith("/event/")) await renderEvent(decodeURIComponent(path.slice(7)));
    else if (path === "/compare") renderCompare();
    else await renderEvents();
  } catch (error) { showError(error); }
}

window.addEventListener("popstate", route);
route();
