// The default node program: neighbour discovery and ping/echo. It exports exactly the ABI
// of docs/abi.md and forwards each call to the layers. All state is created by `init`;
// after that no export allocates, which the host checks through `heap_top`.

import * as hal from "../src/hal";
import { InitError, InspectWhat, LogLevel, NO_DEADLINE, SubmitKind, SubmitError } from "../src/hal";
import { allocateOutbox, inbox as inboxPtr, INBOX_SIZE, outbox as outboxPtr, outboxCapacity } from "../src/core/buffers";
import { Config, parseConfig } from "../src/core/config";
import { countersDumpBytes, writeCounters } from "../src/core/counters";
import { logAt, setLogLevel } from "../src/core/log";
import { defineWireCounters } from "../src/wire/counters";
import { receiveFrame } from "../src/wire/receive";
import { defineLinkCounters } from "../src/link/counters";
import { neighboursDumpBytes, writeNeighbours } from "../src/link/dump";
import { linkEvent, linkFrame, linkStart, linkSubmitPing, linkTick } from "../src/link/link";
import { LinkState } from "../src/link/state";

export const ABI_VERSION: i32 = hal.ABI_VERSION;

/** Frames are not authenticated yet; a tagged frame is dropped as `wire.drop.tag`. */
const NETWORK_HAS_KEY = false;

// Block header the stub runtime puts in front of every allocation.
const BLOCK_OVERHEAD: usize = sizeof<usize>();

let link: LinkState | null = null;

export function inbox(): u32 {
  return <u32>inboxPtr;
}

export function inbox_size(): u32 {
  return INBOX_SIZE;
}

export function outbox(): u32 {
  return <u32>outboxPtr();
}

/** Allocating zero bytes and freeing them again leaves the stub runtime's bump pointer unchanged. */
export function heap_top(): u32 {
  const p = heap.alloc(0);
  heap.free(p);
  return <u32>(p - BLOCK_OVERHEAD);
}

export function init(node_id: u32, cfg_len: u32): i32 {
  if (link !== null) return InitError.AlreadyInitialised;
  if (cfg_len > INBOX_SIZE) return InitError.MalformedConfig;
  if (node_id == 0 || node_id >= hal.BROADCAST) return InitError.OutOfRange;
  const cfg = new Config();
  const result = parseConfig(inboxPtr, cfg_len, INBOX_SIZE, cfg);
  if (result != 0) return result;
  setLogLevel(cfg.logLevel);
  defineWireCounters();
  defineLinkCounters();
  const s = new LinkState(node_id, cfg);
  allocateOutbox(max(countersDumpBytes(), neighboursDumpBytes(cfg.neighbourCapacity)));
  linkStart(s, hal.now_ms());
  link = s;
  logAt(LogLevel.Info, "node ready");
  return 0;
}

export function on_frame(src: u32, len: u32, rssi: i32): void {
  if (link === null) return;
  const s = link!;
  if (receiveFrame(inboxPtr, len, s.cfg.mtu, NETWORK_HAS_KEY, s.rx)) {
    linkFrame(s, inboxPtr, src, rssi, hal.now_ms());
  }
}

export function on_link(event: u32, peer: u32): void {
  if (link === null) return;
  linkEvent(link!, event, peer);
}

export function submit(kind: u32, len: u32): i32 {
  if (link === null) return SubmitError.UnknownKind;
  if (len > INBOX_SIZE) return SubmitError.BadLength;
  if (kind == SubmitKind.Ping) return linkSubmitPing(link!, inboxPtr, len, hal.now_ms());
  return SubmitError.UnknownKind;
}

export function tick(now: u32): u32 {
  if (link === null) return NO_DEADLINE;
  return linkTick(link!, now);
}

export function inspect(what: u32): u32 {
  if (link === null) return 0;
  if (what == InspectWhat.Counters) return writeCounters(outboxPtr(), outboxCapacity());
  if (what == InspectWhat.Neighbours) return writeNeighbours(link!, outboxPtr(), outboxCapacity(), hal.now_ms());
  return 0;
}
