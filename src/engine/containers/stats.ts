// Container resource usage as dockerd's stats collector reports it (types.StatsJSON on
// cgroup v2, daemon/daemon_unix.go statsV2), read in one guest process from the
// containers' cgroup files, their network namespaces and /proc/stat. The CLI's
// arithmetic (cli/command/container/stats_helpers.go) turns two samples into percentages.

/** types.StatsJSON, the fields cgroup v2 fills. */
export interface StatsJSON {
  name: string;
  id: string;
  read: string;
  preread: string;
  pids_stats: { current?: number; limit?: number };
  blkio_stats: { io_service_bytes_recursive: { major: number; minor: number; op: string; value: number }[] | null };
  num_procs: number;
  cpu_stats: CpuStats;
  precpu_stats: CpuStats;
  memory_stats: { usage?: number; stats?: Record<string, number>; limit?: number; failcnt?: number };
  networks?: Record<string, NetworkStats>;
}

export interface CpuStats {
  cpu_usage: { total_usage: number; usage_in_kernelmode: number; usage_in_usermode: number };
  system_cpu_usage?: number;
  online_cpus?: number;
  throttling_data: { periods: number; throttled_periods: number; throttled_time: number };
}

export interface NetworkStats {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

export interface StatsTarget {
  id: string;
  /** "/name", as dockerd reports it. */
  name: string;
  /** The container's init pid while it runs (its /proc/PID/net/dev is the container's), else 0. */
  pid: number;
}

const ZERO_TIME = "0001-01-01T00:00:00Z";
const emptyCpu = (): CpuStats => ({ cpu_usage: { total_usage: 0, usage_in_kernelmode: 0, usage_in_usermode: 0 }, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } });

/** dockerd's answer for a container that is not running: only its name and ID. */
export function emptyStats(t: Pick<StatsTarget, "id" | "name">): StatsJSON {
  return {
    name: t.name,
    id: t.id,
    read: ZERO_TIME,
    preread: ZERO_TIME,
    pids_stats: {},
    blkio_stats: { io_service_bytes_recursive: null },
    num_procs: 0,
    cpu_stats: emptyCpu(),
    precpu_stats: emptyCpu(),
    memory_stats: {},
  };
}

// Shell builtins only (every fork costs about 10 ms in the VM): each file's lines, prefixed.
// Arguments: pairs of container ID and pid (0: not running).
export const STATS_SCRIPT = `r() { [ -r "$1" ] && while IFS= read -r l || [ -n "$l" ]; do echo "$2 $l"; done < "$1"; }
r /proc/stat sys
r /proc/meminfo meminfo
while [ $# -gt 1 ]; do
  id=$1 pid=$2; shift 2
  echo "== $id"
  [ "$pid" = 0 ] && continue
  g=/sys/fs/cgroup/docker/$id
  r $g/cpu.stat cpu; r $g/memory.current memory.current; r $g/memory.max memory.max; r $g/memory.stat memory.stat
  r $g/memory.events memory.events; r $g/pids.current pids.current; r $g/pids.max pids.max; r $g/io.stat io
  r /proc/$pid/net/dev net
done
exit 0`;

function keyValues(lines: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of lines) {
    const [k, v] = l.trim().split(/\s+/);
    if (k !== undefined && v !== undefined && /^\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** getSystemCPUUsage: the first seven fields of /proc/stat's cpu line, in ns (USER_HZ 100). */
export function systemCpuUsage(procStat: readonly string[]): { total: number; online: number } {
  let total = 0;
  let online = 0;
  for (const l of procStat) {
    const parts = l.trim().split(/\s+/);
    if (parts[0] === "cpu") total = (parts.slice(1, 8).reduce((n, v) => n + Number(v), 0) * 1e9) / 100;
    else if (/^cpu\d+$/.test(parts[0] ?? "")) online++;
  }
  return { total, online };
}

/** /proc/net/dev rows for the container's interfaces (not lo, as libnetwork counts only its endpoints). */
export function parseNetDev(lines: readonly string[]): Record<string, NetworkStats> {
  const out: Record<string, NetworkStats> = {};
  for (const l of lines) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(l);
    if (!m || m[1] === "lo") continue;
    const f = m[2]!.trim().split(/\s+/).map(Number);
    if (f.length < 16) continue;
    out[m[1]!] = {
      rx_bytes: f[0]!, rx_packets: f[1]!, rx_errors: f[2]!, rx_dropped: f[3]!,
      tx_bytes: f[8]!, tx_packets: f[9]!, tx_errors: f[10]!, tx_dropped: f[11]!,
    };
  }
  return out;
}

/** io.stat lines ("MAJ:MIN rbytes=… wbytes=…") as dockerd's read and write entries. */
export function parseIoStat(lines: readonly string[]): StatsJSON["blkio_stats"]["io_service_bytes_recursive"] {
  const out: NonNullable<StatsJSON["blkio_stats"]["io_service_bytes_recursive"]> = [];
  for (const l of lines) {
    const [dev = "", ...kv] = l.trim().split(/\s+/);
    const [major = 0, minor = 0] = dev.split(":").map(Number);
    const v = Object.fromEntries(kv.map((p) => p.split("=")).map(([k, n]) => [k, Number(n)]));
    out.push({ major, minor, op: "read", value: v.rbytes ?? 0 }, { major, minor, op: "write", value: v.wbytes ?? 0 });
  }
  return out.length ? out : null;
}

/** Turn the script's output into one StatsJSON per target (precpu left empty, as in a first frame). */
export function parseStatsOutput(text: string, targets: readonly StatsTarget[], readAt: string): StatsJSON[] {
  const global: Record<string, string[]> = {};
  const per = new Map<string, Record<string, string[]>>();
  let cur = global;
  for (const line of text.split("\n")) {
    if (line.startsWith("== ")) {
      cur = {};
      per.set(line.slice(3).trim(), cur);
      continue;
    }
    const sp = line.indexOf(" ");
    if (sp < 0) continue;
    (cur[line.slice(0, sp)] ??= []).push(line.slice(sp + 1));
  }
  const sys = systemCpuUsage(global.sys ?? []);
  const memTotal = (keyValues((global.meminfo ?? []).map((l) => l.replace(":", ""))).MemTotal ?? 0) * 1024;
  return targets.map((t) => {
    const f = per.get(t.id);
    if (!t.pid || !f?.["memory.current"]) return emptyStats(t);
    const cpu = keyValues(f.cpu ?? []);
    const one = (k: string) => (f[k]?.[0] ?? "").trim();
    const maxOf = (k: string) => (one(k) === "max" || one(k) === "" ? Infinity : Number(one(k)));
    // An unlimited container reports the machine's memory (dockerd's machineMemory).
    const memMax = maxOf("memory.max");
    const limit = memTotal > 0 && memMax > memTotal ? memTotal : memMax;
    const pidsMax = maxOf("pids.max");
    return {
      ...emptyStats(t),
      read: readAt,
      pids_stats: { current: Number(one("pids.current")) || 0, ...(Number.isFinite(pidsMax) ? { limit: pidsMax } : {}) },
      blkio_stats: { io_service_bytes_recursive: parseIoStat(f.io ?? []) },
      cpu_stats: {
        cpu_usage: { total_usage: (cpu.usage_usec ?? 0) * 1000, usage_in_kernelmode: (cpu.system_usec ?? 0) * 1000, usage_in_usermode: (cpu.user_usec ?? 0) * 1000 },
        system_cpu_usage: sys.total,
        online_cpus: sys.online,
        throttling_data: { periods: cpu.nr_periods ?? 0, throttled_periods: cpu.nr_throttled ?? 0, throttled_time: (cpu.throttled_usec ?? 0) * 1000 },
      },
      memory_stats: { usage: Number(one("memory.current")) || 0, stats: keyValues(f["memory.stat"] ?? []), limit: Number.isFinite(limit) ? limit : 0, failcnt: keyValues(f["memory.events"] ?? []).oom ?? 0 },
      networks: parseNetDev(f.net ?? []),
    };
  });
}

/** A frame as the daemon streams it: this sample with the previous one's CPU figures. */
export function withPrevious(cur: StatsJSON, prev: StatsJSON | undefined): StatsJSON {
  return prev ? { ...cur, precpu_stats: prev.cpu_stats, preread: prev.read } : cur;
}

/** One row of `docker stats` (docker/cli's StatsEntry). */
export interface StatsEntry {
  container: string;
  name: string;
  id: string;
  cpuPercentage: number;
  memory: number;
  memoryLimit: number;
  memoryPercentage: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pidsCurrent: number;
  /** No figures (the container stopped while streamed): every column shows "--". */
  isInvalid: boolean;
}

/** calculateCPUPercentUnix */
export function cpuPercent(v: StatsJSON): number {
  const cpuDelta = v.cpu_stats.cpu_usage.total_usage - v.precpu_stats.cpu_usage.total_usage;
  const systemDelta = (v.cpu_stats.system_cpu_usage ?? 0) - (v.precpu_stats.system_cpu_usage ?? 0);
  const online = v.cpu_stats.online_cpus ?? 0;
  return systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * online * 100 : 0;
}

/** calculateMemUsageUnixNoCache (cgroup v2): usage without inactive page cache. */
export function memUsageNoCache(m: StatsJSON["memory_stats"]): number {
  const usage = m.usage ?? 0;
  const inactive = m.stats?.inactive_file ?? 0;
  return inactive < usage ? usage - inactive : usage;
}

/** The CLI's row for one frame. */
export function statsEntry(container: string, v: StatsJSON): StatsEntry {
  const memory = memUsageNoCache(v.memory_stats);
  const memoryLimit = v.memory_stats.limit ?? 0;
  let rx = 0;
  let tx = 0;
  for (const n of Object.values(v.networks ?? {})) {
    rx += n.rx_bytes;
    tx += n.tx_bytes;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const e of v.blkio_stats.io_service_bytes_recursive ?? []) {
    if (/^[rR]/.test(e.op)) blockRead += e.value;
    else if (/^[wW]/.test(e.op)) blockWrite += e.value;
  }
  return {
    container,
    name: v.name,
    id: v.id,
    cpuPercentage: cpuPercent(v),
    memory,
    memoryLimit,
    memoryPercentage: memoryLimit !== 0 ? (memory / memoryLimit) * 100 : 0,
    networkRx: rx,
    networkTx: tx,
    blockRead,
    blockWrite,
    pidsCurrent: v.pids_stats.current ?? 0,
    isInvalid: false,
  };
}

/** SetErrorAndReset: a row with no figures. */
export function invalidEntry(container: string, name = "", id = ""): StatsEntry {
  return { container, name, id, cpuPercentage: 0, memory: 0, memoryLimit: 0, memoryPercentage: 0, networkRx: 0, networkTx: 0, blockRead: 0, blockWrite: 0, pidsCurrent: 0, isInvalid: true };
}

/** Sample every target in one guest process; `run` runs argv in the guest and returns its stdout. */
export async function sampleStats(run: (argv: string[]) => Promise<string>, targets: readonly StatsTarget[]): Promise<StatsJSON[]> {
  if (!targets.some((t) => t.pid)) return targets.map(emptyStats);
  const text = await run(["sh", "-c", STATS_SCRIPT, "sh", ...targets.flatMap((t) => [t.id, String(t.pid)])]);
  return parseStatsOutput(text, targets, new Date().toISOString());
}
