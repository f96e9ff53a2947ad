// Guest commands: the guest's `docker` client hands its argv, cwd, environment and stdio
// to the host over the agent. The handler here is a test double for the engine; the
// client, the agent and the descriptors are the real ones in the VM.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bootNodeVm } from "./node";
import type { GuestCommand } from "./types";
import type { Vm } from "./vm";

let vm: Vm;
beforeAll(async () => {
  vm = await bootNodeVm();
});
afterAll(async () => {
  await vm?.destroy();
});
afterEach(() => vm.onGuestCommand(null));

const sh = (script: string) => vm.exec(["sh", "-c", script], { cwd: "/workspace", timeoutMs: 30_000 });

/** Serve guest commands with `fn`, recording each one. */
function serve(fn: (cmd: GuestCommand) => void): GuestCommand[] {
  const seen: GuestCommand[] = [];
  vm.onGuestCommand((cmd) => {
    seen.push(cmd);
    fn(cmd);
  });
  return seen;
}

describe("guest commands", () => {
  it("say clearly when no engine serves them", async () => {
    const r = await sh("docker ps");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Berth engine is not running/);
  });

  it("carry argv, cwd and environment, and the exit code back", async () => {
    const seen = serve((cmd) => {
      cmd.write(1, "to stdout\n");
      cmd.write(2, "to stderr\n");
      cmd.exit(7);
    });
    const r = await sh("mkdir -p sub && cd sub && GREETING='hi there' docker run -e A=1 busybox 'two words'; echo rc=$?");
    expect(r.stdout).toBe("to stdout\nrc=7\n");
    expect(r.stderr).toBe("to stderr\n");
    const cmd = seen[0]!;
    expect(cmd.argv).toEqual(["docker", "run", "-e", "A=1", "busybox", "two words"]);
    expect(cmd.cwd).toBe("/workspace/sub");
    expect(cmd.env).toContain("GREETING=hi there");
    expect(cmd.tty).toEqual({ stdin: false, stdout: false, stderr: false });
  });

  it("write large output into a pipe without losing bytes", async () => {
    serve((cmd) => {
      cmd.write(1, "x".repeat(300_000));
      cmd.exit(0);
    });
    const r = await sh("docker logs big | wc -c");
    expect(r.stdout.trim()).toBe("300000");
  });

  it("forward stdin to the end", async () => {
    serve((cmd) => {
      const chunks: Uint8Array[] = [];
      cmd.onStdin((d) => {
        if (d.length) return void chunks.push(d);
        const text = Buffer.concat(chunks).toString();
        cmd.write(1, text.toUpperCase());
        cmd.exit(0);
      });
      cmd.readStdin(true);
    });
    const r = await sh("printf 'hello\\nworld\\n' | docker exec -i c cat");
    expect(r.stdout).toBe("HELLO\nWORLD\n");
  });

  it("forward the signals the client gets", async () => {
    serve((cmd) => cmd.onSignal((s) => cmd.exit(128 + s)));
    const p = await vm.spawn({ argv: ["docker", "attach", "c"] });
    await new Promise((r) => setTimeout(r, 300));
    p.signal(2); // SIGINT, as Ctrl-C would
    expect(await p.exited).toEqual({ code: 130, signal: null });
  });

  it("see the learner's terminal and its size", async () => {
    const seen = serve((cmd) => cmd.exit(0));
    const p = await vm.spawn({ argv: ["docker", "ps"], pty: { rows: 31, cols: 97 } });
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(seen[0]!.tty).toEqual({ stdin: true, stdout: true, stderr: true });
    expect(seen[0]!.size).toEqual({ rows: 31, cols: 97 });
  });

  it("notice a client that was killed", async () => {
    let gone!: () => void;
    const wentAway = new Promise<void>((r) => (gone = r));
    serve((cmd) => cmd.onGone(gone));
    const p = await vm.spawn({ argv: ["docker", "events"] });
    await new Promise((r) => setTimeout(r, 300));
    p.signal(9);
    await wentAway;
    expect((await p.exited).signal).toBe(9);
    expect((await sh("echo still fine")).stdout).toBe("still fine\n");
  });
});
