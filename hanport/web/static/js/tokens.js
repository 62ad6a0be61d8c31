// Tokens: list, create (the secret is shown once, with a copy button) and revoke API tokens.

import { api, errorText } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t, dateTime } from "./i18n.js";

export function render(root) {
  const name = h("input#token-name", { name: "name", maxLength: 100, placeholder: "Home Assistant", autocomplete: "off" });
  const status = h("div.form-status");
  const created = h("div#token-created");
  const list = h("div#token-list");
  const button = h("button.primary", { type: "submit" }, t("token_create"));
  root.append(h("div.stack",
    h("form.card#token-form", { onsubmit: create },
      h("h1", t("tokens_title")), h("p.muted", t("tokens_intro")),
      h("label", { for: "token-name" }, t("token_name")), name,
      h("div.actions", button), status, created),
    h("section.card", list)));

  async function refresh() {
    try {
      const d = await api("/api/v1/tokens");
      clear(list);
      if (!d.tokens.length) { list.append(message("info", t("token_none"))); return; }
      const body = h("tbody");
      for (const tok of d.tokens) body.append(row(tok));
      list.append(h("div.table-wrap", h("table#tokens",
        h("thead", h("tr", h("th", t("token_name")), h("th", t("token_user")), h("th", t("token_created")), h("th", t("token_last_used")), h("th", ""))),
        body)));
    } catch (error) {
      clear(list).append(message("error", errorText(error)));
    }
  }

  function row(tok) {
    let armed = false;
    const revoke = h("button.danger.small", { type: "button", "data-revoke": String(tok.id), onclick: async () => {
      if (!armed) { armed = true; revoke.textContent = t("token_revoke_confirm"); return; }
      revoke.disabled = true;
      try { await api(`/api/v1/tokens/${encodeURIComponent(tok.id)}`, { method: "DELETE" }); refresh(); }
      catch (error) { revoke.disabled = false; clear(status).append(message("error", errorText(error))); }
    } }, t("token_revoke"));
    return h("tr", { "data-token": String(tok.id) },
      h("td", tok.name), h("td", tok.user || ""), h("td.small", dateTime(tok.created)),
      h("td.small", tok.last_used ? dateTime(tok.last_used) : t("never")), h("td", revoke));
  }

  async function create(event) {
    event.preventDefault();
    clear(status);
    const label = name.value.trim();
    if (!label) { status.append(message("error", t("token_name_missing"))); return; }
    button.disabled = true;
    try {
      const tok = await api("/api/v1/tokens", { method: "POST", body: { name: label } });
      name.value = "";
      const secret = h("input#token-secret", { readOnly: true, value: tok.token, "aria-label": tok.name });
      const copy = h("button#token-copy", { type: "button", onclick: async () => {
        try { await navigator.clipboard.writeText(tok.token); }
        catch { secret.select(); document.execCommand("copy"); }
        copy.textContent = t("copied");
      } }, t("copy"));
      clear(created).append(message("ok", t("token_once")), h("div.token-once", secret, copy));
      refresh();
    } catch (error) {
      status.append(message("error", errorText(error)));
    } finally {
      button.disabled = false;
    }
  }

  refresh();
}
