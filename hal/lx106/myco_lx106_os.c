/*
 * What picolibc's abort() asks of an operating system (raise -> kill, getpid; _exit).
 * An ESP8266 firmware without an OS has none of it; the board's own start-up code (the
 * SDK or a bare-metal one) replaces these with a watchdog reset.
 */
#include <sys/types.h>

void _exit(int status);
pid_t getpid(void);
int kill(pid_t pid, int sig);

void _exit(int status)
{
    (void)status;
    for (;;) {
    }
}

pid_t getpid(void)
{
    return 1;
}

int kill(pid_t pid, int sig)
{
    (void)pid;
    (void)sig;
    return -1;
}
