// How a step is computed on this node. A simulated step only declares its work: its cost in
// work units (`orch_step_costs` for that step, else `orch_step_cost`, varied by
// ±`orch_cost_jitter_pct` so durations are not all alike), computed in slices of at most `orch_slice_cost` through
// `compute`, so the simulator advances the node's clock by its board's cost model and the node
// still answers frames between slices. The payload passes through unchanged, or takes the size
// `orch_step_bytes` gives the step's output (a stand-in activation). A node that also
// holds a model step computes its steps with it instead (model.ts).

import { compute, rand } from "../hal";
import { stepBytes, stepCost } from "./config";
import { modelSlice, startModelStep } from "./model";
import { WorkPackage } from "./package";
import { OrchState } from "./state";

/** `cost` varied uniformly by ±`pct` percent, `random` a uniform u32. Pure. */
export function jitteredCost(cost: u32, pct: u32, random: u32): u32 {
  if (pct == 0 || cost == 0) return cost;
  const span = <u64>cost * <u64>pct / 100;
  // random in [0, 2^32) maps to an offset in [-span, +span].
  const offset = <i64>((<u64>random * (2 * span + 1)) >> 32) - <i64>span;
  return <u32>(<i64>cost + offset);
}

/** Prepares `p` to run its next step here. */
export function startStep(o: OrchState, p: WorkPackage): void {
  if (o.model !== null) {
    startModelStep(o, p);
    return;
  }
  p.remaining = jitteredCost(stepCost(o.cfg, p.next), o.cfg.costJitterPct, rand());
}

/** Computes one slice of `p`'s step. True when the step is done (its output is `p`'s payload). */
export function runSlice(o: OrchState, p: WorkPackage): bool {
  if (o.model !== null) return modelSlice(o, p);
  const slice = p.remaining < o.cfg.sliceCost ? p.remaining : o.cfg.sliceCost;
  if (slice > 0) {
    compute(slice);
    p.remaining -= slice;
  }
  if (p.remaining != 0) return false;
  resizePayload(p, stepBytes(o.cfg, p.next));
  return true;
}

/**
 * A simulated step's output of `bytes` (0 = unchanged): the payload cut to that size, or grown
 * with bytes that depend on their position, so repeats and corruption stay detectable.
 */
function resizePayload(p: WorkPackage, bytes: u32): void {
  if (bytes == 0) return;
  const base = p.payloadPtr;
  for (let i = p.len; i < bytes; i++) store<u8>(base + i, <u8>(i * 31 + p.next));
  p.len = bytes;
}
