// Tree mode's link on the ESP32: what ESP-IDF does its own way around the Wi-Fi calls both
// ESP cores share (hal/boards/arduino/myco_esp_wifi.cpp): driver events arrive in other
// tasks and wait in a locked ring for the loop, the ADVERTISE value rides in a vendor element
// set with esp_wifi_set_vendor_ie, and this core's scan start and disconnect.
#include <Arduino.h>
#include <WiFi.h>
#include <esp_wifi.h>

#include "myco_beacon.h"
#include "myco_esp32.h"
#include "myco_esp_wifi.h"
#include "myco_hal.h"
#include "myco_tree_link.h"

// Driver events arrive in other tasks; they wait here for the loop (see myco_esp32.h).
#define EV_GOT_IP 1
#define EV_STA_LOST 2
#define EV_STATION_LEFT 3
#define EV_BEACON 4
#define EV_SLOTS 16u

typedef struct {
    uint8_t kind;
    uint8_t mac[6];
    myco_beacon beacon;
} tree_event;

static tree_event g_events[EV_SLOTS];
static uint32_t g_ev_head, g_ev_tail;
static portMUX_TYPE g_ev_lock = portMUX_INITIALIZER_UNLOCKED;

static uint8_t g_ie[MYCO_BEACON_IE_BYTES];

static void defer(uint8_t kind, const uint8_t *mac, const myco_beacon *b)
{
    portENTER_CRITICAL(&g_ev_lock);
    if (g_ev_tail - g_ev_head < EV_SLOTS) {
        tree_event *e = &g_events[g_ev_tail++ % EV_SLOTS];
        e->kind = kind;
        if (mac) memcpy(e->mac, mac, 6);
        if (b) e->beacon = *b;
    }
    // A full ring loses a beacon or an event; beacons repeat, and a lost station event
    // is caught by the module's own timers.
    portEXIT_CRITICAL(&g_ev_lock);
    myco_esp32_wake();
}

static void on_event(arduino_event_id_t event, arduino_event_info_t info)
{
    switch (event) {
    case ARDUINO_EVENT_WIFI_STA_GOT_IP:
        defer(EV_GOT_IP, NULL, NULL);
        break;
    case ARDUINO_EVENT_WIFI_STA_DISCONNECTED:
    case ARDUINO_EVENT_WIFI_STA_LOST_IP:
        defer(EV_STA_LOST, NULL, NULL);
        break;
    case ARDUINO_EVENT_WIFI_AP_STADISCONNECTED:
        defer(EV_STATION_LEFT, info.wifi_ap_stadisconnected.mac, NULL);
        break;
    default:
        break;
    }
}

static void on_vendor_ie(void *ctx, wifi_vendor_ie_type_t type, const uint8_t sa[6],
                         const vendor_ie_data_t *ie, int rssi)
{
    myco_beacon b;
    (void)ctx;
    (void)type;
    (void)rssi;
    if (!ie || ie->length < 4) return;
    if (myco_beacon_parse(ie->vendor_oui, ie->vendor_oui_type, ie->payload, ie->length - 4u, &b) == 0)
        defer(EV_BEACON, sa, &b);
}

static int op_scan(void *ctx)
{
    (void)ctx;
    // Asynchronous, hidden networks skipped: myco_esp_tree_poll collects the result.
    return WiFi.scanNetworks(true, false) == WIFI_SCAN_FAILED ? -1 : 0;
}

static void op_disconnect(void *ctx)
{
    (void)ctx;
    WiFi.disconnect(false, false);
}

static void op_advertise(void *ctx, uint32_t advert)
{
    (void)ctx;
    myco_beacon_ie(myco_esp_tree.self, advert, g_ie);
    // An element is replaced by removing the old one first.
    esp_wifi_set_vendor_ie(false, WIFI_VND_IE_TYPE_BEACON, WIFI_VND_IE_ID_0, NULL);
    esp_wifi_set_vendor_ie(true, WIFI_VND_IE_TYPE_BEACON, WIFI_VND_IE_ID_0, g_ie);
    esp_wifi_set_vendor_ie(false, WIFI_VND_IE_TYPE_PROBE_RESP, WIFI_VND_IE_ID_0, NULL);
    esp_wifi_set_vendor_ie(true, WIFI_VND_IE_TYPE_PROBE_RESP, WIFI_VND_IE_ID_0, g_ie);
}

static void apply_events(uint32_t now)
{
    for (;;) {
        tree_event e;
        portENTER_CRITICAL(&g_ev_lock);
        if (g_ev_head == g_ev_tail) {
            portEXIT_CRITICAL(&g_ev_lock);
            return;
        }
        e = g_events[g_ev_head++ % EV_SLOTS];
        portEXIT_CRITICAL(&g_ev_lock);
        switch (e.kind) {
        case EV_GOT_IP:
            myco_tree_sta_got_ip(&myco_esp_tree, now);
            break;
        case EV_STA_LOST:
            myco_tree_sta_lost(&myco_esp_tree);
            break;
        case EV_STATION_LEFT:
            myco_tree_station_left(&myco_esp_tree, e.mac);
            break;
        case EV_BEACON:
            myco_tree_heard_beacon(&myco_esp_tree, e.mac, &e.beacon);
            break;
        }
    }
}

// Driver callbacks, registered once the softAP is up.
static void watch_driver(void)
{
    esp_wifi_set_vendor_ie_cb(on_vendor_ie, NULL);
    WiFi.onEvent(on_event);
}

static int tree_begin(uint16_t node_id)
{
    static const myco_tree_ops ops = {op_scan, myco_esp_tree_connect, op_disconnect, op_advertise, myco_esp_tree_udp, NULL};
    return myco_esp_tree_begin(node_id, &ops, &myco_esp32_queue, MYCO_ESP32_MAX_STATIONS, watch_driver);
}

static void tree_poll(uint32_t now)
{
    apply_events(now);
    myco_esp_tree_poll(now);
}

extern "C" const myco_radio myco_esp32_tree = {tree_begin, "the softAP or UDP socket did not start", myco_esp_tree_send,
                                               myco_esp_tree_wifi, tree_poll, myco_esp_tree_next_ms};
