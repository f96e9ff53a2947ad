import { createHash } from "node:crypto";
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { dirname, join, resolve } from "node:path";
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { defineConfig, type Connect, type Plugin, type ResolvedConfig } from "vite";
import { artifacts, keys } from "./scripts/vm/lib.mjs";
import type { VmAsset, VmManifest } from "./src/sandbox/vm-manifest";
import { berthContent } from "./scripts/content-plugin.mjs";

const VIRTUAL_ID = "virtual:berth-vm";
const RESOLVED_ID = "\0" + VIRTUAL_ID;
const IMMUTABLE = "public, max-age=31536000, immutable";

interface VmFile {
  /** Absolute path in the build cache (or node_modules for v86.wasm). */
  path: string;
  /** Content-hashed file name under /vm/. */
  name: string;
  size: number;
}

interface Collected {
  manifest: VmManifest;
  /** name -> file, for the dev server and the build. */
  files: Map<string, VmFile>;
  /** The offline images' OCI layout: path under /images/ ("<key>/blobs/sha256/…") -> file. */
  imageFiles: Map<string, VmFile>;
}

/** The files of an OCI layout, keyed by their path under /images/<key>/; empty if it was not built. */
function layoutFiles(dir: string, key: string): Map<string, VmFile> {
  const out = new Map<string, VmFile>();
  if (!existsSync(join(dir, "index.json"))) return out;
  const blobs = join(dir, "blobs", "sha256");
  const rels = ["oci-layout", "index.json", ...readdirSync(blobs).map((b) => `blobs/sha256/${b}`)];
  for (const rel of rels) {
    const path = join(dir, rel);
    if (!existsSync(path)) continue;
    const name = `${key}/${rel}`;
    out.set(name, { path, name, size: statSync(path).size });
  }
  return out;
}

// Hashing ~20 MB takes a few tens of ms; remember results until the file changes.
const hashMemo = new Map<string, { stamp: string; hash: string }>();

function contentHash(path: string, size: number, mtimeMs: number): string {
  const stamp = `${size}:${mtimeMs}`;
  const hit = hashMemo.get(path);
  if (hit?.stamp === stamp) return hit.hash;
  const hash = createHash("sha256").update(readFileSync(path)).digest("hex");
  hashMemo.set(path, { stamp, hash });
  return hash;
}

/** Reads the build cache. Missing artifacts are listed, not fatal: the VM build may still be running. */
function collect(base: string): Collected {
  const k = keys();
  const a = artifacts(k);
  const files = new Map<string, VmFile>();
  const missing: string[] = [];
  const add = (label: string, path: string, stem: string, ext: string, knownSha?: string): (VmAsset & { sha256: string }) | null => {
    if (!existsSync(path)) {
      missing.push(label);
      return null;
    }
    const st = statSync(path);
    const sha256 = knownSha ?? contentHash(path, st.size, st.mtimeMs);
    const name = `${stem}.${sha256.slice(0, 16)}${ext}`;
    files.set(name, { path, name, size: st.size });
    return { url: `${base}vm/${name}`, size: st.size, sha256 };
  };
  const sidecar = `${a.snapshot}.sha256`;
  const snapSha = existsSync(sidecar) ? readFileSync(sidecar, "utf8").trim() : undefined;
  const wasm = add("v86.wasm", a.v86Wasm, "v86", ".wasm");
  const bios = add("bios", a.bios, "bios-256k", ".bin");
  const vgaBios = add("vga bios", a.vgaBios, "vgabios-stdvga", ".bin");
  const snapshot = add("snapshot", a.snapshot, "state", ".bin.zst", snapSha);
  const bzImage = add("kernel", a.bzImage, "bzImage", "");
  const initrd = add("initramfs", a.initramfs, "initramfs", ".cpio");
  const imageFiles = layoutFiles(a.imagesDir, k.images);
  if (!imageFiles.size) missing.push("images");
  const strip = (x: (VmAsset & { sha256: string }) | null): VmAsset | null => (x ? { url: x.url, size: x.size } : null);
  const placeholder: VmAsset = { url: "", size: 0 };
  return {
    files,
    imageFiles,
    manifest: {
      wasm: strip(wasm) ?? placeholder,
      bios: strip(bios) ?? placeholder,
      vgaBios: strip(vgaBios) ?? placeholder,
      snapshot,
      bzImage: strip(bzImage),
      initrd: strip(initrd),
      images: imageFiles.size ? { root: `${base}images/${k.images}/` } : null,
      missing,
    },
  };
}

function sendFile(res: ServerResponse, file: VmFile, method: string | undefined): void {
  res.statusCode = 200;
  res.setHeader("Content-Type", file.name.endsWith(".wasm") ? "application/wasm" : file.name.endsWith(".json") ? "application/json" : "application/octet-stream");
  res.setHeader("Content-Length", String(file.size));
  res.setHeader("Cache-Control", IMMUTABLE);
  if (method === "HEAD") {
    res.end();
    return;
  }
  createReadStream(file.path).pipe(res);
}

/** Hashed build output never changes under its name, so browsers may keep it forever. */
const immutableHeaders: Connect.NextHandleFunction = (req, res, next) => {
  if (req.url && /^\/(vm|assets|images)\//.test(req.url)) res.setHeader("Cache-Control", IMMUTABLE);
  next();
};

/**
 * Makes the VM artifacts from the build cache available without copying them into the
 * repo: served from the cache in dev, copied to dist/vm/ (the offline images' layout to
 * dist/images/<key>/) on build, described by `virtual:berth-vm`.
 */
function berthVm(): Plugin {
  let config: ResolvedConfig;
  let lastManifest = "";
  /** What the bundled manifest describes; the build copies exactly these files. */
  let bundled: Collected | undefined;
  return {
    name: "berth-vm",
    configResolved(c) {
      config = c;
    },
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      bundled = collect(config.base);
      lastManifest = JSON.stringify(bundled.manifest);
      if (bundled.manifest.missing.length) {
        config.logger.warn(`[berth-vm] missing VM artifacts: ${bundled.manifest.missing.join(", ")} (run 'npm run vm:build')`);
      }
      return `export const manifest = ${lastManifest};\n`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        // A page load picks up artifacts that the VM build finished since the last one.
        if (req.url === "/" || req.url === "/index.html") {
          const now = JSON.stringify(collect(config.base).manifest);
          if (lastManifest && now !== lastManifest) {
            const graph = server.environments.client.moduleGraph;
            const mod = graph.getModuleById(RESOLVED_ID);
            if (mod) graph.invalidateModule(mod);
          }
        }
        next();
      });
      server.middlewares.use("/vm", (req, res, next) => {
        const name = decodeURIComponent((req.url ?? "").split("?")[0]!.replace(/^\//, ""));
        const file = collect(config.base).files.get(name);
        if (!file) return next();
        sendFile(res, file, req.method);
      });
      server.middlewares.use("/images", (req, res, next) => {
        const name = decodeURIComponent((req.url ?? "").split("?")[0]!.replace(/^\//, ""));
        const file = collect(config.base).imageFiles.get(name);
        if (!file) return next();
        sendFile(res, file, req.method);
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use(immutableHeaders);
    },
    writeBundle(options) {
      const dist = resolve(config.root, options.dir ?? config.build.outDir);
      const out = join(dist, "vm");
      mkdirSync(out, { recursive: true });
      // The cache keeps each build under its own key, so these paths stay valid even if
      // the VM build finished a newer one meanwhile.
      const files = bundled ?? collect(config.base);
      for (const f of files.files.values()) copyFileSync(f.path, join(out, f.name));
      for (const f of files.imageFiles.values()) {
        const to = join(dist, "images", f.name);
        mkdirSync(dirname(to), { recursive: true });
        copyFileSync(f.path, to);
      }
    },
  };
}

/**
 * v86 reaches for Node built-ins only when it runs under Node; in the browser those
 * branches are dead. An empty module keeps them out of the bundle (and the warnings out
 * of the build log).
 */
function v86NodeStubs(): Plugin {
  const STUB = "\0berth-v86-node-stub";
  return {
    name: "berth-v86-node-stubs",
    enforce: "pre",
    resolveId(id, importer) {
      if (importer && /[\\/]node_modules[\\/]v86[\\/]/.test(importer) && /^(node:)?(fs|fs\/promises|crypto|perf_hooks)$/.test(id)) {
        return STUB;
      }
      return undefined;
    },
    load(id) {
      return id === STUB ? "export default {};" : undefined;
    },
  };
}

export default defineConfig({
  plugins: [v86NodeStubs(), svelte(), berthVm(), berthContent()],
  worker: { format: "es", plugins: () => [v86NodeStubs()] },
  build: {
    target: "es2022",
    // Monaco is one big lazily loaded chunk by design.
    chunkSizeWarningLimit: 4096,
    reportCompressedSize: false,
    // The worker bundle is slow to transform on two cores; the timing report is noise.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});
