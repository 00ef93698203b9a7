/*
 * Node id -> MAC address of the neighbours a radio has heard, for radios that address
 * frames by MAC (ESP-NOW). Node ids are the module's addresses; the radio needs the MAC,
 * and it learns it from the frames it receives (a node answers only nodes it heard).
 *
 * ESP-NOW keeps a small peer list in the driver (20 on both ESP32 and ESP8266), so the
 * table has a fixed capacity and evicts the least recently used entry; the shim removes
 * the evicted peer from the driver too. A module talks to its neighbours again and again,
 * so the entries in use stay.
 */
#ifndef MYCO_PEER_TABLE_H
#define MYCO_PEER_TABLE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ESP-NOW's driver limit (ESP_NOW_MAX_TOTAL_PEER_NUM) less one for the broadcast peer. */
#ifndef MYCO_PEER_TABLE_CAP
#define MYCO_PEER_TABLE_CAP 19u
#endif

typedef struct {
    uint16_t id; /* 0 = free */
    uint8_t mac[6];
    uint32_t used; /* stamp of the last use, for LRU */
} myco_peer;

typedef struct {
    myco_peer peers[MYCO_PEER_TABLE_CAP];
    uint32_t clock;
} myco_peer_table;

/* What myco_peer_table_learn did. */
#define MYCO_PEER_KNOWN 0   /* id and MAC were already there */
#define MYCO_PEER_ADDED 1   /* a new entry in a free place */
#define MYCO_PEER_EVICTED 2 /* a new entry in place of *evicted (remove it from the driver) */
#define MYCO_PEER_CHANGED 3 /* the id had another MAC (a board replaced); *evicted holds the old one */

void myco_peer_table_init(myco_peer_table *t);

/* Records that `id` uses `mac`. `evicted` receives the entry that made room, if any. */
int myco_peer_table_learn(myco_peer_table *t, uint16_t id, const uint8_t mac[6], myco_peer *evicted);

/* The MAC of `id` (and marks it used), or NULL when unknown. */
const uint8_t *myco_peer_table_mac(myco_peer_table *t, uint16_t id);

/* The id whose MAC is `mac`, or 0. */
uint16_t myco_peer_table_id(const myco_peer_table *t, const uint8_t mac[6]);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_PEER_TABLE_H */
