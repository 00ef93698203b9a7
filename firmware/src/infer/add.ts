// ADD, int8, same shapes: TFLite's reference_integer_ops::Add element by element, bit for bit.
// Both inputs are shifted left by leftShift (20) and rescaled to the larger input scale / 2,
// summed, then rescaled to the output:
//   a = MBQMSmallerThanOneExp((x1 + input1Offset) << 20, m1, s1)     (and b likewise)
//   out = clamp(MBQMSmallerThanOneExp(a + b, mo, so) + outputOffset)
// Broadcasting is not supported; the importer turns it down.

import { AddParams } from "./params";
import { clampI32, multiplyByQuantizedMultiplierSmallerThanOneExp } from "./quant";

/** ADD over `len` int8 values; any of the buffers may coincide. */
export function add(p: AddParams, input1: usize, input2: usize, output: usize, len: i32): u32 {
  const shift = p.leftShift;
  for (let i = 0; i < len; i++) {
    const a = (p.input1Offset + <i32>load<i8>(input1 + <usize>i)) * (1 << shift);
    const b = (p.input2Offset + <i32>load<i8>(input2 + <usize>i)) * (1 << shift);
    const sa = multiplyByQuantizedMultiplierSmallerThanOneExp(a, p.input1Multiplier, p.input1Shift);
    const sb = multiplyByQuantizedMultiplierSmallerThanOneExp(b, p.input2Multiplier, p.input2Shift);
    const raw = multiplyByQuantizedMultiplierSmallerThanOneExp(sa + sb, p.outputMultiplier, p.outputShift) + p.outputOffset;
    store<i8>(output + <usize>i, <i8>clampI32(raw, p.actMin, p.actMax));
  }
  return <u32>len;
}
