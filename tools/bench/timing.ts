// Timing under V8 for the benchmarks: repeat a piece of work until one measurement lasts long
// enough for the clock, take several measurements, report the median (and the fastest, the one
// least disturbed by other load on the machine). tools/bench/c/myco_bench_timing.c does the
// same for the native engines, so both sides are measured alike.

export interface Timing {
  /** Median nanoseconds per call. */
  ns: number;
  /** The fastest measurement's nanoseconds per call (least disturbed by other load). */
  best: number;
  /** Calls per measurement. */
  reps: number;
}

function summarise(per: number[], reps: number): Timing {
  per.sort((a, b) => a - b);
  const mid = per.length >> 1;
  return { ns: per.length % 2 ? per[mid] : (per[mid - 1] + per[mid]) / 2, best: per[0], reps };
}

/** Median ns per call of `fn` over `runs` measurements of at least `minMs` each. */
export function timeCalls(fn: () => void, minMs: number, runs: number): Timing {
  let reps = 1;
  let t = 0;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    t = performance.now() - t0;
    if (t >= minMs / 10 || reps > 2 ** 40) break;
    reps *= 2;
  }
  reps = Math.floor((reps * minMs) / Math.max(t, 1e-3)) + 1;
  const per: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    per.push(((performance.now() - t0) * 1e6) / reps);
  }
  return summarise(per, reps);
}

/**
 * Like timeCalls for work that needs fresh state every time (a node replaying a stream from
 * boot): `prepare` runs before each call and is not timed, so each call is timed on its own
 * and a measurement is the sum over its calls.
 */
export function timeFresh<S>(prepare: () => S, fn: (state: S) => void, minMs: number, runs: number): Timing {
  const once = () => {
    const s = prepare();
    const t0 = performance.now();
    fn(s);
    return performance.now() - t0;
  };
  let reps = 1;
  let t = 0;
  for (;;) {
    t = 0;
    for (let i = 0; i < reps; i++) t += once();
    if (t >= minMs / 10 || reps > 2 ** 30) break;
    reps *= 2;
  }
  reps = Math.floor((reps * minMs) / Math.max(t, 1e-3)) + 1;
  const per: number[] = [];
  for (let r = 0; r < runs; r++) {
    let sum = 0;
    for (let i = 0; i < reps; i++) sum += once();
    per.push((sum * 1e6) / reps);
  }
  return summarise(per, reps);
}

/** How long a benchmark measures: `--quick` takes 3 measurements of >= 20 ms, else 5 of >= 50 ms. */
export interface BenchPlan {
  quick: boolean;
  minMs: number;
  runs: number;
}

/**
 * The plan from a benchmark's arguments (only `--quick` is known); null after printing a usage
 * line for anything else, so the caller exits with 2.
 */
export function benchPlan(argv: string[], script: string): BenchPlan | null {
  const unknown = argv.filter((a) => a !== '--quick');
  if (unknown.length) {
    console.error(`unknown argument ${unknown[0]}\nusage: npm run ${script} [-- --quick]`);
    return null;
  }
  const quick = argv.includes('--quick');
  return { quick, minMs: quick ? 20 : 50, runs: quick ? 3 : 5 };
}
