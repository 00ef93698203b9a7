// Counter slots of message delivery (fragment.ts, reassembly.ts), after the hop-by-hop block.

import { defineCounter } from "../core/counters";
import { RELIABLE_COUNTERS_END } from "../link/reliablecounters";

const BASE: i32 = RELIABLE_COUNTERS_END;

export const MSG_TX: i32 = BASE + 0;
export const MSG_DONE: i32 = BASE + 1;
export const MSG_FAIL: i32 = BASE + 2;
export const MSG_RX: i32 = BASE + 3;
export const FRAG_TX: i32 = BASE + 4;
export const FRAG_RETX: i32 = BASE + 5;
export const FRAG_RX: i32 = BASE + 6;
export const FRAG_DUP: i32 = BASE + 7;
export const FRAG_DONE: i32 = BASE + 8;
export const FRAG_ACK_TX: i32 = BASE + 9;
export const FRAG_ACK_RX: i32 = BASE + 10;
export const FRAG_DROP_BUSY: i32 = BASE + 11;
export const FRAG_DROP_BIG: i32 = BASE + 12;
export const FRAG_DROP_STALE: i32 = BASE + 13;
export const FRAG_DROP_BAD: i32 = BASE + 14;
export const FRAG_DROP_TIMEOUT: i32 = BASE + 15;
export const FRAG_DROP_ACK: i32 = BASE + 16;

export function defineDeliveryCounters(): void {
  // Sender: messages started / confirmed delivered / given up (SEND_DONE status != 0).
  defineCounter(MSG_TX, "msg.tx");
  defineCounter(MSG_DONE, "msg.done");
  defineCounter(MSG_FAIL, "msg.fail");
  // Receiver: messages handed to the application (DELIVERED).
  defineCounter(MSG_RX, "msg.rx");
  // Data frames (FRAG or one-frame APP_DATA) sent, of which resent end to end; received
  // new, received again.
  defineCounter(FRAG_TX, "frag.tx");
  defineCounter(FRAG_RETX, "frag.retx");
  defineCounter(FRAG_RX, "frag.rx");
  defineCounter(FRAG_DUP, "frag.dup");
  // Fragmented messages reassembled completely.
  defineCounter(FRAG_DONE, "frag.done");
  defineCounter(FRAG_ACK_TX, "frag.ack.tx");
  defineCounter(FRAG_ACK_RX, "frag.ack.rx");
  // Receiver refusals: no reassembly buffer free / message larger than a buffer / fragment
  // of a message its sender abandoned / fragment that contradicts its message's first one /
  // reassembly given up after no progress.
  defineCounter(FRAG_DROP_BUSY, "frag.drop.busy");
  defineCounter(FRAG_DROP_BIG, "frag.drop.big");
  defineCounter(FRAG_DROP_STALE, "frag.drop.stale");
  defineCounter(FRAG_DROP_BAD, "frag.drop.bad");
  defineCounter(FRAG_DROP_TIMEOUT, "frag.drop.timeout");
  // A FRAG_ACK that matches no message being sent (late or duplicate).
  defineCounter(FRAG_DROP_ACK, "frag.drop.ack");
}

export const DELIVERY_COUNTERS_END: i32 = BASE + 17;
