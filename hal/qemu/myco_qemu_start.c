/*
 * Bare-metal start for the replay image under QEMU (mps2-an385, semihosting): the
 * vector table, copying .data and clearing .bss, stdout over semihosting (newlib's
 * rdimon), then main; the exit code goes back to QEMU through SYS_EXIT. Built for the
 * Cortex-M0+ (ARMv6-M), whose instructions the emulated Cortex-M3 runs unchanged.
 *
 * The stack reserve is painted first and scanned at the end, so the image reports how
 * much stack the shell, the engine and the module really used.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern uint32_t __myco_data_load, __myco_data_start, __myco_data_end;
extern uint32_t __myco_bss_start, __myco_bss_end;
extern uint32_t __myco_stack_top, __myco_stack_bottom;

extern void initialise_monitor_handles(void);
int main(int argc, char **argv);
void myco_reset(void);

#define PAINT 0xC5C5C5C5u
#define SYS_EXIT 0x18u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define ADP_STOPPED_RUNTIME_ERROR 0x20023u

/* QEMU ends with status 0 for an application exit and 1 for any other reason. */
static void __attribute__((noreturn)) semihost_exit(int ok)
{
    register uint32_t r0 __asm__("r0") = SYS_EXIT;
    register uint32_t r1 __asm__("r1") = ok ? ADP_STOPPED_APPLICATION_EXIT : ADP_STOPPED_RUNTIME_ERROR;
    for (;;) __asm__ volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
}

static void fault(void)
{
    fputs("fault: the processor took an exception\n", stdout);
    fflush(stdout);
    semihost_exit(0);
}

/* Paints the reserve below the running stack; the scan finds the deepest word written. */
static void paint_stack(void)
{
    uint32_t *p = &__myco_stack_bottom;
    uint32_t *sp = (uint32_t *)__builtin_frame_address(0) - 64;
    while (p < sp) *p++ = PAINT;
}

static uint32_t stack_used(void)
{
    const uint32_t *p = &__myco_stack_bottom;
    while (p < &__myco_stack_top && *p == PAINT) p++;
    return (uint32_t)((const uint8_t *)&__myco_stack_top - (const uint8_t *)p);
}

void myco_reset(void)
{
    int rc;
    memcpy(&__myco_data_start, &__myco_data_load,
           (size_t)((uint8_t *)&__myco_data_end - (uint8_t *)&__myco_data_start));
    memset(&__myco_bss_start, 0,
           (size_t)((uint8_t *)&__myco_bss_end - (uint8_t *)&__myco_bss_start));
    paint_stack();
    initialise_monitor_handles();
    rc = main(0, NULL);
    printf("stack_used=%lu of %lu\n", (unsigned long)stack_used(),
           (unsigned long)((uint8_t *)&__myco_stack_top - (uint8_t *)&__myco_stack_bottom));
    fflush(stdout);
    semihost_exit(rc == 0);
}

/* Initial stack pointer, reset, NMI, HardFault, then the rest of the 16 system entries. */
__attribute__((section(".vectors"), used)) static void (*const g_vectors[16])(void) = {
    (void (*)(void))&__myco_stack_top, myco_reset, fault, fault,
    fault, fault, fault, 0, 0, 0, 0, fault, fault, 0, fault, fault,
};
