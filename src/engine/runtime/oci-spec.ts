// The OCI runtime config (config.json) for a container, built as dockerd builds it
// (daemon/oci_linux.go and oci/defaults.go): default capabilities, mounts, masked paths,
// resources from HostConfig, and the process from Config.

import type { ContainerJSON } from "../api-types";
import { isPrivatePidMode, pidModeContainer } from "../containers/pid-mode";
import { parseSecurityOpt } from "../containers/security-opt";

export interface OciProcess {
  terminal: boolean;
  user: { uid: number; gid: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: { bounding: string[]; effective: string[]; permitted: string[] };
  noNewPrivileges?: boolean;
  oomScoreAdj?: number;
  /** -1 (unlimited) stands for RLIM_INFINITY, written as such by ociJson. */
  rlimits?: { type: string; hard: number; soft: number }[];
  consoleSize?: { height: number; width: number };
}

export interface OciMount {
  destination: string;
  type: string;
  source: string;
  options?: string[];
}

export interface OciSpec {
  ociVersion: string;
  process: OciProcess;
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: OciMount[];
  linux: {
    resources: {
      devices: { allow: boolean; access?: string }[];
      memory?: { limit?: number; swap?: number; reservation?: number };
      cpu?: { quota?: number; period?: number; shares?: number };
      pids?: { limit: number };
    };
    cgroupsPath: string;
    sysctl?: Record<string, string>;
    namespaces: { type: string; path?: string }[];
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

/** Docker's default capability set (oci/caps/defaults.go). */
export const DEFAULT_CAPS = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FSETID",
  "CAP_FOWNER",
  "CAP_MKNOD",
  "CAP_NET_RAW",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETFCAP",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_KILL",
  "CAP_AUDIT_WRITE",
];

/** Every capability the guest kernel (6.1) knows, for `--cap-add ALL` and --privileged. */
export const ALL_CAPS = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID",
  "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
  "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
  "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
  "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
  "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
];

export class CapabilityError extends Error {}

/** "net_admin", "NET_ADMIN" and "CAP_NET_ADMIN" all name CAP_NET_ADMIN; "ALL" names all. */
export function normalizeCap(c: string, field: "CapAdd" | "CapDrop" = "CapAdd"): string {
  const up = c.toUpperCase();
  if (up === "ALL") return "ALL";
  const full = up.startsWith("CAP_") ? up : `CAP_${up}`;
  if (!ALL_CAPS.includes(full)) throw new CapabilityError(`invalid ${field}: unknown capability: "${full}"`);
  return full;
}

/**
 * TweakCapabilities (oci/caps/utils.go): with "ALL" added, every capability but the dropped
 * ones; with "ALL" dropped, only the added ones; otherwise the defaults minus the dropped,
 * plus the added (an added capability wins over the same one dropped).
 */
export function capabilities(add: readonly string[] | null, drop: readonly string[] | null, privileged: boolean): string[] {
  if (privileged) return [...ALL_CAPS];
  // Both lists are checked first, as dockerd's validateCapabilities does at create.
  const adds = (add ?? []).map((c) => normalizeCap(c, "CapAdd"));
  const drops = (drop ?? []).map((c) => normalizeCap(c, "CapDrop"));
  let caps: string[];
  if (adds.includes("ALL")) caps = ALL_CAPS.filter((c) => !drops.includes(c));
  else if (drops.includes("ALL")) caps = [...adds];
  else caps = [...DEFAULT_CAPS.filter((c) => !drops.includes(c)), ...adds];
  return [...new Set(caps)];
}

export const MASKED_PATHS = [
  "/proc/asound",
  "/proc/acpi",
  "/proc/kcore",
  "/proc/keys",
  "/proc/latency_stats",
  "/proc/timer_list",
  "/proc/timer_stats",
  "/proc/sched_debug",
  "/proc/scsi",
  "/sys/firmware",
];

export const READONLY_PATHS = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

export interface SpecInputs {
  container: ContainerJSON;
  /** Where the container's overlay rootfs is mounted in the guest. */
  rootfs: string;
  /** The container's folder in the guest (hostname, hosts, resolv.conf live there). */
  dir: string;
  /** The network namespace made for it, or undefined for --network none. */
  netns: string | undefined;
  user: { uid: number; gid: number; additionalGids: number[] };
  /** The init binary in the guest, bind-mounted for --init. */
  initPath: string;
  /** The client's terminal size, for a container with a tty. */
  consoleSize?: { rows: number; cols: number };
  /** For PidMode container:<id>: that container's pid namespace (/proc/<pid>/ns/pid). */
  sharedPidNs?: string;
}

/**
 * The pids limit of a container without one (Docker has none): half of what all containers
 * may have together (PARENT_LIMITS in guest.ts), so a fork bomb in one container leaves room
 * for others to start and the VM stays responsive.
 */
export const DEFAULT_PIDS_LIMIT = 512;

/** The pids.max a container runs with: its own limit, or the default. */
export const pidsLimit = (limit: number | null): number => (limit !== null && limit > 0 ? limit : DEFAULT_PIDS_LIMIT);

/** Where --init's binary appears in the container (daemon/oci_linux.go's inContainerInitPath). */
export const IN_CONTAINER_INIT_PATH = "/sbin/docker-init";

// Mount flags as pkg/mount's MergeTmpfsOptions knows them: options setting or clearing
// the same flag collide, the last one given wins.
const TMPFS_FLAGS: Record<string, string> = {
  ro: "rdonly", rw: "rdonly",
  suid: "nosuid", nosuid: "nosuid",
  dev: "nodev", nodev: "nodev",
  exec: "noexec", noexec: "noexec",
  sync: "sync", async: "sync",
  dirsync: "dirsync",
  remount: "remount",
  mand: "mand", nomand: "mand",
  atime: "noatime", noatime: "noatime",
  diratime: "nodiratime", nodiratime: "nodiratime",
  bind: "bind", rbind: "bind",
  relatime: "relatime", norelatime: "relatime",
  strictatime: "strictatime", nostrictatime: "strictatime",
  // Propagation: only one mode.
  shared: "propagation", rshared: "propagation", private: "propagation", rprivate: "propagation",
  slave: "propagation", rslave: "propagation", unbindable: "propagation", runbindable: "propagation",
};

/** Tmpfs options as dockerd gives them: noexec,nosuid,nodev,rprivate, then the user's, merged. */
export function tmpfsOptions(opts: string): string[] {
  const options = ["noexec", "nosuid", "nodev", "rprivate", ...(opts ? opts.split(",") : [])];
  const flags = new Set<string>();
  const data = new Set<string>();
  const out: string[] = [];
  // Processed from the end, so the last of colliding options is kept, in its place.
  for (let i = options.length - 1; i >= 0; i--) {
    const o = options[i]!;
    if (o === "defaults" || o === "") continue;
    const flag = TMPFS_FLAGS[o];
    const key = flag ?? o.split("=", 1)[0]!;
    const seen = flag ? flags : data;
    if (seen.has(key)) continue;
    seen.add(key);
    out.unshift(o);
  }
  return out;
}

/** WithNamespaces' pid entry: none to stay in the VM's, another container's by path, or a new one. */
function pidNamespace(mode: string, sharedPidNs: string | undefined): { type: string; path?: string }[] {
  if (mode === "host") return [];
  if (pidModeContainer(mode) === undefined) return [{ type: "pid" }];
  if (!sharedPidNs) throw new Error(`no pid namespace given for PidMode ${mode}`);
  return [{ type: "pid", path: sharedPidNs }];
}

/** The container's process: its user, capabilities, OOM score, no-new-privileges and rlimits. */
function containerProcess(c: ContainerJSON, user: OciProcess["user"], args: string[]): OciProcess {
  const hc = c.HostConfig;
  const caps = capabilities(hc.CapAdd, hc.CapDrop, hc.Privileged);
  return {
    // With a tty, crun gives the container a pty of its own (/dev/pts/0, its controlling
    // terminal, so Ctrl-C reaches the foreground job) and relays it to crun's stdio.
    terminal: c.Config.Tty,
    user,
    args,
    env: c.Config.Env ?? [],
    cwd: c.Config.WorkingDir || "/",
    capabilities: { bounding: caps, effective: caps, permitted: caps },
    oomScoreAdj: hc.OomScoreAdj,
    ...(parseSecurityOpt(hc.SecurityOpt).noNewPrivileges ? { noNewPrivileges: true } : {}),
    ...(hc.Ulimits?.length ? { rlimits: hc.Ulimits.map((u) => ({ type: `RLIMIT_${u.Name.toUpperCase()}`, hard: u.Hard, soft: u.Soft })) } : {}),
  };
}

export interface ExecProcessInputs {
  argv: string[];
  env: string[];
  cwd: string;
  user: OciProcess["user"];
  tty: boolean;
  privileged: boolean;
  size?: { rows: number; cols: number };
}

/**
 * A `docker exec` process, as dockerd makes it: the container's process with the exec's
 * args, env, working directory, user and terminal; every capability with --privileged.
 */
export function execProcess(c: ContainerJSON, e: ExecProcessInputs): OciProcess {
  const p = containerProcess(c, e.user, e.argv);
  const caps = e.privileged ? capabilities(null, null, true) : null;
  return {
    ...p,
    env: e.env,
    cwd: e.cwd,
    terminal: e.tty,
    ...(e.tty && e.size ? { consoleSize: { height: e.size.rows, width: e.size.cols } } : {}),
    ...(caps ? { capabilities: { bounding: caps, effective: caps, permitted: caps } } : {}),
  };
}

export function ociSpec(inp: SpecInputs): OciSpec {
  const c = inp.container;
  const hc = c.HostConfig;
  // --init only in a pid namespace of its own: the host's or another container's has an init.
  const init = hc.Init && isPrivatePidMode(hc.PidMode);
  const args = init ? [IN_CONTAINER_INIT_PATH, "--", c.Path, ...c.Args] : [c.Path, ...c.Args];
  const mounts: OciMount[] = [
    { destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"] },
    { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
    { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
    { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
    { destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["ro", "nosuid", "noexec", "nodev"] },
    { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
    { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", `size=${hc.ShmSize > 0 ? hc.ShmSize : 67108864}`] },
    { destination: "/etc/resolv.conf", type: "bind", source: `${inp.dir}/resolv.conf`, options: ["rbind", "rprivate"] },
    { destination: "/etc/hostname", type: "bind", source: `${inp.dir}/hostname`, options: ["rbind", "rprivate"] },
    { destination: "/etc/hosts", type: "bind", source: `${inp.dir}/hosts`, options: ["rbind", "rprivate"] },
  ];
  for (const [dest, opts] of Object.entries(hc.Tmpfs ?? {})) {
    mounts.push({ destination: dest, type: "tmpfs", source: "tmpfs", options: tmpfsOptions(opts) });
  }
  if (init) mounts.push({ destination: IN_CONTAINER_INIT_PATH, type: "bind", source: inp.initPath, options: ["bind", "ro"] });

  const resources: OciSpec["linux"]["resources"] = { devices: [{ allow: false, access: "rwm" }] };
  // getMemoryResources / getCPUResources. MemorySwap 0 means twice the memory (adaptContainerSettings).
  const memory: NonNullable<typeof resources.memory> = {};
  if (hc.Memory > 0) Object.assign(memory, { limit: hc.Memory, swap: hc.MemorySwap !== 0 ? hc.MemorySwap : hc.Memory * 2 });
  if (hc.MemoryReservation > 0) memory.reservation = hc.MemoryReservation;
  if (Object.keys(memory).length) resources.memory = memory;
  const cpu: NonNullable<typeof resources.cpu> = {};
  if (hc.CpuShares > 0) cpu.shares = hc.CpuShares;
  // quota = NanoCPUs × period / 1e9, in Go's integer arithmetic; an explicit period or quota wins.
  if (hc.NanoCpus > 0) Object.assign(cpu, { period: 100000, quota: Math.floor((hc.NanoCpus * 100000) / 1e9) });
  if (hc.CpuPeriod > 0) cpu.period = hc.CpuPeriod;
  if (hc.CpuQuota !== 0) cpu.quota = hc.CpuQuota;
  if (Object.keys(cpu).length) resources.cpu = cpu;
  resources.pids = { limit: pidsLimit(hc.PidsLimit) };

  // --uts host keeps the VM's hostname (the kernel's); /etc/hostname still names the container.
  const utsHost = hc.UTSMode === "host";
  const namespaces: { type: string; path?: string }[] = [{ type: "mount" }, ...(utsHost ? [] : [{ type: "uts" }]), ...pidNamespace(hc.PidMode, inp.sharedPidNs), { type: "ipc" }, { type: "cgroup" }];
  namespaces.push(inp.netns ? { type: "network", path: inp.netns } : { type: "network" });

  return {
    ociVersion: "1.0.2-dev",
    process: { ...containerProcess(c, inp.user, args), ...(c.Config.Tty && inp.consoleSize ? { consoleSize: { height: inp.consoleSize.rows, width: inp.consoleSize.cols } } : {}) },
    root: { path: inp.rootfs, readonly: hc.ReadonlyRootfs },
    ...(utsHost ? {} : { hostname: c.Config.Hostname }),
    mounts,
    linux: {
      resources,
      cgroupsPath: `/docker/${c.Id}`,
      // setLinuxDomainname: no OCI field for the NIS domain name; the sysctl does the same.
      ...(c.Config.Domainname ? { sysctl: { "kernel.domainname": c.Config.Domainname } } : {}),
      namespaces,
      // WithMaskedPaths/WithReadonlyPaths: none when privileged; [] with systempaths=unconfined.
      maskedPaths: hc.Privileged ? [] : (hc.MaskedPaths ?? MASKED_PATHS),
      readonlyPaths: hc.Privileged ? [] : (hc.ReadonlyPaths ?? READONLY_PATHS),
    },
  };
}

/** A spec or process as crun reads it: an rlimit of -1 becomes RLIM_INFINITY, a uint64 JSON numbers cannot carry exactly. */
export function ociJson(value: OciSpec | OciProcess): string {
  const INF = "@RLIM_INFINITY@";
  const json = JSON.stringify(value, (k, v: unknown) => ((k === "hard" || k === "soft") && typeof v === "number" && v < 0 ? INF : v));
  return json.replaceAll(`"${INF}"`, "18446744073709551615");
}
