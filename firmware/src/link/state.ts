// Everything the link layer remembers, created once by `init`. Protocol code receives this
// struct explicitly instead of reaching for module globals.

import { Config } from "../core/config";
import { Header } from "../wire/header";
import { NeighbourTable } from "./table";

export class LinkState {
  self: u32;
  cfg: Config;
  table: NeighbourTable;
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

  constructor(self: u32, cfg: Config) {
    this.self = self;
    this.cfg = cfg;
    this.table = new NeighbourTable(<i32>cfg.neighbourCapacity);
    this.tx = new StaticArray<u8>(<i32>cfg.mtu);
  }

  get txPtr(): usize {
    return changetype<usize>(this.tx);
  }

  get recordPtr(): usize {
    return changetype<usize>(this.record);
  }
}
