// `docker run`/`create` flags → the create request, as docker/cli's opts.parse does, with
// its error texts. Checks that belong to the daemon stay in the daemon.
import type { HostConfig, RestartPolicy } from "../api-types";
import type { CreateRequest } from "../containers/container";
import type { ParsedFlags } from "./flags";
import { CliError, type Cli } from "./context";
import { validPidMode } from "../containers/pid-mode";
import { memSwapInBytes, parseUlimit, ramInBytes20 } from "./validators";

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

/**
 * Flags whose effect Berth does not have yet (ports, volumes, health checks, DNS, logging
 * drivers, …): refused with a clear error rather than accepted and silently ignored.
 */
const NOT_YET = [
  "add-host", "attach", "cgroup-parent", "cidfile", "cpu-count", "cpu-percent", "device", "device-cgroup-rule",
  "dns", "dns-opt", "dns-option", "dns-search", "gpus",
  "health-cmd", "health-interval", "health-retries", "health-start-period", "health-timeout", "no-healthcheck",
  "io-maxbandwidth", "io-maxiops", "ip", "ip6", "link", "link-local-ip", "log-opt", "mac-address",
  "mount", "net-alias", "network-alias", "publish", "publish-all", "storage-opt", "sysctl",
  "userns", "volume", "volume-driver", "volumes-from",
];

/** What Berth has of a flag that takes a mode: the default (json-file logs, a private IPC namespace). */
const ONLY_DEFAULT: Record<string, readonly string[]> = { "log-driver": ["", "json-file"], ipc: ["", "private"] };

/** docker/cli's --expose: "80", "80/udp" or a range "8000-8010/tcp", as nat.ParsePortRange reads them. */
function exposedPorts(entries: readonly string[]): Record<string, Record<string, never>> {
  const out: Record<string, Record<string, never>> = {};
  const uint16 = (s: string, e: string): number => {
    if (!/^[0-9]+$/.test(s)) throw new CliError(`invalid range format for --expose: ${e}, error: strconv.ParseUint: parsing "${s}": invalid syntax`, 125);
    const n = Number(s);
    if (n > 65535) throw new CliError(`invalid range format for --expose: ${e}, error: strconv.ParseUint: parsing "${s}": value out of range`, 125);
    return n;
  };
  for (const e of entries) {
    if (e.includes(":")) throw new CliError(`invalid port format for --expose: ${e}`, 125);
    const [port = "", proto = ""] = e.split("/");
    if (port === "") throw new CliError(`invalid range format for --expose: ${e}, error: empty string specified for ports`, 125);
    const dash = port.indexOf("-");
    const start = uint16(dash < 0 ? port : port.slice(0, dash), e);
    const end = dash < 0 ? start : uint16(port.slice(dash + 1), e);
    if (end < start) throw new CliError(`invalid range format for --expose: ${e}, error: invalid range specified for port: ${port}`, 125);
    for (let p = start; p <= end; p++) out[`${p}/${proto || "tcp"}`] = {};
  }
  return out;
}

/** The device path and the value after it ("/dev/sda:10mb"); the flag's validator has checked the form. */
function deviceValue(entry: string): [string, string] {
  const colon = entry.indexOf(":");
  return [entry.slice(0, colon), entry.slice(colon + 1)];
}

const bytesFlag = (flags: ParsedFlags, name: string) => (flags.string(name) ? ramInBytes20(flags.string(name)) : 0);

/** The container.Resources flags that run, create and update all declare, as docker/cli reads them. */
export function sharedResourceFlags(flags: ParsedFlags) {
  return {
    Memory: bytesFlag(flags, "memory"),
    MemorySwap: memSwapInBytes(flags.string("memory-swap")),
    MemoryReservation: bytesFlag(flags, "memory-reservation"),
    KernelMemory: bytesFlag(flags, "kernel-memory"),
    NanoCpus: flags.string("cpus") ? Math.round(Number(flags.string("cpus")) * 1e9) : 0,
    CpuShares: flags.int("cpu-shares"),
    CpuPeriod: flags.int("cpu-period"),
    CpuQuota: flags.int("cpu-quota"),
    CpusetCpus: flags.string("cpuset-cpus"),
    CpusetMems: flags.string("cpuset-mems"),
    BlkioWeight: flags.int("blkio-weight"),
  };
}

/** The cgroup and OOM settings of run and create; the daemon checks them. */
function resourceFlags(flags: ParsedFlags): Partial<HostConfig> {
  const throttle = (name: string, rate: (v: string) => number) => flags.strings(name).map((e) => ({ Path: deviceValue(e)[0], Rate: rate(deviceValue(e)[1]) }));
  return {
    ...sharedResourceFlags(flags),
    CpuRealtimePeriod: flags.int("cpu-rt-period"),
    CpuRealtimeRuntime: flags.int("cpu-rt-runtime"),
    OomKillDisable: flags.bool("oom-kill-disable"),
    OomScoreAdj: flags.int("oom-score-adj"),
    Ulimits: flags.strings("ulimit").map(parseUlimit),
    ShmSize: bytesFlag(flags, "shm-size"),
    BlkioWeightDevice: flags.strings("blkio-weight-device").map((e) => ({ Path: deviceValue(e)[0], Weight: Number(deviceValue(e)[1]) })),
    BlkioDeviceReadBps: throttle("device-read-bps", ramInBytes20),
    BlkioDeviceWriteBps: throttle("device-write-bps", ramInBytes20),
    BlkioDeviceReadIOps: throttle("device-read-iops", Number),
    BlkioDeviceWriteIOps: throttle("device-write-iops", Number),
  };
}

/**
 * docker/cli's parseSecurityOpts and parseSystemPaths: a seccomp profile is sent as its
 * contents, and systempaths=unconfined becomes empty masked and read-only path lists.
 */
async function securityOptions(cli: Cli, opts: readonly string[]): Promise<Partial<HostConfig>> {
  const out: string[] = [];
  let unconfinedPaths = false;
  for (const opt of opts) {
    if (opt === "systempaths=unconfined") {
      unconfinedPaths = true;
      continue;
    }
    if (!opt.includes("=") && opt !== "no-new-privileges" && !opt.includes(":")) throw new CliError(`Invalid --security-opt: "${opt}"`, 125);
    const m = /^seccomp[=:](.*)$/s.exec(opt);
    if (m && m[1] !== "unconfined") {
      try {
        out.push(`seccomp=${await cli.readClientFile(m[1]!)}`);
      } catch (e) {
        throw new CliError(`opening seccomp profile (${m[1]}) failed: ${(e as Error).message}`, 125);
      }
      continue;
    }
    out.push(opt);
  }
  return { SecurityOpt: out.length ? out : null, ...(unconfinedPaths ? { MaskedPaths: [], ReadonlyPaths: [] } : {}) };
}

export interface RunOptions {
  request: CreateRequest;
  detach: boolean;
  interactive: boolean;
  tty: boolean;
  autoRemove: boolean;
  pull: "always" | "missing" | "never";
}

/** Build the create request from run/create flags and the IMAGE [COMMAND] [ARG...] args. */
export async function runOptions(cli: Cli, flags: ParsedFlags, args: readonly string[]): Promise<RunOptions> {
  const image = args[0]!;
  const cmd = args.slice(1);
  const pull = flags.string("pull");
  if (pull !== "always" && pull !== "missing" && pull !== "never") throw new CliError(`invalid pull option: '${pull}': must be one of "always", "missing" or "never"`, 125);
  const notYet = NOT_YET.find((f) => flags.declares(f) && flags.changed(f));
  if (notYet) throw new CliError(`Berth does not support --${notYet} yet`, 125);
  for (const [flag, allowed] of Object.entries(ONLY_DEFAULT)) {
    if (!allowed.includes(flags.string(flag))) throw new CliError(`Berth does not support --${flag} ${flags.string(flag)} yet`, 125);
  }
  const exposed = exposedPorts(flags.strings("expose"));
  let env: string[] = [];
  for (const f of flags.strings("env-file")) env.push(...parseEnvFile(await cli.readClientFile(f), f, (n) => cli.env(n)));
  env = [...env, ...resolveEnv(cli, flags.strings("env"))];
  const labelLines: string[] = [];
  // ReadKVStrings: the files first, then --label; a bare key in a file names nothing.
  for (const f of flags.strings("label-file")) labelLines.push(...parseEnvFile(await cli.readClientFile(f), f, () => undefined));
  const labels = labelsOf([...labelLines, ...flags.strings("label")]);
  const pidMode = flags.string("pid");
  if (!validPidMode(pidMode)) throw new CliError("--pid: invalid PID mode", 125);
  const utsMode = flags.string("uts");
  if (utsMode !== "" && utsMode !== "host") throw new CliError("--uts: invalid UTS mode", 125);
  const restart = parseRestartPolicy(flags.string("restart"));
  const autoRemove = flags.bool("rm");
  if (autoRemove && restart.Name !== "" && restart.Name !== "no") throw new CliError("Conflicting options: --restart and --rm", 125);
  const tty = flags.bool("tty");
  const interactive = flags.bool("interactive");
  const detach = flags.declares("detach") && flags.bool("detach");
  const swappiness = flags.int("memory-swappiness");
  if (swappiness !== -1 && (swappiness < 0 || swappiness > 100)) throw new CliError(`invalid value: ${swappiness}. Valid memory swappiness range is 0-100`, 125);
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
    GroupAdd: flags.strings("group-add").length ? flags.strings("group-add") : null,
    ...resourceFlags(flags),
    MemorySwappiness: swappiness,
    PidsLimit: flags.changed("pids-limit") ? flags.int("pids-limit") : null,
    ReadonlyRootfs: flags.bool("read-only"),
    Privileged: flags.bool("privileged"),
    PidMode: pidMode,
    UTSMode: utsMode,
    NetworkMode: flags.strings("network").at(-1) || "default",
    ...(await securityOptions(cli, flags.strings("security-opt"))),
    Runtime: flags.string("runtime"),
    ...(flags.string("log-driver") ? { LogConfig: { Type: flags.string("log-driver"), Config: {} } } : {}),
    ...(flags.string("ipc") ? { IpcMode: flags.string("ipc") } : {}),
    Isolation: flags.string("isolation"),
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
      Domainname: flags.string("domainname"),
      ...(Object.keys(exposed).length ? { ExposedPorts: exposed } : {}),
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
      ...(flags.changed("stop-timeout") ? { StopTimeout: flags.int("stop-timeout") } : {}),
    },
    hostConfig,
  };
  // `--entrypoint ""` clears the image's entrypoint.
  if (entrypoint && entrypoint[0] === "") request.config.Entrypoint = [];
  return { request, detach, interactive, tty, autoRemove, pull };
}
