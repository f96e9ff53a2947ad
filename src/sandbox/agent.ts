// The host half of the agent protocol: spawns guest processes and routes their frames.
// Everything the guest sends is validated (protocol/messages.ts); frames that do not fit
// the state of a process are counted and dropped, never trusted.
import { encodeFrame, FrameDecoder, FrameType, PROTOCOL_VERSION } from "./protocol/frame";
import { encodeHello, encodeResize, encodeSignal, encodeSpawn, parseAgentFrame, type SpawnRequest } from "./protocol/messages";
import type { ExitStatus, GuestProcess, ProcessEvents } from "./types";

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

export class AgentClient {
  private decoder: FrameDecoder;
  private procs = new Map<number, Pending>();
  private nextId = 1;
  private readyWaiters: Array<() => void> = [];
  private pongWaiters = new Map<number, () => void>();
  private enc = new TextEncoder();
  /** Frames from the guest that were malformed or did not fit; for diagnostics and tests. */
  protocolErrors = 0;
  lastError = "";
  agentVersion = "";
  lastPongAt = 0;

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.decoder = new FrameDecoder(
      (f) => this.onMessage(parseAgentFrame(f)),
      (e) => this.fault(`bad frame from guest (${e})`),
    );
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

  /** Fail everything in flight (the VM is gone). */
  abort(reason: string): void {
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

  private onMessage(m: ReturnType<typeof parseAgentFrame>): void {
    switch (m.kind) {
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
