#include "myco_beacon.h"

void myco_beacon_body(uint16_t id, uint32_t advert, uint8_t body[MYCO_BEACON_BODY_BYTES])
{
    body[0] = MYCO_BEACON_VERSION;
    body[1] = (uint8_t)id;
    body[2] = (uint8_t)(id >> 8);
    body[3] = (uint8_t)advert;         /* depth */
    body[4] = (uint8_t)(advert >> 8);  /* children */
    body[5] = (uint8_t)(advert >> 16); /* flags */
}

void myco_beacon_ie(uint16_t id, uint32_t advert, uint8_t ie[MYCO_BEACON_IE_BYTES])
{
    ie[0] = 0xDD;
    ie[1] = (uint8_t)(MYCO_BEACON_IE_BYTES - 2u);
    ie[2] = MYCO_BEACON_OUI0;
    ie[3] = MYCO_BEACON_OUI1;
    ie[4] = MYCO_BEACON_OUI2;
    ie[5] = MYCO_BEACON_OUI_TYPE;
    myco_beacon_body(id, advert, ie + 6);
}

int myco_beacon_parse(const uint8_t oui[3], uint8_t type, const uint8_t *body, uint32_t len,
                      myco_beacon *out)
{
    if (oui[0] != MYCO_BEACON_OUI0 || oui[1] != MYCO_BEACON_OUI1 || oui[2] != MYCO_BEACON_OUI2)
        return -1;
    if (type != MYCO_BEACON_OUI_TYPE) return -1;
    /* A later version may append fields; it keeps these six. */
    if (len < MYCO_BEACON_BODY_BYTES || body[0] < MYCO_BEACON_VERSION) return -1;
    out->id = (uint16_t)(body[1] | body[2] << 8);
    out->depth = body[3];
    out->children = body[4];
    out->flags = body[5];
    return out->id == 0 || out->id == 0xFFFFu ? -1 : 0;
}
