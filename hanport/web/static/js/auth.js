// Login page and the first-start setup page (create the administrator account).

import { api, ApiError } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t } from "./i18n.js";

export function render(root, ctx) {
  const setup = ctx.mode === "setup";
  const status = h("div.form-status");
  const user = h("input", { id: "username", name: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" });
  const pass = h("input", { id: "password", name: "password", type: "password", required: true, autocomplete: setup ? "new-password" : "current-password" });
  const pass2 = setup ? h("input", { id: "password2", name: "password2", type: "password", required: true, autocomplete: "new-password" }) : null;
  const button = h("button.primary.wide", { type: "submit" }, setup ? t("setup_button") : t("login_button"));
  if (setup) { pass.minLength = 10; pass2.minLength = 10; }

  const form = h("form.card.auth", { novalidate: true, onsubmit: submit },
    h("img.auth-logo", { src: "/static/icons/icon.svg", alt: "", width: 56, height: 56 }),
    h("h1", setup ? t("setup_title") : t("login_title")),
    setup ? h("p.muted", t("setup_intro")) : null,
    h("label", { for: "username" }, t("username")), user,
    h("label", { for: "password" }, t("password")), pass,
    setup ? [h("label", { for: "password2" }, t("password_again")), pass2] : null,
    status, button);
  root.append(h("section.auth-wrap", form));
  setTimeout(() => user.focus(), 0);

  async function submit(event) {
    event.preventDefault();
    clear(status);
    const username = user.value.trim();
    const password = pass.value;
    if (!username) return status.append(message("error", t("username_missing")));
    if (setup) {
      if (password.length < 10) return status.append(message("error", t("password_short")));
      if (password !== pass2.value) return status.append(message("error", t("password_mismatch")));
    }
    button.disabled = true;
    try {
      const session = await api(setup ? "/api/v1/setup" : "/api/v1/session",
        { method: "POST", body: { username, password }, quiet401: true });
      ctx.onLogin(session);
    } catch (error) {
      button.disabled = false;
      let text = t("error_generic", { msg: error.message });
      if (error instanceof ApiError) {
        if (error.status === 0) text = t("error_network");
        else if (error.status === 401) text = t("login_failed");
        else if (error.status === 429) text = t("too_many", { s: error.headers.get("Retry-After") || "60" });
        else if (error.status === 409) { location.hash = "#/login"; location.reload(); return; }
      }
      status.append(message("error", text));
    }
  }
}
