// docker update (POST /containers/{id}/update): dockerd's checks (verifyContainerSettings
// with update=true), the merge into the container's HostConfig (Container.UpdateContainer)
// and the cgroup v2 files a running container's new limits are written to, as crun writes them.
import type { HostConfig, RestartPolicy } from "../api-types";
import { EngineError, InvalidParameterError } from "../errors";
import { pidsLimit } from "../runtime/oci-spec";

/** The resources and restart policy an update may carry (container.UpdateConfig); absent = unchanged. */
export interface UpdateRequest {
  Memory?: number;
  MemorySwap?: number;
  MemoryReservation?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuPeriod?: number;
  CpuQuota?: number;
  PidsLimit?: number | null;
  RestartPolicy?: RestartPolicy;
}

/** linuxMinMemory */
export const MIN_MEMORY = 6 * 1024 * 1024;

/** An error dockerd wraps as "Cannot update container ID: …" (500). */
export class CannotUpdateError extends EngineError {}

/** verifyPlatformContainerResources, at create and (`update`) for docker update, on the request alone. */
export function verifyResources(req: UpdateRequest, cpus: number, update: boolean): void {
  const mem = req.Memory ?? 0;
  const swap = req.MemorySwap ?? 0;
  const reservation = req.MemoryReservation ?? 0;
  if (mem !== 0 && mem < MIN_MEMORY) throw new InvalidParameterError("Minimum memory limit allowed is 6MB");
  if (mem > 0 && swap > 0 && swap < mem) throw new InvalidParameterError("Minimum memoryswap limit should be larger than memory limit, see usage");
  if (mem === 0 && swap > 0 && !update) throw new InvalidParameterError("You should always set the Memory limit when using Memoryswap limit, see usage");
  if (reservation > 0 && reservation < MIN_MEMORY) throw new InvalidParameterError("Minimum memory reservation allowed is 6MB");
  if (mem > 0 && reservation > 0 && mem < reservation) throw new InvalidParameterError("Minimum memory limit can not be less than memory reservation limit, see usage");
  const nano = req.NanoCpus ?? 0;
  if (nano < 0 || nano > cpus * 1e9) throw new InvalidParameterError(`Range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`);
  const period = req.CpuPeriod ?? 0;
  if (period !== 0 && (period < 1000 || period > 1000000)) throw new InvalidParameterError("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
  const quota = req.CpuQuota ?? 0;
  if (quota > 0 && quota < 1000) throw new InvalidParameterError("CPU cfs quota can not be less than 1ms (i.e. 1000)");
}

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
