// Tree mode's link on the ESP8266: what the NONOS SDK and this core do their own way around
// the Wi-Fi calls both ESP cores share (hal/boards/arduino/myco_esp_wifi.cpp): the ADVERTISE
// value as a user element of beacons and probe responses, the core's event handlers, and
// this core's scan start and disconnect.
#include <Arduino.h>
#include <ESP8266WiFi.h>
#include <coredecls.h>
extern "C" {
#include <user_interface.h>
}

#include "myco_beacon.h"
#include "myco_esp8266.h"
#include "myco_esp_wifi.h"
#include "myco_hal.h"
#include "myco_tree_link.h"

static uint8_t g_oui[3] = {MYCO_BEACON_OUI0, MYCO_BEACON_OUI1, MYCO_BEACON_OUI2};
static uint8_t g_ie[1 + MYCO_BEACON_BODY_BYTES];
// The core unregisters an event handler when its handle is destroyed: keep them.
static WiFiEventHandler g_got_ip, g_sta_lost, g_dhcp_timeout, g_station_left;

static int op_scan(void *ctx)
{
    (void)ctx;
    // Asynchronous, hidden networks skipped: myco_esp_tree_poll collects the result.
    return WiFi.scanNetworks(true, false) == WIFI_SCAN_RUNNING ? 0 : -1;
}

static void op_disconnect(void *ctx)
{
    (void)ctx;
    WiFi.disconnect(false);
}

static void op_advertise(void *ctx, uint32_t advert)
{
    (void)ctx;
    // The SDK puts the OUI itself; the body starts with the OUI type byte.
    g_ie[0] = MYCO_BEACON_OUI_TYPE;
    myco_beacon_body(myco_esp_tree.self, advert, g_ie + 1);
    wifi_set_user_ie(true, g_oui, USER_IE_BEACON, g_ie, sizeof g_ie);
    wifi_set_user_ie(true, g_oui, USER_IE_PROBE_RESP, g_ie, sizeof g_ie);
}

// A vendor element heard in a beacon or probe response. The SDK hands over the element
// from its OUI on or, in some SDK versions, whole; both shapes are accepted.
static void on_user_ie(uint8_t type, const uint8_t sa[6], const uint8_t m_oui[3], uint8_t *ie,
                       uint8_t ie_len, int rssi)
{
    myco_beacon b;
    (void)type;
    (void)rssi;
    if (ie_len >= 6 && ie[0] == 0xDD && memcmp(ie + 2, m_oui, 3) == 0) {
        ie += 5;
        ie_len -= 5;
    }
    if (ie_len < 1) return;
    if (myco_beacon_parse(m_oui, ie[0], ie + 1, ie_len - 1u, &b) == 0) myco_tree_heard_beacon(&myco_esp_tree, sa, &b);
}

// Driver callbacks, registered once the softAP is up. The station and softAP events end the
// loop's esp_delay; a heard beacon only updates the scan's records.
static void watch_driver(void)
{
    wifi_register_user_ie_manufacturer_recv_cb(on_user_ie);
    g_got_ip = WiFi.onStationModeGotIP([](const WiFiEventStationModeGotIP &) {
        myco_tree_sta_got_ip(&myco_esp_tree, millis());
        esp_schedule();
    });
    g_sta_lost = WiFi.onStationModeDisconnected([](const WiFiEventStationModeDisconnected &) {
        myco_tree_sta_lost(&myco_esp_tree);
        esp_schedule();
    });
    g_dhcp_timeout = WiFi.onStationModeDHCPTimeout([]() {
        myco_tree_sta_lost(&myco_esp_tree);
        esp_schedule();
    });
    g_station_left = WiFi.onSoftAPModeStationDisconnected([](const WiFiEventSoftAPModeStationDisconnected &e) {
        myco_tree_station_left(&myco_esp_tree, e.mac);
        esp_schedule();
    });
}

static int tree_begin(uint16_t node_id)
{
    static const myco_tree_ops ops = {op_scan, myco_esp_tree_connect, op_disconnect, op_advertise, myco_esp_tree_udp, NULL};
    return myco_esp_tree_begin(node_id, &ops, &myco_esp8266_queue, MYCO_ESP8266_MAX_STATIONS, watch_driver);
}

extern "C" const myco_radio myco_esp8266_tree = {tree_begin, "the softAP or UDP socket did not start", myco_esp_tree_send,
                                                 myco_esp_tree_wifi, myco_esp_tree_poll, myco_esp_tree_next_ms};
