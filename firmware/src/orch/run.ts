// How a step is computed on this node. A simulated step only declares its work: its cost in
// work units (`orch_step_cost`), computed in slices of at most `orch_slice_cost` through
// `compute`, so the simulator advances the node's clock by its board's cost model and the node
// still answers frames between slices. The payload passes through unchanged.

import { compute } from "../hal";
import { WorkPackage } from "./package";
import { OrchState } from "./state";

/** Prepares `p` to run its next step here. */
export function startStep(o: OrchState, p: WorkPackage): void {
  p.remaining = o.cfg.stepCost;
}

/** Computes one slice of `p`'s step. True when the step is done (its output is `p`'s payload). */
export function runSlice(o: OrchState, p: WorkPackage): bool {
  const slice = p.remaining < o.cfg.sliceCost ? p.remaining : o.cfg.sliceCost;
  if (slice > 0) {
    compute(slice);
    p.remaining -= slice;
  }
  return p.remaining == 0;
}
