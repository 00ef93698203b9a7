// Real model steps (docs/orchestration.md, "Real model steps"): on a node that also holds a
// model step (`infer_step` 1, docs/steps.md), the orchestration steps it has loaded are computed
// by that layer range instead of being simulated. A node holds one range, so a run of
// consecutive loaded steps (say 2..3) is that one range: one model run computes all of them,
// and such a node takes packages only for the run's first step, whose input is the range's.
// The payload goes into the step's input buffer, the run advances one tick's slices at a time
// (the exec's slicing, declared with `compute`), and the output tensor becomes the payload.

import { InferStatus } from "../hal";
import { advanceRun, runFrom } from "../infer/exec/run";
import { StepState } from "../infer/exec/state";
import { STEP_MAX } from "../wire/orch";
import { OrchConfig } from "./config";
import { runStarts, stepLoaded, stepsHere } from "./decide";
import { PkgState, WorkPackage } from "./package";
import { FailReason, failPackage } from "./records";
import { OrchState } from "./state";

/** A package's payload can carry the model step's input and its output (checked by `init`). */
export function payloadHolds(c: OrchConfig, s: StepState): bool {
  return s.inBytes <= c.payloadBytes && s.outBytes <= c.payloadBytes;
}

/** The steps this node offers to take: those loaded, but with a model step only where a run of them begins. */
export function offerSteps(o: OrchState): u32 {
  return o.model === null ? o.cfg.steps : runStarts(o.cfg.steps);
}

/**
 * Checks that the model can compute `p`'s next step: it must begin a run of loaded steps, `p`
 * must need every step of that run (the range computes them all), and its payload must be the
 * range's input. Otherwise the package fails with BadInput. `p.remaining` keeps the number of
 * steps the run covers, so a mask changed meanwhile does not change what was computed.
 */
export function startModelStep(o: OrchState, p: WorkPackage): void {
  const mask = o.cfg.steps;
  // A package queued before its step was unloaded here still runs it, as a simulated step would.
  const covered = max<u32>(1, stepsHere(mask, p.next, STEP_MAX));
  const begins = !stepLoaded(mask, p.next - 1);
  if (!begins || p.next + covered - 1 > p.last || p.len != o.model!.inBytes) {
    failPackage(o, p, FailReason.BadInput);
    return;
  }
  p.remaining = covered;
}

/**
 * One tick's slices of the model run for `p`. True when the run is done: the output tensor is
 * now `p`'s payload and `p.next` the last step it covered. False while it runs, while a run the
 * host submitted holds the model (it starts after that one), and when the package was given up
 * (its slot is free then): by `startModelStep`, or here with StepError when the run failed.
 */
export function modelSlice(o: OrchState, p: WorkPackage): bool {
  if (p.state != PkgState.Running) return false;
  const s = o.model!;
  // Only one package runs here at a time, so a run under way that the host did not submit is p's.
  if (!s.running || s.host) {
    if (s.running) return false;
    if (runFrom(s, p.payloadPtr, p.len, false) != 0) {
      failPackage(o, p, FailReason.BadInput);
      return false;
    }
  }
  if (advanceRun(s)) return false;
  if (s.status != InferStatus.Ok) {
    failPackage(o, p, FailReason.StepError);
    return false;
  }
  memory.copy(p.payloadPtr, s.outAddr, s.outBytes);
  p.len = s.outBytes;
  p.next += p.remaining - 1;
  p.remaining = 0;
  return true;
}
