// Host tool entry (not a node program): runs a decoded Myco model layer by layer for
// `myco model run` and the model tests. The host reserves one arena for the activation
// buffers, a weights buffer, a data buffer and a parameter record; for each layer it writes
// the record and calls `run_layer`, which pages the layer's blobs in through the HAL's
// `blob_read` (as a node reads them from flash), relocates the record and runs the kernel.

import { blob_read } from "../src/hal";
import { relocate, runLayer } from "../src/infer/layer";

/** Blob id meaning "none". */
const NO_BLOB: u32 = 0xffff;

/** Reserves `bytes` of memory once; returns its address (8-byte aligned). */
export function reserve(bytes: u32): usize {
  return heap.alloc(<usize>bytes);
}

/**
 * Runs one layer. Returns the kernel's work count, or a negative error: -1 unknown
 * operation, -2 the weights blob could not be read, -3 the data blob could not be read.
 */
export function run_layer(
  op: i32, params: usize, relocMask: u32,
  input: usize, input2: usize, output: usize, outLen: i32,
  filterBlob: u32, filterBuf: usize, filterLen: u32,
  dataBlob: u32, dataBuf: usize, dataLen: u32,
): i32 {
  if (filterBlob != NO_BLOB && blob_read(filterBlob, 0, filterBuf, filterLen) != <i32>filterLen) return -2;
  if (dataBlob != NO_BLOB) {
    if (blob_read(dataBlob, 0, dataBuf, dataLen) != <i32>dataLen) return -3;
    relocate(params, relocMask, dataBuf);
  }
  return runLayer(op, params, input, input2, filterBuf, output, outLen);
}
