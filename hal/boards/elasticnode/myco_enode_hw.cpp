// arduino-pico access to the Elastic Node's UART and FPGA (pins in myco_enode_board.h).
#include <Arduino.h>
#include <SPI.h>

#include "myco_enode_board.h"
#include "myco_enode_hw.h"

static const SPISettings g_spi(MYCO_ENODE_FPGA_SPI_HZ, MSBFIRST, SPI_MODE0);

extern "C" void myco_enode_hw_begin(void)
{
    Serial2.setTX(MYCO_ENODE_ESP_UART_TX_PIN);
    Serial2.setRX(MYCO_ENODE_ESP_UART_RX_PIN);
    Serial2.setFIFOSize(MYCO_ENODE_ESP_UART_FIFO);
    Serial2.begin(MYCO_ENODE_ESP_UART_BAUD);

    pinMode(MYCO_ENODE_FPGA_POWER_PIN, OUTPUT);
    digitalWrite(MYCO_ENODE_FPGA_POWER_PIN, LOW); // off until an accelerator is needed
    pinMode(MYCO_ENODE_FPGA_PROGRAM_B_PIN, OUTPUT);
    digitalWrite(MYCO_ENODE_FPGA_PROGRAM_B_PIN, HIGH);
    pinMode(MYCO_ENODE_FPGA_INIT_B_PIN, INPUT_PULLUP);
    pinMode(MYCO_ENODE_FPGA_DONE_PIN, INPUT);
    pinMode(MYCO_ENODE_FPGA_SPI_CS_PIN, OUTPUT);
    digitalWrite(MYCO_ENODE_FPGA_SPI_CS_PIN, HIGH);
    SPI1.setSCK(MYCO_ENODE_FPGA_SPI_SCK_PIN);
    SPI1.setTX(MYCO_ENODE_FPGA_SPI_MOSI_PIN);
    SPI1.setRX(MYCO_ENODE_FPGA_SPI_MISO_PIN);
    SPI1.begin();
}

// ---- UART to the bridge -------------------------------------------------------------------

static void uart_write(void *ctx, const uint8_t *bytes, uint32_t len)
{
    (void)ctx;
    Serial2.write(bytes, len);
}

static uint32_t uart_read(void *ctx, uint8_t *buf, uint32_t cap)
{
    uint32_t n = 0;
    (void)ctx;
    while (n < cap && Serial2.available() > 0) buf[n++] = (uint8_t)Serial2.read();
    return n;
}

static uint32_t now_ms(void *ctx)
{
    (void)ctx;
    return millis();
}

static void bridge_note(void *ctx, uint32_t level, const uint8_t *text, uint32_t len)
{
    (void)ctx;
    Serial.print(level == 0 ? "error bridge " : "note bridge ");
    Serial.write(text, len);
    Serial.println();
}

extern "C" const myco_enode_net_ops myco_enode_uart_ops = {uart_write, uart_read, now_ms, bridge_note, NULL};

// ---- FPGA ---------------------------------------------------------------------------------

static void fpga_power(void *ctx, int on)
{
    (void)ctx;
    digitalWrite(MYCO_ENODE_FPGA_POWER_PIN, on ? HIGH : LOW);
    if (on) delay(5); // rails settle before PROGRAM_B
}

// Xilinx 7-series slave serial: pulse PROGRAM_B, wait for INIT_B, shift the bitstream MSB
// first on CCLK/DIN (SPI mode 0), then DONE rises (polled by fpga_configured).
static int fpga_configure(void *ctx, uint32_t addr, uint32_t len)
{
    const uint8_t *bits = (const uint8_t *)(uintptr_t)(MYCO_ENODE_BITFILE_XIP_BASE + addr);
    uint32_t start, i;
    (void)ctx;
    digitalWrite(MYCO_ENODE_FPGA_PROGRAM_B_PIN, LOW);
    delayMicroseconds(1);
    digitalWrite(MYCO_ENODE_FPGA_PROGRAM_B_PIN, HIGH);
    start = millis();
    while (digitalRead(MYCO_ENODE_FPGA_INIT_B_PIN) == LOW)
        if (millis() - start > 10) return -1; // housekeeping takes well under 10 ms
    SPI1.beginTransaction(g_spi);
    for (i = 0; i < len; i++) SPI1.transfer(bits[i]);
    // Extra clocks finish the start-up sequence.
    for (i = 0; i < 8; i++) SPI1.transfer(0xFF);
    SPI1.endTransaction();
    return 0;
}

static int fpga_configured(void *ctx)
{
    (void)ctx;
    return digitalRead(MYCO_ENODE_FPGA_DONE_PIN) == HIGH;
}

static void fpga_command(uint8_t cmd, uint32_t addr)
{
    SPI1.transfer(cmd);
    SPI1.transfer((uint8_t)(addr >> 8));
    SPI1.transfer((uint8_t)addr);
}

static void fpga_write(void *ctx, uint32_t addr, const uint8_t *data, uint32_t len)
{
    uint32_t i;
    (void)ctx;
    SPI1.beginTransaction(g_spi);
    digitalWrite(MYCO_ENODE_FPGA_SPI_CS_PIN, LOW);
    fpga_command(MYCO_ENODE_SPI_WRITE, addr);
    for (i = 0; i < len; i++) SPI1.transfer(data[i]);
    digitalWrite(MYCO_ENODE_FPGA_SPI_CS_PIN, HIGH);
    SPI1.endTransaction();
}

static void fpga_read(void *ctx, uint32_t addr, uint8_t *data, uint32_t len)
{
    uint32_t i;
    (void)ctx;
    SPI1.beginTransaction(g_spi);
    digitalWrite(MYCO_ENODE_FPGA_SPI_CS_PIN, LOW);
    fpga_command(MYCO_ENODE_SPI_READ, addr);
    SPI1.transfer(0x00); // the skeleton's turnaround byte
    for (i = 0; i < len; i++) data[i] = SPI1.transfer(0x00);
    digitalWrite(MYCO_ENODE_FPGA_SPI_CS_PIN, HIGH);
    SPI1.endTransaction();
}

extern "C" const myco_fpga_bus myco_enode_fpga_bus = {fpga_power, fpga_configure, fpga_configured,
                                                      fpga_write, fpga_read, now_ms, NULL};
