// SOFTMAX, int8 in, int8 out: TFLite's reference_ops::Softmax (the int8 path TFLite Micro
// runs), bit for bit, with gemmlowp's fixed-point exp and 1/(1+x).
//
// Per row: d = x - max(row). Values with d < diffMin contribute nothing and give -128.
// Otherwise d is scaled to Q5.26 by (inputMultiplier, inputLeftShift) (beta * input scale,
// QuantizeMultiplierGreaterThanOne of beta * scale * 2^26), exp() in Q0.31, the sum of exps in
// Q12.19, its reciprocal by Newton-Raphson, and the output is
//   clamp(RoundingDivideByPOT(recip * exp(d), bitsOverUnit + 23) - 128, -128, 127).
// The final shift stays within 31 bits for depth <= 256 (any depth whose exps sum below 2^20
// in Q12.19 terms, i.e. always for classifier heads).
//
// With ARITHMETIC_TFLITE: desktop TensorFlow Lite's int8 softmax (optimized_ops::Softmax with
// the float table of PopulateSoftmaxLookupTable; the XNNPACK delegate takes only float
// softmax), in float32: e = table[255 - max + x], sum of e in order, inv = 1 / (sum * outputScale),
// out = clamp(roundHalfAway(e * inv) - 128). The host computes the table (tools/infer/quant.ts).

import { ARITHMETIC_TFLM, SoftmaxParams } from "./params";
import { multiplyByQuantizedMultiplierGreaterThanOne, roundingDivideByPOT, saturatingRoundingDoublingHighMul as mul } from "./quant";

const ACCUMULATION_INTEGER_BITS: i32 = 12;

/** gemmlowp SaturatingRoundingMultiplyByPOT with a positive exponent: a saturating x << e. */
// @ts-ignore: decorator
@inline function saturatingShiftLeft(x: i32, e: i32): i32 {
  const threshold = (1 << (31 - e)) - 1;
  if (x > threshold) return i32.MAX_VALUE;
  if (x < -threshold) return i32.MIN_VALUE;
  return x << e;
}

/** gemmlowp RoundingHalfSum: (a + b) / 2, rounded half away from zero. */
// @ts-ignore: decorator
@inline function roundingHalfSum(a: i32, b: i32): i32 {
  const sum: i64 = <i64>a + <i64>b;
  return <i32>((sum + (sum >= 0 ? 1 : -1)) / 2);
}

/** exp(a) for a in [-1/4, 0), Q0.31 in and out (Taylor series around -1/8). */
function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: i32): i32 {
  const constantTerm: i32 = 1895147668; // exp(-1/8)
  const oneThird: i32 = 715827883;
  const x = a + (1 << 28);
  const x2 = mul(x, x);
  const x3 = mul(x2, x);
  const x4 = mul(x2, x2);
  const x4Over4 = roundingDivideByPOT(x4, 2);
  const poly = roundingDivideByPOT(mul(x4Over4 + x3, oneThird) + x2, 1);
  return constantTerm + mul(constantTerm, x + poly);
}

/** exp(a) for a <= 0: a in Q5.26, result in Q0.31. */
export function expOnNegativeValues(a: i32): i32 {
  const quarter: i32 = 1 << 24;
  const aModQuarterMinusQuarter = (a & (quarter - 1)) - quarter;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(saturatingShiftLeft(aModQuarterMinusQuarter, 5));
  const remainder = aModQuarterMinusQuarter - a;
  if (remainder & (1 << 24)) result = mul(result, 1672461947); // exp(-1/4)
  if (remainder & (1 << 25)) result = mul(result, 1302514674); // exp(-1/2)
  if (remainder & (1 << 26)) result = mul(result, 790015084); // exp(-1)
  if (remainder & (1 << 27)) result = mul(result, 290630308); // exp(-2)
  if (remainder & (1 << 28)) result = mul(result, 39332535); // exp(-4)
  if (remainder & (1 << 29)) result = mul(result, 720401); // exp(-8)
  if (remainder & (1 << 30)) result = mul(result, 242); // exp(-16)
  return a == 0 ? i32.MAX_VALUE : result;
}

/** 1 / (1 + a) for a in [0, 1): Q0.31 in and out. */
export function oneOverOnePlusX(a: i32): i32 {
  const halfDenominator = roundingHalfSum(a, i32.MAX_VALUE);
  let x: i32 = 1515870810 + mul(halfDenominator, -1010580540); // 48/17 - 32/17 * d, Q2.29
  for (let i = 0; i < 3; i++) {
    const oneMinusHalfDenominatorTimesX = (1 << 29) - mul(halfDenominator, x);
    x = x + saturatingShiftLeft(mul(x, oneMinusHalfDenominatorTimesX), 2);
  }
  return saturatingShiftLeft(x, 1);
}

// @ts-ignore: decorator
@inline function scaledDiff(p: SoftmaxParams, d: i32): i32 {
  return multiplyByQuantizedMultiplierGreaterThanOne(d, p.inputMultiplier, p.inputLeftShift);
}

/** std::round on a float32: nearest, halves away from zero. */
// @ts-ignore: decorator
@inline function roundHalfAwayF32(x: f32): f32 {
  const t = trunc<f32>(x);
  return abs<f32>(x - t) >= <f32>0.5 ? t + copysign<f32>(1, x) : t;
}

function softmaxTable(p: SoftmaxParams, input: usize, output: usize): u32 {
  const depth = p.depth;
  const table = p.table;
  const outputScale = reinterpret<f32>(p.outputScale);
  for (let r = 0; r < p.rows; r++) {
    const x = input + <usize>(r * depth);
    const out = output + <usize>(r * depth);
    let max: i32 = -128;
    for (let c = 0; c < depth; c++) {
      const v = <i32>load<i8>(x + <usize>c);
      if (v > max) max = v;
    }
    const row = table + (<usize>(255 - max) << 2);
    let sum: f32 = 0;
    for (let c = 0; c < depth; c++) sum += load<f32>(row + (<usize>(<i32>load<i8>(x + <usize>c)) << 2));
    const inv: f32 = <f32>1 / (sum * outputScale);
    for (let c = 0; c < depth; c++) {
      const e = load<f32>(row + (<usize>(<i32>load<i8>(x + <usize>c)) << 2));
      const q = <i32>roundHalfAwayF32(e * inv) - 128;
      store<i8>(out + <usize>c, <i8>(q > 127 ? 127 : q < -128 ? -128 : q));
    }
  }
  return <u32>(p.rows * depth);
}

/** SOFTMAX over p.rows rows of p.depth int8 values; returns the values processed. */
export function softmax(p: SoftmaxParams, input: usize, output: usize): u32 {
  if (p.arithmetic != ARITHMETIC_TFLM) return softmaxTable(p, input, output);
  const depth = p.depth, diffMin = p.diffMin;
  for (let r = 0; r < p.rows; r++) {
    const x = input + <usize>(r * depth);
    const out = output + <usize>(r * depth);
    let max: i32 = -128;
    for (let c = 0; c < depth; c++) {
      const v = <i32>load<i8>(x + <usize>c);
      if (v > max) max = v;
    }
    let sumOfExps: i32 = 0; // Q12.19
    for (let c = 0; c < depth; c++) {
      const d = <i32>load<i8>(x + <usize>c) - max;
      if (d >= diffMin) {
        sumOfExps += roundingDivideByPOT(expOnNegativeValues(scaledDiff(p, d)), ACCUMULATION_INTEGER_BITS);
      }
    }
    // GetReciprocal: normalise the sum to [1, 2), take 1/x, remember the power of two.
    const headroomPlusOne = <i32>clz(<u32>sumOfExps);
    const bitsOverUnit = ACCUMULATION_INTEGER_BITS - headroomPlusOne;
    const shiftedSumMinusOne = <i32>((<u32>sumOfExps << headroomPlusOne) - (<u32>1 << 31));
    const shiftedScale = oneOverOnePlusX(shiftedSumMinusOne);
    const exponent = bitsOverUnit + 31 - 8;
    for (let c = 0; c < depth; c++) {
      const d = <i32>load<i8>(x + <usize>c) - max;
      let q: i32 = -128;
      if (d >= diffMin) {
        const e = expOnNegativeValues(scaledDiff(p, d));
        q = roundingDivideByPOT(mul(shiftedScale, e), exponent) - 128;
        q = q > 127 ? 127 : q < -128 ? -128 : q;
      }
      store<i8>(out + <usize>c, <i8>q);
    }
  }
  return <u32>(p.rows * depth);
}
