// The offline images' OCI layout (built by `npm run vm:build`): index, manifests and
// configs as the engine and real Docker expect them, every digest right, every layer a
// sane tarball, and the same bytes from a second build.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { artifacts, cacheDir, debFileName, root } from "../vm/lib.mjs";
import { readImageDefs, readImagesLock } from "./lib.mjs";
import { Tree, fileNode, linkNode, readTar, writeTar } from "./tar.mjs";

const OCI = artifacts().imagesDir;
const lock = readImagesLock();
const defs = readImageDefs();
const scratch = mkdtempSync(join(tmpdir(), "berth-images-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sha256 = (b: Uint8Array) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
const blob = (digest: string) => readFileSync(join(OCI, "blobs/sha256", digest.slice(7)));
const json = (b: Buffer) => JSON.parse(b.toString("utf8"));

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string };
}
interface Config {
  architecture: string;
  os: string;
  created: string;
  config: {
    Env: string[];
    Cmd?: string[];
    Entrypoint?: string[];
    WorkingDir?: string;
    ExposedPorts?: Record<string, object>;
    StopSignal?: string;
    Labels: Record<string, string>;
  };
  rootfs: { type: string; diff_ids: string[] };
  history: { created: string; created_by: string }[];
}

const index = json(readFileSync(join(OCI, "index.json"))) as { schemaVersion: number; mediaType: string; manifests: Descriptor[] };

function image(name: string) {
  const desc = index.manifests.find((m) => m.annotations?.["io.containerd.image.name"] === name);
  if (!desc) throw new Error(`no ${name}`);
  const manifest = json(blob(desc.digest)) as { config: Descriptor; layers: Descriptor[]; annotations?: Record<string, string> };
  return { desc, manifest, config: json(blob(manifest.config.digest)) as Config };
}

/** Every entry of an image's topmost layer. */
function topLayer(name: string) {
  const { manifest } = image(name);
  return [...readTar(gunzipSync(blob(manifest.layers.at(-1)!.digest)))];
}

const upstream = (pkg: string) => lock.packages.find((p) => p.name === pkg)!.version.replace(/^\d+:/, "").replace(/-[^-]*$/, "");

describe("the OCI layout", () => {
  it("has an oci-layout file and an index naming every tag", () => {
    expect(json(readFileSync(join(OCI, "oci-layout")))).toEqual({ imageLayoutVersion: "1.0.0" });
    expect(index.schemaVersion).toBe(2);
    expect(index.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    const names = index.manifests.map((m) => m.annotations?.["io.containerd.image.name"]);
    for (const want of ["busybox:latest", "busybox:1.35", "debian:bookworm-slim", "debian:12-slim", "nginx:latest", "redis:latest", "python:3.11-slim"]) {
      expect(names).toContain(`docker.io/library/${want}`);
    }
    for (const m of index.manifests) {
      const full = m.annotations!["io.containerd.image.name"]!;
      expect(full.endsWith(`:${m.annotations!["org.opencontainers.image.ref.name"]}`)).toBe(true);
      expect(m.mediaType).toBe("application/vnd.oci.image.manifest.v1+json");
      expect(m.platform).toEqual({ architecture: "386", os: "linux" });
    }
    expect(new Set(names).size).toBe(names.length);
  });

  it("holds every blob it names, with the right digest and size, and nothing else", () => {
    const named = new Set<string>();
    const check = (d: Descriptor) => {
      const b = blob(d.digest);
      expect(sha256(b), d.digest).toBe(d.digest);
      expect(b.length).toBe(d.size);
      named.add(d.digest.slice(7));
    };
    for (const m of index.manifests) {
      check(m);
      const { manifest, config } = image(m.annotations!["io.containerd.image.name"]!);
      check(manifest.config);
      manifest.layers.forEach((l, i) => {
        check(l);
        expect(l.mediaType).toBe("application/vnd.oci.image.layer.v1.tar+gzip");
        expect(sha256(gunzipSync(blob(l.digest)))).toBe(config.rootfs.diff_ids[i]);
      });
    }
    expect(readdirSync(join(OCI, "blobs/sha256")).sort()).toEqual([...named].sort());
  });

  it("gives every image a config saying how it was made", () => {
    for (const d of defs) {
      for (const tag of d.tags) {
        const { manifest, config } = image(`docker.io/library/${d.name}:${tag}`);
        expect(config.architecture).toBe("386");
        expect(config.os).toBe("linux");
        expect(config.created).toBe(new Date(lock.epoch * 1000).toISOString().replace(".000Z", "Z"));
        expect(config.rootfs.type).toBe("layers");
        expect(config.rootfs.diff_ids).toHaveLength(manifest.layers.length);
        expect(config.history).toHaveLength(manifest.layers.length);
        for (const h of config.history) expect(h.created_by).toMatch(/^berth: /);
        const labels = config.config.Labels;
        expect(config.config.Env.some((e) => e.startsWith("PATH=/usr/local/"))).toBe(true);
        if (d.install === "program") continue; // hello-world: checked on its own below
        expect(labels["org.opencontainers.image.description"]).toMatch(/^Built offline by Berth from Debian bookworm i386 packages/);
        expect(labels["io.berth.source"]).toBe("debian bookworm i386");
        for (const p of lock.packages.filter((x) => x.layer === d.name)) expect(labels["io.berth.packages"]).toContain(`${p.name}=${p.version}`);
        if (d.base) expect(manifest.annotations?.["org.opencontainers.image.base.name"]).toBe(`docker.io/library/${d.base}:${defs.find((x) => x.name === d.base)!.tags[0]}`);
      }
    }
  });

  it("configures each image like its official counterpart", () => {
    expect(image("docker.io/library/busybox:latest").config.config.Cmd).toEqual(["sh"]);
    expect(image("docker.io/library/debian:bookworm-slim").config.config.Cmd).toEqual(["bash"]);
    const nginx = image("docker.io/library/nginx:latest").config.config;
    expect(nginx.Entrypoint).toEqual(["/docker-entrypoint.sh"]);
    expect(nginx.Cmd).toEqual(["nginx", "-g", "daemon off;"]);
    expect(nginx.ExposedPorts).toEqual({ "80/tcp": {} });
    expect(nginx.StopSignal).toBe("SIGQUIT");
    expect(nginx.Env).toContain(`NGINX_VERSION=${upstream("nginx")}`);
    const redis = image("docker.io/library/redis:latest").config.config;
    expect(redis.Entrypoint).toEqual(["docker-entrypoint.sh"]);
    expect(redis.Cmd).toEqual(["redis-server"]);
    expect(redis.WorkingDir).toBe("/data");
    expect(redis.ExposedPorts).toEqual({ "6379/tcp": {} });
    const python = image("docker.io/library/python:3.11-slim").config.config;
    expect(python.Cmd).toEqual(["python3"]);
    expect(python.Env).toEqual(expect.arrayContaining(["LANG=C.UTF-8", `PYTHON_VERSION=${upstream("python3.11")}`]));
  });

  it("builds hello-world from Berth's own source: one small static i386 /hello", () => {
    const { manifest, config } = image("docker.io/library/hello-world:latest");
    expect(config.config.Cmd).toEqual(["/hello"]);
    expect(config.config.Labels["io.berth.source"]).toBe("vm/images/files/hello-world/hello.c");
    expect(config.config.Labels["io.berth.compiler"]).toMatch(/^gcc /);
    expect(config.config.Labels["org.opencontainers.image.description"]).toMatch(/^Built offline by Berth from its own source: /);
    expect(config.history.map((h) => h.created_by)).toEqual([expect.stringMatching(/^berth: gcc -m32 -static -nostdlib .* -o \/hello hello\.c$/)]);
    expect(manifest.layers).toHaveLength(1);
    const entries = topLayer("docker.io/library/hello-world:latest");
    expect(entries.map((e) => [e.path, e.type, e.mode])).toEqual([["hello", "file", 0o755]]);
    const elf = entries[0]!.data!;
    expect(elf.subarray(0, 4).toString("latin1")).toBe("\x7fELF");
    expect(elf[4]).toBe(1); // 32-bit
    expect(elf.readUInt16LE(18)).toBe(3); // EM_386
    expect(elf.length).toBeLessThan(8192);
    expect(elf.toString("latin1")).toContain("Hello from Berth!");
  });

  it("keeps the IPv6 entrypoint script's checksum of default.conf current", () => {
    const conf = readFileSync(join(root, "vm/images/files/nginx/default.conf"));
    const script = readFileSync(join(root, "vm/images/files/nginx/10-listen-on-ipv6-by-default.sh"), "utf8");
    expect(script).toContain(`ORIGINAL_SUM="${sha256(conf).slice(7)}"`);
  });

  it("shares the debian layer between debian and the images built on it", () => {
    const base = image("docker.io/library/debian:bookworm-slim").manifest.layers[0]!.digest;
    for (const n of ["nginx:latest", "redis:latest", "python:3.11-slim"]) {
      const { manifest } = image(`docker.io/library/${n}`);
      expect(manifest.layers).toHaveLength(2);
      expect(manifest.layers[0]!.digest).toBe(base);
    }
  });
});

describe("the layers", () => {
  it("are sorted, relative, stamped with the lock's time, with hard links to earlier entries", () => {
    const layers = new Set(index.manifests.flatMap((m) => image(m.annotations!["io.containerd.image.name"]!).manifest.layers.map((l) => l.digest)));
    const bad: string[] = [];
    for (const digest of layers) {
      const tar = gunzipSync(blob(digest));
      const seen = new Set<string>();
      let prev = "";
      for (const e of readTar(tar)) {
        if (/^\/|(^|\/)\.\.(\/|$)/.test(e.path)) bad.push(`${e.path}: not relative`);
        if (Buffer.compare(Buffer.from(prev), Buffer.from(e.path)) >= 0) bad.push(`${e.path}: out of order`);
        if (e.path.includes("/") && !seen.has(e.path.slice(0, e.path.lastIndexOf("/")))) bad.push(`${e.path}: before its directory`);
        if (e.type === "hardlink" && !seen.has(e.target!)) bad.push(`${e.path}: hard link to a later ${e.target}`);
        seen.add(e.path);
        prev = e.path;
      }
      // the mtime and the numeric-only owners, straight from the headers
      for (let off = 0; off + 512 <= tar.length && tar[off] !== 0; ) {
        const size = parseInt(tar.toString("ascii", off + 124, off + 135), 8);
        if (parseInt(tar.toString("ascii", off + 136, off + 147), 8) !== lock.epoch) bad.push(`${digest} @${off}: mtime`);
        if (tar[off + 265] !== 0) bad.push(`${digest} @${off}: user name`);
        off += 512 + Math.ceil(size / 512) * 512;
      }
    }
    expect(bad).toEqual([]);
  }, 60_000);

  it("list the same with GNU tar", () => {
    const { manifest } = image("docker.io/library/nginx:latest");
    const r = spawnSync("tar", ["-tvzf", join(OCI, "blobs/sha256", manifest.layers[1]!.digest.slice(7))], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^lrwxrwxrwx 0\/0 .* var\/log\/nginx\/access\.log -> \/dev\/stdout$/m);
    expect(r.stdout).toMatch(/^-rwxr-xr-x 0\/0 .* docker-entrypoint\.sh$/m);
  });

  it("make busybox's applets hard links to one binary", () => {
    const entries = topLayer("docker.io/library/busybox:latest");
    const files = entries.filter((e) => e.type === "file" && e.path.startsWith("bin/"));
    expect(files).toHaveLength(1);
    const links = entries.filter((e) => e.type === "hardlink");
    expect(links.length).toBeGreaterThan(200);
    expect(links.map((e) => e.path)).toEqual(expect.arrayContaining(["bin/sh", "bin/busybox", "bin/ls"]));
    const tmp = entries.find((e) => e.path === "tmp")!;
    expect(tmp.mode).toBe(0o1777);
    expect(entries.find((e) => e.path === "etc/passwd")!.data!.toString()).toMatch(/^root:x:0:0:root:\/root:\/bin\/sh$/m);
  });

  it("give debian merged /usr, its users, /bin/sh and a dpkg database of every package", () => {
    const entries = topLayer("docker.io/library/debian:bookworm-slim");
    const at = (p: string) => entries.find((e) => e.path === p);
    for (const d of ["bin", "sbin", "lib"]) expect(at(d)).toMatchObject({ type: "symlink", target: `usr/${d}` });
    expect(at("usr/bin/sh")).toMatchObject({ type: "symlink", target: "dash" });
    expect(at("etc/alternatives/awk")).toMatchObject({ type: "symlink", target: "/usr/bin/mawk" });
    expect(at("usr/bin/awk")).toMatchObject({ type: "symlink", target: "/etc/alternatives/awk" });
    expect(at("etc/passwd")!.data!.toString()).toMatch(/^root:x:0:0:root:\/root:\/bin\/bash$/m);
    expect(at("etc/shadow")).toMatchObject({ mode: 0o640, gid: 42 });
    expect(at("etc/shadow")!.data!.toString()).toMatch(/^root:\*:\d+:0:99999:7:::$/m);
    expect(at("usr/bin/passwd")!.mode & 0o4000).toBeTruthy(); // setuid kept from the package
    expect(at("usr/share/man/man1/bash.1.gz")).toBeUndefined();
    expect(at("usr/share/doc/bash/copyright")).toBeDefined();
    for (const f of ["etc/hostname", "etc/hosts", "etc/resolv.conf"]) expect(at(f)).toBeUndefined();
    const status = at("var/lib/dpkg/status")!.data!.toString();
    const debs = lock.packages.filter((p) => p.layer === "debian");
    expect(status.match(/^Package: /gm)).toHaveLength(debs.length);
    for (const p of debs) expect(status).toContain(`Package: ${p.name}\n`);
    expect(status).toMatch(/^Package: mawk\nStatus: install ok installed\n/m);
    expect(at("var/lib/dpkg/info/mawk.list")!.data!.toString()).toMatch(/^\/\.\n.*\/usr\/bin\/mawk$/ms);
    expect(at("var/lib/dpkg/info/libc6:i386.md5sums")).toBeDefined(); // Multi-Arch: same
  });

  it("give python precompiled standard library modules", () => {
    const entries = topLayer("docker.io/library/python:3.11-slim");
    const pyc = entries.find((e) => e.path === "usr/lib/python3.11/json/__pycache__/__init__.cpython-311.pyc")!;
    expect(pyc).toBeDefined();
    expect(pyc.data!.readUInt32LE(8)).toBe(lock.epoch); // timestamp pyc matching the source's mtime
    expect(entries.find((e) => e.path === "usr/local/bin/python3")).toMatchObject({ type: "symlink", target: "/usr/bin/python3.11" });
  });
});

describe("tar writing", () => {
  it("stores long paths and link targets that GNU tar reads back", () => {
    const t = new Tree();
    const deep = `${"d".repeat(120)}/${"e".repeat(120)}/file`; // ustar prefix + name
    const deeper = `${"x".repeat(200)}/${"y".repeat(120)}`; // needs a pax header
    t.put(deep, fileNode("one"));
    t.put(deeper, fileNode("two"));
    t.put("link", linkNode(`/${deeper}`));
    t.put("hard", t.get(deep)!);
    const tar = writeTar(t, t.paths(), 1_000_000_000);
    const back = [...readTar(tar)];
    expect(back.find((e) => e.path === deeper)?.data?.toString()).toBe("two");
    expect(back.find((e) => e.path === "link")?.target).toBe(`/${deeper}`);
    const f = join(scratch, "long.tar");
    writeFileSync(f, tar);
    const r = spawnSync("tar", ["-tvf", f], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(deeper);
    expect(r.stdout).toMatch(new RegExp(`^hrw-r--r-- 0/0 .* ${deep} link to hard$|^hrw-r--r-- 0/0 .* hard link to ${deep}$`, "m"));
  });

  it("resolves paths through symlinks inside the tree, never the host's", () => {
    const t = new Tree();
    t.mkdirs("usr/bin");
    t.put("bin", linkNode("usr/bin"));
    t.put("bin/sh", linkNode("dash"));
    expect(t.place("bin/sh")).toBe("usr/bin/sh");
    t.put("etc/x", linkNode("/bin/sh"));
    expect(t.resolve("etc/x", true)).toBe("usr/bin/dash");
    t.put("bin", { type: "dir", mode: 0o755, uid: 0, gid: 0 }); // a package's ./bin/ keeps the symlink
    expect(t.get("bin")).toMatchObject({ type: "symlink" });
  });
});

describe("the build", () => {
  it("gives the same bytes twice", () => {
    const out = join(scratch, "again", "oci");
    const r = spawnSync(process.execPath, [join(root, "scripts/images/build.mjs"), out, join(cacheDir(), "debs")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(out, "index.json"))).toEqual(readFileSync(join(OCI, "index.json")));
    expect(readdirSync(join(out, "blobs/sha256")).sort()).toEqual(readdirSync(join(OCI, "blobs/sha256")).sort());
  }, 300_000);

  it("names the image and the package when a package is broken", () => {
    const debs = join(scratch, "debs");
    mkdirSync(debs, { recursive: true });
    const real = join(cacheDir(), "debs");
    const broken = lock.packages.find((p) => p.layer === "debian")!;
    for (const f of readdirSync(real)) if (f !== debFileName(broken)) symlinkSync(join(real, f), join(debs, f));
    writeFileSync(join(debs, debFileName(broken)), "this is not a Debian package");
    const r = spawnSync(process.execPath, [join(root, "scripts/images/build.mjs"), join(scratch, "broken", "oci"), debs], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`FAILED: image debian, package ${broken.name}: `);
  }, 120_000);
});
