/*
 * The RP2040's hardware under the Elastic Node shim (arduino-pico core): the UART to the
 * ESP32 bridge and the FPGA's pins and SPI, as the hook tables of myco_enode_net.h and
 * myco_enode_fpga.h. Thin on purpose: the logic is in the pure C files.
 */
#ifndef MYCO_ENODE_HW_H
#define MYCO_ENODE_HW_H

#include "myco_enode_fpga.h"
#include "myco_enode_net.h"

#ifdef __cplusplus
extern "C" {
#endif

void myco_enode_hw_begin(void);
extern const myco_enode_net_ops myco_enode_uart_ops;
extern const myco_fpga_bus myco_enode_fpga_bus;

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ENODE_HW_H */
