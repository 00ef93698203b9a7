// The Elastic Node v5 board (RP2040, arduino-pico core): boot, settings in the emulated
// EEPROM, the radio through the ESP32 bridge, the FPGA as `accel`, the rest of the HAL.
#include <Arduino.h>
#include <EEPROM.h>
#include <LittleFS.h>

#include "myco_arduino_serial.h"
#include "myco_cfg_store.h"
#include "myco_enode_accels.h"
#include "myco_enode_board.h"
#include "myco_enode_fpga.h"
#include "myco_enode_hw.h"
#include "myco_enode_net.h"
#include "myco_hal.h"
#include "myco_module_image.h"
#include "myco_shell.h"
#include "myco_wait.h"

// A board reboots after a panic; the pause lets the line reach the serial monitor.
#define MYCO_PANIC_REBOOT_MS 2000u
// The bridge's UART is polled (its bytes wait in the UART's software FIFO meanwhile).
#define MYCO_ENODE_UART_POLL_MS 2u
// ESP-NOW's payload limit, which the bridge's radio has in both modes.
#define MYCO_ENODE_MTU 250u

static myco_frame_queue g_queue;
static myco_cfg_stored g_settings;
static myco_enode_net g_net;
static myco_fpga g_fpga;

// ---- settings ----------------------------------------------------------------------

static void load_settings(void)
{
    uint8_t bytes[MYCO_CFG_STORE_MAX];
    uint32_t i;
    EEPROM.begin(MYCO_CFG_STORE_MAX);
    for (i = 0; i < sizeof bytes; i++) bytes[i] = EEPROM.read((int)i);
    if (myco_cfg_store_decode(bytes, sizeof bytes, &g_settings) == MYCO_CFG_STORE_CORRUPT)
        myco_serial_line("note settings in flash are corrupt; using defaults");
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
    rp2040.reboot();
}

// ---- identity, time ---------------------------------------------------------------------

uint16_t myco_shim_node_id(void)
{
    return g_net.node_id;
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
    return rp2040.hwrand32(); // ring-oscillator entropy
}

// ---- radio (through the bridge) and wait -------------------------------------------------

int32_t myco_shim_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    return myco_enode_net_send(&g_net, dst, frame, len);
}

int32_t myco_shim_wifi(uint32_t op, uint32_t arg)
{
    return myco_enode_net_wifi(&g_net, op, arg);
}

static uint32_t w_now(void *ctx)
{
    (void)ctx;
    return millis();
}

static void w_poll(void *ctx, uint32_t now)
{
    (void)ctx;
    myco_enode_net_poll(&g_net);
    myco_fpga_poll(&g_fpga, now);
}

static uint32_t w_next(void *ctx, uint32_t now)
{
    uint32_t next = myco_enode_net_next_ms(&g_net, now);
    (void)ctx;
    return next < MYCO_ENODE_UART_POLL_MS ? next : MYCO_ENODE_UART_POLL_MS;
}

static int w_console(void *ctx)
{
    (void)ctx;
    return myco_serial_console();
}

static void w_idle(void *ctx, uint32_t ms)
{
    (void)ctx;
    delay(ms); // the core sleeps the CPU (WFE) in delay
}

void myco_shim_wait(uint32_t timeout_ms, uint8_t *buf, uint32_t cap, myco_wake *out)
{
    static const myco_wait_ops ops = {w_now, w_poll, w_next, w_console, w_idle, NULL};
    myco_wait_run(&ops, &g_queue, timeout_ms, buf, cap, out);
}

// ---- peripherals ------------------------------------------------------------------------

// Channel 0: the ADC, u16 little-endian raw counts.
int32_t myco_shim_sensor(uint32_t channel, uint8_t *out, uint32_t max)
{
    uint16_t v;
    if (channel != 0) return MYCO_SENSOR_NO_CHANNEL;
    if (max < 2) return 0;
    v = (uint16_t)analogRead(MYCO_ENODE_ADC_PIN);
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
    return myco_fpga_run(&g_fpga, op, in, in_len, out, out_len);
}

void myco_shim_panic(const char *reason)
{
    Serial.print("panic ");
    Serial.println(reason);
    Serial.flush();
    delay(MYCO_PANIC_REBOOT_MS);
    rp2040.reboot();
    for (;;) delay(1000);
}

// ---- boot -------------------------------------------------------------------------------

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
    myco_frame_queue_init(&g_queue);
    load_settings();
    LittleFS.begin();
    myco_enode_hw_begin();
    myco_fpga_init(&g_fpga, myco_enode_accels, myco_enode_accel_count, &myco_enode_fpga_bus);
    myco_cfg_blob_value(g_settings.config.bytes, g_settings.config.len, MYCO_CFG_ROUTE_MODE, &mode);
    myco_enode_net_init(&g_net, &myco_enode_uart_ops, &g_queue, g_settings.node_id, (uint8_t)mode,
                        MYCO_ENODE_MTU);
    // The node id may come from the bridge's MAC: wait for its READY (HELLO repeats).
    while (!g_net.ready) {
        myco_enode_net_poll(&g_net);
        myco_serial_console();
        delay(MYCO_ENODE_UART_POLL_MS);
    }
    snprintf(line, sizeof line, "board elasticnode-v5 id=%u mode=%s accels=%lu", (unsigned)g_net.node_id,
             mode == 1 ? "tree" : "mesh", (unsigned long)myco_enode_accel_count);
    myco_serial_line(line);
    if (g_net.node_id == 0) refused("error no node id: the bridge's MAC gives none; set one with `id N`");

    myco_module_params(&params);
    if (myco_shell_run(&params) == MYCO_SHELL_REFUSED) refused("error the module refused to start");
    refused("note the node stopped");
}

void loop(void)
{
    // myco_shell_run never returns while the node runs; setup() holds it.
}
