// The offline images as the browser reaches them: the OCI layout the site serves under a
// content-keyed folder (vite.config.ts puts it at /images/<key>/). Files are fetched only
// when a pull asks for them and then kept in Cache Storage, so an image pulled once (or
// removed and pulled again) needs no network on the next visit, and a site with no server
// behind it keeps working offline. Nothing here is part of the VM snapshot.
import { digestOf } from "../util/digest";
import type { ReadFile } from "./offline-registry";

/** The part of the Cache Storage API this needs (a Map stands in for it in tests). */
export interface FileCache {
  match(url: string): Promise<Response | undefined>;
  put(url: string, res: Response): Promise<void>;
  keys(): Promise<readonly { url: string }[]>;
  delete(url: string): Promise<boolean>;
}

export const IMAGE_CACHE = "berth-images-v1";

/** The browser's Cache Storage, or null where it is missing (insecure contexts, some private modes). */
export async function imageCache(): Promise<FileCache | null> {
  try {
    if (typeof caches === "undefined") return null;
    const c = await caches.open(IMAGE_CACHE);
    return {
      match: (url) => c.match(url),
      put: (url, res) => c.put(url, res),
      keys: () => c.keys(),
      delete: (url) => c.delete(url),
    };
  } catch {
    return null;
  }
}

const BLOB = /^blobs\/sha256\/([a-f0-9]{64})$/;

/**
 * Reads the layout at `root` (an absolute URL ending in "/"). A blob's bytes are checked
 * against its name before they are cached, so a damaged download is never kept.
 */
export function siteLayoutReader(root: string, cache: Promise<FileCache | null>): ReadFile {
  return async (path) => {
    const url = new URL(path, root).href;
    const c = await cache;
    const hit = await c?.match(url).catch(() => undefined);
    if (hit) return new Uint8Array(await hit.arrayBuffer());
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not fetch ${url} (HTTP ${res.status})`);
    const data = new Uint8Array(await res.arrayBuffer());
    const blob = BLOB.exec(path);
    if (blob && (await digestOf(data)) !== `sha256:${blob[1]}`) throw new Error(`offline image blob sha256:${blob[1]} is corrupt`);
    // Quota errors only cost a later pull a download.
    if (c) void c.put(url, new Response(data)).catch(() => {});
    return data;
  };
}

/** Drops cached files of other image builds (their root differs). */
export async function pruneSiteLayouts(root: string, cache: Promise<FileCache | null>): Promise<void> {
  const c = await cache;
  if (!c) return;
  for (const req of await c.keys()) if (!req.url.startsWith(root)) await c.delete(req.url);
}
