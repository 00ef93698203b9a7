// Network-wide broadcast bookkeeping: a fixed ring of recently seen (src, type, seq) so each
// broadcast is delivered and rebroadcast once per node, and a few slots holding frames that
// wait for their rebroadcast jitter to pass.

export class FloodCache {
  srcs: StaticArray<u16>;
  seqs: StaticArray<u16>;
  types: StaticArray<u8>;
  next: i32 = 0;
  size: i32 = 0;

  constructor(capacity: i32) {
    this.srcs = new StaticArray<u16>(capacity);
    this.seqs = new StaticArray<u16>(capacity);
    this.types = new StaticArray<u8>(capacity);
  }

  has(src: u32, type: u32, seq: u32): bool {
    for (let i = 0; i < this.size; i++) {
      if (<u32>unchecked(this.srcs[i]) == src && <u32>unchecked(this.seqs[i]) == seq && <u32>unchecked(this.types[i]) == type) return true;
    }
    return false;
  }

  /** Remembers a broadcast, overwriting the oldest when full. */
  add(src: u32, type: u32, seq: u32): void {
    const i = this.next;
    unchecked((this.srcs[i] = <u16>src));
    unchecked((this.seqs[i] = <u16>seq));
    unchecked((this.types[i] = <u8>type));
    this.next = (i + 1) % this.srcs.length;
    if (this.size < this.srcs.length) this.size++;
  }
}

/** Frames waiting out their jitter before rebroadcast (one more arriving meanwhile goes at once). */
export const FLOOD_SLOTS: i32 = 1;

export class FloodQueue {
  frames: StaticArray<u8>;
  mtu: u32;
  lens: StaticArray<u16> = new StaticArray<u16>(FLOOD_SLOTS);
  dueMs: StaticArray<u32> = new StaticArray<u32>(FLOOD_SLOTS);

  constructor(mtu: u32) {
    this.mtu = mtu;
    this.frames = new StaticArray<u8>(FLOOD_SLOTS * <i32>mtu);
  }

  frame(i: i32): usize {
    return changetype<usize>(this.frames) + <usize>i * <usize>this.mtu;
  }

  /** A free slot, or -1. */
  free(): i32 {
    for (let i = 0; i < FLOOD_SLOTS; i++) if (unchecked(this.lens[i]) == 0) return i;
    return -1;
  }
}
