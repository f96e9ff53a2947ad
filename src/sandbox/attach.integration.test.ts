// Attach: a guest command session relayed to a spawned process inside the guest, as
// `docker run -it` and `docker attach` will use it. The learner's terminal is a pty the
// test drives (a shell in which it types `docker attach-test`); the "container" is a
// process spawned on a pty or on pipes; the handler stands in for the engine.
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { AttachError } from "./agent";
import { parseDetachKeys } from "./detach-keys";
import { bootNodeVm } from "./node";
import type { AttachOptions, ExitStatus, GuestCommand, GuestProcess, SpawnOptions } from "./types";
import type { Vm } from "./vm";

let vm: Vm;
beforeAll(async () => {
  vm = await bootNodeVm();
});
afterAll(async () => {
  await vm?.destroy();
});
afterEach(() => vm.onGuestCommand(null));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const code = (s: ExitStatus) => s.code ?? 128 + (s.signal ?? 0);

/** A pty the test types into and reads, like xterm.js on the page. */
class Term {
  out = "";
  private changed: Array<() => void> = [];
  private constructor(readonly proc: GuestProcess) {}

  static async open(opts: Omit<SpawnOptions, "pty"> & { rows?: number; cols?: number }): Promise<Term> {
    const dec = new TextDecoder();
    let term: Term | undefined;
    const early: string[] = [];
    const proc = await vm.spawn(
      { ...opts, pty: { rows: opts.rows ?? 24, cols: opts.cols ?? 80 } },
      {
        onStdout: (d) => {
          const s = dec.decode(d, { stream: true });
          if (!term) return void early.push(s);
          term.out += s;
          for (const w of term.changed.splice(0)) w();
        },
      },
    );
    term = new Term(proc);
    term.out = early.join("");
    return term;
  }

  write(s: string): void {
    this.proc.write(s);
  }

  /** Waits until the output after `from` matches; returns the offset just past the match. */
  async waitFor(pattern: RegExp | string, from = 0, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.out.slice(from);
      if (typeof pattern === "string") {
        const i = rest.indexOf(pattern);
        if (i >= 0) return from + i + pattern.length;
      } else {
        const m = pattern.exec(rest);
        if (m) return from + m.index + m[0].length;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${String(pattern)}; got ${JSON.stringify(rest.slice(-400))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.changed.push(() => (clearTimeout(t), r()));
      });
    }
  }

  /** Type a line and wait for the text it should produce. */
  async run(line: string, expect: RegExp | string): Promise<number> {
    const from = this.out.length;
    this.write(line);
    return this.waitFor(expect, from);
  }

  /** The learner's shell: its tty's path, with a prompt that is easy to wait for. */
  static async shell(rows = 24, cols = 80): Promise<{ term: Term; tty: string }> {
    const term = await Term.open({ argv: ["sh"], env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "PS1=$ "], rows, cols });
    const end = await term.run("tty\n", /\/dev\/pts\/\d+/);
    const tty = /\/dev\/pts\/\d+/.exec(term.out.slice(0, end).slice(-20))![0];
    return { term, tty };
  }
}

const sttyOf = async (tty: string) => (await vm.exec(["stty", "-a", "-F", tty])).stdout;

/** Serve `docker attach-test` by attaching to whatever `target()` returns, as the engine will. */
function serveAttach(
  target: () => Promise<GuestProcess> | GuestProcess,
  opts: AttachOptions,
  hooks: { onAttached?: (cmd: GuestCommand) => void; onDetached?: (cmd: GuestCommand) => void } = {},
): void {
  vm.onGuestCommand((cmd) => {
    void (async () => {
      const proc = await target();
      cmd.onDetached(() => {
        hooks.onDetached?.(cmd);
        cmd.exit(0);
      });
      await cmd.attach(proc, opts);
      hooks.onAttached?.(cmd);
      const st = await proc.exited;
      cmd.exit(code(st));
    })().catch((e: unknown) => {
      cmd.write(2, `attach-test: ${e instanceof Error ? e.message : String(e)}\n`);
      cmd.exit(125);
    });
  });
}

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe("attach", () => {
  it("gives a pty process the learner's terminal: echo, size, resize, ^C, ^D and the exit code after all output", async () => {
    const host: string[] = [];
    const dec = new TextDecoder();
    const container = await vm.spawn(
      { argv: ["sh"], pty: { rows: 5, cols: 20 }, env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "PS1=# "] },
      { onStdout: (d) => host.push(dec.decode(d)) },
    );
    const attached = deferred();
    serveAttach(() => container, { stdin: true, rawTty: true }, { onAttached: () => attached.resolve() });
    const { term, tty } = await Term.shell(33, 101);
    term.write("docker attach-test\n");
    await attached.promise;
    expect(await sttyOf(tty)).toMatch(/-icanon/); // raw while attached

    await term.run("echo hi\n", /\r\nhi\r\n/);
    await term.run("stty size\n", /\r\n33 101\r\n/); // the client's size, applied at attach
    expect(host.join("")).toMatch(/33 101/); // the host still gets the process's output

    // A resize of the learner's terminal: SIGWINCH to the docker client, which forwards it;
    // the agent resizes the container's pty and the kernel signals its foreground group.
    await term.run(`sh -c "trap 'echo got-winch' WINCH; while :; do sleep 0.1; done"\n`, "done\"\r\n");
    await sleep(500);
    const from = term.out.length;
    term.proc.resize(40, 120);
    await term.waitFor("got-winch", from);
    await term.run("\x03", "# ");
    await term.run("stty size\n", /\r\n40 120\r\n/);

    const t0 = Date.now();
    await term.run("sleep 100\n", "sleep 100\r\n");
    await sleep(300);
    await term.run("\x03", "# "); // ^C: a byte to the container's pty; its line discipline sends SIGINT
    expect(Date.now() - t0).toBeLessThan(5000);
    await term.run("echo rc=$?\n", /\r\nrc=130\r\n/);

    // Lots of output, then ^D (typed ahead): every line must reach the client before it exits.
    const end = await term.run("seq 1 10000; sh -c 'exit 3'\n\x04", /\r\n10000\r\n/);
    expect(await container.exited).toEqual({ code: 3, signal: null });
    await term.run("echo client-rc=$?\n", /\r\nclient-rc=3\r\n/);
    expect(term.out.slice(0, end)).toMatch(/\r\n9999\r\n10000\r\n/);
    await term.run("stty -a\n", /\nisig icanon /); // restored after the process ended
    term.proc.signal(9);
  });

  it("detaches on Ctrl-P Ctrl-Q: partial matches are delivered, the process runs on, the tty is restored", async () => {
    const host: string[] = [];
    const dec = new TextDecoder();
    const container = await vm.spawn(
      { argv: ["sh"], pty: { rows: 24, cols: 80 }, env: ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "PS1=# "] },
      { onStdout: (d) => host.push(dec.decode(d)) },
    );
    const attached = deferred();
    const detached = deferred();
    serveAttach(
      () => container,
      { stdin: true, rawTty: true },
      { onAttached: () => attached.resolve(), onDetached: () => detached.resolve() },
    );
    const { term } = await Term.shell();
    onTestFailed(() => console.log("container:", JSON.stringify(host.join(""))));
    term.write("docker attach-test\n");
    await attached.promise;
    await term.run("echo before\n", /\r\nbefore\r\n/);
    // ^P then not ^Q: both bytes reach the container (cat -v or the tty's echo shows the ^P).
    await term.run("cat -v\n", "cat -v\r\n");
    await sleep(300);
    await term.run("x\x10y\n", /x\^Py\r\n/);
    await term.run("\x03", "# ");

    term.write("\x10\x11");
    await detached.promise;
    await term.waitFor("$ "); // the client exited; the learner's shell is back
    await term.run("stty -a\n", /\nisig icanon /);
    const still = await Promise.race([container.exited.then(() => "exited"), sleep(500).then(() => "running")]);
    expect(still).toBe("running");

    // Attach again from two terminals at once: both see what either types; exit from one ends both.
    let count = 0;
    const both = deferred();
    serveAttach(() => container, { stdin: true, rawTty: true }, { onAttached: () => ++count === 2 && both.resolve() });
    const other = await Term.shell();
    term.write("docker attach-test\n");
    other.term.write("docker attach-test\n");
    await both.promise;
    const a = term.out.length;
    const b = other.term.out.length;
    await term.run("echo from-one\n", /\r\nfrom-one\r\n/);
    await other.term.waitFor(/\r\nfrom-one\r\n/, b);
    other.term.write("exit 5\n");
    expect(await container.exited).toEqual({ code: 5, signal: null });
    await term.run("echo rc=$?\n", /\r\nrc=5\r\n/);
    await other.term.run("echo rc=$?\n", /\r\nrc=5\r\n/);
    expect(term.out.slice(a)).toMatch(/exit 5/);
    expect(host.join("")).toMatch(/from-one/);
    term.proc.signal(9);
    other.term.proc.signal(9);
  });

  it("relays pipes: stdin to the end, EOF closes it, stdout and stderr apart, back-pressure, exit after all output", async () => {
    const host: Uint8Array[] = [];
    serveAttach(
      () => vm.spawn({ argv: ["sh", "-c", "cat; echo to-stderr >&2; exit 4"] }, { onStdout: (d) => host.push(d) }),
      { stdin: true },
    );
    // The client's stdout is a pipe nobody reads for a second: the agent holds `cat` back
    // (and then the client's stdin) instead of buffering without bound, and loses nothing.
    const r = await vm.exec([
      "sh",
      "-c",
      "set -o pipefail; seq 1 50000 | docker attach-test 2>/tmp/err | (sleep 1; tee /tmp/out | wc -l); echo rc=$?; tail -n 1 /tmp/out; cat /tmp/err",
    ]);
    expect(r.stdout).toBe("50000\nrc=4\n50000\nto-stderr\n");
    const seqBytes = Array.from({ length: 50000 }, (_, i) => `${i + 1}\n`).join("").length;
    expect(host.reduce((n, d) => n + d.length, 0)).toBe(seqBytes); // and the host got it all too
  });

  it("answers errors, detaches on request and restores a killed client's tty", async () => {
    const container = await vm.spawn({ argv: ["sh"], pty: { rows: 24, cols: 80 } });
    const cmdReady = deferred<GuestCommand>();
    vm.onGuestCommand((cmd) => cmdReady.resolve(cmd));
    const { term, tty } = await Term.shell();
    // The sleep keeps the shell from reading its next line (and saving the terminal's mode)
    // while the agent restores the tty of the client killed below.
    term.write("docker attach-test; sleep 2\n");
    const cmd = await cmdReady.promise;

    const err = await cmd.attach({ ...container, id: 0x7ffffff0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AttachError);
    expect((err as AttachError).errno).toBe(3); // ESRCH
    await expect(cmd.attach(container, { detachKeys: new Uint8Array(17) })).rejects.toThrow(/16/);

    await cmd.attach(container, { stdin: true, rawTty: true, detachKeys: parseDetachKeys("ctrl-a,d") });
    await expect(cmd.attach(container)).rejects.toMatchObject({ errno: 16 }); // EBUSY
    expect(await sttyOf(tty)).toMatch(/-icanon/);
    await term.run("echo attached\n", /\r\nattached\r\n/);
    await cmd.detach(); // resolves once the tty is restored
    expect(await sttyOf(tty)).toMatch(/ icanon/);
    await cmd.detach(); // detaching twice is harmless

    // Attached again, then the client is killed: the agent restores its terminal.
    await cmd.attach(container, { stdin: true, rawTty: true });
    expect(await sttyOf(tty)).toMatch(/-icanon/);
    const gonePromise = new Promise<void>((r) => cmd.onGone(r));
    await vm.exec(["sh", "-c", "kill -9 $(pidof docker)"]);
    await gonePromise;
    let mode = await sttyOf(tty);
    for (let i = 0; i < 15 && !/ icanon/.test(mode); i++) mode = await sleep(100).then(() => sttyOf(tty));
    expect(mode).toMatch(/ icanon/);
    await term.waitFor("$ ");
    await term.run("stty -a\n", /\nisig icanon /);
    await expect(cmd.attach(container)).rejects.toBeInstanceOf(AttachError);
    container.signal(9);
    term.proc.signal(9);
  });

  it("measures a keystroke's round trip through an attached client", async () => {
    const container = await vm.spawn({ argv: ["cat"], pty: { rows: 24, cols: 80 } });
    const attached = deferred();
    serveAttach(() => container, { stdin: true, rawTty: true }, { onAttached: () => attached.resolve() });
    const { term } = await Term.shell();
    const measure = async (t: Term, n: number) => {
      const times: number[] = [];
      for (let i = 0; i < n; i++) {
        await sleep(20); // typing pace: the agent batches output read within 2 ms of the last read
        const from = t.out.length;
        const t0 = performance.now();
        t.write("k");
        await t.waitFor("k", from);
        times.push(performance.now() - t0);
      }
      times.sort((x, y) => x - y);
      return { median: times[n >> 1]!, p90: times[Math.floor(n * 0.9)]! };
    };
    // Baseline: the learner's own shell echoing (host -> pty -> host).
    const direct = await measure(term, 40);
    term.write("\x15"); // ^U
    term.write("docker attach-test\n");
    await attached.promise;
    await sleep(200);
    const viaAttach = await measure(term, 40);
    console.log(
      `keystroke round trip: direct pty median ${direct.median.toFixed(1)} ms p90 ${direct.p90.toFixed(1)} ms; ` +
        `attached median ${viaAttach.median.toFixed(1)} ms p90 ${viaAttach.p90.toFixed(1)} ms`,
    );
    expect(viaAttach.median).toBeLessThan(100);
    container.signal(9);
    term.proc.signal(9);
  });
});
