/* The posix shim's output, clock, randomness and identity. Every line on stdout is
 * one event in the stable text form of myco_format.h; stdout is line-buffered so a
 * supervising process sees each line as it happens. */
#define _POSIX_C_SOURCE 200112L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "myco_format.h"
#include "myco_hal.h"
#include "myco_posix.h"

myco_posix_options myco_posix;
const char *myco_posix_stop_reason = "unknown";

static struct timespec g_start;
static uint32_t g_rand_state;

static void print_line(const char *line, void *ctx)
{
    (void)ctx;
    fputs(line, stdout);
    fputc('\n', stdout);
}

/* splitmix32-style scramble: nearby seeds (node ids 1, 2, 3) give unrelated streams. */
static uint32_t scramble(uint32_t x)
{
    x += 0x9E3779B9u;
    x = (x ^ (x >> 16)) * 0x85EBCA6Bu;
    x = (x ^ (x >> 13)) * 0xC2B2AE35u;
    x ^= x >> 16;
    return x ? x : 0x6D2B79F5u;
}

void myco_posix_clock_start(void)
{
    clock_gettime(CLOCK_MONOTONIC, &g_start);
    g_rand_state = scramble(myco_posix.seed);
}

uint32_t myco_shim_now_ms(void)
{
    struct timespec t;
    int64_t ms;
    clock_gettime(CLOCK_MONOTONIC, &t);
    ms = (int64_t)(t.tv_sec - g_start.tv_sec) * 1000 + (t.tv_nsec - g_start.tv_nsec) / 1000000;
    return (uint32_t)ms; /* wraps like a board's millisecond counter */
}

/* xorshift32: tiny and deterministic per seed, enough for jitter and sequence starts. */
uint32_t myco_shim_rand(void)
{
    uint32_t x = g_rand_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    g_rand_state = x;
    return x;
}

uint16_t myco_shim_node_id(void)
{
    return myco_posix.id;
}

int32_t myco_shim_config(uint8_t *out, uint32_t cap)
{
    if (myco_posix.config.len > cap) return -1;
    memcpy(out, myco_posix.config.bytes, myco_posix.config.len);
    return (int32_t)myco_posix.config.len;
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
    if (level == MYCO_LOG_ERROR) fprintf(stderr, "myco-node: %s\n", line);
    else print_line(line, NULL);
}

/* A laptop has no sensors, weight blobs or accelerators: the module falls back. */
int32_t myco_shim_sensor(uint32_t channel, uint8_t *out, uint32_t max)
{
    (void)channel;
    (void)out;
    (void)max;
    return MYCO_SENSOR_NO_CHANNEL;
}

int32_t myco_shim_blob_read(uint32_t id, uint32_t offset, uint8_t *out, uint32_t len)
{
    (void)id;
    (void)offset;
    (void)out;
    (void)len;
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

/* Loopback UDP has no softAP or station: tree mode is not available here. */
int32_t myco_shim_wifi(uint32_t op, uint32_t arg)
{
    (void)op;
    (void)arg;
    return MYCO_WIFI_NOT_AVAILABLE;
}

/* A board would reboot; a process exits with its own code so a supervisor (or a
 * test) can tell a panic from a clean stop. */
void myco_shim_panic(const char *reason)
{
    printf("panic %s\n", reason);
    fflush(stdout);
    fprintf(stderr, "myco-node: panic: %s\n", reason);
    myco_posix_radio_close();
    exit(MYCO_EXIT_PANIC);
}
