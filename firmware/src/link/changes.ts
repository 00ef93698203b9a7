// Neighbour changes the link layer reports to the layer above. The link layer cannot call
// upwards, so it records each change here and the node program hands the record to the route
// layer after every call into the link layer. The ring holds more changes than one call can
// make (every neighbour expiring at once, plus a restart seen in a hello), so nothing is lost;
// should it ever fill, `overflowed` tells the reader to resynchronise from the table.

export const enum Change {
  /** A neighbour entered the table. */
  Up = 1,
  /** A neighbour left the table: timeout, eviction, link down, transmissions failing, or restart. */
  Down = 2,
  /** A neighbour began to list us in its hellos: the link now works both ways. */
  Usable = 3,
}

export class NeighbourChanges {
  kinds: StaticArray<u8>;
  ids: StaticArray<u16>;
  size: i32 = 0;
  overflowed: bool = false;

  constructor(capacity: i32) {
    this.kinds = new StaticArray<u8>(capacity);
    this.ids = new StaticArray<u16>(capacity);
  }

  push(kind: u32, id: u32): void {
    if (this.size >= this.kinds.length) {
      this.overflowed = true;
      return;
    }
    unchecked(this.kinds[this.size] = <u8>kind);
    unchecked(this.ids[this.size] = <u16>id);
    this.size++;
  }

  kindAt(i: i32): u32 {
    return <u32>unchecked(this.kinds[i]);
  }

  idAt(i: i32): u32 {
    return <u32>unchecked(this.ids[i]);
  }

  clear(): void {
    this.size = 0;
    this.overflowed = false;
  }
}
