// Everything the route layer remembers, created once by `init`.

import { Config } from "../core/config";
import { Header } from "../wire/header";
import { LinkState } from "../link/state";
import { FloodCache, FloodQueue } from "./flood";
import { NeighbourSet } from "./neighbours";
import { RouteTable } from "./table";
import { Trickle } from "./trickle";

export class RouteState {
  self: u32;
  cfg: Config;
  link: LinkState;
  /** Which neighbours may be next hops, at what cost (neighbours.ts). */
  nb: NeighbourSet;
  table: RouteTable;
  /** The header of the frame being handled: the one the wire layer decoded into. */
  rx: Header;
  /**
   * Every frame the route layer sends is built here: updates, originated and forwarded frames.
   * It is the link layer's transmit buffer: nothing in it survives a call (an update in
   * progress is rebuilt from the table, linkSend copies what it must keep) and no layer builds
   * a frame while another's is half built, so one MTU-sized buffer serves both layers.
   */
  tx: StaticArray<u8>;
  /** Payload scratch (routed pings) and emit records. */
  scratch: StaticArray<u8> = new StaticArray<u8>(16);

  /** Our own destination sequence number: the last one issued (even). */
  ownSeq: u32 = 0;
  /**
   * Our own situation changed since our last update (a link came or went, the network held a
   * newer number for us, hold-down ended): the next update issues a new number. Updates that
   * only pass on other destinations' news repeat it (docs/routing.md, "Sequence numbers").
   */
  news: bool = true;
  /** Header sequence numbers: of ROUTE_UPDATE frames, and of frames originated by routeSend. */
  advSeq: u32 = 0;
  dataSeq: u32 = 0;
  pingSeq: u32 = 0;

  trickle: Trickle;
  /** After boot, no multi-hop route is learnt and nothing forwarded until this time. */
  holding: bool = true;
  holddownUntil: u32 = 0;

  /** A triggered partial update is due at `partialAt`. */
  partialDue: bool = false;
  partialAt: u32 = 0;
  lastPartialMs: u32 = 0;
  /** The next update asks the neighbours for their tables. */
  solicitNext: bool = false;

  /** An update being sent frame by frame (the radio queue may take only part of it at once). */
  sending: bool = false;
  sendFull: bool = false;
  sendFlags: u32 = 0;
  cursor: i32 = 0;
  resumeAt: u32 = 0;

  /** Digest of the reachable set (advert.ts); recomputed when `digestDirty`. */
  digest: u32 = 0;
  digestDirty: bool = true;

  floodSeen: FloodCache;
  floodQueue: FloodQueue;

  constructor(self: u32, cfg: Config, link: LinkState, nb: NeighbourSet) {
    this.self = self;
    this.cfg = cfg;
    this.link = link;
    this.nb = nb;
    this.rx = link.rx;
    this.table = new RouteTable(<i32>cfg.routeCapacity);
    this.tx = link.tx;
    this.trickle = new Trickle(cfg.trickleIminMs, cfg.trickleDoublings, cfg.trickleK);
    this.floodSeen = new FloodCache(<i32>cfg.floodCache);
    this.floodQueue = new FloodQueue(cfg.mtu);
  }

  get txPtr(): usize {
    return changetype<usize>(this.tx);
  }

  get scratchPtr(): usize {
    return changetype<usize>(this.scratch);
  }

  /** Hold-down length: `holddown_ms`, or the neighbour timeout when 0. */
  get holddownMs(): u32 {
    return this.cfg.holddownMs != 0 ? this.cfg.holddownMs : this.cfg.neighbourTimeoutMs;
  }
}
