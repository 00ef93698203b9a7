// The step's layer table: one fixed-size entry per layer, filled at init from the model blob.
// The parameter record sits in the entry (16-byte aligned) so a kernel views it in place.
// tools/model/split.ts mirrors the sizes to plan a step's memory.

/** Bytes per layer entry (split.ts LAYER_ENTRY_BYTES). */
export const LAYER_ENTRY: u32 = 176;
/** Offset of the parameter record in an entry; records are at most RECORD_MAX bytes. */
export const E_RECORD: u32 = 64;
export const RECORD_MAX: u32 = 112;
/** Bytes in front of each activation buffer: room for an emit header or an accel descriptor. */
export const ACT_HEADER: u32 = 8;

// u32 fields of an entry.
export const E_OP: u32 = 0;
export const E_IN: u32 = 4;
export const E_IN2: u32 = 8;
export const E_OUT: u32 = 12;
export const E_OUT_BYTES: u32 = 16;
export const E_FILTER_OFF: u32 = 20;
export const E_FILTER_LEN: u32 = 24;
export const E_DATA_OFF: u32 = 28;
export const E_DATA_LEN: u32 = 32;
export const E_MASK: u32 = 36;
/** Weight bytes of one output channel (row) in the chunk buffer. */
export const E_UNIT: u32 = 40;
export const E_IN_T: u32 = 44;
export const E_IN2_T: u32 = 48;
export const E_OUT_T: u32 = 52;
/** Activation buffers (model slots) of input, second input and output: one byte each. */
export const E_SLOTS: u32 = 56;
export const E_IN_BYTES: u32 = 60;

/** "None" for a u16 tensor or blob reference in the model. */
export const NONE16: u32 = 0xffff;

// .myco layout (docs/model.md).
export const MAGIC: u32 = 0x4f43594d; // "MYCO"
/** Format versions read: 1 (32-byte header) and 2 (36 bytes, with the arithmetic byte); the tables follow the header. */
export const FORMAT_MIN: u32 = 1;
export const FORMAT_MAX: u32 = 2;
export const HEADER_BYTES: u32 = 32;
export const HEADER_MAX: u32 = 64;
export const TENSOR_BYTES: u32 = 32;
export const LAYER_HEADER_BYTES: u32 = 24;
export const BLOB_ENTRY_BYTES: u32 = 8;
