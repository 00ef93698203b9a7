/*
 * The ESP32 radio (Arduino core for ESP32, 2.x on ESP-IDF 4.4 and 3.x on ESP-IDF 5): ESP-NOW
 * for mesh mode (myco_esp32_espnow.cpp) and the Wi-Fi tree link (myco_esp32_tree.cpp, over
 * hal/boards/arduino/myco_esp_wifi.cpp), one myco_radio table each. Two images use them: the
 * esp32 node (myco_esp32_main.cpp) and the Elastic Node's network bridge
 * (hal/boards/elasticnode/bridge), each defining myco_esp32_wake.
 *
 * Radio callbacks run in the Wi-Fi driver's task and Arduino's event task, not in the
 * loop: ESP-NOW frames go straight into the queue (one producer, the Wi-Fi task), while
 * tree-mode driver events are deferred to a small locked ring and applied by the tree
 * radio's poll in the loop, so the tree link's state has one owner.
 */
#ifndef MYCO_ESP32_H
#define MYCO_ESP32_H

#include <stdint.h>

#include "myco_esp_wifi.h"
#include "myco_frame_queue.h"
#include "myco_radio.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Stations the softAP admits: boards/esp32.json wifi.max_children. */
#ifndef MYCO_ESP32_MAX_STATIONS
#define MYCO_ESP32_MAX_STATIONS 10
#endif
/* ESP-IDF 4 (Arduino core 2.x) reports no RSSI with an ESP-NOW frame. */
#ifndef MYCO_ESP32_ESPNOW_RSSI
#define MYCO_ESP32_ESPNOW_RSSI (-50)
#endif

extern myco_frame_queue myco_esp32_queue;

/* Defined by the image: something was queued, end the loop's idle wait. */
void myco_esp32_wake(void);

extern const myco_radio myco_esp32_mesh; /* ESP-NOW */
extern const myco_radio myco_esp32_tree; /* softAP + station, UDP */

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ESP32_H */
