// Records the link layer hands to the host through `emit` (docs/abi.md, Emit records).

import { emit, EmitKind } from "../hal";
import { count } from "../core/counters";
import { putU16, putU32 } from "../core/bytes";
import { LINK_NEIGHBOUR_DOWN, LINK_NEIGHBOUR_UP } from "./counters";
import { LinkState } from "./state";
import { Change } from "./changes";

export function neighbourUp(s: LinkState, id: u32): void {
  count(LINK_NEIGHBOUR_UP);
  s.changes.push(Change.Up, id);
  putU16(s.recordPtr, 0, id);
  emit(EmitKind.NeighbourUp, s.recordPtr, 2);
}

export function neighbourDown(s: LinkState, id: u32): void {
  count(LINK_NEIGHBOUR_DOWN);
  s.changes.push(Change.Down, id);
  putU16(s.recordPtr, 0, id);
  emit(EmitKind.NeighbourDown, s.recordPtr, 2);
}

/** The neighbour began to list us: the link works both ways (no emit record). */
export function neighbourUsable(s: LinkState, id: u32): void {
  s.changes.push(Change.Usable, id);
}

export function pingRtt(s: LinkState, peer: u32, seq: u32, rttMs: u32): void {
  putU16(s.recordPtr, 0, peer);
  putU16(s.recordPtr, 2, seq);
  putU32(s.recordPtr, 4, rttMs);
  emit(EmitKind.PingRtt, s.recordPtr, 8);
}
