/*
 * The reference node: what the module's exports do in mesh mode (firmware/apps/node.ts) with
 * the link and route layers of reference_link.c and reference_route.c. See reference_node.h.
 */
#include <string.h>

#include "reference_node.h"

#define MYCO_REF_COUNTER_NAME(id, name) name,
const char *const myco_ref_counter_names[MYCO_REF_COUNTER_COUNT] = {MYCO_REF_COUNTERS(MYCO_REF_COUNTER_NAME)};
#undef MYCO_REF_COUNTER_NAME

#define FLAG_ACK_REQ 2u
#define DUMP_HOLDING 1u

void myco_ref_init(myco_ref_node *n, uint32_t self, const myco_ref_settings *cfg, uint32_t rand_seed, uint32_t now)
{
    memset(n, 0, sizeof *n);
    n->cfg = *cfg;
    n->self = self;
    n->rand_state = rand_seed;
    /* `rand` is drawn in the module's order: the boot epoch, the delivery layer's first
     * message id (no delivery layer here, but the draw shifts every later one), the first
     * hello, the first Trickle interval. */
    n->epoch = myco_ref_rand(n) & 0xFFFFu;
    n->change_capacity = (int32_t)cfg->neighbour_capacity + 4;
    myco_ref_route_init(n);
    (void)myco_ref_rand(n);
    myco_ref_link_start(n, now);
    myco_ref_route_start(n, now);
}

void myco_ref_on_frame(myco_ref_node *n, uint32_t src, const uint8_t *frame, uint32_t len, int32_t rssi, uint32_t now)
{
    const myco_ref_header *h = &n->rx;
    if (!myco_ref_receive_frame(n, frame, len)) return;
    if ((h->flags & FLAG_ACK_REQ) != 0 && h->dst != MYCO_REF_BROADCAST) myco_bench_unsupported("acknowledged frames");
    /* One-hop link traffic goes to the link layer, the rest is routed. */
    if (h->type == MYCO_REF_HELLO || (h->type < MYCO_REF_ROUTE_UPDATE && h->src == src && h->hops <= 1))
        myco_ref_link_frame(n, frame, src, rssi, now);
    else
        myco_ref_route_frame(n, frame, len, src, now);
    myco_ref_route_link_changes(n, now);
}

uint32_t myco_ref_tick(myco_ref_node *n, uint32_t now)
{
    uint32_t link_wait = myco_ref_link_tick(n, now), route_wait;
    myco_ref_route_link_changes(n, now);
    route_wait = myco_ref_route_tick(n, now);
    return link_wait < route_wait ? link_wait : route_wait;
}

uint32_t myco_ref_routes_dump(const myco_ref_node *n, uint8_t *out, uint32_t now)
{
    uint32_t at = 6;
    int32_t i;
    for (i = 0; i < n->route_count; i++, at += 10) {
        const myco_ref_route *r = &n->routes[i];
        uint32_t age = (now - r->updated_ms) / 1000u;
        myco_ref_put16(out + at, r->dest);
        myco_ref_put16(out + at + 2, r->next);
        myco_ref_put16(out + at + 4, r->seq);
        myco_ref_put16(out + at + 6, r->metric);
        out[at + 8] = r->flags;
        out[at + 9] = (uint8_t)(age > 255 ? 255 : age);
    }
    myco_ref_put16(out, (uint32_t)n->route_count);
    myco_ref_put16(out + 2, n->own_seq);
    out[4] = n->holding ? DUMP_HOLDING : 0;
    out[5] = 0;
    return at;
}

uint32_t myco_ref_neighbours_dump(const myco_ref_node *n, uint8_t *out, uint32_t now)
{
    uint32_t at = 2;
    int32_t i;
    for (i = 0; i < n->neighbour_count; i++, at += 10) {
        const myco_ref_neighbour *nb = &n->neighbours[i];
        uint32_t age = now - nb->heard_ms;
        myco_ref_put16(out + at, nb->id);
        out[at + 2] = (uint8_t)myco_ref_quality(nb, now);
        out[at + 3] = nb->out_q;
        out[at + 4] = (uint8_t)nb->rssi;
        out[at + 5] = nb->bidirectional ? 1 : 0;
        out[at + 6] = (uint8_t)age;
        out[at + 7] = (uint8_t)(age >> 8);
        out[at + 8] = (uint8_t)(age >> 16);
        out[at + 9] = (uint8_t)(age >> 24);
    }
    myco_ref_put16(out, (uint32_t)n->neighbour_count);
    return at;
}
