/*
 * One-line text forms of what a node hands its host, for shims that print (posix
 * stdout, a board's serial port). Stable and `key=value` so tests and tools parse
 * them with a regular expression:
 *
 *   emit neighbour_up id=2
 *   emit ping_rtt peer=2 seq=3 rtt_ms=1
 *   emit infer_output first=0 last=2 run=1 status=0 output=1a
 *   emit kind=42 bytes=0102          (a kind this build does not know, or a bad size)
 *   log warn some text
 *   inspect neighbours 2,3
 *   neighbour id=2 in_q=255 out_q=250 rssi=-40 bidir=1 age_ms=40
 *   inspect routes count=1 own_seq=4 holddown=0
 *   route dest=3 next=2 seq=6 metric=32 flags=0 age_s=1
 *   counter link.hello.rx=12
 *   send dst=65535 bytes=01...       (a frame handed to the radio, for shims that trace)
 *
 * Every emit kind of docs/abi.md has a named form: its fields as name=value in record
 * order, trailing bytes (payload, output) as hex. tools/firmware/lines.ts is the same
 * text form in TypeScript; change both together.
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
/* A frame the node handed to the radio. */
void myco_format_send(uint32_t dst, const uint8_t *frame, uint32_t len, myco_line_fn out,
                      void *ctx);
/* An inspect dump: one or more lines. */
void myco_format_report(uint32_t what, const uint8_t *dump, uint32_t len, myco_line_fn out,
                        void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_FORMAT_H */
