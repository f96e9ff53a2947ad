import { describe, expect, it } from "vitest";
import { cpuPercent, memUsageNoCache, parseNetDev, parseStatsOutput, statsEntry, systemCpuUsage, withPrevious } from "./stats";
import { renderStats } from "../cli/commands/stats";

const ID = "a".repeat(64);

function sample(usageUsec: number, procStatTicks: number): string {
  return [
    `sys cpu  ${procStatTicks} 0 0 0 0 0 0 0 0 0`,
    "sys cpu0 1 0 0 0 0 0 0 0 0 0",
    "meminfo MemTotal:         494892 kB",
    `== ${ID}`,
    `cpu usage_usec ${usageUsec}`,
    "cpu user_usec 10",
    "cpu system_usec 5",
    "memory.current 1048576",
    "memory.max 67108864",
    "memory.stat inactive_file 262144",
    "pids.current 3",
    "pids.max max",
    "net Inter-|   Receive                                                |  Transmit",
    "net  face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed",
    "net     lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0",
    "net   eth0:    1500      10    0    0    0     0          0         0      586       7    0    0    0     0       0          0",
  ].join("\n");
}

describe("stats from cgroup files", () => {
  it("sums the first seven /proc/stat fields in ns and counts CPUs", () => {
    expect(systemCpuUsage(["cpu  1 2 3 4 5 6 7 8 9 10", "cpu0 1 2 3 4 5 6 7 8 9 10"])).toEqual({ total: 28e7, online: 1 });
  });

  it("reads the container's interfaces but not lo", () => {
    expect(Object.keys(parseNetDev(["  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", "    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16"]))).toEqual(["eth0"]);
  });

  it("computes CPU % from two samples as docker/cli does", () => {
    const [a] = parseStatsOutput(sample(1_000_000, 1000), [{ id: ID, name: "/web", pid: 7 }], "t1");
    const [b] = parseStatsOutput(sample(1_500_000, 1100), [{ id: ID, name: "/web", pid: 7 }], "t2");
    // 0.5 s of CPU over 1 s of system time on one CPU.
    expect(cpuPercent(withPrevious(b!, a))).toBeCloseTo(50);
    const e = statsEntry("web", withPrevious(b!, a));
    expect(e).toMatchObject({ memory: 786432, memoryLimit: 67108864, networkRx: 1500, networkTx: 586, pidsCurrent: 3 });
    expect(memUsageNoCache(b!.memory_stats)).toBe(786432);
  });

  it("caps an unlimited container's limit at the machine's memory", () => {
    const [s] = parseStatsOutput(sample(1, 1).replace("memory.max 67108864", "memory.max max"), [{ id: ID, name: "/web", pid: 7 }], "t");
    expect(s!.memory_stats.limit).toBe(494892 * 1024);
  });

  it("answers only name and ID for a stopped container", () => {
    const [s] = parseStatsOutput("", [{ id: ID, name: "/off", pid: 0 }], "t");
    expect(statsEntry("off", s!)).toMatchObject({ cpuPercentage: 0, memory: 0, memoryLimit: 0, pidsCurrent: 0 });
  });

  it("renders Docker's table, --no-trunc and invalid rows", () => {
    const [a] = parseStatsOutput(sample(1_000_000, 1000), [{ id: ID, name: "/web", pid: 7 }], "t1");
    const [b] = parseStatsOutput(sample(1_500_000, 1100), [{ id: ID, name: "/web", pid: 7 }], "t2");
    const e = statsEntry("web", withPrevious(b!, a));
    expect(renderStats("", [e], true)).toBe(
      "CONTAINER ID   NAME      CPU %     MEM USAGE / LIMIT   MEM %     NET I/O        BLOCK I/O   PIDS\n" +
        "aaaaaaaaaaaa   web       50.00%    768KiB / 64MiB      1.17%     1.5kB / 586B   0B / 0B     3\n",
    );
    expect(renderStats("{{.ID}}", [e], false)).toBe(`${ID}\n`);
    expect(renderStats("{{.CPUPerc}} {{.MemUsage}} {{.PIDs}}", [{ ...e, isInvalid: true }], true)).toBe("-- -- / -- --\n");
    expect(() => renderStats("{{.Nope}}", [e], true)).toThrow(/can't evaluate field Nope in type \*container\.statsContext/);
  });
});
