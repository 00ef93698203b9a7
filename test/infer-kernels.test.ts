// The int8 inference kernels (firmware/src/infer) against the plain TypeScript reference
// (tools/infer/reference.ts), byte for byte, on seeded random shapes, paddings, strides,
// dilations, depth multipliers, zero points and multipliers, including saturation, rounding
// ties and the INT32_MIN corner; plus known answers of the fixed-point arithmetic and of the
// host-side QuantizeMultiplier.

import { beforeAll, describe, expect, it } from 'vitest';
import { xorshift32 } from '../tools/build/stub-hal.ts';
import {
  ADD_FIELDS, ARITHMETIC_TFLITE, CONV_FIELDS, FULLY_CONNECTED_FIELDS, POOL_FIELDS, RELU_FIELDS, SOFTMAX_FIELDS,
  bitsF32, f32Bits, packParams, type ConvRecord,
} from '../tools/infer/params.ts';
import {
  activationRange, activationRangeFp32, addScaling, computeOutSize, computePadding, convMultipliers, expf, fp32Scale,
  frexp, quantizeMultiplier, relu6Bounds, reluScaling, roundHalfEven, softmaxScaling, softmaxTable, type Padding,
} from '../tools/infer/quant.ts';
import * as ref from '../tools/infer/reference.ts';
import { compileTestEntry, instantiate, type Exports, type Loaded } from './helpers/wasm.ts';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const ARENA_BYTES = 1 << 20;

let mod: Loaded;
let x: Exports;
let arenaBase = 0;

beforeAll(async () => {
  mod = await instantiate(await compileTestEntry('infer_kernels'));
  x = mod.exports;
  arenaBase = x.reserve(ARENA_BYTES) >>> 0;
});

/** Bump allocation inside the reserved arena; reset per case. */
class Arena {
  private top = 0;
  reset(): void { this.top = 0; }
  alloc(bytes: number, fill = 0x5a): number {
    this.top = (this.top + 7) & ~7;
    const at = arenaBase + this.top;
    this.top += bytes;
    if (this.top > ARENA_BYTES) throw new Error('arena too small');
    mod.write(at, new Uint8Array(bytes).fill(fill));
    return at;
  }
  put(data: Int8Array | Int32Array | Uint8Array): number {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const at = this.alloc(bytes.length);
    mod.write(at, bytes);
    return at;
  }
  i8(at: number, n: number): Int8Array { return new Int8Array(mod.bytes(at, n).buffer); }
  i32(at: number, n: number): Int32Array { return new Int32Array(mod.bytes(at, n * 4).buffer); }
}
const arena = new Arena();

// ---------------------------------------------------------------------------------------
// Random values

type Rng = ReturnType<typeof rng>;
function rng(seed: number) {
  const next = xorshift32(seed);
  const r = {
    u32: () => next() >>> 0,
    /** Integer in [lo, hi]. */
    int: (lo: number, hi: number) => lo + Math.floor((next() / 2 ** 32) * (hi - lo + 1)),
    chance: (p: number) => next() / 2 ** 32 < p,
    pick: <T>(items: readonly T[]): T => items[r.int(0, items.length - 1)],
    i32: () => next() | 0,
    i8s: (n: number, lo = -128, hi = 127) => Int8Array.from({ length: n }, () => r.int(lo, hi)),
    /** An int32 that likes the corners. */
    edgyI32: () => r.chance(0.3)
      ? r.pick([INT32_MIN, INT32_MIN + 1, INT32_MAX, INT32_MAX - 1, 0, 1, -1, 2 ** 30, -(2 ** 30), 3 << 29, -(3 << 29)])
      : r.chance(0.5) ? r.int(-70000, 70000) : r.i32(),
  };
  return r;
}

/**
 * A (multiplier, shift) pair: realistic (around 2^centre, where a layer's accumulators land
 * inside int8), a tie maker (exactly 0.5 * 2^shift), or extreme.
 */
function randomMultiplier(r: Rng, maxShift = 4, centre = -8): { multiplier: number; shift: number } {
  const kind = r.int(0, 9);
  if (kind < 5) {
    const q = quantizeMultiplier(2 ** (centre + r.int(-2, 2) + Math.log2(0.5 + r.int(0, 1000) / 1000)));
    return { multiplier: q.multiplier, shift: Math.min(q.shift, maxShift) };
  }
  if (kind < 8) return { multiplier: 2 ** 30, shift: Math.min(r.int(centre - 1, centre + 3), maxShift) };
  if (kind < 9) return { multiplier: r.pick([INT32_MAX, 2 ** 30, 2 ** 30 + 1, INT32_MAX - 1]), shift: r.int(-31, maxShift) };
  return { multiplier: r.int(2 ** 30, INT32_MAX), shift: r.int(-31, maxShift) };
}

/** log2 of a multiplier that maps a sum of n random int8 products to about +-40. */
const centreFor = (n: number) => Math.round(Math.log2(40 / (Math.sqrt(n) * 127 * 74)));

/** An activation range: none, relu-like, relu6-like or arbitrary. */
function randomRange(r: Rng): [number, number] {
  switch (r.int(0, 5)) {
    case 0: case 4: case 5: return [-128, 127];
    case 1: { const z = r.int(-128, 127); return [z, 127]; }
    case 2: { const z = r.int(-128, 60); return [z, r.int(z, 127)]; }
    default: { const a = r.int(-128, 127); const b = r.int(-128, 127); return [Math.min(a, b), Math.max(a, b)]; }
  }
}

const zeroPoint = (r: Rng) => (r.chance(0.2) ? r.pick([-128, 127, 0]) : r.int(-128, 127));
const randomBias = (r: Rng, n: number, big: boolean) =>
  Int32Array.from({ length: n }, () => (big ? r.edgyI32() : r.int(-5000, 5000)));

function expectBytes(actual: Int8Array, expected: Int8Array, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      throw new Error(`${what}: byte ${i} is ${actual[i]}, reference ${expected[i]}`);
    }
  }
}

/** Splits [0, n) into 1..parts random consecutive ranges. */
function splits(r: Rng, n: number, parts: number): [number, number][] {
  const cuts = new Set<number>([0, n]);
  for (let i = 1; i < parts; i++) cuts.add(r.int(0, n));
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(1).map((end, i) => [sorted[i], end]);
}

// ---------------------------------------------------------------------------------------

describe('parameter records', () => {
  it('match the field lists the host packs', () => {
    expect(x.conv_params_size()).toBe(CONV_FIELDS.length * 4);
    expect(x.fully_connected_params_size()).toBe(FULLY_CONNECTED_FIELDS.length * 4);
    expect(x.pool_params_size()).toBe(POOL_FIELDS.length * 4);
    expect(x.add_params_size()).toBe(ADD_FIELDS.length * 4);
    expect(x.relu_params_size()).toBe(RELU_FIELDS.length * 4);
    expect(x.softmax_params_size()).toBe(SOFTMAX_FIELDS.length * 4);
  });
});

describe('fixed-point arithmetic (known answers)', () => {
  it('SaturatingRoundingDoublingHighMul rounds ties toward +inf and saturates INT32_MIN^2', () => {
    for (const f of [x.srdhm, ref.saturatingRoundingDoublingHighMul]) {
      expect(f(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
      expect(f(INT32_MIN, INT32_MAX)).toBe(-INT32_MAX);
      expect(f(INT32_MAX, INT32_MAX)).toBe(INT32_MAX - 1);
      expect(f(INT32_MIN, 2 ** 30)).toBe(-(2 ** 30));
      expect(f(1, 2 ** 30)).toBe(1); // 0.5 -> 1
      expect(f(-1, 2 ** 30)).toBe(0); // -0.5 -> 0 (the nudge is 1 - 2^30, C truncates)
      expect(f(3, 2 ** 30)).toBe(2); // 1.5 -> 2
      expect(f(-3, 2 ** 30)).toBe(-1); // -1.5 -> -1
      expect(f(-5, 2 ** 30)).toBe(-2); // -2.5 -> -2
      expect(f(-7, 3 << 29)).toBe(-5); // -5.25 -> -5
      expect(f(100, INT32_MAX)).toBe(100);
    }
  });

  it('RoundingDivideByPOT rounds ties away from zero', () => {
    for (const f of [x.rdbpot, ref.roundingDivideByPOT]) {
      expect(f(5, 1)).toBe(3);
      expect(f(-5, 1)).toBe(-3);
      expect(f(-6, 2)).toBe(-2); // -1.5
      expect(f(-7, 2)).toBe(-2); // -1.75
      expect(f(-5, 2)).toBe(-1); // -1.25
      expect(f(6, 2)).toBe(2);
      expect(f(12345, 0)).toBe(12345);
      expect(f(INT32_MIN, 31)).toBe(-1);
      expect(f(INT32_MAX, 31)).toBe(1);
      expect(f(2 ** 30, 31)).toBe(1); // exactly 0.5
      expect(f(-(2 ** 30), 31)).toBe(-1); // exactly -0.5
      expect(f(2 ** 30 - 1, 31)).toBe(0);
    }
  });

  it('MultiplyByQuantizedMultiplier rounds twice (the TFLite default)', () => {
    for (const f of [x.mbqm, ref.multiplyByQuantizedMultiplier]) {
      expect(f(1000, 2 ** 30, 1)).toBe(1000); // 0.5 * 2
      expect(f(-1000, 2 ** 30, 1)).toBe(-1000);
      expect(f(3, 2 ** 30, 0)).toBe(2); // 1.5
      expect(f(-3, 2 ** 30, 0)).toBe(-1); // -1.5: the high multiply rounds up
      expect(f(-1, 2 ** 30, 0)).toBe(0);
      expect(f(5, 2 ** 30, -1)).toBe(2); // 1.25 -> 2.5 -> 3 (first rounding), 3 / 2 -> 2
      expect(f(-6, 2 ** 30, -1)).toBe(-2); // -1.5 away from zero in the shift
      expect(f(-7, 2 ** 30, -1)).toBe(-2); // -1.75: -3.5 -> -3, then -1.5 -> -2
      expect(f(INT32_MIN, INT32_MAX, 0)).toBe(-INT32_MAX);
      expect(f(INT32_MIN, 2 ** 30, 0)).toBe(-(2 ** 30));
      expect(f(7, 2 ** 30, -31)).toBe(0);
      expect(f(INT32_MAX, 2 ** 30, -30)).toBe(1); // 0.99999... -> 1
      expect(f(123, 0, 0)).toBe(0);
    }
    // the single-rounding variant differs exactly where double rounding bites
    expect(ref.multiplyByQuantizedMultiplierSingleRounding(5, 2 ** 30, -1)).toBe(1);
  });

  it('the ADD and SOFTMAX variants', () => {
    expect(x.mbqm_lt1(5, 2 ** 30, -1)).toBe(2);
    expect(x.mbqm_lt1(-6, 2 ** 30, 0)).toBe(-3);
    expect(x.mbqm_gt1(-3, 2 ** 30, 2)).toBe(-6);
    expect(x.mbqm_gt1(255, INT32_MAX, 23)).toBe(255 * 2 ** 23 - 1);
  });

  it('agree with the reference on random and corner operands', () => {
    const r = rng(11);
    for (let i = 0; i < 20000; i++) {
      const a = r.edgyI32();
      const b = r.edgyI32();
      expect(x.srdhm(a, b)).toBe(ref.saturatingRoundingDoublingHighMul(a, b));
      const e = r.int(0, 31);
      expect(x.rdbpot(a, e)).toBe(ref.roundingDivideByPOT(a, e));
      const { multiplier, shift } = randomMultiplier(r, 8);
      const v = r.chance(0.5) ? a : r.int(-(2 ** 20), 2 ** 20);
      expect(x.mbqm(v, multiplier, shift)).toBe(ref.multiplyByQuantizedMultiplier(v, multiplier, shift));
    }
  });

  it('exp on negative values and 1/(1+x) agree with the reference', () => {
    const r = rng(12);
    const as = [0, -1, INT32_MIN, INT32_MIN + 1, -(1 << 24), -(1 << 26), -(1 << 30), -(31 << 26)];
    for (let i = 0; i < 5000; i++) as.push(r.chance(0.5) ? -r.int(0, 1 << 28) : -(r.u32() >>> 1));
    for (const a of as) expect(x.exp_neg(a)).toBe(ref.expOnNegativeValues(a));
    const xs = [0, 1, INT32_MAX, 2 ** 30, INT32_MAX - 1];
    for (let i = 0; i < 5000; i++) xs.push(r.u32() >>> 1);
    for (const v of xs) expect(x.one_over_one_plus_x(v)).toBe(ref.oneOverOnePlusX(v));
    // sanity of the fixed-point functions themselves
    expect(ref.expOnNegativeValues(0)).toBe(INT32_MAX);
    expect(Math.abs(ref.expOnNegativeValues(-(1 << 26)) / 2 ** 31 - Math.exp(-1))).toBeLessThan(1e-6);
    expect(Math.abs(ref.oneOverOnePlusX(2 ** 30) / 2 ** 31 - 2 / 3)).toBeLessThan(1e-6);
  });
});

describe('host-side QuantizeMultiplier', () => {
  it('known answers', () => {
    expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
    expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 3 * 2 ** 29, shift: 0 });
    expect(quantizeMultiplier(2)).toEqual({ multiplier: 2 ** 30, shift: 2 });
    expect(quantizeMultiplier(0.1)).toEqual({ multiplier: 1717986918, shift: -3 });
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 }); // rounds up to 1.0
    expect(quantizeMultiplier(2 ** -31)).toEqual({ multiplier: 2 ** 30, shift: -30 });
    expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 });
    expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 }); // shift < -31 flushes
    expect(quantizeMultiplier(1e-300)).toEqual({ multiplier: 0, shift: 0 });
    expect(quantizeMultiplier(2 ** 40)).toEqual({ multiplier: 2 ** 30, shift: 41 });
    expect(quantizeMultiplier(3e9)).toEqual({ multiplier: 1500000000, shift: 32 });
    expect(quantizeMultiplier(-0.5)).toEqual({ multiplier: -(2 ** 30), shift: 0 });
    // a fraction exactly half way between two Q0.31 steps rounds away from zero
    expect(quantizeMultiplier(0.5 + 2 ** -32)).toEqual({ multiplier: 2 ** 30 + 1, shift: 0 });
  });

  it('frexp handles normal and subnormal numbers', () => {
    expect(frexp(8)).toEqual([0.5, 4]);
    expect(frexp(0.3)).toEqual([0.6, -1]);
    expect(frexp(-3)).toEqual([-0.75, 2]);
    expect(frexp(5e-324)).toEqual([0.5, -1073]);
    const r = rng(13);
    for (let i = 0; i < 2000; i++) {
      const v = (r.u32() + 1) * 2 ** r.int(-1070, 990);
      const [f, e] = frexp(v);
      expect(f).toBeGreaterThanOrEqual(0.5);
      expect(f).toBeLessThan(1);
      expect(f * 2 ** e).toBe(v);
    }
  });

  it('reproduces the real multiplier to within one step', () => {
    const r = rng(14);
    for (let i = 0; i < 2000; i++) {
      const real = (r.u32() + 1) / 2 ** 32 * 2 ** r.int(-20, 4);
      const { multiplier, shift } = quantizeMultiplier(real);
      expect(multiplier).toBeGreaterThanOrEqual(2 ** 30);
      expect(multiplier).toBeLessThan(2 ** 31);
      expect(Math.abs(multiplier * 2 ** (shift - 31) - real)).toBeLessThanOrEqual(2 ** (shift - 32));
    }
  });

  it('activation ranges, padding and output sizes follow TFLite', () => {
    expect(activationRange('NONE', 0.1, 3)).toEqual([-128, 127]);
    expect(activationRange('RELU', 0.1, -128)).toEqual([-128, 127]);
    expect(activationRange('RELU6', 6 / 255, -128)).toEqual([-128, 127]);
    expect(activationRange('RELU6', 0.05, -10)).toEqual([-10, 110]);
    expect(relu6Bounds(0.05, -10)).toEqual([-10, 110]);
    // person_detect's first layer: 96x96, 3x3, stride 2, SAME -> 48x48, top/left padding 0
    expect(computeOutSize('SAME', 96, 3, 2)).toBe(48);
    expect(computePadding(2, 1, 96, 3, 48)).toBe(0);
    expect(computeOutSize('SAME', 5, 3, 1)).toBe(5);
    expect(computePadding(1, 1, 5, 3, 5)).toBe(1);
    expect(computeOutSize('VALID', 5, 3, 2)).toBe(2);
    expect(computeOutSize('VALID', 7, 3, 1, 2)).toBe(3);
    expect(computePadding(1, 2, 7, 3, 7)).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------
// Convolutions

interface ConvCase {
  p: ConvRecord;
  input: Int8Array;
  filter: Int8Array;
  bias: Int32Array | null;
  multipliers: Int32Array;
  shifts: Int32Array;
  expected: Int8Array;
  macs: number;
}

function randomConvShape(r: Rng, depthwise: boolean) {
  for (;;) {
    const padding: Padding = r.chance(0.5) ? 'SAME' : 'VALID';
    const inH = r.int(1, 11), inW = r.int(1, 11);
    const filterH = r.int(1, 5), filterW = r.int(1, 5);
    const strideH = r.int(1, 3), strideW = r.int(1, 3);
    const dilationH = r.chance(0.7) ? 1 : r.int(2, 3), dilationW = r.chance(0.7) ? 1 : r.int(2, 3);
    const outH = computeOutSize(padding, inH, filterH, strideH, dilationH);
    const outW = computeOutSize(padding, inW, filterW, strideW, dilationW);
    if (outH <= 0 || outW <= 0) continue;
    const padH = computePadding(strideH, dilationH, inH, filterH, outH);
    const padW = computePadding(strideW, dilationW, inW, filterW, outW);
    let inC: number, outC: number, filterC: number, depthMultiplier: number;
    if (depthwise) {
      inC = r.int(1, 8);
      depthMultiplier = r.pick([1, 1, 2, 3]);
      outC = inC * depthMultiplier;
      filterC = 0;
    } else {
      const groups = r.chance(0.8) ? 1 : r.int(2, 3);
      filterC = r.int(1, 6);
      inC = filterC * groups;
      outC = groups * r.int(1, 4);
      depthMultiplier = 0;
    }
    return { inH, inW, inC, outH, outW, outC, filterH, filterW, filterC, depthMultiplier, strideH, strideW, dilationH, dilationW, padH, padW };
  }
}

function randomQuant(r: Rng, outC: number, extreme: boolean, products: number) {
  const multipliers = new Int32Array(outC);
  const shifts = new Int32Array(outC);
  for (let c = 0; c < outC; c++) {
    const q = randomMultiplier(r, extreme ? 4 : 0, centreFor(products));
    multipliers[c] = q.multiplier;
    shifts[c] = q.shift;
  }
  const [actMin, actMax] = randomRange(r);
  return { multipliers, shifts, actMin, actMax, inputOffset: -zeroPoint(r), outputOffset: zeroPoint(r) };
}

function makeConvCase(r: Rng, depthwise: boolean): ConvCase {
  const s = randomConvShape(r, depthwise);
  const extreme = r.chance(0.15);
  const q = randomQuant(r, s.outC, extreme, s.filterH * s.filterW * Math.max(1, s.filterC));
  const input = r.i8s(s.inH * s.inW * s.inC);
  const filterLen = depthwise ? s.filterH * s.filterW * s.outC : s.outC * s.filterH * s.filterW * s.filterC;
  const filter = r.chance(0.1) ? r.i8s(filterLen, -128, -127) : r.i8s(filterLen, -127, 127);
  const bias = r.chance(0.15) ? null : randomBias(r, s.outC, extreme);
  const spec = { ...s, inputOffset: q.inputOffset, outputOffset: q.outputOffset, actMin: q.actMin, actMax: q.actMax };
  const expected = depthwise
    ? ref.depthwiseConvPerChannel(spec, q.multipliers, q.shifts, [1, s.inH, s.inW, s.inC], input,
      [1, s.filterH, s.filterW, s.outC], filter, bias, [1, s.outH, s.outW, s.outC])
    : ref.convPerChannel(spec, q.multipliers, q.shifts, [1, s.inH, s.inW, s.inC], input,
      [s.outC, s.filterH, s.filterW, s.filterC], filter, bias, [1, s.outH, s.outW, s.outC]);
  // multiply-accumulates: in-image taps x channels summed per output pixel and channel
  let taps = 0;
  for (let oy = 0; oy < s.outH; oy++)
    for (let ox = 0; ox < s.outW; ox++)
      for (let fy = 0; fy < s.filterH; fy++)
        for (let fx = 0; fx < s.filterW; fx++) {
          const iy = oy * s.strideH - s.padH + fy * s.dilationH;
          const ix = ox * s.strideW - s.padW + fx * s.dilationW;
          if (iy >= 0 && iy < s.inH && ix >= 0 && ix < s.inW) taps++;
        }
  const macs = taps * s.outC * (depthwise ? 1 : s.filterC);
  const p: ConvRecord = { ...spec, bias: 0, multipliers: 0, shifts: 0, arithmetic: 0 };
  return { p, input, filter, bias, multipliers: q.multipliers, shifts: q.shifts, expected, macs };
}

/** Places the parameter record (with its arrays) in the arena. */
function putConvParams(c: ConvCase): number {
  const bias = c.bias ? arena.put(c.bias) : 0;
  const multipliers = arena.put(c.multipliers);
  const shifts = arena.put(c.shifts);
  return arena.put(packParams(CONV_FIELDS, { ...c.p, bias, multipliers, shifts }));
}

/** The filter block of channels [c0, c1) as a caller streaming weights would hold it. */
function filterBlock(c: ConvCase, depthwise: boolean, c0: number, c1: number): Int8Array {
  const { filterH, filterW, filterC, outC } = c.p;
  if (!depthwise) return c.filter.slice(c0 * filterH * filterW * filterC, c1 * filterH * filterW * filterC);
  const out = new Int8Array(filterH * filterW * (c1 - c0));
  for (let t = 0; t < filterH * filterW; t++) out.set(c.filter.subarray(t * outC + c0, t * outC + c1), t * (c1 - c0));
  return out;
}

for (const depthwise of [false, true]) {
  const name = depthwise ? 'DEPTHWISE_CONV_2D' : 'CONV_2D';
  const run = (...args: number[]) => (depthwise ? x.depthwise_conv_2d : x.conv_2d)(...args) >>> 0;

  describe(name, () => {
    it('whole layers match the reference on 400 random cases', () => {
      const r = rng(depthwise ? 21 : 22);
      for (let i = 0; i < 400; i++) {
        const c = makeConvCase(r, depthwise);
        arena.reset();
        const p = putConvParams(c);
        const input = arena.put(c.input);
        const filter = arena.put(c.filter);
        const output = arena.alloc(c.expected.length);
        const macs = run(p, input, filter, output, 0, c.p.outH, 0, c.p.outC);
        expectBytes(arena.i8(output, c.expected.length), c.expected, `${name} case ${i} ${JSON.stringify(c.p)}`);
        expect(macs).toBe(c.macs);
      }
    });

    it('slices of rows and streamed channel blocks give the same bytes', () => {
      const r = rng(depthwise ? 23 : 24);
      for (let i = 0; i < 150; i++) {
        const c = makeConvCase(r, depthwise);
        arena.reset();
        const p = putConvParams(c);
        const input = arena.put(c.input);
        const output = arena.alloc(c.expected.length);
        let macs = 0;
        for (const [r0, r1] of splits(r, c.p.outH, 3)) {
          for (const [c0, c1] of splits(r, c.p.outC, 3)) {
            if (c1 === c0) continue;
            const block = arena.put(filterBlock(c, depthwise, c0, c1));
            macs += run(p, input, block, output, r0, r1, c0, c1);
          }
        }
        expectBytes(arena.i8(output, c.expected.length), c.expected, `${name} sliced case ${i}`);
        expect(macs).toBe(c.macs);
      }
    });

    it('a slice reads only its input rows and writes only its output rows (windowed buffers)', () => {
      const r = rng(depthwise ? 25 : 26);
      for (let i = 0; i < 100; i++) {
        const c = makeConvCase(r, depthwise);
        const { inW, inC, outW, outC, strideH, padH, filterH, dilationH, inH } = c.p;
        const [r0, r1] = r.pick(splits(r, c.p.outH, 3));
        if (r1 === r0) continue;
        const first = Math.max(0, r0 * strideH - padH);
        const last = Math.min(inH, (r1 - 1) * strideH - padH + (filterH - 1) * dilationH + 1);
        arena.reset();
        const p = putConvParams(c);
        const filter = arena.put(c.filter);
        const inRow = inW * inC;
        const outRow = outW * outC;
        const window = arena.put(c.input.slice(first * inRow, Math.max(first, last) * inRow));
        const outWindow = arena.alloc((r1 - r0) * outRow);
        // base addresses shifted back by the rows not held (32-bit wrap-around is fine)
        run(p, (window - first * inRow) >>> 0, filter, (outWindow - r0 * outRow) >>> 0, r0, r1, 0, outC);
        expectBytes(arena.i8(outWindow, (r1 - r0) * outRow), c.expected.slice(r0 * outRow, r1 * outRow), `${name} window case ${i}`);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------

describe('FULLY_CONNECTED', () => {
  it('matches the reference on 400 random cases, whole and in streamed row blocks', () => {
    const r = rng(31);
    for (let i = 0; i < 400; i++) {
      const batches = r.int(1, 3), depth = r.int(1, 80), outDepth = r.int(1, 12);
      const extreme = r.chance(0.15);
      const perChannel = r.chance(0.3);
      const q = randomQuant(r, outDepth, extreme, depth);
      const filterOffset = r.chance(0.8) ? 0 : -zeroPoint(r);
      const input = r.i8s(batches * depth);
      const filter = r.i8s(outDepth * depth);
      const bias = r.chance(0.2) ? null : randomBias(r, outDepth, extreme);
      const spec = {
        inputOffset: q.inputOffset, filterOffset, outputOffset: q.outputOffset,
        outputMultiplier: perChannel ? q.multipliers : q.multipliers[0],
        outputShift: perChannel ? q.shifts : q.shifts[0],
        actMin: q.actMin, actMax: q.actMax,
      };
      const expected = ref.fullyConnected(spec, batches, input, outDepth, depth, filter, bias);

      arena.reset();
      const p = arena.put(packParams(FULLY_CONNECTED_FIELDS, {
        batches, inDepth: depth, outDepth, inputOffset: q.inputOffset, filterOffset, outputOffset: q.outputOffset,
        outputMultiplier: q.multipliers[0], outputShift: q.shifts[0], actMin: q.actMin, actMax: q.actMax,
        bias: bias ? arena.put(bias) : 0,
        multipliers: perChannel ? arena.put(q.multipliers) : 0,
        shifts: perChannel ? arena.put(q.shifts) : 0,
      }));
      const inAt = arena.put(input);
      const whole = arena.alloc(expected.length);
      expect(x.fully_connected(p, inAt, arena.put(filter), whole, 0, outDepth) >>> 0).toBe(batches * depth * outDepth);
      expectBytes(arena.i8(whole, expected.length), expected, `FC case ${i}`);

      const sliced = arena.alloc(expected.length);
      for (const [c0, c1] of splits(r, outDepth, 3)) {
        x.fully_connected(p, inAt, arena.put(filter.slice(c0 * depth, c1 * depth)), sliced, c0, c1);
      }
      expectBytes(arena.i8(sliced, expected.length), expected, `FC sliced case ${i}`);
    }
  });
});

// ---------------------------------------------------------------------------------------

describe('pooling', () => {
  for (const kind of ['average', 'max'] as const) {
    it(`${kind}: matches the reference on 400 random cases, whole and by rows`, () => {
      const r = rng(kind === 'average' ? 41 : 42);
      let ties = 0;
      for (let i = 0; i < 400; i++) {
        const padding: Padding = r.chance(0.5) ? 'SAME' : 'VALID';
        const inH = r.int(1, 10), inW = r.int(1, 10), channels = r.int(1, 6);
        const filterH = r.int(1, 4), filterW = r.int(1, 4), strideH = r.int(1, 3), strideW = r.int(1, 3);
        const outH = computeOutSize(padding, inH, filterH, strideH);
        const outW = computeOutSize(padding, inW, filterW, strideW);
        if (outH <= 0 || outW <= 0) continue;
        const padH = computePadding(strideH, 1, inH, filterH, outH);
        const padW = computePadding(strideW, 1, inW, filterW, outW);
        const [actMin, actMax] = randomRange(r);
        // narrow value ranges make exact halves (and negative ones) common
        const input = r.chance(0.5) ? r.i8s(inH * inW * channels, -3, 3) : r.i8s(inH * inW * channels);
        const spec = { filterH, filterW, strideH, strideW, padH, padW, actMin, actMax };
        const shapes = [[1, inH, inW, channels], [1, outH, outW, channels]] as const;
        const expected = kind === 'average'
          ? ref.averagePool(spec, [...shapes[0]], input, [...shapes[1]])
          : ref.maxPool(spec, [...shapes[0]], input, [...shapes[1]]);
        if (kind === 'average' && filterH * filterW % 2 === 0) ties++;

        arena.reset();
        const p = arena.put(packParams(POOL_FIELDS, { inH, inW, channels, outH, outW, ...spec }));
        const inAt = arena.put(input);
        const out = arena.alloc(expected.length);
        const fn = kind === 'average' ? x.average_pool : x.max_pool;
        for (const [r0, r1] of splits(r, outH, 3)) fn(p, inAt, out, r0, r1);
        expectBytes(arena.i8(out, expected.length), expected, `${kind} pool case ${i}`);
      }
      if (kind === 'average') expect(ties).toBeGreaterThan(50);
    });
  }

  it('average rounds halves away from zero, as TFLite', () => {
    arena.reset();
    const spec = { filterH: 1, filterW: 2, strideH: 1, strideW: 2, padH: 0, padW: 0, actMin: -128, actMax: 127 };
    const input = Int8Array.from([1, 2, -1, -2, 0, 1, 0, -1, 127, 127, -128, -127]);
    const p = arena.put(packParams(POOL_FIELDS, { inH: 1, inW: 12, channels: 1, outH: 1, outW: 6, ...spec }));
    const out = arena.alloc(6);
    x.average_pool(p, arena.put(input), out, 0, 1);
    expect([...arena.i8(out, 6)]).toEqual([2, -2, 1, -1, 127, -128]);
    expect([...ref.averagePool(spec, [1, 1, 12, 1], input, [1, 1, 6, 1])]).toEqual([2, -2, 1, -1, 127, -128]);
  });
});

// ---------------------------------------------------------------------------------------

describe('element-wise kernels', () => {
  it('RELU (requantising) and RELU6 (clamp) match the reference', () => {
    const r = rng(51);
    for (let i = 0; i < 300; i++) {
      const n = r.int(1, 300);
      const input = r.i8s(n);
      const { multiplier, shift } = randomMultiplier(r, 3);
      const inputZeroPoint = zeroPoint(r), outputOffset = zeroPoint(r);
      const actMin = Math.max(-128, outputOffset), actMax = r.chance(0.8) ? 127 : r.int(actMin, 127);
      const spec = r.chance(0.5)
        ? reluScaling(2 ** -r.int(1, 10), inputZeroPoint, 2 ** -r.int(1, 10) * (1 + r.int(0, 99) / 100), outputOffset)
        : { inputZeroPoint, outputOffset, outputMultiplier: multiplier, outputShift: shift, actMin, actMax };
      arena.reset();
      const p = arena.put(packParams(RELU_FIELDS, spec));
      const inAt = arena.put(input);
      const out = arena.alloc(n);
      expect(x.relu_q(p, inAt, out, n) >>> 0).toBe(n);
      expectBytes(arena.i8(out, n), ref.relu(spec, input), `relu case ${i}`);

      const [lo, hi] = r.chance(0.8) ? relu6Bounds(r.int(1, 100) / 500, zeroPoint(r)) : [r.int(-128, 127), r.int(-128, 127)];
      x.relu6_q(inAt, inAt, n, lo, hi); // in place
      expectBytes(arena.i8(inAt, n), ref.relu6(input, lo, hi), `relu6 case ${i}`);
    }
  });

  it('ADD matches the reference (TFLite Micro parameters and extreme ones)', () => {
    const r = rng(52);
    for (let i = 0; i < 300; i++) {
      const n = r.int(1, 300);
      const a = r.i8s(n), b = r.i8s(n);
      const scale = () => 2 ** (r.int(-12, 2) + r.int(0, 999) / 1000);
      let scaling;
      if (r.chance(0.8)) scaling = addScaling(scale(), scale(), scale());
      else {
        const m = () => randomMultiplier(r, 0);
        const [m1, m2, mo] = [m(), m(), m()];
        scaling = {
          leftShift: r.pick([20, 20, 15, 0]),
          input1Multiplier: m1.multiplier, input1Shift: m1.shift,
          input2Multiplier: m2.multiplier, input2Shift: m2.shift,
          outputMultiplier: mo.multiplier, outputShift: mo.shift,
        };
      }
      const [actMin, actMax] = randomRange(r);
      const spec = { ...scaling, input1Offset: -zeroPoint(r), input2Offset: -zeroPoint(r), outputOffset: zeroPoint(r), actMin, actMax };
      arena.reset();
      const p = arena.put(packParams(ADD_FIELDS, spec));
      const out = arena.alloc(n);
      x.add_q(p, arena.put(a), arena.put(b), out, n);
      expectBytes(arena.i8(out, n), ref.add(spec, a, b), `add case ${i}`);
    }
  });

  it('RESHAPE copies bytes; ARG_MAX takes the first maximum', () => {
    const r = rng(53);
    for (let i = 0; i < 200; i++) {
      const outer = r.int(1, 4), axis = r.int(1, 20), inner = r.int(1, 4);
      const input = r.i8s(outer * axis * inner, r.pick([-128, 120]), r.pick([-127, 127]));
      arena.reset();
      const inAt = arena.put(input);
      const out = arena.alloc(outer * inner * 4);
      x.arg_max(inAt, out, outer, axis, inner);
      expect([...arena.i32(out, outer * inner)]).toEqual([...ref.argMax(input, outer, axis, inner)]);
      const copy = arena.alloc(input.length);
      x.reshape_q(inAt, copy, input.length);
      expectBytes(arena.i8(copy, input.length), input, 'reshape');
    }
  });
});

// ---------------------------------------------------------------------------------------

describe('SOFTMAX', () => {
  it('matches the reference on 400 random cases (TFLite Micro parameters)', () => {
    const r = rng(61);
    for (let i = 0; i < 400; i++) {
      const rows = r.int(1, 4);
      const depth = r.chance(0.1) ? r.int(100, 256) : r.int(1, 40);
      const inputScale = r.chance(0.1) ? r.pick([1e-4, 0.5, 4, 100]) : 2 ** (r.int(-9, 0) + r.int(0, 999) / 1000);
      const beta = r.chance(0.8) ? 1 : r.int(1, 40) / 10;
      const s = softmaxScaling(beta, inputScale);
      const input = r.chance(0.3) ? r.i8s(rows * depth, 120, 127) : r.i8s(rows * depth);
      const spec = { rows, depth, ...s };
      const expected = ref.softmax(s, rows, depth, input);
      arena.reset();
      const p = arena.put(packParams(SOFTMAX_FIELDS, spec));
      const out = arena.alloc(expected.length);
      expect(x.softmax_q(p, arena.put(input), out) >>> 0).toBe(rows * depth);
      expectBytes(arena.i8(out, expected.length), expected, `softmax case ${i} ${JSON.stringify(spec)}`);
    }
  });

  it('gives a probability distribution in 1/256 steps with zero point -128', () => {
    const s = softmaxScaling(1, 1 / 16);
    const out = ref.softmax(s, 1, 2, Int8Array.from([-16, 16])); // logits -1 and 1
    const p = [...out].map((q) => (q + 128) / 256);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-2)), 2);
    expect(p[0] + p[1]).toBeCloseTo(1, 2);
    expect([...ref.softmax(s, 1, 3, Int8Array.from([5, 5, 5]))]).toEqual([-43, -43, -43]);
  });
});

describe('multipliers from scales', () => {
  it('per-channel multipliers come from input * filter / output scale in double', () => {
    const q = convMultipliers(0.02, [0.001, 0.5], 0.05);
    expect(q[0]).toEqual(quantizeMultiplier((Math.fround(0.02) * Math.fround(0.001)) / Math.fround(0.05)));
    expect(q[1].shift).toBe(-2);
  });
});

// ---------------------------------------------------------------------------------------
// Desktop TensorFlow Lite arithmetic (records with arithmetic = ARITHMETIC_TFLITE)

describe('float requantisation (desktop TFLite, XNNPACK fp32)', () => {
  it('rounds halves to even where the fixed point rounds them away from zero', () => {
    // 0.5 as a Q31 multiplier is (2^30, 0); as a float scale, 0.5. gemmlowp's doubling high
    // multiply rounds positive halves up and negative halves toward zero; XNNPACK rounds to even.
    const half = f32Bits(0.5);
    for (const [acc, fixed, float] of [[5, 3, 2], [7, 4, 4], [-5, -2, -2], [-7, -3, -4], [1, 1, 0], [3, 2, 2], [-3, -1, -2]]) {
      expect(x.mbqm(acc, 2 ** 30, 0), `fixed ${acc}`).toBe(fixed);
      expect(x.requant_fp32(acc, half, 0, -128, 127), `float ${acc}`).toBe(float);
      expect(ref.requantizeFp32(acc, 0.5, 0, -128, 127), `reference ${acc}`).toBe(float);
    }
    expect(x.requant_fp32(1000, half, -128, -128, 127)).toBe(127);
    expect(x.requant_fp32(-1000, half, 5, -3, 127)).toBe(-3);
    expect([roundHalfEven(2.5), roundHalfEven(3.5), roundHalfEven(-2.5), roundHalfEven(-3.5), roundHalfEven(-0.4)]).toEqual([2, 4, -2, -4, -0]);
  });

  it('the module and the reference agree on 20,000 random accumulators and scales', () => {
    const r = rng(71);
    for (let i = 0; i < 20000; i++) {
      const scale = Math.fround(r.chance(0.2) ? r.int(1, 64) / 128 : 2 ** (r.int(-20, 2) + r.int(0, 999) / 1000));
      const acc = r.chance(0.3) ? r.int(-300, 300) : r.int(-(2 ** 31), 2 ** 31 - 1);
      const zp = r.int(-128, 127);
      const lo = r.int(-128, 127), hi = r.int(lo, 127);
      expect(x.requant_fp32(acc, f32Bits(scale), zp, lo, hi), `case ${i}`).toBe(ref.requantizeFp32(acc, scale, zp, lo, hi));
    }
  });

  it('scales are input * filter / output in float32; activation bounds round like xnn_qs8_quantize', () => {
    const f = Math.fround;
    expect(fp32Scale(0.02, 0.001, 0.05)).toBe(f(f(f(0.02) * f(0.001)) / f(0.05)));
    expect(() => fp32Scale(1, 1, 1 / 512)).toThrow(/not below 256/);
    expect(activationRangeFp32('NONE', 0.1, 3)).toEqual([-128, 127]);
    expect(activationRangeFp32('RELU', 0.1, -128)).toEqual([-128, 127]);
    // 6 / 0.048 = 125 exactly: a tie of neither kind; 6 / 0.096 + 0.5 -> halves go to even
    expect(activationRangeFp32('RELU6', 6 / 125, -128)).toEqual([-128, -3]);
    expect(activationRange('RELU6', 6 / 125, -128)).toEqual([-128, -3]);
  });

  it('FULLY_CONNECTED with float scales: 300 random cases, per-tensor and per-channel', () => {
    const r = rng(72);
    for (let i = 0; i < 300; i++) {
      const batches = r.int(1, 3), depth = r.int(1, 60), outDepth = r.int(1, 10);
      const perChannel = r.chance(0.4);
      const scales = Array.from({ length: outDepth }, () => Math.fround(2 ** (r.int(-14, -4) + r.int(0, 999) / 1000)));
      const inputOffset = r.int(-127, 128), outputOffset = r.int(-128, 127);
      const actMin = r.chance(0.5) ? -128 : r.int(-128, 0), actMax = r.chance(0.5) ? 127 : r.int(actMin, 127);
      const input = r.i8s(batches * depth);
      const filter = r.i8s(outDepth * depth);
      const bias = r.chance(0.3) ? null : Int32Array.from({ length: outDepth }, () => r.int(-20000, 20000));
      const expected = ref.fullyConnected({
        inputOffset, filterOffset: 0, outputOffset, outputMultiplier: 0, outputShift: 0, actMin, actMax,
        fp32Scale: perChannel ? scales : scales[0],
      }, batches, input, outDepth, depth, filter, bias);
      arena.reset();
      const p = arena.put(packParams(FULLY_CONNECTED_FIELDS, {
        batches, inDepth: depth, outDepth, inputOffset, filterOffset: 0, outputOffset,
        outputMultiplier: f32Bits(scales[0]), outputShift: 0, actMin, actMax,
        bias: bias ? arena.put(bias) : 0,
        multipliers: perChannel ? arena.put(Int32Array.from(scales, f32Bits)) : 0,
        shifts: perChannel ? arena.put(new Int32Array(outDepth)) : 0,
        arithmetic: ARITHMETIC_TFLITE,
      }));
      const out = arena.alloc(expected.length);
      x.fully_connected(p, arena.put(input), arena.put(filter), out, 0, outDepth);
      expectBytes(arena.i8(out, expected.length), expected, `fp32 FC case ${i}`);
    }
  });
});

describe('SOFTMAX with the float lookup table (desktop TFLite)', () => {
  it('expf is the C library\'s, not exp rounded to float32', () => {
    expect(expf(0)).toBe(1);
    expect(expf(-200)).toBe(0);
    // an argument of micro_speech's table where glibc's expf and fround(Math.exp) disagree
    const x = bitsF32(0xc19dc766 | 0);
    expect(f32Bits(expf(x)) >>> 0).toBe(0x313af7bc);
    expect(f32Bits(Math.fround(Math.exp(x))) >>> 0).toBe(0x313af7bd);
    for (let k = 0; k < 1600; k++) { // down to -83: normal float32 results
      const v = Math.fround(-k / 19.3);
      expect(Math.abs(expf(v) - Math.exp(v)) / Math.exp(v)).toBeLessThan(2 ** -23);
    }
  });

  it('the module matches the reference on 300 random cases', () => {
    const r = rng(73);
    for (let i = 0; i < 300; i++) {
      const rows = r.int(1, 4);
      const depth = r.chance(0.1) ? r.int(100, 256) : r.int(1, 40);
      const inputScale = r.chance(0.1) ? r.pick([1e-4, 0.5, 4]) : 2 ** (r.int(-9, 0) + r.int(0, 999) / 1000);
      const beta = r.chance(0.8) ? 1 : r.int(1, 40) / 10;
      const table = softmaxTable(inputScale, beta);
      const input = r.chance(0.3) ? r.i8s(rows * depth, 120, 127) : r.i8s(rows * depth);
      const expected = ref.softmaxFloatTable(table, 1 / 256, rows, depth, input);
      arena.reset();
      const p = arena.put(packParams(SOFTMAX_FIELDS, {
        rows, depth, ...softmaxScaling(beta, inputScale), arithmetic: ARITHMETIC_TFLITE, outputScale: f32Bits(1 / 256),
        table: arena.put(new Uint8Array(table.buffer)),
      }));
      const out = arena.alloc(expected.length);
      expect(x.softmax_q(p, arena.put(input), out) >>> 0).toBe(rows * depth);
      expectBytes(arena.i8(out, expected.length), expected, `float softmax case ${i}`);
    }
  });

  it('equal logits share the probability; two classes sum to one', () => {
    const table = softmaxTable(1 / 16, 1);
    expect([...ref.softmaxFloatTable(table, 1 / 256, 1, 3, Int8Array.from([5, 5, 5]))]).toEqual([-43, -43, -43]);
    const two = ref.softmaxFloatTable(table, 1 / 256, 1, 2, Int8Array.from([-16, 16]));
    expect(two[0] + 128 + two[1] + 128).toBe(256);
  });
});
