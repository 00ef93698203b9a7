// Counter registry: fixed slots with static names, so counting is a single store and a dump
// needs no allocation. Each layer owns a contiguous range of slot ids (compile-time
// constants in its own counters file) and names its slots once during `init`.

import { fits, putAscii, putU8, putU32 } from "./bytes";

export const MAX_COUNTERS: i32 = 160;

const values: usize = memory.data(MAX_COUNTERS * 4);
// Addresses of the name strings; string literals live in static data, so storing their
// address keeps them without a copy.
const names: usize = memory.data(MAX_COUNTERS * 4);

/** Gives slot `id` its dotted name (`wire.drop.length`) and zeroes it. Names are ASCII. */
export function defineCounter(id: i32, name: string): void {
  if (<u32>id >= <u32>MAX_COUNTERS) return;
  store<usize>(names + (<usize>id << 2), changetype<usize>(name));
  store<u32>(values + (<usize>id << 2), 0);
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
  for (let id = 0; id < MAX_COUNTERS; id++) {
    const namePtr = load<usize>(names + (<usize>id << 2));
    if (namePtr != 0) total += 1 + <u32>changetype<string>(namePtr).length + 4;
  }
  return total;
}

/**
 * Serialises every named slot as `name_len:u8 name value:u32` (docs/abi.md, Inspect 0)
 * into `out`; stops before a record that would not fit. Returns the bytes written.
 */
export function writeCounters(out: usize, cap: u32): u32 {
  let at: u32 = 0;
  for (let id = 0; id < MAX_COUNTERS; id++) {
    const namePtr = load<usize>(names + (<usize>id << 2));
    if (namePtr == 0) continue;
    const name = changetype<string>(namePtr);
    const nameLen = <u32>name.length;
    if (!fits(cap, at, 1 + nameLen + 4)) break;
    putU8(out, at, nameLen);
    putAscii(out, at + 1, name);
    putU32(out, at + 1 + nameLen, load<u32>(values + (<usize>id << 2)));
    at += 1 + nameLen + 4;
  }
  return at;
}
