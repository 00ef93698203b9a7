// Counter slots of the route layer: a block of 32 right after the link layer's.

import { defineCounterBlock } from "../core/counters";
import { LINK_COUNTERS_END } from "../link/counters";

const BASE: i32 = LINK_COUNTERS_END;

export const ROUTE_ADV_TX: i32 = BASE + 0;
export const ROUTE_ADV_BYTES: i32 = BASE + 1;
export const ROUTE_ADV_FULL: i32 = BASE + 2;
export const ROUTE_ADV_PARTIAL: i32 = BASE + 3;
export const ROUTE_ADV_RX: i32 = BASE + 4;
export const ROUTE_ADV_IGNORED: i32 = BASE + 5;
export const ROUTE_CHANGES: i32 = BASE + 6;
export const ROUTE_INVALIDATED: i32 = BASE + 7;
export const ROUTE_TABLE_FULL: i32 = BASE + 8;
export const ROUTE_TX: i32 = BASE + 9;
export const ROUTE_FWD: i32 = BASE + 10;
export const ROUTE_DELIVER: i32 = BASE + 11;
export const ROUTE_DROP_HOPS: i32 = BASE + 12;
export const ROUTE_DROP_NOROUTE: i32 = BASE + 13;
export const ROUTE_DROP_HOLDDOWN: i32 = BASE + 14;
export const ROUTE_TX_ERR: i32 = BASE + 15;
export const ROUTE_FLOOD_TX: i32 = BASE + 16;
export const ROUTE_FLOOD_RX: i32 = BASE + 17;
export const ROUTE_FLOOD_DUP: i32 = BASE + 18;
export const ROUTE_FLOOD_FWD: i32 = BASE + 19;
export const ROUTE_FLOOD_BUSY: i32 = BASE + 20;
export const ROUTE_RX_UNHANDLED: i32 = BASE + 21;
export const ROUTE_SEQ_SUPERSEDED: i32 = BASE + 22;
export const ROUTE_RESYNC: i32 = BASE + 23;
export const ROUTE_SEQREQ_TX: i32 = BASE + 24;


export function defineRouteCounters(): void {
  // In slot order from ROUTE_ADV_TX:
  // - route.adv.tx/bytes/full/partial: ROUTE_UPDATE frames sent and their bytes; updates
  //   issued, full and partial. route.adv.rx/ignored: ROUTE_UPDATE frames received /
  //   ignored (not from a usable neighbour, or not a one-hop broadcast).
  // - route.changes: significant changes of the table; route.invalidated: routes invalidated
  //   because their next hop was lost.
  // - route.tx/fwd/deliver: frames originated by routeSend / forwarded for others /
  //   delivered to this node. route.tx.err: linkSend refused a frame of the route layer.
  // - route.flood.*: network-wide broadcasts originated / received first time / duplicates
  //   dropped / rebroadcast / rebroadcast at once because the jitter slot was taken.
  // - route.rx.unhandled: a frame for this node of a type no layer handles.
  // - route.seq.superseded: the network held a newer sequence number for this node (e.g.
  //   after a restart): raised past it.
  // - route.resync: the link layer's change ring overflowed: routes were checked against
  //   the neighbour table. route.seqreq.tx: sequence-number requests sent (seqreq.ts).
  defineCounterBlock(ROUTE_ADV_TX, "route.adv.tx route.adv.bytes route.adv.full route.adv.partial route.adv.rx route.adv.ignored route.changes route.invalidated route.table.full route.tx route.fwd route.deliver route.drop.hops route.drop.noroute route.drop.holddown route.tx.err route.flood.tx route.flood.rx route.flood.dup route.flood.fwd route.flood.busy route.rx.unhandled route.seq.superseded route.resync route.seqreq.tx");
}

export const ROUTE_COUNTERS_END: i32 = BASE + 32;
