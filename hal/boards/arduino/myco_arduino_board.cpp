// The shim every Arduino board shares (myco_arduino_board.h): boot, settings, the HAL
// functions that read the same on each core, and the idle wait around the board's hooks.
// C++ only for the Arduino objects (Serial, LittleFS).
#include <Arduino.h>
#include <LittleFS.h>
#include <stdlib.h>

#include "myco_arduino_board.h"
#include "myco_arduino_serial.h"
#include "myco_cfg_store.h"
#include "myco_hal.h"
#include "myco_module_image.h"
#include "myco_shell.h"
#include "myco_wait.h"

// A board reboots after a panic; the pause lets the line reach the serial monitor.
#define MYCO_PANIC_REBOOT_MS 2000u

static myco_cfg_stored g_settings;
static uint16_t g_id;
static const myco_radio *g_radio; // the one route_mode chose, begun at boot

// ---- settings ----------------------------------------------------------------------

static void load_settings(void)
{
    uint8_t bytes[MYCO_CFG_STORE_MAX];
    uint32_t n = myco_board.settings_read(bytes, sizeof bytes);
    if (myco_cfg_store_decode(bytes, n, &g_settings) == MYCO_CFG_STORE_CORRUPT)
        myco_serial_line("note settings in flash are corrupt; using defaults");
}

extern "C" int myco_arduino_save_settings(const myco_cfg_stored *s)
{
    uint8_t bytes[MYCO_CFG_STORE_MAX];
    uint32_t n = myco_cfg_store_encode(s, bytes, sizeof bytes);
    if (n == 0) return -1;
    return myco_board.settings_write(bytes, n);
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
    return myco_board.rand();
}

// ---- radio and wait ---------------------------------------------------------------------

int32_t myco_shim_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    return g_radio->send(dst, frame, len);
}

int32_t myco_shim_wifi(uint32_t op, uint32_t arg)
{
    return myco_radio_wifi(g_radio, op, arg);
}

static uint32_t w_now(void *ctx)
{
    (void)ctx;
    return millis();
}

static void w_poll(void *ctx, uint32_t now)
{
    (void)ctx;
    myco_radio_poll(g_radio, now);
}

static uint32_t w_next(void *ctx, uint32_t now)
{
    (void)ctx;
    return myco_radio_next_ms(g_radio, now);
}

static int w_console(void *ctx)
{
    (void)ctx;
    return myco_serial_console();
}

static void w_idle(void *ctx, uint32_t ms)
{
    (void)ctx;
    myco_board.idle(ms);
}

// ---- module updates ---------------------------------------------------------------------

// The module the console's `module` command runs: a file of the LittleFS partition, put
// there with `pio run -t uploadfs` (data/node.wasm) or by whatever fetched it over the air.
#define MYCO_MODULE_FILE "/node.wasm"

static const uint8_t *g_running_update; // the update the node runs now; the built-in image stays

// Reads the module file into RAM of its own (wasm3 reads the bytes while the module runs);
// 1 with `out` carrying it, 0 after a line saying why not.
static int read_module_file(myco_wake *out)
{
#if defined(MYCO_ENGINE_AOT)
    (void)out;
    myco_serial_line("console error module: this image runs its module ahead of time (engine aot); flash a new image to change it");
    return 0;
#else
    char line[96];
    File f = LittleFS.open(MYCO_MODULE_FILE, "r");
    if (!f) {
        myco_serial_line("console error module: no " MYCO_MODULE_FILE " in flash (pio run -t uploadfs)");
        return 0;
    }
    size_t size = f.size();
    uint8_t *bytes = size ? (uint8_t *)malloc(size) : NULL;
    // File::read returns int on the ESP8266 core and size_t on the ESP32's; -1 never equals size.
    if (!bytes || (size_t)f.read(bytes, size) != size) {
        snprintf(line, sizeof line, "console error module: cannot %s " MYCO_MODULE_FILE " (%lu bytes)",
                 bytes ? "read" : "hold", (unsigned long)size);
        myco_serial_line(line);
        f.close();
        free(bytes);
        return 0;
    }
    f.close();
    snprintf(line, sizeof line, "console ok module " MYCO_MODULE_FILE " (%lu bytes)", (unsigned long)size);
    myco_serial_line(line);
    out->module = bytes;
    out->len = (uint32_t)size;
    return 1;
#endif
}

void myco_shim_module_done(const uint8_t *module, int running)
{
    if (!running) {
        free((void *)module);
        return;
    }
    free((void *)g_running_update);
    g_running_update = module;
}

void myco_shim_wait(uint32_t timeout_ms, uint8_t *buf, uint32_t cap, myco_wake *out)
{
    static const myco_wait_ops ops = {w_now, w_poll, w_next, w_console, w_idle, NULL};
    myco_wait_run(&ops, myco_board.queue, timeout_ms, buf, cap, out);
    if (out->kind == MYCO_WAKE_MODULE && !read_module_file(out)) out->kind = MYCO_WAKE_TIMEOUT;
}

// ---- peripherals ------------------------------------------------------------------------

// Channel 0: the ADC, u16 little-endian raw counts.
int32_t myco_shim_sensor(uint32_t channel, uint8_t *out, uint32_t max)
{
    uint16_t v;
    if (channel != 0) return MYCO_SENSOR_NO_CHANNEL;
    if (max < 2) return 0;
    v = (uint16_t)analogRead(myco_board.adc_pin);
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
    if (!myco_board.accel) return MYCO_ACCEL_UNAVAILABLE; // no accelerator: the Wasm kernels run
    return myco_board.accel(op, in, in_len, out, out_len);
}

void myco_shim_panic(const char *reason)
{
    Serial.print("panic ");
    Serial.println(reason);
    Serial.flush();
    delay(MYCO_PANIC_REBOOT_MS);
    myco_board.reboot();
    for (;;) delay(1000);
}

// ---- boot -------------------------------------------------------------------------------

// A node that cannot start keeps the console, so the settings can be fixed from it.
static void refused(const char *why)
{
    myco_serial_line(why);
    myco_serial_line("note fix the settings on this console (help), save, reboot");
    for (;;) {
        if (myco_serial_console() == MYCO_WAIT_CONSOLE_MODULE)
            myco_serial_line("console error module: no module is running; fix the settings, save, reboot");
        delay(MYCO_CONSOLE_POLL_MS);
    }
}

void setup(void)
{
    myco_shell_params params;
    uint32_t mode = 0;
    char line[96];
    int n;

    myco_serial_begin(&g_settings);
    myco_frame_queue_init(myco_board.queue);
    load_settings();
    myco_cfg_blob_value(g_settings.config.bytes, g_settings.config.len, MYCO_CFG_ROUTE_MODE, &mode);
    g_radio = myco_board.start(g_settings.node_id, mode, &g_id);
    n = snprintf(line, sizeof line, "board %s id=%u mode=%s", myco_board.name, (unsigned)g_id,
                 mode == 1 ? "tree" : "mesh");
    if (myco_board.describe && n > 0 && (size_t)n < sizeof line)
        myco_board.describe(line + n, (uint32_t)(sizeof line - (size_t)n));
    myco_serial_line(line);
    if (g_id == 0) {
        snprintf(line, sizeof line, "error no node id: %s gives none; set one with `id N`", myco_board.id_source);
        refused(line);
    }
    if (g_radio->begin && g_radio->begin(g_id) != 0) {
        snprintf(line, sizeof line, "error %s", g_radio->failure);
        refused(line);
    }

    myco_module_params(&params);
    if (myco_shell_run(&params) == MYCO_SHELL_REFUSED) refused("error the module refused to start");
    // MYCO_SHELL_STOPPED: the console asked the node to stop (MYCO_WAIT_CONSOLE_STOP).
    myco_serial_line("stopped reason=console");
    refused("note the node stopped");
}

void loop(void)
{
    // myco_shell_run never returns while the node runs; setup() holds it.
}
