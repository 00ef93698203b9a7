// Everything the work package manager remembers, created once by `init` (only when
// `orch_enable` is 1): the package pool, the reservations of outstanding ACCEPTs, the
// duplicate filter and the scratch for control frames and records.

import { StepState } from "../infer/exec/state";
import { OrchConfig } from "./config";
import { Reservation, WorkPackage } from "./package";
import { SeenCache } from "./seen";

export class OrchState {
  self: u32;
  cfg: OrchConfig;
  pool: StaticArray<WorkPackage>;
  reservations: StaticArray<Reservation>;
  seen: SeenCache;
  /** Control frame payloads and ORCH_FAILED records. */
  scratch: StaticArray<u8> = new StaticArray<u8>(8);
  nextCounter: u32;
  nextOrder: u32 = 0;
  /** The node's model step, when it holds one: it computes the steps loaded here (model.ts). */
  model: StepState | null = null;

  constructor(self: u32, cfg: OrchConfig, firstCounter: u32) {
    this.self = self;
    this.cfg = cfg;
    const n = <i32>cfg.packages;
    const pool = new StaticArray<WorkPackage>(n);
    const res = new StaticArray<Reservation>(n);
    for (let i = 0; i < n; i++) {
      pool[i] = new WorkPackage(cfg.payloadBytes);
      res[i] = new Reservation();
    }
    this.pool = pool;
    this.reservations = res;
    this.seen = new SeenCache(<i32>cfg.seen);
    this.nextCounter = firstCounter == 0 ? 1 : firstCounter & 0xffff;
  }

  get scratchPtr(): usize { return changetype<usize>(this.scratch); }
}
