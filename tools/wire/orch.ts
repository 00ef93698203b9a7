// Payloads of the orchestration messages (docs/wire.md, 0x40..0x48). Mirrors
// firmware/src/wire/orch.ts; test/vectors/wire.json holds the shared vectors.

const BROADCAST = 0xffff;
export const STEP_MAX = 31;
export const PKG_HEAD = 20;

/** REQUEST: `extra` is the round. */
export interface OrchName {
  origin: number;
  counter: number;
  step: number;
}
export interface OrchNameExtra extends OrchName {
  extra: number;
}
/** ACCEPT: the accepter's load (packages queued, running or reserved), capability (0 = unknown), battery (255 = unknown). */
export interface OrchAccept extends OrchName {
  load: number;
  capability: number;
  battery: number;
}
export interface WorkPackageHead {
  origin: number;
  counter: number;
  next: number;
  last: number;
  target: number;
  backup1: number;
  backup2: number;
  /** Milliseconds held by nodes so far when sent (time in flight not counted). */
  ageMs: number;
  /** Age at which it fails; 0 = none. */
  deadlineMs: number;
}
export interface OrchPackage {
  msg: number;
  head: WorkPackageHead;
  payload: Uint8Array;
}

const isNode = (id: number) => id !== 0 && id !== BROADCAST;
const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function check(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} = ${value} is not in 0..${max}`);
}

function nameOk(p: Uint8Array): boolean {
  const v = viewOf(p);
  return isNode(v.getUint16(0, true)) && v.getUint16(2, true) !== 0;
}

/** CANCEL and ACK (5 bytes); REQUEST adds one byte (`extra`, the round). */
export function encodeOrchName(n: OrchName | OrchNameExtra): Uint8Array {
  check('origin', n.origin, 0xffff);
  check('counter', n.counter, 0xffff);
  check('step', n.step, 0xff);
  const extra = 'extra' in n;
  const out = new Uint8Array(extra ? 6 : 5);
  const v = viewOf(out);
  v.setUint16(0, n.origin, true);
  v.setUint16(2, n.counter, true);
  out[4] = n.step;
  if (extra) {
    check('extra', (n as OrchNameExtra).extra, 0xff);
    out[5] = (n as OrchNameExtra).extra;
  }
  return out;
}

function decodeName(p: Uint8Array, len: number, minStep: number): OrchName | null {
  if (p.length !== len || !nameOk(p) || p[4] < minStep || p[4] > STEP_MAX) return null;
  const v = viewOf(p);
  return { origin: v.getUint16(0, true), counter: v.getUint16(2, true), step: p[4] };
}

/** REQUEST (0x40): step 1..31, `extra` the round. */
export function decodeOrchNameExtra(p: Uint8Array): OrchNameExtra | null {
  const n = decodeName(p, 6, 1);
  return n === null ? null : { ...n, extra: p[5] };
}

/** ACCEPT (0x41, 8 bytes). */
export function encodeOrchAccept(a: OrchAccept): Uint8Array {
  const out = new Uint8Array(8);
  out.set(encodeOrchName({ origin: a.origin, counter: a.counter, step: a.step, extra: a.load }));
  check('capability', a.capability, 0xff);
  check('battery', a.battery, 0xff);
  out[6] = a.capability;
  out[7] = a.battery;
  return out;
}

/** ACCEPT (0x41): 8 bytes, step 1..31. */
export function decodeOrchAccept(p: Uint8Array): OrchAccept | null {
  const n = decodeName(p.subarray(0, 5), 5, 1);
  if (p.length !== 8 || n === null) return null;
  return { ...n, load: p[5], capability: p[6], battery: p[7] };
}

/** CANCEL (0x42), RELEASE (0x45), PROBE (0x46) and TAKEN (0x48): step 1..31. */
export function decodeOrchCancel(p: Uint8Array): OrchName | null {
  return decodeName(p, 5, 1);
}
export const decodeOrchRelease = decodeOrchCancel;
export const decodeOrchProbe = decodeOrchCancel;
export const decodeOrchTaken = decodeOrchCancel;

/** STEPS (0x47): mask:u32 with bit 31 clear. */
export function encodeOrchSteps(mask: number): Uint8Array {
  check('mask', mask, 0x7fffffff);
  const out = new Uint8Array(4);
  viewOf(out).setUint32(0, mask, true);
  return out;
}
export function decodeOrchSteps(p: Uint8Array): { mask: number } | null {
  if (p.length !== 4) return null;
  const mask = viewOf(p).getUint32(0, true);
  return mask > 0x7fffffff ? null : { mask };
}

/** ACK (0x43): step 0..31 (0 = the result at its target). */
export function decodeOrchAck(p: Uint8Array): OrchName | null {
  return decodeName(p, 5, 0);
}

export function encodePackageHead(h: WorkPackageHead): Uint8Array {
  const out = new Uint8Array(PKG_HEAD);
  const v = viewOf(out);
  v.setUint16(0, h.origin, true);
  v.setUint16(2, h.counter, true);
  out[4] = h.next;
  out[5] = h.last;
  v.setUint16(6, h.target, true);
  v.setUint16(8, h.backup1, true);
  v.setUint16(10, h.backup2, true);
  v.setUint32(12, h.ageMs >>> 0, true);
  v.setUint32(16, h.deadlineMs >>> 0, true);
  return out;
}

/** A package head and payload (an ORCH_RESULT record, or a reassembled package); null if invalid. */
export function decodePackageBody(p: Uint8Array): { head: WorkPackageHead; payload: Uint8Array } | null {
  if (p.length < PKG_HEAD || !nameOk(p)) return null;
  const v = viewOf(p);
  const head: WorkPackageHead = {
    origin: v.getUint16(0, true), counter: v.getUint16(2, true), next: p[4], last: p[5],
    target: v.getUint16(6, true), backup1: v.getUint16(8, true), backup2: v.getUint16(10, true),
    ageMs: v.getUint32(12, true), deadlineMs: v.getUint32(16, true),
  };
  if (head.last < 1 || head.last > STEP_MAX || head.next > head.last || !isNode(head.target)) return null;
  if (head.backup1 === BROADCAST || head.backup2 === BROADCAST) return null;
  return { head, payload: p.slice(PKG_HEAD) };
}

export function encodeOrchPackage(pkg: OrchPackage): Uint8Array {
  check('package msg', pkg.msg, 0xffff);
  const out = new Uint8Array(2 + PKG_HEAD + pkg.payload.length);
  viewOf(out).setUint16(0, pkg.msg, true);
  out.set(encodePackageHead(pkg.head), 2);
  out.set(pkg.payload, 2 + PKG_HEAD);
  return out;
}

/** ORCH_PACKAGE (0x44): msg:u16 (not 0), then a valid package. */
export function decodeOrchPackage(p: Uint8Array): OrchPackage | null {
  if (p.length < 2) return null;
  const msg = viewOf(p).getUint16(0, true);
  const body = decodePackageBody(p.subarray(2));
  return msg === 0 || body === null ? null : { msg, ...body };
}

/** ORCH_STEPS record: mask:u32 by:u16 cause:u8 (0 local, 1 trigger message from `by`, 2 assumed). */
export function decodeOrchStepsRecord(p: Uint8Array): { mask: number; by: number; cause: number } | null {
  if (p.length !== 7) return null;
  const v = viewOf(p);
  return { mask: v.getUint32(0, true), by: v.getUint16(4, true), cause: p[6] };
}

/** ORCH_TRACE record: origin:u16 counter:u16 step:u8 event:u8 peer:u16 (1 step start, 2 step done, 3 sent to peer, 4 taken from peer). */
export function decodeOrchTrace(p: Uint8Array): { origin: number; counter: number; step: number; event: number; peer: number } | null {
  if (p.length !== 8 || p[5] < 1 || p[5] > 4) return null;
  const v = viewOf(p);
  return { origin: v.getUint16(0, true), counter: v.getUint16(2, true), step: p[4], event: p[5], peer: v.getUint16(6, true) };
}

/** ORCH_FAILED record: origin:u16 counter:u16 step:u8 reason:u8. */
export function decodeOrchFailed(p: Uint8Array): { origin: number; counter: number; step: number; reason: number } | null {
  if (p.length !== 6) return null;
  const v = viewOf(p);
  return { origin: v.getUint16(0, true), counter: v.getUint16(2, true), step: p[4], reason: p[5] };
}
