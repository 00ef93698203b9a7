// PING/PONG between neighbours. The pinger's send time travels in the payload and comes
// back unchanged, so the round trip is measured on one clock and needs no pending table.

import { count } from "../core/counters";
import { HEADER_SIZE, MsgType } from "../wire/format";
import { encodeHeader } from "../wire/header";
import { PING_FIXED, pingSentMs, pingSeq, putPing } from "../wire/ping";
import { transmit } from "../wire/send";
import { LINK_PING_RX, LINK_PING_TX, LINK_PONG_RX, LINK_PONG_TX, LINK_TX_ERR } from "./counters";
import { pingRtt } from "./events";
import { LinkState } from "./state";

/** Sends a PING to neighbour `dst`; returns the HAL `send` result. */
export function sendPing(s: LinkState, dst: u32, now: u32): i32 {
  putPing(s.txPtr + HEADER_SIZE, s.pingSeq, now);
  const len = encodeHeader(s.txPtr, MsgType.Ping, 0, 1, s.self, dst, s.pingSeq, PING_FIXED);
  s.pingSeq = (s.pingSeq + 1) & 0xffff;
  const result = transmit(dst, s.txPtr, len);
  if (result < 0) count(LINK_TX_ERR);
  else count(LINK_PING_TX);
  return result;
}

/** A validated PING for us in `frame`: echo its payload back to the sender. */
export function receivePing(s: LinkState, frame: usize, sender: u32): void {
  count(LINK_PING_RX);
  const len = s.rx.len;
  memory.copy(s.txPtr + HEADER_SIZE, frame + HEADER_SIZE, len);
  const frameLen = encodeHeader(s.txPtr, MsgType.Pong, 0, 1, s.self, s.rx.src, s.pongSeq, len);
  s.pongSeq = (s.pongSeq + 1) & 0xffff;
  if (transmit(sender, s.txPtr, frameLen) < 0) count(LINK_TX_ERR);
  else count(LINK_PONG_TX);
}

/** A validated PONG for us in `frame`: report the round trip. */
export function receivePong(s: LinkState, frame: usize, now: u32): void {
  count(LINK_PONG_RX);
  const payload = frame + HEADER_SIZE;
  pingRtt(s, s.rx.src, pingSeq(payload), now - pingSentMs(payload));
}
