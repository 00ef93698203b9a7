// The ESP8266 board's hooks under the shared Arduino shim (myco_arduino_board.h): settings
// in EEPROM, the radio by route_mode, the idle wait in esp_delay.
#include <Arduino.h>
#include <LittleFS.h>
#include <coredecls.h>

#include "myco_arduino_board.h"
#include "myco_arduino_eeprom.h"
#include "myco_esp8266.h"
#include "myco_esp_wifi.h"

myco_frame_queue myco_esp8266_queue;

static const myco_radio *board_start(uint16_t configured, uint32_t route_mode, uint16_t *id)
{
    LittleFS.begin();
    *id = myco_esp_wifi_start(configured, route_mode == 1);
    return route_mode == 1 ? &myco_esp8266_tree : &myco_esp8266_mesh;
}

static void board_idle(uint32_t ms)
{
    // Yields to the SDK (Wi-Fi, callbacks); a radio callback's esp_schedule() ends it early.
    // The SDK's modem sleep runs here where the Wi-Fi mode allows it.
    esp_delay(ms, []() { return myco_frame_queue_empty(&myco_esp8266_queue) && Serial.available() <= 0; });
}

static uint32_t board_rand(void)
{
    return ESP.random(); // the hardware generator
}

static void board_reboot(void)
{
    ESP.restart();
}

extern "C" const myco_arduino_board myco_board = {
    "esp8266", "the MAC", &myco_esp8266_queue, A0,
    myco_eeprom_read, myco_eeprom_write, board_start, NULL,
    board_idle, board_rand, NULL /* no accelerator */, board_reboot,
};
