/*
 * The serial port of an Arduino-framework board (esp32, esp8266, elasticnode): the output
 * half of the shim (log, emit, report, note as myco_format lines, the posix shim's text)
 * and the console (myco_console.h) on its input. Shared because all three boards' Serial
 * objects are the same Arduino Stream.
 */
#ifndef MYCO_ARDUINO_SERIAL_H
#define MYCO_ARDUINO_SERIAL_H

#include <stdint.h>

#include "myco_cfg_store.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef MYCO_SERIAL_BAUD
#define MYCO_SERIAL_BAUD 115200
#endif

/* Opens the port and the console over `settings` (the board's stored settings). */
void myco_serial_begin(myco_cfg_stored *settings);

/* Prints one line. */
void myco_serial_line(const char *line);

/* Reads console input; executes SAVE and REBOOT through the board (myco_arduino_board.h).
 * A MYCO_WAIT_CONSOLE_* value (myco_wait.h). */
int myco_serial_console(void);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_ARDUINO_SERIAL_H */
