/* DOM helpers of the dashboard. Data enters the page only as text nodes, textContent or
 * attribute values on elements built here: never as markup (no innerHTML anywhere). */

export const SVGNS = "http://www.w3.org/2000/svg";
export const DAY = 86400000;

export const $ = (id) => document.getElementById(id);

/* an HTML element; attributes false/null/undefined are left out, children are nodes or
 * values shown as text */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined && v !== false) node.setAttribute(k, String(v));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/* an SVG element with attributes and optional text */
export function svg(tag, attrs, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/* a number in at most 4 significant digits (exponent form when tiny or huge) */
export function fmtNum(v) {
  if (v === null || v === undefined) return "n/a";
  if (typeof v !== "number") return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/* an ISO-8601 time as "YYYY-MM-DD HH:MM" (UTC) */
export function fmtTime(iso) {
  if (!iso) return "never";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toISOString().slice(0, 16).replace("T", " ");
}

/* milliseconds since the epoch as "YYYY-MM-DD" (UTC) */
export function day(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}
