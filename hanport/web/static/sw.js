// hanport service worker: keeps the app shell for offline start and fast loads. The API
// (/api/…) is never cached or intercepted: live data always comes from the server.

const CACHE = "hanport-shell-v5";
const SHELL = [
  "/",
  "/manifest.webmanifest",
  "/static/app.css",
  "/static/js/app.js", "/static/js/api.js", "/static/js/dom.js", "/static/js/i18n.js", "/static/js/texts.js",
  "/static/js/live.js",
  "/static/js/now.js", "/static/js/history.js", "/static/js/charts.js", "/static/js/meter.js",
  "/static/js/export.js", "/static/js/tokens.js", "/static/js/apidoc.js", "/static/js/auth.js",
  "/static/js/costs.js", "/static/js/costs_now.js", "/static/js/money.js",
  "/static/js/ev.js",
  "/static/js/quality.js",
  "/static/js/alerts.js",
  "/static/vendor/uPlot.iife.min.js", "/static/vendor/uPlot.min.css",
  "/static/icons/icon.svg", "/static/icons/icon-192.png", "/static/icons/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const target = new URL(request.url);
  if (request.method !== "GET" || target.origin !== location.origin || target.pathname.startsWith("/api/")) return;
  // Network first, so an update of hanport shows at once; the cache when the server is away.
  event.respondWith(fetch(request).then((response) => {
    if (response.ok && (target.pathname === "/" || SHELL.includes(target.pathname))) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(target.pathname === "/" ? "/" : request, copy));
    }
    return response;
  }).catch(() => caches.match(target.pathname === "/" || request.mode === "navigate" ? "/" : request)
    .then((hit) => hit || Response.error())));
});
