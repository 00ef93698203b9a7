// Test entry (not a node program): the inference kernels and their fixed-point helpers,
// callable with addresses into this module's memory. Tests reserve one arena, write tensors
// and parameter records (tools/infer/params.ts) into it, and read the outputs back.

import "../src/hal";
import { AddParams, ConvParams, FullyConnectedParams, PoolParams, ReluParams, SoftmaxParams } from "../src/infer/params";
import {
  multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierGreaterThanOne,
  multiplyByQuantizedMultiplierSmallerThanOneExp, requantizeFp32, roundingDivideByPOT, saturatingRoundingDoublingHighMul,
} from "../src/infer/quant";
import { conv2d } from "../src/infer/conv2d";
import { depthwiseConv2d } from "../src/infer/depthwise_conv2d";
import { fullyConnected } from "../src/infer/fully_connected";
import { averagePool, maxPool } from "../src/infer/pooling";
import { relu, relu6 } from "../src/infer/activations";
import { add } from "../src/infer/add";
import { expOnNegativeValues, oneOverOnePlusX, softmax } from "../src/infer/softmax";
import { reshape } from "../src/infer/reshape";
import { argMax } from "../src/infer/argmax";

/** Reserves `bytes` of memory once (a test entry may allocate); returns its address. */
export function reserve(bytes: u32): usize { return heap.alloc(<usize>bytes); }

export function conv_params_size(): u32 { return <u32>offsetof<ConvParams>(); }
export function fully_connected_params_size(): u32 { return <u32>offsetof<FullyConnectedParams>(); }
export function pool_params_size(): u32 { return <u32>offsetof<PoolParams>(); }
export function add_params_size(): u32 { return <u32>offsetof<AddParams>(); }
export function relu_params_size(): u32 { return <u32>offsetof<ReluParams>(); }
export function softmax_params_size(): u32 { return <u32>offsetof<SoftmaxParams>(); }

export function srdhm(a: i32, b: i32): i32 { return saturatingRoundingDoublingHighMul(a, b); }
export function rdbpot(x: i32, exponent: i32): i32 { return roundingDivideByPOT(x, exponent); }
export function mbqm(x: i32, m: i32, shift: i32): i32 { return multiplyByQuantizedMultiplier(x, m, shift); }
export function mbqm_lt1(x: i32, m: i32, shift: i32): i32 { return multiplyByQuantizedMultiplierSmallerThanOneExp(x, m, shift); }
export function mbqm_gt1(x: i32, m: i32, shift: i32): i32 { return multiplyByQuantizedMultiplierGreaterThanOne(x, m, shift); }
export function requant_fp32(acc: i32, scaleBits: i32, zp: i32, lo: i32, hi: i32): i32 { return requantizeFp32(acc, scaleBits, zp, lo, hi); }
export function exp_neg(a: i32): i32 { return expOnNegativeValues(a); }
export function one_over_one_plus_x(a: i32): i32 { return oneOverOnePlusX(a); }

export function conv_2d(p: usize, input: usize, filter: usize, output: usize, r0: i32, r1: i32, c0: i32, c1: i32): u32 {
  return conv2d(changetype<ConvParams>(p), input, filter, output, r0, r1, c0, c1);
}
export function depthwise_conv_2d(p: usize, input: usize, filter: usize, output: usize, r0: i32, r1: i32, c0: i32, c1: i32): u32 {
  return depthwiseConv2d(changetype<ConvParams>(p), input, filter, output, r0, r1, c0, c1);
}
export function fully_connected(p: usize, input: usize, filter: usize, output: usize, c0: i32, c1: i32): u32 {
  return fullyConnected(changetype<FullyConnectedParams>(p), input, filter, output, c0, c1);
}
export function average_pool(p: usize, input: usize, output: usize, r0: i32, r1: i32): u32 {
  return averagePool(changetype<PoolParams>(p), input, output, r0, r1);
}
export function max_pool(p: usize, input: usize, output: usize, r0: i32, r1: i32): u32 {
  return maxPool(changetype<PoolParams>(p), input, output, r0, r1);
}
export function relu_q(p: usize, input: usize, output: usize, len: i32): u32 {
  return relu(changetype<ReluParams>(p), input, output, len);
}
export function relu6_q(input: usize, output: usize, len: i32, lo: i32, hi: i32): u32 {
  return relu6(input, output, len, lo, hi);
}
export function add_q(p: usize, a: usize, b: usize, output: usize, len: i32): u32 {
  return add(changetype<AddParams>(p), a, b, output, len);
}
export function softmax_q(p: usize, input: usize, output: usize): u32 {
  return softmax(changetype<SoftmaxParams>(p), input, output);
}
export function reshape_q(input: usize, output: usize, len: i32): u32 { return reshape(input, output, len); }
export function arg_max(input: usize, output: usize, outer: i32, axis: i32, inner: i32): u32 {
  return argMax(input, output, outer, axis, inner);
}
