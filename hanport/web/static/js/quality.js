// Quality: the EN 50160 figures of the supply voltage from the meter's 10-s readings (from
// /api/v1/quality): weekly compliance per phase, each week's 10-minute means against the bands,
// the events, the report (PDF, CSV) to attach to a complaint, and what 10-s data cannot show.
// The server judges; the page only draws.

import { api, errorText, url } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t, num, getLang, locale } from "./i18n.js";

const SVG = "svg:";
const W = 720, H = 240, LEFT = 44, RIGHT = 8, TOP = 8, BOTTOM = 24;
const DAY_MS = 86_400_000;

function isoDate(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

function monday(d) {
  const day = (d.getDay() + 6) % 7;
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() - day);
}

function plusDays(d, n) { return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n); }

export function render(root) {
  const start = monday(new Date());
  const from = h("input#quality-from", { type: "date", name: "from", required: true, value: isoDate(start) });
  const to = h("input#quality-to", { type: "date", name: "to", required: true, value: isoDate(plusDays(start, 6)) });
  const meter = h("select#quality-meter", { name: "meter" });
  const meterWrap = h("div", { hidden: true }, h("label", { for: "quality-meter" }, t("meter")), meter);
  const show = h("button.primary", { type: "submit" }, t("q_show"));
  const pdf = h("button#quality-pdf", { type: "button", onclick: () => download("pdf") }, t("q_download_pdf"));
  const csv = h("button#quality-csv", { type: "button", onclick: () => download("csv") }, t("q_download_csv"));
  const status = h("div.form-status");
  const result = h("div#quality-result.stack");
  root.append(
    h("form.card#quality-form", { onsubmit: (e) => { e.preventDefault(); load(); } },
      h("h1", t("q_title")), h("p.muted", t("q_intro")),
      h("div.form-row",
        h("div", h("label", { for: "quality-from" }, t("q_first_day")), from),
        h("div", h("label", { for: "quality-to" }, t("q_last_day")), to),
        meterWrap),
      h("div.actions", show, pdf, csv), status),
    result,
    h("section.card#quality-limits", h("h2", t("q_cannot_title")), h("p", t("q_cannot_see"))),
  );

  let alive = true;
  let asked = 0;
  api("/api/v1/meters").then((d) => {
    if (d.meters.length > 1) {
      for (const m of d.meters) meter.append(h("option", { value: m.id }, m.model ? `${m.id} (${m.model})` : m.id));
      meterWrap.hidden = false;
    }
    const last = d.meters[0] && d.meters[0].last_reading;
    if (last) {
      const first = monday(new Date(last));
      from.value = isoDate(first);
      to.value = isoDate(plusDays(first, 6));
    }
  }).catch(() => {}).finally(() => { if (alive) load(); });

  function query(extra = {}) {
    return { meter: meterWrap.hidden ? undefined : meter.value, from: from.value, to: to.value, ...extra };
  }

  async function load() {
    const mine = ++asked;
    clear(status).append(message("info", t("loading")));
    show.disabled = true;
    try {
      const body = await api(url("/api/v1/quality", query()));
      if (!alive || mine !== asked) return;  // a newer question is on its way
      clear(status);
      clear(result).append(...figures(body));
    } catch (error) {
      if (mine !== asked) return;
      clear(status).append(message("error", errorText(error)));
      clear(result);
    } finally {
      if (mine === asked) show.disabled = false;
    }
  }

  async function download(form) {
    clear(status).append(message("info", t("downloading")));
    try {
      const response = await api(url("/api/v1/quality/report", query({ format: form, lang: getLang() })), { raw: true });
      const blob = await response.blob();
      const match = /filename="?([^";]+)"?/i.exec(response.headers.get("Content-Disposition") || "");
      const name = match ? match[1] : `hanport-quality-${from.value}-${to.value}.${form}`;
      const link = h("a", { href: URL.createObjectURL(blob), download: name, hidden: true });
      document.body.append(link);
      link.click();
      setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      clear(status).append(message("ok", t("downloaded", { name })));
    } catch (error) {
      clear(status).append(message("error", errorText(error)));
    }
  }

  return () => { alive = false; };
}

function figures(body) {
  const parts = [verdicts(body), weeksTable(body)];
  for (const week of body.weeks) parts.push(chart(body, week));
  parts.push(eventsTable(body));
  return parts;
}

function phaseName(n) { return `L${n}`; }

function verdicts(body) {
  const items = Object.entries(body.verdicts).map(([key, verdict]) =>
    h(`div.q-verdict.q-${verdict}`, { "data-phase": key },
      h("span.q-phase", key.toUpperCase()), h("span", t(`q_verdict_${verdict}`))));
  const note = body.limits.en50160 ? null : h("p.muted", t("q_limits_changed"));
  return h("section.card#quality-verdicts", h("h2", t("q_summary")), h("div.q-verdicts", items), note);
}

function pct(value) { return value === null || value === undefined ? "–" : `${num(value, 2)} %`; }

function duration(seconds) {
  if (!seconds) return "0";
  const hours = Math.floor(seconds / 3600), minutes = Math.round((seconds % 3600) / 60);
  return hours ? t("q_hours_minutes", { h: hours, m: minutes }) : t("q_minutes", { m: minutes || 1 });
}

function day(iso) {
  return new Date(iso).toLocaleDateString(locale(), { year: "numeric", month: "short", day: "numeric" });
}

function moment(iso) {
  return new Date(iso).toLocaleString(locale(), { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

function weeksTable(body) {
  const [low, high] = body.limits.band_v, [wide] = body.limits.wide_band_v;
  const head = h("tr", h("th", t("q_week")), h("th", t("q_phase")), h("th.num", t("q_complete")),
    h("th.num", `${num(low)}–${num(high)} V`), h("th.num", `${num(wide, 1)}–${num(high)} V`),
    h("th.num", `≥ ${num(body.limits.pv_trip_v)} V`), h("th", t("q_verdict")));
  const rows = [];
  for (const week of body.weeks) {
    for (const p of week.phases) {
      rows.push(h("tr", { "data-week": week.start, "data-phase": p.phase },
        h("td", day(week.start)), h("td", phaseName(p.phase)),
        h("td.num", `${p.complete}/${week.expected}`), h("td.num.q-band", pct(p.within_band_pct)),
        h("td.num.q-wide", pct(p.within_wide_pct)), h("td.num", duration(p.at_trip_s)),
        h(`td.q-${p.verdict}`, t(`q_verdict_${p.verdict}`))));
    }
  }
  return h("section.card", h("h2", t("q_weeks")), h("p.muted", t("q_weeks_note")),
    h("div.table-wrap", h("table#quality-weeks", h("thead", head), h("tbody", rows))));
}

function el(name, attrs, ...children) { return h(SVG + name, attrs, ...children); }

function chart(body, week) {
  const start = Date.parse(week.start), end = Date.parse(week.end);
  const windows = (body.windows || []).filter((w) => { const at = Date.parse(w[0]); return at >= start && at < end; });
  const [low, high] = body.limits.band_v.map(Number), wide = Number(body.limits.wide_band_v[0]);
  let vmin = wide - 15, vmax = high + 17;
  for (const w of windows) for (const v of w.slice(1, 4)) if (v !== null) { vmin = Math.min(vmin, v - 3); vmax = Math.max(vmax, v + 3); }
  const x = (ms) => LEFT + (W - LEFT - RIGHT) * (ms - start) / (end - start);
  const y = (v) => TOP + (H - TOP - BOTTOM) * (vmax - v) / (vmax - vmin);
  const band = (cls, a, b) => el("rect", { class: cls, x: LEFT, width: W - LEFT - RIGHT, y: y(b), height: Math.max(0, y(a) - y(b)) });
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "q-chart", "aria-label": t("q_chart_label", { week: day(week.start) }) },
    band("q-out", vmin, vmax), band("q-wide", wide, high), band("q-ok", low, high));
  for (const v of [wide, low, 230, high]) {
    svg.append(el("line", { class: "q-grid", x1: LEFT, x2: W - RIGHT, y1: y(v), y2: y(v) }),
      el("text", { class: "q-axis", x: LEFT - 4, y: y(v) + 3, "text-anchor": "end" }, num(v, v % 1 ? 1 : 0)));
  }
  for (let d = 0; d < 7; d++) {
    const at = start + d * DAY_MS;
    svg.append(el("text", { class: "q-axis", x: x(at + DAY_MS / 2), y: H - 6, "text-anchor": "middle" },
      new Date(at).toLocaleDateString(locale(), { weekday: "short", day: "numeric" })));
  }
  for (let phase = 1; phase <= body.phases; phase++) {
    let points = [];
    let last = null;
    const flush = () => { if (points.length > 1) svg.append(el("polyline", { class: `q-line q-l${phase}`, points: points.join(" ") })); points = []; };
    for (const w of windows) {
      const at = Date.parse(w[0]), value = w[phase];
      if (value === null || !w[4] || (last !== null && at - last > 600_000)) flush();
      if (value !== null && w[4]) points.push(`${x(at + 300_000).toFixed(1)},${y(value).toFixed(1)}`);
      last = at;
    }
    flush();
  }
  const legend = h("p.muted.q-legend", h("span.q-key.q-l1"), "L1 ", h("span.q-key.q-l2"), "L2 ",
    h("span.q-key.q-l3"), "L3 · ", t("q_chart_legend", { low: num(low), high: num(high), wide: num(wide, 1) }));
  return h("section.card.q-chart-card", { "data-week": week.start },
    h("h2", t("q_chart_title", { week: day(week.start) })), svg, legend);
}

function detail(event) {
  if (event.mean_v !== null && event.mean_v !== undefined) return t("q_detail_mean", { v: num(event.mean_v, 2) });
  if (event.unbalance_pct !== null && event.unbalance_pct !== undefined) return t("q_detail_unbalance", { pct: num(event.unbalance_pct, 2) });
  if (event.current_a !== null && event.current_a !== undefined) return t("q_detail_current", { a: num(event.current_a, 1) });
  return "";
}

function eventsTable(body) {
  if (!body.events.length) return h("section.card#quality-events", h("h2", t("q_events")), h("p.muted", t("q_no_events")));
  const head = h("tr", h("th", t("q_event")), h("th", t("q_phase")), h("th", t("q_start")), h("th", t("q_end")),
    h("th.num", t("q_min")), h("th.num", t("q_max")), h("th", t("q_detail")));
  const rows = body.events.map((e) => h("tr", { "data-kind": e.kind },
    h("td", t(`q_kind_${e.kind}`)), h("td", e.phases.map(phaseName).join(" ")),
    h("td", moment(e.start)), h("td", e.ongoing ? t("q_ongoing") : moment(e.end)),
    h("td.num", e.min_v === null ? "–" : num(e.min_v, 1)), h("td.num", e.max_v === null ? "–" : num(e.max_v, 1)),
    h("td", detail(e))));
  return h("section.card#quality-events", h("h2", t("q_events")),
    h("div.table-wrap", h("table", h("thead", head), h("tbody", rows))));
}
