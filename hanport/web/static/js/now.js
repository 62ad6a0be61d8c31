// "Now": the live power figure and gauge, per-phase power/voltage/current against the main
// fuse and the voltage band, the energy registers and the age of the last telegram.

import { h, qty, setQty } from "./dom.js";
import { t, num, age } from "./i18n.js";
import { live, subscribe, ageNow, isStale, retryIn } from "./live.js";

const PHASES = [1, 2, 3];

export function fmtPower(w) {
  if (w === null || w === undefined) return { value: "–", unit: "W" };
  return Math.abs(w) >= 1000 ? { value: num(w / 1000, 2), unit: "kW" } : { value: num(w, 0), unit: "W" };
}

function svg(tag, attrs) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function gauge() {
  const root = svg("svg", { viewBox: "0 0 200 112", class: "gauge", role: "img" });
  const arc = "M 20 100 A 80 80 0 0 1 180 100";
  root.append(svg("path", { d: arc, class: "gauge-track", pathLength: "100" }));
  const fill = svg("path", { d: arc, class: "gauge-fill", pathLength: "100", "stroke-dasharray": "0 100" });
  root.append(fill);
  return { root, set(fraction, exporting) {
    const p = Math.max(0, Math.min(1, fraction)) * 100;
    fill.setAttribute("stroke-dasharray", `${p.toFixed(2)} 100`);
    fill.setAttribute("class", exporting ? "gauge-fill export" : "gauge-fill");
  } };
}

/** "4 215,361", "kWh": energy registers (Wh) are shown in kWh with 3 decimals. */
export function kwh(wh) {
  return wh == null ? ["–", ""] : [num(wh / 1000, 3), "kWh"];
}

/** "reconnecting, next try in 8 s" (the countdown when the server gives one), or "". */
export function connectionText(s) {
  if (!s || !s.status) return "";
  const text = t(`st_${s.status}`);
  const wait = s.status === "reconnecting" ? retryIn() : null;
  return wait === null ? text : `${text}, ${t("retry_in", { s: Math.ceil(wait) })}`;
}

/** "Meter connection: reconnecting, next try in 8 s" */
export function meterStatusText(s) {
  const text = connectionText(s);
  return text ? t("meter_status", { status: text }) : "";
}

export function render(root) {
  const figure = h("span.figure-value", { id: "power-now" }, "–");
  const figureUnit = h("span.figure-unit", "W");
  const direction = h("p.direction", t("power"));
  const g = gauge();
  const capacityNote = h("p.muted.small.capacity");
  const imp = h("strong#power-import", qty("–", ""));
  const exp = h("strong#power-export", qty("–", ""));
  const ageText = h("span#age", t("last_reading_none"));
  const meterStatus = h("span.small.muted.meter-status");

  const hero = h("section.card.hero", { "aria-live": "off" },
    direction,
    h("div.hero-main",
      h("div.gauge-wrap", g.root, h("p.figure", figure, " ", figureUnit))),
    capacityNote,
    h("div.split",
      h("div.split-item.import", h("span.label", t("import")), imp),
      h("div.split-item.export", h("span.label", t("export")), exp)),
    h("p.age", h("span.pulse", { "aria-hidden": "true" }), ageText, " ", meterStatus));

  const rows = new Map();
  const phaseList = h("div.phases");
  for (const n of PHASES) {
    const w = h("strong.ph-w", qty("–", ""));
    const v = h("span.ph-v", qty("–", ""));
    const a = h("span.ph-a", qty("–", ""));
    const vMark = h("span.band-mark");
    const aFill = h("span.bar-fill");
    const row = h("div.phase-row", { "data-phase": `L${n}` },
      h("div.ph-head", h("span.ph-name", `L${n}`), w),
      h("div.ph-metric",
        h("span.label", t("voltage")), v,
        h("span.band", { title: "" }, h("span.band-ok"), vMark)),
      h("div.ph-metric",
        h("span.label", t("current")), a,
        h("span.bar", h("span.bar-fill-wrap", aFill))));
    rows.set(n, { row, w, v, a, vMark, aFill });
    phaseList.append(row);
  }
  const fuseNote = h("p.small.muted");
  const phasesCard = h("section.card", h("h2", t("phases")), fuseNote, phaseList);

  const eImp = h("strong#energy-import", qty("–", ""));
  const eExp = h("strong#energy-export", qty("–", ""));
  const energyCard = h("section.card.energy",
    h("h2", t("energy")),
    h("div.split",
      h("div.split-item.import", h("span.label", t("energy_import_total")), eImp),
      h("div.split-item.export", h("span.label", t("energy_export_total")), eExp)));

  const empty = h("p.msg.info#no-reading", t("no_reading"));
  root.append(h("div.now-grid", hero, phasesCard, energyCard), empty);

  // The site's limits and the server's verdicts on the reading (load percents, fuse and
  // voltage): this page only draws them.
  function site() {
    const s = live.status || {};
    return { fuse: s.fuse_a, vmin: s.voltage_min_v, vmax: s.voltage_max_v, capacity: s.capacity_w };
  }

  function verdicts() {
    return live.grid || (live.status && live.status.grid) || { phases: [] };
  }

  function update() {
    const r = live.reading;
    const { fuse, vmin, vmax, capacity } = site();
    const grid = verdicts();
    fuseNote.hidden = fuse == null;
    fuseNote.textContent = `${t("fuse", { a: fuse })} · ${t("voltage_band", { min: vmin, max: vmax })}`;
    empty.hidden = Boolean(r);
    if (!r) return;
    const pi = r.power_import_w ?? null;
    const pe = r.power_export_w ?? null;
    const net = (pi ?? 0) - (pe ?? 0);
    const exporting = net < 0;
    const shown = fmtPower(Math.abs(net));
    figure.textContent = shown.value;
    figure.dataset.w = String(net);
    figureUnit.textContent = shown.unit;
    direction.textContent = exporting ? t("exporting") : t("importing");
    hero.classList.toggle("exporting", exporting);
    const load = grid.load_percent;
    g.set(load == null ? 0 : load / 100, exporting);
    capacityNote.hidden = load == null || capacity == null;
    if (!capacityNote.hidden) capacityNote.textContent = t("of_capacity", { pct: num(load, 0), max: `${num(capacity / 1000, 1)} kW` });
    const fi = fmtPower(pi); setQty(imp, fi.value, fi.unit);
    const fe = fmtPower(pe); setQty(exp, fe.value, fe.unit);
    setQty(eImp, ...kwh(r.energy_import_wh));
    setQty(eExp, ...kwh(r.energy_export_wh));
    for (const n of PHASES) {
      const el = rows.get(n);
      const pw = (r[`power_import_l${n}_w`] ?? 0) - (r[`power_export_l${n}_w`] ?? 0);
      const hasPower = r[`power_import_l${n}_w`] != null || r[`power_export_l${n}_w`] != null;
      const fp = fmtPower(pw);
      setQty(el.w, hasPower ? fp.value : "–", hasPower ? fp.unit : "");
      el.w.classList.toggle("neg", pw < 0);
      const volts = r[`voltage_l${n}_v`];
      const amps = r[`current_l${n}_a`];
      setQty(el.v, volts == null ? "–" : num(volts, 1), volts == null ? "" : "V");
      setQty(el.a, amps == null ? "–" : num(amps, 1), amps == null ? "" : "A");
      const verdict = grid.phases.find((p) => p.phase === n) || {};
      const band = vmin != null && vmax != null;
      const lo = band ? vmin - 12 : 0, hi = band ? vmax + 12 : 1;
      const vpos = volts == null || !band ? 50 : ((volts - lo) / (hi - lo)) * 100;
      el.vMark.style.left = `${Math.max(0, Math.min(100, vpos)).toFixed(1)}%`;
      const badV = verdict.voltage != null && verdict.voltage !== "ok";
      el.v.classList.toggle("bad", badV);
      el.v.title = badV ? t("out_of_band") : "";
      el.aFill.style.width = `${Math.min(100, verdict.load_percent ?? 0)}%`;
      el.aFill.classList.toggle("warn", verdict.fuse === "near");
      el.aFill.classList.toggle("bad", verdict.fuse === "over");
      el.a.classList.toggle("bad", verdict.fuse === "near" || verdict.fuse === "over");
      el.a.title = verdict.fuse && verdict.fuse !== "ok" ? t("over_fuse") : "";
    }
  }

  function tick() {
    const a = ageNow();
    ageText.textContent = a === null ? t("last_reading_none") : t("last_reading", { age: age(a) });
    hero.classList.toggle("stale", isStale());
    meterStatus.textContent = meterStatusText(live.status);
  }

  update();
  tick();
  const unsubscribe = subscribe((kind) => { if (kind !== "connection") update(); tick(); });
  const timer = setInterval(tick, 1000);
  let stopCosts = null;  // the money card (costs_now.js), loaded after the live figures
  let gone = false;
  import("./costs_now.js").then((m) => { if (!gone) stopCosts = m.mount(root); });
  return () => { gone = true; unsubscribe(); clearInterval(timer); if (stopCosts) stopCosts(); };
}
