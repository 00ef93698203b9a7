/*
 * The C side of the HAL ABI (docs/abi.md) and what every board shim implements.
 *
 * The constants mirror tools/wire/abi.ts and firmware/src/hal.ts: change all three
 * together, and bump MYCO_ABI_VERSION when a signature, buffer size, record layout or
 * numeric code changes.
 *
 * The shell (hal/shell) owns the Wasm module and the event loop; a shim only talks to
 * the hardware. Every shim function is called from the shell's single thread, never
 * from an interrupt; the output and radio-send functions run inside module calls (they
 * back the HAL imports), myco_shim_wait only between them.
 */
#ifndef MYCO_HAL_H
#define MYCO_HAL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- ABI constants (docs/abi.md) --------------------------------------------- */

#define MYCO_ABI_VERSION 1u

#define MYCO_NODE_NONE 0u
#define MYCO_BROADCAST 0xFFFFu

/* tick() returns this when the node has nothing scheduled. */
#define MYCO_NO_DEADLINE 0xFFFFFFFFu

/* The inbox holds at least one frame of the largest MTU. */
#define MYCO_INBOX_MIN 256u

/* send() results. */
#define MYCO_SEND_OK 0
#define MYCO_SEND_QUEUE_FULL (-1)
#define MYCO_SEND_TOO_LONG (-2)
#define MYCO_SEND_BAD_DST (-3)

/* sensor(), blob_read(), accel() results. */
#define MYCO_SENSOR_NO_CHANNEL (-1)
#define MYCO_BLOB_NO_BLOB (-1)
#define MYCO_BLOB_BAD_OFFSET (-2)
#define MYCO_ACCEL_UNAVAILABLE (-1)

/* log() levels. */
#define MYCO_LOG_ERROR 0u
#define MYCO_LOG_WARN 1u
#define MYCO_LOG_INFO 2u
#define MYCO_LOG_DEBUG 3u

/* on_link() events. */
#define MYCO_LINK_UP 1u
#define MYCO_LINK_DOWN 2u
#define MYCO_LINK_TX_FAILED 3u
/* Wi-Fi tree links only (docs/abi.md, "Wi-Fi tree links"). */
#define MYCO_LINK_SCAN_DONE 4u   /* peer = records in the inbox */
#define MYCO_LINK_JOIN_FAILED 5u
#define MYCO_LINK_CHILD_UP 6u
#define MYCO_LINK_CHILD_DOWN 7u

/* wifi() ops, results, ADVERTISE fields and the SCAN_DONE record. */
#define MYCO_WIFI_SCAN 1u
#define MYCO_WIFI_JOIN 2u      /* arg = parent id */
#define MYCO_WIFI_LEAVE 3u
#define MYCO_WIFI_ADVERTISE 4u /* arg = depth | children << 8 | flags << 16 */
#define MYCO_WIFI_RELEASE 5u   /* arg = child id */
#define MYCO_WIFI_BUSY (-1)
#define MYCO_WIFI_UNKNOWN (-3) /* JOIN: not a scanned AP; RELEASE: not a child */
#define MYCO_WIFI_NOT_AVAILABLE (-5)
#define MYCO_WIFI_FLAG_ACCEPTING 1u
#define MYCO_WIFI_FLAG_ROOT_ATTACHED 2u
#define MYCO_WIFI_DEPTH_NONE 255u
#define MYCO_WIFI_SCAN_RECORD_BYTES 6u /* id:u16 rssi:i8 depth:u8 children:u8 flags:u8 */

/* emit() kinds and their record sizes. */
#define MYCO_EMIT_NEIGHBOUR_UP 1u   /* id:u16 */
#define MYCO_EMIT_NEIGHBOUR_DOWN 2u /* id:u16 */
#define MYCO_EMIT_PING_RTT 3u       /* peer:u16 seq:u16 rtt_ms:u32 */
#define MYCO_EMIT_DELIVERED 4u      /* src:u16 msg:u16 payload... */
#define MYCO_EMIT_SEND_DONE 5u      /* msg:u16 dst:u16 status:u8 */
#define MYCO_EMIT_ROUTED_RTT 6u     /* peer:u16 seq:u16 rtt_ms:u32 hops:u8 */
#define MYCO_EMIT_STATE 7u          /* state:u8 prev:u8 parent:u16 depth:u8 event:u8 (tree mode) */
#define MYCO_EMIT_INFER_OUTPUT 8u   /* first:u16 last:u16 run:u16 status:u8 0:u8 bytes... (docs/steps.md) */
#define MYCO_EMIT_ORCH_RESULT 9u    /* the package at its target: 20-byte head, payload... (docs/orchestration.md) */
#define MYCO_EMIT_ORCH_FAILED 10u   /* origin:u16 counter:u16 step:u8 reason:u8 */
#define MYCO_EMIT_ORCH_STEPS 11u    /* mask:u32 by:u16 cause:u8, the steps loaded here changed */
#define MYCO_EMIT_ORCH_TRACE 12u    /* origin:u16 counter:u16 step:u8 event:u8 peer:u16 (orch_trace 1) */
#define MYCO_EMIT_FUSED 13u         /* step:u32 value:f32 lo:f32 hi:f32 average:f32 flags:u8 used:u8 f:u8 rejected:u8 sensors:u8 */
#define MYCO_EMIT_FUSE_CLUSTER 14u  /* step:u32 algo:u8 count:u8 reference:u16 ids:u16... (docs/fusion.md) */

/* submit() kinds and results. */
#define MYCO_SUBMIT_PING 1u /* dst:u16 */
#define MYCO_SUBMIT_UNKNOWN_KIND (-1)
#define MYCO_SUBMIT_BAD_LENGTH (-2)
#define MYCO_SUBMIT_NOT_NEIGHBOUR (-3) /* PING: dst is not a neighbour */
#define MYCO_SUBMIT_REFUSED (-4)
#define MYCO_SUBMIT_SEND 2u      /* dst:u16 flags:u8 payload... -> msg id > 0 */
#define MYCO_SUBMIT_SEND_BLOB 3u /* dst:u16 flags:u8 blob:u32 len:u32 -> msg id > 0 */
#define MYCO_SUBMIT_NO_ROUTE (-5)
#define MYCO_SUBMIT_TOO_LONG (-6)
#define MYCO_SUBMIT_BUSY (-7)
#define MYCO_SUBMIT_NO_BLOB (-8)
#define MYCO_SUBMIT_BAD_FLAGS (-9)
#define MYCO_SUBMIT_JOB 4u          /* begin:u8 (1 enter Execute Job, 0 leave it) */
#define MYCO_SUBMIT_NOT_ACTIVE (-10) /* JOB: not in Active (begin) or Execute Job (end) */
#define MYCO_SUBMIT_INFER 5u         /* the step's input tensor bytes -> 0 (docs/steps.md) */
#define MYCO_SUBMIT_INFER_BLOB 6u    /* blob:u32 len:u32, the input tensor read from a blob -> 0 */
#define MYCO_SUBMIT_NO_STEP (-11)    /* INFER / INFER_BLOB: this node holds no step */
#define MYCO_SUBMIT_ORCH 7u          /* target:u16 backup1:u16 backup2:u16 first:u8 last:u8 payload... -> counter > 0 */
#define MYCO_SUBMIT_NO_ORCH (-12)    /* ORCH: orchestration is off on this node */
#define MYCO_SUBMIT_ORCH_STEPS 8u    /* mask:u32, the steps this node holds from now on -> 0 */
#define MYCO_SUBMIT_ORCH_TRIGGER 9u  /* node:u16 mask:u32, tell `node` the steps it holds from now on -> 0 */
#define MYCO_SUBMIT_ORCH_BLOB 10u    /* as ORCH with blob:u32 len:u32 after the head, the payload read from a blob -> counter > 0 */

/* INFER_OUTPUT status. */
#define MYCO_INFER_OK 0u
#define MYCO_INFER_WEIGHTS_UNREADABLE 1u /* a blob_read of weights or int32 arrays failed mid-run */
#define MYCO_INFER_ACCEL_FAILED 2u       /* accel returned a length other than the output's */

/* accel() ops: one whole layer, in = desc (model_blob:u32 layer:u16 0:u16) + input tensor. */
#define MYCO_ACCEL_CONV_2D 1u
#define MYCO_ACCEL_DEPTHWISE_CONV_2D 2u
#define MYCO_ACCEL_FULLY_CONNECTED 3u
#define MYCO_ACCEL_DESC_BYTES 8u

/* SEND / SEND_BLOB flags and SEND_DONE status. */
#define MYCO_SEND_FLAG_RELIABLE 1u
#define MYCO_SEND_DELIVERED 0u
#define MYCO_SEND_NO_ROUTE 1u
#define MYCO_SEND_RETRIES_EXHAUSTED 2u
#define MYCO_SEND_DEADLINE 3u
#define MYCO_SEND_REFUSED 4u

/* inspect() codes. */
#define MYCO_INSPECT_COUNTERS 0u   /* name_len:u8 name value:u32, repeated */
#define MYCO_INSPECT_NEIGHBOURS 1u /* count:u16, then count x 10-byte entries */
#define MYCO_INSPECT_ROUTES 2u     /* count:u16 own_seq:u16 flags:u8 0:u8, then count x 10-byte entries */
#define MYCO_ROUTE_ENTRY_BYTES 10u
#define MYCO_INSPECT_TREE 3u       /* tree mode: state:u8 depth:u8 parent:u16 root:u16 joining:u16 overwrites:u16 count:u8 0:u8, then count x (id:u16 flags:u8) */
#define MYCO_NEIGHBOUR_ENTRY_BYTES 10u

/* init() results. */
#define MYCO_INIT_OK 0
#define MYCO_INIT_MALFORMED_CONFIG (-1)
#define MYCO_INIT_OUT_OF_RANGE (-2)
#define MYCO_INIT_ALREADY_INITIALISED (-3)
#define MYCO_INIT_BAD_MODEL (-4) /* the step's model blob is missing, corrupt or does not match the step keys */

/* Config keys (records key:u8 len:u8 value). Later layers add keys from 16 up. */
#define MYCO_CFG_HELLO_INTERVAL_MS 1u
#define MYCO_CFG_NEIGHBOUR_TIMEOUT_MS 2u
#define MYCO_CFG_NEIGHBOUR_CAPACITY 3u
#define MYCO_CFG_PING_INTERVAL_MS 4u
#define MYCO_CFG_MTU 5u
#define MYCO_CFG_LOG_LEVEL 6u
#define MYCO_CFG_FIRST_LAYER_KEY 16u
/* Routing (docs/routing.md): keys 16..31. */
#define MYCO_CFG_ROUTE_CAPACITY 16u
#define MYCO_CFG_HOP_LIMIT 17u
#define MYCO_CFG_TRICKLE_IMIN_MS 18u
#define MYCO_CFG_TRICKLE_DOUBLINGS 19u
#define MYCO_CFG_TRICKLE_K 20u
#define MYCO_CFG_HOLDDOWN_MS 21u
#define MYCO_CFG_UPDATE_GAP_MS 22u
#define MYCO_CFG_FLOOD_CACHE 23u
#define MYCO_CFG_FLOOD_JITTER_MS 24u
#define MYCO_CFG_LINK_FAIL_LIMIT 25u
/* Reliable delivery (docs/delivery.md): keys 32..47. */
#define MYCO_CFG_ACK_TIMEOUT_MS 32u
#define MYCO_CFG_LINK_RETRIES 33u
#define MYCO_CFG_RELIABLE_POOL 34u
#define MYCO_CFG_DUP_CACHE 35u
#define MYCO_CFG_FRAG_BUFFER_BYTES 36u
#define MYCO_CFG_FRAG_BUFFERS 37u
#define MYCO_CFG_SEND_BUFFERS 38u
#define MYCO_CFG_FRAG_TIMEOUT_MS 39u
#define MYCO_CFG_FRAG_RETRIES 40u
#define MYCO_CFG_FRAG_DEADLINE_MS 41u
#define MYCO_CFG_MSG_SOURCES 42u
/* Tree mode and the node lifecycle (docs/routing.md, "Tree mode"): keys 48..63. */
#define MYCO_CFG_ROUTE_MODE 48u
#define MYCO_CFG_TREE_ROOT 49u
#define MYCO_CFG_TREE_SCAN_RETRY_MS 50u
#define MYCO_CFG_TREE_SCAN_RETRY_MAX_MS 51u
#define MYCO_CFG_TREE_SCAN_TIMEOUT_MS 52u
#define MYCO_CFG_TREE_JOIN_TIMEOUT_MS 53u
#define MYCO_CFG_TREE_REGISTER_TIMEOUT_MS 54u
#define MYCO_CFG_TREE_MAX_JOIN_ATTEMPTS 55u
#define MYCO_CFG_TREE_RECOVERY_TIMEOUT_MS 56u
#define MYCO_CFG_TREE_AWAIT_TIMEOUT_MS 57u
#define MYCO_CFG_TREE_MAX_CHILDREN 58u
#define MYCO_CFG_TREE_FAIL_LIMIT 59u
/* Inference steps (docs/steps.md): keys 64..79. */
#define MYCO_CFG_INFER_STEP 64u
#define MYCO_CFG_INFER_MODEL_BLOB 65u
#define MYCO_CFG_INFER_FIRST_LAYER 66u
#define MYCO_CFG_INFER_LAST_LAYER 67u
#define MYCO_CFG_INFER_CHUNK_BYTES 68u
#define MYCO_CFG_INFER_SLICE_MACS 69u
/* Orchestration (docs/orchestration.md): keys 80..95. */
#define MYCO_CFG_ORCH_ENABLE 80u
#define MYCO_CFG_ORCH_STEPS 81u
#define MYCO_CFG_ORCH_PACKAGES 82u
#define MYCO_CFG_ORCH_PAYLOAD_BYTES 83u
#define MYCO_CFG_ORCH_SEEN 84u
#define MYCO_CFG_ORCH_REQUEST_INTERVAL_MS 85u
#define MYCO_CFG_ORCH_REQUEST_RETRIES 86u
#define MYCO_CFG_ORCH_ACK_TIMEOUT_MS 87u
#define MYCO_CFG_ORCH_DISPATCH_RETRIES 88u
#define MYCO_CFG_ORCH_RESERVE_MS 89u
#define MYCO_CFG_ORCH_ACCEPT_LIMIT 90u
#define MYCO_CFG_ORCH_BIDDING 91u
#define MYCO_CFG_ORCH_STEP_COST 92u
#define MYCO_CFG_ORCH_SLICE_COST 93u
#define MYCO_CFG_ORCH_CAPABILITY 94u
#define MYCO_CFG_ORCH_BATTERY 95u
/* Orchestration, continued: keys 96..111. */
#define MYCO_CFG_ORCH_STEP_COSTS 96u /* u32[]: len = 4 x entries */
#define MYCO_CFG_ORCH_COST_JITTER_PCT 97u
#define MYCO_CFG_ORCH_CUSTODY_MS 98u
#define MYCO_CFG_ORCH_DEADLINE_MS 99u
#define MYCO_CFG_ORCH_ASSUME 100u
#define MYCO_CFG_ORCH_ASSUME_ROUNDS 101u
#define MYCO_CFG_ORCH_CAN_STEPS 102u
#define MYCO_CFG_ORCH_STEP_BYTES 103u /* u32[]: len = 4 x entries */
#define MYCO_CFG_ORCH_TRACE 104u
#define MYCO_CFG_ORCH_KEEP_FREE 105u
#define MYCO_CFG_FUSE_ROLE 112u
#define MYCO_CFG_FUSE_SINK 113u
#define MYCO_CFG_FUSE_PERIOD_MS 114u
#define MYCO_CFG_FUSE_CHANNEL 115u
#define MYCO_CFG_FUSE_ACCURACY_MILLI 116u
#define MYCO_CFG_FUSE_PHENOMENON 117u
#define MYCO_CFG_FUSE_QOS 118u
#define MYCO_CFG_FUSE_SENSORS 119u
#define MYCO_CFG_FUSE_WINDOW 120u
#define MYCO_CFG_FUSE_CLUSTER 121u
#define MYCO_CFG_FUSE_REFERENCE 122u
#define MYCO_CFG_FUSE_CLUSTER_EVERY 123u
#define MYCO_CFG_FUSE_THRESHOLD_MILLI 124u
#define MYCO_CFG_FUSE_SENSOR_TIMEOUT 125u
#define MYCO_CFG_ARRAY_MAX 31u /* entries of a u32[] key: a record of 4..124 bytes */

/* ---- Board shim ---------------------------------------------------------------- */

/* Why myco_shim_wait() returned. */
typedef enum {
    MYCO_WAKE_TIMEOUT = 0, /* the timeout passed: a tick may be due */
    MYCO_WAKE_FRAME,       /* a frame of `len` bytes from `peer` is in the buffer */
    MYCO_WAKE_LINK,        /* the radio reports `link_event` about `peer` */
    MYCO_WAKE_REPORT,      /* the board wants a state dump (inspect) now */
    MYCO_WAKE_STOP,        /* shut down cleanly (signal, run time over, button) */
    MYCO_WAKE_SUBMIT,      /* local data of `len` bytes (a sensor sample, an inference
                              input) is in the buffer, to submit as `submit_kind` */
    MYCO_WAKE_MODULE       /* a new module image of `len` bytes at `module` (read from
                              flash): run it in place of the current one. The shell answers
                              with myco_shim_module_done() before the next wait. */
} myco_wake_kind;

typedef struct {
    myco_wake_kind kind;
    uint16_t peer;
    uint32_t len;
    int32_t rssi;
    uint32_t link_event;
    uint32_t submit_kind; /* MYCO_SUBMIT_* (docs/abi.md, Submit kinds) */
    const uint8_t *module; /* MYCO_WAKE_MODULE only */
} myco_wake;

/* Identity and configuration. */
uint16_t myco_shim_node_id(void);
/* Writes the config blob (docs/abi.md, Config) into `out`; its length, or -1 when it
 * does not fit `cap` bytes. */
int32_t myco_shim_config(uint8_t *out, uint32_t cap);

/* Monotonic milliseconds; wraps. */
uint32_t myco_shim_now_ms(void);
uint32_t myco_shim_rand(void);

/* Radio. `send` returns a MYCO_SEND_* code. `wait` sleeps until a frame or event
 * arrives or `timeout_ms` passes (MYCO_NO_DEADLINE: no timeout). A received frame is
 * written straight into `buf` (the module's inbox, `cap` bytes); longer frames are
 * dropped by the shim. Submitted data goes into `buf` the same way. */
int32_t myco_shim_send(uint16_t dst, const uint8_t *frame, uint32_t len);
void myco_shim_wait(uint32_t timeout_ms, uint8_t *buf, uint32_t cap, myco_wake *out);

/* Output. `log` and `emit` carry the module's bytes unchanged (log text is UTF-8
 * from the module, not NUL-terminated). `report` carries an inspect dump. `note`
 * is a NUL-terminated line from the shell itself (startup summary, refusals). */
void myco_shim_log(uint32_t level, const uint8_t *text, uint32_t len);
void myco_shim_emit(uint32_t kind, const uint8_t *record, uint32_t len);
void myco_shim_report(uint32_t what, const uint8_t *dump, uint32_t len);
void myco_shim_note(uint32_t level, const char *line);

/* Peripherals; results as the matching imports in docs/abi.md. */
int32_t myco_shim_sensor(uint32_t channel, uint8_t *out, uint32_t max);
int32_t myco_shim_blob_read(uint32_t id, uint32_t offset, uint8_t *out, uint32_t len);
int32_t myco_shim_accel(uint32_t op, const uint8_t *in, uint32_t in_len, uint8_t *out,
                        uint32_t out_len);
/* Wi-Fi softAP + station control for tree mode (MYCO_WIFI_* ops); MYCO_WIFI_NOT_AVAILABLE
 * on a board without them. Outcomes come back later as MYCO_WAKE_LINK events. */
int32_t myco_shim_wifi(uint32_t op, uint32_t arg);

/* The shell's answer to MYCO_WAKE_MODULE. `running` 1: the node now runs `module`, so
 * the shim keeps those bytes (an interpreter reads them while it runs) and may free the
 * image it handed over before. 0: refused (the line before says why) and the node runs
 * what it ran before; the shim may free `module`. */
void myco_shim_module_done(const uint8_t *module, int running);

/* The module cannot continue. Logs `reason` and reboots (or exits); never returns. */
void myco_shim_panic(const char *reason)
#if defined(__GNUC__)
    __attribute__((noreturn))
#endif
    ;

#ifdef __cplusplus
}
#endif

#endif /* MYCO_HAL_H */
