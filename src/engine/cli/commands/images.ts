// Image commands (docker/cli cli/command/image).
import type { JsonMessage } from "../../api-types";
import { ConflictError, EngineError } from "../../errors";
import { humanDuration } from "../../format/duration";
import { renderDockerFormat } from "../../format/go-template";
import { JsonMessageRenderer } from "../../format/jsonmessage";
import { humanSize } from "../../format/units";
import { imageSize, type ImageRecord } from "../../images/image-store";
import { familiarName, familiarString, parseNormalizedNamed, parseReference, ReferenceFormatError, referenceString } from "../../images/reference";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";
import { parseFilters } from "../../util/filter-args";

const daemonError = (e: unknown) => `Error response from daemon: ${(e as Error).message}`;

/** Pull with Docker's progress display; `toStderr` for the pull inside `docker run`. */
async function pullWithProgress(cli: Cli, ref: string, toStderr: boolean, quiet = false): Promise<ImageRecord> {
  const isTerm = toStderr ? cli.cmd.tty.stderr : cli.cmd.tty.stdout;
  const r = new JsonMessageRenderer(isTerm, cli.width);
  const write = (s: string) => (toStderr ? cli.err(s) : cli.out(s));
  return cli.daemon.pull(ref, (m: JsonMessage) => {
    if (!quiet) write(r.write(m));
  });
}

/** docker run/create: "Unable to find image … locally" (unless --pull always), then pull onto stderr. */
export async function ensureImage(cli: Cli, ref: string, binPrefix: string, missing = true): Promise<void> {
  let named;
  try {
    named = parseReference(ref);
  } catch (e) {
    throw new CliError(`${binPrefix}${(e as Error).message}.\nSee '${binPrefix ? "docker run" : "docker create"} --help'.`, 125);
  }
  if (missing) cli.err(`Unable to find image '${familiarString(named)}' locally\n`);
  try {
    await pullWithProgress(cli, ref, true);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new CliError(`${binPrefix}${daemonError(e)}.\nSee '${binPrefix ? "docker run" : "docker create"} --help'.`, 125);
  }
}

export async function pull(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const given = args[0]!;
  let named;
  try {
    named = parseNormalizedNamed(given);
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
  if (flags.bool("all-tags")) throw new CliError("Berth's offline set does not support --all-tags", 1);
  if (named.tag === undefined && named.digest === undefined) {
    if (!flags.bool("quiet")) cli.out("Using default tag: latest\n");
  }
  const full = parseReference(given);
  try {
    await pullWithProgress(cli, given, false, flags.bool("quiet"));
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new CliError(daemonError(e), 1);
  }
  cli.out(referenceString(full) + "\n");
  return 0;
}

function imageRows(recs: readonly ImageRecord[], opts: { trunc: boolean; digests: boolean; now: number; all: boolean }) {
  const rows: Record<string, unknown>[] = [];
  for (const r of recs) {
    const id = opts.trunc ? r.id.slice(7, 19) : r.id;
    const created = r.config.created ? Date.parse(r.config.created) : 0;
    const base = {
      ID: id,
      CreatedSince: created ? `${humanDuration(opts.now - created)} ago` : "N/A",
      CreatedAt: r.config.created ?? "",
      Size: humanSize(imageSize(r), 3),
      VirtualSize: humanSize(imageSize(r), 3),
      SharedSize: "N/A",
      UniqueSize: "N/A",
      Containers: "N/A",
    };
    const digestOf = (repo: string) => r.repoDigests.find((d) => d.startsWith(`${repo}@`))?.split("@")[1] ?? "<none>";
    if (!r.repoTags.length) {
      rows.push({ ...base, Repository: "<none>", Tag: "<none>", Digest: r.repoDigests[0]?.split("@")[1] ?? "<none>" });
      continue;
    }
    for (const t of r.repoTags) {
      const ref = parseNormalizedNamed(t);
      const repo = `${ref.domain}/${ref.path}`;
      rows.push({ ...base, Repository: familiarName(ref), Tag: ref.tag ?? "<none>", Digest: digestOf(repo) });
    }
  }
  return rows;
}

const IMAGES_HEADER = {
  ID: "IMAGE ID",
  Repository: "REPOSITORY",
  Tag: "TAG",
  Digest: "DIGEST",
  CreatedSince: "CREATED",
  CreatedAt: "CREATED AT",
  Size: "SIZE",
  VirtualSize: "VIRTUAL SIZE",
  SharedSize: "SHARED SIZE",
  UniqueSize: "UNIQUE SIZE",
  Containers: "CONTAINERS",
};

export async function images(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const d = cli.daemon;
  const filters = parseFilters(flags.strings("filter"));
  for (const k of filters.keys()) {
    if (!["dangling", "label", "before", "since", "reference"].includes(k)) throw new CliError(`Error response from daemon: Invalid filter '${k}'`, 1);
  }
  let recs = d.images.list();
  const dangling = filters.get("dangling")?.[0];
  if (dangling !== undefined) {
    if (!["true", "false", "1", "0"].includes(dangling)) throw new CliError(`Error response from daemon: Invalid filter 'dangling=${dangling}'`, 1);
    const want = dangling === "true" || dangling === "1";
    recs = recs.filter((r) => (r.repoTags.length === 0) === want);
  }
  for (const l of filters.get("label") ?? []) {
    const eq = l.indexOf("=");
    recs = recs.filter((r) => {
      const labels = r.config.config?.Labels ?? {};
      return eq < 0 ? l in labels : labels[l.slice(0, eq)] === l.slice(eq + 1);
    });
  }
  const refFilters = [...(filters.get("reference") ?? []), ...(args[0] ? [args[0]] : [])];
  let rows = imageRows(
    recs.sort((a, b) => Date.parse(b.config.created ?? "0") - Date.parse(a.config.created ?? "0")),
    { trunc: !flags.bool("no-trunc"), digests: flags.bool("digests"), now: Date.now(), all: flags.bool("all") },
  );
  if (refFilters.length) {
    rows = rows.filter((row) => refFilters.some((f) => matchRepo(f, String(row.Repository), String(row.Tag))));
  }
  if (!flags.bool("all")) rows = rows.filter((row) => row.Repository !== "<none>" || dangling !== undefined || true);
  const base = flags.bool("digests") ? "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}" : "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
  let format = flags.string("format");
  if (flags.bool("quiet")) {
    format = "{{.ID}}";
    const seen = new Set<string>();
    rows = rows.filter((r) => !seen.has(String(r.ID)) && seen.add(String(r.ID)));
  }
  if (!format) format = base;
  try {
    cli.out(renderDockerFormat(format, rows, { header: IMAGES_HEADER, defaultTable: base }));
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
  return 0;
}

function matchRepo(pattern: string, repo: string, tag: string): boolean {
  const [p, t] = pattern.includes(":") ? [pattern.slice(0, pattern.lastIndexOf(":")), pattern.slice(pattern.lastIndexOf(":") + 1)] : [pattern, undefined];
  const re = new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")}$`);
  return re.test(repo) && (t === undefined || t === tag);
}

export async function tag(cli: Cli, _f: ParsedFlags, args: readonly string[]): Promise<number> {
  const [src = "", target = ""] = args;
  const img = cli.daemon.image(src);
  if (!img) throw new CliError(`Error response from daemon: No such image: ${src}`, 1);
  let ref;
  try {
    ref = parseNormalizedNamed(target);
  } catch (e) {
    if (e instanceof ReferenceFormatError) throw new CliError(`Error parsing reference: "${target}" is not a valid repository/tag: ${e.message}`, 1);
    throw e;
  }
  if (ref.digest) throw new CliError("Error response from daemon: refusing to create a tag with a digest reference", 1);
  const full = parseReference(target);
  await cli.daemon.tagImage(img.id, full);
  return 0;
}

export async function rmi(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const errors: string[] = [];
  for (const ref of args) {
    try {
      for (const line of await cli.daemon.removeImage(ref, { force: flags.bool("force"), noPrune: flags.bool("no-prune") })) {
        cli.out(`${"Untagged" in line ? `Untagged: ${line.Untagged}` : `Deleted: ${line.Deleted}`}\n`);
      }
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      errors.push(daemonError(e));
    }
  }
  if (errors.length) {
    cli.err(errors.join("\n") + "\n");
    return 1;
  }
  return 0;
}

export { ConflictError };
