/*
 * CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor): the check
 * value of stored config records and of Elastic Node link frames. Bitwise, no table: both
 * users checksum a few hundred bytes at a time and flash is scarcer than cycles.
 */
#ifndef MYCO_CRC16_H
#define MYCO_CRC16_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MYCO_CRC16_INIT 0xFFFFu

/* Continues `crc` over `len` bytes; start with MYCO_CRC16_INIT. */
uint16_t myco_crc16_update(uint16_t crc, const uint8_t *data, uint32_t len);
uint16_t myco_crc16(const uint8_t *data, uint32_t len);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_CRC16_H */
