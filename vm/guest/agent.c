/*
 * berth-agent: the guest half of the control channel (see protocol.h).
 *
 * It runs as PID 1 after /init has set the machine up, so it reaps every orphan and
 * cannot be SIGKILLed from inside the guest. It spawns processes for the host (on a
 * pty or on pipes), streams their stdio, forwards signals and pty resizes, and reports
 * exit status. It also serves guest command sessions (the `docker` client) and can attach
 * one to a spawned process, relaying the client's terminal to it inside the guest.
 * One poll() loop; no threads.
 *
 * Run as /init (the kernel's first process) it first sets the machine up with plain
 * syscalls: a shell script doing the same cost about a second of every cold boot, because
 * each command was a fork and exec while the emulator's JIT was still cold.
 *
 * usage: berth-agent [CONTROL_TTY]    (as /init: no arguments)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "protocol.h"

#define AGENT_VERSION "berth-agent 1"
#define MAX_PROCS 256
#define READ_CHUNK 16384
#define MAX_STDIN_BACKLOG (4u << 20)
/* After a short read of a process's output, wait this long before reading it again. A
   program writing line by line to a pty (stdout line-buffered) otherwise costs the agent a
   wakeup and a frame per line, about 0.45 ms each under v86: `seq 1 20000` on a pty took
   9 s. The first read after a quiet spell is immediate, so a keystroke's echo is not delayed. */
#define OUTPUT_HOLD_US 2000

extern char **environ;

struct proc {
  uint32_t id;
  pid_t pid;
  int in, out, err; /* -1 when closed; with a pty, in == out == master */
  int pty;
  int reaped;
  int status;
  int close_in; /* close stdin once the backlog is written */
  uint8_t *backlog;
  size_t backlog_len;
  int attached; /* how many sessions relay its stdio (BX_ATTACH) */
  uint32_t chunks; /* output reads so far */
  uint8_t *held;   /* a first chunk kept from attached clients (crun_failure_line) */
  size_t held_len;
  uint8_t held_type;
  uint64_t hold_until; /* CLOCK_MONOTONIC us: its output is not read before then (OUTPUT_HOLD_US) */
};

static struct proc procs[MAX_PROCS];
static int ctl = -1;

/* Guest command sessions (protocol.h: BX_CMD_*, BX_ATTACH). */
#define MAX_SESSIONS 32
#define MAX_OUT_BACKLOG (8u << 20)
/* Above this much unwritten output for an attached client, the process is not read (so it
   blocks, as on a slow terminal), and above this much unwritten input for the process,
   the client is not read: the agent never buffers without bound or blocks. */
#define RELAY_HIGH (64u << 10)

struct outq {
  int fd;
  uint8_t *buf;
  size_t len;
};

struct session {
  uint32_t id; /* 0 = free */
  int sock, in;
  struct outq out[2]; /* stdout, stderr */
  int reading, exiting;
  int32_t code;
  /* BX_ATTACH */
  uint32_t att;         /* the process relayed to and from; 0 = none */
  uint8_t att_flags;    /* BX_ATT_* */
  uint8_t keys[BX_MAX_DETACH_KEYS], nkeys, matched; /* detach keys; matched = a partial match held back */
  int in_tty, in_done;  /* the client's stdin is a tty; it ended */
  int raw;              /* the client's tty is in raw mode; `saved` is what to restore */
  struct termios saved;
  int settling;         /* relaying ended; restore the tty and notify once the output is out */
  unsigned notify;      /* 1 << BX_DETACH_* reasons to report in BX_DETACHED */
};

static struct session sessions[MAX_SESSIONS];

/* docker.sock connections (protocol.h: BX_SOCK_*). The host sends at most BX_SOCK_WINDOW
   bytes a connection has not acknowledged, so `out` stays bounded without dropping. */
#define MAX_CONNS 32
struct conn {
  uint32_t id; /* 0 = free */
  int fd;
  struct outq out;
  int rd_done;  /* the client shut down its writing side */
  int shut;     /* shut down our writing side once `out` is written */
  size_t acked; /* written (or dropped) since the last BX_SOCK_ACK */
};
static struct conn conns[MAX_CONNS];
static void relay_output(struct proc *p, uint8_t type, const uint8_t *b, size_t n);
static void relay_release(struct proc *p, int keep);
static int crun_failure_line(const uint8_t *b, size_t n);
static int release_attached(struct proc *p);

/* ---- CRC-32 (IEEE 802.3), the same as zlib's crc32 ---- */
static uint32_t crc_table[256];
static void crc_init(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}
static uint32_t crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24;
}
static uint32_t get32(const uint8_t *p) {
  return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t get16(const uint8_t *p) { return p[0] | p[1] << 8; }

static void write_all(int fd, const uint8_t *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) {
        struct pollfd pf = {fd, POLLOUT, 0};
        poll(&pf, 1, 1000);
        continue;
      }
      return; /* the host is gone; nothing useful to do */
    }
    p += w;
    n -= (size_t)w;
  }
}

static void send_frame(uint8_t type, uint32_t id, const void *payload, size_t len) {
  static uint8_t buf[BERTH_HEADER_SIZE + BERTH_MAX_PAYLOAD];
  if (len > BERTH_MAX_PAYLOAD) len = BERTH_MAX_PAYLOAD;
  buf[0] = BERTH_MAGIC0;
  buf[1] = BERTH_MAGIC1;
  buf[2] = BERTH_PROTO_VERSION;
  buf[3] = type;
  put32(buf + 4, id);
  put32(buf + 8, (uint32_t)len);
  if (len) memcpy(buf + BERTH_HEADER_SIZE, payload, len);
  put32(buf + 12, crc32(buf + BERTH_HEADER_SIZE, len));
  put32(buf + 16, crc32(buf, 16));
  write_all(ctl, buf, BERTH_HEADER_SIZE + len);
}

static void send_error(uint32_t id, int err, const char *msg) {
  uint8_t buf[512];
  put32(buf, (uint32_t)err);
  size_t n = strlen(msg);
  if (n > sizeof buf - 4) n = sizeof buf - 4;
  memcpy(buf + 4, msg, n);
  send_frame(BX_ERROR, id, buf, 4 + n);
}

static void send_ready(void) {
  uint8_t buf[64];
  put32(buf, BERTH_PROTO_VERSION);
  size_t n = strlen(AGENT_VERSION);
  memcpy(buf + 4, AGENT_VERSION, n);
  send_frame(BX_READY, 0, buf, 4 + n);
}

static uint64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static struct proc *find(uint32_t id) {
  for (int i = 0; i < MAX_PROCS; i++)
    if (procs[i].pid > 0 && procs[i].id == id) return &procs[i];
  return NULL;
}

static void set_nonblock(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static void proc_close_in(struct proc *p) {
  if (p->pty) { /* the master carries output too; just forget the backlog */
    p->in = -1;
  } else {
    close_fd(&p->in);
  }
  free(p->backlog);
  p->backlog = NULL;
  p->backlog_len = 0;
}

/* Send EXIT once the process is reaped and its output is drained. */
static void maybe_finish(struct proc *p) {
  if (!p->reaped || p->out >= 0 || p->err >= 0) return;
  /* The held line was crun's own if crun could not start the process: `crun exec` then exits
     255, and so does the engine's run script (runtime/guest.ts). */
  if (p->held) relay_release(p, !WIFEXITED(p->status) || WEXITSTATUS(p->status) != 255);
  if (p->attached && !release_attached(p)) return; /* its output is still on its way to a client */
  uint8_t buf[8];
  int code = -1, sig = 0;
  if (WIFEXITED(p->status)) code = WEXITSTATUS(p->status);
  else if (WIFSIGNALED(p->status)) sig = WTERMSIG(p->status);
  put32(buf, (uint32_t)code);
  put32(buf + 4, (uint32_t)sig);
  if (!p->pty) close_fd(&p->in);
  free(p->backlog);
  free(p->held);
  send_frame(BX_EXIT, p->id, buf, 8);
  memset(p, 0, sizeof *p);
}

/* Read what a child wrote; returns 0 at EOF or error. */
static int pump(struct proc *p, int fd, uint8_t type) {
  static uint8_t buf[READ_CHUNK];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0) {
    send_frame(type, p->id, buf, (size_t)n);
    int first = p->chunks++ == 0;
    if (p->attached && first && crun_failure_line(buf, (size_t)n) && (p->held = malloc((size_t)n))) {
      memcpy(p->held, buf, (size_t)n), p->held_len = (size_t)n, p->held_type = type;
    } else if (p->attached) {
      relay_release(p, 1);
      relay_output(p, type, buf, (size_t)n);
    }
    if (n < (ssize_t)sizeof buf) p->hold_until = now_us() + OUTPUT_HOLD_US;
    return 1;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return 1;
  return 0; /* EOF, or EIO on a pty master once every slave is closed */
}

static void drain_and_close(struct proc *p, int *fd, uint8_t type) {
  if (*fd < 0) return;
  while (pump(p, *fd, type)) {
    struct pollfd pf = {*fd, POLLIN, 0};
    if (poll(&pf, 1, 0) <= 0 || !(pf.revents & (POLLIN | POLLHUP))) break;
  }
  if (p->pty) p->in = -1;
  close_fd(fd);
}

/* What the cloned child needs; it shares our memory until it execs. */
struct child {
  const char *path, *cwd, *slave;
  char **argv, **envp;
  int in_fd, out_fd, err_fd;
  uint32_t flags, uid, gid;
  int failed; /* the child's errno when it could not exec */
};

static char child_stack[64 * 1024] __attribute__((aligned(16)));

/* Runs in the child on its own stack: only syscalls, then execve. */
static int child_main(void *arg) {
  struct child *c = arg;
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  signal(SIGPIPE, SIG_DFL);
  setpriority(PRIO_PROCESS, 0, 0); /* the agent itself runs at a higher priority */
  setsid();
  if (c->slave) {
    int sl = open(c->slave, O_RDWR); /* a session leader's first tty becomes its controlling tty */
    if (sl < 0) goto fail;
    ioctl(sl, TIOCSCTTY, 0);
    dup2(sl, 0), dup2(sl, 1), dup2(sl, 2);
    if (sl > 2) close(sl);
  } else {
    dup2(c->in_fd, 0), dup2(c->out_fd, 1), dup2(c->err_fd, 2);
  }
  if ((c->flags & BX_SPAWN_SETUID) && (setgroups(0, NULL) || setgid(c->gid) || setuid(c->uid))) goto fail;
  if (*c->cwd && chdir(c->cwd) != 0) goto fail;
  execve(c->path, c->argv, c->envp);
fail:
  c->failed = errno ? errno : EIO;
  _exit(127);
}

/* PATH lookup with the spawned process's own PATH, done before cloning. */
static int resolve(const char *name, char **envp, char *out, size_t n) {
  if (strchr(name, '/')) {
    snprintf(out, n, "%s", name);
    return access(out, X_OK) == 0 ? 0 : errno;
  }
  const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (char **e = envp; *e; e++)
    if (!strncmp(*e, "PATH=", 5)) path = *e + 5;
  int found_errno = ENOENT;
  for (const char *p = path;;) {
    const char *colon = strchr(p, ':');
    size_t len = colon ? (size_t)(colon - p) : strlen(p);
    snprintf(out, n, "%.*s%s%s", (int)len, p, len ? "/" : "", name);
    struct stat st;
    if (stat(out, &st) == 0 && S_ISREG(st.st_mode)) {
      if (access(out, X_OK) == 0) return 0;
      found_errno = EACCES;
    }
    if (!colon) break;
    p = colon + 1;
  }
  return found_errno;
}

static void do_spawn(uint32_t id, const uint8_t *pl, uint32_t len) {
  if (find(id)) return send_error(id, EEXIST, "spawn: id in use");
  struct proc *p = NULL;
  for (int i = 0; i < MAX_PROCS && !p; i++)
    if (procs[i].pid == 0) p = &procs[i];
  if (!p) return send_error(id, EAGAIN, "spawn: too many processes");
  if (len < 20) return send_error(id, EINVAL, "spawn: short payload");
  uint32_t flags = get32(pl);
  struct winsize ws = {get16(pl + 4), get16(pl + 6), 0, 0};
  uint32_t uid = get32(pl + 8), gid = get32(pl + 12);
  unsigned argc = get16(pl + 16), envc = get16(pl + 18);
  if (argc < 1 || argc > 4096 || envc > 4096) return send_error(id, EINVAL, "spawn: bad argc/envc");
  /* Strings: cwd, argv..., env...; each must be NUL-terminated inside the payload. */
  char **strs = calloc(1 + argc + envc, sizeof *strs);
  if (!strs) return send_error(id, ENOMEM, "spawn: out of memory");
  const char *s = (const char *)pl + 20, *end = (const char *)pl + len;
  for (unsigned i = 0; i < 1 + argc + envc; i++) {
    const char *z = memchr(s, 0, (size_t)(end - s));
    if (!z) {
      free(strs);
      return send_error(id, EINVAL, "spawn: unterminated string");
    }
    strs[i] = (char *)s;
    s = z + 1;
  }
  char *cwd = strs[0];
  char **argv = calloc(argc + 1, sizeof *argv), **envp = calloc(envc + 1, sizeof *envp);
  if (!argv || !envp) {
    free(strs), free(argv), free(envp);
    return send_error(id, ENOMEM, "spawn: out of memory");
  }
  memcpy(argv, strs + 1, argc * sizeof *argv);
  memcpy(envp, strs + 1 + argc, envc * sizeof *envp);

  int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, master = -1;
  const char *slave_name = NULL;
  int pty = (flags & BX_SPAWN_PTY) != 0;
  char path[4096];
  struct child ch = {0};
  int spawn_errno = resolve(argv[0], envp, path, sizeof path);
  int ok = spawn_errno == 0;
  if (ok && pty) {
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    ok = master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0 && (slave_name = ptsname(master));
    if (ok && ws.ws_row && ws.ws_col) ioctl(master, TIOCSWINSZ, &ws);
  } else if (ok) {
    ok = pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0 && pipe2(err, O_CLOEXEC) == 0;
  }
  if (!ok && !spawn_errno) spawn_errno = errno ? errno : EIO;
  pid_t pid = -1;
  if (ok) {
    ch = (struct child){.path = path, .argv = argv, .envp = envp, .cwd = cwd, .slave = slave_name,
                        .in_fd = in[0], .out_fd = out[1], .err_fd = err[1], .flags = flags, .uid = uid, .gid = gid};
    /* CLONE_VM|CLONE_VFORK: no page tables to copy and no copy-on-write faults in the
       agent afterwards; we resume once the child has exec'd or failed. */
    pid = clone(child_main, child_stack + sizeof child_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &ch);
    if (pid < 0) spawn_errno = errno;
    else if (ch.failed) spawn_errno = ch.failed; /* it exited 127; SIGCHLD reaps it, untracked */
  }
  close_fd(&in[0]), close_fd(&out[1]), close_fd(&err[1]);
  if (spawn_errno) {
    char msg[300];
    snprintf(msg, sizeof msg, "%s: %s", argv[0], strerror(spawn_errno));
    close_fd(&master), close_fd(&in[1]), close_fd(&out[0]), close_fd(&err[0]);
    send_error(id, spawn_errno, msg);
  } else {
    memset(p, 0, sizeof *p);
    p->id = id;
    p->pid = pid;
    p->pty = pty;
    if (pty) {
      p->in = p->out = master;
      p->err = -1;
    } else {
      p->in = in[1], p->out = out[0], p->err = err[0];
      set_nonblock(p->err);
    }
    set_nonblock(p->in);
    set_nonblock(p->out);
    uint8_t b[4];
    put32(b, (uint32_t)pid);
    send_frame(BX_STARTED, id, b, 4);
  }
  free(strs), free(argv), free(envp);
}

static void flush_stdin(struct proc *p) {
  while (p->backlog_len && p->in >= 0) {
    ssize_t w = write(p->in, p->backlog, p->backlog_len);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) proc_close_in(p); /* the reader is gone */
      break;
    }
    memmove(p->backlog, p->backlog + w, p->backlog_len - (size_t)w);
    p->backlog_len -= (size_t)w;
  }
  if (!p->backlog_len && p->close_in && p->in >= 0) proc_close_in(p);
}

/* Queue input for a process; returns 0 or an errno. */
static int proc_input(struct proc *p, const uint8_t *b, size_t len) {
  if (p->in < 0) return EPIPE;
  if (!len) return 0;
  if (p->backlog_len + len > MAX_STDIN_BACKLOG) return ENOBUFS;
  uint8_t *nb = realloc(p->backlog, p->backlog_len + len);
  if (!nb) return ENOMEM;
  memcpy(nb + p->backlog_len, b, len);
  p->backlog = nb;
  p->backlog_len += len;
  flush_stdin(p);
  return 0;
}

static void do_stdin(uint32_t id, const uint8_t *pl, uint32_t len) {
  struct proc *p = find(id);
  if (!p || p->in < 0) return;
  if (len == 0) {
    p->close_in = 1;
    flush_stdin(p);
    return;
  }
  int e = proc_input(p, pl, len);
  if (e == ENOBUFS) send_error(id, e, "stdin: backlog full, input dropped");
  else if (e) send_error(id, e, "stdin: out of memory");
}


/* ---- guest command sessions (protocol.h: BX_CMD_*) ---- */
static int cmd_listener = -1;
static uint32_t next_session = 1;

static struct session *find_session(uint32_t id) {
  for (int i = 0; i < MAX_SESSIONS; i++)
    if (sessions[i].id && sessions[i].id == id) return &sessions[i];
  return NULL;
}

static void tty_restore(struct session *s) {
  if (s->raw) tcsetattr(s->in, TCSANOW, &s->saved);
  s->raw = 0;
}

static void end_session(struct session *s, int tell_client) {
  uint32_t att = s->att;
  struct proc *p = att ? find(att) : NULL;
  if (p) p->attached--;
  tty_restore(s); /* before the client exits and its shell reads the terminal again */
  if (tell_client) {
    uint8_t b[4];
    put32(b, (uint32_t)s->code);
    write_all(s->sock, b, 4);
  }
  close_fd(&s->sock), close_fd(&s->in);
  for (int k = 0; k < 2; k++) close_fd(&s->out[k].fd), free(s->out[k].buf);
  memset(s, 0, sizeof *s);
  if (p) maybe_finish(p); /* its exit may have been waiting for this client's output */
}

static int session_drained(struct session *s) { return !s->out[0].len && !s->out[1].len; }

/* The descriptors belong to the learner's terminal or pipes, shared with their shell, so
   they stay blocking; a chunk is written only when poll says there is room for it. */
static void flush_out(struct outq *q) {
  while (q->len && q->fd >= 0) {
    struct pollfd pf = {q->fd, POLLOUT, 0};
    if (poll(&pf, 1, 0) <= 0) return;
    if (pf.revents & (POLLERR | POLLHUP | POLLNVAL)) {
      q->len = 0; /* the reader is gone: drop what it will never read */
      return;
    }
    ssize_t w = write(q->fd, q->buf, q->len < 4096 ? q->len : 4096);
    if (w <= 0) {
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && errno == EAGAIN) return;
      q->len = 0;
      return;
    }
    memmove(q->buf, q->buf + w, q->len - (size_t)w);
    q->len -= (size_t)w;
  }
}

/* Queue output for a client descriptor; returns 0 or an errno. */
static int outq_push(struct outq *q, const uint8_t *b, size_t len) {
  if (q->len + len > MAX_OUT_BACKLOG) return ENOBUFS;
  uint8_t *nb = realloc(q->buf, q->len + len);
  if (!nb) return ENOMEM;
  memcpy(nb + q->len, b, len);
  q->buf = nb;
  q->len += len;
  flush_out(q);
  return 0;
}

static void session_output(struct session *s, const uint8_t *pl, uint32_t len) {
  if (len < 1 || (pl[0] != 1 && pl[0] != 2)) return send_error(s->id, EINVAL, "output: bad fd");
  int e = outq_push(&s->out[pl[0] - 1], pl + 1, len - 1);
  if (e) send_error(s->id, e, e == ENOBUFS ? "output: backlog full, dropped" : "output: out of memory");
}

/* ---- attachments (BX_ATTACH): the agent relays between a client and a process ---- */

static void relay_output(struct proc *p, uint8_t type, const uint8_t *b, size_t n) {
  int k = type == BX_STDERR ? 1 : 0; /* a pty has only stdout: everything goes to fd 1 */
  unsigned want = k ? BX_ATT_STDERR : BX_ATT_STDOUT;
  for (int i = 0; i < MAX_SESSIONS; i++) {
    struct session *s = &sessions[i];
    if (s->id && s->att == p->id && (s->att_flags & want)) outq_push(&s->out[k], b, n); /* full: dropped */
  }
}

/*
 * crun's one line about a process it could not start ("executable file `x` not found in
 * $PATH: …", "open executable: Permission denied"), coloured and timestamped on a terminal.
 * It is the failure, not the container's output: Docker never shows it, it reports the
 * failure in its own words (runtime/exec-failure.ts holds it back from the host's copy).
 */
static int crun_failure_line(const uint8_t *b, size_t n) {
  char s[512];
  if (n < 2 || n >= sizeof s || b[n - 1] != '\n' || memchr(b, '\n', n - 1)) return 0;
  memcpy(s, b, n);
  s[n] = 0;
  const char *t = s;
  if (*t == '\033' && !(t = strchr(t, 'm'))) return 0;
  if (*s == '\033') t++;
  if (*t >= '0' && *t <= '9') {
    const char *z = strstr(t, "Z: ");
    if (!z || z - t > 40) return 0;
    t = z + 3;
  }
  return !strncmp(t, "executable file `", 17) || !strncmp(t, "open executable: ", 17);
}

/* Pass a held first chunk on to the attached clients (keep), or drop it. */
static void relay_release(struct proc *p, int keep) {
  uint8_t *h = p->held;
  if (!h) return;
  p->held = NULL;
  if (keep) relay_output(p, p->held_type, h, p->held_len);
  free(h);
}

/* A slow attached client holds the process back instead of growing its queue. */
static int relay_blocked(const struct proc *p) {
  for (int i = 0; i < MAX_SESSIONS; i++) {
    const struct session *s = &sessions[i];
    if (s->id && s->att == p->id && s->out[0].len + s->out[1].len > RELAY_HIGH) return 1;
  }
  return 0;
}

/* Once the attachment ended and its output is written: restore the tty, then report. */
static void attach_settle(struct session *s) {
  if (!s->settling || !session_drained(s)) return;
  s->settling = 0;
  tty_restore(s);
  for (uint8_t r = BX_DETACH_KEYS; r <= BX_DETACH_HOST; r++)
    if (s->notify & (1u << r)) send_frame(BX_DETACHED, s->id, &r, 1);
  s->notify = 0;
}

static void attach_end(struct session *s, unsigned notify) {
  struct proc *p = find(s->att);
  if (p) {
    p->attached--;
    /* a partial match of the detach keys was the learner's input after all */
    if (s->matched && (s->att_flags & BX_ATT_STDIN)) proc_input(p, s->keys, s->matched);
  }
  s->att = 0, s->att_flags = 0, s->matched = 0, s->in_done = 0;
  s->settling = 1;
  s->notify |= notify;
  attach_settle(s);
}

/* The process is reaped and drained: end its attachments once every client has its output. */
static int release_attached(struct proc *p) {
  for (int i = 0; i < MAX_SESSIONS; i++)
    if (sessions[i].id && sessions[i].att == p->id && !session_drained(&sessions[i])) return 0;
  for (int i = 0; i < MAX_SESSIONS; i++)
    if (sessions[i].id && sessions[i].att == p->id) attach_end(&sessions[i], 0);
  return 1;
}

/* The client's terminal size onto the process's pty; the kernel sends SIGWINCH on a change. */
static void apply_winsize(struct session *s, struct proc *p) {
  struct winsize ws;
  if (!p->pty || p->out < 0) return;
  if (ioctl(s->out[0].fd, TIOCGWINSZ, &ws) != 0 && ioctl(s->in, TIOCGWINSZ, &ws) != 0) return;
  if (ws.ws_row && ws.ws_col) ioctl(p->out, TIOCSWINSZ, &ws);
}

static void attach_reply(struct session *s, int err, const char *msg) {
  uint8_t b[128];
  size_t n = strlen(msg);
  if (n > sizeof b - 4) n = sizeof b - 4;
  put32(b, (uint32_t)err);
  memcpy(b + 4, msg, n);
  send_frame(BX_ATTACHED, s->id, b, 4 + n);
}

static void do_attach(struct session *s, const uint8_t *pl, uint32_t len) {
  if (len < 6 || pl[5] > BX_MAX_DETACH_KEYS || len != 6u + pl[5]) return attach_reply(s, EINVAL, "attach: bad payload");
  if (s->exiting) return attach_reply(s, EPIPE, "attach: the session is ending");
  if (s->att || s->settling) return attach_reply(s, EBUSY, "attach: the session is already attached");
  struct proc *p = find(get32(pl));
  if (!p || p->reaped) return attach_reply(s, ESRCH, "attach: no such process");
  s->att = p->id;
  p->attached++;
  s->att_flags = pl[4];
  s->nkeys = pl[5];
  memcpy(s->keys, pl + 6, s->nkeys);
  s->matched = 0, s->in_done = 0;
  s->in_tty = isatty(s->in);
  if ((s->att_flags & BX_ATT_RAW) && s->in_tty && tcgetattr(s->in, &s->saved) == 0) {
    struct termios t = s->saved;
    cfmakeraw(&t); /* as the docker CLI does: keys, ^C included, go to the container's tty */
    s->raw = tcsetattr(s->in, TCSANOW, &t) == 0;
  }
  apply_winsize(s, p);
  attach_reply(s, 0, "");
}

/* One byte of the client's input through the detach-key matcher; returns 1 on a full match. */
static int detach_feed(struct session *s, uint8_t c, uint8_t *out, size_t *o) {
  if (s->nkeys && c == s->keys[s->matched]) return ++s->matched == s->nkeys;
  if (!s->matched) {
    out[(*o)++] = c;
    return 0;
  }
  /* Not the sequence after all: deliver its first byte and match again from the next one. */
  uint8_t held[BX_MAX_DETACH_KEYS];
  unsigned m = s->matched;
  memcpy(held, s->keys, m);
  s->matched = 0;
  out[(*o)++] = held[0];
  for (unsigned j = 1; j < m; j++)
    if (detach_feed(s, held[j], out, o)) return 1;
  return detach_feed(s, c, out, o);
}

/* Read only what is there: the descriptor is shared and blocking, and another reader (the
   learner's shell) could take the bytes between poll and read. */
static ssize_t read_avail(int fd, uint8_t *buf, size_t n) {
  int avail = 0;
  if (ioctl(fd, FIONREAD, &avail) == 0 && avail > 0 && (size_t)avail < n) n = (size_t)avail;
  return read(fd, buf, n);
}

static void attach_stdin(struct session *s, short revents) {
  static uint8_t buf[READ_CHUNK], out[READ_CHUNK + BX_MAX_DETACH_KEYS];
  struct proc *p = find(s->att);
  if (!p) return;
  ssize_t n = read_avail(s->in, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  size_t o = 0;
  if (n > 0) {
    for (ssize_t i = 0; i < n; i++) {
      if (detach_feed(s, buf[i], out, &o)) { /* the rest of this read is dropped, as docker does */
        s->matched = 0; /* the sequence itself is never delivered */
        proc_input(p, out, o);
        attach_end(s, 1u << BX_DETACH_KEYS);
        return;
      }
    }
    proc_input(p, out, o);
    return;
  }
  /* End of input. A tty in canonical mode reads 0 for ^D and can go on; anything else ended. */
  int final = n < 0 || !s->in_tty || (revents & (POLLHUP | POLLERR));
  proc_input(p, s->keys, s->matched);
  s->matched = 0;
  if (p->pty) { /* a pty has no EOF of its own: send its EOF character, as the tty would */
    struct termios t;
    uint8_t eof = tcgetattr(p->out, &t) == 0 ? t.c_cc[VEOF] : 4;
    proc_input(p, &eof, 1);
  } else {
    p->close_in = 1;
    flush_stdin(p);
    final = 1;
  }
  if (final) s->in_done = 1;
}

static void maybe_end_session(struct session *s) {
  if (s->exiting && session_drained(s)) end_session(s, 1);
}

/* A client connected: take its request and descriptors, check the request and pass it on. */
static void accept_session(void) {
  int c = accept4(cmd_listener, NULL, NULL, SOCK_CLOEXEC);
  if (c < 0) return;
  struct session *s = NULL;
  for (int i = 0; i < MAX_SESSIONS && !s; i++)
    if (!sessions[i].id) s = &sessions[i];
  struct timeval tv = {2, 0}; /* a client that stalls mid-request must not stall the agent */
  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  uint8_t *msg = malloc(4 + BERTH_MAX_PAYLOAD);
  int fds[3] = {-1, -1, -1}, nfds = 0;
  size_t got = 0, want = 4;
  while (msg && got < want) {
    char control[CMSG_SPACE(sizeof fds)];
    struct iovec iov = {msg + got, want - got};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    ssize_t n = recvmsg(c, &mh, MSG_CMSG_CLOEXEC);
    if (n <= 0) break;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
      if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) continue;
      int k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
      for (int j = 0; j < k; j++) {
        int fd;
        memcpy(&fd, CMSG_DATA(cm) + j * sizeof(int), sizeof fd);
        if (nfds < 3) fds[nfds++] = fd;
        else close(fd);
      }
    }
    got += (size_t)n;
    if (got == 4 && want == 4) {
      uint32_t size = get32(msg);
      if (size < BERTH_CMD_START_HEADER || size > BERTH_MAX_PAYLOAD) break;
      want = 4 + size;
    }
  }
  const uint8_t *pl = msg ? msg + 4 : NULL;
  size_t len = want - 4;
  int ok = s && msg && want > 4 && got == want && nfds == 3;
  if (ok) { /* the strings must all be there and terminated, as for BX_SPAWN */
    unsigned count = 1 + get16(pl + 5) + get16(pl + 7);
    const char *q = (const char *)pl + BERTH_CMD_START_HEADER, *end = (const char *)pl + len;
    for (unsigned i = 0; i < count && ok; i++) {
      const char *z = memchr(q, 0, (size_t)(end - q));
      ok = z != NULL;
      if (z) q = z + 1;
    }
  }
  if (!ok) {
    for (int j = 0; j < nfds; j++) close(fds[j]);
    free(msg);
    uint8_t b[4];
    put32(b, 1);
    write_all(c, b, 4);
    close(c);
    return;
  }
  tv.tv_sec = 0;
  setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  memset(s, 0, sizeof *s);
  s->id = BX_SESSION_BIT | next_session++;
  if (next_session >= BX_SESSION_BIT) next_session = 1;
  s->sock = c;
  s->in = fds[0];
  s->out[0] = (struct outq){fds[1], NULL, 0};
  s->out[1] = (struct outq){fds[2], NULL, 0};
  send_frame(BX_CMD_START, s->id, pl, len);
  free(msg);
}

/* The client's socket spoke: a forwarded signal, or it went away. */
static void session_socket(struct session *s) {
  uint8_t b[4];
  ssize_t n = recv(s->sock, b, 4, MSG_DONTWAIT);
  if (n == 4 && get32(b) == SIGWINCH) {
    /* the client's terminal changed size: only an attached pty cares, and it is here */
    struct proc *p = s->att ? find(s->att) : NULL;
    if (p) apply_winsize(s, p);
  } else if (n == 4) {
    send_frame(BX_CMD_SIGNAL, s->id, b, 4);
  } else if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    send_frame(BX_CMD_GONE, s->id, NULL, 0);
    end_session(s, 0);
  }
}

static void session_stdin(struct session *s) {
  static uint8_t buf[READ_CHUNK];
  ssize_t n = read(s->in, buf, sizeof buf);
  if (n > 0) {
    send_frame(BX_CMD_STDIN, s->id, buf, (size_t)n);
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    send_frame(BX_CMD_STDIN, s->id, NULL, 0);
    s->reading = 0;
  }
}

/* A listening unix socket at `path`, or -1 (said on the console; the agent goes on without it). */
static int listen_unix(const char *path, mode_t mode) {
  unlink(path);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strcpy(addr.sun_path, path);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 16) != 0) {
    fprintf(stderr, "berth-agent: %s: %s\n", path, strerror(errno));
    close_fd(&fd);
    return -1;
  }
  chmod(path, mode);
  return fd;
}

static void open_cmd_socket(void) {
  mkdir("/run/berth", 0755);
  cmd_listener = listen_unix(BERTH_CMD_SOCKET, 0666);
}

/* ---- docker.sock: each connection's bytes go to the host's Engine API server ---- */
static int api_listener = -1;
static uint32_t next_conn = 1;

static struct conn *find_conn(uint32_t id) {
  for (int i = 0; i < MAX_CONNS; i++)
    if (conns[i].id && conns[i].id == id) return &conns[i];
  return NULL;
}

static void conn_close(struct conn *c) {
  send_frame(BX_SOCK_CLOSED, c->id, NULL, 0);
  close_fd(&c->fd);
  free(c->out.buf);
  memset(c, 0, sizeof *c);
}

/* Write what the socket takes, and acknowledge it a quarter window at a time (a frame per
   write would double the traffic). The host waits only with a whole window unacknowledged,
   so a quarter is always reached before it has to. */
static void conn_flush(struct conn *c) {
  size_t before = c->out.len;
  flush_out(&c->out);
  c->acked += before - c->out.len;
  if (c->acked >= BX_SOCK_WINDOW / 4) {
    uint8_t b[4];
    put32(b, (uint32_t)c->acked);
    send_frame(BX_SOCK_ACK, c->id, b, 4);
    c->acked = 0;
  }
  if (!c->out.len && c->shut == 1) {
    shutdown(c->fd, SHUT_WR);
    c->shut = 2;
  }
}

static void conn_write(struct conn *c, const uint8_t *pl, uint32_t len) {
  size_t before = c->out.len + len;
  if (!len) {
    if (!c->shut) c->shut = 1;
  } else if (c->shut || before > BX_SOCK_WINDOW || outq_push(&c->out, pl, len)) {
    /* past the window (or after a shutdown) the host broke the protocol: drop the client */
    return conn_close(c);
  }
  c->acked += before - c->out.len; /* outq_push wrote what the socket took at once */
  conn_flush(c);
}

static void accept_conn(void) {
  int fd = accept4(api_listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) return;
  struct conn *c = NULL;
  for (int i = 0; i < MAX_CONNS && !c; i++)
    if (!conns[i].id) c = &conns[i];
  if (!c) {
    close(fd); /* as a busy server: the client sees the connection reset */
    return;
  }
  c->id = next_conn++;
  if (next_conn == 0) next_conn = 1;
  c->fd = fd;
  c->out = (struct outq){fd, NULL, 0};
  send_frame(BX_SOCK_OPEN, c->id, NULL, 0);
}

static void conn_readable(struct conn *c, short revents) {
  static uint8_t buf[READ_CHUNK];
  if (!c->rd_done && (revents & POLLIN)) {
    ssize_t n = read(c->fd, buf, sizeof buf);
    if (n > 0) return send_frame(BX_SOCK_DATA, c->id, buf, (size_t)n);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n == 0) {
      c->rd_done = 1;
      return send_frame(BX_SOCK_DATA, c->id, NULL, 0);
    }
    return conn_close(c);
  }
  if (revents & (POLLHUP | POLLERR | POLLNVAL)) conn_close(c); /* the client is gone both ways */
}


static void handle_frame(uint8_t type, uint32_t id, const uint8_t *pl, uint32_t len) {
  struct conn *cn;
  struct proc *p;
  struct session *se;
  switch (type) {
  case BX_CMD_OUTPUT:
    if ((se = find_session(id)) && !se->exiting) session_output(se, pl, len);
    break;
  case BX_CMD_EXIT:
    if ((se = find_session(id)) && len >= 4) {
      if (se->att) attach_end(se, 0);
      se->exiting = 1;
      se->reading = 0;
      se->code = (int32_t)get32(pl);
      maybe_end_session(se);
    }
    break;
  case BX_CMD_READ:
    if ((se = find_session(id)) && len >= 1) se->reading = pl[0] != 0;
    break;
  case BX_ATTACH:
    if ((se = find_session(id))) do_attach(se, pl, len);
    break;
  case BX_DETACH:
    if (!(se = find_session(id))) break;
    if (se->att) {
      attach_end(se, 1u << BX_DETACH_HOST);
    } else if (se->settling) {
      se->notify |= 1u << BX_DETACH_HOST;
    } else {
      uint8_t r = BX_DETACH_HOST;
      send_frame(BX_DETACHED, id, &r, 1);
    }
    break;
  case BX_SOCK_WRITE:
    if ((cn = find_conn(id))) conn_write(cn, pl, len);
    break;
  case BX_SOCK_CLOSE:
    if ((cn = find_conn(id))) conn_close(cn);
    break;
  case BX_HELLO:
    if (len >= 8) {
      uint64_t ms = get32(pl) | (uint64_t)get32(pl + 4) << 32;
      struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
      clock_settime(CLOCK_REALTIME, &ts);
      int r = open("/dev/urandom", O_WRONLY | O_CLOEXEC);
      if (r >= 0) {
        write_all(r, pl + 8, len - 8);
        close(r);
      }
    }
    send_ready();
    break;
  case BX_SPAWN:
    do_spawn(id, pl, len);
    break;
  case BX_STDIN:
    do_stdin(id, pl, len);
    break;
  case BX_SIGNAL:
    if ((p = find(id)) && len >= 8 && !p->reaped) {
      int sig = (int)get32(pl);
      kill(get32(pl + 4) & BX_SIG_GROUP ? -p->pid : p->pid, sig);
    }
    break;
  case BX_RESIZE:
    if ((p = find(id)) && p->pty && p->out >= 0 && len >= 4) {
      struct winsize ws = {get16(pl), get16(pl + 2), 0, 0};
      ioctl(p->out, TIOCSWINSZ, &ws); /* the kernel sends SIGWINCH to the foreground group */
    }
    break;
  case BX_PING:
    send_frame(BX_PONG, id, pl, len);
    break;
  default:
    send_error(id, EPROTO, "unknown frame type");
  }
}

/* ---- reading the control channel: same resync rules as the host ---- */
static uint8_t rbuf[2 * (BERTH_HEADER_SIZE + BERTH_MAX_PAYLOAD)];
static size_t rlen;

static void consume(size_t n) {
  memmove(rbuf, rbuf + n, rlen - n);
  rlen -= n;
}

static void parse_frames(void) {
  for (;;) {
    size_t i = 0;
    while (i + 1 < rlen && !(rbuf[i] == BERTH_MAGIC0 && rbuf[i + 1] == BERTH_MAGIC1)) i++;
    if (i) consume(i);
    if (rlen < BERTH_HEADER_SIZE) {
      if (rlen == 1 && rbuf[0] != BERTH_MAGIC0) rlen = 0;
      return;
    }
    uint32_t len = get32(rbuf + 8);
    if (rbuf[2] != BERTH_PROTO_VERSION || len > BERTH_MAX_PAYLOAD || get32(rbuf + 16) != crc32(rbuf, 16)) {
      consume(1);
      continue;
    }
    if (rlen < BERTH_HEADER_SIZE + len) return;
    const uint8_t *pl = rbuf + BERTH_HEADER_SIZE;
    if (get32(rbuf + 12) != crc32(pl, len)) {
      send_error(0, EBADMSG, "frame payload CRC mismatch");
      consume(1);
      continue;
    }
    handle_frame(rbuf[3], get32(rbuf + 4), pl, len);
    consume(BERTH_HEADER_SIZE + len);
  }
}

static void reap(void) {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    for (int i = 0; i < MAX_PROCS; i++) {
      struct proc *p = &procs[i];
      if (p->pid != pid) continue;
      p->reaped = 1;
      p->status = status;
      if (p->pty) drain_and_close(p, &p->out, BX_STDOUT); /* background jobs must not hold the session open */
      maybe_finish(p);
    }
  }
}


/* ---- machine setup when running as /init ---- */
static void stage(const char *what) {
  char up[32] = "?";
  int fd = open("/proc/uptime", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t n = read(fd, up, sizeof up - 1);
    up[n > 0 ? n : 0] = 0;
    close(fd);
    char *sp = strchr(up, ' ');
    if (sp) *sp = 0;
  }
  fprintf(stderr, "berth-init: %s at %ss\n", what, up);
}

static int must(int ok, const char *what) {
  if (!ok) fprintf(stderr, "berth-init: %s: %s\n", what, strerror(errno));
  return ok;
}

static void mnt(const char *src, const char *dst, const char *type, unsigned long flags, const char *data) {
  must(mount(src, dst, type, flags, data) == 0, dst);
}

static void write_text(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  must(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text), path);
  if (fd >= 0) close(fd);
}

/*
 * crun's pivot_root cannot work while the root is the initramfs itself (it has no parent
 * mount), so the root becomes a tmpfs moved over it, holding bind mounts of the
 * initramfs's trees (writable, no copies).
 */
static void build_root(void) {
  mnt("devtmpfs", "/dev", "devtmpfs", 0, NULL);
  mkdir("/newroot", 0755);
  mnt("tmpfs", "/newroot", "tmpfs", 0, "size=90%,mode=755");
  static const char *trees[] = {"bin", "sbin", "lib", "usr", "etc", "var", "root"};
  static const char *empty[] = {"proc", "sys", "dev", "run", "mnt", "workspace"};
  char path[64];
  for (size_t i = 0; i < sizeof trees / sizeof *trees; i++) {
    snprintf(path, sizeof path, "/newroot/%s", trees[i]);
    mkdir(path, 0755);
    char src[64];
    snprintf(src, sizeof src, "/%s", trees[i]);
    mnt(src, path, NULL, MS_BIND | MS_REC, NULL);
  }
  for (size_t i = 0; i < sizeof empty / sizeof *empty; i++) {
    snprintf(path, sizeof path, "/newroot/%s", empty[i]);
    mkdir(path, 0755);
  }
  mkdir("/newroot/tmp", 01777);
  chmod("/newroot/tmp", 01777);
  mnt("/dev", "/newroot/dev", NULL, MS_MOVE, NULL);
  must(chdir("/newroot") == 0, "chdir /newroot");
  mnt(".", "/", NULL, MS_MOVE, NULL);
  must(chroot(".") == 0, "chroot");
  must(chdir("/") == 0, "chdir /");
}

static void machine_init(void) {
  setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
  mnt("proc", "/proc", "proc", 0, NULL);
  stage("building the root");
  umount("/proc");
  build_root();
  mnt("proc", "/proc", "proc", 0, NULL);
  stage("root ready");
  mnt("sysfs", "/sys", "sysfs", 0, NULL);
  mkdir("/dev/pts", 0755);
  mkdir("/dev/shm", 01777);
  mnt("devpts", "/dev/pts", "devpts", 0, "newinstance,ptmxmode=0666,mode=0620,gid=5");
  unlink("/dev/ptmx");
  must(symlink("pts/ptmx", "/dev/ptmx") == 0, "/dev/ptmx");
  mnt("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
  mnt("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
  mnt("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
  mkdir("/run/netns", 0755);
  mnt("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL);
  write_text("/sys/fs/cgroup/cgroup.subtree_control", "+cpu +memory +pids");
  /* crun copies itself into a sealed memfd and re-executes (runc's CVE-2019-5736 defence)
     unless its binary is on a read-only mount and _LIBCONTAINER_CLONED_BINARY=1 is set. */
  mnt("/usr/bin/crun", "/usr/bin/crun", NULL, MS_BIND, NULL);
  mnt(NULL, "/usr/bin/crun", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
  stage("mounts done");

  must(sethostname("berth", 5) == 0, "sethostname");
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  struct ifreq ifr = {0};
  strcpy(ifr.ifr_name, "lo");
  must(s >= 0 && ioctl(s, SIOCGIFFLAGS, &ifr) == 0, "lo flags");
  ifr.ifr_flags |= IFF_UP;
  must(ioctl(s, SIOCSIFFLAGS, &ifr) == 0, "lo up");
  if (s >= 0) close(s);

  /* The host's files: 9p (tag host9p) at a fixed path; the editor's workspace inside it. */
  mkdir("/mnt/berth", 0755);
  if (must(mount("host9p", "/mnt/berth", "9p", 0, "trans=virtio,version=9p2000.L,msize=131072") == 0, "9p mount")) {
    mkdir("/mnt/berth/workspace", 0755);
    mnt("/mnt/berth/workspace", "/workspace", NULL, MS_BIND, NULL);
  }
  stage("starting the agent");
}

int main(int argc, char **argv) {
  /* Run by the kernel as /init; its arguments are then boot parameters it did not know. */
  int as_init = getpid() == 1 && strcmp(argv[0], "/init") == 0;
  if (as_init) machine_init();
  const char *dev = !as_init && argc > 1 ? argv[1] : "/dev/hvc1";
  crc_init();
  signal(SIGPIPE, SIG_IGN);
  setpriority(PRIO_PROCESS, 0, -10); /* stay responsive (heartbeat) under a busy guest */
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  sigprocmask(SIG_BLOCK, &mask, NULL);
  int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);

  ctl = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (ctl < 0) {
    fprintf(stderr, "berth-agent: open %s: %s\n", dev, strerror(errno));
    for (;;) pause(); /* as PID 1, exiting would panic the kernel */
  }
  struct termios t;
  if (tcgetattr(ctl, &t) == 0) {
    cfmakeraw(&t);
    tcsetattr(ctl, TCSANOW, &t);
  }
  open_cmd_socket();
  api_listener = listen_unix(BERTH_API_SOCKET, 0660); /* dockerd's mode; the learner is root */
  fprintf(stderr, "berth-agent: ready on %s\n", dev);
  send_ready();

  enum { SLOTS = 4 + 3 * MAX_PROCS + 4 * MAX_SESSIONS + MAX_CONNS };
  struct pollfd pfd[SLOTS];
  struct { struct proc *p; struct session *s; struct conn *c; int which; } who[SLOTS];
  for (;;) {
    int n = 0;
    uint64_t now = now_us(), wait_us = 0; /* 0: no output is held back, poll without a timeout */
    pfd[n] = (struct pollfd){ctl, POLLIN, 0}, who[n].p = NULL, who[n].s = NULL, n++;
    pfd[n] = (struct pollfd){sfd, POLLIN, 0}, who[n].p = NULL, who[n].s = NULL, n++;
    pfd[n] = (struct pollfd){cmd_listener, POLLIN, 0}, who[n].p = NULL, who[n].s = NULL, n++;
    pfd[n] = (struct pollfd){api_listener, POLLIN, 0}, who[n].p = NULL, who[n].s = NULL, n++;
    for (int i = 0; i < MAX_CONNS; i++) {
      struct conn *c = &conns[i];
      if (!c->id) continue;
      /* events 0 after the client's EOF still reports its hangup */
      short ev = (short)((c->rd_done ? 0 : POLLIN) | (c->out.len ? POLLOUT : 0));
      pfd[n] = (struct pollfd){c->fd, ev, 0}, who[n].p = NULL, who[n].s = NULL, who[n].c = c, n++;
    }
    for (int i = 0; i < MAX_SESSIONS; i++) {
      struct session *se = &sessions[i];
      if (!se->id) continue;
      pfd[n] = (struct pollfd){se->sock, POLLIN, 0}, who[n].p = NULL, who[n].c = NULL, who[n].s = se, who[n].which = 0, n++;
      int read_in = se->reading;
      if (se->att && (se->att_flags & BX_ATT_STDIN)) { /* the attached process takes stdin, not the host */
        struct proc *ap = find(se->att);
        read_in = ap && ap->in >= 0 && !se->in_done && ap->backlog_len < RELAY_HIGH;
      }
      if (read_in && se->in >= 0) pfd[n] = (struct pollfd){se->in, POLLIN, 0}, who[n].p = NULL, who[n].c = NULL, who[n].s = se, who[n].which = 1, n++;
      for (int k = 0; k < 2; k++)
        if (se->out[k].len) pfd[n] = (struct pollfd){se->out[k].fd, POLLOUT, 0}, who[n].p = NULL, who[n].c = NULL, who[n].s = se, who[n].which = 2 + k, n++;
    }
    for (int i = 0; i < MAX_PROCS; i++) {
      struct proc *p = &procs[i];
      if (!p->pid) continue;
      int hold = p->attached && relay_blocked(p); /* read again once the clients caught up */
      if (!hold && p->hold_until > now && (p->out >= 0 || p->err >= 0)) {
        hold = 1;
        if (!wait_us || p->hold_until - now < wait_us) wait_us = p->hold_until - now;
      }
      if (p->out >= 0 && !hold) pfd[n] = (struct pollfd){p->out, POLLIN, 0}, who[n].p = p, who[n].c = NULL, who[n].s = NULL, who[n].which = 1, n++;
      if (p->err >= 0 && !hold) pfd[n] = (struct pollfd){p->err, POLLIN, 0}, who[n].p = p, who[n].c = NULL, who[n].s = NULL, who[n].which = 2, n++;
      if (p->in >= 0 && p->backlog_len && !p->pty)
        pfd[n] = (struct pollfd){p->in, POLLOUT, 0}, who[n].p = p, who[n].c = NULL, who[n].s = NULL, who[n].which = 0, n++;
    }
    struct timespec ts = {(time_t)(wait_us / 1000000u), (long)(wait_us % 1000000u) * 1000L};
    if (ppoll(pfd, (nfds_t)n, wait_us ? &ts : NULL, NULL) < 0) continue;
    if (pfd[2].revents & POLLIN) accept_session();
    if (pfd[3].revents & POLLIN) accept_conn();
    for (int k = 4; k < n; k++) {
      struct conn *cn = who[k].c;
      if (cn) {
        if (!pfd[k].revents || cn->fd != pfd[k].fd) continue;
        if (pfd[k].revents & POLLOUT) conn_flush(cn);
        if (cn->id) conn_readable(cn, pfd[k].revents);
        continue;
      }
      struct session *se = who[k].s;
      if (se) {
        if (!pfd[k].revents || !se->id) continue;
        if (who[k].which == 0) session_socket(se);
        else if (who[k].which == 1) {
          if (se->att_flags & BX_ATT_STDIN) attach_stdin(se, pfd[k].revents);
          else if (se->reading) session_stdin(se);
        } else {
          flush_out(&se->out[who[k].which - 2]);
        }
        if (!se->id) continue;
        attach_settle(se);
        struct proc *ap = se->att ? find(se->att) : NULL;
        if (ap) maybe_finish(ap); /* its exit may be waiting for this client's output */
        if (se->id) maybe_end_session(se);
        continue;
      }
      struct proc *p = who[k].p;
      if (!pfd[k].revents || !p->pid) continue;
      if (who[k].which == 0) {
        flush_stdin(p);
      } else {
        int *fd = who[k].which == 1 ? &p->out : &p->err;
        if (*fd != pfd[k].fd) continue;
        if (!pump(p, *fd, who[k].which == 1 ? BX_STDOUT : BX_STDERR)) {
          if (p->pty) p->in = -1;
          close_fd(fd);
          maybe_finish(p);
        }
      }
    }
    for (int i = 0; i < MAX_PROCS; i++)
      if (procs[i].pid && procs[i].pty && procs[i].backlog_len) flush_stdin(&procs[i]);
    if (pfd[1].revents) {
      struct signalfd_siginfo si;
      while (read(sfd, &si, sizeof si) == sizeof si) {}
      reap();
    }
    if (pfd[0].revents & POLLIN) {
      ssize_t r = read(ctl, rbuf + rlen, sizeof rbuf - rlen);
      if (r > 0) {
        rlen += (size_t)r;
        parse_frames();
        if (rlen == sizeof rbuf) rlen = 0; /* cannot happen with the resync rules; never wedge */
      }
    }
  }
}
