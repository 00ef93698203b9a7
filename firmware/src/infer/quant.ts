// Fixed-point requantisation, bit-exact with TensorFlow Lite's integer kernels
// (tensorflow/lite/kernels/internal/common.h and gemmlowp's fixedpoint.h).
//
// A real multiplier M is carried as (multiplier, shift) with M = multiplier / 2^31 * 2^shift,
// multiplier in [2^30, 2^31) (or 0). The host computes the pair (tools/infer/quant.ts,
// QuantizeMultiplier); the node only multiplies.
//
// TFLite has two variants of MultiplyByQuantizedMultiplier. The default, used by the
// reference int8 kernels and TFLite Micro unless built with TFLITE_SINGLE_ROUNDING, rounds
// twice: a saturating rounding doubling high multiply, then a rounding right shift. That is
// the one implemented here; the single-rounding variant ((x * m + round) >> (31 - shift))
// differs on about one value in a few thousand and is not used.
//
// int32 overflow that is undefined in C (x * 2^left_shift, accumulator sums) wraps here, as
// it does on every compiler TFLite runs on in practice.

/**
 * gemmlowp SaturatingRoundingDoublingHighMul (ARM VQRDMULH): round(a * b / 2^31), ties away
 * from zero, with INT32_MIN * INT32_MIN saturating to INT32_MAX.
 */
// @ts-ignore: decorator
@inline export function saturatingRoundingDoublingHighMul(a: i32, b: i32): i32 {
  if (a == b && a == i32.MIN_VALUE) return i32.MAX_VALUE;
  const ab: i64 = <i64>a * <i64>b;
  const s: i64 = ab + (ab >= 0 ? <i64>(1 << 30) : <i64>(1 - (1 << 30)));
  // C's s / 2^31 truncates toward zero; an arithmetic shift floors, so bias negatives.
  return <i32>((s + (s < 0 ? <i64>0x7fffffff : 0)) >> 31);
}

/**
 * gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero
 * (-2.5 -> -3, 2.5 -> 3). exponent in [0, 31].
 */
// @ts-ignore: decorator
@inline export function roundingDivideByPOT(x: i32, exponent: i32): i32 {
  const mask = (1 << exponent) - 1;
  const remainder = x & mask;
  const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/**
 * TFLite MultiplyByQuantizedMultiplier (double rounding): x * multiplier / 2^31 * 2^shift.
 * A positive shift multiplies x by 2^shift first (wrapping), a negative one divides after.
 */
// @ts-ignore: decorator
@inline export function multiplyByQuantizedMultiplier(x: i32, multiplier: i32, shift: i32): i32 {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << left), multiplier), right);
}

/** TFLite MultiplyByQuantizedMultiplierSmallerThanOneExp: shift <= 0 (ADD's multipliers). */
// @ts-ignore: decorator
@inline export function multiplyByQuantizedMultiplierSmallerThanOneExp(x: i32, multiplier: i32, leftShift: i32): i32 {
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -leftShift);
}

/** TFLite MultiplyByQuantizedMultiplierGreaterThanOne: shift >= 0 (SOFTMAX's input scaling). */
// @ts-ignore: decorator
@inline export function multiplyByQuantizedMultiplierGreaterThanOne(x: i32, multiplier: i32, leftShift: i32): i32 {
  return saturatingRoundingDoublingHighMul(x * (1 << leftShift), multiplier);
}

/** Applies an activation range as TFLite does: max with lo first, then min with hi. */
// @ts-ignore: decorator
@inline export function clampI32(v: i32, lo: i32, hi: i32): i32 {
  const a = v < lo ? lo : v;
  return a > hi ? hi : a;
}

/**
 * Desktop TensorFlow Lite's requantisation (XNNPACK's "fp32" microkernels, which the XNNPACK
 * delegate runs for int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED): the int32
 * accumulator converted to float32, multiplied by the channel's float32 scale, clamped to the
 * activation range less the zero point, rounded to nearest with ties to even (XNNPACK's
 * magic-bias addition, lrintf), plus the output zero point. `scaleBits` is the scale's float32
 * bit pattern. Every step is a single float32 operation, so the result is the same on any
 * IEEE-754 machine.
 */
// @ts-ignore: decorator
@inline export function requantizeFp32(acc: i32, scaleBits: i32, outputOffset: i32, lo: i32, hi: i32): i32 {
  let v: f32 = <f32>acc * reinterpret<f32>(scaleBits);
  const vmin = <f32>(lo - outputOffset);
  const vmax = <f32>(hi - outputOffset);
  v = v < vmin ? vmin : v;
  v = v > vmax ? vmax : v;
  return <i32>nearest<f32>(v) + outputOffset;
}
