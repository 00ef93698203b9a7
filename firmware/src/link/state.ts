// Everything the link layer remembers, created once by `init`. Protocol code receives this
// struct explicitly instead of reaching for module globals.

import { Config } from "../core/config";
import { Header } from "../wire/header";
import { NeighbourTable } from "./table";
import { NeighbourChanges } from "./changes";

export class LinkState {
  self: u32;
  cfg: Config;
  table: NeighbourTable;
  /** Changes since the node program last handed them on (changes.ts). */
  changes: NeighbourChanges;
  /** Drawn once at boot and sent in every hello, so neighbours can tell a restart. */
  epoch: u32;
  /** Decoded header of the frame being handled. */
  rx: Header = new Header();
  /** Frames are built here; sized to the MTU. */
  tx: StaticArray<u8>;
  /** Records handed to `emit`; the largest is PING_RTT (8 bytes). */
  record: StaticArray<u8> = new StaticArray<u8>(8);

  helloSeq: u32 = 0;
  pingSeq: u32 = 0;
  pongSeq: u32 = 0;
  nextHelloMs: u32 = 0;
  nextPingMs: u32 = 0;
  /** Where the next truncated hello listing starts (only when the table outgrows a frame). */
  helloCursor: i32 = 0;
  /** Round-robin position of periodic pings. */
  pingCursor: i32 = 0;

  constructor(self: u32, cfg: Config, epoch: u32) {
    this.self = self;
    this.cfg = cfg;
    this.epoch = epoch & 0xffff;
    this.table = new NeighbourTable(<i32>cfg.neighbourCapacity);
    // One call changes at most every entry (all expire) plus a few from one hello.
    this.changes = new NeighbourChanges(<i32>cfg.neighbourCapacity + 4);
    this.tx = new StaticArray<u8>(<i32>cfg.mtu);
  }

  get txPtr(): usize {
    return changetype<usize>(this.tx);
  }

  get recordPtr(): usize {
    return changetype<usize>(this.record);
  }
}
