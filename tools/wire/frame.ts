// TypeScript codec of the wire format (docs/wire.md) for host tools and tests. It must
// produce the same bytes and the same drop reasons as firmware/src/wire/; the shared
// vectors in test/vectors/wire.json hold both to that.

export const WIRE_VERSION = 1;
export const HEADER_BYTES = 12;
export const TAG_BYTES = 8;
export const BROADCAST = 0xffff;

export const Flag = { Tag: 1, AckReq: 2, Frag: 4 } as const;
const RESERVED_FLAGS = 0xf8;

export const MsgType = { Hello: 0x01, Ping: 0x02, Pong: 0x03 } as const;

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

// HELLO (0x01): interval_ms:u16 count:u8, then count x (id:u16 in_q:u8).

export interface Hello {
  intervalMs: number;
  neighbours: { id: number; inQuality: number }[];
}

export function encodeHello(hello: Hello): Uint8Array {
  checkField('hello interval_ms', hello.intervalMs, 0xffff);
  checkField('hello count', hello.neighbours.length, 0xff);
  const out = new Uint8Array(3 + 3 * hello.neighbours.length);
  const view = new DataView(out.buffer);
  view.setUint16(0, hello.intervalMs, true);
  out[2] = hello.neighbours.length;
  hello.neighbours.forEach((n, i) => {
    checkField('hello neighbour id', n.id, 0xffff);
    checkField('hello neighbour in_q', n.inQuality, 0xff);
    view.setUint16(3 + 3 * i, n.id, true);
    out[5 + 3 * i] = n.inQuality;
  });
  return out;
}

/** null when the payload does not match the HELLO layout. */
export function decodeHello(payload: Uint8Array): Hello | null {
  if (payload.length < 3) return null;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const count = payload[2];
  const intervalMs = view.getUint16(0, true);
  if (payload.length !== 3 + 3 * count || intervalMs === 0) return null;
  const neighbours = [];
  for (let i = 0; i < count; i++) neighbours.push({ id: view.getUint16(3 + 3 * i, true), inQuality: payload[5 + 3 * i] });
  return { intervalMs, neighbours };
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
