"use strict";
// The analyst's pages: search, entities (who said what), outlets. Drawn from /api/search, /api/entities, /api/outlets.

function snippetNode(pieces) {
  return el("p", { class: "snippet" }, pieces.map((p) => (p.match ? el("mark", {}, p.text) : p.text)));
}

function searchForm(params, outlets) {
  const field = (name, attrs) => el("input", { name, id: "f-" + name, value: params.get(name) || "", ...attrs });
  const outletSelect = el("select", { name: "outlet", id: "f-outlet" }, el("option", { value: "" }, t("search.all_outlets")),
    outlets.map((o) => el("option", { value: o.name, selected: params.get("outlet") === o.name ? "" : null }, o.name)));
  return el("form", { id: "search-form", class: "search-form", onsubmit: (e) => {
    e.preventDefault();
    const query = new URLSearchParams();
    for (const [k, v] of new FormData(e.target)) if (String(v).trim()) query.set(k, String(v).trim());
    navigate("/search?" + query.toString());
  } },
  el("div", { class: "toolbar" }, field("q", { type: "search", placeholder: t("search.placeholder"), size: 40, "aria-label": t("search.query") }),
    el("button", { type: "submit", id: "search-run" }, t("search.run"))),
  el("div", { class: "toolbar filters" },
    el("label", {}, t("search.since"), " ", field("since", { type: "date" })),
    el("label", {}, t("search.until"), " ", field("until", { type: "date" })),
    el("label", {}, t("search.outlet"), " ", outletSelect),
    el("label", {}, t("search.entity"), " ", field("entity", { placeholder: t("search.entity_hint"), size: 18 }))),
  el("p", { class: "muted help" }, t("search.syntax")));
}

async function renderSearch() {
  const params = new URLSearchParams(location.search);
  const outlets = (await api("/api/outlets")).items;
  document.title = `${t("search.title")} · Kabar`;
  const head = [el("h1", {}, t("search.title")), searchForm(params, outlets)];
  if (!params.get("q")) { show(head); return; }
  let data;
  try {
    data = await api("/api/search?" + params.toString());
  } catch (error) {
    show(head, el("p", { class: "error", id: "search-error" }, error.message));
    return;
  }
  const offset = Number(params.get("offset") || 0);
  const more = new URLSearchParams(params); more.set("offset", data.next_offset);
  show(head,
    data.entity ? el("p", { id: "entity-hint", class: "notes" }, t("search.entity_found"), " ", link(entityHref(data.entity.key), data.entity.label), " ",
      el("span", { class: "muted" }, t("search.entity_articles", { n: data.entity.articles }))) : null,
    el("p", { id: "search-total", class: "muted" }, t("search.total", { n: data.total })),
    el("ol", { id: "results", class: "results", start: offset + 1 }, data.items.map((h) => el("li", { class: "hit" },
      el("div", {}, h.event ? link(eventHref(h.event), h.title || h.article, "hit-title") : el("strong", {}, h.title || h.article)),
      el("div", { class: "muted" }, [h.outlet ? link(outletHref(h.outlet), h.outlet) : t("outlet.unknown"), " · ", fmtDate(h.published),
        h.event_title ? [" · ", t("search.in_event"), " ", h.event_title] : null]),
      snippetNode(h.snippet)))),
    data.next_offset !== null ? el("div", { class: "toolbar" }, link("/search?" + more.toString(), t("pager.more"))) : null);
}

async function renderEntities() {
  const params = new URLSearchParams(location.search);
  const prefix = params.get("prefix") || "";
  const data = await api("/api/entities?limit=200" + (prefix ? `&prefix=${encodeURIComponent(prefix)}` : ""));
  document.title = `${t("entities.title")} · Kabar`;
  show(el("h1", {}, t("entities.title")),
    el("form", { class: "toolbar", onsubmit: (e) => { e.preventDefault(); navigate("/entities?prefix=" + encodeURIComponent(e.target.prefix.value)); } },
      el("input", { name: "prefix", value: prefix, placeholder: t("entities.filter") }), el("button", { type: "submit" }, t("entities.filter_run"))),
    el("table", { id: "entity-list" }, el("tr", {}, el("th", {}, t("entities.name")), el("th", {}, t("entities.type")),
      el("th", { class: "num" }, t("events.articles")), el("th", { class: "num" }, t("entities.events"))),
      data.items.map((e) => el("tr", {}, el("td", {}, link(entityHref(e.key), e.label, "entity-link")), el("td", {}, t("type." + e.type)),
        el("td", { class: "num" }, fmtNumber(e.articles)), el("td", { class: "num" }, fmtNumber(e.events))))));
}

// Quotes side by side: one row per event, one column per outlet, each quote cited to its sentence.
function quotesGrid(data) {
  if (!data.quotes.length) return el("p", { class: "muted", id: "quotes" }, t("entity.no_quotes"));
  const outlets = [...new Set(data.quotes.map((q) => q.outlet || t("outlet.unknown")))];
  const titles = Object.fromEntries(data.events.map((e) => [e.id, e.title]));
  const byEvent = new Map();
  for (const q of data.quotes) {
    const key = q.event || "";
    if (!byEvent.has(key)) byEvent.set(key, []);
    byEvent.get(key).push(q);
  }
  const cell = (quotes, outlet) => el("td", {}, quotes.filter((q) => (q.outlet || t("outlet.unknown")) === outlet).map((q) => quoteNode(q, outlet)));
  return el("table", { id: "quotes", class: "quotes" },
    el("tr", {}, el("th", {}, t("entity.event")), outlets.map((o) => el("th", {}, o))),
    [...byEvent].map(([event, quotes]) => el("tr", {},
      el("td", {}, event ? link(eventHref(event), titles[event] || event) : "–"),
      outlets.map((o) => cell(quotes, o)))));
}

function quoteNode(q, outlet) {
  const cite = el("a", { class: "cite", href: eventHref(q.event || "") + "#" + anchor(q.sentence || ""), title: q.title || q.article },
    `[${outlet} ${String(q.sentence || "").split(":").pop()}]`);
  return el("blockquote", { class: q.direct ? "quote direct" : "quote" }, q.direct ? `“${q.content}”` : q.content,
    el("footer", {}, `${q.speaker} (${q.cue}) · `, cite, q.published ? " · " + fmtDate(q.published) : ""));
}

async function renderEntity(key) {
  const data = await api(`/api/entities/${encodeURIComponent(key)}`);
  document.title = `${data.label} · Kabar`;
  show(el("h1", { id: "entity-name" }, data.label, " ", el("span", { class: "muted small" }, t("type." + data.type))),
    el("p", { class: "muted" }, t("entity.summary", { articles: data.articles, events: data.events.length }),
      data.names.length > 1 ? [" · ", t("entity.also_written"), " ", data.names.filter((n) => n !== data.label).join(", ")] : null),
    el("h2", {}, t("entity.who_said_what")), quotesGrid(data),
    el("h2", {}, t("entity.events")), eventsTable(data.events, { title: t("entity.naming"), field: "naming" }),
    el("div", { class: "charts" },
      dayChart(data.per_day, t("chart.entity_per_day"), "entity-per-day"),
      barChart(data.outlets.map((o) => ({ label: o.outlet || t("outlet.unknown"), value: o.articles })), t("chart.entity_outlets"), "entity-outlets")),
    el("h2", {}, t("entity.together")),
    el("ul", { id: "together", class: "chips" }, data.together.map((o) => el("li", {}, link(entityHref(o.key), o.label, "entity-link"), " ", el("span", { class: "muted" }, fmtNumber(o.articles))))));
}

async function renderOutlets() {
  const data = await api("/api/outlets");
  document.title = `${t("outlets.title")} · Kabar`;
  show(el("h1", {}, t("outlets.title")),
    el("table", { id: "outlet-list" }, el("tr", {}, el("th", {}, t("outlets.name")), el("th", { class: "num" }, t("events.articles")),
      el("th", { class: "num" }, t("outlets.events")), el("th", { class: "num" }, t("outlets.conflicted")), el("th", {}, t("events.dates"))),
      data.items.map((o) => el("tr", {}, el("td", {}, link(outletHref(o.name), o.name, "outlet-link")), el("td", { class: "num" }, fmtNumber(o.articles)),
        el("td", { class: "num" }, fmtNumber(o.events)), el("td", { class: "num" }, fmtNumber(o.in_conflicted_events)),
        el("td", {}, fmtRange(o.first_published, o.last_published))))),
    barChart(data.items.map((o) => ({ label: o.name, value: o.articles })), t("chart.outlet_articles"), "outlet-articles"));
}

async function renderOutlet(name) {
  const data = await api(`/api/outlets/${encodeURIComponent(name)}`);
  const o = data.outlet;
  const conflicts = data.events.reduce((sum, e) => sum + (e.conflicts || 0), 0);
  document.title = `${o.name} · Kabar`;
  show(el("h1", { id: "outlet-name" }, o.name),
    el("p", { class: "muted", id: "outlet-summary" }, t("outlet.summary", { articles: o.articles, events: o.events, conflicts })),
    el("h2", {}, t("outlet.events")), eventsTable(data.events, { title: t("outlet.by_outlet"), field: "by_outlet" }),
    dayChart(data.per_day, t("chart.outlet_per_day"), "outlet-per-day"));
}
