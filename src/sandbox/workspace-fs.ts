// The editor's workspace as seen from the host: a folder of v86's in-memory 9p
// filesystem that the guest mounts at /workspace. Reads and writes go straight to that
// filesystem (no guest round trip). Mutating methods are wrapped so every inode carries a
// version, which makes change detection exact without hashing file contents.
import type { FileChange, FileEntry, WorkspaceFs } from "./types";

interface Inode {
  mode: number;
  size: number;
  mtime: number;
  ctime: number;
  atime: number;
  direntries: Map<string, number>;
}

/** The parts of v86's lib/filesystem.js FS used here (v86 is pinned exactly). */
export interface V86Fs {
  inodes: Inode[];
  /** Its `name` field is not the last segment; use baseName(). */
  SearchPath(path: string): { id: number; parentid: number };
  CreateDirectory(name: string, parentid: number): number;
  CreateBinaryFile(name: string, parentid: number, data: Uint8Array): Promise<number>;
  Rename(olddirid: number, oldname: string, newdirid: number, newname: string): Promise<number>;
  Unlink(parentid: number, name: string): number;
  read_file(path: string): Promise<Uint8Array | null>;
  set_data(id: number, data: Uint8Array): Promise<void>;
  Write(id: number, offset: number, count: number, data: Uint8Array): Promise<void>;
  ChangeSize(id: number, size: number): Promise<void>;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

export class WorkspacePathError extends Error {}

/** Normalize a workspace-relative path; rejects escapes and empty names. */
export function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split("/")) {
    if (!seg || seg === ".") continue;
    if (seg === ".." || seg.includes("\0")) throw new WorkspacePathError(`invalid path: ${p}`);
    parts.push(seg);
  }
  if (!parts.length) throw new WorkspacePathError(`invalid path: ${p}`);
  return parts.join("/");
}

const baseName = (p: string) => p.slice(p.lastIndexOf("/") + 1);

type Snapshot = Map<string, { kind: "file" | "dir"; sig: string }>;

export class WorkspaceFsImpl implements WorkspaceFs {
  private versions = new Map<number, number>();
  private dirty = true;
  private last: Snapshot = new Map();
  private watchers = new Set<(c: FileChange[]) => void>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private enc = new TextEncoder();

  constructor(
    private readonly fs: V86Fs,
    private readonly root = "/workspace",
  ) {
    this.instrument();
    this.ensureDir(root.replace(/^\//, ""));
    this.last = this.scan();
  }

  private instrument(): void {
    const fs = this.fs as unknown as Record<string, (...a: unknown[]) => unknown>;
    const bump = (id: unknown) => {
      if (typeof id === "number") this.versions.set(id, (this.versions.get(id) ?? 0) + 1);
      this.dirty = true;
    };
    for (const name of ["Write", "ChangeSize", "set_data"]) {
      const orig = fs[name]!.bind(fs);
      fs[name] = (...a: unknown[]) => {
        bump(a[0]);
        return orig(...a);
      };
    }
    for (const name of ["CreateDirectory", "CreateFile", "CreateSymlink", "CreateNode", "Unlink", "Rename", "Link"]) {
      const orig = fs[name];
      if (!orig) continue;
      const bound = orig.bind(fs);
      fs[name] = (...a: unknown[]) => {
        this.dirty = true;
        return bound(...a);
      };
    }
  }

  private abs(path: string): string {
    return `${this.root}/${normalizePath(path)}`;
  }

  private ensureDir(rel: string): number {
    let id = 0;
    for (const seg of rel.split("/").filter(Boolean)) {
      const node = this.fs.inodes[id]!;
      let next = node.direntries.get(seg);
      if (next === undefined) {
        next = this.fs.CreateDirectory(seg, id);
      } else if ((this.fs.inodes[next]!.mode & S_IFMT) !== S_IFDIR) {
        throw new WorkspacePathError(`not a directory: ${seg}`);
      }
      id = next;
    }
    return id;
  }

  /** Every regular file and directory below the workspace root, depth first. */
  private *entries(): Generator<{ path: string; id: number; ino: Inode; kind: "file" | "dir" }> {
    const rootId = this.fs.SearchPath(this.root).id;
    if (rootId < 0) return;
    const fs = this.fs;
    function* walk(id: number, prefix: string): Generator<{ path: string; id: number; ino: Inode; kind: "file" | "dir" }> {
      for (const [name, child] of fs.inodes[id]!.direntries) {
        if (name === "." || name === "..") continue;
        const ino = fs.inodes[child]!;
        const fmt = ino.mode & S_IFMT;
        if (fmt !== S_IFDIR && fmt !== S_IFREG) continue;
        const path = prefix ? `${prefix}/${name}` : name;
        const kind = fmt === S_IFDIR ? "dir" : "file";
        yield { path, id: child, ino, kind };
        if (kind === "dir") yield* walk(child, path);
      }
    }
    yield* walk(rootId, "");
  }

  async list(): Promise<FileEntry[]> {
    const out: FileEntry[] = [];
    for (const e of this.entries()) {
      out.push({ path: e.path, kind: e.kind, size: e.kind === "dir" ? 0 : e.ino.size, mtime: e.ino.mtime * 1000 });
    }
    return out.sort((x, y) => x.path.localeCompare(y.path));
  }

  async read(path: string): Promise<Uint8Array> {
    const data = await this.fs.read_file(this.abs(path));
    if (!data) throw new WorkspacePathError(`no such file: ${path}`);
    return new Uint8Array(data);
  }

  async write(path: string, data: Uint8Array | string): Promise<void> {
    const rel = normalizePath(path);
    const bytes = typeof data === "string" ? this.enc.encode(data) : new Uint8Array(data);
    const slash = rel.lastIndexOf("/");
    const parent = this.ensureDir(`${this.root}/${slash < 0 ? "" : rel.slice(0, slash)}`.replace(/^\//, ""));
    const name = rel.slice(slash + 1);
    const existing = this.fs.inodes[parent]!.direntries.get(name);
    if (existing === undefined) {
      await this.fs.CreateBinaryFile(name, parent, bytes);
    } else {
      const ino = this.fs.inodes[existing]!;
      if ((ino.mode & S_IFMT) !== S_IFREG) throw new WorkspacePathError(`not a file: ${path}`);
      await this.fs.set_data(existing, bytes);
      ino.size = bytes.length;
      ino.mtime = ino.ctime = Math.round(Date.now() / 1000);
    }
    this.poll();
  }

  async mkdir(path: string): Promise<void> {
    this.ensureDir(`${this.root}/${normalizePath(path)}`.replace(/^\//, ""));
    this.poll();
  }

  async rename(from: string, to: string): Promise<void> {
    const src = this.abs(from);
    const a = this.fs.SearchPath(src);
    if (a.id < 0) throw new WorkspacePathError(`no such file: ${from}`);
    const rel = normalizePath(to);
    const slash = rel.lastIndexOf("/");
    const parent = this.ensureDir(`${this.root}/${slash < 0 ? "" : rel.slice(0, slash)}`.replace(/^\//, ""));
    const ret = await this.fs.Rename(a.parentid, baseName(src), parent, rel.slice(slash + 1));
    if (ret < 0) throw new WorkspacePathError(`cannot rename ${from} to ${to} (error ${-ret})`);
    this.poll();
  }

  async remove(path: string): Promise<void> {
    const target = this.abs(path);
    const t = this.fs.SearchPath(target);
    if (t.id < 0) throw new WorkspacePathError(`no such file: ${path}`);
    const del = (parent: number, name: string) => {
      const id = this.fs.inodes[parent]!.direntries.get(name)!;
      if ((this.fs.inodes[id]!.mode & S_IFMT) === S_IFDIR) {
        for (const child of [...this.fs.inodes[id]!.direntries.keys()]) {
          if (child !== "." && child !== "..") del(id, child);
        }
      }
      this.fs.Unlink(parent, name);
    };
    del(t.parentid, baseName(target));
    this.poll();
  }

  watch(cb: (changes: FileChange[]) => void): () => void {
    this.watchers.add(cb);
    this.timer ??= setInterval(() => this.poll(), 300);
    return () => {
      this.watchers.delete(cb);
      if (!this.watchers.size) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  stop(): void {
    clearInterval(this.timer);
    this.watchers.clear();
  }

  private scan(): Snapshot {
    const snap: Snapshot = new Map();
    for (const e of this.entries()) {
      snap.set(e.path, { kind: e.kind, sig: `${e.id}:${e.ino.size}:${e.ino.mtime}:${this.versions.get(e.id) ?? 0}` });
    }
    return snap;
  }

  /** Compare with the last scan and tell the watchers. Cheap when nothing was touched. */
  poll(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const now = this.scan();
    const changes: FileChange[] = [];
    for (const [path, e] of now) {
      const before = this.last.get(path);
      if (!before || before.sig !== e.sig || before.kind !== e.kind) changes.push({ type: "write", path, kind: e.kind });
    }
    for (const path of this.last.keys()) if (!now.has(path)) changes.push({ type: "delete", path });
    this.last = now;
    if (changes.length) for (const w of this.watchers) w(changes);
  }
}
