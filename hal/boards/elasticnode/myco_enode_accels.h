/*
 * The accelerators this Elastic Node image knows: one stub per accelerated layer
 * (myco_enode_fpga.h), written alongside the FPGA design that implements it, as the
 * Elastic Node middleware does. Myco ships no FPGA designs, so the table is empty and
 * `accel` answers "unavailable" (the Wasm kernels run) until one is added.
 */
#ifndef MYCO_ENODE_ACCELS_H
#define MYCO_ENODE_ACCELS_H

#include <stdint.h>

#include "myco_enode_fpga.h"

#ifdef __cplusplus
extern "C" {
#endif

extern const myco_fpga_accel myco_enode_accels[];
extern const uint32_t myco_enode_accel_count;

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ENODE_ACCELS_H */
