// A new container's record: the create request merged with the image's config and
// filled with dockerd's defaults, in the shape `docker inspect` shows.
import type { ContainerConfig, ContainerJSON, HostConfig, NetworkSettings } from "../api-types";
import type { ImageRecord } from "../images/image-store";
import { MASKED_PATHS, READONLY_PATHS } from "../runtime/oci-spec";

export const ZERO_TIME = "0001-01-01T00:00:00Z";
export const DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface CreateRequest {
  name?: string;
  config: Partial<ContainerConfig> & { Image: string };
  hostConfig?: Partial<HostConfig>;
}

export function defaultHostConfig(): HostConfig {
  return {
    Binds: null,
    ContainerIDFile: "",
    LogConfig: { Type: "json-file", Config: {} },
    NetworkMode: "default",
    PortBindings: {},
    RestartPolicy: { Name: "no", MaximumRetryCount: 0 },
    AutoRemove: false,
    VolumeDriver: "",
    VolumesFrom: null,
    CapAdd: null,
    CapDrop: null,
    CgroupnsMode: "private",
    Dns: [],
    DnsOptions: [],
    DnsSearch: [],
    ExtraHosts: null,
    GroupAdd: null,
    IpcMode: "private",
    Cgroup: "",
    Links: null,
    OomScoreAdj: 0,
    PidMode: "",
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    UTSMode: "",
    UsernsMode: "",
    ShmSize: 67108864,
    Runtime: "crun",
    ConsoleSize: [0, 0],
    Isolation: "",
    CpuShares: 0,
    Memory: 0,
    NanoCpus: 0,
    CgroupParent: "",
    BlkioWeight: 0,
    BlkioWeightDevice: null,
    BlkioDeviceReadBps: null,
    BlkioDeviceWriteBps: null,
    BlkioDeviceReadIOps: null,
    BlkioDeviceWriteIOps: null,
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: "",
    CpusetMems: "",
    MemoryReservation: 0,
    MemorySwap: 0,
    MemorySwappiness: null,
    OomKillDisable: null,
    PidsLimit: null,
    Ulimits: null,
    MaskedPaths: MASKED_PATHS,
    ReadonlyPaths: READONLY_PATHS,
  };
}

/**
 * A request's HostConfig over dockerd's defaults. API clients send every field, with empty
 * values ("", null, 0) where the daemon is to choose, as dockerd does when it creates the
 * container (adaptContainerSettings and friends).
 */
export function withHostDefaults(req: Partial<HostConfig>): HostConfig {
  const d = defaultHostConfig();
  const hc: HostConfig = { ...d, ...req };
  for (const k of Object.keys(hc) as (keyof HostConfig)[]) if (hc[k] === undefined) Object.assign(hc, { [k]: d[k] });
  if (!hc.RestartPolicy || hc.RestartPolicy.Name === "") hc.RestartPolicy = { Name: "no", MaximumRetryCount: hc.RestartPolicy?.MaximumRetryCount ?? 0 };
  if (!hc.LogConfig || !hc.LogConfig.Type) hc.LogConfig = d.LogConfig;
  else if (!hc.LogConfig.Config) hc.LogConfig = { ...hc.LogConfig, Config: {} };
  if (!hc.NetworkMode) hc.NetworkMode = d.NetworkMode;
  if (!hc.IpcMode) hc.IpcMode = d.IpcMode;
  if (!hc.CgroupnsMode) hc.CgroupnsMode = d.CgroupnsMode;
  if (!hc.ShmSize) hc.ShmSize = d.ShmSize;
  if (!hc.Runtime) hc.Runtime = d.Runtime;
  if (!hc.PortBindings) hc.PortBindings = {};
  if (!hc.Dns) hc.Dns = [];
  if (!hc.DnsOptions) hc.DnsOptions = [];
  if (!hc.DnsSearch) hc.DnsSearch = [];
  if (!hc.ConsoleSize) hc.ConsoleSize = [0, 0];
  // generateSecurityOpt: labelling off with the host's PID or IPC namespace or --privileged,
  // unless the request sets a label option itself.
  const labelled = hc.SecurityOpt?.some((o) => o.split("=")[0] === "label") ?? false;
  if (!labelled && (hc.Privileged || hc.PidMode === "host" || hc.IpcMode === "host")) hc.SecurityOpt = [...(hc.SecurityOpt ?? []), "label=disable"];
  // dockerd's create: the default lists unless privileged (then none) or given ([] = unconfined).
  if (!hc.MaskedPaths) hc.MaskedPaths = hc.Privileged ? null : d.MaskedPaths;
  if (!hc.ReadonlyPaths) hc.ReadonlyPaths = hc.Privileged ? null : d.ReadonlyPaths;
  // adaptContainerSettings: a memory limit without a swap limit allows as much swap again.
  if (hc.Memory > 0 && hc.MemorySwap === 0) hc.MemorySwap = hc.Memory * 2;
  // Zero and negative pids limits mean "unlimited" (dockerd's create route).
  if (hc.PidsLimit !== null && hc.PidsLimit <= 0) hc.PidsLimit = null;
  return hc;
}

export function emptyNetworkSettings(): NetworkSettings {
  return {
    Bridge: "",
    SandboxID: "",
    HairpinMode: false,
    LinkLocalIPv6Address: "",
    LinkLocalIPv6PrefixLen: 0,
    Ports: {},
    SandboxKey: "",
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: "",
    Gateway: "",
    GlobalIPv6Address: "",
    GlobalIPv6PrefixLen: 0,
    IPAddress: "",
    IPPrefixLen: 0,
    IPv6Gateway: "",
    MacAddress: "",
    Networks: {
      bridge: {
        IPAMConfig: null,
        Links: null,
        Aliases: null,
        NetworkID: "",
        EndpointID: "",
        Gateway: "",
        IPAddress: "",
        IPPrefixLen: 0,
        IPv6Gateway: "",
        GlobalIPv6Address: "",
        GlobalIPv6PrefixLen: 0,
        MacAddress: "",
        DriverOpts: null,
      },
    },
  };
}

/**
 * Config.Env as dockerd's merge (daemon/commit.go) makes it: the request's entries first,
 * then the image's entries whose names the request does not set.
 */
export function mergeEnv(image: readonly string[] | null | undefined, request: readonly string[] | null | undefined): string[] {
  const keyOf = (e: string) => e.split("=", 1)[0]!;
  const out = [...(request ?? [])];
  if (!out.length) return [...(image ?? [])];
  const given = new Set(out.map(keyOf));
  for (const e of image ?? []) if (!given.has(keyOf(e))) out.push(e);
  return out;
}

/** `env` with `key` set: replaced in place if present, else appended (ReplaceOrAppendEnvValues). */
function replaceOrAppend(env: string[], entries: readonly string[]): string[] {
  const out = [...env];
  for (const e of entries) {
    const key = e.split("=", 1)[0]!;
    const i = out.findIndex((x) => x.split("=", 1)[0] === key);
    if (!e.includes("=")) {
      // A name without a value unsets it.
      if (i >= 0) out.splice(i, 1);
      continue;
    }
    if (i >= 0) out[i] = e;
    else out.push(e);
  }
  return out;
}

/**
 * The process environment as CreateDaemonEnvironment builds it: PATH, HOSTNAME and (with a
 * TTY) TERM=xterm first, then Config.Env replacing or adding. HOME, if still unset, comes
 * from the user's passwd entry, as the runtime adds it.
 */
export function daemonEnvironment(config: Pick<ContainerConfig, "Env" | "Hostname" | "Tty">, home: string): string[] {
  const base = [DEFAULT_PATH, `HOSTNAME=${config.Hostname}`, ...(config.Tty ? ["TERM=xterm"] : [])];
  const env = replaceOrAppend(base, config.Env ?? []);
  if (!env.some((e) => e.startsWith("HOME="))) env.push(`HOME=${home || "/"}`);
  return env;
}

export class NoCommandError extends Error {
  constructor() {
    super("No command specified");
  }
}

export function newContainer(id: string, name: string, req: CreateRequest, image: ImageRecord, imageRef: string): ContainerJSON {
  const ic = image.config.config ?? {};
  const rc = req.config;
  // dockerd's merge(): with no entrypoint in the request, the image's Cmd fills an empty
  // Cmd and the image's Entrypoint is used; a request entrypoint (even `--entrypoint ""`,
  // sent as [""] by docker and as [] by our CLI) drops both. [""] then means none.
  const requestEp = rc.Entrypoint ?? null;
  const userCmd = rc.Cmd && rc.Cmd.length ? rc.Cmd : null;
  let entrypoint: string[] | null;
  let cmd: string[] | null;
  if (requestEp === null) {
    entrypoint = ic.Entrypoint && ic.Entrypoint.length ? ic.Entrypoint : null;
    cmd = userCmd ?? (ic.Cmd && ic.Cmd.length ? ic.Cmd : null);
  } else {
    entrypoint = requestEp.length === 0 || (requestEp.length === 1 && requestEp[0] === "") ? null : requestEp;
    cmd = userCmd;
  }
  const argv = [...(entrypoint ?? []), ...(cmd ?? [])];
  if (!argv.length) throw new NoCommandError();
  const hostname = rc.Hostname || id.slice(0, 12);
  const env = mergeEnv(ic.Env, rc.Env);
  if (!env.some((e) => e.startsWith("PATH="))) env.unshift(DEFAULT_PATH);
  const labels = { ...(ic.Labels ?? {}), ...(rc.Labels ?? {}) };
  const volumes = rc.Volumes || ic.Volumes ? { ...(rc.Volumes ?? {}), ...(ic.Volumes ?? {}) } : null;
  const config: ContainerConfig = {
    Hostname: hostname,
    Domainname: rc.Domainname ?? "",
    // An empty user means the image's (dockerd's merge), as an empty workdir does.
    User: rc.User || ic.User || "",
    AttachStdin: rc.AttachStdin ?? false,
    AttachStdout: rc.AttachStdout ?? false,
    AttachStderr: rc.AttachStderr ?? false,
    ...(ic.ExposedPorts || rc.ExposedPorts ? { ExposedPorts: { ...(ic.ExposedPorts ?? {}), ...(rc.ExposedPorts ?? {}) } } : {}),
    Tty: rc.Tty ?? false,
    OpenStdin: rc.OpenStdin ?? false,
    StdinOnce: rc.StdinOnce ?? false,
    Env: env,
    Cmd: cmd,
    Image: imageRef,
    Volumes: volumes,
    WorkingDir: rc.WorkingDir || ic.WorkingDir || "",
    Entrypoint: entrypoint,
    OnBuild: ic.OnBuild ?? null,
    Labels: labels,
    ...(rc.StopSignal || ic.StopSignal ? { StopSignal: rc.StopSignal || ic.StopSignal } : {}),
    ...(rc.StopTimeout !== undefined ? { StopTimeout: rc.StopTimeout } : {}),
  };
  const hostConfig = withHostDefaults(req.hostConfig ?? {});
  return {
    Id: id,
    Created: new Date().toISOString(),
    Path: argv[0]!,
    Args: argv.slice(1),
    State: {
      Status: "created",
      Running: false,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: 0,
      ExitCode: 0,
      Error: "",
      StartedAt: ZERO_TIME,
      FinishedAt: ZERO_TIME,
    },
    Image: image.id,
    ResolvConfPath: `/var/lib/berth/containers/${id}/resolv.conf`,
    HostnamePath: `/var/lib/berth/containers/${id}/hostname`,
    HostsPath: `/var/lib/berth/containers/${id}/hosts`,
    LogPath: `/var/lib/berth/containers/${id}/${id}-json.log`,
    Name: `/${name}`,
    RestartCount: 0,
    Driver: "overlay2",
    Platform: "linux",
    MountLabel: "",
    ProcessLabel: "",
    AppArmorProfile: "",
    ExecIDs: null,
    HostConfig: hostConfig,
    GraphDriver: {
      Data: {
        LowerDir: image.layers.map((l) => `/var/lib/berth/layers/${l.diffId.slice(7)}`).reverse().join(":"),
        MergedDir: `/var/lib/berth/containers/${id}/rootfs`,
        UpperDir: `/var/lib/berth/containers/${id}/upper`,
        WorkDir: `/var/lib/berth/containers/${id}/work`,
      },
      Name: "overlay2",
    },
    Mounts: [],
    Config: config,
    NetworkSettings: emptyNetworkSettings(),
  };
}

/** The COMMAND column: dockerd joins Path and Args, quoting an argument that holds a space. */
export function summaryCommand(c: Pick<ContainerJSON, "Path" | "Args">): string {
  if (!c.Args.length) return c.Path;
  return `${c.Path} ${c.Args.map((a) => (a.includes(" ") ? `'${a}'` : a)).join(" ")}`;
}
