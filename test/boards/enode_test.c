/* Host checks of the Elastic Node logic in hal/boards/elasticnode: the link protocol to the
 * ESP32 bridge and the FPGA accelerator sequence (run by test/boards-logic.test.ts). */
#include <string.h>

#include "check.h"
#include "myco_elink.h"
#include "myco_enode_fpga.h"
#include "myco_enode_net.h"
#include "myco_hal.h"

static uint32_t g_now;

static void elink_round_trip(void)
{
    uint8_t out[MYCO_ELINK_ENCODED_MAX], head[2] = {0x7E, 0x00}, data[4] = {0x7D, 1, 0x7E, 2};
    myco_elink_decoder d;
    myco_elink_msg m;
    uint32_t n, i, got = 0;
    n = myco_elink_encode(MYCO_ELINK_SEND, head, 2, data, 4, out, sizeof out);
    CHECK(n > 0 && out[0] == MYCO_ELINK_FLAG && out[n - 1] == MYCO_ELINK_FLAG);
    /* No flag byte inside the frame: stuffing hid the payload's 0x7E. */
    for (i = 1; i + 1 < n; i++) CHECK(out[i] != MYCO_ELINK_FLAG);
    myco_elink_decoder_init(&d);
    /* Garbage before the frame (a receiver starting mid-stream) is skipped. */
    myco_elink_feed(&d, 0x12, &m);
    myco_elink_feed(&d, 0x34, &m);
    for (i = 0; i < n; i++)
        if (myco_elink_feed(&d, out[i], &m)) {
            got++;
            CHECK(m.type == MYCO_ELINK_SEND && m.len == 6);
            CHECK(memcmp(m.payload, head, 2) == 0 && memcmp(m.payload + 2, data, 4) == 0);
        }
    CHECK(got == 1 && d.received == 1 && d.bad_crc == 1); /* the garbage ended as a bad frame */
    /* A corrupted byte fails the CRC; the next frame decodes. */
    out[2] ^= 0x01;
    got = 0;
    for (i = 0; i < n; i++) got += (uint32_t)myco_elink_feed(&d, out[i], &m);
    CHECK(got == 0 && d.bad_crc == 2);
    out[2] ^= 0x01;
    for (i = 0; i < n; i++) got += (uint32_t)myco_elink_feed(&d, out[i], &m);
    CHECK(got == 1);
    /* Too long to encode, or to decode. */
    {
        static uint8_t big[MYCO_ELINK_PAYLOAD_MAX + 1];
        CHECK(myco_elink_encode(MYCO_ELINK_SEND, big, 1, big, MYCO_ELINK_PAYLOAD_MAX, out, sizeof out) == 0);
        CHECK(myco_elink_encode(MYCO_ELINK_SEND, big, 3, big, MYCO_FRAME_MAX, out, 10) == 0);
        myco_elink_feed(&d, MYCO_ELINK_FLAG, &m);
        for (i = 0; i < sizeof d.buf + 5; i++) myco_elink_feed(&d, 0x11, &m);
        CHECK(myco_elink_feed(&d, MYCO_ELINK_FLAG, &m) == 0 && d.too_long == 1);
    }
    /* The longest message fits the worst-case buffer even when every byte is stuffed. */
    {
        static uint8_t flags[MYCO_ELINK_PAYLOAD_MAX];
        memset(flags, 0x7E, sizeof flags);
        n = myco_elink_encode(0x7E, flags, 3, flags, MYCO_FRAME_MAX, out, sizeof out);
        CHECK(n > 2 * MYCO_ELINK_PAYLOAD_MAX && n <= MYCO_ELINK_ENCODED_MAX);
        got = 0;
        for (i = 0; i < n; i++) got += (uint32_t)myco_elink_feed(&d, out[i], &m);
        CHECK(got == 1 && m.len == MYCO_ELINK_PAYLOAD_MAX && m.payload[100] == 0x7E);
    }
}

/* ---- a bridge in the test: answers HELLO, SEND and WIFI over an in-memory UART ------ */

typedef struct {
    uint8_t to_host[4096];
    uint32_t head, tail;
    myco_elink_decoder dec;
    int answer_wifi;   /* 0: stays silent */
    uint32_t credits;  /* granted in READY */
    uint16_t hello_id;
    uint8_t hello_mode;
    uint16_t hello_mtu;
    int hellos, sends;
    uint16_t last_dst;
    uint8_t last_frame[256];
    uint32_t last_len;
    uint8_t last_op;
    uint32_t last_arg;
} bridge;

static bridge g_b;

static void to_host(uint8_t type, const uint8_t *head, uint32_t hl, const uint8_t *data, uint32_t dl)
{
    uint8_t out[MYCO_ELINK_ENCODED_MAX];
    uint32_t n = myco_elink_encode(type, head, hl, data, dl, out, sizeof out);
    memcpy(g_b.to_host + g_b.tail, out, n);
    g_b.tail += n;
}

static void bridge_handle(const myco_elink_msg *m)
{
    uint8_t h[8];
    switch (m->type) {
    case MYCO_ELINK_HELLO:
        g_b.hellos++;
        g_b.hello_id = myco_elink_u16(m->payload + 1);
        g_b.hello_mode = m->payload[3];
        g_b.hello_mtu = myco_elink_u16(m->payload + 4);
        if (!g_b.credits) return; /* "not booted yet" */
        h[0] = MYCO_ELINK_VERSION;
        memcpy(h + 1, "\x24\x0a\xc4\x00\x01\x02", 6);
        h[7] = (uint8_t)g_b.credits;
        to_host(MYCO_ELINK_READY, h, 8, NULL, 0);
        break;
    case MYCO_ELINK_SEND:
        g_b.sends++;
        g_b.last_dst = myco_elink_u16(m->payload);
        g_b.last_len = m->len - 2;
        memcpy(g_b.last_frame, m->payload + 2, g_b.last_len);
        break;
    case MYCO_ELINK_WIFI:
        g_b.last_op = m->payload[1];
        g_b.last_arg = myco_elink_u32(m->payload + 2);
        if (!g_b.answer_wifi) return;
        /* A frame that arrives while the host waits for the answer must not be lost. */
        h[0] = 0x09;
        h[1] = 0x00;
        h[2] = (uint8_t)-61;
        to_host(MYCO_ELINK_FRAME, h, 3, (const uint8_t *)"hi", 2);
        h[0] = m->payload[0];
        myco_elink_put_u32(h + 1, m->payload[1] == MYCO_WIFI_JOIN ? (uint32_t)MYCO_WIFI_UNKNOWN : 0u);
        to_host(MYCO_ELINK_RESULT, h, 5, NULL, 0);
        break;
    default:
        break;
    }
}

static void hw_write(void *ctx, const uint8_t *bytes, uint32_t len)
{
    myco_elink_msg m;
    uint32_t i;
    (void)ctx;
    for (i = 0; i < len; i++)
        if (myco_elink_feed(&g_b.dec, bytes[i], &m)) bridge_handle(&m);
}

static uint32_t hw_read(void *ctx, uint8_t *buf, uint32_t cap)
{
    uint32_t n = g_b.tail - g_b.head;
    (void)ctx;
    if (n > cap) n = cap;
    if (n > 3) n = 3; /* a UART hands bytes over a few at a time */
    memcpy(buf, g_b.to_host + g_b.head, n);
    g_b.head += n;
    return n;
}

static uint32_t hw_now(void *ctx)
{
    (void)ctx;
    return g_now++; /* every look at the clock is a millisecond later */
}

static char g_note[64];
static void hw_note(void *ctx, uint32_t level, const uint8_t *text, uint32_t len)
{
    (void)ctx;
    (void)level;
    memcpy(g_note, text, len);
    g_note[len] = '\0';
}

static void net_start_as(myco_enode_net *n, myco_frame_queue *q, uint32_t credits, uint16_t id)
{
    myco_enode_net_ops ops = {hw_write, hw_read, hw_now, hw_note, NULL};
    memset(&g_b, 0, sizeof g_b);
    myco_elink_decoder_init(&g_b.dec);
    g_b.credits = credits;
    g_b.answer_wifi = 1;
    myco_frame_queue_init(q);
    myco_enode_net_init(n, &ops, q, id, 1, 250);
}

static void net_start(myco_enode_net *n, myco_frame_queue *q, uint32_t credits)
{
    net_start_as(n, q, credits, 0x0042);
}

static void net_hello_and_credits(void)
{
    static myco_enode_net n;
    static myco_frame_queue q;
    uint8_t f[4] = {1, 2, 3, 4}, big[300];
    uint32_t i;
    net_start(&n, &q, 0);
    CHECK(g_b.hellos == 1 && g_b.hello_id == 0x42 && g_b.hello_mode == 1 && g_b.hello_mtu == 250);
    CHECK(myco_enode_net_send(&n, 5, f, 4) == MYCO_SEND_QUEUE_FULL); /* bridge not ready */
    CHECK(myco_enode_net_wifi(&n, MYCO_WIFI_SCAN, 0) == MYCO_WIFI_BUSY);
    /* The bridge boots later: HELLO is repeated until it answers. */
    g_b.credits = 2;
    myco_enode_net_poll(&n);
    CHECK(g_b.hellos == 1 && !n.ready);
    g_now += MYCO_ENODE_HELLO_RETRY_MS;
    myco_enode_net_poll(&n);
    CHECK(g_b.hellos == 2);
    myco_enode_net_poll(&n);
    CHECK(n.ready && n.credits == 2 && n.mac[5] == 0x02 && n.node_id == 0x0042);
    CHECK(myco_enode_net_next_ms(&n, g_now) == MYCO_NO_DEADLINE);
    /* Credits: two SENDs, then "queue full" until the bridge returns them. */
    CHECK(myco_enode_net_send(&n, 5, f, 4) == MYCO_SEND_OK);
    CHECK(g_b.sends == 1 && g_b.last_dst == 5 && g_b.last_len == 4 && g_b.last_frame[3] == 4);
    CHECK(myco_enode_net_send(&n, MYCO_BROADCAST, f, 2) == MYCO_SEND_OK);
    CHECK(myco_enode_net_send(&n, 5, f, 4) == MYCO_SEND_QUEUE_FULL && g_b.sends == 2);
    {
        uint8_t c = 2;
        to_host(MYCO_ELINK_CREDIT, &c, 1, NULL, 0);
    }
    myco_enode_net_poll(&n);
    CHECK(myco_enode_net_send(&n, 5, f, 4) == MYCO_SEND_OK);
    CHECK(myco_enode_net_send(&n, 0, f, 4) == MYCO_SEND_BAD_DST);
    for (i = 0; i < sizeof big; i++) big[i] = (uint8_t)i;
    CHECK(myco_enode_net_send(&n, 5, big, 251) == MYCO_SEND_TOO_LONG);
    /* A bridge that restarted asks for HELLO with a READY of no credits. */
    {
        uint8_t h[8] = {MYCO_ELINK_VERSION, 0, 0, 0, 0, 0, 0, 0};
        to_host(MYCO_ELINK_READY, h, 8, NULL, 0);
        myco_enode_net_poll(&n);
        CHECK(g_b.hellos == 3);
        myco_enode_net_poll(&n);
        CHECK(n.ready && n.credits == 2);
    }
}

static void net_id_from_bridge_mac(void)
{
    static myco_enode_net n;
    static myco_frame_queue q;
    net_start_as(&n, &q, 4, 0);
    CHECK(g_b.hellos == 1 && g_b.hello_id == 0);
    myco_enode_net_poll(&n);
    CHECK(n.ready && n.node_id == 0x0102); /* the bridge's MAC ends in 01:02 */
}

static void net_frames_events_and_wifi(void)
{
    static myco_enode_net n;
    static myco_frame_queue q;
    uint8_t h[3], inbox[256], recs[12] = {1, 0, (uint8_t)-50, 0, 0, 3, 2, 0, (uint8_t)-60, 1, 1, 1};
    myco_wake w;
    net_start(&n, &q, 4);
    myco_enode_net_poll(&n);
    CHECK(n.ready);
    h[0] = 0x07;
    h[1] = 0x00;
    h[2] = (uint8_t)-48;
    to_host(MYCO_ELINK_FRAME, h, 3, (const uint8_t *)"\x10\x20\x30", 3);
    h[0] = MYCO_LINK_SCAN_DONE;
    myco_elink_put_u16(h + 1, 2);
    to_host(MYCO_ELINK_LINK, h, 3, recs, sizeof recs);
    h[0] = MYCO_LOG_WARN;
    to_host(MYCO_ELINK_NOTE, h, 1, (const uint8_t *)"espnow init failed", 18);
    myco_enode_net_poll(&n);
    CHECK(myco_frame_queue_pop(&q, inbox, sizeof inbox, &w) == 1);
    CHECK(w.kind == MYCO_WAKE_FRAME && w.peer == 7 && w.len == 3 && w.rssi == -48 && inbox[2] == 0x30);
    CHECK(myco_frame_queue_pop(&q, inbox, sizeof inbox, &w) == 1);
    CHECK(w.kind == MYCO_WAKE_LINK && w.link_event == MYCO_LINK_SCAN_DONE && w.peer == 2 && w.len == 12);
    CHECK(memcmp(inbox, recs, 12) == 0);
    CHECK(strcmp(g_note, "espnow init failed") == 0);
    /* WIFI is answered synchronously; what arrives meanwhile is queued. */
    CHECK(myco_enode_net_wifi(&n, MYCO_WIFI_SCAN, 0) == 0);
    CHECK(g_b.last_op == MYCO_WIFI_SCAN);
    CHECK(myco_enode_net_wifi(&n, MYCO_WIFI_JOIN, 0x0102) == MYCO_WIFI_UNKNOWN);
    CHECK(g_b.last_op == MYCO_WIFI_JOIN && g_b.last_arg == 0x0102);
    CHECK(myco_frame_queue_count(&q) == 2);
    /* A silent bridge: BUSY after the time-out, and its late answer is ignored. */
    g_b.answer_wifi = 0;
    {
        uint32_t start = g_now;
        CHECK(myco_enode_net_wifi(&n, MYCO_WIFI_ADVERTISE, 0x10000) == MYCO_WIFI_BUSY);
        CHECK(g_now - start >= MYCO_ENODE_WIFI_REPLY_MS && n.wifi_timeouts == 1);
        h[0] = n.wifi_seq;
        to_host(MYCO_ELINK_RESULT, h, 1, (const uint8_t *)"\0\0\0\0", 4);
        g_b.answer_wifi = 1;
        CHECK(myco_enode_net_wifi(&n, MYCO_WIFI_LEAVE, 0) == 0);
    }
    /* Malformed messages are counted, not trusted. */
    to_host(MYCO_ELINK_FRAME, h, 2, NULL, 0);
    to_host(0x55, h, 1, NULL, 0);
    myco_enode_net_poll(&n);
    CHECK(n.unexpected == 2);
}

/* ---- a simulated FPGA skeleton -------------------------------------------------- */

typedef struct {
    int powered, configuring_left, powers_on, configures;
    uint8_t design; /* loaded design id (0 none) */
    uint8_t flash_design_at[4]; /* design id stored at bitfile address index */
    uint8_t mem[4096];
    int busy_polls; /* status reads before busy clears; -1 never */
    int hang;
} fpga_sim;

static fpga_sim g_f;

static void f_power(void *ctx, int on)
{
    (void)ctx;
    if (on && !g_f.powered) g_f.powers_on++;
    g_f.powered = on;
    if (!on) g_f.design = 0;
}
static int f_configure(void *ctx, uint32_t addr, uint32_t len)
{
    (void)ctx;
    (void)len;
    if (!g_f.powered) return -1;
    g_f.configures++;
    g_f.configuring_left = 3;
    g_f.design = g_f.flash_design_at[addr / 0x100000u];
    return 0;
}
static int f_configured(void *ctx)
{
    (void)ctx;
    if (g_f.configuring_left < 0) return 0; /* stuck */
    if (g_f.configuring_left > 0) g_f.configuring_left--;
    return g_f.configuring_left == 0;
}
static void f_write(void *ctx, uint32_t addr, const uint8_t *data, uint32_t len)
{
    uint32_t i;
    (void)ctx;
    if (addr == MYCO_FPGA_REG_CONTROL && data[0] == 1) {
        /* The "accelerator": output = input + design id. */
        for (i = 0; i < 16; i++) g_f.mem[0x200 + i] = (uint8_t)(g_f.mem[0x100 + i] + g_f.design);
        g_f.busy_polls = g_f.hang ? -1 : 2;
        return;
    }
    memcpy(g_f.mem + addr, data, len);
}
static void f_read(void *ctx, uint32_t addr, uint8_t *data, uint32_t len)
{
    (void)ctx;
    if (addr == MYCO_FPGA_REG_DESIGN_ID) {
        data[0] = g_f.design;
        return;
    }
    if (addr == MYCO_FPGA_REG_STATUS) {
        data[0] = g_f.busy_polls != 0;
        if (g_f.busy_polls > 0) g_f.busy_polls--;
        return;
    }
    memcpy(data, g_f.mem + addr, len);
}

static const myco_fpga_accel STUBS[] = {
    {MYCO_ACCEL_CONV_2D, 7, 0, 0x11, 0x000000, 0x80000, 0x100, 16, 0x200, 16},
    {MYCO_ACCEL_FULLY_CONNECTED, 7, 5, 0x22, 0x100000, 0x80000, 0x100, 16, 0x200, 16},
};

static uint32_t desc_in(uint8_t *in, uint32_t blob, uint16_t layer, uint32_t n)
{
    uint32_t i;
    in[0] = (uint8_t)blob;
    in[1] = (uint8_t)(blob >> 8);
    in[2] = (uint8_t)(blob >> 16);
    in[3] = (uint8_t)(blob >> 24);
    in[4] = (uint8_t)layer;
    in[5] = (uint8_t)(layer >> 8);
    in[6] = in[7] = 0;
    for (i = 0; i < n; i++) in[8 + i] = (uint8_t)i;
    return 8 + n;
}

static void fpga_runs(void)
{
    static myco_fpga f;
    myco_fpga_bus bus = {f_power, f_configure, f_configured, f_write, f_read, hw_now, NULL};
    uint8_t in[64], out[16];
    uint32_t n;
    memset(&g_f, 0, sizeof g_f);
    g_f.flash_design_at[0] = 0x11;
    g_f.flash_design_at[1] = 0x22;
    myco_fpga_init(&f, STUBS, 2, &bus);
    /* No stub for this layer, or other shapes: the Wasm kernel runs; the FPGA stays off. */
    n = desc_in(in, 7, 1, 16);
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, n, out, 16) == MYCO_ACCEL_UNAVAILABLE);
    n = desc_in(in, 7, 0, 15);
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, n, out, 16) == MYCO_ACCEL_UNAVAILABLE);
    n = desc_in(in, 7, 0, 16);
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, n, out, 15) == MYCO_ACCEL_UNAVAILABLE);
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_DEPTHWISE_CONV_2D, in, n, out, 16) == MYCO_ACCEL_UNAVAILABLE);
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, 7, out, 16) == MYCO_ACCEL_UNAVAILABLE);
    CHECK(g_f.powers_on == 0 && g_f.configures == 0);
    /* Power on, configure, write, start, wait for not busy, read. */
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, n, out, 16) == 16);
    CHECK(out[0] == 0x11 && out[15] == 15 + 0x11);
    CHECK(g_f.powers_on == 1 && g_f.configures == 1 && f.runs == 1);
    /* The same design again: no reconfiguration. */
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, n, out, 16) == 16 && g_f.configures == 1);
    /* Another layer's design: reconfigured from its own bitfile. */
    n = desc_in(in, 7, 5, 16);
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_FULLY_CONNECTED, in, n, out, 16) == 16);
    CHECK(out[0] == 0x22 && g_f.configures == 2 && f.reconfigurations == 2);
    /* Idle long enough: powered off, and configured afresh on the next run. */
    myco_fpga_poll(&f, f.last_use + MYCO_FPGA_IDLE_OFF_MS - 1);
    CHECK(g_f.powered);
    myco_fpga_poll(&f, f.last_use + MYCO_FPGA_IDLE_OFF_MS);
    CHECK(!g_f.powered && f.loaded == NULL);
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_FULLY_CONNECTED, in, n, out, 16) == 16 && g_f.configures == 3);
}

static void fpga_failures(void)
{
    static myco_fpga f;
    myco_fpga_bus bus = {f_power, f_configure, f_configured, f_write, f_read, hw_now, NULL};
    uint8_t in[64], out[16];
    uint32_t n = desc_in(in, 7, 0, 16), start;
    memset(&g_f, 0, sizeof g_f);
    g_f.flash_design_at[0] = 0x33; /* a stale bitfile in flash */
    g_f.flash_design_at[1] = 0x22;
    myco_fpga_init(&f, STUBS, 2, &bus);
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, n, out, 16) == MYCO_ACCEL_UNAVAILABLE);
    CHECK(f.failures == 1 && !g_f.powered);
    /* A design that never leaves busy: bounded wait, then unavailable and reconfigured. */
    g_f.flash_design_at[0] = 0x11;
    g_f.hang = 1;
    start = g_now;
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, n, out, 16) == MYCO_ACCEL_UNAVAILABLE);
    CHECK(g_now - start >= MYCO_FPGA_RUN_TIMEOUT_MS && f.failures == 2 && f.loaded == NULL);
    g_f.hang = 0;
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, n, out, 16) == 16);
}

static int stuck_configured(void *ctx)
{
    (void)ctx;
    return 0;
}

static void fpga_config_timeout(void)
{
    static myco_fpga f;
    myco_fpga_bus bus = {f_power, f_configure, stuck_configured, f_write, f_read, hw_now, NULL};
    uint8_t in[64], out[16];
    uint32_t n = desc_in(in, 7, 0, 16), start;
    memset(&g_f, 0, sizeof g_f);
    g_f.flash_design_at[0] = 0x11;
    myco_fpga_init(&f, STUBS, 2, &bus);
    start = g_now;
    CHECK(myco_fpga_run(&f, MYCO_ACCEL_CONV_2D, in, n, out, 16) == MYCO_ACCEL_UNAVAILABLE);
    CHECK(g_now - start >= MYCO_FPGA_CONFIG_TIMEOUT_MS && g_now - start < MYCO_FPGA_CONFIG_TIMEOUT_MS + 10);
    CHECK(f.failures == 1 && !g_f.powered);
}

int main(void)
{
    RUN(elink_round_trip);
    RUN(net_hello_and_credits);
    RUN(net_id_from_bridge_mac);
    RUN(net_frames_events_and_wifi);
    RUN(fpga_runs);
    RUN(fpga_failures);
    RUN(fpga_config_timeout);
    return 0;
}
