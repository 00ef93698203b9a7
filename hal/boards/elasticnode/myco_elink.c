#include "myco_elink.h"

#include <string.h>

#include "myco_crc16.h"

uint16_t myco_elink_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t myco_elink_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void myco_elink_put_u16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void myco_elink_put_u32(uint8_t *p, uint32_t v)
{
    myco_elink_put_u16(p, v);
    myco_elink_put_u16(p + 2, v >> 16);
}

typedef struct {
    uint8_t *out;
    uint32_t cap, n;
    int full;
} writer;

static void put_stuffed(writer *w, uint8_t b)
{
    if (b == MYCO_ELINK_FLAG || b == MYCO_ELINK_ESC) {
        if (w->n + 2u > w->cap) {
            w->full = 1;
            return;
        }
        w->out[w->n++] = MYCO_ELINK_ESC;
        w->out[w->n++] = (uint8_t)(b ^ 0x20u);
        return;
    }
    if (w->n + 1u > w->cap) {
        w->full = 1;
        return;
    }
    w->out[w->n++] = b;
}

static void put_all(writer *w, const uint8_t *p, uint32_t len)
{
    uint32_t i;
    for (i = 0; i < len; i++) put_stuffed(w, p[i]);
}

uint32_t myco_elink_encode(uint8_t type, const uint8_t *head, uint32_t head_len,
                           const uint8_t *data, uint32_t data_len, uint8_t *out, uint32_t cap)
{
    writer w;
    uint16_t crc;
    uint8_t tail[2];
    if (head_len + data_len > MYCO_ELINK_PAYLOAD_MAX || cap < 2u) return 0;
    w.out = out;
    w.cap = cap;
    w.n = 0;
    w.full = 0;
    out[w.n++] = MYCO_ELINK_FLAG;
    crc = myco_crc16_update(MYCO_CRC16_INIT, &type, 1);
    crc = myco_crc16_update(crc, head, head_len);
    crc = myco_crc16_update(crc, data, data_len);
    myco_elink_put_u16(tail, crc);
    put_stuffed(&w, type);
    put_all(&w, head, head_len);
    put_all(&w, data, data_len);
    put_all(&w, tail, 2);
    if (w.full || w.n + 1u > cap) return 0;
    out[w.n++] = MYCO_ELINK_FLAG;
    return w.n;
}

void myco_elink_decoder_init(myco_elink_decoder *d)
{
    memset(d, 0, sizeof *d);
}

int myco_elink_feed(myco_elink_decoder *d, uint8_t byte, myco_elink_msg *out)
{
    if (byte == MYCO_ELINK_FLAG) {
        uint32_t len = d->len;
        int overflow = d->overflow;
        d->len = 0;
        d->esc = 0;
        d->overflow = 0;
        if (overflow) {
            d->too_long++;
            return 0;
        }
        /* Back-to-back flags (end of one frame, start of the next) carry nothing. */
        if (len == 0) return 0;
        if (len < 3u || myco_crc16(d->buf, len - 2u) != myco_elink_u16(d->buf + len - 2u)) {
            d->bad_crc++;
            return 0;
        }
        out->type = d->buf[0];
        out->payload = d->buf + 1;
        out->len = len - 3u;
        d->received++;
        return 1;
    }
    if (d->overflow) return 0;
    if (byte == MYCO_ELINK_ESC) {
        d->esc = 1;
        return 0;
    }
    if (d->esc) {
        byte ^= 0x20u;
        d->esc = 0;
    }
    if (d->len == sizeof d->buf) {
        d->overflow = 1;
        return 0;
    }
    d->buf[d->len++] = byte;
    return 0;
}
