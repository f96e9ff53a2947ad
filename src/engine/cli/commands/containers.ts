// Container commands (docker/cli cli/command/container), printing what docker 20.10 prints.
import type { ContainerJSON } from "../../api-types";
import { EngineError, NotFoundError, NotModifiedError } from "../../errors";
import { containerStatus, humanDuration, parseSinceUntil } from "../../format/duration";
import { renderDockerFormat } from "../../format/go-template";
import { humanSize } from "../../format/units";
import { DOCKER_TABWRITER, tabwriterFormat } from "../../format/tabwriter";
import type { ParsedFlags } from "../flags";
import { CliError, type Cli } from "../context";
import { runOptions } from "../run-options";
import { Attachment, type AttachPlan, checkTty, detachKeys } from "../attach";
import { DEFAULT_DETACH_KEYS } from "../../../sandbox/detach-keys";
import type { StartIo } from "../../daemon";
import { parseFilters } from "../../util/filter-args";
import { summaryCommand } from "../../containers/container";
import { concat } from "../../../sandbox/bytes";
import { ensureImage } from "./images";
import { formatInspect } from "./inspect";

const daemonError = (e: unknown) => `Error response from daemon: ${(e as Error).message}`;

/** Run `fn` for each argument, printing each result or error; docker's loop for rm/stop/kill/…. */
async function eachContainer(cli: Cli, args: readonly string[], fn: (ref: string) => Promise<string>, failure?: (failed: string[]) => string): Promise<number> {
  const failed: string[] = [];
  const errors: string[] = [];
  for (const a of args) {
    try {
      cli.out((await fn(a)) + "\n");
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      failed.push(a);
      errors.push(daemonError(e));
    }
  }
  if (!failed.length) return 0;
  cli.err(errors.join("\n") + "\n");
  if (failure) cli.err(`Error: ${failure(failed)}\n`);
  return 1;
}

// ------------------------------------------------------------------ run / create / start

function exitCodeForStartError(msg: string): number {
  if (/executable file not found|no such file or directory|system cannot find the file specified/i.test(msg)) return 127;
  if (/permission denied|is a directory/i.test(msg)) return 126;
  return 125;
}

async function createContainer(cli: Cli, flags: ParsedFlags, args: readonly string[], binPrefix: string): Promise<{ id: string; opts: Awaited<ReturnType<typeof runOptions>> }> {
  const command = binPrefix ? "run" : "create";
  const opts = await runOptions(cli, flags, args).catch((e: unknown) => {
    // reportError: both commands say "docker:" and name their own help.
    if (e instanceof CliError) throw new CliError(`docker: ${e.message}.\nSee 'docker ${command} --help'.`, e.code);
    throw e;
  });
  const d = cli.daemon;
  const image = opts.request.config.Image;
  try {
    if (opts.pull === "always") await ensureImage(cli, image, binPrefix, false);
    let r;
    try {
      r = await d.create(opts.request);
    } catch (e) {
      // As the CLI does: the daemon checks the settings first; a missing image is pulled, then the create retried.
      if (!(e instanceof NotFoundError) || d.image(image) || opts.pull !== "missing") throw e;
      await ensureImage(cli, image, binPrefix);
      r = await d.create(opts.request);
    }
    for (const w of r.Warnings) cli.err(`WARNING: ${w}\n`);
    return { id: r.Id, opts };
  } catch (e) {
    if (e instanceof CliError) throw e;
    // run reports the daemon's refusal with its help line (exit 125); create passes it on (exit 1).
    if (e instanceof EngineError) throw command === "run" ? new CliError(`docker: ${daemonError(e)}.\nSee 'docker run --help'.`, 125) : new CliError(daemonError(e), 1);
    throw e;
  }
}

export async function run(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const detach = flags.bool("detach");
  if (!detach) checkTty(cli, flags.bool("interactive"), flags.bool("tty"));
  const keys = detach ? DEFAULT_DETACH_KEYS : detachKeys(flags.string("detach-keys"));
  const { id, opts } = await createContainer(cli, flags, args, "docker: ");
  const d = cli.daemon;
  if (opts.detach) {
    try {
      await d.start(id);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      cli.err(`docker: ${daemonError(e)}.\n`);
      return exitCodeForStartError((e as Error).message);
    }
    cli.out(id + "\n");
    return 0;
  }
  const end = await attachAndRun(cli, id, { stdin: opts.interactive, tty: opts.tty, detachKeys: keys }, (io) => d.start(id, io, false));
  return end.kind === "detached" ? 0 : end.code;
}

type RunEnd = { kind: "exited"; code: number } | { kind: "detached" };

/** Attach the client to a container's process as it starts, and wait for its exit code or a detach. */
async function attachAndRun(cli: Cli, id: string, plan: AttachPlan, start: (io: StartIo) => Promise<void>): Promise<RunEnd> {
  const d = cli.daemon;
  const attachment = new Attachment(cli, plan);
  let joined: Promise<void> = Promise.resolve();
  // The CLI proxies signals to an attached non-tty container (sig-proxy).
  cli.cmd.onSignal((signo) => {
    if (!plan.tty) void d.kill(id, String(signo)).catch(() => {});
  });
  try {
    await start({
      onOutput: attachment.onOutput,
      size: cli.cmd.size.rows ? cli.cmd.size : undefined,
      onProcess: (proc) => (joined = attachment.join(proc).catch(() => {})),
    });
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    cli.err(`docker: ${daemonError(e)}.\n`);
    return { kind: "exited", code: exitCodeForStartError((e as Error).message) };
  }
  await joined;
  const result = d.waitResult(id);
  const end = await attachment.until(result);
  if (end.kind === "detached") return end;
  const r = await result;
  if (r.error) {
    cli.err(`docker: ${daemonError(new Error(r.error))}.\n`);
    return { kind: "exited", code: exitCodeForStartError(r.error) };
  }
  return { kind: "exited", code: r.code };
}

export async function create(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const { id } = await createContainer(cli, flags, args, "");
  cli.out(id + "\n");
  return 0;
}

export async function start(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const d = cli.daemon;
  if (flags.bool("attach") || flags.bool("interactive")) {
    if (args.length > 1) throw new CliError("you cannot start and attach multiple containers at once", 1);
    let c: ContainerJSON;
    try {
      c = d.inspect(args[0]!);
    } catch (e) {
      throw new CliError(daemonError(e), 1);
    }
    const stdin = flags.bool("interactive") && c.Config.OpenStdin;
    checkTty(cli, stdin, c.Config.Tty);
    const keys = detachKeys(flags.string("detach-keys"));
    const end = await attachAndRun(cli, c.Id, { stdin, tty: c.Config.Tty, detachKeys: keys }, async (io) => {
      try {
        await d.start(c.Id, io, false);
      } catch (e) {
        if (!(e instanceof NotModifiedError)) throw e;
        const running = d.attachable(c.Id);
        io.onProcess?.(running.proc);
      }
    });
    return end.kind === "detached" ? 0 : end.code;
  }
  return eachContainer(
    cli,
    args,
    async (ref) => {
      try {
        await d.start(ref);
      } catch (e) {
        if (!(e instanceof NotModifiedError)) throw e;
      }
      return ref;
    },
    (failed) => `failed to start containers: ${failed.join(", ")}`,
  );
}

// ------------------------------------------------------------------ lifecycle

export const stop = (cli: Cli, flags: ParsedFlags, args: readonly string[]) =>
  eachContainer(cli, args, async (ref) => {
    await cli.daemon.stop(ref, flags.changed("time") ? flags.int("time") : undefined).catch((e: unknown) => {
      if (!(e instanceof NotModifiedError)) throw e;
    });
    return ref;
  });

export const restart = (cli: Cli, flags: ParsedFlags, args: readonly string[]) =>
  eachContainer(cli, args, async (ref) => {
    await cli.daemon.restart(ref, flags.changed("time") ? flags.int("time") : undefined);
    return ref;
  });

export const kill = (cli: Cli, flags: ParsedFlags, args: readonly string[]) =>
  eachContainer(cli, args, async (ref) => {
    await cli.daemon.kill(ref, flags.string("signal") || "KILL");
    return ref;
  });

export const pause = (cli: Cli, _f: ParsedFlags, args: readonly string[]) =>
  eachContainer(cli, args, async (ref) => {
    await cli.daemon.pause(ref);
    return ref;
  });

export const unpause = (cli: Cli, _f: ParsedFlags, args: readonly string[]) =>
  eachContainer(cli, args, async (ref) => {
    await cli.daemon.unpause(ref);
    return ref;
  });

export async function rm(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const errors: string[] = [];
  for (const ref of args) {
    const name = ref.replace(/^\/+/, "");
    if (!name) {
      errors.push("Error: Container name cannot be empty");
      continue;
    }
    try {
      await cli.daemon.remove(name, { force: flags.bool("force") });
      cli.out(ref + "\n");
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      errors.push(`Error: ${(e as Error).message}`);
    }
  }
  if (errors.length) {
    cli.err(errors.join("\n") + "\n");
    return 1;
  }
  return 0;
}

export async function rename(cli: Cli, _f: ParsedFlags, args: readonly string[]): Promise<number> {
  const [oldName = "", newName = ""] = args;
  if (!oldName.trim() || !newName.trim()) throw new CliError("Error: Neither old nor new names may be empty", 1);
  try {
    await cli.daemon.rename(oldName, newName);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new CliError(`${daemonError(e)}\nError: failed to rename container named ${oldName}`, 1);
  }
  return 0;
}

export async function wait(cli: Cli, _f: ParsedFlags, args: readonly string[]): Promise<number> {
  let rc = 0;
  for (const ref of args) {
    try {
      cli.out(`${(await cli.daemon.waitResult(ref)).code}\n`);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      cli.err(daemonError(e) + "\n");
      rc = 1;
    }
  }
  return rc;
}

// ------------------------------------------------------------------ ps

/** docker/cli's Ellipsis: cut to `max` display columns, ending in "…". */
export function ellipsis(s: string, max: number): string {
  const chars = [...s];
  if (chars.length <= max) return s;
  return chars.slice(0, max - 1).join("") + "…";
}

function dockerTime(iso: string): string {
  // Go's time.String() in UTC: "2006-01-02 15:04:05 +0000 UTC".
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}

function labelString(labels: Record<string, string> | null): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
}

/** The fields `docker ps --format` templates see (docker/cli's ContainerContext). */
export function psRow(c: ContainerJSON, trunc: boolean, size: string, now: number) {
  return {
    ID: trunc ? c.Id.slice(0, 12) : c.Id,
    Image: trunc && c.Config.Image.startsWith("sha256:") ? c.Config.Image.slice(7, 19) : c.Config.Image,
    Command: JSON.stringify(trunc ? ellipsis(summaryCommand(c), 20) : summaryCommand(c)),
    CreatedAt: dockerTime(c.Created),
    RunningFor: `${humanDuration(now - Date.parse(c.Created))} ago`,
    Ports: "",
    State: c.State.Status,
    Status: containerStatus(c.State, now),
    Size: size,
    Names: c.Name.slice(1),
    Labels: labelString(c.Config.Labels),
    Label: (name: string) => (c.Config.Labels ?? {})[name] ?? "",
    Mounts: "",
    Networks: c.HostConfig.NetworkMode === "default" ? "bridge" : c.HostConfig.NetworkMode,
    LocalVolumes: "0",
  };
}

export const PS_HEADER = {
  ID: "CONTAINER ID",
  Image: "IMAGE",
  Command: "COMMAND",
  CreatedAt: "CREATED AT",
  RunningFor: "CREATED",
  Ports: "PORTS",
  State: "STATE",
  Status: "STATUS",
  Size: "SIZE",
  Names: "NAMES",
  Labels: "LABELS",
  Label: "LABEL",
  Mounts: "MOUNTS",
  Networks: "NETWORKS",
  LocalVolumes: "LOCAL VOLUMES",
};

export const PS_TABLE = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

export async function ps(cli: Cli, flags: ParsedFlags): Promise<number> {
  // The daemon selects (dockerd's filters, -n/-l, before/since); the CLI only formats.
  const last = flags.bool("latest") ? 1 : flags.int("last");
  let list: ContainerJSON[];
  try {
    const picked = await cli.daemon.listContainers({ all: flags.bool("all"), limit: last, filters: parseFilters(flags.strings("filter")) });
    list = picked.map((s) => cli.daemon.inspect(s.Id));
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new CliError(daemonError(e), 1);
  }
  const trunc = !flags.bool("no-trunc");
  const sizes = flags.bool("size") ? await cli.daemon.containerSizes(list.map((c) => c.Id)) : new Map<string, { rw: number; rootfs: number }>();
  const now = Date.now();
  const rows = list.map((c) => {
    const s = sizes.get(c.Id);
    return psRow(c, trunc, s ? `${humanSize(s.rw, 3)} (virtual ${humanSize(s.rootfs, 3)})` : "0B", now);
  });
  let format = flags.string("format");
  if (flags.bool("quiet") && !format) format = "{{.ID}}";
  if (!format) format = flags.bool("size") ? `${PS_TABLE}\t{{.Size}}` : PS_TABLE;
  try {
    cli.out(renderDockerFormat(format, rows, { header: PS_HEADER, defaultTable: flags.bool("size") ? `${PS_TABLE}\t{{.Size}}` : PS_TABLE }));
  } catch (e) {
    throw new CliError((e as Error).message, 1);
  }
  return 0;
}

// ------------------------------------------------------------------ logs

export async function logs(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const d = cli.daemon;
  let c: ContainerJSON;
  try {
    c = d.inspect(args[0]!);
  } catch (e) {
    throw new CliError(`Error: ${(e as Error).message}`, 1);
  }
  const now = Date.now();
  let since = 0;
  let until = Infinity;
  // docker/cli converts these itself, so a bad one is the CLI's error, not the daemon's.
  const time = (name: "since" | "until") => {
    try {
      return parseSinceUntil(flags.string(name), now);
    } catch (e) {
      throw new CliError(`invalid value for "${name}": ${(e as Error).message}`, 1);
    }
  };
  if (flags.string("since")) since = time("since");
  if (flags.string("until")) until = time("until");
  const tailText = flags.string("tail") || "all";
  const tail = tailText === "all" ? Infinity : Number.parseInt(tailText, 10);
  const buf = d.logs(c.Id);
  const ts = flags.bool("timestamps");
  // A tty container has one stream, and docker logs writes it to stdout.
  const fdOf = (stream: string) => (c.Config.Tty || stream === "stdout" ? 1 : 2);
  const enc = new TextEncoder();
  const emit = (e: { stream: string; time: string; data: Uint8Array }) => {
    if (ts) cli.cmd.write(fdOf(e.stream), enc.encode(`${e.time} `));
    cli.cmd.write(fdOf(e.stream), e.data);
  };
  let entries = buf.entries.filter((e) => e.ms >= since && e.ms <= until);
  if (Number.isFinite(tail)) entries = tail <= 0 ? [] : entries.slice(-tail);
  // The backlog goes out in large writes: one frame per log line would queue thousands of
  // frames ahead of the VM's heartbeat.
  let pending: Uint8Array[] = [];
  let pendingFd: 1 | 2 = 1;
  let size = 0;
  const flush = () => {
    if (size) cli.cmd.write(pendingFd, concat(pending));
    pending = [];
    size = 0;
  };
  for (const e of entries) {
    const fd = fdOf(e.stream);
    if (fd !== pendingFd || size >= 32 * 1024) flush();
    pendingFd = fd;
    const parts = ts ? [enc.encode(`${e.time} `), e.data] : [e.data];
    for (const p of parts) {
      pending.push(p);
      size += p.length;
    }
  }
  flush();
  if (!flags.bool("follow") || !c.State.Running) return 0;
  const off = buf.follow((e) => {
    if (e.ms <= until) emit(e);
  });
  await new Promise<void>((resolve) => {
    cli.cmd.onSignal(() => resolve());
    cli.cmd.onGone(() => resolve());
    void d.waitResult(c.Id).then(() => resolve());
  });
  off();
  return 0;
}

// ------------------------------------------------------------------ exec

export async function exec(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const d = cli.daemon;
  const [ref = "", ...cmd] = args;
  const tty = flags.bool("tty");
  const interactive = flags.bool("interactive");
  const detach = flags.bool("detach");
  if (!detach) checkTty(cli, interactive, tty);
  const keys = detach ? DEFAULT_DETACH_KEYS : detachKeys(flags.string("detach-keys"), "escape");
  let execId: string;
  try {
    execId = d.execCreate(ref, {
      Cmd: cmd,
      Env: flags.strings("env"),
      WorkingDir: flags.string("workdir"),
      User: flags.string("user"),
      Tty: tty,
      AttachStdin: interactive,
      AttachStdout: !detach,
      AttachStderr: !detach,
      Detach: detach,
      Privileged: flags.bool("privileged"),
    });
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new CliError(daemonError(e), 1);
  }
  if (detach) {
    await d.execStart(execId, {});
    return 0;
  }
  const attachment = new Attachment(cli, { stdin: interactive, tty, detachKeys: keys });
  const { proc, exited } = await d.execStart(execId, { onOutput: attachment.onOutput, size: cli.cmd.size.rows ? cli.cmd.size : undefined });
  if (!interactive) proc.closeStdin();
  await attachment.join(proc).catch(() => {});
  cli.cmd.onSignal((signo) => proc.signal(signo));
  const end = await attachment.until(exited);
  if (end.kind === "detached") {
    cli.err("read escape sequence\n");
    return 1;
  }
  const code = await exited;
  // Written by the daemon after the relay ended, so it is not in what the agent relayed.
  const startError = d.execInspect(execId).startError;
  if (startError && attachment.joined) cli.out(startError);
  return code;
}

/** `docker attach`: join the learner's terminal to a running container's main process. */
export async function attach(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<number> {
  const d = cli.daemon;
  let target;
  try {
    target = d.attachable(args[0] ?? "");
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new CliError(daemonError(e), 1);
  }
  const stdin = !flags.bool("no-stdin") && target.openStdin;
  checkTty(cli, stdin, target.tty);
  const keys = detachKeys(flags.string("detach-keys"), "escape");
  const attachment = new Attachment(cli, { stdin, tty: target.tty, detachKeys: keys });
  if (flags.bool("sig-proxy") && !target.tty) cli.cmd.onSignal((signo) => void d.kill(target.id, String(signo)).catch(() => {}));
  await attachment.join(target.proc);
  // A tty process learns the client's size, as the CLI's resize on attach does (shells redraw).
  if (target.tty && cli.cmd.size.rows) target.proc.resize(cli.cmd.size.rows, cli.cmd.size.cols);
  const result = d.waitResult(target.id);
  const end = await attachment.until(result);
  if (end.kind === "detached") {
    cli.err("read escape sequence\n");
    return 1;
  }
  return (await result).code;
}

// ------------------------------------------------------------------ top / port / inspect

export async function top(cli: Cli, _f: ParsedFlags, args: readonly string[]): Promise<number> {
  const [ref = "", ...psArgs] = args;
  let text: string;
  try {
    const t = await cli.daemon.top(ref, psArgs);
    text = tabwriterFormat([t.Titles, ...t.Processes].map((r) => r.join("\t") + "\n").join(""), DOCKER_TABWRITER);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    throw new CliError(daemonError(e), 1);
  }
  cli.out(text);
  return 0;
}

export async function inspect(cli: Cli, flags: ParsedFlags, args: readonly string[], kind: "container" | "image" | "any" = "any"): Promise<number> {
  return formatInspect(cli, flags, args, kind);
}

export { daemonError, eachContainer };
