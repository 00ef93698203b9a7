// Decoders for the dumps `inspect` writes into the outbox (docs/abi.md, "Inspect").
// They face bytes from a module that may be buggy, so every length is checked.

export type Counters = Record<string, number>;

export interface NeighbourEntry {
  id: number;
  inQuality: number;
  outQuality: number;
  rssi: number;
  bidirectional: boolean;
  ageMs: number;
}

export function decodeCounters(bytes: Uint8Array): Counters {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const counters: Counters = {};
  let at = 0;
  while (at < bytes.length) {
    const nameLen = bytes[at];
    if (at + 1 + nameLen + 4 > bytes.length) throw new Error(`counter dump truncated at byte ${at}`);
    const name = new TextDecoder().decode(bytes.subarray(at + 1, at + 1 + nameLen));
    counters[name] = view.getUint32(at + 1 + nameLen, true);
    at += 1 + nameLen + 4;
  }
  return counters;
}

const NEIGHBOUR_ENTRY_BYTES = 10;

export function decodeNeighbours(bytes: Uint8Array): NeighbourEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 2) throw new Error('neighbour dump shorter than its 2-byte count');
  const count = view.getUint16(0, true);
  if (bytes.length !== 2 + count * NEIGHBOUR_ENTRY_BYTES) {
    throw new Error(`neighbour dump of ${bytes.length} bytes does not hold ${count} entries`);
  }
  const entries: NeighbourEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = 2 + i * NEIGHBOUR_ENTRY_BYTES;
    entries.push({
      id: view.getUint16(at, true),
      inQuality: bytes[at + 2],
      outQuality: bytes[at + 3],
      rssi: view.getInt8(at + 4),
      bidirectional: (bytes[at + 5] & 1) !== 0,
      ageMs: view.getUint32(at + 6, true),
    });
  }
  return entries;
}

/** `inspect(2)`: the routing table. */
export interface RouteDumpEntry {
  dest: number;
  next: number;
  seq: number;
  /** Path cost in 1/16 hops (docs/routing.md); 0xFFFF = unreachable. */
  metric: number;
  /** Changed since it last went out in an update. */
  changed: boolean;
  ageS: number;
}

export interface RoutesDump {
  ownSeq: number;
  /** The node is in its post-boot hold-down. */
  holding: boolean;
  routes: RouteDumpEntry[];
}

export const METRIC_INFINITE = 0xffff;
const ROUTES_FIXED_BYTES = 6;
const ROUTE_ENTRY_BYTES = 10;

export function decodeRoutes(bytes: Uint8Array): RoutesDump {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < ROUTES_FIXED_BYTES) throw new Error(`route dump shorter than its ${ROUTES_FIXED_BYTES}-byte header`);
  const count = view.getUint16(0, true);
  if (bytes.length !== ROUTES_FIXED_BYTES + count * ROUTE_ENTRY_BYTES) {
    throw new Error(`route dump of ${bytes.length} bytes does not hold ${count} entries`);
  }
  const routes: RouteDumpEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = ROUTES_FIXED_BYTES + i * ROUTE_ENTRY_BYTES;
    routes.push({
      dest: view.getUint16(at, true),
      next: view.getUint16(at + 2, true),
      seq: view.getUint16(at + 4, true),
      metric: view.getUint16(at + 6, true),
      changed: (bytes[at + 8] & 1) !== 0,
      ageS: bytes[at + 9],
    });
  }
  return { ownSeq: view.getUint16(2, true), holding: (bytes[4] & 1) !== 0, routes };
}

/** `inspect(3)` in tree mode (docs/abi.md, Inspect): the lifecycle's view of the tree. */
export interface TreeDump {
  state: number;
  depth: number;
  parent: number;
  root: number;
  joining: number;
  overwrites: number;
  children: { id: number; registered: boolean }[];
}

export function decodeTree(bytes: Uint8Array): TreeDump {
  if (bytes.length < 12) throw new Error(`tree dump of ${bytes.length} bytes, need at least 12`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes[10];
  if (bytes.length !== 12 + 3 * count) throw new Error(`tree dump of ${bytes.length} bytes for ${count} children`);
  const children = [];
  for (let i = 0; i < count; i++) children.push({ id: view.getUint16(12 + 3 * i, true), registered: (bytes[14 + 3 * i] & 1) !== 0 });
  return {
    state: bytes[0], depth: bytes[1], parent: view.getUint16(2, true), root: view.getUint16(4, true),
    joining: view.getUint16(6, true), overwrites: view.getUint16(8, true), children,
  };
}
