// The one-line text forms a firmware shim prints for what a node hands its host, in
// TypeScript: hal/shell/myco_format.c line for line (change both together). The replay host
// (replay.ts) prints with these, so its output can be compared with a C image's verbatim.

import { EmitKind, InspectWhat, LogLevel } from '../wire/abi.ts';

/** Size of myco_format.c's line buffer: longer lines are cut as the C code cuts them. */
export const LINE_BYTES = 1700;

const HEX = '0123456789abcdef';

/** `prefix` then `bytes` as hex, cut like put_hex so the line fits LINE_BYTES with its NUL. */
function withHex(prefix: string, bytes: Uint8Array): string {
  let at = prefix.length;
  let out = prefix;
  for (let i = 0; i < bytes.length && at + 3 < LINE_BYTES; i++, at += 2) out += HEX[bytes[i] >> 4] + HEX[bytes[i] & 15];
  return out;
}

export function hex(bytes: Uint8Array): string {
  return withHex('', bytes);
}

interface Field {
  /** null: a reserved field, skipped. */
  name: string | null;
  width: 1 | 2 | 4;
  /** A little-endian f32, printed with three decimals. */
  real?: boolean;
}

interface RecordForm {
  name: string;
  /** Name of the trailing bytes; null when the record is exactly its fields. */
  tail: string | null;
  fields: Field[];
}

const f = (name: string | null, width: 1 | 2 | 4): Field => ({ name, width });
const real = (name: string): Field => ({ name, width: 4, real: true });

/** Every emit kind of docs/abi.md: fields in record order, as myco_format.c's g_records. */
export const RECORD_FORMS: Record<number, RecordForm> = {
  [EmitKind.NeighbourUp]: { name: 'neighbour_up', tail: null, fields: [f('id', 2)] },
  [EmitKind.NeighbourDown]: { name: 'neighbour_down', tail: null, fields: [f('id', 2)] },
  [EmitKind.PingRtt]: { name: 'ping_rtt', tail: null, fields: [f('peer', 2), f('seq', 2), f('rtt_ms', 4)] },
  [EmitKind.Delivered]: { name: 'delivered', tail: 'payload', fields: [f('src', 2), f('msg', 2)] },
  [EmitKind.SendDone]: { name: 'send_done', tail: null, fields: [f('msg', 2), f('dst', 2), f('status', 1)] },
  [EmitKind.RoutedRtt]: { name: 'routed_rtt', tail: null, fields: [f('peer', 2), f('seq', 2), f('rtt_ms', 4), f('hops', 1)] },
  [EmitKind.State]: { name: 'state', tail: null, fields: [f('state', 1), f('prev', 1), f('parent', 2), f('depth', 1), f('event', 1)] },
  [EmitKind.InferOutput]: { name: 'infer_output', tail: 'output', fields: [f('first', 2), f('last', 2), f('run', 2), f('status', 1), f(null, 1)] },
  [EmitKind.OrchResult]: {
    name: 'orch_result',
    tail: 'payload',
    fields: [f('origin', 2), f('counter', 2), f('next', 1), f('last', 1), f('target', 2), f('backup1', 2), f('backup2', 2), f('age_ms', 4), f('deadline_ms', 4)],
  },
  [EmitKind.OrchFailed]: { name: 'orch_failed', tail: null, fields: [f('origin', 2), f('counter', 2), f('step', 1), f('reason', 1)] },
  [EmitKind.OrchSteps]: { name: 'orch_steps', tail: null, fields: [f('mask', 4), f('by', 2), f('cause', 1)] },
  [EmitKind.OrchTrace]: { name: 'orch_trace', tail: null, fields: [f('origin', 2), f('counter', 2), f('step', 1), f('event', 1), f('peer', 2)] },
  [EmitKind.Fused]: {
    name: 'fused',
    tail: null,
    fields: [f('step', 4), real('value'), real('lo'), real('hi'), real('average'), f('flags', 1), f('used', 1), f('f', 1), f('rejected', 1), f('sensors', 1)],
  },
  [EmitKind.FuseCluster]: { name: 'fuse_cluster', tail: 'ids', fields: [f('step', 4), f('algo', 1), f('count', 1), f('reference', 2)] },
};

/** myco_format.c's put_real: thousandths by the same double operations, in the same order. */
export function formatReal(bytes: Uint8Array, at: number): string {
  const v = new DataView(bytes.buffer, bytes.byteOffset + at, 4).getFloat32(0, true);
  if (Number.isNaN(v)) return 'nan';
  if (v > 2e9 || v < -2e9) return v > 0 ? '>2e9' : '<-2e9';
  const a = Math.abs(v) * 1000 + 0.5;
  let whole = Math.trunc(a / 1000);
  let rest = a - whole * 1000;
  if (rest < 0) {
    whole--;
    rest += 1000;
  } else if (rest >= 1000) {
    whole++;
    rest -= 1000;
  }
  const frac = Math.trunc(rest);
  return `${v < 0 && (whole || frac) ? '-' : ''}${whole}.${String(frac).padStart(3, '0')}`;
}

function unsigned(bytes: Uint8Array, at: number, width: number): number {
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + bytes[at + i];
  return v;
}

export function formatEmit(kind: number, rec: Uint8Array): string {
  const form = RECORD_FORMS[kind];
  if (form) {
    const fixed = form.fields.reduce((n, fl) => n + fl.width, 0);
    if (form.tail ? rec.length >= fixed : rec.length === fixed) {
      let line = `emit ${form.name}`;
      let at = 0;
      for (const fl of form.fields) {
        if (fl.name) line += ` ${fl.name}=${fl.real ? formatReal(rec, at) : unsigned(rec, at, fl.width)}`;
        at += fl.width;
      }
      return form.tail ? withHex(`${line} ${form.tail}=`, rec.subarray(fixed)) : line;
    }
  }
  return withHex(`emit kind=${kind} bytes=`, rec);
}

export function formatSend(dst: number, frame: Uint8Array): string {
  return withHex(`send dst=${dst} bytes=`, frame);
}

const LEVELS = ['error', 'warn', 'info', 'debug'];

/** Module text made one line: control bytes become '?', the rest (UTF-8) passes, cut at the buffer. */
export function formatLog(level: number, text: Uint8Array): string {
  const prefix = level < 4 ? `log ${LEVELS[level]} ` : `log level${level} `;
  const room = Math.max(0, LINE_BYTES - 1 - prefix.length);
  const kept = text.subarray(0, room).map((c) => (c < 0x20 || c === 0x7f ? 0x3f : c));
  return prefix + new TextDecoder().decode(kept);
}

function u16(d: Uint8Array, at: number): number {
  return d[at] | (d[at + 1] << 8);
}

function u32(d: Uint8Array, at: number): number {
  return (u16(d, at) + u16(d, at + 2) * 65536) >>> 0;
}

function counters(d: Uint8Array): string[] {
  const lines: string[] = [];
  let at = 0;
  while (at < d.length) {
    const n = d[at];
    if (at + 1 + n + 4 > d.length) {
      lines.push(`inspect counters truncated at=${at}`);
      return lines;
    }
    // Names are ASCII by contract; anything that would break `name=value` goes.
    const name = Array.from(d.subarray(at + 1, at + 1 + n), (c) => (c > 0x20 && c < 0x7f && c !== 0x3d ? String.fromCharCode(c) : '_')).join('');
    lines.push(`counter ${name}=${u32(d, at + 1 + n)}`);
    at += 1 + n + 4;
  }
  return lines;
}

const NEIGHBOUR_BYTES = 10;
const ROUTE_BYTES = 10;

function neighbours(d: Uint8Array): string[] {
  if (d.length < 2 || d.length !== 2 + u16(d, 0) * NEIGHBOUR_BYTES) return [`inspect neighbours malformed len=${d.length}`];
  const count = u16(d, 0);
  let head = 'inspect neighbours';
  for (let i = 0; i < count && head.length + 8 < LINE_BYTES; i++) head += `${i ? ',' : ' '}${u16(d, 2 + i * NEIGHBOUR_BYTES)}`;
  const lines = [head];
  for (let i = 0; i < count; i++) {
    const e = 2 + i * NEIGHBOUR_BYTES;
    const rssi = d[e + 4] >= 128 ? d[e + 4] - 256 : d[e + 4];
    lines.push(`neighbour id=${u16(d, e)} in_q=${d[e + 2]} out_q=${d[e + 3]} rssi=${rssi} bidir=${d[e + 5] & 1} age_ms=${u32(d, e + 6)}`);
  }
  return lines;
}

function routes(d: Uint8Array): string[] {
  if (d.length < 6 || d.length !== 6 + u16(d, 0) * ROUTE_BYTES) return [`inspect routes malformed len=${d.length}`];
  const count = u16(d, 0);
  const lines = [`inspect routes count=${count} own_seq=${u16(d, 2)} holddown=${d[4] & 1}`];
  for (let i = 0; i < count; i++) {
    const e = 6 + i * ROUTE_BYTES;
    lines.push(`route dest=${u16(d, e)} next=${u16(d, e + 2)} seq=${u16(d, e + 4)} metric=${u16(d, e + 6)} flags=${d[e + 8]} age_s=${d[e + 9]}`);
  }
  return lines;
}

/** An inspect dump: one or more lines. */
export function formatReport(what: number, dump: Uint8Array): string[] {
  if (what === InspectWhat.Counters) return counters(dump);
  if (what === InspectWhat.Neighbours) return neighbours(dump);
  if (what === InspectWhat.Routes) return routes(dump);
  return [withHex(`inspect what=${what} bytes=`, dump)];
}

/** A line from the shell itself, as the replay shim prints it (myco_replay_shim.c). */
export function formatNote(level: number, line: string): string {
  return `${level === LogLevel.Error ? 'error ' : level === LogLevel.Warn ? 'warn ' : ''}${line}`;
}
