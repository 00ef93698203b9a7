// RELU and RELU6 on int8 as TFLite Micro runs them (kernels/activations_common.cc):
// - RELU requantises from the input's to the output's quantisation, then clamps:
//     out = clamp(outputOffset + MultiplyByQuantizedMultiplier(x - inputZeroPoint, m, s))
//   with actMin = max(-128, output zero point), actMax = 127.
// - RELU6 keeps the quantisation and only clamps to [lo, hi] = [zp, zp + round(6 / scale)]
//   (upper bound tested first, as TFLite Micro's Relu6Quantized does). Activations fused
//   into other kernels are their actMin/actMax instead.

import { ReluParams } from "./params";
import { clampI32, multiplyByQuantizedMultiplier } from "./quant";

/** RELU over `len` int8 values (input and output may be the same buffer). */
export function relu(p: ReluParams, input: usize, output: usize, len: i32): u32 {
  for (let i = 0; i < len; i++) {
    const x = <i32>load<i8>(input + <usize>i);
    const v = p.outputOffset + multiplyByQuantizedMultiplier(x - p.inputZeroPoint, p.outputMultiplier, p.outputShift);
    store<i8>(output + <usize>i, <i8>clampI32(v, p.actMin, p.actMax));
  }
  return <u32>len;
}

/** RELU6 (and any same-quantisation clamp) over `len` int8 values. */
export function relu6(input: usize, output: usize, len: i32, lo: i32, hi: i32): u32 {
  for (let i = 0; i < len; i++) {
    const x = <i32>load<i8>(input + <usize>i);
    store<i8>(output + <usize>i, <i8>(x > hi ? hi : x < lo ? lo : x));
  }
  return <u32>len;
}
