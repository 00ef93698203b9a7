// Byte layout of the frame header (docs/wire.md, Header). Offsets are named so codecs read
// like the table in the doc.

export const WIRE_VERSION: u32 = 1;
export const HEADER_SIZE: u32 = 12;
export const TAG_SIZE: u32 = 8;

export const OFF_VERSION: u32 = 0;
export const OFF_TYPE: u32 = 1;
export const OFF_FLAGS: u32 = 2;
export const OFF_HOPS: u32 = 3;
export const OFF_SRC: u32 = 4;
export const OFF_DST: u32 = 6;
export const OFF_SEQ: u32 = 8;
export const OFF_LEN: u32 = 10;

export const FLAG_TAG: u32 = 1;
export const FLAG_ACK_REQ: u32 = 2;
export const FLAG_FRAG: u32 = 4;
export const FLAGS_RESERVED: u32 = 0xf8;

export const ADDR_BROADCAST: u32 = 0xffff;

/** Message types, grouped by owning layer (docs/wire.md, Message types). */
export const enum MsgType {
  Hello = 0x01,
  Ping = 0x02,
  Pong = 0x03,
}
