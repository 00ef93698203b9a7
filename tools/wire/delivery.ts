// Host side of message delivery's ABI records (docs/abi.md): the SEND and SEND_BLOB submit
// data, and the DELIVERED and SEND_DONE emit records.

import { SendStatus } from './abi.ts';

function checkU(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} = ${value} is not in 0..${max}`);
}

/** submit(SEND) data: dst:u16 flags:u8 payload. */
export function encodeSend(dst: number, payload: Uint8Array, flags = 0): Uint8Array {
  checkU('dst', dst, 0xffff);
  checkU('flags', flags, 0xff);
  const out = new Uint8Array(3 + payload.length);
  out[0] = dst & 0xff;
  out[1] = dst >> 8;
  out[2] = flags;
  out.set(payload, 3);
  return out;
}

/** submit(SEND_BLOB) data: dst:u16 flags:u8 blob:u32 len:u32. */
export function encodeSendBlob(dst: number, blob: number, len: number, flags = 0): Uint8Array {
  checkU('dst', dst, 0xffff);
  checkU('flags', flags, 0xff);
  checkU('blob', blob, 0xffffffff);
  checkU('len', len, 0xffffffff);
  const out = new Uint8Array(11);
  const view = new DataView(out.buffer);
  view.setUint16(0, dst, true);
  out[2] = flags;
  view.setUint32(3, blob, true);
  view.setUint32(7, len, true);
  return out;
}

export interface Delivered {
  src: number;
  msg: number;
  payload: Uint8Array;
}

/** DELIVERED record: src:u16 msg:u16 payload; null when shorter than its head. */
export function decodeDelivered(bytes: Uint8Array): Delivered | null {
  if (bytes.length < 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { src: view.getUint16(0, true), msg: view.getUint16(2, true), payload: bytes.slice(4) };
}

export interface SendDone {
  msg: number;
  dst: number;
  status: number;
}

/** SEND_DONE record: msg:u16 dst:u16 status:u8; null when not 5 bytes. */
export function decodeSendDone(bytes: Uint8Array): SendDone | null {
  if (bytes.length !== 5) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { msg: view.getUint16(0, true), dst: view.getUint16(2, true), status: bytes[4] };
}

const STATUS_NAMES: Record<number, string> = {
  [SendStatus.Delivered]: 'delivered',
  [SendStatus.NoRoute]: 'no_route',
  [SendStatus.RetriesExhausted]: 'retries_exhausted',
  [SendStatus.Deadline]: 'deadline',
  [SendStatus.Refused]: 'refused',
};

export function sendStatusName(status: number): string {
  return STATUS_NAMES[status] ?? `status_${status}`;
}
