/* Adapter-independent facts about the exports. */
#include "myco_engine.h"

const char *myco_export_name(myco_export fn)
{
    static const char *const names[MYCO_FN_COUNT] = {
        "inbox", "inbox_size", "outbox", "heap_top", "init",
        "on_frame", "on_link", "submit", "tick", "inspect",
    };
    return (unsigned)fn < MYCO_FN_COUNT ? names[fn] : "?";
}
