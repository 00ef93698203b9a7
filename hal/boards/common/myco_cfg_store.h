/*
 * The node's settings as a board keeps them in flash (ESP32 Preferences, ESP8266 EEPROM,
 * RP2040 EEPROM emulation): the node id and the config blob given to init. One record, the
 * same bytes on every board, so a tool can write or read it for any of them:
 *
 *   magic "MYC1" | node_id:u16 (0 = from the MAC) | len:u16 | blob[len] | crc:u16
 *
 * little-endian, the CRC-16/CCITT-FALSE of everything between the magic and the CRC. An
 * erased flash (0xFF) or another firmware's bytes read as "nothing stored"; a record with
 * a bad length or CRC as corrupt. Either way the board boots with the defaults (an empty
 * blob, the id from the MAC) and says so on its console.
 */
#ifndef MYCO_CFG_STORE_H
#define MYCO_CFG_STORE_H

#include <stdint.h>

#include "myco_config.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MYCO_CFG_STORE_HEAD 8u
#define MYCO_CFG_STORE_MAX (MYCO_CFG_STORE_HEAD + MYCO_CONFIG_MAX + 2u)

#define MYCO_CFG_STORE_OK 0
#define MYCO_CFG_STORE_EMPTY (-1)
#define MYCO_CFG_STORE_CORRUPT (-2)

typedef struct {
    uint16_t node_id; /* 0: the board derives it from its MAC */
    myco_config_blob config;
} myco_cfg_stored;

void myco_cfg_store_defaults(myco_cfg_stored *s);

/* Bytes written to `out`, or 0 when `cap` is too small. */
uint32_t myco_cfg_store_encode(const myco_cfg_stored *s, uint8_t *out, uint32_t cap);

/* MYCO_CFG_STORE_OK, _EMPTY or _CORRUPT; `out` holds the defaults unless OK. */
int myco_cfg_store_decode(const uint8_t *in, uint32_t len, myco_cfg_stored *out);

/* The value of `key` in a config blob (a scalar of 1, 2 or 4 bytes): 1 found, 0 absent,
 * -1 the blob is malformed. Boards read the keys that concern the radio (route_mode, mtu). */
int myco_cfg_blob_value(const uint8_t *blob, uint32_t len, uint8_t key, uint32_t *value);

/* Removes every record of `key`; 1 when one was there. */
int myco_cfg_blob_remove(myco_config_blob *blob, uint8_t key);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_CFG_STORE_H */
