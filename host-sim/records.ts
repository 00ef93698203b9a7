// Decoding `emit` records (docs/abi.md, "Emit records") into event-log rows.

import { EmitKind } from '../tools/wire/abi.ts';
import { decodeDelivered, decodeSendDone, sendStatusName } from '../tools/wire/delivery.ts';
import { decodeFuseCluster, decodeFused } from '../tools/wire/fuse.ts';
import { decodeState, stateName, type StateRecord } from './lifecycle.ts';

export interface DecodedRecord {
  event: string;
  detail: string;
  /** Present for PING_RTT and ROUTED_RTT: used for the node's rtt statistics. */
  rttMs?: number;
  /** Present for ROUTED_RTT: hops the echo travelled. */
  hops?: number;
  /** Present for STATE (tree mode): the lifecycle state change. */
  life?: StateRecord;
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
    case EmitKind.RoutedRtt:
      if (bytes.length === 9) {
        const rttMs = view.getUint32(4, true);
        const hops = bytes[8];
        return { event: 'routed_rtt', detail: `peer=${view.getUint16(0, true)} seq=${view.getUint16(2, true)} rtt_ms=${rttMs} hops=${hops}`, rttMs, hops };
      }
      break;
    case EmitKind.State: {
      const life = decodeState(bytes);
      if (life) {
        return {
          event: 'state',
          detail: `state=${stateName(life.state)} prev=${stateName(life.prev)} parent=${life.parent} depth=${life.depth} event=${life.event}`,
          life,
        };
      }
      break;
    }
    case EmitKind.Delivered: {
      const d = decodeDelivered(bytes);
      if (d) return { event: 'delivered', detail: `src=${d.src} msg=${d.msg} len=${d.payload.length}` };
      break;
    }
    case EmitKind.SendDone: {
      const d = decodeSendDone(bytes);
      if (d) return { event: 'send_done', detail: `msg=${d.msg} dst=${d.dst} status=${sendStatusName(d.status)}` };
      break;
    }
    case EmitKind.Fused: {
      const r = decodeFused(bytes);
      if (r) {
        const x = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : String(v));
        return { event: 'fused', detail: `step=${r.step} value=${x(r.value)} interval=[${x(r.lo)},${x(r.hi)}] average=${x(r.average)} flags=${r.flags} used=${r.used} f=${r.f} rejected=${r.rejected} sensors=${r.sensors}` };
      }
      break;
    }
    case EmitKind.FuseCluster: {
      const r = decodeFuseCluster(bytes);
      if (r) return { event: 'fuse_cluster', detail: `step=${r.step} algo=${r.algo} reference=${r.reference} ids=${r.ids.join(',')}` };
      break;
    }
  }
  return { event: `emit_${kind}`, detail: hex(bytes) };
}
