// `docker run`/`create` flags → the create request, as docker/cli's opts.parse does, with
// its error texts. Checks that belong to the daemon stay in the daemon.
import type { HostConfig, RestartPolicy } from "../api-types";
import type { CreateRequest } from "../containers/container";
import type { ParsedFlags } from "./flags";
import { CliError, type Cli } from "./context";
import { validPidMode } from "../containers/pid-mode";
import { memSwapInBytes, ramInBytes20 } from "./validators";

export function parseRestartPolicy(policy: string): RestartPolicy {
  if (policy === "") return { Name: "", MaximumRetryCount: 0 };
  const parts = policy.split(":");
  if (parts.length > 2) throw new CliError("invalid restart policy format", 125);
  let count = 0;
  if (parts.length === 2) {
    if (!/^[+-]?\d+$/.test(parts[1]!)) throw new CliError("maximum retry count must be an integer", 125);
    count = Number(parts[1]);
  }
  const name = parts[0]!;
  if (!["no", "always", "on-failure", "unless-stopped"].includes(name)) {
    throw new CliError(`invalid restart policy '${name}'`, 125);
  }
  if (count < 0) throw new CliError("maximum retry count cannot be negative", 125);
  return { Name: name as RestartPolicy["Name"], MaximumRetryCount: count };
}

/** Env entries: NAME=value as given, NAME alone takes the client's value (or is dropped). */
function resolveEnv(cli: Cli, entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.includes("=")) out.push(e);
    else {
      const v = cli.env(e);
      if (v !== undefined) out.push(`${e}=${v}`);
    }
  }
  return out;
}

/** docker/cli's ParseEnvFile: lines of NAME=value, comments and blanks skipped. */
export function parseEnvFile(text: string, path: string, lookup: (name: string) => string | undefined): string[] {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/^\s+/, "");
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const name = eq < 0 ? line.replace(/\s+$/, "") : line.slice(0, eq);
    if (/\s/.test(name)) throw new CliError(`variable '${name}' contains whitespaces`, 125);
    if (!name) throw new CliError(`no variable name on line '${line}'`, 125);
    if (eq >= 0) out.push(`${name}=${line.slice(eq + 1)}`);
    else {
      const v = lookup(name);
      if (v !== undefined) out.push(`${name}=${v}`);
    }
  }
  void path;
  return out;
}

function labelsOf(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of entries) {
    const eq = l.indexOf("=");
    if (eq < 0) out[l] = "";
    else out[l.slice(0, eq)] = l.slice(eq + 1);
  }
  return out;
}

export interface RunOptions {
  request: CreateRequest;
  detach: boolean;
  interactive: boolean;
  tty: boolean;
  autoRemove: boolean;
}

/** Build the create request from run/create flags and the IMAGE [COMMAND] [ARG...] args. */
export async function runOptions(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<RunOptions> {
  const image = args[0]!;
  const cmd = args.slice(1);
  let env: string[] = [];
  for (const f of flags.strings("env-file")) env.push(...parseEnvFile(await cli.readClientFile(f), f, (n) => cli.env(n)));
  env = [...env, ...resolveEnv(cli, flags.strings("env"))];
  const labels = labelsOf(flags.strings("label"));
  const pidMode = flags.string("pid");
  if (!validPidMode(pidMode)) throw new CliError("--pid: invalid PID mode", 125);
  const restart = parseRestartPolicy(flags.string("restart"));
  const autoRemove = flags.bool("rm");
  if (autoRemove && restart.Name !== "" && restart.Name !== "no") throw new CliError("Conflicting options: --restart and --rm", 125);
  const tty = flags.bool("tty");
  const interactive = flags.bool("interactive");
  const detach = flags.declares("detach") && flags.bool("detach");
  const memory = flags.string("memory") ? ramInBytes20(flags.string("memory")) : 0;
  const cpus = flags.string("cpus") ? Math.round(Number(flags.string("cpus")) * 1e9) : 0;
  const tmpfs: Record<string, string> = {};
  for (const t of flags.strings("tmpfs")) {
    const colon = t.indexOf(":");
    if (colon < 0) tmpfs[t] = "";
    else tmpfs[t.slice(0, colon)] = t.slice(colon + 1);
  }
  const entrypoint = flags.changed("entrypoint") ? (flags.string("entrypoint") === "" ? [""] : [flags.string("entrypoint")]) : undefined;
  const hostConfig: Partial<HostConfig> = {
    AutoRemove: autoRemove,
    RestartPolicy: restart.Name === "" ? { Name: "no", MaximumRetryCount: 0 } : restart,
    CapAdd: flags.strings("cap-add").length ? flags.strings("cap-add") : null,
    CapDrop: flags.strings("cap-drop").length ? flags.strings("cap-drop") : null,
    Memory: memory,
    MemorySwap: memSwapInBytes(flags.string("memory-swap")),
    NanoCpus: cpus,
    PidsLimit: flags.changed("pids-limit") ? flags.int("pids-limit") : null,
    ReadonlyRootfs: flags.bool("read-only"),
    Privileged: flags.bool("privileged"),
    PidMode: pidMode,
    NetworkMode: flags.strings("network").at(-1) || "default",
    ...(Object.keys(tmpfs).length ? { Tmpfs: tmpfs } : {}),
    ...(flags.bool("init") ? { Init: true } : {}),
  };
  const request: CreateRequest = {
    name: flags.string("name") || undefined,
    config: {
      Image: image,
      Cmd: cmd.length ? cmd : null,
      Entrypoint: entrypoint ?? null,
      Env: env,
      Hostname: flags.string("hostname"),
      User: flags.string("user"),
      WorkingDir: flags.string("workdir"),
      Labels: labels,
      Tty: tty,
      OpenStdin: interactive,
      StdinOnce: interactive && !detach,
      AttachStdin: interactive && !detach,
      AttachStdout: !detach,
      AttachStderr: !detach,
      ...(flags.string("stop-signal") ? { StopSignal: flags.string("stop-signal") } : {}),
    },
    hostConfig,
  };
  // `--entrypoint ""` clears the image's entrypoint.
  if (entrypoint && entrypoint[0] === "") request.config.Entrypoint = [];
  return { request, detach, interactive, tty, autoRemove };
}
