// Payloads of the orchestration messages (docs/wire.md, 0x40..0x48; docs/orchestration.md).
// A work package is named by `origin:u16 counter:u16`; the short control messages name it and
// a step. The package itself travels as a delivery-layer message of type ORCH_PACKAGE (the
// APP_DATA layout: msg:u16, then the package), fragmented when it does not fit one frame.
// Mirrors tools/wire/orch.ts; test/vectors/wire.json holds the shared vectors.

import { getU16, getU32, getU8, putU16, putU32, putU8 } from "../core/bytes";

/** Steps are numbered 1..STEP_MAX (a node's loaded steps are a 32-bit mask). */
export const STEP_MAX: u32 = 31;

/** REQUEST: origin:u16 counter:u16 step:u8 round:u8. */
export const ORCH_REQUEST_BYTES: u32 = 6;
/** ACCEPT: origin:u16 counter:u16 step:u8 load:u8 capability:u8 battery:u8. */
export const ORCH_ACCEPT_BYTES: u32 = 8;
/** CANCEL, ACK, RELEASE, PROBE and TAKEN: origin:u16 counter:u16 step:u8. */
export const ORCH_NAME_BYTES: u32 = 5;
/** STEPS: mask:u32 (bit k-1 = step k; bit 31 clear). */
export const ORCH_STEPS_BYTES: u32 = 4;

/** Package head, after the message id: origin counter next last target backup1 backup2 age deadline. */
export const PKG_HEAD: u32 = 20;
export const PKG_OFF_ORIGIN: u32 = 0;
export const PKG_OFF_COUNTER: u32 = 2;
export const PKG_OFF_NEXT: u32 = 4;
export const PKG_OFF_LAST: u32 = 5;
export const PKG_OFF_TARGET: u32 = 6;
export const PKG_OFF_BACKUP1: u32 = 8;
export const PKG_OFF_BACKUP2: u32 = 10;
/** Milliseconds the package has been held by nodes so far (time in flight is not counted). */
export const PKG_OFF_AGE: u32 = 12;
/** The age at which it fails, 0 = none. */
export const PKG_OFF_DEADLINE: u32 = 16;

function isNode(id: u32): bool {
  return id != 0 && id != 0xffff;
}

/** Origin is a node, counter is not 0. */
function nameValid(p: usize): bool {
  return isNode(getU16(p, 0)) && getU16(p, 2) != 0;
}

function stepValid(step: u32): bool {
  return step >= 1 && step <= STEP_MAX;
}

export function orchRequestValid(p: usize, len: u32): bool {
  return len == ORCH_REQUEST_BYTES && nameValid(p) && stepValid(getU8(p, 4));
}

export function orchAcceptValid(p: usize, len: u32): bool {
  return len == ORCH_ACCEPT_BYTES && nameValid(p) && stepValid(getU8(p, 4));
}

/** CANCEL, RELEASE, PROBE and TAKEN: a name with a step 1..31. */
export function orchStepNameValid(p: usize, len: u32): bool {
  return len == ORCH_NAME_BYTES && nameValid(p) && stepValid(getU8(p, 4));
}

/** A mask of steps 1..31. */
export function orchStepsValid(p: usize, len: u32): bool {
  return len == ORCH_STEPS_BYTES && getU32(p, 0) <= 0x7fffffff;
}

/** ACK names the step the package was sent for; 0 = the result at its target. */
export function orchAckValid(p: usize, len: u32): bool {
  return len == ORCH_NAME_BYTES && nameValid(p) && getU8(p, 4) <= STEP_MAX;
}

/** A package head at `p` (after the message id) of `len` bytes, payload included. */
export function packageValid(p: usize, len: u32): bool {
  if (len < PKG_HEAD || !nameValid(p)) return false;
  const next = getU8(p, PKG_OFF_NEXT);
  const last = getU8(p, PKG_OFF_LAST);
  if (!stepValid(last) || next > last) return false;
  if (!isNode(getU16(p, PKG_OFF_TARGET))) return false;
  const b1 = getU16(p, PKG_OFF_BACKUP1);
  const b2 = getU16(p, PKG_OFF_BACKUP2);
  return b1 != 0xffff && b2 != 0xffff;
}

/** ORCH_PACKAGE frame: msg:u16 (never 0), then a valid package. */
export function orchPackageValid(p: usize, len: u32): bool {
  return len >= 2 && getU16(p, 0) != 0 && packageValid(p + 2, len - 2);
}

// @ts-ignore: decorator
@inline export function nameOrigin(p: usize): u32 { return getU16(p, 0); }
// @ts-ignore: decorator
@inline export function nameCounter(p: usize): u32 { return getU16(p, 2); }
// @ts-ignore: decorator
@inline export function nameStep(p: usize): u32 { return getU8(p, 4); }
// @ts-ignore: decorator
@inline export function fifthByte(p: usize): u32 { return getU8(p, 5); }
// @ts-ignore: decorator
@inline export function acceptCapability(p: usize): u32 { return getU8(p, 6); }
// @ts-ignore: decorator
@inline export function acceptBattery(p: usize): u32 { return getU8(p, 7); }

/** Writes `origin counter step` (CANCEL, ACK) and returns its length. */
export function putName(p: usize, origin: u32, counter: u32, step: u32): u32 {
  putU16(p, 0, origin);
  putU16(p, 2, counter);
  putU8(p, 4, step);
  return ORCH_NAME_BYTES;
}

/** REQUEST (`extra` = round) or ACCEPT (`extra` = load): a name and one more byte. */
export function putNameExtra(p: usize, origin: u32, counter: u32, step: u32, extra: u32): u32 {
  putName(p, origin, counter, step);
  putU8(p, 5, extra);
  return ORCH_REQUEST_BYTES;
}

/** ACCEPT: a name, the accepter's load, capability (0 = unknown) and battery (255 = unknown). */
export function putAccept(p: usize, origin: u32, counter: u32, step: u32, load: u32, capability: u32, battery: u32): u32 {
  putNameExtra(p, origin, counter, step, load);
  putU8(p, 6, capability);
  putU8(p, 7, battery);
  return ORCH_ACCEPT_BYTES;
}

export function putPackageHead(
  p: usize, origin: u32, counter: u32, next: u32, last: u32, target: u32, b1: u32, b2: u32, age: u32, deadline: u32,
): void {
  putU16(p, PKG_OFF_ORIGIN, origin);
  putU16(p, PKG_OFF_COUNTER, counter);
  putU8(p, PKG_OFF_NEXT, next);
  putU8(p, PKG_OFF_LAST, last);
  putU16(p, PKG_OFF_TARGET, target);
  putU16(p, PKG_OFF_BACKUP1, b1);
  putU16(p, PKG_OFF_BACKUP2, b2);
  putU32(p, PKG_OFF_AGE, age);
  putU32(p, PKG_OFF_DEADLINE, deadline);
}
