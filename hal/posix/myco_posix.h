/*
 * The posix shim: a node as a process, its radio a UDP socket on 127.0.0.1 at
 * port base + node id. Used to run real nodes side by side on one machine and to
 * test the C path (shell, engine adapter, runtime) on every machine.
 */
#ifndef MYCO_POSIX_H
#define MYCO_POSIX_H

#include <stddef.h>
#include <stdint.h>

#include "myco_config.h"
#include "myco_hal.h"

#define MYCO_POSIX_MAX_PEERS 1024u
#define MYCO_POSIX_RSSI (-40) /* loopback has no signal strength; a good link's value */

/* Process exit codes. */
#define MYCO_EXIT_OK 0      /* stopped by a signal or --duration-ms */
#define MYCO_EXIT_REFUSED 1 /* the module cannot run (ABI, budget, config, socket) */
#define MYCO_EXIT_USAGE 2   /* bad command line */
#define MYCO_EXIT_PANIC 3   /* the module kept failing past its restarts ("reboot") */

typedef struct {
    uint16_t id;
    uint16_t port_base;
    uint16_t peers[MYCO_POSIX_MAX_PEERS];
    uint32_t peer_count;
    uint32_t mtu;
    uint32_t duration_ms; /* 0: run until a signal */
    uint32_t dump_ms;     /* 0: dump state only on exit */
    uint32_t seed;
    uint32_t max_restarts;      /* module restarts allowed within the window */
    uint32_t restart_window_ms; /* 0: restarts are counted over the whole run */
    const char *wasm_file;      /* a module image to load instead of the built-in one */
    const char *update_file;    /* read on SIGHUP and run in place of the module */
    myco_config_blob config;
} myco_posix_options;

/* The options the shim functions read; filled by main before the shell starts. */
extern myco_posix_options myco_posix;

/* Why the node stopped, for the final line. */
extern const char *myco_posix_stop_reason;

/* Opens the node's socket; 0, or -1 after printing why. */
int myco_posix_radio_open(void);
void myco_posix_radio_close(void);
/* Blocks SIGINT and SIGTERM outside the radio wait so a signal always ends a wait. */
void myco_posix_signals_install(void);
/* Reads a module image into a buffer of its own; 0, or -1 with `err` saying why. */
int myco_posix_read_module(const char *path, const uint8_t **bytes, uint32_t *len, char *err,
                           size_t err_cap);
/* After SIGHUP: 1 with `out` a MYCO_WAKE_MODULE of --module-update's file; 0 (and a
 * line saying why) when there is none to read. */
int myco_posix_update_wake(myco_wake *out);
/* Starts the clock and the random generator. */
void myco_posix_clock_start(void);

#endif /* MYCO_POSIX_H */
