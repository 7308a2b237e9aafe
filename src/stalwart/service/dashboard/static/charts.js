/* Charts as inline SVG: axes, tick labels, axis labels, a legend, and a sentence when there
 * is nothing to draw. They draw the numbers they are given and compute none. */

import {DAY, day, el, fmtNum, fmtTime, svg} from "./dom.js";

export const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf"];
const REF_COLOUR = "#1f77b4";
const CUR_COLOUR = "#ff7f0e";

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

export function emptyChart(box, title, message) {
  const [figure, root] = frame(title, 370, 120);
  root.append(svg("text", {class: "empty", x: 185, y: 64, "text-anchor": "middle"}, message));
  box.append(figure);
}

/* series: [{name, colour, points: [[ms, value|null], ...]}] */
export function lineChart(box, spec) {
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
export function distributionChart(box, d) {
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
