// A do-nothing HAL for instantiating a node module outside the simulator: enough to measure
// it at build time and to drive it from unit tests. The real JS HAL lives in host-sim.

export interface HalHooks {
  now?: () => number;
  send?: (dst: number, bytes: Uint8Array) => number;
  emit?: (kind: number, bytes: Uint8Array) => void;
  log?: (level: number, text: string) => void;
  rand?: () => number;
  /** Bytes of blob `id` from `offset` (at most `len`), or -1 / -2 as the HAL's `blob_read`. */
  blobRead?: (id: number, offset: number, len: number) => Uint8Array | number;
  /** The `wifi` import (docs/abi.md, "Wi-Fi tree links"); without it every op answers -5. */
  wifi?: (op: number, arg: number) => number;
}

export class ModulePanic extends Error {
  constructor(readonly code: number, message: string) {
    super(`module panic (code ${code}): ${message}`);
  }
}

/** A deterministic 32-bit generator (xorshift32) so stubbed nodes behave the same every run. */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x;
  };
}

/**
 * Builds the `hal` import object. `memory` is read lazily because the module's memory only
 * exists once it is instantiated.
 */
export function stubHal(memory: () => WebAssembly.Memory, hooks: HalHooks = {}): WebAssembly.Imports {
  const bytes = (ptr: number, len: number) => new Uint8Array(memory().buffer, ptr, len).slice();
  const rand = hooks.rand ?? xorshift32(1);
  return {
    hal: {
      now_ms: () => (hooks.now ? hooks.now() : 0) >>> 0,
      send: (dst: number, ptr: number, len: number) => (hooks.send ? hooks.send(dst, bytes(ptr, len)) : 0),
      rand: () => rand() >>> 0,
      log: (level: number, ptr: number, len: number) => hooks.log?.(level, new TextDecoder().decode(bytes(ptr, len))),
      emit: (kind: number, ptr: number, len: number) => hooks.emit?.(kind, bytes(ptr, len)),
      sensor: () => -1,
      blob_read: (id: number, offset: number, ptr: number, len: number) => {
        const data = hooks.blobRead ? hooks.blobRead(id >>> 0, offset >>> 0, len >>> 0) : -1;
        if (typeof data === 'number') return data;
        const n = Math.min(data.length, len >>> 0);
        new Uint8Array(memory().buffer, ptr, n).set(data.subarray(0, n));
        return n;
      },
      accel: () => -1,
      compute: () => {},
      wifi: (op: number, arg: number) => (hooks.wifi ? hooks.wifi(op >>> 0, arg >>> 0) : -5), // no Wi-Fi outside the simulator's wifi medium unless a test stands in
      panic: (code: number, ptr: number, len: number) => {
        throw new ModulePanic(code, new TextDecoder().decode(bytes(ptr, len)));
      },
    },
  };
}
