// Export: download readings or rollups of a period as CSV (or JSON lines).

import { api, errorText, url } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t } from "./i18n.js";

function isoDate(d) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

export function render(root) {
  const today = new Date();
  const from = h("input#export-from", { type: "date", name: "from", required: true, value: isoDate(new Date(today.getFullYear(), today.getMonth(), 1)) });
  const to = h("input#export-to", { type: "date", name: "to", required: true, value: isoDate(new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1)) });
  const step = h("select#export-step", { name: "step" },
    h("option", { value: "" }, t("step_none")),
    h("option", { value: "15m" }, t("step_opt_15m")),
    h("option", { value: "1h", selected: true }, t("range_hour")),
    h("option", { value: "1d" }, t("range_day")),
    h("option", { value: "1mo" }, t("range_month")));
  const format = h("select#export-format", { name: "format" }, h("option", { value: "csv" }, "CSV"), h("option", { value: "json" }, "JSON"));
  const meter = h("select#export-meter", { name: "meter" });
  const meterWrap = h("div", { hidden: true }, h("label", { for: "export-meter" }, t("meter")), meter);
  const status = h("div.form-status");
  const button = h("button.primary", { type: "submit" }, t("download"));
  const form = h("form.card#export-form", { onsubmit: submit },
    h("h1", t("export_title")), h("p.muted", t("export_intro")),
    h("div.form-row",
      h("div", h("label", { for: "export-from" }, t("from")), from),
      h("div", h("label", { for: "export-to" }, t("to")), to),
      h("div", h("label", { for: "export-step" }, t("step")), step),
      h("div", h("label", { for: "export-format" }, t("format")), format),
      meterWrap),
    h("div.actions", button), status);
  root.append(form);

  api("/api/v1/meters").then((d) => {
    if (d.meters.length > 1) {
      for (const m of d.meters) meter.append(h("option", { value: m.id }, m.model ? `${m.id} (${m.model})` : m.id));
      meterWrap.hidden = false;
    }
    const last = d.meters[0] && d.meters[0].last_reading;
    if (last) {
      const end = new Date(last);
      to.value = isoDate(new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1));
      from.value = isoDate(new Date(end.getFullYear(), end.getMonth(), 1));
    }
  }).catch(() => {});

  async function submit(event) {
    event.preventDefault();
    clear(status).append(message("info", t("downloading")));
    button.disabled = true;
    const href = url("/api/v1/export", {
      meter: meterWrap.hidden ? undefined : meter.value, from: from.value, to: to.value,
      step: step.value || undefined, format: format.value,
    });
    try {
      const response = await api(href, { raw: true });
      const blob = await response.blob();
      const disposition = response.headers.get("Content-Disposition") || "";
      const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition);
      const name = match ? decodeURIComponent(match[1]) : `hanport-${from.value}-${to.value}.${format.value === "json" ? "jsonl" : "csv"}`;
      const link = h("a", { href: URL.createObjectURL(blob), download: name, hidden: true });
      document.body.append(link);
      link.click();
      setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      clear(status).append(message("ok", t("downloaded", { name })));
    } catch (error) {
      clear(status).append(message("error", errorText(error)));
    } finally {
      button.disabled = false;
    }
  }
}
