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

typedef struct {
    /* Module bytes for engines that load at run time; unused by `aot`. */
    const uint8_t *wasm;
    uint32_t wasm_len;
    /* Bytes of linear memory backed by RAM: the board's wasm_memory_budget. */
    uint32_t memory_budget;
} myco_shell_params;

int myco_shell_run(const myco_shell_params *params);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_SHELL_H */
