// A node's step: which layers of which model blob, the buffers init sized for them, and where
// the sliced run stands. Created once by `loadStep`; nothing here allocates afterwards.

import { InferConfig } from "./config";

export class StepState {
  cfg: InferConfig;
  blob: u32 = 0;
  first: u32 = 0;
  last: u32 = 0;
  count: u32 = 0;
  /** Layer table: `count` entries of LAYER_ENTRY bytes (layout.ts). */
  table: usize = 0;
  /** The step's input tensor (first layer's input) and output tensor (last layer's output). */
  inAddr: usize = 0;
  inBytes: u32 = 0;
  outAddr: usize = 0;
  outBytes: u32 = 0;
  /** int32 arrays (bias, multipliers, shifts) of the current layer. */
  dataBuf: usize = 0;
  /** Weights of the current block of output channels. */
  chunkBuf: usize = 0;
  chunk: u32 = 0;

  // The run under way.
  running: bool = false;
  /**
   * Submitted by the host (INFER / INFER_BLOB): the node's tick advances it and its end is
   * emitted as INFER_OUTPUT. Otherwise orchestration started it for a work package, advances it
   * itself and takes the output from the buffer (orch/model.ts).
   */
  host: bool = false;
  /** InferStatus of the last run that ended. */
  status: u32 = 0;
  /** Index of the current layer within the step. */
  layer: u32 = 0;
  /** The current layer's data is loaded and accel was offered it. */
  started: bool = false;
  /** The weights of channels [ch, chEnd) are in the chunk buffer. */
  loaded: bool = false;
  ch: i32 = 0;
  chEnd: i32 = 0;
  /** Next output row (conv, pooling) or value (element-wise). */
  pos: i32 = 0;
  /** Runs started since init (wraps at 2^16 in records). */
  runs: u32 = 0;

  constructor(cfg: InferConfig) {
    this.cfg = cfg;
  }
}
