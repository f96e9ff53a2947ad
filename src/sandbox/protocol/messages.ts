// Typed payloads of the agent protocol. Guest frames are untrusted: parseAgentFrame
// checks every field and turns anything malformed into { kind: "invalid" }.
import { FrameType, type Frame } from "./frame";

export const SPAWN_PTY = 1;
export const SPAWN_SETUID = 2;
export const SIG_GROUP = 1;
/** Guest command sessions have ids with this bit; spawned processes never do. */
export const SESSION_BIT = 0x80000000;
const CMD_START_HEADER = 9;
/** BX_ATT_* flags of an ATTACH. */
export const ATT_STDIN = 1;
export const ATT_STDOUT = 2;
export const ATT_STDERR = 4;
export const ATT_RAW = 8;
export const MAX_DETACH_KEYS = 16;
/** Why the agent reports DETACHED. */
export const DETACH_KEYS = 1;
export const DETACH_HOST = 2;
/** Bytes of SOCK_WRITE the host may have sent to a docker.sock connection and not seen acknowledged. */
export const SOCK_WINDOW = 256 << 10;

export type AgentMessage =
  | { kind: "ready"; protocol: number; agent: string }
  | { kind: "started"; id: number; pid: number }
  | { kind: "stdout" | "stderr"; id: number; data: Uint8Array }
  | { kind: "exit"; id: number; code: number | null; signal: number | null }
  | { kind: "error"; id: number; errno: number; message: string }
  | { kind: "pong"; id: number; payload: Uint8Array }
  | {
      kind: "cmd-start";
      id: number;
      rows: number;
      cols: number;
      tty: { stdin: boolean; stdout: boolean; stderr: boolean };
      cwd: string;
      argv: string[];
      env: string[];
    }
  | { kind: "cmd-stdin"; id: number; data: Uint8Array }
  | { kind: "cmd-signal"; id: number; signal: number }
  | { kind: "cmd-gone"; id: number }
  /** The answer to ATTACH: errno 0 means the agent relays now. */
  | { kind: "cmd-attached"; id: number; errno: number; message: string }
  /** Relaying ended and the client's tty is restored: the learner typed the detach keys, or the answer to DETACH. */
  | { kind: "cmd-detached"; id: number; reason: "keys" | "host" }
  /** docker.sock: a client connected, sent bytes (empty: its EOF), took bytes, or is gone. */
  | { kind: "sock-open"; id: number }
  | { kind: "sock-data"; id: number; data: Uint8Array }
  | { kind: "sock-ack"; id: number; bytes: number }
  | { kind: "sock-closed"; id: number }
  | { kind: "invalid"; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: false });
const enc = new TextEncoder();

function dv(p: Uint8Array): DataView {
  return new DataView(p.buffer, p.byteOffset, p.byteLength);
}

/** Printable, bounded text from guest bytes. */
function text(p: Uint8Array, max = 4096): string {
  // eslint-disable-next-line no-control-regex
  return utf8.decode(p.subarray(0, max)).replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "?");
}

export function parseAgentFrame(f: Frame): AgentMessage {
  const p = f.payload;
  switch (f.type) {
    case FrameType.Ready:
      if (p.length < 4) return { kind: "invalid", reason: "ready: short payload" };
      return { kind: "ready", protocol: dv(p).getUint32(0, true), agent: text(p.subarray(4), 128) };
    case FrameType.Started: {
      if (p.length !== 4 || f.id === 0) return { kind: "invalid", reason: "started: bad payload" };
      const pid = dv(p).getUint32(0, true);
      if (pid < 1 || pid > 4194304) return { kind: "invalid", reason: "started: bad pid" };
      return { kind: "started", id: f.id, pid };
    }
    case FrameType.Stdout:
    case FrameType.Stderr:
      if (f.id === 0) return { kind: "invalid", reason: "output for id 0" };
      return { kind: f.type === FrameType.Stdout ? "stdout" : "stderr", id: f.id, data: p };
    case FrameType.Exit: {
      if (p.length !== 8 || f.id === 0) return { kind: "invalid", reason: "exit: bad payload" };
      const code = dv(p).getInt32(0, true);
      const signal = dv(p).getInt32(4, true);
      if (code < -1 || code > 255 || signal < 0 || signal > 64) return { kind: "invalid", reason: "exit: out of range" };
      return { kind: "exit", id: f.id, code: code === -1 ? null : code, signal: signal === 0 ? null : signal };
    }
    case FrameType.Error:
      if (p.length < 4) return { kind: "invalid", reason: "error: short payload" };
      return { kind: "error", id: f.id, errno: dv(p).getInt32(0, true), message: text(p.subarray(4), 512) };
    case FrameType.Pong:
      return { kind: "pong", id: f.id, payload: p };
    case FrameType.CmdStart:
      return parseCmdStart(f.id, p);
    case FrameType.CmdStdin:
      if (!isSession(f.id)) return { kind: "invalid", reason: "stdin for a non-session id" };
      return { kind: "cmd-stdin", id: f.id, data: p };
    case FrameType.CmdSignal: {
      if (!isSession(f.id) || p.length !== 4) return { kind: "invalid", reason: "signal: bad frame" };
      const signal = dv(p).getUint32(0, true);
      if (signal < 1 || signal > 64) return { kind: "invalid", reason: "signal: out of range" };
      return { kind: "cmd-signal", id: f.id, signal };
    }
    case FrameType.CmdGone:
      if (!isSession(f.id)) return { kind: "invalid", reason: "gone for a non-session id" };
      return { kind: "cmd-gone", id: f.id };
    case FrameType.Attached: {
      if (!isSession(f.id) || p.length < 4) return { kind: "invalid", reason: "attached: bad frame" };
      const errno = dv(p).getInt32(0, true);
      if (errno < 0 || errno > 4095) return { kind: "invalid", reason: "attached: errno out of range" };
      return { kind: "cmd-attached", id: f.id, errno, message: text(p.subarray(4), 128) };
    }
    case FrameType.Detached: {
      if (!isSession(f.id) || p.length !== 1) return { kind: "invalid", reason: "detached: bad frame" };
      if (p[0] !== DETACH_KEYS && p[0] !== DETACH_HOST) return { kind: "invalid", reason: "detached: unknown reason" };
      return { kind: "cmd-detached", id: f.id, reason: p[0] === DETACH_KEYS ? "keys" : "host" };
    }
    case FrameType.SockOpen:
    case FrameType.SockClosed:
      if (f.id === 0 || p.length !== 0) return { kind: "invalid", reason: "socket: bad open/closed frame" };
      return { kind: f.type === FrameType.SockOpen ? "sock-open" : "sock-closed", id: f.id };
    case FrameType.SockData:
      if (f.id === 0) return { kind: "invalid", reason: "socket data for id 0" };
      return { kind: "sock-data", id: f.id, data: p };
    case FrameType.SockAck: {
      if (f.id === 0 || p.length !== 4) return { kind: "invalid", reason: "socket ack: bad frame" };
      const bytes = dv(p).getUint32(0, true);
      if (bytes < 1 || bytes > SOCK_WINDOW) return { kind: "invalid", reason: "socket ack: out of range" };
      return { kind: "sock-ack", id: f.id, bytes };
    }
    default:
      return { kind: "invalid", reason: `unknown frame type 0x${f.type.toString(16)}` };
  }
}

const isSession = (id: number) => (id & SESSION_BIT) !== 0;
const strict = new TextDecoder("utf-8", { fatal: true });

function parseCmdStart(id: number, p: Uint8Array): AgentMessage {
  if (!isSession(id)) return { kind: "invalid", reason: "command start for a non-session id" };
  if (p.length < CMD_START_HEADER) return { kind: "invalid", reason: "command start: short payload" };
  const d = dv(p);
  const argc = d.getUint16(5, true);
  const envc = d.getUint16(7, true);
  if (argc < 1) return { kind: "invalid", reason: "command start: no argv" };
  const strings: string[] = [];
  let off = CMD_START_HEADER;
  for (let i = 0; i < 1 + argc + envc; i++) {
    const end = p.indexOf(0, off);
    if (end < 0) return { kind: "invalid", reason: "command start: unterminated string" };
    try {
      strings.push(strict.decode(p.subarray(off, end)));
    } catch {
      return { kind: "invalid", reason: "command start: invalid UTF-8" };
    }
    off = end + 1;
  }
  const bits = p[4]!;
  return {
    kind: "cmd-start",
    id,
    rows: d.getUint16(0, true),
    cols: d.getUint16(2, true),
    tty: { stdin: (bits & 1) !== 0, stdout: (bits & 2) !== 0, stderr: (bits & 4) !== 0 },
    cwd: strings[0]!,
    argv: strings.slice(1, 1 + argc),
    env: strings.slice(1 + argc),
  };
}

export function encodeCmdOutput(fd: 1 | 2, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + data.length);
  out[0] = fd;
  out.set(data, 1);
  return out;
}

export function encodeCmdExit(code: number): Uint8Array {
  const out = new Uint8Array(4);
  dv(out).setInt32(0, code, true);
  return out;
}

export interface AttachRequest {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  raw: boolean;
  detachKeys: Uint8Array;
}

export function encodeAttach(processId: number, req: AttachRequest): Uint8Array {
  if (req.detachKeys.length > MAX_DETACH_KEYS) throw new RangeError(`attach: at most ${MAX_DETACH_KEYS} detach keys`);
  if ((processId & SESSION_BIT) !== 0 || processId === 0) throw new RangeError("attach: not a process id");
  const out = new Uint8Array(6 + req.detachKeys.length);
  dv(out).setUint32(0, processId, true);
  out[4] =
    (req.stdin ? ATT_STDIN : 0) | (req.stdout ? ATT_STDOUT : 0) | (req.stderr ? ATT_STDERR : 0) | (req.raw ? ATT_RAW : 0);
  out[5] = req.detachKeys.length;
  out.set(req.detachKeys, 6);
  return out;
}

export interface SpawnRequest {
  argv: string[];
  cwd: string;
  env: string[];
  pty?: { rows: number; cols: number };
  uid?: number;
  gid?: number;
}

function hasNul(s: string): boolean {
  return s.includes("\0");
}

export function encodeSpawn(req: SpawnRequest): Uint8Array {
  if (!req.argv.length) throw new Error("spawn: empty argv");
  const strings = [req.cwd, ...req.argv, ...req.env];
  if (strings.some(hasNul)) throw new Error("spawn: strings must not contain NUL");
  const parts = strings.map((s) => enc.encode(s + "\0"));
  const size = 20 + parts.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(size);
  const d = dv(out);
  const setuid = req.uid !== undefined || req.gid !== undefined;
  d.setUint32(0, (req.pty ? SPAWN_PTY : 0) | (setuid ? SPAWN_SETUID : 0), true);
  d.setUint16(4, req.pty?.rows ?? 0, true);
  d.setUint16(6, req.pty?.cols ?? 0, true);
  d.setUint32(8, req.uid ?? 0, true);
  d.setUint32(12, req.gid ?? req.uid ?? 0, true);
  d.setUint16(16, req.argv.length, true);
  d.setUint16(18, req.env.length, true);
  let off = 20;
  for (const b of parts) {
    out.set(b, off);
    off += b.length;
  }
  return out;
}

export function encodeHello(nowMs: number, entropy: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + entropy.length);
  const d = dv(out);
  d.setUint32(0, nowMs % 2 ** 32, true);
  d.setUint32(4, Math.floor(nowMs / 2 ** 32), true);
  out.set(entropy, 8);
  return out;
}

export function encodeSignal(signo: number, group: boolean): Uint8Array {
  const out = new Uint8Array(8);
  dv(out).setUint32(0, signo, true);
  dv(out).setUint32(4, group ? SIG_GROUP : 0, true);
  return out;
}

export function encodeResize(rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(4);
  dv(out).setUint16(0, Math.max(1, Math.min(rows, 0xffff)), true);
  dv(out).setUint16(2, Math.max(1, Math.min(cols, 0xffff)), true);
  return out;
}
