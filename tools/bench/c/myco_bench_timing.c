/* See myco_bench_timing.h. */
#define _POSIX_C_SOURCE 199309L

#include "myco_bench_timing.h"

#include <stdlib.h>
#include <time.h>

#define MAX_RUNS 64

static volatile uint32_t g_sink;

double myco_bench_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/* Nanoseconds `reps` calls take: one clock around the loop, or with `prepare` one clock per
 * call so the preparation stays outside. */
static double time_reps(const myco_bench_job *job, long reps)
{
    double total = 0, t0;
    long i;
    if (!job->prepare) {
        t0 = myco_bench_now_ns();
        for (i = 0; i < reps; i++) g_sink += job->run(job->ctx);
        return myco_bench_now_ns() - t0;
    }
    for (i = 0; i < reps; i++) {
        job->prepare(job->ctx);
        t0 = myco_bench_now_ns();
        g_sink += job->run(job->ctx);
        total += myco_bench_now_ns() - t0;
    }
    return total;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

myco_bench_timing myco_bench_time(const myco_bench_job *job, double min_ms, int runs)
{
    const double target = min_ms * 1e6;
    double t, per_run[MAX_RUNS];
    myco_bench_timing r;
    long reps = 1;
    int i;
    if (runs > MAX_RUNS) runs = MAX_RUNS;
    if (runs < 1) runs = 1;
    /* Calibrate: double the repetitions until a batch takes a tenth of the target. */
    for (;;) {
        t = time_reps(job, reps);
        if (t >= target / 10 || reps > (1L << 30)) break;
        reps *= 2;
    }
    reps = (long)(reps * target / (t > 1 ? t : 1)) + 1;
    for (i = 0; i < runs; i++) per_run[i] = time_reps(job, reps) / (double)reps;
    qsort(per_run, (size_t)runs, sizeof per_run[0], cmp_double);
    r.reps = reps;
    r.best = per_run[0];
    r.ns = runs % 2 ? per_run[runs / 2] : (per_run[runs / 2 - 1] + per_run[runs / 2]) / 2;
    return r;
}
