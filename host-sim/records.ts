// Decoding `emit` records (docs/abi.md, "Emit records") into event-log rows.

import { EmitKind } from '../tools/wire/abi.ts';

export interface DecodedRecord {
  event: string;
  detail: string;
  /** Present for PING_RTT: used for the node's rtt statistics. */
  rttMs?: number;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function decodeRecord(kind: number, bytes: Uint8Array): DecodedRecord {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (kind) {
    case EmitKind.NeighbourUp:
      if (bytes.length === 2) return { event: 'neighbour_up', detail: `peer=${view.getUint16(0, true)}` };
      break;
    case EmitKind.NeighbourDown:
      if (bytes.length === 2) return { event: 'neighbour_down', detail: `peer=${view.getUint16(0, true)}` };
      break;
    case EmitKind.PingRtt:
      if (bytes.length === 8) {
        const rttMs = view.getUint32(4, true);
        return { event: 'ping_rtt', detail: `peer=${view.getUint16(0, true)} seq=${view.getUint16(2, true)} rtt_ms=${rttMs}`, rttMs };
      }
      break;
  }
  return { event: `emit_${kind}`, detail: hex(bytes) };
}
