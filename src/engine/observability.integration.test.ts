// stats, events, update, port, prune and system df through the guest's docker client, on
// the real headless VM: every figure comes from the guest's cgroups and every removal is real.
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
let dataDir: string;
let daemon: Daemon;

const sh = (script: string, timeoutMs = 60000) => vm.exec(["sh", "-c", script], { timeoutMs });
const cg = (name: string, file: string) => sh(`cat /sys/fs/cgroup/docker/$(docker inspect -f '{{.Id}}' ${name})/${file}`).then((r) => r.stdout.trim());

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "berth-observe-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir });
  await sh("docker pull busybox >/dev/null 2>&1");
}, 120000);

afterAll(async () => {
  await tearDown(vm, daemon, dataDir);
});

describe("docker stats", () => {
  it("reads CPU, memory and pids from the containers' cgroups", async () => {
    await sh("docker run -d --name burn busybox sh -c 'while :; do :; done'; docker run -d --name idle -m 64m busybox sleep 1000");
    const r = await sh("docker stats --no-stream");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS$/);
    const row = (name: string) => lines.find((l) => l.includes(` ${name} `))!.split(/ {2,}/);
    const cpu = (name: string) => Number.parseFloat(row(name)[2]!);
    // The busy loop gets most of the one CPU; the sleeper none.
    expect(cpu("burn")).toBeGreaterThan(20);
    expect(cpu("idle")).toBeLessThan(5);
    expect(row("idle")[3]).toMatch(/^[\d.]+[KM]iB \/ 64MiB$/);
    expect(row("idle")[7]).toBe("1");
    const json = await sh("docker stats --no-stream --format '{{json .}}' idle");
    expect(JSON.parse(json.stdout)).toMatchObject({ Container: "idle", Name: "idle", PIDs: "1", BlockIO: "0B / 0B" });
    const bad = await sh("docker stats --no-stream nosuch idle");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("Error response from daemon: No such container: nosuch\n");
  }, 60000);

  it("streams: redraws with the terminal cleared until interrupted", async () => {
    const r = await sh("docker stats idle > /tmp/stats.out & p=$!; sleep 3; kill -INT $p; wait $p; cat /tmp/stats.out");
    const frames = r.stdout.split("\x1b[2J\x1b[H").filter(Boolean);
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(frames.at(-1)).toMatch(/^CONTAINER ID .*\n[0-9a-f]{12} +idle +[\d.]+%/);
  }, 60000);
});

describe("docker update", () => {
  it("writes the running container's cgroup files and its record", async () => {
    // idle's -m 64m allows 128m of memory+swap (dockerd's default), so only more is refused.
    const refused = await sh("docker update --memory 256m idle");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Cannot update container [0-9a-f]{64}: Memory limit should be smaller than already set memoryswap limit/);
    const ok = await sh("docker update --memory 32m --memory-swap 64m --cpus 0.5 --pids-limit 20 --restart on-failure:2 idle");
    expect(ok.stdout).toBe("idle\n");
    expect(await cg("idle", "memory.max")).toBe(String(32 * 1024 * 1024));
    expect(await cg("idle", "cpu.max")).toBe("50000 100000");
    expect(await cg("idle", "pids.max")).toBe("20");
    const rec = await sh("docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}' idle");
    expect(rec.stdout).toBe("33554432 500000000 20 on-failure\n");
    const cpus = await sh("docker update --cpus 3 idle");
    expect(cpus.stderr).toBe("Error response from daemon: Range of CPUs is from 0.01 to 1.00, as there are only 1 CPUs available\n");
    expect((await sh("docker update idle")).stderr).toBe("you must provide one or more flags when using this command\n");
  }, 60000);
});

describe("docker port", () => {
  it("has nothing published and Docker's errors", async () => {
    const all = await sh("docker port idle");
    expect([all.code, all.stdout]).toEqual([0, ""]);
    expect((await sh("docker port idle 80")).stderr).toBe("Error: No public port '80' published for idle\n");
    expect((await sh("docker port idle abc")).stderr).toBe('Error: invalid port (abc): strconv.ParseUint: parsing "abc": invalid syntax\n');
  }, 30000);
});

describe("docker events", () => {
  it("replays a run's events in order, filtered, in Docker's format", async () => {
    // --until 0s is "now" to the second (durations are whole seconds), so let a second pass.
    await sh("docker run --name ev -l team=a busybox sh -c 'exit 3'; docker rm ev; sleep 1");
    const r = await sh("docker events --since 30s --until 0s --filter container=ev --format '{{.Type}} {{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.exitCode}}'");
    // A missing map key prints as Go's "<no value>".
    expect(r.stdout.split("\n").filter(Boolean)).toEqual([
      "container create ev <no value>",
      "container attach ev <no value>",
      "container start ev <no value>",
      "container die ev 3",
      "container destroy ev <no value>",
    ]);
    const pretty = await sh("docker events --since 30s --until 0s --filter event=die --filter label=team=a");
    expect(pretty.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z container die [0-9a-f]{64} \(exitCode=3, image=busybox, .*name=ev, .*team=a\)\n$/);
    const net = await sh("docker events --since 30s --until 0s --filter type=network --format '{{.Action}} {{.Actor.Attributes.name}}'");
    expect(net.stdout).toContain("connect bridge\ndisconnect bridge\n");
    const bad = await sh("docker events --format '{{.Nope}}'");
    expect(bad.code).toBe(64);
    expect(bad.stderr).toContain("Error parsing format: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *events.Message");
  }, 60000);

  it("streams live events until --until (a duration would mean that long ago; a timestamp is absolute)", async () => {
    const r = await sh("now=$(date +%s); docker events --since $now --until $((now + 8)) --filter event=start --format '{{.Actor.Attributes.name}}' & sleep 1; docker run --rm --name live busybox true; wait");
    expect(r.stdout).toBe("live\n");
  }, 60000);
});

describe("prune and disk usage", () => {
  it("container prune removes stopped containers only, with Docker's report", async () => {
    await sh("docker run --name old1 -l keep=1 busybox true; docker run --name old2 busybox sh -c 'echo x > /f'");
    const filtered = await sh("docker container prune -f --filter label=keep=1");
    expect(filtered.stdout).toMatch(/^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 0B\n$/);
    const no = await sh("echo n | docker container prune");
    expect(no.stdout).toBe("WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ");
    expect((await sh("docker ps -a --format '{{.Names}}' | sort")).stdout).toBe("burn\nidle\nold2\n");
    const yes = await sh("echo y | docker container prune");
    expect(yes.stdout).toMatch(/Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: [\d.]+kB\n$/);
    expect((await sh("docker ps -a --format '{{.Names}}' | sort")).stdout).toBe("burn\nidle\n");
  }, 60000);

  it("system df and ps -s show real sizes", async () => {
    const df = await sh("docker system df");
    expect(df.stdout).toMatch(/^TYPE +TOTAL +ACTIVE +SIZE +RECLAIMABLE\nImages +1 +1 +[\d.]+MB +0B \(0%\)\nContainers +2 +2 +0B +0B\nLocal Volumes +0 +0 +0B +0B\nBuild Cache +0 +0 +0B +0B\n$/);
    expect((await sh("docker system df -v")).stdout).toMatch(/^Images space usage:\n\nREPOSITORY +TAG +IMAGE ID +CREATED +SIZE +SHARED SIZE +UNIQUE SIZE +CONTAINERS\nbusybox +latest /);
    expect((await sh("docker ps -s --format '{{.Size}}' --filter name=idle")).stdout).toMatch(/^0B \(virtual [\d.]+MB\)\n$/);
  }, 60000);

  it("image prune -a leaves every tag of an image a container was made from", async () => {
    await sh("docker tag busybox busybox:second");
    expect((await sh("docker image prune -a -f")).stdout).toBe("Total reclaimed space: 0B\n");
    expect((await sh("docker images --format '{{.Tag}}' busybox")).stdout.split("\n").filter(Boolean).sort()).toEqual(["latest", "second"]);
    await sh("docker rmi busybox:second >/dev/null");
  }, 60000);

  it("system prune asks first, then removes stopped containers and unused images", async () => {
    const warn = await sh("echo n | docker system prune -a");
    expect(warn.stdout).toBe(
      "WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all images without at least one container associated to them\n  - all build cache\n\nAre you sure you want to continue? [y/N] ",
    );
    await sh("docker rm -f burn idle >/dev/null");
    const r = await sh("docker system prune -a -f");
    expect(r.stdout).toMatch(/^Deleted Images:\nuntagged: busybox:latest\n(untagged: busybox@sha256:[0-9a-f]{64}\n)?deleted: sha256:[0-9a-f]{64}\n\nTotal reclaimed space: [\d.]+MB\n$/);
    expect((await sh("docker images -q")).stdout).toBe("");
  }, 60000);
});
