// The live feed: one EventSource on /api/v1/stream for the whole app (reading and status
// events), plus the latest reading and status fetched once so the first paint needs no wait.

import { api, ApiError } from "./api.js";

const listeners = new Set();
export const live = {
  reading: null,        // the latest reading object
  grid: null,           // the server's verdicts on it: load percents, fuse and voltage
  meter: null,
  status: null,         // the latest status object
  connected: false,     // the EventSource is open
  started: false,
  ageAnchor: null,      // {age: seconds, at: performance.now()} of the latest reading
};

let source = null;
let statusAnchor = null; // {age, at, lastAt}: the server's age of its latest reading, when told
let retryAnchor = null;  // {s, at}: the reader's next reconnect attempt, when told
let retryTimer = null;

function emit(kind) { for (const fn of listeners) fn(kind); }

export function subscribe(fn) { listeners.add(fn); return () => listeners.delete(fn); }

/** Seconds since the latest reading was received, ticking on the local clock. */
export function ageNow() {
  const a = live.ageAnchor;
  if (!a) return null;
  return a.age + (performance.now() - a.at) / 1000;
}

/** Seconds until the reader tries the meter again (a server that says so), or null. */
export function retryIn() {
  const r = retryAnchor;
  if (!r) return null;
  return Math.max(0, r.s - (performance.now() - r.at) / 1000);
}

export function isStale() {
  const s = live.status;
  const interval = (s && s.interval_s) || 10;
  const age = ageNow();
  if (s && s.stale) return true;
  if (age === null) return Boolean(s && s.status !== "starting" && s.readings > 0);
  return age > 3 * interval;
}

function setReading(meter, reading, age, grid) {
  live.meter = meter;
  live.reading = reading;
  live.grid = grid || null; // the server's verdicts on this reading (fuse, voltage, load)
  live.ageAnchor = { age: Math.max(0, age || 0), at: performance.now() };
  emit("reading");
}

function setStatus(status) {
  live.status = status;
  const wait = status && status.retry_in_s;
  retryAnchor = typeof wait === "number" && Number.isFinite(wait) ? { s: wait, at: performance.now() } : null;
  if (status && typeof status.age_s === "number") {
    statusAnchor = { age: status.age_s, at: performance.now(), lastAt: Date.parse(status.last_reading_at) };
    if (live.reading) live.ageAnchor = { age: status.age_s, at: statusAnchor.at };
  }
  emit("status");
}

/** A reading pushed now is 0 s old, unless it is the one the status just described (the
 * stream repeats the latest reading on connect, which may be old when the meter is silent). */
function pushedAge(reading) {
  const at = Date.parse(reading && reading.received_at);
  if (statusAnchor && Number.isFinite(at) && at === statusAnchor.lastAt) {
    return statusAnchor.age + (performance.now() - statusAnchor.at) / 1000;
  }
  return 0;
}

let early = null;

/** Ask for the latest reading and status at once, while the session is still being checked
 * (when this browser was signed in): the first paint of the live figure then waits for one
 * round trip less. */
export function prefetch() {
  early = {
    latest: api("/api/v1/readings/latest", { quiet401: true }),
    status: api("/api/v1/status", { quiet401: true }),
  };
  early.latest.catch(() => {});
  early.status.catch(() => {});
}

export function start() {
  if (live.started) return;
  live.started = true;
  const first = early || {};
  early = null;
  // Both in parallel; whichever the stream has not already given is used. A prefetch that
  // failed (say, before the login) is simply asked again.
  const latest = (p) => p.then((d) => {
    if (!live.reading) setReading(d.meter, d.reading, d.age_s, d.grid);
  });
  const status = (p) => p.then((s) => { if (!live.status) setStatus(s); });
  latest(first.latest || api("/api/v1/readings/latest"))
    .catch(() => latest(api("/api/v1/readings/latest")))
    .catch((e) => { if (!(e instanceof ApiError) || e.status !== 404) console.warn(e); });
  status(first.status || api("/api/v1/status"))
    .catch(() => status(api("/api/v1/status"))).catch(() => {});
  connect();
}

function connect() {
  clearTimeout(retryTimer);
  if (source) source.close();
  source = new EventSource("/api/v1/stream");
  source.addEventListener("open", () => { live.connected = true; emit("connection"); });
  source.addEventListener("error", () => {
    live.connected = false;
    emit("connection");
    // The browser retries by itself unless the server refused (then readyState is CLOSED).
    // A refusal may mean the session has expired: asking for it sends the app to the login.
    if (source && source.readyState === EventSource.CLOSED) {
      retryTimer = setTimeout(() => {
        if (!live.started) return;
        api("/api/v1/session").then(() => { if (live.started) connect(); })
          .catch(() => { if (live.started) retryTimer = setTimeout(connect, 5000); });
      }, 3000);
    }
  });
  source.addEventListener("reading", (event) => {
    live.connected = true;
    const data = JSON.parse(event.data);
    setReading(data.meter, data.reading, pushedAge(data.reading), data.grid);
  });
  source.addEventListener("status", (event) => {
    live.connected = true;
    setStatus(JSON.parse(event.data));
  });
}

export function stop() {
  live.started = false;
  clearTimeout(retryTimer);
  if (source) source.close();
  source = null;
  live.connected = false;
  live.reading = null;
  live.grid = null;
  live.status = null;
  live.ageAnchor = null;
  retryAnchor = null;
  emit("connection");
}
