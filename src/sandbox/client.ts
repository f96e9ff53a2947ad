// The page's side of the sandbox: a Sandbox whose VM runs in a Web Worker (worker.ts).
// This is the only sandbox module the page imports; v86 stays inside the worker.
import * as Comlink from "comlink";
import type {
  ExecResult,
  ExitStatus,
  FileChange,
  FileEntry,
  GuestProcess,
  ProcessEvents,
  Sandbox,
  SpawnOptions,
  VmStatus,
  WorkspaceFs,
} from "./types";
import type { VmManifest } from "./vm-manifest";
import type { LessonRuntime } from "../lessons/runtime-types";
import type { EngineApi, ExecOptions, RemoteProcessEvents, SandboxWorker, WorkerEvents } from "./worker";

/** The Docker engine in the worker, as the page calls it (every call is asynchronous). */
export type RemoteEngine = Comlink.Remote<EngineApi>;

/** Lesson checks and resets in the worker; `onStateChange` takes a Comlink.proxy callback. */
export type RemoteLessonRuntime = Comlink.Remote<LessonRuntime>;

class Listeners<T> {
  private set = new Set<(v: T) => void>();
  add(cb: (v: T) => void): () => void {
    this.set.add(cb);
    return () => void this.set.delete(cb);
  }
  emit(v: T): void {
    for (const cb of this.set) {
      try {
        cb(v);
      } catch (e) {
        console.error(e);
      }
    }
  }
}

class RemoteFs implements WorkspaceFs {
  readonly changes = new Listeners<FileChange[]>();
  constructor(private readonly remote: Comlink.Remote<SandboxWorker>) {}
  list(): Promise<FileEntry[]> {
    return this.remote.list();
  }
  read(path: string): Promise<Uint8Array> {
    return this.remote.read(path);
  }
  write(path: string, data: Uint8Array | string): Promise<void> {
    return this.remote.write(path, data);
  }
  mkdir(path: string): Promise<void> {
    return this.remote.mkdir(path);
  }
  rename(from: string, to: string): Promise<void> {
    return this.remote.rename(from, to);
  }
  remove(path: string): Promise<void> {
    return this.remote.remove(path);
  }
  watch(cb: (changes: FileChange[]) => void): () => void {
    return this.changes.add(cb);
  }
}

export class BrowserSandbox implements Sandbox {
  readonly fs: RemoteFs;
  /** Settles when the first boot finishes (or fails; the status then says "crashed"). */
  readonly booted: Promise<void>;
  private current: VmStatus = { state: "loading", phase: "Starting", loaded: 0, total: 0 };
  private statusListeners = new Listeners<VmStatus>();
  private consoleListeners = new Listeners<string>();
  private readonly worker: Worker;
  private readonly remote: Comlink.Remote<SandboxWorker>;

  constructor(manifest: VmManifest) {
    this.worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: "berth-vm" });
    this.worker.addEventListener("error", (e) => this.setStatus({ state: "crashed", reason: `the VM worker failed: ${e.message}` }));
    this.remote = Comlink.wrap<SandboxWorker>(this.worker);
    this.fs = new RemoteFs(this.remote);
    const events: WorkerEvents = {
      status: (s) => this.setStatus(s),
      console: (text) => this.consoleListeners.emit(text),
      files: (changes) => this.fs.changes.emit(changes),
    };
    this.booted = this.remote.boot(manifest, Comlink.proxy(events));
    // Failure is reported through the status; callers that await `booted` still see it.
    this.booted.catch(() => {});
  }

  get status(): VmStatus {
    return this.current;
  }

  private setStatus(s: VmStatus): void {
    this.current = s;
    this.statusListeners.emit(s);
  }

  /** Also calls back at once with the current status. */
  onStatus(cb: (s: VmStatus) => void): () => void {
    const off = this.statusListeners.add(cb);
    cb(this.current);
    return off;
  }

  onConsole(cb: (text: string) => void): () => void {
    return this.consoleListeners.add(cb);
  }

  async spawn(opts: SpawnOptions, events: ProcessEvents = {}): Promise<GuestProcess> {
    let resolveExit!: (s: ExitStatus) => void;
    const exited = new Promise<ExitStatus>((r) => (resolveExit = r));
    const remoteEvents: RemoteProcessEvents = {
      stdout: (d) => events.onStdout?.(d),
      stderr: (d) => events.onStderr?.(d),
      exit: (code, signal) => {
        const status = { code, signal };
        events.onExit?.(status);
        resolveExit(status);
      },
    };
    const control = await this.remote.spawn(opts, Comlink.proxy(remoteEvents));
    const [id, pid] = await Promise.all([control.id, control.pid]);
    // Free the control channel once the process is gone; later calls are no-ops, as
    // they are for an exited process in the Vm itself.
    let gone = false;
    void exited.then(() => {
      gone = true;
      control[Comlink.releaseProxy]();
    });
    const fire = (call: () => Promise<void>) => {
      if (!gone) call().catch(() => {});
    };
    const enc = new TextEncoder();
    return {
      id,
      pid,
      exited,
      write: (data) => {
        // A private copy can be transferred without detaching the caller's buffer.
        const bytes = typeof data === "string" ? enc.encode(data) : data.slice();
        fire(() => control.write(Comlink.transfer(bytes, [bytes.buffer])));
      },
      closeStdin: () => fire(() => control.closeStdin()),
      resize: (rows, cols) => fire(() => control.resize(rows, cols)),
      signal: (signo, group) => fire(() => control.signal(signo, group)),
    };
  }

  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.remote.exec(argv, opts);
  }

  restart(): Promise<void> {
    return this.remote.restart();
  }

  /** Settles once the VM is up and the engine has opened its store. */
  engine(): Promise<RemoteEngine> {
    return this.remote.engine();
  }

  /** The lesson runtime beside the engine; settles when engine() does. */
  lessons(): Promise<RemoteLessonRuntime> {
    return this.remote.lessons();
  }

  async destroy(): Promise<void> {
    await this.remote.destroy().catch(() => {});
    this.remote[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
