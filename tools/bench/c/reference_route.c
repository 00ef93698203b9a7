/*
 * The reference's route layer (docs/routing.md): sequence numbers (route/seq.ts), the update
 * rules (route/rules.ts), the sorted table (route/table.ts), receiving updates and link
 * changes (route/update.ts), sending updates (route/advert.ts), Trickle (route/trickle.ts),
 * repair by sequence-number requests (route/seqreq.ts), forwarding (route/forward.ts) and the
 * route layer's tick (route/route.ts). See reference_node.h.
 */
#include <string.h>

#include "reference_node.h"

#define METRIC_SIGNIFICANT 16u
#define ROUTE_CHANGED 1u
#define ROUTE_AWAIT 2u
#define RU_FULL 1u
#define RU_SOLICIT 2u
#define RU_FIXED 4u
#define RU_ENTRY 6u
#define TRICKLE_CAP 0x40000000u
#define RESUME_MS 5u
#define QUEUE_FULL (-1)

enum { ACCEPT = 1, IGNORE_UNREACHABLE, REJECT_OLDER, REJECT_NOT_SHORTER, DEFER };

/* ---- sequence numbers and metrics -------------------------------------------------------- */

/* RFC 1982 on u16: -1 older, 0 equal, 1 newer; half the circle away counts as older. */
static int seq_compare(uint32_t a, uint32_t b)
{
    uint32_t d = (a - b) & 0xFFFFu;
    if (d == 0) return 0;
    return d < 0x8000u ? 1 : -1;
}

static uint32_t seq_next_own(uint32_t seq) { return ((seq & 0xFFFEu) + 2u) & 0xFFFFu; }
static uint32_t seq_broken(uint32_t seq) { return (seq & 1u) ? seq : (seq + 1u) & 0xFFFFu; }

static uint32_t add_metric(uint32_t a, uint32_t b)
{
    uint32_t sum;
    if (a >= MYCO_REF_INFINITE || b >= MYCO_REF_INFINITE) return MYCO_REF_INFINITE;
    sum = a + b;
    return sum >= MYCO_REF_INFINITE ? MYCO_REF_INFINITE : sum;
}

static uint32_t metric_via(uint32_t seq, uint32_t advertised, uint32_t link_cost)
{
    uint32_t sum;
    if ((seq & 1u) || advertised >= MYCO_REF_INFINITE || link_cost >= MYCO_REF_INFINITE) return MYCO_REF_INFINITE;
    sum = advertised + link_cost;
    return sum >= MYCO_REF_INFINITE ? MYCO_REF_INFINITE : sum;
}

/* ---- the update rules --------------------------------------------------------------------- */

static int judge(int have, uint32_t cur_seq, uint32_t cur_metric, int from_next_hop, uint32_t seq, uint32_t metric)
{
    int c;
    if (!have) return metric >= MYCO_REF_INFINITE ? IGNORE_UNREACHABLE : ACCEPT;
    c = seq_compare(seq, cur_seq);
    if (c < 0) return REJECT_OLDER;
    if (c == 0) return metric < cur_metric ? ACCEPT : REJECT_NOT_SHORTER;
    if (from_next_hop || cur_metric >= MYCO_REF_INFINITE || metric <= cur_metric) return ACCEPT;
    return DEFER;
}

static int significant(int had, uint32_t old_metric, uint32_t new_metric)
{
    int was_up, is_up;
    uint32_t delta;
    if (!had) return 1;
    was_up = old_metric < MYCO_REF_INFINITE;
    is_up = new_metric < MYCO_REF_INFINITE;
    if (was_up != is_up) return 1;
    if (!is_up) return 0;
    delta = old_metric > new_metric ? old_metric - new_metric : new_metric - old_metric;
    return delta >= METRIC_SIGNIFICANT;
}

/* Whether our route would improve the neighbour's entry by at least a hop. */
static int improves(uint32_t their_seq, uint32_t their_metric, uint32_t our_seq, uint32_t our_via)
{
    uint32_t theirs;
    if (our_via >= MYCO_REF_INFINITE) return 0;
    if (seq_compare(our_seq, their_seq) < 0) return 0;
    theirs = (their_seq & 1u) ? MYCO_REF_INFINITE : their_metric;
    if (theirs >= MYCO_REF_INFINITE) return 1;
    return our_via + METRIC_SIGNIFICANT <= theirs;
}

/* ---- the table: records sorted by destination --------------------------------------------- */

/* Index of `dest`, or -(insertion point) - 1. */
static int32_t table_search(const myco_ref_node *n, uint32_t dest)
{
    int32_t lo = 0, hi = n->route_count - 1;
    while (lo <= hi) {
        int32_t mid = (int32_t)((uint32_t)(lo + hi) >> 1);
        uint32_t d = n->routes[mid].dest;
        if (d == dest) return mid;
        if (d < dest) lo = mid + 1;
        else hi = mid - 1;
    }
    return -lo - 1;
}

static int32_t table_find(const myco_ref_node *n, uint32_t dest)
{
    int32_t i = table_search(n, dest);
    return i >= 0 ? i : -1;
}

/* An unreachable record for `dest` (absent), or -1 when the table is full. */
static int32_t table_insert(myco_ref_node *n, uint32_t dest)
{
    int32_t i;
    if (n->route_count >= (int32_t)n->cfg.route_capacity) return -1;
    i = -table_search(n, dest) - 1;
    memmove(&n->routes[i + 1], &n->routes[i], (size_t)(n->route_count - i) * sizeof n->routes[0]);
    n->route_count++;
    memset(&n->routes[i], 0, sizeof n->routes[i]);
    n->routes[i].dest = (uint16_t)dest;
    n->routes[i].metric = (uint16_t)MYCO_REF_INFINITE;
    return i;
}

static int valid(const myco_ref_route *r) { return r->metric < MYCO_REF_INFINITE; }

/* ---- Trickle --------------------------------------------------------------------------------- */

static uint32_t trickle_point(uint32_t interval, uint32_t random)
{
    uint32_t half = interval >> 1, span = interval - half;
    return half + (span == 0 ? 0 : random % span);
}

static void trickle_init(myco_ref_trickle *t, uint32_t imin, uint32_t doublings, uint32_t k)
{
    uint32_t i = imin, d;
    for (d = 0; d < doublings && i < TRICKLE_CAP; d++) i <<= 1;
    memset(t, 0, sizeof *t);
    t->imin = imin;
    t->imax = i < TRICKLE_CAP ? i : TRICKLE_CAP;
    t->k = k;
    t->interval = imin;
}

static void trickle_begin(myco_ref_trickle *t, uint32_t now, uint32_t random)
{
    t->start_ms = now;
    t->fire_ms = now + trickle_point(t->interval, random);
    t->fired = 0;
    t->heard = 0;
}

static void trickle_reset(myco_ref_trickle *t, uint32_t now, uint32_t random)
{
    if (t->interval == t->imin) return;
    t->interval = t->imin;
    trickle_begin(t, now, random);
}

static int trickle_due(myco_ref_trickle *t, uint32_t now, uint32_t random)
{
    int send;
    if (!myco_ref_before(now, t->start_ms + t->interval)) {
        uint32_t doubled = t->interval << 1;
        t->interval = t->interval >= t->imax ? t->imax : (doubled < t->imax ? doubled : t->imax);
        trickle_begin(t, now, random);
    }
    if (t->fired || myco_ref_before(now, t->fire_ms)) return 0;
    t->fired = 1;
    send = t->forced || t->k == 0 || t->heard < t->k;
    t->forced = 0;
    return send;
}

static uint32_t trickle_deadline(const myco_ref_trickle *t)
{
    return t->fired ? t->start_ms + t->interval : t->fire_ms;
}

/* ---- sending updates ------------------------------------------------------------------------ */

static uint32_t id_hash(uint32_t id)
{
    uint32_t x = id * 0x9E3779B1u;
    x ^= x >> 15;
    x *= 0x85EBCA77u;
    x ^= x >> 13;
    return (x ^ (x >> 16)) & 0xFFFFu;
}

/* Digest of the reachable set (ourselves included): Trickle's "consistent". */
static uint32_t route_digest(myco_ref_node *n)
{
    if (n->digest_dirty) {
        uint32_t d = id_hash(n->self);
        int32_t i;
        for (i = 0; i < n->route_count; i++)
            if (valid(&n->routes[i])) d ^= id_hash(n->routes[i].dest);
        n->digest = d;
        n->digest_dirty = 0;
    }
    return n->digest;
}

static void schedule_partial(myco_ref_node *n, uint32_t now)
{
    uint32_t gap = n->cfg.update_gap_ms, at, earliest;
    if (n->partial_due) return;
    at = now + myco_ref_rand(n) % (gap / 4 + 1);
    earliest = n->last_partial_ms + gap;
    if (myco_ref_before(at, earliest)) at = earliest;
    n->partial_due = 1;
    n->partial_at = at;
}

static void significant_change(myco_ref_node *n, uint32_t now)
{
    n->counters[MYCO_REF_ROUTE_CHANGES]++;
    trickle_reset(&n->trickle, now, myco_ref_rand(n));
    schedule_partial(n, now);
}

static void put_entry(uint8_t *p, uint32_t i, uint32_t dest, uint32_t seq, uint32_t metric)
{
    uint8_t *e = p + RU_FIXED + i * RU_ENTRY;
    myco_ref_put16(e, dest);
    myco_ref_put16(e + 2, seq);
    myco_ref_put16(e + 4, metric);
}

/* Frames of the current update until it is done; entry 0 of each is ourselves. */
static void continue_update(myco_ref_node *n, uint32_t now)
{
    uint32_t room = n->cfg.mtu - MYCO_REF_HEADER - RU_FIXED, per = room / RU_ENTRY;
    uint8_t *p = n->tx + MYCO_REF_HEADER;
    int first = n->cursor == 0;
    if (per > 255) per = 255;
    while (n->sending) {
        uint32_t count = 1, len;
        int32_t i = n->cursor, j;
        int32_t result;
        uint8_t clear;
        put_entry(p, 0, n->self, n->own_seq, 0);
        while (i < n->route_count && count < per) {
            const myco_ref_route *r = &n->routes[i];
            if (n->send_full || (r->flags & ROUTE_CHANGED)) {
                put_entry(p, count, r->dest, r->seq, r->metric);
                count++;
            }
            i++;
        }
        if (count == 1 && !first) {
            n->sending = 0; /* nothing left beyond ourselves, already sent in the first frame */
            break;
        }
        p[0] = (uint8_t)n->send_flags;
        p[1] = (uint8_t)count;
        myco_ref_put16(p + 2, route_digest(n));
        len = myco_ref_encode_header(n->tx, MYCO_REF_ROUTE_UPDATE, 0, 1, n->self, MYCO_REF_BROADCAST, n->adv_seq,
                                     RU_FIXED + RU_ENTRY * count);
        result = myco_ref_link_send(n, MYCO_REF_BROADCAST, n->tx, len);
        if (result == QUEUE_FULL) {
            n->resume_at = now + RESUME_MS;
            return;
        }
        n->adv_seq = (n->adv_seq + 1) & 0xFFFFu;
        if (result < 0) {
            n->counters[MYCO_REF_ROUTE_TX_ERR]++;
        } else {
            n->counters[MYCO_REF_ROUTE_ADV_TX]++;
            n->counters[MYCO_REF_ROUTE_ADV_BYTES] += len;
        }
        /* A full update also ends every wait for a requested number. */
        clear = n->send_full ? ROUTE_CHANGED | ROUTE_AWAIT : ROUTE_CHANGED;
        for (j = n->cursor; j < i; j++) n->routes[j].flags &= (uint8_t)~clear;
        n->cursor = i;
        first = 0;
        if (i >= n->route_count) n->sending = 0;
    }
}

static void start_update(myco_ref_node *n, int full, uint32_t now)
{
    if (!full) {
        int32_t changed = 0, i;
        for (i = 0; i < n->route_count; i++)
            if (n->routes[i].flags & ROUTE_CHANGED) changed++;
        /* A partial update near the size of a full one goes out as a full one. */
        if (n->route_count > 0 && changed * 4 >= n->route_count * 3) full = 1;
    }
    /* Mesh mode: a new own number only when our own situation changed. */
    if (n->news) n->own_seq = seq_next_own(n->own_seq);
    n->news = 0;
    n->sending = 1;
    n->send_full = (uint8_t)full;
    n->send_flags = (full ? RU_FULL : 0) | (n->solicit_next ? RU_SOLICIT : 0);
    n->solicit_next = 0;
    n->cursor = 0;
    n->counters[full ? MYCO_REF_ROUTE_ADV_FULL : MYCO_REF_ROUTE_ADV_PARTIAL]++;
    if (full) n->partial_due = 0;
    continue_update(n, now);
}

/* ---- routed frames: next hop, forwarding, sequence-number requests ---------------------------- */

static uint32_t next_hop(const myco_ref_node *n, uint32_t dst, uint32_t now)
{
    int32_t i = table_find(n, dst);
    if (i >= 0 && valid(&n->routes[i])) return n->routes[i].next;
    return myco_ref_link_cost(n, dst, now) < MYCO_REF_INFINITE ? dst : 0;
}

/* route/forward.ts sendRouted for a unicast without flags: 0, or a negative error. */
static int32_t send_routed(myco_ref_node *n, uint32_t type, uint32_t dst, const uint8_t *payload, uint32_t len,
                           uint32_t now)
{
    uint32_t hop, seq, frame_len;
    int32_t result;
    if (dst == 0 || dst == n->self) return -12;
    if (MYCO_REF_HEADER + len > n->cfg.mtu) return -11;
    if (dst == MYCO_REF_BROADCAST) myco_bench_unsupported("network-wide broadcasts");
    hop = next_hop(n, dst, now);
    if (hop == 0) {
        n->counters[MYCO_REF_ROUTE_DROP_NOROUTE]++;
        return -10;
    }
    memcpy(n->tx + MYCO_REF_HEADER, payload, len);
    seq = n->data_seq;
    n->data_seq = (seq + 1) & 0xFFFFu;
    frame_len = myco_ref_encode_header(n->tx, type, 0, n->cfg.hop_limit, n->self, dst, seq, len);
    result = myco_ref_link_send(n, hop, n->tx, frame_len);
    n->counters[result < 0 ? MYCO_REF_ROUTE_TX_ERR : MYCO_REF_ROUTE_TX]++;
    return result;
}

/* Asks `dest` (route i) for a number newer than `seq`, unless a request through us is pending. */
static void request_seq(myco_ref_node *n, int32_t i, uint32_t seq, uint32_t now)
{
    uint8_t payload[2];
    if (n->routes[i].flags & ROUTE_AWAIT) return;
    myco_ref_put16(payload, seq);
    if (send_routed(n, MYCO_REF_ROUTE_SEQ_REQ, n->routes[i].dest, payload, 2, now) < 0) return;
    n->routes[i].flags |= ROUTE_AWAIT;
    n->counters[MYCO_REF_ROUTE_SEQREQ_TX]++;
}

/* A request for us: issue a number past the requested one and ours, and advertise it. */
static void receive_seq_req(myco_ref_node *n, const uint8_t *frame, uint32_t now)
{
    uint32_t seq = myco_ref_get16(frame + MYCO_REF_HEADER);
    if (seq_compare(seq, n->own_seq) > 0) {
        n->counters[MYCO_REF_ROUTE_SEQ_SUPERSEDED]++;
        n->own_seq = seq & 0xFFFEu;
    }
    n->news = 1;
    significant_change(n, now);
}

static void forward(myco_ref_node *n, const uint8_t *frame, uint32_t len, uint32_t now)
{
    uint32_t hop;
    int32_t i;
    if (n->holding) {
        n->counters[MYCO_REF_ROUTE_DROP_HOLDDOWN]++;
        return;
    }
    if (n->rx.hops <= 1) {
        n->counters[MYCO_REF_ROUTE_DROP_HOPS]++;
        return;
    }
    hop = next_hop(n, n->rx.dst, now);
    if (hop == 0) {
        n->counters[MYCO_REF_ROUTE_DROP_NOROUTE]++;
        return;
    }
    /* A request passing through: mark the entry so the answer is passed on at once. */
    if (n->rx.type == MYCO_REF_ROUTE_SEQ_REQ) {
        i = table_find(n, n->rx.dst);
        if (i >= 0) n->routes[i].flags |= ROUTE_AWAIT;
    }
    memcpy(n->tx, frame, len);
    n->tx[3] = (uint8_t)(n->rx.hops - 1);
    n->counters[myco_ref_link_send(n, hop, n->tx, len) < 0 ? MYCO_REF_ROUTE_TX_ERR : MYCO_REF_ROUTE_FWD]++;
}

/* ---- receiving updates and link changes ------------------------------------------------------- */

/* Every valid route through `id` becomes unreachable (next odd number, metric infinity). */
static void invalidate_via(myco_ref_node *n, uint32_t id, uint32_t now)
{
    int32_t i, count = 0;
    for (i = 0; i < n->route_count; i++) {
        myco_ref_route *r = &n->routes[i];
        if (r->next != id || !valid(r)) continue;
        r->seq = (uint16_t)seq_broken(r->seq);
        r->metric = (uint16_t)MYCO_REF_INFINITE;
        r->flags |= ROUTE_CHANGED;
        r->updated_ms = now;
        count++;
    }
    if (count > 0) {
        n->counters[MYCO_REF_ROUTE_INVALIDATED]++;
        n->digest_dirty = 1;
        significant_change(n, now);
    }
}

void myco_ref_route_link_changes(myco_ref_node *n, uint32_t now)
{
    int32_t i;
    for (i = 0; i < n->change_count; i++) {
        uint32_t kind = n->change_kinds[i], id = n->change_ids[i];
        if (kind == MYCO_REF_CHANGE_DOWN) {
            n->news = 1;
            invalidate_via(n, id, now);
        } else if (kind == MYCO_REF_CHANGE_USABLE) {
            /* A neighbour we can now reach both ways needs our table: an inconsistency. */
            n->news = 1;
            trickle_reset(&n->trickle, now, myco_ref_rand(n));
        }
    }
    if (n->changes_overflowed) {
        n->counters[MYCO_REF_ROUTE_RESYNC]++;
        for (i = 0; i < n->route_count; i++) {
            const myco_ref_route *r = &n->routes[i];
            if (valid(r) && myco_ref_neighbour_find(n, r->next) < 0) invalidate_via(n, r->next, now);
        }
        trickle_reset(&n->trickle, now, myco_ref_rand(n));
    }
    n->change_count = 0;
    n->changes_overflowed = 0;
}

/* A validated ROUTE_UPDATE (payload at p) from neighbour `sender`: each entry on its own. */
static void receive_update(myco_ref_node *n, const uint8_t *p, uint32_t sender, uint32_t now)
{
    uint32_t flags, count, cost, k;
    int usable, changed = 0, better = 0;
    if (n->rx.src != sender || n->rx.dst != MYCO_REF_BROADCAST) {
        n->counters[MYCO_REF_ROUTE_ADV_IGNORED]++;
        return;
    }
    n->counters[MYCO_REF_ROUTE_ADV_RX]++;
    flags = p[0];
    count = p[1];
    cost = myco_ref_link_cost(n, sender, now);
    usable = cost < MYCO_REF_INFINITE;
    if (!usable) n->counters[MYCO_REF_ROUTE_ADV_IGNORED]++;
    for (k = 0; k < count; k++) {
        const uint8_t *e = p + RU_FIXED + k * RU_ENTRY;
        uint32_t dest = myco_ref_get16(e), seq = myco_ref_get16(e + 2), advertised = myco_ref_get16(e + 4);
        uint32_t metric, cur_seq, cur_metric, cur_next;
        int32_t i;
        int have, awaited;
        myco_ref_route *r;
        if (dest == n->self) {
            /* The network holds a number for us at least as new as ours: issue a newer one. */
            if (seq_compare(seq, n->own_seq) > 0) {
                n->counters[MYCO_REF_ROUTE_SEQ_SUPERSEDED]++;
                n->own_seq = seq & 0xFFFEu;
                n->news = 1;
                changed = 1;
            } else if (usable && improves(seq, advertised, n->own_seq, cost)) {
                better = 1;
            }
            continue;
        }
        if (!usable) continue;
        /* In hold-down only the advertiser itself may become a route. */
        if (n->holding && dest != sender) continue;
        metric = metric_via(seq, advertised, cost);
        i = table_find(n, dest);
        have = i >= 0;
        cur_seq = have ? n->routes[i].seq : 0;
        cur_metric = have ? n->routes[i].metric : MYCO_REF_INFINITE;
        cur_next = have ? n->routes[i].next : 0;
        if (judge(have, cur_seq, cur_metric, cur_next == sender, seq, metric) != ACCEPT) {
            /* Our route would serve the neighbour better than its own: send ours again soon. */
            if (have && cur_next != sender && improves(seq, advertised, cur_seq, add_metric(cur_metric, cost))) {
                n->routes[i].flags |= ROUTE_CHANGED;
                better = 1;
            }
            /* It holds a newer number than our valid route: only the destination can help. */
            if (have && cur_metric < MYCO_REF_INFINITE && seq_compare(seq, cur_seq) > 0) {
                if ((seq & 1u) || add_metric(cur_metric, cost) + METRIC_SIGNIFICANT <= advertised)
                    request_seq(n, i, seq, now);
            }
            continue;
        }
        if (!have) {
            i = table_insert(n, dest);
            if (i < 0) {
                n->counters[MYCO_REF_ROUTE_TABLE_FULL]++;
                continue;
            }
        }
        r = &n->routes[i];
        awaited = (r->flags & ROUTE_AWAIT) != 0 && seq_compare(seq, cur_seq) > 0;
        if (awaited || significant(have, cur_metric, metric)) {
            r->flags = (uint8_t)((r->flags | ROUTE_CHANGED) & ~ROUTE_AWAIT);
            changed = 1;
        }
        if ((cur_metric < MYCO_REF_INFINITE) != (metric < MYCO_REF_INFINITE)) n->digest_dirty = 1;
        r->seq = (uint16_t)seq;
        r->metric = (uint16_t)metric;
        r->next = (uint16_t)sender;
        r->updated_ms = now;
    }
    if (flags & RU_SOLICIT) {
        /* A neighbour asked for our table: reset, and do not suppress this time. */
        trickle_reset(&n->trickle, now, myco_ref_rand(n));
        n->trickle.forced = 1;
    }
    if (changed) significant_change(n, now);
    else if (better) schedule_partial(n, now);
    else if (myco_ref_get16(p + 2) == route_digest(n)) n->trickle.heard++;
}

/* ---- entry points ------------------------------------------------------------------------------- */

void myco_ref_route_init(myco_ref_node *n)
{
    n->route_count = 0;
    n->own_seq = 0;
    n->news = 1;
    n->adv_seq = n->data_seq = 0;
    trickle_init(&n->trickle, n->cfg.trickle_imin_ms, n->cfg.trickle_doublings, n->cfg.trickle_k);
    n->holding = 1;
    n->holddown_until = 0;
    n->partial_due = 0;
    n->partial_at = n->last_partial_ms = 0;
    n->solicit_next = n->sending = n->send_full = 0;
    n->send_flags = 0;
    n->cursor = 0;
    n->resume_at = 0;
    n->digest = 0;
    n->digest_dirty = 1;
}

/* Boot: hold-down starts, and Trickle with it. */
void myco_ref_route_start(myco_ref_node *n, uint32_t now)
{
    uint32_t holddown = n->cfg.holddown_ms != 0 ? n->cfg.holddown_ms : n->cfg.neighbour_timeout_ms;
    n->holding = 1;
    n->holddown_until = now + holddown;
    n->solicit_next = 1;
    trickle_begin(&n->trickle, now, myco_ref_rand(n));
}

/* A frame that is not one-hop link traffic: an update, a frame for us, or one to forward. */
void myco_ref_route_frame(myco_ref_node *n, const uint8_t *frame, uint32_t len, uint32_t sender, uint32_t now)
{
    if (n->rx.type == MYCO_REF_ROUTE_UPDATE) {
        receive_update(n, frame + MYCO_REF_HEADER, sender, now);
        return;
    }
    if (n->rx.dst == MYCO_REF_BROADCAST) myco_bench_unsupported("network-wide broadcasts");
    if (n->rx.dst == n->self) {
        n->counters[MYCO_REF_ROUTE_DELIVER]++;
        if (n->rx.type == MYCO_REF_ROUTE_SEQ_REQ) receive_seq_req(n, frame, now);
        else myco_bench_unsupported("routed frames other than ROUTE_SEQ_REQ");
        return;
    }
    forward(n, frame, len, now);
}

uint32_t myco_ref_route_tick(myco_ref_node *n, uint32_t now)
{
    uint32_t deadline;
    if (n->holding && !myco_ref_before(now, n->holddown_until)) {
        /* Hold-down over: announce ourselves again and ask the neighbours for their tables. */
        n->holding = 0;
        n->solicit_next = 1;
        n->news = 1;
        significant_change(n, now);
    }
    if (n->sending && !myco_ref_before(now, n->resume_at)) continue_update(n, now);
    if (n->partial_due && !n->sending && !myco_ref_before(now, n->partial_at)) {
        n->partial_due = 0;
        n->last_partial_ms = now;
        start_update(n, 0, now);
    }
    if (trickle_due(&n->trickle, now, myco_ref_rand(n))) start_update(n, 1, now);

    deadline = trickle_deadline(&n->trickle);
    if (n->holding && myco_ref_before(n->holddown_until, deadline)) deadline = n->holddown_until;
    if (n->sending && myco_ref_before(n->resume_at, deadline)) deadline = n->resume_at;
    if (n->partial_due) {
        uint32_t at = n->sending && myco_ref_before(n->partial_at, n->resume_at) ? n->resume_at : n->partial_at;
        if (myco_ref_before(at, deadline)) deadline = at;
    }
    return myco_ref_before(deadline, now) ? 0 : deadline - now;
}
