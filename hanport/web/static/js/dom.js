// A tiny element builder: h("div.card", {onclick}, child, "text") — no innerHTML with data.

export function h(tag, attrs, ...children) {
  const match = /^([^.#]*)((?:[.#][^.#]+)*)$/.exec(tag);
  const name = match[1] || "div";
  const classes = [];
  let id = null;
  for (const part of match[2].match(/[.#][^.#]+/g) || []) {
    if (part[0] === "#") id = part.slice(1);
    else classes.push(part.slice(1));
  }
  const el = name.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", name.slice(4))
    : document.createElement(name);
  if (classes.length) el.setAttribute("class", classes.join(" "));
  if (id) el.id = id;
  if (attrs && (typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.setAttribute("class", [...classes, v].join(" "));
    else if (k in el && !name.startsWith("svg:") && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function clear(el) { while (el.firstChild) el.firstChild.remove(); return el; }

export function message(kind, text) { return h(`p.msg.${kind}`, { role: kind === "error" ? "alert" : "status" }, text); }

/** A number and its unit that never wrap apart: <span.qty><span.qty-v/> <span.qty-u/></span>. */
export function qty(value, unit) {
  const el = h("span.qty", h("span.qty-v"), document.createTextNode(""), h("span.qty-u"));
  setQty(el, value, unit);
  return el;
}

/** Set the qty that is `el` or inside it. */
export function setQty(el, value, unit) {
  const box = el.classList.contains("qty") ? el : el.querySelector(".qty");
  const [v, gap, u] = box.childNodes;
  v.textContent = value;
  gap.textContent = unit ? " " : "";
  u.textContent = unit || "";
}
