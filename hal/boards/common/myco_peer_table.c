#include "myco_peer_table.h"

#include <string.h>

void myco_peer_table_init(myco_peer_table *t)
{
    memset(t, 0, sizeof *t);
}

static myco_peer *find(myco_peer_table *t, uint16_t id)
{
    uint32_t i;
    for (i = 0; i < MYCO_PEER_TABLE_CAP; i++)
        if (t->peers[i].id == id) return &t->peers[i];
    return NULL;
}

int myco_peer_table_learn(myco_peer_table *t, uint16_t id, const uint8_t mac[6], myco_peer *evicted)
{
    myco_peer *p = find(t, id), *victim = NULL;
    uint32_t i;
    int result = MYCO_PEER_ADDED;
    t->clock++;
    if (p) {
        p->used = t->clock;
        if (memcmp(p->mac, mac, 6) == 0) return MYCO_PEER_KNOWN;
        if (evicted) *evicted = *p;
        memcpy(p->mac, mac, 6);
        return MYCO_PEER_CHANGED;
    }
    for (i = 0; i < MYCO_PEER_TABLE_CAP; i++) {
        myco_peer *c = &t->peers[i];
        if (c->id == 0) {
            victim = c;
            result = MYCO_PEER_ADDED;
            break;
        }
        /* Wrap-safe: the oldest stamp is the furthest behind the clock. */
        if (!victim || t->clock - c->used > t->clock - victim->used) {
            victim = c;
            result = MYCO_PEER_EVICTED;
        }
    }
    if (result == MYCO_PEER_EVICTED && evicted) *evicted = *victim;
    victim->id = id;
    memcpy(victim->mac, mac, 6);
    victim->used = t->clock;
    return result;
}

const uint8_t *myco_peer_table_mac(myco_peer_table *t, uint16_t id)
{
    myco_peer *p;
    if (id == 0) return NULL;
    p = find(t, id);
    if (!p) return NULL;
    p->used = ++t->clock;
    return p->mac;
}

uint16_t myco_peer_table_id(const myco_peer_table *t, const uint8_t mac[6])
{
    uint32_t i;
    for (i = 0; i < MYCO_PEER_TABLE_CAP; i++)
        if (t->peers[i].id && memcmp(t->peers[i].mac, mac, 6) == 0) return t->peers[i].id;
    return 0;
}
