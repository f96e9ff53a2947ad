// Blobs by digest (containerd's content store). Every read is verified: a blob whose bytes
// no longer match its digest is an error, never silently used.
import { digestOf, isDigest } from "../util/digest";
import type { Storage } from "../store/storage";

export class DigestMismatchError extends Error {}

const key = (digest: string) => {
  if (!isDigest(digest)) throw new Error(`invalid digest: ${digest}`);
  return `blobs/sha256/${digest.slice(7)}`;
};

export class ContentStore {
  constructor(private readonly storage: Storage) {}

  /** Store bytes; returns their digest. If `expect` is given, the bytes must match it. */
  async put(data: Uint8Array, expect?: string): Promise<string> {
    const digest = await digestOf(data);
    if (expect !== undefined && digest !== expect) throw new DigestMismatchError(`digest mismatch: expected ${expect}, got ${digest}`);
    await this.storage.put(key(digest), data);
    return digest;
  }

  async has(digest: string): Promise<boolean> {
    return (await this.storage.list(key(digest))).includes(key(digest));
  }

  async get(digest: string): Promise<Uint8Array> {
    const data = await this.storage.get(key(digest));
    if (!data) throw new Error(`content ${digest}: not found`);
    const got = await digestOf(data);
    if (got !== digest) throw new DigestMismatchError(`content ${digest}: stored bytes have digest ${got}`);
    return data;
  }

  async delete(digest: string): Promise<void> {
    await this.storage.delete(key(digest));
  }

  async list(): Promise<string[]> {
    return (await this.storage.list("blobs/sha256/")).map((k) => `sha256:${k.slice("blobs/sha256/".length)}`).filter(isDigest);
  }
}
