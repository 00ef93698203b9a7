/*
 * myco_shim_wait for boards whose radio fills a myco_frame_queue from its own context:
 * the loop every board shim shares, as pure logic over board hooks.
 *
 * Until a queued frame or event, a console request or the time-out: let the radio do its
 * polled work (UDP receive, tree timers, the Elastic Node link), hand over the oldest
 * queued entry, read the console, then idle until the nearest of the module's deadline,
 * the radio's next timer and the next console poll. `idle` may return early when a frame
 * arrives (a board wakes its loop from the radio callback); it is the board's sleep: a
 * FreeRTOS wait on the ESP32, esp_delay on the ESP8266, both letting the Wi-Fi driver's
 * power saving run.
 */
#ifndef MYCO_WAIT_H
#define MYCO_WAIT_H

#include <stdint.h>

#include "myco_frame_queue.h"
#include "myco_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest idle between two looks at the console: typing feels immediate, and the CPU
 * still sleeps 95% of an idle second. */
#ifndef MYCO_CONSOLE_POLL_MS
#define MYCO_CONSOLE_POLL_MS 50u
#endif

/* What the console asked of the wait. */
#define MYCO_WAIT_CONSOLE_NONE 0
#define MYCO_WAIT_CONSOLE_REPORT 1 /* print inspect dumps now */
#define MYCO_WAIT_CONSOLE_STOP 2   /* shut the node down cleanly */
#define MYCO_WAIT_CONSOLE_MODULE 3 /* run the module in flash: a MYCO_WAKE_MODULE without
                                      its bytes, which the board's wait reads */

typedef struct {
    uint32_t (*now_ms)(void *ctx);
    /* The radio's polled work; may push into the queue. NULL when it has none. */
    void (*radio_poll)(void *ctx, uint32_t now);
    /* Milliseconds until radio_poll has timed work; NULL or MYCO_NO_DEADLINE when none. */
    uint32_t (*radio_next_ms)(void *ctx, uint32_t now);
    /* Reads and executes console input; a MYCO_WAIT_CONSOLE_* value. */
    int (*console)(void *ctx);
    /* Sleeps up to `ms` (at least 1); may return early when the queue got an entry. */
    void (*idle)(void *ctx, uint32_t ms);
    void *ctx;
} myco_wait_ops;

void myco_wait_run(const myco_wait_ops *ops, myco_frame_queue *q, uint32_t timeout_ms,
                   uint8_t *buf, uint32_t cap, myco_wake *out);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_WAIT_H */
