// The typed path end to end: the guest's docker client → agent → engine → crun, on the
// real headless VM. Every assertion is about a real effect in the guest.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootNodeVm } from "../sandbox/node";
import type { Vm } from "../sandbox/vm";
import type { Daemon } from "./daemon";
import { tearDown } from "./testing/tear-down";
import { startNodeEngine } from "./node";

let vm: Vm;
let daemon: Daemon;
let dataDir: string;

const sh = (script: string, timeoutMs = 60000) => vm.exec(["sh", "-c", script], { timeoutMs });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "berth-engine-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir });
}, 60000);

afterAll(async () => {
  await tearDown(vm, daemon, dataDir);
});

describe("docker in the guest", () => {
  it("pulls on first use and runs a real process", async () => {
    const r = await sh("docker run --rm busybox echo hello from busybox");
    expect(r.stderr).toContain("Unable to find image 'busybox:latest' locally");
    expect(r.stderr).toContain("Status: Downloaded newer image for busybox:latest");
    expect(r.stdout).toBe("hello from busybox\n");
    expect(r.code).toBe(0);
    // --rm: nothing left behind.
    expect((await sh("docker ps -aq")).stdout).toBe("");
  }, 120000);

  it("passes exit codes through, and the container sees its own namespaces", async () => {
    const r = await sh("docker run --rm busybox sh -c 'exit 3'; echo $?");
    expect(r.stdout).toBe("3\n");
    const ns = await sh("docker run --rm --hostname box1 busybox sh -c 'hostname; echo $$; ip -4 addr show eth0 | grep -o \"inet [0-9.]*\"'");
    expect(ns.stdout).toMatch(/^box1\n1\ninet 172\.17\.0\.\d+\n$/);
  }, 60000);

  it("fails like Docker for bad flags and missing commands", async () => {
    const flag = await sh("docker run --foo busybox");
    expect(flag.code).toBe(125);
    expect(flag.stderr).toBe("unknown flag: --foo\nSee 'docker run --help'.\n");
    const missing = await sh("docker run --rm busybox nosuchcmd");
    expect(missing.code).toBe(127);
    // Docker's words only: crun's own line about it is neither on the terminal nor in the logs.
    expect(missing.stderr).toBe(
      'docker: Error response from daemon: failed to create shim task: OCI runtime create failed: crun create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown.\n',
    );
    const tty = await sh("docker run --rm -t busybox /nosuch");
    expect([tty.code, tty.stdout]).toEqual([127, ""]);
    // A program that prints the same words itself is shown.
    const own = await sh("docker run --rm busybox sh -c 'echo \"executable file \\`x\\` not found in \\$PATH: No such file or directory\"; exit 3'");
    expect([own.code, own.stdout]).toEqual([3, "executable file `x` not found in $PATH: No such file or directory\n"]);
    await sh("docker run --name nocmd busybox /nosuch");
    const logs = await sh("docker logs nocmd");
    expect([logs.stdout, logs.stderr]).toEqual(["", ""]);
    expect((await sh("docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' nocmd")).stdout).toBe("created 127\n");
    await sh("docker rm nocmd");
  }, 60000);

  it("runs detached containers: ps, exec, inspect, logs, stop, rm", async () => {
    const run = await sh("docker run -d --name web -l app=demo busybox sh -c 'echo started; exec sleep 1000'");
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(/^[a-f0-9]{64}$/);
    const ps = await sh("docker ps");
    expect(ps.stdout.split("\n")[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    expect(ps.stdout).toMatch(new RegExp(`^${id.slice(0, 12)}\\s+busybox\\s+"sh -c 'echo started…"\\s+.*Up .*\\s+web$`, "m"));
    expect((await sh("docker exec web hostname")).stdout).toBe(`${id.slice(0, 12)}\n`);
    // dockerd's words for a process that cannot start, in the stream, and exit code 126.
    // dockerd's words on stdout, and nothing of crun's.
    const missing = await sh("docker exec web /nosuch");
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([126, 'OCI runtime exec failed: exec failed: unable to start container process: exec: "/nosuch": stat /nosuch: no such file or directory: unknown\r\n', ""]);
    const denied = await sh("docker exec web /etc/passwd");
    expect([denied.code, denied.stdout, denied.stderr]).toEqual([126, 'OCI runtime exec failed: exec failed: unable to start container process: exec: "/etc/passwd": permission denied: unknown\r\n', ""]);
    expect((await sh("docker inspect -f '{{.State.Running}} {{.Config.Labels.app}} {{.NetworkSettings.IPAddress}}' web")).stdout).toMatch(/^true demo 172\.17\.0\.\d+\n$/);
    expect((await sh("docker logs web")).stdout).toBe("started\n");
    // The container's processes are real guest processes in its cgroup.
    const procs = await sh(`cat /sys/fs/cgroup/docker/${id}/cgroup.procs | wc -l`);
    expect(Number(procs.stdout.trim())).toBeGreaterThanOrEqual(1);
    const stop = await sh("docker stop -t 1 web");
    expect(stop.stdout).toBe("web\n");
    expect((await sh("docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' web")).stdout).toBe("exited 137\n");
    expect((await sh("docker rm web")).stdout).toBe("web\n");
    expect((await sh("docker inspect web")).code).toBe(1);
  }, 60000);

  it("pipes work: docker ps -q | xargs docker rm -f", async () => {
    await sh("docker run -d busybox sleep 100; docker run -d busybox sleep 100");
    expect((await sh("docker ps -q | wc -l")).stdout.trim()).toBe("2");
    const rm = await sh("docker ps -q | xargs docker rm -f");
    expect(rm.code).toBe(0);
    expect((await sh("docker ps -aq")).stdout).toBe("");
  }, 60000);

  it("containers reach each other by IP on docker0", async () => {
    await sh("docker run -d --name pinged busybox sleep 1000");
    const ip = (await sh("docker inspect -f '{{.NetworkSettings.IPAddress}}' pinged")).stdout.trim();
    const ping = await sh(`docker run --rm busybox ping -c 1 -W 2 ${ip}`);
    expect(ping.stdout).toContain("1 packets received");
    await sh("docker rm -f pinged");
  }, 60000);

  it("an OOM kill shows as OOMKilled with exit code 137", async () => {
    const r = await sh("docker run --name hog -m 8m busybox sh -c 'x=a; while true; do x=$x$x; done'; echo $?", 120000);
    expect(r.stdout.trim().split("\n").pop()).toBe("137");
    expect((await sh("docker inspect -f '{{.State.OOMKilled}} {{.State.ExitCode}}' hog")).stdout).toBe("true 137\n");
    await sh("docker rm hog");
  }, 120000);

  it("a reload is a reboot: records survive, containers come back exited", async () => {
    await sh("docker run -d --name keep busybox sleep 1000");
    const reopened = await (await import("./daemon")).Daemon.open({
      sandbox: vm,
      storage: new (await import("./store/fs-storage")).FsStorage(dataDir),
      registry: daemon.registry,
    });
    const rec = reopened.inspect("keep");
    expect(rec.State.Status).toBe("exited");
    expect(reopened.images.list().length).toBeGreaterThan(0);
    await sh("docker rm -f keep");
  }, 60000);
});
