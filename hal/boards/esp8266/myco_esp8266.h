/*
 * The ESP8266 shim's parts (Arduino core for ESP8266): the board's hooks under the shared
 * Arduino shim in myco_esp8266_main.cpp, the mesh radio (ESP-NOW) in
 * myco_esp8266_espnow.cpp, the tree link (softAP + station, UDP) in myco_esp8266_tree.cpp
 * over hal/boards/arduino/myco_esp_wifi.cpp. Everything runs in the core's single
 * cooperative context: SDK callbacks run only while the loop yields (esp_delay), never in
 * the middle of a shell call, so the radio state needs no locks.
 */
#ifndef MYCO_ESP8266_H
#define MYCO_ESP8266_H

#include <stdint.h>

#include "myco_esp_wifi.h"
#include "myco_frame_queue.h"
#include "myco_radio.h"

#ifdef __cplusplus
extern "C" {
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

extern const myco_radio myco_esp8266_mesh; /* ESP-NOW */
extern const myco_radio myco_esp8266_tree; /* softAP + station, UDP */

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ESP8266_H */
