// dockerd's checks of a container's resources (verifyPlatformContainerResources, at create
// and for docker update), against what the VM's kernel offers. Like dockerd, a setting the
// kernel has no cgroup for is dropped with a warning; a bad value is refused.
import type { HostConfig } from "../api-types";
import { InvalidParameterError } from "../errors";

/**
 * What the kernel's cgroups can do, as far as the checks below ask (moby's sysinfo.newV2).
 * The VM's kernel always has the memory, cpu and pids controllers; cgroup v2 itself has no
 * swappiness, no OOM-killer switch and no kernel memory limit.
 */
export interface SysInfo {
  cpus: number;
  cpuset: boolean;
  io: boolean;
}

export function sysInfoOf(controllers: readonly string[], cpus: number): SysInfo {
  return { cpus, cpuset: controllers.includes("cpuset"), io: controllers.includes("io") };
}

/** linuxMinMemory */
export const MIN_MEMORY = 6 * 1024 * 1024;

/** The resource fields a create or an update may carry (container.Resources). */
export type ResourceSettings = Partial<
  Pick<
    HostConfig,
    | "Memory"
    | "MemorySwap"
    | "MemoryReservation"
    | "MemorySwappiness"
    | "OomKillDisable"
    | "KernelMemory"
    | "PidsLimit"
    | "NanoCpus"
    | "CpuShares"
    | "CpuPeriod"
    | "CpuQuota"
    | "CpusetCpus"
    | "CpusetMems"
    | "BlkioWeight"
    | "BlkioWeightDevice"
    | "BlkioDeviceReadBps"
    | "BlkioDeviceWriteBps"
    | "BlkioDeviceReadIOps"
    | "BlkioDeviceWriteIOps"
  >
>;

/**
 * verifyPlatformContainerResources: the warnings to show, after dropping (in `r`) what the
 * kernel cannot apply; throws dockerd's error for a value it refuses.
 */
export function verifyResources(r: ResourceSettings, sys: SysInfo, update: boolean): string[] {
  const warnings: string[] = [];
  const bad = (msg: string) => new InvalidParameterError(msg);
  // The CLI sends -1 for "not set".
  if (r.MemorySwappiness === -1) r.MemorySwappiness = null;

  const mem = r.Memory ?? 0;
  if (mem !== 0 && mem < MIN_MEMORY) throw bad("Minimum memory limit allowed is 6MB");
  if (mem > 0 && (r.MemorySwap ?? 0) > 0 && (r.MemorySwap ?? 0) < mem) throw bad("Minimum memoryswap limit should be larger than memory limit, see usage");
  if (mem === 0 && (r.MemorySwap ?? 0) > 0 && !update) throw bad("You should always set the Memory limit when using Memoryswap limit, see usage");
  if (r.MemorySwappiness !== undefined && r.MemorySwappiness !== null) {
    warnings.push("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.");
    r.MemorySwappiness = null;
  }
  const reservation = r.MemoryReservation ?? 0;
  if (reservation > 0 && reservation < MIN_MEMORY) throw bad("Minimum memory reservation allowed is 6MB");
  if (mem > 0 && reservation > 0 && mem < reservation) throw bad("Minimum memory limit can not be less than memory reservation limit, see usage");
  if ((r.KernelMemory ?? 0) > 0) {
    warnings.push("Specifying a kernel memory limit is deprecated and will be removed in a future release.");
    warnings.push("Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded.");
    r.KernelMemory = 0;
  }
  if (r.OomKillDisable !== undefined && r.OomKillDisable !== null) {
    // Only a request to disable it is worth a warning.
    if (r.OomKillDisable) warnings.push("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
    r.OomKillDisable = null;
  }

  const nano = r.NanoCpus ?? 0;
  if (nano > 0 && (r.CpuPeriod ?? 0) > 0) throw bad("Conflicting options: Nano CPUs and CPU Period cannot both be set");
  if (nano > 0 && (r.CpuQuota ?? 0) > 0) throw bad("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
  if (nano < 0 || nano > sys.cpus * 1e9) throw bad(`Range of CPUs is from 0.01 to ${sys.cpus}.00, as there are only ${sys.cpus} CPUs available`);
  const period = r.CpuPeriod ?? 0;
  if (period !== 0 && (period < 1000 || period > 1000000)) throw bad("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
  const quota = r.CpuQuota ?? 0;
  if (quota > 0 && quota < 1000) throw bad("CPU cfs quota can not be less than 1ms (i.e. 1000)");

  if (((r.CpusetCpus ?? "") !== "" || (r.CpusetMems ?? "") !== "") && !sys.cpuset) {
    warnings.push("Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.");
    r.CpusetCpus = "";
    r.CpusetMems = "";
  }
  if (!sys.io) {
    const drop = (key: "BlkioWeightDevice" | "BlkioDeviceReadBps" | "BlkioDeviceWriteBps" | "BlkioDeviceReadIOps" | "BlkioDeviceWriteIOps", warning: string) => {
      if ((r[key]?.length ?? 0) === 0) return;
      warnings.push(warning);
      r[key] = [];
    };
    if ((r.BlkioWeight ?? 0) > 0) {
      warnings.push("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
      r.BlkioWeight = 0;
    }
    drop("BlkioWeightDevice", "Your kernel does not support Block I/O weight_device or the cgroup is not mounted. Weight-device discarded.");
    drop("BlkioDeviceReadBps", "Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read limit discarded.");
    drop("BlkioDeviceWriteBps", "Your kernel does not support BPS Block I/O write limit or the cgroup is not mounted. Block I/O BPS write limit discarded.");
    drop("BlkioDeviceReadIOps", "Your kernel does not support IOPS Block read limit or the cgroup is not mounted. Block I/O IOPS read limit discarded.");
    drop("BlkioDeviceWriteIOps", "Your kernel does not support IOPS Block write limit or the cgroup is not mounted. Block I/O IOPS write limit discarded.");
  }
  const weight = r.BlkioWeight ?? 0;
  if (weight > 0 && (weight < 10 || weight > 1000)) throw bad("Range of blkio weight is from 10 to 1000");
  return warnings;
}

/** runconfig's validateResources, checked as the create request is read: the VM has no RT scheduler. */
export function verifyRealtime(hc: Partial<Pick<HostConfig, "CpuRealtimePeriod" | "CpuRealtimeRuntime">>): void {
  if ((hc.CpuRealtimePeriod ?? 0) > 0 || (hc.CpuRealtimeRuntime ?? 0) > 0) throw new InvalidParameterError("Your kernel does not support CPU real-time scheduler");
}
