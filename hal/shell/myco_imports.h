/*
 * The HAL imports (module `hal`, docs/abi.md) implemented once, independent of the
 * engine. An adapter wraps each in its engine's calling convention.
 *
 * The module hands over (pointer, length) pairs into its own memory; a pair that
 * leaves the backed memory is never dereferenced. The import records a fault instead
 * and the adapter turns it into a trap right after the import returns, which is what
 * wasm3's m3ApiCheckMem does and what keeps a buggy module from reading or writing
 * outside its budget through the host.
 */
#ifndef MYCO_IMPORTS_H
#define MYCO_IMPORTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MYCO_FAULT_NONE = 0,
    MYCO_FAULT_BAD_BUFFER, /* an import got a (ptr, len) outside linear memory */
    MYCO_FAULT_PANIC       /* the module called hal.panic */
} myco_fault;

#define MYCO_PANIC_TEXT_MAX 120u

typedef struct myco_imports {
    /* Linear memory as the engine reports it; refreshed by the adapter. */
    uint8_t *memory;
    uint32_t memory_size;
    myco_fault fault;
    const char *fault_import; /* name of the import that faulted */
    uint32_t panic_code;
    char panic_text[MYCO_PANIC_TEXT_MAX + 1];
} myco_imports;

void myco_imports_reset(myco_imports *imp);

uint32_t myco_imp_now_ms(myco_imports *imp);
int32_t myco_imp_send(myco_imports *imp, uint32_t dst, uint32_t ptr, uint32_t len);
uint32_t myco_imp_rand(myco_imports *imp);
void myco_imp_log(myco_imports *imp, uint32_t level, uint32_t ptr, uint32_t len);
void myco_imp_emit(myco_imports *imp, uint32_t kind, uint32_t ptr, uint32_t len);
int32_t myco_imp_sensor(myco_imports *imp, uint32_t channel, uint32_t ptr, uint32_t max);
int32_t myco_imp_blob_read(myco_imports *imp, uint32_t id, uint32_t offset, uint32_t ptr,
                           uint32_t len);
int32_t myco_imp_accel(myco_imports *imp, uint32_t op, uint32_t in_ptr, uint32_t in_len,
                       uint32_t out_ptr, uint32_t out_len);
void myco_imp_compute(myco_imports *imp, uint32_t cost);
int32_t myco_imp_wifi(myco_imports *imp, uint32_t op, uint32_t arg);
/* Records the panic; the adapter must then trap (the import "never returns"). */
void myco_imp_panic(myco_imports *imp, uint32_t code, uint32_t ptr, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_IMPORTS_H */
