// Mesh mode's radio on the ESP8266: ESP-NOW broadcast and unicast (NONOS SDK espnow.h).
#include <Arduino.h>
#include <ESP8266WiFi.h>
#include <coredecls.h>
#include <espnow.h>

#include "myco_esp8266.h"
#include "myco_hal.h"
#include "myco_hermes.h"
#include "myco_peer_table.h"

static uint8_t g_broadcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
static myco_peer_table g_peers;

static void on_recv(uint8_t *mac, uint8_t *data, uint8_t len)
{
    // Node ids are the last two MAC bytes (myco_hermes.h): the sender's id needs no header.
    uint16_t src = myco_hermes_id_from_mac(mac);
    if (src == 0) return;
    myco_peer_table_learn(&g_peers, src, mac, NULL);
    myco_frame_queue_push_frame(&myco_esp8266_queue, src, data, len, MYCO_ESP8266_ESPNOW_RSSI);
    esp_schedule(); // ends the loop's esp_delay early
}

static void on_sent(uint8_t *mac, uint8_t status)
{
    // A unicast nobody acknowledged: the module counts it against the link.
    if (status != 0 && memcmp(mac, g_broadcast, 6) != 0) {
        uint16_t dst = myco_hermes_id_from_mac(mac);
        if (dst) myco_frame_queue_push_link(&myco_esp8266_queue, MYCO_LINK_TX_FAILED, dst, NULL, 0);
        esp_schedule();
    }
}

static int espnow_begin(uint16_t node_id)
{
    (void)node_id;
    myco_peer_table_init(&g_peers);
    WiFi.mode(WIFI_STA);
    WiFi.disconnect();
    wifi_set_channel(MYCO_WIFI_CHANNEL);
    if (esp_now_init() != 0) return -1;
    esp_now_set_self_role(ESP_NOW_ROLE_COMBO);
    esp_now_register_recv_cb(on_recv);
    esp_now_register_send_cb(on_sent);
    esp_now_add_peer(g_broadcast, ESP_NOW_ROLE_COMBO, MYCO_WIFI_CHANNEL, NULL, 0);
    return 0;
}

static int32_t espnow_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    uint8_t *mac;
    if (len > 250) return MYCO_SEND_TOO_LONG; // ESP-NOW's payload limit
    if (dst == MYCO_NODE_NONE) return MYCO_SEND_BAD_DST;
    if (dst == MYCO_BROADCAST) {
        mac = g_broadcast;
    } else {
        mac = (uint8_t *)myco_peer_table_mac(&g_peers, dst);
        // Only a neighbour we heard has a known MAC; the module sends to neighbours only.
        if (!mac) return MYCO_SEND_BAD_DST;
        if (!esp_now_is_peer_exist(mac)) {
            if (esp_now_add_peer(mac, ESP_NOW_ROLE_COMBO, MYCO_WIFI_CHANNEL, NULL, 0) != 0) {
                // The driver's list is full of peers the table evicted: make room.
                uint8_t *p = esp_now_fetch_peer(true);
                while (p) {
                    if (memcmp(p, g_broadcast, 6) != 0 && myco_peer_table_id(&g_peers, p) == 0) {
                        esp_now_del_peer(p);
                        break;
                    }
                    p = esp_now_fetch_peer(false);
                }
                if (esp_now_add_peer(mac, ESP_NOW_ROLE_COMBO, MYCO_WIFI_CHANNEL, NULL, 0) != 0)
                    return MYCO_SEND_QUEUE_FULL;
            }
        }
    }
    return esp_now_send(mac, (uint8_t *)frame, (int)len) == 0 ? MYCO_SEND_OK : MYCO_SEND_QUEUE_FULL;
}

// ESP-NOW keeps the station free of any AP: no Wi-Fi tree in mesh mode, and nothing to poll.
extern "C" const myco_radio myco_esp8266_mesh = {espnow_begin, "ESP-NOW did not start", espnow_send, NULL, NULL, NULL};
