// Recently accepted ACK_REQ frames, by (header src, type, seq). A neighbour resends a
// frame whose LINK_ACK it did not hear; the copy must be acknowledged again but not handed
// up (or forwarded) a second time. A small ring is enough: a resend follows its original
// within a few ack timeouts, long before `capacity` newer frames have pushed it out.

export class DupCache {
  /** src << 24 | type << 16 | seq, 0 = empty (src is never 0). */
  keys: StaticArray<u64>;
  next: i32 = 0;

  constructor(capacity: i32) {
    this.keys = new StaticArray<u64>(capacity);
  }

  static key(src: u32, type: u32, seq: u32): u64 {
    return (<u64>(src & 0xffff) << 24) | (<u64>(type & 0xff) << 16) | <u64>(seq & 0xffff);
  }

  has(src: u32, type: u32, seq: u32): bool {
    const k = DupCache.key(src, type, seq);
    const n = this.keys.length;
    for (let i = 0; i < n; i++) if (unchecked(this.keys[i]) == k) return true;
    return false;
  }

  /** Remembers a frame, forgetting the oldest one when full. */
  add(src: u32, type: u32, seq: u32): void {
    unchecked((this.keys[this.next] = DupCache.key(src, type, seq)));
    this.next = (this.next + 1) % this.keys.length;
  }
}
