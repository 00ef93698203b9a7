// PING/PONG payload (docs/wire.md, 0x02/0x03): ping_seq:u16 sent_ms:u32, then padding that
// a PONG echoes unchanged.

import { getU16, getU32, putU16, putU32 } from "../core/bytes";

export const PING_FIXED: u32 = 6;

export function pingValid(len: u32): bool {
  return len >= PING_FIXED;
}

// @ts-ignore: decorator
@inline export function pingSeq(p: usize): u32 { return getU16(p, 0); }
// @ts-ignore: decorator
@inline export function pingSentMs(p: usize): u32 { return getU32(p, 2); }

export function putPing(p: usize, seq: u32, sentMs: u32): void {
  putU16(p, 0, seq);
  putU32(p, 2, sentMs);
}
