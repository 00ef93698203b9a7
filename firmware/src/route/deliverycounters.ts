// Counter slots of message delivery (fragment.ts, reassembly.ts), after the hop-by-hop block.

import { defineCounterBlock } from "../core/counters";
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
  // In slot order from MSG_TX:
  // - msg.tx/done/fail: sender: messages started / confirmed delivered / given up
  //   (SEND_DONE status != 0). msg.rx: receiver: messages handed to the application (DELIVERED).
  // - frag.tx/retx/rx/dup: data frames (FRAG or one-frame APP_DATA) sent, of which resent
  //   end to end; received new, received again. frag.done: fragmented messages reassembled
  //   completely. frag.ack.tx/rx.
  // - frag.drop.busy/big/stale/bad/timeout: receiver refusals: no reassembly buffer free /
  //   message larger than a buffer / fragment of a message its sender abandoned / fragment
  //   that contradicts its message's first one / reassembly given up after no progress.
  // - frag.drop.ack: a FRAG_ACK that matches no message being sent (late or duplicate).
  defineCounterBlock(MSG_TX, "msg.tx msg.done msg.fail msg.rx frag.tx frag.retx frag.rx frag.dup frag.done frag.ack.tx frag.ack.rx frag.drop.busy frag.drop.big frag.drop.stale frag.drop.bad frag.drop.timeout frag.drop.ack");
}

export const DELIVERY_COUNTERS_END: i32 = BASE + 17;
