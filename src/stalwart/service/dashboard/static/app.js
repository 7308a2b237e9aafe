/* stalwart monitoring dashboard: draws what /api/v1 returns, computes nothing.
 *
 * Safe rendering: every piece of data goes into the page through textContent or
 * setAttribute on elements built with createElement / createElementNS; innerHTML is never
 * used. The bearer token comes from the URL fragment (#token=..., never sent to the
 * server), is kept in sessionStorage and removed from the address bar. View choices
 * (monitor, metrics, model, feature, periods) live in the query string so a view can be
 * shared without its token.
 */
"use strict";

(function () {
  const API = new URL("../api/v1/", document.baseURI).pathname;
  const SVGNS = "http://www.w3.org/2000/svg";
  const TOKEN_KEY = "stalwart.dashboard.token";
  const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf"];
  const REF_COLOUR = "#1f77b4";
  const CUR_COLOUR = "#ff7f0e";
  const PREFERRED_METRICS = ["drift_share", "drift_alarm", "accuracy", "estimated_accuracy",
    "novel_share", "latency_p99"];
  const DAY = 86400000;
  const params = new URLSearchParams(location.search);
  const $ = (id) => document.getElementById(id);

  // ---- DOM helpers -------------------------------------------------------------------
  function el(tag, attrs, ...children) {
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

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVGNS, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }

  function fmtNum(v) {
    if (v === null || v === undefined) return "n/a";
    if (typeof v !== "number") return String(v);
    if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(2);
    return String(Number(v.toPrecision(4)));
  }

  function fmtTime(iso) {
    if (!iso) return "never";
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return String(iso);
    return d.toISOString().slice(0, 16).replace("T", " ");
  }

  function day(ms) {
    return new Date(ms).toISOString().slice(0, 10);
  }

  function saveView() {
    const query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function setView(key, value) {
    if (value === null || value === undefined || value === "") params.delete(key);
    else params.set(key, value);
    saveView();
  }

  // ---- token and API -----------------------------------------------------------------
  function takeTokenFromFragment() {
    const fragment = new URLSearchParams(location.hash.slice(1));
    const token = fragment.get("token");
    if (token === null) return;
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    fragment.delete("token");
    const rest = fragment.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? "#" + rest : ""));
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  class ApiError extends Error {
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

  async function api(path, options) {
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
      showTokenForm("The server refused the token: " + detailOf(body, 401));
      throw new ApiError(401, detailOf(body, 401));
    }
    if (!resp.ok) throw new ApiError(resp.status, detailOf(body, resp.status));
    return body;
  }

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

  // ---- charts ------------------------------------------------------------------------
  function niceTicks(lo, hi, count) {
    const span = hi - lo;
    const raw = span / Math.max(count, 1);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) || mag * 10;
    const start = Math.ceil(lo / step - 1e-9) * step;
    const out = [];
    for (let t = start; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
    return out;
  }

  function frame(title, width, height) {
    const figure = el("figure", {class: "chart"});
    figure.append(el("figcaption", {}, title));
    const root = svg("svg", {viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
      "aria-label": title});
    figure.append(root);
    return [figure, root];
  }

  function legend(root, x, y, entries) {
    const g = svg("g", {class: "legend"});
    entries.forEach(([name, colour], i) => {
      const row = svg("g", {transform: `translate(${x},${y + i * 16})`});
      row.append(svg("rect", {x: 0, y: -9, width: 12, height: 10, fill: colour}));
      row.append(svg("text", {x: 16, y: 0}, name));
      g.append(row);
    });
    root.append(g);
  }

  function yAxis(root, m, width, height, lo, hi, label) {
    const ticks = niceTicks(lo, hi, 4);
    const y = (v) => m.t + (height - m.t - m.b) * (1 - (v - lo) / (hi - lo));
    for (const t of ticks) {
      root.append(svg("line", {class: "grid", x1: m.l, x2: width - m.r, y1: y(t), y2: y(t)}));
      root.append(svg("text", {class: "tick", x: m.l - 6, y: y(t) + 4, "text-anchor": "end"},
        fmtNum(t)));
    }
    root.append(svg("line", {class: "axis", x1: m.l, x2: m.l, y1: m.t, y2: height - m.b}));
    root.append(svg("text", {class: "axis-label", transform:
      `translate(12,${(m.t + height - m.b) / 2}) rotate(-90)`, "text-anchor": "middle"}, label));
    return y;
  }

  function emptyChart(box, title, message) {
    const [figure, root] = frame(title, 370, 120);
    root.append(svg("text", {class: "empty", x: 185, y: 64, "text-anchor": "middle"}, message));
    box.append(figure);
  }

  /* series: [{name, colour, points: [[ms, value|null], ...]}] */
  function lineChart(box, spec) {
    const W = 370, H = 220, m = {l: 58, r: 16, t: 34, b: 46};
    const values = spec.series.flatMap((s) => s.points.filter((p) => p[1] !== null));
    if (!values.length) {
      emptyChart(box, spec.title, spec.empty);
      return;
    }
    const [figure, root] = frame(spec.title, W, H);
    root.setAttribute("data-metric", spec.title);
    let [x0, x1] = [Math.min(...values.map((p) => p[0])), Math.max(...values.map((p) => p[0]))];
    if (x0 === x1) [x0, x1] = [x0 - DAY, x1 + DAY];
    let lo = Math.min(0, ...values.map((p) => p[1]));
    let hi = Math.max(...values.map((p) => p[1]));
    if (hi === lo) hi = lo + 1;
    const ticks = niceTicks(lo, hi, 4);
    lo = Math.min(lo, ticks[0]);
    hi = Math.max(hi, ticks[ticks.length - 1]);
    const y = yAxis(root, m, W, H, lo, hi, spec.yLabel);
    const x = (v) => m.l + (W - m.l - m.r) * (v - x0) / (x1 - x0);
    root.append(svg("line", {class: "axis", x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b}));
    const short = x1 - x0 < 3 * DAY;
    for (let i = 0; i <= 4; i++) {
      const t = x0 + (x1 - x0) * i / 4;
      const text = short ? new Date(t).toISOString().slice(5, 16).replace("T", " ")
        : new Date(t).toISOString().slice(5, 10);
      const anchor = i === 0 ? "start" : i === 4 ? "end" : "middle";
      root.append(svg("text", {class: "tick", x: x(t), y: H - m.b + 16, "text-anchor": anchor},
        text));
    }
    root.append(svg("text", {class: "axis-label", x: (m.l + W - m.r) / 2, y: H - 8,
      "text-anchor": "middle"}, spec.xLabel));
    for (const s of spec.series) {
      let d = "";
      let pen = "M";
      for (const [px, py] of s.points) {
        if (py === null) {
          pen = "M";
          continue;
        }
        d += `${pen}${x(px).toFixed(1)},${y(py).toFixed(1)} `;
        pen = "L";
      }
      root.append(svg("path", {class: "series", d: d.trim(), stroke: s.colour, fill: "none",
        "stroke-width": 2}));
      for (const [px, py] of s.points) {
        if (py === null) continue;
        const dot = svg("circle", {class: "point", cx: x(px), cy: y(py), r: 4, fill: s.colour});
        dot.append(svg("title", {}, `${day(px)}: ${fmtNum(py)}`));
        root.append(dot);
      }
    }
    legend(root, W - m.r - 140, 14, spec.series.map((s) => [s.name, s.colour]));
    box.append(figure);
  }

  /* reference and current shares side by side, one slot per bin or category */
  function distributionChart(box, d) {
    const title = `${d.feature}: reference vs current`;
    if (!d.reference || !d.current) {
      emptyChart(box, title, "not compared: " + (d.note || "no data"));
      return;
    }
    const numeric = Array.isArray(d.reference.edges);
    // datetime edges are nanoseconds since the epoch (as the drift test compared them)
    const fmtEdge = (v) => d.kind === "datetime" ? fmtTime(new Date(v / 1e6).toISOString())
      : fmtNum(v);
    const slots = d.reference.shares.length;
    const W = 900, H = 300, m = {l: 58, r: 14, t: 40, b: numeric ? 50 : 70};
    const [figure, root] = frame(title, W, H);
    const hi = Math.max(...d.reference.shares, ...d.current.shares, 0.01);
    const top = niceTicks(0, hi, 4).slice(-1)[0];
    const y = yAxis(root, m, W, H, 0, Math.max(top, hi), "share of rows");
    const slot = (W - m.l - m.r) / slots;
    root.append(svg("line", {class: "axis", x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b}));
    const sides = [["ref", d.reference, REF_COLOUR], ["cur", d.current, CUR_COLOUR]];
    for (let i = 0; i < slots; i++) {
      sides.forEach(([cls, hist, colour], k) => {
        const share = hist.shares[i];
        const label = numeric ? `(${fmtEdge(hist.edges[i])}, ${fmtEdge(hist.edges[i + 1])}]`
          : hist.categories[i];
        const bar = svg("rect", {class: "bar " + cls, x: m.l + slot * i + slot * (0.1 + 0.4 * k),
          y: y(share), width: slot * 0.4, height: Math.max(0, y(0) - y(share)), fill: colour});
        bar.append(svg("title", {}, `${label}: ${hist.counts[i]} rows (${fmtNum(share)})`));
        root.append(bar);
      });
      if (!numeric) {
        const cx = m.l + slot * (i + 0.5);
        root.append(svg("text", {class: "tick category", x: cx, y: H - m.b + 14,
          "text-anchor": "end", transform: `rotate(-30 ${cx} ${H - m.b + 14})`},
          String(d.reference.categories[i]).slice(0, 24)));
      }
    }
    if (numeric) {
      const every = Math.max(1, Math.ceil((slots + 1) / 8));
      d.reference.edges.forEach((edge, i) => {
        if (i % every && i !== slots) return;
        const anchor = i === 0 ? "start" : i === slots ? "end" : "middle";
        root.append(svg("text", {class: "tick", x: m.l + slot * i, y: H - m.b + 16,
          "text-anchor": anchor}, fmtEdge(edge)));
      });
    }
    root.append(svg("text", {class: "axis-label", x: (m.l + W - m.r) / 2, y: H - 6,
      "text-anchor": "middle"}, numeric ? `${d.feature} (bins between reference quantiles)`
      : `${d.feature} (categories)`));
    legend(root, W - m.r - 190, 14, [[`reference (${d.n_reference} rows)`, REF_COLOUR],
      [`current (${d.n_current} rows)`, CUR_COLOUR]]);
    box.append(figure);
  }

  // ---- models ------------------------------------------------------------------------
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

  // ---- windows over time -------------------------------------------------------------
  let windowsCache = [];

  async function loadMonitors() {
    const select = $("monitor-select");
    const monitors = (await api("monitors")).monitors.map((m) => m.name);
    clear(select);
    for (const name of monitors) select.append(el("option", {value: name}, name));
    if (!monitors.length) {
      emptyChart(clear($("windows-charts")), "Window metrics", "no monitors yet");
      return;
    }
    const wanted = params.get("monitor");
    select.value = monitors.includes(wanted) ? wanted : monitors[0];
    await loadWindows(true);
  }

  async function loadWindows(first) {
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
    const fromView = (params.get("metrics") || "").split(",").filter((k) => names.includes(k));
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

  // ---- distributions -----------------------------------------------------------------
  async function loadDistributionControls(overview) {
    const modelSelect = $("dist-model");
    clear(modelSelect);
    for (const mdl of overview.models) modelSelect.append(el("option", {value: mdl.name},
      mdl.name));
    if (!overview.models.length) {
      emptyChart(clear($("dist-chart")), "Distributions", "no models yet");
      return;
    }
    const names = overview.models.map((m) => m.name);
    modelSelect.value = names.includes(params.get("model")) ? params.get("model") : names[0];
    await loadFeatures(overview, true);
  }

  async function loadFeatures(overview, first) {
    const model = $("dist-model").value;
    const summary = overview.models.find((m) => m.name === model);
    const features = (await api("models/" + encodeURIComponent(model) + "/features")).features;
    const refs = (await api("models/" + encodeURIComponent(model) + "/references")).references;
    const select = clear($("dist-feature"));
    for (const f of features) select.append(el("option", {value: f}, f));
    const wanted = first ? params.get("feature") : null;
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
      $(id).value = (first && params.has(key)) ? params.get(key) : (defaults[key] || "");
    }
    if (!features.length) {
      emptyChart(clear($("dist-chart")), "Distributions", "no events of this model yet");
      return;
    }
    await loadDistribution();
  }

  async function loadDistribution() {
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

  // ---- alerts ------------------------------------------------------------------------
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
      await Promise.all([loadAlerts(), refreshOverview()]);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      message.className = "message error";
      message.textContent = writeRefused(err, status === "resolved" ? "resolving an alert"
        : "acknowledging an alert");
    }
  }

  async function loadAlerts() {
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

  async function loadReview() {
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

  // ---- start -------------------------------------------------------------------------
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
    takeTokenFromFragment();
    $("token-form").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("token-input").value.trim();
      if (!value) return;
      sessionStorage.setItem(TOKEN_KEY, value);
      $("token-input").value = "";
      loadAll();
    });
    $("forget-token").addEventListener("click", () => {
      sessionStorage.removeItem(TOKEN_KEY);
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
      if (new URLSearchParams(location.hash.slice(1)).has("token")) {
        takeTokenFromFragment();
        loadAll();
      }
    });
    if (!token()) {
      showTokenForm("");
      document.body.setAttribute("aria-busy", "false");
      return;
    }
    loadAll();
  }

  document.addEventListener("DOMContentLoaded", start);
})();
