// The ESP32 board: boot, settings in Preferences (NVS), the HAL functions the radios do
// not cover, and the idle wait.
#include <Arduino.h>
#include <LittleFS.h>
#include <Preferences.h>
#include <WiFi.h>
#include <esp_random.h>
#include <esp_sleep.h>
#include <esp_wifi.h>

#include "myco_arduino_serial.h"
#include "myco_cfg_store.h"
#include "myco_esp32.h"
#include "myco_hal.h"
#include "myco_hermes.h"
#include "myco_module_image.h"
#include "myco_shell.h"
#include "myco_wait.h"

// A board reboots after a panic; the pause lets the line reach the serial monitor.
#define MYCO_PANIC_REBOOT_MS 2000u
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

static myco_cfg_stored g_settings;
static Preferences g_prefs;
static uint16_t g_id;
static uint8_t g_tree; // route_mode 1: the Wi-Fi tree link instead of ESP-NOW
static TaskHandle_t g_loop_task;

// ---- settings ----------------------------------------------------------------------

static void load_settings(void)
{
    uint8_t bytes[MYCO_CFG_STORE_MAX];
    size_t n;
    g_prefs.begin("myco", false);
    n = g_prefs.getBytes("settings", bytes, sizeof bytes);
    if (myco_cfg_store_decode(bytes, (uint32_t)n, &g_settings) == MYCO_CFG_STORE_CORRUPT)
        myco_serial_line("note settings in flash are corrupt; using defaults");
}

extern "C" int myco_board_save_settings(const myco_cfg_stored *s)
{
    uint8_t bytes[MYCO_CFG_STORE_MAX];
    uint32_t n = myco_cfg_store_encode(s, bytes, sizeof bytes);
    if (n == 0) return -1;
    return g_prefs.putBytes("settings", bytes, n) == n ? 0 : -1;
}

extern "C" void myco_board_reboot(void)
{
    ESP.restart();
}

// ---- identity, time ---------------------------------------------------------------------

uint16_t myco_shim_node_id(void)
{
    return g_id;
}

int32_t myco_shim_config(uint8_t *out, uint32_t cap)
{
    if (g_settings.config.len > cap) return -1;
    memcpy(out, g_settings.config.bytes, g_settings.config.len);
    return (int32_t)g_settings.config.len;
}

uint32_t myco_shim_now_ms(void)
{
    return millis();
}

uint32_t myco_shim_rand(void)
{
    return esp_random(); // the hardware generator (true random with the radio on)
}

// ---- radio and wait ---------------------------------------------------------------------

int32_t myco_shim_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    return g_tree ? myco_esp32_tree_send(dst, frame, len) : myco_esp32_espnow_send(dst, frame, len);
}

int32_t myco_shim_wifi(uint32_t op, uint32_t arg)
{
    // ESP-NOW (mesh mode) keeps the station free of any AP: no tree there.
    return g_tree ? myco_esp32_tree_wifi(op, arg) : MYCO_WIFI_NOT_AVAILABLE;
}

extern "C" void myco_esp32_wake(void)
{
    if (g_loop_task) xTaskNotifyGive(g_loop_task);
}

static uint32_t w_now(void *ctx)
{
    (void)ctx;
    return millis();
}

static void w_poll(void *ctx, uint32_t now)
{
    (void)ctx;
    if (g_tree) myco_esp32_tree_poll(now);
}

static uint32_t w_next(void *ctx, uint32_t now)
{
    (void)ctx;
    return g_tree ? myco_esp32_tree_next_ms(now) : MYCO_NO_DEADLINE;
}

static int w_console(void *ctx)
{
    (void)ctx;
    return myco_serial_console();
}

static void w_idle(void *ctx, uint32_t ms)
{
    (void)ctx;
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

void myco_shim_wait(uint32_t timeout_ms, uint8_t *buf, uint32_t cap, myco_wake *out)
{
    static const myco_wait_ops ops = {w_now, w_poll, w_next, w_console, w_idle, NULL};
    myco_wait_run(&ops, &myco_esp32_queue, timeout_ms, buf, cap, out);
}

// ---- peripherals ------------------------------------------------------------------------

// Channel 0: the ADC, u16 little-endian raw counts.
int32_t myco_shim_sensor(uint32_t channel, uint8_t *out, uint32_t max)
{
    uint16_t v;
    if (channel != 0) return MYCO_SENSOR_NO_CHANNEL;
    if (max < 2) return 0;
    v = (uint16_t)analogRead(MYCO_ESP32_ADC_PIN);
    out[0] = (uint8_t)v;
    out[1] = (uint8_t)(v >> 8);
    return 2;
}

// Blob `id` is the file /blob/<id> of the LittleFS partition (uploaded with `pio run -t uploadfs`).
int32_t myco_shim_blob_read(uint32_t id, uint32_t offset, uint8_t *out, uint32_t len)
{
    char path[24];
    size_t size;
    snprintf(path, sizeof path, "/blob/%lu", (unsigned long)id);
    File f = LittleFS.open(path, "r");
    if (!f) return MYCO_BLOB_NO_BLOB;
    size = f.size();
    if (offset > size) {
        f.close();
        return MYCO_BLOB_BAD_OFFSET;
    }
    if (len > size - offset) len = (uint32_t)(size - offset);
    f.seek(offset);
    len = (uint32_t)f.read(out, len);
    f.close();
    return (int32_t)len;
}

int32_t myco_shim_accel(uint32_t op, const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len)
{
    (void)op;
    (void)in;
    (void)in_len;
    (void)out;
    (void)out_len;
    return MYCO_ACCEL_UNAVAILABLE; // no accelerator: the Wasm kernels run
}

void myco_shim_panic(const char *reason)
{
    Serial.print("panic ");
    Serial.println(reason);
    Serial.flush();
    delay(MYCO_PANIC_REBOOT_MS);
    ESP.restart();
    for (;;) delay(1000);
}

// ---- boot -------------------------------------------------------------------------------

static void choose_identity(void)
{
    uint8_t mac[6];
    WiFi.macAddress(mac);
    g_id = g_settings.node_id ? g_settings.node_id : myco_hermes_id_from_mac(mac);
    if (g_settings.node_id && myco_hermes_id_from_mac(mac) != g_id) {
        // ESP-NOW peers map MAC to id by the last two bytes: take a MAC that says our id.
        myco_hermes_mac_for_id(g_id, mac);
        esp_wifi_set_mac(WIFI_IF_STA, mac);
    }
}

static void refused(const char *why)
{
    myco_serial_line(why);
    myco_serial_line("note fix the settings on this console (help), save, reboot");
    for (;;) {
        myco_serial_console();
        delay(MYCO_CONSOLE_POLL_MS);
    }
}

void setup(void)
{
    myco_shell_params params;
    uint32_t mode = 0;
    char line[96];

    g_loop_task = xTaskGetCurrentTaskHandle();
    myco_serial_begin(&g_settings);
    myco_frame_queue_init(&myco_esp32_queue);
    load_settings();
    LittleFS.begin(false);
    myco_cfg_blob_value(g_settings.config.bytes, g_settings.config.len, MYCO_CFG_ROUTE_MODE, &mode);
    g_tree = mode == 1;
    WiFi.persistent(false);
    WiFi.mode(g_tree ? WIFI_AP_STA : WIFI_STA);
    choose_identity();
    snprintf(line, sizeof line, "board esp32 id=%u mode=%s", (unsigned)g_id, g_tree ? "tree" : "mesh");
    myco_serial_line(line);
    if (g_id == 0) refused("error no node id: the MAC gives none; set one with `id N`");
    if ((g_tree ? myco_esp32_tree_begin(g_id) : myco_esp32_espnow_begin(g_id)) != 0)
        refused(g_tree ? "error the softAP or UDP socket did not start" : "error ESP-NOW did not start");

    myco_module_params(&params);
    if (myco_shell_run(&params) == MYCO_SHELL_REFUSED) refused("error the module refused to start");
    refused("note the node stopped");
}

void loop(void)
{
    // myco_shell_run never returns while the node runs; setup() holds it.
}
