// Shared by the image lock, the image build and their tests: the image definitions
// (vm/images/*.json) and the pinned package lock (vm/images.lock).
// Plain Node (no dependencies), like scripts/vm/lib.mjs.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { root } from "../vm/lib.mjs";

export const lockPath = join(root, "vm/images.lock");
export const defsDir = join(root, "vm/images");

/**
 * @typedef {{name: string, tags: string[], base?: string, install: "busybox" | "dpkg" | "program",
 *   packages: string[], program?: {src: string, path: string}, description?: string, config: Record<string, unknown>,
 *   users?: {name: string, uid: number, gid: number, gecos?: string, home: string, shell: string}[],
 *   files?: Record<string, unknown>[], history?: string}} ImageDef
 */

/** The image definitions, bases before the images built on them. @returns {ImageDef[]} */
export function readImageDefs() {
  const defs = readdirSync(defsDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(defsDir, f), "utf8")));
  const out = [];
  const visit = (d, depth = 0) => {
    if (out.includes(d)) return;
    if (depth > 8) throw new Error(`vm/images: base cycle at ${d.name}`);
    if (d.base) {
      const b = defs.find((x) => x.name === d.base);
      if (!b) throw new Error(`vm/images/${d.name}.json: unknown base ${d.base}`);
      visit(b, depth + 1);
    }
    out.push(d);
  };
  defs.forEach((d) => visit(d));
  return out;
}

/**
 * @returns {{epoch: number, packages: {name: string, arch: string, version: string, layer: string}[]}}
 *   layer: the image whose own layer unpacks the package.
 */
export function readImagesLock(text = readFileSync(lockPath, "utf8")) {
  let epoch = 0;
  const packages = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "").trim();
    if (!line) continue;
    const f = line.split(/\s+/);
    if (f[0] === "SOURCE_DATE_EPOCH") {
      epoch = Number(f[1]);
      continue;
    }
    const [name, arch, version, layer] = f;
    if (!name || !arch || !version || !layer || f.length !== 4) throw new Error(`vm/images.lock: bad line: ${raw}`);
    packages.push({ name, arch, version, layer });
  }
  if (!Number.isInteger(epoch) || epoch <= 0) throw new Error("vm/images.lock: no SOURCE_DATE_EPOCH line");
  return { epoch, packages };
}
