/*
 * The Elastic Node link: how the RP2040 (the "host", running the node) and the ESP32
 * module on the board (the "bridge", owning the radio) talk over a UART. The RP2040 has no
 * radio of its own; the bridge runs ESP-NOW (mesh mode) or the Wi-Fi tree link (tree mode)
 * exactly as the esp32 shim does and forwards frames and link events. docs/boards.md has
 * the protocol with examples.
 *
 * Framing (HDLC-like byte stuffing, so a receiver that joins mid-stream or loses a byte
 * resynchronises at the next flag):
 *   0x7E | stuffed(type:u8 payload crc:u16) | 0x7E
 * where stuffing replaces 0x7E and 0x7D by 0x7D, byte ^ 0x20, and crc is the
 * CRC-16/CCITT-FALSE of type and payload, little-endian. A frame with a bad CRC or longer
 * than MYCO_ELINK_PAYLOAD_MAX is dropped and counted; the protocol above never depends on
 * one frame arriving (the radio loses frames too), except WIFI, which is retried by time-out.
 *
 * Messages, host -> bridge:
 *   HELLO   0x01  version:u8 node_id:u16 route_mode:u8 mtu:u16  (re)start the radio as this node
 *                 (node_id 0: the bridge takes the id its MAC gives, and READY tells it)
 *   SEND    0x02  dst:u16 frame...                               one link-layer frame
 *   WIFI    0x03  seq:u8 op:u8 arg:u32                           the `wifi` import
 * bridge -> host:
 *   READY   0x81  version:u8 mac[6] credits:u8                   answer to HELLO: radio up; sent
 *                 with credits 0 when the bridge (re)started and waits for a HELLO
 *   FRAME   0x82  src:u16 rssi:i8 frame...                       a received frame
 *   LINK    0x83  event:u8 peer:u16 data...                      a link event (SCAN_DONE records follow)
 *   CREDIT  0x84  count:u8                                       `count` SENDs left the bridge's queue
 *   RESULT  0x85  seq:u8 result:i32                              answer to WIFI `seq`
 *   NOTE    0x86  level:u8 text...                               a line for the console
 * Flow control is by credit: READY grants the bridge's queue size, each SEND spends one,
 * CREDIT returns them; with none left `send` answers "radio queue full" as a radio would.
 */
#ifndef MYCO_ELINK_H
#define MYCO_ELINK_H

#include <stdint.h>

#include "myco_frame_queue.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MYCO_ELINK_VERSION 1u

#define MYCO_ELINK_FLAG 0x7Eu
#define MYCO_ELINK_ESC 0x7Du

#define MYCO_ELINK_HELLO 0x01u
#define MYCO_ELINK_SEND 0x02u
#define MYCO_ELINK_WIFI 0x03u
#define MYCO_ELINK_READY 0x81u
#define MYCO_ELINK_FRAME 0x82u
#define MYCO_ELINK_LINK 0x83u
#define MYCO_ELINK_CREDIT 0x84u
#define MYCO_ELINK_RESULT 0x85u
#define MYCO_ELINK_NOTE 0x86u

/* The longest payload: a frame or link event data plus its 3-byte head. */
#define MYCO_ELINK_PAYLOAD_MAX (3u + MYCO_FRAME_MAX)
/* The longest encoding of a message: flags, and every byte of type, payload and CRC stuffed. */
#define MYCO_ELINK_ENCODED_MAX (2u + 2u * (1u + MYCO_ELINK_PAYLOAD_MAX + 2u))

/* Encodes one message whose payload is `head` followed by `data` (either may be empty);
 * bytes written, or 0 when the payload is too long or `cap` too small. */
uint32_t myco_elink_encode(uint8_t type, const uint8_t *head, uint32_t head_len,
                           const uint8_t *data, uint32_t data_len, uint8_t *out, uint32_t cap);

typedef struct {
    uint8_t type;
    const uint8_t *payload; /* inside the decoder: valid until the next feed */
    uint32_t len;
} myco_elink_msg;

typedef struct {
    uint8_t buf[1u + MYCO_ELINK_PAYLOAD_MAX + 2u];
    uint32_t len;
    uint8_t esc;
    uint8_t overflow;
    uint32_t bad_crc;   /* frames dropped for their CRC */
    uint32_t too_long;  /* frames dropped for their length */
    uint32_t received;  /* good messages */
} myco_elink_decoder;

void myco_elink_decoder_init(myco_elink_decoder *d);

/* One received byte; 1 when it completed a good message (in `out`), else 0. */
int myco_elink_feed(myco_elink_decoder *d, uint8_t byte, myco_elink_msg *out);

/* Little-endian helpers for the message fields. */
uint16_t myco_elink_u16(const uint8_t *p);
uint32_t myco_elink_u32(const uint8_t *p);
void myco_elink_put_u16(uint8_t *p, uint32_t v);
void myco_elink_put_u32(uint8_t *p, uint32_t v);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ELINK_H */
