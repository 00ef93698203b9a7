// ARG_MAX over int8 values.

/**
 * ARG_MAX of int8 values over the middle axis of [outer][axis][inner], as TFLite's ArgMinMax
 * with std::greater: int32 indices, the first maximum wins a tie.
 */
export function argMax(input: usize, output: usize, outer: i32, axis: i32, inner: i32): u32 {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = input + <usize>(o * axis * inner + i);
      let best = <i32>load<i8>(base);
      let index = 0;
      for (let k = 1; k < axis; k++) {
        const v = <i32>load<i8>(base + <usize>(k * inner));
        if (v > best) {
          best = v;
          index = k;
        }
      }
      store<i32>(output + (<usize>(o * inner + i) << 2), index);
    }
  }
  return <u32>(outer * axis * inner);
}
