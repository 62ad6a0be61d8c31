// EV charging: the fail-safe state, each charger's limit per phase and why (the server's
// sentence, in the app's language), session energy and cost, each phase's room, the limits
// sent and why; the mode and departure time for administrators. Refreshed every 5 s.

import { api, ApiError, errorText, url } from "./api.js";
import { h, clear, message, qty } from "./dom.js";
import { t, dateTime } from "./i18n.js";

const MODES = ["guard", "surplus", "cheapest", "fixed"];
const EVERY_MS = 5000;

export function render(root, ctx) {
  const admin = Boolean(ctx.session && ctx.session.admin);
  const head = h("div#ev-state");
  const chargers = h("div#ev-chargers.stack");
  const phases = h("div#ev-phases");
  const controls = h("div#ev-controls");
  const history = h("div#ev-history");
  root.append(h("div.stack",
    h("section.card", h("h1", t("ev_title")), head),
    chargers,
    h("section.card", h("h2", t("ev_phases")), phases),
    h("section.card", h("h2", t("ev_mode")), controls),
    h("section.card", h("h2", t("ev_history")), history)));
  let drawnControls = false;

  async function refresh() {
    let state;
    try {
      state = await api("/api/v1/ev");
    } catch (error) {
      const off = error instanceof ApiError && error.status === 404;
      clear(head).append(message(off ? "info" : "error", errorText(error)));
      return;
    }
    drawHead(head, state);
    drawChargers(chargers, state);
    drawPhases(phases, state);
    if (!drawnControls) { drawControls(controls, state, admin, refresh); drawnControls = true; }
    try {
      drawHistory(history, await api(url("/api/v1/ev/limits")));
    } catch (error) {
      clear(history).append(message("error", errorText(error)));
    }
  }

  refresh();
  const timer = setInterval(refresh, EVERY_MS);
  return () => clearInterval(timer);
}

function drawHead(box, state) {
  clear(box);
  const f = state.failsafe || {};
  if (f.active) {
    box.append(h("p.msg.error#ev-failsafe", { role: "alert" }, t("ev_failsafe_on", { a: f.limit_a })));
  } else {
    box.append(h("p.msg.ok#ev-failsafe", { role: "status" }, t("ev_failsafe_off")));
  }
  box.append(h("p.muted#ev-mode-now", t("ev_mode_now", {
    mode: t(`ev_mode_${state.mode}`), departure: state.departure,
    fuse: state.site.fuse_a, margin: state.site.margin_a,
  })));
}

function drawChargers(box, state) {
  clear(box);
  if (!state.chargers.length) {
    box.append(h("section.card", message("info", t("ev_no_charger"))));
    return;
  }
  for (const c of state.chargers) {
    const limit = c.limit_a === null ? "–" : t("ev_limit_value", { a: c.limit_a, n: c.phases || "?" });
    const rows = [
      [t("ev_limit"), h("strong.ev-limit", limit)],
      [t("ev_why"), h("span.ev-reason", c.reason ? c.reason.text : "–")],
      [t("ev_vehicle"), t(`ev_vehicle_${c.vehicle}`)],
      [t("ev_power"), c.power_w === null ? "–" : qty(c.power_w, "W")],
      [t("ev_session"), c.session_wh === null ? "–" : qty((Number(c.session_wh) / 1000).toFixed(2), "kWh")],
      [t("ev_cost"), c.session_eur === null ? t("ev_cost_unknown") : qty(Number(c.session_eur).toFixed(2), "€")],
    ];
    box.append(h("section.card.ev-charger", { "data-charger": c.id },
      h("h2", c.id, " ", h("span.muted.small", c.online ? c.kind : t("ev_offline"))),
      h("dl.ev-facts", rows.map(([k, v]) => [h("dt", k), h("dd", v)]))));
  }
}

function drawPhases(box, state) {
  clear(box);
  if (!state.phases.length) { box.append(message("info", t("no_reading"))); return; }
  const body = h("tbody");
  for (const p of state.phases) {
    body.append(h("tr", h("td", `L${p.phase}`), h("td.num", p.current_a ?? "–"),
      h("td.num", p.house_a ?? "–"), h("td.num", p.room_a ?? "–")));
  }
  box.append(h("div.table-wrap", h("table#ev-phase-table",
    h("thead", h("tr", h("th", ""), h("th", t("ev_measured")), h("th", t("ev_house")), h("th", t("ev_room")))),
    body)));
}

function drawControls(box, state, admin, refresh) {
  clear(box);
  if (!admin) { box.append(message("info", t("ev_admin_only"))); return; }
  const mode = h("select#ev-mode", { name: "mode" },
    MODES.map((m) => h("option", { value: m, selected: m === state.mode }, t(`ev_mode_${m}`))));
  const departure = h("input#ev-departure", { name: "departure", type: "time", value: state.departure });
  const status = h("div.form-status");
  const button = h("button.primary", { type: "submit" }, t("ev_save"));
  box.append(h("form#ev-form", { onsubmit: async (event) => {
    event.preventDefault();
    clear(status);
    button.disabled = true;
    try {
      await api("/api/v1/ev/mode", { method: "POST", body: { mode: mode.value, departure: departure.value } });
      status.append(message("ok", t("ev_saved")));
      refresh();
    } catch (error) {
      status.append(message("error", errorText(error)));
    } finally {
      button.disabled = false;
    }
  } },
  h("label", { for: "ev-mode" }, t("ev_mode")), mode,
  h("label", { for: "ev-departure" }, t("ev_departure")), departure,
  h("div.actions", button), status));
}

function drawHistory(box, data) {
  clear(box);
  const limits = data.limits.slice(-20).reverse();
  if (!limits.length) { box.append(message("info", t("ev_history_none"))); return; }
  const body = h("tbody");
  for (const r of limits) {
    body.append(h("tr", h("td.small", dateTime(r.at)), h("td", r.charger),
      h("td.num", t("ev_limit_value", { a: r.limit_a, n: r.phases })), h("td.small", r.reason.text)));
  }
  box.append(h("div.table-wrap", h("table#ev-limits",
    h("thead", h("tr", h("th", t("ev_when")), h("th", t("ev_charger")), h("th", t("ev_limit")), h("th", t("ev_why")))),
    body)));
}
