// FULLY_CONNECTED, int8: TFLite's reference_integer_ops::FullyConnected (per-tensor weights)
// and FullyConnectedPerChannel (when p.multipliers is set), bit for bit.
//
//   acc = bias[o] + sum over d of (filter[o][d] + filterOffset) * (input[b][d] + inputOffset)
//   out = clamp(MultiplyByQuantizedMultiplier(acc, multiplier, shift) + outputOffset)
// or, with ARITHMETIC_TFLITE, desktop TFLite's float requantisation (quant.ts requantizeFp32).
//
// Slicing and streaming: one call computes outputs [chStart, chEnd) of every batch; `filter`
// points at row chStart of the [outDepth][inDepth] weights, so a block of rows is one
// contiguous run a caller can page in with blob_read.

import { dotInt8 } from "./dot";
import { ARITHMETIC_TFLM, FullyConnectedParams } from "./params";
import { clampI32, multiplyByQuantizedMultiplier, requantizeFp32 } from "./quant";

/** Computes outputs [chStart, chEnd) of a FULLY_CONNECTED; returns the multiply-accumulates done. */
export function fullyConnected(
  p: FullyConnectedParams, input: usize, filter: usize, output: usize, chStart: i32, chEnd: i32,
): u32 {
  const depth = p.inDepth, outDepth = p.outDepth;
  const inputOffset = p.inputOffset, filterOffset = p.filterOffset, outputOffset = p.outputOffset;
  const actMin = p.actMin, actMax = p.actMax;
  const bias = p.bias, multipliers = p.multipliers, shifts = p.shifts;
  const fixedPoint = p.arithmetic == ARITHMETIC_TFLM;
  for (let b = 0; b < p.batches; b++) {
    const x = input + <usize>(b * depth);
    const out = output + <usize>(b * outDepth);
    for (let o = chStart; o < chEnd; o++) {
      const f = filter + <usize>((o - chStart) * depth);
      let acc = dotInt8(f, x, depth, filterOffset, inputOffset);
      if (bias != 0) acc += load<i32>(bias + (<usize>o << 2));
      const m = multipliers != 0 ? load<i32>(multipliers + (<usize>o << 2)) : p.outputMultiplier;
      const s = multipliers != 0 ? load<i32>(shifts + (<usize>o << 2)) : p.outputShift;
      const q = fixedPoint
        ? clampI32(multiplyByQuantizedMultiplier(acc, m, s) + outputOffset, actMin, actMax)
        : requantizeFp32(acc, m, outputOffset, actMin, actMax);
      store<i8>(out + <usize>o, <i8>q);
    }
  }
  return <u32>(p.batches * depth * (chEnd - chStart));
}
