#include "myco_enode_net.h"

#include <string.h>

#include "myco_hal.h"
#include "myco_hermes.h"

static uint8_t g_tx[MYCO_ELINK_ENCODED_MAX];

static void put(myco_enode_net *n, uint8_t type, const uint8_t *head, uint32_t head_len,
                const uint8_t *data, uint32_t data_len)
{
    uint32_t len = myco_elink_encode(type, head, head_len, data, data_len, g_tx, sizeof g_tx);
    if (len) n->ops.write(n->ops.ctx, g_tx, len);
}

static void hello(myco_enode_net *n)
{
    uint8_t h[6];
    h[0] = MYCO_ELINK_VERSION;
    myco_elink_put_u16(h + 1, n->node_id);
    h[3] = n->route_mode;
    myco_elink_put_u16(h + 4, n->mtu);
    put(n, MYCO_ELINK_HELLO, h, sizeof h, NULL, 0);
    n->hello_at = n->ops.now_ms(n->ops.ctx) + MYCO_ENODE_HELLO_RETRY_MS;
}

void myco_enode_net_init(myco_enode_net *n, const myco_enode_net_ops *ops, myco_frame_queue *q,
                         uint16_t node_id, uint8_t route_mode, uint16_t mtu)
{
    memset(n, 0, sizeof *n);
    n->ops = *ops;
    n->q = q;
    n->node_id = node_id;
    n->route_mode = route_mode;
    n->mtu = mtu;
    myco_elink_decoder_init(&n->dec);
    hello(n);
}

static void handle(myco_enode_net *n, const myco_elink_msg *m)
{
    const uint8_t *p = m->payload;
    switch (m->type) {
    case MYCO_ELINK_READY:
        if (m->len < 8u || p[0] != MYCO_ELINK_VERSION) break;
        if (p[7] == 0) {
            /* The bridge (re)started and does not know us: it asks for HELLO. */
            n->ready = 0;
            n->credits = 0;
            hello(n);
            return;
        }
        memcpy(n->mac, p + 1, 6);
        /* Asked to pick: the bridge runs under the id its MAC gives (myco_hermes.h). */
        if (n->node_id == 0) n->node_id = myco_hermes_id_from_mac(n->mac);
        n->credits = p[7];
        n->ready = 1;
        return;
    case MYCO_ELINK_FRAME:
        if (m->len < 3u) break;
        myco_frame_queue_push_frame(n->q, myco_elink_u16(p), p + 3, m->len - 3u, (int8_t)p[2]);
        return;
    case MYCO_ELINK_LINK:
        if (m->len < 3u) break;
        myco_frame_queue_push_link(n->q, p[0], myco_elink_u16(p + 1), p + 3, m->len - 3u);
        return;
    case MYCO_ELINK_CREDIT:
        if (m->len < 1u) break;
        n->credits += p[0];
        return;
    case MYCO_ELINK_RESULT:
        if (m->len < 5u) break;
        /* A late answer to an earlier request that timed out is ignored by its seq. */
        if (p[0] == n->wifi_seq) {
            n->wifi_result = (int32_t)myco_elink_u32(p + 1);
            n->wifi_answered = 1;
        }
        return;
    case MYCO_ELINK_NOTE:
        if (m->len < 1u) break;
        if (n->ops.note) n->ops.note(n->ops.ctx, p[0], p + 1, m->len - 1u);
        return;
    default:
        break;
    }
    n->unexpected++;
}

void myco_enode_net_poll(myco_enode_net *n)
{
    uint8_t buf[64];
    uint32_t got, i;
    myco_elink_msg m;
    while ((got = n->ops.read(n->ops.ctx, buf, sizeof buf)) > 0)
        for (i = 0; i < got; i++)
            if (myco_elink_feed(&n->dec, buf[i], &m)) handle(n, &m);
    if (!n->ready && (int32_t)(n->ops.now_ms(n->ops.ctx) - n->hello_at) >= 0) hello(n);
}

int32_t myco_enode_net_send(myco_enode_net *n, uint16_t dst, const uint8_t *frame, uint32_t len)
{
    uint8_t h[2];
    if (len > n->mtu || len > MYCO_FRAME_MAX) return MYCO_SEND_TOO_LONG;
    if (dst == MYCO_NODE_NONE) return MYCO_SEND_BAD_DST;
    if (!n->ready || n->credits == 0) return MYCO_SEND_QUEUE_FULL;
    n->credits--;
    myco_elink_put_u16(h, dst);
    put(n, MYCO_ELINK_SEND, h, sizeof h, frame, len);
    return MYCO_SEND_OK;
}

int32_t myco_enode_net_wifi(myco_enode_net *n, uint32_t op, uint32_t arg)
{
    uint8_t h[6];
    uint32_t start;
    if (!n->ready) return MYCO_WIFI_BUSY;
    n->wifi_seq++;
    n->wifi_answered = 0;
    h[0] = n->wifi_seq;
    h[1] = (uint8_t)op;
    myco_elink_put_u32(h + 2, arg);
    put(n, MYCO_ELINK_WIFI, h, sizeof h, NULL, 0);
    start = n->ops.now_ms(n->ops.ctx);
    for (;;) {
        /* Frames and events arriving meanwhile are queued as usual. */
        myco_enode_net_poll(n);
        if (n->wifi_answered) return n->wifi_result;
        if (n->ops.now_ms(n->ops.ctx) - start >= MYCO_ENODE_WIFI_REPLY_MS) break;
    }
    n->wifi_timeouts++;
    return MYCO_WIFI_BUSY;
}

uint32_t myco_enode_net_next_ms(const myco_enode_net *n, uint32_t now)
{
    int32_t d;
    if (n->ready) return MYCO_NO_DEADLINE;
    d = (int32_t)(n->hello_at - now);
    return d > 0 ? (uint32_t)d : 0;
}
