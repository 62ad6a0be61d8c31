// The money on the Now page: today so far, yesterday, this month and its forecast, the price
// now, the known price curve with the cheapest 3 hours marked, and (for packages with a
// capacity charge) this month's peak with a warning when a new one is near. Refreshed every
// minute from /api/v1/costs/summary, /api/v1/prices and /api/v1/plan.

import { api, errorText, url } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t, locale } from "./i18n.js";
import { eur, cents, fmtDec, plotNumber } from "./money.js";

const REFRESH_MS = 60_000;
const PLAN = "3h";

function figure(id, label) {
  const value = h(`strong#${id}`, "–");
  const note = h("span.small.muted", "");
  return { el: h("div.split-item", h("span.label", label), value, note), value, note };
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit" });
}

function svg(tag, attrs) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** Bars of the all-in price per slot; the current slot and the cheapest window marked. */
function curve(prices, plan, now) {
  const width = 600, height = 150, top = 8, bottom = 22;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "price-curve", role: "img", "aria-label": t("cost_curve") });
  const values = prices.map((p) => plotNumber(p.all_in_eur_kwh)).filter((v) => v !== null);
  if (!values.length) return root;
  const max = Math.max(...values, 0);
  const min = Math.min(...values, 0);
  const span = max - min || 1;
  const first = Date.parse(prices[0].start);
  const last = Date.parse(prices[prices.length - 1].end);
  const x = (ms) => ((ms - first) / (last - first)) * width;
  const y = (v) => top + ((max - v) / span) * (height - top - bottom);
  if (plan && plan.window) {
    const a = x(Date.parse(plan.window.start)), b = x(Date.parse(plan.window.end));
    root.append(svg("rect", { x: a, y: 0, width: Math.max(1, b - a), height: height - bottom + 4, class: "cheap-window", "data-start": plan.window.start }));
  }
  for (const p of prices) {
    const v = plotNumber(p.all_in_eur_kwh);
    if (v === null) continue;
    const a = x(Date.parse(p.start)), b = x(Date.parse(p.end));
    const open = Date.parse(p.start) <= now && now < Date.parse(p.end);
    root.append(svg("rect", {
      x: a, y: Math.min(y(v), y(0)), width: Math.max(0.5, b - a - 0.4), height: Math.max(0.5, Math.abs(y(0) - y(v))),
      class: open ? "price-bar now" : v < 0 ? "price-bar negative" : "price-bar",
    }));
  }
  for (let ms = Math.ceil(first / 21_600_000) * 21_600_000; ms < last; ms += 21_600_000) {
    const label = svg("text", { x: x(ms), y: height - 6, class: "curve-label", "text-anchor": "middle" });
    label.textContent = clock(new Date(ms).toISOString());
    root.append(label);
  }
  return root;
}

export function mount(root) {
  const today = figure("cost-today", t("cost_today"));
  const yesterday = figure("cost-yesterday", t("cost_yesterday"));
  const month = figure("cost-month", t("cost_month"));
  const price = figure("price-now", t("cost_price_now"));
  const chart = h("div.curve-wrap");
  const cheap = h("p.small.muted#cheapest");
  const peak = h("div#peak");
  const status = h("div");
  const card = h("section.card.costs-now#costs-now",
    h("h2", t("cost_title")), status,
    h("div.split.split-4", today.el, yesterday.el, month.el, price.el),
    chart, cheap, peak);
  (root.querySelector(".now-grid") || root).append(card);
  let stopped = false;

  async function load() {
    try {
      const summary = await api("/api/v1/costs/summary");
      const from = new Date(Date.now() - 2 * 3600e3).toISOString();
      const [prices, plan] = await Promise.all([
        api(url("/api/v1/prices", { from })),
        api(url("/api/v1/plan", { duration: PLAN })).catch(() => null),
      ]);
      if (stopped) return;
      clear(status);
      show(summary, prices.prices, plan);
    } catch (error) {
      if (!stopped) clear(status).append(message("error", errorText(error)));
    }
  }

  function show(s, prices, plan) {
    const row = s.today;
    today.value.textContent = eur(row && row.total_eur);
    today.note.textContent = row ? `${fmtDec(row.import_kwh, 3)} kWh` : "";
    yesterday.value.textContent = eur(s.yesterday && s.yesterday.total_eur);
    yesterday.note.textContent = s.yesterday && s.yesterday.total_eur !== null ? `${fmtDec(s.yesterday.import_kwh, 3)} kWh` : "";
    month.value.textContent = eur(s.month.total_eur);
    month.note.textContent = s.forecast.total_eur === null ? "" : t("cost_forecast", { eur: eur(s.forecast.total_eur) });
    price.value.textContent = cents(s.price.all_in_eur_kwh);
    price.note.textContent = s.price.eur_mwh === null ? t("cost_no_price") : t("cost_spot", { price: `${fmtDec(s.price.eur_mwh, 2)} €/MWh` });
    clear(chart);
    chart.hidden = !prices.length;
    if (prices.length) chart.append(curve(prices, plan, Date.now()));
    chart.dataset.slots = String(prices.length);
    cheap.textContent = plan && plan.window
      ? t("cost_cheapest", { from: clock(plan.window.start), to: clock(plan.window.end), price: cents(plan.window.mean_eur_kwh) })
      : "";
    clear(peak);
    if (s.peak) {
      peak.append(h("p", t("cost_peak", { kw: `${fmtDec(s.peak.kw, 2)} kW` })));
      const w = s.peak.warning;
      if (w) {
        peak.append(h(`p.msg.${w.new_peak ? "error" : "warn"}#peak-warning`, { role: "status" },
          t(w.new_peak ? "cost_peak_new" : "cost_peak_near", { kw: `${fmtDec(w.projected_kw, 2)} kW`, peak: `${fmtDec(w.threshold_kw, 2)} kW` })));
      }
    }
    card.dataset.loaded = "1";
  }

  load();
  const timer = setInterval(load, REFRESH_MS);
  return () => { stopped = true; clearInterval(timer); };
}
