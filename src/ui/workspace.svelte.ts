// Keeps three views of the learner's files in step: IndexedDB (survives reloads), the
// VM's /workspace (what the shell sees) and the tree/editor. IndexedDB is the source of
// truth until the VM is up; then every boot copies it into the VM, and changes from
// either side flow through sandbox.fs (its watch reports what the guest did).
import type { FileChange, FileEntry, Sandbox } from "../sandbox/types";
import { WorkspaceStore, type StoredEntry } from "./workspace-store";

export interface TreeEntry {
  path: string;
  kind: "file" | "dir";
}

/** Bigger files stay in the VM but are not persisted (IndexedDB quota, and time). */
const MAX_PERSISTED_BYTES = 8 * 1024 * 1024;

const enc = new TextEncoder();

const SEED: StoredEntry[] = [
  {
    path: "README.md",
    kind: "file",
    data: enc.encode(
      "# Your workspace\n\n" +
        "Files here are /workspace inside the VM, and they are saved in this browser.\n" +
        "Edit them here and use them from the terminal, for example:\n\n" +
        "    sh hello.sh\n",
    ),
  },
  {
    path: "hello.sh",
    kind: "file",
    data: enc.encode(
      "#!/bin/sh\n" +
        "# Run me from the terminal:  sh hello.sh\n" +
        'echo "Hello from $(hostname), a $(uname -m) Linux $(uname -r) VM in your browser tab."\n',
    ),
  },
];

export type ContentListener = (path: string, data: Uint8Array | null) => void;

const parentOf = (p: string) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");
const under = (p: string, dir: string) => p === dir || p.startsWith(dir + "/");

export class Workspace {
  entries = $state<TreeEntry[]>([]);
  /** The IndexedDB copy has been loaded. */
  loaded = $state(false);
  /** The VM holds the files and changes go through it. */
  live = $state(false);
  error = $state("");

  private store: WorkspaceStore | undefined;
  private liveWaiters: Array<() => void> = [];
  private queue: Promise<void> = Promise.resolve();
  private contentListeners = new Set<ContentListener>();
  private renameListeners = new Set<(from: string, to: string) => void>();

  /** `sandbox.onStatus` must report the current status at once, as BrowserSandbox does. */
  constructor(private readonly sandbox: Sandbox) {}

  async init(): Promise<void> {
    try {
      this.store = await WorkspaceStore.open();
      if (!(await this.store.seeded())) {
        await this.store.put(SEED);
        await this.store.markSeeded();
      }
      this.entries = sortEntries((await this.store.all()).map(({ path, kind }) => ({ path, kind })));
    } catch (e) {
      // Private windows may refuse IndexedDB: keep working, just without persistence.
      this.error = `Your files will not be saved in this browser (${e instanceof Error ? e.message : String(e)}).`;
      this.store = undefined;
      this.entries = sortEntries(SEED.map(({ path, kind }) => ({ path, kind })));
    }
    this.loaded = true;
    this.sandbox.fs.watch((changes) => this.enqueue(() => this.applyChanges(changes)));
    this.sandbox.onStatus((s) => {
      if (s.state === "ready") this.enqueue(() => this.onReady());
      else if (s.state !== "booting") this.live = false;
    });
  }

  /** Serializes everything that touches both stores, so events apply in order. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task).catch((e: unknown) => {
      console.error("workspace sync failed", e);
    });
    this.queue = run;
    return run;
  }

  private async onReady(): Promise<void> {
    const fs = this.sandbox.fs;
    if (!this.live) {
      // Each boot starts from the snapshot's empty workspace (a restart carries files
      // over itself, and writing them again is harmless), so copy ours in.
      const stored = this.store ? await this.store.all() : SEED;
      for (const e of stored.filter((e) => e.kind === "dir")) await fs.mkdir(e.path);
      for (const e of stored) if (e.kind === "file") await fs.write(e.path, e.data ?? new Uint8Array());
    }
    this.live = true;
    for (const w of this.liveWaiters.splice(0)) w();
    const list = await fs.list();
    // Anything the VM had that we did not (e.g. baked into the image) is persisted too.
    const known = new Set(this.entries.map((e) => e.path));
    const extra: FileChange[] = list.filter((e) => !known.has(e.path)).map((e) => ({ type: "write", path: e.path, kind: e.kind }));
    await this.persist(extra, list);
    this.entries = sortEntries(list.map(({ path, kind }) => ({ path, kind })));
  }

  private whenLive(): Promise<void> {
    return this.live ? Promise.resolve() : new Promise((r) => this.liveWaiters.push(r));
  }

  private async applyChanges(changes: FileChange[]): Promise<void> {
    if (!this.live) return; // onReady lists everything once the VM is up
    const list = await this.sandbox.fs.list();
    await this.persist(changes, list);
    this.entries = sortEntries(list.map(({ path, kind }) => ({ path, kind })));
  }

  /** Copies changed VM files into IndexedDB and tells the editor. */
  private async persist(changes: FileChange[], list: FileEntry[]): Promise<void> {
    const fs = this.sandbox.fs;
    const sizes = new Map(list.map((e) => [e.path, e.size]));
    const puts: StoredEntry[] = [];
    for (const c of changes) {
      if (c.type === "delete") {
        await this.store?.remove(c.path);
        this.emit(c.path, null);
      } else if (c.kind === "dir") {
        puts.push({ path: c.path, kind: "dir" });
      } else {
        const size = sizes.get(c.path);
        if (size === undefined) continue; // already gone again
        const data = await fs.read(c.path).catch(() => null);
        if (!data) continue;
        if (size <= MAX_PERSISTED_BYTES) puts.push({ path: c.path, kind: "file", data });
        this.emit(c.path, data);
      }
    }
    await this.store?.put(puts);
  }

  private emit(path: string, data: Uint8Array | null): void {
    for (const l of this.contentListeners) l(path, data);
  }

  /** Called when a file changes or disappears outside the editor. */
  onContent(cb: ContentListener): () => void {
    this.contentListeners.add(cb);
    return () => void this.contentListeners.delete(cb);
  }

  /** Called when the learner renames something in the tree (before the VM reports it). */
  onRename(cb: (from: string, to: string) => void): () => void {
    this.renameListeners.add(cb);
    return () => void this.renameListeners.delete(cb);
  }

  exists(path: string): boolean {
    return this.entries.some((e) => e.path === path);
  }

  async read(path: string): Promise<Uint8Array> {
    if (this.live) return this.sandbox.fs.read(path);
    const e = (await this.store?.all())?.find((x) => x.path === path);
    return e?.data ?? SEED.find((x) => x.path === path)?.data ?? new Uint8Array();
  }

  /** Saves editor content: IndexedDB at once, the VM as soon as it is up. */
  async save(path: string, text: string): Promise<void> {
    const data = enc.encode(text);
    await this.store?.put([{ path, kind: "file", data }]);
    await this.whenLive();
    await this.sandbox.fs.write(path, data);
  }

  async createFile(path: string): Promise<void> {
    this.addLocal(path, "file");
    await this.store?.put([...this.parents(path), { path, kind: "file", data: new Uint8Array() }]);
    if (this.live) await this.sandbox.fs.write(path, new Uint8Array());
  }

  async createFolder(path: string): Promise<void> {
    this.addLocal(path, "dir");
    await this.store?.put([...this.parents(path), { path, kind: "dir" }]);
    if (this.live) await this.sandbox.fs.mkdir(path);
  }

  async rename(from: string, to: string): Promise<void> {
    for (const l of this.renameListeners) l(from, to);
    this.entries = sortEntries(this.entries.map((e) => (under(e.path, from) ? { ...e, path: to + e.path.slice(from.length) } : e)));
    if (this.store) {
      const moved = (await this.store.all())
        .filter((e) => under(e.path, from))
        .map((e) => ({ ...e, path: to + e.path.slice(from.length) }));
      await this.store.remove(from);
      await this.store.put([...this.parents(to), ...moved]);
    }
    if (this.live) await this.sandbox.fs.rename(from, to);
  }

  async remove(path: string): Promise<void> {
    this.entries = this.entries.filter((e) => !under(e.path, path));
    await this.store?.remove(path);
    if (this.live) await this.sandbox.fs.remove(path);
  }

  private parents(path: string): StoredEntry[] {
    const out: StoredEntry[] = [];
    for (let p = parentOf(path); p; p = parentOf(p)) out.push({ path: p, kind: "dir" });
    return out;
  }

  private addLocal(path: string, kind: "file" | "dir"): void {
    const add = [...this.parents(path).map(({ path, kind }) => ({ path, kind })), { path, kind }];
    const have = new Set(this.entries.map((e) => e.path));
    this.entries = sortEntries([...this.entries, ...add.filter((e) => !have.has(e.path))]);
  }
}

function sortEntries(list: TreeEntry[]): TreeEntry[] {
  return [...list].sort((a, b) => a.path.localeCompare(b.path));
}
