// Files, snapshots and archives on the real headless VM: cp, diff, commit, history,
// export/import, save/load (and their interop with a real dockerd, when one can start
// here), and a container's files surviving a reboot of the VM.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
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

const sh = (script: string, timeoutMs = 120000) => vm.exec(["sh", "-c", script], { timeoutMs });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "berth-archive-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir });
  // One container with every kind of change: modified, added, deleted.
  const r = await sh("docker run --name src busybox sh -c 'echo extra >> /etc/passwd; rm /bin/ls; mkdir -p /data/sub; echo keep > /data/sub/f; ln -s /etc /lnk'");
  expect(r.code).toBe(0);
}, 180000);

afterAll(async () => {
  await tearDown(vm, daemon, dataDir);
});

describe("files of a container", () => {
  it("diff lists the upper folder's changes as Docker does", async () => {
    const r = await sh("docker diff src; docker container diff nope");
    expect(r.stdout).toBe("C /bin\nD /bin/ls\nA /data\nA /data/sub\nA /data/sub/f\nC /etc\nC /etc/passwd\nA /lnk\n");
    expect(r.stderr).toBe("Error response from daemon: No such container: nope\n");
  }, 60000);

  it("cp copies out of a stopped container with Docker's path rules", async () => {
    const r = await sh(`cd /tmp && rm -rf out && mkdir out && cd out
docker cp src:/data . && docker cp src:/data/. ./copy && docker cp src:/data/sub/f ./renamed && docker cp src:/lnk ./lnk && docker container cp -L src:/lnk ./etc
find . | sort; readlink lnk; cat renamed; [ -f etc/passwd ] && echo followed
docker cp src:/data/sub/f - | tar -tf -`);
    expect(r.stdout.startsWith(".\n./copy\n./copy/sub\n./copy/sub/f\n./data\n./data/sub\n./data/sub/f\n./etc\n./etc/group\n")).toBe(true);
    expect(r.stdout).toMatch(/\.\/lnk\n\.\/renamed\n\/etc\nkeep\nfollowed\nf\n$/);
    expect(r.code).toBe(0);
  }, 60000);

  it("cp fails as Docker fails", async () => {
    const cases: [string, string][] = [
      ["docker cp src:/nope .", "Error: No such container:path: src:/nope\n"],
      ["docker cp nope:/x .", "Error: No such container:path: nope:/x\n"],
      ["docker cp src:/data/sub/f /nonexist/dir/x", 'invalid output path: directory "/nonexist/dir" does not exist\n'],
      ["docker cp src:/data/sub/f ./nodir/", "no such directory\n"],
      ["docker cp src:/data /etc/hostname", "cannot copy directory\n"],
      ["docker cp /nofile src:/", "lstat /nofile: no such file or directory\n"],
      ["docker cp /etc/hostname src:/nodir/x", "Error: No such container:path: src:/nodir\n"],
      ["docker cp a b", "must specify at least one container source\n"],
      ["docker cp src:/a src:/b", "copying between containers is not supported\n"],
      ["docker cp - src:/etc/passwd </dev/null", 'destination "src:/etc/passwd" must be a directory\n'],
    ];
    for (const [cmd, err] of cases) {
      const r = await sh(`cd /tmp && ${cmd}`);
      expect({ cmd, stderr: r.stderr, code: r.code }).toEqual({ cmd, stderr: err, code: 1 });
    }
  }, 120000);

  it("cp copies into a running container, and a tar stream from stdin", async () => {
    const r = await sh(`docker run -d --name live busybox sleep 1000 >/dev/null
cd /tmp && echo hello > hf && mkdir -p tree/a && echo t > tree/a/t
docker cp hf live:/tmp/ && docker cp hf live:/renamed && docker cp tree live:/ && tar -cf - hf | docker cp - live:/etc
docker exec live cat /tmp/hf /renamed /tree/a/t /etc/hf; docker diff live`);
    expect(r.stdout).toBe("hello\nhello\nt\nhello\nC /etc\nA /etc/hf\nA /renamed\nC /tmp\nA /tmp/hf\nA /tree\nA /tree/a\nA /tree/a/t\n");
    await sh("docker rm -f live");
  }, 60000);
});

describe("snapshots", () => {
  it("commit makes a real layer with Docker's config and history", async () => {
    const c = await sh(`docker commit -m 'my msg' -a me -c 'ENV A=1' -c 'CMD ["cat","/data/sub/f"]' src mine:v1`);
    expect(c.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect((await sh("docker run --rm mine:v1; docker run --rm mine:v1 sh -c 'echo $A; tail -1 /etc/passwd; ls /bin/ls'")).stdout).toBe("keep\n1\nextra\n");
    const h = await sh("docker history mine:v1");
    const rows = h.stdout.split("\n");
    expect(rows[0]).toMatch(/^IMAGE +CREATED +CREATED BY +SIZE +COMMENT$/);
    expect(rows[1]).toMatch(new RegExp(`^${c.stdout.slice(7, 19)} +(Less than a second|\\d+ seconds?) ago +sh -c echo extra >> /etc/passwd; rm /bin/ls;… +[0-9.]+kB +my msg$`));
    expect(rows.length).toBe(4);
    expect((await sh("docker history -q --no-trunc mine:v1")).stdout.split("\n")[0]).toBe(c.stdout.trim());
    expect((await sh("docker image history -H=false --format '{{.Size}}|{{.Comment}}' mine:v1")).stdout).toMatch(/^\d+\|my msg\n\d+\|/);
    const bad = await sh("docker commit -c 'RUN ls' src; docker commit -c 'STOPSIGNAL SIGINT' src");
    expect(bad.stderr).toBe("Error response from daemon: run is not a valid change command\nError response from daemon: stopsignal is not a valid change command\n");
  }, 120000);

  it("export and import round-trip a filesystem", async () => {
    const r = await sh(`cd /tmp && docker export src > e.tar && tar -tf e.tar | grep -c '^data/sub/f$'
docker export -o e2.tar src && cmp e.tar e2.tar && echo same
docker import -m imported -c 'CMD ["cat","/data/sub/f"]' e.tar imp:1 >/dev/null && docker run --rm imp:1
cat e.tar | docker image import - | grep -c '^sha256:'
docker history --format '{{.CreatedBy}}|{{.Comment}}' imp:1`);
    expect(r.stdout).toBe("1\nsame\nkeep\n1\n|imported\n");
    expect((await sh("docker export src")).stderr).toBe("");
  }, 120000);

  it("save and load a docker-archive, and load refuses what is no archive", async () => {
    const r = await sh(`cd /tmp && docker save -o s.tar mine:v1 && tar -tf s.tar | grep -c layer.tar
docker rmi mine:v1 >/dev/null && docker load -i s.tar && docker run --rm mine:v1 && docker image save mine:v1 | docker load -q
echo hi > notar && docker load -i notar; docker load </dev/null`);
    expect(r.stdout).toBe("2\nLoaded image: mine:v1\nkeep\nLoaded image: mine:v1\n");
    expect(r.stderr).toMatch(/^Error processing tar file\(exit status 1\): unexpected EOF\nopen \/var\/lib\/berth\/tmp\/docker-import-\d+\/repositories: no such file or directory\n$/);
  }, 120000);
});

describe("a reload is a reboot", () => {
  it("keeps a stopped container's files, whiteouts included", async () => {
    const id = (await sh("docker inspect -f '{{.Id}}' src")).stdout.trim();
    // The run's upper folder is saved once it stopped.
    for (let i = 0; i < 100 && !existsSync(join(dataDir, "rootfs", `${id}.tar`)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(join(dataDir, "rootfs", `${id}.tar`))).toBe(true);
    await vm.restart();
    const r = await sh("docker diff src; docker cp src:/data/sub/f - | tar -xOf -; docker start -a src");
    expect(r.stdout).toBe("C /bin\nD /bin/ls\nA /data\nA /data/sub\nA /data/sub/f\nC /etc\nC /etc/passwd\nA /lnk\nkeep\n");
    // The run saw its own earlier changes: /bin/ls is still gone.
    expect(r.stderr).toContain("rm: can't remove '/bin/ls': No such file or directory");
  }, 180000);
});

// ------------------------------------------------------------------ a real dockerd

let dockerd: ChildProcess | undefined;
let refDir = "";
const refSock = () => join(refDir, "docker.sock");
/**
 * The real docker CLI, asynchronously: a synchronous spawn would stall the VM, which runs
 * in this process, long enough for its health watch to call it crashed.
 */
function ref(args: string[]): Promise<{ status: number | null; stdout: Buffer }> {
  return new Promise((resolve, reject) => {
    const p = spawn("/usr/bin/docker", args, { env: { ...process.env, DOCKER_HOST: `unix://${refSock()}` }, stdio: ["ignore", "pipe", "ignore"] });
    const out: Buffer[] = [];
    p.stdout.on("data", (d: Buffer) => out.push(d));
    p.on("error", reject);
    p.on("close", (status) => resolve({ status, stdout: Buffer.concat(out) }));
  });
}

async function startDockerd(): Promise<string | undefined> {
  if (!existsSync("/usr/bin/dockerd") && !existsSync("/usr/sbin/dockerd")) return "no dockerd installed";
  refDir = mkdtempSync(join(tmpdir(), "berth-refd-"));
  dockerd = spawn("dockerd", ["--bridge=none", "--iptables=false", "--data-root", join(refDir, "root"), "--exec-root", join(refDir, "exec"), "--pidfile", join(refDir, "pid"), "--host", `unix://${refSock()}`], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    if ((await ref(["version"])).status === 0) return undefined;
    await new Promise((r) => setTimeout(r, 200));
  }
  return "dockerd did not start (needs root)";
}

describe("interop with a real dockerd", () => {
  let skip: string | undefined;
  beforeAll(async () => {
    skip = await startDockerd();
  }, 60000);
  afterAll(async () => {
    const d = dockerd;
    if (d?.pid && d.exitCode === null) {
      const exited = new Promise((r) => d.once("exit", r));
      process.kill(d.pid);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15000))]);
    }
    // dockerd may leave busy mounts behind; the folder is in the temp dir either way.
    if (refDir) spawnSync("rm", ["-rf", refDir]);
  }, 30000);

  it("real docker loads and runs what Berth saved, and Berth loads and runs what real docker saved", async (ctx) => {
    if (skip) ctx.skip(skip);
    // Berth → dockerd.
    expect((await sh("docker save mine:v1 > /mnt/berth/engine/interop-out.tar")).code).toBe(0);
    const saved = Buffer.from(await vm.engineFiles.read("interop-out.tar"));
    const file = join(refDir, "berth.tar");
    writeFileSync(file, saved);
    const load = await ref(["load", "-i", file]);
    expect(load.stdout.toString()).toBe("Loaded image: mine:v1\n");
    expect((await ref(["run", "--rm", "mine:v1"])).stdout.toString()).toBe("keep\n");
    // dockerd → Berth: an image dockerd made itself (import of Berth's export, then a commit).
    expect((await sh("docker export src > /mnt/berth/engine/interop-rootfs.tar")).code).toBe(0);
    writeFileSync(join(refDir, "rootfs.tar"), Buffer.from(await vm.engineFiles.read("interop-rootfs.tar")));
    expect((await ref(["import", "-c", 'CMD ["sh"]', join(refDir, "rootfs.tar"), "refbox:1"])).status).toBe(0);
    expect((await ref(["run", "--name", "refc", "refbox:1", "sh", "-c", "echo from-real-docker > /real"])).status).toBe(0);
    expect((await ref(["commit", "-m", "real", "refc", "refbox:2"])).status).toBe(0);
    const theirs = (await ref(["save", "refbox:2"])).stdout;
    await vm.engineFiles.write("interop-in.tar", theirs);
    const r = await sh("docker load -i /mnt/berth/engine/interop-in.tar && docker run --rm refbox:2 cat /real /data/sub/f && docker history --format '{{.Comment}}' refbox:2");
    expect(r.stdout).toBe("Loaded image: refbox:2\nfrom-real-docker\nkeep\nreal\nImported from -\n");
  }, 180000);
});
