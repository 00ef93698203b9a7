// DEPTHWISE_CONV_2D, int8: TFLite's reference_integer_ops::DepthwiseConvPerChannel, bit for
// bit. Output channel oc reads input channel oc / depthMultiplier:
//
//   acc = bias[oc] + sum over in-image taps of filter[fy][fx][oc] * (input[iy][ix][ic] + inputOffset)
//   out = clamp(MultiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + outputOffset)
// or, with ARITHMETIC_TFLITE, desktop TFLite's float requantisation (quant.ts requantizeFp32).
//
// Slicing as conv2d.ts: output rows [rowStart, rowEnd), output channels [chStart, chEnd).
// Streaming: TFLite stores depthwise weights as [1][filterH][filterW][outC], so a channel
// block is filterH * filterW separate runs. `filter` is therefore read as
// [filterH][filterW][chEnd - chStart]: for the full channel range that is the tensor as stored;
// for a block, the caller gathers the filterH * filterW runs (blob_read each) into a buffer.

import { ARITHMETIC_TFLM, ConvParams } from "./params";
import { clampI32, multiplyByQuantizedMultiplier, requantizeFp32 } from "./quant";
import { endTap, firstTap } from "./window";

/** Computes a slice of a DEPTHWISE_CONV_2D; returns the multiply-accumulates done. */
export function depthwiseConv2d(
  p: ConvParams, input: usize, filter: usize, output: usize,
  rowStart: i32, rowEnd: i32, chStart: i32, chEnd: i32,
): u32 {
  const inH = p.inH, inW = p.inW, inC = p.inC;
  const outW = p.outW, outC = p.outC;
  const fH = p.filterH, fW = p.filterW, mult = p.depthMultiplier;
  const sH = p.strideH, sW = p.strideW, dH = p.dilationH, dW = p.dilationW;
  const inputOffset = p.inputOffset, outputOffset = p.outputOffset;
  const actMin = p.actMin, actMax = p.actMax;
  const bias = p.bias, multipliers = p.multipliers, shifts = p.shifts;
  const fixedPoint = p.arithmetic == ARITHMETIC_TFLM;
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
      if (fy1 > fy0 && fx1 > fx0) macs += <u32>((fy1 - fy0) * (fx1 - fx0) * block);
      const out = output + <usize>((oy * outW + ox) * outC);
      for (let oc = chStart; oc < chEnd; oc++) {
        const inBase = input + <usize>(oc / mult);
        const fBase = filter + <usize>(oc - chStart);
        let acc: i32 = 0;
        for (let fy = fy0; fy < fy1; fy++) {
          const iRow = inBase + <usize>((iy0 + fy * dH) * inW * inC);
          const fRow = fBase + <usize>(fy * fW * block);
          for (let fx = fx0; fx < fx1; fx++) {
            const x = <i32>load<i8>(iRow + <usize>((ix0 + fx * dW) * inC));
            acc += <i32>load<i8>(fRow + <usize>(fx * block)) * (x + inputOffset);
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
