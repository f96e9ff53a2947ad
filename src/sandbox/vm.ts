// A running Berth VM: v86 plus the agent channel, the workspace share and a health
// monitor. The same class runs in a browser worker and in Node; only the way images are
// loaded differs (see node.ts and worker.ts).
import { V86 } from "v86";
import { AgentClient } from "./agent";
import { concat } from "./bytes";
import { ControlPort } from "./control-port";
import { DEFAULT_ENV } from "./env";
import { MACHINE, v86Options, type MachineImages } from "./machine";
import { restoreWithoutZeroing } from "./v86-restore";
import type { ByteStream, ExecResult, GuestCommand, GuestProcess, HostSandbox, ProcessEvents, SpawnOptions, VmStatus } from "./types";
import { WorkspaceFsImpl, type V86Fs } from "./workspace-fs";

export interface ImageSource {
  /** Images for a restore from the snapshot, or null when there is no usable snapshot. */
  snapshot(): Promise<MachineImages | null>;
  /** Images for a cold boot of the kernel. */
  coldBoot(): Promise<MachineImages>;
}

export interface VmOptions {
  /** No PONG for this long means the guest hung. */
  hangTimeoutMs?: number;
  heartbeatMs?: number;
  /** How long a restored VM may take to answer before we fall back to a cold boot. */
  restoreTimeoutMs?: number;
  coldBootTimeoutMs?: number;
  /** Skip the snapshot (used to build it, and by the cold-boot benchmark). */
  forceColdBoot?: boolean;
}

const PANIC = /Kernel panic - not syncing|end Kernel panic|BUG: unable to handle|Oops: /;

class Listeners<T> {
  private set = new Set<(v: T) => void>();
  add(cb: (v: T) => void): () => void {
    this.set.add(cb);
    return () => this.set.delete(cb);
  }
  emit(v: T): void {
    for (const cb of this.set) {
      try {
        cb(v);
      } catch {
        // a listener's bug must not take the VM down
      }
    }
  }
}

export class Vm implements HostSandbox {
  private emulator: V86 | undefined;
  private port: ControlPort | undefined;
  private agent: AgentClient | undefined;
  private workspace: WorkspaceFsImpl | undefined;
  private engineShare: WorkspaceFsImpl | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private statusValue: VmStatus = { state: "stopped" };
  private statusListeners = new Listeners<VmStatus>();
  private consoleListeners = new Listeners<string>();
  private consoleTail = "";
  private generation = 0;
  private commandHandler: ((cmd: GuestCommand) => void) | null = null;
  private socketHandler: ((stream: ByteStream) => void) | null = null;
  private readonly opts: Required<VmOptions>;

  constructor(
    private readonly images: ImageSource,
    opts: VmOptions = {},
  ) {
    this.opts = {
      hangTimeoutMs: 5000,
      heartbeatMs: 1000,
      restoreTimeoutMs: 8000,
      coldBootTimeoutMs: 60000,
      forceColdBoot: false,
      ...opts,
    };
  }

  get status(): VmStatus {
    return this.statusValue;
  }

  /** The raw emulator, for the snapshot builder. */
  get v86(): V86 {
    if (!this.emulator) throw new Error("VM is not running");
    return this.emulator;
  }

  /** Agent protocol diagnostics. */
  get protocolErrors(): number {
    return this.agent?.protocolErrors ?? 0;
  }

  private setStatus(s: VmStatus): void {
    this.statusValue = s;
    this.statusListeners.emit(s);
  }

  onStatus(cb: (s: VmStatus) => void): () => void {
    return this.statusListeners.add(cb);
  }

  onConsole(cb: (text: string) => void): () => void {
    return this.consoleListeners.add(cb);
  }

  /** The last 64 KiB of console output. */
  get consoleLog(): string {
    return this.consoleTail;
  }

  get engineFiles(): WorkspaceFsImpl {
    if (!this.engineShare) throw new Error("VM is not running");
    return this.engineShare;
  }

  get fs(): WorkspaceFsImpl {
    if (!this.workspace) throw new Error("VM is not running");
    return this.workspace;
  }

  /** Boot from the snapshot if there is a good one, else cold-boot the kernel. */
  async start(): Promise<void> {
    const t0 = performance.now();
    let notice: string | undefined;
    if (!this.opts.forceColdBoot) {
      const snap = await this.images.snapshot().catch((e: unknown) => {
        notice = `Snapshot unavailable (${errText(e)}); cold-booting the kernel.`;
        return null;
      });
      if (snap) {
        this.setStatus({ state: "booting", phase: "Restoring snapshot", coldBoot: false });
        try {
          await this.launch(snap, this.opts.restoreTimeoutMs);
          this.setStatus({ state: "ready", coldBoot: false, readyMs: performance.now() - t0 });
          return;
        } catch (e) {
          notice = `Snapshot failed to restore (${errText(e)}); cold-booting the kernel.`;
          await this.teardown();
        }
      } else {
        notice ??= "No snapshot was built; cold-booting the kernel.";
      }
    }
    this.setStatus({ state: "booting", phase: "Booting the kernel", coldBoot: true, notice });
    await this.launch(await this.images.coldBoot(), this.opts.coldBootTimeoutMs);
    this.setStatus({ state: "ready", coldBoot: true, notice, readyMs: performance.now() - t0 });
  }

  private async launch(images: MachineImages, timeoutMs: number): Promise<void> {
    const gen = ++this.generation;
    const emulator = new V86(v86Options(images));
    if (images.state) restoreWithoutZeroing(emulator);
    this.emulator = emulator;
    let line = "";
    emulator.add_listener("serial0-output-byte", (b: number) => {
      const ch = String.fromCharCode(b);
      line += ch;
      if (ch === "\n" || line.length > 512) {
        this.consoleTail = (this.consoleTail + line).slice(-65536);
        this.consoleListeners.emit(line);
        if (PANIC.test(line) && gen === this.generation) this.crash(`the guest kernel crashed: ${line.trim()}`);
        line = "";
      }
    });
    const agent = new AgentClient(
      (bytes) => this.port?.write(bytes),
      (l) => this.consoleListeners.emit(l + "\n"),
    );
    agent.commandHandler = this.commandHandler;
    agent.sockets.handler = this.socketHandler;
    this.agent = agent;
    this.port = new ControlPort(emulator, MACHINE.controlPort, (bytes) => agent.receive(bytes));

    // HELLO until READY: it sets the clock and reseeds entropy after a restore, and on a
    // cold boot it is simply answered once the agent has opened its port.
    const ready = agent.waitReady();
    agent.hello();
    const retry = setInterval(() => agent.hello(), 250);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await Promise.race([
        ready,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the agent did not answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearInterval(retry);
      clearTimeout(timer);
    }
    const fs9p = (emulator as unknown as { fs9p?: V86Fs }).fs9p;
    if (!fs9p) throw new Error("the emulator has no 9p filesystem");
    this.workspace = new WorkspaceFsImpl(fs9p, MACHINE.workspace);
    this.engineShare = new WorkspaceFsImpl(fs9p, MACHINE.engineShare.slice(MACHINE.shareMount.length));
    agent.lastPongAt = Date.now();
    this.heartbeat = setInterval(() => {
      if (gen !== this.generation) return;
      agent.tick();
      if (Date.now() - agent.lastPongAt > this.opts.hangTimeoutMs) {
        this.crash(`the VM stopped responding for ${Math.round(this.opts.hangTimeoutMs / 1000)} s`);
        return;
      }
      void agent.ping();
    }, this.opts.heartbeatMs);
  }

  private crash(reason: string): void {
    if (this.statusValue.state === "crashed") return;
    clearInterval(this.heartbeat);
    this.agent?.abort(`VM crashed: ${reason}`);
    this.setStatus({ state: "crashed", reason });
  }

  private requireAgent(): AgentClient {
    if (!this.agent || this.statusValue.state !== "ready") {
      throw new Error(`the VM is not ready (${this.statusValue.state})`);
    }
    return this.agent;
  }

  onGuestCommand(handler: ((cmd: GuestCommand) => void) | null): void {
    this.commandHandler = handler;
    if (this.agent) this.agent.commandHandler = handler;
  }

  onSocketConnection(handler: ((stream: ByteStream) => void) | null): void {
    this.socketHandler = handler;
    if (this.agent) this.agent.sockets.handler = handler;
  }

  spawn(opts: SpawnOptions, events?: ProcessEvents): Promise<GuestProcess> {
    return this.requireAgent().spawn(
      {
        argv: opts.argv,
        cwd: opts.cwd ?? "/",
        env: opts.env ?? DEFAULT_ENV,
        pty: opts.pty,
        uid: opts.uid,
        gid: opts.gid,
      },
      events,
    );
  }

  async exec(
    argv: string[],
    opts: Omit<SpawnOptions, "argv" | "pty"> & { stdin?: string; timeoutMs?: number } = {},
  ): Promise<ExecResult> {
    const out: Uint8Array[] = [];
    const err: Uint8Array[] = [];
    const proc = await this.spawn({ ...opts, argv }, { onStdout: (d) => out.push(d), onStderr: (d) => err.push(d) });
    if (opts.stdin !== undefined) proc.write(opts.stdin);
    proc.closeStdin();
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (opts.timeoutMs) timer = setTimeout(() => proc.signal(9, true), opts.timeoutMs);
    const status = await proc.exited.finally(() => clearTimeout(timer));
    const dec = new TextDecoder();
    const join = (parts: Uint8Array[]) => dec.decode(concat(parts));
    return { ...status, stdout: join(out), stderr: join(err) };
  }

  async restart(): Promise<void> {
    // Carry the workspace over from the old machine's share; its memory is still readable
    // even when the guest CPU is wedged.
    const files: Array<{ path: string; data?: Uint8Array }> = [];
    if (this.workspace) {
      for (const e of await this.workspace.list()) {
        files.push(e.kind === "dir" ? { path: e.path } : { path: e.path, data: await this.workspace.read(e.path) });
      }
    }
    await this.teardown();
    await this.start();
    for (const f of files) {
      if (f.data) await this.fs.write(f.path, f.data);
      else await this.fs.mkdir(f.path);
    }
  }

  private async teardown(): Promise<void> {
    this.generation++;
    clearInterval(this.heartbeat);
    this.workspace?.stop();
    this.engineShare?.stop();
    this.port?.close();
    this.agent?.abort("VM stopped");
    const e = this.emulator;
    this.emulator = this.port = this.agent = this.workspace = this.engineShare = undefined;
    if (e) await e.destroy().catch(() => {});
  }

  async destroy(): Promise<void> {
    await this.teardown();
    this.setStatus({ state: "stopped" });
  }
}


function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
