#include "myco_enode_accels.h"

#include "myco_hal.h"

/*
 * A stub names the layer it computes and where its design lives, e.g. a fully connected
 * layer 5 of model blob 7, bitfile 512 KiB at offset 0 of the bitfile area, 64 input bytes
 * at skeleton address 0x0100 and 16 output bytes at 0x0200:
 *
 *   {MYCO_ACCEL_FULLY_CONNECTED, 7, 5, 0x01, 0x000000, 0x80000, 0x0100, 64, 0x0200, 16},
 *
 * The first entry below only keeps the array non-empty for C99; its op 0 matches no call.
 */
const myco_fpga_accel myco_enode_accels[] = {
    {0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
};

const uint32_t myco_enode_accel_count = 0;
