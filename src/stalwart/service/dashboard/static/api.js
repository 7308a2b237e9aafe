/* What the dashboard keeps in the URL and sends to the server.
 *
 * The bearer token arrives in the fragment (#token=..., which browsers never send), is kept
 * in sessionStorage and removed from the address bar. View choices live in the query string
 * so a view can be shared without its token. Every call goes to ../api/v1/ of this page. */

const API = new URL("../api/v1/", document.baseURI).pathname;
const TOKEN_KEY = "stalwart.dashboard.token";

export const view = new URLSearchParams(location.search);

export function setView(key, value) {
  if (value === null || value === undefined || value === "") view.delete(key);
  else view.set(key, value);
  const query = view.toString();
  history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
}

/* move a #token=... into sessionStorage and out of the address bar; true if there was one */
export function takeTokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = fragment.get("token");
  if (given === null) return false;
  if (given) sessionStorage.setItem(TOKEN_KEY, given);
  fragment.delete("token");
  const rest = fragment.toString();
  history.replaceState(null, "", location.pathname + location.search + (rest ? "#" + rest : ""));
  return true;
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

function detailOf(body, status) {
  if (body && typeof body.detail === "string") return body.detail;
  if (body && Array.isArray(body.detail)) {
    return body.detail.map((e) => (e.loc || []).join(".") + ": " + e.msg).join("; ");
  }
  return "HTTP " + status;
}

let unauthorized = () => {};

/* what to do when the server answers 401 (the page shows its token form) */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/* GET (or options.method) API + path with options.params as the query and options.body as
 * JSON; the parsed answer, or an ApiError with the server's detail */
export async function api(path, options) {
  const opts = options || {};
  const url = new URL(API + path, location.origin);
  for (const [k, v] of Object.entries(opts.params || {})) {
    if (v !== null && v !== undefined && v !== "") url.searchParams.set(k, v);
  }
  const headers = {"Authorization": "Bearer " + (token() || ""), "Accept": "application/json"};
  const init = {method: opts.method || "GET", headers, credentials: "omit", cache: "no-store"};
  if (opts.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(opts.body);
  }
  const resp = await fetch(url, init);
  let body = null;
  try {
    body = await resp.json();
  } catch (err) {
    body = null;
  }
  if (resp.status === 401) {
    unauthorized("The server refused the token: " + detailOf(body, 401));
    throw new ApiError(401, detailOf(body, 401));
  }
  if (!resp.ok) throw new ApiError(resp.status, detailOf(body, resp.status));
  return body;
}
