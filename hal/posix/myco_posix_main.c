/* myco-node: one Myco node as a process (see usage()). */
#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myco_config.h"
#include "myco_engine.h"
#include "myco_hal.h"
#include "myco_posix.h"
#include "myco_shell.h"

#ifndef MYCO_MEMORY_BUDGET
#error "define MYCO_MEMORY_BUDGET (the board's wasm_memory_budget in bytes)"
#endif
#ifndef MYCO_BOARD
#define MYCO_BOARD "custom"
#endif

/* An interpreter build (tools/firmware/native.ts --engine wasm3) carries the module as
 * bytes, as a board keeps it in flash; `aot` has it compiled in instead. */
#ifdef MYCO_MODULE_IMAGE
extern const uint8_t myco_module_image[];
extern const uint32_t myco_module_image_len;
#endif

#define DEFAULT_PORT_BASE 47000u
#define DEFAULT_PEERS "1-16"
#define DEFAULT_MTU 250u

static void usage(FILE *to)
{
    uint32_t i, count;
    const myco_config_key *keys = myco_config_keys(&count);
    fprintf(to,
            "usage: myco-node --id N [--peers LIST] [--port-base P] [--set key=value ...]\n"
            "                 [--duration-ms D] [--seed S] [--dump-ms D] [--mtu M]\n"
            "                 [--max-restarts N] [--restart-window-ms W] [--wasm FILE]\n"
            "\n"
            "Runs one Myco node (the node module compiled in, board %s, Wasm memory\n"
            "budget %u bytes). Its radio is UDP on 127.0.0.1, port = port base + id.\n"
            "\n"
            "  --id N           node id, 1..65534 (required)\n"
            "  --peers LIST     ids a broadcast reaches, e.g. 1,2,3 or 1-8 or 1-3,9\n"
            "                   (default %s)\n"
            "  --port-base P    UDP port of node 0 (default %u)\n"
            "  --set key=value  node config (repeatable); a u32[] key takes a comma-separated\n"
            "                   list, e.g. orch_step_costs=100,200; keys:\n",
            MYCO_BOARD, (unsigned)MYCO_MEMORY_BUDGET, DEFAULT_PEERS, DEFAULT_PORT_BASE);
    for (i = 0; i < count; i++) {
        if (keys[i].max_entries)
            fprintf(to, "                     %-22s key %u, %u bytes x 1..%u, default none, %lu..%lu\n",
                    keys[i].name, (unsigned)keys[i].key, (unsigned)keys[i].size,
                    (unsigned)keys[i].max_entries, (unsigned long)keys[i].min,
                    (unsigned long)keys[i].max);
        else
            fprintf(to, "                     %-22s key %u, %u bytes, default %lu, %lu..%lu\n",
                    keys[i].name, (unsigned)keys[i].key, (unsigned)keys[i].size,
                    (unsigned long)keys[i].def, (unsigned long)keys[i].min,
                    (unsigned long)keys[i].max);
    }
    fprintf(to,
            "                   or a numeric layer key 16..255 (4-byte value)\n"
            "  --duration-ms D  stop after D ms (default: run until SIGINT/SIGTERM)\n"
            "  --seed S         random seed (default: the node id)\n"
            "  --dump-ms D      print inspect dumps every D ms (always on exit)\n"
            "  --mtu M          largest frame the link carries, 32..1024 (default %u)\n"
            "  --max-restarts N restart the module after a trap or panic unless it already\n"
            "                   restarted N times within the window, 0..%u (default %u;\n"
            "                   0 exits at the first failure)\n"
            "  --restart-window-ms W  that window, 0 = the whole run (default %u)\n"
            "  --wasm FILE      run this module instead of the built-in one (engine %s:\n"
            "                   %s)\n"
            "  --module-update FILE  on SIGHUP, read FILE and run it in place of the module\n"
            "                   (same config; a module that does not start is refused and\n"
            "                   the node goes on with the one it ran; engine aot refuses\n"
            "                   every update: its module is compiled in)\n"
            "  --help           this text\n"
            "\n"
            "Output, one event per line on stdout: ready ..., emit ..., log ...,\n"
            "inspect neighbours ..., neighbour ..., counter name=value, restart ...,\n"
            "panic ..., stopped reason=...  Exit codes: 0 stopped, 1 module refused,\n"
            "2 usage, 3 module failed past its restarts.\n",
            DEFAULT_MTU, MYCO_SHELL_RESTARTS_MAX, MYCO_SHELL_DEFAULT_MAX_RESTARTS,
            MYCO_SHELL_DEFAULT_RESTART_WINDOW_MS, myco_engine_name(),
#ifdef MYCO_MODULE_IMAGE
            "loads modules at run time"
#else
            "the module is compiled in, so not available"
#endif
    );
}

static int fail(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "myco-node: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\ntry: myco-node --help\n");
    return MYCO_EXIT_USAGE;
}

/* Whole-string decimal within [min, max]. */
static int parse_num(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;
    if (!s || *s < '0' || *s > '9') return -1;
    v = strtoul(s, &end, 10);
    if (*end != '\0' || v < min || v > max) return -1;
    *out = v;
    return 0;
}

/* "1,2,5-8" into the peer list. */
static int parse_peers(const char *s)
{
    char buf[512], *item, *save = NULL;
    if (strlen(s) >= sizeof buf) return -1;
    strcpy(buf, s);
    myco_posix.peer_count = 0;
    for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *dash = strchr(item, '-');
        unsigned long lo, hi, id;
        if (dash) {
            *dash = '\0';
            if (parse_num(item, 1, 0xFFFE, &lo) || parse_num(dash + 1, 1, 0xFFFE, &hi) || hi < lo)
                return -1;
        } else {
            if (parse_num(item, 1, 0xFFFE, &lo)) return -1;
            hi = lo;
        }
        for (id = lo; id <= hi; id++) {
            if (myco_posix.peer_count == MYCO_POSIX_MAX_PEERS) return -1;
            myco_posix.peers[myco_posix.peer_count++] = (uint16_t)id;
        }
    }
    return myco_posix.peer_count ? 0 : -1;
}

/* --opt value and --opt=value both work. */
static const char *take_value(int argc, char **argv, int *i, const char *opt)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n) == 0 && argv[*i][n] == '=') return argv[*i] + n + 1;
    if (strcmp(argv[*i], opt) != 0) return NULL;
    if (*i + 1 >= argc) return "";
    return argv[++*i];
}

static int parse_args(int argc, char **argv)
{
    int i, have_id = 0, have_seed = 0;
    unsigned long v, max_id = 0;
    const char *peers = DEFAULT_PEERS;
    char err[400];
    uint32_t p;

    myco_posix.port_base = DEFAULT_PORT_BASE;
    myco_posix.mtu = DEFAULT_MTU;
    myco_posix.max_restarts = MYCO_SHELL_DEFAULT_MAX_RESTARTS;
    myco_posix.restart_window_ms = MYCO_SHELL_DEFAULT_RESTART_WINDOW_MS;
    myco_config_clear(&myco_posix.config);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *val;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(MYCO_EXIT_OK);
        } else if ((val = take_value(argc, argv, &i, "--id"))) {
            if (parse_num(val, 1, 0xFFFE, &v)) return fail("--id: \"%s\" is not a node id 1..65534%s", val, "");
            myco_posix.id = (uint16_t)v;
            have_id = 1;
        } else if ((val = take_value(argc, argv, &i, "--peers"))) {
            peers = val;
        } else if ((val = take_value(argc, argv, &i, "--port-base"))) {
            if (parse_num(val, 1, 65534, &v)) return fail("--port-base: \"%s\" is not a port 1..65534%s", val, "");
            myco_posix.port_base = (uint16_t)v;
        } else if ((val = take_value(argc, argv, &i, "--set"))) {
            if (myco_config_set(&myco_posix.config, val, err, sizeof err) != 0)
                return fail("--set: %s%s", err, "");
        } else if ((val = take_value(argc, argv, &i, "--duration-ms"))) {
            if (parse_num(val, 1, 0x7FFFFFFF, &v)) return fail("--duration-ms: \"%s\" is not a number of milliseconds%s", val, "");
            myco_posix.duration_ms = (uint32_t)v;
        } else if ((val = take_value(argc, argv, &i, "--seed"))) {
            if (parse_num(val, 0, 0xFFFFFFFF, &v)) return fail("--seed: \"%s\" is not an unsigned 32-bit number%s", val, "");
            myco_posix.seed = (uint32_t)v;
            have_seed = 1;
        } else if ((val = take_value(argc, argv, &i, "--dump-ms"))) {
            if (parse_num(val, 1, 0x7FFFFFFF, &v)) return fail("--dump-ms: \"%s\" is not a number of milliseconds%s", val, "");
            myco_posix.dump_ms = (uint32_t)v;
        } else if ((val = take_value(argc, argv, &i, "--mtu"))) {
            if (parse_num(val, 32, 1024, &v)) return fail("--mtu: \"%s\" is not 32..1024%s", val, "");
            myco_posix.mtu = (uint32_t)v;
        } else if ((val = take_value(argc, argv, &i, "--max-restarts"))) {
            if (parse_num(val, 0, MYCO_SHELL_RESTARTS_MAX, &v)) return fail("--max-restarts: \"%s\" is not 0..32%s", val, "");
            myco_posix.max_restarts = (uint32_t)v;
        } else if ((val = take_value(argc, argv, &i, "--restart-window-ms"))) {
            if (parse_num(val, 0, 0x7FFFFFFF, &v)) return fail("--restart-window-ms: \"%s\" is not a number of milliseconds%s", val, "");
            myco_posix.restart_window_ms = (uint32_t)v;
        } else if ((val = take_value(argc, argv, &i, "--wasm"))) {
#ifdef MYCO_MODULE_IMAGE
            if (!*val) return fail("--wasm needs a file%s%s", "", "");
            myco_posix.wasm_file = val;
#else
            return fail("--wasm: this myco-node runs the module compiled into it (engine %s); build one with --engine wasm3 to load modules at run time%s",
                        myco_engine_name(), "");
#endif
        } else if ((val = take_value(argc, argv, &i, "--module-update"))) {
            if (!*val) return fail("--module-update needs a file%s%s", "", "");
            myco_posix.update_file = val;
        } else {
            return fail("unknown argument \"%s\"%s", a, "");
        }
    }
    if (!have_id) return fail("--id is required%s%s", "", "");
    if (parse_peers(peers) != 0)
        return fail("--peers: \"%s\" is not a list of ids 1..65534 like 1,2,3 or 1-8%s", peers, "");
    for (p = 0; p < myco_posix.peer_count; p++)
        if (myco_posix.peers[p] > max_id) max_id = myco_posix.peers[p];
    if (myco_posix.id > max_id) max_id = myco_posix.id;
    if (myco_posix.port_base + max_id > 65535u) {
        snprintf(err, sizeof err, "%u + id %lu", (unsigned)myco_posix.port_base, max_id);
        return fail("--port-base: port %s is above 65535%s", err, "");
    }
    if (!have_seed) myco_posix.seed = myco_posix.id;
    return 0;
}

int main(int argc, char **argv)
{
    myco_shell_params params;
    int rc;

    setvbuf(stdout, NULL, _IOLBF, 0);
    rc = parse_args(argc, argv);
    if (rc != 0) return rc;

    myco_posix_signals_install();
    myco_posix_clock_start();
    if (myco_posix_radio_open() != 0) return MYCO_EXIT_REFUSED;

    memset(&params, 0, sizeof params);
    params.memory_budget = MYCO_MEMORY_BUDGET;
    params.max_restarts = myco_posix.max_restarts;
    params.restart_window_ms = myco_posix.restart_window_ms;
#ifdef MYCO_MODULE_IMAGE
    params.wasm = myco_module_image;
    params.wasm_len = myco_module_image_len;
    if (myco_posix.wasm_file) {
        char err[300];
        if (myco_posix_read_module(myco_posix.wasm_file, &params.wasm, &params.wasm_len, err,
                                   sizeof err) != 0) {
            fprintf(stderr, "myco-node: %s\n", err);
            myco_posix_radio_close();
            return MYCO_EXIT_REFUSED;
        }
    }
#endif
    rc = myco_shell_run(&params);
    myco_posix_radio_close();
    if (rc != MYCO_SHELL_STOPPED) return MYCO_EXIT_REFUSED;
    printf("stopped reason=%s\n", myco_posix_stop_reason);
    return MYCO_EXIT_OK;
}
