// Mesh mode's radio on the ESP32: ESP-NOW broadcast and unicast (ESP-IDF esp_now.h).
#include <Arduino.h>
#include <WiFi.h>
#include <esp_idf_version.h>
#include <esp_now.h>
#include <esp_wifi.h>

#include "myco_esp32.h"
#include "myco_hal.h"
#include "myco_hermes.h"
#include "myco_peer_table.h"

static const uint8_t g_broadcast[6] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
static myco_peer_table g_peers;
// The receive callback (Wi-Fi task) and send (loop) both touch the peer table.
static portMUX_TYPE g_peers_lock = portMUX_INITIALIZER_UNLOCKED;

static void received(const uint8_t *mac, const uint8_t *data, int len, int32_t rssi)
{
    // Node ids are the last two MAC bytes (myco_hermes.h): the sender's id needs no header.
    uint16_t src = myco_hermes_id_from_mac(mac);
    if (src == 0 || len <= 0) return;
    portENTER_CRITICAL(&g_peers_lock);
    myco_peer_table_learn(&g_peers, src, mac, NULL);
    portEXIT_CRITICAL(&g_peers_lock);
    if (myco_frame_queue_push_frame(&myco_esp32_queue, src, data, (uint32_t)len, rssi) == 0) myco_esp32_wake();
}

static void sent(const uint8_t *mac, esp_now_send_status_t status)
{
    // A unicast nobody acknowledged: the module counts it against the link.
    if (status == ESP_NOW_SEND_SUCCESS || !mac || memcmp(mac, g_broadcast, 6) == 0) return;
    uint16_t dst = myco_hermes_id_from_mac(mac);
    if (dst && myco_frame_queue_push_link(&myco_esp32_queue, MYCO_LINK_TX_FAILED, dst, NULL, 0) == 0)
        myco_esp32_wake();
}

#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(5, 0, 0)
static void on_recv(const esp_now_recv_info_t *info, const uint8_t *data, int len)
{
    received(info->src_addr, data, len, info->rx_ctrl ? info->rx_ctrl->rssi : MYCO_ESP32_ESPNOW_RSSI);
}
#else
static void on_recv(const uint8_t *mac, const uint8_t *data, int len)
{
    received(mac, data, len, MYCO_ESP32_ESPNOW_RSSI);
}
#endif

#if ESP_IDF_VERSION >= ESP_IDF_VERSION_VAL(5, 5, 0)
static void on_sent(const esp_now_send_info_t *info, esp_now_send_status_t status)
{
    sent(info ? info->des_addr : NULL, status);
}
#else
static void on_sent(const uint8_t *mac, esp_now_send_status_t status)
{
    sent(mac, status);
}
#endif

static esp_err_t add_peer(const uint8_t mac[6])
{
    esp_now_peer_info_t peer;
    memset(&peer, 0, sizeof peer);
    memcpy(peer.peer_addr, mac, 6);
    peer.channel = MYCO_WIFI_CHANNEL;
    peer.ifidx = WIFI_IF_STA;
    peer.encrypt = false;
    return esp_now_add_peer(&peer);
}

static int espnow_begin(uint16_t node_id)
{
    (void)node_id;
    myco_peer_table_init(&g_peers);
    WiFi.mode(WIFI_STA);
    WiFi.disconnect();
    esp_wifi_set_channel(MYCO_WIFI_CHANNEL, WIFI_SECOND_CHAN_NONE);
    if (esp_now_init() != ESP_OK) return -1;
    esp_now_register_recv_cb(on_recv);
    esp_now_register_send_cb(on_sent);
    return add_peer(g_broadcast) == ESP_OK ? 0 : -1;
}

// Makes room in the driver's peer list: drops a peer the table no longer holds.
static void drop_stale_peer(void)
{
    esp_now_peer_info_t p;
    bool first = true;
    while (esp_now_fetch_peer(first, &p) == ESP_OK) {
        uint16_t id;
        first = false;
        if (memcmp(p.peer_addr, g_broadcast, 6) == 0) continue;
        portENTER_CRITICAL(&g_peers_lock);
        id = myco_peer_table_id(&g_peers, p.peer_addr);
        portEXIT_CRITICAL(&g_peers_lock);
        if (id == 0) {
            esp_now_del_peer(p.peer_addr);
            return;
        }
    }
}

static int32_t espnow_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    uint8_t mac[6];
    const uint8_t *known;
    esp_err_t rc;
    if (len > ESP_NOW_MAX_DATA_LEN) return MYCO_SEND_TOO_LONG;
    if (dst == MYCO_NODE_NONE) return MYCO_SEND_BAD_DST;
    if (dst == MYCO_BROADCAST) {
        memcpy(mac, g_broadcast, 6);
    } else {
        portENTER_CRITICAL(&g_peers_lock);
        known = myco_peer_table_mac(&g_peers, dst);
        if (known) memcpy(mac, known, 6);
        portEXIT_CRITICAL(&g_peers_lock);
        // Only a neighbour we heard has a known MAC; the module sends to neighbours only.
        if (!known) return MYCO_SEND_BAD_DST;
        if (!esp_now_is_peer_exist(mac)) {
            rc = add_peer(mac);
            if (rc == ESP_ERR_ESPNOW_FULL) {
                drop_stale_peer();
                rc = add_peer(mac);
            }
            if (rc != ESP_OK) return MYCO_SEND_QUEUE_FULL;
        }
    }
    rc = esp_now_send(mac, frame, len);
    return rc == ESP_OK ? MYCO_SEND_OK : MYCO_SEND_QUEUE_FULL;
}

// ESP-NOW keeps the station free of any AP: no Wi-Fi tree in mesh mode, and nothing to poll.
extern "C" const myco_radio myco_esp32_mesh = {espnow_begin, "ESP-NOW did not start", espnow_send, NULL, NULL, NULL};
