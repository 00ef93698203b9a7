/*
 * HERMES addressing for tree mode over Wi-Fi softAP + station (docs/routing.md, "Tree
 * mode"; HERMES paper §3.2.1).
 *
 * HERMES gives every node a static softAP address derived from its MAC: 10.M4.M5.1/24,
 * M4 and M5 the last two bytes of the MAC, the gateway equal to that address, and the
 * softAP's DHCP server leasing the rest of the /24 to children. Myco's node ids are the
 * module's addresses, so the id is taken from the same two bytes (M4 << 8 | M5) and the
 * softAP address from the id: with the default id the address is exactly HERMES's, and an
 * id set in config still gives every node a distinct, predictable subnet. A child's
 * datagrams come from its parent's subnet, the parent's from 10.P.P.1; that is how a
 * receiver tells its parent from its children.
 *
 * The softAP's SSID names the node (prefix + four hex digits of the id): a scan shows ids
 * without any message exchange, and JOIN(id) knows which network to join.
 */
#ifndef MYCO_HERMES_H
#define MYCO_HERMES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Shared by every node of a swarm (HERMES: common SSID prefix and password). A deployment
 * changes both with build flags; the passphrase must be 8..63 characters for WPA2. */
#ifndef MYCO_TREE_SSID_PREFIX
#define MYCO_TREE_SSID_PREFIX "myco-"
#endif
#ifndef MYCO_TREE_PASSPHRASE
#define MYCO_TREE_PASSPHRASE "myco-swarm"
#endif
/* The UDP port every node's tree link listens on. */
#ifndef MYCO_TREE_UDP_PORT
#define MYCO_TREE_UDP_PORT 47100u
#endif

/* Prefix + 4 hex digits + NUL. */
#define MYCO_HERMES_SSID_MAX 32u

/* The node id a MAC gives (last two bytes), or 0 when they make no valid id (0 or 0xFFFF):
 * such a board needs an id from config. */
uint16_t myco_hermes_id_from_mac(const uint8_t mac[6]);

/* A locally administered unicast MAC whose last two bytes are `id`: a board whose id comes
 * from config takes it for its radio, so MAC-addressed radios (ESP-NOW) still map MAC to
 * id by the last two bytes. */
void myco_hermes_mac_for_id(uint16_t id, uint8_t mac[6]);

/* The id a node runs under: `configured` (its settings' id) unless 0, else the one its radio's
 * MAC gives (0: none). Returns 1 when `mac` had to change: a configured id the MAC does not
 * end in turns `mac` into myco_hermes_mac_for_id(id), which the board gives its radio before
 * it starts, so peers still read the id off the sender's MAC. The ESP32, the ESP8266 and the
 * Elastic Node's bridge decide so. */
int myco_hermes_node_id(uint16_t configured, uint8_t mac[6], uint16_t *id);

/* The softAP address of node `id`: 10.(id >> 8).(id & 0xFF).1. */
void myco_hermes_ap_ip(uint16_t id, uint8_t ip[4]);
/* The softAP subnet mask, 255.255.255.0. */
void myco_hermes_netmask(uint8_t mask[4]);
/* The id whose softAP address `ip` is, or 0. */
uint16_t myco_hermes_id_of_ap_ip(const uint8_t ip[4]);
/* 1 when `ip` is a station address in node `id`'s softAP subnet (10.hi.lo.2..254). */
int myco_hermes_in_subnet(uint16_t id, const uint8_t ip[4]);

/* Writes the SSID of node `id` into `out` (MYCO_HERMES_SSID_MAX bytes); its length. */
uint32_t myco_hermes_ssid(uint16_t id, char *out);
/* The id an SSID names, or 0 when it is not a Myco softAP. */
uint16_t myco_hermes_parse_ssid(const char *ssid);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_HERMES_H */
