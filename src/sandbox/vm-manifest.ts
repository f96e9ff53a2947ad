// What the page needs to know about the VM files before it fetches them. The Vite plugin
// (vite.config.ts) produces it from the build cache; the browser image source consumes it.

export interface VmAsset {
  /** Content-hashed URL, absolute path from the site root (safe to cache forever). */
  url: string;
  size: number;
}

export interface VmManifest {
  wasm: VmAsset;
  bios: VmAsset;
  vgaBios: VmAsset;
  /** null when no snapshot was built: the page cold-boots the kernel. */
  snapshot: (VmAsset & { sha256: string }) | null;
  bzImage: VmAsset | null;
  initrd: VmAsset | null;
  /**
   * The offline Docker images: an OCI image layout (index.json, blobs/sha256/…) under a
   * folder named by the images' build key, so a rebuild never meets a stale cached
   * index. The engine fetches files only when a pull needs them. null when not built.
   */
  images: { root: string } | null;
  /** Artifacts that were not built, for a clear error instead of a 404. */
  missing: string[];
}
