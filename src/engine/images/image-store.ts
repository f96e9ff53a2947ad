// Images and the names that point at them (dockerd's image store and reference store).
// An image's ID is the digest of its config blob; its layers are blobs in the content
// store, listed here with their uncompressed digests (diff IDs) and sizes.
import type { ImageConfigBlob } from "../api-types";
import type { ContentStore } from "../content/content-store";
import { getJson, putJson, type Storage } from "../store/storage";
import { parseAnyReference, referenceString, type NamedReference } from "./reference";

export interface LayerRecord {
  /** sha256 of the uncompressed tar: the layer's identity in the guest. */
  diffId: string;
  /** The blob in the content store (compressed or not, per mediaType). */
  blob: string;
  mediaType: string;
  /** Uncompressed size in bytes. */
  size: number;
}

export interface ImageRecord {
  id: string;
  config: ImageConfigBlob;
  layers: LayerRecord[];
  /** Full references, e.g. "docker.io/library/busybox:latest". */
  repoTags: string[];
  /** "docker.io/library/busybox@sha256:…" for images that came from a registry. */
  repoDigests: string[];
  /** The parent image ID for images made by commit (build cache in Docker). */
  parent: string;
  lastTagTime: string;
}

export class ImageNotFoundError extends Error {}

export class ImageStore {
  private images = new Map<string, ImageRecord>();
  private refs = new Map<string, string>();

  private constructor(
    private readonly storage: Storage,
    readonly content: ContentStore,
  ) {}

  static async open(storage: Storage, content: ContentStore): Promise<ImageStore> {
    const s = new ImageStore(storage, content);
    const keys = await storage.list("images/");
    // A damaged record (a torn write in an old browser store) loses that image, not the store.
    const records = await Promise.all(keys.map((k) => getJson<ImageRecord>(storage, k).catch(() => null)));
    for (const r of records) {
      if (!r) continue;
      s.images.set(r.id, r);
      for (const t of r.repoTags) s.refs.set(t, r.id);
      for (const d of r.repoDigests) s.refs.set(d, r.id);
    }
    return s;
  }

  list(): ImageRecord[] {
    return [...this.images.values()];
  }

  get(id: string): ImageRecord | undefined {
    return this.images.get(id);
  }

  /** The image a reference names: a full or short ID, or a name with tag or digest. */
  resolve(s: string): ImageRecord | undefined {
    // A name first, then an ID or unique ID prefix, as dockerd's GetImage does.
    let ref;
    try {
      ref = parseAnyReference(s);
    } catch {
      ref = undefined;
    }
    if (ref?.kind === "digest") return this.images.get(ref.digest);
    if (ref) {
      const full = referenceString(ref.tag || ref.digest ? ref : { ...ref, tag: "latest" });
      const id = this.refs.get(full);
      if (id) return this.images.get(id);
    }
    if (/^(sha256:)?[a-f0-9]{1,64}$/.test(s)) {
      const hex = s.replace(/^sha256:/, "");
      const byId = [...this.images.keys()].filter((id) => id.slice(7).startsWith(hex));
      if (byId.length === 1) return this.images.get(byId[0]!);
    }
    return undefined;
  }

  async add(image: Omit<ImageRecord, "repoTags" | "repoDigests" | "lastTagTime">, repoDigest?: string): Promise<ImageRecord> {
    const existing = this.images.get(image.id);
    const rec: ImageRecord = existing ?? { ...image, repoTags: [], repoDigests: [], lastTagTime: "0001-01-01T00:00:00Z" };
    if (repoDigest && !rec.repoDigests.includes(repoDigest)) {
      rec.repoDigests.push(repoDigest);
      this.refs.set(repoDigest, rec.id);
    }
    this.images.set(rec.id, rec);
    await this.save(rec);
    return rec;
  }

  /** Point a tag at an image, taking it from whichever image had it. Returns the image that lost it. */
  async tag(id: string, ref: NamedReference): Promise<ImageRecord | undefined> {
    const full = referenceString(ref);
    const rec = this.images.get(id);
    if (!rec) throw new ImageNotFoundError(`No such image: ${id}`);
    const prevId = this.refs.get(full);
    let prev: ImageRecord | undefined;
    if (prevId && prevId !== id) {
      prev = this.images.get(prevId);
      if (prev) {
        prev.repoTags = prev.repoTags.filter((t) => t !== full);
        await this.save(prev);
      }
    }
    if (!rec.repoTags.includes(full)) rec.repoTags.push(full);
    rec.lastTagTime = new Date().toISOString();
    this.refs.set(full, id);
    await this.save(rec);
    return prev;
  }

  /** Remove one name (tag or digest reference). */
  async untag(full: string): Promise<ImageRecord | undefined> {
    const id = this.refs.get(full);
    if (!id) return undefined;
    this.refs.delete(full);
    const rec = this.images.get(id);
    if (!rec) return undefined;
    rec.repoTags = rec.repoTags.filter((t) => t !== full);
    rec.repoDigests = rec.repoDigests.filter((t) => t !== full);
    await this.save(rec);
    return rec;
  }

  /** Forget an image and drop blobs no other image uses. */
  async delete(id: string): Promise<void> {
    const rec = this.images.get(id);
    if (!rec) return;
    for (const r of [...rec.repoTags, ...rec.repoDigests]) this.refs.delete(r);
    this.images.delete(id);
    await this.storage.delete(`images/${id.slice(7)}.json`);
    const used = new Set<string>();
    for (const other of this.images.values()) for (const l of other.layers) used.add(l.blob);
    for (const l of rec.layers) if (!used.has(l.blob)) await this.content.delete(l.blob);
  }

  /** Images whose layers continue this one's (Docker lists them as children). */
  children(id: string): ImageRecord[] {
    const rec = this.images.get(id);
    if (!rec) return [];
    return this.list().filter((o) => o.parent === id);
  }

  private save(rec: ImageRecord): Promise<void> {
    return putJson(this.storage, `images/${rec.id.slice(7)}.json`, rec);
  }
}

/** Sum of the uncompressed layer sizes: what `docker images` shows as SIZE. */
export function imageSize(rec: ImageRecord): number {
  return rec.layers.reduce((n, l) => n + l.size, 0);
}
