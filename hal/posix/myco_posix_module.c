/* Module images from files: the one --wasm names at boot, and the one --module-update
 * names, read again on every SIGHUP, as a board reads a new module from flash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myco_hal.h"
#include "myco_posix.h"

/* Far above any module a board holds; only keeps a wrong file from eating memory. */
#define MODULE_FILE_MAX (16u << 20)

/* The update the node runs now, if any (boot images stay until exit). */
static const uint8_t *g_running_update;

int myco_posix_read_module(const char *path, const uint8_t **bytes, uint32_t *len, char *err,
                           size_t err_cap)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(MODULE_FILE_MAX);
    size_t n;
    if (!f || !buf) {
        snprintf(err, err_cap, "cannot %s %s", f ? "buffer" : "open", path);
        if (f) fclose(f);
        free(buf);
        return -1;
    }
    n = fread(buf, 1, MODULE_FILE_MAX, f);
    if (ferror(f) || !feof(f)) {
        snprintf(err, err_cap, "cannot read %s (or it is over %u bytes)", path, MODULE_FILE_MAX);
        fclose(f);
        free(buf);
        return -1;
    }
    fclose(f);
    if (n) {
        uint8_t *fit = realloc(buf, n);
        if (fit) buf = fit;
    }
    *bytes = buf;
    *len = (uint32_t)n;
    return 0;
}

int myco_posix_update_wake(myco_wake *out)
{
    char err[300];
    const uint8_t *bytes;
    uint32_t len;
    if (!myco_posix.update_file) {
        myco_shim_note(MYCO_LOG_WARN, "module update: SIGHUP, but no --module-update FILE to read; ignored");
        return 0;
    }
    if (myco_posix_read_module(myco_posix.update_file, &bytes, &len, err, sizeof err) != 0) {
        char line[340];
        snprintf(line, sizeof line, "module update: %.250s; the node goes on with its module", err);
        myco_shim_note(MYCO_LOG_WARN, line);
        return 0;
    }
    out->kind = MYCO_WAKE_MODULE;
    out->module = bytes;
    out->len = len;
    return 1;
}

void myco_shim_module_done(const uint8_t *module, int running)
{
    if (!running) {
        free((void *)module);
        return;
    }
    free((void *)g_running_update);
    g_running_update = module;
}
