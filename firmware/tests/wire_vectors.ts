// Test entry (not a node program): exposes the wire codec over a scratch buffer so tests
// can hold it against the shared vectors and the TypeScript codec.

// The abort handler named in asconfig.json lives in hal.ts, so every entry includes it.
import "../src/hal";
import { decodeFrame, encodeHeader, Header } from "../src/wire/header";
import { helloCount, helloEntryId, helloEntryQuality, helloEpoch, helloInterval, helloValid, putHelloEntry, putHelloFixed } from "../src/wire/hello";
import { pingSentMs, pingSeq, pingValid, putPing } from "../src/wire/ping";
import { putRouteEntry, putRouteUpdateFixed, routeUpdateValid, ruCount, ruDest, ruDigest, ruFlags, ruMetric, ruSeq } from "../src/wire/routeupdate";

const SCRATCH: u32 = 2048;
const scratch = memory.data(<i32>SCRATCH);
const header = new Header();

export function buffer(): usize { return scratch; }
export function buffer_size(): u32 { return SCRATCH; }

/** Drop reason (0 = accepted) of the `len` bytes in the buffer. */
export function decode(len: u32, mtu: u32, hasKey: bool): i32 {
  return decodeFrame(scratch, len, mtu, hasKey, header);
}

/** Decoded field `i`: 0 type, 1 flags, 2 hops, 3 src, 4 dst, 5 seq, 6 payload length. */
export function field(i: u32): u32 {
  switch (i) {
    case 0: return header.type;
    case 1: return header.flags;
    case 2: return header.hops;
    case 3: return header.src;
    case 4: return header.dst;
    case 5: return header.seq;
    case 6: return header.len;
  }
  return 0xffffffff;
}

/** Writes a header in front of the payload the caller put at buffer()+12; returns the frame length. */
export function encode(type: u32, flags: u32, hops: u32, src: u32, dst: u32, seq: u32, payloadLen: u32): u32 {
  return encodeHeader(scratch, type, flags, hops, src, dst, seq, payloadLen);
}

// Payload helpers work on a payload at the start of the buffer.
export function hello_valid(len: u32): bool { return helloValid(scratch, len); }
export function hello_interval(): u32 { return helloInterval(scratch); }
export function hello_epoch(): u32 { return helloEpoch(scratch); }
export function hello_count(): u32 { return helloCount(scratch); }
export function hello_entry_id(i: u32): u32 { return helloEntryId(scratch, i); }
export function hello_entry_quality(i: u32): u32 { return helloEntryQuality(scratch, i); }
export function put_hello(intervalMs: u32, epoch: u32, count: u32): void { putHelloFixed(scratch, intervalMs, epoch, count); }
export function put_hello_entry(i: u32, id: u32, quality: u32): void { putHelloEntry(scratch, i, id, quality); }
export function ping_valid(len: u32): bool { return pingValid(len); }
export function ping_seq(): u32 { return pingSeq(scratch); }
export function ping_sent_ms(): u32 { return pingSentMs(scratch); }
export function put_ping(seq: u32, sentMs: u32): void { putPing(scratch, seq, sentMs); }
export function route_update_valid(len: u32): bool { return routeUpdateValid(scratch, len); }
export function ru_flags(): u32 { return ruFlags(scratch); }
export function ru_count(): u32 { return ruCount(scratch); }
export function ru_digest(): u32 { return ruDigest(scratch); }
export function ru_dest(i: u32): u32 { return ruDest(scratch, i); }
export function ru_seq(i: u32): u32 { return ruSeq(scratch, i); }
export function ru_metric(i: u32): u32 { return ruMetric(scratch, i); }
export function put_route_update(flags: u32, count: u32, digest: u32): void { putRouteUpdateFixed(scratch, flags, count, digest); }
export function put_route_entry(i: u32, dest: u32, seq: u32, metric: u32): void { putRouteEntry(scratch, i, dest, seq, metric); }
