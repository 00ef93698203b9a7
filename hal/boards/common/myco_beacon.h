/*
 * What a softAP's beacon tells scanners in tree mode: the ADVERTISE value (docs/abi.md,
 * "Wi-Fi tree links": depth, children, flags), carried in a vendor-specific information
 * element so it changes without restarting the softAP (a new SSID would drop every child).
 * Both Espressif SDKs add such an element to beacons and probe responses and report the
 * ones they hear (ESP32 esp_wifi_set_vendor_ie / esp_wifi_set_vendor_ie_cb, ESP8266
 * wifi_set_user_ie / wifi_register_user_ie_manufacturer_recv_cb).
 *
 * Element body after the OUI and OUI type: version:u8 id:u16 depth:u8 children:u8 flags:u8.
 */
#ifndef MYCO_BEACON_H
#define MYCO_BEACON_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An OUI with the locally administered bit set (an unregistered "CID"), so it can clash
 * with no vendor's; the OUI type byte tells Myco's element from others under it. */
#define MYCO_BEACON_OUI0 0x02u
#define MYCO_BEACON_OUI1 0x6Du
#define MYCO_BEACON_OUI2 0x79u
#define MYCO_BEACON_OUI_TYPE 0x01u
#define MYCO_BEACON_VERSION 1u
#define MYCO_BEACON_BODY_BYTES 6u
/* The whole element: id 0xDD, length, OUI, OUI type, body (the ESP32 API takes this). */
#define MYCO_BEACON_IE_BYTES (2u + 3u + 1u + MYCO_BEACON_BODY_BYTES)

typedef struct {
    uint16_t id;
    uint8_t depth, children, flags;
} myco_beacon;

/* The body for node `id` advertising `advert` (the ADVERTISE argument). */
void myco_beacon_body(uint16_t id, uint32_t advert, uint8_t body[MYCO_BEACON_BODY_BYTES]);
/* The whole vendor element (0xDD, length, OUI, type, body). */
void myco_beacon_ie(uint16_t id, uint32_t advert, uint8_t ie[MYCO_BEACON_IE_BYTES]);
/* Decodes a body heard under OUI `oui` (3 bytes) with OUI type `type`; 0, or -1 when it is
 * not Myco's or malformed. `type` is ignored (pass MYCO_BEACON_OUI_TYPE) where an SDK strips it. */
int myco_beacon_parse(const uint8_t oui[3], uint8_t type, const uint8_t *body, uint32_t len,
                      myco_beacon *out);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_BEACON_H */
