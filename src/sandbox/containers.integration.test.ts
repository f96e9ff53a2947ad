// Containers are possible: crun in the guest, driven through the agent, runs a busybox
// bundle whose rootfs is an overlay of a read-only 9p lower layer and a tmpfs upper
// layer, in its own pid, mount, uts, ipc and net namespaces with memory and pids limits.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRUN_ENVIRONMENT, createBundle, prepareBusyboxLayer } from "../../test/support/busybox-bundle";
import { bootNodeVm } from "./node";
import type { Vm } from "./vm";

let vm: Vm;
const sh = async (script: string) => {
  const r = await vm.exec(["sh", "-c", script], { timeoutMs: 60_000, env: CRUN_ENVIRONMENT });
  return { ...r, all: r.stdout + r.stderr };
};

const MEMORY = 24 * 1024 * 1024;
const PIDS = 12;

async function runContainer(name: string, script: string) {
  const bundle = await createBundle(vm, name, ["sh", "-c", script], { memory: MEMORY, pids: PIDS });
  return sh(`crun run --bundle ${bundle} ${name}`);
}

beforeAll(async () => {
  vm = await bootNodeVm();
  await prepareBusyboxLayer(vm);
});
afterAll(async () => {
  await vm?.destroy();
});

describe("crun through the agent", () => {
  it("isolates hostname, pids, mounts and network", async () => {
    const r = await runContainer(
      "c1",
      "echo host=$(hostname); echo pid=$$; echo cmd=$(tr '\\0' ' ' < /proc/1/cmdline); " +
        "echo links=$(ls /sys/class/net); echo upper > /written; echo root=$(grep ' / ' /proc/mounts | cut -d' ' -f3)",
    );
    expect(r.code, r.all).toBe(0);
    expect(r.stdout).toContain("host=c1-box\n");
    expect(r.stdout).toContain("pid=1\n");
    expect(r.stdout).toMatch(/^cmd=sh -c echo host=/m);
    expect(r.stdout).toContain("links=lo\n"); // a fresh network namespace has only loopback
    expect(r.stdout).toContain("root=overlay\n");
    // The write went to the tmpfs upper layer; the 9p lower layer is untouched.
    const layers = await sh("cat /run/ctr/c1/upper/written; ls /mnt/berth/layers/busybox/written 2>&1");
    expect(layers.all).toMatch(/^upper\n.*No such file/);
  });

  it("applies the memory limit and OOM-kills past it", async () => {
    const r = await runContainer(
      "c2",
      "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max; " +
        "dd if=/dev/zero of=/dev/shm/fill bs=1M count=64 2>/dev/null; echo dd-exit=$?; grep oom_kill /sys/fs/cgroup/memory.events",
    );
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(String(MEMORY));
    expect(lines[1]).toBe(String(PIDS));
    expect(r.stdout).toMatch(/dd-exit=137/); // 128 + SIGKILL
    expect(r.stdout).toMatch(/oom_kill [1-9]/);
    expect(vm.consoleLog).toMatch(/Memory cgroup out of memory: Killed process \d+ \(dd\)/);
  });

  it("refuses to fork past the pids limit", async () => {
    const r = await runContainer("c3", "echo started; for i in $(seq 30); do sleep 3 & done; wait");
    expect(r.stdout).toBe("started\n");
    // ash gives up at the limit, as it does on any host; the VM itself is unharmed.
    expect(r.stderr).toMatch(/can't fork: Resource temporarily unavailable/);
    expect(r.code).not.toBe(0);
    expect((await sh("echo host-ok")).stdout).toBe("host-ok\n");
  });
});
