// Meter: identity, connection status and every register of the latest reading, labelled from
// /api/v1/fields, plus the registers hanport has no field for (by OBIS code). Values and units
// share one unbreakable span, energy in kWh: every value fits a 360 px phone.

import { api, errorText, fields } from "./api.js";
import { h, clear, message, qty } from "./dom.js";
import { t, num, dateTime, getLang } from "./i18n.js";
import { live, subscribe } from "./live.js";
import { connectionText } from "./now.js";

const SKIP = new Set(["extra", "verified"]);
const THOUSANDS = { Wh: "kWh", varh: "kvarh" }; // registers counted in Wh are shown in kWh

/** [value text, unit] of a register. */
function shown(value, unit, field) {
  if (value === null || value === undefined) return ["–", ""];
  if (field && field.device_class === "timestamp") return [dateTime(value), ""];
  if (typeof value === "number" && unit in THOUSANDS) return [num(value / 1000, 3), THOUSANDS[unit]];
  if (typeof value === "number") {
    const text = String(value);
    return [num(value, text.includes(".") ? text.split(".")[1].length : 0), unit || ""];
  }
  if (typeof value === "object") return [JSON.stringify(value), unit || ""];
  return [String(value), unit || ""];
}

function valueCell(value, unit, field) {
  const [text, u] = shown(value, unit, field);
  return h("td.val", u ? qty(text, u) : h("span.text", text));
}

/** The info card's rows: [label, value, kind?]; kind "warn" marks a problem. */
function infoRows(reading, status, meter) {
  const r = reading || {};
  const s = status || {};
  const failing = s.last_rejection && (s.rejected_since_reading == null || s.rejected_since_reading > 0);
  const rows = [
    [t("meter_id"), r.meter_id || meter.id || s.meter],
    [t("meter_model"), r.meter_model || meter.model],
    [t("data_format"), s.format ? String(s.format).toUpperCase() : null],
    [t("source"), s.source],
    [t("status"), connectionText(s) || null],
    [t("readings_count"), s.readings == null ? null : num(s.readings)],
    [t("rejected"), s.rejected == null ? null : num(s.rejected)],
    [t("rejected_since"), s.rejected_since_reading > 0 ? num(s.rejected_since_reading) : null, "warn"],
    [t("last_rejection"), failing ? s.last_rejection : null, "warn"],
    [t("authentication"), s.unauthenticated ? t("not_authenticated", { title: s.unauthenticated }) : null, "warn"],
    [t("checksum"), s.unverified === true || r.verified === false ? t("unverified_note") : null, "warn"],
  ];
  const scales = s.energy_scales && typeof s.energy_scales === "object" ? Object.entries(s.energy_scales) : [];
  for (const [id, n] of scales) {
    if (typeof n !== "number") continue;
    const label = scales.length === 1 ? t("energy_scale") : t("energy_scale_of", { meter: id || "–" });
    rows.push([label, t("energy_scale_value", { n }), n === 1 ? null : "note"]);
  }
  rows.push(
    [t("reconnects"), s.reconnects == null ? null : num(s.reconnects)],
    [t("first_reading"), meter.first_reading ? dateTime(meter.first_reading) : null],
    [t("last_error"), s.last_error, "warn"],
    [t("version"), s.version],
  );
  return rows.filter(([, v]) => v !== null && v !== undefined && v !== "");
}

export function render(root) {
  const info = h("section.card");
  const regs = h("section.card");
  const extra = h("section.card", { hidden: true });
  const status = h("div");
  root.append(h("h1", t("meter_title")), status, h("div.stack", info, regs, extra));
  let byName = null;
  let meters = [];

  function drawInfo() {
    const s = live.status || {};
    const meter = meters.find((x) => x.id === (live.meter || s.meter)) || meters[0] || {};
    clear(info).append(h("dl.kv#meter-info", infoRows(live.reading, s, meter).flatMap(([k, v, kind]) => [
      h("dt", k), h(kind ? `dd.${kind}` : "dd", { "data-kind": kind || null }, String(v)),
    ])));
  }

  function drawRegisters() {
    const r = live.reading;
    if (!r || !byName) {
      clear(regs).append(h("h2", t("registers")), message("info", r ? t("loading") : t("no_reading")));
      clear(extra).hidden = true;
      return;
    }
    const lang = getLang();
    const body = h("tbody");
    const names = [...byName.keys()].filter((n) => n in r && !SKIP.has(n));
    for (const n of Object.keys(r)) if (!byName.has(n) && !SKIP.has(n)) names.push(n);
    for (const name of names) {
      const f = byName.get(name);
      body.append(h("tr", { "data-field": name },
        h("td.reg", h("span.reg-label", f ? (f.label[lang] || f.label.en) : name),
          h("span.reg-obis", f && f.obis.length ? `${f.obis[0]} · ${name}` : name)),
        valueCell(r[name], f && f.unit, f)));
    }
    clear(regs).append(h("h2", t("registers")), h("table#registers.registers",
      h("thead", h("tr", h("th", t("register")), h("th.val", t("value")))), body));
    const others = Object.entries(r.extra || {});
    clear(extra).hidden = !others.length;
    if (!others.length) return;
    const eb = h("tbody");
    for (const [code, reg] of others) {
      const item = reg && typeof reg === "object" ? reg : { value: reg };
      eb.append(h("tr", { "data-obis": code },
        h("td.reg", h("span.reg-label.code", code), item.time ? h("span.reg-obis", `${t("received")} ${dateTime(item.time)}`) : null),
        valueCell(item.value, item.unit, null)));
    }
    extra.append(h("h2", t("other_registers")), h("table#extra-registers.registers",
      h("thead", h("tr", h("th", t("obis")), h("th.val", t("value")))), eb));
  }

  Promise.all([fields(), api("/api/v1/meters").then((d) => d.meters).catch(() => [])]).then(([f, m]) => {
    byName = f;
    meters = m;
    drawInfo();
    drawRegisters();
  }).catch((error) => { clear(status).append(message("error", errorText(error))); });

  drawInfo();
  drawRegisters();
  let last = 0;
  const unsubscribe = subscribe(() => {
    // A reading every 10 s; redraw at most every 2 s so a fast simulator does not churn.
    const now = performance.now();
    if (now - last < 2000) return;
    last = now;
    drawInfo();
    drawRegisters();
  });
  const timer = setInterval(() => { if (live.status && live.status.status === "reconnecting") drawInfo(); }, 1000);
  return () => { unsubscribe(); clearInterval(timer); };
}
