export const root: string;
export function cacheDir(): string;
export interface LockEntry { name: string; arch: string; version: string; role: string }
export function readLock(): LockEntry[];
export function debFileName(p: Pick<LockEntry, "name" | "arch" | "version">): string;
export function kernelKey(): string;
export interface Keys { kernel: string; bios: string; agent: string; initramfs: string; snapshot: string; images: string }
export function keys(): Keys;
export interface Artifacts {
  bzImage: string; bios: string; vgaBios: string; agent: string; systemdStub: string; initramfs: string;
  busybox: string; snapshot: string; v86Wasm: string;
  /** The offline base images: one OCI image layout directory, and its index.json. */
  imagesDir: string; imagesIndex: string;
}
export function artifacts(k?: Keys): Artifacts;
