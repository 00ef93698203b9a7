/*
 * The ESP8266 shim's parts (Arduino core for ESP8266): boot and HAL functions in
 * myco_esp8266_main.cpp, the mesh radio (ESP-NOW) in myco_esp8266_espnow.cpp, the tree link
 * (softAP + station, UDP) in myco_esp8266_tree.cpp. Everything runs in the core's single
 * cooperative context: SDK callbacks run only while the loop yields (esp_delay), never in
 * the middle of a shell call, so the radio state needs no locks.
 */
#ifndef MYCO_ESP8266_H
#define MYCO_ESP8266_H

#include <stdint.h>

#include "myco_frame_queue.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every node of a swarm uses one channel: softAP and station share the radio, and a
 * station joining a parent on another channel would move its own softAP and drop its
 * children. ESP-NOW peers must share it too. */
#ifndef MYCO_WIFI_CHANNEL
#define MYCO_WIFI_CHANNEL 1
#endif
/* ESP-NOW on the ESP8266 reports no signal strength for a received frame; frames count
 * as a good link (the module rates links by hello reception, not by RSSI). */
#ifndef MYCO_ESP8266_ESPNOW_RSSI
#define MYCO_ESP8266_ESPNOW_RSSI (-50)
#endif
/* Stations the softAP admits: boards/esp8266.json wifi.max_children. */
#ifndef MYCO_ESP8266_MAX_STATIONS
#define MYCO_ESP8266_MAX_STATIONS 8
#endif

/* The queue both radios fill and myco_shim_wait drains. */
extern myco_frame_queue myco_esp8266_queue;

int myco_espnow_begin(uint16_t node_id);
int32_t myco_espnow_send(uint16_t dst, const uint8_t *frame, uint32_t len);

int myco_esptree_begin(uint16_t node_id);
int32_t myco_esptree_send(uint16_t dst, const uint8_t *frame, uint32_t len);
int32_t myco_esptree_wifi(uint32_t op, uint32_t arg);
void myco_esptree_poll(uint32_t now);
uint32_t myco_esptree_next_ms(uint32_t now);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ESP8266_H */
