#include "myco_cfg_store.h"

#include <string.h>

#include "myco_crc16.h"

static const uint8_t MAGIC[4] = {'M', 'Y', 'C', '1'};

void myco_cfg_store_defaults(myco_cfg_stored *s)
{
    s->node_id = 0;
    myco_config_clear(&s->config);
}

uint32_t myco_cfg_store_encode(const myco_cfg_stored *s, uint8_t *out, uint32_t cap)
{
    uint32_t len = s->config.len, n = MYCO_CFG_STORE_HEAD + len + 2u;
    uint16_t crc;
    if (len > MYCO_CONFIG_MAX || cap < n) return 0;
    memcpy(out, MAGIC, 4);
    out[4] = (uint8_t)s->node_id;
    out[5] = (uint8_t)(s->node_id >> 8);
    out[6] = (uint8_t)len;
    out[7] = (uint8_t)(len >> 8);
    memcpy(out + MYCO_CFG_STORE_HEAD, s->config.bytes, len);
    crc = myco_crc16(out + 4, 4u + len);
    out[MYCO_CFG_STORE_HEAD + len] = (uint8_t)crc;
    out[MYCO_CFG_STORE_HEAD + len + 1u] = (uint8_t)(crc >> 8);
    return n;
}

int myco_cfg_store_decode(const uint8_t *in, uint32_t len, myco_cfg_stored *out)
{
    uint32_t blob;
    uint16_t crc;
    myco_cfg_store_defaults(out);
    if (len < MYCO_CFG_STORE_HEAD + 2u || memcmp(in, MAGIC, 4) != 0) return MYCO_CFG_STORE_EMPTY;
    blob = (uint32_t)in[6] | (uint32_t)in[7] << 8;
    if (blob > MYCO_CONFIG_MAX || MYCO_CFG_STORE_HEAD + blob + 2u > len) return MYCO_CFG_STORE_CORRUPT;
    crc = (uint16_t)(in[MYCO_CFG_STORE_HEAD + blob] | in[MYCO_CFG_STORE_HEAD + blob + 1u] << 8);
    if (crc != myco_crc16(in + 4, 4u + blob)) return MYCO_CFG_STORE_CORRUPT;
    /* The blob's own records are checked by init; a board only reads a few of its keys. */
    out->node_id = (uint16_t)(in[4] | in[5] << 8);
    if (out->node_id == 0xFFFFu) out->node_id = 0;
    memcpy(out->config.bytes, in + MYCO_CFG_STORE_HEAD, blob);
    out->config.len = blob;
    return MYCO_CFG_STORE_OK;
}

int myco_cfg_blob_value(const uint8_t *blob, uint32_t len, uint8_t key, uint32_t *value)
{
    uint32_t at = 0, found = 0;
    while (at < len) {
        uint32_t n, i, v = 0;
        if (at + 2u > len) return -1;
        n = blob[at + 1u];
        if (at + 2u + n > len) return -1;
        if (blob[at] == key) {
            if (n != 1 && n != 2 && n != 4) return -1;
            for (i = 0; i < n; i++) v |= (uint32_t)blob[at + 2u + i] << (8u * i);
            *value = v; /* a later record of the same key wins, as in the module */
            found = 1;
        }
        at += 2u + n;
    }
    return (int)found;
}

int myco_cfg_blob_remove(myco_config_blob *blob, uint8_t key)
{
    uint32_t at = 0, w = 0, removed = 0;
    while (at + 2u <= blob->len) {
        uint32_t n = 2u + blob->bytes[at + 1u];
        if (at + n > blob->len) break;
        if (blob->bytes[at] == key) removed = 1;
        else {
            memmove(blob->bytes + w, blob->bytes + at, n);
            w += n;
        }
        at += n;
    }
    blob->len = w;
    return (int)removed;
}
