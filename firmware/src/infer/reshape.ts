// RESHAPE: a tensor's bytes do not change, only its shape, which the step plan carries.

/** Copies `len` bytes when input and output are different buffers; returns no work. */
export function reshape(input: usize, output: usize, len: i32): u32 {
  if (input != output) memory.copy(output, input, <usize>len);
  return 0;
}
