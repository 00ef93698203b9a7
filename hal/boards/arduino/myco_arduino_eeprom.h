/*
 * The settings record in the emulated EEPROM of the ESP8266 core and of arduino-pico (a RAM
 * copy of one flash sector, written back by commit): the settings_read and settings_write
 * of the esp8266 and elasticnode boards (myco_arduino_board.h). Inline in a header that only
 * those two boards include, so the ESP32 image, whose settings live in Preferences, does not
 * pull in its core's EEPROM library.
 */
#ifndef MYCO_ARDUINO_EEPROM_H
#define MYCO_ARDUINO_EEPROM_H

#include <EEPROM.h>

#include "myco_cfg_store.h"

static inline uint32_t myco_eeprom_read(uint8_t *bytes, uint32_t cap)
{
    uint32_t i;
    EEPROM.begin(MYCO_CFG_STORE_MAX);
    for (i = 0; i < cap; i++) bytes[i] = EEPROM.read((int)i);
    return cap; // erased or foreign bytes decode as "nothing stored"
}

static inline int myco_eeprom_write(const uint8_t *bytes, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len; i++) EEPROM.write((int)i, bytes[i]);
    return EEPROM.commit() ? 0 : -1;
}

#endif /* MYCO_ARDUINO_EEPROM_H */
