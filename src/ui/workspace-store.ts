// The learner's workspace files, persisted in IndexedDB so they survive reloads and VM
// restarts. The VM's /workspace is rebuilt from here on every boot.

export interface StoredEntry {
  /** Workspace-relative, "/"-separated. */
  path: string;
  kind: "file" | "dir";
  data?: Uint8Array;
}

const DB_NAME = "berth-workspace";
const FILES = "files";
const META = "meta";

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
  });
}

export class WorkspaceStore {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(): Promise<WorkspaceStore> {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore(FILES, { keyPath: "path" });
      open.result.createObjectStore(META);
    };
    return new WorkspaceStore(await req(open));
  }

  async all(): Promise<StoredEntry[]> {
    const tx = this.db.transaction(FILES, "readonly");
    return req(tx.objectStore(FILES).getAll() as IDBRequest<StoredEntry[]>);
  }

  async put(entries: StoredEntry[]): Promise<void> {
    if (!entries.length) return;
    const tx = this.db.transaction(FILES, "readwrite");
    const store = tx.objectStore(FILES);
    for (const e of entries) store.put(e);
    await done(tx);
  }

  /** Deletes a path and everything under it. */
  async remove(path: string): Promise<void> {
    const tx = this.db.transaction(FILES, "readwrite");
    const store = tx.objectStore(FILES);
    store.delete(path);
    // Keys are strings; "/" + U+FFFF bounds every descendant of the folder.
    store.delete(IDBKeyRange.bound(`${path}/`, `${path}/\uffff`));
    await done(tx);
  }

  /** Whether the starter files were ever written (so deleting them all sticks). */
  async seeded(): Promise<boolean> {
    const tx = this.db.transaction(META, "readonly");
    return (await req(tx.objectStore(META).get("seeded"))) === true;
  }

  async markSeeded(): Promise<void> {
    const tx = this.db.transaction(META, "readwrite");
    tx.objectStore(META).put(true, "seeded");
    await done(tx);
  }
}
