// Login page and the first-start setup page (create the administrator account; when the app
// listens beyond this machine, the server also asks for the setup code hanport run prints).

import { api, ApiError, errorText } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t } from "./i18n.js";

export function render(root, ctx) {
  const setup = ctx.mode === "setup";
  const status = h("div.form-status");
  const user = h("input", { id: "username", name: "username", autocomplete: "username", required: true, autocapitalize: "none", spellcheck: "false" });
  const pass = h("input", { id: "password", name: "password", type: "password", required: true, autocomplete: setup ? "new-password" : "current-password" });
  const pass2 = setup ? h("input", { id: "password2", name: "password2", type: "password", required: true, autocomplete: "new-password" }) : null;
  const code = setup ? h("input", { id: "setup-code", name: "setup_code", autocomplete: "one-time-code", autocapitalize: "none", spellcheck: "false" }) : null;
  const codeField = setup ? h("div.setup-code", { hidden: !ctx.setupCodeRequired }, h("label", { for: "setup-code" }, t("setup_code")), code) : null;
  const button = h("button.primary.wide", { type: "submit" }, setup ? t("setup_button") : t("login_button"));
  if (setup) { pass.minLength = 10; pass2.minLength = 10; }

  const form = h("form.card.auth", { novalidate: true, onsubmit: submit },
    h("img.auth-logo", { src: "/static/icons/icon.svg", alt: "", width: 56, height: 56 }),
    h("h1", setup ? t("setup_title") : t("login_title")),
    setup ? h("p.muted", t("setup_intro")) : null,
    codeField,
    h("label", { for: "username" }, t("username")), user,
    h("label", { for: "password" }, t("password")), pass,
    setup ? [h("label", { for: "password2" }, t("password_again")), pass2] : null,
    status, button);
  root.append(h("section.auth-wrap", form));
  setTimeout(() => (setup && ctx.setupCodeRequired ? code : user).focus(), 0);

  const codeNeeded = () => setup && !codeField.hidden;

  async function submit(event) {
    event.preventDefault();
    clear(status);
    const username = user.value.trim();
    const password = pass.value;
    if (codeNeeded() && !code.value.trim()) return status.append(message("error", t("setup_code_missing")));
    if (!username) return status.append(message("error", t("username_missing")));
    if (setup) {
      if (password.length < 10) return status.append(message("error", t("password_short")));
      if (password !== pass2.value) return status.append(message("error", t("password_mismatch")));
    }
    const body = { username, password };
    if (codeNeeded()) body.setup_code = code.value.trim();
    button.disabled = true;
    try {
      const session = await api(setup ? "/api/v1/setup" : "/api/v1/session", { method: "POST", body, quiet401: true });
      ctx.onLogin(session);
    } catch (error) {
      button.disabled = false;
      status.append(message("error", await failure(error)));
    }
  }

  /** The sentence for a refused sign-in or setup; may switch the page to the one needed. */
  async function failure(error) {
    if (!(error instanceof ApiError)) return t("error_generic", { msg: error.message });
    if (error.status === 0) return t("error_network");
    if (error.status === 429) return t("too_many", { s: error.headers.get("Retry-After") || "60" });
    if (error.status === 409) { location.hash = "#/login"; location.reload(); return t("loading"); }
    if (setup && (error.body.setup_code_required || String(error.body.code).startsWith("web.setup_code"))) {
      const shown = !codeField.hidden;
      codeField.hidden = false;
      code.focus();
      return shown && code.value ? t("setup_code_wrong") : t("setup_code_missing");
    }
    if (error.status === 401 && !setup) {
      // Every account may have been removed since this browser last signed in: then the first
      // start is due again, and the server says so when asked for the session.
      try { await api("/api/v1/session", { quiet401: true }); } catch (probe) {
        if (probe instanceof ApiError && probe.body.setup_needed) { ctx.onSignedOut(probe.body); return t("setup_intro"); }
      }
      return t("login_failed");
    }
    return errorText(error);
  }
}
