/*
 * Native side of the routing workload of `npm run bench:firmware` (tools/bench/route-harness.ts).
 * Replays one node's recorded stream of frames and ticks (tools/bench/route-workload.ts) from
 * boot, two ways:
 *
 *   aot  the node module (build/node.wasm) translated by wasm2c, built against the project's
 *        runtime (hal/shell/aot/myco_wasm_rt.c), called through on_frame and tick with the
 *        frame copied into its inbox, as the C shell does;
 *   ref  the plain C reference node (reference_node.c, reference_link.c, reference_route.c).
 *
 * Both draw `rand` from the same xorshift32 generator with the same seed and hand their frames
 * to the same radio (myco_bench_radio, which takes every frame), as the V8 side does.
 *
 * usage: route_bench WORKLOAD OUTDIR MIN_MS RUNS
 *
 * Each engine first replays the stream once; the dumps at the time of the last event go to
 * OUTDIR: aot_routes.bin, aot_neighbours.bin, aot_counters.bin (inspect 2, 1, 0) and
 * ref_routes.bin, ref_neighbours.bin; stdout gets one line per reference counter,
 * `counter NAME VALUE`, and per engine `radio ENGINE FRAMES BYTES`. With MIN_MS > 0 each
 * engine is then timed, a fresh boot (instantiate and init, or the reference's init) before
 * every replay and outside the timed region: `time ENGINE MEDIAN_NS BEST_NS REPS` per replay.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myco_bench_timing.h"
#include "myco_hal.h"
#include "myco_node.h"
#include "myco_wasm_rt.h"
#include "reference_node.h"

#define MAGIC 0x5752594Du /* "MYRW" */
#define SETTINGS 11u
#define INSPECT_COUNTERS 0u
#define INSPECT_NEIGHBOURS 1u
#define INSPECT_ROUTES 2u

typedef struct {
    uint32_t t;
    uint16_t src; /* 0: a tick */
    uint16_t len;
    int32_t rssi;
    const uint8_t *bytes;
} event;

static struct {
    uint32_t self, rand_seed;
    myco_ref_settings settings;
    const uint8_t *config;
    uint32_t config_len;
    event *events;
    uint32_t count, end_ms;
} g_w;

static const char *g_out;
static uint32_t g_radio_frames, g_radio_bytes;

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "route_bench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

void myco_shim_panic(const char *reason)
{
    fprintf(stderr, "route_bench: %s\n", reason);
    exit(3);
}

/* ---- shared by both engines ------------------------------------------------------------- */

uint32_t myco_bench_rand(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *state = x;
    return x;
}

int32_t myco_bench_radio(uint32_t dst, const uint8_t *frame, uint32_t len)
{
    (void)dst;
    (void)frame;
    g_radio_frames++;
    g_radio_bytes += len;
    return 0;
}

void myco_bench_unsupported(const char *what)
{
    fprintf(stderr, "route_bench: the C reference met %s, which it does not implement "
                    "(tools/bench/route-workload.ts records only what it does)\n", what);
    exit(1);
}

/* ---- the workload file --------------------------------------------------------------------- */

static uint32_t rd32(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static void load_workload(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data;
    long size;
    uint32_t at = 0, i, n, v[SETTINGS];
    if (!f) fail("cannot open", path);
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) fail("cannot read", path);
    data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) fail("cannot read", path);
    fclose(f);
#define NEED(bytes) if ((uint64_t)at + (bytes) > (uint64_t)size) fail("truncated workload", path)
    NEED(16);
    if (rd32(data) != MAGIC) fail("not a workload file", path);
    g_w.self = rd32(data + 4);
    g_w.rand_seed = rd32(data + 8);
    if (rd32(data + 12) != SETTINGS) fail("workload has another number of settings", path);
    at = 16;
    NEED(4 * SETTINGS);
    for (i = 0; i < SETTINGS; i++, at += 4) v[i] = rd32(data + at);
    g_w.settings.hello_interval_ms = v[0];
    g_w.settings.neighbour_timeout_ms = v[1];
    g_w.settings.neighbour_capacity = v[2];
    g_w.settings.mtu = v[3];
    g_w.settings.route_capacity = v[4];
    g_w.settings.hop_limit = v[5];
    g_w.settings.trickle_imin_ms = v[6];
    g_w.settings.trickle_doublings = v[7];
    g_w.settings.trickle_k = v[8];
    g_w.settings.holddown_ms = v[9];
    g_w.settings.update_gap_ms = v[10];
    if (g_w.settings.neighbour_capacity > MYCO_REF_NEIGHBOURS_MAX || g_w.settings.route_capacity > MYCO_REF_ROUTES_MAX ||
        g_w.settings.mtu > MYCO_REF_MTU_MAX)
        fail("settings beyond the reference's tables", path);
    NEED(4);
    g_w.config_len = rd32(data + at);
    at += 4;
    NEED(g_w.config_len);
    g_w.config = data + at;
    at += g_w.config_len;
    NEED(4);
    n = rd32(data + at);
    at += 4;
    if (n == 0) fail("workload without events", path);
    g_w.events = calloc(n, sizeof *g_w.events);
    if (!g_w.events) fail("out of memory", path);
    for (i = 0; i < n; i++) {
        event *e = &g_w.events[i];
        NEED(12);
        e->t = rd32(data + at);
        e->src = (uint16_t)(data[at + 4] | data[at + 5] << 8);
        e->len = (uint16_t)(data[at + 6] | data[at + 7] << 8);
        e->rssi = (int32_t)rd32(data + at + 8);
        at += 12;
        NEED(e->len);
        e->bytes = data + at;
        at += e->len;
    }
#undef NEED
    g_w.count = n;
    g_w.end_ms = g_w.events[n - 1].t;
}

static void write_file(const char *name, const uint8_t *bytes, uint32_t len)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", g_out, name);
    f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) fail("cannot write", path);
}

/* ---- the aot engine --------------------------------------------------------------------------- */

/* What the generated code hands every import: this node's clock and random state. */
struct Z_hal_instance_t {
    uint32_t now;
    uint32_t rand_state;
};

static Z_myco_node_instance_t g_module;
static struct Z_hal_instance_t g_hal;
static int g_loaded;
static uint32_t g_inbox;
static jmp_buf g_trap;

u32 Z_halZ_now_ms(struct Z_hal_instance_t *h)
{
    return h->now;
}

u32 Z_halZ_rand(struct Z_hal_instance_t *h)
{
    return myco_bench_rand(&h->rand_state);
}

/* The buffer is checked against linear memory, as the shell's imports check every buffer. */
u32 Z_halZ_send(struct Z_hal_instance_t *h, u32 dst, u32 ptr, u32 len)
{
    const wasm_rt_memory_t *m = Z_myco_nodeZ_memory(&g_module);
    (void)h;
    if ((uint64_t)ptr + len > m->size) wasm_rt_trap(WASM_RT_TRAP_OOB);
    return (u32)myco_bench_radio(dst, m->data + ptr, len);
}

static uint8_t *aot_memory(void)
{
    return Z_myco_nodeZ_memory(&g_module)->data;
}

/* A fresh instance, initialised at time 0: a board's power-on (myco_engine_aot.c). */
static void aot_boot(void *ctx)
{
    uint32_t result;
    (void)ctx;
    if (g_loaded) {
        Z_myco_node_free(&g_module);
        wasm_rt_free();
    }
    myco_rt_reset();
    wasm_rt_init();
    myco_rt_enter(&g_trap);
    Z_myco_node_init_module();
    Z_myco_node_instantiate(&g_module, &g_hal);
    g_loaded = 1;
    g_hal.now = 0;
    g_hal.rand_state = g_w.rand_seed;
    g_inbox = Z_myco_nodeZ_inbox(&g_module);
    if ((uint64_t)g_inbox + g_w.config_len > Z_myco_nodeZ_memory(&g_module)->size) fail("config outside the module's memory", NULL);
    memcpy(aot_memory() + g_inbox, g_w.config, g_w.config_len);
    result = Z_myco_nodeZ_init(&g_module, g_w.self, g_w.config_len);
    if (result != 0) {
        fprintf(stderr, "route_bench: init(%u) returned %d in the aot module\n", (unsigned)g_w.self, (int)result);
        exit(1);
    }
}

static uint32_t aot_replay(void *ctx)
{
    uint8_t *inbox = aot_memory() + g_inbox;
    uint32_t sink = 0, i;
    (void)ctx;
    for (i = 0; i < g_w.count; i++) {
        const event *e = &g_w.events[i];
        g_hal.now = e->t;
        if (e->src == 0) {
            sink += Z_myco_nodeZ_tick(&g_module, e->t);
        } else {
            memcpy(inbox, e->bytes, e->len);
            Z_myco_nodeZ_on_frame(&g_module, e->src, e->len, (u32)e->rssi);
        }
    }
    return sink;
}

static void aot_dump(uint32_t what, const char *name)
{
    uint32_t len, at;
    g_hal.now = g_w.end_ms;
    len = Z_myco_nodeZ_inspect(&g_module, what);
    at = Z_myco_nodeZ_outbox(&g_module);
    if ((uint64_t)at + len > Z_myco_nodeZ_memory(&g_module)->size) fail("inspect dump outside the module's memory", name);
    write_file(name, aot_memory() + at, len);
}

/* ---- the reference ------------------------------------------------------------------------------ */

static myco_ref_node g_ref;

static void ref_boot(void *ctx)
{
    (void)ctx;
    myco_ref_init(&g_ref, g_w.self, &g_w.settings, g_w.rand_seed, 0);
}

static uint32_t ref_replay(void *ctx)
{
    uint32_t sink = 0, i;
    (void)ctx;
    for (i = 0; i < g_w.count; i++) {
        const event *e = &g_w.events[i];
        if (e->src == 0) sink += myco_ref_tick(&g_ref, e->t);
        else myco_ref_on_frame(&g_ref, e->src, e->bytes, e->len, e->rssi, e->t);
    }
    return sink;
}

/* ---- main ---------------------------------------------------------------------------------------- */

static void report_radio(const char *engine)
{
    printf("radio %s %u %u\n", engine, (unsigned)g_radio_frames, (unsigned)g_radio_bytes);
    g_radio_frames = g_radio_bytes = 0;
}

int main(int argc, char **argv)
{
    static uint8_t dump[6 + 10 * MYCO_REF_ROUTES_MAX];
    myco_bench_job aot = {aot_boot, aot_replay, NULL}, ref = {ref_boot, ref_replay, NULL};
    double min_ms;
    int runs, i;
    if (argc != 5) {
        fprintf(stderr, "usage: route_bench WORKLOAD OUTDIR MIN_MS RUNS\n");
        return 2;
    }
    g_out = argv[2];
    min_ms = atof(argv[3]);
    runs = atoi(argv[4]);
    if (min_ms < 0 || runs <= 0) {
        fprintf(stderr, "route_bench: bad arguments\n");
        return 2;
    }
    load_workload(argv[1]);
    if (g_w.rand_seed == 0) g_w.rand_seed = 1; /* xorshift32 never leaves 0 (tools/build/stub-hal.ts) */

    if (setjmp(g_trap) != 0) {
        myco_rt_leave();
        fprintf(stderr, "route_bench: the aot module trapped: %s\n", wasm_rt_strerror(myco_rt_last_trap()));
        return 1;
    }
    /* Correctness first: one replay each, then the state both hold at the end. */
    g_radio_frames = g_radio_bytes = 0;
    aot_boot(NULL);
    aot_replay(NULL);
    aot_dump(INSPECT_ROUTES, "aot_routes.bin");
    aot_dump(INSPECT_NEIGHBOURS, "aot_neighbours.bin");
    aot_dump(INSPECT_COUNTERS, "aot_counters.bin");
    report_radio("aot");
    ref_boot(NULL);
    ref_replay(NULL);
    write_file("ref_routes.bin", dump, myco_ref_routes_dump(&g_ref, dump, g_w.end_ms));
    write_file("ref_neighbours.bin", dump, myco_ref_neighbours_dump(&g_ref, dump, g_w.end_ms));
    for (i = 0; i < MYCO_REF_COUNTER_COUNT; i++) printf("counter %s %u\n", myco_ref_counter_names[i], (unsigned)g_ref.counters[i]);
    report_radio("ref");
    fflush(stdout);

    if (min_ms > 0) {
        myco_bench_timing t = myco_bench_time(&aot, min_ms, runs);
        printf("time aot %.1f %.1f %ld\n", t.ns, t.best, t.reps);
        t = myco_bench_time(&ref, min_ms, runs);
        printf("time ref %.1f %.1f %ld\n", t.ns, t.best, t.reps);
    }
    myco_rt_leave();
    return 0;
}
