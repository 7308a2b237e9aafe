/* Alerts and the review queue: tables of what the store holds, with the two writes an admin
 * token may make (alert status, review label). A read token's write shows the server's 403
 * as a sentence; nothing changes. */

import {ApiError, api} from "./api.js";
import {$, clear, el, fmtNum, fmtTime} from "./dom.js";

let changed = async () => {};

/* what else to refresh after an alert changed (the models overview counts alerts) */
export function onAlertChange(handler) {
  changed = handler;
}

function writeRefused(err, what) {
  if (err instanceof ApiError && err.status === 403) {
    return `This token may only read: ${what} needs a token with the admin scope. ` +
      `(${err.message})`;
  }
  return `Could not ${what}: ${err.message}`;
}

async function setAlertStatus(alert, status) {
  const message = $("alerts-message");
  try {
    await api(`alerts/${alert.id}/status`, {method: "POST", body: {status}});
    message.className = "message ok";
    message.textContent = `Alert #${alert.id} (${alert.rule}) is now ${status}.`;
    await Promise.all([loadAlerts(), changed()]);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    message.className = "message error";
    message.textContent = writeRefused(err, status === "resolved" ? "resolving an alert"
      : "acknowledging an alert");
  }
}

export async function loadAlerts() {
  const body = $("alerts-table").tBodies[0];
  const alerts = (await api("alerts")).alerts;
  clear(body);
  if (!alerts.length) {
    body.append(el("tr", {}, el("td", {colspan: 9, class: "empty"}, "no alerts")));
  }
  for (const a of alerts) {
    const actions = el("td", {class: "actions"});
    if (a.status === "open") {
      const ack = el("button", {type: "button", "data-action": "acknowledge"}, "Acknowledge");
      ack.addEventListener("click", () => setAlertStatus(a, "acknowledged"));
      actions.append(ack);
    }
    if (a.status !== "resolved") {
      const res = el("button", {type: "button", "data-action": "resolve"}, "Resolve");
      res.addEventListener("click", () => setAlertStatus(a, "resolved"));
      actions.append(res);
    }
    body.append(el("tr", {"data-alert": a.id, class: "status-" + a.status},
      el("td", {class: "num"}, a.id),
      el("td", {}, el("span", {class: "badge sev-" + a.severity}, a.severity)),
      el("td", {class: "status"}, a.status), el("td", {}, a.rule), el("td", {}, a.monitor),
      el("td", {}, fmtTime(a.first_seen)), el("td", {}, fmtTime(a.last_seen)),
      el("td", {class: "num"}, a.count), actions));
  }
}

// ---- review queue ------------------------------------------------------------------
function keyValues(obj) {
  const list = el("dl", {class: "kv"});
  for (const [k, v] of Object.entries(obj || {})) {
    const text = typeof v === "object" && v !== null
      ? Object.entries(v).map(([ik, iv]) => `${ik}: ${fmtNum(iv)}`).join(", ") : fmtNum(v);
    list.append(el("dt", {}, k), el("dd", {}, text));
  }
  return list;
}

function parseLabel(text) {
  try {
    return JSON.parse(text);
  } catch (err) {
    return text;
  }
}

async function resolveItem(item, input) {
  const message = $("review-message");
  if (!input.value.trim()) {
    message.className = "message error";
    message.textContent = `Type the true label of event ${item.event_id} first.`;
    return;
  }
  try {
    await api(`review/${item.id}/resolve`, {method: "POST",
      body: {label: parseLabel(input.value.trim())}});
    message.className = "message ok";
    message.textContent = `Review #${item.id} resolved; its label is stored.`;
    await loadReview();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    message.className = "message error";
    message.textContent = writeRefused(err, "resolving a review item");
  }
}

export async function loadReview() {
  const body = $("review-table").tBodies[0];
  const items = (await api("review/queue", {params: {status: "open"}})).items;
  clear(body);
  if (!items.length) {
    body.append(el("tr", {}, el("td", {colspan: 8, class: "empty"}, "the queue is empty")));
  }
  for (const item of items) {
    const input = el("input", {type: "text", size: 6, "aria-label":
      `label of event ${item.event_id}`});
    const button = el("button", {type: "button", "data-action": "resolve"}, "Resolve");
    button.addEventListener("click", () => resolveItem(item, input));
    body.append(el("tr", {"data-review": item.id},
      el("td", {class: "num"}, item.id), el("td", {}, item.event_id),
      el("td", {}, item.model || "unknown"), el("td", {}, item.reason),
      el("td", {}, fmtTime(item.created)), el("td", {}, keyValues(item.features)),
      el("td", {}, keyValues(item.outputs)), el("td", {class: "actions"}, input, button)));
  }
}
