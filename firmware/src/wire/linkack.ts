// LINK_ACK payload (docs/wire.md, 0x04): src:u16 type:u8 seq:u16, the header fields that
// identify the acknowledged frame. A neighbour sends one for every ACK_REQ frame it accepts.

import { getU16, getU8, putU16, putU8 } from "../core/bytes";
import { ADDR_BROADCAST } from "./format";

export const LINK_ACK_SIZE: u32 = 5;

export function linkAckValid(p: usize, len: u32): bool {
  if (len != LINK_ACK_SIZE) return false;
  const src = getU16(p, 0);
  return src != 0 && src != ADDR_BROADCAST && getU8(p, 2) != 0;
}

// @ts-ignore: decorator
@inline export function linkAckSrc(p: usize): u32 { return getU16(p, 0); }
// @ts-ignore: decorator
@inline export function linkAckType(p: usize): u32 { return getU8(p, 2); }
// @ts-ignore: decorator
@inline export function linkAckSeq(p: usize): u32 { return getU16(p, 3); }

export function putLinkAck(p: usize, src: u32, type: u32, seq: u32): void {
  putU16(p, 0, src);
  putU8(p, 2, type);
  putU16(p, 3, seq);
}
