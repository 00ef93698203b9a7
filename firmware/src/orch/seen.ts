// Duplicate filter of the work package manager: a fixed ring of recently taken
// (package, step) pairs, so a retransmitted dispatch is acknowledged again but not run twice,
// and a result reaches its target's host once.

export class SeenCache {
  keys: StaticArray<u32>;
  steps: StaticArray<u8>;
  used: i32 = 0;
  at: i32 = 0;

  constructor(capacity: i32) {
    this.keys = new StaticArray<u32>(capacity);
    this.steps = new StaticArray<u8>(capacity);
  }

  has(key: u32, step: u32): bool {
    for (let i = 0; i < this.used; i++) {
      if (unchecked(this.keys[i]) == key && <u32>unchecked(this.steps[i]) == step) return true;
    }
    return false;
  }

  /** Remembers (key, step), replacing the oldest entry when full. */
  add(key: u32, step: u32): void {
    const i = this.at;
    unchecked((this.keys[i] = key));
    unchecked((this.steps[i] = <u8>step));
    this.at = i + 1 == this.keys.length ? 0 : i + 1;
    if (this.used < this.keys.length) this.used++;
  }
}
