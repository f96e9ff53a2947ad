// config.json as dockerd 20.10 writes it for the same flags (daemon/oci_linux.go,
// oci/defaults.go, oci/caps/utils.go), checked against `crun spec`-shaped fields.
import { describe, expect, it } from "vitest";
import { newContainer, type CreateRequest } from "../containers/container";
import type { ImageRecord } from "../images/image-store";
import { capabilities, DEFAULT_CAPS, DEFAULT_PIDS_LIMIT, IN_CONTAINER_INIT_PATH, MASKED_PATHS, ociJson, ociSpec, READONLY_PATHS, tmpfsOptions } from "./oci-spec";

const image: ImageRecord = {
  id: "sha256:" + "a".repeat(64),
  config: { architecture: "386", os: "linux", config: { Env: ["PATH=/usr/bin:/bin", "LANG=C.UTF-8"], Cmd: ["sh"], WorkingDir: "/srv" }, rootfs: { type: "layers", diff_ids: [] } },
  layers: [],
  repoTags: ["docker.io/library/busybox:latest"],
  repoDigests: [],
  parent: "",
  lastTagTime: "",
};

function spec(req: Partial<CreateRequest> & { config?: CreateRequest["config"] } = {}, extra: { netns?: string; consoleSize?: { rows: number; cols: number }; sharedPidNs?: string } = {}) {
  const id = "b".repeat(64);
  const c = newContainer(id, "test", { config: { Image: "busybox", ...(req.config ?? {}) }, hostConfig: req.hostConfig }, image, "busybox");
  return ociSpec({ container: c, rootfs: "/c/rootfs", dir: "/c", netns: extra.netns, user: { uid: 0, gid: 0, additionalGids: [] }, initPath: "/guest/docker-init", consoleSize: extra.consoleSize, sharedPidNs: extra.sharedPidNs });
}

describe("the OCI runtime config", () => {
  it("runs the image's command in its workdir with its env, and Docker's defaults", () => {
    const s = spec();
    expect(s.process.args).toEqual(["sh"]);
    expect(s.process.cwd).toBe("/srv");
    expect(s.process.env).toContain("LANG=C.UTF-8");
    expect(s.process.terminal).toBe(false);
    expect(s.process.capabilities.bounding).toEqual(DEFAULT_CAPS);
    expect(s.hostname).toBe("b".repeat(12));
    expect(s.linux.cgroupsPath).toBe(`/docker/${"b".repeat(64)}`);
    expect(s.linux.maskedPaths).toEqual(MASKED_PATHS);
    expect(s.linux.readonlyPaths).toEqual(READONLY_PATHS);
    // Every device denied but those the runtime adds; no limits unless asked.
    // No limits of its own but the VM's default pids cap.
    expect(s.linux.resources).toEqual({ devices: [{ allow: false, access: "rwm" }], pids: { limit: DEFAULT_PIDS_LIMIT } });
    const dest = s.mounts.map((m) => m.destination);
    expect(dest).toEqual(["/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/etc/resolv.conf", "/etc/hostname", "/etc/hosts"]);
    expect(s.mounts.find((m) => m.destination === "/dev/shm")?.options).toContain("size=67108864");
    expect(s.root).toEqual({ path: "/c/rootfs", readonly: false });
  });

  it("joins the network namespace made for it, or gets an empty one", () => {
    expect(spec({}, { netns: "/run/netns/abc" }).linux.namespaces).toContainEqual({ type: "network", path: "/run/netns/abc" });
    expect(spec().linux.namespaces.map((n) => n.type)).toEqual(["mount", "uts", "pid", "ipc", "cgroup", "network"]);
  });

  it("--pid host stays in the VM's pid namespace; --pid container:<id> joins that one's", () => {
    expect(spec({ hostConfig: { PidMode: "host" } }).linux.namespaces.map((n) => n.type)).toEqual(["mount", "uts", "ipc", "cgroup", "network"]);
    const joined = spec({ hostConfig: { PidMode: `container:${"c".repeat(64)}` } }, { sharedPidNs: "/proc/42/ns/pid" });
    expect(joined.linux.namespaces.filter((n) => n.type === "pid")).toEqual([{ type: "pid", path: "/proc/42/ns/pid" }]);
    // dockerd adds --init's process only where the container has a pid namespace of its own.
    for (const PidMode of ["host", "container:x"]) {
      const s = spec({ hostConfig: { PidMode, Init: true } }, { sharedPidNs: "/proc/42/ns/pid" });
      expect(s.process.args).toEqual(["sh"]);
      expect(s.mounts.some((m) => m.destination === IN_CONTAINER_INIT_PATH)).toBe(false);
    }
  });

  it("--uts host keeps the VM's UTS namespace and sets no hostname", () => {
    const s = spec({ hostConfig: { UTSMode: "host" } });
    expect(s.linux.namespaces.map((n) => n.type)).toEqual(["mount", "pid", "ipc", "cgroup", "network"]);
    expect(s.hostname).toBeUndefined();
    expect(s.mounts.some((m) => m.destination === "/etc/hostname")).toBe(true);
  });

  it("--ulimit sets the process's rlimits; -1 is RLIM_INFINITY in the JSON crun reads", () => {
    const s = spec({ hostConfig: { Ulimits: [{ Name: "nofile", Soft: 512, Hard: 1024 }, { Name: "nproc", Soft: -1, Hard: -1 }] } });
    expect(s.process.rlimits).toEqual([
      { type: "RLIMIT_NOFILE", hard: 1024, soft: 512 },
      { type: "RLIMIT_NPROC", hard: -1, soft: -1 },
    ]);
    const json = ociJson(s);
    expect(json).toContain('"rlimits":[{"type":"RLIMIT_NOFILE","hard":1024,"soft":512},{"type":"RLIMIT_NPROC","hard":18446744073709551615,"soft":18446744073709551615}]');
    expect(JSON.parse(json).process.args).toEqual(s.process.args);
    expect(ociJson(spec())).toBe(JSON.stringify(spec()));
  });

  it("gives a tty container a terminal of the client's size", () => {
    const s = spec({ config: { Image: "busybox", Tty: true } }, { consoleSize: { rows: 30, cols: 100 } });
    expect(s.process.terminal).toBe(true);
    expect(s.process.consoleSize).toEqual({ height: 30, width: 100 });
  });

  it("turns resource flags into cgroup limits as dockerd does", () => {
    const s = spec({ hostConfig: { Memory: 64 * 1024 * 1024, MemorySwap: 0, NanoCpus: 1_500_000_000, PidsLimit: 50 } });
    // MemorySwap 0 means twice the memory; --cpus 1.5 is a quota of 150000 per 100000.
    expect(s.linux.resources.memory).toEqual({ limit: 67108864, swap: 134217728 });
    expect(s.linux.resources.cpu).toEqual({ quota: 150000, period: 100000 });
    expect(s.linux.resources.pids).toEqual({ limit: 50 });
    expect(spec({ hostConfig: { Memory: 1 << 26, MemorySwap: -1 } }).linux.resources.memory).toEqual({ limit: 1 << 26, swap: -1 });
    // --cpus 0.333333333 truncates as Go's integer arithmetic does.
    expect(spec({ hostConfig: { NanoCpus: 333_333_333 } }).linux.resources.cpu?.quota).toBe(33333);
    // --cpu-shares, --cpu-period/--cpu-quota, --memory-reservation and --oom-score-adj.
    const t = spec({ hostConfig: { CpuShares: 512, CpuPeriod: 50000, CpuQuota: 25000, MemoryReservation: 1 << 24, OomScoreAdj: 500 } });
    expect(t.linux.resources.cpu).toEqual({ shares: 512, period: 50000, quota: 25000 });
    expect(t.linux.resources.memory).toEqual({ reservation: 1 << 24 });
    expect(t.process.oomScoreAdj).toBe(500);
  });

  it("--read-only, --tmpfs and --init", () => {
    const s = spec({ hostConfig: { ReadonlyRootfs: true, Tmpfs: { "/run": "size=1m,exec", "/tmp": "" }, Init: true } });
    expect(s.root.readonly).toBe(true);
    expect(s.mounts.find((m) => m.destination === "/run")?.options).toEqual(["nosuid", "nodev", "rprivate", "size=1m", "exec"]);
    expect(s.mounts.find((m) => m.destination === "/tmp")?.options).toEqual(["noexec", "nosuid", "nodev", "rprivate"]);
    expect(s.process.args).toEqual([IN_CONTAINER_INIT_PATH, "--", "sh"]);
    expect(s.mounts.find((m) => m.destination === IN_CONTAINER_INIT_PATH)).toEqual({ destination: IN_CONTAINER_INIT_PATH, type: "bind", source: "/guest/docker-init", options: ["bind", "ro"] });
  });

  it("--privileged lifts the masks and gives every capability", () => {
    const s = spec({ hostConfig: { Privileged: true } });
    expect(s.linux.maskedPaths).toEqual([]);
    expect(s.linux.readonlyPaths).toEqual([]);
    expect(s.process.capabilities.bounding).toContain("CAP_SYS_ADMIN");
  });
});

describe("capabilities (TweakCapabilities)", () => {
  it("adds, drops, and accepts Docker's spellings", () => {
    expect(capabilities(["net_admin"], ["CAP_CHOWN", "mknod"], false)).toEqual([...DEFAULT_CAPS.filter((c) => c !== "CAP_CHOWN" && c !== "CAP_MKNOD"), "CAP_NET_ADMIN"]);
    expect(capabilities(null, ["ALL"], false)).toEqual([]);
    expect(capabilities(["NET_BIND_SERVICE"], ["ALL"], false)).toEqual(["CAP_NET_BIND_SERVICE"]);
    expect(capabilities(["ALL"], ["SYS_ADMIN"], false)).not.toContain("CAP_SYS_ADMIN");
    expect(() => capabilities(["NOPE"], null, false)).toThrow('invalid CapAdd: unknown capability: "CAP_NOPE"');
  });

  it("merges tmpfs options, the last of colliding ones winning", () => {
    expect(tmpfsOptions("ro,rw,size=1m,size=2m")).toEqual(["noexec", "nosuid", "nodev", "rprivate", "rw", "size=2m"]);
  });
});
