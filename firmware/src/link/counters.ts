// Counter slots of the link layer, right after the wire layer's.

import { defineCounter } from "../core/counters";
import { WIRE_COUNTERS_END } from "../wire/counters";

export const LINK_HELLO_TX: i32 = WIRE_COUNTERS_END + 0;
export const LINK_HELLO_RX: i32 = WIRE_COUNTERS_END + 1;
export const LINK_PING_TX: i32 = WIRE_COUNTERS_END + 2;
export const LINK_PING_RX: i32 = WIRE_COUNTERS_END + 3;
export const LINK_PONG_TX: i32 = WIRE_COUNTERS_END + 4;
export const LINK_PONG_RX: i32 = WIRE_COUNTERS_END + 5;
export const LINK_NEIGHBOUR_UP: i32 = WIRE_COUNTERS_END + 6;
export const LINK_NEIGHBOUR_DOWN: i32 = WIRE_COUNTERS_END + 7;
export const LINK_TABLE_FULL: i32 = WIRE_COUNTERS_END + 8;
export const LINK_TX_ERR: i32 = WIRE_COUNTERS_END + 9;
export const LINK_TX_FAIL: i32 = WIRE_COUNTERS_END + 10;
export const LINK_RX_IGNORED: i32 = WIRE_COUNTERS_END + 11;
export const LINK_RESTART: i32 = WIRE_COUNTERS_END + 14;
export const LINK_TX_GIVEUP: i32 = WIRE_COUNTERS_END + 15;

export function defineLinkCounters(): void {
  defineCounter(LINK_HELLO_TX, "link.hello.tx");
  defineCounter(LINK_HELLO_RX, "link.hello.rx");
  defineCounter(LINK_PING_TX, "link.ping.tx");
  defineCounter(LINK_PING_RX, "link.ping.rx");
  defineCounter(LINK_PONG_TX, "link.pong.tx");
  defineCounter(LINK_PONG_RX, "link.pong.rx");
  defineCounter(LINK_NEIGHBOUR_UP, "link.neighbour.up");
  defineCounter(LINK_NEIGHBOUR_DOWN, "link.neighbour.down");
  // A new neighbour was heard but the table had no entry worth evicting.
  defineCounter(LINK_TABLE_FULL, "link.table.full");
  // The radio refused a frame (`send` < 0) / the host reported a failed transmission.
  defineCounter(LINK_TX_ERR, "link.tx.err");
  defineCounter(LINK_TX_FAIL, "link.tx.fail");
  // A valid link frame not meant for this node, or whose header source is not its sender.
  defineCounter(LINK_RX_IGNORED, "link.rx.ignored");
  // A hello carried a new boot epoch: the neighbour restarted (reported as down, then up).
  defineCounter(LINK_RESTART, "link.restart");
  // Transmissions to a neighbour failed `link_fail_limit` times in a row: it was dropped.
  defineCounter(LINK_TX_GIVEUP, "link.tx.giveup");
}

export const LINK_COUNTERS_END: i32 = WIRE_COUNTERS_END + 16;
