// The fault-tolerant interval (Schmid and Schossmaier's FTI, as Elastic AI adapts it to
// sensor readings): reading i is the interval [m_i - a_i, m_i + a_i], and with fault
// tolerance f the fused interval is
//
//   [ (f+1)-th largest lower edge, (f+1)-th smallest upper edge ].
//
// Why it holds: every correct interval contains the truth, so its lower edge is at most the
// truth. At most f lower edges (the faulty ones) can lie above it, so the (f+1)-th largest
// lower edge is at most the truth; the same for upper edges from the other side. With at most
// f faulty readings the fused interval therefore contains the truth, and it is empty
// (lo > hi) only when more than f readings are wrong (or claim too good an accuracy).

/**
 * The k-th largest (k from 0) of `n` values, by a partial selection sort of `scratch`
 * (which it reorders). Returns the value; adds its comparisons to `ops[0]`.
 */
export function kthLargest(scratch: StaticArray<f64>, n: i32, k: i32, ops: StaticArray<u32>): f64 {
  let compares: u32 = 0;
  for (let i = 0; i <= k; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) {
      compares++;
      if (unchecked(scratch[j]) > unchecked(scratch[best])) best = j;
    }
    const t = unchecked(scratch[i]);
    unchecked((scratch[i] = unchecked(scratch[best])));
    unchecked((scratch[best] = t));
  }
  unchecked((ops[0] += compares));
  return unchecked(scratch[k]);
}

/**
 * Fills `interval` [lo, hi] for the `n` readings (values `m`, accuracies `a`) and fault
 * tolerance f (0 <= f < n). `scratch` holds at least n values.
 */
export function ftiInterval(
  m: StaticArray<f64>, a: StaticArray<f64>, n: i32, f: i32,
  scratch: StaticArray<f64>, interval: StaticArray<f64>, ops: StaticArray<u32>,
): void {
  for (let i = 0; i < n; i++) unchecked((scratch[i] = unchecked(m[i]) - unchecked(a[i])));
  const lo = kthLargest(scratch, n, f, ops);
  // The (f+1)-th smallest upper edge is the (f+1)-th largest of the negated edges.
  for (let i = 0; i < n; i++) unchecked((scratch[i] = -(unchecked(m[i]) + unchecked(a[i]))));
  const hi = -kthLargest(scratch, n, f, ops);
  unchecked((interval[0] = lo));
  unchecked((interval[1] = hi));
}
