// GET /images/{name}/history as dockerd 20.10 builds it (ImageService.ImageHistory): one
// row per history entry, newest first, empty layers included with size 0. The newest row
// carries the image's ID and tags; older rows carry the IDs of parent images where the
// image was built here (commit), else "<missing>".
import type { ImageRecord } from "./image-store";

export interface HistoryItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export class HistoryError extends Error {}

export function imageHistory(img: ImageRecord, lookup: (id: string) => ImageRecord | undefined, familiarTag: (full: string) => string): HistoryItem[] {
  const out: HistoryItem[] = [];
  let layer = 0;
  for (const h of img.config.history ?? []) {
    let size = 0;
    if (!h.empty_layer) {
      const l = img.layers[layer++];
      if (!l) throw new HistoryError("too many non-empty layers in History section");
      size = l.size;
    }
    out.unshift({ Id: "<missing>", Created: Math.floor((Date.parse(h.created ?? "") || 0) / 1000), CreatedBy: h.created_by ?? "", Tags: null, Size: size, Comment: h.comment ?? "" });
  }
  let cur: ImageRecord | undefined = img;
  for (const row of out) {
    if (!cur) break;
    row.Id = cur.id;
    const tags = cur.repoTags.map(familiarTag);
    row.Tags = tags.length ? tags : null;
    cur = cur.parent ? lookup(cur.parent) : undefined;
  }
  return out;
}
