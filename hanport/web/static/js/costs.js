// Costs: a month's bills as Elektrilevi and the seller write them, line by line (quantity ×
// unit price = amount, rounded to the cent), VAT per bill, the export revenue apart, and the
// month's totals. ◀ ▶ move by a month.

import { api, errorText, url } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t, locale } from "./i18n.js";
import { eur, fmtDec } from "./money.js";

let remembered = null;

function monthText(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}`;
}

function quantity(line) {
  if (line.quantity === null) return "";
  return `${fmtDec(line.quantity, line.quantity_unit === "kW" ? 2 : 3)} ${line.quantity_unit}`;
}

function unitPrice(line) {
  if (line.unit_price === null) return line.item === "energy" ? t("bill_spot") : "";
  return `${fmtDec(line.unit_price, line.unit_price_unit === "c/kWh" ? 3 : 2)} ${line.unit_price_unit}`;
}

function billTable(id, title, bill, withVat = true) {
  const rows = bill.lines.map((line) => h("tr", { "data-item": line.item },
    h("td.reg", t(`bill_${line.item}`)),
    h("td.num", quantity(line)),
    h("td.num", unitPrice(line)),
    h("td.val", eur(line.eur))));
  const foot = withVat
    ? [h("tr.sub", h("td", { colspan: "3" }, t("bill_subtotal")), h("td.val", eur(bill.subtotal_eur))),
       h("tr.sub", h("td", { colspan: "3" }, t("bill_vat")), h("td.val", eur(bill.vat_eur))),
       h("tr.total", h("td", { colspan: "3" }, t("bill_total")), h(`td.val#${id}-total`, eur(bill.total_eur)))]
    : [h("tr.total", h("td", { colspan: "3" }, t("bill_total")), h(`td.val#${id}-total`, eur(bill.total_eur)))];
  return h(`section.card.bill#${id}`,
    h("h2", title),
    bill.lines.length
      ? h("table.bill-lines",
        h("thead", h("tr", h("th", t("bill_item")), h("th", t("bill_quantity")), h("th", t("bill_unit_price")), h("th.val", t("bill_amount")))),
        h("tbody", rows, foot))
      : message("info", t("no_data")));
}

/** The month a link asks for (#/costs?month=2026-01), else null. */
function asked() {
  const found = /[?&]month=(\d{4})-(\d{2})/.exec(location.hash);
  return found ? new Date(Number(found[1]), Number(found[2]) - 1, 1) : null;
}

export function render(root) {
  const now = new Date();
  let month = asked() || remembered || new Date(now.getFullYear(), now.getMonth(), 1);
  let loadId = 0;
  const label = h("span.window-label#costs-month");
  const prev = h("button", { type: "button", title: t("previous"), "aria-label": t("previous"), onclick: () => move(-1) }, "◀");
  const next = h("button", { type: "button", title: t("next"), "aria-label": t("next"), onclick: () => move(1) }, "▶");
  const body = h("div.costs#costs");
  root.append(h("div.toolbar", h("div.pager", prev, next), label), body);

  function move(direction) {
    month = new Date(month.getFullYear(), month.getMonth() + direction, 1);
    load();
  }

  async function load() {
    const id = ++loadId;
    remembered = month;
    label.textContent = month.toLocaleDateString(locale(), { month: "long", year: "numeric" });
    delete body.dataset.loaded;
    clear(body).append(message("info", t("loading")));
    try {
      const bill = await api(url("/api/v1/bill", { month: monthText(month) }));
      if (id !== loadId) return;
      show(bill);
    } catch (error) {
      if (id === loadId) clear(body).append(message("error", errorText(error)));
    }
  }

  function show(bill) {
    clear(body);
    const missing = bill.gap_slots + bill.unpriced_slots;
    body.append(h("section.card.bill-summary",
      h("div.split",
        h("div.split-item", h("span.label", t("bill_grand_total")), h("strong#bill-total", eur(bill.total_eur))),
        h("div.split-item", h("span.label", t("bill_bought")), h("strong#bill-kwh", `${fmtDec(bill.import_kwh, 3)} kWh`))),
      missing ? h("p.small.muted#bill-missing", t("bill_incomplete", { n: missing, of: bill.slots })) : null));
    body.append(
      billTable("bill-network", t("bill_network"), bill.network),
      billTable("bill-seller", t("bill_seller"), bill.seller));
    if (bill.export.lines.length) body.append(billTable("bill-export", t("bill_export"), bill.export, false));
    body.dataset.loaded = bill.month;
  }

  load();
  return null;
}
