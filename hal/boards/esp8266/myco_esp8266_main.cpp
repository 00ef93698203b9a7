// The ESP8266 board: boot, settings in EEPROM, the HAL functions the radios do not cover.
#include <Arduino.h>
#include <EEPROM.h>
#include <ESP8266WiFi.h>
#include <LittleFS.h>
#include <coredecls.h>
extern "C" {
#include <user_interface.h>
}

#include "myco_arduino_serial.h"
#include "myco_cfg_store.h"
#include "myco_esp8266.h"
#include "myco_hal.h"
#include "myco_hermes.h"
#include "myco_module_image.h"
#include "myco_shell.h"
#include "myco_wait.h"

// A board reboots after a panic; the pause lets the line reach the serial monitor.
#define MYCO_PANIC_REBOOT_MS 2000u

myco_frame_queue myco_esp8266_queue;

static myco_cfg_stored g_settings;
static uint16_t g_id;
static uint8_t g_tree; // route_mode 1: the Wi-Fi tree link instead of ESP-NOW

// ---- settings ----------------------------------------------------------------------

static void load_settings(void)
{
    uint8_t bytes[MYCO_CFG_STORE_MAX];
    uint32_t i;
    int rc;
    EEPROM.begin(MYCO_CFG_STORE_MAX);
    for (i = 0; i < sizeof bytes; i++) bytes[i] = EEPROM.read((int)i);
    rc = myco_cfg_store_decode(bytes, sizeof bytes, &g_settings);
    if (rc == MYCO_CFG_STORE_CORRUPT) myco_serial_line("note settings in flash are corrupt; using defaults");
}

extern "C" int myco_board_save_settings(const myco_cfg_stored *s)
{
    uint8_t bytes[MYCO_CFG_STORE_MAX];
    uint32_t n = myco_cfg_store_encode(s, bytes, sizeof bytes), i;
    if (n == 0) return -1;
    for (i = 0; i < n; i++) EEPROM.write((int)i, bytes[i]);
    return EEPROM.commit() ? 0 : -1;
}

extern "C" void myco_board_reboot(void)
{
    ESP.restart();
}

// ---- identity and configuration ---------------------------------------------------------

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
    return ESP.random(); // the hardware generator
}

// ---- radio ------------------------------------------------------------------------------

int32_t myco_shim_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    return g_tree ? myco_esptree_send(dst, frame, len) : myco_espnow_send(dst, frame, len);
}

int32_t myco_shim_wifi(uint32_t op, uint32_t arg)
{
    // ESP-NOW (mesh mode) keeps the station free of any AP: no tree there.
    return g_tree ? myco_esptree_wifi(op, arg) : MYCO_WIFI_NOT_AVAILABLE;
}

static uint32_t w_now(void *ctx)
{
    (void)ctx;
    return millis();
}

static void w_poll(void *ctx, uint32_t now)
{
    (void)ctx;
    if (g_tree) myco_esptree_poll(now);
}

static uint32_t w_next(void *ctx, uint32_t now)
{
    (void)ctx;
    return g_tree ? myco_esptree_next_ms(now) : MYCO_NO_DEADLINE;
}

static int w_console(void *ctx)
{
    (void)ctx;
    return myco_serial_console();
}

static void w_idle(void *ctx, uint32_t ms)
{
    (void)ctx;
    // Yields to the SDK (Wi-Fi, callbacks); a radio callback's esp_schedule() ends it early.
    // The SDK's modem sleep runs here where the Wi-Fi mode allows it.
    esp_delay(ms, []() { return myco_frame_queue_empty(&myco_esp8266_queue) && Serial.available() <= 0; });
}

void myco_shim_wait(uint32_t timeout_ms, uint8_t *buf, uint32_t cap, myco_wake *out)
{
    static const myco_wait_ops ops = {w_now, w_poll, w_next, w_console, w_idle, NULL};
    myco_wait_run(&ops, &myco_esp8266_queue, timeout_ms, buf, cap, out);
}

// ---- peripherals ------------------------------------------------------------------------

// Channel 0: the ADC (pin A0), u16 little-endian raw counts.
int32_t myco_shim_sensor(uint32_t channel, uint8_t *out, uint32_t max)
{
    uint16_t v;
    if (channel != 0) return MYCO_SENSOR_NO_CHANNEL;
    if (max < 2) return 0;
    v = (uint16_t)analogRead(A0);
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
    f.seek(offset, SeekSet);
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
        wifi_set_macaddr(STATION_IF, mac);
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

    myco_serial_begin(&g_settings);
    myco_frame_queue_init(&myco_esp8266_queue);
    load_settings();
    LittleFS.begin();
    myco_cfg_blob_value(g_settings.config.bytes, g_settings.config.len, MYCO_CFG_ROUTE_MODE, &mode);
    g_tree = mode == 1;
    WiFi.persistent(false);
    WiFi.mode(g_tree ? WIFI_AP_STA : WIFI_STA);
    choose_identity();
    snprintf(line, sizeof line, "board esp8266 id=%u mode=%s", (unsigned)g_id, g_tree ? "tree" : "mesh");
    myco_serial_line(line);
    if (g_id == 0) refused("error no node id: the MAC gives none; set one with `id N`");
    if ((g_tree ? myco_esptree_begin(g_id) : myco_espnow_begin(g_id)) != 0)
        refused(g_tree ? "error the softAP or UDP socket did not start" : "error ESP-NOW did not start");

    myco_module_params(&params);
    if (myco_shell_run(&params) == MYCO_SHELL_REFUSED) refused("error the module refused to start");
    myco_serial_line("stopped reason=console");
    refused("note the node stopped");
}

void loop(void)
{
    // myco_shell_run never returns while the node runs; setup() holds it.
}
