// dockerd's prune endpoints (daemon/prune.go, daemon/images/image_prune.go): remove what
// nothing uses, report what went and how many bytes that freed, and log a "prune" event.
import type { Daemon } from "./daemon";
import { EngineError, InvalidParameterError } from "./errors";
import { parseSinceUntil } from "./format/duration";
import type { ImageRecord } from "./images/image-store";
import { familiarString, parseReference } from "./images/reference";
import { checkFilters, kvListMatch, labelsMatch, type Filters } from "./util/filter-args";

export interface ContainersPruneReport {
  ContainersDeleted: string[];
  SpaceReclaimed: number;
}

export interface ImagesPruneReport {
  ImagesDeleted: ({ Untagged: string } | { Deleted: string })[];
  SpaceReclaimed: number;
}

/** getUntilFromPruneFilters: the until filter as ms since the epoch, or undefined. */
function pruneUntil(f: Filters): number | undefined {
  const vals = f.get("until");
  if (!vals?.length) return undefined;
  if (vals.length > 1) throw new InvalidParameterError("more than one until filter specified");
  try {
    return parseSinceUntil(vals[0]!, Date.now());
  } catch (e) {
    throw new InvalidParameterError((e as Error).message);
  }
}

/** matchLabels: "label" must all match; "label!" must not all match. */
function pruneLabels(f: Filters, labels: Record<string, string> | null | undefined): boolean {
  if (!labelsMatch(f, labels)) return false;
  return !(f.get("label!")?.length && kvListMatch(f, "label!", labels));
}

/** POST /containers/prune: every container that is not running. */
export async function pruneContainers(d: Daemon, f: Filters): Promise<ContainersPruneReport> {
  checkFilters(f, ["label", "label!", "until"]);
  const until = pruneUntil(f);
  const picked = d.list().filter((c) => !c.State.Running && (until === undefined || Date.parse(c.Created) <= until) && pruneLabels(f, c.Config.Labels));
  const sizes = await d.containerSizes(picked.map((c) => c.Id)).catch(() => new Map<string, { rw: number }>());
  const rep: ContainersPruneReport = { ContainersDeleted: [], SpaceReclaimed: 0 };
  for (const c of picked) {
    try {
      await d.remove(c.Id);
    } catch (e) {
      if (e instanceof EngineError) continue;
      throw e;
    }
    rep.SpaceReclaimed += sizes.get(c.Id)?.rw ?? 0;
    rep.ContainersDeleted.push(c.Id);
  }
  d.events.emit("container", "prune", "", { reclaimed: String(rep.SpaceReclaimed) });
  return rep;
}

/** POST /images/prune: dangling images, or with dangling=false every image no container uses. */
export async function pruneImages(d: Daemon, f: Filters): Promise<ImagesPruneReport> {
  checkFilters(f, ["dangling", "label", "label!", "until"]);
  let danglingOnly = true;
  const dangling = f.get("dangling") ?? [];
  if (dangling.length) {
    if (dangling.includes("false") || dangling.includes("0")) danglingOnly = false;
    else if (!dangling.includes("true") && !dangling.includes("1")) throw new InvalidParameterError(`Invalid filter 'dangling=${dangling.join(",")}'`);
  }
  const until = pruneUntil(f);
  const all = d.images.list();
  const created = (r: ImageRecord) => Date.parse(r.config.created ?? "") || 0;
  // Heads only for dangling pruning; an untagged image with children is an intermediate one.
  const top = all.filter(
    (r) =>
      (!danglingOnly || !d.images.children(r.id).length) &&
      !(r.repoTags.length + r.repoDigests.length === 0 && d.images.children(r.id).length) &&
      (until === undefined || created(r) <= until) &&
      pruneLabels(f, r.config.config?.Labels),
  );
  const layerUsers = (diffId: string) => d.images.list().filter((r) => r.layers.some((l) => l.diffId === diffId)).length;
  const rep: ImagesPruneReport = { ImagesDeleted: [], SpaceReclaimed: 0 };
  // As dockerd: an image any container (running or not) was made from keeps all its tags.
  const inUse = new Set(d.list().map((c) => c.Image));
  for (const img of top) {
    // Deleting by name would untag only; a dangling prune leaves tagged images alone.
    if (danglingOnly && img.repoTags.length) continue;
    if (inUse.has(img.id)) continue;
    const freed = img.layers.filter((l) => layerUsers(l.diffId) === 1).reduce((n, l) => n + l.size, 0);
    const refs = [...img.repoTags, ...img.repoDigests];
    try {
      if (!refs.length) rep.ImagesDeleted.push(...(await d.removeImage(img.id)));
      else for (const r of refs) if (d.images.get(img.id)) rep.ImagesDeleted.push(...(await d.removeImage(familiarString(parseReference(r)))));
    } catch (e) {
      // An image a container uses is not pruned (ImageDelete's conflict).
      if (e instanceof EngineError) continue;
      throw e;
    }
    if (!d.images.get(img.id)) rep.SpaceReclaimed += freed;
  }
  d.events.emit("image", "prune", "", { reclaimed: String(rep.SpaceReclaimed) });
  return rep;
}
