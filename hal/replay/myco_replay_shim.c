/* The replay board's shim (myco_replay.h): every input from the vector, every output
 * a line. Single-threaded and static like every shim. */
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include "myco_format.h"
#include "myco_hal.h"
#include "myco_replay.h"
#include "myco_shell.h"

static const myco_replay_vector *g_vector;
static uint32_t g_next;   /* index of the next script event */
static uint32_t g_now;    /* virtual milliseconds */
static uint32_t g_rand;   /* xorshift32 state */
static jmp_buf g_panic;   /* the panic path ends the run, not the image */
static char g_line[220];

static void print_line(const char *line, void *ctx)
{
    (void)ctx;
    myco_replay_print(line);
}

int myco_replay_run(const myco_replay_vector *vector, uint32_t memory_budget)
{
    myco_shell_params params;
    int rc;

    g_vector = vector;
    g_next = 0;
    g_now = 0;
    g_rand = vector->seed ? vector->seed : 1u;
    memset(&params, 0, sizeof params);
    params.memory_budget = memory_budget;
    /* No restarts: a golden run that fails has failed; the first reason is the line. */
    params.max_restarts = 0;
    if (setjmp(g_panic) != 0) return MYCO_REPLAY_PANIC;
    rc = myco_shell_run(&params);
    myco_replay_print(rc == MYCO_SHELL_STOPPED ? "stopped reason=end" : "refused");
    return rc == MYCO_SHELL_STOPPED ? MYCO_REPLAY_STOPPED : MYCO_REPLAY_REFUSED;
}

uint16_t myco_shim_node_id(void)
{
    return g_vector->node_id;
}

int32_t myco_shim_config(uint8_t *out, uint32_t cap)
{
    if (g_vector->config_len > cap) return -1;
    memcpy(out, g_vector->config, g_vector->config_len);
    return (int32_t)g_vector->config_len;
}

uint32_t myco_shim_now_ms(void)
{
    return g_now;
}

/* The same generator as the JavaScript host's (tools/build/stub-hal.ts, xorshift32). */
uint32_t myco_shim_rand(void)
{
    uint32_t x = g_rand;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g_rand = x;
    return x;
}

/* Every frame the radio takes is printed: the peers' side of the exchange. */
int32_t myco_shim_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    if (len > g_vector->mtu) return MYCO_SEND_TOO_LONG;
    myco_format_send(dst, frame, len, print_line, NULL);
    return MYCO_SEND_OK;
}

/* Sleeps by jumping the clock: to the next event if it comes within the timeout, else
 * to the timeout; past the script's end the node stops. */
void myco_shim_wait(uint32_t timeout_ms, uint8_t *buf, uint32_t cap, myco_wake *out)
{
    const myco_replay_event *e =
        g_next < g_vector->event_count ? &g_vector->events[g_next] : NULL;
    uint64_t wake = timeout_ms == MYCO_NO_DEADLINE ? UINT64_MAX : (uint64_t)g_now + timeout_ms;

    out->kind = MYCO_WAKE_TIMEOUT;
    if (e && e->t_ms <= wake && e->t_ms <= g_vector->end_ms) {
        g_next++;
        if (e->t_ms > g_now) g_now = e->t_ms;
        /* Longer than the inbox: the radio driver drops it (the vector's author erred). */
        if (e->len > cap) return;
        memcpy(buf, g_vector->bytes + e->offset, e->len);
        out->peer = e->peer;
        out->len = e->len;
        switch ((myco_replay_kind)e->kind) {
        case MYCO_REPLAY_FRAME:
            out->kind = MYCO_WAKE_FRAME;
            out->rssi = e->rssi;
            break;
        case MYCO_REPLAY_LINK:
            out->kind = MYCO_WAKE_LINK;
            out->link_event = e->code;
            break;
        case MYCO_REPLAY_SUBMIT:
            out->kind = MYCO_WAKE_SUBMIT;
            out->submit_kind = e->code;
            break;
        case MYCO_REPLAY_REPORT:
            out->kind = MYCO_WAKE_REPORT;
            break;
        }
        return;
    }
    if (wake > g_vector->end_ms) {
        g_now = g_vector->end_ms;
        out->kind = MYCO_WAKE_STOP;
        return;
    }
    g_now = (uint32_t)wake;
}

void myco_shim_log(uint32_t level, const uint8_t *text, uint32_t len)
{
    myco_format_log(level, text, len, print_line, NULL);
}

void myco_shim_emit(uint32_t kind, const uint8_t *record, uint32_t len)
{
    myco_format_emit(kind, record, len, print_line, NULL);
}

void myco_shim_report(uint32_t what, const uint8_t *dump, uint32_t len)
{
    myco_format_report(what, dump, len, print_line, NULL);
}

void myco_shim_note(uint32_t level, const char *line)
{
    static const char *const prefix[] = {"error ", "warn ", "", ""};
    snprintf(g_line, sizeof g_line, "%s%s", prefix[level < 4 ? level : 3], line);
    myco_replay_print(g_line);
}

int32_t myco_shim_sensor(uint32_t channel, uint8_t *out, uint32_t max)
{
    (void)channel;
    (void)out;
    (void)max;
    return MYCO_SENSOR_NO_CHANNEL;
}

/* Blobs live in flash (const tables), as model weights do on a board. */
int32_t myco_shim_blob_read(uint32_t id, uint32_t offset, uint8_t *out, uint32_t len)
{
    uint32_t i, n;
    for (i = 0; i < g_vector->blob_count; i++) {
        const myco_replay_blob *b = &g_vector->blobs[i];
        if (b->id != id) continue;
        if (offset > b->len) return MYCO_BLOB_BAD_OFFSET;
        n = b->len - offset < len ? b->len - offset : len;
        memcpy(out, b->bytes + offset, n);
        return (int32_t)n;
    }
    return MYCO_BLOB_NO_BLOB;
}

int32_t myco_shim_accel(uint32_t op, const uint8_t *in, uint32_t in_len, uint8_t *out,
                        uint32_t out_len)
{
    (void)op;
    (void)in;
    (void)in_len;
    (void)out;
    (void)out_len;
    return MYCO_ACCEL_UNAVAILABLE;
}

int32_t myco_shim_wifi(uint32_t op, uint32_t arg)
{
    (void)op;
    (void)arg;
    return MYCO_WIFI_NOT_AVAILABLE;
}

/* A replay never hands over a module image (no MYCO_WAKE_MODULE). */
void myco_shim_module_done(const uint8_t *module, int running)
{
    (void)module;
    (void)running;
}

void myco_shim_panic(const char *reason)
{
    snprintf(g_line, sizeof g_line, "panic %.200s", reason);
    myco_replay_print(g_line);
    longjmp(g_panic, 1);
}
