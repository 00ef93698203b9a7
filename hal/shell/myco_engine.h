/*
 * The seam between the shell and a Wasm engine.
 *
 * One firmware image links exactly one adapter: `aot` (hal/shell/aot, the module
 * translated ahead of time by wasm2c) or the wasm3 interpreter (hal/shell/wasm3). The
 * API is deliberately as small as wasm3's public one (load, find/call, memory, error)
 * so an interpreter adapter is a thin wrapper. Every call is numeric: the HAL ABI has
 * only i32 parameters and results.
 */
#ifndef MYCO_ENGINE_H
#define MYCO_ENGINE_H

#include <stdint.h>

#include "myco_imports.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The module's exported functions (docs/abi.md, Exports). */
typedef enum {
    MYCO_FN_INBOX = 0,
    MYCO_FN_INBOX_SIZE,
    MYCO_FN_OUTBOX,
    MYCO_FN_HEAP_TOP,
    MYCO_FN_INIT,
    MYCO_FN_ON_FRAME,
    MYCO_FN_ON_LINK,
    MYCO_FN_SUBMIT,
    MYCO_FN_TICK,
    MYCO_FN_INSPECT,
    MYCO_FN_COUNT
} myco_export;

typedef enum {
    MYCO_OK = 0,
    MYCO_ERR_LOAD,    /* the module could not be loaded or instantiated */
    MYCO_ERR_MISSING, /* an export the ABI requires is absent */
    MYCO_ERR_ARGS,    /* wrong argument count for the export */
    MYCO_ERR_TRAP,    /* the module trapped; myco_engine_error() says why */
    MYCO_ERR_MODULE   /* reload: the bytes are no module this engine runs; the running
                         instance is untouched and goes on */
} myco_result;

typedef struct myco_engine myco_engine;

typedef struct {
    /* The module's bytes, for engines that load at run time; `aot` ignores them
     * because the module is compiled in. */
    const uint8_t *wasm;
    uint32_t wasm_len;
    /* Bytes of linear memory actually backed by RAM (the board's budget). */
    uint32_t memory_budget;
    /* Context handed to every HAL import. */
    myco_imports *imports;
} myco_engine_params;

myco_result myco_engine_load(const myco_engine_params *params, myco_engine **out);

/* Replaces the instance with a fresh one: memory re-initialised from the data segments,
 * globals and tables reset, the start function run again, nothing of the old instance
 * kept; the caller reads ABI_VERSION and calls init again. `wasm` NULL instantiates the
 * current module anew (the shell's restart after a trap). Otherwise `wasm_len` bytes of
 * another module image replace it, e.g. one a board wrote to flash; the bytes must stay
 * valid while the module runs. Bytes the engine cannot parse fail with MYCO_ERR_MODULE
 * before anything is dropped: the running instance goes on. After any other failure the
 * engine holds no instance: only
 * another myco_engine_reload (say, with the image that ran before), myco_engine_error
 * and myco_engine_unload may follow. `aot` runs the module compiled into the image,
 * which only a new image replaces, so it takes NULL alone (see below). */
myco_result myco_engine_reload(myco_engine *engine, const uint8_t *wasm, uint32_t wasm_len);

/* 1 when myco_engine_reload takes module images (wasm3), 0 when the module is compiled
 * into the image (aot): the shell refuses a new module then, before touching the
 * instance that runs. */
int myco_engine_loads_modules(void);

/* Reads the exported ABI_VERSION global. */
myco_result myco_engine_abi_version(myco_engine *engine, uint32_t *version);

/* Calls export `fn` with `nargs` i32 arguments; `result` may be NULL for exports that
 * return nothing. */
myco_result myco_engine_call(myco_engine *engine, myco_export fn, const uint32_t *args,
                             uint32_t nargs, uint32_t *result);

/* Linear memory: base and the number of bytes that may be touched. */
uint8_t *myco_engine_memory(myco_engine *engine, uint32_t *size);

/* Why the last call failed, as one line of text. */
const char *myco_engine_error(const myco_engine *engine);

/* Engine name for logs ("aot", "wasm3"). */
const char *myco_engine_name(void);

void myco_engine_unload(myco_engine *engine);

/* Name of an export, for messages. */
const char *myco_export_name(myco_export fn);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ENGINE_H */
