// Everything the lifecycle remembers, created once by `init` in tree mode. About 200 bytes:
// the event ring, the candidates of the last scan and a few scalars (children live in the
// route layer's TreeNeighbours).

import { rand, WIFI_DEPTH_NONE } from "../hal";
import { Config } from "../core/config";
import { LinkState } from "../link/state";
import { TreeNeighbours } from "../route/neighbours";
import { RouteState } from "../route/state";
import { Candidates } from "./candidates";
import { EventRing } from "./ring";
import { State } from "./states";

/** The one bounded wait of the current step. */
export const enum Step { None = 0, Scan = 1, Retry = 2, Join = 3, Register = 4 }
/** The bound on the current recovery phase, running beside the steps. */
export const enum Phase { None = 0, Recovery = 1, Await = 2 }

/** Bytes of the STATE emit record (docs/abi.md). */
export const STATE_RECORD_BYTES: u32 = 6;

export class Lifecycle {
  self: u32;
  cfg: Config;
  link: LinkState;
  route: RouteState;
  tree: TreeNeighbours;
  ring: EventRing;
  cands: Candidates;
  record: StaticArray<u8> = new StaticArray<u8>(8);

  state: u32 = State.Init;
  /** Depth we advertise: 0 at the root, WIFI_DEPTH_NONE while not attached. */
  depth: u32 = WIFI_DEPTH_NONE;
  /** Depth while last attached (kept through Recovery Await). */
  lastDepth: u32 = WIFI_DEPTH_NONE;
  /** The root of our tree (from the parent's JOIN_ACCEPT / TREE_STATUS), 0 = unknown. */
  root: u32 = 0;
  /** The safeguard's view of the root in the parent's updates. */
  rootUp: bool = true;

  /** The candidate being joined and the token of our JOIN_REQ to it. */
  joining: u32 = 0;
  token: u32 = 0;
  step: u32 = Step.None;
  stepAt: u32 = 0;
  phase: u32 = Phase.None;
  phaseAt: u32 = 0;
  /** Wait before the next scan after one found nothing; doubles up to `tree_scan_retry_max_ms`. */
  backoff: u32;

  /** Sequence number of our TREE_STATUS messages, and the last one heard from the parent. */
  statusSeq: u32 = 0;
  parentSeq: u32 = 0;
  /** Fields of the JOIN_ACCEPT or TREE_STATUS that produced the event being handled. */
  pendDepth: u32 = 0;
  pendRoot: u32 = 0;
  pendSeq: u32 = 0;

  /** ANNOUNCE sent since boot (the first join only). */
  announced: bool = false;
  /**
   * Header sequence number of lifecycle frames; starts at random, so that a parent's duplicate
   * cache does not take our first frames after a reboot for repeats of the last life's.
   */
  txSeq: u32;

  constructor(self: u32, cfg: Config, link: LinkState, route: RouteState, tree: TreeNeighbours) {
    this.self = self;
    this.cfg = cfg;
    this.link = link;
    this.route = route;
    this.tree = tree;
    this.ring = new EventRing();
    this.cands = new Candidates(<i32>cfg.treeMaxJoinAttempts);
    this.backoff = cfg.treeScanRetryMs;
    this.txSeq = rand() & 0xffff;
  }

  get recordPtr(): usize {
    return changetype<usize>(this.record);
  }

  get isRoot(): bool {
    return this.cfg.treeRoot != 0;
  }
}
