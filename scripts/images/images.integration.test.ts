// The offline base images run for real in the VM: each image's layers are copied in over
// 9p, unpacked by the guest's busybox tar into a tmpfs, stacked with overlayfs and run
// with crun, the way the engine will run them.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootNodeVm } from "../../src/sandbox/node";
import type { Vm } from "../../src/sandbox/vm";
import { CRUN_ENVIRONMENT, ociConfig } from "../../test/support/busybox-bundle";
import { artifacts } from "../vm/lib.mjs";

const OCI = artifacts().imagesDir;
const ROOT = "/run/berth-images"; // a tmpfs of its own, unmounted at the end
const SLOW = 600_000; // unpacking debian's 78 MB in the guest takes about 40 s

// Docker's default capability set (nginx binds port 80, the entrypoints switch users).
const DOCKER_CAPS = [
  "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID",
  "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
];

interface ImageConfig {
  Env?: string[];
  Cmd?: string[];
  Entrypoint?: string[];
  WorkingDir?: string;
}

const json = (rel: string) => JSON.parse(readFileSync(join(OCI, rel), "utf8"));
const blob = (digest: string) => `blobs/sha256/${digest.slice("sha256:".length)}`;

function image(name: string): { layers: string[]; config: ImageConfig } {
  const desc = json("index.json").manifests.find((m: { annotations?: Record<string, string> }) => m.annotations?.["io.containerd.image.name"] === name);
  if (!desc) throw new Error(`no ${name} in ${OCI}`);
  const manifest = json(blob(desc.digest));
  return { layers: manifest.layers.map((l: { digest: string }) => l.digest), config: json(blob(manifest.config.digest)).config };
}

let vm: Vm;
const unpacked = new Set<string>();

async function sh(script: string, timeoutMs = SLOW) {
  const r = await vm.exec(["sh", "-c", script], { timeoutMs, env: CRUN_ENVIRONMENT });
  return { ...r, all: r.stdout + r.stderr };
}

const layerDir = (digest: string) => `${ROOT}/layers/${digest.slice("sha256:".length)}`;

async function unpack(digest: string): Promise<void> {
  if (unpacked.has(digest)) return;
  const hex = digest.slice("sha256:".length);
  await vm.v86.create_file(`/image-layers/${hex}`, new Uint8Array(readFileSync(join(OCI, blob(digest)))));
  // OCI whiteouts (.wh.NAME) would become overlayfs ones (0/0 character devices).
  const r = await sh(
    `d=${layerDir(digest)} && mkdir -p $d && tar -xzf /mnt/berth/image-layers/${hex} -C $d && rm /mnt/berth/image-layers/${hex} && ` +
      `find $d -name '.wh.*' | while read -r w; do rm "$w"; mknod "$(dirname "$w")/$(basename "$w" | cut -c5-)" c 0 0; done`,
  );
  if (r.code !== 0) throw new Error(`unpacking layer ${hex} failed: ${r.all}`);
  unpacked.add(digest);
}

async function dropLayers(name: string): Promise<void> {
  const base = new Set(image("docker.io/library/debian:bookworm-slim").layers);
  for (const l of image(name).layers) {
    if (base.has(l) || !unpacked.has(l)) continue;
    await sh(`rm -rf ${layerDir(l)}`);
    unpacked.delete(l);
  }
}

/** Mount the image's layers as a container rootfs and write its bundle; returns the bundle path. */
async function bundle(name: string, ctr: string, args: string[]): Promise<string> {
  const img = image(name);
  for (const l of img.layers) await unpack(l);
  const config = ociConfig(ctr, args);
  config.process.env = img.config.Env ?? [];
  config.process.cwd = img.config.WorkingDir || "/";
  config.process.capabilities = Object.fromEntries(["bounding", "effective", "permitted"].map((k) => [k, DOCKER_CAPS]));
  await vm.exec(["mkdir", "-p", `/mnt/berth/bundles/${ctr}`]);
  await vm.v86.create_file(`/bundles/${ctr}/config.json`, new TextEncoder().encode(JSON.stringify(config)));
  const lower = [...img.layers].reverse().map(layerDir).join(":"); // topmost first
  const d = `/run/ctr/${ctr}`;
  const r = await sh(`mkdir -p ${d}/upper ${d}/work ${d}/merged && mount -t overlay overlay -o lowerdir=${lower},upperdir=${d}/upper,workdir=${d}/work ${d}/merged`);
  if (r.code !== 0) throw new Error(`mounting the overlay failed: ${r.all}`);
  return `/mnt/berth/bundles/${ctr}`;
}

async function unmount(ctr: string) {
  await sh(`umount /run/ctr/${ctr}/merged; rm -rf /run/ctr/${ctr}`);
}

/** docker run NAME [ARGS...]: the image's entrypoint plus ARGS (or its Cmd). */
async function run(name: string, ctr: string, args?: string[]) {
  const { config } = image(name);
  const argv = [...(config.Entrypoint ?? []), ...(args ?? config.Cmd ?? [])];
  const b = await bundle(name, ctr, argv);
  const r = await sh(`crun run --bundle ${b} ${ctr}`);
  await unmount(ctr);
  return r;
}

beforeAll(async () => {
  vm = await bootNodeVm();
  const r = await sh(`mkdir -p /mnt/berth/image-layers ${ROOT} && mount -t tmpfs -o size=400m images ${ROOT}`);
  if (r.code !== 0) throw new Error(r.all);
});
afterAll(async () => {
  if (vm) await sh(`umount ${ROOT}`).catch(() => {});
  await vm?.destroy();
});

describe("offline images in the VM", () => {
  it("busybox runs sh, with every applet a hard link", async () => {
    const r = await run("docker.io/library/busybox:latest", "bb", ["sh", "-c", "echo ok; stat -c '%h %a' /bin/busybox /tmp; grep -c : /etc/passwd; id -un"]);
    expect(r.code, r.all).toBe(0);
    const [ok, bin, tmp, users, who] = r.stdout.trim().split("\n");
    expect(ok).toBe("ok");
    expect(Number(bin!.split(" ")[0])).toBeGreaterThan(200);
    expect(tmp).toBe("2 1777");
    expect(Number(users)).toBeGreaterThanOrEqual(9);
    expect(who).toBe("root");
  }, SLOW);

  it("hello-world's /hello explains what happened and exits 0", async () => {
    const r = await run("docker.io/library/hello-world:latest", "hello");
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/^\nHello from Berth!\n/);
    expect(r.stdout).toContain("crun");
    expect(r.stdout).toContain(" $ docker ps -a\n");
    expect(r.stderr).toBe("");
  }, SLOW);

  it("debian:bookworm-slim has bash, awk, dpkg and apt", async () => {
    const r = await run("docker.io/library/debian:bookworm-slim", "deb", [
      "bash",
      "-c",
      "cat /etc/debian_version; echo 'a b' | awk '{print $2}'; dpkg -l | grep -c '^ii'; " +
        "apt list --installed 2>/dev/null | grep -c installed; readlink -f /bin/sh; ls /usr/share/doc/bash; id -un; ls -A /usr/share/man | wc -l",
    ]);
    expect(r.code, r.all).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^12\.\d+$/);
    expect(lines[1]).toBe("b");
    expect(Number(lines[2])).toBeGreaterThan(80);
    expect(lines[3]).toBe(lines[2]);
    expect(lines[4]).toBe("/usr/bin/dash");
    expect(lines[5]).toBe("copyright"); // slim: docs trimmed to the copyright
    expect(lines[6]).toBe("root");
    expect(lines[7]).toBe("0");
  }, SLOW);

  it("nginx passes nginx -t through its entrypoint and serves the welcome page", async () => {
    const name = "docker.io/library/nginx:latest";
    const t = await run(name, "ngx-t", ["nginx", "-t"]);
    expect(t.code, t.all).toBe(0);
    expect(t.stderr).toContain("test is successful");
    expect(t.stdout).toContain("/docker-entrypoint.sh: Configuration complete; ready for start up");
    const page = await run(name, "ngx", [
      "bash",
      "-c",
      "nginx && exec 3<>/dev/tcp/127.0.0.1/80 && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3",
    ]);
    expect(page.code, page.all).toBe(0);
    expect(page.stdout).toMatch(/^HTTP\/1\.1 200 OK/m);
    expect(page.stdout).toContain('"GET / HTTP/1.0" 200'); // the access log goes to stdout
    expect(page.stdout).toContain("<h1>Welcome to nginx!</h1>");
    await dropLayers(name);
  }, SLOW);

  it("redis has redis-server and redis-cli", async () => {
    const r = await run("docker.io/library/redis:latest", "rds", ["sh", "-c", "redis-server --version && redis-cli --version && pwd && stat -c %U ."]);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/^Redis server v=7\.0\.\d+/);
    expect(r.stdout).toMatch(/redis-cli 7\.0\.\d+/);
    expect(r.stdout).toContain("/data\nredis\n");
  }, SLOW);

  it("redis-server from the image's entrypoint answers a client on another address", async () => {
    const name = "docker.io/library/redis:latest";
    const { config } = image(name);
    const b = await bundle(name, "rds-net", [...config.Entrypoint!, ...config.Cmd!]);
    // The container's own network namespace gets one end of a veth pair; the client is
    // the VM itself at 10.231.0.1, not loopback, as another container would be.
    const r = await sh(
      `crun run -d --bundle ${b} rds-net </dev/null >/dev/null 2>&1 && ` +
        `pid=$(crun state rds-net | sed -n 's/.*"pid": *\\([0-9]*\\).*/\\1/p') && ` +
        "ip=/usr/sbin/ip && $ip link add rdv0 type veth peer name rdv1 && $ip link set rdv1 netns $pid && " +
        "$ip addr add 10.231.0.1/24 dev rdv0 && $ip link set rdv0 up && " +
        "nsenter -t $pid -n $ip addr add 10.231.0.2/24 dev rdv1 && nsenter -t $pid -n $ip link set rdv1 up && " +
        "for i in $(seq 60); do out=$(printf 'PING\\r\\n' | nc -w 2 10.231.0.2 6379) && [ -n \"$out\" ] && break; sleep 0.5; done; " +
        "echo \"$out\"; printf 'CONFIG GET protected-mode\\r\\n' | nc -w 2 10.231.0.2 6379; grep ^Uid /proc/$pid/status",
      120_000,
    );
    await sh("crun kill rds-net KILL; sleep 0.5; crun delete -f rds-net; /usr/sbin/ip link del rdv0 2>/dev/null");
    await unmount("rds-net");
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain("+PONG");
    expect(r.stdout).toMatch(/protected-mode\r\n\$2\r\nno/);
    expect(r.stdout).toMatch(/^Uid:\s+999\s/m); // dropped to the redis user
    await dropLayers(name);
  }, SLOW);

  it("python:3.11-slim runs python3 with its standard library", async () => {
    const r = await run("docker.io/library/python:3.11-slim", "py", [
      "python3",
      "-c",
      "import json, sys, sqlite3, decimal, ssl; print(sys.version); print(json.dumps({'ok': True}))",
    ]);
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toMatch(/^3\.11\.\d+ /);
    expect(r.stdout).toContain('{"ok": true}');
    const env = await run("docker.io/library/python:3.11-slim", "py-env", ["sh", "-c", "command -v python; echo $LANG $PYTHON_VERSION"]);
    expect(env.stdout).toMatch(/^\/usr\/local\/bin\/python\nC\.UTF-8 3\.11\.\d+\n$/);
  }, SLOW);
});

describe("the VM itself", () => {
  it("has curl with unix socket support, for the engine's API socket", async () => {
    const r = await sh("curl --version && curl -sS --unix-socket /run/no-such.sock http://localhost/version; echo exit=$?", 60_000);
    expect(r.stdout).toMatch(/^curl 7\.\d+\.\d+ .*\n(.*\n)*Features: .*UnixSockets/);
    expect(r.all).toMatch(/Couldn't connect to server/);
    expect(r.stdout).toContain("exit=7");
  });
});
