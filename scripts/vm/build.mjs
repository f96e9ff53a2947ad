#!/usr/bin/env node
// Builds the guest (kernel, agent, initramfs, BIOS) and its boot snapshot from the
// pinned Debian packages in vm/debian.lock, then the offline base images from
// vm/images.lock (scripts/images/build.mjs). Every output is cached outside the checkout
// under a hash of its inputs, so a rerun with nothing changed only checks the cache.
//
// usage: node scripts/vm/build.mjs [--force STEP]
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureApt } from "../setup/apt.mjs";
import { artifacts, cacheDir, debFileName, keys, readLock, root } from "./lib.mjs";

const HOST_TOOLS = {
  // command -> Debian package that provides it
  "dpkg-deb": "dpkg",
  cpio: "cpio",
  flex: "flex",
  bison: "bison",
  bc: "bc",
  make: "make",
  gcc: "gcc",
  file: "file",
  readelf: "binutils",
  zstd: "zstd",
  xz: "xz-utils",
  perl: "perl",
  gzip: "gzip", // image layers (gzip -n)
};
const HOST_PACKAGES = ["libelf-dev", "libssl-dev", "gcc-multilib"];

class StepError extends Error {
  constructor(step, detail) {
    super(detail);
    this.step = step;
  }
}

const t0 = Date.now();
const force = new Set(process.argv.flatMap((a, i, all) => (all[i - 1] === "--force" ? [a] : [])));
const cache = cacheDir();
const lock = readLock();
const k = keys();
const a = artifacts(k);
const debDir = join(cache, "debs");

function run(step, cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ["ignore", "inherit", "pipe"], encoding: "utf8", ...opts });
  if (r.status !== 0) {
    const err = (r.stderr || "").trim().split("\n").slice(-15).join("\n");
    const named = err.match(/FAILED: .*/)?.[0];
    throw new StepError(step, `${named ?? `${cmd} ${args.join(" ")} exited ${r.status ?? r.signal}`}\n${err}`);
  }
}

function pkg(name) {
  const p = lock.find((e) => e.name === name);
  if (!p) throw new Error(`vm/debian.lock has no ${name}`);
  return p;
}

const steps = [
  {
    name: "build tools",
    done: () => false,
    run: () => {
      const missing = Object.entries(HOST_TOOLS).filter(([cmd]) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0);
      const host = lock.filter((p) => p.role === "host").map((p) => `${p.name}=${p.version}`);
      ensureApt([...missing.map(([, p]) => p), ...HOST_PACKAGES, ...host], { i386: true });
    },
  },
  {
    name: "Debian packages",
    done: () => lock.filter((p) => p.role !== "host").every((p) => existsSync(join(debDir, debFileName(p)))),
    run: () => {
      const want = lock.filter((p) => p.role !== "host").map((p) => `${p.name} ${p.arch} ${p.version}`).join("\n");
      run("Debian packages", "bash", [join(root, "scripts/vm/fetch-debs.sh"), debDir], { input: want + "\n", stdio: ["pipe", "inherit", "pipe"] });
    },
  },
  {
    name: "SeaBIOS",
    key: k.bios,
    done: () => existsSync(a.bios) && existsSync(a.vgaBios),
    run: () => {
      const work = join(cache, "work", "bios");
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      run("SeaBIOS (seabios)", "dpkg-deb", ["-x", join(debDir, debFileName(pkg("seabios"))), work]);
      mkdirSync(dirname(a.bios), { recursive: true });
      copyFileSync(join(work, "usr/share/seabios/bios-256k.bin"), a.bios);
      copyFileSync(join(work, "usr/share/seabios/vgabios-stdvga.bin"), a.vgaBios);
      rmSync(work, { recursive: true, force: true });
    },
  },
  {
    name: "kernel",
    key: k.kernel,
    done: () => existsSync(a.bzImage),
    run: () =>
      run("kernel (linux-source-6.1)", "bash", [
        join(root, "scripts/vm/build-kernel.sh"),
        join(debDir, debFileName(pkg("linux-source-6.1"))),
        join(root, "vm/kernel.config"),
        dirname(a.bzImage),
        join(cache, "work", "kernel"),
      ]),
  },
  {
    name: "agent",
    key: k.agent,
    done: () => existsSync(a.agent) && existsSync(a.systemdStub) && existsSync(join(dirname(a.agent), "docker")) && existsSync(join(dirname(a.agent), "berth-console")),
    run: () => run("agent (vm/guest, libc6-dev-i386)", "bash", [join(root, "scripts/vm/build-agent.sh"), join(root, "vm/guest"), dirname(a.agent)]),
  },
  {
    name: "initramfs",
    key: k.initramfs,
    done: () => existsSync(a.initramfs) && existsSync(a.busybox),
    run: () => {
      const list = join(cache, "work", "initramfs-debs.txt");
      mkdirSync(dirname(list), { recursive: true });
      writeFileSync(list, lock.filter((p) => p.role === "guest").map(debFileName).join("\n") + "\n");
      run("initramfs", "bash", [
        join(root, "scripts/vm/build-initramfs.sh"),
        debDir,
        list,
        dirname(a.agent),
        dirname(a.initramfs),
        join(cache, "work", "initramfs"),
      ]);
    },
  },
  {
    name: "snapshot",
    key: k.snapshot,
    // A snapshot that fails its checksum would make every start a cold boot: build it again.
    done: () =>
      existsSync(a.snapshot) &&
      existsSync(a.snapshot + ".sha256") &&
      createHash("sha256").update(readFileSync(a.snapshot)).digest("hex") === readFileSync(a.snapshot + ".sha256", "utf8").trim(),
    run: () =>
      run("snapshot (boot in Node, save_state, zstd)", process.execPath, [
        join(root, "node_modules/tsx/dist/cli.mjs"),
        join(root, "scripts/vm/snapshot.ts"),
        a.snapshot,
      ]),
  },
  {
    name: "images",
    key: k.images,
    done: () => existsSync(a.imagesIndex),
    run: () => run("images", process.execPath, [join(root, "scripts/images/build.mjs"), a.imagesDir, debDir], { stdio: ["ignore", "inherit", "pipe"] }),
  },
];

/**
 * One build at a time per cache: two builds of the same step (two test runs, say) would
 * otherwise write the same files at once, and a snapshot could end up beside another
 * build's checksum. The second build waits, then finds the outputs cached.
 */
function lockCache() {
  const lock = join(cache, ".build.lock");
  mkdirSync(cache, { recursive: true });
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      process.on("exit", () => rmSync(lock, { recursive: true, force: true }));
      return;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
    }
    let owner = -1; // the lock's pid file may not be written yet: treat it as alive
    try {
      owner = Number(readFileSync(join(lock, "pid"), "utf8").trim() || 0);
    } catch {
      /* keep -1 */
    }
    let alive = false;
    try {
      if (owner !== -1) process.kill(owner, 0);
      alive = owner !== 0;
    } catch {
      alive = false;
    }
    if (!alive) {
      rmSync(lock, { recursive: true, force: true }); // left by a build that died
      continue;
    }
    if (!told) console.log(`waiting for another VM build (pid ${owner}) to finish...`);
    told = true;
    spawnSync("sleep", ["1"]);
  }
}

console.log(`VM build (cache: ${cache})`);
lockCache();
try {
  for (const [i, s] of steps.entries()) {
    const label = `[${i + 1}/${steps.length}] ${s.name}${s.key ? ` ${s.key}` : ""}`;
    if (!force.has(s.name) && s.done()) {
      console.log(`${label}: cached`);
      continue;
    }
    console.log(`${label}: building...`);
    const ts = Date.now();
    s.run();
    if (!s.done() && s.key) throw new StepError(s.name, "the step finished but its output is missing");
    console.log(`${label}: done in ${((Date.now() - ts) / 1000).toFixed(1)} s`);
  }
} catch (e) {
  const step = e instanceof StepError ? e.step : "setup";
  console.error(`\nVM build failed at step "${step}":\n${e.message}`);
  process.exit(1);
}
console.log(`VM ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
