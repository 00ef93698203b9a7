#include "myco_format.h"

#include <stdio.h>
#include <string.h>

#include "myco_hal.h"

/* Large enough for a full neighbour list (254 ids); static because formatting runs
 * on the shell's single thread and small stacks are the norm on boards. */
static char g_line[1700];

static uint32_t u16le(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

static uint32_t u32le(const uint8_t *p)
{
    return u16le(p) | (u16le(p + 2) << 16);
}

/* Appends `len` bytes as hex, truncating so the line always ends in NUL. */
static size_t put_hex(size_t at, const uint8_t *bytes, uint32_t len)
{
    static const char digits[] = "0123456789abcdef";
    uint32_t i;
    for (i = 0; i < len && at + 3 < sizeof g_line; i++) {
        g_line[at++] = digits[bytes[i] >> 4];
        g_line[at++] = digits[bytes[i] & 15];
    }
    g_line[at] = '\0';
    return at;
}

/* Module text made safe for one line: control bytes become '?'. UTF-8 passes. */
static size_t put_text(size_t at, const uint8_t *text, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len && at + 1 < sizeof g_line; i++)
        g_line[at++] = (char)(text[i] < 0x20 || text[i] == 0x7F ? '?' : text[i]);
    g_line[at] = '\0';
    return at;
}

void myco_format_emit(uint32_t kind, const uint8_t *rec, uint32_t len, myco_line_fn out,
                      void *ctx)
{
    if ((kind == MYCO_EMIT_NEIGHBOUR_UP || kind == MYCO_EMIT_NEIGHBOUR_DOWN) && len == 2) {
        snprintf(g_line, sizeof g_line, "emit %s id=%lu",
                 kind == MYCO_EMIT_NEIGHBOUR_UP ? "neighbour_up" : "neighbour_down",
                 (unsigned long)u16le(rec));
    } else if (kind == MYCO_EMIT_PING_RTT && len == 8) {
        snprintf(g_line, sizeof g_line, "emit ping_rtt peer=%lu seq=%lu rtt_ms=%lu",
                 (unsigned long)u16le(rec), (unsigned long)u16le(rec + 2),
                 (unsigned long)u32le(rec + 4));
    } else {
        /* Unknown kinds (and known kinds of the wrong size) are kept as raw bytes. */
        size_t at = (size_t)snprintf(g_line, sizeof g_line, "emit kind=%lu bytes=",
                                     (unsigned long)kind);
        put_hex(at, rec, len);
    }
    out(g_line, ctx);
}

void myco_format_log(uint32_t level, const uint8_t *text, uint32_t len, myco_line_fn out,
                     void *ctx)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    size_t at;
    if (level < 4) at = (size_t)snprintf(g_line, sizeof g_line, "log %s ", names[level]);
    else at = (size_t)snprintf(g_line, sizeof g_line, "log level%lu ", (unsigned long)level);
    put_text(at, text, len);
    out(g_line, ctx);
}

static void report_counters(const uint8_t *d, uint32_t len, myco_line_fn out, void *ctx)
{
    uint32_t at = 0;
    while (at < len) {
        uint32_t n = d[at], i;
        size_t w;
        if ((uint64_t)at + 1 + n + 4 > len) {
            snprintf(g_line, sizeof g_line, "inspect counters truncated at=%lu",
                     (unsigned long)at);
            out(g_line, ctx);
            return;
        }
        w = (size_t)snprintf(g_line, sizeof g_line, "counter ");
        /* Names are ASCII by contract; anything that would break `name=value` goes. */
        for (i = 0; i < n; i++) {
            uint8_t c = d[at + 1 + i];
            g_line[w++] = (char)(c > 0x20 && c < 0x7F && c != '=' ? c : '_');
        }
        snprintf(g_line + w, sizeof g_line - w, "=%lu", (unsigned long)u32le(d + at + 1 + n));
        out(g_line, ctx);
        at += 1 + n + 4;
    }
}

static void report_neighbours(const uint8_t *d, uint32_t len, myco_line_fn out, void *ctx)
{
    uint32_t count, i;
    size_t at;
    if (len < 2 || len != 2 + u16le(d) * MYCO_NEIGHBOUR_ENTRY_BYTES) {
        snprintf(g_line, sizeof g_line, "inspect neighbours malformed len=%lu",
                 (unsigned long)len);
        out(g_line, ctx);
        return;
    }
    count = u16le(d);
    at = (size_t)snprintf(g_line, sizeof g_line, "inspect neighbours");
    for (i = 0; i < count && at + 8 < sizeof g_line; i++)
        at += (size_t)snprintf(g_line + at, sizeof g_line - at, i ? ",%lu" : " %lu",
                               (unsigned long)u16le(d + 2 + i * MYCO_NEIGHBOUR_ENTRY_BYTES));
    out(g_line, ctx);
    for (i = 0; i < count; i++) {
        const uint8_t *e = d + 2 + i * MYCO_NEIGHBOUR_ENTRY_BYTES;
        snprintf(g_line, sizeof g_line,
                 "neighbour id=%lu in_q=%u out_q=%u rssi=%d bidir=%u age_ms=%lu",
                 (unsigned long)u16le(e), (unsigned)e[2], (unsigned)e[3],
                 (int)(int8_t)e[4], (unsigned)(e[5] & 1u), (unsigned long)u32le(e + 6));
        out(g_line, ctx);
    }
}

void myco_format_report(uint32_t what, const uint8_t *dump, uint32_t len, myco_line_fn out,
                        void *ctx)
{
    if (what == MYCO_INSPECT_COUNTERS) {
        report_counters(dump, len, out, ctx);
    } else if (what == MYCO_INSPECT_NEIGHBOURS) {
        report_neighbours(dump, len, out, ctx);
    } else {
        size_t at = (size_t)snprintf(g_line, sizeof g_line, "inspect what=%lu bytes=",
                                     (unsigned long)what);
        put_hex(at, dump, len);
        out(g_line, ctx);
    }
}
