/*
 * Timing for the benchmarks' native drivers (infer_bench.c, route_bench.c), the C side of
 * tools/bench/timing.ts: a job is repeated until one measurement lasts at least MIN_MS, the
 * measurement is taken RUNS times, and the median nanoseconds per call is reported with the
 * fastest measurement's (the one least disturbed by other load on the machine).
 */
#ifndef MYCO_BENCH_TIMING_H
#define MYCO_BENCH_TIMING_H

#include <stdint.h>

typedef struct {
    /* Runs once before every call of `run`, outside the timed region (NULL: nothing to do).
     * With it each call is timed on its own: work that needs fresh state every time. */
    void (*prepare)(void *ctx);
    /* The work; its result goes to a sink so the compiler cannot drop the call. */
    uint32_t (*run)(void *ctx);
    void *ctx;
} myco_bench_job;

typedef struct {
    double ns;   /* median nanoseconds per call */
    double best; /* the fastest measurement's nanoseconds per call */
    long reps;   /* calls per measurement */
} myco_bench_timing;

double myco_bench_now_ns(void);

myco_bench_timing myco_bench_time(const myco_bench_job *job, double min_ms, int runs);

#endif /* MYCO_BENCH_TIMING_H */
