// Tree mode's link on the ESP8266: softAP + station with HERMES addressing, UDP datagrams,
// the ADVERTISE value in a vendor element of beacons and probe responses. The rules live
// in myco_tree_link.c; this file only drives the Arduino Wi-Fi API for them.
#include <Arduino.h>
#include <ESP8266WiFi.h>
#include <WiFiUdp.h>
#include <coredecls.h>
extern "C" {
#include <user_interface.h>
}

#include "myco_beacon.h"
#include "myco_esp8266.h"
#include "myco_hal.h"
#include "myco_hermes.h"
#include "myco_tree_link.h"

// WiFiUDP is polled: a datagram waits at most this long in the stack's buffer.
#ifndef MYCO_TREE_UDP_POLL_MS
#define MYCO_TREE_UDP_POLL_MS 2u
#endif

static myco_tree_link g_link;
static WiFiUDP g_udp;
static uint8_t g_rx[MYCO_TREE_DGRAM_MAX];
static uint8_t g_oui[3] = {MYCO_BEACON_OUI0, MYCO_BEACON_OUI1, MYCO_BEACON_OUI2};
static uint8_t g_ie[1 + MYCO_BEACON_BODY_BYTES];
// The core unregisters an event handler when its handle is destroyed: keep them.
static WiFiEventHandler g_got_ip, g_sta_lost, g_dhcp_timeout, g_station_left;

static int op_scan(void *ctx)
{
    (void)ctx;
    // Asynchronous, hidden networks skipped: myco_esptree_poll collects the result.
    return WiFi.scanNetworks(true, false) == WIFI_SCAN_RUNNING ? 0 : -1;
}

static int op_connect(void *ctx, uint16_t parent, const uint8_t bssid[6], uint8_t channel)
{
    char ssid[MYCO_HERMES_SSID_MAX];
    (void)ctx;
    myco_hermes_ssid(parent, ssid);
    return WiFi.begin((const char *)ssid, MYCO_TREE_PASSPHRASE, (int32_t)channel, bssid, true) == WL_CONNECT_FAILED ? -1 : 0;
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
    myco_beacon_body(g_link.self, advert, g_ie + 1);
    wifi_set_user_ie(true, g_oui, USER_IE_BEACON, g_ie, sizeof g_ie);
    wifi_set_user_ie(true, g_oui, USER_IE_PROBE_RESP, g_ie, sizeof g_ie);
}

static int op_udp(void *ctx, const uint8_t ip[4], const uint8_t *dgram, uint32_t len)
{
    (void)ctx;
    if (!g_udp.beginPacket(IPAddress(ip[0], ip[1], ip[2], ip[3]), MYCO_TREE_UDP_PORT)) return -1;
    g_udp.write(dgram, len);
    return g_udp.endPacket() ? 0 : -1;
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
    if (myco_beacon_parse(m_oui, ie[0], ie + 1, ie_len - 1u, &b) == 0) myco_tree_heard_beacon(&g_link, sa, &b);
}

extern "C" int myco_esptree_begin(uint16_t node_id)
{
    static const myco_tree_ops ops = {op_scan, op_connect, op_disconnect, op_advertise, op_udp, NULL};
    uint8_t ip[4], mask[4], mac[6];
    char ssid[MYCO_HERMES_SSID_MAX];
    WiFi.persistent(false); // the tree changes; nothing of it belongs in flash
    WiFi.mode(WIFI_AP_STA);
    WiFi.setAutoReconnect(false);
    WiFi.macAddress(mac);
    myco_tree_init(&g_link, node_id, mac, &ops, &myco_esp8266_queue);

    myco_hermes_ap_ip(node_id, ip);
    myco_hermes_netmask(mask);
    myco_hermes_ssid(node_id, ssid);
    IPAddress own(ip[0], ip[1], ip[2], ip[3]);
    if (!WiFi.softAPConfig(own, own, IPAddress(mask[0], mask[1], mask[2], mask[3]))) return -1;
    if (!WiFi.softAP(ssid, MYCO_TREE_PASSPHRASE, MYCO_WIFI_CHANNEL, 0, MYCO_ESP8266_MAX_STATIONS)) return -1;
    op_advertise(NULL, MYCO_WIFI_DEPTH_NONE);
    wifi_register_user_ie_manufacturer_recv_cb(on_user_ie);

    g_got_ip = WiFi.onStationModeGotIP([](const WiFiEventStationModeGotIP &) {
        myco_tree_sta_got_ip(&g_link, millis());
        esp_schedule();
    });
    g_sta_lost = WiFi.onStationModeDisconnected([](const WiFiEventStationModeDisconnected &) {
        myco_tree_sta_lost(&g_link);
        esp_schedule();
    });
    g_dhcp_timeout = WiFi.onStationModeDHCPTimeout([]() {
        myco_tree_sta_lost(&g_link);
        esp_schedule();
    });
    g_station_left = WiFi.onSoftAPModeStationDisconnected([](const WiFiEventSoftAPModeStationDisconnected &e) {
        myco_tree_station_left(&g_link, e.mac);
        esp_schedule();
    });
    return g_udp.begin(MYCO_TREE_UDP_PORT) ? 0 : -1;
}

extern "C" int32_t myco_esptree_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    return myco_tree_send(&g_link, dst, frame, len);
}

extern "C" int32_t myco_esptree_wifi(uint32_t op, uint32_t arg)
{
    return myco_tree_wifi(&g_link, op, arg, millis());
}

static void collect_scan(void)
{
    int8_t n = WiFi.scanComplete();
    int8_t i;
    if (n == WIFI_SCAN_RUNNING) return;
    for (i = 0; i < n; i++)
        myco_tree_scan_result(&g_link, WiFi.SSID(i).c_str(), WiFi.BSSID(i), (uint8_t)WiFi.channel(i), WiFi.RSSI(i));
    // A failed scan (n < 0) reports what it found: nothing.
    WiFi.scanDelete();
    myco_tree_scan_done(&g_link);
}

extern "C" void myco_esptree_poll(uint32_t now)
{
    int n;
    if (g_link.busy == MYCO_TREE_SCANNING) collect_scan();
    while ((n = g_udp.parsePacket()) > 0) {
        IPAddress from = g_udp.remoteIP();
        uint8_t ip[4] = {from[0], from[1], from[2], from[3]};
        if ((uint32_t)n > sizeof g_rx) {
            g_udp.flush(); // longer than any frame: not ours
            continue;
        }
        n = g_udp.read(g_rx, sizeof g_rx);
        if (n > 0) myco_tree_datagram(&g_link, ip, g_rx, (uint32_t)n, WiFi.RSSI(), now);
    }
    myco_tree_tick(&g_link, now);
}

extern "C" uint32_t myco_esptree_next_ms(uint32_t now)
{
    // WiFiUDP has no receive callback: datagrams are polled this often.
    uint32_t next = myco_tree_next_ms(&g_link, now);
    return next < MYCO_TREE_UDP_POLL_MS ? next : MYCO_TREE_UDP_POLL_MS;
}
