// FULLY_CONNECTED, int8: TFLite's reference_integer_ops::FullyConnected (per-tensor weights)
// and FullyConnectedPerChannel (when p.multipliers is set), bit for bit.
//
//   acc = bias[o] + sum over d of (filter[o][d] + filterOffset) * (input[b][d] + inputOffset)
//   out = clamp(MultiplyByQuantizedMultiplier(acc, multiplier, shift) + outputOffset)
//
// Slicing and streaming: one call computes outputs [chStart, chEnd) of every batch; `filter`
// points at row chStart of the [outDepth][inDepth] weights, so a block of rows is one
// contiguous run a caller can page in with blob_read.

import { FullyConnectedParams } from "./params";
import { clampI32, multiplyByQuantizedMultiplier } from "./quant";

/** Computes outputs [chStart, chEnd) of a FULLY_CONNECTED; returns the multiply-accumulates done. */
export function fullyConnected(
  p: FullyConnectedParams, input: usize, filter: usize, output: usize, chStart: i32, chEnd: i32,
): u32 {
  const depth = p.inDepth, outDepth = p.outDepth;
  const inputOffset = p.inputOffset, filterOffset = p.filterOffset, outputOffset = p.outputOffset;
  const actMin = p.actMin, actMax = p.actMax;
  const bias = p.bias, multipliers = p.multipliers, shifts = p.shifts;
  for (let b = 0; b < p.batches; b++) {
    const x = input + <usize>(b * depth);
    const out = output + <usize>(b * outDepth);
    for (let o = chStart; o < chEnd; o++) {
      const f = filter + <usize>((o - chStart) * depth);
      let acc: i32 = 0;
      for (let d = 0; d < depth; d++) {
        acc += (<i32>load<i8>(f + <usize>d) + filterOffset) * (<i32>load<i8>(x + <usize>d) + inputOffset);
      }
      if (bias != 0) acc += load<i32>(bias + (<usize>o << 2));
      const m = multipliers != 0 ? load<i32>(multipliers + (<usize>o << 2)) : p.outputMultiplier;
      const s = multipliers != 0 ? load<i32>(shifts + (<usize>o << 2)) : p.outputShift;
      acc = multiplyByQuantizedMultiplier(acc, m, s);
      store<i8>(out + <usize>o, <i8>clampI32(acc + outputOffset, actMin, actMax));
    }
  }
  return <u32>(p.batches * depth * (chEnd - chStart));
}
