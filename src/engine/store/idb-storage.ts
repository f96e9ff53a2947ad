// Storage in IndexedDB (the browser): one object store, keys as given.
import type { Storage } from "./storage";
import { checkKey } from "./storage";

const STORE = "kv";

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export class IdbStorage implements Storage {
  private constructor(private readonly db: IDBDatabase) {}

  static async open(name = "berth-engine"): Promise<IdbStorage> {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    return new IdbStorage(await req(open));
  }

  private store(mode: IDBTransactionMode): IDBObjectStore {
    return this.db.transaction(STORE, mode).objectStore(STORE);
  }

  async get(key: string): Promise<Uint8Array | null> {
    const v = (await req(this.store("readonly").get(checkKey(key)))) as Uint8Array | undefined;
    return v ?? null;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    await req(this.store("readwrite").put(data, checkKey(key)));
  }

  async delete(key: string): Promise<void> {
    await req(this.store("readwrite").delete(checkKey(key)));
  }

  async list(prefix: string): Promise<string[]> {
    // Every key starting with prefix sorts between prefix and prefix + U+FFFF.
    const keys = await req(this.store("readonly").getAllKeys(IDBKeyRange.bound(prefix, prefix + "\uffff")));
    return keys.map(String);
  }
}
