// Counter registry: fixed slots with static names, so counting is a single store and a dump
// needs no allocation. Each layer owns a contiguous range of slot ids (compile-time
// constants in its own counters file) and names its slots once during `init`, a block of
// consecutive slots at a time.

import { fits, putU8, putU32 } from "./bytes";

export const MAX_COUNTERS: i32 = 176;
/** Named blocks at most: one or two per layer (a gap in a layer's range starts a new block). */
const MAX_BLOCKS: i32 = 12;

const values: usize = memory.data(MAX_COUNTERS * 4);
// One entry per named block, in ascending slot order: the address of its names string
// (a literal in static data, kept without a copy) as u32, its first slot as u16 and its
// number of slots as u16.
const blocks: usize = memory.data(MAX_BLOCKS * 8);
let blockCount: i32 = 0;

// @ts-ignore: decorator
@inline function blockNames(b: i32): usize {
  return <usize>load<u32>(blocks + (<usize>b << 3));
}

// @ts-ignore: decorator
@inline function blockFirst(b: i32): i32 {
  return <i32>load<u16>(blocks + (<usize>b << 3), 4);
}

// @ts-ignore: decorator
@inline function blockSlots(b: i32): i32 {
  return <i32>load<u16>(blocks + (<usize>b << 3), 6);
}

/**
 * Names the consecutive slots from `first` on and zeroes them. `names` lists their dotted
 * names (`wire.drop.length`) in slot order, separated by a single space; names are ASCII.
 * Blocks must not overlap; defining a block at the same `first` again replaces it.
 */
export function defineCounterBlock(first: i32, names: string): void {
  const len = names.length;
  if (len == 0) return;
  const src = changetype<usize>(names);
  let slots: i32 = 1;
  for (let i = 0; i < len; i++) if (load<u16>(src + (<usize>i << 1)) == 0x20) slots++;
  if (first < 0 || first + slots > MAX_COUNTERS) return;
  // Keep the blocks in slot order, so a dump lists slots in ascending order.
  let at = 0;
  while (at < blockCount && blockFirst(at) < first) at++;
  if (at == blockCount || blockFirst(at) != first) {
    if (blockCount == MAX_BLOCKS) return;
    memory.copy(blocks + (<usize>(at + 1) << 3), blocks + (<usize>at << 3), <usize>(blockCount - at) << 3);
    blockCount++;
  }
  const entry = blocks + (<usize>at << 3);
  store<u32>(entry, <u32>src);
  store<u16>(entry, <u16>first, 4);
  store<u16>(entry, <u16>slots, 6);
  memory.fill(values + (<usize>first << 2), 0, <usize>slots << 2);
}

// @ts-ignore: decorator
@inline export function count(id: i32): void {
  const at = values + (<usize>id << 2);
  store<u32>(at, load<u32>(at) + 1);
}

// @ts-ignore: decorator
@inline export function countBy(id: i32, amount: u32): void {
  const at = values + (<usize>id << 2);
  store<u32>(at, load<u32>(at) + amount);
}

export function counterValue(id: i32): u32 {
  if (<u32>id >= <u32>MAX_COUNTERS) return 0;
  return load<u32>(values + (<usize>id << 2));
}

/** Bytes `writeCounters` needs for every slot named so far. */
export function countersDumpBytes(): u32 {
  let total: u32 = 0;
  for (let b = 0; b < blockCount; b++) {
    // Each slot's record is 1 + name + 4 bytes; the names plus the spaces between them are
    // the string's length.
    const slots = <u32>blockSlots(b);
    total += <u32>changetype<string>(blockNames(b)).length - (slots - 1) + slots * 5;
  }
  return total;
}

/**
 * Serialises every named slot as `name_len:u8 name value:u32` (docs/abi.md, Inspect 0)
 * into `out`; stops before a record that would not fit. Returns the bytes written.
 */
export function writeCounters(out: usize, cap: u32): u32 {
  let at: u32 = 0;
  for (let b = 0; b < blockCount; b++) {
    const src = blockNames(b);
    const len = <u32>changetype<string>(src).length;
    let id = blockFirst(b);
    let start: u32 = 0;
    for (let i: u32 = 0; i <= len; i++) {
      if (i < len && load<u16>(src + (<usize>i << 1)) != 0x20) continue;
      const nameLen = i - start;
      if (!fits(cap, at, 1 + nameLen + 4)) return at;
      putU8(out, at, nameLen);
      for (let k: u32 = 0; k < nameLen; k++) {
        const c = load<u16>(src + (<usize>(start + k) << 1));
        store<u8>(out + at + 1 + k, c < 0x80 ? <u8>c : 0x3f);
      }
      putU32(out, at + 1 + nameLen, load<u32>(values + (<usize>id << 2)));
      at += 1 + nameLen + 4;
      start = i + 1;
      id++;
    }
  }
  return at;
}
