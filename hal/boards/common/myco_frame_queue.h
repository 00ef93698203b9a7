/*
 * The receive side of a board's radio: a fixed ring of frames and link events that
 * radio callbacks fill and myco_shim_wait drains. A radio driver hands frames over in its
 * own task or callback, never in the shell's thread, and the shell must not call into the
 * module from there; the ring is the hand-over.
 *
 * One producer and one consumer: `push` and `pop` may run concurrently (indices are
 * published after the slot is written, with a barrier), but two producers must not push at
 * once. A board with several producer contexts (ESP32: the Wi-Fi task and the loop)
 * serialises its pushes with its own lock. Full ring: the new entry is dropped and counted,
 * as a radio's receive buffer overflows; the protocol above survives lost frames.
 */
#ifndef MYCO_FRAME_QUEUE_H
#define MYCO_FRAME_QUEUE_H

#include <stdint.h>

#include "myco_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Largest frame (or link event data) a slot holds: ESP-NOW's 250-byte payload limit, which
 * is also every board's radio MTU in the board descriptors except rpi3. A board may raise it. */
#ifndef MYCO_FRAME_MAX
#define MYCO_FRAME_MAX 250u
#endif
/* Slots; a power of two so the free-running indices wrap cleanly. */
#ifndef MYCO_FRAME_QUEUE_SLOTS
#define MYCO_FRAME_QUEUE_SLOTS 8u
#endif

#if (MYCO_FRAME_QUEUE_SLOTS & (MYCO_FRAME_QUEUE_SLOTS - 1u)) != 0
#error "MYCO_FRAME_QUEUE_SLOTS must be a power of two"
#endif

typedef struct {
    uint8_t kind; /* MYCO_WAKE_FRAME or MYCO_WAKE_LINK */
    uint16_t peer;
    int32_t rssi;
    uint32_t link_event;
    uint16_t len;
    uint8_t bytes[MYCO_FRAME_MAX];
} myco_frame_slot;

typedef struct {
    myco_frame_slot slots[MYCO_FRAME_QUEUE_SLOTS];
    volatile uint32_t head; /* next slot to pop; written by the consumer only */
    volatile uint32_t tail; /* next slot to fill; written by the producer only */
    uint32_t dropped_full;  /* entries lost because the ring was full */
    uint32_t dropped_long;  /* frames longer than a slot or than the reader's buffer */
} myco_frame_queue;

void myco_frame_queue_init(myco_frame_queue *q);

/* A frame of `len` bytes from `peer`. 0, or -1 when dropped (full, or longer than a slot). */
int myco_frame_queue_push_frame(myco_frame_queue *q, uint16_t peer, const uint8_t *data,
                                uint32_t len, int32_t rssi);

/* A link event; `data` (may be NULL) is what the event puts in the inbox, such as the
 * SCAN_DONE records. 0, or -1 when dropped. */
int myco_frame_queue_push_link(myco_frame_queue *q, uint32_t event, uint16_t peer,
                               const uint8_t *data, uint32_t len);

int myco_frame_queue_empty(const myco_frame_queue *q);
uint32_t myco_frame_queue_count(const myco_frame_queue *q);

/* Moves the oldest entry into `out` and its bytes into `buf` (the module's inbox, `cap`
 * bytes). A frame longer than `cap` is dropped and the next entry tried; SCAN_DONE records
 * beyond `cap` are cut to whole records and the count in `peer` lowered to match. 1 when an
 * entry was delivered, 0 when the ring is empty. */
int myco_frame_queue_pop(myco_frame_queue *q, uint8_t *buf, uint32_t cap, myco_wake *out);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_FRAME_QUEUE_H */
