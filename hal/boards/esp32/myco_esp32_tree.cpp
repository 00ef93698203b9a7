// Tree mode's link on the ESP32: softAP + station with HERMES addressing, UDP datagrams,
// the ADVERTISE value in a vendor element of beacons and probe responses. The rules live
// in myco_tree_link.c; this file drives the Arduino Wi-Fi API and ESP-IDF for them.
#include <Arduino.h>
#include <WiFi.h>
#include <WiFiUdp.h>
#include <esp_wifi.h>

#include "myco_beacon.h"
#include "myco_esp32.h"
#include "myco_hal.h"
#include "myco_hermes.h"
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

// WiFiUDP is polled: a datagram waits at most this long in the stack's buffer.
#ifndef MYCO_TREE_UDP_POLL_MS
#define MYCO_TREE_UDP_POLL_MS 2u
#endif

static myco_tree_link g_link;
static WiFiUDP g_udp;
static uint8_t g_rx[MYCO_TREE_DGRAM_MAX];
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
    // Asynchronous, hidden networks skipped: myco_esp32_tree_poll collects the result.
    return WiFi.scanNetworks(true, false) == WIFI_SCAN_FAILED ? -1 : 0;
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
    WiFi.disconnect(false, false);
}

static void op_advertise(void *ctx, uint32_t advert)
{
    (void)ctx;
    myco_beacon_ie(g_link.self, advert, g_ie);
    // An element is replaced by removing the old one first.
    esp_wifi_set_vendor_ie(false, WIFI_VND_IE_TYPE_BEACON, WIFI_VND_IE_ID_0, NULL);
    esp_wifi_set_vendor_ie(true, WIFI_VND_IE_TYPE_BEACON, WIFI_VND_IE_ID_0, g_ie);
    esp_wifi_set_vendor_ie(false, WIFI_VND_IE_TYPE_PROBE_RESP, WIFI_VND_IE_ID_0, NULL);
    esp_wifi_set_vendor_ie(true, WIFI_VND_IE_TYPE_PROBE_RESP, WIFI_VND_IE_ID_0, g_ie);
}

static int op_udp(void *ctx, const uint8_t ip[4], const uint8_t *dgram, uint32_t len)
{
    (void)ctx;
    if (!g_udp.beginPacket(IPAddress(ip[0], ip[1], ip[2], ip[3]), MYCO_TREE_UDP_PORT)) return -1;
    g_udp.write(dgram, len);
    return g_udp.endPacket() ? 0 : -1;
}

extern "C" int myco_esp32_tree_begin(uint16_t node_id)
{
    static const myco_tree_ops ops = {op_scan, op_connect, op_disconnect, op_advertise, op_udp, NULL};
    uint8_t ip[4], mask[4], mac[6];
    char ssid[MYCO_HERMES_SSID_MAX];
    WiFi.persistent(false); // the tree changes; nothing of it belongs in flash
    WiFi.mode(WIFI_AP_STA);
    WiFi.setAutoReconnect(false);
    WiFi.macAddress(mac);
    myco_tree_init(&g_link, node_id, mac, &ops, &myco_esp32_queue);

    myco_hermes_ap_ip(node_id, ip);
    myco_hermes_netmask(mask);
    myco_hermes_ssid(node_id, ssid);
    IPAddress own(ip[0], ip[1], ip[2], ip[3]);
    if (!WiFi.softAPConfig(own, own, IPAddress(mask[0], mask[1], mask[2], mask[3]))) return -1;
    if (!WiFi.softAP(ssid, MYCO_TREE_PASSPHRASE, MYCO_WIFI_CHANNEL, 0, MYCO_ESP32_MAX_STATIONS)) return -1;
    op_advertise(NULL, MYCO_WIFI_DEPTH_NONE);
    esp_wifi_set_vendor_ie_cb(on_vendor_ie, NULL);
    WiFi.onEvent(on_event);
    return g_udp.begin(MYCO_TREE_UDP_PORT) ? 0 : -1;
}

extern "C" int32_t myco_esp32_tree_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    return myco_tree_send(&g_link, dst, frame, len);
}

extern "C" int32_t myco_esp32_tree_wifi(uint32_t op, uint32_t arg)
{
    return myco_tree_wifi(&g_link, op, arg, millis());
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
            myco_tree_sta_got_ip(&g_link, now);
            break;
        case EV_STA_LOST:
            myco_tree_sta_lost(&g_link);
            break;
        case EV_STATION_LEFT:
            myco_tree_station_left(&g_link, e.mac);
            break;
        case EV_BEACON:
            myco_tree_heard_beacon(&g_link, e.mac, &e.beacon);
            break;
        }
    }
}

static void collect_scan(void)
{
    int16_t n = WiFi.scanComplete();
    int16_t i;
    if (n == WIFI_SCAN_RUNNING) return;
    for (i = 0; i < n; i++)
        myco_tree_scan_result(&g_link, WiFi.SSID(i).c_str(), WiFi.BSSID(i), (uint8_t)WiFi.channel(i), WiFi.RSSI(i));
    // A failed scan reports what it found: nothing.
    WiFi.scanDelete();
    myco_tree_scan_done(&g_link);
}

extern "C" void myco_esp32_tree_poll(uint32_t now)
{
    int n;
    apply_events(now);
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

extern "C" uint32_t myco_esp32_tree_next_ms(uint32_t now)
{
    // WiFiUDP has no receive callback: datagrams are polled this often.
    uint32_t next = myco_tree_next_ms(&g_link, now);
    return next < MYCO_TREE_UDP_POLL_MS ? next : MYCO_TREE_UDP_POLL_MS;
}
