// GET /system/df (daemon/disk_usage.go): images with the containers that use them and the
// bytes they share, containers with the size of their writable layer, volumes, build cache.
import type { ContainerJSON } from "./api-types";
import type { Daemon } from "./daemon";
import type { ImageRecord } from "./images/image-store";

export interface ImageUsage {
  image: ImageRecord;
  /** All layers (VirtualSize). */
  size: number;
  /** Layers other images have too. */
  sharedSize: number;
  containers: number;
}

export interface DiskUsage {
  /** Every distinct layer once. */
  layersSize: number;
  images: ImageUsage[];
  containers: { container: ContainerJSON; sizeRw: number }[];
}

export async function diskUsage(d: Daemon): Promise<DiskUsage> {
  const images = d.images.list();
  const layerCount = new Map<string, { size: number; n: number }>();
  for (const img of images) {
    for (const l of new Set(img.layers.map((x) => x.diffId))) {
      const size = img.layers.find((x) => x.diffId === l)!.size;
      const e = layerCount.get(l) ?? { size, n: 0 };
      e.n++;
      layerCount.set(l, e);
    }
  }
  const containers = d.list();
  const sizes = await d.containerSizes(containers.map((c) => c.Id));
  return {
    layersSize: [...layerCount.values()].reduce((n, e) => n + e.size, 0),
    images: images
      .map((image) => ({
        image,
        size: image.layers.reduce((n, l) => n + l.size, 0),
        sharedSize: image.layers.filter((l) => (layerCount.get(l.diffId)?.n ?? 0) > 1).reduce((n, l) => n + l.size, 0),
        containers: containers.filter((c) => c.Image === image.id).length,
      }))
      .sort((a, b) => Date.parse(b.image.config.created ?? "") - Date.parse(a.image.config.created ?? "")),
    containers: containers.map((c) => ({ container: c, sizeRw: sizes.get(c.Id)?.rw ?? 0 })),
  };
}
