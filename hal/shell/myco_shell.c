#include "myco_shell.h"

#include <stdio.h>
#include <string.h>

#include "myco_engine.h"
#include "myco_hal.h"

/* Deadlines further out than this are shortened so wrap-safe comparison
 * ((int32_t)(now - deadline) >= 0) stays valid; ticking early is allowed. */
#define MYCO_MAX_DELAY_MS 0x40000000u

typedef struct {
    myco_engine *engine;
    myco_imports imports;
    uint32_t budget;
    uint32_t inbox, inbox_size, outbox;
    uint32_t heap_top;
} myco_node;

/* One node per image: static, so the shell itself never allocates. */
static myco_node g_node;
static char g_msg[200];

static int refuse(const char *what)
{
    myco_shim_note(MYCO_LOG_ERROR, what);
    if (g_node.engine) myco_engine_unload(g_node.engine);
    g_node.engine = NULL;
    return MYCO_SHELL_REFUSED;
}

/* Calls an export; a trap is the module's failure and goes down the panic path. */
static uint32_t call(myco_export fn, const uint32_t *args, uint32_t nargs)
{
    uint32_t result = 0;
    myco_result r = myco_engine_call(g_node.engine, fn, args, nargs, &result);
    if (r != MYCO_OK) {
        snprintf(g_msg, sizeof g_msg, "%s: %s", myco_export_name(fn),
                 myco_engine_error(g_node.engine));
        myco_shim_panic(g_msg);
    }
    return result;
}

static uint32_t call0(myco_export fn)
{
    return call(fn, NULL, 0);
}

/* True when [ptr, ptr + len) lies inside the backed memory. */
static int in_memory(uint32_t ptr, uint32_t len)
{
    uint32_t size = 0;
    myco_engine_memory(g_node.engine, &size);
    return (uint64_t)ptr + len <= size;
}

static void report(uint32_t what)
{
    uint32_t size = 0, len;
    uint8_t *mem;
    len = call(MYCO_FN_INSPECT, &what, 1);
    if (len == 0) return; /* the module has no dump of this kind */
    mem = myco_engine_memory(g_node.engine, &size);
    if (!in_memory(g_node.outbox, len)) {
        snprintf(g_msg, sizeof g_msg, "inspect(%lu) returned %lu bytes past the end of memory",
                 (unsigned long)what, (unsigned long)len);
        myco_shim_note(MYCO_LOG_WARN, g_msg);
        return;
    }
    myco_shim_report(what, mem + g_node.outbox, len);
}

/* The memory discipline: nothing allocates after init, so the heap top is fixed. */
static void check_heap_fixed(const char *after)
{
    uint32_t top = call0(MYCO_FN_HEAP_TOP);
    if (top != g_node.heap_top) {
        snprintf(g_msg, sizeof g_msg, "heap top moved from %lu to %lu in %s (nothing may allocate after init)",
                 (unsigned long)g_node.heap_top, (unsigned long)top, after);
        myco_shim_panic(g_msg);
    }
}

static int start(const myco_shell_params *p)
{
    myco_engine_params ep;
    uint32_t version = 0, args[2];
    int32_t cfg_len, rc;
    uint8_t *mem;
    uint32_t size = 0;

    memset(&g_node, 0, sizeof g_node);
    g_node.budget = p->memory_budget;
    myco_imports_reset(&g_node.imports);
    ep.wasm = p->wasm;
    ep.wasm_len = p->wasm_len;
    ep.memory_budget = p->memory_budget;
    ep.imports = &g_node.imports;
    if (myco_engine_load(&ep, &g_node.engine) != MYCO_OK) {
        snprintf(g_msg, sizeof g_msg, "cannot load the module: %s",
                 myco_engine_error(g_node.engine));
        return refuse(g_msg);
    }

    /* Before anything else: a module of another ABI would misread every call. */
    if (myco_engine_abi_version(g_node.engine, &version) != MYCO_OK) {
        snprintf(g_msg, sizeof g_msg, "module does not export ABI_VERSION; this host speaks ABI version %u",
                 MYCO_ABI_VERSION);
        return refuse(g_msg);
    }
    if (version != MYCO_ABI_VERSION) {
        snprintf(g_msg, sizeof g_msg, "module ABI version %lu, this host speaks ABI version %u",
                 (unsigned long)version, MYCO_ABI_VERSION);
        return refuse(g_msg);
    }

    g_node.inbox = call0(MYCO_FN_INBOX);
    g_node.inbox_size = call0(MYCO_FN_INBOX_SIZE);
    if (g_node.inbox_size < MYCO_INBOX_MIN || !in_memory(g_node.inbox, g_node.inbox_size)) {
        snprintf(g_msg, sizeof g_msg, "inbox of %lu bytes at %lu does not fit the memory budget of %lu bytes (or is under %u bytes)",
                 (unsigned long)g_node.inbox_size, (unsigned long)g_node.inbox,
                 (unsigned long)g_node.budget, MYCO_INBOX_MIN);
        return refuse(g_msg);
    }

    mem = myco_engine_memory(g_node.engine, &size);
    cfg_len = myco_shim_config(mem + g_node.inbox, g_node.inbox_size);
    if (cfg_len < 0) return refuse("config blob does not fit the inbox");
    args[0] = myco_shim_node_id();
    args[1] = (uint32_t)cfg_len;
    rc = (int32_t)call(MYCO_FN_INIT, args, 2);
    if (rc != MYCO_INIT_OK) {
        snprintf(g_msg, sizeof g_msg, "init refused the config: %s (%ld)",
                 rc == MYCO_INIT_MALFORMED_CONFIG ? "malformed"
                 : rc == MYCO_INIT_OUT_OF_RANGE   ? "a value out of range"
                 : rc == MYCO_INIT_ALREADY_INITIALISED ? "already initialised"
                                                  : "unknown error",
                 (long)rc);
        return refuse(g_msg);
    }

    /* The outbox is sized by init, so its address exists only from here on. */
    g_node.outbox = call0(MYCO_FN_OUTBOX);
    g_node.heap_top = call0(MYCO_FN_HEAP_TOP);
    if (g_node.heap_top > g_node.budget) {
        snprintf(g_msg, sizeof g_msg, "heap top %lu after init exceeds the Wasm memory budget of %lu bytes",
                 (unsigned long)g_node.heap_top, (unsigned long)g_node.budget);
        return refuse(g_msg);
    }
    snprintf(g_msg, sizeof g_msg, "ready id=%u abi=%u engine=%s heap_top=%lu budget=%lu",
             (unsigned)myco_shim_node_id(), MYCO_ABI_VERSION, myco_engine_name(),
             (unsigned long)g_node.heap_top, (unsigned long)g_node.budget);
    myco_shim_note(MYCO_LOG_INFO, g_msg);
    return 0;
}

/* Ticks at `now` and returns the next deadline; *has is 0 when none is scheduled. */
static uint32_t tick(uint32_t now, int *has)
{
    uint32_t delay = call(MYCO_FN_TICK, &now, 1);
    check_heap_fixed("tick");
    *has = delay != MYCO_NO_DEADLINE;
    if (delay > MYCO_MAX_DELAY_MS) delay = MYCO_MAX_DELAY_MS;
    /* "As soon as possible" is the next millisecond: within this one the clock reads
     * the same and another tick would only poll (the simulator does the same). */
    if (delay == 0) delay = 1;
    return now + delay;
}

int myco_shell_run(const myco_shell_params *p)
{
    uint32_t deadline;
    int has_deadline;

    if (start(p) != 0) return MYCO_SHELL_REFUSED;
    deadline = tick(myco_shim_now_ms(), &has_deadline);

    for (;;) {
        uint32_t now = myco_shim_now_ms(), size = 0, args[3];
        uint8_t *mem;
        myco_wake w;

        if (has_deadline && (int32_t)(now - deadline) >= 0) {
            deadline = tick(now, &has_deadline);
            continue;
        }
        /* Frames land straight in the inbox: no second frame buffer on a small board. */
        mem = myco_engine_memory(g_node.engine, &size);
        memset(&w, 0, sizeof w);
        myco_shim_wait(has_deadline ? deadline - now : MYCO_NO_DEADLINE, mem + g_node.inbox,
                       g_node.inbox_size, &w);
        switch (w.kind) {
        case MYCO_WAKE_FRAME:
            if (w.len > g_node.inbox_size) break;
            args[0] = w.peer;
            args[1] = w.len;
            args[2] = (uint32_t)w.rssi;
            call(MYCO_FN_ON_FRAME, args, 3);
            check_heap_fixed("on_frame");
            /* An input may have created work with its own deadline; ask for it. */
            deadline = tick(myco_shim_now_ms(), &has_deadline);
            break;
        case MYCO_WAKE_LINK:
            args[0] = w.link_event;
            args[1] = w.peer;
            call(MYCO_FN_ON_LINK, args, 2);
            check_heap_fixed("on_link");
            deadline = tick(myco_shim_now_ms(), &has_deadline);
            break;
        case MYCO_WAKE_REPORT:
            report(MYCO_INSPECT_NEIGHBOURS);
            report(MYCO_INSPECT_COUNTERS);
            break;
        case MYCO_WAKE_STOP:
            report(MYCO_INSPECT_NEIGHBOURS);
            report(MYCO_INSPECT_COUNTERS);
            myco_engine_unload(g_node.engine);
            g_node.engine = NULL;
            return MYCO_SHELL_STOPPED;
        case MYCO_WAKE_TIMEOUT:
            break;
        }
    }
}
