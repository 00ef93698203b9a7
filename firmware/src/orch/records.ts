// What the work package manager hands the host: ORCH_RESULT at a package's target (the package
// as it travels: its 16-byte head, then the payload) and ORCH_FAILED where a package ends
// without reaching its target (`origin:u16 counter:u16 step:u8 reason:u8`).

import { emit, EmitKind } from "../hal";
import { count } from "../core/counters";
import { putU16, putU8 } from "../core/bytes";
import { ORCH_FAIL, ORCH_RESULT } from "./counters";
import { PkgState, WorkPackage } from "./package";
import { OrchState } from "./state";
import { PKG_HEAD } from "../wire/orch";

/** `reason` of an ORCH_FAILED record. */
export const enum FailReason {
  /** No node accepted its next step within `orch_request_retries` REQUESTs. */
  NoStep = 1,
  /** Neither its target nor a backup target acknowledged the result. */
  TargetUnreachable = 2,
}

export const FAILED_RECORD_BYTES: u32 = 6;

/** A result at its target: the package's head and payload at `data` (`len` bytes in all). */
export function emitResult(data: usize, len: u32): void {
  count(ORCH_RESULT);
  emit(EmitKind.OrchResult, data, len);
}

/** A held package that has reached this node as its target. */
export function resultHere(p: WorkPackage): void {
  p.writeHead();
  emitResult(p.dataPtr, PKG_HEAD + p.len);
  p.state = PkgState.Free;
}

/** Gives a held package up with `reason` and frees its slot. */
export function failPackage(o: OrchState, p: WorkPackage, reason: u32): void {
  const r = o.scratchPtr;
  putU16(r, 0, p.origin);
  putU16(r, 2, p.counter);
  putU8(r, 4, p.next);
  putU8(r, 5, reason);
  count(ORCH_FAIL);
  p.state = PkgState.Free;
  emit(EmitKind.OrchFailed, r, FAILED_RECORD_BYTES);
}
