// OCI image-spec shapes (index, manifest, descriptor) as the engine reads and writes them.

export const MEDIA = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layerTar: "application/vnd.oci.image.layer.v1.tar",
  layerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
  dockerLayerTar: "application/vnd.docker.image.rootfs.diff.tar",
} as const;

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string; variant?: string };
}

export interface OciIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
}

export interface OciManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export const isGzipLayer = (mediaType: string) => mediaType.endsWith("gzip");

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isDescriptor(v: unknown): v is Descriptor {
  return isObject(v) && typeof v.mediaType === "string" && typeof v.digest === "string" && typeof v.size === "number";
}

/** Check a parsed manifest's shape; bytes from a pack or a `docker load` tar are untrusted. */
export function asManifest(v: unknown, where: string): OciManifest {
  if (!isObject(v) || v.schemaVersion !== 2 || !isDescriptor(v.config) || !Array.isArray(v.layers) || !v.layers.every(isDescriptor)) {
    throw new Error(`${where}: not an image manifest`);
  }
  return v as unknown as OciManifest;
}

export function asIndex(v: unknown, where: string): OciIndex {
  if (!isObject(v) || v.schemaVersion !== 2 || !Array.isArray(v.manifests) || !v.manifests.every(isDescriptor)) {
    throw new Error(`${where}: not an image index`);
  }
  return v as unknown as OciIndex;
}
