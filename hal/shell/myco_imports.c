#include "myco_imports.h"

#include <string.h>

#include "myco_hal.h"

void myco_imports_reset(myco_imports *imp)
{
    imp->fault = MYCO_FAULT_NONE;
    imp->fault_import = "";
    imp->panic_code = 0;
    imp->panic_text[0] = '\0';
}

/* Checked in 64 bits so ptr + len cannot wrap past the end. */
static uint8_t *span(myco_imports *imp, const char *import, uint32_t ptr, uint32_t len)
{
    if ((uint64_t)ptr + len > imp->memory_size) {
        if (imp->fault == MYCO_FAULT_NONE) {
            imp->fault = MYCO_FAULT_BAD_BUFFER;
            imp->fault_import = import;
        }
        return 0;
    }
    return imp->memory + ptr;
}

uint32_t myco_imp_now_ms(myco_imports *imp)
{
    (void)imp;
    return myco_shim_now_ms();
}

int32_t myco_imp_send(myco_imports *imp, uint32_t dst, uint32_t ptr, uint32_t len)
{
    const uint8_t *frame = span(imp, "send", ptr, len);
    if (!frame) return MYCO_SEND_TOO_LONG;
    if (dst == MYCO_NODE_NONE || dst > MYCO_BROADCAST) return MYCO_SEND_BAD_DST;
    return myco_shim_send((uint16_t)dst, frame, len);
}

uint32_t myco_imp_rand(myco_imports *imp)
{
    (void)imp;
    return myco_shim_rand();
}

void myco_imp_log(myco_imports *imp, uint32_t level, uint32_t ptr, uint32_t len)
{
    const uint8_t *text = span(imp, "log", ptr, len);
    if (text) myco_shim_log(level, text, len);
}

void myco_imp_emit(myco_imports *imp, uint32_t kind, uint32_t ptr, uint32_t len)
{
    const uint8_t *record = span(imp, "emit", ptr, len);
    if (record) myco_shim_emit(kind, record, len);
}

int32_t myco_imp_sensor(myco_imports *imp, uint32_t channel, uint32_t ptr, uint32_t max)
{
    uint8_t *out = span(imp, "sensor", ptr, max);
    if (!out) return MYCO_SENSOR_NO_CHANNEL;
    return myco_shim_sensor(channel, out, max);
}

int32_t myco_imp_blob_read(myco_imports *imp, uint32_t id, uint32_t offset, uint32_t ptr,
                           uint32_t len)
{
    uint8_t *out = span(imp, "blob_read", ptr, len);
    if (!out) return MYCO_BLOB_NO_BLOB;
    return myco_shim_blob_read(id, offset, out, len);
}

int32_t myco_imp_accel(myco_imports *imp, uint32_t op, uint32_t in_ptr, uint32_t in_len,
                       uint32_t out_ptr, uint32_t out_len)
{
    const uint8_t *in = span(imp, "accel", in_ptr, in_len);
    uint8_t *out = span(imp, "accel", out_ptr, out_len);
    if (!in || !out) return MYCO_ACCEL_UNAVAILABLE;
    return myco_shim_accel(op, in, in_len, out, out_len);
}

/* Real hardware has no virtual clock to advance: the work already took its time. */
void myco_imp_compute(myco_imports *imp, uint32_t cost)
{
    (void)imp;
    (void)cost;
}

int32_t myco_imp_wifi(myco_imports *imp, uint32_t op, uint32_t arg)
{
    (void)imp;
    return myco_shim_wifi(op, arg);
}

void myco_imp_panic(myco_imports *imp, uint32_t code, uint32_t ptr, uint32_t len)
{
    uint32_t i, n = 0;
    const uint8_t *text;

    imp->panic_code = code;
    imp->panic_text[0] = '\0';
    if (len > MYCO_PANIC_TEXT_MAX) len = MYCO_PANIC_TEXT_MAX;
    text = span(imp, "panic", ptr, len);
    /* A panic with a bad message is still a panic, not a buffer fault. */
    imp->fault = MYCO_FAULT_PANIC;
    imp->fault_import = "panic";
    if (!text) return;
    /* Keep the message printable so it stays one log line. */
    for (i = 0; i < len; i++) {
        uint8_t c = text[i];
        imp->panic_text[n++] = (char)((c >= 0x20 && c < 0x7F) ? c : '?');
    }
    imp->panic_text[n] = '\0';
}
