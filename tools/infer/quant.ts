// Host-side quantisation arithmetic: what an importer computes once from a .tflite file's
// float scales, exactly as TensorFlow Lite (Micro) computes it in its Prepare functions
// (tensorflow/lite/kernels/internal/quantization_util.cc, kernel_util.cc, padding.h and the
// kernels' *_common.cc). Doubles where TFLite uses double, float32 where it uses float.

export interface QuantizedMultiplier {
  /** Q0.31 significand in [2^30, 2^31), or 0. */
  multiplier: number;
  /** Power of two: real = multiplier / 2^31 * 2^shift. */
  shift: number;
}

/** C's frexp: x = fraction * 2^exponent with |fraction| in [0.5, 1) (0 for 0). */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  let biased = (hi >>> 20) & 0x7ff;
  let scaled = x;
  let extra = 0;
  if (biased === 0) {
    // Subnormal: scale into the normal range first (exact).
    scaled = x * 2 ** 64;
    extra = -64;
    view.setFloat64(0, scaled);
    biased = (view.getUint32(0) >>> 20) & 0x7ff;
  }
  const exponent = biased - 1022;
  // Set the biased exponent to 1022 so the magnitude lands in [0.5, 1).
  view.setUint32(0, (view.getUint32(0) & 0x800fffff) | (1022 << 20));
  return [view.getFloat64(0), exponent + extra];
}

/** std::round / TfLiteRound: nearest, halves away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/**
 * TFLite QuantizeMultiplier (double-rounding build): frexp, round the fraction to Q0.31,
 * renormalise a fraction that rounded up to 1.0, and flush shifts below -31 to (0, 0).
 */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (real === 0) return { multiplier: 0, shift: 0 };
  const [fraction, exponent] = frexp(real);
  let shift = exponent;
  let q = roundHalfAway(fraction * 2 ** 31);
  if (q > 2 ** 31) throw new Error(`QuantizeMultiplier: ${real} out of range`);
  if (q === 2 ** 31) {
    q /= 2;
    shift += 1;
  }
  if (shift < -31) {
    shift = 0;
    q = 0;
  }
  return { multiplier: q, shift };
}

/** QuantizeMultiplierSmallerThanOneExp: 0 < real < 1, shift <= 0. */
export function quantizeMultiplierSmallerThanOneExp(real: number): QuantizedMultiplier {
  if (!(real > 0 && real < 1)) throw new Error(`multiplier ${real} not in (0, 1)`);
  const q = quantizeMultiplier(real);
  if (q.shift > 0) throw new Error(`multiplier ${real} gave shift ${q.shift}`);
  return q;
}

/** QuantizeMultiplierGreaterThanOne: real > 1, shift >= 0. */
export function quantizeMultiplierGreaterThanOne(real: number): QuantizedMultiplier {
  if (!(real > 1)) throw new Error(`multiplier ${real} not above 1`);
  const q = quantizeMultiplier(real);
  if (q.shift < 0) throw new Error(`multiplier ${real} gave shift ${q.shift}`);
  return q;
}

const f32 = Math.fround;

/** Per-channel (or per-tensor) conv/FC multipliers: input_scale * filter_scale / output_scale. */
export function convMultipliers(inputScale: number, filterScales: ArrayLike<number>, outputScale: number): QuantizedMultiplier[] {
  return Array.from(filterScales, (s) => quantizeMultiplier((f32(inputScale) * f32(s)) / f32(outputScale)));
}

export type Activation = 'NONE' | 'RELU' | 'RELU6' | 'RELU_N1_TO_1';

/** CalculateActivationRangeQuantized for int8 (float arithmetic, as TFLite). */
export function activationRange(act: Activation, scale: number, zeroPoint: number): [number, number] {
  const quantize = (f: number) => zeroPoint + roundHalfAway(f32(f32(f) / f32(scale)));
  switch (act) {
    case 'RELU': return [Math.max(-128, quantize(0)), 127];
    case 'RELU6': return [Math.max(-128, quantize(0)), Math.min(127, quantize(6))];
    case 'RELU_N1_TO_1': return [Math.max(-128, quantize(-1)), Math.min(127, quantize(1))];
    default: return [-128, 127];
  }
}

export type Padding = 'SAME' | 'VALID';

/** ComputeOutSize (kernels/padding.h). */
export function computeOutSize(padding: Padding, size: number, filter: number, stride: number, dilation = 1): number {
  const effective = (filter - 1) * dilation + 1;
  if (stride === 0) return 0;
  return padding === 'SAME'
    ? Math.trunc((size + stride - 1) / stride)
    : Math.trunc((size + stride - effective) / stride);
}

/** ComputePaddingWithOffset: top/left padding (the kernels' padH/padW); bottom/right is implied. */
export function computePadding(stride: number, dilation: number, inSize: number, filter: number, outSize: number): number {
  const effective = (filter - 1) * dilation + 1;
  const total = (outSize - 1) * stride + effective - inSize;
  return total > 0 ? Math.trunc(total / 2) : 0;
}

/** PreprocessSoftmaxScaling + CalculateInputRadius, as TFLite Micro's int8 softmax Prepare. */
export function softmaxScaling(beta: number, inputScale: number): { inputMultiplier: number; inputLeftShift: number; diffMin: number } {
  const integerBits = 5;
  const maxReal = 2 ** 31 - 1;
  const real = Math.min(f32(beta) * f32(inputScale) * 2 ** (31 - integerBits), maxReal);
  const q = quantizeMultiplierGreaterThanOne(real);
  return { inputMultiplier: q.multiplier, inputLeftShift: q.shift, diffMin: -calculateInputRadius(integerBits, q.shift) };
}

/** CalculateInputRadius: the largest input difference that still fits after scaling. */
export function calculateInputRadius(integerBits: number, leftShift: number, totalSignedBits = 31): number {
  const max = (((2 ** integerBits - 1) * 2 ** (totalSignedBits - integerBits)) / 2 ** leftShift);
  return Math.floor(max);
}

/** TFLite Micro's int8 ADD parameters (add_common.cc): left shift 20, three multipliers. */
export function addScaling(scale1: number, scale2: number, outputScale: number) {
  const leftShift = 20;
  const twiceMax = 2 * Math.max(f32(scale1), f32(scale2));
  const in1 = quantizeMultiplierSmallerThanOneExp(f32(scale1) / twiceMax);
  const in2 = quantizeMultiplierSmallerThanOneExp(f32(scale2) / twiceMax);
  const out = quantizeMultiplierSmallerThanOneExp(twiceMax / (2 ** leftShift * f32(outputScale)));
  return {
    leftShift,
    input1Multiplier: in1.multiplier, input1Shift: in1.shift,
    input2Multiplier: in2.multiplier, input2Shift: in2.shift,
    outputMultiplier: out.multiplier, outputShift: out.shift,
  };
}

/** TFLite Micro's RELU6 bounds on int8 (FloatToQuantizedType of 0 and 6). */
export function relu6Bounds(scale: number, zeroPoint: number): [number, number] {
  const six = roundHalfAway(f32(6 / f32(scale))) + zeroPoint;
  return [zeroPoint, Math.min(127, Math.max(-128, six))];
}

/** TFLite Micro's int8 RELU parameters (CalculateReluOpData): requantise, clamp at the zero point. */
export function reluScaling(inputScale: number, inputZeroPoint: number, outputScale: number, outputZeroPoint: number) {
  const q = quantizeMultiplier(f32(inputScale) / f32(outputScale));
  return {
    inputZeroPoint, outputOffset: outputZeroPoint, outputMultiplier: q.multiplier, outputShift: q.shift,
    actMin: Math.max(-128, outputZeroPoint + roundHalfAway(f32(0 / f32(outputScale)))), actMax: 127,
  };
}

// ---------------------------------------------------------------------------------------
// Desktop TensorFlow Lite arithmetic (`--arithmetic tflite`, docs/inference.md): what the
// XNNPACK delegate computes for int8 CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED, and what
// TFLite's own optimized int8 SOFTMAX computes (the delegate takes only float softmax).

/**
 * XNNPACK's requantisation scale, `input_scale * kernel_scale / output_scale` evaluated in
 * float32 (src/operators/convolution-nhwc.c, fully-connected-nc.c): two float32 roundings.
 */
export function fp32Scale(inputScale: number, filterScale: number, outputScale: number): number {
  const scale = f32(f32(f32(inputScale) * f32(filterScale)) / f32(outputScale));
  if (!(scale < 256)) throw new Error(`requantisation scale ${scale} is not below 256 (XNNPACK refuses it)`);
  return scale;
}

/** C's lrintf / nearbyint: nearest, ties to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // ties toward +infinity
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The int8 activation range as XNNPACK gets it: the fused activation as a float range
 * (NONE: unbounded, RELU: [0, inf), RELU6: [0, 6], RELU_N1_TO_1: [-1, 1]), each bound
 * quantised by xnn_qs8_quantize: lrintf(clamp(bound / scale + zero_point, -128, 127)) in float32.
 */
export function activationRangeFp32(act: Activation, scale: number, zeroPoint: number): [number, number] {
  const q = (v: number) => {
    if (v === -Infinity) return -128;
    if (v === Infinity) return 127;
    const x = f32(f32(f32(v) / f32(scale)) + zeroPoint);
    return roundHalfEven(Math.min(Math.max(x, -128), 127));
  };
  const [lo, hi] = act === 'RELU' ? [0, Infinity] : act === 'RELU6' ? [0, 6] : act === 'RELU_N1_TO_1' ? [-1, 1] : [-Infinity, Infinity];
  return [q(lo), q(hi)];
}

// expf as the C libraries TFLite is built against compute it (Arm's optimized-routines expf,
// used by glibc and musl, so also by Emscripten's WebAssembly builds): x * 32 / ln 2 split
// into k + r, 2^(k/32) from a table, a cubic in r, all in double, rounded once to float32.
// fround(Math.exp(x)) differs from it in about one argument in two thousand.
const EXP2F_TABLE = [
  0x3ff0000000000000n, 0x3fefd9b0d3158574n, 0x3fefb5586cf9890fn, 0x3fef9301d0125b51n,
  0x3fef72b83c7d517bn, 0x3fef54873168b9aan, 0x3fef387a6e756238n, 0x3fef1e9df51fdee1n,
  0x3fef06fe0a31b715n, 0x3feef1a7373aa9cbn, 0x3feedea64c123422n, 0x3feece086061892dn,
  0x3feebfdad5362a27n, 0x3feeb42b569d4f82n, 0x3feeab07dd485429n, 0x3feea47eb03a5585n,
  0x3feea09e667f3bcdn, 0x3fee9f75e8ec5f74n, 0x3feea11473eb0187n, 0x3feea589994cce13n,
  0x3feeace5422aa0dbn, 0x3feeb737b0cdc5e5n, 0x3feec49182a3f090n, 0x3feed503b23e255dn,
  0x3feee89f995ad3adn, 0x3feeff76f2fb5e47n, 0x3fef199bdd85529cn, 0x3fef3720dcef9069n,
  0x3fef5818dcfba487n, 0x3fef7c97337b9b5fn, 0x3fefa4afa2a490dan, 0x3fefd0765b6e4540n,
];
/** 0x1.c6af84b912394p-5 / 32^3, 0x1.ebfce50fac4f3p-3 / 32^2, 0x1.62e42ff0c52d6p-1 / 32. */
const EXPF_POLY = [0.05550361559341535 / 32 / 32 / 32, 0.2402284522445722 / 32 / 32, 0.6931471806916203 / 32];
/** 0x1.71547652b82fep+0 * 32 (32 / ln 2), 0x1.8p+52 (the rounding shift), -0x1.9fe368p6 (underflow). */
const EXPF_INV_LN2_N = 1.4426950408889634 * 32;
const EXPF_SHIFT = 6755399441055744;
const EXPF_UNDERFLOW = -103.97207641601562;

/** C's expf for x <= 0 (what softmax tables need), bit for bit. */
export function expf(x: number): number {
  x = f32(x);
  if (!(x <= 0)) throw new Error(`expf(${x}): only arguments <= 0 are supported`);
  if (x < EXPF_UNDERFLOW) return 0;
  const view = new DataView(new ArrayBuffer(8));
  const z = EXPF_INV_LN2_N * x;
  const shifted = z + EXPF_SHIFT;
  view.setFloat64(0, shifted);
  const ki = view.getBigUint64(0);
  const r = z - (shifted - EXPF_SHIFT);
  view.setBigUint64(0, (EXP2F_TABLE[Number(ki % 32n)] + (ki << 47n)) & 0xffffffffffffffffn);
  const s = view.getFloat64(0);
  const p = EXPF_POLY[0] * r + EXPF_POLY[1];
  const y = p * (r * r) + (EXPF_POLY[2] * r + 1);
  return f32(y * s);
}

/**
 * PopulateSoftmaxLookupTable (tflite/kernels/internal/optimized/optimized_ops.h):
 * table[255 - k] = expf(scale * k) for k = 0..255, scale = -input_scale * beta in float32.
 */
export function softmaxTable(inputScale: number, beta: number): Float32Array {
  const scale = f32(-f32(inputScale) * f32(beta));
  const table = new Float32Array(256);
  for (let k = 0; k <= 255; k++) table[255 - k] = expf(f32(scale * k));
  return table;
}
