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

/* The fields of each emit record (docs/abi.md, Emit records): `width` bytes each,
 * little-endian and unsigned; a field without a name is reserved and not printed. A
 * kind with a `tail` carries bytes after its fields, printed as hex. */
typedef struct {
    const char *name;
    uint8_t width; /* 1, 2, 4, or F32 */
} myco_field;

/* A 4-byte field holding a little-endian f32, printed with three decimals. */
#define F32 0x84u
#define FIELD_BYTES(w) ((w) & 0x0Fu)

typedef struct {
    uint32_t kind;
    const char *name;
    const char *tail; /* NULL: the record is exactly its fields */
    myco_field fields[10];
} myco_record;

static const myco_record g_records[] = {
    {MYCO_EMIT_NEIGHBOUR_UP, "neighbour_up", NULL, {{"id", 2}}},
    {MYCO_EMIT_NEIGHBOUR_DOWN, "neighbour_down", NULL, {{"id", 2}}},
    {MYCO_EMIT_PING_RTT, "ping_rtt", NULL, {{"peer", 2}, {"seq", 2}, {"rtt_ms", 4}}},
    {MYCO_EMIT_DELIVERED, "delivered", "payload", {{"src", 2}, {"msg", 2}}},
    {MYCO_EMIT_SEND_DONE, "send_done", NULL, {{"msg", 2}, {"dst", 2}, {"status", 1}}},
    {MYCO_EMIT_ROUTED_RTT, "routed_rtt", NULL,
     {{"peer", 2}, {"seq", 2}, {"rtt_ms", 4}, {"hops", 1}}},
    {MYCO_EMIT_STATE, "state", NULL,
     {{"state", 1}, {"prev", 1}, {"parent", 2}, {"depth", 1}, {"event", 1}}},
    {MYCO_EMIT_INFER_OUTPUT, "infer_output", "output",
     {{"first", 2}, {"last", 2}, {"run", 2}, {"status", 1}, {NULL, 1}}},
    {MYCO_EMIT_ORCH_RESULT, "orch_result", "payload",
     {{"origin", 2}, {"counter", 2}, {"next", 1}, {"last", 1}, {"target", 2},
      {"backup1", 2}, {"backup2", 2}, {"age_ms", 4}, {"deadline_ms", 4}}},
    {MYCO_EMIT_ORCH_FAILED, "orch_failed", NULL,
     {{"origin", 2}, {"counter", 2}, {"step", 1}, {"reason", 1}}},
    {MYCO_EMIT_ORCH_STEPS, "orch_steps", NULL, {{"mask", 4}, {"by", 2}, {"cause", 1}}},
    {MYCO_EMIT_ORCH_TRACE, "orch_trace", NULL,
     {{"origin", 2}, {"counter", 2}, {"step", 1}, {"event", 1}, {"peer", 2}}},
    {MYCO_EMIT_FUSED, "fused", NULL,
     {{"step", 4}, {"value", F32}, {"lo", F32}, {"hi", F32}, {"average", F32}, {"flags", 1},
      {"used", 1}, {"f", 1}, {"rejected", 1}, {"sensors", 1}}},
    {MYCO_EMIT_FUSE_CLUSTER, "fuse_cluster", "ids",
     {{"step", 4}, {"algo", 1}, {"count", 1}, {"reference", 2}}},
};

static uint32_t field_value(const uint8_t *p, uint8_t width)
{
    return width == 1 ? p[0] : width == 2 ? u16le(p) : u32le(p);
}

/* An f32 as `-12.345`: rounded to thousandths with the double arithmetic below, which
 * tools/firmware/lines.ts repeats operation for operation (so both print the same digits),
 * and no libm; magnitudes beyond 2e9 (no reading's, nor an interval edge of one: 1e9 ± 1e9)
 * print as a bound. */
static size_t put_real(size_t w, const uint8_t *p)
{
    uint32_t bits = u32le(p);
    unsigned long whole, frac;
    float f;
    double v, a, rest;
    memcpy(&f, &bits, sizeof f);
    v = (double)f;
    if (v != v) return w + (size_t)snprintf(g_line + w, sizeof g_line - w, "nan");
    if (v > 2e9 || v < -2e9)
        return w + (size_t)snprintf(g_line + w, sizeof g_line - w, "%s", v > 0 ? ">2e9" : "<-2e9");
    a = (v < 0 ? -v : v) * 1000.0 + 0.5;
    whole = (unsigned long)(a / 1000.0);
    rest = a - (double)whole * 1000.0;
    if (rest < 0) {
        whole--;
        rest += 1000.0;
    } else if (rest >= 1000.0) {
        whole++;
        rest -= 1000.0;
    }
    frac = (unsigned long)rest;
    return w + (size_t)snprintf(g_line + w, sizeof g_line - w, "%s%lu.%03lu",
                                v < 0 && (whole || frac) ? "-" : "", whole, frac);
}

/* The record's line, or 0 when `len` does not match its kind (kept raw then). */
static int put_record(const myco_record *r, const uint8_t *rec, uint32_t len)
{
    uint32_t fixed = 0, at = 0, i;
    size_t w;
    for (i = 0; i < sizeof r->fields / sizeof r->fields[0] && r->fields[i].width; i++)
        fixed += FIELD_BYTES(r->fields[i].width);
    if (r->tail ? len < fixed : len != fixed) return 0;
    w = (size_t)snprintf(g_line, sizeof g_line, "emit %s", r->name);
    for (i = 0; i < sizeof r->fields / sizeof r->fields[0] && r->fields[i].width; i++) {
        const myco_field *f = &r->fields[i];
        if (f->name && f->width == F32) {
            w += (size_t)snprintf(g_line + w, sizeof g_line - w, " %s=", f->name);
            w = put_real(w, rec + at);
        } else if (f->name) {
            w += (size_t)snprintf(g_line + w, sizeof g_line - w, " %s=%lu", f->name,
                                  (unsigned long)field_value(rec + at, f->width));
        }
        at += FIELD_BYTES(f->width);
    }
    if (r->tail) {
        w += (size_t)snprintf(g_line + w, sizeof g_line - w, " %s=", r->tail);
        put_hex(w, rec + fixed, len - fixed);
    }
    return 1;
}

void myco_format_emit(uint32_t kind, const uint8_t *rec, uint32_t len, myco_line_fn out,
                      void *ctx)
{
    uint32_t i;
    for (i = 0; i < sizeof g_records / sizeof g_records[0]; i++)
        if (g_records[i].kind == kind && put_record(&g_records[i], rec, len)) {
            out(g_line, ctx);
            return;
        }
    /* Unknown kinds (and known kinds of the wrong size) are kept as raw bytes. */
    put_hex((size_t)snprintf(g_line, sizeof g_line, "emit kind=%lu bytes=", (unsigned long)kind),
            rec, len);
    out(g_line, ctx);
}

void myco_format_send(uint32_t dst, const uint8_t *frame, uint32_t len, myco_line_fn out,
                      void *ctx)
{
    put_hex((size_t)snprintf(g_line, sizeof g_line, "send dst=%lu bytes=", (unsigned long)dst),
            frame, len);
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

static void report_routes(const uint8_t *d, uint32_t len, myco_line_fn out, void *ctx)
{
    uint32_t count, i;
    if (len < 6 || len != 6 + u16le(d) * MYCO_ROUTE_ENTRY_BYTES) {
        snprintf(g_line, sizeof g_line, "inspect routes malformed len=%lu", (unsigned long)len);
        out(g_line, ctx);
        return;
    }
    count = u16le(d);
    snprintf(g_line, sizeof g_line, "inspect routes count=%lu own_seq=%lu holddown=%u",
             (unsigned long)count, (unsigned long)u16le(d + 2), (unsigned)(d[4] & 1u));
    out(g_line, ctx);
    for (i = 0; i < count; i++) {
        const uint8_t *e = d + 6 + i * MYCO_ROUTE_ENTRY_BYTES;
        snprintf(g_line, sizeof g_line,
                 "route dest=%lu next=%lu seq=%lu metric=%lu flags=%u age_s=%u",
                 (unsigned long)u16le(e), (unsigned long)u16le(e + 2),
                 (unsigned long)u16le(e + 4), (unsigned long)u16le(e + 6), (unsigned)e[8],
                 (unsigned)e[9]);
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
    } else if (what == MYCO_INSPECT_ROUTES) {
        report_routes(dump, len, out, ctx);
    } else {
        size_t at = (size_t)snprintf(g_line, sizeof g_line, "inspect what=%lu bytes=",
                                     (unsigned long)what);
        put_hex(at, dump, len);
        out(g_line, ctx);
    }
}
