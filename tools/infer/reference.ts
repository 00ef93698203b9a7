// A plain TypeScript reference of the int8 kernels, written from TensorFlow Lite's reference
// integer kernels (tensorflow/lite/kernels/internal/reference/integer_ops/*.h, reference/
// softmax.h, common.h, gemmlowp fixedpoint.h) and kept independent of the AssemblyScript
// kernels in firmware/src/infer: whole tensors, NHWC with a batch dimension, a bounds check
// per tap, BigInt for 64-bit products. Slow, obvious, and the yardstick of the tests.

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Wraps to int32 as the C code does in practice on overflow. */
const wrap = (x: number) => x | 0;
/** int32 * int32 with two's-complement wrap. */
const imul = Math.imul;

// ---------------------------------------------------------------------------------------
// Fixed point (gemmlowp / common.h)

/**
 * SaturatingRoundingDoublingHighMul: a * b / 2^31 rounded to nearest with ties toward +inf
 * (gemmlowp adds 2^30, or 1 - 2^30 for a negative product, then truncates toward zero), and
 * INT32_MIN * INT32_MIN saturated to INT32_MAX.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const ab = BigInt(a) * BigInt(b);
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  return Number((ab + nudge) / (1n << 31n)); // BigInt division truncates toward zero, as C
}

/** RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero. */
export function roundingDivideByPOT(x: number, exponent: number): number {
  if (exponent < 0 || exponent > 31) throw new Error(`exponent ${exponent}`);
  const q = x / 2 ** exponent; // exact in a double
  const r = Math.floor(Math.abs(q) + 0.5);
  return (x < 0 ? -r : r) | 0; // | 0: no negative zero
}

/** MultiplyByQuantizedMultiplier, the double-rounding (default) TFLite variant. */
export function multiplyByQuantizedMultiplier(x: number, multiplier: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(imul(x, 2 ** left | 0), multiplier), right);
}

/** The single-rounding variant (TFLITE_SINGLE_ROUNDING), for comparison only. */
export function multiplyByQuantizedMultiplierSingleRounding(x: number, multiplier: number, shift: number): number {
  const total = 31n - BigInt(shift);
  const round = 1n << (total - 1n);
  return Number(BigInt.asIntN(32, (BigInt(x) * BigInt(multiplier) + round) >> total));
}

const clampAct = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);

// ---------------------------------------------------------------------------------------
// Desktop TensorFlow Lite's float requantisation (XNNPACK "fp32" microkernels)

/**
 * float32(acc) * scale in float32, clamped to [actMin - zp, actMax - zp], rounded to nearest
 * with ties to even (XNNPACK's magic-bias trick: adding 1.5 * 2^23 in float32), plus zp.
 */
export function requantizeFp32(acc: number, scale: number, outputOffset: number, actMin: number, actMax: number): number {
  const f = Math.fround;
  let v = f(f(acc) * f(scale));
  v = Math.max(v, actMin - outputOffset);
  v = Math.min(v, actMax - outputOffset);
  // The magic bias, literally: 12582912 + v rounded to float32 is 12582912 + nearest-even(v) for |v| < 2^22.
  const magic = 12582912;
  return f(v + magic) - magic + outputOffset;
}

// ---------------------------------------------------------------------------------------
// Convolutions and fully connected

export interface ConvSpec {
  inputOffset: number;
  outputOffset: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padH: number;
  padW: number;
  actMin: number;
  actMax: number;
}

export type Shape4 = [number, number, number, number];

const offset4 = (s: Shape4, a: number, b: number, c: number, d: number) => ((a * s[1] + b) * s[2] + c) * s[3] + d;

/** reference_integer_ops::ConvPerChannel. Filter [outC][fH][fW][filterC]. */
export function convPerChannel(
  spec: ConvSpec, multipliers: ArrayLike<number>, shifts: ArrayLike<number>,
  inputShape: Shape4, input: Int8Array, filterShape: Shape4, filter: Int8Array,
  bias: Int32Array | null, outputShape: Shape4, fp32Scales?: ArrayLike<number>,
): Int8Array {
  const [batches, inH, inW, inC] = inputShape;
  const [outC, fH, fW, fC] = filterShape;
  const [, outH, outW] = outputShape;
  const groups = inC / fC;
  const filtersPerGroup = outC / groups;
  const output = new Int8Array(batches * outH * outW * outC);
  for (let b = 0; b < batches; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let oc = 0; oc < outC; oc++) {
          const group = Math.floor(oc / filtersPerGroup);
          const inYOrigin = oy * spec.strideH - spec.padH;
          const inXOrigin = ox * spec.strideW - spec.padW;
          let acc = 0;
          for (let fy = 0; fy < fH; fy++)
            for (let fx = 0; fx < fW; fx++) {
              const iy = inYOrigin + spec.dilationH * fy;
              const ix = inXOrigin + spec.dilationW * fx;
              if (ix < 0 || ix >= inW || iy < 0 || iy >= inH) continue;
              for (let ic = 0; ic < fC; ic++) {
                const x = input[offset4(inputShape, b, iy, ix, ic + group * fC)];
                const f = filter[offset4(filterShape, oc, fy, fx, ic)];
                acc = wrap(acc + imul(f, wrap(x + spec.inputOffset)));
              }
            }
          if (bias) acc = wrap(acc + bias[oc]);
          output[offset4(outputShape, b, oy, ox, oc)] = fp32Scales
            ? requantizeFp32(acc, fp32Scales[oc], spec.outputOffset, spec.actMin, spec.actMax)
            : clampAct(wrap(multiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + spec.outputOffset), spec.actMin, spec.actMax);
        }
  return output;
}

/** reference_integer_ops::DepthwiseConvPerChannel. Filter [1][fH][fW][inC * depthMultiplier]. */
export function depthwiseConvPerChannel(
  spec: ConvSpec & { depthMultiplier: number }, multipliers: ArrayLike<number>, shifts: ArrayLike<number>,
  inputShape: Shape4, input: Int8Array, filterShape: Shape4, filter: Int8Array,
  bias: Int32Array | null, outputShape: Shape4, fp32Scales?: ArrayLike<number>,
): Int8Array {
  const [batches, inH, inW, inC] = inputShape;
  const [, fH, fW] = filterShape;
  const [, outH, outW, outC] = outputShape;
  const output = new Int8Array(batches * outH * outW * outC);
  for (let b = 0; b < batches; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let ic = 0; ic < inC; ic++)
          for (let m = 0; m < spec.depthMultiplier; m++) {
            const oc = m + ic * spec.depthMultiplier;
            const inXOrigin = ox * spec.strideW - spec.padW;
            const inYOrigin = oy * spec.strideH - spec.padH;
            let acc = 0;
            for (let fy = 0; fy < fH; fy++)
              for (let fx = 0; fx < fW; fx++) {
                const ix = inXOrigin + spec.dilationW * fx;
                const iy = inYOrigin + spec.dilationH * fy;
                if (ix >= 0 && ix < inW && iy >= 0 && iy < inH) {
                  const x = input[offset4(inputShape, b, iy, ix, ic)];
                  const f = filter[offset4(filterShape, 0, fy, fx, oc)];
                  acc = wrap(acc + imul(f, wrap(x + spec.inputOffset)));
                }
              }
            if (bias) acc = wrap(acc + bias[oc]);
            output[offset4(outputShape, b, oy, ox, oc)] = fp32Scales
              ? requantizeFp32(acc, fp32Scales[oc], spec.outputOffset, spec.actMin, spec.actMax)
              : clampAct(wrap(multiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + spec.outputOffset), spec.actMin, spec.actMax);
          }
  return output;
}

export interface FullyConnectedSpec {
  inputOffset: number;
  filterOffset: number;
  outputOffset: number;
  /** Per-tensor multiplier and shift, or per-channel arrays. */
  outputMultiplier: number | ArrayLike<number>;
  outputShift: number | ArrayLike<number>;
  actMin: number;
  actMax: number;
  /** Desktop TFLite arithmetic: float32 scales (one, or one per output) instead of multiplier and shift. */
  fp32Scale?: number | ArrayLike<number>;
}

/** reference_integer_ops::FullyConnected (and FullyConnectedPerChannel). Filter [outDepth][depth]. */
export function fullyConnected(
  spec: FullyConnectedSpec, batches: number, input: Int8Array, outDepth: number, depth: number,
  filter: Int8Array, bias: Int32Array | null,
): Int8Array {
  const output = new Int8Array(batches * outDepth);
  for (let b = 0; b < batches; b++)
    for (let o = 0; o < outDepth; o++) {
      let acc = 0;
      for (let d = 0; d < depth; d++) {
        acc = wrap(acc + imul(wrap(filter[o * depth + d] + spec.filterOffset), wrap(input[b * depth + d] + spec.inputOffset)));
      }
      if (bias) acc = wrap(acc + bias[o]);
      if (spec.fp32Scale !== undefined) {
        const scale = typeof spec.fp32Scale === 'number' ? spec.fp32Scale : spec.fp32Scale[o];
        output[o + outDepth * b] = requantizeFp32(acc, scale, spec.outputOffset, spec.actMin, spec.actMax);
        continue;
      }
      const m = typeof spec.outputMultiplier === 'number' ? spec.outputMultiplier : spec.outputMultiplier[o];
      const s = typeof spec.outputShift === 'number' ? spec.outputShift : spec.outputShift[o];
      let v = multiplyByQuantizedMultiplier(acc, m, s);
      v = wrap(v + spec.outputOffset);
      output[o + outDepth * b] = clampAct(v, spec.actMin, spec.actMax);
    }
  return output;
}

// ---------------------------------------------------------------------------------------
// Pooling

export interface PoolSpec {
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  actMin: number;
  actMax: number;
}

function pool(
  spec: PoolSpec, inputShape: Shape4, input: Int8Array, outputShape: Shape4,
  reduce: (values: number[]) => number,
): Int8Array {
  const [batches, inH, inW, depth] = inputShape;
  const [, outH, outW] = outputShape;
  const output = new Int8Array(batches * outH * outW * depth);
  for (let b = 0; b < batches; b++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++)
        for (let c = 0; c < depth; c++) {
          const values: number[] = [];
          for (let fy = 0; fy < spec.filterH; fy++)
            for (let fx = 0; fx < spec.filterW; fx++) {
              const iy = oy * spec.strideH - spec.padH + fy;
              const ix = ox * spec.strideW - spec.padW + fx;
              if (iy >= 0 && iy < inH && ix >= 0 && ix < inW) values.push(input[offset4(inputShape, b, iy, ix, c)]);
            }
          if (values.length === 0) throw new Error('pooling window outside the input');
          output[offset4(outputShape, b, oy, ox, c)] = clampAct(reduce(values), spec.actMin, spec.actMax);
        }
  return output;
}

/** reference_integer_ops::AveragePool: sum / count, halves away from zero (C division). */
export function averagePool(spec: PoolSpec, inputShape: Shape4, input: Int8Array, outputShape: Shape4): Int8Array {
  return pool(spec, inputShape, input, outputShape, (values) => {
    const sum = values.reduce((a, v) => a + v, 0);
    const n = values.length;
    const half = Math.trunc(n / 2);
    return sum > 0 ? Math.trunc((sum + half) / n) : Math.trunc((sum - half) / n);
  });
}

/** reference_integer_ops::MaxPool. */
export function maxPool(spec: PoolSpec, inputShape: Shape4, input: Int8Array, outputShape: Shape4): Int8Array {
  return pool(spec, inputShape, input, outputShape, (values) => Math.max(-128, ...values));
}

// ---------------------------------------------------------------------------------------
// Element-wise

/** TFLite Micro ReluQuantized<int8_t>. */
export function relu(
  spec: { inputZeroPoint: number; outputOffset: number; outputMultiplier: number; outputShift: number; actMin: number; actMax: number },
  input: Int8Array,
): Int8Array {
  return input.map((x) => {
    const v = spec.outputOffset + multiplyByQuantizedMultiplier(x - spec.inputZeroPoint, spec.outputMultiplier, spec.outputShift);
    return clampAct(wrap(v), spec.actMin, spec.actMax);
  });
}

/** TFLite Micro Relu6Quantized: upper bound checked first. */
export function relu6(input: Int8Array, lower: number, upper: number): Int8Array {
  return input.map((x) => (x > upper ? upper : x < lower ? lower : x));
}

export interface AddSpec {
  input1Offset: number;
  input2Offset: number;
  leftShift: number;
  input1Multiplier: number;
  input1Shift: number;
  input2Multiplier: number;
  input2Shift: number;
  outputMultiplier: number;
  outputShift: number;
  outputOffset: number;
  actMin: number;
  actMax: number;
}

/** MultiplyByQuantizedMultiplierSmallerThanOneExp. */
export function multiplyByQuantizedMultiplierSmallerThanOneExp(x: number, multiplier: number, leftShift: number): number {
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -leftShift);
}

/** reference_integer_ops::Add (element-wise). */
export function add(spec: AddSpec, input1: Int8Array, input2: Int8Array): Int8Array {
  const out = new Int8Array(input1.length);
  for (let i = 0; i < input1.length; i++) {
    const a = imul(spec.input1Offset + input1[i], 2 ** spec.leftShift | 0);
    const b = imul(spec.input2Offset + input2[i], 2 ** spec.leftShift | 0);
    const sa = multiplyByQuantizedMultiplierSmallerThanOneExp(a, spec.input1Multiplier, spec.input1Shift);
    const sb = multiplyByQuantizedMultiplierSmallerThanOneExp(b, spec.input2Multiplier, spec.input2Shift);
    const raw = wrap(multiplyByQuantizedMultiplierSmallerThanOneExp(wrap(sa + sb), spec.outputMultiplier, spec.outputShift) + spec.outputOffset);
    out[i] = Math.min(spec.actMax, Math.max(spec.actMin, raw));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Softmax (reference_ops::Softmax, int8 -> int8, gemmlowp fixed point)

/** FixedPoint values are raw int32; the comments give their Q format. */
const fpMul = saturatingRoundingDoublingHighMul;

/** SaturatingRoundingMultiplyByPOT<exponent> for exponent > 0. */
function saturatingMultiplyByPOT(x: number, exponent: number): number {
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x * 2 ** exponent;
}

/** RoundingHalfSum: (a + b) / 2 with the sum's sign added first, truncating. */
function roundingHalfSum(a: number, b: number): number {
  const sum = a + b; // exact in a double
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/** exp on [-1/4, 0): Q0.31 -> Q0.31. */
function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668;
  const constant1Over3 = 715827883;
  const x = wrap(a + 2 ** 28);
  const x2 = fpMul(x, x);
  const x3 = fpMul(x2, x);
  const x4 = fpMul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const poly = roundingDivideByPOT(wrap(fpMul(wrap(x4Over4 + x3), constant1Over3) + x2), 1);
  return wrap(constantTerm + fpMul(constantTerm, wrap(x + poly)));
}

/** exp_on_negative_values for a Q5.26 input: Q0.31 result. */
export function expOnNegativeValues(a: number): number {
  const integerBits = 5;
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 2 ** (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusOneQuarter = wrap((a & mask) - oneQuarter);
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(saturatingMultiplyByPOT(aModQuarterMinusOneQuarter, integerBits));
  const remainder = wrap(aModQuarterMinusOneQuarter - a);
  const barrel: [number, number][] = [
    [-2, 1672461947], [-1, 1302514674], [0, 790015084], [1, 290630308],
    [2, 39332535], [3, 720401], [4, 242],
  ];
  for (const [exponent, multiplier] of barrel) {
    if (integerBits > exponent && (remainder & (1 << (fractionalBits + exponent))) !== 0) {
      result = fpMul(result, multiplier);
    }
  }
  return a === 0 ? INT32_MAX : result;
}

/** one_over_one_plus_x_for_x_in_0_1: Q0.31 -> Q0.31. */
export function oneOverOnePlusX(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX); // Q0.31
  let x = wrap(1515870810 + fpMul(halfDenominator, -1010580540)); // Q2.29
  const oneQ2 = 2 ** 29;
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = fpMul(halfDenominator, x); // Q2.29
    const oneMinus = wrap(oneQ2 - halfDenominatorTimesX); // Q2.29
    x = wrap(x + saturatingMultiplyByPOT(fpMul(x, oneMinus), 2)); // Q4.27 -> Q2.29
  }
  return saturatingMultiplyByPOT(x, 1); // ExactMulByPot<-1> then Rescale<0>
}

export interface SoftmaxSpec {
  inputMultiplier: number;
  inputLeftShift: number;
  diffMin: number;
}

/** reference_ops::Softmax<int8_t, int8_t> over the last dimension of [rows][depth]. */
export function softmax(spec: SoftmaxSpec, rows: number, depth: number, input: Int8Array): Int8Array {
  const accumulationIntegerBits = 12;
  const out = new Int8Array(rows * depth);
  const scaled = (d: number) => fpMul(imul(d, 2 ** spec.inputLeftShift | 0), spec.inputMultiplier);
  for (let r = 0; r < rows; r++) {
    const row = input.subarray(r * depth, (r + 1) * depth);
    const max = Math.max(-128, ...row);
    let sum = 0; // Q12.19
    for (const v of row) {
      const d = v - max;
      if (d >= spec.diffMin) sum = wrap(sum + roundingDivideByPOT(expOnNegativeValues(scaled(d)), accumulationIntegerBits));
    }
    // GetReciprocal
    const headroomPlusOne = Math.clz32(sum);
    const bitsOverUnit = accumulationIntegerBits - headroomPlusOne;
    const shiftedSumMinusOne = wrap(((sum << headroomPlusOne) >>> 0) - 2 ** 31);
    const shiftedScale = oneOverOnePlusX(shiftedSumMinusOne);
    for (let c = 0; c < depth; c++) {
      const d = row[c] - max;
      if (d >= spec.diffMin) {
        const e = expOnNegativeValues(scaled(d));
        const unsat = roundingDivideByPOT(fpMul(shiftedScale, e), bitsOverUnit + 31 - 8);
        out[r * depth + c] = Math.max(Math.min(unsat - 128, 127), -128);
      } else {
        out[r * depth + c] = -128;
      }
    }
  }
  return out;
}

/**
 * Desktop TFLite's optimized_ops::Softmax for int8 with a float lookup table (`table` from
 * PopulateSoftmaxLookupTable: table[255 - k] = exp(-inputScale * beta * k)): per row, float32
 * sum of table[255 - max + x], inv = 1 / (sum * outputScale), out = round(e * inv) - 128 with
 * std::round (halves away from zero), clamped to int8.
 */
export function softmaxFloatTable(table: Float32Array, outputScale: number, rows: number, depth: number, input: Int8Array): Int8Array {
  const f = Math.fround;
  const out = new Int8Array(rows * depth);
  for (let r = 0; r < rows; r++) {
    const row = input.subarray(r * depth, (r + 1) * depth);
    const max = Math.max(-128, ...row);
    const at = (x: number) => table[255 - max + x];
    let sum = 0;
    for (const x of row) sum = f(sum + at(x));
    const inv = f(1 / f(sum * f(outputScale)));
    for (let c = 0; c < depth; c++) {
      const p = f(at(row[c]) * inv);
      const q = (p < 0 ? -Math.floor(-p + 0.5) : Math.floor(p + 0.5)) - 128;
      out[r * depth + c] = Math.max(-128, Math.min(127, q));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Shape

/** ArgMinMax with std::greater over the middle axis of [outer][axis][inner]: int32 indices. */
export function argMax(input: Int8Array, outer: number, axis: number, inner: number): Int32Array {
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++) {
      let best = input[o * axis * inner + i];
      let index = 0;
      for (let k = 1; k < axis; k++) {
        const v = input[(o * axis + k) * inner + i];
        if (v > best) {
          best = v;
          index = k;
        }
      }
      out[o * inner + i] = index;
    }
  return out;
}
