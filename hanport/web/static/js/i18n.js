// The app's language and its texts (texts.js): t(key, {name: value}) fills {name} placeholders;
// numbers, dates and ages are written the way the language writes them.

import { TEXTS } from "./texts.js";

const KEY = "hanport.lang";
let lang = pick();

function pick() {
  try {
    const saved = localStorage.getItem(KEY);
    if (saved === "en" || saved === "et") return saved;
  } catch { /* storage may be off */ }
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return nav.toLowerCase().startsWith("et") ? "et" : "en";
}

export function getLang() { return lang; }

export function setLang(next) {
  lang = next === "et" ? "et" : "en";
  try { localStorage.setItem(KEY, lang); } catch { /* ignore */ }
  document.documentElement.lang = lang;
}

export function t(key, vars) {
  let text = TEXTS[lang][key] ?? TEXTS.en[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** A number in the current language's style (Estonian: space groups, decimal comma). */
export function num(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  return new Intl.NumberFormat(lang === "et" ? "et-EE" : "en-GB", {
    minimumFractionDigits: digits, maximumFractionDigits: digits,
  }).format(value);
}

export function dateTime(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(lang === "et" ? "et-EE" : "en-GB", {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
}

export function locale() { return lang === "et" ? "et-EE" : "en-GB"; }

/** "12 s", "4 min", "3 h", "2 d" */
export function age(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return t("ago_s", { n: s });
  if (s < 7200) return t("ago_m", { n: Math.floor(s / 60) });
  if (s < 172800) return t("ago_h", { n: Math.floor(s / 3600) });
  return t("ago_d", { n: Math.floor(s / 86400) });
}

document.documentElement.lang = lang;
