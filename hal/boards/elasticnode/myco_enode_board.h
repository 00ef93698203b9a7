/*
 * Elastic Node v5 wiring as the RP2040 shim uses it. The schematic of the v5 board is not
 * among the documents this project has, so every pin and address below is an explicit
 * assumption: each is a #define a build flag overrides to match the board at hand, and
 * nothing else in the shim hard-codes hardware.
 */
#ifndef MYCO_ENODE_BOARD_H
#define MYCO_ENODE_BOARD_H

/* UART to the ESP32 network module (RP2040 UART1 through arduino-pico's Serial2). The
 * rate is one both chips' UARTs run reliably over a short on-board trace. */
#ifndef MYCO_ENODE_ESP_UART_TX_PIN
#define MYCO_ENODE_ESP_UART_TX_PIN 4
#endif
#ifndef MYCO_ENODE_ESP_UART_RX_PIN
#define MYCO_ENODE_ESP_UART_RX_PIN 5
#endif
#ifndef MYCO_ENODE_ESP_UART_BAUD
#define MYCO_ENODE_ESP_UART_BAUD 921600
#endif
/* Software receive buffer of that UART: a whole encoded frame (~520 bytes at worst) and
 * then some, so a frame arriving while the node computes is not lost. */
#ifndef MYCO_ENODE_ESP_UART_FIFO
#define MYCO_ENODE_ESP_UART_FIFO 2048
#endif

/* The FPGA: power switch, configuration pins (Xilinx 7-series slave serial: PROGRAM_B,
 * INIT_B, DONE, CCLK/DIN on SPI) and the SPI of the skeleton's memory-mapped interface. */
#ifndef MYCO_ENODE_FPGA_POWER_PIN
#define MYCO_ENODE_FPGA_POWER_PIN 22
#endif
#ifndef MYCO_ENODE_FPGA_PROGRAM_B_PIN
#define MYCO_ENODE_FPGA_PROGRAM_B_PIN 20
#endif
#ifndef MYCO_ENODE_FPGA_INIT_B_PIN
#define MYCO_ENODE_FPGA_INIT_B_PIN 21
#endif
#ifndef MYCO_ENODE_FPGA_DONE_PIN
#define MYCO_ENODE_FPGA_DONE_PIN 19
#endif
#ifndef MYCO_ENODE_FPGA_SPI_CS_PIN
#define MYCO_ENODE_FPGA_SPI_CS_PIN 13
#endif
#ifndef MYCO_ENODE_FPGA_SPI_SCK_PIN
#define MYCO_ENODE_FPGA_SPI_SCK_PIN 10
#endif
#ifndef MYCO_ENODE_FPGA_SPI_MOSI_PIN
#define MYCO_ENODE_FPGA_SPI_MOSI_PIN 11
#endif
#ifndef MYCO_ENODE_FPGA_SPI_MISO_PIN
#define MYCO_ENODE_FPGA_SPI_MISO_PIN 12
#endif
#ifndef MYCO_ENODE_FPGA_SPI_HZ
#define MYCO_ENODE_FPGA_SPI_HZ 20000000
#endif

/* Bitfiles live in the RP2040's own flash, which is memory-mapped (XIP) from 0x10000000;
 * a stub's bitfile_addr is an offset from this base. */
#ifndef MYCO_ENODE_BITFILE_XIP_BASE
#define MYCO_ENODE_BITFILE_XIP_BASE 0x10800000u
#endif

/* The skeleton's SPI commands: write = 0x01 addr:u16 (big-endian) data..., read = 0x02
 * addr:u16 one dummy byte, then data. A Myco skeleton implements exactly this. */
#define MYCO_ENODE_SPI_WRITE 0x01u
#define MYCO_ENODE_SPI_READ 0x02u

/* ADC channel of sensor channel 0 (GPIO26 = ADC0). */
#ifndef MYCO_ENODE_ADC_PIN
#define MYCO_ENODE_ADC_PIN 26
#endif

#endif /* MYCO_ENODE_BOARD_H */
