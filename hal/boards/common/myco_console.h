/*
 * The serial console of a board: one command per line, answers as one-line `key=value`
 * text like the rest of the board's output (myco_format.h), so the same regular
 * expressions read a board's serial port and a posix node's stdout.
 *
 *   show                 config id=auto  then  config <name>=<value> per stored key
 *   set <name>=<value>   as myco-node --set (range-checked; u32[] keys take v1,v2,...)
 *   unset <name>         removes a key (the module's default applies)
 *   clear                removes every key
 *   id <n>|auto          the node id (auto: from the MAC)
 *   save                 writes the settings to flash; they apply at the next boot
 *   reboot               restarts the board
 *   inspect              prints the neighbour table and the counters now
 *   help                 lists these
 *
 * The console only edits a myco_cfg_stored and says what the board must do; the board
 * feeds it bytes from its serial port and carries out the action.
 */
#ifndef MYCO_CONSOLE_H
#define MYCO_CONSOLE_H

#include <stdint.h>

#include "myco_cfg_store.h"
#include "myco_format.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MYCO_CONSOLE_LINE_MAX 160u

typedef enum {
    MYCO_CONSOLE_NONE = 0,
    MYCO_CONSOLE_SAVE,   /* persist the settings (then answer with myco_console_saved) */
    MYCO_CONSOLE_REBOOT, /* restart the board */
    MYCO_CONSOLE_REPORT, /* print inspect dumps (MYCO_WAKE_REPORT) */
    MYCO_CONSOLE_MODULE  /* run the module image in flash (MYCO_WAKE_MODULE) */
} myco_console_action;

typedef struct {
    char line[MYCO_CONSOLE_LINE_MAX + 1u];
    uint32_t len;
    uint8_t overflow; /* the current line is too long: it is discarded at its end */
    myco_cfg_stored *settings;
    myco_line_fn out;
    void *ctx;
} myco_console;

void myco_console_init(myco_console *c, myco_cfg_stored *settings, myco_line_fn out, void *ctx);

/* One byte from the serial port; a completed line is executed and its action returned. */
myco_console_action myco_console_feed(myco_console *c, uint8_t byte);

/* Executes one line (without its line end). */
myco_console_action myco_console_line(myco_console *c, const char *line);

/* The board reports how a SAVE went (0 ok). */
void myco_console_saved(myco_console *c, int result);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_CONSOLE_H */
