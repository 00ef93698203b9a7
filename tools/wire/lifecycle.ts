// Payloads of the node-lifecycle messages of tree mode (docs/wire.md, 0x20..0x23). Mirrors
// firmware/src/wire/lifecycle.ts; test/vectors/wire.json holds the shared vectors.

const BROADCAST = 0xffff;
/** Deepest depth a node can take (255 means "not attached", 254 is left for its children). */
export const DEPTH_MAX = 253;
export const JoinFlag = { First: 1 } as const;
export const JoinStatus = { Accepted: 0, Refused: 1 } as const;
export const TreeStatusCode = { Attached: 0, Recovering: 1 } as const;

export interface JoinReq {
  token: number;
  flags: number;
}
export interface JoinAccept {
  token: number;
  status: number;
  depth: number;
  root: number;
  statusSeq: number;
}
export interface TreeStatus {
  status: number;
  depth: number;
  root: number;
  statusSeq: number;
}
export interface Announce {
  parent: number;
  depth: number;
}

const isNode = (id: number) => id !== 0 && id !== BROADCAST;
const viewOf = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function check(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} = ${value} is not in 0..${max}`);
}

export function encodeJoinReq(r: JoinReq): Uint8Array {
  check('join req token', r.token, 0xffff);
  check('join req flags', r.flags, 0xff);
  const out = new Uint8Array(3);
  viewOf(out).setUint16(0, r.token, true);
  out[2] = r.flags;
  return out;
}

/** null unless 3 bytes, token != 0 and no flag but FIRST. */
export function decodeJoinReq(p: Uint8Array): JoinReq | null {
  if (p.length !== 3) return null;
  const token = viewOf(p).getUint16(0, true);
  if (token === 0 || (p[2] & ~JoinFlag.First) !== 0) return null;
  return { token, flags: p[2] };
}

export function encodeJoinAccept(a: JoinAccept): Uint8Array {
  check('join accept token', a.token, 0xffff);
  check('join accept status', a.status, 0xff);
  check('join accept depth', a.depth, 0xff);
  check('join accept root', a.root, 0xffff);
  check('join accept status seq', a.statusSeq, 0xffff);
  const out = new Uint8Array(8);
  const v = viewOf(out);
  v.setUint16(0, a.token, true);
  out[2] = a.status;
  out[3] = a.depth;
  v.setUint16(4, a.root, true);
  v.setUint16(6, a.statusSeq, true);
  return out;
}

/** null unless 8 bytes, token != 0, a known status and, when accepted, depth <= 253 and a node id as root. */
export function decodeJoinAccept(p: Uint8Array): JoinAccept | null {
  if (p.length !== 8) return null;
  const v = viewOf(p);
  const a = { token: v.getUint16(0, true), status: p[2], depth: p[3], root: v.getUint16(4, true), statusSeq: v.getUint16(6, true) };
  if (a.token === 0 || a.status > JoinStatus.Refused) return null;
  if (a.status === JoinStatus.Accepted && (a.depth > DEPTH_MAX || !isNode(a.root))) return null;
  return a;
}

export function encodeTreeStatus(s: TreeStatus): Uint8Array {
  check('tree status', s.status, 0xff);
  check('tree status depth', s.depth, 0xff);
  check('tree status root', s.root, 0xffff);
  check('tree status seq', s.statusSeq, 0xffff);
  const out = new Uint8Array(6);
  const v = viewOf(out);
  out[0] = s.status;
  out[1] = s.depth;
  v.setUint16(2, s.root, true);
  v.setUint16(4, s.statusSeq, true);
  return out;
}

/** null unless 6 bytes, a known status and, when attached, depth <= 253 and a node id as root. */
export function decodeTreeStatus(p: Uint8Array): TreeStatus | null {
  if (p.length !== 6) return null;
  const v = viewOf(p);
  const s = { status: p[0], depth: p[1], root: v.getUint16(2, true), statusSeq: v.getUint16(4, true) };
  if (s.status > TreeStatusCode.Recovering) return null;
  if (s.status === TreeStatusCode.Attached && (s.depth > DEPTH_MAX || !isNode(s.root))) return null;
  return s;
}

export function encodeAnnounce(a: Announce): Uint8Array {
  check('announce parent', a.parent, 0xffff);
  check('announce depth', a.depth, 0xff);
  const out = new Uint8Array(3);
  viewOf(out).setUint16(0, a.parent, true);
  out[2] = a.depth;
  return out;
}

/** null unless 3 bytes, a node id as parent and depth <= 254. */
export function decodeAnnounce(p: Uint8Array): Announce | null {
  if (p.length !== 3) return null;
  const parent = viewOf(p).getUint16(0, true);
  if (!isNode(parent) || p[2] > DEPTH_MAX + 1) return null;
  return { parent, depth: p[2] };
}
