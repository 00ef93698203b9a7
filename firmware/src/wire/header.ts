// Frame header codec (docs/wire.md). `decodeFrame` is the single place that validates a
// received frame; it reads nothing before checking that it lies inside the frame, so no
// input can make it trap.

import { getU16, getU8, putU16, putU8 } from "../core/bytes";
import { Drop } from "./drop";
import {
  ADDR_BROADCAST, FLAG_TAG, FLAGS_RESERVED, HEADER_SIZE, OFF_DST, OFF_FLAGS, OFF_HOPS, OFF_LEN,
  OFF_SEQ, OFF_SRC, OFF_TYPE, OFF_VERSION, TAG_SIZE, WIRE_VERSION,
} from "./format";
import { isKnownType, payloadValid } from "./payload";

/** A decoded header; the payload starts HEADER_SIZE bytes into the frame. */
export class Header {
  type: u32 = 0;
  flags: u32 = 0;
  hops: u32 = 0;
  src: u32 = 0;
  dst: u32 = 0;
  seq: u32 = 0;
  len: u32 = 0;
}

/**
 * Validates `len` bytes at `frame` in the documented order and fills `out`. Returns
 * Drop.None for a good frame, else the first failed check. `hasKey` says whether this
 * network authenticates frames.
 */
export function decodeFrame(frame: usize, len: u32, mtu: u32, hasKey: bool, out: Header): i32 {
  if (len < HEADER_SIZE) return Drop.Short;
  if (len > mtu) return Drop.Long;
  if (getU8(frame, OFF_VERSION) != WIRE_VERSION) return Drop.Version;
  const flags = getU8(frame, OFF_FLAGS);
  if ((flags & FLAGS_RESERVED) != 0) return Drop.Flags;
  const payloadLen = getU16(frame, OFF_LEN);
  const tagLen = (flags & FLAG_TAG) != 0 ? TAG_SIZE : 0;
  if (HEADER_SIZE + payloadLen + tagLen != len) return Drop.Length;
  const src = getU16(frame, OFF_SRC);
  const dst = getU16(frame, OFF_DST);
  if (src == 0 || src == ADDR_BROADCAST || dst == 0) return Drop.Addr;
  const type = getU8(frame, OFF_TYPE);
  if (!isKnownType(type)) return Drop.Type;
  if (!payloadValid(type, frame + HEADER_SIZE, payloadLen)) return Drop.Payload;
  if (tagLen != 0 && !hasKey) return Drop.Tag;
  out.type = type;
  out.flags = flags;
  out.hops = getU8(frame, OFF_HOPS);
  out.src = src;
  out.dst = dst;
  out.seq = getU16(frame, OFF_SEQ);
  out.len = payloadLen;
  return Drop.None;
}

/**
 * Writes a version-1 header for a payload of `payloadLen` bytes that the caller puts at
 * `frame + HEADER_SIZE`. Returns the frame length (header + payload, plus a tag if flagged).
 */
export function encodeHeader(
  frame: usize, type: u32, flags: u32, hops: u32, src: u32, dst: u32, seq: u32, payloadLen: u32,
): u32 {
  putU8(frame, OFF_VERSION, WIRE_VERSION);
  putU8(frame, OFF_TYPE, type);
  putU8(frame, OFF_FLAGS, flags);
  putU8(frame, OFF_HOPS, hops);
  putU16(frame, OFF_SRC, src);
  putU16(frame, OFF_DST, dst);
  putU16(frame, OFF_SEQ, seq);
  putU16(frame, OFF_LEN, payloadLen);
  return HEADER_SIZE + payloadLen + ((flags & FLAG_TAG) != 0 ? TAG_SIZE : 0);
}
