// Images made from files rather than pulled: `commit` (a container's changes as a new
// layer on its image), `import` (a tar as a one-layer image), and `save`/`load` (image
// archives). Layers are kept uncompressed in the content store, named by their diff IDs.
import type { ContainerConfig, JsonMessage } from "../api-types";
import { readTar, TarFormatError } from "../archive/tar";
import { EngineError } from "../errors";
import { digestOf } from "../util/digest";
import { gunzip, isGzip } from "../util/gzip";
import { applyChanges } from "./changes";
import { ArchiveError, readImageArchive, writeDockerArchive, type SaveImage } from "./docker-archive";
import { childImageConfig, configBytes, EMPTY_LAYER_DIFF_ID, importedImageConfig } from "./image-config";
import type { ImageRecord, ImageStore, LayerRecord } from "./image-store";
import { MEDIA } from "./oci";
import { bar } from "./pull";
import { familiarString, isNameOnly, parseAnyReference, parseNormalizedNamed, referenceString, type NamedReference } from "./reference";

/** A load or import failure, which dockerd reports inside its JSON stream (printed without "Error response from daemon"). */
export class SnapshotError extends EngineError {}
export class ReferenceNotFoundError extends Error {}

/** Go's archive/tar says "unexpected EOF" where Berth's reader says more. */
const goTarError = (message: string) => (message.startsWith("unexpected EOF") ? "unexpected EOF" : message);

async function storeLayer(store: ImageStore, tar: Uint8Array): Promise<LayerRecord> {
  const diffId = await store.content.put(tar);
  return { diffId, blob: diffId, mediaType: MEDIA.dockerLayerTar, size: tar.length };
}

async function storeConfig(store: ImageStore, cfg: Parameters<typeof configBytes>[0]): Promise<string> {
  return store.content.put(configBytes(cfg));
}

/** CommitImage: the container's changes (a layer tar) on top of its image. */
export async function commitImage(
  store: ImageStore,
  opts: { parent: ImageRecord; layer: Uint8Array; author: string; comment: string; containerId: string; containerConfig: ContainerConfig; config: Partial<ContainerConfig>; dockerVersion: string },
): Promise<ImageRecord> {
  const diffId = await digestOf(opts.layer);
  const empty = diffId === EMPTY_LAYER_DIFF_ID;
  const cfg = childImageConfig({ ...opts, parent: opts.parent.config, diffId });
  const layers = [...opts.parent.layers];
  if (!empty) layers.push(await storeLayer(store, opts.layer));
  const id = await storeConfig(store, cfg);
  return store.add({ id, config: cfg, layers, parent: opts.parent.id });
}

/** ImportImage: a (possibly gzipped) filesystem tar as a one-layer image. */
export async function importImage(store: ImageStore, opts: { data: Uint8Array; changes: readonly string[]; message: string; dockerVersion: string }): Promise<ImageRecord> {
  const tar = isGzip(opts.data) ? await gunzip(opts.data) : opts.data;
  try {
    readTar(tar);
  } catch (e) {
    if (e instanceof TarFormatError) throw new SnapshotError(`Error processing tar file(exit status 1): ${goTarError(e.message)}`);
    throw e;
  }
  const config = applyChanges({}, opts.changes);
  const layer = await storeLayer(store, tar);
  const cfg = importedImageConfig(layer.diffId, config, opts.message, opts.dockerVersion);
  const id = await storeConfig(store, cfg);
  return store.add({ id, config: cfg, layers: [layer], parent: "" });
}

/**
 * The images and tags `docker save NAME...` means (dockerd's parseNames): a name without a
 * tag is every tag of that repository, a tagged name is that tag, anything else an image ID.
 */
export function resolveSaveNames(store: ImageStore, names: readonly string[]): { img: ImageRecord; tags: string[] }[] {
  const picked = new Map<string, { img: ImageRecord; tags: string[] }>();
  const add = (img: ImageRecord, tag?: NamedReference) => {
    const p = picked.get(img.id) ?? { img, tags: [] };
    picked.set(img.id, p);
    if (tag?.tag !== undefined) {
      const t = familiarString(tag);
      if (!p.tags.includes(t)) p.tags.push(t);
    }
  };
  for (const name of names) {
    let named: NamedReference | undefined;
    try {
      const any = parseAnyReference(name);
      if (any.kind !== "digest") named = parseNormalizedNamed(name);
    } catch {
      named = undefined;
    }
    if (named && isNameOnly(named)) {
      const repo = `${named.domain}/${named.path}:`;
      const tagged = store.list().flatMap((img) => img.repoTags.filter((t) => t.startsWith(repo)).map((t) => ({ img, t })));
      for (const { img, t } of tagged) add(img, parseNormalizedNamed(t));
      if (tagged.length) continue;
    } else if (named) {
      const img = store.resolve(referenceString(named));
      if (!img) throw new ReferenceNotFoundError("reference does not exist");
      add(img, named.digest === undefined ? named : undefined);
      continue;
    }
    const img = store.resolve(name);
    if (!img) throw new ReferenceNotFoundError(`No such image: ${name}`);
    add(img);
  }
  return [...picked.values()];
}

/** docker save: a docker-archive tar of the named images. */
export async function saveImages(store: ImageStore, picks: readonly { img: ImageRecord; tags: string[] }[], layerTar: (l: LayerRecord) => Promise<Uint8Array>): Promise<Uint8Array> {
  const images: SaveImage[] = [];
  for (const { img, tags } of picks) {
    images.push({
      id: img.id,
      configBytes: await store.content.get(img.id),
      config: img.config,
      repoTags: tags,
      parent: img.parent,
      layers: () => Promise.all(img.layers.map(layerTar)),
    });
  }
  return writeDockerArchive(images);
}

/** docker load: store every image of the archive and tag it; returns the lines dockerd streams. */
export async function loadImages(store: ImageStore, data: Uint8Array, progress: (m: JsonMessage) => void): Promise<{ images: ImageRecord[]; tagged: { ref: NamedReference; id: string }[] }> {
  let loaded;
  try {
    loaded = await readImageArchive(data);
  } catch (e) {
    if (e instanceof ArchiveError) throw new SnapshotError(e.message);
    if (e instanceof TarFormatError) throw new SnapshotError(`Error processing tar file(exit status 1): ${goTarError(e.message)}`);
    throw e;
  }
  const out: ImageRecord[] = [];
  const tagged: { ref: NamedReference; id: string }[] = [];
  for (const l of loaded) {
    const layers: LayerRecord[] = [];
    for (const tar of l.layers) {
      const short = (await digestOf(tar)).slice(7, 19);
      progress({ status: "Loading layer", id: short, progressDetail: { current: tar.length, total: tar.length }, progress: bar(tar.length, tar.length) });
      layers.push(await storeLayer(store, tar));
    }
    const id = await store.content.put(l.configBytes);
    const rec = await store.add({ id, config: l.config, layers, parent: "" });
    out.push(rec);
    if (!l.repoTags.length) {
      progress({ stream: `Loaded image ID: ${id}\n` });
      continue;
    }
    for (const t of l.repoTags) {
      let ref: NamedReference;
      try {
        ref = parseNormalizedNamed(t);
      } catch (e) {
        throw new SnapshotError(`invalid reference format: ${(e as Error).message}`);
      }
      const prev = store.resolve(referenceString(ref));
      if (prev && prev.id !== id) {
        progress({ stream: `The image ${familiarString(ref)} already exists, renaming the old one with ID ${prev.id} to empty string\n` });
      }
      await store.tag(id, ref);
      tagged.push({ ref, id });
      progress({ stream: `Loaded image: ${familiarString(ref)}\n` });
    }
  }
  return { images: out, tagged };
}
