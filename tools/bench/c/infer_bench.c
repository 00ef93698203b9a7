/*
 * Native side of `npm run bench:infer` (tools/bench/infer.ts). Runs each layer of a model two
 * ways and times them:
 *
 *   aot  the node's Wasm kernels (build/model_runner.wasm) translated by wasm2c, built against
 *        the project's runtime (hal/shell/aot/myco_wasm_rt.c), called through `run_layer`;
 *   ref  the plain C reference kernels (reference_kernels.c).
 *
 * usage: infer_bench DIR COUNT MIN_MS RUNS
 *
 * DIR holds layer_NNN.bin for NNN = 0 .. COUNT-1, written by the TypeScript side: nine
 * little-endian u32 (magic "MYBL", operation, relocation mask, byte counts of the record,
 * input, second input, weights, data blob and output) followed by those bytes. For each layer
 * the program writes out_aot_NNN.bin and out_ref_NNN.bin and prints one line:
 *
 *   layer INDEX AOT_WORK REF_WORK AOT_NS REF_NS AOT_REPS REF_REPS AOT_BEST_NS REF_BEST_NS
 *
 * With MIN_MS 0 each layer runs once and nothing is timed (the correctness check). Otherwise
 * each engine repeats the layer for at least MIN_MS milliseconds per measurement, RUNS times,
 * and the line gives the median nanoseconds per call (and the fastest measurement's).
 *
 * Two headers are generated next to the wasm2c output: myco_bench.h (wasm2c) and
 * record_fields.h (operation codes and record field indices from tools/infer/params.ts).
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myco_bench.h"
#include "myco_bench_timing.h"
#include "myco_hal.h"
#include "myco_wasm_rt.h"
#include "record_fields.h"
#include "reference_kernels.h"

#define MAGIC 0x4C42594Du /* "MYBL" */
#define NO_BLOB 0xFFFFu
#define ALIGN(n) (((n) + 15u) & ~15u)

typedef struct {
    uint32_t op, reloc_mask;
    uint32_t params_len, in_len, in2_len, filter_len, data_len, out_len;
    uint8_t *params, *in, *in2, *filter, *data; /* each its own malloc, so 16-byte aligned */
    int8_t *out;
} layer;

static Z_myco_bench_instance_t g_module;
static layer *g_layers;
static int g_count, g_runs;
static double g_min_ms;
static jmp_buf g_trap;
static const char *g_dir;

void myco_shim_panic(const char *reason)
{
    fprintf(stderr, "infer_bench: %s\n", reason);
    exit(3);
}

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "infer_bench: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

static uint8_t *read_bytes(FILE *f, uint32_t len, const char *file)
{
    uint8_t *p = malloc(len ? len : 1);
    if (!p) fail("out of memory", file);
    if (len && fread(p, 1, len, f) != len) fail("truncated layer file", file);
    return p;
}

static void load_layer(int index, layer *l)
{
    char path[4096];
    uint32_t h[9];
    FILE *f;
    snprintf(path, sizeof path, "%s/layer_%03d.bin", g_dir, index);
    f = fopen(path, "rb");
    if (!f) fail("cannot open", path);
    if (fread(h, 4, 9, f) != 9 || h[0] != MAGIC) fail("not a layer file", path);
    l->op = h[1];
    l->reloc_mask = h[2];
    l->params_len = h[3];
    l->in_len = h[4];
    l->in2_len = h[5];
    l->filter_len = h[6];
    l->data_len = h[7];
    l->out_len = h[8];
    l->params = read_bytes(f, l->params_len, path);
    l->in = read_bytes(f, l->in_len, path);
    l->in2 = read_bytes(f, l->in2_len, path);
    l->filter = read_bytes(f, l->filter_len, path);
    l->data = read_bytes(f, l->data_len, path);
    l->out = (int8_t *)calloc(l->out_len ? l->out_len : 1, 1);
    if (!l->out) fail("out of memory", path);
    fclose(f);
}

static void write_output(const char *engine, int index, const int8_t *bytes, uint32_t len)
{
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/out_%s_%03d.bin", g_dir, engine, index);
    f = fopen(path, "wb");
    if (!f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) fail("cannot write", path);
}

/* ---- the aot engine: wasm2c output of the runner module ---------------------------------- */

typedef struct {
    uint32_t params, in, in2, filter, data, out; /* addresses in linear memory */
    uint32_t base, size;
} arena;

static arena g_arena;

static uint8_t *wasm_mem(void)
{
    return Z_myco_benchZ_memory(&g_module)->data;
}

/* Lays the layer out in the module's memory with the record relocated, as run_layer would
 * after paging in its blobs; the timed calls then run the kernel alone. */
static void aot_place(const layer *l)
{
    uint8_t *m = wasm_mem();
    uint32_t i;
    memcpy(m + g_arena.params, l->params, l->params_len);
    for (i = 0; i < 32 && i * 4 < l->params_len; i++) {
        if ((l->reloc_mask >> i) & 1u) {
            uint32_t v;
            memcpy(&v, m + g_arena.params + i * 4, 4);
            v += g_arena.data;
            memcpy(m + g_arena.params + i * 4, &v, 4);
        }
    }
    memcpy(m + g_arena.in, l->in, l->in_len);
    memcpy(m + g_arena.in2, l->in2, l->in2_len);
    memcpy(m + g_arena.filter, l->filter, l->filter_len);
    memcpy(m + g_arena.data, l->data, l->data_len);
    memset(m + g_arena.out, 0, l->out_len);
}

static uint32_t aot_run(const layer *l)
{
    return Z_myco_benchZ_run_layer(&g_module, l->op, g_arena.params, 0, g_arena.in,
                                   l->in2_len ? g_arena.in2 : 0, g_arena.out, l->out_len,
                                   NO_BLOB, g_arena.filter, 0, NO_BLOB, g_arena.data, 0);
}

/* ---- the plain C reference ----------------------------------------------------------------- */

static const int32_t *field_address(const layer *l, const int32_t *rec, int field)
{
    if (!((l->reloc_mask >> field) & 1u)) return NULL;
    if ((uint32_t)rec[field] >= l->data_len) fail("record address outside the data blob", NULL);
    return (const int32_t *)(l->data + rec[field]);
}

static uint32_t ref_run(const layer *l)
{
    const int32_t *r = (const int32_t *)l->params;
    const int8_t *in = (const int8_t *)l->in, *filter = (const int8_t *)l->filter;
    int8_t *out = l->out;
    switch (l->op) {
    case OP_CONV_2D:
    case OP_DEPTHWISE_CONV_2D: {
        ref_conv_params p;
        p.in_h = r[CONV_inH]; p.in_w = r[CONV_inW]; p.in_c = r[CONV_inC];
        p.out_h = r[CONV_outH]; p.out_w = r[CONV_outW]; p.out_c = r[CONV_outC];
        p.filter_h = r[CONV_filterH]; p.filter_w = r[CONV_filterW];
        p.filter_c = r[CONV_filterC]; p.depth_multiplier = r[CONV_depthMultiplier];
        p.stride_h = r[CONV_strideH]; p.stride_w = r[CONV_strideW];
        p.dilation_h = r[CONV_dilationH]; p.dilation_w = r[CONV_dilationW];
        p.pad_h = r[CONV_padH]; p.pad_w = r[CONV_padW];
        p.input_offset = r[CONV_inputOffset]; p.output_offset = r[CONV_outputOffset];
        p.act_min = r[CONV_actMin]; p.act_max = r[CONV_actMax];
        p.bias = field_address(l, r, CONV_bias);
        p.multipliers = field_address(l, r, CONV_multipliers);
        p.shifts = field_address(l, r, CONV_shifts);
        if (!p.multipliers || !p.shifts) fail("convolution record without multipliers", NULL);
        return l->op == OP_CONV_2D ? ref_conv2d(&p, in, filter, out) : ref_depthwise_conv2d(&p, in, filter, out);
    }
    case OP_FULLY_CONNECTED: {
        ref_fc_params p;
        p.batches = r[FC_batches]; p.in_depth = r[FC_inDepth]; p.out_depth = r[FC_outDepth];
        p.input_offset = r[FC_inputOffset]; p.filter_offset = r[FC_filterOffset];
        p.output_offset = r[FC_outputOffset];
        p.output_multiplier = r[FC_outputMultiplier]; p.output_shift = r[FC_outputShift];
        p.act_min = r[FC_actMin]; p.act_max = r[FC_actMax];
        p.bias = field_address(l, r, FC_bias);
        p.multipliers = field_address(l, r, FC_multipliers);
        p.shifts = field_address(l, r, FC_shifts);
        return ref_fully_connected(&p, in, filter, out);
    }
    case OP_AVERAGE_POOL_2D:
    case OP_MAX_POOL_2D: {
        ref_pool_params p;
        p.in_h = r[POOL_inH]; p.in_w = r[POOL_inW]; p.channels = r[POOL_channels];
        p.out_h = r[POOL_outH]; p.out_w = r[POOL_outW];
        p.filter_h = r[POOL_filterH]; p.filter_w = r[POOL_filterW];
        p.stride_h = r[POOL_strideH]; p.stride_w = r[POOL_strideW];
        p.pad_h = r[POOL_padH]; p.pad_w = r[POOL_padW];
        p.act_min = r[POOL_actMin]; p.act_max = r[POOL_actMax];
        return l->op == OP_AVERAGE_POOL_2D ? ref_average_pool(&p, in, out) : ref_max_pool(&p, in, out);
    }
    case OP_ADD: {
        ref_add_params p;
        p.input1_offset = r[ADD_input1Offset]; p.input2_offset = r[ADD_input2Offset];
        p.left_shift = r[ADD_leftShift];
        p.input1_multiplier = r[ADD_input1Multiplier]; p.input1_shift = r[ADD_input1Shift];
        p.input2_multiplier = r[ADD_input2Multiplier]; p.input2_shift = r[ADD_input2Shift];
        p.output_multiplier = r[ADD_outputMultiplier]; p.output_shift = r[ADD_outputShift];
        p.output_offset = r[ADD_outputOffset]; p.act_min = r[ADD_actMin]; p.act_max = r[ADD_actMax];
        return ref_add(&p, in, (const int8_t *)l->in2, out, (int32_t)l->out_len);
    }
    case OP_RELU: {
        ref_relu_params p;
        p.input_zero_point = r[RELU_inputZeroPoint]; p.output_offset = r[RELU_outputOffset];
        p.output_multiplier = r[RELU_outputMultiplier]; p.output_shift = r[RELU_outputShift];
        p.act_min = r[RELU_actMin]; p.act_max = r[RELU_actMax];
        return ref_relu(&p, in, out, (int32_t)l->out_len);
    }
    case OP_RELU6:
        return ref_relu6(in, out, (int32_t)l->out_len, r[RELU6_lo], r[RELU6_hi]);
    case OP_RESHAPE:
        return ref_reshape(in, out, (int32_t)l->out_len);
    case OP_SOFTMAX: {
        ref_softmax_params p;
        p.rows = r[SOFTMAX_rows]; p.depth = r[SOFTMAX_depth];
        p.input_multiplier = r[SOFTMAX_inputMultiplier]; p.input_left_shift = r[SOFTMAX_inputLeftShift];
        p.diff_min = r[SOFTMAX_diffMin];
        return ref_softmax(&p, in, out);
    }
    default:
        fprintf(stderr, "infer_bench: the C reference has no kernel for operation %u\n", (unsigned)l->op);
        exit(1);
    }
}

/* ---- timing ------------------------------------------------------------------------------- */

typedef uint32_t (*runner)(const layer *);

typedef struct {
    runner run;
    const layer *l;
} layer_job;

static uint32_t run_layer_job(void *ctx)
{
    const layer_job *j = (const layer_job *)ctx;
    return j->run(j->l);
}

static myco_bench_timing time_layer(runner run, const layer *l)
{
    layer_job j;
    myco_bench_job job;
    j.run = run;
    j.l = l;
    job.prepare = NULL;
    job.run = run_layer_job;
    job.ctx = &j;
    return myco_bench_time(&job, g_min_ms, g_runs);
}

/* ---- main ---------------------------------------------------------------------------------- */

static void setup_arena(void)
{
    uint32_t max_params = 0, max_in = 0, max_in2 = 0, max_filter = 0, max_data = 0, max_out = 0;
    int i;
    for (i = 0; i < g_count; i++) {
        const layer *l = &g_layers[i];
#define MAX(a, b) if ((b) > (a)) (a) = (b)
        MAX(max_params, l->params_len); MAX(max_in, l->in_len); MAX(max_in2, l->in2_len);
        MAX(max_filter, l->filter_len); MAX(max_data, l->data_len); MAX(max_out, l->out_len);
#undef MAX
    }
    g_arena.size = ALIGN(max_params) + ALIGN(max_in) + ALIGN(max_in2) + ALIGN(max_filter) + ALIGN(max_data) + ALIGN(max_out) + 16;
    g_arena.base = Z_myco_benchZ_reserve(&g_module, g_arena.size);
    if (g_arena.base == 0) fail("reserve() failed in the aot module", NULL);
    g_arena.params = ALIGN(g_arena.base);
    g_arena.in = g_arena.params + ALIGN(max_params);
    g_arena.in2 = g_arena.in + ALIGN(max_in);
    g_arena.filter = g_arena.in2 + ALIGN(max_in2);
    g_arena.data = g_arena.filter + ALIGN(max_filter);
    g_arena.out = g_arena.data + ALIGN(max_data);
    if ((uint64_t)g_arena.out + max_out > Z_myco_benchZ_memory(&g_module)->size)
        fail("the arena does not fit the aot module's memory", NULL);
}

static void run_layers(void)
{
    int i;
    for (i = 0; i < g_count; i++) {
        layer *l = &g_layers[i];
        uint32_t aot_work, ref_work;
        myco_bench_timing aot = {0, 0, 1}, ref = {0, 0, 1};
        int32_t signed_work;

        aot_place(l);
        signed_work = (int32_t)aot_run(l);
        if (signed_work < 0) {
            fprintf(stderr, "infer_bench: layer %d: run_layer returned %d\n", i, (int)signed_work);
            exit(1);
        }
        aot_work = (uint32_t)signed_work;
        write_output("aot", i, (const int8_t *)wasm_mem() + g_arena.out, l->out_len);
        ref_work = ref_run(l);
        write_output("ref", i, l->out, l->out_len);
        if (g_min_ms > 0) {
            aot = time_layer(aot_run, l);
            ref = time_layer(ref_run, l);
        }
        printf("layer %d %u %u %.3f %.3f %ld %ld %.3f %.3f\n", i, (unsigned)aot_work, (unsigned)ref_work,
               aot.ns, ref.ns, aot.reps, ref.reps, aot.best, ref.best);
        fflush(stdout);
    }
}

int main(int argc, char **argv)
{
    int i;
    if (argc != 5) {
        fprintf(stderr, "usage: infer_bench DIR COUNT MIN_MS RUNS\n");
        return 2;
    }
    g_dir = argv[1];
    g_count = atoi(argv[2]);
    g_min_ms = atof(argv[3]);
    g_runs = atoi(argv[4]);
    if (g_count <= 0 || g_min_ms < 0 || g_runs <= 0) {
        fprintf(stderr, "infer_bench: bad arguments\n");
        return 2;
    }
    g_layers = calloc((size_t)g_count, sizeof *g_layers);
    if (!g_layers) fail("out of memory", NULL);
    for (i = 0; i < g_count; i++) load_layer(i, &g_layers[i]);

    wasm_rt_init();
    Z_myco_bench_init_module();
    myco_rt_enter(&g_trap);
    if (setjmp(g_trap) != 0) {
        myco_rt_leave();
        fprintf(stderr, "infer_bench: the aot module trapped: %s\n", wasm_rt_strerror(myco_rt_last_trap()));
        return 1;
    }
    Z_myco_bench_instantiate(&g_module, NULL);
    setup_arena();
    run_layers();
    myco_rt_leave();
    return 0;
}
