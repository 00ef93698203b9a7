// Little-endian access to byte buffers in linear memory. Wasm itself is little-endian and
// allows unaligned loads, so each accessor is a single load or store. Decoders call `fits`
// once per record before reading it; the accessors then need no check of their own.

/** True when `size` bytes at offset `at` lie inside a buffer of `len` bytes (no overflow). */
// @ts-ignore: decorator
@inline export function fits(len: u32, at: u32, size: u32): bool {
  return at <= len && size <= len - at;
}

// @ts-ignore: decorator
@inline export function getU8(buf: usize, at: u32): u32 { return <u32>load<u8>(buf + at); }
// @ts-ignore: decorator
@inline export function getI8(buf: usize, at: u32): i32 { return <i32>load<i8>(buf + at); }
// @ts-ignore: decorator
@inline export function getU16(buf: usize, at: u32): u32 { return <u32>load<u16>(buf + at); }
// @ts-ignore: decorator
@inline export function getU32(buf: usize, at: u32): u32 { return load<u32>(buf + at); }

// @ts-ignore: decorator
@inline export function putU8(buf: usize, at: u32, v: u32): void { store<u8>(buf + at, <u8>v); }
// @ts-ignore: decorator
@inline export function putU16(buf: usize, at: u32, v: u32): void { store<u16>(buf + at, <u16>v); }
// @ts-ignore: decorator
@inline export function putU32(buf: usize, at: u32, v: u32): void { store<u32>(buf + at, v); }

/**
 * Reads an unsigned integer of 1, 2 or 4 bytes, the widths config values and counters use.
 * Returns 0 for any other width; callers validate the width first.
 */
export function getUint(buf: usize, at: u32, width: u32): u32 {
  if (width == 1) return getU8(buf, at);
  if (width == 2) return getU16(buf, at);
  if (width == 4) return getU32(buf, at);
  return 0;
}

/** Wrap-safe "a is before b" for u32 milliseconds (docs/abi.md, Conventions). */
// @ts-ignore: decorator
@inline export function before(a: u32, b: u32): bool {
  return <i32>(a - b) < 0;
}
