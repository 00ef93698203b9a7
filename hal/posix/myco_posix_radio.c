/* Radio over UDP on loopback; a frame's link-layer source is the sender's port. */
#define _POSIX_C_SOURCE 200112L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#include "myco_hal.h"
#include "myco_posix.h"

/* Larger than any MTU a node accepts, so an oversized datagram is seen whole and
 * dropped rather than delivered truncated. */
#define RX_BYTES 2048

static int g_sock = -1;
static volatile sig_atomic_t g_stop_signal;
static volatile sig_atomic_t g_update_signal;
static sigset_t g_wait_mask;
static uint8_t g_rx[RX_BYTES];
static uint32_t g_next_dump;

static void on_signal(int sig)
{
    if (sig == SIGHUP) g_update_signal = 1;
    else g_stop_signal = sig;
}

void myco_posix_signals_install(void)
{
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL); /* "a new module is in flash": --module-update */
    /* Delivered only inside pselect: no lost wake-up between check and sleep. */
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, &g_wait_mask);
    sigdelset(&g_wait_mask, SIGINT);
    sigdelset(&g_wait_mask, SIGTERM);
    sigdelset(&g_wait_mask, SIGHUP);
}

static struct sockaddr_in loopback(uint32_t port)
{
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

int myco_posix_radio_open(void)
{
    struct sockaddr_in a = loopback((uint32_t)myco_posix.port_base + myco_posix.id);
    g_sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (g_sock < 0) {
        fprintf(stderr, "myco-node: socket: %s\n", strerror(errno));
        return -1;
    }
    if (bind(g_sock, (struct sockaddr *)&a, sizeof a) != 0) {
        fprintf(stderr, "myco-node: cannot bind 127.0.0.1:%u (port base %u + id %u): %s\n",
                (unsigned)ntohs(a.sin_port), (unsigned)myco_posix.port_base,
                (unsigned)myco_posix.id, strerror(errno));
        close(g_sock);
        g_sock = -1;
        return -1;
    }
    fcntl(g_sock, F_SETFL, fcntl(g_sock, F_GETFL) | O_NONBLOCK);
    g_next_dump = myco_shim_now_ms() + myco_posix.dump_ms;
    return 0;
}

void myco_posix_radio_close(void)
{
    if (g_sock >= 0) close(g_sock);
    g_sock = -1;
}

static int send_to(uint32_t id, const uint8_t *frame, uint32_t len)
{
    struct sockaddr_in a = loopback((uint32_t)myco_posix.port_base + id);
    if (sendto(g_sock, frame, len, 0, (struct sockaddr *)&a, sizeof a) >= 0) return MYCO_SEND_OK;
    /* A full socket buffer is the radio's full queue; anything else is a frame
     * lost on the air, which the protocol must survive anyway. */
    return errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS ? MYCO_SEND_QUEUE_FULL
                                                                      : MYCO_SEND_OK;
}

int32_t myco_shim_send(uint16_t dst, const uint8_t *frame, uint32_t len)
{
    uint32_t i;
    int32_t result = MYCO_SEND_OK;
    if (len > myco_posix.mtu) return MYCO_SEND_TOO_LONG;
    if (dst == MYCO_NODE_NONE) return MYCO_SEND_BAD_DST;
    if (dst != MYCO_BROADCAST) {
        if ((uint32_t)myco_posix.port_base + dst > 65535u) return MYCO_SEND_BAD_DST;
        return send_to(dst, frame, len);
    }
    /* Broadcast: every peer "in range" gets a copy, as on a shared medium. */
    for (i = 0; i < myco_posix.peer_count; i++) {
        if (myco_posix.peers[i] == myco_posix.id) continue;
        if (send_to(myco_posix.peers[i], frame, len) != MYCO_SEND_OK) result = MYCO_SEND_QUEUE_FULL;
    }
    return result;
}

/* One datagram, if any; 1 when it became a frame for the node. */
static int receive(uint8_t *buf, uint32_t cap, myco_wake *out)
{
    struct sockaddr_in from;
    socklen_t from_len = sizeof from;
    ssize_t n = recvfrom(g_sock, g_rx, sizeof g_rx, 0, (struct sockaddr *)&from, &from_len);
    uint32_t port, src;
    if (n < 0) return 0;
    port = ntohs(from.sin_port);
    src = port - myco_posix.port_base;
    /* Only our loopback "air" carries frames, and the source must be a node id. */
    if (from.sin_addr.s_addr != htonl(INADDR_LOOPBACK) || port <= myco_posix.port_base ||
        src >= MYCO_BROADCAST || src == myco_posix.id || (uint32_t)n > cap)
        return 0;
    memcpy(buf, g_rx, (size_t)n);
    out->kind = MYCO_WAKE_FRAME;
    out->peer = (uint16_t)src;
    out->len = (uint32_t)n;
    out->rssi = MYCO_POSIX_RSSI;
    return 1;
}

/* Milliseconds left until `at`, or 0 if passed. */
static uint32_t until(uint32_t at, uint32_t now)
{
    int32_t d = (int32_t)(at - now);
    return d > 0 ? (uint32_t)d : 0;
}

void myco_shim_wait(uint32_t timeout_ms, uint8_t *buf, uint32_t cap, myco_wake *out)
{
    uint32_t now = myco_shim_now_ms(), wait = timeout_ms;
    struct timespec ts;
    fd_set fds;
    int ready;

    out->kind = MYCO_WAKE_TIMEOUT;
    if (g_stop_signal) goto stop;
    if (g_update_signal) {
        g_update_signal = 0;
        if (myco_posix_update_wake(out)) return;
    }
    if (myco_posix.duration_ms) {
        uint32_t left = until(myco_posix.duration_ms, now);
        if (left == 0) {
            myco_posix_stop_reason = "duration";
            out->kind = MYCO_WAKE_STOP;
            return;
        }
        if (left < wait) wait = left;
    }
    if (myco_posix.dump_ms) {
        uint32_t left = until(g_next_dump, now);
        if (left == 0) {
            g_next_dump = now + myco_posix.dump_ms;
            out->kind = MYCO_WAKE_REPORT;
            return;
        }
        if (left < wait) wait = left;
    }
    /* Frames already queued first: a busy network must not starve on a timeout. But a signal
     * waiting for delivery (it only gets in inside pselect) goes first, or steady traffic
     * could hold a stop or an update back for as long as it lasts: a zero wait lets pselect
     * deliver it, and the checks after it act on it. */
    {
        sigset_t pending;
        sigpending(&pending);
        if (sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM) || sigismember(&pending, SIGHUP)) wait = 0;
        else if (receive(buf, cap, out)) return;
    }

    FD_ZERO(&fds);
    FD_SET(g_sock, &fds);
    ts.tv_sec = (time_t)(wait / 1000u);
    ts.tv_nsec = (long)(wait % 1000u) * 1000000L;
    ready = pselect(g_sock + 1, &fds, NULL, NULL, wait == MYCO_NO_DEADLINE ? NULL : &ts,
                    &g_wait_mask);
    if (ready < 0 && errno == EINTR && g_stop_signal) goto stop;
    if (ready < 0 && errno == EINTR && g_update_signal) {
        g_update_signal = 0;
        myco_posix_update_wake(out);
        return;
    }
    if (ready > 0) receive(buf, cap, out);
    return;
stop:
    myco_posix_stop_reason = g_stop_signal == SIGINT ? "sigint" : "sigterm";
    out->kind = MYCO_WAKE_STOP;
}
