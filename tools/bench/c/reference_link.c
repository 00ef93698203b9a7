/*
 * The reference's wire checks and link layer: frame validation (wire/header.ts,
 * wire/payload.ts), the neighbour table (link/table.ts), hellos (link/beacon.ts), link quality
 * from hello sequence numbers (link/quality.ts), expiry (link/link.ts) and the ETX cost of a
 * link (route/metric.ts, route/neighbours.ts). See reference_node.h.
 */
#include <string.h>

#include "reference_node.h"

#define WIRE_VERSION 1u
#define FLAG_TAG 1u
#define FLAG_ACK_REQ 2u
#define FLAGS_RESERVED 0xF8u
#define TAG_SIZE 8u
#define HELLO_FIXED 5u
#define HELLO_ENTRY 3u
#define RU_FIXED 4u
#define RU_ENTRY 6u
#define RU_RESERVED 0xFCu
#define WINDOW 16u
#define WINDOW_MASK 0xFFFFu
#define EVICT_BELOW 128u
#define METRIC_UNIT 16u
#define LINK_METRIC_MAX (64u * METRIC_UNIT)

/* ---- frames ---------------------------------------------------------------------------- */

static int payload_valid(uint32_t type, const uint8_t *p, uint32_t len)
{
    uint32_t count, i;
    switch (type) {
    case MYCO_REF_HELLO:
        if (len < HELLO_FIXED) return 0;
        return len == HELLO_FIXED + HELLO_ENTRY * p[4] && myco_ref_get16(p) > 0;
    case MYCO_REF_ROUTE_UPDATE:
        if (len < RU_FIXED + RU_ENTRY) return 0;
        count = p[1];
        if ((p[0] & RU_RESERVED) != 0 || len != RU_FIXED + RU_ENTRY * count) return 0;
        for (i = 0; i < count; i++) {
            uint32_t dest = myco_ref_get16(p + RU_FIXED + i * RU_ENTRY);
            if (dest == 0 || dest == MYCO_REF_BROADCAST) return 0;
        }
        return 1;
    case MYCO_REF_ROUTE_SEQ_REQ:
        return len == 2;
    }
    return 0;
}

/* Counts a frame of the routing category (every type here is one: docs/wire.md). */
static void count_routing(myco_ref_node *n, uint32_t len, int received)
{
    n->counters[received ? MYCO_REF_CAT_ROUTING_RX_FRAMES : MYCO_REF_CAT_ROUTING_TX_FRAMES]++;
    n->counters[received ? MYCO_REF_CAT_ROUTING_RX_BYTES : MYCO_REF_CAT_ROUTING_TX_BYTES] += len;
}

/* Validates in the order of docs/wire.md and fills n->rx; counts exactly one outcome. The
 * network has no key, so a tagged frame is dropped. */
int myco_ref_receive_frame(myco_ref_node *n, const uint8_t *frame, uint32_t len)
{
    uint32_t flags, payload_len, tag, src, dst, type;
    int drop = 0;
    if (len < MYCO_REF_HEADER) drop = MYCO_REF_WIRE_DROP_SHORT;
    else if (len > n->cfg.mtu) drop = MYCO_REF_WIRE_DROP_LONG;
    else if (frame[0] != WIRE_VERSION) drop = MYCO_REF_WIRE_DROP_VERSION;
    else if ((frame[2] & FLAGS_RESERVED) != 0) drop = MYCO_REF_WIRE_DROP_FLAGS;
    if (drop) {
        n->counters[drop]++;
        return 0;
    }
    flags = frame[2];
    payload_len = myco_ref_get16(frame + 10);
    tag = (flags & FLAG_TAG) ? TAG_SIZE : 0;
    src = myco_ref_get16(frame + 4);
    dst = myco_ref_get16(frame + 6);
    type = frame[1];
    if (MYCO_REF_HEADER + payload_len + tag != len) drop = MYCO_REF_WIRE_DROP_LENGTH;
    else if (src == 0 || src == MYCO_REF_BROADCAST || dst == 0) drop = MYCO_REF_WIRE_DROP_ADDR;
    else if (type != MYCO_REF_HELLO && type != MYCO_REF_ROUTE_UPDATE && type != MYCO_REF_ROUTE_SEQ_REQ)
        myco_bench_unsupported("a frame type other than HELLO, ROUTE_UPDATE and ROUTE_SEQ_REQ");
    else if (!payload_valid(type, frame + MYCO_REF_HEADER, payload_len)) drop = MYCO_REF_WIRE_DROP_PAYLOAD;
    else if (tag) drop = MYCO_REF_WIRE_DROP_TAG;
    if (drop) {
        n->counters[drop]++;
        return 0;
    }
    n->rx.type = type;
    n->rx.flags = flags;
    n->rx.hops = frame[3];
    n->rx.src = src;
    n->rx.dst = dst;
    n->rx.seq = myco_ref_get16(frame + 8);
    n->rx.len = payload_len;
    n->counters[MYCO_REF_WIRE_RX]++;
    count_routing(n, len, 1);
    return 1;
}

uint32_t myco_ref_encode_header(uint8_t *frame, uint32_t type, uint32_t flags, uint32_t hops, uint32_t src,
                                uint32_t dst, uint32_t seq, uint32_t payload_len)
{
    frame[0] = WIRE_VERSION;
    frame[1] = (uint8_t)type;
    frame[2] = (uint8_t)flags;
    frame[3] = (uint8_t)hops;
    myco_ref_put16(frame + 4, src);
    myco_ref_put16(frame + 6, dst);
    myco_ref_put16(frame + 8, seq);
    myco_ref_put16(frame + 10, payload_len);
    return MYCO_REF_HEADER + payload_len + ((flags & FLAG_TAG) ? TAG_SIZE : 0);
}

static int32_t transmit(myco_ref_node *n, uint32_t dst, const uint8_t *frame, uint32_t len)
{
    int32_t result = myco_bench_radio(dst, frame, len);
    if (result >= 0) {
        n->counters[MYCO_REF_WIRE_TX]++;
        count_routing(n, len, 0);
    }
    return result;
}

/* link/reliable.ts linkSend for frames without ACK_REQ, the only ones a routing node sends. */
int32_t myco_ref_link_send(myco_ref_node *n, uint32_t next_hop, const uint8_t *frame, uint32_t len)
{
    int32_t result;
    if ((frame[2] & FLAG_ACK_REQ) != 0 && next_hop != MYCO_REF_BROADCAST) myco_bench_unsupported("acknowledged frames");
    result = transmit(n, next_hop, frame, len);
    if (result < 0) n->counters[MYCO_REF_LINK_TX_ERR]++;
    return result;
}

/* ---- link quality ------------------------------------------------------------------------ */

static uint32_t popcount16(uint32_t x)
{
#if defined(__GNUC__)
    return (uint32_t)__builtin_popcount(x);
#else
    uint32_t c = 0;
    for (; x; x &= x - 1) c++;
    return c;
#endif
}

static uint32_t slide_window(uint32_t window, uint32_t gap)
{
    if (gap >= WINDOW) return 1;
    return ((window << gap) | 1u) & WINDOW_MASK;
}

static uint32_t slide_span(uint32_t span, uint32_t gap)
{
    uint32_t s = span + gap;
    return s > WINDOW ? WINDOW : s;
}

static uint32_t window_quality(uint32_t window, uint32_t span)
{
    uint32_t s;
    if (span == 0) return 0;
    s = span > WINDOW ? WINDOW : span;
    return popcount16(window & ((1u << s) - 1u)) * 255u / s;
}

/* in_q as of `now`, counting overdue hellos as missed: up to 1.5 intervals count as none. */
uint32_t myco_ref_quality(const myco_ref_neighbour *nb, uint32_t now)
{
    uint32_t age = now - nb->heard_ms, interval = nb->interval_ms, overdue = 0, shifted;
    if (interval != 0 && age >= interval + (interval >> 1)) overdue = (age - (interval >> 1)) / interval;
    if (overdue == 0) return window_quality(nb->window, nb->span);
    shifted = overdue >= WINDOW ? 0 : (nb->window << overdue) & WINDOW_MASK;
    return window_quality(shifted, slide_span(nb->span, overdue));
}

static uint32_t etx(uint32_t in_q, uint32_t out_q)
{
    uint32_t m;
    if (in_q == 0 || out_q == 0) return MYCO_REF_INFINITE;
    m = (255u * 255u * METRIC_UNIT + ((in_q * out_q) >> 1)) / (in_q * out_q);
    return m > LINK_METRIC_MAX ? LINK_METRIC_MAX : m;
}

/* ---- the neighbour table ----------------------------------------------------------------- */

int32_t myco_ref_neighbour_find(const myco_ref_node *n, uint32_t id)
{
    int32_t i;
    for (i = 0; i < n->neighbour_count; i++)
        if (n->neighbours[i].id == id) return i;
    return -1;
}

uint32_t myco_ref_link_cost(const myco_ref_node *n, uint32_t id, uint32_t now)
{
    int32_t i = myco_ref_neighbour_find(n, id);
    const myco_ref_neighbour *nb;
    if (i < 0) return MYCO_REF_INFINITE;
    nb = &n->neighbours[i];
    if (!nb->bidirectional) return MYCO_REF_INFINITE;
    return etx(myco_ref_quality(nb, now), nb->out_q);
}

static int32_t table_add(myco_ref_node *n, uint32_t id)
{
    int32_t i;
    if (n->neighbour_count >= (int32_t)n->cfg.neighbour_capacity) return -1;
    i = n->neighbour_count++;
    memset(&n->neighbours[i], 0, sizeof n->neighbours[i]);
    n->neighbours[i].id = (uint16_t)id;
    return i;
}

/* The last record moves into the gap. */
static void table_remove(myco_ref_node *n, int32_t i)
{
    int32_t last = --n->neighbour_count;
    if (i != last) n->neighbours[i] = n->neighbours[last];
}

/* The entry a newcomer may replace: lowest quality below EVICT_BELOW, ties heard longest ago. */
static int32_t eviction_candidate(const myco_ref_node *n, uint32_t now)
{
    int32_t worst = -1, i;
    uint32_t worst_q = EVICT_BELOW, worst_age = 0;
    for (i = 0; i < n->neighbour_count; i++) {
        const myco_ref_neighbour *nb = &n->neighbours[i];
        uint32_t q = myco_ref_quality(nb, now), age = now - nb->heard_ms;
        if (q < worst_q || (q == worst_q && worst >= 0 && age > worst_age)) {
            worst = i;
            worst_q = q;
            worst_age = age;
        }
    }
    return worst;
}

static void push_change(myco_ref_node *n, uint32_t kind, uint32_t id)
{
    if (n->change_count >= n->change_capacity) {
        n->changes_overflowed = 1;
        return;
    }
    n->change_kinds[n->change_count] = (uint8_t)kind;
    n->change_ids[n->change_count] = (uint16_t)id;
    n->change_count++;
}

static void neighbour_up(myco_ref_node *n, uint32_t id)
{
    n->counters[MYCO_REF_LINK_NEIGHBOUR_UP]++;
    push_change(n, MYCO_REF_CHANGE_UP, id);
}

static void neighbour_down(myco_ref_node *n, uint32_t id)
{
    n->counters[MYCO_REF_LINK_NEIGHBOUR_DOWN]++;
    push_change(n, MYCO_REF_CHANGE_DOWN, id);
}

static int32_t admit(myco_ref_node *n, uint32_t id, uint32_t now)
{
    int32_t i = table_add(n, id), victim;
    uint32_t gone;
    if (i >= 0) return i;
    victim = eviction_candidate(n, now);
    if (victim < 0) return -1;
    gone = n->neighbours[victim].id;
    table_remove(n, victim);
    neighbour_down(n, gone);
    return table_add(n, id);
}

/* ---- hellos -------------------------------------------------------------------------------- */

static uint32_t jittered_interval(uint32_t interval, uint32_t random)
{
    uint32_t spread = interval / 5;
    return interval - interval / 10 + (spread == 0 ? 0 : random % (spread + 1));
}

void myco_ref_link_start(myco_ref_node *n, uint32_t now)
{
    n->next_hello_ms = now + myco_ref_rand(n) % n->cfg.hello_interval_ms;
}

static void send_hello(myco_ref_node *n, uint32_t now)
{
    uint8_t *payload = n->tx + MYCO_REF_HEADER;
    uint32_t room_bytes = n->cfg.mtu - MYCO_REF_HEADER, len;
    int32_t room = room_bytes < HELLO_FIXED ? 0 : (int32_t)((room_bytes - HELLO_FIXED) / HELLO_ENTRY);
    int32_t size = n->neighbour_count, listed, start, k;
    int truncated;
    if (room > 255) room = 255;
    truncated = size > room;
    listed = truncated ? room : size;
    start = truncated ? n->hello_cursor % size : 0;
    for (k = 0; k < listed; k++) {
        const myco_ref_neighbour *nb = &n->neighbours[(start + k) % size];
        uint8_t *e = payload + HELLO_FIXED + (uint32_t)k * HELLO_ENTRY;
        myco_ref_put16(e, nb->id);
        e[2] = (uint8_t)myco_ref_quality(nb, now);
    }
    if (truncated) n->hello_cursor = (start + listed) % size;
    myco_ref_put16(payload, n->cfg.hello_interval_ms);
    myco_ref_put16(payload + 2, n->epoch);
    payload[4] = (uint8_t)listed;
    len = myco_ref_encode_header(n->tx, MYCO_REF_HELLO, 0, 1, n->self, MYCO_REF_BROADCAST, n->hello_seq,
                                 HELLO_FIXED + HELLO_ENTRY * (uint32_t)listed);
    n->hello_seq = (n->hello_seq + 1) & 0xFFFFu;
    if (transmit(n, MYCO_REF_BROADCAST, n->tx, len) < 0) n->counters[MYCO_REF_LINK_TX_ERR]++;
    else n->counters[MYCO_REF_LINK_HELLO_TX]++;
}

/* in_q the hello gives us, or -1 when it does not list us. */
static int32_t hello_quality_of(const uint8_t *p, uint32_t id)
{
    uint32_t count = p[4], i;
    for (i = 0; i < count; i++) {
        const uint8_t *e = p + HELLO_FIXED + i * HELLO_ENTRY;
        if (myco_ref_get16(e) == id) return e[2];
    }
    return -1;
}

/* A hello with another boot epoch than the one we know: the neighbour restarted, reported as
 * the old one leaving and a new one arriving. */
static void receive_hello(myco_ref_node *n, const uint8_t *payload, int32_t rssi, uint32_t now)
{
    uint32_t id = n->rx.src, seq = n->rx.seq, epoch = myco_ref_get16(payload + 2);
    int32_t i, ours;
    int fresh = 0, was;
    myco_ref_neighbour *nb;
    n->counters[MYCO_REF_LINK_HELLO_RX]++;
    i = myco_ref_neighbour_find(n, id);
    if (i >= 0 && n->neighbours[i].epoch != epoch) {
        n->counters[MYCO_REF_LINK_RESTART]++;
        table_remove(n, i);
        neighbour_down(n, id);
        i = table_add(n, id);
        fresh = 1;
    }
    if (i < 0) {
        i = admit(n, id, now);
        if (i < 0) {
            n->counters[MYCO_REF_LINK_TABLE_FULL]++;
            return;
        }
        fresh = 1;
    }
    nb = &n->neighbours[i];
    if (fresh) {
        nb->window = 1;
        nb->span = 1;
        nb->epoch = (uint16_t)epoch;
    } else {
        uint32_t gap = (seq - nb->last_seq) & 0xFFFFu;
        if (gap == 0) return; /* a repeated frame says nothing new */
        if (gap >= 0x8000u) {
            nb->window = 1;
            nb->span = 1;
        } else {
            nb->window = (uint16_t)slide_window(nb->window, gap);
            nb->span = (uint8_t)slide_span(nb->span, gap);
        }
    }
    nb->last_seq = (uint16_t)seq;
    nb->heard_ms = now;
    nb->tx_fails = 0;
    nb->interval_ms = (uint16_t)myco_ref_get16(payload);
    nb->rssi = (int8_t)(rssi < -128 ? -128 : rssi > 127 ? 127 : rssi);
    ours = hello_quality_of(payload, n->self);
    was = nb->bidirectional && !fresh;
    nb->bidirectional = ours >= 0;
    nb->out_q = ours >= 0 ? (uint8_t)ours : 0;
    if (fresh) neighbour_up(n, id);
    if (nb->bidirectional && !was) push_change(n, MYCO_REF_CHANGE_USABLE, id);
}

void myco_ref_link_frame(myco_ref_node *n, const uint8_t *frame, uint32_t sender, int32_t rssi, uint32_t now)
{
    /* Link messages travel one hop: their originator must be the neighbour that sent them. */
    if (n->rx.src != sender) {
        n->counters[MYCO_REF_LINK_RX_IGNORED]++;
        return;
    }
    if (n->rx.type == MYCO_REF_HELLO) receive_hello(n, frame + MYCO_REF_HEADER, rssi, now);
    else myco_bench_unsupported("link frames other than HELLO");
}

/* Expiry, then the hello when due; returns ms until the next hello or expiry. */
uint32_t myco_ref_link_tick(myco_ref_node *n, uint32_t now)
{
    uint32_t deadline;
    int32_t i;
    /* Backwards, because removal moves the last entry (already checked) into the gap. */
    for (i = n->neighbour_count - 1; i >= 0; i--) {
        if (now - n->neighbours[i].heard_ms >= n->cfg.neighbour_timeout_ms) {
            uint32_t id = n->neighbours[i].id;
            table_remove(n, i);
            neighbour_down(n, id);
        }
    }
    if (!myco_ref_before(now, n->next_hello_ms)) {
        send_hello(n, now);
        n->next_hello_ms = now + jittered_interval(n->cfg.hello_interval_ms, myco_ref_rand(n));
    }
    deadline = n->next_hello_ms;
    for (i = 0; i < n->neighbour_count; i++) {
        uint32_t expiry = n->neighbours[i].heard_ms + n->cfg.neighbour_timeout_ms;
        if (myco_ref_before(expiry, deadline)) deadline = expiry;
    }
    return myco_ref_before(deadline, now) ? 0 : deadline - now;
}
