/*
 * Wi-Fi on the two ESP cores (Arduino core for ESP32 and for ESP8266), whose WiFi and
 * WiFiUDP objects take the same calls: the station's start under the node's id, and tree
 * mode's softAP, UDP datagrams, scan results and timers around myco_tree_link.c. Used by
 * the esp32 and esp8266 shims and by the Elastic Node's bridge (an ESP32). What the cores
 * do differently (starting a scan, leaving a parent, the beacon's vendor element, driver
 * events) stays in each board's tree file, which passes it in as myco_tree_ops and a
 * `watch_driver` hook. ESP cores only: platformio.ini leaves myco_esp_wifi.cpp out of the
 * RP2040 image.
 */
#ifndef MYCO_ESP_WIFI_H
#define MYCO_ESP_WIFI_H

#include <stdint.h>

#include "myco_frame_queue.h"
#include "myco_tree_link.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every node of a swarm uses one channel: softAP and station share the radio, and a
 * station joining a parent on another channel would move its own softAP and drop its
 * children. ESP-NOW peers must share it too. */
#ifndef MYCO_WIFI_CHANNEL
#define MYCO_WIFI_CHANNEL 1
#endif

/* Puts Wi-Fi in the mode the radio needs (softAP + station for the tree, station for
 * ESP-NOW), nothing of it kept in flash, and returns the node id (myco_hermes_node_id):
 * `configured` unless 0, else the MAC's, 0 when there is none. The station takes a MAC
 * ending in a configured id before any radio starts. */
uint16_t myco_esp_wifi_start(uint16_t configured, int tree);

/* Tree mode's link; the board's driver callbacks feed it. */
extern myco_tree_link myco_esp_tree;

/* myco_tree_ops.connect and .udp_send, the same on both cores. */
int myco_esp_tree_connect(void *ctx, uint16_t parent, const uint8_t bssid[6], uint8_t channel);
int myco_esp_tree_udp(void *ctx, const uint8_t ip[4], const uint8_t *dgram, uint32_t len);

/* Starts the tree link of node `node_id` over the board's `ops` (with the two above) and
 * queue: softAP at the HERMES address with at most `max_stations` children, the first
 * beacon element, then `watch_driver` (the board registers its driver callbacks), then the UDP
 * socket. 0, or -1 when the softAP or the socket did not start. */
int myco_esp_tree_begin(uint16_t node_id, const myco_tree_ops *ops, myco_frame_queue *q,
                        int max_stations, void (*watch_driver)(void));

/* The tree radio's send, wifi, poll (scan results, datagrams, timers) and next_ms
 * (myco_radio.h). */
int32_t myco_esp_tree_send(uint16_t dst, const uint8_t *frame, uint32_t len);
int32_t myco_esp_tree_wifi(uint32_t op, uint32_t arg);
void myco_esp_tree_poll(uint32_t now);
uint32_t myco_esp_tree_next_ms(uint32_t now);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ESP_WIFI_H */
