// The host half of the agent protocol: spawns guest processes and routes their frames.
// Everything the guest sends is validated (protocol/messages.ts); frames that do not fit
// the state of a process are counted and dropped, never trusted.
import { encodeFrame, FrameDecoder, FrameType, PROTOCOL_VERSION } from "./protocol/frame";
import { DEFAULT_DETACH_KEYS } from "./detach-keys";
import {
  encodeAttach,
  encodeCmdExit,
  encodeCmdOutput,
  encodeHello,
  encodeResize,
  encodeSignal,
  encodeSpawn,
  parseAgentFrame,
  type AgentMessage,
  type SpawnRequest,
} from "./protocol/messages";
import { SocketRelay } from "./socket-relay";
import type { AttachOptions, ExitStatus, GuestCommand, GuestProcess, ProcessEvents } from "./types";

/** An ATTACH or DETACH the agent has not answered yet; it answers in order. */
type PendingOp = { op: "attach"; resolve: () => void; reject: (e: Error) => void } | { op: "detach"; resolve: () => void };

interface Session {
  stdin?: (d: Uint8Array) => void;
  signal?: (s: number) => void;
  gone?: () => void;
  detached?: () => void;
  done: boolean;
  pending: PendingOp[];
}

const NO_ENGINE = "docker: the Berth engine is not running in this page, so docker commands cannot run yet.\n";

interface Pending {
  events: ProcessEvents;
  resolveStart: (pid: number) => void;
  rejectStart: (e: Error) => void;
  resolveExit: (s: ExitStatus) => void;
  started: boolean;
}

export class SpawnError extends Error {
  constructor(
    message: string,
    readonly errno: number,
  ) {
    super(message);
  }
}

/** An attach the agent refused (errno ESRCH: no such process, EBUSY: already attached). */
export class AttachError extends Error {
  constructor(
    message: string,
    readonly errno: number,
  ) {
    super(message);
  }
}

const EPIPE = 32;

export class AgentClient {
  private decoder: FrameDecoder;
  private procs = new Map<number, Pending>();
  private nextId = 1;
  private readyWaiters: Array<() => void> = [];
  private pongWaiters = new Map<number, () => void>();
  private sessions = new Map<number, Session>();
  /** Who serves guest commands; see Sandbox.onGuestCommand. */
  commandHandler: ((cmd: GuestCommand) => void) | null = null;
  private enc = new TextEncoder();
  /** Frames from the guest that were malformed or did not fit; for diagnostics and tests. */
  protocolErrors = 0;
  lastError = "";
  agentVersion = "";
  lastPongAt = 0;
  /** docker.sock connections; see HostSandbox.onSocketConnection. */
  readonly sockets: SocketRelay;

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.decoder = new FrameDecoder(
      (f) => this.onMessage(parseAgentFrame(f)),
      (e) => this.fault(`bad frame from guest (${e})`),
    );
    this.sockets = new SocketRelay(send, (reason) => this.fault(reason));
  }

  /** Feed bytes received from the guest. */
  receive(bytes: Uint8Array): void {
    this.decoder.push(bytes);
  }

  /** Called periodically: drops a half-received frame whose sender went quiet. */
  tick(now = Date.now()): void {
    this.decoder.checkStall(now);
  }

  private fault(reason: string): void {
    this.protocolErrors++;
    this.lastError = reason;
    if (this.protocolErrors <= 20) this.log(`[agent] ${reason}`);
  }

  /** Resolves on the next READY. `hello` also sets the guest clock and seeds its entropy. */
  waitReady(): Promise<void> {
    return new Promise((r) => this.readyWaiters.push(r));
  }

  hello(): void {
    const entropy = new Uint8Array(64);
    crypto.getRandomValues(entropy);
    this.send(encodeFrame(FrameType.Hello, 0, encodeHello(Date.now(), entropy)));
  }

  ping(): Promise<void> {
    const n = this.nextId++;
    const p = new Promise<void>((r) => this.pongWaiters.set(n, r));
    this.send(encodeFrame(FrameType.Ping, n));
    return p;
  }

  spawn(req: SpawnRequest, events: ProcessEvents = {}): Promise<GuestProcess> {
    const id = this.nextId++;
    if (this.nextId > 0x7fffffff) this.nextId = 1;
    let resolveExit!: (s: ExitStatus) => void;
    const exited = new Promise<ExitStatus>((r) => (resolveExit = r));
    const started = new Promise<number>((resolveStart, rejectStart) => {
      this.procs.set(id, { events, resolveStart, rejectStart, resolveExit, started: false });
    });
    this.send(encodeFrame(FrameType.Spawn, id, encodeSpawn(req)));
    const send = this.send;
    return started.then((pid) => {
      const proc: GuestProcess = {
        id,
        pid,
        exited,
        write: (data) => {
          const bytes = typeof data === "string" ? this.enc.encode(data) : data;
          for (let off = 0; off < bytes.length; off += 32768) {
            send(encodeFrame(FrameType.Stdin, id, bytes.subarray(off, off + 32768)));
          }
        },
        closeStdin: () => send(encodeFrame(FrameType.Stdin, id)),
        resize: (rows, cols) => send(encodeFrame(FrameType.Resize, id, encodeResize(rows, cols))),
        signal: (signo, group = false) => send(encodeFrame(FrameType.Signal, id, encodeSignal(signo, group))),
      };
      return proc;
    });
  }

  /** Relay between guest command `session` and process `processId` inside the guest (GuestCommand.attach). */
  attach(session: number, processId: number, opts: AttachOptions = {}): Promise<void> {
    const s = this.sessions.get(session);
    if (!s || s.done) return Promise.reject(new AttachError("attach: the command has ended", EPIPE));
    let payload: Uint8Array;
    try {
      payload = encodeAttach(processId, {
        stdin: opts.stdin ?? false,
        stdout: opts.stdout ?? true,
        stderr: opts.stderr ?? true,
        raw: opts.rawTty ?? false,
        detachKeys: opts.detachKeys ?? DEFAULT_DETACH_KEYS,
      });
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return new Promise<void>((resolve, reject) => {
      s.pending.push({ op: "attach", resolve, reject });
      this.send(encodeFrame(FrameType.Attach, session, payload));
    });
  }

  /** Stop relaying for `session`; resolves once its client's output is out and its tty restored. */
  detach(session: number): Promise<void> {
    const s = this.sessions.get(session);
    if (!s || s.done) return Promise.resolve();
    return new Promise<void>((resolve) => {
      s.pending.push({ op: "detach", resolve });
      this.send(encodeFrame(FrameType.Detach, session));
    });
  }

  private endSession(id: number, s: Session): void {
    s.done = true;
    this.sessions.delete(id);
    // The agent drops a session's attachment with it; nothing more will be answered.
    for (const op of s.pending.splice(0)) {
      if (op.op === "attach") op.reject(new AttachError("attach: the command has ended", EPIPE));
      else op.resolve();
    }
  }

  /** Fail everything in flight (the VM is gone). */
  abort(reason: string): void {
    this.sockets.abort();
    for (const [id, s] of this.sessions) {
      this.endSession(id, s);
      s.gone?.();
    }
    this.sessions.clear();
    for (const [id, p] of this.procs) {
      if (!p.started) {
        p.rejectStart(new Error(reason));
      } else {
        const status = { code: null, signal: 9 };
        p.events.onExit?.(status);
        p.resolveExit(status);
      }
      this.procs.delete(id);
    }
  }

  private startCommand(m: Extract<AgentMessage, { kind: "cmd-start" }>): void {
    const id = m.id;
    if (this.sessions.has(id)) return this.fault(`second start for session ${id}`);
    const session: Session = { done: false, pending: [] };
    this.sessions.set(id, session);
    const send = this.send;
    const cmd: GuestCommand = {
      argv: m.argv,
      cwd: m.cwd,
      env: m.env,
      tty: m.tty,
      size: { rows: m.rows, cols: m.cols },
      write: (fd, data) => {
        if (session.done) return;
        const bytes = typeof data === "string" ? this.enc.encode(data) : data;
        for (let off = 0; off < bytes.length; off += 32768) {
          send(encodeFrame(FrameType.CmdOutput, id, encodeCmdOutput(fd, bytes.subarray(off, off + 32768))));
        }
      },
      readStdin: (on) => {
        if (!session.done) send(encodeFrame(FrameType.CmdRead, id, new Uint8Array([on ? 1 : 0])));
      },
      onStdin: (cb) => void (session.stdin = cb),
      onSignal: (cb) => void (session.signal = cb),
      onGone: (cb) => void (session.gone = cb),
      exit: (code) => {
        if (session.done) return;
        this.endSession(id, session);
        send(encodeFrame(FrameType.CmdExit, id, encodeCmdExit(code & 0xff)));
      },
      attach: (process, opts) => this.attach(id, process.id, opts),
      detach: () => this.detach(id),
      onDetached: (cb) => void (session.detached = cb),
    };
    const handler = this.commandHandler;
    if (!handler) {
      cmd.write(2, NO_ENGINE);
      cmd.exit(1);
      return;
    }
    try {
      handler(cmd);
    } catch (e) {
      cmd.write(2, `docker: internal error in the Berth engine: ${e instanceof Error ? e.message : String(e)}\n`);
      cmd.exit(1);
    }
  }

  private onMessage(m: AgentMessage): void {
    switch (m.kind) {
      case "cmd-start":
        return this.startCommand(m);
      case "cmd-stdin":
      case "cmd-signal":
      case "cmd-gone":
      case "cmd-attached":
      case "cmd-detached": {
        const s = this.sessions.get(m.id);
        if (!s) return; // it may have ended a moment ago; not a fault
        if (m.kind === "cmd-stdin") s.stdin?.(m.data);
        else if (m.kind === "cmd-signal") s.signal?.(m.signal);
        else if (m.kind === "cmd-gone") {
          this.endSession(m.id, s);
          s.gone?.();
        } else if (m.kind === "cmd-detached" && m.reason === "keys") {
          s.detached?.();
        } else {
          const want = m.kind === "cmd-attached" ? "attach" : "detach";
          const op = s.pending[0];
          if (op?.op !== want) return this.fault(`${m.kind} without a pending ${want} for session ${m.id}`);
          s.pending.shift();
          if (op.op === "detach") op.resolve();
          else if (m.kind === "cmd-attached" && m.errno !== 0) op.reject(new AttachError(m.message, m.errno));
          else op.resolve();
        }
        return;
      }
      case "sock-open":
      case "sock-data":
      case "sock-ack":
      case "sock-closed":
        return this.sockets.handle(m);
      case "invalid":
        return this.fault(m.reason);
      case "ready":
        if (m.protocol !== PROTOCOL_VERSION) return this.fault(`agent speaks protocol ${m.protocol}`);
        this.agentVersion = m.agent;
        this.lastPongAt = Date.now();
        for (const w of this.readyWaiters.splice(0)) w();
        return;
      case "pong": {
        this.lastPongAt = Date.now();
        const w = this.pongWaiters.get(m.id);
        if (w) {
          this.pongWaiters.delete(m.id);
          w();
        }
        return;
      }
      case "error": {
        const p = this.procs.get(m.id);
        if (p && !p.started) {
          this.procs.delete(m.id);
          p.rejectStart(new SpawnError(m.message, m.errno));
        } else {
          this.log(`[agent] error ${m.errno}: ${m.message}`);
        }
        return;
      }
    }
    const p = this.procs.get(m.id);
    if (!p) return this.fault(`${m.kind} for unknown process ${m.id}`);
    switch (m.kind) {
      case "started":
        if (p.started) return this.fault(`second start for process ${m.id}`);
        p.started = true;
        p.resolveStart(m.pid);
        return;
      case "stdout":
      case "stderr":
        if (!p.started) return this.fault(`output before start for process ${m.id}`);
        (m.kind === "stdout" ? p.events.onStdout : p.events.onStderr)?.(m.data);
        return;
      case "exit":
        if (!p.started) return this.fault(`exit before start for process ${m.id}`);
        this.procs.delete(m.id);
        const status = { code: m.code, signal: m.signal };
        p.events.onExit?.(status);
        p.resolveExit(status);
        return;
    }
  }
}
