/*
 * Berth agent protocol, version 1. The TypeScript side is src/sandbox/protocol/.
 *
 * A frame is a 20-byte header and a payload. All integers are little-endian.
 *
 *   off size
 *   0   2    magic 0xB3 0x7E
 *   2   1    version (BERTH_PROTO_VERSION)
 *   3   1    type (BX_*)
 *   4   4    id: the process the frame is about (0 = the agent itself)
 *   8   4    payload length, at most BERTH_MAX_PAYLOAD
 *   12  4    CRC-32 (IEEE) of the payload
 *   16  4    CRC-32 of header bytes 0..15
 *
 * The header has its own CRC so a reader can reject a garbage length at once instead
 * of waiting for a payload that never comes. On any bad frame a reader drops one byte
 * and scans for the next magic.
 */
#ifndef BERTH_PROTOCOL_H
#define BERTH_PROTOCOL_H

#define BERTH_MAGIC0 0xB3
#define BERTH_MAGIC1 0x7E
#define BERTH_PROTO_VERSION 1
#define BERTH_HEADER_SIZE 20
#define BERTH_MAX_PAYLOAD 65536

/* host -> guest */
#define BX_HELLO 0x01  /* u64 unix time ms, then entropy bytes; agent answers BX_READY */
#define BX_SPAWN 0x02  /* u32 flags, u16 rows, u16 cols, u32 uid, u32 gid, u16 argc, u16 envc,
                          then NUL-terminated strings: cwd, argv..., env... */
#define BX_STDIN 0x03  /* bytes; an empty payload closes stdin */
#define BX_SIGNAL 0x04 /* u32 signal, u32 flags (BX_SIG_GROUP: the whole process group) */
#define BX_RESIZE 0x05 /* u16 rows, u16 cols */
#define BX_PING 0x06   /* any bytes, echoed in BX_PONG */
#define BX_CMD_OUTPUT 0x07 /* to a guest command session: u8 fd (1 or 2), then bytes */
#define BX_CMD_EXIT 0x08   /* end a guest command session: i32 exit code */
#define BX_CMD_READ 0x09   /* u8 1/0: start/stop forwarding the session's stdin */
#define BX_ATTACH 0x0A     /* to a session: u32 process id, u8 BX_ATT_* flags, u8 n, then n detach-key
                              bytes (n <= BX_MAX_DETACH_KEYS, 0 = none); answered by BX_ATTACHED */
#define BX_DETACH 0x0B     /* to a session: stop relaying; answered by BX_DETACHED (BX_DETACH_HOST) */
#define BX_SOCK_WRITE 0x0C /* to a docker.sock connection: bytes for the client (the host keeps at most
                              BX_SOCK_WINDOW unacknowledged); empty = no more (shutdown SHUT_WR) */
#define BX_SOCK_CLOSE 0x0D /* close a docker.sock connection; answered by BX_SOCK_CLOSED */

/* guest -> host */
#define BX_READY 0x81   /* u32 protocol version, then the agent's version string */
#define BX_STARTED 0x82 /* u32 pid */
#define BX_STDOUT 0x83  /* bytes */
#define BX_STDERR 0x84  /* bytes */
#define BX_EXIT 0x85    /* i32 exit code (or -1), i32 terminating signal (or 0) */
#define BX_ERROR 0x86   /* i32 errno, then a message; id 0 = about a frame the agent got */
#define BX_PONG 0x87    /* the BX_PING payload */
/*
 * Guest command sessions: a program in the guest (the `docker` client) hands the agent
 * its argv, cwd, environment and stdio over BERTH_CMD_SOCKET, and the host runs the
 * command. Session ids have BX_SESSION_BIT set, so they never collide with spawn ids.
 */
#define BX_CMD_START 0x88  /* u16 rows, u16 cols, u8 tty bits (1 stdin, 2 stdout, 4 stderr),
                              u16 argc, u16 envc, then NUL-terminated cwd, argv..., env... */
#define BX_CMD_STDIN 0x89  /* bytes from the session's stdin; empty = EOF */
#define BX_CMD_SIGNAL 0x8A /* u32 signal the client received (it forwards SIGINT, SIGTERM, SIGHUP;
                              its SIGWINCH stays in the agent, which resizes an attached pty) */
#define BX_CMD_GONE 0x8B   /* the client went away before BX_CMD_EXIT */
#define BX_ATTACHED 0x8C   /* i32 errno (0 = relaying now), then a message when it failed */
#define BX_DETACHED 0x8D   /* u8 reason: BX_DETACH_KEYS or BX_DETACH_HOST; the client's tty is restored */
/*
 * docker.sock: the agent listens on BERTH_API_SOCKET and relays each connection's bytes to
 * the host, which serves the Engine API on them. Connection ids are their own space.
 */
#define BX_SOCK_OPEN 0x8E   /* a client connected */
#define BX_SOCK_DATA 0x8F   /* bytes from the client; empty = it shut down its writing side */
#define BX_SOCK_ACK 0x90    /* u32: this many more BX_SOCK_WRITE bytes reached the client (or were dropped
                               with it), so the host may send that many more */
#define BX_SOCK_CLOSED 0x91 /* the connection is gone; its id is free */
#define BX_SOCK_WINDOW (256u << 10)
#define BERTH_API_SOCKET "/var/run/docker.sock"
#define BX_SESSION_BIT 0x80000000u
#define BERTH_CMD_SOCKET "/run/berth/cmd.sock"
#define BERTH_CMD_START_HEADER 9

/*
 * Attach: the agent relays between a session's client descriptors and a spawned process
 * itself (no host round trip per keystroke). The host still gets the process's STDOUT and
 * STDERR frames. The attachment ends on BX_DETACH, on the detach keys, when the session
 * ends, or when the process exits: its BX_EXIT is sent only after all its output reached
 * every attached client.
 */
#define BX_ATT_STDIN 1u  /* the client's stdin goes to the process's stdin (not to the host) */
#define BX_ATT_STDOUT 2u /* the process's stdout (with a pty: everything) to the client's fd 1 */
#define BX_ATT_STDERR 4u /* the process's stderr to the client's fd 2 */
#define BX_ATT_RAW 8u    /* raw mode on the client's stdin while attached, if it is a tty */
#define BX_MAX_DETACH_KEYS 16
#define BX_DETACH_KEYS 1 /* the client typed the detach keys */
#define BX_DETACH_HOST 2 /* the answer to BX_DETACH */

/* BX_SPAWN flags */
#define BX_SPAWN_PTY 1u    /* stdio on a new pty (stdout only; no stderr frames) */
#define BX_SPAWN_SETUID 2u /* switch to uid/gid before exec */

/* BX_SIGNAL flags */
#define BX_SIG_GROUP 1u

#endif
