// Reads the tables a step needs from the model blob (the whole .myco file, docs/model.md) at
// init: bounded reads through a caller's scratch buffer, every count, offset, length and record
// field checked before it is used, so a corrupt or mismatched model makes `loadStep` return
// null (init fails with BAD_MODEL) and never leads to a trap or an access outside the step's
// buffers. Then allocates the step's memory once: the layer table and one arena holding the
// activation buffers, the data buffer and the weight chunk buffer (sizes in docs/steps.md).

import { blob_read } from "../../hal";
import { LayerOp, relocate } from "../layer";
import { AddParams, ConvParams, FullyConnectedParams, PoolParams, ReluParams, SoftmaxParams } from "../params";
import { InferConfig } from "./config";
import { StepState } from "./state";
import {
  ACT_HEADER, BLOB_ENTRY_BYTES, E_DATA_LEN, E_DATA_OFF, E_FILTER_LEN, E_FILTER_OFF, E_IN, E_IN2, E_IN2_T, E_IN_BYTES,
  E_IN_T, E_MASK, E_OP, E_OUT, E_OUT_BYTES, E_OUT_T, E_RECORD, E_SLOTS, E_UNIT, FORMAT_MAX, FORMAT_MIN, HEADER_BYTES, HEADER_MAX,
  LAYER_ENTRY, LAYER_HEADER_BYTES, MAGIC, NONE16, RECORD_MAX, TENSOR_BYTES,
} from "./layout";

/** Scratch the loader needs (one CRC read; the largest table entry is 32 bytes). */
export const LOAD_SCRATCH: u32 = 256;
const DIM_MAX: i64 = 1 << 24;

/** Reads exactly `len` bytes at `offset` of the blob. */
function readExact(blob: u32, offset: u32, ptr: usize, len: u32): bool {
  return blob_read(blob, offset, ptr, len) == <i32>len;
}

function crcBytes(c: u32, ptr: usize, n: u32): u32 {
  for (let i: u32 = 0; i < n; i++) {
    c ^= <u32>load<u8>(ptr + i);
    for (let k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return c;
}

/** CRC-32 (as zlib) of the first `total` bytes with bytes 12..15 taken as zero, as the format defines it. */
function fileCrc(blob: u32, total: u32, scratch: usize, scratchLen: u32): i64 {
  let c: u32 = 0xffffffff;
  let at: u32 = 0;
  while (at < total) {
    const n = min(scratchLen, total - at);
    if (!readExact(blob, at, scratch, n)) return -1;
    for (let i: u32 = 12; i < 16; i++) if (i >= at && i < at + n) store<u8>(scratch + (i - at), 0);
    c = crcBytes(c, scratch, n);
    at += n;
  }
  return <i64>(~c);
}

@inline function field(rec: usize, i: u32): i32 {
  return load<i32>(rec + (<usize>i << 2));
}

/** Record size in bytes of each operation (the records of ../params.ts), or -1 for an unknown one. */
function recordSize(op: u32): i32 {
  switch (op) {
    case LayerOp.Conv2d: case LayerOp.DepthwiseConv2d: return <i32>offsetof<ConvParams>();
    case LayerOp.FullyConnected: return <i32>offsetof<FullyConnectedParams>();
    case LayerOp.AveragePool2d: case LayerOp.MaxPool2d: return <i32>offsetof<PoolParams>();
    case LayerOp.Add: return <i32>offsetof<AddParams>();
    case LayerOp.Reshape: return 0;
    case LayerOp.Softmax: return <i32>offsetof<SoftmaxParams>();
    case LayerOp.Relu: return <i32>offsetof<ReluParams>();
    case LayerOp.Relu6: return 8;
  }
  return -1;
}

/** Fields `from..to` (inclusive) of the record are in 1..2^24. */
function positive(rec: usize, from: u32, to: u32): bool {
  for (let i = from; i <= to; i++) {
    const v = field(rec, i);
    if (v < 1 || <i64>v > DIM_MAX) return false;
  }
  return true;
}

function prod3(rec: usize, a: u32, b: u32, c: u32): i64 {
  return <i64>field(rec, a) * <i64>field(rec, b) * <i64>field(rec, c);
}

/** An int32 array of `n` values at data-blob offset `v` lies inside a `dataLen`-byte blob. */
function arrayInside(v: i32, n: i64, dataLen: u32): bool {
  return v >= 0 && (v & 3) == 0 && <i64>v + n * 4 <= <i64>dataLen;
}

/**
 * Address fields: each field `i` in [from, to] whose mask bit is set holds an array of `n`
 * 4-byte values inside the data blob (a node adds the blob's address); one whose bit is clear
 * is 0 (none). No other bit may be set.
 */
function addressesOk(rec: usize, mask: u32, from: u32, to: u32, n: i64, dataLen: u32): bool {
  for (let i: u32 = 0; i < 32; i++) {
    const set = (mask >>> i) & 1;
    if (i < from || i > to) {
      if (set) return false;
      continue;
    }
    const v = field(rec, i);
    if (set ? !arrayInside(v, n, dataLen) : v != 0) return false;
  }
  return true;
}

const CONV_BIAS: u32 = <u32>offsetof<ConvParams>("bias") >> 2;
const CONV_SHIFTS: u32 = <u32>offsetof<ConvParams>("shifts") >> 2;
const FC_BIAS: u32 = <u32>offsetof<FullyConnectedParams>("bias") >> 2;
const FC_SHIFTS: u32 = <u32>offsetof<FullyConnectedParams>("shifts") >> 2;
/** SOFTMAX: fields after `diffMin` may address a 256-entry table in the data blob. */
const SOFTMAX_FIRST_ADDRESS: u32 = (<u32>offsetof<SoftmaxParams>("diffMin") >> 2) + 1;
const SOFTMAX_TABLE: i64 = 256;

/** The record of entry `e` agrees with its tensors and blobs (what the kernels rely on). */
function recordOk(e: usize): bool {
  const op = load<u32>(e + E_OP);
  const rec = e + E_RECORD;
  const inB = <i64>load<u32>(e + E_IN_BYTES);
  const outB = <i64>load<u32>(e + E_OUT_BYTES);
  const filterLen = <i64>load<u32>(e + E_FILTER_LEN);
  const dataLen = load<u32>(e + E_DATA_LEN);
  const mask = load<u32>(e + E_MASK);
  switch (op) {
    case LayerOp.Conv2d:
    case LayerOp.DepthwiseConv2d: {
      // inH inW inC outH outW outC fH fW fC mult sH sW dH dW padH padW ...
      if (!positive(rec, 0, 13)) return false;
      if (field(rec, 14) < 0 || field(rec, 15) < 0 || <i64>field(rec, 14) > DIM_MAX || <i64>field(rec, 15) > DIM_MAX) return false;
      if (prod3(rec, 0, 1, 2) != inB || prod3(rec, 3, 4, 5) != outB) return false;
      const inC = field(rec, 2), outC = field(rec, 5), fH = field(rec, 6), fW = field(rec, 7), fC = field(rec, 8);
      if (op == LayerOp.Conv2d) {
        if (inC % fC != 0 || outC % (inC / fC) != 0) return false;
        if (<i64>outC * <i64>fH * <i64>fW * <i64>fC != filterLen) return false;
        store<u32>(e + E_UNIT, <u32>(fH * fW * fC));
      } else {
        if (<i64>outC != <i64>inC * <i64>field(rec, 9)) return false;
        if (<i64>fH * <i64>fW * <i64>outC != filterLen) return false;
        store<u32>(e + E_UNIT, <u32>(fH * fW));
      }
      return addressesOk(rec, mask, CONV_BIAS, CONV_SHIFTS, <i64>outC, dataLen);
    }
    case LayerOp.FullyConnected: {
      if (!positive(rec, 0, 2)) return false;
      const batches = <i64>field(rec, 0), inDepth = <i64>field(rec, 1), outDepth = <i64>field(rec, 2);
      if (batches * inDepth != inB || batches * outDepth != outB || inDepth * outDepth != filterLen) return false;
      store<u32>(e + E_UNIT, <u32>inDepth);
      return addressesOk(rec, mask, FC_BIAS, FC_SHIFTS, outDepth, dataLen);
    }
    case LayerOp.AveragePool2d:
    case LayerOp.MaxPool2d:
      if (mask != 0 || !positive(rec, 0, 8) || field(rec, 9) < 0 || field(rec, 10) < 0) return false;
      return prod3(rec, 0, 1, 2) == inB && prod3(rec, 3, 4, 2) == outB;
    case LayerOp.Add:
      return mask == 0 && <i64>load<u32>(e + E_IN2) == inB && inB == outB;
    case LayerOp.Softmax: {
      if (!positive(rec, 0, 1) || field(rec, 1) > 256) return false;
      if (field(rec, 3) < 0 || field(rec, 3) > 31 || field(rec, 4) > 0) return false;
      if (!addressesOk(rec, mask, SOFTMAX_FIRST_ADDRESS, (<u32>offsetof<SoftmaxParams>() >> 2) - 1, SOFTMAX_TABLE, dataLen)) return false;
      return <i64>field(rec, 0) * <i64>field(rec, 1) == inB && inB == outB;
    }
    case LayerOp.Reshape:
    case LayerOp.Relu:
    case LayerOp.Relu6:
      return mask == 0 && inB == outB;
  }
  return false;
}

/** Where the model's tables start, from its header (read into `scratch`). */
class Tables {
  total: u32 = 0;
  tensors: u32 = 0;
  tensorAt: u32 = 0;
  slots: u32 = 0;
  blobs: u32 = 0;
  blobAt: u32 = 0;
  layers: u32 = 0;
  layerAt: u32 = 0;
  dataOffset: u32 = 0;
}

/** Tensor `t`: checks it and returns its byte size, or -1; its slot goes to `slotOut[0]`. */
function readTensor(blob: u32, tb: Tables, t: u32, scratch: usize, slotOut: usize): i64 {
  if (t >= tb.tensors) return -1;
  if (!readExact(blob, tb.tensorAt + t * TENSOR_BYTES, scratch, TENSOR_BYTES)) return -1;
  if (load<u8>(scratch) != 1) return -1;
  const rank = <u32>load<u8>(scratch + 1);
  if (rank < 1 || rank > 4) return -1;
  const slot = <u32>load<u8>(scratch + 2);
  if (slot >= tb.slots) return -1;
  let bytes: i64 = 1;
  for (let d: u32 = 0; d < 4; d++) {
    const dim = <i64>load<u32>(scratch + 16 + d * 4);
    if (d < rank ? (dim < 1 || dim > DIM_MAX) : dim != 1) return -1;
    bytes *= dim;
    if (bytes > 0x7fffffff) return -1;
  }
  if (<i64>load<u32>(scratch + 12) != bytes) return -1;
  store<u32>(slotOut, slot);
  return bytes;
}

/** Blob `id`'s absolute offset in the file and length into `out[0..1]`; false when out of range. */
function readBlob(blob: u32, tb: Tables, id: u32, scratch: usize, out: usize): bool {
  if (id >= tb.blobs) return false;
  if (!readExact(blob, tb.blobAt + id * BLOB_ENTRY_BYTES, scratch, BLOB_ENTRY_BYTES)) return false;
  const off = <u64>load<u32>(scratch), len = <u64>load<u32>(scratch + 4);
  if ((off & 15) != 0 || <u64>tb.dataOffset + off + len > <u64>tb.total) return false;
  store<u32>(out, tb.dataOffset + <u32>off);
  store<u32>(out + 4, <u32>len);
  return true;
}

function readHeader(blob: u32, scratch: usize, scratchLen: u32, tb: Tables): bool {
  if (!readExact(blob, 0, scratch, HEADER_BYTES)) return false;
  const version = <u32>load<u16>(scratch + 4);
  const headerBytes = <u32>load<u16>(scratch + 6);
  if (load<u32>(scratch) != MAGIC || version < FORMAT_MIN || version > FORMAT_MAX) return false;
  if (headerBytes < HEADER_BYTES || headerBytes > HEADER_MAX) return false;
  tb.total = load<u32>(scratch + 8);
  const crc = load<u32>(scratch + 12);
  tb.tensors = load<u16>(scratch + 16);
  tb.layers = load<u16>(scratch + 18);
  tb.blobs = load<u16>(scratch + 20);
  tb.slots = load<u16>(scratch + 22);
  tb.dataOffset = load<u32>(scratch + 28);
  if (tb.total < HEADER_BYTES || tb.dataOffset > tb.total || (tb.dataOffset & 15) != 0) return false;
  if (tb.slots < 1 || tb.slots > 255 || tb.layers < 1 || tb.tensors < 1) return false;
  tb.tensorAt = headerBytes;
  const layerAt = <u64>headerBytes + <u64>tb.tensors * TENSOR_BYTES + <u64>tb.slots * 4 + <u64>tb.blobs * BLOB_ENTRY_BYTES;
  if (layerAt > <u64>tb.dataOffset) return false;
  tb.blobAt = <u32>(layerAt - <u64>tb.blobs * BLOB_ENTRY_BYTES);
  tb.layerAt = <u32>layerAt;
  return fileCrc(blob, tb.total, scratch, scratchLen) == <i64>crc;
}

/** Fills the entry of one step layer from its header at `at` (in `scratch`); false when invalid. */
function fillEntry(blob: u32, tb: Tables, e: usize, at: u32, scratch: usize): bool {
  const op = <u32>load<u8>(scratch);
  const inputs = <u32>load<u8>(scratch + 1);
  const inT = <u32>load<u16>(scratch + 4), in2T = <u32>load<u16>(scratch + 6), outT = <u32>load<u16>(scratch + 8);
  const recBytes = <u32>load<u16>(scratch + 10);
  const filterBlob = <u32>load<u16>(scratch + 12), dataBlob = <u32>load<u16>(scratch + 14);
  const mask = load<u32>(scratch + 16);
  const size = recordSize(op);
  if (size < 0 || <u32>size != recBytes || recBytes > RECORD_MAX) return false;
  if (inputs != (op == LayerOp.Add ? 2 : 1) || (inputs == 1 && in2T != NONE16)) return false;
  const hasFilter = op == LayerOp.Conv2d || op == LayerOp.DepthwiseConv2d || op == LayerOp.FullyConnected;
  if (hasFilter != (filterBlob != NONE16)) return false;
  if (mask != 0 && dataBlob == NONE16) return false;
  store<u32>(e + E_OP, op);
  store<u32>(e + E_MASK, mask);
  store<u32>(e + E_IN_T, inT);
  store<u32>(e + E_IN2_T, inputs == 2 ? in2T : NONE16);
  store<u32>(e + E_OUT_T, outT);
  store<u32>(e + E_UNIT, 0);
  store<u32>(e + E_FILTER_OFF, 0);
  store<u32>(e + E_FILTER_LEN, 0);
  store<u32>(e + E_DATA_OFF, 0);
  store<u32>(e + E_DATA_LEN, 0);
  if (filterBlob != NONE16 && !readBlob(blob, tb, filterBlob, scratch, e + E_FILTER_OFF)) return false;
  if (dataBlob != NONE16 && !readBlob(blob, tb, dataBlob, scratch, e + E_DATA_OFF)) return false;
  // The record goes straight into the entry.
  if (recBytes > 0 && !readExact(blob, at + LAYER_HEADER_BYTES, e + E_RECORD, recBytes)) return false;
  // Tensors: sizes and slots (slot bytes: input, second input, output).
  let slots: u32 = 0;
  const inB = readTensor(blob, tb, inT, scratch, scratch + 64);
  if (inB < 0) return false;
  slots |= load<u32>(scratch + 64);
  store<u32>(e + E_IN_BYTES, <u32>inB);
  store<u32>(e + E_IN2, 0);
  if (inputs == 2) {
    const in2B = readTensor(blob, tb, in2T, scratch, scratch + 64);
    if (in2B < 0) return false;
    slots |= load<u32>(scratch + 64) << 8;
    store<u32>(e + E_IN2, <u32>in2B); // its size, until addresses are assigned
  }
  const outB = readTensor(blob, tb, outT, scratch, scratch + 64);
  if (outB < 0) return false;
  slots |= load<u32>(scratch + 64) << 16;
  store<u32>(e + E_OUT_BYTES, <u32>outB);
  store<u32>(e + E_SLOTS, slots);
  if (outT == inT || (inputs == 2 && outT == in2T)) return false;
  return recordOk(e);
}

/** Every input of a step layer is the step's input or an earlier step layer's output. */
function chainOk(table: usize, count: u32): bool {
  const stepIn = load<u32>(table + E_IN_T);
  for (let i: u32 = 0; i < count; i++) {
    const e = table + <usize>(i * LAYER_ENTRY);
    for (let k: u32 = 0; k < 2; k++) {
      const t = load<u32>(e + (k == 0 ? E_IN_T : E_IN2_T));
      if (k == 1 && t == NONE16) continue;
      let found = t == stepIn;
      for (let j: u32 = 0; j < i && !found; j++) found = load<u32>(table + <usize>(j * LAYER_ENTRY) + E_OUT_T) == t;
      if (!found) return false;
    }
  }
  return true;
}

@inline function slotOf(e: usize, which: u32): u32 {
  return (load<u32>(e + E_SLOTS) >>> (which * 8)) & 0xff;
}

/** Largest tensor the step puts into `slot`. */
function slotBytes(table: usize, count: u32, slot: u32): u32 {
  let n: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const e = table + <usize>(i * LAYER_ENTRY);
    if (slotOf(e, 0) == slot) n = max(n, load<u32>(e + E_IN_BYTES));
    // ADD's operands have equal sizes (recordOk), so the second input's size is E_IN_BYTES too.
    if (load<u32>(e + E_IN2_T) != NONE16 && slotOf(e, 1) == slot) n = max(n, load<u32>(e + E_IN_BYTES));
    if (slotOf(e, 2) == slot) n = max(n, load<u32>(e + E_OUT_BYTES));
  }
  return n;
}

/** True when `slot` appears in an entry before (i, which). */
function seenBefore(table: usize, i: u32, which: u32, slot: u32): bool {
  for (let j: u32 = 0; j <= i; j++) {
    const e = table + <usize>(j * LAYER_ENTRY);
    for (let w: u32 = 0; w < 3; w++) {
      if (j == i && w >= which) return false;
      if (w == 1 && load<u32>(e + E_IN2_T) == NONE16) continue;
      if (slotOf(e, w) == slot) return true;
    }
  }
  return false;
}

/** Offset of `slot`'s buffer in the arena (buffers in order of first use, each with its header). */
function slotOffset(table: usize, count: u32, slot: u32): u32 {
  let at: u32 = 0;
  for (let i: u32 = 0; i < count; i++) {
    const e = table + <usize>(i * LAYER_ENTRY);
    for (let w: u32 = 0; w < 3; w++) {
      if (w == 1 && load<u32>(e + E_IN2_T) == NONE16) continue;
      const s = slotOf(e, w);
      if (seenBefore(table, i, w, s)) continue;
      if (s == slot) return at;
      at += ACT_HEADER + ((slotBytes(table, count, s) + 7) & ~7);
    }
  }
  return at; // the end: total bytes of the activation buffers
}

const NO_SLOT: u32 = 0x100;

/**
 * Loads step `cfg.firstLayer..cfg.lastLayer` of the model in blob `cfg.modelBlob`. `scratch`
 * holds at least LOAD_SCRATCH bytes (the node passes its inbox, whose config it has parsed).
 * Returns null when the model is missing, corrupt, or has no such layers.
 */
export function loadStep(cfg: InferConfig, scratch: usize, scratchLen: u32): StepState | null {
  if (scratchLen < LOAD_SCRATCH) return null;
  const blob = cfg.modelBlob;
  const tb = new Tables();
  if (!readHeader(blob, scratch, scratchLen, tb)) return null;
  if (cfg.lastLayer >= tb.layers) return null;
  const count = cfg.lastLayer - cfg.firstLayer + 1;
  const table = heap.alloc(<usize>(count * LAYER_ENTRY));
  // Walk the variable-size layer records up to the step's last layer.
  let at = tb.layerAt;
  let maxData: u32 = 0, maxFilter: u32 = 0, maxUnit: u32 = 0;
  for (let i: u32 = 0; i <= cfg.lastLayer; i++) {
    if (<u64>at + LAYER_HEADER_BYTES > <u64>tb.dataOffset) return null;
    if (!readExact(blob, at, scratch, LAYER_HEADER_BYTES)) return null;
    const recBytes = <u32>load<u16>(scratch + 10);
    if (<u64>at + LAYER_HEADER_BYTES + recBytes > <u64>tb.dataOffset) return null;
    if (i >= cfg.firstLayer) {
      const e = table + <usize>((i - cfg.firstLayer) * LAYER_ENTRY);
      if (!fillEntry(blob, tb, e, at, scratch)) return null;
      maxData = max(maxData, load<u32>(e + E_DATA_LEN));
      maxFilter = max(maxFilter, load<u32>(e + E_FILTER_LEN));
      maxUnit = max(maxUnit, load<u32>(e + E_UNIT));
    }
    at += LAYER_HEADER_BYTES + recBytes;
  }
  if (!chainOk(table, count)) return null;
  // The arena: activation buffers, data buffer, chunk buffer (split.ts stepMemory mirrors this).
  const chunk = (max(maxUnit, min(cfg.chunkBytes, maxFilter)) + 7) & ~7;
  const actBytes = slotOffset(table, count, NO_SLOT);
  const dataBytes = (maxData + 7) & ~7;
  const arena = heap.alloc(<usize>(actBytes + dataBytes + chunk));
  const s = new StepState(cfg);
  s.blob = blob;
  s.first = cfg.firstLayer;
  s.last = cfg.lastLayer;
  s.count = count;
  s.table = table;
  s.dataBuf = arena + actBytes;
  s.chunkBuf = s.dataBuf + dataBytes;
  s.chunk = chunk;
  for (let i: u32 = 0; i < count; i++) {
    const e = table + <usize>(i * LAYER_ENTRY);
    store<u32>(e + E_IN, <u32>(arena + ACT_HEADER + slotOffset(table, count, slotOf(e, 0))));
    if (load<u32>(e + E_IN2_T) != NONE16) store<u32>(e + E_IN2, <u32>(arena + ACT_HEADER + slotOffset(table, count, slotOf(e, 1))));
    store<u32>(e + E_OUT, <u32>(arena + ACT_HEADER + slotOffset(table, count, slotOf(e, 2))));
    relocate(e + E_RECORD, load<u32>(e + E_MASK), s.dataBuf);
  }
  s.inAddr = <usize>load<u32>(table + E_IN);
  s.inBytes = load<u32>(table + E_IN_BYTES);
  const lastE = table + <usize>((count - 1) * LAYER_ENTRY);
  s.outAddr = <usize>load<u32>(lastE + E_OUT);
  s.outBytes = load<u32>(lastE + E_OUT_BYTES);
  return s;
}
