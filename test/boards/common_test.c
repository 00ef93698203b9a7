/* Host checks of the shared board logic in hal/boards/common (run by
 * test/boards-logic.test.ts). */
#include <string.h>

#include "check.h"
#include "myco_beacon.h"
#include "myco_cfg_store.h"
#include "myco_console.h"
#include "myco_crc16.h"
#include "myco_frame_queue.h"
#include "myco_hal.h"
#include "myco_hermes.h"
#include "myco_peer_table.h"
#include "myco_radio.h"
#include "myco_tree_link.h"
#include "myco_wait.h"

static void crc16_check_value(void)
{
    /* The catalogue check value of CRC-16/CCITT-FALSE. */
    CHECK(myco_crc16((const uint8_t *)"123456789", 9) == 0x29B1u);
    CHECK(myco_crc16(NULL, 0) == 0xFFFFu);
}

static void frame_queue_order_and_overflow(void)
{
    static myco_frame_queue q;
    uint8_t buf[256], data[4] = {1, 2, 3, 4};
    myco_wake w;
    uint32_t i;
    myco_frame_queue_init(&q);
    CHECK(myco_frame_queue_empty(&q));
    CHECK(myco_frame_queue_pop(&q, buf, sizeof buf, &w) == 0);
    for (i = 0; i < MYCO_FRAME_QUEUE_SLOTS; i++) {
        data[0] = (uint8_t)i;
        CHECK(myco_frame_queue_push_frame(&q, (uint16_t)(10 + i), data, 4, -40 - (int32_t)i) == 0);
    }
    CHECK(myco_frame_queue_push_frame(&q, 99, data, 4, -40) == -1);
    CHECK(q.dropped_full == 1);
    for (i = 0; i < MYCO_FRAME_QUEUE_SLOTS; i++) {
        memset(&w, 0xAA, sizeof w);
        CHECK(myco_frame_queue_pop(&q, buf, sizeof buf, &w) == 1);
        CHECK(w.kind == MYCO_WAKE_FRAME && w.peer == 10 + i && w.len == 4 && buf[0] == i);
        CHECK(w.rssi == -40 - (int32_t)i);
    }
    CHECK(myco_frame_queue_empty(&q));
    /* Indices run on past the ring size and wrap. */
    for (i = 0; i < 3 * MYCO_FRAME_QUEUE_SLOTS; i++) {
        CHECK(myco_frame_queue_push_link(&q, MYCO_LINK_TX_FAILED, (uint16_t)i, NULL, 0) == 0);
        CHECK(myco_frame_queue_pop(&q, buf, sizeof buf, &w) == 1);
        CHECK(w.kind == MYCO_WAKE_LINK && w.link_event == MYCO_LINK_TX_FAILED && w.peer == i);
    }
}

static void frame_queue_length_limits(void)
{
    static myco_frame_queue q;
    uint8_t big[MYCO_FRAME_MAX + 1], buf[64], recs[10 * MYCO_WIFI_SCAN_RECORD_BYTES];
    myco_wake w;
    uint32_t i;
    myco_frame_queue_init(&q);
    memset(big, 7, sizeof big);
    CHECK(myco_frame_queue_push_frame(&q, 1, big, MYCO_FRAME_MAX + 1, 0) == -1);
    CHECK(q.dropped_long == 1);
    /* A frame longer than the reader's inbox is dropped whole; the next one comes through. */
    CHECK(myco_frame_queue_push_frame(&q, 1, big, 100, 0) == 0);
    CHECK(myco_frame_queue_push_frame(&q, 2, big, 10, 0) == 0);
    CHECK(myco_frame_queue_pop(&q, buf, sizeof buf, &w) == 1);
    CHECK(w.peer == 2 && w.len == 10 && q.dropped_long == 2);
    /* SCAN_DONE records are cut to whole records that fit, and the count follows. */
    for (i = 0; i < sizeof recs; i++) recs[i] = (uint8_t)i;
    CHECK(myco_frame_queue_push_link(&q, MYCO_LINK_SCAN_DONE, 10, recs, sizeof recs) == 0);
    CHECK(myco_frame_queue_pop(&q, buf, 64, &w) == 1);
    CHECK(w.link_event == MYCO_LINK_SCAN_DONE && w.peer == 10 && w.len == 60);
    CHECK(memcmp(buf, recs, 60) == 0);
    CHECK(myco_frame_queue_push_link(&q, MYCO_LINK_SCAN_DONE, 10, recs, sizeof recs) == 0);
    CHECK(myco_frame_queue_pop(&q, buf, 40, &w) == 1);
    CHECK(w.peer == 6 && w.len == 36);
}

static void peer_table_lru(void)
{
    static myco_peer_table t;
    uint8_t mac[6] = {0x24, 0x0A, 0xC4, 0, 0, 0};
    myco_peer ev;
    uint32_t i;
    myco_peer_table_init(&t);
    for (i = 1; i <= MYCO_PEER_TABLE_CAP; i++) {
        mac[5] = (uint8_t)i;
        CHECK(myco_peer_table_learn(&t, (uint16_t)i, mac, &ev) == MYCO_PEER_ADDED);
    }
    mac[5] = 3;
    CHECK(myco_peer_table_learn(&t, 3, mac, &ev) == MYCO_PEER_KNOWN);
    /* Node 1 was used last of all but node 2 is older still after this lookup. */
    CHECK(myco_peer_table_mac(&t, 1) != NULL);
    mac[5] = 200;
    CHECK(myco_peer_table_learn(&t, 200, mac, &ev) == MYCO_PEER_EVICTED);
    CHECK(ev.id == 2 && ev.mac[5] == 2);
    CHECK(myco_peer_table_mac(&t, 2) == NULL);
    CHECK(myco_peer_table_mac(&t, 200)[5] == 200);
    CHECK(myco_peer_table_id(&t, mac) == 200);
    mac[5] = 201;
    CHECK(myco_peer_table_learn(&t, 200, mac, &ev) == MYCO_PEER_CHANGED);
    CHECK(ev.mac[5] == 200 && myco_peer_table_mac(&t, 200)[5] == 201);
    CHECK(myco_peer_table_mac(&t, 0) == NULL);
}

static void hermes_addressing(void)
{
    const uint8_t mac[6] = {0x5C, 0xCF, 0x7F, 0x12, 0xAB, 0xCD};
    const uint8_t bad[6] = {0, 0, 0, 0, 0xFF, 0xFF};
    uint8_t ip[4], m[6], mask[4];
    char ssid[MYCO_HERMES_SSID_MAX];
    CHECK(myco_hermes_id_from_mac(mac) == 0xABCD);
    CHECK(myco_hermes_id_from_mac(bad) == 0);
    /* HERMES: 10.<MAC[4]>.<MAC[5]>.1 */
    myco_hermes_ap_ip(myco_hermes_id_from_mac(mac), ip);
    CHECK(ip[0] == 10 && ip[1] == 0xAB && ip[2] == 0xCD && ip[3] == 1);
    CHECK(myco_hermes_id_of_ap_ip(ip) == 0xABCD);
    ip[3] = 7;
    CHECK(myco_hermes_id_of_ap_ip(ip) == 0);
    CHECK(myco_hermes_in_subnet(0xABCD, ip));
    CHECK(!myco_hermes_in_subnet(0xABCE, ip));
    ip[3] = 1;
    CHECK(!myco_hermes_in_subnet(0xABCD, ip)); /* the softAP itself is no station */
    myco_hermes_netmask(mask);
    CHECK(mask[0] == 255 && mask[2] == 255 && mask[3] == 0);
    myco_hermes_mac_for_id(0x0102, m);
    CHECK((m[0] & 0x03) == 0x02 && myco_hermes_id_from_mac(m) == 0x0102);
    CHECK(myco_hermes_ssid(0x00AF, ssid) == strlen(MYCO_TREE_SSID_PREFIX) + 4);
    CHECK(strcmp(ssid, MYCO_TREE_SSID_PREFIX "00af") == 0);
    CHECK(myco_hermes_parse_ssid(ssid) == 0x00AF);
    CHECK(myco_hermes_parse_ssid(MYCO_TREE_SSID_PREFIX "00AF") == 0x00AF);
    CHECK(myco_hermes_parse_ssid(MYCO_TREE_SSID_PREFIX "0000") == 0);
    CHECK(myco_hermes_parse_ssid(MYCO_TREE_SSID_PREFIX "ffff") == 0);
    CHECK(myco_hermes_parse_ssid(MYCO_TREE_SSID_PREFIX "12345") == 0);
    CHECK(myco_hermes_parse_ssid(MYCO_TREE_SSID_PREFIX "12g4") == 0);
    CHECK(myco_hermes_parse_ssid("HomeNet") == 0);
}

static void hermes_node_id(void)
{
    const uint8_t own[6] = {0x5C, 0xCF, 0x7F, 0x12, 0xAB, 0xCD};
    uint8_t mac[6];
    uint16_t id = 7;
    /* No id in the settings: the MAC's, and the MAC stays. */
    memcpy(mac, own, 6);
    CHECK(myco_hermes_node_id(0, mac, &id) == 0 && id == 0xABCD && memcmp(mac, own, 6) == 0);
    /* A configured id the MAC already ends in needs no new MAC. */
    CHECK(myco_hermes_node_id(0xABCD, mac, &id) == 0 && id == 0xABCD && memcmp(mac, own, 6) == 0);
    /* Any other configured id: the MAC becomes the locally administered one ending in it. */
    CHECK(myco_hermes_node_id(0x0102, mac, &id) == 1 && id == 0x0102);
    CHECK(mac[0] == 0x02 && myco_hermes_id_from_mac(mac) == 0x0102);
    /* A MAC that gives no id and no configured one: 0, the board refuses to start. */
    memset(mac, 0xFF, 6);
    CHECK(myco_hermes_node_id(0, mac, &id) == 0 && id == 0 && mac[5] == 0xFF);
}

static uint32_t radio_polled_at;
static int32_t radio_wifi_op(uint32_t op, uint32_t arg)
{
    return (int32_t)(op + arg);
}
static void radio_poll_at(uint32_t now)
{
    radio_polled_at = now;
}
static uint32_t radio_next_in(uint32_t now)
{
    return now + 1u;
}

static void radio_table_defaults(void)
{
    const myco_radio bare = {NULL, NULL, NULL, NULL, NULL, NULL};
    const myco_radio full = {NULL, NULL, NULL, radio_wifi_op, radio_poll_at, radio_next_in};
    /* A radio without a tree link, polled work or timers: what mesh mode hands the shim. */
    CHECK(myco_radio_wifi(&bare, MYCO_WIFI_SCAN, 0) == MYCO_WIFI_NOT_AVAILABLE);
    CHECK(myco_radio_next_ms(&bare, 5) == MYCO_NO_DEADLINE);
    radio_polled_at = 0;
    myco_radio_poll(&bare, 9);
    CHECK(radio_polled_at == 0);
    CHECK(myco_radio_wifi(&full, 3, 4) == 7);
    CHECK(myco_radio_next_ms(&full, 5) == 6);
    myco_radio_poll(&full, 9);
    CHECK(radio_polled_at == 9);
}

static void beacon_element(void)
{
    uint8_t ie[MYCO_BEACON_IE_BYTES];
    const uint8_t oui[3] = {MYCO_BEACON_OUI0, MYCO_BEACON_OUI1, MYCO_BEACON_OUI2};
    const uint8_t other[3] = {0x00, 0x50, 0xF2};
    myco_beacon b;
    myco_beacon_ie(0x1234, 2u | 3u << 8 | (uint32_t)MYCO_WIFI_FLAG_ACCEPTING << 16, ie);
    CHECK(ie[0] == 0xDD && ie[1] == MYCO_BEACON_IE_BYTES - 2);
    CHECK(memcmp(ie + 2, oui, 3) == 0 && ie[5] == MYCO_BEACON_OUI_TYPE);
    CHECK(myco_beacon_parse(ie + 2, ie[5], ie + 6, MYCO_BEACON_BODY_BYTES, &b) == 0);
    CHECK(b.id == 0x1234 && b.depth == 2 && b.children == 3 && b.flags == MYCO_WIFI_FLAG_ACCEPTING);
    CHECK(myco_beacon_parse(other, ie[5], ie + 6, MYCO_BEACON_BODY_BYTES, &b) == -1);
    CHECK(myco_beacon_parse(oui, 9, ie + 6, MYCO_BEACON_BODY_BYTES, &b) == -1);
    CHECK(myco_beacon_parse(oui, ie[5], ie + 6, MYCO_BEACON_BODY_BYTES - 1, &b) == -1);
}

static void cfg_store_round_trip(void)
{
    static myco_cfg_stored s, back;
    uint8_t bytes[MYCO_CFG_STORE_MAX], erased[MYCO_CFG_STORE_MAX];
    uint32_t n, v = 0;
    char err[200];
    myco_cfg_store_defaults(&s);
    s.node_id = 0x0203;
    CHECK(myco_config_set(&s.config, "route_mode=1", err, sizeof err) == 0);
    CHECK(myco_config_set(&s.config, "hello_interval_ms=700", err, sizeof err) == 0);
    n = myco_cfg_store_encode(&s, bytes, sizeof bytes);
    CHECK(n == MYCO_CFG_STORE_HEAD + s.config.len + 2);
    CHECK(memcmp(bytes, "MYC1", 4) == 0 && bytes[4] == 3 && bytes[5] == 2);
    CHECK(myco_cfg_store_encode(&s, bytes, n - 1) == 0);
    CHECK(myco_cfg_store_decode(bytes, n, &back) == MYCO_CFG_STORE_OK);
    CHECK(back.node_id == 0x0203 && back.config.len == s.config.len);
    CHECK(memcmp(back.config.bytes, s.config.bytes, s.config.len) == 0);
    CHECK(myco_cfg_blob_value(back.config.bytes, back.config.len, MYCO_CFG_ROUTE_MODE, &v) == 1 && v == 1);
    CHECK(myco_cfg_blob_value(back.config.bytes, back.config.len, MYCO_CFG_HELLO_INTERVAL_MS, &v) == 1 && v == 700);
    CHECK(myco_cfg_blob_value(back.config.bytes, back.config.len, MYCO_CFG_MTU, &v) == 0);
    /* Erased flash, a flipped bit, a length past the record. */
    memset(erased, 0xFF, sizeof erased);
    CHECK(myco_cfg_store_decode(erased, sizeof erased, &back) == MYCO_CFG_STORE_EMPTY);
    CHECK(back.node_id == 0 && back.config.len == 0);
    bytes[MYCO_CFG_STORE_HEAD] ^= 1;
    CHECK(myco_cfg_store_decode(bytes, n, &back) == MYCO_CFG_STORE_CORRUPT);
    bytes[MYCO_CFG_STORE_HEAD] ^= 1;
    CHECK(myco_cfg_store_decode(bytes, n - 1, &back) == MYCO_CFG_STORE_CORRUPT);
    /* A blob whose record runs past its end is malformed. */
    {
        const uint8_t broken[] = {MYCO_CFG_MTU, 4, 1, 2};
        CHECK(myco_cfg_blob_value(broken, sizeof broken, MYCO_CFG_MTU, &v) == -1);
    }
    CHECK(myco_cfg_blob_remove(&s.config, MYCO_CFG_ROUTE_MODE) == 1);
    CHECK(myco_cfg_blob_value(s.config.bytes, s.config.len, MYCO_CFG_ROUTE_MODE, &v) == 0);
    CHECK(myco_cfg_blob_value(s.config.bytes, s.config.len, MYCO_CFG_HELLO_INTERVAL_MS, &v) == 1 && v == 700);
    CHECK(myco_cfg_blob_remove(&s.config, MYCO_CFG_ROUTE_MODE) == 0);
}

static char g_lines[4096];
static void collect(const char *line, void *ctx)
{
    (void)ctx;
    strcat(g_lines, line);
    strcat(g_lines, "\n");
}

static myco_console_action feed(myco_console *c, const char *text)
{
    myco_console_action a = MYCO_CONSOLE_NONE, r;
    g_lines[0] = '\0';
    while (*text) {
        r = myco_console_feed(c, (uint8_t)*text++);
        if (r != MYCO_CONSOLE_NONE) a = r;
    }
    return a;
}

static void console_commands(void)
{
    static myco_cfg_stored s;
    static myco_console c;
    uint32_t v = 0, i;
    myco_cfg_store_defaults(&s);
    myco_console_init(&c, &s, collect, NULL);
    CHECK(feed(&c, "set hello_interval_ms=500\r\n") == MYCO_CONSOLE_NONE);
    CHECK(strcmp(g_lines, "console ok set hello_interval_ms=500\n") == 0);
    CHECK(myco_cfg_blob_value(s.config.bytes, s.config.len, MYCO_CFG_HELLO_INTERVAL_MS, &v) == 1 && v == 500);
    feed(&c, "set hello_interval_ms=1\n");
    CHECK(strncmp(g_lines, "console error set: ", 19) == 0);
    feed(&c, "  set   orch_step_costs=100,200  \n");
    CHECK(strcmp(g_lines, "console ok set orch_step_costs=100,200\n") == 0);
    feed(&c, "id 42\n");
    CHECK(s.node_id == 42 && strcmp(g_lines, "console ok id 42\n") == 0);
    feed(&c, "show\n");
    CHECK(strcmp(g_lines, "config id=42\nconfig hello_interval_ms=500\nconfig orch_step_costs=100,200\n") == 0);
    feed(&c, "id 0\n");
    CHECK(s.node_id == 42 && strncmp(g_lines, "console error id:", 17) == 0);
    feed(&c, "id auto\n");
    CHECK(s.node_id == 0);
    feed(&c, "unset hello_interval_ms\n");
    CHECK(strcmp(g_lines, "console ok unset hello_interval_ms\n") == 0);
    CHECK(myco_cfg_blob_value(s.config.bytes, s.config.len, MYCO_CFG_HELLO_INTERVAL_MS, &v) == 0);
    feed(&c, "unset nonsense\n");
    CHECK(strncmp(g_lines, "console error unset:", 20) == 0);
    CHECK(feed(&c, "save\n") == MYCO_CONSOLE_SAVE);
    myco_console_saved(&c, 0);
    CHECK(strcmp(g_lines, "console ok save (applies at the next boot)\n") == 0);
    CHECK(feed(&c, "inspect\n") == MYCO_CONSOLE_REPORT);
    CHECK(feed(&c, "module\n") == MYCO_CONSOLE_MODULE);
    CHECK(feed(&c, "reboot\n") == MYCO_CONSOLE_REBOOT);
    feed(&c, "frobnicate now\n");
    CHECK(strcmp(g_lines, "console error unknown command \"frobnicate\"; try help\n") == 0);
    feed(&c, "clear\n");
    CHECK(s.config.len == 0);
    /* An overlong line is refused whole, and the console carries on. */
    g_lines[0] = '\0';
    for (i = 0; i < MYCO_CONSOLE_LINE_MAX + 20; i++) myco_console_feed(&c, 'x');
    CHECK(myco_console_feed(&c, '\n') == MYCO_CONSOLE_NONE);
    CHECK(strcmp(g_lines, "console error line too long\n") == 0);
    CHECK(feed(&c, "\n") == MYCO_CONSOLE_NONE && g_lines[0] == '\0');
    CHECK(feed(&c, "save\n") == MYCO_CONSOLE_SAVE);
}

/* ---- tree link: two nodes wired back to back ------------------------------------- */

typedef struct {
    myco_tree_link link;
    myco_frame_queue q;
    uint8_t mac[6];
    uint8_t sta_ip[4]; /* leased by the parent once joined */
    int scans, connects, disconnects;
    uint16_t connected_to;
    uint32_t advert;
    int refuse_udp;
    int sent;
} node;

static node g_parent, g_child, g_child2;
static node *g_nodes[3] = {&g_parent, &g_child, &g_child2};
static uint32_t g_now;

static node *by_self(uint16_t id)
{
    int i;
    for (i = 0; i < 3; i++)
        if (g_nodes[i]->link.self == id) return g_nodes[i];
    return NULL;
}

static int op_scan(void *ctx)
{
    ((node *)ctx)->scans++;
    return 0;
}
static int op_connect(void *ctx, uint16_t parent, const uint8_t bssid[6], uint8_t channel)
{
    node *n = ctx;
    (void)bssid;
    (void)channel;
    n->connects++;
    n->connected_to = parent;
    return 0;
}
static void op_disconnect(void *ctx)
{
    node *n = ctx;
    n->disconnects++;
    n->connected_to = 0;
}
static void op_advertise(void *ctx, uint32_t advert)
{
    ((node *)ctx)->advert = advert;
}
/* Delivers at once: to the node whose softAP address `ip` is, or to the station holding it. */
static int op_udp(void *ctx, const uint8_t ip[4], const uint8_t *d, uint32_t len)
{
    node *from = ctx, *to = NULL;
    uint8_t src[4];
    int i;
    if (from->refuse_udp) return -1;
    from->sent++;
    if (myco_hermes_id_of_ap_ip(ip)) {
        to = by_self(myco_hermes_id_of_ap_ip(ip));
        memcpy(src, from->sta_ip, 4); /* a child talks to its parent from its leased address */
    } else {
        for (i = 0; i < 3; i++)
            if (memcmp(g_nodes[i]->sta_ip, ip, 4) == 0) to = g_nodes[i];
        myco_hermes_ap_ip(from->link.self, src);
    }
    if (to) myco_tree_datagram(&to->link, src, d, len, -55, g_now);
    return 0;
}

static void node_init(node *n, uint16_t id, uint8_t mac_last)
{
    myco_tree_ops ops = {op_scan, op_connect, op_disconnect, op_advertise, op_udp, NULL};
    memset(n, 0, sizeof *n);
    ops.ctx = n;
    n->mac[0] = 0x5C;
    n->mac[5] = mac_last;
    myco_frame_queue_init(&n->q);
    myco_tree_init(&n->link, id, n->mac, &ops, &n->q);
}

static int pop(node *n, myco_wake *w, uint8_t *buf)
{
    return myco_frame_queue_pop(&n->q, buf, 256, w);
}

/* Joins `c` to `p` through a scan that saw p's beacon. */
static void join(node *c, node *p, uint8_t host)
{
    uint8_t bssid[6] = {0x5E, 0, 0, 0, 0, 0}, buf[256];
    myco_beacon b;
    myco_wake w;
    char ssid[MYCO_HERMES_SSID_MAX];
    bssid[5] = (uint8_t)p->link.self;
    CHECK(myco_tree_wifi(&c->link, MYCO_WIFI_SCAN, 0, g_now) == 0);
    b.id = p->link.self;
    b.depth = 0;
    b.children = 0;
    b.flags = MYCO_WIFI_FLAG_ACCEPTING | MYCO_WIFI_FLAG_ROOT_ATTACHED;
    myco_tree_heard_beacon(&c->link, bssid, &b);
    myco_hermes_ssid(p->link.self, ssid);
    myco_tree_scan_result(&c->link, ssid, bssid, 6, -50);
    myco_tree_scan_done(&c->link);
    CHECK(pop(c, &w, buf) == 1 && w.link_event == MYCO_LINK_SCAN_DONE && w.peer == 1);
    CHECK(myco_tree_wifi(&c->link, MYCO_WIFI_JOIN, p->link.self, g_now) == 0);
    CHECK(c->connected_to == p->link.self);
    c->sta_ip[0] = 10;
    c->sta_ip[1] = (uint8_t)(p->link.self >> 8);
    c->sta_ip[2] = (uint8_t)p->link.self;
    c->sta_ip[3] = host;
    myco_tree_sta_got_ip(&c->link, g_now);
}

static void tree_scan_records(void)
{
    uint8_t buf[256];
    uint8_t b1[6] = {1, 1, 1, 1, 1, 1}, b2[6] = {2, 2, 2, 2, 2, 2}, b3[6] = {3, 3, 3, 3, 3, 3};
    myco_beacon adv;
    myco_wake w;
    char ssid[MYCO_HERMES_SSID_MAX];
    node_init(&g_child, 0x0304, 4);
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_JOIN, 0x0102, 0) == MYCO_WIFI_UNKNOWN);
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_SCAN, 0, 0) == 0 && g_child.scans == 1);
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_SCAN, 0, 0) == MYCO_WIFI_BUSY);
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_JOIN, 0x0102, 0) == MYCO_WIFI_BUSY);
    adv.id = 0x0102;
    adv.depth = 1;
    adv.children = 2;
    adv.flags = MYCO_WIFI_FLAG_ACCEPTING | MYCO_WIFI_FLAG_ROOT_ATTACHED;
    myco_tree_heard_beacon(&g_child.link, b1, &adv);
    myco_hermes_ssid(0x0102, ssid);
    myco_tree_scan_result(&g_child.link, ssid, b1, 1, -70);
    myco_hermes_ssid(0x0009, ssid);
    myco_tree_scan_result(&g_child.link, ssid, b2, 1, -40);
    myco_tree_scan_result(&g_child.link, "CoffeeShop", b3, 1, -20);
    myco_hermes_ssid(0x0304, ssid); /* our own softAP seen by our station */
    myco_tree_scan_result(&g_child.link, ssid, b3, 1, -10);
    myco_hermes_ssid(0x0005, ssid);
    myco_tree_scan_result(&g_child.link, ssid, b3, 1, -70);
    myco_tree_scan_done(&g_child.link);
    CHECK(pop(&g_child, &w, buf) == 1);
    CHECK(w.kind == MYCO_WAKE_LINK && w.link_event == MYCO_LINK_SCAN_DONE && w.peer == 3 && w.len == 18);
    /* Strongest first; equal RSSI by id; an AP whose beacon element was not heard is not
     * attached (depth 255, no flags). */
    CHECK(buf[0] == 0x09 && buf[1] == 0 && (int8_t)buf[2] == -40 && buf[3] == 255 && buf[5] == 0);
    CHECK(buf[6] == 0x05 && (int8_t)buf[8] == -70 && buf[9] == 255);
    CHECK(buf[12] == 0x02 && buf[13] == 0x01 && (int8_t)buf[14] == -70 && buf[15] == 1 &&
          buf[16] == 2 && buf[17] == (MYCO_WIFI_FLAG_ACCEPTING | MYCO_WIFI_FLAG_ROOT_ATTACHED));
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_JOIN, 0x0777, 0) == MYCO_WIFI_UNKNOWN);
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_JOIN, 0x0102, 0) == 0);
    CHECK(g_child.connected_to == 0x0102);
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_SCAN, 0, 0) == MYCO_WIFI_BUSY);
    CHECK(myco_tree_wifi(&g_child.link, 99, 0, 0) == MYCO_WIFI_NOT_AVAILABLE);
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_ADVERTISE, 0x00010203u, 0) == 0 && g_child.advert == 0x010203u);
}

static void tree_join_and_frames(void)
{
    uint8_t buf[256], frame[3] = {0xA1, 0xA2, 0xA3};
    myco_wake w;
    g_now = 1000;
    node_init(&g_parent, 0x0102, 2);
    node_init(&g_child, 0x0304, 4);
    node_init(&g_child2, 0x0506, 6);
    join(&g_child, &g_parent, 2);
    /* UP at the child, then HELLO makes the parent register it (CHILD_UP) and WELCOME it. */
    CHECK(pop(&g_child, &w, buf) == 1 && w.link_event == MYCO_LINK_UP && w.peer == 0x0102);
    CHECK(pop(&g_parent, &w, buf) == 1 && w.link_event == MYCO_LINK_CHILD_UP && w.peer == 0x0304);
    CHECK(g_child.link.welcomed);
    CHECK(myco_tree_next_ms(&g_child.link, g_now) == MYCO_NO_DEADLINE);
    /* Frames both ways, with the sender's id as source. */
    CHECK(myco_tree_send(&g_child.link, 0x0102, frame, 3) == MYCO_SEND_OK);
    CHECK(pop(&g_parent, &w, buf) == 1 && w.kind == MYCO_WAKE_FRAME && w.peer == 0x0304 && w.len == 3 && buf[2] == 0xA3);
    CHECK(w.rssi == MYCO_TREE_CHILD_RSSI);
    CHECK(myco_tree_send(&g_parent.link, 0x0304, frame, 3) == MYCO_SEND_OK);
    CHECK(pop(&g_child, &w, buf) == 1 && w.kind == MYCO_WAKE_FRAME && w.peer == 0x0102 && w.rssi == -55);
    CHECK(myco_tree_send(&g_parent.link, 0x0999, frame, 3) == MYCO_SEND_BAD_DST);
    CHECK(myco_tree_send(&g_parent.link, 0, frame, 3) == MYCO_SEND_BAD_DST);
    CHECK(myco_tree_send(&g_parent.link, 0x0304, frame, MYCO_FRAME_MAX + 1) == MYCO_SEND_TOO_LONG);
    /* Broadcast reaches the parent and every child. */
    join(&g_child2, &g_parent, 3);
    CHECK(pop(&g_child2, &w, buf) == 1 && w.link_event == MYCO_LINK_UP);
    CHECK(pop(&g_parent, &w, buf) == 1 && w.link_event == MYCO_LINK_CHILD_UP && w.peer == 0x0506);
    CHECK(myco_tree_send(&g_parent.link, MYCO_BROADCAST, frame, 3) == MYCO_SEND_OK);
    CHECK(pop(&g_child, &w, buf) == 1 && w.kind == MYCO_WAKE_FRAME);
    CHECK(pop(&g_child2, &w, buf) == 1 && w.kind == MYCO_WAKE_FRAME);
    CHECK(myco_tree_send(&g_child.link, MYCO_BROADCAST, frame, 3) == MYCO_SEND_OK);
    CHECK(pop(&g_parent, &w, buf) == 1 && w.peer == 0x0304);
    CHECK(pop(&g_child2, &w, buf) == 0); /* siblings hear each other only through the parent */
    g_parent.refuse_udp = 1;
    CHECK(myco_tree_send(&g_parent.link, 0x0304, frame, 3) == MYCO_SEND_QUEUE_FULL);
    g_parent.refuse_udp = 0;
}

static void tree_release_leave_and_loss(void)
{
    uint8_t buf[256], frame[1] = {1};
    myco_wake w;
    tree_join_and_frames();
    /* RELEASE: the parent reports CHILD_DOWN, the child DOWN at once and leaves. */
    CHECK(myco_tree_wifi(&g_parent.link, MYCO_WIFI_RELEASE, 0x0999, g_now) == MYCO_WIFI_UNKNOWN);
    CHECK(myco_tree_wifi(&g_parent.link, MYCO_WIFI_RELEASE, 0x0304, g_now) == 0);
    CHECK(pop(&g_parent, &w, buf) == 1 && w.link_event == MYCO_LINK_CHILD_DOWN && w.peer == 0x0304);
    CHECK(pop(&g_child, &w, buf) == 1 && w.link_event == MYCO_LINK_DOWN && w.peer == 0x0102);
    CHECK(g_child.connected_to == 0 && g_child.disconnects >= 1);
    CHECK(myco_tree_wifi(&g_parent.link, MYCO_WIFI_RELEASE, 0x0304, g_now) == MYCO_WIFI_UNKNOWN);
    CHECK(myco_tree_send(&g_parent.link, 0x0304, frame, 1) == MYCO_SEND_BAD_DST);
    /* The driver's disconnect that follows adds nothing. */
    myco_tree_sta_lost(&g_child.link);
    CHECK(pop(&g_child, &w, buf) == 0);
    /* Until the station has left, a released child is answered with RELEASE, not registered. */
    {
        uint8_t hello[10] = {MYCO_TREE_MAGIC, MYCO_TREE_HELLO, 0x04, 0x03, 0, 0, 0, 0, 0, 4};
        uint8_t ip[4] = {10, 1, 2, 2};
        int before = g_parent.sent;
        myco_tree_datagram(&g_parent.link, ip, hello, sizeof hello, -50, g_now);
        CHECK(pop(&g_parent, &w, buf) == 0 && g_parent.sent == before + 1);
        myco_tree_station_left(&g_parent.link, g_child.mac);
        CHECK(pop(&g_parent, &w, buf) == 0);
        myco_tree_datagram(&g_parent.link, ip, hello, sizeof hello, -50, g_now);
        CHECK(pop(&g_parent, &w, buf) == 1 && w.link_event == MYCO_LINK_CHILD_UP);
    }
    /* LEAVE: no DOWN, and the driver's disconnect adds none either. */
    CHECK(myco_tree_wifi(&g_child2.link, MYCO_WIFI_LEAVE, 0, g_now) == 0);
    myco_tree_sta_lost(&g_child2.link);
    CHECK(pop(&g_child2, &w, buf) == 0);
    /* The parent notices the station leaving: CHILD_DOWN. */
    myco_tree_station_left(&g_parent.link, g_child2.mac);
    CHECK(pop(&g_parent, &w, buf) == 1 && w.link_event == MYCO_LINK_CHILD_DOWN && w.peer == 0x0506);
    /* Beacon loss at an attached child: DOWN. */
    tree_join_and_frames();
    myco_tree_sta_lost(&g_child.link);
    CHECK(pop(&g_child, &w, buf) == 1 && w.link_event == MYCO_LINK_DOWN && w.peer == 0x0102);
    CHECK(myco_tree_send(&g_child.link, 0x0102, frame, 1) == MYCO_SEND_BAD_DST);
}

static void tree_join_failures(void)
{
    uint8_t buf[256];
    myco_wake w;
    char ssid[MYCO_HERMES_SSID_MAX];
    uint8_t bssid[6] = {9, 9, 9, 9, 9, 9};
    g_now = 5000;
    node_init(&g_child, 0x0304, 4);
    myco_tree_wifi(&g_child.link, MYCO_WIFI_SCAN, 0, g_now);
    myco_hermes_ssid(0x0102, ssid);
    myco_tree_scan_result(&g_child.link, ssid, bssid, 1, -60);
    myco_tree_scan_done(&g_child.link);
    CHECK(pop(&g_child, &w, buf) == 1);
    /* The driver gives up (wrong password, AP full): JOIN_FAILED, and no retrying. */
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_JOIN, 0x0102, g_now) == 0);
    myco_tree_sta_lost(&g_child.link);
    CHECK(pop(&g_child, &w, buf) == 1 && w.link_event == MYCO_LINK_JOIN_FAILED && w.peer == 0x0102);
    CHECK(g_child.connected_to == 0);
    /* The driver says nothing at all: the link's own bound ends the join. */
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_JOIN, 0x0102, g_now) == 0);
    CHECK(myco_tree_next_ms(&g_child.link, g_now) == MYCO_TREE_JOIN_LIMIT_MS);
    myco_tree_tick(&g_child.link, g_now + MYCO_TREE_JOIN_LIMIT_MS - 1);
    CHECK(pop(&g_child, &w, buf) == 0);
    myco_tree_tick(&g_child.link, g_now + MYCO_TREE_JOIN_LIMIT_MS);
    CHECK(pop(&g_child, &w, buf) == 1 && w.link_event == MYCO_LINK_JOIN_FAILED);
    /* LEAVE during a join cancels it silently and frees the link for a new scan. */
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_JOIN, 0x0102, g_now) == 0);
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_LEAVE, 0, g_now) == 0);
    myco_tree_sta_lost(&g_child.link);
    CHECK(pop(&g_child, &w, buf) == 0);
    CHECK(myco_tree_wifi(&g_child.link, MYCO_WIFI_SCAN, 0, g_now) == 0);
}

static void tree_hello_repeats(void)
{
    uint8_t buf[256];
    myco_wake w;
    int sent;
    g_now = 100;
    node_init(&g_parent, 0x0102, 2);
    node_init(&g_child, 0x0304, 4);
    g_parent.refuse_udp = 1; /* the WELCOME is lost */
    join(&g_child, &g_parent, 2);
    CHECK(pop(&g_child, &w, buf) == 1 && w.link_event == MYCO_LINK_UP);
    CHECK(pop(&g_parent, &w, buf) == 1 && w.link_event == MYCO_LINK_CHILD_UP);
    CHECK(!g_child.link.welcomed);
    CHECK(myco_tree_next_ms(&g_child.link, g_now) == MYCO_TREE_HELLO_RETRY_MS);
    sent = g_child.sent;
    myco_tree_tick(&g_child.link, g_now + MYCO_TREE_HELLO_RETRY_MS - 1);
    CHECK(g_child.sent == sent);
    g_parent.refuse_udp = 0;
    myco_tree_tick(&g_child.link, g_now + MYCO_TREE_HELLO_RETRY_MS);
    CHECK(g_child.sent == sent + 1 && g_child.link.welcomed);
    /* The repeated HELLO registers nothing twice. */
    CHECK(pop(&g_parent, &w, buf) == 0);
    /* Datagrams from strangers are dropped and counted. */
    {
        uint8_t d[5] = {MYCO_TREE_MAGIC, MYCO_TREE_DATA, 0x07, 0x00, 1};
        uint8_t ip[4] = {192, 168, 1, 20}, ip2[4] = {10, 1, 2, 9};
        uint32_t dropped = g_parent.link.rx_dropped;
        myco_tree_datagram(&g_parent.link, ip, d, sizeof d, -50, g_now);
        myco_tree_datagram(&g_parent.link, ip2, d, sizeof d, -50, g_now); /* data before HELLO */
        d[0] = 0;
        myco_tree_datagram(&g_parent.link, ip2, d, sizeof d, -50, g_now);
        myco_tree_datagram(&g_parent.link, ip2, d, 3, -50, g_now);
        CHECK(g_parent.link.rx_dropped == dropped + 4);
        CHECK(pop(&g_parent, &w, buf) == 0);
    }
}

/* ---- the shared wait loop over a fake clock ---------------------------------------- */

typedef struct {
    uint32_t now;
    uint32_t frame_at;  /* radio_poll pushes a frame once now >= frame_at */
    uint32_t radio_at;  /* radio timer */
    uint32_t report_at; /* the console asks for a report */
    uint32_t module_at; /* the console asks for the module in flash */
    uint32_t naps[64];
    uint32_t nap_count;
    int polls;
    myco_frame_queue *q;
} fake_board;

static uint32_t fb_now(void *ctx)
{
    return ((fake_board *)ctx)->now;
}
static void fb_poll(void *ctx, uint32_t now)
{
    fake_board *b = ctx;
    b->polls++;
    if (b->radio_at != MYCO_NO_DEADLINE && now >= b->radio_at) b->radio_at = MYCO_NO_DEADLINE;
    if (now >= b->frame_at) {
        myco_frame_queue_push_frame(b->q, 7, (const uint8_t *)"x", 1, -30);
        b->frame_at = 0xFFFFFFFFu;
    }
}
static uint32_t fb_next(void *ctx, uint32_t now)
{
    fake_board *b = ctx;
    return b->radio_at == MYCO_NO_DEADLINE ? MYCO_NO_DEADLINE : (b->radio_at > now ? b->radio_at - now : 0);
}
static int fb_console(void *ctx)
{
    fake_board *b = ctx;
    if (b->now >= b->report_at) {
        b->report_at = 0xFFFFFFFFu;
        return MYCO_WAIT_CONSOLE_REPORT;
    }
    if (b->now >= b->module_at) {
        b->module_at = 0xFFFFFFFFu;
        return MYCO_WAIT_CONSOLE_MODULE;
    }
    return MYCO_WAIT_CONSOLE_NONE;
}
static void fb_idle(void *ctx, uint32_t ms)
{
    fake_board *b = ctx;
    if (b->nap_count < 64) b->naps[b->nap_count++] = ms;
    b->now += ms;
}

static void wait_loop(void)
{
    static myco_frame_queue q;
    static fake_board b;
    myco_wait_ops ops = {fb_now, fb_poll, fb_next, fb_console, fb_idle, &b};
    uint8_t buf[256];
    myco_wake w;
    myco_frame_queue_init(&q);
    memset(&b, 0, sizeof b);
    b.q = &q;
    b.now = 1000;
    b.frame_at = b.report_at = b.module_at = 0xFFFFFFFFu;
    b.radio_at = MYCO_NO_DEADLINE;
    /* Nothing happens: the time-out, in console-poll naps, the last one cut to fit. */
    myco_wait_run(&ops, &q, 120, buf, sizeof buf, &w);
    CHECK(w.kind == MYCO_WAKE_TIMEOUT && b.now == 1120);
    CHECK(b.nap_count == 3 && b.naps[0] == MYCO_CONSOLE_POLL_MS && b.naps[2] == 20);
    /* A frame arriving mid-wait ends it at once. */
    b.frame_at = 1150;
    myco_wait_run(&ops, &q, MYCO_NO_DEADLINE, buf, sizeof buf, &w);
    CHECK(w.kind == MYCO_WAKE_FRAME && w.peer == 7 && w.len == 1 && buf[0] == 'x' && b.now == 1170);
    /* A radio timer shortens the nap so its work runs on time. */
    b.nap_count = 0;
    b.radio_at = b.now + 7;
    myco_wait_run(&ops, &q, 30, buf, sizeof buf, &w);
    CHECK(w.kind == MYCO_WAKE_TIMEOUT && b.naps[0] == 7);
    /* The console's request. */
    b.radio_at = MYCO_NO_DEADLINE;
    b.report_at = b.now + 60;
    myco_wait_run(&ops, &q, MYCO_NO_DEADLINE, buf, sizeof buf, &w);
    CHECK(w.kind == MYCO_WAKE_REPORT);
    /* "module": a module wake whose bytes the board's wait fills in. */
    b.module_at = b.now + 10;
    myco_wait_run(&ops, &q, MYCO_NO_DEADLINE, buf, sizeof buf, &w);
    CHECK(w.kind == MYCO_WAKE_MODULE && w.module == NULL && w.len == 0);
    /* A zero time-out still hands over what is queued, but never sleeps. */
    b.nap_count = 0;
    myco_wait_run(&ops, &q, 0, buf, sizeof buf, &w);
    CHECK(w.kind == MYCO_WAKE_TIMEOUT && b.nap_count == 0);
    myco_frame_queue_push_link(&q, MYCO_LINK_TX_FAILED, 3, NULL, 0);
    myco_wait_run(&ops, &q, 0, buf, sizeof buf, &w);
    CHECK(w.kind == MYCO_WAKE_LINK && w.peer == 3);
}

int main(void)
{
    RUN(crc16_check_value);
    RUN(frame_queue_order_and_overflow);
    RUN(frame_queue_length_limits);
    RUN(peer_table_lru);
    RUN(hermes_addressing);
    RUN(hermes_node_id);
    RUN(radio_table_defaults);
    RUN(beacon_element);
    RUN(cfg_store_round_trip);
    RUN(console_commands);
    RUN(tree_scan_records);
    RUN(tree_join_and_frames);
    RUN(tree_release_leave_and_loss);
    RUN(tree_join_failures);
    RUN(tree_hello_repeats);
    RUN(wait_loop);
    return 0;
}
