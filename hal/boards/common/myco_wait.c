#include "myco_wait.h"

#include <string.h>

void myco_wait_run(const myco_wait_ops *ops, myco_frame_queue *q, uint32_t timeout_ms,
                   uint8_t *buf, uint32_t cap, myco_wake *out)
{
    uint32_t start = ops->now_ms(ops->ctx);
    memset(out, 0, sizeof *out);
    for (;;) {
        uint32_t now = ops->now_ms(ops->ctx), elapsed = now - start, nap;
        int asked;
        if (ops->radio_poll) ops->radio_poll(ops->ctx, now);
        /* Queued input first: a busy network must not starve behind a time-out. */
        if (myco_frame_queue_pop(q, buf, cap, out)) return;
        asked = ops->console ? ops->console(ops->ctx) : MYCO_WAIT_CONSOLE_NONE;
        if (asked == MYCO_WAIT_CONSOLE_REPORT) {
            out->kind = MYCO_WAKE_REPORT;
            return;
        }
        if (asked == MYCO_WAIT_CONSOLE_STOP) {
            out->kind = MYCO_WAKE_STOP;
            return;
        }
        if (asked == MYCO_WAIT_CONSOLE_MODULE) {
            out->kind = MYCO_WAKE_MODULE;
            return;
        }
        if (timeout_ms != MYCO_NO_DEADLINE && elapsed >= timeout_ms) {
            out->kind = MYCO_WAKE_TIMEOUT;
            return;
        }
        nap = timeout_ms == MYCO_NO_DEADLINE ? MYCO_CONSOLE_POLL_MS : timeout_ms - elapsed;
        if (nap > MYCO_CONSOLE_POLL_MS) nap = MYCO_CONSOLE_POLL_MS;
        if (ops->radio_next_ms) {
            uint32_t r = ops->radio_next_ms(ops->ctx, now);
            if (r < nap) nap = r;
        }
        if (nap == 0) continue; /* radio work is due now */
        ops->idle(ops->ctx, nap);
    }
}
