// API: the OpenAPI document of this server rendered browsably (no Swagger, no CDN), in the
// app's language (the document carries its Estonian texts as x-summary-et, x-description-et);
// `code` in the texts is shown as code.

import { api, errorText } from "./api.js";
import { h, clear, message } from "./dom.js";
import { t, getLang } from "./i18n.js";

const METHODS = ["get", "post", "put", "patch", "delete"];

export function render(root) {
  const body = h("div#api-doc", message("info", t("loading")));
  root.append(h("h1", t("api_title")),
    h("p.muted", t("api_intro"), " ", h("a", { href: "/api/v1/openapi.json", target: "_blank", rel: "noopener" }, t("openapi_json"))),
    body);
  api("/api/v1/openapi.json").then((doc) => draw(body, doc))
    .catch((error) => clear(body).append(message("error", errorText(error))));
}

/** The node's summary or description in the app's language (English when not translated). */
function say(node, key) {
  if (!node) return "";
  return (getLang() !== "en" && node[`x-${key}-${getLang()}`]) || node[key] || "";
}

/** Text with `backticks` as <code> elements (text nodes only: nothing is parsed as HTML). */
export function rich(text) {
  return String(text || "").split(/`([^`]+)`/).map((part, i) => (i % 2 ? h("code", part) : part)).filter((p) => p !== "");
}

function resolve(doc, schema, seen = new Set()) {
  if (!schema || typeof schema !== "object" || !schema.$ref) return schema;
  if (seen.has(schema.$ref)) return schema;
  seen.add(schema.$ref);
  const path = schema.$ref.replace(/^#\//, "").split("/").map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node = doc;
  for (const p of path) node = node && node[p];
  return resolve(doc, node, seen) || schema;
}

function typeText(doc, schema) {
  if (!schema) return "";
  if (schema.$ref) return schema.$ref.split("/").pop();
  if (schema.enum) return "enum";
  for (const k of ["anyOf", "oneOf", "allOf"]) {
    if (schema[k]) return schema[k].map((s) => typeText(doc, s)).join(k === "allOf" ? " & " : " | ");
  }
  let type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type || (schema.properties ? "object" : "any");
  if (type === "array" && schema.items) type = `${typeText(doc, schema.items)}[]`;
  if (schema.format) type += ` (${schema.format})`;
  return type;
}

function outline(doc, schema, depth = 0, seen = new Set()) {
  const pad = "  ".repeat(depth);
  if (!schema) return "";
  if (schema.$ref) {
    if (seen.has(schema.$ref) || depth > 4) return schema.$ref.split("/").pop();
    seen = new Set(seen).add(schema.$ref);
    schema = resolve(doc, schema);
  }
  const props = schema && schema.properties;
  if (props) {
    const required = new Set(schema.required || []);
    const lines = Object.entries(props).map(([k, v]) => `${pad}  ${k}${required.has(k) ? "" : "?"}: ${outline(doc, v, depth + 1, seen)}`);
    return `{\n${lines.join("\n")}\n${pad}}`;
  }
  if (schema.type === "array" && schema.items) return `${outline(doc, schema.items, depth, seen)}[]`;
  if (schema.enum) return schema.enum.map((e) => JSON.stringify(e)).join(" | ");
  return typeText(doc, schema);
}

function draw(root, doc) {
  clear(root);
  const info = doc.info || {};
  root.append(h("p#api-info", h("strong", `${info.title || "API"} ${info.version || ""}`), say(info, "description") ? [" — ", rich(say(info, "description"))] : "", ` · OpenAPI ${doc.openapi || ""}`));
  const tags = new Map((doc.tags || []).map((tag) => [tag.name, tag]));
  const groups = new Map();
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = (op.tags && op.tags[0]) || "api";
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag).push({ path, method, op, shared: item.parameters || [] });
    }
  }
  for (const [tag, ops] of groups) {
    const about = say(tags.get(tag), "description");
    root.append(h("h2.api-tag", { "data-tag": tag }, about ? rich(about) : tag));
    for (const { path, method, op, shared } of ops) root.append(operation(doc, path, method, op, shared));
  }
}

function operation(doc, path, method, op, shared) {
  const params = [...shared, ...(op.parameters || [])].map((p) => resolve(doc, p));
  const parts = [];
  if (say(op, "description")) parts.push(h("p.op-description", rich(say(op, "description"))));
  if (params.length) {
    const rows = params.map((p) => {
      const schema = resolve(doc, p.schema) || {};
      return h("tr",
        h("td.code", p.name, p.required ? h("span.bad", { title: t("required") }, " *") : ""),
        h("td", p.in),
        h("td", h("code", typeText(doc, p.schema)),
          schema.enum ? h("div", schema.enum.map((e) => h("span.enum", String(e)))) : null,
          schema.default !== undefined ? h("div.small.muted", `${t("default_value")}: ${JSON.stringify(schema.default)}`) : null),
        h("td", rich(say(p, "description"))));
    });
    parts.push(h("h3.small", t("parameters")), h("div.table-wrap", h("table.params",
      h("thead", h("tr", h("th", t("param_name")), h("th", t("in")), h("th", t("type")), h("th", t("description")))), h("tbody", rows))));
  }
  if (op.requestBody) {
    const rb = resolve(doc, op.requestBody);
    parts.push(h("h3.small", t("request_body")));
    for (const [type, media] of Object.entries(rb.content || {})) {
      parts.push(h("div.small.muted", type), h("pre.schema", outline(doc, media.schema)));
    }
  }
  const responses = Object.entries(op.responses || {});
  if (responses.length) {
    parts.push(h("h3.small", t("responses")));
    const rows = responses.map(([code, r]) => {
      const res = resolve(doc, r);
      const content = Object.entries(res.content || {});
      return h("tr", h("td.code", code), h("td", rich(say(res, "description")),
        content.map(([type, media]) => h("details", h("summary.small.muted", type), h("pre.schema", outline(doc, media.schema))))));
    });
    parts.push(h("div.table-wrap", h("table.responses", h("tbody", rows))));
  }
  return h("details.op", { "data-path": path, "data-method": method },
    h("summary", h(`span.method.${method}`, method.toUpperCase()), h("span.op-path", path), h("span.muted.small.op-summary", rich(say(op, "summary")))),
    h("div.op-body", parts));
}
