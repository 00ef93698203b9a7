// The inference-step config keys (docs/steps.md, 64..79). The core parser checks their widths
// and skips them; this reads them into an InferConfig, which a node allocates only when the
// blob asks for a step, so a node without one carries none of this state.

import { ConfigKey, configValue } from "../../core/config";

export const CHUNK_MIN: u32 = 64;
export const CHUNK_MAX: u32 = 65535;
export const SLICE_MIN: u32 = 100;
export const SLICE_MAX: u32 = 100000000;
export const LAYER_MAX: u32 = 65534;
export const BLOB_MAX: u32 = 0xfffffffe;

export class InferConfig {
  modelBlob: u32 = 0;
  firstLayer: u32 = 0;
  lastLayer: u32 = 0;
  chunkBytes: u32 = 4096;
  sliceMacs: u32 = 20000;
}

/** True when the blob configures a step (`infer_step` = 1). Allocates nothing. */
export function wantsStep(buf: usize, len: u32): bool {
  return configValue(buf, len, ConfigKey.InferStep, 0) == 1;
}

/**
 * Reads the step keys into `c`; false when one is out of range (docs/abi.md, Config). Whether
 * the last layer follows the first is `stepRangeOk`'s question, asked when a step is wanted.
 */
export function parseInferConfig(buf: usize, len: u32, c: InferConfig): bool {
  if (configValue(buf, len, ConfigKey.InferStep, 0) > 1) return false;
  c.modelBlob = configValue(buf, len, ConfigKey.InferModelBlob, c.modelBlob);
  c.firstLayer = configValue(buf, len, ConfigKey.InferFirstLayer, c.firstLayer);
  c.lastLayer = configValue(buf, len, ConfigKey.InferLastLayer, c.lastLayer);
  c.chunkBytes = configValue(buf, len, ConfigKey.InferChunkBytes, c.chunkBytes);
  c.sliceMacs = configValue(buf, len, ConfigKey.InferSliceMacs, c.sliceMacs);
  if (c.modelBlob > BLOB_MAX || c.firstLayer > LAYER_MAX || c.lastLayer > LAYER_MAX) return false;
  if (c.chunkBytes < CHUNK_MIN || c.chunkBytes > CHUNK_MAX) return false;
  if (c.sliceMacs < SLICE_MIN || c.sliceMacs > SLICE_MAX) return false;
  return true;
}

/** The step's layers are in order. */
export function stepRangeOk(c: InferConfig): bool {
  return c.lastLayer >= c.firstLayer;
}
