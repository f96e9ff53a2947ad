// The browser's ImageSource: fetches the VM files named in the manifest, keeps them in
// Cache Storage under their content-hashed URLs (so a second visit, or an offline one,
// needs no network), reports byte progress, and checks the snapshot's sha256 before
// anything is used or cached.
import type { MachineImages } from "./machine";
import type { ImageSource } from "./vm";
import type { VmAsset, VmManifest } from "./vm-manifest";

export interface LoadProgress {
  loaded: number;
  total: number;
  /** Every file of this step came from Cache Storage. */
  fromCache: boolean;
}

const CACHE_NAME = "berth-vm-v1";

async function openCache(): Promise<Cache | null> {
  try {
    // Missing in insecure contexts and some private modes; then we just download.
    return typeof caches === "undefined" ? null : await caches.open(CACHE_NAME);
  } catch {
    return null;
  }
}

function absolute(asset: VmAsset): string {
  return new URL(asset.url, self.location.href).href;
}

async function sha256Hex(buf: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buf));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Streams one file into a buffer of the size the manifest promised. */
async function download(url: string, size: number, onBytes: (n: number) => void): Promise<ArrayBuffer> {
  const res = await fetch(url);
  if (!res.ok || !res.body) throw new Error(`could not fetch ${url} (HTTP ${res.status})`);
  let out = new Uint8Array(size);
  let off = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (off + value.length > out.length) {
      // The server sent more than the manifest said; keep going and let the check below fail.
      const grown = new Uint8Array(Math.max(out.length * 2, off + value.length));
      grown.set(out);
      out = grown;
    }
    out.set(value, off);
    off += value.length;
    onBytes(value.length);
  }
  if (off !== size) throw new Error(`${url} is ${off} bytes, expected ${size}`);
  return out.buffer;
}

/** A file to load; `sha256` makes a download count only if its bytes match. */
interface Wanted extends VmAsset {
  sha256?: string;
}

class ChecksumError extends Error {}

class Loader {
  private cache: Promise<Cache | null> | undefined;

  private openCache(): Promise<Cache | null> {
    return (this.cache ??= openCache());
  }

  /** Loads files in parallel with one combined progress report. */
  async loadAll(assets: Wanted[], onProgress: (p: LoadProgress) => void): Promise<ArrayBuffer[]> {
    const cache = await this.openCache();
    const total = assets.reduce((n, a) => n + a.size, 0);
    let loaded = 0;
    let fromCache = true;
    const report = () => onProgress({ loaded, total, fromCache });
    report();
    return Promise.all(
      assets.map(async (asset) => {
        const url = absolute(asset);
        const hit = await cache?.match(url).catch(() => undefined);
        if (hit) {
          // Only verified bytes are ever stored, so a hit needs no second check.
          const buf = await hit.arrayBuffer();
          if (buf.byteLength === asset.size) {
            loaded += buf.byteLength;
            report();
            return buf;
          }
        }
        fromCache = false;
        const buf = await download(url, asset.size, (n) => {
          loaded += n;
          report();
        });
        if (asset.sha256 && (await sha256Hex(buf)) !== asset.sha256) throw new ChecksumError(`checksum mismatch for ${url}`);
        // new Response() copies the bytes at once, so v86 may keep (and mutate) buf.
        // Quota errors only cost the next visit a download.
        if (cache) void cache.put(url, new Response(buf)).catch(() => {});
        return buf;
      }),
    );
  }
}

/** v86 loads its wasm by URL; a blob URL of the cached bytes makes that work offline too. */
function blobUrl(wasm: ArrayBuffer): string {
  return URL.createObjectURL(new Blob([wasm], { type: "application/wasm" }));
}

export interface BrowserImageSource extends ImageSource {
  /** Starts loading the snapshot's files now; the next snapshot() call picks them up. */
  prefetch(): void;
}

export function browserImages(manifest: VmManifest, onProgress: (p: LoadProgress) => void): BrowserImageSource {
  const loader = new Loader();
  let wasmUrl: string | undefined;
  let prefetched: Promise<MachineImages | null> | undefined;
  const required = () => {
    const gone = manifest.missing.filter((m) => ["v86.wasm", "bios", "vga bios"].includes(m));
    if (gone.length) throw new Error(`this site is missing VM files: ${gone.join(", ")}`);
  };
  const base = async (extra: Wanted[]) => {
    required();
    const assets: Wanted[] = [manifest.bios, manifest.vgaBios, ...extra];
    if (!wasmUrl) assets.push(manifest.wasm);
    const bufs = await loader.loadAll(assets, onProgress);
    if (!wasmUrl) wasmUrl = blobUrl(bufs.pop()!);
    const [bios, vgaBios, ...rest] = bufs;
    return { images: { wasmPath: wasmUrl, bios: bios!, vgaBios: vgaBios! }, rest };
  };
  const loadSnapshot = async (): Promise<MachineImages | null> => {
    const snap = manifest.snapshot;
    if (!snap) return null;
    // A checksum mismatch throws, and the Vm falls back to a cold boot with a notice.
    const { images, rest } = await base([snap]);
    return { ...images, state: rest[0]! };
  };
  return {
    prefetch() {
      prefetched ??= loadSnapshot();
      prefetched.catch(() => {}); // reported when snapshot() hands it over
    },
    snapshot() {
      const p = prefetched ?? loadSnapshot();
      prefetched = undefined;
      return p;
    },
    async coldBoot(): Promise<MachineImages> {
      if (!manifest.bzImage || !manifest.initrd) throw new Error("this site is missing the kernel and initramfs");
      const { images, rest } = await base([manifest.bzImage, manifest.initrd]);
      return { ...images, bzImage: rest[0]!, initrd: rest[1]! };
    },
  };
}

/** Drops cached files of older builds; call once the VM is up. */
export async function pruneImageCache(manifest: VmManifest): Promise<void> {
  const cache = await openCache();
  if (!cache) return;
  const keep = new Set(
    [manifest.wasm, manifest.bios, manifest.vgaBios, manifest.snapshot, manifest.bzImage, manifest.initrd]
      .filter((a): a is VmAsset => !!a && !!a.url)
      .map(absolute),
  );
  for (const req of await cache.keys()) if (!keep.has(req.url)) await cache.delete(req);
}
