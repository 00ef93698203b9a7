/*
 * The RP2040 side of the Elastic Node link (myco_elink.h): the node's radio as the shim
 * sees it. Received frames and link events go into a myco_frame_queue, `send` spends a
 * credit and writes a SEND, `wifi` writes a WIFI request and waits for its RESULT (the
 * import answers synchronously; the bridge answers within a millisecond or two, so a short
 * bounded wait is cheaper than mirroring the tree link's state here).
 *
 * Pure logic over three board hooks, so the whole exchange is tested on a host against a
 * bridge written in the test.
 */
#ifndef MYCO_ENODE_NET_H
#define MYCO_ENODE_NET_H

#include <stdint.h>

#include "myco_elink.h"
#include "myco_frame_queue.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How long `wifi` waits for the bridge's RESULT before answering MYCO_WIFI_BUSY (the
 * module retries a busy op; a missing bridge must not hang the node). */
#ifndef MYCO_ENODE_WIFI_REPLY_MS
#define MYCO_ENODE_WIFI_REPLY_MS 50u
#endif
/* HELLO is repeated this often until the bridge answers READY (it may boot later). */
#ifndef MYCO_ENODE_HELLO_RETRY_MS
#define MYCO_ENODE_HELLO_RETRY_MS 500u
#endif

typedef struct {
    /* Writes bytes to the UART (blocking until they are in its FIFO or buffer). */
    void (*write)(void *ctx, const uint8_t *bytes, uint32_t len);
    /* Reads what has arrived, without waiting; bytes read. */
    uint32_t (*read)(void *ctx, uint8_t *buf, uint32_t cap);
    uint32_t (*now_ms)(void *ctx);
    /* A NOTE from the bridge (text not NUL-terminated). */
    void (*note)(void *ctx, uint32_t level, const uint8_t *text, uint32_t len);
    void *ctx;
} myco_enode_net_ops;

typedef struct {
    myco_enode_net_ops ops;
    myco_elink_decoder dec;
    myco_frame_queue *q;
    uint16_t node_id;
    uint8_t route_mode;
    uint16_t mtu;

    uint8_t ready;      /* the bridge answered HELLO */
    uint8_t mac[6];     /* the bridge's radio MAC */
    uint32_t credits;   /* SENDs the bridge can still take */
    uint32_t hello_at;  /* when to repeat HELLO */

    uint8_t wifi_seq;
    uint8_t wifi_answered;
    int32_t wifi_result;

    uint32_t unexpected;    /* messages of an unknown type or a bad length */
    uint32_t wifi_timeouts; /* WIFI requests the bridge did not answer in time */
} myco_enode_net;

/* Starts the link and sends the first HELLO. `node_id` 0: the bridge's MAC decides, and
 * node_id holds the answer once `ready`. */
void myco_enode_net_init(myco_enode_net *n, const myco_enode_net_ops *ops, myco_frame_queue *q,
                         uint16_t node_id, uint8_t route_mode, uint16_t mtu);

/* Reads and handles everything the bridge sent; repeats HELLO while not ready. */
void myco_enode_net_poll(myco_enode_net *n);

/* The `send` import (MYCO_SEND_* codes). */
int32_t myco_enode_net_send(myco_enode_net *n, uint16_t dst, const uint8_t *frame, uint32_t len);

/* The `wifi` import: the bridge's answer, MYCO_WIFI_BUSY when it did not come in time. */
int32_t myco_enode_net_wifi(myco_enode_net *n, uint32_t op, uint32_t arg);

/* Milliseconds until poll has timed work (a HELLO repeat), MYCO_NO_DEADLINE when none. */
uint32_t myco_enode_net_next_ms(const myco_enode_net *n, uint32_t now);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ENODE_NET_H */
