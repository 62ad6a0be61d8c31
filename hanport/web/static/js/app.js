// The app shell: session check, hash router, language switch, live indicator and banners.
//
// A signed-out visit sends no request that is answered 401 when it can: the app remembers in
// localStorage (not a secret: the session cookie itself is HttpOnly) whether this browser was
// signed in. Signed in: the session, the latest reading and the status are asked at once (the
// first paint waits for one round trip). Signed out: the login page at once, no request.
// Unknown (a first visit): the session is asked first, and only then anything else.

import { api, ApiError, setSession, setUnauthorizedHandler } from "./api.js";
import { h, clear } from "./dom.js";
import { t, getLang, setLang, age } from "./i18n.js";
import { live, subscribe, start as startLive, stop as stopLive, prefetch, ageNow, isStale } from "./live.js";

const ROUTES = {
  now: () => import("./now.js"),
  history: () => import("./history.js"),
  costs: () => import("./costs.js"),
  meter: () => import("./meter.js"),
  export: () => import("./export.js"),
  tokens: () => import("./tokens.js"),
  api: () => import("./apidoc.js"),
  ev: () => import("./ev.js"),
  quality: () => import("./quality.js"),
  alerts: () => import("./alerts.js"),
  login: () => import("./auth.js"),
  setup: () => import("./auth.js"),
};
const PUBLIC = new Set(["login", "setup"]);

const state = { session: null, setupNeeded: false, setupCodeRequired: false, cleanup: null, route: null, renderId: 0 };
const HINT = "hanport.session";

function hint() {
  try { return localStorage.getItem(HINT); } catch { return null; }
}

function setHint(value) {
  try {
    if (value) localStorage.setItem(HINT, value);
    else localStorage.removeItem(HINT);
  } catch { /* storage may be off: every visit then asks the server */ }
}
const view = document.getElementById("view");

function routeName() {
  const name = (location.hash.replace(/^#\/?/, "").split(/[/?]/)[0] || "now");
  return name in ROUTES ? name : "now";
}

export function go(name) {
  if (location.hash === `#/${name}`) render();
  else location.hash = `#/${name}`;
}

async function render() {
  const id = ++state.renderId;
  let name = routeName();
  if (!state.session && !PUBLIC.has(name)) name = state.setupNeeded ? "setup" : "login";
  if (state.session && PUBLIC.has(name)) name = "now";
  if (state.cleanup) { try { state.cleanup(); } catch (e) { console.warn(e); } state.cleanup = null; }
  state.route = name;
  document.body.dataset.route = name;
  for (const a of document.querySelectorAll("#nav a")) {
    if (a.dataset.route === name) {
      a.setAttribute("aria-current", "page");
      a.scrollIntoView({ block: "nearest", inline: "nearest" });
    } else a.removeAttribute("aria-current");
  }
  const module = await ROUTES[name]();
  if (id !== state.renderId) return;
  clear(view);
  view.className = `view view-${name}`;
  const ctx = {
    session: state.session, setupNeeded: state.setupNeeded, setupCodeRequired: state.setupCodeRequired, mode: name,
    onLogin: (session) => loggedIn(session),
    onSignedOut: (body) => loggedOut(body),
  };
  state.cleanup = module.render(view, ctx) || null;
  updateTexts();
}

function updateTexts() {
  document.title = state.route ? `${t(`nav_${state.route}`) !== `nav_${state.route}` ? t(`nav_${state.route}`) + " · " : ""}hanport` : "hanport";
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of document.querySelectorAll("[data-i18n-title]")) {
    el.title = t(el.dataset.i18nTitle);
    el.setAttribute("aria-label", el.title);
  }
}

function loggedIn(session) {
  state.session = session;
  state.setupNeeded = false;
  setHint("in");
  setSession(session);
  document.getElementById("nav").hidden = false;
  document.getElementById("logout").hidden = false;
  document.getElementById("live").hidden = false;
  startLive();
  const name = routeName();
  go(PUBLIC.has(name) ? "now" : name);
}

/** body: the 401 answer of GET /api/v1/session (setup_needed, setup_code_required), if any. */
function loggedOut(body = {}) {
  state.session = null;
  state.setupNeeded = Boolean(body.setup_needed);
  state.setupCodeRequired = Boolean(body.setup_code_required);
  setHint(state.setupNeeded ? null : "out");
  setSession(null);
  stopLive();
  document.getElementById("nav").hidden = true;
  document.getElementById("logout").hidden = true;
  document.getElementById("live").hidden = true;
  updateBanners();
  go(state.setupNeeded ? "setup" : "login");
}

setUnauthorizedHandler((error) => {
  if (state.session) loggedOut(error.body || {});
});

document.getElementById("lang").addEventListener("click", () => {
  setLang(getLang() === "et" ? "en" : "et");
  render();
  updateIndicator();
  updateBanners();
});

document.getElementById("logout").addEventListener("click", async () => {
  try { await api("/api/v1/session", { method: "DELETE", quiet401: true }); } catch { /* gone anyway */ }
  loggedOut();
});

window.addEventListener("hashchange", render);

// Live indicator in the header and the stale/disconnected banners on every page.
function updateIndicator() {
  const el = document.getElementById("live");
  const text = el.querySelector(".live-text");
  const on = live.connected && !isStale();
  el.classList.toggle("on", on);
  el.classList.toggle("warn", live.connected && isStale());
  text.textContent = live.connected ? t("live") : (live.started ? t("connecting") : t("offline"));
  el.title = live.connected ? t("live") : t("offline");
}

let bannerKey = "";
function updateBanners() {
  const box = document.getElementById("banners");
  const items = [];
  if (state.session && live.started) {
    if (!live.connected && live.everConnected) items.push(["disconnected", t("disconnected_banner")]);
    if (isStale()) {
      const a = ageNow();
      items.push(["stale", a === null ? t("stale_banner_none") : t("stale_banner", { age: age(a) })]);
    }
    const s = live.status || {};
    if (s.unauthenticated) items.push(["unauthenticated", t("unauthenticated_banner")]);
    if (s.unverified === true || (live.reading && live.reading.verified === false)) items.push(["unverified", t("unverified_banner")]);
    if (s.ev && s.ev.failsafe && s.ev.failsafe.active) items.push(["ev_failsafe", t("ev_failsafe_banner", { a: s.ev.failsafe.limit_a })]);
  }
  const key = JSON.stringify(items);
  if (key === bannerKey) return;
  bannerKey = key;
  clear(box);
  for (const [kind, text] of items) box.append(h(`div.banner.${kind}`, { role: "alert", "data-banner": kind }, text));
}

subscribe((kind) => {
  if (kind === "connection" && live.connected) live.everConnected = true;
  updateIndicator();
  updateBanners();
});
setInterval(() => { if (state.session) { updateIndicator(); updateBanners(); } }, 1000);

async function boot() {
  updateTexts();
  const known = hint();
  if (known === "out") { loggedOut(); return; }
  if (known === "in") prefetch();
  try {
    const session = await api("/api/v1/session", { quiet401: true });
    loggedIn(session);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      loggedOut(error.body);
    } else {
      clear(view).append(h("p.msg.error", { role: "alert" }, t("error_network")));
      setTimeout(boot, 3000);
    }
  }
}

if ("serviceWorker" in navigator && (location.protocol === "https:" || location.hostname === "localhost" || location.hostname === "127.0.0.1")) {
  window.addEventListener("load", () => { navigator.serviceWorker.register("/sw.js").catch(() => {}); });
}

boot();
