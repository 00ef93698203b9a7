// SVG chart writers (tools/report/svg.ts, docs/report-charts.md): well-formed output, tick
// rules, escaping, type-7 quantiles, Gantt geometry, broken lines at missing points, and
// byte-identical output for identical input.

import { describe, expect, it } from 'vitest';
import {
  boxPlot, boxStats, escapeXml, gantt, lineChart, logTicks, niceTicks, PALETTE, quantile,
  type GanttSpec, type LineChartSpec,
} from '../tools/report/svg.ts';

// ---- A small well-formedness check ---------------------------------------------------------
// Enough XML for what the writers produce: elements, attributes, text and the predefined or
// numeric entities. No comments, CDATA or processing instructions (the writers emit none).

const NAME = '[A-Za-z_][\\w.:-]*';
const ENTITY = '&(?:amp|lt|gt|quot|apos|#\\d+|#x[0-9a-fA-F]+);';
const TEXT = new RegExp(`^(?:[^<&]|${ENTITY})*$`);
const CLOSE = new RegExp(`</(${NAME})\\s*>`, 'y');
const OPEN = new RegExp(`<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"(?:[^"<&]|${ENTITY})*"|'(?:[^'<&]|${ENTITY})*'))*)\\s*(/?)>`, 'y');
const ATTR = new RegExp(`(${NAME})\\s*=`, 'g');

/** Throws on the first problem; returns the root element's name. */
function checkXml(xml: string): string {
  const stack: string[] = [];
  let root = '';
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (!TEXT.test(text)) throw new Error(`bad character data at ${i}: ${JSON.stringify(text.slice(0, 40))}`);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root element at ${i}`);
    if (lt < 0) break;
    CLOSE.lastIndex = lt;
    OPEN.lastIndex = lt;
    const close = CLOSE.exec(xml);
    if (close) {
      const top = stack.pop();
      if (top !== close[1]) throw new Error(`</${close[1]}> at ${lt} closes <${top ?? 'nothing'}>`);
      i = CLOSE.lastIndex;
      continue;
    }
    const open = OPEN.exec(xml);
    if (!open) throw new Error(`malformed tag at ${lt}: ${JSON.stringify(xml.slice(lt, lt + 60))}`);
    const names = [...open[2].matchAll(ATTR)].map((m) => m[1]);
    if (new Set(names).size !== names.length) throw new Error(`repeated attribute in <${open[1]}> at ${lt}`);
    if (stack.length === 0) {
      if (root) throw new Error(`second root element <${open[1]}> at ${lt}`);
      root = open[1];
    }
    if (open[3] !== '/') stack.push(open[1]);
    i = OPEN.lastIndex;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  if (!root) throw new Error('no root element');
  return root;
}

function expectSvg(svg: string): void {
  expect(checkXml(svg)).toBe('svg');
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
}

/** Attribute values of every element with this tag (and class, when given), in order. */
function elements(svg: string, tag: string, cls?: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag}\\b([^>]*?)/?>`, 'g'))) {
    const a = Object.fromEntries([...m[1].matchAll(/([\w:-]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (cls === undefined || a.class === cls) out.push(a);
  }
  return out;
}

describe('the well-formedness check itself', () => {
  it('accepts well-formed XML and rejects the usual mistakes', () => {
    expect(checkXml('<a x="1 &amp; 2"><b/>t &lt; u</a>')).toBe('a');
    expect(() => checkXml('<a><b></a></b>')).toThrow(/closes/);
    expect(() => checkXml('<a>fish & chips</a>')).toThrow(/character data/);
    expect(() => checkXml('<a x="1" x="2"/>')).toThrow(/repeated attribute/);
    expect(() => checkXml('<a x="<"/>')).toThrow(/malformed/);
    expect(() => checkXml('<a>')).toThrow(/unclosed/);
    expect(() => checkXml('<a/><b/>')).toThrow(/second root/);
  });
});

// ---- Ticks ---------------------------------------------------------------------------------

describe('niceTicks: smallest 1-2-5 step >= span / 5, widened to multiples of the step', () => {
  it.each([
    [0, 7.3, [0, 2, 4, 6, 8], 2],
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1], 0.2],
    [0.3, 0.7, [0.3, 0.4, 0.5, 0.6, 0.7], 0.1],
    [-3, 12, [-5, 0, 5, 10, 15], 5],
    [0, 100, [0, 20, 40, 60, 80, 100], 20],
    [-0.02, 0.013, [-0.02, -0.01, 0, 0.01, 0.02], 0.01],
    [0, 0, [-1, -0.5, 0, 0.5, 1], 0.5],
    [5, 5, [2, 3, 4, 5, 6, 7, 8], 1],
  ])('%d..%d → %j', (min, max, values, step) => {
    const t = niceTicks(min, max);
    expect(t.values).toEqual(values);
    expect(t.step).toBeCloseTo(step, 12);
  });

  it('takes more ticks when asked, and refuses a non-finite range', () => {
    expect(niceTicks(0, 7.3, 10).values).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(() => niceTicks(0, NaN)).toThrow(RangeError);
  });

  it('puts decades on a log axis, with 2 and 5 between them over a short range', () => {
    expect(logTicks(1, 1e4)).toEqual([1, 10, 100, 1000, 10000]);
    expect(logTicks(0.1, 10)).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10]);
    expect(logTicks(3, 7)).toEqual([1, 2, 5, 10]);
    expect(() => logTicks(0, 10)).toThrow(RangeError);
  });
});

// ---- Escaping ------------------------------------------------------------------------------

describe('escapeXml', () => {
  it('escapes the five special characters and drops forbidden control characters', () => {
    expect(escapeXml(`a & b < c > d "e" 'f'`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;');
    expect(escapeXml('bell\u0007 tab\t')).toBe('bell tab\t');
  });

  it('keeps every chart well-formed whatever the text', () => {
    const nasty = `<b>&"'</b> \u0001]]>`;
    const line = lineChart({ title: nasty, xLabel: nasty, yLabel: nasty, series: [{ name: nasty, points: [[0, 1], [1, 2]] }] });
    const bars = gantt({ title: nasty, rows: [nasty], bars: [{ row: 0, start: 0, end: 10, key: nasty, label: '<' }], xLabel: nasty });
    const box = boxPlot({ title: nasty, yLabel: nasty, groups: [{ name: nasty, series: [{ name: nasty, values: [1, 2, 3] }] }] });
    for (const svg of [line, bars, box]) {
      expectSvg(svg);
      expect(svg).toContain('&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt; ]]&gt;');
    }
  });
});

// ---- Quantiles -----------------------------------------------------------------------------

describe('quantile (type 7) and box statistics', () => {
  it('interpolates between order statistics at h = (n - 1)·p', () => {
    // [1, 2, 3, 4]: h = 0.75 → 1 + 0.75·1; h = 1.5 → 2.5; h = 2.25 → 3.25 (numpy and R agree).
    expect(quantile([4, 1, 3, 2], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantile([4, 1, 3, 2], 0.5)).toBeCloseTo(2.5, 12);
    expect(quantile([4, 1, 3, 2], 0.75)).toBeCloseTo(3.25, 12);
    // 1..10: h = 0.9 → 1.9.
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.1)).toBeCloseTo(1.9, 12);
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(quantile([3, 1, 2], 1)).toBe(3);
    expect(quantile([7], 0.3)).toBe(7);
  });

  it('refuses no values, p outside [0, 1] and non-finite values', () => {
    expect(() => quantile([], 0.5)).toThrow(/no values/);
    expect(() => quantile([1], 1.5)).toThrow(/outside/);
    expect(() => quantile([1, NaN], 0.5)).toThrow(/finite/);
  });

  it('puts whiskers at the furthest values within 1.5 IQR and the rest out as outliers', () => {
    // q1 = x[2] + 0.25·(x[3] - x[2]) = 3.25, q3 = 7.75, IQR 4.5: fences -3.5 and 14.5.
    expect(boxStats([1, 2, 3, 4, 5, 6, 7, 8, 9, 100, NaN])).toEqual({
      n: 10, q1: 3.25, median: 5.5, q3: 7.75, whiskerLow: 1, whiskerHigh: 9, outliers: [100],
    });
    expect(boxStats([NaN])).toBeNull();
  });
});

// ---- Line chart ----------------------------------------------------------------------------

describe('lineChart', () => {
  const spec: LineChartSpec = {
    title: 'Latency',
    xLabel: 'input rate (packages/s)',
    yLabel: 'latency (s)',
    series: [
      { name: 'stable', points: [[0.5, 1.1], [1, 1.15], [2, 1.2], [3, 1.6], [4, 7.3]] },
      { name: 'loss', points: [[0.5, 1.4], [1, 1.5], [2, NaN], [3, 2.1], [4, null], [5, 6.9]] },
    ],
  };

  it('is well-formed, with a polyline per unbroken stretch and a marker per point', () => {
    const svg = lineChart(spec);
    expectSvg(svg);
    const lines = elements(svg, 'polyline');
    // stable: one stretch of 5; loss: [0.5, 1] then [3] (alone: marker only) then [5] (alone).
    expect(lines.map((l) => l.points.split(' ').length)).toEqual([5, 2]);
    expect(lines.map((l) => l.stroke)).toEqual([PALETTE[0], PALETTE[1]]);
    const markers = elements(svg, 'circle').filter((c) => c.r === '2.5');
    expect(markers).toHaveLength(5 + 4);
    expect(svg).toContain('>stable</text>');
    expect(svg).toContain('>loss</text>');
  });

  it('breaks the line at a NaN point instead of joining across it', () => {
    const svg = lineChart({ ...spec, series: [{ name: 's', points: [[0, 1], [1, 2], [2, NaN], [3, 4], [4, 5]] }] });
    const lines = elements(svg, 'polyline');
    expect(lines).toHaveLength(2);
    const xs = lines.map((l) => l.points.split(' ').map((p) => Number(p.split(',')[0])));
    expect(xs[0][1]).toBeLessThan(xs[1][0]);
  });

  it('maps points linearly onto the axis ticks', () => {
    const svg = lineChart({ ...spec, series: [{ name: 's', points: [[0, 0], [2, 4], [8, 8]] }] });
    const [x0, x1, x2] = elements(svg, 'polyline')[0].points.split(' ').map((p) => Number(p.split(',')[0]));
    expect((x1 - x0) / (x2 - x0)).toBeCloseTo(2 / 8, 2);
    // Ticks 0, 2, 4, 6, 8 on both axes.
    for (const t of ['0', '2', '4', '6', '8']) expect(svg).toContain(`>${t}</text>`);
  });

  it('treats x <= 0 as missing on a log axis and labels decades', () => {
    const svg = lineChart({ ...spec, logX: true, series: [{ name: 's', points: [[0.1, 1], [1, 2], [0, 3], [10, 4], [100, 5]] }] });
    expectSvg(svg);
    expect(elements(svg, 'polyline').map((l) => l.points.split(' ').length)).toEqual([2, 2]);
    for (const t of ['0.1', '1', '10', '100']) expect(svg).toContain(`>${t}</text>`);
  });

  it('keeps a fixed y range and refuses an empty one', () => {
    const svg = lineChart({ ...spec, yMin: 0, yMax: 5 });
    expectSvg(svg);
    expect(svg).toContain('clip-path="url(#line-plot-area)"');
    for (const t of ['0', '1', '2', '3', '4', '5']) expect(svg).toContain(`>${t}</text>`);
    expect(svg).not.toContain('>6</text>');
    expect(() => lineChart({ ...spec, yMin: 2, yMax: 2 })).toThrow(/yMin 2 is not below yMax 2/);
  });

  it('says "no data" for no series, or no usable point', () => {
    for (const series of [[], [{ name: 'gone', points: [[1, NaN]] as [number, number][] }]]) {
      const svg = lineChart({ ...spec, series });
      expectSvg(svg);
      expect(svg).toContain('>no data</text>');
      expect(svg).not.toContain('<polyline');
    }
  });
});

// ---- Gantt ---------------------------------------------------------------------------------

describe('gantt', () => {
  const spec: GanttSpec = {
    title: 'Figure 3',
    rows: ['Node 1', 'Node 2', 'Node 3'],
    bars: [
      { row: 0, start: 0, end: 1, key: 'feed', label: 'A' },
      { row: 1, start: 1, end: 3, key: 2, label: 'A' },
      { row: 2, start: 3, end: 4, key: 3, label: 'A' },
      { row: 0, start: 2, end: 2.004, key: 'feed', label: 'B' },
    ],
    legend: [{ key: 'feed', name: 'feed', colour: '#7b3294' }, { key: 2, name: 'step 1' }],
    xLabel: 'time (s)',
  };

  it('places bars proportionally to time, one row band per row', () => {
    const svg = gantt(spec);
    expectSvg(svg);
    const bars = elements(svg, 'rect', 'bar').map((b) => ({ x: Number(b.x), w: Number(b.width), y: Number(b.y), fill: b.fill }));
    expect(bars).toHaveLength(4);
    // Axis 0..4: a second is the same width everywhere, and x is linear in time.
    const second = bars[0].w;
    expect(bars[1].w).toBeCloseTo(2 * second, 1);
    expect(bars[2].w).toBeCloseTo(second, 1);
    expect(bars[1].x - bars[0].x).toBeCloseTo(second, 1);
    expect(bars[2].x - bars[0].x).toBeCloseTo(3 * second, 1);
    expect(bars[3].x - bars[0].x).toBeCloseTo(2 * second, 1);
    expect(bars[1].y - bars[0].y).toBeCloseTo(bars[2].y - bars[1].y, 6);
    expect(bars[3].y).toBe(bars[0].y);
  });

  it('colours by key (legend colours first, then the palette), and labels bars that fit', () => {
    const svg = gantt(spec);
    const fills = elements(svg, 'rect', 'bar').map((b) => b.fill);
    expect(fills).toEqual(['#7b3294', PALETTE[1], PALETTE[2], '#7b3294']);
    for (const name of ['feed', 'step 1', '3']) expect(svg).toContain(`>${name}</text>`);
    // "A" fits the wide bars; "B" does not fit a 4 ms bar, so it is left out.
    expect(svg.match(/>A<\/text>/g)).toHaveLength(3);
    expect(svg).not.toContain('>B</text>');
  });

  it('refuses a bar on a row that does not exist or that ends before it starts', () => {
    expect(() => gantt({ ...spec, bars: [{ row: 3, start: 0, end: 1, key: 1 }] })).toThrow(/row 3/);
    expect(() => gantt({ ...spec, bars: [{ row: 0, start: 2, end: 1, key: 1 }] })).toThrow(/from 2 to 1/);
  });

  it('says "no data" without bars', () => {
    const svg = gantt({ ...spec, bars: [] });
    expectSvg(svg);
    expect(svg).toContain('>no data</text>');
  });
});

// ---- Box plot ------------------------------------------------------------------------------

describe('boxPlot', () => {
  const spec = {
    title: 'Idle time',
    yLabel: 'idle fraction',
    groups: [
      { name: 'stable', series: [{ name: 'node 1', values: [0.7, 0.72, 0.75, 0.8, 0.81, 0.3] }, { name: 'node 2', values: [0.2, 0.3] }] },
      { name: 'unstable', series: [{ name: 'node 2', values: [0.1, 0.15, 0.3, 0.31, 0.9] }, { name: 'node 3', values: [] }] },
    ],
  };

  it('draws one box per non-empty series, outliers as dots, colour by series name', () => {
    const svg = boxPlot(spec);
    expectSvg(svg);
    const boxes = elements(svg, 'g', 'box');
    expect(boxes.map((b) => `${b['data-group']}/${b['data-series']}`)).toEqual(['stable/node 1', 'stable/node 2', 'unstable/node 2']);
    // node 1 in "stable": q1 = 0.7075, q3 = 0.7875, fences 0.5875..0.9075, so 0.3 is out.
    // node 2 in "unstable": q1 = 0.15, q3 = 0.31, fences -0.09..0.55, so 0.9 is out.
    expect(elements(svg, 'circle')).toHaveLength(2);
    const rects = svg.match(/<g class="box"[^>]*>.*?<\/g>/g)!.map((g) => elements(g, 'rect')[0].stroke);
    expect(rects).toEqual([PALETTE[0], PALETTE[1], PALETTE[1]]);
    for (const name of ['node 1', 'node 2', 'node 3', 'stable', 'unstable']) expect(svg).toContain(`>${name}</text>`);
  });

  it('draws the median inside the box', () => {
    const svg = boxPlot({ ...spec, groups: [{ name: 'g', series: [{ name: 's', values: [1, 2, 3, 4, 10] }] }] });
    const group = svg.match(/<g class="box"[^>]*>.*?<\/g>/)![0];
    const box = elements(group, 'rect')[0];
    const median = elements(group, 'line').find((l) => l['stroke-width'] === '2.5')!;
    const top = Number(box.y);
    const bottom = top + Number(box.height);
    expect(Number(median.y1)).toBeGreaterThan(top);
    expect(Number(median.y1)).toBeLessThan(bottom);
  });

  it('says "no data" when every series is empty', () => {
    const svg = boxPlot({ ...spec, groups: [{ name: 'g', series: [{ name: 's', values: [NaN] }] }] });
    expectSvg(svg);
    expect(svg).toContain('>no data</text>');
  });
});

// ---- Determinism ---------------------------------------------------------------------------

describe('determinism', () => {
  it('writes byte-identical output for equal input', () => {
    const make = () => ({
      line: lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', points: [[0.1, 1 / 3], [0.7, 2 / 3], [1.3, NaN], [2, 1]] }] }),
      gantt: gantt({ title: 't', rows: ['r'], bars: [{ row: 0, start: 0.1, end: 0.35, key: 1, label: 'A' }], xLabel: 'x' }),
      box: boxPlot({ title: 't', yLabel: 'y', groups: [{ name: 'g', series: [{ name: 's', values: [1 / 7, 2 / 7, 5, 0.5] }] }] }),
    });
    const a = make();
    const b = make();
    expect(a.line).toBe(b.line);
    expect(a.gantt).toBe(b.gantt);
    expect(a.box).toBe(b.box);
    // Coordinates are rounded to hundredths, so no long fractions leak into the output.
    expect(a.line).not.toMatch(/\d\.\d{3}/);
  });
});
