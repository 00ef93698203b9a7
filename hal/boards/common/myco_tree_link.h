/*
 * Tree mode's link layer over Wi-Fi softAP + station and UDP (docs/abi.md, "Wi-Fi tree
 * links"; docs/routing.md, "Tree mode"), as pure logic: the `wifi` import's ops, the link
 * events a board's Wi-Fi driver turns into, and the datagrams between parent and children.
 * A board supplies the radio actions (myco_tree_ops) and feeds driver events in; the
 * events for the module come out through a myco_frame_queue. The rules are the
 * simulator's Wi-Fi medium (host-sim/wifi.ts), so a module behaves the same on both.
 *
 * Every UDP datagram starts with a 4-byte header, magic:u8 'M', kind:u8, src:u16 (the
 * sender's node id, little-endian):
 *   DATA    (1) a link-layer frame of the module follows;
 *   HELLO   (2) child -> parent after it got its address: sta_mac[6]. The parent registers
 *               the station (CHILD_UP) and answers WELCOME; the MAC is what the softAP's
 *               "station left" event names, so the parent can report CHILD_DOWN;
 *   WELCOME (3) parent -> child: HELLO arrived (the child repeats HELLO until it does);
 *   RELEASE (4) parent -> child: RELEASE(child); the child leaves and reports DOWN. The
 *               parent answers any later datagram of that station with RELEASE again until
 *               the station has left, so a lost RELEASE only delays the release.
 * A datagram from 10.P.P.1 (P the parent's id) is the parent's; one from the own softAP
 * subnet is a child's (myco_hermes.h).
 */
#ifndef MYCO_TREE_LINK_H
#define MYCO_TREE_LINK_H

#include <stdint.h>

#include "myco_beacon.h"
#include "myco_frame_queue.h"

#ifdef __cplusplus
extern "C" {
#endif

/* softAPs one scan reports (the strongest); 16 records are 96 bytes of a 256-byte inbox. */
#ifndef MYCO_TREE_SCAN_MAX
#define MYCO_TREE_SCAN_MAX 16u
#endif
/* Stations the softAP admits: the largest max_children in the board descriptors (esp32: 10). */
#ifndef MYCO_TREE_CHILDREN_MAX
#define MYCO_TREE_CHILDREN_MAX 10u
#endif
/* A join the driver never reports on ends as JOIN_FAILED after this long; above the
 * module's default tree_join_timeout_ms (15 s), so the module's own timer normally acts. */
#ifndef MYCO_TREE_JOIN_LIMIT_MS
#define MYCO_TREE_JOIN_LIMIT_MS 20000u
#endif
#ifndef MYCO_TREE_HELLO_RETRY_MS
#define MYCO_TREE_HELLO_RETRY_MS 500u
#endif
#ifndef MYCO_TREE_HELLO_TRIES
#define MYCO_TREE_HELLO_TRIES 10u
#endif
/* RSSI reported for a child's frames where the driver gives none per station. */
#ifndef MYCO_TREE_CHILD_RSSI
#define MYCO_TREE_CHILD_RSSI (-50)
#endif

#define MYCO_TREE_HEADER_BYTES 4u
#define MYCO_TREE_MAGIC 0x4Du /* 'M' */
#define MYCO_TREE_DATA 1u
#define MYCO_TREE_HELLO 2u
#define MYCO_TREE_WELCOME 3u
#define MYCO_TREE_RELEASE 4u
#define MYCO_TREE_DGRAM_MAX (MYCO_TREE_HEADER_BYTES + MYCO_FRAME_MAX)

/* What the board does for the link. Each runs in the shell's thread. */
typedef struct {
    /* Starts an asynchronous scan; 0, or -1 when the driver refuses. */
    int (*scan_start)(void *ctx);
    /* Starts joining the softAP of node `parent` (SSID from myco_hermes_ssid) at `bssid` on
     * `channel`, with automatic reconnection off; 0, or -1 when the driver refuses. */
    int (*connect)(void *ctx, uint16_t parent, const uint8_t bssid[6], uint8_t channel);
    /* Leaves the parent's softAP (or stops a join under way). */
    void (*disconnect)(void *ctx);
    /* Puts the ADVERTISE value into the beacon (myco_beacon_ie). */
    void (*advertise)(void *ctx, uint32_t advert);
    /* Sends one datagram to ip:MYCO_TREE_UDP_PORT; 0, or -1 when the stack refused it. */
    int (*udp_send)(void *ctx, const uint8_t ip[4], const uint8_t *dgram, uint32_t len);
    void *ctx;
} myco_tree_ops;

typedef struct {
    uint16_t id;
    int8_t rssi;
    uint8_t bssid[6];
    uint8_t channel;
    myco_beacon advert; /* depth 255, flags 0 when no beacon element was heard */
} myco_tree_ap;

typedef struct {
    uint8_t bssid[6];
    myco_beacon b;
} myco_tree_heard;

#define MYCO_TREE_CHILD_FREE 0u
#define MYCO_TREE_CHILD_UP 1u
#define MYCO_TREE_CHILD_RELEASED 2u

typedef struct {
    uint16_t id;
    uint8_t state;
    uint8_t ip[4];
    uint8_t mac[6];
} myco_tree_child;

#define MYCO_TREE_IDLE 0u
#define MYCO_TREE_SCANNING 1u
#define MYCO_TREE_JOINING 2u

typedef struct {
    uint16_t self;
    uint8_t sta_mac[6];
    myco_tree_ops ops;
    myco_frame_queue *q;

    uint8_t busy;             /* MYCO_TREE_IDLE / SCANNING / JOINING */
    uint16_t parent;          /* joining or joined; 0 none */
    uint8_t parent_up;        /* UP was reported */
    uint8_t welcomed;         /* the parent answered HELLO */
    uint8_t hello_tries;
    uint32_t hello_at, join_started;

    myco_tree_ap found[MYCO_TREE_SCAN_MAX]; /* the scan under way, then the last scan's result */
    uint32_t found_count;
    myco_tree_heard heard[MYCO_TREE_SCAN_MAX]; /* beacon elements heard during the scan */
    uint32_t heard_count;

    myco_tree_child children[MYCO_TREE_CHILDREN_MAX];
    uint32_t advert;

    /* Counters, for a board's diagnostics. */
    uint32_t rx_dropped;  /* datagrams from no parent or child, malformed or unexpected */
    uint32_t tx_refused;  /* datagrams the stack refused */
    uint32_t children_full; /* HELLOs refused for want of a child slot */
} myco_tree_link;

void myco_tree_init(myco_tree_link *t, uint16_t self, const uint8_t sta_mac[6],
                    const myco_tree_ops *ops, myco_frame_queue *q);

/* The `wifi` import: MYCO_WIFI_* op, result as docs/abi.md. */
int32_t myco_tree_wifi(myco_tree_link *t, uint32_t op, uint32_t arg, uint32_t now);

/* The `send` import in tree mode: parent or a child, MYCO_BROADCAST = parent and every child. */
int32_t myco_tree_send(myco_tree_link *t, uint16_t dst, const uint8_t *frame, uint32_t len);

/* Driver events. */
void myco_tree_heard_beacon(myco_tree_link *t, const uint8_t bssid[6], const myco_beacon *b);
void myco_tree_scan_result(myco_tree_link *t, const char *ssid, const uint8_t bssid[6],
                           uint8_t channel, int32_t rssi);
void myco_tree_scan_done(myco_tree_link *t);
void myco_tree_sta_got_ip(myco_tree_link *t, uint32_t now);
/* The station lost (or never got) its association or address. */
void myco_tree_sta_lost(myco_tree_link *t);
/* A station left the softAP (its MAC). */
void myco_tree_station_left(myco_tree_link *t, const uint8_t mac[6]);
void myco_tree_datagram(myco_tree_link *t, const uint8_t src_ip[4], const uint8_t *data,
                        uint32_t len, int32_t rssi, uint32_t now);

/* Timers (join bound, HELLO repeats). */
void myco_tree_tick(myco_tree_link *t, uint32_t now);
/* Milliseconds until myco_tree_tick has work, MYCO_NO_DEADLINE when none. */
uint32_t myco_tree_next_ms(const myco_tree_link *t, uint32_t now);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_TREE_LINK_H */
