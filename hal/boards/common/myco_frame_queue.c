#include "myco_frame_queue.h"

#include <string.h>

/* Orders the slot's bytes before the index that publishes it (and the read of a slot
 * before the index that frees it): the producer may run on the other core of an ESP32. */
#if defined(__GNUC__)
#define BARRIER() __sync_synchronize()
#else
#define BARRIER() ((void)0)
#endif

#define MASK (MYCO_FRAME_QUEUE_SLOTS - 1u)

void myco_frame_queue_init(myco_frame_queue *q)
{
    memset(q, 0, sizeof *q);
}

uint32_t myco_frame_queue_count(const myco_frame_queue *q)
{
    return q->tail - q->head;
}

int myco_frame_queue_empty(const myco_frame_queue *q)
{
    return q->tail == q->head;
}

static int push(myco_frame_queue *q, uint8_t kind, uint32_t event, uint16_t peer,
                const uint8_t *data, uint32_t len, int32_t rssi)
{
    myco_frame_slot *s;
    uint32_t tail = q->tail;
    if (len > MYCO_FRAME_MAX) {
        q->dropped_long++;
        return -1;
    }
    if (tail - q->head >= MYCO_FRAME_QUEUE_SLOTS) {
        q->dropped_full++;
        return -1;
    }
    s = &q->slots[tail & MASK];
    s->kind = kind;
    s->peer = peer;
    s->rssi = rssi;
    s->link_event = event;
    s->len = (uint16_t)len;
    if (len) memcpy(s->bytes, data, len);
    BARRIER();
    q->tail = tail + 1u;
    return 0;
}

int myco_frame_queue_push_frame(myco_frame_queue *q, uint16_t peer, const uint8_t *data,
                                uint32_t len, int32_t rssi)
{
    return push(q, (uint8_t)MYCO_WAKE_FRAME, 0, peer, data, len, rssi);
}

int myco_frame_queue_push_link(myco_frame_queue *q, uint32_t event, uint16_t peer,
                               const uint8_t *data, uint32_t len)
{
    return push(q, (uint8_t)MYCO_WAKE_LINK, event, peer, data, data ? len : 0, 0);
}

int myco_frame_queue_pop(myco_frame_queue *q, uint8_t *buf, uint32_t cap, myco_wake *out)
{
    while (q->head != q->tail) {
        uint32_t head = q->head, len;
        const myco_frame_slot *s;
        BARRIER();
        s = &q->slots[head & MASK];
        len = s->len;
        memset(out, 0, sizeof *out);
        out->kind = (myco_wake_kind)s->kind;
        out->peer = s->peer;
        if (s->kind == MYCO_WAKE_FRAME) {
            if (len > cap) {
                /* The module could not take it whole; a cut frame would be misread. */
                q->dropped_long++;
                BARRIER();
                q->head = head + 1u;
                continue;
            }
            out->len = len;
            out->rssi = s->rssi;
        } else {
            out->link_event = s->link_event;
            if (len > cap) {
                len = cap;
                if (s->link_event == MYCO_LINK_SCAN_DONE) {
                    len -= len % MYCO_WIFI_SCAN_RECORD_BYTES;
                    out->peer = (uint16_t)(len / MYCO_WIFI_SCAN_RECORD_BYTES);
                }
            }
            out->len = len;
        }
        if (len) memcpy(buf, s->bytes, len);
        BARRIER();
        q->head = head + 1u;
        return 1;
    }
    return 0;
}
