// SVG charts for the experiment reports, as strings with no dependencies. The output is a pure
// function of the input: numbers are written with fixed rounding, colours come from a fixed
// palette in a fixed order, and nothing reads the clock or a random source, so a report can be
// regenerated and diffed. docs/report-charts.md.

/** Series colours, in order of use (Tableau 10: distinguishable, readable on white). */
export const PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

const FONT = 'font-family="Helvetica, Arial, sans-serif"';
/** Rough advance of one character in a sans-serif face, as a fraction of the font size. */
const CHAR_WIDTH = 0.6;

// ---- Text and numbers ----------------------------------------------------------------------

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return String(text)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A coordinate: two decimals at most, no trailing zeros, never "-0". */
function num(v: number): string {
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

function fixed(v: number, decimals: number): string {
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`)
    .join('');
}

function el(name: string, a: Record<string, string | number>, body?: string): string {
  return body === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${body}</${name}>`;
}

function label(x: number, y: number, content: string, a: Record<string, string | number> = {}): string {
  return el('text', { x, y, ...a }, escapeXml(content));
}

function textWidth(content: string, size: number): number {
  return content.length * size * CHAR_WIDTH;
}

// ---- Ticks ---------------------------------------------------------------------------------

export interface Ticks {
  /** Tick values, ascending, evenly spaced by `step`. */
  values: number[];
  step: number;
  /** Decimals that show every tick exactly. */
  decimals: number;
}

/**
 * "Nice" linear ticks: the step is the smallest of 1, 2 or 5 times a power of ten that is at
 * least (max - min) / target, and the ticks run from the largest multiple of the step at or
 * below min to the smallest at or above max. 0..7.3 → step 2: 0, 2, 4, 6, 8. 0..1 → step 0.2.
 * An empty range (min = max) is widened by half its magnitude (or by 1 around 0).
 */
export function niceTicks(min: number, max: number, target = 5): Ticks {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError(`niceTicks: range ${min}..${max} is not finite`);
  if (min > max) [min, max] = [max, min];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) / 2;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, target);
  const exponent = Math.floor(Math.log10(raw));
  const fraction = raw / 10 ** exponent;
  // `fraction` is in [1, 10); the tolerance keeps 2.0000000000000004 a 2.
  const mantissa = [1, 2, 5].find((m) => fraction <= m * (1 + 1e-9)) ?? 10;
  const step = mantissa * 10 ** exponent;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const values: number[] = [];
  for (let i = first; i <= last; i++) values.push(Number((i * step).toFixed(decimals)));
  return { values, step, decimals };
}

/**
 * Logarithmic ticks: the powers of ten around [min, max]; when that gives fewer than four,
 * 2 and 5 times each power as well. Both bounds must be positive.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0) || !Number.isFinite(min) || !Number.isFinite(max)) {
    throw new RangeError(`logTicks: range ${min}..${max} is not positive and finite`);
  }
  if (min > max) [min, max] = [max, min];
  const lo = Math.floor(Math.log10(min) + 1e-9);
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(max) - 1e-9));
  const multiples = hi - lo + 1 < 4 ? [1, 2, 5] : [1];
  const values: number[] = [];
  for (let e = lo; e <= hi; e++) {
    for (const m of multiples) {
      const v = Number((m * 10 ** e).toPrecision(1));
      if (e < hi || m === 1) values.push(v);
    }
  }
  return values;
}

function logLabel(v: number): string {
  const e = Math.floor(Math.log10(v) + 1e-9);
  if (e < -4 || e > 6) return v.toExponential(0);
  return fixed(v, Math.max(0, -e));
}

// ---- Quantiles -----------------------------------------------------------------------------

/**
 * Quantile by linear interpolation between order statistics, Hyndman & Fan type 7 (the default
 * of R's quantile() and numpy.quantile): with the n values sorted as x[0..n-1] and h = (n-1)·p,
 * Q(p) = x[⌊h⌋] + (h - ⌊h⌋)·(x[⌊h⌋+1] - x[⌊h⌋]).
 */
export function quantile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile: p = ${p} is outside [0, 1]`);
  if (values.length === 0) throw new RangeError('quantile: no values');
  if (values.some((v) => !Number.isFinite(v))) throw new RangeError('quantile: values must be finite numbers');
  const x = [...values].sort((a, b) => a - b);
  const h = (x.length - 1) * p;
  const i = Math.floor(h);
  return i + 1 < x.length ? x[i] + (h - i) * (x[i + 1] - x[i]) : x[i];
}

export interface BoxStats {
  n: number;
  q1: number;
  median: number;
  q3: number;
  /** Most extreme values within 1.5·IQR of the quartiles (Tukey). */
  whiskerLow: number;
  whiskerHigh: number;
  /** Values beyond the whiskers, ascending. */
  outliers: number[];
}

/** Box-and-whisker summary of the finite values; null when there are none. */
export function boxStats(values: readonly number[]): BoxStats | null {
  const x = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (x.length === 0) return null;
  const q1 = quantile(x, 0.25);
  const q3 = quantile(x, 0.75);
  const reach = 1.5 * (q3 - q1);
  const inside = x.filter((v) => v >= q1 - reach && v <= q3 + reach);
  return {
    n: x.length,
    q1,
    median: quantile(x, 0.5),
    q3,
    whiskerLow: inside[0],
    whiskerHigh: inside[inside.length - 1],
    outliers: x.filter((v) => v < q1 - reach || v > q3 + reach),
  };
}

// ---- Frame: canvas, axes, legend -----------------------------------------------------------

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function open(width: number, height: number, title: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="11">` +
    el('rect', { width, height, fill: '#ffffff' }) +
    label(width / 2, 24, title, { 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 'bold' })
  );
}

/** A chart with nothing to plot still says so, rather than drawing empty axes. */
function noData(title: string, width: number, height: number): string {
  return open(width, height, title) + label(width / 2, height / 2, 'no data', { 'text-anchor': 'middle', 'font-size': 14, fill: '#666666' }) + '</svg>';
}

type Scale = (v: number) => number;

function linear(d0: number, d1: number, r0: number, r1: number): Scale {
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

function logarithmic(d0: number, d1: number, r0: number, r1: number): Scale {
  const s = linear(Math.log10(d0), Math.log10(d1), r0, r1);
  return (v) => s(Math.log10(v));
}

function xAxis(plot: Rect, ticks: number[], scale: Scale, format: (v: number) => string, title: string): string {
  let out = el('line', { x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: '#333333' });
  for (const t of ticks) {
    const x = scale(t);
    out += el('line', { x1: x, y1: plot.top, x2: x, y2: plot.bottom, stroke: '#e5e5e5' });
    out += el('line', { x1: x, y1: plot.bottom, x2: x, y2: plot.bottom + 5, stroke: '#333333' });
    out += label(x, plot.bottom + 18, format(t), { 'text-anchor': 'middle' });
  }
  return out + label((plot.left + plot.right) / 2, plot.bottom + 40, title, { 'text-anchor': 'middle', 'font-size': 12 });
}

function yAxis(plot: Rect, ticks: number[], scale: Scale, format: (v: number) => string, title: string): string {
  let out = el('line', { x1: plot.left, y1: plot.top, x2: plot.left, y2: plot.bottom, stroke: '#333333' });
  for (const t of ticks) {
    const y = scale(t);
    out += el('line', { x1: plot.left, y1: y, x2: plot.right, y2: y, stroke: '#e5e5e5' });
    out += el('line', { x1: plot.left - 5, y1: y, x2: plot.left, y2: y, stroke: '#333333' });
    out += label(plot.left - 8, y + 4, format(t), { 'text-anchor': 'end' });
  }
  const cy = (plot.top + plot.bottom) / 2;
  return out + label(16, cy, title, { 'text-anchor': 'middle', 'font-size': 12, transform: `rotate(-90 16 ${num(cy)})` });
}

interface LegendEntry {
  name: string;
  colour: string;
}

function legend(x: number, y: number, entries: LegendEntry[], swatch: 'line' | 'box'): string {
  let out = '<g class="legend">';
  entries.forEach((e, i) => {
    const cy = y + i * 18;
    out +=
      swatch === 'line'
        ? el('line', { x1: x, y1: cy, x2: x + 18, y2: cy, stroke: e.colour, 'stroke-width': 2 }) + el('circle', { cx: x + 9, cy, r: 3, fill: e.colour })
        : el('rect', { x, y: cy - 6, width: 18, height: 12, fill: e.colour });
    out += label(x + 24, cy + 4, e.name);
  });
  return out + '</g>';
}

// ---- Line chart ----------------------------------------------------------------------------

export interface LineSeries {
  name: string;
  /** [x, y]; a non-finite coordinate (NaN, null) is a missing point and breaks the line. */
  points: readonly (readonly [number, number | null])[];
}

export interface LineChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  /** Logarithmic x axis; points with x <= 0 count as missing. */
  logX?: boolean;
  /** Fixed y range; points outside it are clipped. */
  yMin?: number;
  yMax?: number;
}

const LINE = { width: 720, height: 420, plot: { left: 72, top: 44, right: 540, bottom: 364 } };

/** Series as polylines with a marker at every point, nice ticks, a legend on the right. */
export function lineChart(spec: LineChartSpec): string {
  const { width, height, plot } = LINE;
  const usable = (x: number, y: number | null): y is number => Number.isFinite(x) && Number.isFinite(y) && (!spec.logX || x > 0);
  const all = spec.series.flatMap((s) => s.points.filter(([x, y]) => usable(x, y)) as [number, number][]);
  if (spec.series.length === 0 || all.length === 0) return noData(spec.title, width, height);

  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  let xTicks: number[];
  let xScale: Scale;
  let xFormat: (v: number) => string;
  if (spec.logX) {
    xTicks = logTicks(Math.min(...xs), Math.max(...xs));
    xScale = logarithmic(xTicks[0], xTicks[xTicks.length - 1], plot.left, plot.right);
    xFormat = logLabel;
  } else {
    const t = niceTicks(Math.min(...xs), Math.max(...xs));
    xTicks = t.values;
    xScale = linear(xTicks[0], xTicks[xTicks.length - 1], plot.left, plot.right);
    xFormat = (v) => fixed(v, t.decimals);
  }
  if (spec.yMin !== undefined && spec.yMax !== undefined && !(spec.yMin < spec.yMax)) {
    throw new RangeError(`lineChart: yMin ${spec.yMin} is not below yMax ${spec.yMax}`);
  }
  let yLo = spec.yMin ?? Math.min(...ys);
  let yHi = spec.yMax ?? Math.max(...ys);
  // One fixed bound with every point beyond it: keep the fixed end and give the axis some length.
  if (yHi <= yLo && spec.yMin !== undefined) yHi = yLo + (Math.abs(yLo) || 1);
  else if (yHi <= yLo && spec.yMax !== undefined) yLo = yHi - (Math.abs(yHi) || 1);
  const yt = niceTicks(yLo, yHi);
  // A bound given by the caller is the axis end; otherwise the axis ends on a tick.
  const y0 = spec.yMin ?? yt.values[0];
  const y1 = spec.yMax ?? yt.values[yt.values.length - 1];
  const yTicks = yt.values.filter((v) => v >= y0 - 1e-9 * yt.step && v <= y1 + 1e-9 * yt.step);
  const yScale = linear(y0, y1 === y0 ? y0 + 1 : y1, plot.bottom, plot.top);

  let out = open(width, height, spec.title);
  // Padded by a marker radius, so a point on the axis end keeps its whole marker.
  const pad = 3;
  const area = { x: plot.left - pad, y: plot.top - pad, width: plot.right - plot.left + 2 * pad, height: plot.bottom - plot.top + 2 * pad };
  out += `<defs><clipPath id="line-plot-area">${el('rect', area)}</clipPath></defs>`;
  out += xAxis(plot, xTicks, xScale, xFormat, spec.xLabel);
  out += yAxis(plot, yTicks, yScale, (v) => fixed(v, yt.decimals), spec.yLabel);
  out += '<g clip-path="url(#line-plot-area)">';
  spec.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    out += `<g class="series"${attrs({ 'data-name': s.name })}>`;
    for (const run of runs(s.points, usable)) {
      const coords = run.map(([x, y]) => `${num(xScale(x))},${num(yScale(y))}`);
      if (run.length > 1) out += el('polyline', { points: coords.join(' '), fill: 'none', stroke: colour, 'stroke-width': 1.5 });
      for (const c of coords) {
        const [cx, cy] = c.split(',');
        out += `<circle cx="${cx}" cy="${cy}" r="2.5" fill="${colour}"/>`;
      }
    }
    out += '</g>';
  });
  out += '</g>';
  out += legend(plot.right + 24, plot.top + 8, spec.series.map((s, i) => ({ name: s.name, colour: PALETTE[i % PALETTE.length] })), 'line');
  return out + '</svg>';
}

/** Maximal stretches of consecutive usable points: a missing point ends a stretch. */
function runs(points: LineSeries['points'], usable: (x: number, y: number | null) => boolean): [number, number][][] {
  const out: [number, number][][] = [];
  let current: [number, number][] = [];
  for (const [x, y] of points) {
    if (usable(x, y)) current.push([x, y as number]);
    else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

// ---- Gantt chart ---------------------------------------------------------------------------

export interface GanttBar {
  /** Index into `rows`. */
  row: number;
  start: number;
  end: number;
  /** Bars with the same key share a colour (e.g. the pipeline step). */
  key: string | number;
  /** Short text drawn inside the bar when it fits (e.g. the package letter). */
  label?: string;
}

export interface GanttLegendEntry {
  key: string | number;
  name: string;
  /** Overrides the palette, e.g. to match a figure's colours. */
  colour?: string;
}

export interface GanttSpec {
  title: string;
  rows: readonly string[];
  bars: readonly GanttBar[];
  /** Order, names and colours of the keys; unlisted keys follow in order of appearance. */
  legend?: readonly GanttLegendEntry[];
  xLabel: string;
}

const GANTT = { width: 760, rowHeight: 26, barHeight: 18, top: 44, bottom: 56, legendWidth: 150 };

/** A timeline: one row per node, one bar per busy interval, coloured by key. */
export function gantt(spec: GanttSpec): string {
  const { width, rowHeight, barHeight, top, bottom, legendWidth } = GANTT;
  const height = top + Math.max(1, spec.rows.length) * rowHeight + bottom;
  if (spec.rows.length === 0 || spec.bars.length === 0) return noData(spec.title, width, height);
  spec.bars.forEach((b, i) => {
    if (!Number.isInteger(b.row) || b.row < 0 || b.row >= spec.rows.length) throw new RangeError(`gantt: bar ${i} has row ${b.row}, not one of the ${spec.rows.length} rows`);
    if (!Number.isFinite(b.start) || !Number.isFinite(b.end) || b.end < b.start) throw new RangeError(`gantt: bar ${i} runs from ${b.start} to ${b.end}`);
  });

  const colours = keyColours(spec);
  const rowLabelWidth = Math.max(56, ...spec.rows.map((r) => textWidth(r, 11) + 16));
  const plot: Rect = { left: rowLabelWidth, top, right: width - legendWidth, bottom: top + spec.rows.length * rowHeight };
  const ticks = niceTicks(Math.min(...spec.bars.map((b) => b.start)), Math.max(...spec.bars.map((b) => b.end)));
  const t0 = ticks.values[0];
  const t1 = ticks.values[ticks.values.length - 1];
  const x = linear(t0, t1, plot.left, plot.right);

  let out = open(width, height, spec.title);
  spec.rows.forEach((name, r) => {
    const y = top + r * rowHeight;
    if (r % 2 === 1) out += el('rect', { x: plot.left, y, width: plot.right - plot.left, height: rowHeight, fill: '#f4f4f4' });
    out += label(plot.left - 8, y + rowHeight / 2 + 4, name, { 'text-anchor': 'end' });
  });
  out += xAxis(plot, ticks.values, x, (v) => fixed(v, ticks.decimals), spec.xLabel);
  out += '<g class="bars">';
  for (const b of spec.bars) {
    const colour = colours.get(String(b.key))!.colour;
    const bx = x(b.start);
    const bw = x(b.end) - bx;
    const by = top + b.row * rowHeight + (rowHeight - barHeight) / 2;
    const tip = `${spec.rows[b.row]}: ${colours.get(String(b.key))!.name}${b.label ? ` ${b.label}` : ''}, ${b.start}-${b.end}`;
    out += el('rect', { class: 'bar', x: bx, y: by, width: bw, height: barHeight, fill: colour, stroke: '#ffffff', 'stroke-width': 0.5 }, `<title>${escapeXml(tip)}</title>`);
    if (b.label && textWidth(b.label, 10) <= bw - 4) {
      out += label(bx + bw / 2, by + barHeight / 2 + 3.5, b.label, { 'text-anchor': 'middle', 'font-size': 10, fill: contrast(colour) });
    }
  }
  out += '</g>';
  out += legend(plot.right + 20, top + 8, [...colours.values()], 'box');
  return out + '</svg>';
}

function keyColours(spec: GanttSpec): Map<string, LegendEntry> {
  const out = new Map<string, LegendEntry>();
  const next = () => PALETTE[out.size % PALETTE.length];
  for (const e of spec.legend ?? []) {
    if (!out.has(String(e.key))) out.set(String(e.key), { name: e.name, colour: e.colour ?? next() });
  }
  for (const b of spec.bars) {
    if (!out.has(String(b.key))) out.set(String(b.key), { name: String(b.key), colour: next() });
  }
  return out;
}

/** Black or white, whichever reads better on `hex` (#rrggbb), by relative luminance. */
function contrast(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#000000';
  const [r, g, b] = m.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#000000' : '#ffffff';
}

// ---- Box plot ------------------------------------------------------------------------------

export interface BoxSeries {
  name: string;
  /** Non-finite values are ignored. */
  values: readonly number[];
}

export interface BoxGroup {
  name: string;
  series: readonly BoxSeries[];
}

export interface BoxPlotSpec {
  title: string;
  yLabel: string;
  groups: readonly BoxGroup[];
}

const BOX = { width: 720, height: 420, plot: { left: 72, top: 44, right: 540, bottom: 364 } };

/**
 * One box per series within each group: quartiles (type 7, see `quantile`), the median, whiskers
 * to the furthest values within 1.5·IQR, outliers as open dots. A series is coloured by its name,
 * so the same series has the same colour in every group.
 */
export function boxPlot(spec: BoxPlotSpec): string {
  const { width, height, plot } = BOX;
  const values = spec.groups.flatMap((g) => g.series.flatMap((s) => s.values.filter(Number.isFinite)));
  if (values.length === 0) return noData(spec.title, width, height);

  const names: string[] = [];
  for (const g of spec.groups) for (const s of g.series) if (!names.includes(s.name)) names.push(s.name);
  const colour = (name: string) => PALETTE[names.indexOf(name) % PALETTE.length];

  const ticks = niceTicks(Math.min(...values), Math.max(...values));
  const y = linear(ticks.values[0], ticks.values[ticks.values.length - 1], plot.bottom, plot.top);
  const band = (plot.right - plot.left) / spec.groups.length;

  let out = open(width, height, spec.title);
  out += yAxis(plot, ticks.values, y, (v) => fixed(v, ticks.decimals), spec.yLabel);
  out += el('line', { x1: plot.left, y1: plot.bottom, x2: plot.right, y2: plot.bottom, stroke: '#333333' });
  spec.groups.forEach((g, gi) => {
    const left = plot.left + gi * band;
    out += label(left + band / 2, plot.bottom + 18, g.name, { 'text-anchor': 'middle' });
    const slot = (band * 0.8) / Math.max(1, g.series.length);
    g.series.forEach((s, si) => {
      const stats = boxStats(s.values);
      if (!stats) return;
      const c = colour(s.name);
      const cx = left + band * 0.1 + slot * (si + 0.5);
      const half = Math.min(slot * 0.35, 24);
      out += `<g class="box"${attrs({ 'data-group': g.name, 'data-series': s.name })}>`;
      out += el('line', { x1: cx, y1: y(stats.whiskerLow), x2: cx, y2: y(stats.q1), stroke: c });
      out += el('line', { x1: cx, y1: y(stats.q3), x2: cx, y2: y(stats.whiskerHigh), stroke: c });
      out += el('line', { x1: cx - half / 2, y1: y(stats.whiskerLow), x2: cx + half / 2, y2: y(stats.whiskerLow), stroke: c });
      out += el('line', { x1: cx - half / 2, y1: y(stats.whiskerHigh), x2: cx + half / 2, y2: y(stats.whiskerHigh), stroke: c });
      out += el('rect', { x: cx - half, y: y(stats.q3), width: 2 * half, height: y(stats.q1) - y(stats.q3), fill: c, 'fill-opacity': 0.35, stroke: c });
      out += el('line', { x1: cx - half, y1: y(stats.median), x2: cx + half, y2: y(stats.median), stroke: c, 'stroke-width': 2.5 });
      for (const o of stats.outliers) out += el('circle', { cx, cy: y(o), r: 2.5, fill: 'none', stroke: c });
      out += '</g>';
    });
  });
  out += legend(plot.right + 24, plot.top + 8, names.map((name) => ({ name, colour: colour(name) })), 'box');
  return out + '</svg>';
}
