/*
 * The Elastic Node's FPGA as the HAL's `accel` (docs/abi.md; docs/steps.md), following
 * the Elastic Node middleware's pattern (Elastic AI paper, §4.2): a stub per accelerator
 * says where its bitfile lies in flash and where the memory-mapped interface of its
 * skeleton expects data. To run a layer the MCU
 *   1. powers the FPGA and configures it from the bitfile, unless that design is loaded
 *      (about 50 ms on the XC7S15), and checks the design id the skeleton reports;
 *   2. writes the input tensor to the accelerator's input address;
 *   3. starts it and polls the busy flag until it clears (bounded by a time-out);
 *   4. reads the output tensor back.
 * Any failure answers MYCO_ACCEL_UNAVAILABLE, so the module runs its Wasm kernel instead:
 * an FPGA problem costs time, never a wrong result. The FPGA is powered off after a
 * while unused, as the middleware does to save energy.
 *
 * Pure logic over a bus of board hooks (configuration, register and memory access), so the
 * sequence is tested on a host against a simulated skeleton.
 */
#ifndef MYCO_ENODE_FPGA_H
#define MYCO_ENODE_FPGA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The skeleton's control interface. The Elastic Node v5 documentation available to this
 * project does not fix these addresses; they are what a Myco skeleton must implement, and
 * a board revision or skeleton with other addresses overrides them with build flags. */
#ifndef MYCO_FPGA_REG_CONTROL
#define MYCO_FPGA_REG_CONTROL 0x0000u /* write 1: start the accelerator */
#endif
#ifndef MYCO_FPGA_REG_STATUS
#define MYCO_FPGA_REG_STATUS 0x0001u /* bit 0: busy */
#endif
#ifndef MYCO_FPGA_REG_DESIGN_ID
#define MYCO_FPGA_REG_DESIGN_ID 0x07D0u /* one byte: which design is loaded */
#endif
/* Reconfiguration takes about 50 ms on the XC7S15 (Elastic AI paper, §5); four times that
 * before giving up leaves room for a slower flash clock. */
#ifndef MYCO_FPGA_CONFIG_TIMEOUT_MS
#define MYCO_FPGA_CONFIG_TIMEOUT_MS 200u
#endif
/* One layer's run; a design that is still busy after this is taken as hung. */
#ifndef MYCO_FPGA_RUN_TIMEOUT_MS
#define MYCO_FPGA_RUN_TIMEOUT_MS 1000u
#endif
/* Powered off after this long without a run. */
#ifndef MYCO_FPGA_IDLE_OFF_MS
#define MYCO_FPGA_IDLE_OFF_MS 5000u
#endif

/* A stub: one accelerated layer. */
typedef struct {
    uint32_t op;         /* MYCO_ACCEL_CONV_2D, _DEPTHWISE_CONV_2D or _FULLY_CONNECTED */
    uint32_t model_blob; /* the model blob the layer belongs to (the descriptor's model_blob) */
    uint16_t layer;      /* layer index in that model */
    uint8_t design_id;   /* what MYCO_FPGA_REG_DESIGN_ID reads with this bitfile loaded */
    uint32_t bitfile_addr, bitfile_len; /* in the configuration flash */
    uint32_t in_addr, in_len;           /* the input tensor: where, and its exact length */
    uint32_t out_addr, out_len;         /* the output tensor */
} myco_fpga_accel;

typedef struct {
    void (*power)(void *ctx, int on);
    /* Starts configuring the FPGA from `len` bytes at `addr` of the flash; 0, or -1. */
    int (*configure)(void *ctx, uint32_t addr, uint32_t len);
    /* 1 once configuration is done (the DONE pin), 0 while it runs. */
    int (*configured)(void *ctx);
    void (*write)(void *ctx, uint32_t addr, const uint8_t *data, uint32_t len);
    void (*read)(void *ctx, uint32_t addr, uint8_t *data, uint32_t len);
    uint32_t (*now_ms)(void *ctx);
    void *ctx;
} myco_fpga_bus;

typedef struct {
    const myco_fpga_accel *stubs;
    uint32_t count;
    myco_fpga_bus bus;
    const myco_fpga_accel *loaded; /* the design configured now, NULL when none or off */
    uint8_t powered;
    uint32_t last_use;
    /* Counters. */
    uint32_t runs, reconfigurations, failures;
} myco_fpga;

void myco_fpga_init(myco_fpga *f, const myco_fpga_accel *stubs, uint32_t count,
                    const myco_fpga_bus *bus);

/* The `accel` import: bytes written to `out`, or MYCO_ACCEL_UNAVAILABLE. */
int32_t myco_fpga_run(myco_fpga *f, uint32_t op, const uint8_t *in, uint32_t in_len,
                      uint8_t *out, uint32_t out_len);

/* Powers the FPGA off once it has been idle long enough. */
void myco_fpga_poll(myco_fpga *f, uint32_t now);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ENODE_FPGA_H */
