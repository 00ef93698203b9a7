// The lifecycle's event queue (HERMES §3.2.4): a circular buffer of fixed size. When it is
// full the oldest event is overwritten, so a burst can never stall the node or allocate; every
// overwrite is counted. An event is `kind:u8 peer:u16 arg:u16`.

export const RING_CAPACITY: i32 = 16;

export class EventRing {
  kinds: StaticArray<u8>;
  peers: StaticArray<u16>;
  args: StaticArray<u16>;
  head: i32 = 0;
  size: i32 = 0;
  overwrites: u32 = 0;

  constructor(capacity: i32 = RING_CAPACITY) {
    this.kinds = new StaticArray<u8>(capacity);
    this.peers = new StaticArray<u16>(capacity);
    this.args = new StaticArray<u16>(capacity);
  }

  get capacity(): i32 {
    return this.kinds.length;
  }

  push(kind: u32, peer: u32, arg: u32): void {
    const cap = this.kinds.length;
    let at = this.head + this.size;
    if (at >= cap) at -= cap;
    if (this.size == cap) {
      // Full: the new event takes the oldest one's slot.
      this.head = this.head + 1 == cap ? 0 : this.head + 1;
      this.overwrites++;
    } else {
      this.size++;
    }
    unchecked((this.kinds[at] = <u8>kind));
    unchecked((this.peers[at] = <u16>peer));
    unchecked((this.args[at] = <u16>arg));
  }

  get empty(): bool {
    return this.size == 0;
  }

  /** Kind, peer and arg of the oldest event (valid until the next pop). */
  get kind(): u32 {
    return <u32>unchecked(this.kinds[this.head]);
  }

  get peer(): u32 {
    return <u32>unchecked(this.peers[this.head]);
  }

  get arg(): u32 {
    return <u32>unchecked(this.args[this.head]);
  }

  pop(): void {
    if (this.size == 0) return;
    this.head = this.head + 1 == this.kinds.length ? 0 : this.head + 1;
    this.size--;
  }

  clear(): void {
    this.head = 0;
    this.size = 0;
  }
}
