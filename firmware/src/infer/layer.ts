// One whole layer of a Myco model (docs/model.md): the operation code, the parameter record
// as the importer laid it down, and the tensors. The record's address fields are stored as
// offsets into the layer's data blob; `relocate` turns them into addresses once that blob is
// in memory. Operation codes match tools/model/format.ts.

import { AddParams, ConvParams, FullyConnectedParams, PoolParams, ReluParams, SoftmaxParams } from "./params";
import { conv2d } from "./conv2d";
import { depthwiseConv2d } from "./depthwise_conv2d";
import { fullyConnected } from "./fully_connected";
import { averagePool, maxPool } from "./pooling";
import { add } from "./add";
import { reshape } from "./reshape";
import { softmax } from "./softmax";
import { relu, relu6 } from "./activations";

export const enum LayerOp {
  Conv2d = 1, DepthwiseConv2d = 2, FullyConnected = 3, AveragePool2d = 4, MaxPool2d = 5,
  Add = 6, Reshape = 7, Softmax = 8, Relu = 9, Relu6 = 10,
}

/** `runLayer` result for an operation code this module does not know. */
export const UNKNOWN_OP: i32 = -1;

/** Adds `base` to every 4-byte field of the record at `params` whose bit is set in `mask`. */
export function relocate(params: usize, mask: u32, base: usize): void {
  for (let i: u32 = 0; i < 32; i++) {
    if ((mask >>> i) & 1) {
      const at = params + (<usize>i << 2);
      store<u32>(at, load<u32>(at) + <u32>base);
    }
  }
}

/**
 * Runs a whole layer: `input2` is ADD's second operand, `filter` the layer's weights, `len`
 * the output's byte size. Returns the work done (the kernels' count), or UNKNOWN_OP.
 */
export function runLayer(op: i32, params: usize, input: usize, input2: usize, filter: usize, output: usize, len: i32): i32 {
  switch (op) {
    case LayerOp.Conv2d: {
      const p = changetype<ConvParams>(params);
      return <i32>conv2d(p, input, filter, output, 0, p.outH, 0, p.outC);
    }
    case LayerOp.DepthwiseConv2d: {
      const p = changetype<ConvParams>(params);
      return <i32>depthwiseConv2d(p, input, filter, output, 0, p.outH, 0, p.outC);
    }
    case LayerOp.FullyConnected: {
      const p = changetype<FullyConnectedParams>(params);
      return <i32>fullyConnected(p, input, filter, output, 0, p.outDepth);
    }
    case LayerOp.AveragePool2d: {
      const p = changetype<PoolParams>(params);
      return <i32>averagePool(p, input, output, 0, p.outH);
    }
    case LayerOp.MaxPool2d: {
      const p = changetype<PoolParams>(params);
      return <i32>maxPool(p, input, output, 0, p.outH);
    }
    case LayerOp.Add: return <i32>add(changetype<AddParams>(params), input, input2, output, len);
    case LayerOp.Reshape: return <i32>reshape(input, output, len);
    case LayerOp.Softmax: return <i32>softmax(changetype<SoftmaxParams>(params), input, output);
    case LayerOp.Relu: return <i32>relu(changetype<ReluParams>(params), input, output, len);
    case LayerOp.Relu6: return <i32>relu6(input, output, len, load<i32>(params), load<i32>(params + 4));
    default: return UNKNOWN_OP;
  }
}
