/*
 * The project's runtime for wasm2c output (wabt 1.0.32's wasm-rt.h), for boards:
 * no mmap, no signals, no malloc. Linear memory is one static buffer of exactly
 * MYCO_MEMORY_BUDGET bytes; the generated code checks every access against the
 * backed size (build with -DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0; tools/firmware/aot.ts
 * swaps in myco_wasm_memory.h for the checks), so an access past the budget traps
 * instead of touching the RAM behind it.
 *
 * Traps unwind with longjmp to the innermost myco_rt_enter() frame:
 *
 *     static jmp_buf jb;
 *     myco_rt_enter(&jb);
 *     if (setjmp(jb) != 0) { myco_rt_leave(); ... myco_rt_last_trap() ... }
 *     ... call into the module ...
 *     myco_rt_leave();
 */
#ifndef MYCO_WASM_RT_H
#define MYCO_WASM_RT_H

#include <setjmp.h>
#include <stdint.h>

#include "wasm-rt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Frees every pool, so the module can be instantiated again (a soft reboot). */
void myco_rt_reset(void);

/* Bytes of linear memory this image backs (MYCO_MEMORY_BUDGET): fixed at build time,
 * since the generated code may check accesses against it as a constant. */
uint32_t myco_rt_memory_budget(void);

/* Bytes of linear memory the module may touch now; memory.grow changes it mid-call. */
extern uint32_t myco_rt_memory_size;

void myco_rt_enter(jmp_buf *target);
void myco_rt_leave(void);
wasm_rt_trap_t myco_rt_last_trap(void);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_WASM_RT_H */
