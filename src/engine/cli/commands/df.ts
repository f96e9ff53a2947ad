// docker system df (cli/command/system/df.go, formatter/disk_usage.go): a summary row per
// kind of object, or with -v a table of each.
import { diskUsage, type DiskUsage } from "../../disk-usage";
import { humanDuration } from "../../format/duration";
import { renderDockerFormat } from "../../format/go-template";
import { humanSize } from "../../format/units";
import { familiarName, parseNormalizedNamed } from "../../images/reference";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";
import { psRow, PS_HEADER } from "./containers";

const DF_TABLE = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";
const DF_HEADER = { Type: "TYPE", TotalCount: "TOTAL", Active: "ACTIVE", Size: "SIZE", Reclaimable: "RECLAIMABLE" };
const IMAGES_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.VirtualSize}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}";
const IMAGES_HEADER = { Repository: "REPOSITORY", Tag: "TAG", ID: "IMAGE ID", CreatedSince: "CREATED", VirtualSize: "SIZE", SharedSize: "SHARED SIZE", UniqueSize: "UNIQUE SIZE", Containers: "CONTAINERS" };
const CONTAINERS_TABLE = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}";
const VOLUMES_TABLE = "table {{.Name}}\t{{.Links}}\t{{.Size}}";
const VOLUMES_HEADER = { Name: "VOLUME NAME", Links: "LINKS", Size: "SIZE" };
const CACHE_TABLE = "table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}";
const CACHE_HEADER = { ID: "CACHE ID", CacheType: "CACHE TYPE", Size: "SIZE", CreatedSince: "CREATED", LastUsedSince: "LAST USED", UsageCount: "USAGE", Shared: "SHARED" };

/** "SIZE (N%)" as the summary's Reclaimable column prints it, or the bare size when there is nothing. */
const reclaimable = (bytes: number, total: number) => (total > 0 ? `${humanSize(bytes)} (${Math.floor((bytes * 100) / total)}%)` : humanSize(bytes));

/** The four summary rows (diskUsage*Context). */
export function dfRows(u: DiskUsage) {
  const usedImages = u.images.filter((i) => i.containers > 0);
  const imagesUsed = usedImages.reduce((n, i) => n + i.size - i.sharedSize, 0);
  const active = (s: string) => /running|paused|restarting/.test(s);
  const rw = u.containers.reduce((n, c) => n + c.sizeRw, 0);
  const rwIdle = u.containers.filter((c) => !active(c.container.State.Status)).reduce((n, c) => n + c.sizeRw, 0);
  return [
    { Type: "Images", TotalCount: String(u.images.length), Active: String(usedImages.length), Size: humanSize(u.layersSize), Reclaimable: reclaimable(u.layersSize - imagesUsed, u.layersSize) },
    { Type: "Containers", TotalCount: String(u.containers.length), Active: String(u.containers.filter((c) => active(c.container.State.Status)).length), Size: humanSize(rw), Reclaimable: reclaimable(rwIdle, rw) },
    { Type: "Local Volumes", TotalCount: "0", Active: "0", Size: "0B", Reclaimable: "0B" },
    { Type: "Build Cache", TotalCount: "0", Active: "0", Size: "0B", Reclaimable: "0B" },
  ];
}

function verbose(u: DiskUsage, now: number): string {
  const images = u.images.map((i) => {
    const tagged = i.image.repoTags[0];
    const ref = tagged ? parseNormalizedNamed(tagged) : undefined;
    const created = Date.parse(i.image.config.created ?? "");
    return {
      Repository: ref ? familiarName(ref) : "<none>",
      Tag: ref?.tag ?? "<none>",
      ID: i.image.id.slice(7, 19),
      CreatedSince: created ? `${humanDuration(now - created)} ago` : "N/A",
      VirtualSize: humanSize(i.size, 3),
      SharedSize: humanSize(i.sharedSize),
      UniqueSize: humanSize(i.size - i.sharedSize),
      Containers: String(i.containers),
    };
  });
  const containers = u.containers.map((c) => psRow(c.container, true, humanSize(c.sizeRw, 3), now));
  return (
    "Images space usage:\n\n" +
    renderDockerFormat(IMAGES_TABLE, images, { header: IMAGES_HEADER }) +
    "\nContainers space usage:\n\n" +
    renderDockerFormat(CONTAINERS_TABLE, containers, { header: PS_HEADER }) +
    "\nLocal Volumes space usage:\n\n" +
    renderDockerFormat(VOLUMES_TABLE, [], { header: VOLUMES_HEADER }) +
    "\nBuild cache usage: 0B\n\n" +
    renderDockerFormat(CACHE_TABLE, [], { header: CACHE_HEADER })
  );
}

export async function df(cli: Cli, flags: ParsedFlags): Promise<number> {
  const u = await diskUsage(cli.daemon);
  const format = flags.string("format");
  try {
    if (flags.bool("verbose") && (!format || format === "table")) cli.out(verbose(u, Date.now()));
    else if (flags.bool("verbose")) throw new CliError("Berth's docker system df -v supports only the table format", 1);
    else cli.out(renderDockerFormat(format || "table", dfRows(u), { header: DF_HEADER, defaultTable: DF_TABLE }));
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError((e as Error).message, 1);
  }
  return 0;
}
