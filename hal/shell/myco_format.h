/*
 * One-line text forms of what a node hands its host, for shims that print (posix
 * stdout, a board's serial port). Stable and `key=value` so tests and tools parse
 * them with a regular expression:
 *
 *   emit neighbour_up id=2
 *   emit ping_rtt peer=2 seq=3 rtt_ms=1
 *   log warn some text
 *   inspect neighbours 2,3
 *   neighbour id=2 in_q=255 out_q=250 rssi=-40 bidir=1 age_ms=40
 *   counter link.hello.rx=12
 *
 * Every decoder checks lengths first: the bytes come from a module that may be buggy.
 */
#ifndef MYCO_FORMAT_H
#define MYCO_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*myco_line_fn)(const char *line, void *ctx);

void myco_format_emit(uint32_t kind, const uint8_t *record, uint32_t len, myco_line_fn out,
                      void *ctx);
void myco_format_log(uint32_t level, const uint8_t *text, uint32_t len, myco_line_fn out,
                     void *ctx);
/* An inspect dump: one or more lines. */
void myco_format_report(uint32_t what, const uint8_t *dump, uint32_t len, myco_line_fn out,
                        void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_FORMAT_H */
