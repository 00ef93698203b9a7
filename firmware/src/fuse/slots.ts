// The fusion node's table of sensors: one slot per sensor heard (node id), with its reading
// for the current step. A sensor joins with its first reading and leaves after
// `timeout` silent steps, so the set fused follows sensors that come, go or fail, within a
// capacity fixed at init (at most 32: clusters are slot masks).

export class SensorSlots {
  readonly capacity: i32;
  /** Bit i set = slot i holds a sensor. */
  active: u32 = 0;
  ids: StaticArray<u16>;
  /** Steps in a row without a reading. */
  missed: StaticArray<u8>;
  /** The current step's reading, when `has`. */
  has: StaticArray<bool>;
  values: StaticArray<f64>;
  accuracies: StaticArray<f64>;
  lastSeq: StaticArray<u16>;

  constructor(capacity: i32) {
    this.capacity = capacity;
    this.ids = new StaticArray<u16>(capacity);
    this.missed = new StaticArray<u8>(capacity);
    this.has = new StaticArray<bool>(capacity);
    this.values = new StaticArray<f64>(capacity);
    this.accuracies = new StaticArray<f64>(capacity);
    this.lastSeq = new StaticArray<u16>(capacity);
  }

  isActive(slot: i32): bool {
    return (this.active & (<u32>1 << slot)) != 0;
  }

  /** The slot of sensor `id`, or -1. */
  find(id: u32): i32 {
    for (let i = 0; i < this.capacity; i++) if (this.isActive(i) && <u32>unchecked(this.ids[i]) == id) return i;
    return -1;
  }

  /** A free slot taken for `id`, or -1 when the table is full. */
  join(id: u32): i32 {
    for (let i = 0; i < this.capacity; i++) {
      if (this.isActive(i)) continue;
      this.active |= <u32>1 << i;
      unchecked((this.ids[i] = <u16>id));
      unchecked((this.missed[i] = 0));
      unchecked((this.has[i] = false));
      return i;
    }
    return -1;
  }

  leave(slot: i32): void {
    this.active &= ~(<u32>1 << slot);
    unchecked((this.has[slot] = false));
  }

  /** Stores the reading; false when the slot already had one this step (the newer wins). */
  put(slot: i32, value: f64, accuracy: f64, seq: u32): bool {
    const first = !unchecked(this.has[slot]);
    unchecked((this.has[slot] = true));
    unchecked((this.values[slot] = value));
    unchecked((this.accuracies[slot] = accuracy));
    unchecked((this.lastSeq[slot] = <u16>seq));
    return first;
  }
}
