/* A minimal check harness for the board-logic drivers: each TEST prints `ok <name>` or
 * `fail <name> <file>:<line> <expr>` lines that test/boards-logic.test.ts reads. */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>

static int check_failed;
static const char *check_name;

#define CHECK(expr)                                                                        \
    do {                                                                                   \
        if (!(expr)) {                                                                     \
            printf("fail %s %s:%d %s\n", check_name, __FILE__, __LINE__, #expr);           \
            check_failed = 1;                                                              \
        }                                                                                  \
    } while (0)

#define RUN(fn)                                                                            \
    do {                                                                                   \
        check_name = #fn;                                                                  \
        check_failed = 0;                                                                  \
        fn();                                                                              \
        if (!check_failed) printf("ok %s\n", #fn);                                         \
    } while (0)

#endif
