/*
 * A board's radio as a shim drives it, one table per radio: ESP-NOW and the Wi-Fi tree link
 * on the ESP32 and ESP8266 (route_mode chooses one at boot), the link to the bridge on the
 * Elastic Node. A table, so the boot, send, wifi and wait code is written once for every
 * board (hal/boards/arduino/myco_arduino_board.cpp) and the Elastic Node's bridge drives
 * the ESP32's radios through the same two tables.
 */
#ifndef MYCO_RADIO_H
#define MYCO_RADIO_H

#include <stdint.h>

#include "myco_hal.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    /* Starts the radio for node `node_id`: 0, or -1 and `failure` says what did not start.
     * NULL when it started with the board. */
    int (*begin)(uint16_t node_id);
    const char *failure;
    /* The `send` import. */
    int32_t (*send)(uint16_t dst, const uint8_t *frame, uint32_t len);
    /* The `wifi` import; NULL where the radio has no Wi-Fi tree. */
    int32_t (*wifi)(uint32_t op, uint32_t arg);
    /* Polled work (datagrams the stack holds, driver events, timers); NULL when none. */
    void (*poll)(uint32_t now);
    /* Milliseconds until `poll` has work, MYCO_NO_DEADLINE when none; NULL when never. */
    uint32_t (*next_ms)(uint32_t now);
} myco_radio;

static inline int32_t myco_radio_wifi(const myco_radio *r, uint32_t op, uint32_t arg)
{
    /* As on the posix shim: a node without a tree link hears NOT_AVAILABLE. */
    return r->wifi ? r->wifi(op, arg) : MYCO_WIFI_NOT_AVAILABLE;
}

static inline void myco_radio_poll(const myco_radio *r, uint32_t now)
{
    if (r->poll) r->poll(now);
}

static inline uint32_t myco_radio_next_ms(const myco_radio *r, uint32_t now)
{
    return r->next_ms ? r->next_ms(now) : MYCO_NO_DEADLINE;
}

#ifdef __cplusplus
}
#endif

#endif /* MYCO_RADIO_H */
