#include "myco_shell.h"

#include <stdio.h>
#include <string.h>

#include "myco_engine.h"
#include "myco_hal.h"

/* Deadlines further out than this are shortened so wrap-safe comparison
 * ((int32_t)(now - deadline) >= 0) stays valid; ticking early is allowed. */
#define MYCO_MAX_DELAY_MS 0x40000000u

/* How a stretch of running the module ended. */
typedef enum {
    MYCO_RUN_OK = 0, /* started; the event loop may run */
    MYCO_RUN_STOPPED, /* the shim asked to stop */
    MYCO_RUN_REFUSED, /* the module cannot run here; g_refusal says why */
    MYCO_RUN_FAILED,  /* the module trapped, panicked or allocated: restart it */
    MYCO_RUN_UPDATE   /* the shim handed over a new module image (g_update) */
} myco_run;

typedef struct {
    myco_engine *engine;
    myco_imports imports;
    /* The image the engine runs (NULL for aot): where a refused update goes back to. */
    const uint8_t *wasm;
    uint32_t wasm_len;
    uint32_t budget;
    uint32_t inbox, inbox_size, outbox;
    uint32_t heap_top;
    /* Set by the first failure; the instance is dead until the restart, so every
     * later call of this stretch is skipped. */
    int failed;
} myco_node;

/* One node per image: static, so the shell itself never allocates. */
static myco_node g_node;
static char g_msg[256];
static char g_failure[256]; /* why the module failed: the restart's reason */
static char g_refusal[256]; /* why start() refused the module */
static struct {
    const uint8_t *wasm;
    uint32_t len;
} g_update;

/* A replacement is on probation until `until`: if it fails by then, the node goes back to
 * `prev` (the image that ran) instead of restarting the new one, and only when probation
 * ends is the shim told it may drop `prev`. */
static struct {
    int active;
    const uint8_t *prev;
    uint32_t prev_len;
    uint32_t until;
} g_probation;

/* Outlives the module's instances: a restart must not reset its own count. */
static struct {
    uint32_t count;                        /* restarts since the shell started */
    uint32_t at[MYCO_SHELL_RESTARTS_MAX];  /* when the latest ones happened, a ring */
    uint32_t max, window_ms;
} g_restarts;

/* start() only records why: the first start gives up on it, an update goes back. */
static myco_run refused(const char *why)
{
    snprintf(g_refusal, sizeof g_refusal, "%s", why);
    return MYCO_RUN_REFUSED;
}

static myco_run refuse(const char *what)
{
    myco_shim_note(MYCO_LOG_ERROR, what);
    if (g_node.engine) myco_engine_unload(g_node.engine);
    g_node.engine = NULL;
    return MYCO_RUN_REFUSED;
}

/* Keeps the first reason: what follows a failure is only its consequence. */
static void fail(const char *why)
{
    if (g_node.failed) return;
    g_node.failed = 1;
    snprintf(g_failure, sizeof g_failure, "%s", why);
}

/* Calls an export; a trap is the module's failure and ends in a restart. */
static uint32_t call(myco_export fn, const uint32_t *args, uint32_t nargs)
{
    uint32_t result = 0;
    myco_result r;
    if (g_node.failed) return 0;
    r = myco_engine_call(g_node.engine, fn, args, nargs, &result);
    if (r != MYCO_OK) {
        snprintf(g_msg, sizeof g_msg, "%s: %s", myco_export_name(fn),
                 myco_engine_error(g_node.engine));
        fail(g_msg);
        return 0;
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

/* The shell's own counters, in the module's counter dump format (docs/abi.md,
 * Inspect) so every shim prints them like the module's. */
static void report_shell_counters(void)
{
    static const char name[] = "shell.restart";
    uint8_t dump[1 + sizeof name - 1 + 4];
    uint32_t n = (uint32_t)(sizeof name - 1), v = g_restarts.count;
    dump[0] = (uint8_t)n;
    memcpy(dump + 1, name, n);
    dump[1 + n] = (uint8_t)v;
    dump[2 + n] = (uint8_t)(v >> 8);
    dump[3 + n] = (uint8_t)(v >> 16);
    dump[4 + n] = (uint8_t)(v >> 24);
    myco_shim_report(MYCO_INSPECT_COUNTERS, dump, (uint32_t)sizeof dump);
}

static void report_module(uint32_t what)
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

/* The state dump a board asks for now and then and a node gives when it stops. */
static void report(void)
{
    report_module(MYCO_INSPECT_NEIGHBOURS);
    report_module(MYCO_INSPECT_ROUTES);
    report_module(MYCO_INSPECT_COUNTERS);
    report_shell_counters();
}

/* The memory discipline: nothing allocates after init, so the heap top is fixed. */
static void check_heap_fixed(const char *after)
{
    uint32_t top = call0(MYCO_FN_HEAP_TOP);
    if (!g_node.failed && top != g_node.heap_top) {
        snprintf(g_msg, sizeof g_msg, "heap top moved from %lu to %lu in %s (nothing may allocate after init)",
                 (unsigned long)g_node.heap_top, (unsigned long)top, after);
        fail(g_msg);
    }
}

/* Loads the module into the engine for the first time. */
static myco_run load(const myco_shell_params *p)
{
    myco_engine_params ep;

    memset(&g_node, 0, sizeof g_node);
    g_node.budget = p->memory_budget;
    g_node.wasm = p->wasm;
    g_node.wasm_len = p->wasm_len;
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
    return MYCO_RUN_OK;
}

/* Checks and initialises a freshly loaded instance, as docs/abi.md asks of a host. */
static myco_run start(void)
{
    uint32_t version = 0, args[2];
    int32_t cfg_len, rc;
    uint8_t *mem;
    uint32_t size = 0;

    g_node.failed = 0;
    g_node.inbox = g_node.inbox_size = g_node.outbox = g_node.heap_top = 0;

    /* Before anything else: a module of another ABI would misread every call. */
    if (myco_engine_abi_version(g_node.engine, &version) != MYCO_OK) {
        snprintf(g_msg, sizeof g_msg, "module does not export ABI_VERSION; this host speaks ABI version %u",
                 MYCO_ABI_VERSION);
        return refused(g_msg);
    }
    if (version != MYCO_ABI_VERSION) {
        snprintf(g_msg, sizeof g_msg, "module ABI version %lu, this host speaks ABI version %u",
                 (unsigned long)version, MYCO_ABI_VERSION);
        return refused(g_msg);
    }

    g_node.inbox = call0(MYCO_FN_INBOX);
    g_node.inbox_size = call0(MYCO_FN_INBOX_SIZE);
    if (g_node.failed) return MYCO_RUN_FAILED;
    if (g_node.inbox_size < MYCO_INBOX_MIN || !in_memory(g_node.inbox, g_node.inbox_size)) {
        snprintf(g_msg, sizeof g_msg, "inbox of %lu bytes at %lu does not fit the memory budget of %lu bytes (or is under %u bytes)",
                 (unsigned long)g_node.inbox_size, (unsigned long)g_node.inbox,
                 (unsigned long)g_node.budget, MYCO_INBOX_MIN);
        return refused(g_msg);
    }

    mem = myco_engine_memory(g_node.engine, &size);
    cfg_len = myco_shim_config(mem + g_node.inbox, g_node.inbox_size);
    if (cfg_len < 0) return refused("config blob does not fit the inbox");
    args[0] = myco_shim_node_id();
    args[1] = (uint32_t)cfg_len;
    rc = (int32_t)call(MYCO_FN_INIT, args, 2);
    if (g_node.failed) return MYCO_RUN_FAILED;
    if (rc != MYCO_INIT_OK) {
        snprintf(g_msg, sizeof g_msg, "init refused the config: %s (%ld)",
                 rc == MYCO_INIT_MALFORMED_CONFIG ? "malformed"
                 : rc == MYCO_INIT_OUT_OF_RANGE   ? "a value out of range"
                 : rc == MYCO_INIT_ALREADY_INITIALISED ? "already initialised"
                                                  : "unknown error",
                 (long)rc);
        return refused(g_msg);
    }

    /* The outbox is sized by init, so its address exists only from here on. */
    g_node.outbox = call0(MYCO_FN_OUTBOX);
    g_node.heap_top = call0(MYCO_FN_HEAP_TOP);
    if (g_node.failed) return MYCO_RUN_FAILED;
    if (g_node.heap_top > g_node.budget) {
        snprintf(g_msg, sizeof g_msg, "heap top %lu after init exceeds the Wasm memory budget of %lu bytes",
                 (unsigned long)g_node.heap_top, (unsigned long)g_node.budget);
        return refused(g_msg);
    }
    snprintf(g_msg, sizeof g_msg, "ready id=%u abi=%u engine=%s heap_top=%lu budget=%lu restarts=%lu",
             (unsigned)myco_shim_node_id(), MYCO_ABI_VERSION, myco_engine_name(),
             (unsigned long)g_node.heap_top, (unsigned long)g_node.budget,
             (unsigned long)g_restarts.count);
    myco_shim_note(MYCO_LOG_INFO, g_msg);
    return MYCO_RUN_OK;
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

/* The replacement outlived its probation: it stays, and the image before it may go. */
static void keep_update(void)
{
    g_probation.active = 0;
    myco_shim_note(MYCO_LOG_INFO, "module update kept");
    myco_shim_module_done(g_node.wasm, 1);
}

/* The event loop over one instance, until the shim stops it or the module fails. */
static myco_run loop(void)
{
    uint32_t deadline;
    int has_deadline;

    deadline = tick(myco_shim_now_ms(), &has_deadline);
    for (;;) {
        uint32_t now = myco_shim_now_ms(), size = 0, args[3];
        uint8_t *mem;
        myco_wake w;

        if (g_node.failed) return MYCO_RUN_FAILED;
        if (g_probation.active && (int32_t)(now - g_probation.until) >= 0) keep_update();
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
        case MYCO_WAKE_SUBMIT:
            if (w.len > g_node.inbox_size) break;
            args[0] = w.submit_kind;
            args[1] = w.len;
            /* The result is the caller's answer (a message id, a package counter, an
             * error code), so it goes out as a line like everything the node hands over. */
            snprintf(g_msg, sizeof g_msg, "submit kind=%lu result=%ld", (unsigned long)args[0],
                     (long)(int32_t)call(MYCO_FN_SUBMIT, args, 2));
            check_heap_fixed("submit");
            if (!g_node.failed) myco_shim_note(MYCO_LOG_INFO, g_msg);
            deadline = tick(myco_shim_now_ms(), &has_deadline);
            break;
        case MYCO_WAKE_REPORT:
            report();
            break;
        case MYCO_WAKE_STOP:
            report();
            /* Stopping anyway: a failure in the last dump only gets a line. */
            if (g_node.failed) {
                snprintf(g_msg, sizeof g_msg, "while stopping: %.200s", g_failure);
                myco_shim_note(MYCO_LOG_WARN, g_msg);
            }
            return MYCO_RUN_STOPPED;
        case MYCO_WAKE_MODULE:
            g_update.wasm = w.module;
            g_update.len = w.len;
            return MYCO_RUN_UPDATE;
        case MYCO_WAKE_TIMEOUT:
            break;
        }
    }
}

/* True when the module may restart at `now`: fewer than `max` restarts happened
 * within the window before it. The ring holds the latest `max` restart times. */
static int may_restart(uint32_t now)
{
    uint32_t oldest;
    if (g_restarts.max == 0) return 0;
    if (g_restarts.count < g_restarts.max) return 1;
    oldest = g_restarts.at[(g_restarts.count - g_restarts.max) % MYCO_SHELL_RESTARTS_MAX];
    return g_restarts.window_ms != 0 && now - oldest >= g_restarts.window_ms;
}

/* A crash loop ends here, so it shows instead of hiding behind endless restarts. */
static void give_up(void)
{
    const char *s = g_restarts.max == 1 ? "" : "s";
    if (g_restarts.max == 0) myco_shim_panic(g_failure);
    if (g_restarts.window_ms)
        snprintf(g_msg, sizeof g_msg, "%.180s (gave up: %lu restart%s within %lu ms)", g_failure,
                 (unsigned long)g_restarts.max, s, (unsigned long)g_restarts.window_ms);
    else
        snprintf(g_msg, sizeof g_msg, "%.180s (gave up: %lu restart%s)", g_failure,
                 (unsigned long)g_restarts.max, s);
    myco_shim_panic(g_msg);
}

/* Back to the image that ran before a refused update: a fresh instance of it, init again. */
static myco_run go_back(void)
{
    myco_imports_reset(&g_node.imports);
    if (myco_engine_reload(g_node.engine, g_node.wasm, g_node.wasm_len) != MYCO_OK) {
        snprintf(g_msg, sizeof g_msg, "cannot go back to the module that ran: %s",
                 myco_engine_error(g_node.engine));
        return refused(g_msg);
    }
    return start();
}

/* An update refused before the running instance was touched: it simply goes on. */
static myco_run refuse_untouched(const uint8_t *wasm, const char *why)
{
    char line[sizeof g_msg];
    snprintf(line, sizeof line, "module update refused: %.200s", why);
    myco_shim_note(MYCO_LOG_WARN, line);
    myco_shim_module_done(wasm, 0);
    return MYCO_RUN_OK;
}

/* Runs the image the shim handed over in place of the current one, with the same config.
 * Whatever keeps it from starting (not a module, an import or export the ABI lacks, another
 * ABI version, init refusing or trapping) is a line, and the node goes on with the module it
 * ran: an update over the air must never be what takes a node off the network. A module that
 * starts is on probation for MYCO_SHELL_PROBATION_MS: failing within it (a trap in its first
 * ticks, say) sends the node back too, rather than into a crash loop of the new image. */
static myco_run update(const uint8_t *wasm, uint32_t len)
{
    myco_run run;
    myco_result loaded;
    const char *why;

    /* A second update while one is on probation: the one running has done well enough. */
    if (g_probation.active) keep_update();
    if (!myco_engine_loads_modules()) {
        snprintf(g_msg, sizeof g_msg,
                 "engine %s runs the module compiled into this image; flash a new image to change it",
                 myco_engine_name());
        return refuse_untouched(wasm, g_msg);
    }
    report(); /* the old module's last state, as when a node stops */
    myco_imports_reset(&g_node.imports);
    loaded = myco_engine_reload(g_node.engine, wasm, len);
    if (loaded == MYCO_ERR_MODULE) return refuse_untouched(wasm, myco_engine_error(g_node.engine));
    if (loaded == MYCO_OK) {
        run = start();
    } else {
        snprintf(g_msg, sizeof g_msg, "cannot load it: %s", myco_engine_error(g_node.engine));
        run = refused(g_msg);
    }
    if (run == MYCO_RUN_OK) {
        g_probation.active = 1;
        g_probation.prev = g_node.wasm;
        g_probation.prev_len = g_node.wasm_len;
        g_probation.until = myco_shim_now_ms() + MYCO_SHELL_PROBATION_MS;
        g_node.wasm = wasm;
        g_node.wasm_len = len;
        snprintf(g_msg, sizeof g_msg, "module replaced bytes=%lu probation_ms=%lu", (unsigned long)len,
                 (unsigned long)MYCO_SHELL_PROBATION_MS);
        myco_shim_note(MYCO_LOG_INFO, g_msg);
        return MYCO_RUN_OK;
    }
    why = run == MYCO_RUN_FAILED ? g_failure : g_refusal;
    snprintf(g_msg, sizeof g_msg, "module update refused: %.180s; going back to the module that ran", why);
    myco_shim_note(MYCO_LOG_WARN, g_msg);
    run = go_back();
    /* Only now: the engine may have read the new bytes until the old image replaced them. */
    myco_shim_module_done(wasm, 0);
    return run;
}

/* The module on probation failed: back to the image before it, not counted as a restart. */
static myco_run revert(void)
{
    const uint8_t *failed = g_node.wasm;
    myco_run run;
    g_probation.active = 0;
    snprintf(g_msg, sizeof g_msg, "module update refused: %.160s on probation; going back to the module that ran",
             g_failure);
    myco_shim_note(MYCO_LOG_WARN, g_msg);
    g_node.wasm = g_probation.prev;
    g_node.wasm_len = g_probation.prev_len;
    run = go_back();
    myco_shim_module_done(failed, 0);
    return run;
}

int myco_shell_run(const myco_shell_params *p)
{
    myco_run run;

    memset(&g_restarts, 0, sizeof g_restarts);
    g_restarts.max = p->max_restarts < MYCO_SHELL_RESTARTS_MAX ? p->max_restarts
                                                               : MYCO_SHELL_RESTARTS_MAX;
    g_restarts.window_ms = p->restart_window_ms;
    memset(&g_probation, 0, sizeof g_probation);
    if (load(p) != MYCO_RUN_OK) return MYCO_SHELL_REFUSED;

    run = start();
    for (;;) {
        uint32_t now;
        if (run == MYCO_RUN_OK) run = loop();
        if (run == MYCO_RUN_UPDATE) {
            run = update(g_update.wasm, g_update.len);
            continue;
        }
        if (run == MYCO_RUN_REFUSED) {
            refuse(g_refusal);
            return MYCO_SHELL_REFUSED;
        }
        if (run == MYCO_RUN_STOPPED) break;

        if (g_probation.active) {
            run = revert();
            continue;
        }
        /* The module failed. Rather than reboot the board, only the module starts over:
         * the radio, the console and the shim's state (clock, peers) stay as they are. */
        now = myco_shim_now_ms();
        if (!may_restart(now)) give_up();
        g_restarts.at[g_restarts.count % MYCO_SHELL_RESTARTS_MAX] = now;
        g_restarts.count++;
        snprintf(g_msg, sizeof g_msg, "restart count=%lu reason=%.200s",
                 (unsigned long)g_restarts.count, g_failure);
        myco_shim_note(MYCO_LOG_WARN, g_msg);
        myco_imports_reset(&g_node.imports);
        if (myco_engine_reload(g_node.engine, NULL, 0) != MYCO_OK) {
            snprintf(g_msg, sizeof g_msg, "cannot restart the module: %s",
                     myco_engine_error(g_node.engine));
            refuse(g_msg);
            return MYCO_SHELL_REFUSED;
        }
        run = start();
    }
    myco_engine_unload(g_node.engine);
    g_node.engine = NULL;
    return MYCO_SHELL_STOPPED;
}
