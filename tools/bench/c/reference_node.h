/*
 * The routing reference of `npm run bench:firmware`: one mesh node's link and route layers
 * (docs/routing.md) written plainly in C, fed the same frames and ticks as the node module.
 * It mirrors the AssemblyScript logic rule for rule (firmware/src/wire, link/, route/): the
 * same frame checks, neighbour table and hello window, ETX, DSDV update rules, sorted route
 * table, triggered and Trickle-timed updates, sequence-number requests, and the same calls to
 * `rand` in the same order, so after the same calls it holds the same route table byte for
 * byte (`inspect(2)`), the same neighbours (`inspect(1)`) and the same counters.
 *
 * Only what a mesh node receiving HELLO, ROUTE_UPDATE and unicast ROUTE_SEQ_REQ frames without
 * header flags needs is here (tools/bench/route-workload.ts records nothing else); anything
 * else stops the benchmark through myco_bench_unsupported. No counters besides the ones below,
 * no emit records, no delivery layer.
 *
 *   reference_link.c   frame checks, the neighbour table, hellos, link quality and ETX
 *   reference_route.c  the route table, the update rules, updates, Trickle, repair
 *   reference_node.c   the node: init, frames, ticks, dumps
 */
#ifndef MYCO_REFERENCE_NODE_H
#define MYCO_REFERENCE_NODE_H

#include <stdint.h>

/* Config values (docs/abi.md, Config), as the module's config blob gives them. */
typedef struct {
    uint32_t hello_interval_ms, neighbour_timeout_ms, neighbour_capacity, mtu, route_capacity, hop_limit;
    uint32_t trickle_imin_ms, trickle_doublings, trickle_k, holddown_ms, update_gap_ms;
} myco_ref_settings;

/* Largest values the module accepts (tools/wire/config.ts). */
#define MYCO_REF_NEIGHBOURS_MAX 254
#define MYCO_REF_ROUTES_MAX 1024
#define MYCO_REF_MTU_MAX 1024

/* Counters the reference keeps, with the module's names (docs/wire.md, docs/routing.md). */
#define MYCO_REF_COUNTERS(X)                                                                    \
    X(WIRE_RX, "wire.rx") X(WIRE_TX, "wire.tx") X(WIRE_DROP_SHORT, "wire.drop.short")             \
    X(WIRE_DROP_LONG, "wire.drop.long") X(WIRE_DROP_VERSION, "wire.drop.version")                 \
    X(WIRE_DROP_FLAGS, "wire.drop.flags") X(WIRE_DROP_LENGTH, "wire.drop.length")                 \
    X(WIRE_DROP_ADDR, "wire.drop.addr") X(WIRE_DROP_TYPE, "wire.drop.type")                       \
    X(WIRE_DROP_PAYLOAD, "wire.drop.payload") X(WIRE_DROP_TAG, "wire.drop.tag")                   \
    X(CAT_ROUTING_TX_FRAMES, "cat.routing.tx.frames") X(CAT_ROUTING_TX_BYTES, "cat.routing.tx.bytes") \
    X(CAT_ROUTING_RX_FRAMES, "cat.routing.rx.frames") X(CAT_ROUTING_RX_BYTES, "cat.routing.rx.bytes") \
    X(LINK_HELLO_TX, "link.hello.tx") X(LINK_HELLO_RX, "link.hello.rx")                           \
    X(LINK_NEIGHBOUR_UP, "link.neighbour.up") X(LINK_NEIGHBOUR_DOWN, "link.neighbour.down")       \
    X(LINK_TABLE_FULL, "link.table.full") X(LINK_TX_ERR, "link.tx.err")                           \
    X(LINK_RX_IGNORED, "link.rx.ignored") X(LINK_RESTART, "link.restart")                         \
    X(ROUTE_ADV_TX, "route.adv.tx") X(ROUTE_ADV_BYTES, "route.adv.bytes")                         \
    X(ROUTE_ADV_FULL, "route.adv.full") X(ROUTE_ADV_PARTIAL, "route.adv.partial")                 \
    X(ROUTE_ADV_RX, "route.adv.rx") X(ROUTE_ADV_IGNORED, "route.adv.ignored")                     \
    X(ROUTE_CHANGES, "route.changes") X(ROUTE_INVALIDATED, "route.invalidated")                   \
    X(ROUTE_TABLE_FULL, "route.table.full") X(ROUTE_TX, "route.tx") X(ROUTE_FWD, "route.fwd")     \
    X(ROUTE_DELIVER, "route.deliver") X(ROUTE_DROP_HOPS, "route.drop.hops")                       \
    X(ROUTE_DROP_NOROUTE, "route.drop.noroute") X(ROUTE_DROP_HOLDDOWN, "route.drop.holddown")     \
    X(ROUTE_TX_ERR, "route.tx.err") X(ROUTE_SEQ_SUPERSEDED, "route.seq.superseded")               \
    X(ROUTE_RESYNC, "route.resync") X(ROUTE_SEQREQ_TX, "route.seqreq.tx")

#define MYCO_REF_COUNTER_ENUM(id, name) MYCO_REF_##id,
enum { MYCO_REF_COUNTERS(MYCO_REF_COUNTER_ENUM) MYCO_REF_COUNTER_COUNT };
#undef MYCO_REF_COUNTER_ENUM

extern const char *const myco_ref_counter_names[MYCO_REF_COUNTER_COUNT];

/* A neighbour (link/neighbour.ts). */
typedef struct {
    uint32_t heard_ms;
    uint16_t id, last_seq, window, interval_ms;
    uint8_t span, out_q;
    int8_t rssi;
    uint8_t bidirectional;
    uint16_t epoch;
    uint8_t tx_fails;
} myco_ref_neighbour;

/* A route (route/entry.ts). */
typedef struct {
    uint32_t updated_ms;
    uint16_t dest, next, seq, metric;
    uint8_t flags;
} myco_ref_route;

/* Trickle timer state (route/trickle.ts). */
typedef struct {
    uint32_t imin, imax, k, interval, start_ms, fire_ms, heard;
    uint8_t fired, forced;
} myco_ref_trickle;

/* The header of the frame being handled (wire/header.ts). */
typedef struct {
    uint32_t type, flags, hops, src, dst, seq, len;
} myco_ref_header;

typedef struct {
    myco_ref_settings cfg;
    uint32_t self;
    /* State of this node's `rand` (xorshift32, the generator the module's hal import uses). */
    uint32_t rand_state;
    myco_ref_header rx;
    /* Frames are built here (link/state.ts `tx`, shared by both layers). */
    uint8_t tx[MYCO_REF_MTU_MAX];

    /* link */
    myco_ref_neighbour neighbours[MYCO_REF_NEIGHBOURS_MAX];
    int32_t neighbour_count;
    uint8_t change_kinds[MYCO_REF_NEIGHBOURS_MAX + 4];
    uint16_t change_ids[MYCO_REF_NEIGHBOURS_MAX + 4];
    int32_t change_count, change_capacity;
    uint8_t changes_overflowed;
    uint32_t epoch, hello_seq, next_hello_ms;
    int32_t hello_cursor;

    /* route */
    myco_ref_route routes[MYCO_REF_ROUTES_MAX];
    int32_t route_count;
    uint32_t own_seq, adv_seq, data_seq;
    uint8_t news, holding, partial_due, solicit_next, sending, send_full, digest_dirty;
    uint32_t holddown_until, partial_at, last_partial_ms, send_flags, resume_at, digest;
    int32_t cursor;
    myco_ref_trickle trickle;

    uint32_t counters[MYCO_REF_COUNTER_COUNT];
} myco_ref_node;

/* ---- the node (reference_node.c) --------------------------------------------------------- */

/* Boot at `now`: what the module's `init` does with these settings. */
void myco_ref_init(myco_ref_node *n, uint32_t self, const myco_ref_settings *cfg, uint32_t rand_seed, uint32_t now);
/* `on_frame`: `len` bytes from neighbour `src`. */
void myco_ref_on_frame(myco_ref_node *n, uint32_t src, const uint8_t *frame, uint32_t len, int32_t rssi, uint32_t now);
/* `tick`: milliseconds until the next tick the node wants. */
uint32_t myco_ref_tick(myco_ref_node *n, uint32_t now);
/* `inspect(2)` and `inspect(1)` in the module's layout (docs/abi.md, Inspect); bytes written. */
uint32_t myco_ref_routes_dump(const myco_ref_node *n, uint8_t *out, uint32_t now);
uint32_t myco_ref_neighbours_dump(const myco_ref_node *n, uint8_t *out, uint32_t now);

/* ---- from the driver (route_bench.c), shared with the module's hal imports ---------------- */

uint32_t myco_bench_rand(uint32_t *state);
/* The radio: takes every frame (0), as the module's `send` import in the benchmark. */
int32_t myco_bench_radio(uint32_t dst, const uint8_t *frame, uint32_t len);
/* A frame or state the reference does not implement: stops the benchmark. */
void myco_bench_unsupported(const char *what);

/* ---- between the reference's files ------------------------------------------------------- */

#define MYCO_REF_BROADCAST 0xFFFFu
#define MYCO_REF_HEADER 12u
#define MYCO_REF_INFINITE 0xFFFFu
enum { MYCO_REF_HELLO = 0x01, MYCO_REF_ROUTE_UPDATE = 0x10, MYCO_REF_ROUTE_SEQ_REQ = 0x11 };
enum { MYCO_REF_CHANGE_UP = 1, MYCO_REF_CHANGE_DOWN = 2, MYCO_REF_CHANGE_USABLE = 3 };

static inline uint32_t myco_ref_get16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static inline void myco_ref_put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
/* Wrap-safe "a is before b" for u32 milliseconds. */
static inline int myco_ref_before(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline uint32_t myco_ref_rand(myco_ref_node *n) { return myco_bench_rand(&n->rand_state); }

/* reference_link.c */
int myco_ref_receive_frame(myco_ref_node *n, const uint8_t *frame, uint32_t len);
uint32_t myco_ref_encode_header(uint8_t *frame, uint32_t type, uint32_t flags, uint32_t hops, uint32_t src,
                                uint32_t dst, uint32_t seq, uint32_t payload_len);
int32_t myco_ref_link_send(myco_ref_node *n, uint32_t next_hop, const uint8_t *frame, uint32_t len);
void myco_ref_link_start(myco_ref_node *n, uint32_t now);
void myco_ref_link_frame(myco_ref_node *n, const uint8_t *frame, uint32_t sender, int32_t rssi, uint32_t now);
uint32_t myco_ref_link_tick(myco_ref_node *n, uint32_t now);
int32_t myco_ref_neighbour_find(const myco_ref_node *n, uint32_t id);
uint32_t myco_ref_quality(const myco_ref_neighbour *nb, uint32_t now);
/* What the link to `id` costs as a next hop (route/neighbours.ts MeshNeighbours). */
uint32_t myco_ref_link_cost(const myco_ref_node *n, uint32_t id, uint32_t now);

/* reference_route.c */
void myco_ref_route_init(myco_ref_node *n);
void myco_ref_route_start(myco_ref_node *n, uint32_t now);
void myco_ref_route_frame(myco_ref_node *n, const uint8_t *frame, uint32_t len, uint32_t sender, uint32_t now);
void myco_ref_route_link_changes(myco_ref_node *n, uint32_t now);
uint32_t myco_ref_route_tick(myco_ref_node *n, uint32_t now);

#endif /* MYCO_REFERENCE_NODE_H */
