// Same-origin JSON API: sends the CSRF token on POST/DELETE and the app's language (the server
// answers errors in it), turns errors into ApiError, and sends the user to the login (or
// first-start setup) page on 401.

import { getLang, t } from "./i18n.js";

let csrf = null;
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, message, body, headers) {
    super(message);
    this.status = status;
    this.body = body || {};
    this.headers = headers;
  }
}

export function setSession(session) { csrf = session ? session.csrf : null; }
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export async function api(path, { method = "GET", body, quiet401 = false, raw = false } = {}) {
  const headers = { Accept: raw ? "*/*" : "application/json", "Accept-Language": getLang() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  let response;
  try {
    response = await fetch(path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, "network", {}, new Headers());
  }
  if (response.ok) {
    if (raw) return response;
    if (response.status === 204) return null;
    return response.json();
  }
  let data = {};
  try { data = await response.json(); } catch { /* not JSON */ }
  const error = new ApiError(response.status, data.error || response.statusText, data, response.headers);
  if (response.status === 401 && !quiet401) onUnauthorized(error);
  throw error;
}

/** What to show for a failed request: the server's sentence (already in the app's language),
 * that the server cannot be reached, or, for a fault in the app itself, its message. */
export function errorText(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) return t("error_network");
    if (typeof error.body.error === "string") return error.body.error;
  }
  return t("error_generic", { msg: error.message });
}

/** Build "/api/v1/x?a=1&b=2", leaving out empty values. */
export function url(path, params = {}) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") query.set(k, v);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

// The field table (labels, units, OBIS codes) is fetched once.
let fieldsPromise = null;
export function fields() {
  if (!fieldsPromise) {
    fieldsPromise = api("/api/v1/fields").then((d) => {
      const byName = new Map();
      for (const f of d.fields) byName.set(f.name, f);
      return byName;
    }).catch((e) => { fieldsPromise = null; throw e; });
  }
  return fieldsPromise;
}
