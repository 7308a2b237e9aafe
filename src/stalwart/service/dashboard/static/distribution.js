/* Reference vs current per feature: GET /api/v1/models/{model}/distribution drawn as shares
 * per shared bin or category, with the drift test's numbers beside it. Default periods: the
 * last 7 days of events; the reference is the stored profile, else the first 7 days. */

import {ApiError, api, setView, view} from "./api.js";
import {distributionChart, emptyChart} from "./charts.js";
import {$, DAY, clear, day, el, fmtNum} from "./dom.js";

export async function loadDistributionControls(overview) {
  const modelSelect = $("dist-model");
  clear(modelSelect);
  for (const mdl of overview.models) modelSelect.append(el("option", {value: mdl.name},
    mdl.name));
  if (!overview.models.length) {
    emptyChart(clear($("dist-chart")), "Distributions", "no models yet");
    return;
  }
  const names = overview.models.map((m) => m.name);
  modelSelect.value = names.includes(view.get("model")) ? view.get("model") : names[0];
  await loadFeatures(overview, true);
}

export async function loadFeatures(overview, first) {
  const model = $("dist-model").value;
  const summary = overview.models.find((m) => m.name === model);
  const features = (await api("models/" + encodeURIComponent(model) + "/features")).features;
  const refs = (await api("models/" + encodeURIComponent(model) + "/references")).references;
  const select = clear($("dist-feature"));
  for (const f of features) select.append(el("option", {value: f}, f));
  const wanted = first ? view.get("feature") : null;
  if (features.length) select.value = features.includes(wanted) ? wanted : features[0];
  const fields = [["dist-start", "start"], ["dist-end", "end"],
    ["dist-ref-start", "reference_start"], ["dist-ref-end", "reference_end"]];
  const last = summary && summary.last_event ? Date.parse(summary.last_event) : null;
  const firstEvent = summary && summary.first_event ? Date.parse(summary.first_event) : null;
  const defaults = {start: last && day(Date.parse(day(last)) - 6 * DAY),
    end: last && day(Date.parse(day(last)) + DAY),
    reference_start: refs.includes("default") || !firstEvent ? "" : day(firstEvent),
    reference_end: refs.includes("default") || !firstEvent ? "" : day(firstEvent + 7 * DAY)};
  for (const [id, key] of fields) {
    $(id).value = (first && view.has(key)) ? view.get(key) : (defaults[key] || "");
  }
  if (!features.length) {
    emptyChart(clear($("dist-chart")), "Distributions", "no events of this model yet");
    return;
  }
  await loadDistribution();
}

export async function loadDistribution() {
  const model = $("dist-model").value;
  const query = {feature: $("dist-feature").value, start: $("dist-start").value.trim(),
    end: $("dist-end").value.trim(), reference_start: $("dist-ref-start").value.trim(),
    reference_end: $("dist-ref-end").value.trim()};
  setView("model", model);
  for (const [k, v] of Object.entries(query)) setView(k, v);
  const box = clear($("dist-chart"));
  const stat = $("dist-stat");
  stat.textContent = "";
  try {
    const d = await api("models/" + encodeURIComponent(model) + "/distribution",
      {params: query});
    distributionChart(box, d);
    const parts = [`method ${d.method || "none"}`, `statistic ${fmtNum(d.statistic)}`,
      `p-value ${fmtNum(d.p_value)}`,
      `${d.effect_name || "effect"} ${fmtNum(d.effect_size)} (threshold ${fmtNum(
        d.effect_threshold)})`,
      d.drifted ? "DRIFTED" : "no drift",
      `reference: ${d.reference_source}${d.approximate ? " (approximate, from sketches)" : ""}`];
    stat.textContent = parts.join(" · ");
    stat.className = "stat " + (d.drifted ? "drifted" : "stable");
    if (d.note) stat.append(el("span", {class: "note"}, " " + d.note));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
    emptyChart(box, `${query.feature}: reference vs current`, "no comparison");
    stat.className = "stat error";
    stat.textContent = err.message;
  }
}
