// The Engine API end to end: the real Docker CLI of this machine (28.x, negotiating API
// 1.41) against the engine on a unix socket, as `berth serve` runs it, and curl in the
// guest against /var/run/docker.sock. Every container is a real process tree in the VM.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootNodeVm } from "../../sandbox/node";
import type { Vm } from "../../sandbox/vm";
import type { Daemon } from "../daemon";
import { startNodeEngine } from "../node";
import { tearDown } from "../testing/tear-down";
import { concat } from "../../sandbox/bytes";
import { Demuxer, STDOUT } from "./stdcopy";
import { serveApiOnUnixSocket, type UnixHttpServer } from "./unix-socket";

const DOCKER = "/usr/local/bin/docker";

let vm: Vm;
let server: UnixHttpServer;
let dir: string;
let env: NodeJS.ProcessEnv;
let daemon: Daemon;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the host's docker CLI against the engine; `input` is its stdin. */
function docker(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(DOCKER, args, { env, timeout: 90_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
    else child.stdin!.end();
  });
}

/** A docker command on a terminal (util-linux `script`), typing `keys` after `delayMs`. */
function dockerOnTty(command: string, keys: string[], delayMs: number): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("script", ["-qec", `${DOCKER} ${command}`, "/dev/null"], { env: { ...env, TERM: "xterm" } });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    let t = delayMs;
    for (const k of keys) {
      setTimeout(() => child.stdin.write(k), t);
      t += delayMs;
    }
    const kill = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(kill);
      resolve({ code: code ?? -1, out });
    });
  });
}

const guest = (script: string) => vm.exec(["sh", "-c", script], { timeoutMs: 60_000 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "berth-api-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir: join(dir, "data") });
  const sock = join(dir, "docker.sock");
  server = await serveApiOnUnixSocket(daemon, sock);
  // The CLI's own config stays out of the user's home.
  env = { PATH: process.env.PATH, HOME: dir, DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: join(dir, "cli") };
}, 60_000);

afterAll(async () => {
  await server?.close();
  await tearDown(vm, daemon, dir);
});

describe.runIf(existsSync(DOCKER))("the real Docker CLI through the API socket", () => {
  it("version and info negotiate API 1.41 and describe this engine", async () => {
    const v = await docker(["version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Client.APIVersion}} {{.Server.Os}}/{{.Server.Arch}}"]);
    expect(v.stderr).toBe("");
    expect(v.stdout).toBe("20.10.24 1.41 1.12 1.41 linux/386\n");
    const i = await docker(["info", "--format", "{{.ServerVersion}} {{.Driver}} {{.CgroupVersion}} {{.Containers}}"]);
    expect(i.stdout).toBe("20.10.24 overlay2 2 0\n");
  });

  it("pulls from the offline set with progress, and fails like Docker for an image it lacks", async () => {
    const p = await docker(["pull", "busybox"]);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/^Using default tag: latest\nlatest: Pulling from library\/busybox\n/);
    expect(p.stdout).toContain("Status: Downloaded newer image for busybox:latest\n");
    expect(p.stdout.endsWith("docker.io/library/busybox:latest\n")).toBe(true);
    const missing = await docker(["pull", "nosuchimage"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^Error response from daemon: pull access denied for nosuchimage, repository does not exist/);
    expect(missing.stderr).toContain("busybox:latest");
  });

  it("images, tag, inspect and rmi", async () => {
    expect((await docker(["tag", "busybox", "mybox:v1"])).code).toBe(0);
    const images = await docker(["images", "--format", "{{.Repository}}:{{.Tag}}"]);
    expect(images.stdout.split("\n").filter(Boolean).sort()).toEqual(["busybox:latest", "mybox:v1"]);
    const table = await docker(["images"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+SIZE$/);
    const id = (await docker(["inspect", "-f", "{{.Id}}", "busybox"])).stdout.trim();
    expect((await docker(["inspect", "-f", "{{.Id}} {{json .RepoTags}} {{.Config.Cmd}}", "mybox:v1"])).stdout).toBe(`${id} ["busybox:latest","mybox:v1"] [sh]\n`);
    const rmi = await docker(["rmi", "mybox:v1"]);
    expect(rmi.stdout).toBe("Untagged: mybox:v1\n");
    const gone = await docker(["inspect", "mybox:v1"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain("No such object: mybox:v1");
    const notThere = await docker(["rmi", "nosuchimage"]);
    expect(notThere.code).toBe(1);
    expect(notThere.stderr).toMatch(/^Error response from daemon: No such image: nosuchimage/);
  });

  it("run in the foreground: output, exit codes, --rm, stdin", async () => {
    const r = await docker(["run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(r).toMatchObject({ code: 3, stdout: "out\n", stderr: "err\n" });
    const ps = await docker(["ps", "-aq"]);
    expect(ps.stdout).toBe("");
    const cat = await docker(["run", "-i", "--rm", "busybox", "sh", "-c", "tr a-z A-Z; hostname"], "piped through\n");
    expect(cat.code).toBe(0);
    expect(cat.stdout).toMatch(/^PIPED THROUGH\n[0-9a-f]{12}\n$/);
    const missing = await docker(["run", "--rm", "busybox", "nosuchcmd"]);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('docker: Error response from daemon: failed to create shim task: OCI runtime create failed: crun create failed: unable to start container process: exec: "nosuchcmd": executable file not found in $PATH: unknown');
  });

  it("run -d, ps -a, logs, exec, inspect, stop, rm", async () => {
    const run = await docker(["run", "-d", "--name", "web", "-l", "app=demo", "busybox", "sh", "-c", "echo started; echo oops >&2; exec sleep 1000"]);
    expect(run.code).toBe(0);
    const id = run.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    // A real process tree in the VM, in the container's cgroup.
    expect(Number((await guest(`wc -l < /sys/fs/cgroup/docker/${id}/cgroup.procs`)).stdout.trim())).toBeGreaterThanOrEqual(1);
    const ps = await docker(["ps", "-a"]);
    expect(ps.stdout.split("\n")[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    expect(ps.stdout).toMatch(new RegExp(`^${id.slice(0, 12)}\\s+busybox\\s+"sh -c 'echo started…"\\s+.*Up .*\\s+web$`, "m"));
    const logs = await docker(["logs", "web"]);
    expect(logs).toMatchObject({ code: 0, stdout: "started\n", stderr: "oops\n" });
    const exec = await docker(["exec", "web", "sh", "-c", "hostname; echo to-stderr >&2; exit 4"]);
    expect(exec).toMatchObject({ code: 4, stdout: `${id.slice(0, 12)}\n`, stderr: "to-stderr\n" });
    const execIn = await docker(["exec", "-i", "web", "wc", "-c"], "12345");
    expect(execIn.stdout.trim()).toBe("5");
    const ins = await docker(["inspect", "-f", "{{.State.Running}} {{.Config.Labels.app}} {{.NetworkSettings.IPAddress}}", "web"]);
    expect(ins.stdout).toMatch(/^true demo 172\.17\.0\.\d+\n$/);
    const stop = await docker(["stop", "-t", "1", "web"]);
    expect(stop.stdout).toBe("web\n");
    expect((await docker(["inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "web"])).stdout).toBe("exited 137\n");
    const rm = await docker(["rm", "web"]);
    expect(rm.stdout).toBe("web\n");
    const after = await docker(["inspect", "web"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("No such object: web");
    const rmMissing = await docker(["rm", "web"]);
    expect(rmMissing.stderr).toBe("Error response from daemon: No such container: web\n");
  });

  it("run -it and exec -it give the container a terminal over the hijacked connection", async () => {
    const run = await dockerOnTty("run -it --rm busybox sh", ["echo typed-$((6*7))\r", "exit 5\r"], 2500);
    expect(run.out).toContain("typed-42");
    expect(run.code).toBe(5);
    expect((await docker(["run", "-d", "--name", "box", "busybox", "sleep", "1000"])).code).toBe(0);
    const exec = await dockerOnTty("exec -it box sh", ["tty\r", "exit\r"], 2500);
    expect(exec.out).toContain("/dev/pts/");
    expect(exec.code).toBe(0);
    expect((await docker(["rm", "-f", "box"])).stdout).toBe("box\n");
  });
});

describe("the guest's /var/run/docker.sock", () => {
  const curl = (args: string) => guest(`curl -s --unix-socket /var/run/docker.sock ${args}`);

  it("answers curl with the same engine", async () => {
    expect((await curl("http://localhost/_ping")).stdout).toBe("OK");
    const v = JSON.parse((await curl("http://localhost/v1.41/version")).stdout) as { ApiVersion: string; MinAPIVersion: string };
    expect(v).toMatchObject({ ApiVersion: "1.41", MinAPIVersion: "1.12" });
    const run = await guest("docker run -d --name fromguest busybox sleep 1000");
    expect(run.code).toBe(0);
    const list = JSON.parse((await curl("http://localhost/v1.41/containers/json")).stdout) as { Names: string[]; State: string }[];
    expect(list).toContainEqual(expect.objectContaining({ Names: ["/fromguest"], State: "running" }));
    const missing = await guest("curl -s -w ' %{http_code}' --unix-socket /var/run/docker.sock http://localhost/containers/nosuch/json");
    expect(missing.stdout).toBe('{"message":"No such container: nosuch"}\n 404');
    expect((await curl("-X DELETE 'http://localhost/containers/fromguest?force=1' -w %{http_code}")).stdout).toBe("204");
  });

  it("streams a large log through the relay's window without losing or reordering bytes", async () => {
    // 600 kB of output: more than two of the relay's windows.
    const line = "0123456789abcdefghijklmnopqrstuvwxyz\n";
    // Detached, so the output reaches only the log (not the guest CLI's terminal).
    const run = await guest(`docker run -d --name big busybox sh -c 'yes ${line.trim()} | head -c 600000' && docker wait big`);
    expect(run.stdout.trim().split("\n").at(-1)).toBe("0");
    const got = await guest("curl -s --unix-socket /var/run/docker.sock 'http://localhost/containers/big/logs?stdout=1' > /workspace/big.log");
    expect(got.code).toBe(0);
    const d = new Demuxer();
    const frames = [...d.push(await vm.fs.read("big.log"))];
    d.end();
    expect(frames.every((f) => f.stream === STDOUT)).toBe(true);
    const text = new TextDecoder().decode(concat(frames.map((f) => f.data)));
    expect(text).toBe(line.repeat(Math.ceil(600000 / line.length)).slice(0, 600000));
    expect((await guest("rm /workspace/big.log; docker rm big")).code).toBe(0);
  });

  it("update changes a running container's cgroup limits and restart policy, with dockerd's warnings", async () => {
    const id = (await docker(["run", "-d", "--name", "upd", "-m", "32m", "busybox", "sleep", "1000"])).stdout.trim();
    const r = await docker(["update", "--memory", "48m", "--memory-swap", "96m", "--cpuset-cpus", "0", "--restart", "on-failure:3", "upd"]);
    expect([r.code, r.stdout]).toEqual([0, "upd\nYour kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.\n"]);
    expect((await guest(`cat /sys/fs/cgroup/docker/${id}/memory.max`)).stdout).toBe(`${48 * 1024 * 1024}\n`);
    const hc = await docker(["inspect", "-f", "{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}", "upd"]);
    expect(hc.stdout).toBe(`${48 * 1024 * 1024} on-failure:3\n`);
    const bad = await docker(["update", "--memory", "1m", "upd"]);
    expect([bad.code, bad.stderr]).toEqual([1, "Error response from daemon: Minimum memory limit allowed is 6MB\n"]);
    expect((await docker(["rm", "-f", "upd"])).code).toBe(0);
  });
});
