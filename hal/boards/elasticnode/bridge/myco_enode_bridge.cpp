// The Elastic Node's ESP32 network module as a radio for the RP2040 (myco_elink.h): the
// esp32 shim's ESP-NOW and tree link (its two myco_radio tables), driven by messages over
// the UART instead of by a module. No Wasm runs here.
#include <Arduino.h>
#include <WiFi.h>

#include "myco_elink.h"
#include "myco_esp32.h"
#include "myco_esp_wifi.h"
#include "myco_hal.h"
#include "myco_radio.h"

// The UART to the RP2040 (the ESP32's UART2); pins and rate as on the RP2040 side
// (myco_enode_board.h), equally assumptions about the v5 wiring.
#ifndef MYCO_BRIDGE_UART_RX_PIN
#define MYCO_BRIDGE_UART_RX_PIN 16
#endif
#ifndef MYCO_BRIDGE_UART_TX_PIN
#define MYCO_BRIDGE_UART_TX_PIN 17
#endif
#ifndef MYCO_BRIDGE_UART_BAUD
#define MYCO_BRIDGE_UART_BAUD 921600
#endif
// SENDs the host may have outstanding: the radio call is synchronous, so a small number
// only covers the time between reading a SEND and returning its credit.
#define MYCO_BRIDGE_CREDITS 4u

myco_frame_queue myco_esp32_queue;

static myco_elink_decoder g_dec;
static uint8_t g_tx[MYCO_ELINK_ENCODED_MAX];
static uint8_t g_buf[MYCO_FRAME_MAX];
static int g_started; // radio up after a HELLO
static const myco_radio *g_radio; // the one the HELLO's route_mode chose

extern "C" void myco_esp32_wake(void)
{
    // The loop polls the queue every pass; nothing to wake.
}

static void put(uint8_t type, const uint8_t *head, uint32_t head_len, const uint8_t *data, uint32_t len)
{
    uint32_t n = myco_elink_encode(type, head, head_len, data, len, g_tx, sizeof g_tx);
    if (n) Serial2.write(g_tx, n);
}

static void note(uint8_t level, const char *text)
{
    put(MYCO_ELINK_NOTE, &level, 1, (const uint8_t *)text, (uint32_t)strlen(text));
}

static void ready(uint8_t credits)
{
    uint8_t h[8];
    h[0] = MYCO_ELINK_VERSION;
    WiFi.macAddress(h + 1);
    h[7] = credits;
    put(MYCO_ELINK_READY, h, sizeof h, NULL, 0);
}

static void hello(const uint8_t *p, uint32_t len)
{
    uint16_t id;
    if (len < 6 || p[0] != MYCO_ELINK_VERSION) {
        note(MYCO_LOG_ERROR, "HELLO of another link version");
        return;
    }
    if (g_started) {
        // The host restarted: so do we, to drop the old node's peers and children.
        Serial2.flush();
        ESP.restart();
    }
    id = myco_esp_wifi_start(myco_elink_u16(p + 1), p[3] == 1);
    g_radio = p[3] == 1 ? &myco_esp32_tree : &myco_esp32_mesh;
    if (g_radio->begin(id) != 0) {
        note(MYCO_LOG_ERROR, g_radio->failure);
        return;
    }
    g_started = 1;
    ready(MYCO_BRIDGE_CREDITS);
}

static void send(const uint8_t *p, uint32_t len)
{
    uint16_t dst;
    int32_t rc;
    uint8_t credit = 1;
    if (len < 2) return;
    dst = myco_elink_u16(p);
    rc = g_radio->send(dst, p + 2, len - 2);
    // The host answered `send` already; a refusal here reaches the module as a failed
    // transmission, which it handles like a lost frame.
    if (rc != MYCO_SEND_OK && dst != MYCO_BROADCAST) {
        uint8_t h[3] = {MYCO_LINK_TX_FAILED, (uint8_t)dst, (uint8_t)(dst >> 8)};
        put(MYCO_ELINK_LINK, h, 3, NULL, 0);
    }
    put(MYCO_ELINK_CREDIT, &credit, 1, NULL, 0);
}

static void wifi(const uint8_t *p, uint32_t len)
{
    uint8_t h[5];
    int32_t rc;
    if (len < 6) return;
    rc = myco_radio_wifi(g_radio, p[1], myco_elink_u32(p + 2));
    h[0] = p[0];
    myco_elink_put_u32(h + 1, (uint32_t)rc);
    put(MYCO_ELINK_RESULT, h, sizeof h, NULL, 0);
}

static void forward_queue(void)
{
    myco_wake w;
    while (myco_frame_queue_pop(&myco_esp32_queue, g_buf, sizeof g_buf, &w)) {
        uint8_t h[3];
        if (w.kind == MYCO_WAKE_FRAME) {
            myco_elink_put_u16(h, w.peer);
            h[2] = (uint8_t)(int8_t)w.rssi;
            put(MYCO_ELINK_FRAME, h, 3, g_buf, w.len);
        } else {
            h[0] = (uint8_t)w.link_event;
            myco_elink_put_u16(h + 1, w.peer);
            put(MYCO_ELINK_LINK, h, 3, g_buf, w.len);
        }
    }
}

void setup(void)
{
    Serial.begin(115200); // the module's own USB port: diagnostics only
    Serial2.begin(MYCO_BRIDGE_UART_BAUD, SERIAL_8N1, MYCO_BRIDGE_UART_RX_PIN, MYCO_BRIDGE_UART_TX_PIN);
    myco_elink_decoder_init(&g_dec);
    myco_frame_queue_init(&myco_esp32_queue);
    WiFi.persistent(false);
    ready(0); // "started; send HELLO"
}

void loop(void)
{
    myco_elink_msg m;
    while (Serial2.available() > 0) {
        if (!myco_elink_feed(&g_dec, (uint8_t)Serial2.read(), &m)) continue;
        switch (m.type) {
        case MYCO_ELINK_HELLO:
            hello(m.payload, m.len);
            break;
        case MYCO_ELINK_SEND:
            if (g_started) send(m.payload, m.len);
            break;
        case MYCO_ELINK_WIFI:
            if (g_started) wifi(m.payload, m.len);
            break;
        default:
            break;
        }
    }
    if (g_started) myco_radio_poll(g_radio, millis());
    forward_queue();
    delay(1);
}
