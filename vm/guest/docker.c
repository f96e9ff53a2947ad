/*
 * docker: the guest's Docker command. The engine that plays dockerd runs on the host, so
 * this hands the agent its argv, working directory, environment and its own stdin,
 * stdout and stderr (SCM_RIGHTS), forwards the signals it gets (SIGWINCH included, for an
 * attached container's pty), and exits with the code the engine reports. Output is written by the agent straight to those descriptors, so
 * pipes, redirections and the learner's terminal behave as with the real client.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "protocol.h"

extern char **environ;
static int sock = -1;

static void put16(uint8_t *p, uint16_t v) { p[0] = v, p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { p[0] = v, p[1] = v >> 8, p[2] = v >> 16, p[3] = v >> 24; }

static void forward(int sig) {
  uint8_t b[4];
  put32(b, (uint32_t)sig);
  int e = errno;
  (void)!write(sock, b, 4);
  errno = e;
}

int main(int argc, char **argv) {
  sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, BERTH_CMD_SOCKET);
  if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
    fprintf(stderr, "docker: cannot reach the Berth engine at %s: %s\n", BERTH_CMD_SOCKET, strerror(errno));
    return 1;
  }
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) strcpy(cwd, "/");
  unsigned envc = 0;
  size_t size = BERTH_CMD_START_HEADER + strlen(cwd) + 1;
  for (int i = 0; i < argc; i++) size += strlen(argv[i]) + 1;
  for (char **e = environ; *e && envc < 4096; e++, envc++) size += strlen(*e) + 1;
  if (size > BERTH_MAX_PAYLOAD || argc > 4096) {
    fprintf(stderr, "docker: the command line and environment are too long\n");
    return 1;
  }
  uint8_t *msg = malloc(4 + size), *p = msg + 4;
  if (!msg) return 1;
  struct winsize ws = {0};
  if (ioctl(1, TIOCGWINSZ, &ws) != 0) ioctl(0, TIOCGWINSZ, &ws);
  put32(msg, (uint32_t)size);
  put16(p, ws.ws_row), put16(p + 2, ws.ws_col);
  p[4] = (isatty(0) ? 1 : 0) | (isatty(1) ? 2 : 0) | (isatty(2) ? 4 : 0);
  put16(p + 5, (uint16_t)argc), put16(p + 7, (uint16_t)envc);
  p += BERTH_CMD_START_HEADER;
  p = (uint8_t *)stpcpy((char *)p, cwd) + 1;
  for (int i = 0; i < argc; i++) p = (uint8_t *)stpcpy((char *)p, argv[i]) + 1;
  for (unsigned i = 0; i < envc; i++) p = (uint8_t *)stpcpy((char *)p, environ[i]) + 1;

  int fds[3] = {0, 1, 2};
  char control[CMSG_SPACE(sizeof fds)] = {0};
  struct iovec iov = {msg, 4 + size};
  struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
  struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
  cm->cmsg_level = SOL_SOCKET;
  cm->cmsg_type = SCM_RIGHTS;
  cm->cmsg_len = CMSG_LEN(sizeof fds);
  memcpy(CMSG_DATA(cm), fds, sizeof fds);
  if (sendmsg(sock, &mh, 0) != (ssize_t)(4 + size)) {
    fprintf(stderr, "docker: cannot send the command to the Berth engine: %s\n", strerror(errno));
    return 1;
  }
  free(msg);

  struct sigaction sa = {.sa_handler = forward}; /* no SA_RESTART: read() below retries */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
  sigaction(SIGWINCH, &sa, NULL); /* the agent resizes an attached container's pty from our tty */

  uint8_t code[4];
  size_t got = 0;
  while (got < 4) {
    ssize_t n = read(sock, code + got, 4 - got);
    if (n > 0) got += (size_t)n;
    else if (n < 0 && errno == EINTR) continue;
    else {
      fprintf(stderr, "docker: lost the connection to the Berth engine\n");
      return 1;
    }
  }
  return code[0];
}
