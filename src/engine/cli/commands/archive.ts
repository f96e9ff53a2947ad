// Files, snapshots and archives (docker/cli cli/command/container/{cp,diff,commit,export}.go
// and cli/command/image/{import,save,load,history}.go): the client side of each, with
// the daemon doing the container and image work.
import type { JsonMessage } from "../../api-types";
import { cleanPath, CopyError, getRebaseName, isDirMode, isSymlinkMode, prepareArchiveCopy, rebaseEntries, splitPathDirEntry } from "../../archive/copy";
import { readTar, writeTar } from "../../archive/tar";
import { NotFoundError } from "../../errors";
import { humanDuration } from "../../format/duration";
import { renderDockerFormat } from "../../format/go-template";
import { JsonMessageError, JsonMessageRenderer } from "../../format/jsonmessage";
import { humanSize } from "../../format/units";
import { SnapshotError } from "../../images/snapshots";
import { familiarName, parseNormalizedNamed, tagNameOnly } from "../../images/reference";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";
import { archiveLocalSource, extractLocal, inspectLocalDestination, localPath, readClientFile, writeClientFile } from "../client-files";
import { ellipsis } from "./containers";

const TERMINAL_REFUSAL = "cowardly refusing to save to a terminal. Use the -o flag or redirect";

/** The client's whole stdin, up to EOF. */
function readStdin(cli: Cli): Promise<Uint8Array> {
  return new Promise((resolve) => {
    const parts: Uint8Array[] = [];
    cli.cmd.onStdin((d) => {
      if (d.length) {
        parts.push(d);
        return;
      }
      cli.cmd.readStdin(false);
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        out.set(p, o);
        o += p.length;
      }
      resolve(out);
    });
    cli.cmd.readStdin(true);
  });
}

// ------------------------------------------------------------------ cp

/** splitCpArg: "CONTAINER:PATH", or a local path (absolute, or relative starting with "."). */
function splitCpArg(arg: string): { container: string; path: string } {
  if (arg.startsWith("/")) return { container: "", path: arg };
  const colon = arg.indexOf(":");
  if (colon < 0 || arg.startsWith(".")) return { container: "", path: arg };
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) };
}

/** The client library's wrapResponseError for a 404 on a container path. */
function pathError(e: unknown, container: string, path: string): never {
  if (e instanceof NotFoundError) throw new CliError(`Error: No such container:path: ${container}:${path}`);
  throw e;
}

export async function cp(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const [source = "", destination = ""] = args;
  if (source === "") throw new CliError("source can not be empty");
  if (destination === "") throw new CliError("destination can not be empty");
  const src = splitCpArg(source);
  const dst = splitCpArg(destination);
  if (src.container && dst.container) throw new CliError("copying between containers is not supported");
  if (src.container) await copyFromContainer(cli, src.container, src.path, dst.path, flags.bool("follow-link"));
  else if (dst.container) await copyToContainer(cli, src.path, dst.container, dst.path, flags.bool("follow-link"), flags.bool("archive"));
  else throw new CliError("must specify at least one container source");
  return 0;
}

async function copyFromContainer(cli: Cli, container: string, srcPath: string, dstArg: string, followLink: boolean): Promise<void> {
  const d = cli.daemon;
  const vm = d.sandbox;
  const cwd = cli.cmd.cwd;
  const dstPath = dstArg === "-" ? "-" : localPath(cwd, dstArg);
  const dest = dstPath === "-" ? undefined : await inspectLocalDestination(vm, cwd, dstPath);
  if (dest?.kind === "no-output-dir") throw new CliError(`invalid output path: directory "${dest.dir}" does not exist`);
  let path = srcPath;
  let rebaseName = "";
  if (followLink) {
    const st = await d.statPath(container, path).catch(() => undefined);
    if (st && isSymlinkMode(st.mode)) {
      let target = st.linkTarget;
      if (!target.startsWith("/")) target = cleanPath(`${splitPathDirEntry(path)[0]}/${target}`);
      [path, rebaseName] = getRebaseName(path, target);
    }
  }
  const r = await d.getArchive(container, path).catch((e: unknown) => pathError(e, container, path));
  if (dstPath === "-" || !dest) {
    cli.out(r.tar);
    return;
  }
  if (dest.kind === "error") throw new CliError(dest.message);
  let entries = readTar(r.tar);
  if (rebaseName) entries = rebaseEntries(entries, splitPathDirEntry(path)[1], rebaseName);
  const isDir = isDirMode(r.stat.mode);
  let plan;
  try {
    plan = prepareArchiveCopy({ path, exists: true, isDir, rebaseName }, dest.kind === "exists" ? { path: dest.path, exists: true, isDir: dest.isDir } : { path: dest.path, exists: false, isDir: false });
  } catch (e) {
    if (e instanceof CopyError) throw new CliError(e.message);
    throw e;
  }
  if (plan.rebase) entries = rebaseEntries(entries, plan.rebase[0], plan.rebase[1]);
  await extractLocal(vm, cwd, plan.dstDir, writeTar(entries));
}

async function copyToContainer(cli: Cli, srcArg: string, container: string, dstPath: string, followLink: boolean, copyUidGid: boolean): Promise<void> {
  const d = cli.daemon;
  const vm = d.sandbox;
  const cwd = cli.cmd.cwd;
  const srcPath = srcArg === "-" ? "-" : localPath(cwd, srcArg);
  let dstInfo = { path: dstPath, exists: false, isDir: false };
  let st = await d.statPath(container, dstPath).catch(() => undefined);
  if (st && isSymlinkMode(st.mode)) {
    let target = st.linkTarget;
    if (!target.startsWith("/")) target = cleanPath(`${splitPathDirEntry(dstPath)[0]}/${target}`);
    dstInfo = { ...dstInfo, path: target };
    st = await d.statPath(container, target).catch(() => undefined);
  }
  if (st) dstInfo = { ...dstInfo, exists: true, isDir: isDirMode(st.mode) };
  let tar: Uint8Array;
  let dstDir: string;
  if (srcPath === "-") {
    if (!dstInfo.isDir) throw new CliError(`destination "${container}:${dstPath}" must be a directory`);
    tar = await readStdin(cli);
    dstDir = dstInfo.path;
  } else {
    const local = await archiveLocalSource(vm, cwd, srcPath, followLink);
    let entries = readTar(local.tar);
    let rebaseName = "";
    if (followLink) {
      const [resolved, name] = getRebaseName(srcPath, local.path);
      rebaseName = name;
      if (name) entries = rebaseEntries(entries, splitPathDirEntry(resolved)[1], name);
    } else if (srcPath.endsWith("/") && splitPathDirEntry(srcPath)[1] !== splitPathDirEntry(local.path)[1]) {
      rebaseName = splitPathDirEntry(srcPath)[1];
      entries = rebaseEntries(entries, splitPathDirEntry(local.path)[1], rebaseName);
    }
    let plan;
    try {
      plan = prepareArchiveCopy({ path: local.path, exists: true, isDir: local.isDir, rebaseName }, dstInfo);
    } catch (e) {
      if (e instanceof CopyError) throw new CliError(e.message);
      throw e;
    }
    if (plan.rebase) entries = rebaseEntries(entries, plan.rebase[0], plan.rebase[1]);
    tar = writeTar(entries);
    dstDir = plan.dstDir;
  }
  await d.putArchive(container, dstDir, tar, { copyUidGid }).catch((e: unknown) => pathError(e, container, dstDir));
}

// ------------------------------------------------------------------ diff, commit, export

const CHANGE_KIND = ["C", "A", "D"] as const;

export async function diff(cli: Cli, _f: ParsedFlags, args: readonly string[]): Promise<number> {
  for (const c of await cli.daemon.containerChanges(args[0]!)) cli.out(`${CHANGE_KIND[c.Kind]} ${c.Path}\n`);
  return 0;
}

/** The client library's split of REPOSITORY[:TAG] into the repo and tag it sends. */
function repoTag(reference: string, defaultTag: boolean): { repo?: string; tag?: string } {
  if (!reference) return {};
  let ref;
  try {
    ref = parseNormalizedNamed(reference);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  if (ref.digest !== undefined) throw new CliError("refusing to create a tag with a digest reference");
  if (defaultTag) ref = tagNameOnly(ref);
  return { repo: familiarName(ref), tag: ref.tag };
}

export async function commit(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const [container = "", reference = ""] = args;
  const id = await cli.daemon.commit(container, {
    ...repoTag(reference, true),
    author: flags.string("author"),
    comment: flags.string("message"),
    changes: flags.strings("change"),
    pause: flags.bool("pause"),
  });
  cli.out(`${id}\n`);
  return 0;
}

export async function exportContainer(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const output = flags.string("output");
  if (!output && cli.cmd.tty.stdout) throw new CliError(TERMINAL_REFUSAL);
  const tar = await cli.daemon.exportContainer(args[0]!);
  if (output) await writeClientFile(cli.daemon.sandbox, cli.cmd.cwd, output, tar, "failed to export container");
  else cli.out(tar);
  return 0;
}

// ------------------------------------------------------------------ import, save, load

export async function importImage(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const [source = "", reference = ""] = args;
  if (/^https?:\/\//.test(source)) throw new CliError(`Berth works offline: docker import cannot fetch ${source}`);
  const { repo, tag } = repoTag(reference, false);
  const data = source === "-" ? await readStdin(cli) : await readClientFile(cli.daemon.sandbox, cli.cmd.cwd, source);
  try {
    const id = await cli.daemon.importImage(data, { repo, tag, message: flags.string("message"), changes: flags.strings("change") });
    cli.out(`${id}\n`);
  } catch (e) {
    if (e instanceof SnapshotError) throw new CliError(e.message);
    throw e;
  }
  return 0;
}

export async function save(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const output = flags.string("output");
  if (!output && cli.cmd.tty.stdout) throw new CliError(TERMINAL_REFUSAL);
  const tar = await cli.daemon.saveImages(args);
  if (output) await writeClientFile(cli.daemon.sandbox, cli.cmd.cwd, output, tar, "failed to save image");
  else cli.out(tar);
  return 0;
}

export async function load(cli: Cli, flags: ParsedFlags): Promise<number> {
  const input = flags.string("input");
  if (!input && cli.cmd.tty.stdin) throw new CliError("requested load from stdin, but stdin is empty");
  const data = input ? await readClientFile(cli.daemon.sandbox, cli.cmd.cwd, input) : await readStdin(cli);
  // Without a terminal the CLI asks for no progress, and dockerd sends only the result lines.
  const quiet = flags.bool("quiet") || !cli.cmd.tty.stdout;
  const r = new JsonMessageRenderer(cli.cmd.tty.stdout, cli.width);
  try {
    await cli.daemon.loadImages(data, (m: JsonMessage) => {
      if (!quiet || m.stream !== undefined) cli.out(r.write(m));
    });
  } catch (e) {
    if (e instanceof SnapshotError || e instanceof JsonMessageError) throw new CliError(e.message);
    throw e;
  }
  return 0;
}

// ------------------------------------------------------------------ history

const HISTORY_HEADER = { ID: "IMAGE", CreatedSince: "CREATED", CreatedAt: "CREATED AT", CreatedBy: "CREATED BY", Size: "SIZE", Comment: "COMMENT" };

export async function history(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const human = flags.bool("human");
  const trunc = !flags.bool("no-trunc");
  const now = Date.now();
  const rows = cli.daemon.imageHistory(args[0]!).map((h) => {
    const at = new Date(h.Created * 1000).toISOString().replace(".000Z", "Z");
    const id = trunc ? h.Id.replace(/^sha256:/, "").slice(0, 12) : h.Id;
    const createdBy = h.CreatedBy.replace(/\t/g, " ");
    return {
      ID: id,
      CreatedSince: human ? `${humanDuration(now - h.Created * 1000)} ago` : at,
      CreatedAt: at,
      CreatedBy: trunc ? ellipsis(createdBy, 45) : createdBy,
      Size: human ? humanSize(h.Size, 3) : String(h.Size),
      Comment: h.Comment,
    };
  });
  const base = human ? "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}" : "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
  const format = flags.bool("quiet") ? "{{.ID}}" : flags.string("format") || base;
  try {
    cli.out(renderDockerFormat(format, rows, { header: HISTORY_HEADER, defaultTable: base }));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  return 0;
}
