// AVERAGE_POOL_2D and MAX_POOL_2D, int8: TFLite's reference_integer_ops::AveragePool and
// MaxPool, bit for bit. Input and output share scale and zero point, so no requantisation.
// The average counts only in-image taps and rounds half away from zero:
//   acc > 0 ? (acc + n/2) / n : (acc - n/2) / n      (C division, truncating)
// Slicing: one call computes output rows [rowStart, rowEnd); addresses as in conv2d.ts.
// A window with no in-image tap (impossible with TFLite's padding) is left unwritten.

import { PoolParams } from "./params";
import { clampI32 } from "./quant";

/** Computes output rows [rowStart, rowEnd) of an AVERAGE_POOL_2D; returns the values summed. */
export function averagePool(p: PoolParams, input: usize, output: usize, rowStart: i32, rowEnd: i32): u32 {
  const inH = p.inH, inW = p.inW, depth = p.channels, outW = p.outW;
  let work: u32 = 0;
  for (let oy = rowStart; oy < rowEnd; oy++) {
    const iy0 = oy * p.strideH - p.padH;
    const fy0 = iy0 < 0 ? -iy0 : 0;
    const fy1 = min(p.filterH, inH - iy0);
    for (let ox = 0; ox < outW; ox++) {
      const ix0 = ox * p.strideW - p.padW;
      const fx0 = ix0 < 0 ? -ix0 : 0;
      const fx1 = min(p.filterW, inW - ix0);
      if (fy1 <= fy0 || fx1 <= fx0) continue;
      const count = (fy1 - fy0) * (fx1 - fx0);
      const half = count / 2;
      work += <u32>(count * depth);
      const out = output + <usize>((oy * outW + ox) * depth);
      for (let c = 0; c < depth; c++) {
        let acc: i32 = 0;
        for (let fy = fy0; fy < fy1; fy++) {
          const row = input + <usize>(((iy0 + fy) * inW + ix0) * depth + c);
          for (let fx = fx0; fx < fx1; fx++) acc += <i32>load<i8>(row + <usize>(fx * depth));
        }
        acc = acc > 0 ? (acc + half) / count : (acc - half) / count;
        store<i8>(out + <usize>c, <i8>clampI32(acc, p.actMin, p.actMax));
      }
    }
  }
  return work;
}

/** Computes output rows [rowStart, rowEnd) of a MAX_POOL_2D; returns the values compared. */
export function maxPool(p: PoolParams, input: usize, output: usize, rowStart: i32, rowEnd: i32): u32 {
  const inH = p.inH, inW = p.inW, depth = p.channels, outW = p.outW;
  let work: u32 = 0;
  for (let oy = rowStart; oy < rowEnd; oy++) {
    const iy0 = oy * p.strideH - p.padH;
    const fy0 = iy0 < 0 ? -iy0 : 0;
    const fy1 = min(p.filterH, inH - iy0);
    for (let ox = 0; ox < outW; ox++) {
      const ix0 = ox * p.strideW - p.padW;
      const fx0 = ix0 < 0 ? -ix0 : 0;
      const fx1 = min(p.filterW, inW - ix0);
      if (fy1 > fy0 && fx1 > fx0) work += <u32>((fy1 - fy0) * (fx1 - fx0) * depth);
      const out = output + <usize>((oy * outW + ox) * depth);
      for (let c = 0; c < depth; c++) {
        let best: i32 = -128;
        for (let fy = fy0; fy < fy1; fy++) {
          const row = input + <usize>(((iy0 + fy) * inW + ix0) * depth + c);
          for (let fx = fx0; fx < fx1; fx++) {
            const v = <i32>load<i8>(row + <usize>(fx * depth));
            if (v > best) best = v;
          }
        }
        store<i8>(out + <usize>c, <i8>clampI32(best, p.actMin, p.actMax));
      }
    }
  }
  return work;
}
