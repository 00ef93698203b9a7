// The Elastic Node v5 board's hooks under the shared Arduino shim (myco_arduino_board.h):
// RP2040 with the arduino-pico core, settings in the emulated EEPROM, the radio through the
// ESP32 bridge, the FPGA as `accel`.
#include <Arduino.h>
#include <LittleFS.h>

#include "myco_arduino_board.h"
#include "myco_arduino_eeprom.h"
#include "myco_arduino_serial.h"
#include "myco_enode_accels.h"
#include "myco_enode_board.h"
#include "myco_enode_fpga.h"
#include "myco_enode_hw.h"
#include "myco_enode_net.h"

// The bridge's UART is polled (its bytes wait in the UART's software FIFO meanwhile).
#define MYCO_ENODE_UART_POLL_MS 2u
// ESP-NOW's payload limit, which the bridge's radio has in both modes.
#define MYCO_ENODE_MTU 250u

static myco_frame_queue g_queue;
static myco_enode_net g_net;
static myco_fpga g_fpga;

// ---- the radio: the bridge, over the UART ------------------------------------------------

static int32_t net_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    return myco_enode_net_send(&g_net, dst, frame, len);
}

static int32_t net_wifi(uint32_t op, uint32_t arg)
{
    return myco_enode_net_wifi(&g_net, op, arg);
}

// The FPGA's idle power-off is timed work too; it rides on the radio's poll.
static void net_poll(uint32_t now)
{
    myco_enode_net_poll(&g_net);
    myco_fpga_poll(&g_fpga, now);
}

static uint32_t net_next_ms(uint32_t now)
{
    uint32_t next = myco_enode_net_next_ms(&g_net, now);
    return next < MYCO_ENODE_UART_POLL_MS ? next : MYCO_ENODE_UART_POLL_MS;
}

// Begun during the boot: HELLO starts the bridge's radio (board_start).
static const myco_radio g_radio = {NULL, NULL, net_send, net_wifi, net_poll, net_next_ms};

// ---- hooks ------------------------------------------------------------------------------

static const myco_radio *board_start(uint16_t configured, uint32_t route_mode, uint16_t *id)
{
    LittleFS.begin();
    myco_enode_hw_begin();
    myco_fpga_init(&g_fpga, myco_enode_accels, myco_enode_accel_count, &myco_enode_fpga_bus);
    myco_enode_net_init(&g_net, &myco_enode_uart_ops, &g_queue, configured, (uint8_t)route_mode, MYCO_ENODE_MTU);
    // The node id may come from the bridge's MAC: wait for its READY (HELLO repeats).
    while (!g_net.ready) {
        myco_enode_net_poll(&g_net);
        myco_serial_console();
        delay(MYCO_ENODE_UART_POLL_MS);
    }
    *id = g_net.node_id; // fixed from here on: a restarted bridge is greeted with it
    return &g_radio;
}

static void board_describe(char *out, uint32_t cap)
{
    snprintf(out, cap, " accels=%lu", (unsigned long)myco_enode_accel_count);
}

static void board_idle(uint32_t ms)
{
    delay(ms); // the core sleeps the CPU (WFE) in delay
}

static uint32_t board_rand(void)
{
    return rp2040.hwrand32(); // ring-oscillator entropy
}

static int32_t board_accel(uint32_t op, const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len)
{
    return myco_fpga_run(&g_fpga, op, in, in_len, out, out_len);
}

static void board_reboot(void)
{
    rp2040.reboot();
}

extern "C" const myco_arduino_board myco_board = {
    "elasticnode-v5", "the bridge's MAC", &g_queue, MYCO_ENODE_ADC_PIN,
    myco_eeprom_read, myco_eeprom_write, board_start, board_describe,
    board_idle, board_rand, board_accel, board_reboot,
};
