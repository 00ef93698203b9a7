#include "myco_hermes.h"

#include <string.h>

uint16_t myco_hermes_id_from_mac(const uint8_t mac[6])
{
    uint16_t id = (uint16_t)((mac[4] << 8) | mac[5]);
    return id == 0xFFFFu ? 0 : id;
}

void myco_hermes_mac_for_id(uint16_t id, uint8_t mac[6])
{
    /* 0x02: locally administered, unicast; "myc" marks it as ours in a capture. */
    mac[0] = 0x02;
    mac[1] = 'm';
    mac[2] = 'y';
    mac[3] = 'c';
    mac[4] = (uint8_t)(id >> 8);
    mac[5] = (uint8_t)id;
}

int myco_hermes_node_id(uint16_t configured, uint8_t mac[6], uint16_t *id)
{
    *id = configured ? configured : myco_hermes_id_from_mac(mac);
    if (!configured || myco_hermes_id_from_mac(mac) == configured) return 0;
    myco_hermes_mac_for_id(configured, mac);
    return 1;
}

void myco_hermes_ap_ip(uint16_t id, uint8_t ip[4])
{
    ip[0] = 10;
    ip[1] = (uint8_t)(id >> 8);
    ip[2] = (uint8_t)id;
    ip[3] = 1;
}

void myco_hermes_netmask(uint8_t mask[4])
{
    mask[0] = mask[1] = mask[2] = 255;
    mask[3] = 0;
}

uint16_t myco_hermes_id_of_ap_ip(const uint8_t ip[4])
{
    uint16_t id;
    if (ip[0] != 10 || ip[3] != 1) return 0;
    id = (uint16_t)((ip[1] << 8) | ip[2]);
    return id == 0xFFFFu ? 0 : id;
}

int myco_hermes_in_subnet(uint16_t id, const uint8_t ip[4])
{
    return id != 0 && ip[0] == 10 && ip[1] == (uint8_t)(id >> 8) && ip[2] == (uint8_t)id &&
           ip[3] >= 2 && ip[3] <= 254;
}

uint32_t myco_hermes_ssid(uint16_t id, char *out)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t n = (uint32_t)strlen(MYCO_TREE_SSID_PREFIX), i;
    memcpy(out, MYCO_TREE_SSID_PREFIX, n);
    for (i = 0; i < 4; i++) out[n + i] = hex[(id >> (12 - 4 * i)) & 0xFu];
    out[n + 4] = '\0';
    return n + 4;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

uint16_t myco_hermes_parse_ssid(const char *ssid)
{
    size_t n = strlen(MYCO_TREE_SSID_PREFIX);
    uint32_t id = 0, i;
    if (strncmp(ssid, MYCO_TREE_SSID_PREFIX, n) != 0 || strlen(ssid) != n + 4) return 0;
    for (i = 0; i < 4; i++) {
        int v = hex_value(ssid[n + i]);
        if (v < 0) return 0;
        id = id << 4 | (uint32_t)v;
    }
    return id == 0xFFFFu ? 0 : (uint16_t)id;
}
