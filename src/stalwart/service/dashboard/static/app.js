/* stalwart monitoring dashboard: draws what /api/v1 returns and computes nothing.
 *
 * Modules: dom.js (safe element building: textContent and attributes, never innerHTML),
 * api.js (token from the URL fragment, view in the query string, fetch with the bearer
 * token), charts.js (inline SVG), windows.js, distribution.js, actions.js (the sections).
 * This file draws the models table, owns the token form and loads every section. */

import {ApiError, api, onUnauthorized, setToken, takeTokenFromFragment, token} from "./api.js";
import {loadAlerts, loadReview, onAlertChange} from "./actions.js";
import {loadDistribution, loadDistributionControls, loadFeatures} from "./distribution.js";
import {$, clear, el, fmtTime} from "./dom.js";
import {loadMonitors, loadWindows} from "./windows.js";

function showTokenForm(message) {
  $("main").hidden = true;
  $("token-form").hidden = false;
  $("token-error").textContent = message || "";
  $("token-input").focus();
}

function setStatus(text) {
  $("status").textContent = text;
}

function sectionError(node, err) {
  if (err instanceof ApiError && err.status === 401) return;
  clear(node).append(el("p", {class: "error"}, "Could not load: " + err.message));
}

function severityBadges(counts) {
  const span = el("span", {class: "badges"});
  const names = Object.keys(counts || {}).sort();
  if (!names.length) span.append(el("span", {class: "muted"}, "none"));
  for (const name of names) {
    span.append(el("span", {class: "badge sev-" + name}, `${name} ${counts[name]}`));
  }
  return span;
}

function renderModels(overview) {
  const body = clear($("models-table").tBodies[0]);
  if (!overview.models.length) {
    body.append(el("tr", {}, el("td", {colspan: 6, class: "empty"}, "no models yet")));
  }
  for (const mdl of overview.models) {
    body.append(el("tr", {"data-model": mdl.name},
      el("td", {class: "name"}, mdl.name),
      el("td", {}, mdl.versions.join(", ") || "none"),
      el("td", {class: "num"}, mdl.n_events),
      el("td", {}, fmtTime(mdl.last_event)),
      el("td", {}, mdl.monitors.join(", ") || "none"),
      el("td", {}, severityBadges(mdl.open_alerts))));
  }
}

let overviewCache = null;

async function refreshOverview() {
  overviewCache = await api("overview");
  renderModels(overviewCache);
  return overviewCache;
}

async function loadAll() {
  document.body.setAttribute("aria-busy", "true");
  setStatus("Loading...");
  try {
    await refreshOverview();
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) {
      setStatus("Could not load: " + err.message);
    }
    document.body.setAttribute("aria-busy", "false");
    return;
  }
  $("token-form").hidden = true;
  $("main").hidden = false;
  const jobs = [[loadMonitors, "windows-charts"], [() => loadDistributionControls(overviewCache),
    "dist-chart"], [loadAlerts, "alerts-message"], [loadReview, "review-message"]];
  await Promise.all(jobs.map(([job, box]) => job().catch((err) => sectionError($(box), err))));
  setStatus("");
  document.body.setAttribute("aria-busy", "false");
}

function start() {
  onUnauthorized(showTokenForm);
  onAlertChange(refreshOverview);
  takeTokenFromFragment();
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("token-input").value.trim();
    if (!value) return;
    setToken(value);
    $("token-input").value = "";
    loadAll();
  });
  $("forget-token").addEventListener("click", () => {
    setToken(null);
    showTokenForm("Token forgotten.");
  });
  $("monitor-select").addEventListener("change", () => loadWindows(false)
    .catch((err) => sectionError($("windows-charts"), err)));
  $("dist-model").addEventListener("change", () => loadFeatures(overviewCache, false)
    .catch((err) => sectionError($("dist-chart"), err)));
  $("dist-feature").addEventListener("change", () => loadDistribution());
  $("dist-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadDistribution();
  });
  window.addEventListener("hashchange", () => {
    if (takeTokenFromFragment()) loadAll();
  });
  if (!token()) {
    showTokenForm("");
    document.body.setAttribute("aria-busy", "false");
    return;
  }
  loadAll();
}

start();
