// `docker save` / `docker load` archives. Save writes the docker-archive format dockerd 20.10
// writes (manifest.json, repositories, <config id>.json, a legacy v1 folder per layer with
// VERSION, json and layer.tar), so a real dockerd can load it. Load reads that format and
// OCI image layouts (index.json, blobs/sha256/…). Archive bytes are untrusted: every
// config and layer is checked against the digests that name it.
import type { ImageConfigBlob } from "../api-types";
import { readTar, writeTar, type TarEntry, type TarInput } from "../archive/tar";
import { digestOf, isDigest } from "../util/digest";
import { gunzip, isGzip } from "../util/gzip";
import { goJSON } from "../format/go-json";
import { chainIds, goContainerConfig } from "./image-config";
import { asIndex, asManifest, isObject } from "./oci";

export interface SaveImage {
  id: string;
  /** The config blob exactly as stored (its digest is the image ID). */
  configBytes: Uint8Array;
  config: ImageConfigBlob;
  /** Familiar tags to record ("busybox:latest"). */
  repoTags: string[];
  parent: string;
  /** Uncompressed layer tars, bottom first. */
  layers: () => Promise<Uint8Array[]>;
}

export interface LoadedImage {
  configBytes: Uint8Array;
  config: ImageConfigBlob;
  /** Uncompressed layer tars, bottom first, matching the config's diff IDs. */
  layers: Uint8Array[];
  /** Names as written in the archive ("busybox:latest", or full OCI names). */
  repoTags: string[];
}

export class ArchiveError extends Error {}

const enc = new TextEncoder();
const dec = new TextDecoder();
const EPOCH = "1970-01-01T00:00:00Z";

/** v1.CreateID: the legacy layer ID, a digest of the v1 JSON with layer_id and parent. */
async function v1Id(v1: Record<string, unknown>, chainId: string, parent: string): Promise<string> {
  const cfg: Record<string, unknown> = { ...v1, layer_id: chainId };
  delete cfg.id;
  if (parent) cfg.parent = parent;
  const sorted: Record<string, unknown> = {};
  for (const k of Object.keys(cfg).sort()) sorted[k] = cfg[k];
  return digestOf(enc.encode(goJSON(sorted, { escapeHTML: true })));
}

/** image.V1Image in Go's field order; the nested configs as the config blob has them. */
function v1Image(cfg: ImageConfigBlob | undefined): Record<string, unknown> {
  if (!cfg) return { created: EPOCH, container_config: goContainerConfig({}) };
  const out: Record<string, unknown> = {};
  if (cfg.comment) out.comment = cfg.comment;
  out.created = cfg.created ?? EPOCH;
  if (cfg.container) out.container = cfg.container;
  out.container_config = cfg.container_config ?? goContainerConfig({});
  if (cfg.docker_version) out.docker_version = cfg.docker_version;
  if (cfg.author) out.author = cfg.author;
  if (cfg.config) out.config = cfg.config;
  out.architecture = cfg.architecture;
  out.os = cfg.os;
  return out;
}

const seconds = (iso: string | undefined) => Math.floor((Date.parse(iso ?? "") || 0) / 1000);

/** docker save: one archive for all the given images. */
export async function writeDockerArchive(images: readonly SaveImage[]): Promise<Uint8Array> {
  const entries: TarInput[] = [];
  const manifest: Record<string, unknown>[] = [];
  const repositories: Record<string, Record<string, string>> = {};
  const savedLayers = new Map<string, string>(); // v1 id → its layer.tar path
  const byDiffId = new Map<string, string>(); // diff id → first layer.tar path written
  for (const img of images) {
    const diffIds = img.config.rootfs.diff_ids;
    if (!diffIds.length) throw new ArchiveError("empty export - not implemented");
    const tars = await img.layers();
    const chains = await chainIds(diffIds);
    const layers: string[] = [];
    let parent = "";
    for (let i = 0; i < diffIds.length; i++) {
      const top = i === diffIds.length - 1;
      const v1 = top ? v1Image(img.config) : v1Image(undefined);
      const id = await v1Id(v1, chains[i]!, parent);
      const hex = id.slice(7);
      const json = { id: hex, ...(parent ? { parent: parent.slice(7) } : {}), ...v1 };
      const mtime = seconds(String(v1.created));
      const path = `${hex}/layer.tar`;
      if (!savedLayers.has(hex)) {
        entries.push({ name: `${hex}`, type: "dir", mode: 0o755, mtime });
        entries.push({ name: `${hex}/VERSION`, type: "file", mode: 0o644, mtime, data: enc.encode("1.0") });
        entries.push({ name: `${hex}/json`, type: "file", mode: 0o644, mtime, data: enc.encode(goJSON(json, { escapeHTML: true })) });
        // The same layer under another v1 ID is a symlink to the first copy, as dockerd writes it.
        const first = byDiffId.get(diffIds[i]!);
        if (first) entries.push({ name: path, type: "symlink", mode: 0o777, mtime, linkname: `../${first}` });
        else {
          entries.push({ name: path, type: "file", mode: 0o644, mtime, data: tars[i]! });
          byDiffId.set(diffIds[i]!, path);
        }
        savedLayers.set(hex, path);
      }
      layers.push(path);
      parent = id;
    }
    entries.push({ name: `${img.id.slice(7)}.json`, type: "file", mode: 0o644, mtime: seconds(img.config.created), data: img.configBytes });
    manifest.push({ Config: `${img.id.slice(7)}.json`, RepoTags: img.repoTags.length ? img.repoTags : null, Layers: layers, ...(img.parent ? { Parent: img.parent } : {}) });
    for (const t of img.repoTags) {
      const colon = t.lastIndexOf(":");
      (repositories[t.slice(0, colon)] ??= {})[t.slice(colon + 1)] = parent.slice(7);
    }
  }
  entries.push({ name: "manifest.json", type: "file", mode: 0o644, data: enc.encode(JSON.stringify(manifest) + "\n") });
  if (Object.keys(repositories).length) entries.push({ name: "repositories", type: "file", mode: 0o644, data: enc.encode(JSON.stringify(repositories) + "\n") });
  // dockerd tars its staging folder, which lists names in lexical order.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return writeTar(entries.map((e) => ({ ...e, uname: "root", gname: "root" })));
}

/** docker load: the images of a docker-archive or OCI-layout tar (optionally gzipped). */
export async function readImageArchive(input: Uint8Array): Promise<LoadedImage[]> {
  const bytes = isGzip(input) ? await gunzip(input) : input;
  const entries = readTar(bytes);
  const files = new Map<string, TarEntry>();
  for (const e of entries) files.set(e.name, e);
  const read = (name: string, depth = 0): Uint8Array => {
    const e = files.get(name);
    if (!e) throw new ArchiveError(`open ${name}: no such file or directory`);
    if (e.type === "symlink" && depth < 8) return read(joinPath(name, e.linkname), depth + 1);
    if (e.type === "link") return read(e.linkname, depth + 1);
    if (e.type !== "file") throw new ArchiveError(`${name}: not a regular file`);
    return e.data;
  };
  const json = (name: string): unknown => {
    try {
      return JSON.parse(dec.decode(read(name)));
    } catch (e) {
      if (e instanceof ArchiveError) throw e;
      throw new ArchiveError(`${name}: ${(e as Error).message}`);
    }
  };
  const layer = async (data: Uint8Array) => (isGzip(data) ? gunzip(data) : data);
  const checked = async (configBytes: Uint8Array, layers: Uint8Array[], repoTags: string[]): Promise<LoadedImage> => {
    const config = JSON.parse(dec.decode(configBytes)) as ImageConfigBlob;
    const diffIds = config.rootfs?.diff_ids;
    if (!Array.isArray(diffIds) || diffIds.length !== layers.length) throw new ArchiveError("invalid manifest, layers length mismatch");
    for (const [i, l] of layers.entries()) {
      const got = await digestOf(l);
      if (got !== diffIds[i]) throw new ArchiveError(`layer ${i} of the archive has diff ID ${got}, the config says ${diffIds[i]}`);
    }
    return { configBytes, config, layers, repoTags };
  };

  if (files.has("manifest.json")) {
    const manifest = json("manifest.json");
    if (!Array.isArray(manifest)) throw new ArchiveError("invalid manifest.json");
    const out: LoadedImage[] = [];
    for (const m of manifest) {
      if (!isObject(m) || typeof m.Config !== "string" || !Array.isArray(m.Layers)) throw new ArchiveError("invalid manifest.json");
      const layers: Uint8Array[] = [];
      for (const l of m.Layers) {
        if (typeof l !== "string") throw new ArchiveError("invalid manifest.json");
        layers.push(await layer(read(l)));
      }
      const tags = Array.isArray(m.RepoTags) ? m.RepoTags.filter((t): t is string => typeof t === "string") : [];
      out.push(await checked(read(m.Config), layers, tags));
    }
    return out;
  }
  if (files.has("index.json")) {
    const blob = (digest: string) => {
      if (!isDigest(digest)) throw new ArchiveError(`invalid digest ${digest}`);
      return read(`blobs/${digest.replace(":", "/")}`);
    };
    const verified = async (digest: string) => {
      const b = blob(digest);
      if ((await digestOf(b)) !== digest) throw new ArchiveError(`blob ${digest} does not match its digest`);
      return b;
    };
    const index = asIndex(json("index.json"), "index.json");
    const out: LoadedImage[] = [];
    const visit = async (desc: { digest: string; mediaType: string; annotations?: Record<string, string> }, name: string | undefined): Promise<void> => {
      const body: unknown = JSON.parse(dec.decode(await verified(desc.digest)));
      if (isObject(body) && Array.isArray(body.manifests)) {
        for (const d of asIndex(body, desc.digest).manifests) {
          if (d.platform && d.platform.architecture !== "386") continue;
          await visit(d, name ?? d.annotations?.["io.containerd.image.name"]);
        }
        return;
      }
      const m = asManifest(body, desc.digest);
      const layers: Uint8Array[] = [];
      for (const l of m.layers) layers.push(await layer(await verified(l.digest)));
      out.push(await checked(await verified(m.config.digest), layers, name ? [name] : []));
    };
    for (const d of index.manifests) await visit(d, d.annotations?.["io.containerd.image.name"]);
    return out;
  }
  // dockerd falls back to the legacy format, whose index is "repositories".
  const tmp = `docker-import-${String(Math.floor(Math.random() * 1e9)).padStart(9, "1")}`;
  throw new ArchiveError(`open /var/lib/berth/tmp/${tmp}/repositories: no such file or directory`);
}

function joinPath(from: string, link: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const s of link.split("/")) {
    if (s === "..") parts.pop();
    else if (s && s !== ".") parts.push(s);
  }
  return parts.join("/");
}
