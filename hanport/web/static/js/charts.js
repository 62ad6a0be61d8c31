// uPlot charts for the history page: lines with min–max bands, grouped bars, limit lines,
// synchronised cursor and zoom. uPlot (bundled in /static/vendor) is loaded on first use.

import { t } from "./i18n.js";

let loading = null;

export function loadUPlot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = "/static/vendor/uPlot.min.css";
    document.head.append(style);
    loading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/static/vendor/uPlot.iife.min.js";
      script.onload = () => resolve(window.uPlot);
      script.onerror = () => { loading = null; reject(new Error("uPlot could not be loaded")); };
      document.head.append(script);
    });
  }
  return loading;
}

export function colors() {
  const css = getComputedStyle(document.documentElement);
  const v = (name) => css.getPropertyValue(name).trim();
  return {
    text: v("--text"), muted: v("--muted"), line: v("--line"), import: v("--import"), export: v("--export"),
    l1: v("--l1"), l2: v("--l2"), l3: v("--l3"), warn: v("--warn"), bad: v("--bad"),
  };
}

/** A diagonally hatched fill of `color`, for the bar of a period that is still open. */
export function hatch(color) {
  const n = Math.round(8 * (devicePixelRatio || 1));
  const tile = document.createElement("canvas");
  tile.width = n;
  tile.height = n;
  const c = tile.getContext("2d");
  c.fillStyle = alpha(color, 0.22);
  c.fillRect(0, 0, n, n);
  c.strokeStyle = alpha(color, 0.9);
  c.lineWidth = Math.max(1, n / 5);
  c.beginPath();
  for (const k of [-1, 0, 1]) { c.moveTo(k * n, n); c.lineTo(k * n + n, 0); }
  c.stroke();
  return c.createPattern(tile, "repeat");
}

export function alpha(color, a) {
  // "#rrggbb" → rgba(); anything else is returned unchanged.
  const m = /^#([0-9a-f]{6})$/i.exec(color);
  if (!m) return color;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
}

/**
 * A group of charts sharing one x window [from, to] (Unix seconds): drag-select zooms all,
 * double-click zooms out to the window.
 */
export class ChartGroup {
  constructor(uPlot, from, to, locale, onZoom = () => {}) {
    this.onZoom = onZoom;
    this.uPlot = uPlot;
    this.from = from;
    this.to = to;
    this.locale = locale;
    this.charts = [];
    this.syncing = false;
    this.key = `hp-${Math.random().toString(36).slice(2)}`;
    this.observer = new ResizeObserver((entries) => {
      for (const entry of entries) {
        const chart = this.charts.find((c) => c.root.parentElement === entry.target);
        if (chart) chart.setSize(this.size(entry.target));
      }
    });
  }

  size(el) {
    const width = Math.max(200, Math.floor(el.clientWidth));
    return { width, height: width < 500 ? 220 : 260 };
  }

  /**
   * series: [{label, color, values, band?: [minValues, maxValues], bars?: -1|1, width?, dash?}]
   * period: for bars, the length in seconds of the period each x value starts.
   * partial: for bars, true at each x whose period is still open (drawn hatched, "so far").
   * limits: [{value, color, label}] horizontal lines.
   */
  add(container, { xs, series, limits = [], unit = "", digits = 0, zero = false, period = 3600, partial = [] }) {
    const uPlot = this.uPlot;
    const data = [xs];
    const loc = this.locale;
    const when = (v) => new Date(v * 1000).toLocaleString(loc, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
    const opts = [{ label: t("time"), value: (u, v, si, i) => (v == null ? "–" : partial[i] ? `${when(v)} (${t("so_far")})` : when(v)) }];
    const bands = [];
    const hide = [];
    const fmt = (value) => (value == null ? "–" : `${Number(value).toLocaleString(this.locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })} ${unit}`.trim());
    for (const s of series) {
      const index = data.length;
      data.push(s.values);
      // A line of one or two points (a new install's first quarter) shows them as dots.
      const dots = s.values.filter((v) => v != null).length <= 2;
      const entry = { label: s.label, stroke: s.color, width: s.width ?? 1.6, value: (u, v) => fmt(v), spanGaps: false, points: { show: dots, size: 7, fill: s.color } };
      if (s.dash) entry.dash = s.dash;
      if (s.bars) {
        const solid = alpha(s.color, 0.75);
        const open = partial.some(Boolean) ? hatch(s.color) : solid;
        entry.fill = solid;
        entry.width = 0;
        // Each bar covers its share of its period: import in the first half, export in the
        // second (positions in time units, so a lone bar is as wide as in a full chart).
        const offset = s.bars < 0 ? 0.06 : 0.5;
        entry.paths = uPlot.paths.bars({ disp: {
          x0: { unit: 1, values: (u) => u.data[0].map((x) => x + offset * period) },
          size: { unit: 1, values: () => [0.44 * period] },
          fill: { unit: 3, values: (u) => u.data[0].map((x, i) => (partial[i] ? open : solid)) },
        } });
        entry.points = { show: false };
      }
      opts.push(entry);
      if (s.band) {
        const lo = data.length;
        data.push(s.band[0]);
        opts.push({ label: `${s.label} min`, stroke: "transparent", width: 0, value: (u, v) => fmt(v), points: { show: false } });
        const hi = data.length;
        data.push(s.band[1]);
        opts.push({ label: `${s.label} max`, stroke: "transparent", width: 0, value: (u, v) => fmt(v), points: { show: false } });
        bands.push({ series: [hi, lo], fill: alpha(s.color, 0.16) });
        hide.push(lo, hi);
        void index;
      }
    }
    const c = colors();
    const font = axisFont();
    const axis = { font, stroke: c.muted, grid: { stroke: alpha(c.line, 0.9) || c.line, width: 1 }, ticks: { stroke: c.line, width: 1 } };
    const group = this;
    const options = {
      ...this.size(container),
      series: opts,
      bands,
      scales: {
        x: { time: true, range: (u, min, max) => (min == null || min === max ? [group.from, group.to] : [min, max]) },
        y: { range: (u, min, max) => {
          let lo = min, hi = max;
          for (const l of limits) { lo = Math.min(lo ?? l.value, l.value); hi = Math.max(hi ?? l.value, l.value); }
          if (lo == null || hi == null) return [0, 1];
          if (zero || series.some((s) => s.bars)) lo = Math.min(0, lo);
          const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
          return [lo === 0 ? 0 : lo - pad, hi + pad];
        } },
      },
      axes: [
        { ...axis, space: 64, size: 48, values: inside(timeValues(loc), font) },
        { ...axis, size: 56, values: (u, ticks) => ticks.map((v) => Number(v).toLocaleString(this.locale, { maximumFractionDigits: 2 })) },
      ],
      legend: { live: true },
      cursor: {
        sync: { key: this.key },
        drag: { x: true, y: false, setScale: true },
        bind: {
          dblclick: () => () => { group.resetZoom(); return null; },
        },
      },
      hooks: {
        setScale: [(u, key) => {
          if (key !== "x" || group.syncing) return;
          group.syncing = true;
          const { min, max } = u.scales.x;
          for (const other of group.charts) if (other !== u) other.setScale("x", { min, max });
          group.syncing = false;
          group.onZoom(min > group.from + 1 || max < group.to - 1);
        }],
        draw: [(u) => {
          const ctx = u.ctx;
          for (const l of limits) {
            const y = Math.round(u.valToPos(l.value, "y", true));
            if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) continue;
            ctx.save();
            ctx.strokeStyle = l.color;
            ctx.setLineDash([6, 4]);
            ctx.lineWidth = 1.5 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            ctx.fillStyle = l.color;
            ctx.textAlign = "left";
            ctx.textBaseline = "bottom";
            ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
            ctx.fillText(l.label, u.bbox.left + 4 * devicePixelRatio, y - 3 * devicePixelRatio);
            ctx.restore();
          }
          container.dataset.xLabels = JSON.stringify(labelBoxes(u, font));
        }],
      },
    };
    const chart = new uPlot(options, data, container);
    this.syncing = true;
    chart.setScale("x", { min: this.from, max: this.to }); // the whole window, not just the data
    this.syncing = false;
    chart.root.classList.add("chart-root");
    const rows = chart.root.querySelectorAll(".u-legend .u-series");
    for (const i of hide) if (rows[i]) rows[i].classList.add("band-hidden");
    this.charts.push(chart);
    this.observer.observe(container);
    return chart;
  }

  resetZoom() {
    this.syncing = true;
    for (const chart of this.charts) chart.setScale("x", { min: this.from, max: this.to });
    this.syncing = false;
    this.onZoom(false);
  }

  destroy() {
    this.observer.disconnect();
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
  }
}

function axisFont() {
  return `12px ${getComputedStyle(document.body).fontFamily || "system-ui, sans-serif"}`;
}

let measurer = null;
function textWidth(text, font) {
  if (!measurer) measurer = document.createElement("canvas").getContext("2d");
  measurer.font = font;
  return Math.max(0, ...String(text).split("\n").map((line) => measurer.measureText(line).width));
}

/** Where each x tick label is drawn, in CSS px across the chart: [{text, left, right}]. */
function labelBoxes(u, font) {
  const axis = u.axes[0];
  const plotLeft = u.bbox.left / devicePixelRatio;
  return (axis._splits || []).map((x, i) => {
    const text = axis._values ? axis._values[i] : "";
    const middle = plotLeft + u.valToPos(x, "x");
    const half = textWidth(text, font) / 2;
    return { text, left: middle - half, right: middle + half, width: u.width };
  }).filter((box) => box.text);
}

/** Tick labels that would be cut at the chart's edges (the window's end, on a phone) are left
 * out: the window's label above the charts names the period already. */
function inside(values, font) {
  return (u, splits, ...rest) => {
    const texts = values(u, splits, ...rest);
    const plotLeft = u.bbox.left / devicePixelRatio;
    return texts.map((text, i) => {
      const middle = plotLeft + u.valToPos(splits[i], "x");
      const half = textWidth(text, font) / 2;
      return middle - half < 0 || middle + half > u.width ? "" : text;
    });
  };
}

/** Tick labels in the page's language and 24-hour time; the date is added at midnight. */
function timeValues(loc) {
  return (u, splits, axisIdx, space, incr) => splits.map((s, i) => {
    const d = new Date(s * 1000);
    if (incr < 86400) {
      const time = d.toLocaleTimeString(loc, { hour: "2-digit", minute: "2-digit" });
      const midnight = d.getHours() === 0 && d.getMinutes() === 0;
      return i === 0 || midnight ? `${time}\n${d.toLocaleDateString(loc, { day: "numeric", month: "short" })}` : time;
    }
    if (incr < 28 * 86400) return d.toLocaleDateString(loc, { day: "numeric", month: "short" });
    if (incr < 365 * 86400) {
      return i === 0 || d.getMonth() === 0
        ? d.toLocaleDateString(loc, { month: "short", year: "numeric" })
        : d.toLocaleDateString(loc, { month: "short" });
    }
    return String(d.getFullYear());
  });
}
