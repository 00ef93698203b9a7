// Counter slots of the route layer: a block of 32 right after the link layer's.

import { defineCounter } from "../core/counters";
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
  // ROUTE_UPDATE frames sent and their bytes; updates issued, full and partial.
  defineCounter(ROUTE_ADV_TX, "route.adv.tx");
  defineCounter(ROUTE_ADV_BYTES, "route.adv.bytes");
  defineCounter(ROUTE_ADV_FULL, "route.adv.full");
  defineCounter(ROUTE_ADV_PARTIAL, "route.adv.partial");
  // ROUTE_UPDATE frames received / ignored (not from a usable neighbour, or not a one-hop broadcast).
  defineCounter(ROUTE_ADV_RX, "route.adv.rx");
  defineCounter(ROUTE_ADV_IGNORED, "route.adv.ignored");
  // Significant changes of the table; routes invalidated because their next hop was lost.
  defineCounter(ROUTE_CHANGES, "route.changes");
  defineCounter(ROUTE_INVALIDATED, "route.invalidated");
  defineCounter(ROUTE_TABLE_FULL, "route.table.full");
  // Frames originated by routeSend / forwarded for others / delivered to this node.
  defineCounter(ROUTE_TX, "route.tx");
  defineCounter(ROUTE_FWD, "route.fwd");
  defineCounter(ROUTE_DELIVER, "route.deliver");
  defineCounter(ROUTE_DROP_HOPS, "route.drop.hops");
  defineCounter(ROUTE_DROP_NOROUTE, "route.drop.noroute");
  defineCounter(ROUTE_DROP_HOLDDOWN, "route.drop.holddown");
  // linkSend refused a frame of the route layer.
  defineCounter(ROUTE_TX_ERR, "route.tx.err");
  // Network-wide broadcasts originated / received first time / duplicates dropped /
  // rebroadcast / rebroadcast at once because the jitter slot was taken.
  defineCounter(ROUTE_FLOOD_TX, "route.flood.tx");
  defineCounter(ROUTE_FLOOD_RX, "route.flood.rx");
  defineCounter(ROUTE_FLOOD_DUP, "route.flood.dup");
  defineCounter(ROUTE_FLOOD_FWD, "route.flood.fwd");
  defineCounter(ROUTE_FLOOD_BUSY, "route.flood.busy");
  // A frame for this node of a type no layer handles.
  defineCounter(ROUTE_RX_UNHANDLED, "route.rx.unhandled");
  // The network held a newer sequence number for this node (e.g. after a restart): raised past it.
  defineCounter(ROUTE_SEQ_SUPERSEDED, "route.seq.superseded");
  // The link layer's change ring overflowed: routes were checked against the neighbour table.
  defineCounter(ROUTE_RESYNC, "route.resync");
  // Sequence-number requests sent (seqreq.ts).
  defineCounter(ROUTE_SEQREQ_TX, "route.seqreq.tx");
}

export const ROUTE_COUNTERS_END: i32 = BASE + 32;
