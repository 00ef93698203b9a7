#include "myco_crc16.h"

uint16_t myco_crc16_update(uint16_t crc, const uint8_t *data, uint32_t len)
{
    uint32_t i;
    int bit;
    for (i = 0; i < len; i++) {
        crc ^= (uint16_t)((uint16_t)data[i] << 8);
        for (bit = 0; bit < 8; bit++)
            crc = (uint16_t)((crc & 0x8000u) ? (uint32_t)(crc << 1) ^ 0x1021u : (uint32_t)(crc << 1));
    }
    return crc;
}

uint16_t myco_crc16(const uint8_t *data, uint32_t len)
{
    return myco_crc16_update(MYCO_CRC16_INIT, data, len);
}
