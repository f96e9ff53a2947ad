// Resource limits and security options seen from inside real containers, and a fork bomb
// that must stay inside its pids limit while the engine keeps answering.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootNodeVm } from "../sandbox/node";
import type { Vm } from "../sandbox/vm";
import { DEFAULT_PIDS_LIMIT } from "./runtime/oci-spec";
import type { Daemon } from "./daemon";
import { tearDown } from "./testing/tear-down";
import { startNodeEngine } from "./node";

let vm: Vm;
let dataDir: string;
let daemon: Daemon;

const sh = (script: string, timeoutMs = 60000) => vm.exec(["sh", "-c", script], { timeoutMs });

/** Run and time a guest command. */
async function timed(script: string): Promise<{ ms: number; code: number | null; stdout: string }> {
  const t = Date.now();
  const r = await sh(script);
  return { ms: Date.now() - t, code: r.code, stdout: r.stdout };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "berth-limits-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir });
  await sh("docker pull busybox >/dev/null 2>&1");
}, 120000);

afterAll(async () => {
  await tearDown(vm, daemon, dataDir);
});

describe("limits inside the container", () => {
  it("--init runs docker-init (tini) as PID 1", async () => {
    const r = await sh("docker run --rm --init busybox ps");
    expect(r.stdout).toMatch(/^PID +USER +COMMAND\n +1 root +\/sbin\/docker-init -- ps\n +\d+ root +ps\n$/);
  }, 60000);

  it("-m, --cpus and --pids-limit land in the container's own cgroup", async () => {
    const r = await sh("docker run --rm -m 32m --cpus 0.5 --pids-limit 30 busybox sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max'");
    expect(r.stdout).toBe(`${32 * 1024 * 1024}\n50000 100000\n30\n`);
    const dflt = await sh("docker run --rm busybox cat /sys/fs/cgroup/pids.max");
    expect(dflt.stdout).toBe(`${DEFAULT_PIDS_LIMIT}\n`);
  }, 60000);

  it("capabilities: Docker's default set, --cap-drop and --cap-add", async () => {
    const caps = (flags: string) => sh(`docker run --rm ${flags} busybox grep CapEff /proc/self/status`).then((r) => r.stdout.trim());
    expect(await caps("")).toBe("CapEff:\t00000000a80425fb");
    expect(await caps("--cap-drop ALL --cap-add NET_ADMIN")).toBe("CapEff:\t0000000000001000");
    expect(await caps("--cap-drop CHOWN")).toBe("CapEff:\t00000000a80425fa");
  }, 60000);

  it("--read-only and --tmpfs: a read-only root with a writable tmpfs", async () => {
    const r = await sh("docker run --rm --read-only --tmpfs /run:size=1m busybox sh -c 'grep -E \" / | /run \" /proc/mounts; touch /run/ok && echo run-ok; touch /x'");
    expect(r.stdout).toMatch(/^overlay \/ overlay ro,/m);
    expect(r.stdout).toMatch(/^tmpfs \/run tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k /m);
    expect(r.stdout).toContain("run-ok\n");
    expect(r.stderr).toBe("touch: /x: Read-only file system\n");
    expect(r.code).toBe(1);
  }, 60000);
});

describe("a fork bomb", () => {
  it("hits the pids limit while docker keeps answering, and goes with rm -f", async () => {
    // busybox's ':' is a special builtin (a function cannot replace it), so the bomb needs a name.
    const run = await sh("docker run -d --name bomb busybox sh -c 'bomb(){ bomb|bomb& };bomb; sleep 1000'");
    expect(run.code).toBe(0);
    await sh("sleep 4");
    const pids = Number((await sh("cat /sys/fs/cgroup/docker/$(docker inspect -f '{{.Id}}' bomb)/pids.current")).stdout);
    expect(pids).toBeGreaterThan(DEFAULT_PIDS_LIMIT / 2);
    expect(pids).toBeLessThanOrEqual(DEFAULT_PIDS_LIMIT);
    const ps = await timed("docker ps --format '{{.Names}}'");
    expect(ps.stdout).toBe("bomb\n");
    expect(ps.ms).toBeLessThan(5000);
    const other = await timed("docker run --rm busybox echo still-here");
    expect(other.stdout).toBe("still-here\n");
    expect(other.ms).toBeLessThan(10000);
    const rm = await timed("docker rm -f bomb");
    expect(rm.stdout).toBe("bomb\n");
    const after = await timed("docker run --rm busybox true && docker ps -aq");
    expect([after.code, after.stdout]).toEqual([0, ""]);
    expect(after.ms).toBeLessThan(5000);
    expect((await sh("cat /sys/fs/cgroup/docker/pids.current")).stdout.trim()).toBe("0");
  }, 90000);
});
