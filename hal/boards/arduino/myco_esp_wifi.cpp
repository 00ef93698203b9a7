// Wi-Fi calls both ESP cores spell the same (myco_esp_wifi.h). The tree link's rules live
// in myco_tree_link.c; this file drives the Arduino Wi-Fi API for them. The ESP8266 core's
// <WiFi.h> is its ESP8266WiFi.
#include <Arduino.h>
#include <WiFi.h>
#include <WiFiUdp.h>
#if defined(ARDUINO_ARCH_ESP8266)
extern "C" {
#include <user_interface.h>
}
#else
#include <esp_wifi.h>
#endif

#include "myco_esp_wifi.h"
#include "myco_hal.h"
#include "myco_hermes.h"
#include "myco_tree_link.h"

// WiFiUDP is polled: a datagram waits at most this long in the stack's buffer.
#ifndef MYCO_TREE_UDP_POLL_MS
#define MYCO_TREE_UDP_POLL_MS 2u
#endif

myco_tree_link myco_esp_tree;

static WiFiUDP g_udp;
static uint8_t g_rx[MYCO_TREE_DGRAM_MAX];

extern "C" uint16_t myco_esp_wifi_start(uint16_t configured, int tree)
{
    uint8_t mac[6];
    uint16_t id;
    WiFi.persistent(false);
    WiFi.mode(tree ? WIFI_AP_STA : WIFI_STA);
    WiFi.macAddress(mac);
    if (myco_hermes_node_id(configured, mac, &id)) {
        // ESP-NOW peers map MAC to id by the last two bytes: take a MAC that says our id.
#if defined(ARDUINO_ARCH_ESP8266)
        wifi_set_macaddr(STATION_IF, mac);
#else
        esp_wifi_set_mac(WIFI_IF_STA, mac);
#endif
    }
    return id;
}

extern "C" int myco_esp_tree_connect(void *ctx, uint16_t parent, const uint8_t bssid[6], uint8_t channel)
{
    char ssid[MYCO_HERMES_SSID_MAX];
    (void)ctx;
    myco_hermes_ssid(parent, ssid);
    return WiFi.begin((const char *)ssid, MYCO_TREE_PASSPHRASE, (int32_t)channel, bssid, true) == WL_CONNECT_FAILED ? -1 : 0;
}

extern "C" int myco_esp_tree_udp(void *ctx, const uint8_t ip[4], const uint8_t *dgram, uint32_t len)
{
    (void)ctx;
    if (!g_udp.beginPacket(IPAddress(ip[0], ip[1], ip[2], ip[3]), MYCO_TREE_UDP_PORT)) return -1;
    g_udp.write(dgram, len);
    return g_udp.endPacket() ? 0 : -1;
}

extern "C" int myco_esp_tree_begin(uint16_t node_id, const myco_tree_ops *ops, myco_frame_queue *q,
                                   int max_stations, void (*watch_driver)(void))
{
    uint8_t ip[4], mask[4], mac[6];
    char ssid[MYCO_HERMES_SSID_MAX];
    WiFi.persistent(false); // the tree changes; nothing of it belongs in flash
    WiFi.mode(WIFI_AP_STA);
    WiFi.setAutoReconnect(false);
    WiFi.macAddress(mac);
    myco_tree_init(&myco_esp_tree, node_id, mac, ops, q);

    myco_hermes_ap_ip(node_id, ip);
    myco_hermes_netmask(mask);
    myco_hermes_ssid(node_id, ssid);
    IPAddress own(ip[0], ip[1], ip[2], ip[3]);
    if (!WiFi.softAPConfig(own, own, IPAddress(mask[0], mask[1], mask[2], mask[3]))) return -1;
    if (!WiFi.softAP(ssid, MYCO_TREE_PASSPHRASE, MYCO_WIFI_CHANNEL, 0, max_stations)) return -1;
    ops->advertise(ops->ctx, MYCO_WIFI_DEPTH_NONE);
    watch_driver();
    return g_udp.begin(MYCO_TREE_UDP_PORT) ? 0 : -1;
}

extern "C" int32_t myco_esp_tree_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    return myco_tree_send(&myco_esp_tree, dst, frame, len);
}

extern "C" int32_t myco_esp_tree_wifi(uint32_t op, uint32_t arg)
{
    return myco_tree_wifi(&myco_esp_tree, op, arg, millis());
}

static void collect_scan(void)
{
    // int8_t on the ESP8266 core, int16_t on the ESP32's.
    int n = WiFi.scanComplete();
    int i;
    if (n == WIFI_SCAN_RUNNING) return;
    for (i = 0; i < n; i++)
        myco_tree_scan_result(&myco_esp_tree, WiFi.SSID(i).c_str(), WiFi.BSSID(i), (uint8_t)WiFi.channel(i), WiFi.RSSI(i));
    // A failed scan (n < 0) reports what it found: nothing.
    WiFi.scanDelete();
    myco_tree_scan_done(&myco_esp_tree);
}

extern "C" void myco_esp_tree_poll(uint32_t now)
{
    int n;
    if (myco_esp_tree.busy == MYCO_TREE_SCANNING) collect_scan();
    while ((n = g_udp.parsePacket()) > 0) {
        IPAddress from = g_udp.remoteIP();
        uint8_t ip[4] = {from[0], from[1], from[2], from[3]};
        if ((uint32_t)n > sizeof g_rx) {
            g_udp.flush(); // longer than any frame: not ours
            continue;
        }
        n = g_udp.read(g_rx, sizeof g_rx);
        if (n > 0) myco_tree_datagram(&myco_esp_tree, ip, g_rx, (uint32_t)n, WiFi.RSSI(), now);
    }
    myco_tree_tick(&myco_esp_tree, now);
}

extern "C" uint32_t myco_esp_tree_next_ms(uint32_t now)
{
    // WiFiUDP has no receive callback: datagrams are polled this often.
    uint32_t next = myco_tree_next_ms(&myco_esp_tree, now);
    return next < MYCO_TREE_UDP_POLL_MS ? next : MYCO_TREE_UDP_POLL_MS;
}
