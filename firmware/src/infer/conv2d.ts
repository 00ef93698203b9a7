// CONV_2D, int8: TFLite's reference_integer_ops::ConvPerChannel, bit for bit.
//
//   acc = bias[oc] + sum over in-image taps and channels of filter * (input + inputOffset)
//   out = clamp(MultiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + outputOffset)
// or, with ARITHMETIC_TFLITE, desktop TFLite's float requantisation (quant.ts requantizeFp32).
//
// Slicing: one call computes output rows [rowStart, rowEnd) and output channels
// [chStart, chEnd), so a node can spread a layer over several ticks.
// Streaming: `filter` points at the weights of channel chStart, laid out as TFLite stores them
// ([outC][filterH][filterW][filterC]), so a block of channels is one contiguous run a caller
// can page into a small buffer with blob_read before each call.
// `input` and `output` are the addresses of row 0 of the NHWC tensors. Only the rows a slice
// touches are read or written, so a caller holding a window of rows may pass a base address
// shifted back by the rows it does not hold (addresses wrap, only touched bytes must exist).

import { dotInt8 } from "./dot";
import { ARITHMETIC_TFLM, ConvParams } from "./params";
import { clampI32, multiplyByQuantizedMultiplier, requantizeFp32 } from "./quant";
import { endTap, firstTap } from "./window";

/** Computes a slice of a CONV_2D; returns the multiply-accumulates done. */
export function conv2d(
  p: ConvParams, input: usize, filter: usize, output: usize,
  rowStart: i32, rowEnd: i32, chStart: i32, chEnd: i32,
): u32 {
  const inH = p.inH, inW = p.inW, inC = p.inC;
  const outW = p.outW, outC = p.outC;
  const fH = p.filterH, fW = p.filterW, fC = p.filterC;
  const sH = p.strideH, sW = p.strideW, dH = p.dilationH, dW = p.dilationW;
  const inputOffset = p.inputOffset, outputOffset = p.outputOffset;
  const actMin = p.actMin, actMax = p.actMax;
  const bias = p.bias, multipliers = p.multipliers, shifts = p.shifts;
  const fixedPoint = p.arithmetic == ARITHMETIC_TFLM;
  const perFilter = fH * fW * fC;
  const filtersPerGroup = outC / (inC / fC);
  const block = chEnd - chStart;
  let macs: u32 = 0;

  for (let oy = rowStart; oy < rowEnd; oy++) {
    const iy0 = oy * sH - p.padH;
    const fy0 = firstTap(iy0, dH);
    const fy1 = endTap(iy0, dH, inH, fH);
    for (let ox = 0; ox < outW; ox++) {
      const ix0 = ox * sW - p.padW;
      const fx0 = firstTap(ix0, dW);
      const fx1 = endTap(ix0, dW, inW, fW);
      if (fy1 > fy0 && fx1 > fx0) macs += <u32>((fy1 - fy0) * (fx1 - fx0) * fC * block);
      const out = output + <usize>((oy * outW + ox) * outC);
      for (let oc = chStart; oc < chEnd; oc++) {
        const inBase = input + <usize>((oc / filtersPerGroup) * fC);
        const fBase = filter + <usize>((oc - chStart) * perFilter);
        let acc: i32 = 0;
        for (let fy = fy0; fy < fy1; fy++) {
          const iRow = inBase + <usize>((iy0 + fy * dH) * inW * inC);
          const fRow = fBase + <usize>(fy * fW * fC);
          for (let fx = fx0; fx < fx1; fx++) {
            const x = iRow + <usize>((ix0 + fx * dW) * inC);
            const f = fRow + <usize>(fx * fC);
            acc += dotInt8(f, x, fC, 0, inputOffset);
          }
        }
        if (bias != 0) acc += load<i32>(bias + (<usize>oc << 2));
        const m = load<i32>(multipliers + (<usize>oc << 2));
        const q = fixedPoint
          ? clampI32(multiplyByQuantizedMultiplier(acc, m, load<i32>(shifts + (<usize>oc << 2))) + outputOffset, actMin, actMax)
          : requantizeFp32(acc, m, outputOffset, actMin, actMax);
        store<i8>(out + <usize>oc, <i8>q);
      }
    }
  }
  return macs;
}
