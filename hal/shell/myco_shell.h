/*
 * The firmware shell: loads the node module into a Wasm engine and runs it as an
 * event-driven, single-threaded microcontroller program over a board shim.
 */
#ifndef MYCO_SHELL_H
#define MYCO_SHELL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What myco_shell_run returns (a panic never returns: the shim reboots or exits). */
#define MYCO_SHELL_STOPPED 0 /* the shim asked to stop; the node shut down cleanly */
#define MYCO_SHELL_REFUSED 1 /* the module cannot run here (ABI, budget, config) */

/* Restarts the shell remembers the times of; the most `max_restarts` may be. */
#define MYCO_SHELL_RESTARTS_MAX 32u
/* A board's default: a module failing a sixth time within a minute is in a crash loop. */
#define MYCO_SHELL_DEFAULT_MAX_RESTARTS 5u
#define MYCO_SHELL_DEFAULT_RESTART_WINDOW_MS 60000u
/* A module replaced at run time that fails within this long is replaced by the one before
 * it again (myco_shell.c, update()). */
#ifndef MYCO_SHELL_PROBATION_MS
#define MYCO_SHELL_PROBATION_MS 10000u
#endif

typedef struct {
    /* Module bytes for engines that load at run time; unused by `aot`. */
    const uint8_t *wasm;
    uint32_t wasm_len;
    /* Bytes of linear memory backed by RAM: the board's wasm_memory_budget. */
    uint32_t memory_budget;
    /* A trap, hal.panic or a moved heap top restarts the module (a fresh instance, init
     * again with the same config) unless it already restarted `max_restarts` times
     * within the last `restart_window_ms` (0: ever); then the shell gives up through
     * myco_shim_panic. 0 restarts (a zeroed struct) gives up at the first failure. At
     * most MYCO_SHELL_RESTARTS_MAX. */
    uint32_t max_restarts;
    uint32_t restart_window_ms;
} myco_shell_params;

int myco_shell_run(const myco_shell_params *params);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_SHELL_H */
