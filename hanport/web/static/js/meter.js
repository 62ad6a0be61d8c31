// Meter: identity, connection status and every register of the latest reading, labelled from
// /api/v1/fields, plus the registers hanport has no field for (by OBIS code).

import { api, fields } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t, num, dateTime, getLang } from "./i18n.js";
import { live, subscribe } from "./live.js";

const SKIP = new Set(["extra"]);

function show(value, field) {
  if (value === null || value === undefined) return "–";
  if (field && field.device_class === "timestamp") return dateTime(value);
  if (typeof value === "number") {
    const text = String(value);
    const digits = text.includes(".") ? text.split(".")[1].length : 0;
    return num(value, digits);
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export function render(root) {
  const info = h("section.card");
  const regs = h("section.card");
  const extra = h("section.card");
  const status = h("div");
  root.append(h("h1", t("meter_title")), status, h("div.stack", info, regs, extra));
  let byName = null;
  let meters = [];

  function drawInfo() {
    const r = live.reading || {};
    const s = live.status || {};
    const m = meters.find((x) => x.id === (live.meter || s.meter)) || meters[0] || {};
    const rows = [
      [t("meter_id"), r.meter_id || m.id || s.meter],
      [t("meter_model"), r.meter_model || m.model],
      [t("data_format"), s.format ? String(s.format).toUpperCase() : null],
      [t("source"), s.source],
      [t("status"), s.status ? t(`st_${s.status}`) : null],
      [t("readings_count"), s.readings == null ? null : num(s.readings)],
      [t("rejected"), s.rejected == null ? null : num(s.rejected)],
      [t("reconnects"), s.reconnects == null ? null : num(s.reconnects)],
      [t("first_reading"), m.first_reading ? dateTime(m.first_reading) : null],
      [t("last_error"), s.last_error],
      [t("version"), s.version],
    ];
    clear(info).append(h("dl.kv#meter-info", rows.filter(([, v]) => v !== null && v !== undefined && v !== "")
      .flatMap(([k, v]) => [h("dt", k), h("dd", String(v))])));
  }

  function drawRegisters() {
    const r = live.reading;
    if (!r || !byName) {
      clear(regs).append(h("h2", t("registers")), message("info", r ? t("loading") : t("no_reading")));
      clear(extra);
      return;
    }
    const lang = getLang();
    const body = h("tbody");
    const names = [...byName.keys()].filter((n) => n in r && !SKIP.has(n));
    for (const n of Object.keys(r)) if (!byName.has(n) && !SKIP.has(n)) names.push(n);
    for (const name of names) {
      const f = byName.get(name);
      body.append(h("tr", { "data-field": name },
        h("td", h("span.reg-label", f ? (f.label[lang] || f.label.en) : name),
          h("span.reg-obis", f && f.obis.length ? `${f.obis[0]} · ${name}` : name)),
        h("td.num", show(r[name], f)),
        h("td", (f && f.unit) || "")));
    }
    clear(regs).append(h("h2", t("registers")), h("div.table-wrap", h("table#registers",
      h("thead", h("tr", h("th", t("register")), h("th.num", t("value")), h("th", t("unit")))), body)));
    const others = Object.entries(r.extra || {});
    clear(extra);
    if (others.length) {
      const eb = h("tbody");
      for (const [code, reg] of others) {
        const item = reg && typeof reg === "object" ? reg : { value: reg };
        eb.append(h("tr", { "data-obis": code },
          h("td.code", code), h("td.num", show(item.value)), h("td", item.unit || ""), h("td.small", item.time ? dateTime(item.time) : "")));
      }
      extra.append(h("h2", t("other_registers")), h("div.table-wrap", h("table#extra-registers",
        h("thead", h("tr", h("th", t("obis")), h("th", t("value")), h("th", t("unit")), h("th", t("received")))), eb)));
    } else {
      extra.hidden = true;
    }
    if (others.length) extra.hidden = false;
  }

  Promise.all([fields(), api("/api/v1/meters").then((d) => d.meters).catch(() => [])]).then(([f, m]) => {
    byName = f;
    meters = m;
    drawInfo();
    drawRegisters();
  }).catch((error) => { clear(status).append(message("error", t("error_generic", { msg: error.message }))); });

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
  return unsubscribe;
}
