#include "myco_config.h"

#include <stdio.h>
#include <string.h>

#include "myco_hal.h"

/* Same names, widths, ranges and u32[] entry counts as CONFIG_KEYS in tools/wire/config.ts. */
static const myco_config_key g_keys[] = {
    {"hello_interval_ms", MYCO_CFG_HELLO_INTERVAL_MS, 4, 50, 65535, 1000, 0}, /* u16 in HELLO */
    {"neighbour_timeout_ms", MYCO_CFG_NEIGHBOUR_TIMEOUT_MS, 4, 51, 3600000, 3500, 0},
    {"neighbour_capacity", MYCO_CFG_NEIGHBOUR_CAPACITY, 1, 1, 254, 16, 0},
    {"ping_interval_ms", MYCO_CFG_PING_INTERVAL_MS, 4, 0, 600000, 0, 0},
    {"mtu", MYCO_CFG_MTU, 2, 32, 1024, 250, 0},
    {"log_level", MYCO_CFG_LOG_LEVEL, 1, 0, 3, 1, 0},
    /* Routing (docs/routing.md). */
    {"route_capacity", MYCO_CFG_ROUTE_CAPACITY, 2, 1, 1024, 32, 0},
    {"hop_limit", MYCO_CFG_HOP_LIMIT, 1, 1, 255, 16, 0},
    {"trickle_imin_ms", MYCO_CFG_TRICKLE_IMIN_MS, 2, 50, 60000, 500, 0},
    {"trickle_doublings", MYCO_CFG_TRICKLE_DOUBLINGS, 1, 0, 16, 8, 0},
    {"trickle_k", MYCO_CFG_TRICKLE_K, 1, 0, 255, 2, 0},
    {"holddown_ms", MYCO_CFG_HOLDDOWN_MS, 4, 0, 3600000, 0, 0},
    {"update_gap_ms", MYCO_CFG_UPDATE_GAP_MS, 2, 10, 60000, 100, 0},
    {"flood_cache", MYCO_CFG_FLOOD_CACHE, 1, 1, 255, 32, 0},
    {"flood_jitter_ms", MYCO_CFG_FLOOD_JITTER_MS, 2, 0, 1000, 20, 0},
    {"link_fail_limit", MYCO_CFG_LINK_FAIL_LIMIT, 1, 0, 255, 8, 0},
    /* Reliable delivery (docs/delivery.md). */
    {"ack_timeout_ms", MYCO_CFG_ACK_TIMEOUT_MS, 2, 5, 10000, 40, 0},
    {"link_retries", MYCO_CFG_LINK_RETRIES, 1, 0, 15, 4, 0},
    {"reliable_pool", MYCO_CFG_RELIABLE_POOL, 1, 1, 64, 4, 0},
    {"dup_cache", MYCO_CFG_DUP_CACHE, 1, 1, 255, 16, 0},
    {"frag_buffer_bytes", MYCO_CFG_FRAG_BUFFER_BYTES, 2, 256, 65535, 2048, 0},
    {"frag_buffers", MYCO_CFG_FRAG_BUFFERS, 1, 0, 16, 1, 0},
    {"send_buffers", MYCO_CFG_SEND_BUFFERS, 1, 0, 16, 1, 0},
    {"frag_timeout_ms", MYCO_CFG_FRAG_TIMEOUT_MS, 2, 10, 60000, 250, 0},
    {"frag_retries", MYCO_CFG_FRAG_RETRIES, 1, 1, 255, 8, 0},
    {"frag_deadline_ms", MYCO_CFG_FRAG_DEADLINE_MS, 4, 100, 3600000, 30000, 0},
    {"msg_sources", MYCO_CFG_MSG_SOURCES, 1, 1, 64, 8, 0},
    /* Tree mode and the node lifecycle (docs/routing.md, "Tree mode"). */
    {"route_mode", MYCO_CFG_ROUTE_MODE, 1, 0, 1, 0, 0},
    {"tree_root", MYCO_CFG_TREE_ROOT, 1, 0, 1, 0, 0},
    {"tree_scan_retry_ms", MYCO_CFG_TREE_SCAN_RETRY_MS, 2, 100, 60000, 1000, 0},
    {"tree_scan_retry_max_ms", MYCO_CFG_TREE_SCAN_RETRY_MAX_MS, 4, 100, 600000, 16000, 0},
    {"tree_scan_timeout_ms", MYCO_CFG_TREE_SCAN_TIMEOUT_MS, 2, 1000, 60000, 10000, 0},
    {"tree_join_timeout_ms", MYCO_CFG_TREE_JOIN_TIMEOUT_MS, 2, 1000, 60000, 15000, 0},
    {"tree_register_timeout_ms", MYCO_CFG_TREE_REGISTER_TIMEOUT_MS, 2, 100, 60000, 2000, 0},
    {"tree_max_join_attempts", MYCO_CFG_TREE_MAX_JOIN_ATTEMPTS, 1, 1, 16, 3, 0},
    {"tree_recovery_timeout_ms", MYCO_CFG_TREE_RECOVERY_TIMEOUT_MS, 4, 1000, 3600000, 30000, 0},
    {"tree_await_timeout_ms", MYCO_CFG_TREE_AWAIT_TIMEOUT_MS, 4, 1000, 3600000, 60000, 0},
    {"tree_max_children", MYCO_CFG_TREE_MAX_CHILDREN, 1, 1, 32, 8, 0},
    {"tree_fail_limit", MYCO_CFG_TREE_FAIL_LIMIT, 1, 0, 255, 4, 0},
    /* Inference steps (docs/steps.md). */
    {"infer_step", MYCO_CFG_INFER_STEP, 1, 0, 1, 0, 0},
    {"infer_model_blob", MYCO_CFG_INFER_MODEL_BLOB, 4, 0, 0xFFFFFFFEu, 0, 0},
    {"infer_first_layer", MYCO_CFG_INFER_FIRST_LAYER, 2, 0, 65534, 0, 0},
    {"infer_last_layer", MYCO_CFG_INFER_LAST_LAYER, 2, 0, 65534, 0, 0},
    {"infer_chunk_bytes", MYCO_CFG_INFER_CHUNK_BYTES, 2, 64, 65535, 4096, 0},
    {"infer_slice_macs", MYCO_CFG_INFER_SLICE_MACS, 4, 100, 100000000, 20000, 0},
    /* Orchestration (docs/orchestration.md). */
    {"orch_enable", MYCO_CFG_ORCH_ENABLE, 1, 0, 1, 0, 0},
    {"orch_steps", MYCO_CFG_ORCH_STEPS, 4, 0, 0x7FFFFFFFu, 0, 0},
    {"orch_packages", MYCO_CFG_ORCH_PACKAGES, 1, 1, 32, 2, 0},
    {"orch_payload_bytes", MYCO_CFG_ORCH_PAYLOAD_BYTES, 2, 16, 65535, 256, 0},
    {"orch_seen", MYCO_CFG_ORCH_SEEN, 1, 1, 255, 16, 0},
    {"orch_request_interval_ms", MYCO_CFG_ORCH_REQUEST_INTERVAL_MS, 2, 10, 60000, 200, 0},
    {"orch_request_retries", MYCO_CFG_ORCH_REQUEST_RETRIES, 1, 0, 255, 20, 0},
    {"orch_ack_timeout_ms", MYCO_CFG_ORCH_ACK_TIMEOUT_MS, 2, 10, 60000, 1000, 0},
    {"orch_dispatch_retries", MYCO_CFG_ORCH_DISPATCH_RETRIES, 1, 0, 15, 3, 0},
    {"orch_reserve_ms", MYCO_CFG_ORCH_RESERVE_MS, 2, 10, 60000, 2000, 0},
    {"orch_accept_limit", MYCO_CFG_ORCH_ACCEPT_LIMIT, 1, 1, 32, 1, 0},
    {"orch_bidding", MYCO_CFG_ORCH_BIDDING, 1, 0, 1, 0, 0},
    {"orch_step_cost", MYCO_CFG_ORCH_STEP_COST, 4, 0, 100000000, 0, 0},
    {"orch_slice_cost", MYCO_CFG_ORCH_SLICE_COST, 4, 100, 100000000, 20000, 0},
    {"orch_capability", MYCO_CFG_ORCH_CAPABILITY, 1, 0, 255, 0, 0},
    {"orch_battery", MYCO_CFG_ORCH_BATTERY, 1, 0, 255, 255, 0},
    /* Orchestration, continued. */
    {"orch_step_costs", MYCO_CFG_ORCH_STEP_COSTS, 4, 0, 100000000, 0, MYCO_CFG_ARRAY_MAX}, /* u32[] */
    {"orch_cost_jitter_pct", MYCO_CFG_ORCH_COST_JITTER_PCT, 1, 0, 100, 0, 0},
    {"orch_custody_ms", MYCO_CFG_ORCH_CUSTODY_MS, 4, 0, 3600000, 5000, 0},
    {"orch_deadline_ms", MYCO_CFG_ORCH_DEADLINE_MS, 4, 0, 86400000, 0, 0},
    {"orch_assume", MYCO_CFG_ORCH_ASSUME, 1, 0, 1, 0, 0},
    {"orch_assume_rounds", MYCO_CFG_ORCH_ASSUME_ROUNDS, 1, 1, 255, 5, 0},
    {"orch_can_steps", MYCO_CFG_ORCH_CAN_STEPS, 4, 0, 0x7FFFFFFFu, 0, 0},
    {"orch_step_bytes", MYCO_CFG_ORCH_STEP_BYTES, 4, 0, 65535, 0, MYCO_CFG_ARRAY_MAX}, /* u32[] */
    {"orch_trace", MYCO_CFG_ORCH_TRACE, 1, 0, 1, 0, 0},
    {"orch_keep_free", MYCO_CFG_ORCH_KEEP_FREE, 1, 0, 31, 1, 0},
    /* Sensor fusion (docs/fusion.md). */
    {"fuse_role", MYCO_CFG_FUSE_ROLE, 1, 0, 2, 0, 0},
    {"fuse_sink", MYCO_CFG_FUSE_SINK, 2, 0, 65534, 0, 0},
    {"fuse_period_ms", MYCO_CFG_FUSE_PERIOD_MS, 4, 100, 3600000, 1000, 0},
    {"fuse_channel", MYCO_CFG_FUSE_CHANNEL, 1, 0, 255, 0, 0},
    {"fuse_accuracy_milli", MYCO_CFG_FUSE_ACCURACY_MILLI, 4, 1, 1000000000, 1000, 0},
    {"fuse_phenomenon", MYCO_CFG_FUSE_PHENOMENON, 1, 0, 255, 0, 0},
    {"fuse_qos", MYCO_CFG_FUSE_QOS, 1, 1, 3, 1, 0},
    {"fuse_sensors", MYCO_CFG_FUSE_SENSORS, 1, 1, 32, 16, 0},
    {"fuse_window", MYCO_CFG_FUSE_WINDOW, 1, 4, 64, 32, 0},
    {"fuse_cluster", MYCO_CFG_FUSE_CLUSTER, 1, 0, 3, 0, 0},
    {"fuse_reference", MYCO_CFG_FUSE_REFERENCE, 2, 0, 65534, 0, 0},
    {"fuse_cluster_every", MYCO_CFG_FUSE_CLUSTER_EVERY, 2, 1, 65535, 16, 0},
    {"fuse_threshold_milli", MYCO_CFG_FUSE_THRESHOLD_MILLI, 2, 0, 1000, 700, 0},
    {"fuse_sensor_timeout", MYCO_CFG_FUSE_SENSOR_TIMEOUT, 1, 1, 255, 3, 0},
};

#define KEY_COUNT (sizeof g_keys / sizeof g_keys[0])

const myco_config_key *myco_config_keys(uint32_t *count)
{
    *count = (uint32_t)KEY_COUNT;
    return g_keys;
}

const myco_config_key *myco_config_find(const char *name)
{
    size_t i;
    for (i = 0; i < KEY_COUNT; i++)
        if (strcmp(g_keys[i].name, name) == 0) return &g_keys[i];
    return NULL;
}

void myco_config_clear(myco_config_blob *blob)
{
    blob->len = 0;
}

static void put_le(uint8_t *at, uint8_t size, uint32_t value)
{
    uint8_t i;
    for (i = 0; i < size; i++) at[i] = (uint8_t)(value >> (8u * i));
}

/* Drops every record of `key`. */
static void remove_key(myco_config_blob *blob, uint8_t key)
{
    uint32_t at = 0;
    while (at + 2u <= blob->len) {
        uint32_t n = 2u + blob->bytes[at + 1];
        if (at + n > blob->len) return;
        if (blob->bytes[at] == key) {
            memmove(&blob->bytes[at], &blob->bytes[at + n], blob->len - at - n);
            blob->len -= n;
        } else {
            at += n;
        }
    }
}

int myco_config_put_array(myco_config_blob *blob, uint8_t key, const uint32_t *values, uint32_t count)
{
    uint32_t i, at;
    if (count < 1u || count > MYCO_CFG_ARRAY_MAX) return -1;
    remove_key(blob, key);
    if (blob->len + 2u + 4u * count > MYCO_CONFIG_MAX) return -1;
    at = blob->len;
    blob->bytes[at] = key;
    blob->bytes[at + 1] = (uint8_t)(4u * count);
    for (i = 0; i < count; i++) put_le(&blob->bytes[at + 2u + 4u * i], 4, values[i]);
    blob->len += 2u + 4u * count;
    return 0;
}

int myco_config_put(myco_config_blob *blob, uint8_t key, uint8_t size, uint32_t value)
{
    uint32_t at = 0;
    /* A repeated key replaces the first record so the module never sees two. */
    while (at + 2u <= blob->len) {
        uint8_t k = blob->bytes[at], n = blob->bytes[at + 1];
        if (k == key && n == size) {
            put_le(&blob->bytes[at + 2], size, value);
            return 0;
        }
        at += 2u + n;
    }
    if (blob->len + 2u + size > MYCO_CONFIG_MAX) return -1;
    blob->bytes[blob->len] = key;
    blob->bytes[blob->len + 1] = size;
    put_le(&blob->bytes[blob->len + 2], size, value);
    blob->len += 2u + size;
    return 0;
}

/* Decimal or 0x-hex, the whole string, within 32 bits. */
static int parse_u32(const char *s, uint32_t *out)
{
    uint64_t v = 0;
    unsigned base = 10;
    if (*s == '\0') return -1;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
        if (*s == '\0') return -1;
    }
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9') d = (unsigned)(*s - '0');
        else if (base == 16 && *s >= 'a' && *s <= 'f') d = (unsigned)(*s - 'a' + 10);
        else if (base == 16 && *s >= 'A' && *s <= 'F') d = (unsigned)(*s - 'A' + 10);
        else return -1;
        v = v * base + d;
        if (v > 0xFFFFFFFFu) return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* "v1,v2,..." for the u32[] key `spec`: each entry range-checked, 1..max_entries of them. */
static int set_array(myco_config_blob *blob, const myco_config_key *spec, const char *list, char *err,
                     size_t errcap)
{
    uint32_t values[MYCO_CFG_ARRAY_MAX];
    uint32_t count = 0;
    const char *at = list;
    for (;;) {
        char item[16];
        const char *comma = strchr(at, ',');
        size_t n = comma ? (size_t)(comma - at) : strlen(at);
        if (count == spec->max_entries || count == MYCO_CFG_ARRAY_MAX) {
            snprintf(err, errcap, "config %s: more than %u entries (a u32[] key takes 1..%u)", spec->name,
                     (unsigned)spec->max_entries, (unsigned)spec->max_entries);
            return -1;
        }
        if (n >= sizeof item) n = sizeof item - 1; /* too long for a u32 anyway: fails below */
        memcpy(item, at, n);
        item[n] = '\0';
        if (n == sizeof item - 1 || parse_u32(item, &values[count]) != 0) {
            snprintf(err, errcap, "config %s: entry %u \"%s\" is not an unsigned 32-bit number", spec->name,
                     (unsigned)count, item);
            return -1;
        }
        if (values[count] < spec->min || values[count] > spec->max) {
            snprintf(err, errcap, "config %s: entry %u = %lu is out of range %lu..%lu", spec->name, (unsigned)count,
                     (unsigned long)values[count], (unsigned long)spec->min, (unsigned long)spec->max);
            return -1;
        }
        count++;
        if (!comma) break;
        at = comma + 1;
    }
    if (myco_config_put_array(blob, spec->key, values, count) != 0) {
        snprintf(err, errcap, "config blob full (%u bytes)", MYCO_CONFIG_MAX);
        return -1;
    }
    return 0;
}

int myco_config_set(myco_config_blob *blob, const char *assignment, char *err, size_t errcap)
{
    char name[48];
    const char *eq = strchr(assignment, '=');
    const myco_config_key *spec;
    uint32_t value, numeric_key;
    size_t n;

    if (!eq || eq == assignment) {
        snprintf(err, errcap, "config \"%s\" is not key=value", assignment);
        return -1;
    }
    n = (size_t)(eq - assignment);
    if (n >= sizeof name) n = sizeof name - 1;
    memcpy(name, assignment, n);
    name[n] = '\0';
    spec = myco_config_find(name);
    if (spec && spec->max_entries) return set_array(blob, spec, eq + 1, err, errcap);
    if (parse_u32(eq + 1, &value) != 0) {
        snprintf(err, errcap, "config %s: \"%s\" is not an unsigned 32-bit number", name, eq + 1);
        return -1;
    }
    if (spec) {
        if (value < spec->min || value > spec->max) {
            snprintf(err, errcap, "config %s = %lu is out of range %lu..%lu", name,
                     (unsigned long)value, (unsigned long)spec->min, (unsigned long)spec->max);
            return -1;
        }
        if (myco_config_put(blob, spec->key, spec->size, value) != 0) goto full;
        return 0;
    }
    /* Layers above the link add keys from 16 up; the shell passes them through. */
    if (parse_u32(name, &numeric_key) == 0) {
        if (numeric_key < MYCO_CFG_FIRST_LAYER_KEY || numeric_key > 255) {
            snprintf(err, errcap, "config key %s: numeric keys must be %u..255", name,
                     MYCO_CFG_FIRST_LAYER_KEY);
            return -1;
        }
        if (myco_config_put(blob, (uint8_t)numeric_key, 4, value) != 0) goto full;
        return 0;
    }
    {
        uint32_t i, count;
        const myco_config_key *keys = myco_config_keys(&count);
        size_t at = (size_t)snprintf(err, errcap, "unknown config key \"%s\" (known:", name);
        for (i = 0; i < count && at < errcap; i++)
            at += (size_t)snprintf(err + at, errcap - at, " %s", keys[i].name);
        if (at < errcap) snprintf(err + at, errcap - at, ", or a number 16..255)");
    }
    return -1;
full:
    snprintf(err, errcap, "config blob full (%u bytes)", MYCO_CONFIG_MAX);
    return -1;
}
