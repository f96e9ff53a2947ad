// The real VM, headless in Node: agent protocol semantics, the workspace share both
// ways, and the failure paths (garbage on the channel, a hung guest, a bad snapshot).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SpawnError } from "./agent";
import { bootNodeVm, nodeImages } from "./node";
import type { FileChange } from "./types";
import { Vm } from "./vm";

let vm: Vm;

beforeAll(async () => {
  vm = await bootNodeVm();
});
afterAll(async () => {
  await vm?.destroy();
});

const sh = (script: string, opts: { stdin?: string; cwd?: string } = {}) => vm.exec(["sh", "-c", script], opts);

describe("agent", () => {
  it("restores from the snapshot and runs the guest kernel", async () => {
    expect(vm.status).toMatchObject({ state: "ready", coldBoot: false });
    const r = await vm.exec(["uname", "-a"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Linux berth 6\.1\.\d+.* i686/);
  });

  it("sets the guest clock from the host after a restore", async () => {
    const r = await vm.exec(["date", "+%s"]);
    expect(Math.abs(Number(r.stdout.trim()) - Date.now() / 1000)).toBeLessThan(30);
  });

  it("keeps stdout, stderr and exit codes apart", async () => {
    const r = await sh("echo out; echo err >&2; exit 3");
    expect(r).toMatchObject({ code: 3, signal: null, stdout: "out\n", stderr: "err\n" });
  });

  it("streams stdin to the process and closes it", async () => {
    const big = "x".repeat(200_000) + "\n";
    const r = await vm.exec(["wc", "-c"], { stdin: big });
    expect(r.stdout.trim()).toBe(String(big.length));
  });

  it("reports a command that cannot be executed", async () => {
    await expect(vm.exec(["/no/such/binary"])).rejects.toMatchObject({ errno: 2 });
    await expect(vm.exec(["/no/such/binary"])).rejects.toBeInstanceOf(SpawnError);
  });

  it("delivers signals to a process group", async () => {
    const p = await vm.spawn({ argv: ["sh", "-c", "sleep 100 & sleep 100; echo never"] });
    p.signal(15, true);
    expect(await p.exited).toEqual({ code: null, signal: 15 });
  });

  it("gives a pty its size and resizes it", async () => {
    let out = "";
    const dec = new TextDecoder();
    const p = await vm.spawn(
      { argv: ["sh"], pty: { rows: 33, cols: 101 }, cwd: "/workspace" },
      { onStdout: (d) => (out += dec.decode(d)) },
    );
    p.write("stty size; pwd\n");
    await waitFor(() => /33 101/.test(out));
    expect(out).toContain("/workspace");
    p.resize(40, 120);
    p.write("stty size; exit 7\n");
    await waitFor(() => /40 120/.test(out));
    expect(await p.exited).toEqual({ code: 7, signal: null });
  });
});

describe("workspace share", () => {
  it("shows host writes in the guest", async () => {
    await vm.fs.write("notes/hello.txt", "written by the editor\n");
    const r = await vm.exec(["cat", "/workspace/notes/hello.txt"]);
    expect(r.stdout).toBe("written by the editor\n");
    await vm.fs.write("notes/hello.txt", "second\n");
    expect((await vm.exec(["cat", "/workspace/notes/hello.txt"])).stdout).toBe("second\n");
  });

  it("reports guest writes to the host", async () => {
    const seen: FileChange[] = [];
    const stop = vm.fs.watch((c) => seen.push(...c));
    await sh("echo from-guest > /workspace/guest.txt && mkdir -p /workspace/d && echo 1 >> /workspace/d/a");
    await waitFor(() => seen.some((c) => c.path === "d/a"));
    expect(new TextDecoder().decode(await vm.fs.read("guest.txt"))).toBe("from-guest\n");
    await sh("echo again >> /workspace/guest.txt; rm /workspace/d/a");
    await waitFor(() => seen.some((c) => c.type === "delete" && c.path === "d/a"));
    expect(seen).toContainEqual({ type: "write", path: "guest.txt", kind: "file" });
    stop();
    const names = (await vm.fs.list()).map((e) => e.path);
    expect(names).toEqual(expect.arrayContaining(["guest.txt", "d", "notes", "notes/hello.txt"]));
  });

  it("renames and removes", async () => {
    await vm.fs.write("r/old.txt", "x");
    await vm.fs.rename("r/old.txt", "r/new.txt");
    expect((await sh("ls /workspace/r")).stdout).toBe("new.txt\n");
    await vm.fs.remove("r");
    expect((await sh("test -e /workspace/r; echo $?")).stdout).toBe("1\n");
    await expect(vm.fs.write("../escape", "x")).rejects.toThrow(/invalid path/);
  });
});

describe("faults", () => {
  it("survives garbage written to the control channel from inside the guest", async () => {
    const before = vm.protocolErrors;
    // The learner is root in the guest and can write anything to the agent's port.
    await sh("head -c 300000 /dev/urandom > /dev/hvc1; printf '\\263~\\001\\203\\377\\377\\377\\377' > /dev/hvc1");
    const r = await sh("echo still alive");
    expect(r.stdout).toBe("still alive\n");
    expect(vm.protocolErrors).toBeGreaterThan(before);
    expect(vm.status.state).toBe("ready");
  });

  it("notices a hung guest within 5 s and restarts with the workspace intact", async () => {
    await vm.fs.write("keep.txt", "survives a restart\n");
    const t0 = Date.now();
    const crashed = new Promise<string>((resolve) => {
      const off = vm.onStatus((s) => {
        if (s.state === "crashed") {
          off();
          resolve(s.reason);
        }
      });
    });
    await vm.v86.stop(); // the guest CPU stops: a hang as far as the host can tell
    expect(await crashed).toMatch(/stopped responding/);
    expect(Date.now() - t0).toBeLessThan(7000);
    await vm.restart();
    expect(vm.status.state).toBe("ready");
    expect((await vm.exec(["cat", "/workspace/keep.txt"])).stdout).toBe("survives a restart\n");
  });
});

describe("snapshot fallback", () => {
  it("cold-boots with a notice when the snapshot is corrupt", async () => {
    const images = nodeImages();
    const broken = new Vm({
      snapshot: async () => {
        throw new Error("snapshot checksum mismatch");
      },
      coldBoot: () => images.coldBoot(),
    });
    try {
      await broken.start();
      expect(broken.status).toMatchObject({ state: "ready", coldBoot: true });
      expect(broken.status.state === "ready" && broken.status.notice).toMatch(/checksum mismatch.*cold-booting/);
      expect((await broken.exec(["echo", "cold"])).stdout).toBe("cold\n");
    } finally {
      await broken.destroy();
    }
  });
});

async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error("timed out waiting for condition");
    await new Promise((r) => setTimeout(r, 20));
  }
}
