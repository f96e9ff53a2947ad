import { describe, expect, it } from "vitest";
import { defaultHostConfig, withHostDefaults } from "./container";
import { applyUpdate, cgroupLimits } from "./update";
import { DEFAULT_PIDS_LIMIT } from "../runtime/oci-spec";

const MB = 1024 * 1024;

describe("docker update's checks and merge", () => {
  it("refuses what dockerd refuses", () => {
    expect(() => applyUpdate(defaultHostConfig(), { Memory: 32 * MB })).toThrow(/Memory limit should be smaller than already set memoryswap limit/);
    expect(() => applyUpdate({ ...defaultHostConfig(), AutoRemove: true }, { RestartPolicy: { Name: "always", MaximumRetryCount: 0 } })).toThrow(
      "Restart policy cannot be updated because AutoRemove is enabled for the container",
    );
  });

  it("gives -m alone twice its size as memory+swap at create, so memory can be raised later", () => {
    const created = withHostDefaults({ Memory: 32 * MB });
    expect([created.Memory, created.MemorySwap]).toEqual([33554432, 67108864]);
    expect(withHostDefaults({ Memory: 32 * MB, MemorySwap: -1 }).MemorySwap).toBe(-1);
    expect(withHostDefaults({}).MemorySwap).toBe(0);
    // dockerd: `docker update -m 64m` keeps the swap limit, so memory and memory+swap are then equal.
    const raised = applyUpdate(created, { Memory: 64 * MB });
    expect([raised.Memory, raised.MemorySwap]).toEqual([67108864, 67108864]);
    expect(() => applyUpdate(raised, { Memory: 200 * MB })).toThrow(/Memory limit should be smaller than already set memoryswap limit/);
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
