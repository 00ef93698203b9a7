#include "myco_tree_link.h"

#include <string.h>

#include "myco_hermes.h"

/* Shared transmit buffer: sends come one at a time from the shell's thread. */
static uint8_t g_dgram[MYCO_TREE_DGRAM_MAX];

void myco_tree_init(myco_tree_link *t, uint16_t self, const uint8_t sta_mac[6],
                    const myco_tree_ops *ops, myco_frame_queue *q)
{
    memset(t, 0, sizeof *t);
    t->self = self;
    memcpy(t->sta_mac, sta_mac, 6);
    t->ops = *ops;
    t->q = q;
    /* Not attached, not accepting: what a node advertises before the module says more. */
    t->advert = MYCO_WIFI_DEPTH_NONE;
}

static uint32_t header(myco_tree_link *t, uint8_t kind)
{
    g_dgram[0] = MYCO_TREE_MAGIC;
    g_dgram[1] = kind;
    g_dgram[2] = (uint8_t)t->self;
    g_dgram[3] = (uint8_t)(t->self >> 8);
    return MYCO_TREE_HEADER_BYTES;
}

static int send_dgram(myco_tree_link *t, const uint8_t ip[4], uint32_t len)
{
    if (t->ops.udp_send(t->ops.ctx, ip, g_dgram, len) == 0) return 0;
    t->tx_refused++;
    return -1;
}

static void send_control(myco_tree_link *t, const uint8_t ip[4], uint8_t kind)
{
    uint32_t n = header(t, kind);
    if (kind == MYCO_TREE_HELLO) {
        memcpy(g_dgram + n, t->sta_mac, 6);
        n += 6;
    }
    send_dgram(t, ip, n);
}

static void send_hello(myco_tree_link *t, uint32_t now)
{
    uint8_t ip[4];
    myco_hermes_ap_ip(t->parent, ip);
    send_control(t, ip, MYCO_TREE_HELLO);
    t->hello_tries++;
    t->hello_at = now + MYCO_TREE_HELLO_RETRY_MS;
}

static myco_tree_child *child_by_id(myco_tree_link *t, uint16_t id)
{
    uint32_t i;
    for (i = 0; i < MYCO_TREE_CHILDREN_MAX; i++)
        if (t->children[i].state != MYCO_TREE_CHILD_FREE && t->children[i].id == id)
            return &t->children[i];
    return NULL;
}

static myco_tree_child *child_free(myco_tree_link *t)
{
    uint32_t i;
    for (i = 0; i < MYCO_TREE_CHILDREN_MAX; i++)
        if (t->children[i].state == MYCO_TREE_CHILD_FREE) return &t->children[i];
    return NULL;
}

static int scanned(const myco_tree_link *t, uint16_t id)
{
    uint32_t i;
    for (i = 0; i < t->found_count; i++)
        if (t->found[i].id == id) return (int)i;
    return -1;
}

/* Drops the parent without telling the module (LEAVE, or the start of a new JOIN). */
static void forget_parent(myco_tree_link *t)
{
    if (t->parent) t->ops.disconnect(t->ops.ctx);
    t->parent = 0;
    t->parent_up = 0;
    t->welcomed = 0;
    if (t->busy == MYCO_TREE_JOINING) t->busy = MYCO_TREE_IDLE;
}

int32_t myco_tree_wifi(myco_tree_link *t, uint32_t op, uint32_t arg, uint32_t now)
{
    myco_tree_child *c;
    int i;
    switch (op) {
    case MYCO_WIFI_SCAN:
        if (t->busy != MYCO_TREE_IDLE) return MYCO_WIFI_BUSY;
        if (t->ops.scan_start(t->ops.ctx) != 0) return MYCO_WIFI_BUSY;
        t->busy = MYCO_TREE_SCANNING;
        t->found_count = 0;
        t->heard_count = 0;
        return 0;
    case MYCO_WIFI_JOIN:
        if (t->busy != MYCO_TREE_IDLE) return MYCO_WIFI_BUSY;
        i = arg <= 0xFFFEu && arg != 0 ? scanned(t, (uint16_t)arg) : -1;
        if (i < 0) return MYCO_WIFI_UNKNOWN;
        /* A station has one AP: joining another leaves the current one first. */
        forget_parent(t);
        t->busy = MYCO_TREE_JOINING;
        t->parent = (uint16_t)arg;
        t->join_started = now;
        t->hello_tries = 0;
        if (t->ops.connect(t->ops.ctx, t->parent, t->found[i].bssid, t->found[i].channel) != 0) {
            /* Reported as an event, never inside the call, as the simulator does. */
            myco_frame_queue_push_link(t->q, MYCO_LINK_JOIN_FAILED, t->parent, NULL, 0);
            t->busy = MYCO_TREE_IDLE;
            t->parent = 0;
        }
        return 0;
    case MYCO_WIFI_LEAVE:
        forget_parent(t);
        return 0;
    case MYCO_WIFI_ADVERTISE:
        t->advert = arg & 0xFFFFFFu;
        t->ops.advertise(t->ops.ctx, t->advert);
        return 0;
    case MYCO_WIFI_RELEASE:
        c = arg <= 0xFFFEu ? child_by_id(t, (uint16_t)arg) : NULL;
        if (!c || c->state != MYCO_TREE_CHILD_UP) return MYCO_WIFI_UNKNOWN;
        send_control(t, c->ip, MYCO_TREE_RELEASE);
        c->state = MYCO_TREE_CHILD_RELEASED;
        myco_frame_queue_push_link(t->q, MYCO_LINK_CHILD_DOWN, c->id, NULL, 0);
        return 0;
    default:
        return MYCO_WIFI_NOT_AVAILABLE;
    }
}

int32_t myco_tree_send(myco_tree_link *t, uint16_t dst, const uint8_t *frame, uint32_t len)
{
    uint8_t ip[4];
    uint32_t n, i;
    int32_t result = MYCO_SEND_OK;
    myco_tree_child *c;
    if (len > MYCO_FRAME_MAX) return MYCO_SEND_TOO_LONG;
    if (dst == MYCO_NODE_NONE) return MYCO_SEND_BAD_DST;
    n = header(t, MYCO_TREE_DATA);
    memcpy(g_dgram + n, frame, len);
    n += len;
    if (dst == MYCO_BROADCAST) {
        if (t->parent_up) {
            myco_hermes_ap_ip(t->parent, ip);
            if (send_dgram(t, ip, n) != 0) result = MYCO_SEND_QUEUE_FULL;
        }
        for (i = 0; i < MYCO_TREE_CHILDREN_MAX; i++)
            if (t->children[i].state == MYCO_TREE_CHILD_UP &&
                send_dgram(t, t->children[i].ip, n) != 0)
                result = MYCO_SEND_QUEUE_FULL;
        return result;
    }
    if (t->parent_up && dst == t->parent) {
        myco_hermes_ap_ip(t->parent, ip);
        return send_dgram(t, ip, n) == 0 ? MYCO_SEND_OK : MYCO_SEND_QUEUE_FULL;
    }
    c = child_by_id(t, dst);
    if (!c || c->state != MYCO_TREE_CHILD_UP) return MYCO_SEND_BAD_DST;
    return send_dgram(t, c->ip, n) == 0 ? MYCO_SEND_OK : MYCO_SEND_QUEUE_FULL;
}

void myco_tree_heard_beacon(myco_tree_link *t, const uint8_t bssid[6], const myco_beacon *b)
{
    uint32_t i;
    if (t->busy != MYCO_TREE_SCANNING) return;
    for (i = 0; i < t->heard_count; i++)
        if (memcmp(t->heard[i].bssid, bssid, 6) == 0) break;
    if (i == t->heard_count) {
        if (t->heard_count == MYCO_TREE_SCAN_MAX) return;
        t->heard_count++;
    }
    memcpy(t->heard[i].bssid, bssid, 6);
    t->heard[i].b = *b; /* the latest beacon of that softAP wins */
}

void myco_tree_scan_result(myco_tree_link *t, const char *ssid, const uint8_t bssid[6],
                           uint8_t channel, int32_t rssi)
{
    uint16_t id = myco_hermes_parse_ssid(ssid);
    myco_tree_ap *ap;
    uint32_t i, weakest = 0;
    int k;
    if (t->busy != MYCO_TREE_SCANNING || id == 0 || id == t->self) return;
    if (rssi < -128) rssi = -128;
    if (rssi > 127) rssi = 127;
    k = scanned(t, id);
    if (k >= 0) {
        /* The same node on two channels or twice in a list: keep the stronger. */
        if (rssi <= t->found[k].rssi) return;
        ap = &t->found[k];
    } else if (t->found_count < MYCO_TREE_SCAN_MAX) {
        ap = &t->found[t->found_count++];
    } else {
        for (i = 1; i < t->found_count; i++)
            if (t->found[i].rssi < t->found[weakest].rssi) weakest = i;
        if (rssi <= t->found[weakest].rssi) return;
        ap = &t->found[weakest];
    }
    ap->id = id;
    ap->rssi = (int8_t)rssi;
    memcpy(ap->bssid, bssid, 6);
    ap->channel = channel;
}

/* Strongest first, then lower id: the simulator's order. */
static int before(const myco_tree_ap *a, const myco_tree_ap *b)
{
    return a->rssi != b->rssi ? a->rssi > b->rssi : a->id < b->id;
}

void myco_tree_scan_done(myco_tree_link *t)
{
    uint8_t records[MYCO_TREE_SCAN_MAX * MYCO_WIFI_SCAN_RECORD_BYTES];
    uint32_t i, j;
    if (t->busy != MYCO_TREE_SCANNING) return;
    for (i = 1; i < t->found_count; i++) {
        myco_tree_ap a = t->found[i];
        for (j = i; j > 0 && before(&a, &t->found[j - 1]); j--) t->found[j] = t->found[j - 1];
        t->found[j] = a;
    }
    for (i = 0; i < t->found_count; i++) {
        myco_tree_ap *ap = &t->found[i];
        uint8_t *r = records + i * MYCO_WIFI_SCAN_RECORD_BYTES;
        ap->advert.id = ap->id;
        ap->advert.depth = MYCO_WIFI_DEPTH_NONE;
        ap->advert.children = 0;
        ap->advert.flags = 0;
        for (j = 0; j < t->heard_count; j++)
            if (memcmp(t->heard[j].bssid, ap->bssid, 6) == 0 && t->heard[j].b.id == ap->id)
                ap->advert = t->heard[j].b;
        r[0] = (uint8_t)ap->id;
        r[1] = (uint8_t)(ap->id >> 8);
        r[2] = (uint8_t)ap->rssi;
        r[3] = ap->advert.depth;
        r[4] = ap->advert.children;
        r[5] = ap->advert.flags;
    }
    t->busy = MYCO_TREE_IDLE;
    myco_frame_queue_push_link(t->q, MYCO_LINK_SCAN_DONE, (uint16_t)t->found_count, records,
                               t->found_count * MYCO_WIFI_SCAN_RECORD_BYTES);
}

void myco_tree_sta_got_ip(myco_tree_link *t, uint32_t now)
{
    if (t->busy != MYCO_TREE_JOINING || !t->parent) return;
    t->busy = MYCO_TREE_IDLE;
    t->parent_up = 1;
    t->welcomed = 0;
    t->hello_tries = 0;
    myco_frame_queue_push_link(t->q, MYCO_LINK_UP, t->parent, NULL, 0);
    send_hello(t, now);
}

void myco_tree_sta_lost(myco_tree_link *t)
{
    uint16_t parent = t->parent;
    if (!parent) return; /* after LEAVE or RELEASE: already reported, or not to be */
    if (t->busy == MYCO_TREE_JOINING) {
        t->busy = MYCO_TREE_IDLE;
        myco_frame_queue_push_link(t->q, MYCO_LINK_JOIN_FAILED, parent, NULL, 0);
    } else if (t->parent_up) {
        myco_frame_queue_push_link(t->q, MYCO_LINK_DOWN, parent, NULL, 0);
    }
    /* Stops the driver's own reconnection: the module decides where to go next. */
    t->ops.disconnect(t->ops.ctx);
    t->parent = 0;
    t->parent_up = 0;
    t->welcomed = 0;
}

void myco_tree_station_left(myco_tree_link *t, const uint8_t mac[6])
{
    uint32_t i;
    for (i = 0; i < MYCO_TREE_CHILDREN_MAX; i++) {
        myco_tree_child *c = &t->children[i];
        if (c->state == MYCO_TREE_CHILD_FREE || memcmp(c->mac, mac, 6) != 0) continue;
        if (c->state == MYCO_TREE_CHILD_UP)
            myco_frame_queue_push_link(t->q, MYCO_LINK_CHILD_DOWN, c->id, NULL, 0);
        c->state = MYCO_TREE_CHILD_FREE;
    }
}

static void from_parent(myco_tree_link *t, uint8_t kind, const uint8_t *body, uint32_t len,
                        int32_t rssi)
{
    switch (kind) {
    case MYCO_TREE_DATA:
        myco_frame_queue_push_frame(t->q, t->parent, body, len, rssi);
        break;
    case MYCO_TREE_WELCOME:
        t->welcomed = 1;
        break;
    case MYCO_TREE_RELEASE:
        /* Released: DOWN at once, not after the beacon-loss timeout. */
        myco_frame_queue_push_link(t->q, MYCO_LINK_DOWN, t->parent, NULL, 0);
        t->ops.disconnect(t->ops.ctx);
        t->parent = 0;
        t->parent_up = 0;
        t->welcomed = 0;
        break;
    default:
        t->rx_dropped++;
    }
}

static void from_child(myco_tree_link *t, uint16_t src, const uint8_t ip[4], uint8_t kind,
                       const uint8_t *body, uint32_t len)
{
    myco_tree_child *c = child_by_id(t, src);
    if (c && c->state == MYCO_TREE_CHILD_RELEASED) {
        send_control(t, ip, MYCO_TREE_RELEASE);
        return;
    }
    if (kind == MYCO_TREE_HELLO) {
        if (len < 6) {
            t->rx_dropped++;
            return;
        }
        if (!c) {
            c = child_free(t);
            if (!c) {
                t->children_full++;
                return;
            }
            c->id = src;
            c->state = MYCO_TREE_CHILD_UP;
            memcpy(c->ip, ip, 4);
            memcpy(c->mac, body, 6);
            myco_frame_queue_push_link(t->q, MYCO_LINK_CHILD_UP, src, NULL, 0);
        }
        memcpy(c->ip, ip, 4);
        memcpy(c->mac, body, 6);
        send_control(t, ip, MYCO_TREE_WELCOME);
        return;
    }
    if (kind != MYCO_TREE_DATA || !c) {
        /* Data before HELLO: the child repeats HELLO, frames flow once it is registered. */
        t->rx_dropped++;
        return;
    }
    memcpy(c->ip, ip, 4); /* a renewed lease may change it */
    myco_frame_queue_push_frame(t->q, src, body, len, MYCO_TREE_CHILD_RSSI);
}

void myco_tree_datagram(myco_tree_link *t, const uint8_t src_ip[4], const uint8_t *data,
                        uint32_t len, int32_t rssi, uint32_t now)
{
    uint16_t src;
    (void)now;
    if (len < MYCO_TREE_HEADER_BYTES || data[0] != MYCO_TREE_MAGIC) {
        t->rx_dropped++;
        return;
    }
    src = (uint16_t)(data[2] | data[3] << 8);
    if (src == 0 || src == MYCO_BROADCAST || src == t->self) {
        t->rx_dropped++;
        return;
    }
    if (t->parent_up && src == t->parent && myco_hermes_id_of_ap_ip(src_ip) == src) {
        from_parent(t, data[1], data + MYCO_TREE_HEADER_BYTES, len - MYCO_TREE_HEADER_BYTES, rssi);
        return;
    }
    if (myco_hermes_in_subnet(t->self, src_ip)) {
        from_child(t, src, src_ip, data[1], data + MYCO_TREE_HEADER_BYTES,
                   len - MYCO_TREE_HEADER_BYTES);
        return;
    }
    t->rx_dropped++;
}

void myco_tree_tick(myco_tree_link *t, uint32_t now)
{
    if (t->busy == MYCO_TREE_JOINING && (int32_t)(now - t->join_started) >= (int32_t)MYCO_TREE_JOIN_LIMIT_MS) {
        myco_tree_sta_lost(t);
        return;
    }
    if (t->parent_up && !t->welcomed && t->hello_tries < MYCO_TREE_HELLO_TRIES &&
        (int32_t)(now - t->hello_at) >= 0)
        send_hello(t, now);
}

uint32_t myco_tree_next_ms(const myco_tree_link *t, uint32_t now)
{
    int32_t d;
    if (t->busy == MYCO_TREE_JOINING) {
        d = (int32_t)(t->join_started + MYCO_TREE_JOIN_LIMIT_MS - now);
        return d > 0 ? (uint32_t)d : 0;
    }
    if (t->parent_up && !t->welcomed && t->hello_tries < MYCO_TREE_HELLO_TRIES) {
        d = (int32_t)(t->hello_at - now);
        return d > 0 ? (uint32_t)d : 0;
    }
    return MYCO_NO_DEADLINE;
}
