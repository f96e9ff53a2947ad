// `docker run -it`, `exec -it` and `attach` from a real terminal in the guest: the learner's
// shell runs on a pty, types docker commands, and talks to the container's own tty.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootNodeVm } from "../sandbox/node";
import type { GuestProcess } from "../sandbox/types";
import type { Vm } from "../sandbox/vm";
import type { Daemon } from "./daemon";
import { tearDown } from "./testing/tear-down";
import { startNodeEngine } from "./node";

// Busybox's line editor asks the terminal for the cursor position after its prompt.
const HOST = /host\$ (\x1b\[6n)?$/;
const BOX = /\/ # (\x1b\[6n)?$/;

let vm: Vm;
let dataDir: string;
let daemon: Daemon;

const sh = (script: string) => vm.exec(["sh", "-c", script], { timeoutMs: 60000 });

/** A login shell on a pty, as the page's terminal is, with a transcript to wait on. */
class Terminal {
  text = "";
  private proc!: GuestProcess;
  private waiters: (() => void)[] = [];

  async open(): Promise<void> {
    this.proc = await vm.spawn(
      { argv: ["sh"], cwd: "/workspace", env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "PS1=host$ "], pty: { rows: 30, cols: 100 } },
      {
        onStdout: (d) => {
          this.text += new TextDecoder().decode(d);
          for (const w of this.waiters.splice(0)) w();
        },
      },
    );
  }

  type(s: string): void {
    this.proc.write(s);
  }

  /** Wait until the transcript after `from` matches. */
  async waitFor(re: RegExp, from = 0, timeoutMs = 30000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.text.slice(from));
      if (m) return m[0];
      if (Date.now() > end) throw new Error(`timed out waiting for ${re}; transcript:\n${this.text.slice(from)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }

  /** `docker attach`: the shell inside prints nothing until the learner presses Enter. */
  async attach(line: string): Promise<void> {
    const from = this.text.length;
    this.type(line + "\r");
    await this.waitFor(new RegExp(line + "\r\n"), from);
    await new Promise((r) => setTimeout(r, 1500));
    await this.run("", BOX);
  }

  /** Type a command line and wait for its output up to the next match of `until`. */
  async run(line: string, until: RegExp): Promise<string> {
    const from = this.text.length;
    this.type(line + "\r");
    await this.waitFor(until, from);
    return this.text.slice(from);
  }

  resize(rows: number, cols: number): void {
    this.proc.resize(rows, cols);
  }

  close(): void {
    this.proc?.signal(9, true);
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "berth-interactive-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir });
  await sh("docker pull -q busybox");
}, 120000);

afterAll(async () => {
  await tearDown(vm, daemon, dataDir);
});

describe("the learner's terminal inside containers", () => {
  it("run -it: a shell in the container, its hostname and processes, Ctrl-C, then exit and --rm", async () => {
    const t = new Terminal();
    await t.open();
    await t.run("", HOST);
    const start = await t.run("docker run -it --rm busybox sh", BOX);
    expect(start).not.toContain("Error");
    const host = await t.run("hostname", BOX);
    const id = /hostname\r\n([0-9a-f]{12})\r\n/.exec(host)?.[1];
    expect(id).toBeDefined();
    const ps = await t.run("ps", BOX);
    expect(ps).toMatch(/^\s*1 root\s+.*sh\s*$/m);
    // The terminal is the container's: it knows its size, and Ctrl-C stops only the foreground program.
    expect(await t.run("stty size", BOX)).toContain("30 100");
    t.resize(40, 120);
    await new Promise((r) => setTimeout(r, 500));
    expect(await t.run("stty size", BOX)).toContain("40 120");
    expect(await t.run("tty", BOX)).toContain("/dev/pts/0");
    // Full-screen programs: vi edits a file, top draws and quits on q.
    const vi = t.text.length;
    t.type("vi /tmp/f\r");
    await t.waitFor(/~/, vi);
    // Keys as a person types them: an Escape glued to the next key reads as Alt+key.
    const pause = () => new Promise((r) => setTimeout(r, 400));
    t.type("ihello from vi");
    await pause();
    t.type("\x1b");
    await pause();
    t.type(":wq\r");
    await t.waitFor(BOX, vi);
    expect(await t.run("cat /tmp/f", BOX)).toContain("hello from vi");
    const top = t.text.length;
    t.type("top\r");
    await t.waitFor(/PID\s+PPID\s+USER/, top);
    t.type("q");
    await t.waitFor(BOX, top);
    const from = t.text.length;
    t.type("sleep 100\r");
    await new Promise((r) => setTimeout(r, 1000));
    t.type("\x03");
    await t.waitFor(BOX, from);
    const exit = await t.run("exit 3", HOST);
    expect(exit).not.toContain("Error");
    expect(await t.run("echo rc=$?", HOST)).toContain("rc=3");
    expect(await t.run("docker ps -aq | wc -l", HOST)).toMatch(/\r\n0\r\n/);
    t.close();
  }, 120000);

  it("detaches with Ctrl-P Ctrl-Q, and docker attach / exec -it join the running container", async () => {
    const t = new Terminal();
    await t.open();
    await t.run("", HOST);
    await t.run("docker run -it --name box busybox sh", BOX);
    await t.run("echo marker > /tmp/m", BOX);
    const from = t.text.length;
    t.type("\x10\x11");
    await t.waitFor(HOST, from);
    expect(await t.run("echo rc=$?", HOST)).toContain("rc=0");
    expect(await t.run("docker ps --format '{{.Names}} {{.Status}}'", HOST)).toMatch(/box Up/);
    // exec -it: a second process in the same container sees the first one's file.
    await t.run("docker exec -it box sh", BOX);
    expect(await t.run("cat /tmp/m", BOX)).toContain("marker");
    await t.run("exit", HOST);
    // attach: back to the main shell; detach prints Docker's notice and exits 1.
    await t.attach("docker attach box");
    expect(await t.run("echo $$", BOX)).toMatch(/\r\n1\r\n/);
    const from2 = t.text.length;
    t.type("\x10\x11");
    await t.waitFor(HOST, from2);
    expect(t.text.slice(from2)).toContain("read escape sequence");
    expect(await t.run("echo rc=$?", HOST)).toContain("rc=1");
    // Attaching again and exiting the main shell stops the container with its code.
    await t.attach("docker attach box");
    await t.run("exit 7", HOST);
    expect(await t.run("echo rc=$?", HOST)).toContain("rc=7");
    expect(await t.run("docker ps -a --format '{{.Names}} {{.Status}}'", HOST)).toMatch(/box Exited \(7\)/);
    t.close();
  }, 120000);

  it("refuses -it without a terminal, as the CLI does", async () => {
    const r = await sh("echo | docker run -it --rm busybox true");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("the input device is not a TTY\n");
    const p = await sh("echo hi | docker run -i --rm busybox cat");
    expect(p.stdout).toBe("hi\n");
  }, 60000);
});
