// Copies of ACK_REQ frames sent to a neighbour and not yet acknowledged: a fixed number of
// MTU-sized slots allocated in `init`. A slot is freed by the matching LINK_ACK or when its
// retransmissions run out.

export class RetxPool {
  capacity: i32;
  slotBytes: u32;
  frames: StaticArray<u8>;
  used: StaticArray<bool>;
  hop: StaticArray<u16>;
  len: StaticArray<u16>;
  tries: StaticArray<u8>;
  dueMs: StaticArray<u32>;
  inUse: i32 = 0;

  constructor(capacity: i32, mtu: u32) {
    this.capacity = capacity;
    this.slotBytes = mtu;
    this.frames = new StaticArray<u8>(capacity * <i32>mtu);
    this.used = new StaticArray<bool>(capacity);
    this.hop = new StaticArray<u16>(capacity);
    this.len = new StaticArray<u16>(capacity);
    this.tries = new StaticArray<u8>(capacity);
    this.dueMs = new StaticArray<u32>(capacity);
  }

  get free(): i32 {
    return this.capacity - this.inUse;
  }

  frame(i: i32): usize {
    return changetype<usize>(this.frames) + <usize>i * <usize>this.slotBytes;
  }

  /** Copies a frame into a free slot; -1 when none is free. */
  take(nextHop: u32, frame: usize, len: u32, dueMs: u32): i32 {
    for (let i = 0; i < this.capacity; i++) {
      if (unchecked(this.used[i])) continue;
      memory.copy(this.frame(i), frame, len);
      unchecked((this.used[i] = true));
      unchecked((this.hop[i] = <u16>nextHop));
      unchecked((this.len[i] = <u16>len));
      unchecked((this.tries[i] = 0));
      unchecked((this.dueMs[i] = dueMs));
      this.inUse++;
      return i;
    }
    return -1;
  }

  release(i: i32): void {
    if (!unchecked(this.used[i])) return;
    unchecked((this.used[i] = false));
    this.inUse--;
  }
}
