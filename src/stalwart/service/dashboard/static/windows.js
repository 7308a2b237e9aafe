/* Drift and performance over time: one line chart per chosen window metric of a monitor,
 * as GET /api/v1/monitors/{name}/windows returns them. */

import {api, setView, view} from "./api.js";
import {PALETTE, emptyChart, lineChart} from "./charts.js";
import {$, clear, el} from "./dom.js";

/* ticked by default when the monitor's windows hold them */
const PREFERRED_METRICS = ["drift_share", "drift_alarm", "accuracy", "estimated_accuracy",
  "novel_share", "latency_p99"];

let windowsCache = [];

export async function loadMonitors() {
  const select = $("monitor-select");
  const monitors = (await api("monitors")).monitors.map((m) => m.name);
  clear(select);
  for (const name of monitors) select.append(el("option", {value: name}, name));
  if (!monitors.length) {
    emptyChart(clear($("windows-charts")), "Window metrics", "no monitors yet");
    return;
  }
  const wanted = view.get("monitor");
  select.value = monitors.includes(wanted) ? wanted : monitors[0];
  await loadWindows(true);
}

export async function loadWindows(first) {
  const name = $("monitor-select").value;
  if (!first) setView("metrics", null);
  setView("monitor", name);
  const data = await api("monitors/" + encodeURIComponent(name) + "/windows");
  windowsCache = data.windows;
  const names = [];
  for (const w of windowsCache) {
    for (const k of Object.keys(w.metrics)) if (!names.includes(k)) names.push(k);
  }
  const picker = $("metric-picker");
  for (const node of [...picker.querySelectorAll("label")]) node.remove();
  const fromView = (view.get("metrics") || "").split(",").filter((k) => names.includes(k));
  let chosen = fromView.length ? fromView : PREFERRED_METRICS.filter((k) => names.includes(k));
  if (!chosen.length) chosen = names.slice(0, 3);
  for (const k of names) {
    const box = el("input", {type: "checkbox", value: k, checked: chosen.includes(k)});
    box.addEventListener("change", () => {
      const on = [...picker.querySelectorAll("input:checked")].map((i) => i.value);
      setView("metrics", on.join(","));
      drawWindows();
    });
    picker.append(el("label", {class: "pick"}, box, " " + k));
  }
  drawWindows();
}

function drawWindows() {
  const box = clear($("windows-charts"));
  const monitor = $("monitor-select").value;
  if (!windowsCache.length) {
    emptyChart(box, `Window metrics of ${monitor}`, "no windows yet");
    return;
  }
  const chosen = [...$("metric-picker").querySelectorAll("input:checked")].map((i) => i.value);
  if (!chosen.length) {
    emptyChart(box, `Window metrics of ${monitor}`, "no metric chosen: tick one above");
    return;
  }
  chosen.forEach((metric, i) => {
    const points = windowsCache.map((w) => [Date.parse(w.window_start),
      w.metrics[metric] === undefined ? null : w.metrics[metric]]);
    lineChart(box, {title: metric, xLabel: "window start (UTC)", yLabel: metric,
      empty: `no values of ${metric} yet`,
      series: [{name: metric, colour: PALETTE[i % PALETTE.length], points}]});
  });
}
