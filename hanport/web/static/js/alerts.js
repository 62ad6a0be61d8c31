// Alerts: the ones firing now, whether each channel delivers, the history, and (administrators)
// the rules' thresholds and durations. Titles and messages come from the server in the app's
// language (it renders them again from each alert's figures); everything else is in texts.js.

import { api, errorText, url } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t, dateTime, getLang } from "./i18n.js";

const REFRESH_MS = 10000;

export function render(root, ctx) {
  const active = h("section.card#alerts-active", h("h1", t("alerts_title")));
  const channels = h("div#alerts-channels");
  const days = h("select#alerts-days", { "aria-label": t("alerts_period"), onchange: () => history() },
    ...[7, 30, 90, 365].map((n) => h("option", { value: String(n), selected: n === 30 }, t("alerts_days", { n }))));
  const list = h("div#alerts-history");
  const rules = h("section.card#alerts-rules", { hidden: true });
  root.append(h("div.stack",
    active,
    h("section.card", h("div.toolbar", h("h2", t("alerts_history")), days), list),
    rules));

  async function current() {
    try {
      const d = await api("/api/v1/alerts/active");
      clear(active).append(h("h1", t("alerts_title")));
      if (!d.running) active.append(message("info", t("alerts_not_running")));
      if (!d.active.length) active.append(message("ok", t("alerts_none_active")));
      for (const a of d.active) active.append(card(a));
      clear(channels);
      for (const c of d.channels) {
        const said = c.problem ? c.problem[getLang()] || c.problem.en : t("alerts_channel_ok", { n: c.sent });
        channels.append(message(c.ok ? "ok" : "error", `${t(`alerts_channel_${c.channel}`)}: ${said}`));
      }
      if (d.channels.length) active.append(h("h2", t("alerts_channels")), channels);
    } catch (error) {
      clear(active).append(h("h1", t("alerts_title")), message("error", errorText(error)));
    }
  }

  function card(a) {
    return h(`div.alert.alert-${a.severity}`, { "data-alert": a.id, "data-rule": a.rule },
      h("strong", a.title), h("p.small.muted",
        `${t(`alerts_severity_${a.severity}`)} · ${t("alerts_since", { when: dateTime(a.started) })}`),
      h("p.alert-message", a.message));
  }

  async function history() {
    const to = new Date();
    const from = new Date(to.getTime() - Number(days.value) * 86400000);
    try {
      const d = await api(url("/api/v1/alerts", { from: from.toISOString(), to: to.toISOString() }));
      clear(list);
      if (!d.alerts.length) { list.append(message("info", t("alerts_none"))); return; }
      const body = h("tbody");
      for (const a of d.alerts) {
        body.append(h("tr", { "data-alert": a.id, "data-rule": a.rule },
          h("td.small", dateTime(a.started)),
          h("td", t(`alerts_rule_${a.rule}`)),
          h("td", a.subject),
          h("td", h(`span.sev.sev-${a.severity}`, t(`alerts_severity_${a.severity}`))),
          h("td", a.title),
          h("td.small", a.active ? t("alerts_still_active") : dateTime(a.cleared))));
      }
      list.append(h("div.table-wrap", h("table#alerts-table",
        h("thead", h("tr", h("th", t("alerts_started")), h("th", t("alerts_rule")), h("th", t("alerts_subject")),
          h("th", t("alerts_severity")), h("th", t("alerts_what")), h("th", t("alerts_cleared")))),
        body)));
    } catch (error) {
      clear(list).append(message("error", errorText(error)));
    }
  }

  async function settings() {
    if (!ctx.session || !ctx.session.admin) return;
    try {
      showRules(await api("/api/v1/alerts/settings"));
    } catch (error) {
      rules.hidden = false;
      clear(rules).append(h("h2", t("alerts_rules")), message("error", errorText(error)));
    }
  }

  function showRules(s) {
    rules.hidden = false;
    const status = h("div.form-status#alerts-rules-status");
    const inputs = [];
    const body = h("tbody");
    for (const r of s.rules) {
      const on = h("input", { type: "checkbox", checked: r.enabled, "aria-label": t(`alerts_rule_${r.kind}`), "data-key": r.kind });
      inputs.push(on);
      const threshold = r.threshold_key
        ? h("input.small", { type: "text", inputMode: "decimal", value: r.threshold ?? "", size: 7, "data-key": r.threshold_key, "aria-label": `${t(`alerts_rule_${r.kind}`)}: ${t(`alerts_unit_${r.kind}`)}` })
        : null;
      const duration = r.duration_key
        ? h("input.small", { type: "text", inputMode: "numeric", value: String(r.duration_s), size: 6, "data-key": r.duration_key, "aria-label": `${t(`alerts_rule_${r.kind}`)}: ${t("alerts_duration")}` })
        : null;
      if (threshold) inputs.push(threshold);
      if (duration) inputs.push(duration);
      body.append(h("tr", { "data-rule": r.kind },
        h("td", h("label", on, " ", t(`alerts_rule_${r.kind}`))),
        h("td", threshold ? [threshold, " ", t(`alerts_unit_${r.kind}`)] : "–"),
        h("td", duration ? [duration, " s"] : "–")));
    }
    const save = h("button.primary#alerts-save", { type: "submit" }, t("alerts_save"));
    clear(rules).append(h("form#alerts-rules-form", { onsubmit: submit },
      h("h2", t("alerts_rules")),
      h("p.muted.small", t("alerts_rules_intro", { quiet: s.quiet_hours || "–", repeat: s.repeat_s, clear: s.clear_s })),
      h("div.table-wrap", h("table",
        h("thead", h("tr", h("th", t("alerts_rule")), h("th", t("alerts_threshold")), h("th", t("alerts_duration")))), body)),
      h("div.actions", save), status));

    async function submit(event) {
      event.preventDefault();
      clear(status);
      const values = {};
      for (const input of inputs) {
        if (input.type === "checkbox") values[input.dataset.key] = input.checked;
        else if (input.value.trim() !== "") values[input.dataset.key] = input.value.trim();
      }
      save.disabled = true;
      try {
        showRules(await api("/api/v1/alerts/settings", { method: "PUT", body: values }));
        document.getElementById("alerts-rules-status").append(message("ok", t("alerts_saved")));
      } catch (error) {
        status.append(message("error", errorText(error)));
      } finally {
        save.disabled = false;
      }
    }
  }

  current();
  history();
  settings();
  const timer = setInterval(() => { current(); history(); }, REFRESH_MS);
  return () => clearInterval(timer);
}
