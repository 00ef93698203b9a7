// Serial output and console of the Arduino boards. C++ only because Serial is an object.
#include <Arduino.h>

#include "myco_arduino_board.h"
#include "myco_arduino_serial.h"
#include "myco_console.h"
#include "myco_format.h"
#include "myco_hal.h"
#include "myco_wait.h"

static myco_console g_console;

static void print_line(const char *line, void *ctx)
{
    (void)ctx;
    Serial.println(line);
}

extern "C" void myco_serial_line(const char *line)
{
    print_line(line, NULL);
}

extern "C" void myco_serial_begin(myco_cfg_stored *settings)
{
    Serial.begin(MYCO_SERIAL_BAUD);
    myco_console_init(&g_console, settings, print_line, NULL);
}

extern "C" int myco_serial_console(void)
{
    while (Serial.available() > 0) {
        int c = Serial.read();
        if (c < 0) break;
        switch (myco_console_feed(&g_console, (uint8_t)c)) {
        case MYCO_CONSOLE_SAVE:
            myco_console_saved(&g_console, myco_arduino_save_settings(g_console.settings));
            break;
        case MYCO_CONSOLE_REBOOT:
            Serial.flush();
            myco_board.reboot();
            break;
        case MYCO_CONSOLE_REPORT:
            return MYCO_WAIT_CONSOLE_REPORT;
        case MYCO_CONSOLE_MODULE:
            return MYCO_WAIT_CONSOLE_MODULE;
        case MYCO_CONSOLE_NONE:
            break;
        }
    }
    return MYCO_WAIT_CONSOLE_NONE;
}

extern "C" void myco_shim_log(uint32_t level, const uint8_t *text, uint32_t len)
{
    myco_format_log(level, text, len, print_line, NULL);
}

extern "C" void myco_shim_emit(uint32_t kind, const uint8_t *record, uint32_t len)
{
    myco_format_emit(kind, record, len, print_line, NULL);
}

extern "C" void myco_shim_report(uint32_t what, const uint8_t *dump, uint32_t len)
{
    myco_format_report(what, dump, len, print_line, NULL);
}

extern "C" void myco_shim_note(uint32_t level, const char *line)
{
    // One stream on a board: refusals are marked rather than sent elsewhere.
    if (level == MYCO_LOG_ERROR) Serial.print("error ");
    Serial.println(line);
}
