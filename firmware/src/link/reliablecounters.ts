// Counter slots of hop-by-hop reliability (link/reliable.ts). The route layer's counters
// follow the link layer's (LINK_COUNTERS_END .. +32); this block comes after that reserve.

import { defineCounterBlock } from "../core/counters";
import { LINK_COUNTERS_END } from "./counters";

export const RELIABLE_COUNTERS_BASE: i32 = LINK_COUNTERS_END + 32;

export const LINK_ACK_TX: i32 = RELIABLE_COUNTERS_BASE + 0;
export const LINK_ACK_RX: i32 = RELIABLE_COUNTERS_BASE + 1;
export const LINK_ACK_STRAY: i32 = RELIABLE_COUNTERS_BASE + 2;
export const LINK_RETX: i32 = RELIABLE_COUNTERS_BASE + 3;
export const LINK_RETX_FAIL: i32 = RELIABLE_COUNTERS_BASE + 4;
export const LINK_DUP: i32 = RELIABLE_COUNTERS_BASE + 5;
export const LINK_POOL_FULL: i32 = RELIABLE_COUNTERS_BASE + 6;
export const LINK_RX_BUSY: i32 = RELIABLE_COUNTERS_BASE + 7;

export function defineReliableCounters(): void {
  // In slot order from LINK_ACK_TX:
  // - link.ack.tx/rx/stray: LINK_ACKs sent / matched to a held frame / matching nothing
  //   (late, after a resend).
  // - link.retx/retx.fail: ACK_REQ frames sent again / given up after the last retry.
  // - link.dup: ACK_REQ frames received again: acknowledged, not handed up.
  // - link.pool.full: linkSend refused an ACK_REQ frame: every retransmission slot was taken.
  // - link.rx.busy: an ACK_REQ frame to forward was left unacknowledged (no slot to hold
  //   it), so the neighbour resends it later: backpressure instead of a silent drop.
  defineCounterBlock(LINK_ACK_TX, "link.ack.tx link.ack.rx link.ack.stray link.retx link.retx.fail link.dup link.pool.full link.rx.busy");
}

export const RELIABLE_COUNTERS_END: i32 = RELIABLE_COUNTERS_BASE + 8;
