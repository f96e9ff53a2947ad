import { describe, expect, it } from "vitest";
import { sysInfoOf, verifyRealtime, verifyResources, type ResourceSettings } from "./resources";

const MB = 1024 * 1024;
// The VM's kernel: cgroup v2 with the cpu, memory and pids controllers, one CPU.
const VM = sysInfoOf(["cpu", "memory", "pids"], 1);
const check = (r: ResourceSettings, update = false) => verifyResources(r, VM, update);

describe("dockerd's resource checks on the VM's kernel", () => {
  it("refuses what dockerd refuses, with its words", () => {
    expect(() => check({ Memory: MB }, true)).toThrow("Minimum memory limit allowed is 6MB");
    expect(() => check({ Memory: 32 * MB, MemorySwap: 16 * MB }, true)).toThrow("Minimum memoryswap limit should be larger than memory limit, see usage");
    expect(() => check({ NanoCpus: 2e9 }, true)).toThrow("Range of CPUs is from 0.01 to 1.00, as there are only 1 CPUs available");
    expect(() => check({ MemorySwap: 48 * MB })).toThrow("You should always set the Memory limit when using Memoryswap limit, see usage");
    expect(() => check({ MemorySwap: 48 * MB }, true)).not.toThrow();
    expect(() => check({ Memory: 8 * MB, MemoryReservation: 16 * MB })).toThrow("Minimum memory limit can not be less than memory reservation limit, see usage");
    expect(() => check({ MemoryReservation: MB })).toThrow("Minimum memory reservation allowed is 6MB");
    expect(() => check({ NanoCpus: 5e8, CpuPeriod: 50000 })).toThrow("Conflicting options: Nano CPUs and CPU Period cannot both be set");
    expect(() => check({ CpuPeriod: 500 })).toThrow("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
    expect(() => check({ CpuQuota: 500 })).toThrow("CPU cfs quota can not be less than 1ms (i.e. 1000)");
    expect(() => verifyRealtime({ CpuRealtimeRuntime: 5000 })).toThrow("Your kernel does not support CPU real-time scheduler");
  });

  it("keeps what the kernel applies, without a word", () => {
    const r: ResourceSettings = { Memory: 32 * MB, MemoryReservation: 16 * MB, CpuShares: 512, CpuPeriod: 50000, CpuQuota: 25000, MemorySwappiness: -1, OomKillDisable: false };
    expect(check(r)).toEqual([]);
    expect(r).toMatchObject({ MemoryReservation: 16 * MB, CpuShares: 512, CpuPeriod: 50000, CpuQuota: 25000, MemorySwappiness: null, OomKillDisable: null });
  });

  it("drops, with dockerd's warnings, what cgroup v2 or this kernel lacks", () => {
    const r: ResourceSettings = { MemorySwappiness: 10, OomKillDisable: true, KernelMemory: 10 * MB, CpusetCpus: "0-x", BlkioWeight: 5, BlkioDeviceReadBps: [{ Path: "/dev/vda", Rate: 1 }] };
    expect(check(r)).toEqual([
      "Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.",
      "Specifying a kernel memory limit is deprecated and will be removed in a future release.",
      "Your kernel does not support kernel memory limit capabilities or the cgroup is not mounted. Limitation discarded.",
      "Your kernel does not support OomKillDisable. OomKillDisable discarded.",
      "Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.",
      "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.",
      "Your kernel does not support BPS Block I/O read limit or the cgroup is not mounted. Block I/O BPS read limit discarded.",
    ]);
    expect(r).toEqual({ MemorySwappiness: null, OomKillDisable: null, KernelMemory: 0, CpusetCpus: "", CpusetMems: "", BlkioWeight: 0, BlkioDeviceReadBps: [] });
  });

  it("checks cpuset and blkio values where the kernel has the controllers", () => {
    const full = sysInfoOf(["cpuset", "cpu", "io", "memory", "pids"], 2);
    expect(() => verifyResources({ BlkioWeight: 5 }, full, false)).toThrow("Range of blkio weight is from 10 to 1000");
    expect(verifyResources({ BlkioWeight: 500, CpusetCpus: "0" }, full, false)).toEqual([]);
  });
});
