// QoS levels (docs/fusion.md, "QoS levels"): how many of n readings FTI may take for faulty.
//
//   level 1: f = ceil(n / 10)   tolerates one broken sensor in ten, keeps the interval tight
//   level 2: f = ceil(n / 5)    two in ten
//   level 3: f = floor((n-1)/2) as many as n readings can outvote
//
// f is always capped at floor((n-1)/2): with f faulty among n, the n - f correct readings
// must outnumber them for the fused interval to be bounded by a correct one on each side.
// When the cap lowers level 1 or 2 (n < 3), the result is flagged REDUCED_F.

export const QOS_MIN: u32 = 1;
export const QOS_MAX: u32 = 3;

/** The most faulty readings n readings can outvote. */
// @ts-ignore: decorator
@inline export function maxFaulty(n: i32): i32 {
  return n > 0 ? (n - 1) >> 1 : 0;
}

/** The fault tolerance a level asks for, before the cap. */
export function wantedFaulty(qos: u32, n: i32): i32 {
  if (qos >= 3) return maxFaulty(n);
  const per = qos == 2 ? 5 : 10;
  return (n + per - 1) / per;
}

/** f for `qos` (1..3) and n readings. */
export function faultTolerance(qos: u32, n: i32): i32 {
  const want = wantedFaulty(qos, n);
  const cap = maxFaulty(n);
  return want < cap ? want : cap;
}
