"use strict";
// Kabar's web page: every view is drawn from what the JSON API returns; text is always set as text.

const app = document.getElementById("app");

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

async function api(path, options) {
  const response = await fetch(path, options);
  const body = await response.json().catch(() => ({ ok: false, error: t("error.invalid_answer"), status: response.status }));
  if (!response.ok || body.ok === false) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

function show(...children) {
  app.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

function showError(error) {
  show(el("p", { class: "error" }, error.message || String(error)));
}

function link(href, text, cls) {
  return el("a", { href, class: cls, onclick: (e) => { if (e.ctrlKey || e.metaKey) return; e.preventDefault(); navigate(href); } }, text);
}

const eventHref = (id) => `/event/${encodeURIComponent(id)}`;
const entityHref = (key) => `/entity/${encodeURIComponent(key)}`;
const outletHref = (name) => `/outlet/${encodeURIComponent(name)}`;

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

function eventsTable(items, extra) {
  const head = el("tr", {}, el("th", {}, t("events.event")), el("th", {}, t("events.dates")), el("th", { class: "num" }, t("events.articles")),
    el("th", { class: "num" }, t("events.sources")), el("th", { class: "num", title: t("events.conflicts_hint") }, t("events.conflicts")),
    extra ? el("th", { class: "num" }, extra.title) : null);
  return el("table", { class: "events" }, head, items.map((e) => el("tr", {},
    el("td", {}, link(eventHref(e.id), e.title, "event-link")),
    el("td", { class: e.last_published ? "" : "muted" }, fmtRange(e.first_published, e.last_published)),
    el("td", { class: "num" }, fmtNumber(e.articles)), el("td", { class: "num" }, fmtNumber(e.sources)),
    el("td", { class: "num" }, e.conflicts === null || e.conflicts === undefined ? "–" : fmtNumber(e.conflicts)),
    extra ? el("td", { class: "num" }, fmtNumber(e[extra.field])) : null)));
}

async function renderEvents() {
  const params = new URLSearchParams(location.search);
  const sort = params.get("sort") || "newest";
  const offset = Number(params.get("offset") || 0);
  const [data, stats] = await Promise.all([api(`/api/events?limit=25&offset=${offset}&sort=${encodeURIComponent(sort)}`), api("/api/stats")]);
  const select = el("select", { id: "sort", onchange: (e) => navigate(`/?sort=${e.target.value}`) },
    ["newest", "sources", "articles", "conflicts"].map((s) => el("option", { value: s, selected: s === sort ? "" : null }, t("sort." + s))));
  const pager = el("div", { class: "toolbar" },
    offset > 0 ? link(`/?sort=${sort}&offset=${Math.max(0, offset - 25)}`, t("pager.previous")) : null,
    data.next_offset !== null ? link(`/?sort=${sort}&offset=${data.next_offset}`, t("pager.next")) : null);
  document.title = `${t("events.title")} · Kabar`;
  show(el("h1", {}, t("events.title")),
    el("p", { class: "muted", id: "corpus-counts" }, t("events.summary", { articles: stats.counts.articles, events: stats.counts.events, outlets: stats.outlets })),
    el("div", { class: "toolbar" }, t("events.order"), select),
    data.items.length ? eventsTable(data.items) : el("p", { class: "muted" }, t("events.empty")),
    pager,
    stats.per_day.length ? [el("h2", {}, t("chart.corpus_per_day")), dayChart(stats.per_day, t("chart.corpus_per_day"), "corpus-per-day")] : null);
}

function statusBySentence(facts) {
  const status = {};
  for (const fact of facts) {
    for (const m of fact.members) status[m.sentence] = fact.status;
    for (const c of fact.conflicts) for (const v of c.values) status[v.sentence] = "conflict";
  }
  return status;
}

// What a reader is shown for each article: its outlet, numbered where one outlet gave several ("Kompas (2)").
function sourceNames(articles) {
  const count = {}, seen = {};
  for (const a of articles) if (a.source) count[a.source] = (count[a.source] || 0) + 1;
  return Object.fromEntries(articles.map((a) => {
    if (!a.source) return [a.id, a.title || a.id];
    seen[a.source] = (seen[a.source] || 0) + 1;
    return [a.id, count[a.source] > 1 ? `${a.source} (${seen[a.source]})` : a.source];
  }));
}

function sourceColumn(a, status) {
  const paragraphs = [];
  let current = null, paragraph = -1;
  for (const s of a.sentences) {
    if (s.paragraph !== paragraph) { current = el("p", {}); paragraphs.push(current); paragraph = s.paragraph; }
    const caption = s.boilerplate_kind === "caption"; // a photo caption states facts: not struck through
    const cls = caption ? `caption ${status[s.id] || ""}` : s.boilerplate ? "boilerplate" : status[s.id] || "";
    if (caption) current.append(el("span", { class: "caption-label" }, t("source.caption")));
    current.append(el("span", { class: `s ${cls}`, id: anchor(s.id), title: s.boilerplate_kind }, s.text), " ");
  }
  return el("div", { class: "source" }, el("h3", {}, a.source ? link(outletHref(a.source), a.source) : null, a.source ? " · " : null, a.title || a.id),
    el("div", { class: "muted" }, [a.published ? fmtDate(a.published) : t("date.none"), a.language].filter(Boolean).join(" · ")), paragraphs);
}

function timelineTable(data, names) {
  const dated = [];
  for (const a of data.articles) for (const d of a.dates) {
    if (!d.value || !/^\d/.test(d.value) || !["date", "period"].includes(d.kind)) continue;
    const sentence = a.sentences.find((s) => s.start <= d.start && d.start < s.end);
    if (sentence) dated.push({ value: d.value, text: d.text, article: a.id, sentence: sentence.id });
  }
  dated.sort((x, y) => x.value.localeCompare(y.value));
  return el("table", { id: "timeline" }, el("tr", {}, el("th", {}, t("timeline.when")), el("th", {}, t("timeline.written")), el("th", {}, t("timeline.source"))),
    dated.map((d) => el("tr", {}, el("td", {}, /^\d{4}-\d{2}-\d{2}$/.test(d.value) ? fmtDate(d.value) : d.value),
      el("td", {}, el("a", { href: "#" + anchor(d.sentence), onclick: (e) => { e.preventDefault(); highlight(d.sentence); } }, d.text)),
      el("td", {}, names[d.article]))));
}

// The library's notes are English sentences; the known ones are written in the UI's language.
const NOTES = [
  [/^only one source: /, "note.one_source"],
  [/^articles in several languages \((?<languages>.*)\)$/, "note.languages"],
  [/^(?<article>\S+) repeats the text of (?<original>\S+): /, "note.repeat"],
  [/^these (?<n>\d+) articles look like (?<events>\d+) different events \(the largest holds (?<largest>\d+)\)/, "note.not_one_event"],
];

function noteText(note) {
  for (const [pattern, key] of NOTES) {
    const match = note.match(pattern);
    if (match) return t(key, match.groups || {});
  }
  return note;
}

function renderComparison(data, heading, extra) {
  const status = statusBySentence(data.facts);
  const names = sourceNames(data.articles);
  const counts = { shared: 0, unique: 0, conflict: 0 };
  data.facts.forEach((f) => (counts[f.status] = (counts[f.status] || 0) + 1));
  const brief = el("ol", { class: "brief", id: "brief" }, data.brief.map((b) => el("li", {}, b.text,
    b.citations.map((c) => el("a", { href: "#" + anchor(c.sentence), class: "cite", "data-sentence": c.sentence,
      onclick: (e) => { e.preventDefault(); highlight(c.sentence); } }, `[${names[c.article]} ${c.sentence.split(":").pop()}]`)))));
  const entities = el("table", { id: "entities" }, el("tr", {}, el("th", {}, t("entities.name")), el("th", {}, t("entities.type")),
    el("th", { class: "num" }, t("entities.mentions")), el("th", {}, t("entities.aliases"))),
    [...data.entities].sort((a, b) => b.mentions - a.mentions).map((e) =>
      el("tr", {}, el("td", {}, link(entityHref(e.name), e.name)), el("td", {}, t("type." + e.type)), el("td", { class: "num" }, fmtNumber(e.mentions)), el("td", {}, e.aliases.join(", ")))));
  const numeric = (f) => (f.values || []).filter((v) => typeof v.value === "number").length;
  const figures = (data.figures || []).filter((f) => numeric(f) >= 2).map((f) => figureTimeline(f, names)).filter(Boolean);
  const single = (data.figures || []).filter((f) => numeric(f) === 1).map((f) => {
    const v = f.values.find((x) => typeof x.value === "number");
    return el("li", {}, el("strong", {}, f.label || f.key), ": ", el("a", { href: "#" + anchor(v.sentence || ""),
      onclick: (e) => { e.preventDefault(); highlight(v.sentence || ""); } }, v.text), ` (${names[v.article] || v.article}${v.attribution ? ", " + v.attribution : ""})`);
  });
  show(el("h1", {}, heading),
    el("p", { class: "legend" }, el("span", { class: "shared" }, t("legend.shared", { n: counts.shared })),
      el("span", { class: "unique" }, t("legend.unique", { n: counts.unique })), el("span", { class: "conflict" }, t("legend.conflict", { n: counts.conflict })),
      el("span", { class: "caption" }, t("legend.caption")), el("span", { class: "boilerplate" }, t("legend.boilerplate"))),
    (data.notes || []).map((n) => el("p", { class: "notes" }, noteText(n))),
    extra || null,
    el("h2", {}, t("event.brief")), brief,
    figures.length || single.length ? [el("h2", {}, t("event.figures")), el("div", { id: "figures", class: "charts" }, figures),
      single.length ? el("ul", { id: "single-figures", class: "single-figures" }, single) : null] : null,
    el("h2", {}, t("event.sources")), el("div", { class: "sources", id: "sources" }, data.articles.map((a) => sourceColumn(a, status))),
    el("h2", {}, t("event.entities")), entities, el("h2", {}, t("event.timeline")), timelineTable(data, names));
}

function coverageBlock(coverage) {
  const covered = coverage.covered.map((c) => ({ label: c.outlet || t("outlet.unknown"), value: c.articles }));
  return el("section", { id: "coverage" },
    el("h2", {}, t("event.coverage")),
    el("div", { class: "charts" },
      barChart(covered, t("chart.outlets_per_event"), "outlets-per-event"),
      dayChart(coverage.per_day, t("chart.event_per_day"), "event-per-day")),
    coverage.undated ? el("p", { class: "muted" }, t("chart.undated", { n: coverage.undated })) : null,
    el("p", { id: "covered" }, t("event.covered_by"), " ", coverage.covered.map((c, k) => [k ? ", " : "", c.outlet ? link(outletHref(c.outlet), c.outlet, "outlet-link") : t("outlet.unknown")])),
    coverage.missing.length
      ? el("p", { id: "missing" }, t("event.missing"), " ", coverage.missing.map((m, k) => [k ? ", " : "", link(outletHref(m.outlet), m.outlet, "outlet-link"), " ", el("span", { class: "muted" }, t("event.missing_n", { n: m.articles_on_entities }))]))
      : el("p", { id: "missing", class: "muted" }, t("event.none_missing")));
}

async function renderEvent(id) {
  const [data, coverage] = await Promise.all([api(`/api/events/${encodeURIComponent(id)}`), api(`/api/events/${encodeURIComponent(id)}/coverage`)]);
  document.title = `${data.event.title} · Kabar`;
  renderComparison(data, data.event.title, coverageBlock(coverage));
}

function renderCompare() {
  const text = el("textarea", { id: "paste", placeholder: t("compare.placeholder") });
  const files = el("input", { type: "file", id: "files", multiple: "" });
  const run = el("button", { id: "run", onclick: async () => {
    try {
      const articles = text.value.split(/^\s*---\s*$/m).map((x) => x.trim()).filter(Boolean).map((x, k) => ({ id: `pasted-${k + 1}`, text: x }));
      for (const file of files.files) articles.push({ id: file.name.replace(/\.[^.]*$/, ""), text: await file.text() });
      if (!articles.length) throw new Error(t("compare.nothing"));
      show(el("p", { class: "muted" }, t("compare.running")));
      const data = await api("/api/compare", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ articles }) });
      renderComparison(data, t("compare.result"));
    } catch (error) { showError(error); }
  } }, t("compare.run"));
  document.title = `${t("compare.title")} · Kabar`;
  show(el("h1", {}, t("compare.title")), el("p", { class: "muted" }, t("compare.not_stored")), text,
    el("div", { class: "toolbar" }, t("compare.or_files"), files, run));
}

function navigate(path) {
  history.pushState({}, "", path);
  route();
}

function drawChrome() {
  const nav = document.getElementById("nav");
  nav.replaceChildren(link("/", t("nav.events")), link("/search", t("nav.search")), link("/entities", t("nav.entities")),
    link("/outlets", t("nav.outlets")), link("/compare", t("nav.compare")), el("a", { href: "/docs" }, t("nav.api")));
  const other = i18n.language === "id" ? "en" : "id";
  const switcher = document.getElementById("lang");
  switcher.replaceChildren(el("button", { id: "lang-switch", type: "button", lang: other, title: t("lang.switch_hint"),
    onclick: () => setLanguage(other) }, t("lang.other")));
}

const ROUTES = [
  [/^\/event\/(.+)$/, (m) => renderEvent(decodeURIComponent(m[1]))],
  [/^\/entity\/(.+)$/, (m) => renderEntity(decodeURIComponent(m[1]))],
  [/^\/outlet\/(.+)$/, (m) => renderOutlet(decodeURIComponent(m[1]))],
  [/^\/search$/, () => renderSearch()],
  [/^\/entities$/, () => renderEntities()],
  [/^\/outlets$/, () => renderOutlets()],
  [/^\/compare$/, () => renderCompare()],
  [/^\/$/, () => renderEvents()],
];

async function route() {
  try {
    for (const [pattern, render] of ROUTES) {
      const match = location.pathname.match(pattern);
      if (match) { await render(match); return; }
    }
    show(el("p", { class: "error" }, t("error.no_page")));
  } catch (error) { showError(error); }
}

window.addEventListener("popstate", route);
loadMessages().then(() => { drawChrome(); return route(); }).catch(showError);
