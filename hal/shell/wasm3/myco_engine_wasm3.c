/*
 * The `wasm3` engine adapter: the node module interpreted by wasm3
 * (https://github.com/wasm3/wasm3) from its bytes, so a board can run a module kept in
 * flash and replace it without a new firmware image. Slower than `aot` and heavier on
 * RAM (wasm3 compiles each function on its first call into code pages on the heap).
 *
 * wasm3 is not part of this repository: tools/firmware/native.ts --engine wasm3
 * --wasm3-src DIR builds against a checkout, board builds against their library copy.
 * Everything here is wasm3's public API (wasm3.h) except the runtime's memoryLimit and
 * the module's function table, read from m3_env.h because wasm3 has no accessor for them.
 */
#include <stdio.h>
#include <string.h>

#include "myco_engine.h"
#include "wasm3.h"
#include "m3_env.h"

/* wasm3's value stack, taken from the heap beside linear memory. The node's deepest
 * call chain needs far less; a deeper one traps ("stack overflow") instead of
 * overrunning. */
#ifndef MYCO_WASM3_STACK_BYTES
#define MYCO_WASM3_STACK_BYTES 8192u
#endif

/* Releases with the custom-page-sizes proposal keep a page size per memory. */
#ifdef d_m3DefaultMemPageSize
#define MYCO_PAGE_BYTES(mem) ((mem)->pageSize)
#else
#define MYCO_PAGE_BYTES(mem) 65536u
#endif

struct myco_engine {
    IM3Environment env;
    IM3Runtime runtime;
    IM3Module module; /* owned by the runtime once loaded */
    IM3Function fn[MYCO_FN_COUNT];
    /* The image wasm3 reads function bodies from while it runs (it compiles lazily). */
    const uint8_t *wasm;
    uint32_t wasm_len;
    uint32_t budget;
    myco_imports *imp;
    char error[192];
};

/* One module per image, as with `aot`: the engine itself is static, only wasm3
 * allocates (environment, runtime, code pages, linear memory). */
static struct myco_engine g_engine;
static char g_load_error[192];

/* hal.panic "never returns": its import ends the call with this trap. */
static const char g_trap_panic[] = "[trap] hal.panic";

static const uint8_t g_arity[MYCO_FN_COUNT] = {0, 0, 0, 0, 2, 3, 2, 2, 1, 1};
static const uint8_t g_results[MYCO_FN_COUNT] = {1, 1, 1, 1, 1, 0, 0, 1, 1, 1};

const char *myco_engine_name(void)
{
    return "wasm3";
}

/* Keeps the imports' view of memory current: memory.grow may move it. */
static void sync_memory(struct myco_engine *e)
{
    uint32_t size = 0;
    e->imp->memory = m3_GetMemory(e->runtime, &size, 0);
    e->imp->memory_size = e->imp->memory ? size : 0;
}

/* The same words as `aot`, so a trap reads alike whichever engine ran it. */
static void describe_trap(const struct myco_engine *e, M3Result r, char *out, size_t cap)
{
    const myco_imports *imp = e->imp;
    if (imp->fault == MYCO_FAULT_PANIC) {
        snprintf(out, cap, "module panic (code %lu): %s", (unsigned long)imp->panic_code,
                 imp->panic_text);
    } else if (imp->fault == MYCO_FAULT_BAD_BUFFER) {
        snprintf(out, cap, "trap: hal.%s was given a buffer outside the %lu bytes of linear memory",
                 imp->fault_import, (unsigned long)imp->memory_size);
    } else if (r == m3Err_trapOutOfBoundsMemoryAccess) {
        snprintf(out, cap, "trap: out-of-bounds memory access (memory budget %lu bytes)",
                 (unsigned long)e->budget);
    } else if (strncmp(r, "[trap] ", 7) == 0) {
        snprintf(out, cap, "trap: %s", r + 7);
    } else {
        snprintf(out, cap, "wasm3: %s", r);
    }
}

/* ---- HAL imports in wasm3's raw calling convention --------------------------------
 * Each wraps the engine-independent import of myco_imports.c; a fault it records
 * becomes a trap before the module runs another instruction. */

static myco_imports *imports_of(IM3ImportContext ctx)
{
    struct myco_engine *e = (struct myco_engine *)ctx->userdata;
    sync_memory(e);
    return e->imp;
}

static const void *fault_trap(const myco_imports *imp)
{
    if (imp->fault == MYCO_FAULT_PANIC) return g_trap_panic;
    if (imp->fault != MYCO_FAULT_NONE) return m3Err_trapOutOfBoundsMemoryAccess;
    return m3Err_none;
}

static m3ApiRawFunction(hal_now_ms)
{
    m3ApiReturnType(uint32_t);
    (void)runtime;
    (void)_mem;
    m3ApiReturn(myco_imp_now_ms(imports_of(_ctx)));
}

static m3ApiRawFunction(hal_send)
{
    myco_imports *imp = imports_of(_ctx);
    int32_t r;
    m3ApiReturnType(uint32_t);
    m3ApiGetArg(uint32_t, dst);
    m3ApiGetArg(uint32_t, ptr);
    m3ApiGetArg(uint32_t, len);
    (void)runtime;
    (void)_mem;
    r = myco_imp_send(imp, dst, ptr, len);
    if (imp->fault) return fault_trap(imp);
    m3ApiReturn((uint32_t)r);
}

static m3ApiRawFunction(hal_rand)
{
    m3ApiReturnType(uint32_t);
    (void)runtime;
    (void)_mem;
    m3ApiReturn(myco_imp_rand(imports_of(_ctx)));
}

static m3ApiRawFunction(hal_log)
{
    myco_imports *imp = imports_of(_ctx);
    m3ApiGetArg(uint32_t, level);
    m3ApiGetArg(uint32_t, ptr);
    m3ApiGetArg(uint32_t, len);
    (void)runtime;
    (void)_mem;
    myco_imp_log(imp, level, ptr, len);
    return fault_trap(imp);
}

static m3ApiRawFunction(hal_emit)
{
    myco_imports *imp = imports_of(_ctx);
    m3ApiGetArg(uint32_t, kind);
    m3ApiGetArg(uint32_t, ptr);
    m3ApiGetArg(uint32_t, len);
    (void)runtime;
    (void)_mem;
    myco_imp_emit(imp, kind, ptr, len);
    return fault_trap(imp);
}

static m3ApiRawFunction(hal_sensor)
{
    myco_imports *imp = imports_of(_ctx);
    int32_t r;
    m3ApiReturnType(uint32_t);
    m3ApiGetArg(uint32_t, channel);
    m3ApiGetArg(uint32_t, ptr);
    m3ApiGetArg(uint32_t, max);
    (void)runtime;
    (void)_mem;
    r = myco_imp_sensor(imp, channel, ptr, max);
    if (imp->fault) return fault_trap(imp);
    m3ApiReturn((uint32_t)r);
}

static m3ApiRawFunction(hal_blob_read)
{
    myco_imports *imp = imports_of(_ctx);
    int32_t r;
    m3ApiReturnType(uint32_t);
    m3ApiGetArg(uint32_t, id);
    m3ApiGetArg(uint32_t, offset);
    m3ApiGetArg(uint32_t, ptr);
    m3ApiGetArg(uint32_t, len);
    (void)runtime;
    (void)_mem;
    r = myco_imp_blob_read(imp, id, offset, ptr, len);
    if (imp->fault) return fault_trap(imp);
    m3ApiReturn((uint32_t)r);
}

static m3ApiRawFunction(hal_accel)
{
    myco_imports *imp = imports_of(_ctx);
    int32_t r;
    m3ApiReturnType(uint32_t);
    m3ApiGetArg(uint32_t, op);
    m3ApiGetArg(uint32_t, in_ptr);
    m3ApiGetArg(uint32_t, in_len);
    m3ApiGetArg(uint32_t, out_ptr);
    m3ApiGetArg(uint32_t, out_len);
    (void)runtime;
    (void)_mem;
    r = myco_imp_accel(imp, op, in_ptr, in_len, out_ptr, out_len);
    if (imp->fault) return fault_trap(imp);
    m3ApiReturn((uint32_t)r);
}

static m3ApiRawFunction(hal_compute)
{
    m3ApiGetArg(uint32_t, cost);
    (void)runtime;
    (void)_mem;
    myco_imp_compute(imports_of(_ctx), cost);
    m3ApiSuccess();
}

static m3ApiRawFunction(hal_wifi)
{
    m3ApiReturnType(uint32_t);
    m3ApiGetArg(uint32_t, op);
    m3ApiGetArg(uint32_t, arg);
    (void)runtime;
    (void)_mem;
    m3ApiReturn((uint32_t)myco_imp_wifi(imports_of(_ctx), op, arg));
}

static m3ApiRawFunction(hal_panic)
{
    myco_imports *imp = imports_of(_ctx);
    m3ApiGetArg(uint32_t, code);
    m3ApiGetArg(uint32_t, ptr);
    m3ApiGetArg(uint32_t, len);
    (void)runtime;
    (void)_mem;
    myco_imp_panic(imp, code, ptr, len);
    return fault_trap(imp);
}

/* docs/abi.md, Imports: name, wasm3 signature, function. */
static const struct {
    const char *name, *signature;
    M3RawCall fn;
} g_imports[] = {
    {"now_ms", "i()", hal_now_ms},
    {"send", "i(iii)", hal_send},
    {"rand", "i()", hal_rand},
    {"log", "v(iii)", hal_log},
    {"emit", "v(iii)", hal_emit},
    {"sensor", "i(iii)", hal_sensor},
    {"blob_read", "i(iiii)", hal_blob_read},
    {"accel", "i(iiiii)", hal_accel},
    {"compute", "v(i)", hal_compute},
    {"wifi", "i(ii)", hal_wifi},
    {"panic", "v(iii)", hal_panic},
};

/* ---- loading ------------------------------------------------------------------ */

static void drop_instance(struct myco_engine *e)
{
    if (e->runtime) m3_FreeRuntime(e->runtime); /* frees the loaded module too */
    e->runtime = NULL;
    e->module = NULL;
    memset(e->fn, 0, sizeof e->fn);
}

/* Imports, exports and their signatures checked up front: wasm3 would otherwise find
 * a missing import only when a function calling it is first compiled, mid-run. */
static myco_result link(struct myco_engine *e, char *err, size_t cap)
{
    uint32_t i, k;
    M3Result r;

    for (i = 0; i < sizeof g_imports / sizeof g_imports[0]; i++) {
        r = m3_LinkRawFunctionEx(e->module, "hal", g_imports[i].name, g_imports[i].signature,
                                 g_imports[i].fn, e);
        if (r && r != m3Err_functionLookupFailed) { /* lookup failed: not imported */
            snprintf(err, cap, "hal.%s: %s", g_imports[i].name, r);
            return MYCO_ERR_LOAD;
        }
    }
    for (i = 0; i < e->module->numFuncImports; i++) {
        const M3Function *f = &e->module->functions[i];
        if (!f->compiled) {
            snprintf(err, cap, "module imports %s.%s, which the HAL ABI does not provide",
                     f->import.moduleUtf8, f->import.fieldUtf8);
            return MYCO_ERR_LOAD;
        }
    }

    /* The start function runs at instantiation, as in any host. */
    r = m3_RunStart(e->module);
    if (r) {
        char why[160];
        describe_trap(e, r, why, sizeof why);
        snprintf(err, cap, "start function: %s", why);
        return MYCO_ERR_LOAD;
    }

    for (k = 0; k < MYCO_FN_COUNT; k++) {
        IM3Function f = NULL;
        int ok;
        if (m3_FindFunction(&f, e->runtime, myco_export_name((myco_export)k)) != m3Err_none) {
            snprintf(err, cap, "module lacks the export %s required by docs/abi.md",
                     myco_export_name((myco_export)k));
            return MYCO_ERR_MISSING;
        }
        ok = m3_GetArgCount(f) == g_arity[k] && m3_GetRetCount(f) == g_results[k];
        for (i = 0; ok && i < g_arity[k]; i++) ok = m3_GetArgType(f, i) == c_m3Type_i32;
        if (ok && g_results[k]) ok = m3_GetRetType(f, 0) == c_m3Type_i32;
        if (!ok) {
            snprintf(err, cap, "export %s has another signature than docs/abi.md gives it",
                     myco_export_name((myco_export)k));
            return MYCO_ERR_MISSING;
        }
        e->fn[k] = f;
    }
    return MYCO_OK;
}

/* memory.grow fails once it would add no backed bytes, as with `aot`: left alone,
 * wasm3 raises the page count past memoryLimit and the new pages trap when touched,
 * where an allocator should have seen "out of memory". */
static void cap_growth(M3Memory *mem, uint32_t budget)
{
    uint32_t page = MYCO_PAGE_BYTES(mem);
    uint64_t pages = ((uint64_t)budget + page - 1) / page;
    if (pages < mem->numPages) pages = mem->numPages;
    if (pages < mem->maxPages) mem->maxPages = (uint32_t)pages;
}

/* A fresh runtime holding a fresh instance of e->wasm. */
static myco_result instantiate(struct myco_engine *e, char *err, size_t cap)
{
    IM3Module module = NULL;
    myco_result res;
    M3Result r;

    e->runtime = m3_NewRuntime(e->env, MYCO_WASM3_STACK_BYTES, e);
    if (!e->runtime) {
        snprintf(err, cap, "wasm3 could not allocate a runtime");
        return MYCO_ERR_LOAD;
    }
    /* wasm3 backs at most this many bytes of linear memory however many pages the
     * module declares, so an access past the board's budget traps. */
    e->runtime->memoryLimit = e->budget;

    r = m3_ParseModule(e->env, &module, e->wasm, e->wasm_len);
    if (r) {
        snprintf(err, cap, "not a module wasm3 can run: %s", r);
        drop_instance(e);
        return MYCO_ERR_LOAD;
    }
    r = m3_LoadModule(e->runtime, module);
    if (r) {
        snprintf(err, cap, "instantiation failed: %s", r);
        m3_FreeModule(module); /* not the runtime's until loaded */
        drop_instance(e);
        return MYCO_ERR_LOAD;
    }
    e->module = module;
    if (!e->runtime->memory.mallocated) {
        snprintf(err, cap, "module has no linear memory");
        drop_instance(e);
        return MYCO_ERR_LOAD;
    }
    cap_growth(&e->runtime->memory, e->budget);
    sync_memory(e);
    res = link(e, err, cap);
    if (res != MYCO_OK) drop_instance(e);
    else sync_memory(e);
    return res;
}

myco_result myco_engine_load(const myco_engine_params *params, myco_engine **out)
{
    struct myco_engine *e = &g_engine;
    myco_result res;

    *out = NULL;
    g_load_error[0] = '\0';
    /* A shim whose panic path leaves the shell without unloading (a board's soft
     * reboot, the replay board) would otherwise leak the last instance's heap. */
    if (e->env) myco_engine_unload(e);
    memset(e, 0, sizeof *e);
    if (!params->wasm || params->wasm_len == 0) {
        snprintf(g_load_error, sizeof g_load_error,
                 "the wasm3 engine needs the module's bytes, and none were given");
        return MYCO_ERR_LOAD;
    }
    e->wasm = params->wasm;
    e->wasm_len = params->wasm_len;
    e->budget = params->memory_budget;
    e->imp = params->imports;
    myco_imports_reset(e->imp);

    e->env = m3_NewEnvironment();
    if (!e->env) {
        snprintf(g_load_error, sizeof g_load_error, "wasm3 could not allocate an environment");
        return MYCO_ERR_LOAD;
    }
    res = instantiate(e, g_load_error, sizeof g_load_error);
    if (res != MYCO_OK) {
        m3_FreeEnvironment(e->env);
        e->env = NULL;
        return res;
    }
    *out = e;
    return MYCO_OK;
}

/* The environment stays: it keeps the function types and released code pages, so a
 * restart reuses them instead of going back to the heap. */
myco_result myco_engine_reload(myco_engine *e, const uint8_t *wasm, uint32_t wasm_len)
{
    myco_result res;
    if (wasm) {
        /* Parse the new bytes first: garbage must not cost the running instance. */
        IM3Module probe = NULL;
        M3Result r = m3_ParseModule(e->env, &probe, wasm, wasm_len);
        if (r) {
            snprintf(e->error, sizeof e->error, "not a module wasm3 can run: %s", r);
            if (probe) m3_FreeModule(probe);
            return MYCO_ERR_MODULE;
        }
        m3_FreeModule(probe);
    }
    drop_instance(e);
    if (wasm) {
        e->wasm = wasm;
        e->wasm_len = wasm_len;
    }
    myco_imports_reset(e->imp);
    res = instantiate(e, e->error, sizeof e->error);
    return res == MYCO_OK ? MYCO_OK : MYCO_ERR_LOAD;
}

int myco_engine_loads_modules(void)
{
    return 1;
}

myco_result myco_engine_abi_version(myco_engine *e, uint32_t *version)
{
    M3TaggedValue value;
    IM3Global global = m3_FindGlobal(e->module, "ABI_VERSION");
    if (!global || m3_GetGlobal(global, &value) != m3Err_none || value.type != c_m3Type_i32) {
        snprintf(e->error, sizeof e->error, "module exports no i32 global ABI_VERSION");
        return MYCO_ERR_MISSING;
    }
    *version = value.value.i32;
    return MYCO_OK;
}

myco_result myco_engine_call(myco_engine *e, myco_export fn, const uint32_t *args,
                             uint32_t nargs, uint32_t *result)
{
    uint32_t a[3] = {0, 0, 0}, r = 0, i;
    M3Result res;

    if ((unsigned)fn >= MYCO_FN_COUNT || nargs != g_arity[fn]) {
        snprintf(e->error, sizeof e->error, "%s takes %u arguments, not %lu",
                 myco_export_name(fn), (unsigned)fn < MYCO_FN_COUNT ? g_arity[fn] : 0u,
                 (unsigned long)nargs);
        return MYCO_ERR_ARGS;
    }
    for (i = 0; i < nargs; i++) a[i] = args[i];
    myco_imports_reset(e->imp);
    sync_memory(e);
    /* m3_CallV reads as many arguments as the export takes; the rest are ignored. */
    res = m3_CallV(e->fn[fn], a[0], a[1], a[2]);
    sync_memory(e);
    if (res) {
        describe_trap(e, res, e->error, sizeof e->error);
        return MYCO_ERR_TRAP;
    }
    if (g_results[fn]) {
        res = m3_GetResultsV(e->fn[fn], &r);
        if (res) {
            snprintf(e->error, sizeof e->error, "%s: no result: %s", myco_export_name(fn), res);
            return MYCO_ERR_TRAP;
        }
    }
    if (result) *result = r;
    return MYCO_OK;
}

uint8_t *myco_engine_memory(myco_engine *e, uint32_t *size)
{
    uint8_t *base = m3_GetMemory(e->runtime, size, 0);
    if (!base) *size = 0;
    return base;
}

const char *myco_engine_error(const myco_engine *e)
{
    return e ? e->error : g_load_error;
}

void myco_engine_unload(myco_engine *e)
{
    drop_instance(e);
    if (e->env) m3_FreeEnvironment(e->env);
    e->env = NULL;
}
