/*
 * The config blob given to init (docs/abi.md, Config): records key:u8 len:u8 value,
 * value an unsigned little-endian integer of 1, 2 or 4 bytes, or for a u32[] key
 * 1..MYCO_CFG_ARRAY_MAX little-endian u32 entries (len = 4 x entries). Mirrors
 * tools/wire/config.ts so a board and the simulator configure a node the same way.
 */
#ifndef MYCO_CONFIG_H
#define MYCO_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Fits the smallest inbox the ABI allows (256 bytes). */
#define MYCO_CONFIG_MAX 240u

typedef struct {
    const char *name;
    uint8_t key;
    uint8_t size; /* bytes on the wire: 1, 2 or 4; bytes per entry (4) of a u32[] key */
    uint32_t min, max, def; /* a u32[] key: the range of each entry; def unused (absent) */
    uint8_t max_entries; /* 0 = a scalar; else a u32[] key of 1..max_entries entries */
} myco_config_key;

typedef struct {
    uint8_t bytes[MYCO_CONFIG_MAX];
    uint32_t len;
} myco_config_blob;

/* The keys this build knows by name, and a lookup by name (NULL if unknown). */
const myco_config_key *myco_config_keys(uint32_t *count);
const myco_config_key *myco_config_find(const char *name);

void myco_config_clear(myco_config_blob *blob);

/* Sets `key` to `value` with a `size`-byte encoding, replacing an earlier record
 * of the same key. 0, or -1 when the blob is full. */
int myco_config_put(myco_config_blob *blob, uint8_t key, uint8_t size, uint32_t value);

/* Sets the u32[] key `key` to `count` entries (1..MYCO_CFG_ARRAY_MAX), replacing any
 * earlier record of that key. 0, or -1 when the count is out of range or the blob full. */
int myco_config_put_array(myco_config_blob *blob, uint8_t key, const uint32_t *values, uint32_t count);

/* Parses "name=value" (a known key, range-checked; "name=v1,v2,..." for a u32[] key)
 * or "number=value" (a layer key from 16 up, 4 bytes) and stores it. 0, or -1 with a
 * message in `err`. */
int myco_config_set(myco_config_blob *blob, const char *assignment, char *err, size_t errcap);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_CONFIG_H */
