// The ESP32 board's hooks under the shared Arduino shim (myco_arduino_board.h): settings in
// Preferences (NVS), the radio by route_mode, the idle wait on a task notification.
#include <Arduino.h>
#include <LittleFS.h>
#include <Preferences.h>
#include <esp_random.h>
#include <esp_sleep.h>

#include "myco_arduino_board.h"
#include "myco_esp32.h"
#include "myco_esp_wifi.h"

// The ADC pin of sensor channel 0 (GPIO36, "VP" on most ESP32 boards).
#ifndef MYCO_ESP32_ADC_PIN
#define MYCO_ESP32_ADC_PIN 36
#endif
// Light sleep between deadlines turns the radio off: frames sent to the node meanwhile are
// lost. Off by default; a duty-cycled leaf may set it (build flag) and rely on the
// protocol's retransmissions. Waits shorter than the minimum idle with the radio on.
#ifndef MYCO_ESP32_LIGHT_SLEEP
#define MYCO_ESP32_LIGHT_SLEEP 0
#endif
#ifndef MYCO_ESP32_LIGHT_SLEEP_MIN_MS
#define MYCO_ESP32_LIGHT_SLEEP_MIN_MS 20u
#endif

// The node runs inside setup() on Arduino's loop task: wasm3 and the shell need more than
// the default 8 KiB of stack (the macro exists from Arduino core 2.0.3 on).
#ifdef SET_LOOP_TASK_STACK_SIZE
SET_LOOP_TASK_STACK_SIZE(16 * 1024);
#endif

myco_frame_queue myco_esp32_queue;

static Preferences g_prefs;
static TaskHandle_t g_loop_task;

static uint32_t settings_read(uint8_t *bytes, uint32_t cap)
{
    g_prefs.begin("myco", false);
    return (uint32_t)g_prefs.getBytes("settings", bytes, cap);
}

static int settings_write(const uint8_t *bytes, uint32_t len)
{
    return g_prefs.putBytes("settings", bytes, len) == len ? 0 : -1;
}

static const myco_radio *board_start(uint16_t configured, uint32_t route_mode, uint16_t *id)
{
    g_loop_task = xTaskGetCurrentTaskHandle(); // setup() runs on the loop task
    LittleFS.begin(false);
    *id = myco_esp_wifi_start(configured, route_mode == 1);
    return route_mode == 1 ? &myco_esp32_tree : &myco_esp32_mesh;
}

extern "C" void myco_esp32_wake(void)
{
    if (g_loop_task) xTaskNotifyGive(g_loop_task);
}

static void board_idle(uint32_t ms)
{
#if MYCO_ESP32_LIGHT_SLEEP
    if (ms >= MYCO_ESP32_LIGHT_SLEEP_MIN_MS && myco_frame_queue_empty(&myco_esp32_queue)) {
        esp_sleep_enable_timer_wakeup((uint64_t)ms * 1000u);
        esp_light_sleep_start();
        return;
    }
#endif
    // Blocks the loop task; the idle task (and the Wi-Fi driver's modem sleep) runs, and a
    // radio callback's notification ends the wait at once.
    ulTaskNotifyTake(pdTRUE, pdMS_TO_TICKS(ms) ? pdMS_TO_TICKS(ms) : 1);
}

static uint32_t board_rand(void)
{
    return esp_random(); // the hardware generator (true random with the radio on)
}

static void board_reboot(void)
{
    ESP.restart();
}

extern "C" const myco_arduino_board myco_board = {
    "esp32", "the MAC", &myco_esp32_queue, MYCO_ESP32_ADC_PIN,
    settings_read, settings_write, board_start, NULL,
    board_idle, board_rand, NULL /* no accelerator */, board_reboot,
};
