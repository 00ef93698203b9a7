/* myco-replay: plays the golden vectors compiled into the image and prints their lines
 * (myco_replay.h). With names on the command line, only those vectors; a board or
 * emulator without a command line plays them all. Each vector's lines follow a
 * "vector <name>" line, and the last line is "replay done vectors=N failed=N". */
#include <stdio.h>
#include <string.h>

#include "myco_replay.h"

#ifndef MYCO_MEMORY_BUDGET
#error "define MYCO_MEMORY_BUDGET (the board's wasm_memory_budget in bytes)"
#endif

void myco_replay_print(const char *line)
{
    fputs(line, stdout);
    fputc('\n', stdout);
}

static int wanted(const char *name, int argc, char **argv)
{
    int i;
    if (argc < 2) return 1;
    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return 1;
    return 0;
}

int main(int argc, char **argv)
{
    uint32_t i, played = 0, failed = 0;
    char line[120];

    for (i = 0; i < myco_replay_vector_count; i++) {
        const myco_replay_vector *v = &myco_replay_vectors[i];
        if (!wanted(v->name, argc, argv)) continue;
        snprintf(line, sizeof line, "vector %.100s", v->name);
        myco_replay_print(line);
        if (myco_replay_run(v, MYCO_MEMORY_BUDGET) != MYCO_REPLAY_STOPPED) failed++;
        played++;
    }
    snprintf(line, sizeof line, "replay done vectors=%lu failed=%lu", (unsigned long)played,
             (unsigned long)failed);
    myco_replay_print(line);
    fflush(stdout);
    return failed ? 1 : 0;
}
