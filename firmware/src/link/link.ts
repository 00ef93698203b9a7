// Entry points of the link layer: the node program forwards ABI calls here.

import { LinkEvent, rand, SubmitError } from "../hal";
import { before, getU16 } from "../core/bytes";
import { count } from "../core/counters";
import { HEADER_SIZE, MsgType } from "../wire/format";
import { jitteredInterval, receiveHello, sendHello } from "./beacon";
import { LINK_RX_IGNORED, LINK_TX_FAIL, LINK_TX_GIVEUP } from "./counters";
import { receivePing, receivePong, sendPing } from "./echo";
import { neighbourDown } from "./events";
import { LinkState } from "./state";

/** Schedules the first beacon at a random point of the first interval, to desynchronise boots. */
export function linkStart(s: LinkState, now: u32): void {
  s.nextHelloMs = now + rand() % s.cfg.helloIntervalMs;
  s.nextPingMs = now + s.cfg.pingIntervalMs;
}

/** A frame the wire layer accepted (header in `s.rx`) from neighbour `sender`. */
export function linkFrame(s: LinkState, frame: usize, sender: u32, rssi: i32, now: u32): void {
  // Link messages travel one hop, so their originator must be the neighbour that sent them.
  if (s.rx.src != sender) {
    count(LINK_RX_IGNORED);
    return;
  }
  const type = s.rx.type;
  if (type == MsgType.Hello) {
    receiveHello(s, frame + HEADER_SIZE, rssi, now);
    return;
  }
  if (s.rx.dst != s.self) {
    count(LINK_RX_IGNORED);
    return;
  }
  if (type == MsgType.Ping) receivePing(s, frame, sender);
  else if (type == MsgType.Pong) receivePong(s, frame, now);
}

export function linkEvent(s: LinkState, event: u32, peer: u32): void {
  if (event == LinkEvent.TxFailed) {
    count(LINK_TX_FAIL);
    txFailed(s, peer);
  } else if (event == LinkEvent.Down) {
    const i = s.table.find(peer);
    if (i >= 0) {
      s.table.removeAt(i);
      neighbourDown(s, peer);
    }
  }
  // LinkEvent.Up: the neighbour is admitted by its first hello, as over a broadcast radio.
}

/**
 * A transmission to `peer` failed. After `link_fail_limit` failures in a row with no hello in
 * between, the link is taken as broken and the neighbour leaves the table; its next hello
 * brings it back. (One lost frame must not cost a neighbour, a dead link must not wait for the
 * neighbour timeout.)
 */
function txFailed(s: LinkState, peer: u32): void {
  const limit = s.cfg.linkFailLimit;
  if (limit == 0) return;
  const i = s.table.find(peer);
  if (i < 0) return;
  const n = s.table.at(i);
  if (<u32>n.txFails + 1 < limit) {
    n.txFails++;
    return;
  }
  count(LINK_TX_GIVEUP);
  s.table.removeAt(i);
  neighbourDown(s, peer);
}

/**
 * Neighbour `peer` acknowledged a frame of ours (a LINK_ACK, link/reliable.ts): frames do get
 * through to it, so the failures counted before were losses, not a broken link. Busy links
 * see many losses between two hellos; this keeps them from being dropped for it.
 */
export function linkAcked(s: LinkState, peer: u32): void {
  const i = s.table.find(peer);
  if (i >= 0) s.table.at(i).txFails = 0;
}

/** `submit(PING)`: `data` holds `dst:u16`. */
export function linkSubmitPing(s: LinkState, data: usize, len: u32, now: u32): i32 {
  if (len != 2) return SubmitError.BadLength;
  const dst = <u32>getU16(data, 0);
  if (s.table.find(dst) < 0) return SubmitError.NotNeighbour;
  return sendPing(s, dst, now) < 0 ? SubmitError.Refused : 0;
}

function expire(s: LinkState, now: u32): void {
  const t = s.table;
  // Backwards, because removal moves the last entry (already checked) into the gap.
  for (let i = t.size - 1; i >= 0; i--) {
    const n = t.at(i);
    if (now - n.heardMs >= s.cfg.neighbourTimeoutMs) {
      const id = <u32>n.id;
      t.removeAt(i);
      neighbourDown(s, id);
    }
  }
}

function untilNext(s: LinkState, now: u32): u32 {
  let deadline = s.nextHelloMs;
  if (s.cfg.pingIntervalMs != 0 && before(s.nextPingMs, deadline)) deadline = s.nextPingMs;
  const t = s.table;
  for (let i = 0; i < t.size; i++) {
    const expiry = t.at(i).heardMs + s.cfg.neighbourTimeoutMs;
    if (before(expiry, deadline)) deadline = expiry;
  }
  return before(deadline, now) ? 0 : deadline - now;
}

/** Does whatever is due at `now`; returns ms until the next due action. */
export function linkTick(s: LinkState, now: u32): u32 {
  expire(s, now);
  if (!before(now, s.nextHelloMs)) {
    sendHello(s, now);
    s.nextHelloMs = now + jitteredInterval(s.cfg.helloIntervalMs, rand());
  }
  if (s.cfg.pingIntervalMs != 0 && !before(now, s.nextPingMs)) {
    const size = s.table.size;
    if (size > 0) {
      const i = s.pingCursor % size;
      sendPing(s, <u32>s.table.at(i).id, now);
      s.pingCursor = i + 1;
    }
    s.nextPingMs = now + s.cfg.pingIntervalMs;
  }
  return untilNext(s, now);
}
