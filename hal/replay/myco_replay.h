/*
 * The replay board: a deterministic shim whose clock, received frames, link events
 * and submits come from a script compiled into the image, and whose output (emits,
 * logs, inspect dumps, sent frames) is printed one line each in the text form of
 * myco_format.h. A golden vector (a JSON file in test/vectors/golden) is such a script with
 * the lines the JavaScript host printed for it; tools/firmware/replay-c.ts turns
 * vectors into the tables below, so the same module can be checked line for line on
 * a laptop, under QEMU and on any board that can print.
 *
 * Time is virtual: myco_shim_wait jumps the clock straight to the next script event
 * or the shell's deadline, whichever comes first, so a minute of network runs in
 * milliseconds and the output does not depend on the host's speed.
 */
#ifndef MYCO_REPLAY_H
#define MYCO_REPLAY_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MYCO_REPLAY_FRAME = 1, /* a frame from `peer` with `rssi`; bytes = the frame */
    MYCO_REPLAY_LINK,      /* link event `code` about `peer`; bytes (if any) go to the inbox */
    MYCO_REPLAY_SUBMIT,    /* submit kind `code`; bytes = the data */
    MYCO_REPLAY_REPORT     /* the state dump a board prints now and then */
} myco_replay_kind;

typedef struct {
    uint32_t t_ms;
    uint32_t offset; /* of the event's bytes in the vector's byte pool */
    uint32_t len;
    uint16_t peer;
    uint16_t code;
    int16_t rssi;
    uint8_t kind; /* myco_replay_kind */
} myco_replay_event;

typedef struct {
    uint32_t id;
    uint32_t len;
    const uint8_t *bytes;
} myco_replay_blob;

typedef struct {
    const char *name;
    uint16_t node_id;
    uint32_t seed;   /* of the xorshift32 behind hal.rand (0 counts as 1) */
    uint32_t mtu;    /* longest frame the radio sends */
    uint32_t end_ms; /* the node stops at this time */
    const uint8_t *config;
    uint32_t config_len;
    const myco_replay_event *events; /* in time order */
    uint32_t event_count;
    const uint8_t *bytes;
    const myco_replay_blob *blobs;
    uint32_t blob_count;
} myco_replay_vector;

/* The generated tables. */
extern const myco_replay_vector myco_replay_vectors[];
extern const uint32_t myco_replay_vector_count;

/* What myco_replay_run returns. */
#define MYCO_REPLAY_STOPPED 0 /* the script ended and the node stopped cleanly */
#define MYCO_REPLAY_REFUSED 1 /* the shell refused the module (ABI, budget, config) */
#define MYCO_REPLAY_PANIC 2   /* the module failed; a board would reboot */

/* Plays one vector through the shell with `memory_budget` bytes of linear memory.
 * Prints its lines, then "stopped reason=end", "refused" or (from the panic path)
 * "panic <reason>". */
int myco_replay_run(const myco_replay_vector *vector, uint32_t memory_budget);

/* One output line (without the newline): the image's console. */
void myco_replay_print(const char *line);

#ifdef __cplusplus
}
#endif

#endif /* MYCO_REPLAY_H */
