// HELLO beacons: announcing ourselves and the neighbours we hear, and learning from theirs.

import { BROADCAST, LogLevel } from "../hal";
import { logAt } from "../core/log";
import { count } from "../core/counters";
import { HEADER_SIZE, MsgType } from "../wire/format";
import { encodeHeader } from "../wire/header";
import { HELLO_ENTRY, HELLO_FIXED, helloEpoch, helloInterval, helloQualityOf, helloRoom, putHelloEntry, putHelloFixed } from "../wire/hello";
import { transmit } from "../wire/send";
import { LINK_HELLO_RX, LINK_HELLO_TX, LINK_RESTART, LINK_TABLE_FULL, LINK_TX_ERR } from "./counters";
import { neighbourDown, neighbourUp, neighbourUsable } from "./events";
import { isRestart, seqGap, slideSpan, slideWindow } from "./quality";
import { LinkState } from "./state";

/**
 * Delay until the next hello: the interval +-10 %, so nodes switched on together drift
 * apart instead of colliding on every beacon.
 */
export function jitteredInterval(intervalMs: u32, random: u32): u32 {
  const spread = intervalMs / 5;
  return intervalMs - intervalMs / 10 + (spread == 0 ? 0 : random % (spread + 1));
}

/**
 * Broadcasts one HELLO listing the neighbours we hear with their current in_q. When the
 * table holds more than one frame can list, successive hellos list it in rotating slices.
 */
export function sendHello(s: LinkState, now: u32): void {
  const t = s.table;
  const payload = s.txPtr + HEADER_SIZE;
  const room = <i32>helloRoom(s.cfg.mtu - HEADER_SIZE);
  const truncated = t.size > room;
  const listed = truncated ? room : t.size;
  const start = truncated ? s.helloCursor % t.size : 0;
  for (let k = 0; k < listed; k++) {
    const n = t.at((start + k) % t.size);
    putHelloEntry(payload, <u32>k, <u32>n.id, n.quality(now));
  }
  if (truncated) s.helloCursor = (start + listed) % t.size;
  putHelloFixed(payload, s.cfg.helloIntervalMs, s.epoch, <u32>listed);
  const len = encodeHeader(s.txPtr, MsgType.Hello, 0, 1, s.self, BROADCAST, s.helloSeq, HELLO_FIXED + HELLO_ENTRY * <u32>listed);
  s.helloSeq = (s.helloSeq + 1) & 0xffff;
  if (transmit(BROADCAST, s.txPtr, len) < 0) count(LINK_TX_ERR);
  else count(LINK_HELLO_TX);
}

function clampRssi(rssi: i32): i32 {
  return rssi < -128 ? -128 : rssi > 127 ? 127 : rssi;
}

/** Makes room for neighbour `id` under the full-table policy (table.ts); -1 if it gets none. */
function admit(s: LinkState, id: u32, now: u32): i32 {
  const t = s.table;
  let i = t.add(id);
  if (i >= 0) return i;
  const victim = t.evictionCandidate(now);
  if (victim < 0) return -1;
  const gone = <u32>t.at(victim).id;
  t.removeAt(victim);
  neighbourDown(s, gone);
  return t.add(id);
}

/**
 * A validated HELLO from neighbour `s.rx.src`, payload at `payload`. A hello carrying another
 * boot epoch than the one we know means the neighbour restarted: that is reported as the old
 * neighbour leaving and a new one arriving, so every layer drops what it learnt from the old.
 */
export function receiveHello(s: LinkState, payload: usize, rssi: i32, now: u32): void {
  count(LINK_HELLO_RX);
  const id = s.rx.src;
  const seq = s.rx.seq;
  const epoch = helloEpoch(payload);
  const t = s.table;
  let i = t.find(id);
  let fresh = false;
  if (i >= 0 && <u32>t.at(i).epoch != epoch) {
    count(LINK_RESTART);
    t.removeAt(i);
    neighbourDown(s, id);
    i = t.add(id); // the slot just freed
    fresh = true;
  }
  if (i < 0) {
    i = admit(s, id, now);
    if (i < 0) {
      count(LINK_TABLE_FULL);
      logAt(LogLevel.Debug, "link: table full, newcomer turned away");
      return;
    }
    fresh = true;
  }
  const n = t.at(i);
  if (fresh) {
    n.window = 1;
    n.span = 1;
    n.epoch = <u16>epoch;
  } else {
    const gap = seqGap(<u32>n.lastSeq, seq);
    if (gap == 0) return; // a repeated frame says nothing new
    if (isRestart(gap)) {
      n.window = 1;
      n.span = 1;
    } else {
      n.window = <u16>slideWindow(<u32>n.window, gap);
      n.span = <u8>slideSpan(<u32>n.span, gap);
    }
  }
  n.lastSeq = <u16>seq;
  n.heardMs = now;
  n.txFails = 0;
  n.intervalMs = <u16>helloInterval(payload);
  n.rssi = <i8>clampRssi(rssi);
  const ours = helloQualityOf(payload, s.rx.len, s.self);
  const was = n.bidirectional && !fresh;
  n.bidirectional = ours >= 0;
  n.outQ = ours >= 0 ? <u8>ours : 0;
  if (fresh) neighbourUp(s, id);
  if (n.bidirectional && !was) neighbourUsable(s, id);
}
