// Counter slots of the link layer, right after the wire layer's.

import { defineCounterBlock } from "../core/counters";
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
  // In slot order from LINK_HELLO_TX:
  // - link.table.full: a new neighbour was heard but the table had no entry worth evicting.
  // - link.tx.err/fail: the radio refused a frame (`send` < 0) / the host reported a failed
  //   transmission.
  // - link.rx.ignored: a valid link frame not meant for this node, or whose header source
  //   is not its sender.
  defineCounterBlock(LINK_HELLO_TX, "link.hello.tx link.hello.rx link.ping.tx link.ping.rx link.pong.tx link.pong.rx link.neighbour.up link.neighbour.down link.table.full link.tx.err link.tx.fail link.rx.ignored");
  // Slots +12 and +13 stay unnamed. From LINK_RESTART:
  // - link.restart: a hello carried a new boot epoch: the neighbour restarted (reported as
  //   down, then up).
  // - link.tx.giveup: transmissions to a neighbour failed `link_fail_limit` times in a row:
  //   it was dropped.
  defineCounterBlock(LINK_RESTART, "link.restart link.tx.giveup");
}

export const LINK_COUNTERS_END: i32 = WIRE_COUNTERS_END + 16;
