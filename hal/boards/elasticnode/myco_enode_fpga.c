#include "myco_enode_fpga.h"

#include <string.h>

#include "myco_hal.h"

void myco_fpga_init(myco_fpga *f, const myco_fpga_accel *stubs, uint32_t count,
                    const myco_fpga_bus *bus)
{
    memset(f, 0, sizeof *f);
    f->stubs = stubs;
    f->count = count;
    f->bus = *bus;
}

static const myco_fpga_accel *find(const myco_fpga *f, uint32_t op, uint32_t blob, uint16_t layer)
{
    uint32_t i;
    for (i = 0; i < f->count; i++)
        if (f->stubs[i].op == op && f->stubs[i].model_blob == blob && f->stubs[i].layer == layer)
            return &f->stubs[i];
    return NULL;
}

static void power_off(myco_fpga *f)
{
    if (f->powered) f->bus.power(f->bus.ctx, 0);
    f->powered = 0;
    f->loaded = NULL;
}

static int32_t fail(myco_fpga *f)
{
    /* The design is in an unknown state: configure afresh next time. */
    f->failures++;
    power_off(f);
    return MYCO_ACCEL_UNAVAILABLE;
}

static int load(myco_fpga *f, const myco_fpga_accel *a)
{
    uint32_t start;
    uint8_t id = 0;
    if (f->loaded == a) return 0;
    if (!f->powered) {
        f->bus.power(f->bus.ctx, 1);
        f->powered = 1;
    }
    f->loaded = NULL;
    f->reconfigurations++;
    if (f->bus.configure(f->bus.ctx, a->bitfile_addr, a->bitfile_len) != 0) return -1;
    start = f->bus.now_ms(f->bus.ctx);
    while (!f->bus.configured(f->bus.ctx))
        if (f->bus.now_ms(f->bus.ctx) - start >= MYCO_FPGA_CONFIG_TIMEOUT_MS) return -1;
    /* A wrong or stale bitfile in flash would compute garbage: check what was loaded. */
    f->bus.read(f->bus.ctx, MYCO_FPGA_REG_DESIGN_ID, &id, 1);
    if (id != a->design_id) return -1;
    f->loaded = a;
    return 0;
}

int32_t myco_fpga_run(myco_fpga *f, uint32_t op, const uint8_t *in, uint32_t in_len,
                      uint8_t *out, uint32_t out_len)
{
    const myco_fpga_accel *a;
    uint32_t blob, start;
    uint16_t layer;
    uint8_t status, go = 1;
    if (in_len < MYCO_ACCEL_DESC_BYTES) return MYCO_ACCEL_UNAVAILABLE;
    blob = (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 24;
    layer = (uint16_t)(in[4] | in[5] << 8);
    a = find(f, op, blob, layer);
    /* No stub, or one for other shapes: the Wasm kernel is the right answer. */
    if (!a || in_len - MYCO_ACCEL_DESC_BYTES != a->in_len || out_len != a->out_len)
        return MYCO_ACCEL_UNAVAILABLE;
    if (load(f, a) != 0) return fail(f);
    f->bus.write(f->bus.ctx, a->in_addr, in + MYCO_ACCEL_DESC_BYTES, a->in_len);
    f->bus.write(f->bus.ctx, MYCO_FPGA_REG_CONTROL, &go, 1);
    start = f->bus.now_ms(f->bus.ctx);
    for (;;) {
        f->bus.read(f->bus.ctx, MYCO_FPGA_REG_STATUS, &status, 1);
        if (!(status & 1u)) break;
        if (f->bus.now_ms(f->bus.ctx) - start >= MYCO_FPGA_RUN_TIMEOUT_MS) return fail(f);
    }
    f->bus.read(f->bus.ctx, a->out_addr, out, a->out_len);
    f->runs++;
    f->last_use = f->bus.now_ms(f->bus.ctx);
    return (int32_t)a->out_len;
}

void myco_fpga_poll(myco_fpga *f, uint32_t now)
{
    if (f->powered && now - f->last_use >= MYCO_FPGA_IDLE_OFF_MS) power_off(f);
}
