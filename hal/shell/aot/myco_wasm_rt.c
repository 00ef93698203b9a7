/*
 * Implements what wasm-rt.h (wabt 1.0.32) declares, with static storage only.
 * Limits are compile-time so a board build fails or traps predictably instead of
 * running out of heap at some later moment.
 */
#include "myco_wasm_rt.h"

#include <stdarg.h>
#include <string.h>

#include "myco_hal.h"

#ifndef MYCO_MEMORY_BUDGET
#error "define MYCO_MEMORY_BUDGET: bytes of linear memory backed by RAM (the board's wasm_memory_budget)"
#endif
#if WASM_RT_MEMCHECK_SIGNAL_HANDLER
#error "build with -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0: this runtime relies on explicit bounds checks"
#endif

#ifndef MYCO_RT_FUNC_TYPE_BYTES
#define MYCO_RT_FUNC_TYPE_BYTES 512 /* parameter and result types of all signatures */
#endif
#ifndef MYCO_RT_FUNC_TYPES
#define MYCO_RT_FUNC_TYPES 64
#endif
#ifndef MYCO_RT_FUNCREF_ELEMS
#define MYCO_RT_FUNCREF_ELEMS 128 /* indirect-call table slots */
#endif
#ifndef MYCO_RT_EXTERNREF_ELEMS
#define MYCO_RT_EXTERNREF_ELEMS 8
#endif
#ifndef MYCO_RT_EXCEPTION_BYTES
#define MYCO_RT_EXCEPTION_BYTES 64
#endif

#define PAGE_BYTES 65536u

#if WASM_RT_USE_STACK_DEPTH_COUNT
/* Built without the count (-DWASM_RT_USE_STACK_DEPTH_COUNT=0) only for a module proved
 * recursion-free (tools/firmware/callgraph.ts); docs/native.md. */
uint32_t wasm_rt_call_stack_depth;
static uint32_t g_saved_depth;
#define SAVE_DEPTH() (g_saved_depth = wasm_rt_call_stack_depth)
#define RESTORE_DEPTH() (wasm_rt_call_stack_depth = g_saved_depth)
#define RESET_DEPTH() (wasm_rt_call_stack_depth = 0)
#else
#define SAVE_DEPTH() ((void)0)
#define RESTORE_DEPTH() ((void)0)
#define RESET_DEPTH() ((void)0)
#endif

static jmp_buf *g_trap_target;
static jmp_buf *g_unwind_target;
static wasm_rt_trap_t g_last_trap;

/* Linear memory, and the bytes of it the module may touch now. The rewritten wasm2c
 * output (myco_wasm_memory.h) addresses both directly. Aligned for the widest load
 * (the accesses themselves are memcpy and would work unaligned). */
#if defined(__GNUC__)
#define MYCO_RT_ALIGNED __attribute__((aligned(8)))
#else
#define MYCO_RT_ALIGNED
#endif
uint8_t myco_rt_memory[MYCO_MEMORY_BUDGET] MYCO_RT_ALIGNED;
uint32_t myco_rt_memory_size;
static int g_memory_in_use;

static struct {
    uint16_t offset;
    uint8_t params, results;
} g_types[MYCO_RT_FUNC_TYPES];
static uint8_t g_type_bytes[MYCO_RT_FUNC_TYPE_BYTES];
static uint32_t g_type_count, g_type_bytes_used;

static wasm_rt_funcref_t g_funcrefs[MYCO_RT_FUNCREF_ELEMS];
static uint32_t g_funcrefs_used;
static wasm_rt_externref_t g_externrefs[MYCO_RT_EXTERNREF_ELEMS];
static uint32_t g_externrefs_used;

static uint8_t g_exception[MYCO_RT_EXCEPTION_BYTES];
static uint32_t g_exception_tag, g_exception_size, g_tag_count;

/* ---- traps ------------------------------------------------------------------- */

void myco_rt_enter(jmp_buf *target)
{
    SAVE_DEPTH();
    g_trap_target = target;
    g_unwind_target = target;
    g_last_trap = WASM_RT_TRAP_NONE;
}

void myco_rt_leave(void)
{
    g_trap_target = NULL;
    g_unwind_target = NULL;
}

wasm_rt_trap_t myco_rt_last_trap(void)
{
    return g_last_trap;
}

void wasm_rt_trap(wasm_rt_trap_t code)
{
    /* The unwound frames never ran their epilogues. */
    RESTORE_DEPTH();
    g_last_trap = code;
    if (g_trap_target) longjmp(*g_trap_target, 1);
    /* Only reachable if module code runs outside an adapter call. */
    myco_shim_panic("wasm trap outside a module call");
}

const char *wasm_rt_strerror(wasm_rt_trap_t trap)
{
    switch (trap) {
    case WASM_RT_TRAP_NONE: return "no error";
    case WASM_RT_TRAP_OOB: return "out-of-bounds access to linear memory or a table";
    case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow on divide or truncation";
    case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
    case WASM_RT_TRAP_INVALID_CONVERSION: return "conversion from NaN to integer";
    case WASM_RT_TRAP_UNREACHABLE: return "unreachable executed";
    case WASM_RT_TRAP_CALL_INDIRECT: return "invalid call_indirect";
    case WASM_RT_TRAP_UNCAUGHT_EXCEPTION: return "uncaught exception";
#if !WASM_RT_MERGED_OOB_AND_EXHAUSTION_TRAPS
    case WASM_RT_TRAP_EXHAUSTION: return "call stack or runtime pool exhausted";
#endif
    }
    return "unknown trap";
}

/* ---- lifecycle --------------------------------------------------------------- */

void wasm_rt_init(void) {}

bool wasm_rt_is_initialized(void)
{
    return true;
}

void wasm_rt_free(void)
{
    myco_rt_reset();
}

void myco_rt_reset(void)
{
    RESET_DEPTH();
    g_type_count = g_type_bytes_used = 0;
    g_funcrefs_used = g_externrefs_used = 0;
    g_tag_count = g_exception_size = 0;
    g_memory_in_use = 0;
    g_trap_target = g_unwind_target = NULL;
}

/* ---- function types ------------------------------------------------------------ */

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...)
{
    uint8_t sig[MYCO_RT_FUNC_TYPE_BYTES];
    uint32_t n = params + results, i;
    va_list ap;

    if (n > sizeof sig) wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    va_start(ap, results);
    for (i = 0; i < n; i++) sig[i] = (uint8_t)va_arg(ap, int); /* enums promote to int */
    va_end(ap);

    /* Same signature, same index: call_indirect compares these numbers. */
    for (i = 0; i < g_type_count; i++) {
        if (g_types[i].params == params && g_types[i].results == results &&
            memcmp(&g_type_bytes[g_types[i].offset], sig, n) == 0)
            return i + 1;
    }
    if (g_type_count == MYCO_RT_FUNC_TYPES || g_type_bytes_used + n > MYCO_RT_FUNC_TYPE_BYTES)
        wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    memcpy(&g_type_bytes[g_type_bytes_used], sig, n);
    g_types[g_type_count].offset = (uint16_t)g_type_bytes_used;
    g_types[g_type_count].params = (uint8_t)params;
    g_types[g_type_count].results = (uint8_t)results;
    g_type_bytes_used += n;
    return ++g_type_count;
}

/* ---- memory -------------------------------------------------------------------- */

uint32_t myco_rt_memory_budget(void)
{
    return MYCO_MEMORY_BUDGET;
}

/* Backed bytes for a page count: the pages the module sees, capped by the budget.
 * memory.size reports pages while accesses are checked against size, so a module
 * declaring one 64 KiB page runs in a 24 KiB budget. Once the pages cover the
 * budget the size stays put, which lets myco_wasm_memory.h check against it as a
 * constant. */
static uint32_t backed_bytes(uint32_t pages)
{
    uint64_t want = (uint64_t)pages * PAGE_BYTES;
    return want < MYCO_MEMORY_BUDGET ? (uint32_t)want : MYCO_MEMORY_BUDGET;
}

void wasm_rt_allocate_memory(wasm_rt_memory_t *mem, uint32_t initial_pages, uint32_t max_pages)
{
    /* One static buffer: a second memory has nothing to live in. */
    if (g_memory_in_use) wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    g_memory_in_use = 1;
    mem->data = myco_rt_memory;
    mem->pages = initial_pages;
    mem->max_pages = max_pages;
    mem->size = myco_rt_memory_size = backed_bytes(initial_pages);
    memset(mem->data, 0, mem->size);
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *mem, uint32_t delta)
{
    uint32_t old_pages = mem->pages, new_size;
    uint64_t new_pages = (uint64_t)old_pages + delta;

    if (new_pages > mem->max_pages || new_pages > 65536u) return UINT32_MAX;
    new_size = backed_bytes((uint32_t)new_pages);
    /* Refuse growth the budget cannot back, so the module's allocator sees
     * "out of memory" (a clear abort) rather than pages that trap when touched. */
    if (delta > 0 && new_size == mem->size) return UINT32_MAX;
    memset(mem->data + mem->size, 0, new_size - mem->size);
    mem->pages = (uint32_t)new_pages;
    mem->size = myco_rt_memory_size = new_size;
    return old_pages;
}

void wasm_rt_free_memory(wasm_rt_memory_t *mem)
{
    g_memory_in_use = 0;
    mem->data = NULL;
    mem->size = mem->pages = myco_rt_memory_size = 0;
}

/* ---- tables -------------------------------------------------------------------- */

/* Tables are carved from static pools in instantiation order; they do not grow
 * (wasm allows table.grow to fail, and the node modules never grow them). */
void wasm_rt_allocate_funcref_table(wasm_rt_funcref_table_t *table, uint32_t elements,
                                    uint32_t max_elements)
{
    uint32_t i;
    if (elements > MYCO_RT_FUNCREF_ELEMS - g_funcrefs_used) wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    table->data = &g_funcrefs[g_funcrefs_used];
    table->size = elements;
    table->max_size = max_elements;
    for (i = 0; i < elements; i++) table->data[i] = wasm_rt_funcref_null_value;
    g_funcrefs_used += elements;
}

void wasm_rt_free_funcref_table(wasm_rt_funcref_table_t *table)
{
    table->data = NULL;
    table->size = 0;
}

uint32_t wasm_rt_grow_funcref_table(wasm_rt_funcref_table_t *table, uint32_t delta,
                                    wasm_rt_funcref_t init)
{
    (void)init;
    return delta == 0 ? table->size : UINT32_MAX;
}

void wasm_rt_allocate_externref_table(wasm_rt_externref_table_t *table, uint32_t elements,
                                      uint32_t max_elements)
{
    uint32_t i;
    if (elements > MYCO_RT_EXTERNREF_ELEMS - g_externrefs_used)
        wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    table->data = &g_externrefs[g_externrefs_used];
    table->size = elements;
    table->max_size = max_elements;
    for (i = 0; i < elements; i++) table->data[i] = wasm_rt_externref_null_value;
    g_externrefs_used += elements;
}

void wasm_rt_free_externref_table(wasm_rt_externref_table_t *table)
{
    table->data = NULL;
    table->size = 0;
}

uint32_t wasm_rt_grow_externref_table(wasm_rt_externref_table_t *table, uint32_t delta,
                                      wasm_rt_externref_t init)
{
    (void)init;
    return delta == 0 ? table->size : UINT32_MAX;
}

/* ---- exceptions (only used by modules built with exception handling) ------------ */

uint32_t wasm_rt_register_tag(uint32_t size)
{
    if (size > MYCO_RT_EXCEPTION_BYTES) wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    return g_tag_count++;
}

void wasm_rt_load_exception(uint32_t tag, uint32_t size, const void *values)
{
    if (size > MYCO_RT_EXCEPTION_BYTES) wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
    g_exception_tag = tag;
    g_exception_size = size;
    if (size) memcpy(g_exception, values, size);
}

void wasm_rt_throw(void)
{
    /* Caught inside the module, the generated code restores its own depth; uncaught,
     * it lands in the adapter's frame like a trap. */
    if (g_unwind_target == g_trap_target) {
        g_last_trap = WASM_RT_TRAP_UNCAUGHT_EXCEPTION;
        RESTORE_DEPTH();
    }
    if (g_unwind_target) longjmp(*g_unwind_target, WASM_RT_TRAP_UNCAUGHT_EXCEPTION);
    myco_shim_panic("wasm exception outside a module call");
}

WASM_RT_UNWIND_TARGET *wasm_rt_get_unwind_target(void)
{
    return g_unwind_target;
}

void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET *target)
{
    g_unwind_target = target;
}

uint32_t wasm_rt_exception_tag(void)
{
    return g_exception_tag;
}

uint32_t wasm_rt_exception_size(void)
{
    return g_exception_size;
}

void *wasm_rt_exception(void)
{
    return g_exception;
}
