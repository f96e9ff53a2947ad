// `docker pull` from the offline set: copies manifest, config and layers into the content
// store (each checked against its digest, each layer against the config's diff IDs) and
// reports progress as the registry client does, in Docker's JSON messages.
import type { ImageConfigBlob, JsonMessage } from "../api-types";
import { digestOf } from "../util/digest";
import { gunzip } from "../util/gzip";
import type { ImageRecord, ImageStore, LayerRecord } from "./image-store";
import { isGzipLayer } from "./oci";
import type { OfflineRegistry } from "./offline-registry";
import { humanSize } from "../format/units";
import { familiarName, familiarString, referenceString, type NamedReference } from "./reference";

/** Docker's text for a repository the registry does not have. */
export class PullAccessDenied extends Error {}
/** A tag the repository does not have. */
export class ManifestUnknown extends Error {}

const shortId = (digest: string) => digest.slice(7, 19);

export async function pullImage(
  ref: NamedReference,
  registry: OfflineRegistry,
  images: ImageStore,
  progress: (m: JsonMessage) => void,
): Promise<ImageRecord> {
  const full = referenceString(ref);
  const found = await registry.find(full);
  if (!found) {
    const available = (await registry.names()).join(", ");
    const sameRepo = (await registry.list()).some((i) => i.name.startsWith(`${ref.domain}/${ref.path}:`));
    const hint = `Berth works offline; the images it can pull are: ${available}`;
    if (sameRepo) {
      throw new ManifestUnknown(`manifest for ${familiarString(ref)} not found: manifest unknown: manifest unknown (${hint})`);
    }
    throw new PullAccessDenied(
      `pull access denied for ${familiarName(ref)}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied (${hint})`,
    );
  }
  progress({ status: `Pulling from ${ref.path}`, id: ref.tag ?? ref.digest ?? "latest" });

  const configBytes = await registry.blob(found.manifest.config.digest);
  const config = JSON.parse(new TextDecoder().decode(configBytes)) as ImageConfigBlob;
  const id = await digestOf(configBytes);
  const existed = images.get(id);
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== found.manifest.layers.length) throw new Error(`${full}: manifest and config disagree on the layers`);

  // An image already here has nothing to fetch, and Docker prints no layer lines for it.
  const layers: LayerRecord[] = existed ? [...existed.layers] : [];
  for (const [i, d] of existed ? [] : found.manifest.layers.entries()) {
    const sid = shortId(d.digest);
    if (await images.content.has(d.digest)) {
      const known = images.list().flatMap((im) => im.layers).find((l) => l.blob === d.digest);
      if (known) {
        progress({ status: "Already exists", id: sid, progressDetail: {} });
        layers.push(known);
        continue;
      }
    }
    progress({ status: "Pulling fs layer", id: sid, progressDetail: {} });
    const blob = await registry.blob(d.digest);
    progress({ status: "Downloading", id: sid, progressDetail: { current: blob.length, total: d.size }, progress: bar(blob.length, d.size) });
    progress({ status: "Verifying Checksum", id: sid, progressDetail: {} });
    progress({ status: "Download complete", id: sid, progressDetail: {} });
    const tar = isGzipLayer(d.mediaType) ? await gunzip(blob) : blob;
    const diffId = await digestOf(tar);
    if (diffId !== diffIds[i]) throw new Error(`${full}: layer ${d.digest} does not match the config's diff ID`);
    progress({ status: "Extracting", id: sid, progressDetail: { current: tar.length, total: tar.length }, progress: bar(tar.length, tar.length) });
    await images.content.put(blob, d.digest);
    layers.push({ diffId, blob: d.digest, mediaType: d.mediaType, size: tar.length });
    progress({ status: "Pull complete", id: sid, progressDetail: {} });
  }
  await images.content.put(configBytes, found.manifest.config.digest);
  const repoDigest = `${ref.domain}/${ref.path}@${found.manifestDigest}`;
  const rec = await images.add({ id, config, layers, parent: "" }, repoDigest);
  const tagged = ref.tag !== undefined && !rec.repoTags.includes(full);
  if (ref.tag !== undefined) await images.tag(id, ref);
  progress({ status: `Digest: ${found.manifestDigest}` });
  progress({
    status: existed && !tagged ? `Status: Image is up to date for ${familiarString(ref)}` : `Status: Downloaded newer image for ${familiarString(ref)}`,
  });
  return rec;
}

/** Docker's progress bar text: "[=====>     ]  1.2MB/3.4MB". */
export function bar(current: number, total: number): string {
  const width = 50;
  const filled = total > 0 ? Math.floor((width * Math.min(current, total)) / total) : width;
  const arrow = filled >= width ? "=".repeat(width) : "=".repeat(filled) + ">" + " ".repeat(width - filled - 1);
  return `[${arrow}] ${humanSize(current)}/${humanSize(total)}`;
}
