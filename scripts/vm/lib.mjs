// Where the VM build keeps its outputs and how each output is keyed.
// Plain Node (no dependencies): setup runs this before node_modules exists, and the
// Vite plugin and the Node sandbox use it to find the artifacts.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Build outputs live outside the checkout so a clean clone reuses them. */
export function cacheDir() {
  if (process.env.BERTH_CACHE) return resolve(process.env.BERTH_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(base, "berth");
}

/** @returns {{name: string, arch: string, version: string, role: string}[]} */
export function readLock() {
  const text = readFileSync(join(root, "vm/debian.lock"), "utf8");
  const out = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const [name, arch, version, role] = line.split(/\s+/);
    if (!name || !arch || !version || !role) throw new Error(`vm/debian.lock: bad line: ${raw}`);
    out.push({ name, arch, version, role });
  }
  return out;
}

/** The .deb file name apt-get download gives a package (':' in versions becomes %3a). */
export function debFileName(p) {
  return `${p.name}_${p.version.replace(/:/g, "%3a")}_${p.arch}.deb`;
}

function hashOf(parts) {
  const h = createHash("sha256");
  for (const p of parts) {
    h.update(String(p.length) + ":");
    h.update(p);
  }
  return h.digest("hex").slice(0, 16);
}

const file = (rel) => readFileSync(join(root, rel));

function v86Version() {
  const pkg = join(root, "node_modules/v86/package.json");
  return existsSync(pkg) ? JSON.parse(readFileSync(pkg, "utf8")).version : "missing";
}

function lockLines(role) {
  return readLock()
    .filter((p) => role.includes(p.role))
    .map((p) => `${p.name} ${p.arch} ${p.version}`)
    .join("\n");
}

/**
 * Cache keys for every build output. Each key hashes exactly the inputs of that step
 * (and the keys of the steps it consumes), so a change rebuilds only what depends on it.
 */
export const kernelKey = () =>
  hashOf([lockLines(["kernel"]), file("vm/kernel.config"), file("scripts/vm/build-kernel.sh")]);

export function keys() {
  const kernel = kernelKey();
  const bios = hashOf([lockLines(["bios"])]);
  const agent = hashOf([
    lockLines(["host"]),
    file("vm/guest/agent.c"),
    file("vm/guest/docker.c"),
    file("vm/guest/console.c"),
    file("vm/guest/protocol.h"),
    file("vm/guest/libsystemd-stub.c"),
    file("vm/guest/libsystemd.map"),
    file("scripts/vm/build-agent.sh"),
  ]);
  const initramfs = hashOf([
    lockLines(["guest"]),
    file("scripts/vm/build-initramfs.sh"),
    agent,
  ]);
  // A saved state restores only under the same v86 build and device options.
  const snapshot = hashOf([
    kernel,
    initramfs,
    bios,
    v86Version(),
    file("src/sandbox/machine.ts"),
    file("scripts/vm/snapshot.ts"),
  ]);
  // The offline images: their lock, their definitions (with extra files) and their builder.
  const imageInputs = readdirSync(join(root, "vm/images"), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name).slice(root.length + 1))
    .sort();
  const images = hashOf([
    file("vm/images.lock"),
    ...imageInputs.flatMap((f) => [f, file(f)]),
    file("scripts/images/build.mjs"),
    file("scripts/images/lib.mjs"),
    file("scripts/images/tar.mjs"),
  ]);
  return { kernel, bios, agent, initramfs, snapshot, images };
}

/** Absolute paths of the artifacts for the current inputs. */
export function artifacts(k = keys()) {
  const c = cacheDir();
  return {
    bzImage: join(c, "kernel", k.kernel, "bzImage"),
    bios: join(c, "bios", k.bios, "bios-256k.bin"),
    vgaBios: join(c, "bios", k.bios, "vgabios-stdvga.bin"),
    agent: join(c, "agent", k.agent, "berth-agent"),
    systemdStub: join(c, "agent", k.agent, "libsystemd.so.0"),
    initramfs: join(c, "initramfs", k.initramfs, "initramfs.cpio"),
    busybox: join(c, "initramfs", k.initramfs, "busybox"),
    snapshot: join(c, "snapshot", k.snapshot, "state.bin.zst"),
    v86Wasm: join(root, "node_modules/v86/build/v86.wasm"),
    imagesDir: join(c, "images", k.images, "oci"),
    imagesIndex: join(c, "images", k.images, "oci", "index.json"),
  };
}
