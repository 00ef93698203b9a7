/*
 * The node module a board runs. With the `aot` engine it is compiled into the image
 * (wasm2c output) and needs nothing here; with an engine that loads it at run time (wasm3)
 * the pre-build step (tools/firmware/pio_prebuild.py) embeds build/node.wasm as a C array (myco_module_image.c)
 * under these names.
 */
#ifndef MYCO_MODULE_IMAGE_H
#define MYCO_MODULE_IMAGE_H

#include <stdint.h>

#include "myco_shell.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(MYCO_ENGINE_WASM3)
extern const uint8_t myco_module_image[];
extern const uint32_t myco_module_image_len;
#endif

#ifndef MYCO_MEMORY_BUDGET
#error "define MYCO_MEMORY_BUDGET (the board's wasm_memory_budget in bytes; platformio.ini does)"
#endif

/* The shell's parameters for this image. */
static inline void myco_module_params(myco_shell_params *p)
{
#if defined(MYCO_ENGINE_WASM3)
    p->wasm = myco_module_image;
    p->wasm_len = myco_module_image_len;
#else
    p->wasm = 0;
    p->wasm_len = 0;
#endif
    p->memory_budget = MYCO_MEMORY_BUDGET;
    /* A board restarts a failed module like the posix node does (docs/native.md). */
    p->max_restarts = MYCO_SHELL_DEFAULT_MAX_RESTARTS;
    p->restart_window_ms = MYCO_SHELL_DEFAULT_RESTART_WINDOW_MS;
}

#ifdef __cplusplus
}
#endif

#endif /* MYCO_MODULE_IMAGE_H */
