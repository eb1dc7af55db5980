"use strict";
// Messages and formats: the catalogue comes from /api/messages (the switch, then Accept-Language, choose it).

const i18n = { language: "id", messages: {} };

async function loadMessages() {
  const saved = localStorage.getItem("kabar_lang");
  const response = await fetch("/api/messages" + (saved ? `?lang=${encodeURIComponent(saved)}` : ""));
  const body = await response.json();
  i18n.language = body.language;
  i18n.messages = body.messages;
  document.documentElement.lang = body.language;
}

// t("search.total", { n: 3 }) -> the message with {n} replaced (numbers written in the UI's format).
function t(key, vars) {
  let text = i18n.messages[key];
  if (text === undefined) text = key;
  for (const [name, value] of Object.entries(vars || {})) {
    text = text.split(`{${name}}`).join(typeof value === "number" ? fmtNumber(value) : String(value));
  }
  return text;
}

function locale() {
  return i18n.language === "id" ? "id-ID" : "en-GB";
}

function fmtNumber(value) {
  return new Intl.NumberFormat(locale()).format(value);
}

// A published value ("2019-03-24" or "2019-03-24T11:20:00+07:00") as the day it was written for.
function fmtDate(value, style) {
  if (!value || !/^\d{4}-\d{2}-\d{2}/.test(value)) return value || t("date.none");
  const [y, m, d] = value.slice(0, 10).split("-").map(Number);
  const options = style === "short" ? { day: "numeric", month: "short" } : { day: "numeric", month: "long", year: "numeric" };
  return new Intl.DateTimeFormat(locale(), { ...options, timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

function fmtRange(first, last) {
  if (!first && !last) return t("date.none");
  if (!first || first === last) return fmtDate(last || first);
  return `${fmtDate(first)} – ${fmtDate(last)}`;
}

function setLanguage(language) {
  localStorage.setItem("kabar_lang", language);
  document.cookie = `kabar_lang=${language}; path=/; max-age=31536000; SameSite=Lax`;
  location.reload();
}
