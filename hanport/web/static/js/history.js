// History: power, energy bars, voltage and current for an hour, day, week, month or year,
// with drag-to-zoom and ◀ ▶ to move by one period. The period still open (the current hour,
// day, month) comes from the server marked partial: its bar is drawn hatched, "so far".

import { api, errorText, url } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t, locale } from "./i18n.js";
import { live } from "./live.js";
import { loadUPlot, ChartGroup, colors } from "./charts.js";

const RANGES = {
  hour: { lines: null, bars: "15m" },
  day: { lines: "15m", bars: "1h" },
  week: { lines: "1h", bars: "1d" },
  month: { lines: "1h", bars: "1d" },
  year: { lines: "1d", bars: "1mo" },
};
const STEP_S = { "15m": 900, "1h": 3600, "1d": 86400, "1mo": 30.44 * 86400 };
const LINE_FIELDS = ["power_import_w", "power_export_w", "voltage_l1_v", "voltage_l2_v", "voltage_l3_v", "current_l1_a", "current_l2_a", "current_l3_a"];
const KEY = "hanport.history.range";
let remembered = null; // {range, anchor} while the app is open

function windowOf(range, anchor) {
  const d = new Date(anchor);
  let start;
  let end;
  if (range === "hour") {
    end = new Date(d);
    end.setSeconds(0, 0);
    end.setMinutes(Math.ceil((end.getMinutes() + 1) / 5) * 5);
    start = new Date(end.getTime() - 3600e3);
  } else if (range === "day") {
    start = new Date(d.getFullYear(), d.getMonth(), d.getDate());
    end = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1);
  } else if (range === "week") {
    const monday = (d.getDay() + 6) % 7;
    start = new Date(d.getFullYear(), d.getMonth(), d.getDate() - monday);
    end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 7);
  } else if (range === "month") {
    start = new Date(d.getFullYear(), d.getMonth(), 1);
    end = new Date(d.getFullYear(), d.getMonth() + 1, 1);
  } else {
    start = new Date(d.getFullYear(), 0, 1);
    end = new Date(d.getFullYear() + 1, 0, 1);
  }
  return { start, end };
}

function shift(range, anchor, direction) {
  const d = new Date(anchor);
  if (range === "hour") return anchor + direction * 3600e3;
  if (range === "day") d.setDate(d.getDate() + direction);
  else if (range === "week") d.setDate(d.getDate() + 7 * direction);
  else if (range === "month") { d.setDate(1); d.setMonth(d.getMonth() + direction); }
  else d.setFullYear(d.getFullYear() + direction);
  return d.getTime();
}

function label(range, { start, end }) {
  const loc = locale();
  const last = new Date(end.getTime() - 1);
  if (range === "hour") {
    const f = { hour: "2-digit", minute: "2-digit" };
    return `${start.toLocaleDateString(loc, { day: "numeric", month: "short" })} ${start.toLocaleTimeString(loc, f)}–${end.toLocaleTimeString(loc, f)}`;
  }
  if (range === "day") return start.toLocaleDateString(loc, { weekday: "short", day: "numeric", month: "short", year: "numeric" });
  if (range === "week") return `${start.toLocaleDateString(loc, { day: "numeric", month: "short" })} – ${last.toLocaleDateString(loc, { day: "numeric", month: "short", year: "numeric" })}`;
  if (range === "month") return start.toLocaleDateString(loc, { month: "long", year: "numeric" });
  return String(start.getFullYear());
}

function latestAnchor(meters) {
  const times = [];
  if (live.reading) times.push(Date.parse(live.reading.meter_time || live.reading.received_at));
  for (const m of meters) if (m.last_reading) times.push(Date.parse(m.last_reading));
  const good = times.filter((x) => Number.isFinite(x));
  return good.length ? Math.max(...good) : Date.now();
}

export function render(root) {
  let range = remembered?.range || localStorage.getItem(KEY) || "day";
  if (!(range in RANGES)) range = "day";
  let anchor = remembered?.anchor ?? null;
  let meters = [];
  let group = null;
  let loadId = 0;
  let disposed = false;

  const rangeButtons = Object.keys(RANGES).map((r) => h("button", {
    type: "button", "data-range": r, "aria-pressed": String(r === range), onclick: () => { range = r; localStorage.setItem(KEY, r); load(); },
  }, t(`range_${r}`)));
  const windowLabel = h("span.window-label#history-window");
  const prev = h("button", { type: "button", title: t("previous"), "aria-label": t("previous"), onclick: () => { anchor = shift(range, anchor, -1); load(); } }, "◀");
  const next = h("button", { type: "button", title: t("next"), "aria-label": t("next"), onclick: () => { anchor = shift(range, anchor, 1); load(); } }, "▶");
  const latest = h("button", { type: "button", onclick: () => { anchor = latestAnchor(meters); load(); } }, t("latest"));
  const reset = h("button", { type: "button", onclick: () => group && group.resetZoom() }, t("reset_zoom"));
  const status = h("div.history-status");
  const charts = h("div.charts#charts");
  root.append(
    h("div.toolbar", h("div.seg", { role: "group" }, rangeButtons), h("div.pager", prev, next, latest), windowLabel, reset),
    h("p.hint.small.muted", t("zoom_hint")), status, charts);

  async function load() {
    const id = ++loadId;
    delete charts.dataset.loaded;
    for (const b of rangeButtons) b.setAttribute("aria-pressed", String(b.dataset.range === range));
    clear(status).append(message("info", t("loading")));
    try {
      const [uPlot, m] = await Promise.all([loadUPlot(), meters.length ? meters : api("/api/v1/meters").then((d) => d.meters)]);
      meters = m;
      if (anchor === null) anchor = latestAnchor(meters);
      remembered = { range, anchor };
      const win = windowOf(range, anchor);
      windowLabel.textContent = label(range, win);
      const cfg = RANGES[range];
      const meter = meters.length === 1 ? undefined : (live.meter || meters[0]?.id);
      const common = { meter, from: win.start.toISOString(), to: win.end.toISOString() };
      const linesReq = cfg.lines
        ? api(url("/api/v1/series", { ...common, step: cfg.lines, fields: LINE_FIELDS.join(",") })).then((d) => seriesLines(d.rows))
        : api(url("/api/v1/readings", { ...common, fields: LINE_FIELDS.join(",") })).then((d) => rawLines(d.readings));
      const barsReq = api(url("/api/v1/series", { ...common, step: cfg.bars, fields: "power_import_w" })).then((d) => d.rows);
      const costsReq = api(url("/api/v1/costs", { ...common, step: cfg.bars })).then((d) => d.rows).catch(() => []);
      const [lines, bars, costs] = await Promise.all([linesReq, barsReq, costsReq]);
      if (id !== loadId || disposed) return;
      draw(uPlot, win, cfg, lines, bars, costs);
    } catch (error) {
      if (id !== loadId || disposed) return;
      clear(status).append(message("error", errorText(error)));
    }
  }

  function draw(uPlot, win, cfg, lines, bars, costs = []) {
    if (group) group.destroy();
    clear(charts);
    clear(status);
    if (!lines.xs.length && !bars.length) status.append(message("info", t("no_data")));
    const from = Math.floor(win.start.getTime() / 1000);
    const to = Math.floor(win.end.getTime() / 1000);
    group = new ChartGroup(uPlot, from, to, locale(), (zoomed) => { charts.dataset.zoom = zoomed ? "in" : "out"; });
    charts.dataset.zoom = "out";
    const c = colors();
    const s = live.status || {};  // the limits the server sends; none drawn until it has
    const vmin = s.voltage_min_v;
    const vmax = s.voltage_max_v;
    const fuse = s.fuse_a;
    const card = (name, title) => {
      const box = h("div.chart");
      charts.append(h(`section.card.chart-card.chart-${name}`, { "data-chart": name }, h("h2", title), box));
      return box;
    };
    const band = (key) => (lines.band ? [lines.min[key], lines.max[key]] : undefined);
    const partial = bars.map((r) => r.partial === true);
    group.add(card("power", t("chart_power")), {
      xs: lines.xs, unit: "W", zero: true,
      series: [
        { label: t("import"), color: c.import, values: lines.avg.power_import_w, band: band("power_import_w") },
        { label: t("export"), color: c.export, values: lines.avg.power_export_w, band: band("power_export_w") },
      ],
    });
    const energyBox = card("energy", t("chart_energy", { step: t(`step_${cfg.bars}`) }));
    if (partial.some(Boolean)) {
      energyBox.after(h("p.chart-note.small.muted#partial-note", h("span.swatch-open", { "aria-hidden": "true" }),
        t("partial_note", { period: t(`period_${cfg.bars}`) })));
    }
    group.add(energyBox, {
      xs: bars.map((r) => r.t), period: STEP_S[cfg.bars], unit: "kWh", digits: 3, partial,
      series: [
        { label: t("import"), color: c.import, bars: -1, values: bars.map((r) => (r.energy_import_wh == null ? null : r.energy_import_wh / 1000)) },
        { label: t("export"), color: c.export, bars: 1, values: bars.map((r) => (r.energy_export_wh == null ? null : r.energy_export_wh / 1000)) },
      ],
    });
    if (costs.some((r) => r.total_eur !== null)) {  // what each bar's energy cost (VAT included)
      const money = (r, key) => (r[key] === null ? null : Number(r[key]));  // for the bars only
      group.add(card("cost", t("chart_cost", { step: t(`step_${cfg.bars}`) })), {
        xs: costs.map((r) => Date.parse(r.start) / 1000), period: STEP_S[cfg.bars], unit: "€", digits: 2,
        series: [
          { label: t("cost_bought"), color: c.import, bars: -1, values: costs.map((r) => money(r, "total_eur")) },
          { label: t("cost_sold"), color: c.export, bars: 1, values: costs.map((r) => money(r, "export_eur")) },
        ],
      });
      charts.dataset.costBars = String(costs.length);
    }
    const phase = (kind) => [1, 2, 3].map((n) => ({
      label: `L${n}`, color: c[`l${n}`], values: lines.avg[`${kind}_l${n}_${kind === "voltage" ? "v" : "a"}`],
      band: band(`${kind}_l${n}_${kind === "voltage" ? "v" : "a"}`),
    }));
    group.add(card("voltage", t("chart_voltage")), {
      xs: lines.xs, unit: "V", digits: 1, series: phase("voltage"),
      limits: [vmin, vmax].filter((v) => v != null).map((v) => ({ value: v, color: c.bad, label: `${v} V` })),
    });
    group.add(card("current", t("chart_current")), {
      xs: lines.xs, unit: "A", digits: 1, zero: true, series: phase("current"),
      limits: fuse == null ? [] : [{ value: fuse, color: c.bad, label: t("fuse", { a: fuse }) }],
    });
    charts.dataset.points = String(lines.xs.length);
    charts.dataset.bars = String(bars.length);
    charts.dataset.partial = String(partial.filter(Boolean).length);
    charts.dataset.loaded = range;
  }

  load();
  const media = matchMedia("(prefers-color-scheme: dark)");
  const recolor = () => load();
  media.addEventListener("change", recolor);
  return () => { disposed = true; media.removeEventListener("change", recolor); if (group) group.destroy(); };
}

function seriesLines(rows) {
  const out = { xs: [], avg: {}, min: {}, max: {}, band: true };
  for (const f of LINE_FIELDS) { out.avg[f] = []; out.min[f] = []; out.max[f] = []; }
  let prev = null;
  const step = rows.length > 1 ? Math.min(...rows.slice(1).map((r, i) => r.t - rows[i].t)) : 0;
  for (const row of rows) {
    if (prev !== null && step && row.t - prev > step * 1.5) gapPoint(out, prev + step);
    out.xs.push(row.t);
    for (const f of LINE_FIELDS) {
      const st = row.stats && row.stats[f];
      out.avg[f].push(st ? st.avg : null);
      out.min[f].push(st ? st.min : null);
      out.max[f].push(st ? st.max : null);
    }
    prev = row.t;
  }
  return out;
}

function gapPoint(out, x) {
  out.xs.push(x);
  for (const f of LINE_FIELDS) { out.avg[f].push(null); out.min[f].push(null); out.max[f].push(null); }
}

function rawLines(readings) {
  const out = { xs: [], avg: {}, min: {}, max: {}, band: false };
  for (const f of LINE_FIELDS) out.avg[f] = [];
  let prev = null;
  for (const r of readings) {
    const x = Date.parse(r.meter_time || r.received_at) / 1000;
    if (!Number.isFinite(x)) continue;
    if (prev !== null && x - prev > 60) { out.xs.push(prev + 30); for (const f of LINE_FIELDS) out.avg[f].push(null); }
    out.xs.push(x);
    for (const f of LINE_FIELDS) out.avg[f].push(r[f] ?? null);
    prev = x;
  }
  return out;
}
