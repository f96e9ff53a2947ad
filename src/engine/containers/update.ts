// docker update (POST /containers/{id}/update): the merge into the container's HostConfig
// (Container.UpdateContainer) and the cgroup v2 files a running container's new limits are
// written to, as crun writes them. The checks are dockerd's, in resources.ts.
import type { HostConfig, RestartPolicy } from "../api-types";
import { EngineError } from "../errors";
import { pidsLimit } from "../runtime/oci-spec";
import type { ResourceSettings } from "./resources";

/** The resources and restart policy an update may carry (container.UpdateConfig); absent = unchanged. */
export interface UpdateRequest
  extends Pick<
    ResourceSettings,
    "Memory" | "MemorySwap" | "MemoryReservation" | "KernelMemory" | "NanoCpus" | "CpuShares" | "CpuPeriod" | "CpuQuota" | "CpusetCpus" | "CpusetMems" | "BlkioWeight" | "PidsLimit"
  > {
  RestartPolicy?: RestartPolicy;
}

/** An error dockerd wraps as "Cannot update container ID: …" (500). */
export class CannotUpdateError extends EngineError {}

/** Container.UpdateContainer: the HostConfig after the update (the input is left alone). */
export function applyUpdate(hc: HostConfig, req: UpdateRequest): HostConfig {
  const next: HostConfig = structuredClone(hc);
  const nano = req.NanoCpus ?? 0;
  const conflict = (m: string) => new CannotUpdateError(`Conflicting options: ${m}`);
  if (nano > 0 && hc.CpuPeriod > 0) throw conflict("Nano CPUs cannot be updated as CPU Period has already been set");
  if (nano > 0 && hc.CpuQuota > 0) throw conflict("Nano CPUs cannot be updated as CPU Quota has already been set");
  if ((req.CpuPeriod ?? 0) > 0 && hc.NanoCpus > 0) throw conflict("CPU Period cannot be updated as NanoCPUs has already been set");
  if ((req.CpuQuota ?? 0) > 0 && hc.NanoCpus > 0) throw conflict("CPU Quota cannot be updated as NanoCPUs has already been set");
  if (req.CpuShares) next.CpuShares = req.CpuShares;
  if (nano) next.NanoCpus = nano;
  if (req.CpuPeriod) next.CpuPeriod = req.CpuPeriod;
  if (req.CpuQuota) next.CpuQuota = req.CpuQuota;
  if (req.Memory) {
    if (req.Memory > hc.MemorySwap && !req.MemorySwap) {
      throw new CannotUpdateError("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
    }
    next.Memory = req.Memory;
  }
  if (req.MemorySwap) next.MemorySwap = req.MemorySwap;
  if (req.MemoryReservation) next.MemoryReservation = req.MemoryReservation;
  // The API route turns -1 and 0 into 0: unlimited.
  if (req.PidsLimit !== undefined && req.PidsLimit !== null) next.PidsLimit = req.PidsLimit > 0 ? req.PidsLimit : 0;
  if (req.RestartPolicy && req.RestartPolicy.Name !== "") {
    if (hc.AutoRemove && req.RestartPolicy.Name !== "no") {
      throw new CannotUpdateError("Restart policy cannot be updated because AutoRemove is enabled for the container");
    }
    next.RestartPolicy = req.RestartPolicy;
  }
  return next;
}

/**
 * The cgroup v2 files of a running container for these limits, as crun converts the OCI
 * resources: memory.max, memory.swap.max (swap alone, so limit minus memory), memory.low,
 * cpu.max ("quota period"), cpu.weight from shares, pids.max (unlimited is the VM's default cap).
 */
export function cgroupLimits(hc: HostConfig): Record<string, string> {
  const out: Record<string, string> = {};
  out["memory.max"] = hc.Memory > 0 ? String(hc.Memory) : "max";
  if (hc.MemorySwap === -1) out["memory.swap.max"] = "max";
  else if (hc.Memory > 0 && hc.MemorySwap > 0) out["memory.swap.max"] = String(hc.MemorySwap - hc.Memory);
  if (hc.MemoryReservation > 0) out["memory.low"] = String(hc.MemoryReservation);
  const period = hc.CpuPeriod > 0 ? hc.CpuPeriod : 100000;
  if (hc.NanoCpus > 0) out["cpu.max"] = `${Math.floor((hc.NanoCpus * 100000) / 1e9)} 100000`;
  else out["cpu.max"] = `${hc.CpuQuota > 0 ? hc.CpuQuota : "max"} ${period}`;
  if (hc.CpuShares > 0) out["cpu.weight"] = String(Math.floor(1 + ((hc.CpuShares - 2) * 9999) / 262142));
  out["pids.max"] = String(pidsLimit(hc.PidsLimit));
  return out;
}
