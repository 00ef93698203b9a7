// DSDV sequence numbers (docs/routing.md, "Rules"): u16 values compared with serial-number
// arithmetic (RFC 1982), so they wrap without a reset. Even numbers are issued by the
// destination itself (raised by 2 per update it sends); an odd number is a neighbour's
// statement "unreachable", one above the even number it invalidates. All functions are pure.

/** -1 if `a` is older than `b`, 0 if equal, 1 if newer. Half the circle away counts as older. */
export function seqCompare(a: u32, b: u32): i32 {
  const d = (a - b) & 0xffff;
  if (d == 0) return 0;
  return d < 0x8000 ? 1 : -1;
}

// @ts-ignore: decorator
@inline export function seqNewer(a: u32, b: u32): bool {
  return seqCompare(a, b) > 0;
}

// @ts-ignore: decorator
@inline export function seqOdd(seq: u32): bool {
  return (seq & 1) != 0;
}

/** The number a destination issues with its next update: 2 above `seq`, kept even. */
export function seqNextOwn(seq: u32): u32 {
  return ((seq & 0xfffe) + 2) & 0xffff;
}

/** The number that invalidates a route of number `seq`: the next odd one (`seq` + 1 when even). */
export function seqBroken(seq: u32): u32 {
  return seqOdd(seq) ? seq : (seq + 1) & 0xffff;
}

/**
 * A destination told that its own number is `heard` (by a neighbour advertising it, possibly
 * as unreachable) while it issues `own`: the even number it must move to so that its next
 * update supersedes whatever the network holds, or `own` when that is already newer.
 */
export function seqSupersede(own: u32, heard: u32): u32 {
  if (seqNewer(own, heard)) return own;
  return seqNextOwn(heard);
}
