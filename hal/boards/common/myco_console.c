#include "myco_console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "myco_hal.h"

void myco_console_init(myco_console *c, myco_cfg_stored *settings, myco_line_fn out, void *ctx)
{
    memset(c, 0, sizeof *c);
    c->settings = settings;
    c->out = out;
    c->ctx = ctx;
}

static void say(myco_console *c, const char *line)
{
    c->out(line, c->ctx);
}

static const myco_config_key *key_by_number(uint8_t key)
{
    uint32_t i, count;
    const myco_config_key *keys = myco_config_keys(&count);
    for (i = 0; i < count; i++)
        if (keys[i].key == key) return &keys[i];
    return NULL;
}

static void show(myco_console *c)
{
    char line[MYCO_CONSOLE_LINE_MAX + 80u];
    const myco_config_blob *b = &c->settings->config;
    uint32_t at = 0;
    if (c->settings->node_id) snprintf(line, sizeof line, "config id=%u", (unsigned)c->settings->node_id);
    else snprintf(line, sizeof line, "config id=auto");
    say(c, line);
    while (at + 2u <= b->len) {
        uint8_t key = b->bytes[at];
        uint32_t n = b->bytes[at + 1u], i, used;
        const myco_config_key *spec = key_by_number(key);
        if (at + 2u + n > b->len) break;
        if (spec) used = (uint32_t)snprintf(line, sizeof line, "config %s=", spec->name);
        else used = (uint32_t)snprintf(line, sizeof line, "config %u=", (unsigned)key);
        if (spec && spec->max_entries) {
            /* u32[]: comma-separated, as `set` takes it. */
            for (i = 0; i + 4u <= n && used < sizeof line - 12u; i += 4u) {
                const uint8_t *v = b->bytes + at + 2u + i;
                used += (uint32_t)snprintf(line + used, sizeof line - used, "%s%lu", i ? "," : "",
                                           (unsigned long)((uint32_t)v[0] | (uint32_t)v[1] << 8 |
                                                           (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24));
            }
        } else {
            uint32_t v = 0;
            for (i = 0; i < n && i < 4u; i++) v |= (uint32_t)b->bytes[at + 2u + i] << (8u * i);
            snprintf(line + used, sizeof line - used, "%lu", (unsigned long)v);
        }
        say(c, line);
        at += 2u + n;
    }
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t') s++;
    return s;
}

/* "name" -> key number: a known name, or a decimal layer key 16..255. */
static int parse_key(const char *name, uint8_t *key)
{
    const myco_config_key *spec = myco_config_find(name);
    char *end;
    unsigned long v;
    if (spec) {
        *key = spec->key;
        return 0;
    }
    if (*name < '0' || *name > '9') return -1;
    v = strtoul(name, &end, 10);
    if (*end != '\0' || v < MYCO_CFG_FIRST_LAYER_KEY || v > 255) return -1;
    *key = (uint8_t)v;
    return 0;
}

myco_console_action myco_console_line(myco_console *c, const char *raw)
{
    char line[MYCO_CONSOLE_LINE_MAX + 80u], arg[MYCO_CONSOLE_LINE_MAX + 1u];
    const char *s = skip_space(raw), *rest;
    size_t word, n;

    for (word = 0; s[word] && s[word] != ' ' && s[word] != '\t'; word++) {}
    rest = skip_space(s + word);
    n = strlen(rest);
    while (n && (rest[n - 1] == ' ' || rest[n - 1] == '\t')) n--;
    if (n > MYCO_CONSOLE_LINE_MAX) n = MYCO_CONSOLE_LINE_MAX;
    memcpy(arg, rest, n);
    arg[n] = '\0';

#define IS(cmd) (word == sizeof(cmd) - 1u && strncmp(s, cmd, word) == 0)
    if (word == 0) return MYCO_CONSOLE_NONE;
    if (IS("help")) {
        say(c, "console commands: show | set <name>=<value> | unset <name> | clear | id <n>|auto | save | reboot | inspect | module");
        say(c, "console settings apply at the next boot: save, then reboot");
        say(c, "console module runs the module in flash (/node.wasm) in place of this one, now");
        return MYCO_CONSOLE_NONE;
    }
    if (IS("show")) {
        show(c);
        return MYCO_CONSOLE_NONE;
    }
    if (IS("set")) {
        char err[200];
        if (myco_config_set(&c->settings->config, arg, err, sizeof err) != 0) {
            snprintf(line, sizeof line, "console error set: %s", err);
            say(c, line);
        } else {
            snprintf(line, sizeof line, "console ok set %s", arg);
            say(c, line);
        }
        return MYCO_CONSOLE_NONE;
    }
    if (IS("unset")) {
        uint8_t key;
        if (parse_key(arg, &key) != 0) {
            snprintf(line, sizeof line, "console error unset: unknown key \"%s\"", arg);
        } else {
            int had = myco_cfg_blob_remove(&c->settings->config, key);
            snprintf(line, sizeof line, "console ok unset %s%s", arg, had ? "" : " (was not set)");
        }
        say(c, line);
        return MYCO_CONSOLE_NONE;
    }
    if (IS("clear")) {
        myco_config_clear(&c->settings->config);
        say(c, "console ok clear");
        return MYCO_CONSOLE_NONE;
    }
    if (IS("id")) {
        char *end;
        unsigned long v;
        if (strcmp(arg, "auto") == 0) {
            c->settings->node_id = 0;
            say(c, "console ok id auto");
            return MYCO_CONSOLE_NONE;
        }
        v = arg[0] >= '0' && arg[0] <= '9' ? strtoul(arg, &end, 10) : 0;
        if (v < 1 || v > 0xFFFEu || *end != '\0') {
            snprintf(line, sizeof line, "console error id: \"%s\" is not a node id 1..65534 or auto", arg);
            say(c, line);
            return MYCO_CONSOLE_NONE;
        }
        c->settings->node_id = (uint16_t)v;
        snprintf(line, sizeof line, "console ok id %lu", v);
        say(c, line);
        return MYCO_CONSOLE_NONE;
    }
    if (IS("save")) return MYCO_CONSOLE_SAVE;
    if (IS("reboot")) {
        say(c, "console ok reboot");
        return MYCO_CONSOLE_REBOOT;
    }
    if (IS("inspect")) return MYCO_CONSOLE_REPORT;
    if (IS("module")) return MYCO_CONSOLE_MODULE;
#undef IS
    n = word < 40u ? word : 40u;
    memcpy(arg, s, n);
    arg[n] = '\0';
    snprintf(line, sizeof line, "console error unknown command \"%s\"; try help", arg);
    say(c, line);
    return MYCO_CONSOLE_NONE;
}

myco_console_action myco_console_feed(myco_console *c, uint8_t byte)
{
    if (byte == '\r') return MYCO_CONSOLE_NONE; /* terminals send CR LF */
    if (byte == '\n') {
        myco_console_action a = MYCO_CONSOLE_NONE;
        c->line[c->len] = '\0';
        if (c->overflow) say(c, "console error line too long");
        else a = myco_console_line(c, c->line);
        c->len = 0;
        c->overflow = 0;
        return a;
    }
    if (c->len < MYCO_CONSOLE_LINE_MAX) c->line[c->len++] = (char)byte;
    else c->overflow = 1;
    return MYCO_CONSOLE_NONE;
}

void myco_console_saved(myco_console *c, int result)
{
    say(c, result == 0 ? "console ok save (applies at the next boot)" : "console error save: flash write failed");
}
