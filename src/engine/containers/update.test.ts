import { describe, expect, it } from "vitest";
import { defaultHostConfig } from "./container";
import { applyUpdate, cgroupLimits, verifyUpdate } from "./update";
import { DEFAULT_PIDS_LIMIT } from "../runtime/oci-spec";

const MB = 1024 * 1024;

describe("docker update's checks and merge", () => {
  it("refuses what dockerd refuses", () => {
    expect(() => verifyUpdate({ Memory: MB }, 1)).toThrow("Minimum memory limit allowed is 6MB");
    expect(() => verifyUpdate({ Memory: 32 * MB, MemorySwap: 16 * MB }, 1)).toThrow("Minimum memoryswap limit should be larger than memory limit, see usage");
    expect(() => verifyUpdate({ NanoCpus: 2e9 }, 1)).toThrow("Range of CPUs is from 0.01 to 1.00, as there are only 1 CPUs available");
    expect(() => applyUpdate(defaultHostConfig(), { Memory: 32 * MB })).toThrow(/Memory limit should be smaller than already set memoryswap limit/);
    expect(() => applyUpdate({ ...defaultHostConfig(), AutoRemove: true }, { RestartPolicy: { Name: "always", MaximumRetryCount: 0 } })).toThrow(
      "Restart policy cannot be updated because AutoRemove is enabled for the container",
    );
  });

  it("changes only what the update carries, and -1 pids means unlimited (0)", () => {
    const hc = applyUpdate(defaultHostConfig(), { Memory: 32 * MB, MemorySwap: 64 * MB, NanoCpus: 5e8, PidsLimit: 20 });
    expect(hc).toMatchObject({ Memory: 32 * MB, MemorySwap: 64 * MB, NanoCpus: 5e8, PidsLimit: 20, RestartPolicy: { Name: "no" } });
    expect(applyUpdate(hc, { PidsLimit: -1 }).PidsLimit).toBe(0);
  });

  it("maps to cgroup v2 files as crun does", () => {
    const hc = applyUpdate(defaultHostConfig(), { Memory: 32 * MB, MemorySwap: 64 * MB, NanoCpus: 5e8, PidsLimit: 20, CpuShares: 512 });
    expect(cgroupLimits(hc)).toEqual({ "memory.max": String(32 * MB), "memory.swap.max": String(32 * MB), "cpu.max": "50000 100000", "cpu.weight": "20", "pids.max": "20" });
    expect(cgroupLimits(defaultHostConfig())).toEqual({ "memory.max": "max", "cpu.max": "max 100000", "pids.max": String(DEFAULT_PIDS_LIMIT) });
  });
});
