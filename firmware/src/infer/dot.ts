// The inner product every int8 matrix kernel ends in:
//
//   sum over i < n of (a[i] + aOffset) * (b[i] + bOffset)
//
// read four bytes at a time. In Wasm every load is bounds-checked (by V8's guard pages, by
// the aot engine's explicit compare, by wasm3's interpreter), so one 32-bit load that
// carries four int8 values costs a quarter of four byte loads; the bytes are unpacked with
// shifts (little-endian, as Wasm memory is). The sum is the same integer in any order.

/** Sign-extends byte `k` (0 = lowest address) of a little-endian word. */
// @ts-ignore: decorator
@inline function byteOf(word: i32, k: i32): i32 {
  return (word << (24 - (k << 3))) >> 24;
}

/** Sum of (a[i] + aOffset) * (b[i] + bOffset) over the n int8 values at a and b. */
// @ts-ignore: decorator
@inline export function dotInt8(a: usize, b: usize, n: i32, aOffset: i32, bOffset: i32): i32 {
  let acc: i32 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const aw = load<i32>(a + <usize>i), bw = load<i32>(b + <usize>i);
    acc += (byteOf(aw, 0) + aOffset) * (byteOf(bw, 0) + bOffset)
      + (byteOf(aw, 1) + aOffset) * (byteOf(bw, 1) + bOffset)
      + (byteOf(aw, 2) + aOffset) * (byteOf(bw, 2) + bOffset)
      + (byteOf(aw, 3) + aOffset) * (byteOf(bw, 3) + bOffset);
  }
  for (; i < n; i++) {
    acc += (<i32>load<i8>(a + <usize>i) + aOffset) * (<i32>load<i8>(b + <usize>i) + bOffset);
  }
  return acc;
}
