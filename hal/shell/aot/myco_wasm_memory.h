/*
 * Loads and stores of linear memory for wasm2c output, in place of wasm2c's own
 * (tools/firmware/aot.ts swaps them in; docs/native.md, "Memory checks").
 *
 * wasm2c reads the memory's base and size through the instance on every access. A
 * store through a byte pointer may alias anything, so the compiler reloads both after
 * each store, and an empty asm statement after each load (there so loads stay in place
 * when guard pages do the checking) keeps it from combining loads. Here the base is
 * the runtime's static buffer, a link-time constant, and the size is:
 *   - the compile-time budget when the module's initial memory already covers it:
 *     the runtime then never changes the size (growth past the budget is refused), so
 *     the check is against a constant and the compiler drops the checks that an
 *     earlier one on the same base already implies;
 *   - otherwise the runtime's current size, a variable no memory store can alias.
 * Either way every access outside the backed bytes still traps with OOB.
 *
 * Included by the rewritten wasm2c output after `#define MYCO_RT_INITIAL_PAGES n`.
 */
#ifndef MYCO_WASM_MEMORY_H
#define MYCO_WASM_MEMORY_H

#include <stdint.h>
#include <string.h>

#if WABT_BIG_ENDIAN
/* wasm2c's big-endian layout reverses memory; its bulk operations and data segments rely on
 * that, and these accesses do not. Every board here is little-endian. */
#error "myco_wasm_memory.h supports little-endian targets only"
#endif

#ifndef MYCO_RT_INITIAL_PAGES
#error "define MYCO_RT_INITIAL_PAGES: the module memory's initial page count"
#endif
#ifndef MYCO_MEMORY_BUDGET
#error "define MYCO_MEMORY_BUDGET: bytes of linear memory backed by RAM"
#endif

extern uint8_t myco_rt_memory[];

#if MYCO_RT_INITIAL_PAGES * 65536 >= MYCO_MEMORY_BUDGET
#define MYCO_RT_CHECKED_BYTES ((uint64_t)MYCO_MEMORY_BUDGET)
#else
extern uint32_t myco_rt_memory_size;
#define MYCO_RT_CHECKED_BYTES ((uint64_t)myco_rt_memory_size)
#endif

#define MYCO_RT_CHECK(addr, t) \
    if (UNLIKELY((addr) + (uint64_t)sizeof(t) > MYCO_RT_CHECKED_BYTES)) TRAP(OOB);

#define DEFINE_LOAD(name, t1, t2, t3)                        \
    static inline t3 name(wasm_rt_memory_t *mem, u64 addr)   \
    {                                                        \
        t1 result;                                           \
        (void)mem;                                           \
        MYCO_RT_CHECK(addr, t1);                             \
        memcpy(&result, &myco_rt_memory[addr], sizeof(t1));  \
        return (t3)(t2)result;                               \
    }

#define DEFINE_STORE(name, t1, t2)                                   \
    static inline void name(wasm_rt_memory_t *mem, u64 addr, t2 value) \
    {                                                                \
        t1 wrapped = (t1)value;                                      \
        (void)mem;                                                   \
        MYCO_RT_CHECK(addr, t1);                                     \
        memcpy(&myco_rt_memory[addr], &wrapped, sizeof(t1));         \
    }

#endif /* MYCO_WASM_MEMORY_H */
