// A busybox OCI bundle for tests and benchmarks: the rootfs is an overlay of a read-only
// 9p lower layer (as image layers will be) and a tmpfs upper layer in the guest.
import { readFileSync } from "node:fs";
import { artifacts } from "../../scripts/vm/lib.mjs";
import { DEFAULT_ENV } from "../../src/sandbox/env";
import { CRUN_ENV } from "../../src/sandbox/machine";
import type { Vm } from "../../src/sandbox/vm";

/** The environment to run crun with (see CRUN_ENV). */
export const CRUN_ENVIRONMENT = [...DEFAULT_ENV, CRUN_ENV];

export const LAYER = "/mnt/berth/layers/busybox";

export interface Limits {
  memory?: number;
  pids?: number;
}

/** A minimal OCI runtime config; the engine's own generator comes with `docker run`. */
export function ociConfig(name: string, args: string[], limits: Limits = {}) {
  return {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args,
      env: ["PATH=/bin", "HOME=/root"],
      cwd: "/",
      capabilities: Object.fromEntries(
        ["bounding", "effective", "permitted"].map((k) => [
          k,
          ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SYS_CHROOT"],
        ]),
      ),
      noNewPrivileges: true,
    },
    root: { path: `/run/ctr/${name}/merged`, readonly: false },
    hostname: `${name}-box`,
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
      { destination: "/dev/pts", type: "devpts", source: "devpts", options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"] },
      { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
      { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
      { destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime", "ro"] },
    ],
    linux: {
      resources: {
        ...(limits.memory ? { memory: { limit: limits.memory, swap: limits.memory } } : {}),
        ...(limits.pids ? { pids: { limit: limits.pids } } : {}),
      },
      cgroupsPath: `/berth-test/${name}`,
      namespaces: ["pid", "mount", "uts", "ipc", "network", "cgroup"].map((type) => ({ type })),
      maskedPaths: ["/proc/kcore", "/proc/keys", "/proc/timer_list"],
      readonlyPaths: ["/proc/sys", "/proc/sysrq-trigger"],
    },
  };
}

/** Put busybox on the host side of 9p as a lower layer. */
export async function prepareBusyboxLayer(vm: Vm): Promise<void> {
  const mk = await vm.exec(["mkdir", "-p", `${LAYER}/bin`, "/mnt/berth/bundles"]);
  if (mk.code !== 0) throw new Error(mk.stderr);
  await vm.v86.create_file("/layers/busybox/bin/busybox", new Uint8Array(readFileSync(artifacts().busybox)));
  const r = await vm.exec([
    "sh",
    "-c",
    `cd ${LAYER} && chmod 755 bin/busybox && mkdir -p proc sys dev tmp etc root && ` +
      "for a in $(bin/busybox --list); do [ $a = busybox ] || ln -sf busybox bin/$a; done && echo 'root:x:0:0:root:/root:/bin/sh' > etc/passwd",
  ]);
  if (r.code !== 0) throw new Error(`preparing the busybox layer failed: ${r.stderr}`);
}

/** A copy of the layer in guest RAM, where image layers are served from once used. */
export const RAM_LAYER = "/run/layers/busybox";

async function ensureRamLayer(vm: Vm): Promise<void> {
  const r = await vm.exec(["sh", "-c", `[ -d ${RAM_LAYER} ] || { mkdir -p /run/layers && cp -a ${LAYER} ${RAM_LAYER}; }`]);
  if (r.code !== 0) throw new Error(`copying the layer into RAM failed: ${r.stderr}`);
}

/**
 * Write the bundle and mount its overlay rootfs; returns the bundle path. The lower layer
 * is the 9p share itself, or (`lower: "ram"`) a copy of it in guest RAM: exec from 9p
 * costs about ten times as much (see ARCHITECTURE.md).
 */
export async function createBundle(
  vm: Vm,
  name: string,
  args: string[],
  limits: Limits = {},
  { lower = "9p" }: { lower?: "9p" | "ram" } = {},
): Promise<string> {
  if (lower === "ram") await ensureRamLayer(vm);
  const lowerdir = lower === "ram" ? RAM_LAYER : LAYER;
  await vm.exec(["mkdir", "-p", `/mnt/berth/bundles/${name}`]);
  await vm.v86.create_file(`/bundles/${name}/config.json`, new TextEncoder().encode(JSON.stringify(ociConfig(name, args, limits))));
  const d = `/run/ctr/${name}`;
  const r = await vm.exec([
    "sh",
    "-c",
    `mkdir -p ${d}/upper ${d}/work ${d}/merged && ` +
      `mount -t overlay overlay -o lowerdir=${lowerdir},upperdir=${d}/upper,workdir=${d}/work ${d}/merged`,
  ]);
  if (r.code !== 0) throw new Error(`mounting the overlay failed: ${r.stderr}`);
  return `/mnt/berth/bundles/${name}`;
}
