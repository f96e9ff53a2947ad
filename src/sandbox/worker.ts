// Runs the Vm in a dedicated Web Worker so emulation never blocks the page. The page
// talks to it through Comlink (see client.ts); only this file and its imports touch v86.
import * as Comlink from "comlink";
import { concat } from "./bytes";
import { browserImages, pruneImageCache, type LoadProgress } from "./browser-images";
import type { ExecResult, FileChange, FileEntry, SpawnOptions, VmStatus } from "./types";
import type { Vm } from "./vm";
import type { VmManifest } from "./vm-manifest";
import type { Dashboard } from "../engine/dashboard";
import type { WorkerEngine } from "../engine/worker-engine";
import type { LessonRuntime } from "../lessons/runtime-types";

/** Page callbacks for VM-wide events (passed as a Comlink proxy). */
export interface WorkerEvents {
  status(s: VmStatus): void;
  console(text: string): void;
  files(changes: FileChange[]): void;
}

/** Page callbacks for one process. Output arrives batched, in transferred buffers. */
export interface RemoteProcessEvents {
  stdout(data: Uint8Array): void;
  stderr(data: Uint8Array): void;
  exit(code: number | null, signal: number | null): void;
}

/** The control half of a guest process, handed to the page as a Comlink proxy. */
export interface ProcessControl {
  write(data: Uint8Array | string): void;
  closeStdin(): void;
  resize(rows: number, cols: number): void;
  signal(signo: number, group?: boolean): void;
}

/** What spawn hands back (as a Comlink proxy): ids plus the control methods. */
export interface ProcessHandle extends ProcessControl {
  readonly id: number;
  readonly pid: number;
}

export type ExecOptions = Omit<SpawnOptions, "argv" | "pty"> & { stdin?: string; timeoutMs?: number };

/** The engine as the page's Docker panel sees it (handed over as a Comlink proxy). */
export type EngineApi = Pick<Dashboard, "state" | "subscribe" | "available" | "start" | "stop" | "remove" | "removeImage" | "pull">;

/**
 * Coalesces the small chunks the agent delivers within one emulator slice into a single
 * message: one postMessage per burst instead of one per frame. The joined buffer is
 * transferred to the page, not cloned.
 */
class Batcher {
  private parts: Uint8Array[] = [];
  private scheduled = false;

  constructor(private readonly sink: (data: Uint8Array) => void) {}

  push(data: Uint8Array): void {
    if (!data.length) return;
    this.parts.push(data);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (!this.parts.length) return;
    const out = concat(this.parts);
    this.parts = [];
    this.sink(Comlink.transfer(out, [out.buffer]));
  }
}

const ignore = (p: unknown) => {
  // The page may have gone away; nothing to do about a failed notification.
  if (p instanceof Promise) p.catch(() => {});
};

/** Closes the page's callback channel once it can no longer be called. */
function release(remote: object): void {
  const r = remote as Partial<Record<typeof Comlink.releaseProxy, () => void>>;
  r[Comlink.releaseProxy]?.();
}

export class SandboxWorker {
  private vm: Vm | undefined;
  private events: WorkerEvents | undefined;
  private watched: object | undefined;
  private unwatch: (() => void) | undefined;
  private startEngine!: (e: Promise<WorkerEngine>) => void;
  /** Settles once boot has opened the engine (or failed). */
  private readonly engineStarted = new Promise<WorkerEngine>((resolve) => (this.startEngine = resolve));

  /** Boots (restore or cold boot). Resolves when ready; status events tell the details. */
  async boot(manifest: VmManifest, events: WorkerEvents): Promise<void> {
    if (this.vm) throw new Error("already booted");
    this.events = events;
    let booting: VmStatus | undefined;
    let lastReport = 0;
    const onProgress = (p: LoadProgress) => {
      const done = p.loaded >= p.total;
      // ~20 updates a second are plenty for a progress bar.
      const now = performance.now();
      if (!done && now - lastReport < 50) return;
      lastReport = now;
      // A cold-boot fallback downloads after the VM said "booting"; say "loading" meanwhile
      // and restore the booting status once the files are in.
      const phase = p.fromCache ? "Loading the VM from the offline cache" : "Downloading the VM";
      ignore(events.status(done && booting ? booting : { state: "loading", phase, loaded: p.loaded, total: p.total }));
    };
    // Read the VM files while the emulator code (v86, ~360 KB) is still being compiled.
    const images = browserImages(manifest, onProgress);
    images.prefetch();
    // The engine's code loads meanwhile too; it opens once the VM is up.
    const engineModule = import("../engine/worker-engine");
    const { Vm } = await import("./vm");
    const vm = new Vm(images);
    this.vm = vm;
    vm.onStatus((s) => {
      if (s.state === "booting") booting = s;
      if (s.state === "ready") this.watchWorkspace();
      ignore(events.status(s));
    });
    vm.onConsole((text) => ignore(events.console(text)));
    try {
      await vm.start();
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      ignore(events.status({ state: "crashed", reason: `the VM could not start: ${reason}` }));
      this.startEngine(Promise.reject(new Error(`the VM could not start: ${reason}`)));
      this.engineStarted.catch(() => {}); // the page hears of it through the status
      throw e;
    }
    const imagesRoot = manifest.images ? new URL(manifest.images.root, self.location.href).href : null;
    this.startEngine(engineModule.then((m) => m.startWorkerEngine(vm, imagesRoot)));
    this.engineStarted.catch((e: unknown) => console.error("the engine could not start", e));
    void pruneImageCache(manifest).catch(() => {});
  }

  /** The Docker engine for the page's panel; settles once the engine has opened its store. */
  async engine(): Promise<EngineApi & Comlink.ProxyMarked> {
    const { dashboard: d } = await this.engineStarted;
    const api: EngineApi = {
      state: () => d.state(),
      subscribe: (cb) => {
        const off = d.subscribe((s) => ignore(cb(s)));
        return Comlink.proxy(() => {
          off();
          release(cb);
        });
      },
      available: () => d.available(),
      start: (id) => d.start(id),
      stop: (id) => d.stop(id),
      remove: (id) => d.remove(id),
      removeImage: (ref) => d.removeImage(ref),
      pull: (ref) => d.pull(ref),
    };
    return Comlink.proxy(api);
  }

  /** Lesson checks and resets, answered beside the engine; settles once the engine has opened its store. */
  async lessons(): Promise<LessonRuntime & Comlink.ProxyMarked> {
    const { lessons: l } = await this.engineStarted;
    const api: LessonRuntime = {
      check: (lesson) => l.check(lesson),
      reset: (lesson, options) => l.reset(lesson, options),
      onStateChange: (cb) => {
        const off = l.onStateChange(() => ignore(cb()));
        return Comlink.proxy(() => {
          off();
          release(cb);
        });
      },
    };
    return Comlink.proxy(api);
  }

  /** Each (re)start creates a new workspace; follow the current one. */
  private watchWorkspace(): void {
    const vm = this.vm;
    if (!vm || vm.fs === this.watched) return;
    this.unwatch?.();
    this.watched = vm.fs;
    this.unwatch = vm.fs.watch((changes) => ignore(this.events?.files(changes)));
  }

  private get machine(): Vm {
    if (!this.vm) throw new Error("the VM has not been started");
    return this.vm;
  }

  async spawn(opts: SpawnOptions, events: RemoteProcessEvents): Promise<ProcessHandle & Comlink.ProxyMarked> {
    const out = new Batcher((d) => ignore(events.stdout(d)));
    const err = new Batcher((d) => ignore(events.stderr(d)));
    const proc = await this.machine.spawn(opts, {
      onStdout: (d) => out.push(d),
      onStderr: (d) => err.push(d),
    });
    // `exited` settles on a normal exit and when the VM dies or restarts.
    void proc.exited.then((s) => {
      out.flush();
      err.flush();
      ignore(events.exit(s.code, s.signal));
      release(events);
    });
    const handle: ProcessHandle = {
      id: proc.id,
      pid: proc.pid,
      write: (d) => proc.write(d),
      closeStdin: () => proc.closeStdin(),
      resize: (rows, cols) => proc.resize(rows, cols),
      signal: (signo, group) => proc.signal(signo, group),
    };
    return Comlink.proxy(handle);
  }

  exec(argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.machine.exec(argv, opts);
  }

  list(): Promise<FileEntry[]> {
    return this.machine.fs.list();
  }

  async read(path: string): Promise<Uint8Array> {
    const data = await this.machine.fs.read(path);
    return Comlink.transfer(data, [data.buffer]);
  }

  write(path: string, data: Uint8Array | string): Promise<void> {
    return this.machine.fs.write(path, data);
  }

  mkdir(path: string): Promise<void> {
    return this.machine.fs.mkdir(path);
  }

  rename(from: string, to: string): Promise<void> {
    return this.machine.fs.rename(from, to);
  }

  remove(path: string): Promise<void> {
    return this.machine.fs.remove(path);
  }

  restart(): Promise<void> {
    return this.machine.restart();
  }

  async destroy(): Promise<void> {
    this.unwatch?.();
    await this.vm?.destroy();
  }
}

Comlink.expose(new SandboxWorker());
