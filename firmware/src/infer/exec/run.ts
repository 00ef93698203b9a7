// Runs a node's step in slices: each tick computes kernel slices until `infer_slice_macs` of
// work is done, declares each with the HAL's `compute`, and returns, so frames are answered
// between slices. Weights are streamed with blob_read in blocks of output channels that fit
// the chunk buffer; a layer's int32 arrays are read whole into the data buffer when it starts.
// Before a conv or fully connected layer the board's `accel` is offered the whole layer.

import { ACCEL_DESC_BYTES, accel, blob_read, compute, emit, EmitKind, InferStatus, SubmitError } from "../../hal";
import { AddParams, ConvParams, FullyConnectedParams, PoolParams, ReluParams, SoftmaxParams } from "../params";
import { LayerOp } from "../layer";
import { conv2d } from "../conv2d";
import { depthwiseConv2d } from "../depthwise_conv2d";
import { fullyConnected } from "../fully_connected";
import { averagePool, maxPool } from "../pooling";
import { add } from "../add";
import { reshape } from "../reshape";
import { softmax } from "../softmax";
import { relu, relu6 } from "../activations";
import { StepState } from "./state";
import {
  ACT_HEADER, E_DATA_LEN, E_DATA_OFF, E_FILTER_OFF, E_IN, E_IN2, E_IN_BYTES, E_OP, E_OUT, E_OUT_BYTES, E_RECORD, E_UNIT, LAYER_ENTRY,
} from "./layout";

/** INFER_OUTPUT header: `first:u16 last:u16 run:u16 status:u8 0:u8`. */
export const OUTPUT_HEADER: u32 = 8;

/** Starts a run on the input now in the step's input buffer. */
function start(s: StepState, host: bool): void {
  s.running = true;
  s.host = host;
  s.status = InferStatus.Ok;
  s.layer = 0;
  s.started = false;
  s.runs++;
}

/**
 * Copies the input tensor (`len` bytes at `src`) into the step's input buffer and starts a run:
 * 0, or BadLength (not the input's size) or Busy (a run is under way). A run the host did not
 * submit emits nothing; its owner advances it with `advanceRun` and reads `status` and the
 * output buffer (`outAddr`, `outBytes`) when it ends.
 */
export function runFrom(s: StepState, src: usize, len: u32, host: bool): i32 {
  if (len != s.inBytes) return SubmitError.BadLength;
  if (s.running) return SubmitError.Busy;
  memory.copy(s.inAddr, src, len);
  start(s, host);
  return 0;
}

/** submit INFER: the input tensor's bytes are in `buf`. */
export function submitInfer(s: StepState, buf: usize, len: u32): i32 {
  return runFrom(s, buf, len, true);
}

/** submit INFER_BLOB: `blob:u32 len:u32` in `buf`, the input tensor read from that blob. */
export function submitInferBlob(s: StepState, buf: usize, len: u32): i32 {
  if (len != 8 || load<u32>(buf + 4) != s.inBytes) return SubmitError.BadLength;
  if (s.running) return SubmitError.Busy;
  if (blob_read(load<u32>(buf), 0, s.inAddr, s.inBytes) != <i32>s.inBytes) return SubmitError.NoBlob;
  start(s, true);
  return 0;
}

function finish(s: StepState, status: u32): void {
  s.running = false;
  s.status = status;
  if (!s.host) return;
  const h = s.outAddr - ACT_HEADER;
  store<u16>(h, <u16>s.first);
  store<u16>(h + 2, <u16>s.last);
  store<u16>(h + 4, <u16>s.runs);
  store<u8>(h + 6, <u8>status);
  store<u8>(h + 7, 0);
  emit(EmitKind.InferOutput, h, status == InferStatus.Ok ? OUTPUT_HEADER + s.outBytes : OUTPUT_HEADER);
}

/** The current layer is done: on to the next, or the step is. */
function nextLayer(s: StepState): void {
  s.started = false;
  s.layer++;
  if (s.layer == s.count) finish(s, InferStatus.Ok);
}

/** Offers the whole layer to `accel`: 1 done, 0 not available, -1 failed. */
function tryAccel(s: StepState, e: usize, op: u32): i32 {
  const input = <usize>load<u32>(e + E_IN);
  const d = input - ACT_HEADER;
  store<u32>(d, s.blob);
  store<u16>(d + 4, <u16>(s.first + s.layer));
  store<u16>(d + 6, 0);
  const outBytes = load<u32>(e + E_OUT_BYTES);
  const r = accel(op, d, ACCEL_DESC_BYTES + load<u32>(e + E_IN_BYTES), <usize>load<u32>(e + E_OUT), outBytes);
  if (r < 0) return 0;
  return r == <i32>outBytes ? 1 : -1;
}

/** Reads the weights of output channels [c0, c1) into the chunk buffer. */
function loadBlock(s: StepState, e: usize, op: u32, c0: i32, c1: i32): bool {
  const off = load<u32>(e + E_FILTER_OFF);
  const unit = load<u32>(e + E_UNIT);
  const block = <u32>(c1 - c0);
  if (op != LayerOp.DepthwiseConv2d) {
    const n = block * unit;
    return blob_read(s.blob, off + <u32>c0 * unit, s.chunkBuf, n) == <i32>n;
  }
  // Depthwise: [fH][fW][outC] stored; the kernel reads [fH][fW][block]: one run per tap.
  const outC = <u32>changetype<ConvParams>(e + E_RECORD).outC;
  for (let k: u32 = 0; k < unit; k++) {
    if (blob_read(s.blob, off + k * outC + <u32>c0, s.chunkBuf + <usize>(k * block), block) != <i32>block) return false;
  }
  return true;
}

/** Rows of work `perRow` that fit `allowance` (at least 1, at most `left`). */
@inline function rowsFor(allowance: u32, perRow: u64, left: i32): i32 {
  const n = perRow == 0 ? <u64>left : <u64>allowance / perRow;
  return <i32>max<u64>(1, min<u64>(n, <u64>left));
}

/** One slice of the current layer within `allowance` work; returns the work it counts against the budget. */
function slice(s: StepState, allowance: u32): u32 {
  const e = s.table + <usize>(s.layer * LAYER_ENTRY);
  const op = load<u32>(e + E_OP);
  const rec = e + E_RECORD;
  const input = <usize>load<u32>(e + E_IN);
  const output = <usize>load<u32>(e + E_OUT);
  const outBytes = <i32>load<u32>(e + E_OUT_BYTES);
  if (!s.started) {
    const dataLen = load<u32>(e + E_DATA_LEN);
    if (dataLen > 0 && blob_read(s.blob, load<u32>(e + E_DATA_OFF), s.dataBuf, dataLen) != <i32>dataLen) {
      finish(s, InferStatus.WeightsUnreadable);
      return 1;
    }
    s.started = true;
    s.loaded = false;
    s.ch = 0;
    s.pos = 0;
    if (op == LayerOp.Conv2d || op == LayerOp.DepthwiseConv2d || op == LayerOp.FullyConnected) {
      const a = tryAccel(s, e, op);
      if (a != 0) {
        if (a > 0) nextLayer(s);
        else finish(s, InferStatus.AccelFailed);
        return 1;
      }
    }
  }
  let work: u32 = 0;
  let nominal: u64 = 0;
  switch (op) {
    case LayerOp.Conv2d:
    case LayerOp.DepthwiseConv2d: {
      const p = changetype<ConvParams>(rec);
      const unit = load<u32>(e + E_UNIT);
      if (!s.loaded) {
        // A block is as many output channels as the chunk buffer holds, and no more than one
        // output row of them fits a tick's work budget, so a slice never runs long.
        const perRowPerChannel = max<u32>(1, <u32>p.outW * unit);
        const perBlock = <i32>max<u32>(1, min<u32>(s.chunk / unit, s.cfg.sliceMacs / perRowPerChannel));
        s.chEnd = min(p.outC, s.ch + perBlock);
        if (!loadBlock(s, e, op, s.ch, s.chEnd)) {
          finish(s, InferStatus.WeightsUnreadable);
          return 1;
        }
        s.loaded = true;
        s.pos = 0;
      }
      const perRow = <u64>p.outW * <u64>unit * <u64>(s.chEnd - s.ch);
      const r1 = s.pos + rowsFor(allowance, perRow, p.outH - s.pos);
      work = op == LayerOp.Conv2d
        ? conv2d(p, input, s.chunkBuf, output, s.pos, r1, s.ch, s.chEnd)
        : depthwiseConv2d(p, input, s.chunkBuf, output, s.pos, r1, s.ch, s.chEnd);
      nominal = perRow * <u64>(r1 - s.pos);
      s.pos = r1;
      if (s.pos == p.outH) {
        s.loaded = false;
        s.ch = s.chEnd;
        if (s.ch == p.outC) nextLayer(s);
      }
      break;
    }
    case LayerOp.FullyConnected: {
      const p = changetype<FullyConnectedParams>(rec);
      const perOut = <u64>p.batches * <u64>p.inDepth;
      const fit = <i32>max<u32>(1, s.chunk / <u32>p.inDepth);
      const n = min(fit, rowsFor(allowance, perOut, p.outDepth - s.ch));
      if (!loadBlock(s, e, op, s.ch, s.ch + n)) {
        finish(s, InferStatus.WeightsUnreadable);
        return 1;
      }
      work = fullyConnected(p, input, s.chunkBuf, output, s.ch, s.ch + n);
      nominal = perOut * <u64>n;
      s.ch += n;
      if (s.ch == p.outDepth) nextLayer(s);
      break;
    }
    case LayerOp.AveragePool2d:
    case LayerOp.MaxPool2d: {
      const p = changetype<PoolParams>(rec);
      const perRow = <u64>p.outW * <u64>p.filterH * <u64>p.filterW * <u64>p.channels;
      const r1 = s.pos + rowsFor(allowance, perRow, p.outH - s.pos);
      work = op == LayerOp.AveragePool2d ? averagePool(p, input, output, s.pos, r1) : maxPool(p, input, output, s.pos, r1);
      nominal = perRow * <u64>(r1 - s.pos);
      s.pos = r1;
      if (s.pos == p.outH) nextLayer(s);
      break;
    }
    case LayerOp.Softmax:
      work = softmax(changetype<SoftmaxParams>(rec), input, output);
      nominal = <u64>work;
      nextLayer(s);
      break;
    default: {
      // Element-wise: ADD, RESHAPE, RELU, RELU6 over a range of values.
      const at = <usize>s.pos;
      const n = rowsFor(allowance, 1, outBytes - s.pos);
      if (op == LayerOp.Add) work = add(changetype<AddParams>(rec), input + at, <usize>load<u32>(e + E_IN2) + at, output + at, n);
      else if (op == LayerOp.Relu) work = relu(changetype<ReluParams>(rec), input + at, output + at, n);
      else if (op == LayerOp.Relu6) work = relu6(input + at, output + at, n, load<i32>(rec), load<i32>(rec + 4));
      else work = reshape(input + at, output + at, n);
      nominal = <u64>n;
      s.pos += n;
      if (s.pos == outBytes) nextLayer(s);
    }
  }
  compute(work);
  return <u32>max<u64>(1, min<u64>(nominal, 0xffffffff));
}

/** Runs slices up to the configured work per tick. Returns true while the run has more to do. */
export function advanceRun(s: StepState): bool {
  if (!s.running) return false;
  const budget = s.cfg.sliceMacs;
  let spent: u32 = 0;
  while (s.running && spent < budget) spent += slice(s, budget - spent);
  return s.running;
}

/** The node's tick: advances a run the host submitted (orchestration advances its own). */
export function stepTick(s: StepState): bool {
  return s.running && s.host && advanceRun(s);
}
