/*
 * berth-console: the tty side of a container run, as conmon is for podman.
 *
 *   berth-console SOCKET crun ... --console-socket SOCKET ...
 *
 * crun gives a container with `terminal: true` a pty of its own and, with --console-socket,
 * hands the pty's master to whoever listens on SOCKET. This program listens, runs crun,
 * takes the master and copies bytes between it and its own stdio (the agent's pty, which
 * it puts in raw mode so nothing is echoed or edited twice). A resize of its own tty
 * (SIGWINCH) is copied onto the container's. It exits with crun's status once crun has
 * exited and the container's last output is written.
 *
 * crun's own relay (no --console-socket) treats the pty's EIO after a fast exit as a
 * failed start and writes the container's output into its error log; this one reads
 * until EIO and only then stops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static void die(const char *what) {
  fprintf(stderr, "berth-console: %s: %s\n", what, strerror(errno));
  exit(125);
}

static int write_all(int fd, const char *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd pf = {fd, POLLOUT, 0};
        poll(&pf, 1, -1);
        continue;
      }
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* The master fd crun sends (SCM_RIGHTS), or -1. */
static int receive_fd(int conn) {
  char byte;
  struct iovec iov = {&byte, 1};
  union {
    struct cmsghdr h;
    char buf[CMSG_SPACE(sizeof(int))];
  } c;
  struct msghdr m = {0};
  m.msg_iov = &iov;
  m.msg_iovlen = 1;
  m.msg_control = c.buf;
  m.msg_controllen = sizeof c.buf;
  if (recvmsg(conn, &m, MSG_CMSG_CLOEXEC) <= 0) return -1;
  struct cmsghdr *h = CMSG_FIRSTHDR(&m);
  if (!h || h->cmsg_level != SOL_SOCKET || h->cmsg_type != SCM_RIGHTS || h->cmsg_len != CMSG_LEN(sizeof(int))) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(h), sizeof fd);
  return fd;
}

static void copy_size(int master) {
  struct winsize ws;
  if (master >= 0 && ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) ioctl(master, TIOCSWINSZ, &ws);
}

/* Everything the container wrote that is still in the pty, up to EIO (all slaves closed). */
static void drain(int master) {
  char buf[4096];
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
  for (;;) {
    ssize_t n = read(master, buf, sizeof buf);
    if (n > 0) {
      if (write_all(1, buf, (size_t)n) < 0) return;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: berth-console SOCKET COMMAND...\n");
    return 125;
  }
  const char *path = argv[1];
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof addr.sun_path) {
    errno = ENAMETOOLONG;
    die(path);
  }
  strcpy(addr.sun_path, path);
  unlink(path);
  int lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (lsock < 0 || bind(lsock, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lsock, 1) < 0) die("console socket");

  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigaddset(&mask, SIGWINCH);
  sigaddset(&mask, SIGINT);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGHUP);
  sigaddset(&mask, SIGQUIT);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_CLOEXEC);
  if (sfd < 0) die("signalfd");

  pid_t child = fork();
  if (child < 0) die("fork");
  if (child == 0) {
    sigprocmask(SIG_UNBLOCK, &mask, NULL);
    execv(argv[2], argv + 2);
    fprintf(stderr, "berth-console: %s: %s\n", argv[2], strerror(errno));
    _exit(127);
  }

  /* This side of the relay carries bytes only; the container's pty does the line discipline. */
  struct termios saved, raw;
  int restore = tcgetattr(0, &saved) == 0;
  if (restore) {
    raw = saved;
    cfmakeraw(&raw);
    tcsetattr(0, TCSANOW, &raw);
  }

  int master = -1, status = 0, exited = 0, in_open = 1;
  char buf[4096];
  while (!exited) {
    struct pollfd p[4];
    int n = 0, i_sig = n++, i_l = -1, i_m = -1, i_in = -1;
    p[i_sig] = (struct pollfd){sfd, POLLIN, 0};
    if (master < 0 && lsock >= 0) p[i_l = n++] = (struct pollfd){lsock, POLLIN, 0};
    if (master >= 0) p[i_m = n++] = (struct pollfd){master, POLLIN, 0};
    if (master >= 0 && in_open) p[i_in = n++] = (struct pollfd){0, POLLIN, 0};
    if (poll(p, (nfds_t)n, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (p[i_sig].revents) {
      struct signalfd_siginfo si;
      if (read(sfd, &si, sizeof si) == sizeof si) {
        if (si.ssi_signo == SIGCHLD) {
          if (waitpid(child, &status, WNOHANG) == child) exited = 1;
        } else if (si.ssi_signo == SIGWINCH) {
          copy_size(master);
        } else {
          kill(child, (int)si.ssi_signo); /* crun passes it on to the container */
        }
      }
    }
    if (i_l >= 0 && p[i_l].revents) {
      int conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
      if (conn >= 0) {
        master = receive_fd(conn);
        close(conn);
        if (master >= 0) {
          close(lsock);
          lsock = -1;
          unlink(path);
          copy_size(master);
        }
      }
    }
    if (i_m >= 0 && p[i_m].revents) {
      ssize_t r = read(master, buf, sizeof buf);
      if (r > 0) {
        write_all(1, buf, (size_t)r);
      } else if (r == 0 || errno != EINTR) {
        /* EIO: every slave is closed; only crun's exit is left to wait for. */
        close(master);
        master = -2;
      }
    }
    if (i_in >= 0 && p[i_in].revents) {
      ssize_t r = read(0, buf, sizeof buf);
      if (r > 0) {
        if (write_all(master, buf, (size_t)r) < 0) in_open = 0;
      } else if (r == 0 || errno != EINTR) {
        in_open = 0;
      }
    }
  }
  if (master >= 0) drain(master);
  if (lsock >= 0) unlink(path);
  if (restore) tcsetattr(0, TCSANOW, &saved);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + WTERMSIG(status);
}
