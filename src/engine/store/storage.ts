// Where the engine keeps its state: a flat key → bytes map. Keys are "/"-separated
// paths ("blobs/sha256/<hex>", "containers/<id>.json"). Node keeps it in a directory,
// the browser in IndexedDB; both survive a restart, as dockerd's /var/lib/docker does.

export interface Storage {
  get(key: string): Promise<Uint8Array | null>;
  put(key: string, data: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys that start with `prefix`, in no particular order. */
  list(prefix: string): Promise<string[]>;
}

const KEY = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

/** Keys come from digests and ids the engine made, never from raw input; check anyway. */
export function checkKey(key: string): string {
  if (!KEY.test(key) || key.split("/").some((s) => s === "." || s === "..")) throw new Error(`invalid storage key: ${key}`);
  return key;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export async function getJson<T>(s: Storage, key: string): Promise<T | null> {
  const b = await s.get(key);
  return b ? (JSON.parse(dec.decode(b)) as T) : null;
}

export function putJson(s: Storage, key: string, value: unknown): Promise<void> {
  return s.put(key, enc.encode(JSON.stringify(value)));
}
