"use strict";
// Charts drawn as inline SVG from what the API returns: nothing is fetched from elsewhere.

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Every day from the first to the last (so quiet days show as gaps), at most `cap` days.
function fillDays(points, cap = 120) {
  if (!points.length) return [];
  const counts = Object.fromEntries(points.map((p) => [p.day, p.articles]));
  const start = Date.parse(points[0].day + "T00:00:00Z");
  const end = Date.parse(points[points.length - 1].day + "T00:00:00Z");
  const days = Math.round((end - start) / 86400000) + 1;
  if (days > cap) return points; // a long span: only the days that have articles
  const out = [];
  for (let k = 0; k < days; k++) {
    const day = new Date(start + k * 86400000).toISOString().slice(0, 10);
    out.push({ day, articles: counts[day] || 0 });
  }
  return out;
}

// Articles per day as columns; `title` is the chart's accessible name.
function dayChart(points, title, id) {
  const days = fillDays(points);
  if (!days.length) return el("p", { class: "muted" }, t("chart.no_dates"));
  const width = Math.max(320, Math.min(900, days.length * 28 + 60)), height = 180, left = 36, bottom = 36, top = 12;
  const max = Math.max(...days.map((d) => d.articles), 1);
  const step = (width - left - 8) / days.length;
  const bar = Math.max(4, Math.min(22, step - 4));
  const scale = (v) => (height - bottom - top) * (v / max);
  const labelEvery = Math.ceil(days.length / 10);
  const chart = svg("svg", { class: "chart", id, viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": title },
    svg("title", {}, title),
    svg("line", { x1: left, y1: height - bottom, x2: width - 4, y2: height - bottom, class: "axis" }),
    svg("text", { x: left - 6, y: top + 8, class: "tick", "text-anchor": "end" }, fmtNumber(max)),
    svg("text", { x: left - 6, y: height - bottom, class: "tick", "text-anchor": "end" }, "0"),
    days.map((d, k) => {
      const x = left + k * step + (step - bar) / 2, h = scale(d.articles);
      return [
        svg("rect", { x, y: height - bottom - h, width: bar, height: h, class: "bar", "data-day": d.day, "data-value": d.articles },
          svg("title", {}, `${fmtDate(d.day)}: ${t("chart.articles_n", { n: d.articles })}`)),
        k % labelEvery === 0 ? svg("text", { x: x + bar / 2, y: height - bottom + 14, class: "tick", "text-anchor": "middle" }, fmtDate(d.day, "short")) : null,
      ];
    }));
  return el("figure", { class: "chart-box" }, chart, el("figcaption", {}, title));
}

// Horizontal bars: [{label, value, href?}].
function barChart(items, title, id) {
  if (!items.length) return el("p", { class: "muted" }, t("chart.empty"));
  const rowH = 24, labelW = 170, width = 560, height = items.length * rowH + 10;
  const max = Math.max(...items.map((i) => i.value), 1);
  const chart = svg("svg", { class: "chart", id, viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": title },
    svg("title", {}, title),
    items.map((item, k) => {
      const w = (width - labelW - 50) * (item.value / max), y = k * rowH + 4;
      return [
        svg("text", { x: labelW - 8, y: y + 15, class: "label", "text-anchor": "end" }, item.label),
        svg("rect", { x: labelW, y, width: Math.max(2, w), height: rowH - 8, class: item.muted ? "bar muted-bar" : "bar", "data-value": item.value }),
        svg("text", { x: labelW + w + 6, y: y + 14, class: "tick" }, fmtNumber(item.value)),
      ];
    }));
  return el("figure", { class: "chart-box" }, chart, el("figcaption", {}, title));
}

// A figure's values over time (the compare JSON's `figures`): one dot per value, joined in time order.
function figureTimeline(figure, names) {
  const values = (figure.values || []).filter((v) => typeof v.value === "number");
  if (!values.length) return null;
  const width = 480, height = 180, left = 66, right = 66, top = 26, bottom = 44;
  const short = (text) => (text.length > 18 ? text.slice(0, 17) + "…" : text);
  const sorted = [...values].sort((a, b) => String(a.time || "").localeCompare(String(b.time || "")));
  const max = Math.max(...sorted.map((v) => v.value)), min = Math.min(0, ...sorted.map((v) => v.value));
  const x = (k) => left + (sorted.length === 1 ? (width - left - right) / 2 : (k * (width - left - right)) / (sorted.length - 1));
  const y = (v) => height - bottom - ((height - bottom - top) * (v - min)) / (max - min || 1);
  const path = sorted.map((v, k) => `${k ? "L" : "M"}${x(k).toFixed(1)},${y(v.value).toFixed(1)}`).join(" ");
  const status = figure.status ? t("figure.status." + figure.status) : "";
  const title = `${figure.label || figure.key}${status ? " · " + (status.startsWith("figure.status.") ? figure.status : status) : ""}`;
  const chart = svg("svg", { class: "chart figure-chart", viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": title },
    svg("title", {}, title),
    svg("line", { x1: left, y1: height - bottom, x2: width - right, y2: height - bottom, class: "axis" }),
    svg("path", { d: path, class: "line" }),
    sorted.map((v, k) => [
      svg("circle", { cx: x(k), cy: y(v.value), r: 5, class: "dot", "data-value": v.value, "data-sentence": v.sentence || "" },
        svg("title", {}, `${v.text || fmtNumber(v.value)} — ${names[v.article] || v.article}${v.attribution ? ", " + v.attribution : ""}${v.time ? " (" + v.time + ")" : ""}`)),
      svg("text", { x: x(k), y: y(v.value) - 9, class: "tick", "text-anchor": "middle" }, short(v.text || fmtNumber(v.value))),
      svg("text", { x: x(k), y: height - bottom + 14, class: "tick", "text-anchor": "middle" }, short(names[v.article] || v.article)),
      v.time ? svg("text", { x: x(k), y: height - bottom + 28, class: "tick muted", "text-anchor": "middle" }, fmtDate(String(v.time), "short") + (String(v.time).length > 10 ? " " + String(v.time).slice(11, 16) : "")) : null,
    ]));
  chart.addEventListener("click", (e) => { const s = e.target.getAttribute && e.target.getAttribute("data-sentence"); if (s) highlight(s); });
  return el("figure", { class: "chart-box" }, chart, el("figcaption", {}, title));
}
