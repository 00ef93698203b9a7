/*
 * The half of the shim the three Arduino boards (esp32, esp8266, elasticnode) share, in
 * myco_arduino_board.cpp: setup() and the boot sequence, the settings record, the console
 * while the node cannot start, and every myco_shim_* function that reads the same on each
 * core (identity, config, time, send, wifi, wait, sensor, blobs, panic). What differs
 * between the boards comes from the one table each board's file defines, `myco_board`:
 * where the settings live, how the radio and the id come up, how the loop sleeps, the
 * entropy source and the accelerator.
 */
#ifndef MYCO_ARDUINO_BOARD_H
#define MYCO_ARDUINO_BOARD_H

#include <stdint.h>

#include "myco_cfg_store.h"
#include "myco_frame_queue.h"
#include "myco_radio.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *name;        /* the boot line: "board <name> id=<n> mode=<mesh|tree>" */
    const char *id_source;   /* what gives the default id, for the error when it gives none */
    myco_frame_queue *queue; /* what the radio fills and myco_shim_wait drains */
    uint8_t adc_pin;         /* sensor channel 0 */
    /* The settings record in flash: reads up to `cap` (at most MYCO_CFG_STORE_MAX) bytes and
     * returns how many; writes `len` bytes, 0 or -1. */
    uint32_t (*settings_read)(uint8_t *bytes, uint32_t cap);
    int (*settings_write)(const uint8_t *bytes, uint32_t len);
    /* Once the settings are read: mounts the blob file system, starts the board's hardware,
     * sets *id (`configured` unless 0, else the board's own; 0 when it has none) and returns
     * the radio of `route_mode`, which the boot then begins. */
    const myco_radio *(*start)(uint16_t configured, uint32_t route_mode, uint16_t *id);
    /* Appends the board's own fields to the boot line; NULL when it has none. */
    void (*describe)(char *out, uint32_t cap);
    /* myco_wait_ops.idle: sleeps up to `ms`; a radio callback may end it early. */
    void (*idle)(uint32_t ms);
    uint32_t (*rand)(void);
    /* The `accel` import; NULL on a board without an accelerator. */
    int32_t (*accel)(uint32_t op, const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len);
    void (*reboot)(void);
} myco_arduino_board;

/* Defined by the board's file. */
extern const myco_arduino_board myco_board;

/* The console's `save`: encodes the record and writes it through the board; 0 or -1. */
int myco_arduino_save_settings(const myco_cfg_stored *settings);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ARDUINO_BOARD_H */
