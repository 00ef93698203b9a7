// TypeScript codec of the wire format (docs/wire.md) for host tools and tests. It must
// produce the same bytes and the same drop reasons as firmware/src/wire/; the shared
// vectors in test/vectors/wire.json hold both to that.

import { decodeAnnounce, decodeJoinAccept, decodeJoinReq, decodeTreeStatus } from './lifecycle.ts';
import { decodeFuseReading } from './fuse.ts';
import { decodeOrchAccept, decodeOrchAck, decodeOrchCancel, decodeOrchNameExtra, decodeOrchPackage, decodeOrchSteps } from './orch.ts';

export const WIRE_VERSION = 1;
export const HEADER_BYTES = 12;
export const TAG_BYTES = 8;
export const BROADCAST = 0xffff;

export const Flag = { Tag: 1, AckReq: 2, Frag: 4 } as const;
const RESERVED_FLAGS = 0xf8;

export const MsgType = {
  Hello: 0x01, Ping: 0x02, Pong: 0x03, LinkAck: 0x04, RouteUpdate: 0x10, RouteSeqReq: 0x11, Frag: 0x1e, FragAck: 0x1f,
  JoinReq: 0x20, JoinAccept: 0x21, TreeStatus: 0x22, Announce: 0x23,
  OrchRequest: 0x40, OrchAccept: 0x41, OrchCancel: 0x42, OrchAck: 0x43, OrchPackage: 0x44, OrchRelease: 0x45, OrchProbe: 0x46, OrchSteps: 0x47, OrchTaken: 0x48, FuseReading: 0x50, AppData: 0x60,
} as const;

/** Drop reasons in validation order; the index + 1 is the firmware's numeric code. */
export const DROP_REASONS = ['short', 'long', 'version', 'flags', 'length', 'addr', 'type', 'payload', 'tag'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export function dropReasonCode(reason: DropReason): number {
  return DROP_REASONS.indexOf(reason) + 1;
}

/** The counter a dropped frame is counted in, as the node names it. */
export function dropCounter(reason: DropReason): string {
  return `wire.drop.${reason}`;
}

export interface Frame {
  type: number;
  flags: number;
  hops: number;
  src: number;
  dst: number;
  seq: number;
  payload: Uint8Array;
  /** Present exactly when `flags` has Flag.Tag. */
  tag?: Uint8Array;
}

export interface DecodeOptions {
  /** Largest frame the link carries (config `mtu`); default 250, ESP-NOW's. */
  mtu?: number;
  /** Message types the receiver knows; default the link layer's. */
  knownTypes?: ReadonlySet<number>;
  /** Whether the network has a key (frames with a tag are dropped otherwise). */
  hasKey?: boolean;
}

const LINK_TYPES: ReadonlySet<number> = new Set(Object.values(MsgType));

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`frame ${name} = ${value} is not in 0..${max}`);
}

/** Encodes a frame as given; it does not enforce what a receiver would drop (tests need bad frames). */
export function encodeFrame(frame: Frame): Uint8Array {
  checkField('type', frame.type, 0xff);
  checkField('flags', frame.flags, 0xff);
  checkField('hops', frame.hops, 0xff);
  checkField('src', frame.src, 0xffff);
  checkField('dst', frame.dst, 0xffff);
  checkField('seq', frame.seq, 0xffff);
  checkField('payload length', frame.payload.length, 0xffff);
  const hasTag = (frame.flags & Flag.Tag) !== 0;
  if (hasTag !== (frame.tag !== undefined)) throw new Error('frame.tag must be given exactly when the TAG flag is set');
  if (frame.tag && frame.tag.length !== TAG_BYTES) throw new Error(`frame.tag must be ${TAG_BYTES} bytes`);
  const out = new Uint8Array(HEADER_BYTES + frame.payload.length + (hasTag ? TAG_BYTES : 0));
  const view = new DataView(out.buffer);
  out[0] = WIRE_VERSION;
  out[1] = frame.type;
  out[2] = frame.flags;
  out[3] = frame.hops;
  view.setUint16(4, frame.src, true);
  view.setUint16(6, frame.dst, true);
  view.setUint16(8, frame.seq, true);
  view.setUint16(10, frame.payload.length, true);
  out.set(frame.payload, HEADER_BYTES);
  if (frame.tag) out.set(frame.tag, HEADER_BYTES + frame.payload.length);
  return out;
}

function payloadValid(type: number, payload: Uint8Array): boolean {
  switch (type) {
    case MsgType.Hello: return decodeHello(payload) !== null;
    case MsgType.Ping:
    case MsgType.Pong: return decodePing(payload) !== null;
    case MsgType.RouteUpdate: return decodeRouteUpdate(payload) !== null;
    case MsgType.RouteSeqReq: return payload.length === 2; // seq:u16
    case MsgType.LinkAck: return decodeLinkAck(payload) !== null;
    case MsgType.Frag: return decodeFrag(payload) !== null;
    case MsgType.FragAck: return decodeFragAck(payload) !== null;
    case MsgType.AppData: return decodeAppData(payload) !== null;
    case MsgType.JoinReq: return decodeJoinReq(payload) !== null;
    case MsgType.JoinAccept: return decodeJoinAccept(payload) !== null;
    case MsgType.TreeStatus: return decodeTreeStatus(payload) !== null;
    case MsgType.Announce: return decodeAnnounce(payload) !== null;
    case MsgType.OrchRequest: return decodeOrchNameExtra(payload) !== null;
    case MsgType.OrchAccept: return decodeOrchAccept(payload) !== null;
    case MsgType.OrchCancel:
    case MsgType.OrchRelease:
    case MsgType.OrchProbe:
    case MsgType.OrchTaken: return decodeOrchCancel(payload) !== null;
    case MsgType.OrchSteps: return decodeOrchSteps(payload) !== null;
    case MsgType.OrchAck: return decodeOrchAck(payload) !== null;
    case MsgType.OrchPackage: return decodeOrchPackage(payload) !== null;
    case MsgType.FuseReading: return decodeFuseReading(payload) !== null;
    default: return true; // types added by other layers validate themselves
  }
}

/** Validates in the order of docs/wire.md; the first failed check names the reason. */
export function decodeFrame(bytes: Uint8Array, options: DecodeOptions = {}): Frame | { error: DropReason } {
  const mtu = options.mtu ?? 250;
  const known = options.knownTypes ?? LINK_TYPES;
  if (bytes.length < HEADER_BYTES) return { error: 'short' };
  if (bytes.length > mtu) return { error: 'long' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes[0] !== WIRE_VERSION) return { error: 'version' };
  const flags = bytes[2];
  if ((flags & RESERVED_FLAGS) !== 0) return { error: 'flags' };
  const len = view.getUint16(10, true);
  const hasTag = (flags & Flag.Tag) !== 0;
  if (HEADER_BYTES + len + (hasTag ? TAG_BYTES : 0) !== bytes.length) return { error: 'length' };
  const src = view.getUint16(4, true);
  const dst = view.getUint16(6, true);
  if (src === 0 || src === BROADCAST || dst === 0) return { error: 'addr' };
  const type = bytes[1];
  if (!known.has(type)) return { error: 'type' };
  const payload = bytes.slice(HEADER_BYTES, HEADER_BYTES + len);
  if (!payloadValid(type, payload)) return { error: 'payload' };
  if (hasTag && !options.hasKey) return { error: 'tag' };
  const frame: Frame = { type, flags, hops: bytes[3], src, dst, seq: view.getUint16(8, true), payload };
  if (hasTag) frame.tag = bytes.slice(HEADER_BYTES + len);
  return frame;
}

export function isDropped(result: Frame | { error: DropReason }): result is { error: DropReason } {
  return 'error' in result;
}

// HELLO (0x01): interval_ms:u16 epoch:u16 count:u8, then count x (id:u16 in_q:u8).

export interface Hello {
  intervalMs: number;
  /** Drawn at random when the sender boots; a change means it restarted. Default 0. */
  epoch?: number;
  neighbours: { id: number; inQuality: number }[];
}

export const HELLO_FIXED_BYTES = 5;

export function encodeHello(hello: Hello): Uint8Array {
  checkField('hello interval_ms', hello.intervalMs, 0xffff);
  checkField('hello epoch', hello.epoch ?? 0, 0xffff);
  checkField('hello count', hello.neighbours.length, 0xff);
  const out = new Uint8Array(HELLO_FIXED_BYTES + 3 * hello.neighbours.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, hello.intervalMs, true);
  view.setUint16(2, hello.epoch ?? 0, true);
  out[4] = hello.neighbours.length;
  hello.neighbours.forEach((n, i) => {
    checkField('hello neighbour id', n.id, 0xffff);
    checkField('hello neighbour in_q', n.inQuality, 0xff);
    view.setUint16(HELLO_FIXED_BYTES + 3 * i, n.id, true);
    out[HELLO_FIXED_BYTES + 2 + 3 * i] = n.inQuality;
  });
  return out;
}

/** null when the payload does not match the HELLO layout. */
export function decodeHello(payload: Uint8Array): Required<Hello> | null {
  if (payload.length < HELLO_FIXED_BYTES) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const count = payload[4];
  const intervalMs = view.getUint16(0, true);
  if (payload.length !== HELLO_FIXED_BYTES + 3 * count || intervalMs === 0) return null;
  const neighbours = [];
  for (let i = 0; i < count; i++) {
    neighbours.push({ id: view.getUint16(HELLO_FIXED_BYTES + 3 * i, true), inQuality: payload[HELLO_FIXED_BYTES + 2 + 3 * i] });
  }
  return { intervalMs, epoch: view.getUint16(2, true), neighbours };
}

// PING (0x02) / PONG (0x03): ping_seq:u16 sent_ms:u32, then padding echoed unchanged.

export interface Ping {
  pingSeq: number;
  sentMs: number;
  padding?: Uint8Array;
}

export function encodePing(ping: Ping): Uint8Array {
  checkField('ping_seq', ping.pingSeq, 0xffff);
  checkField('sent_ms', ping.sentMs, 0xffffffff);
  const padding = ping.padding ?? new Uint8Array(0);
  const out = new Uint8Array(6 + padding.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, ping.pingSeq, true);
  view.setUint32(2, ping.sentMs, true);
  out.set(padding, 6);
  return out;
}

export function decodePing(payload: Uint8Array): Required<Ping> | null {
  if (payload.length < 6) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return { pingSeq: view.getUint16(0, true), sentMs: view.getUint32(2, true), padding: payload.slice(6) };
}

// ROUTE_UPDATE (0x10): flags:u8 count:u8 digest:u16, then count x (dest:u16 seq:u16 metric:u16).

export const RouteUpdateFlag = { Full: 1, Solicit: 2 } as const;
const ROUTE_UPDATE_RESERVED = 0xfc;

export interface RouteEntry {
  dest: number;
  seq: number;
  /** 0xFFFF = unreachable. */
  metric: number;
}

export interface RouteUpdate {
  flags: number;
  /** Digest of the set of destinations the sender reaches. */
  digest: number;
  /** The sender's own entry first. */
  entries: RouteEntry[];
}

export function encodeRouteUpdate(u: RouteUpdate): Uint8Array {
  checkField('route update flags', u.flags, 0xff);
  checkField('route update digest', u.digest, 0xffff);
  checkField('route update count', u.entries.length, 0xff);
  const out = new Uint8Array(4 + 6 * u.entries.length);
  const view = new DataView(out.buffer);
  out[0] = u.flags;
  out[1] = u.entries.length;
  view.setUint16(2, u.digest, true);
  u.entries.forEach((e, i) => {
    checkField('route entry dest', e.dest, 0xffff);
    checkField('route entry seq', e.seq, 0xffff);
    checkField('route entry metric', e.metric, 0xffff);
    view.setUint16(4 + 6 * i, e.dest, true);
    view.setUint16(6 + 6 * i, e.seq, true);
    view.setUint16(8 + 6 * i, e.metric, true);
  });
  return out;
}

/** null when the payload does not match the ROUTE_UPDATE layout. */
export function decodeRouteUpdate(payload: Uint8Array): RouteUpdate | null {
  if (payload.length < 10) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const count = payload[1];
  if ((payload[0] & ROUTE_UPDATE_RESERVED) !== 0 || payload.length !== 4 + 6 * count) return null;
  const entries: RouteEntry[] = [];
  for (let i = 0; i < count; i++) {
    const dest = view.getUint16(4 + 6 * i, true);
    if (dest === 0 || dest === BROADCAST) return null;
    entries.push({ dest, seq: view.getUint16(6 + 6 * i, true), metric: view.getUint16(8 + 6 * i, true) });
  }
  return { flags: payload[0], digest: view.getUint16(2, true), entries };
}

// LINK_ACK (0x04): src:u16 type:u8 seq:u16, the acknowledged frame's header fields.

export interface LinkAck {
  src: number;
  type: number;
  seq: number;
}

export function encodeLinkAck(ack: LinkAck): Uint8Array {
  checkField('link ack src', ack.src, 0xffff);
  checkField('link ack type', ack.type, 0xff);
  checkField('link ack seq', ack.seq, 0xffff);
  const out = new Uint8Array(5);
  const view = new DataView(out.buffer);
  view.setUint16(0, ack.src, true);
  out[2] = ack.type;
  view.setUint16(3, ack.seq, true);
  return out;
}

/** null unless 5 bytes naming a valid source and a non-zero type. */
export function decodeLinkAck(payload: Uint8Array): LinkAck | null {
  if (payload.length !== 5) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const src = view.getUint16(0, true);
  if (src === 0 || src === BROADCAST || payload[2] === 0) return null;
  return { src, type: payload[2], seq: view.getUint16(3, true) };
}

// FRAG (0x1E): msg:u16 inner:u8 index:u8 count:u8 total:u16, then the fragment's bytes.
// Every fragment but the last carries ceil(total / count) bytes, the last the rest.

export const FRAG_FIXED_BYTES = 7;
/** Inner types below this (link and route) are never fragmented. */
export const FRAG_INNER_MIN = 0x20;

export interface Frag {
  msg: number;
  inner: number;
  index: number;
  count: number;
  total: number;
  data: Uint8Array;
}

/** Bytes of fragment `index`; 0 when (total, count, index) describe no fragment. */
export function fragBytes(total: number, count: number, index: number): number {
  if (count === 0 || index >= count || total === 0) return 0;
  const chunk = Math.ceil(total / count);
  const before = (count - 1) * chunk;
  if (before >= total) return 0;
  return index + 1 < count ? chunk : total - before;
}

/** The fragments a sender cuts `message` into when each carries at most `room` bytes. */
export function fragmentMessage(msg: number, inner: number, message: Uint8Array, room: number): Frag[] {
  const total = message.length;
  const count = Math.ceil(total / room);
  if (total === 0 || count > 255) throw new RangeError(`${total} bytes do not fit 1..255 fragments of ${room} bytes`);
  const chunk = Math.ceil(total / count);
  return Array.from({ length: count }, (_, index) => ({
    msg, inner, index, count, total, data: message.slice(index * chunk, index * chunk + fragBytes(total, count, index)),
  }));
}

/** Encodes as given (tests need fragments whose length contradicts their header). */
export function encodeFrag(frag: Frag): Uint8Array {
  checkField('frag msg', frag.msg, 0xffff);
  checkField('frag inner', frag.inner, 0xff);
  checkField('frag index', frag.index, 0xff);
  checkField('frag count', frag.count, 0xff);
  checkField('frag total', frag.total, 0xffff);
  const out = new Uint8Array(FRAG_FIXED_BYTES + frag.data.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, frag.msg, true);
  out[2] = frag.inner;
  out[3] = frag.index;
  out[4] = frag.count;
  view.setUint16(5, frag.total, true);
  out.set(frag.data, FRAG_FIXED_BYTES);
  return out;
}

/** null unless msg != 0, inner >= 0x20 and the length is exactly fragment `index`'s. */
export function decodeFrag(payload: Uint8Array): Frag | null {
  if (payload.length < FRAG_FIXED_BYTES) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const frag = {
    msg: view.getUint16(0, true), inner: payload[2], index: payload[3], count: payload[4], total: view.getUint16(5, true),
    data: payload.slice(FRAG_FIXED_BYTES),
  };
  if (frag.msg === 0 || frag.inner < FRAG_INNER_MIN) return null;
  const expected = fragBytes(frag.total, frag.count, frag.index);
  return expected !== 0 && frag.data.length === expected ? frag : null;
}

// FRAG_ACK (0x1F): msg:u16 status:u8 count:u8, then a bitmap of ceil(count / 8) bytes, bit i
// (byte i >> 3, bit i & 7) set when fragment i has arrived.

export const FragAckStatus = { Ok: 0, Busy: 1, TooLarge: 2 } as const;

export interface FragAck {
  msg: number;
  status: number;
  count: number;
  /** Indices of the fragments received, ascending. */
  received: number[];
}

export function encodeFragAck(ack: FragAck): Uint8Array {
  checkField('frag ack msg', ack.msg, 0xffff);
  checkField('frag ack status', ack.status, 0xff);
  checkField('frag ack count', ack.count, 0xff);
  const out = new Uint8Array(4 + Math.ceil(ack.count / 8));
  const view = new DataView(out.buffer);
  view.setUint16(0, ack.msg, true);
  out[2] = ack.status;
  out[3] = ack.count;
  for (const i of ack.received) {
    checkField('frag ack index', i, ack.count - 1);
    out[4 + (i >> 3)] |= 1 << (i & 7);
  }
  return out;
}

/** null unless msg != 0, a known status, count >= 1, the exact bitmap length, no bit at or past count, and no bit unless status is Ok. */
export function decodeFragAck(payload: Uint8Array): FragAck | null {
  if (payload.length < 4) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const msg = view.getUint16(0, true);
  const status = payload[2];
  const count = payload[3];
  if (msg === 0 || status > FragAckStatus.TooLarge || count === 0 || payload.length !== 4 + Math.ceil(count / 8)) return null;
  const received: number[] = [];
  for (let i = 0; i < (payload.length - 4) * 8; i++) {
    if ((payload[4 + (i >> 3)] & (1 << (i & 7))) === 0) continue;
    if (i >= count || status !== FragAckStatus.Ok) return null;
    received.push(i);
  }
  return { msg, status, count, received };
}

// APP_DATA (0x60): msg:u16, then the application's bytes (a message that fits one frame).

export interface AppData {
  msg: number;
  data: Uint8Array;
}

export function encodeAppData(app: AppData): Uint8Array {
  checkField('app data msg', app.msg, 0xffff);
  const out = new Uint8Array(2 + app.data.length);
  new DataView(out.buffer).setUint16(0, app.msg, true);
  out.set(app.data, 2);
  return out;
}

export function decodeAppData(payload: Uint8Array): AppData | null {
  if (payload.length < 2) return null;
  const msg = new DataView(payload.buffer, payload.byteOffset, payload.byteLength).getUint16(0, true);
  return msg === 0 ? null : { msg, data: payload.slice(2) };
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`not a hex byte string: ${hex}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
