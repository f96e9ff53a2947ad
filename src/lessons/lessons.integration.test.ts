// The lesson harness: every lesson and drill under content/, on one real VM and engine.
// For each: reset (its setup runs), every check of every step must FAIL on the untouched
// start; then the solution/ files go into the workspace and each step's solution commands
// are typed, in order, into one shell on a terminal (as the learner would, so `docker run
// -it` and the commands typed inside it work), and that step's checks must PASS.
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Daemon } from "../engine/daemon";
import { startNodeEngine } from "../engine/node";
import { tearDown } from "../engine/testing/tear-down";
import { DEFAULT_ENV } from "../sandbox/env";
import { bootNodeVm } from "../sandbox/node";
import type { GuestProcess } from "../sandbox/types";
import type { Vm } from "../sandbox/vm";
import { readContentDir } from "./content-fs";
import { EngineLessonRuntime } from "./engine-runtime";
import { loadCourse } from "./loader";
import type { StepResult } from "./runtime-types";
import type { Lesson } from "./schema";

// BERTH_CONTENT runs another content folder (an instructor's pack); BERTH_LESSON=id,id only those lessons.
const CONTENT = process.env.BERTH_CONTENT ?? fileURLToPath(new URL("../../content", import.meta.url));
const course = loadCourse(readContentDir(CONTENT), { label: "content", assetRoot: "/" });
const only = process.env.BERTH_LESSON?.split(",");
const lessons: Lesson[] = [...course.parts.flatMap((p) => p.lessons), ...course.drills].filter((l) => !only || only.includes(l.id));

/** A solution command may pull and unpack debian the first time in a boot. */
const COMMAND_TIMEOUT_MS = 180_000;
/** No terminal output for this long: the typed line has been read. */
const QUIET_MS = 300;

let vm: Vm;
let runtime: EngineLessonRuntime;
let dataDir: string;
let daemon: Daemon;
const timings = { reset: [] as number[], check: [] as number[] };

/**
 * A shell on a terminal that commands are typed into. After each command it types an echo
 * of a marker and waits for it: the marker runs wherever the typing lands (the VM's shell,
 * or a container's shell that the command opened), so it also waits out `docker run -it`.
 */
class TypedShell {
  private out = "";
  private n = 0;
  private waiter: (() => void) | undefined;

  private constructor(private readonly proc: GuestProcess) {}

  static async open(vm: Vm): Promise<TypedShell> {
    let shell: TypedShell | undefined;
    const dec = new TextDecoder();
    const proc = await vm.spawn(
      { argv: ["sh"], cwd: "/workspace", env: DEFAULT_ENV, pty: { rows: 50, cols: 200 } },
      {
        onStdout: (d) => {
          shell!.out += dec.decode(d, { stream: true });
          shell!.waiter?.();
        },
      },
    );
    shell = new TypedShell(proc);
    await shell.type("true");
    return shell;
  }

  /** Types `command` and Enter; resolves with what the terminal showed meanwhile. */
  async type(command: string): Promise<string> {
    const from = this.out.length;
    const deadline = Date.now() + COMMAND_TIMEOUT_MS;
    const fail = () => new Error(`\`${command}\` did not finish within ${COMMAND_TIMEOUT_MS / 1000} s; the terminal showed:\n${this.out.slice(from)}`);
    this.proc.write(`${command}\n`);
    // Type the marker only once the terminal is quiet: the shell's line editor has taken
    // the command line by then, so the marker goes to whatever reads next (the same shell,
    // or the container's shell that `docker run -it` opened).
    for (let seen = -1; seen !== this.out.length; ) {
      if (Date.now() > deadline) throw fail();
      seen = this.out.length;
      await new Promise((r) => setTimeout(r, QUIET_MS));
    }
    const tag = `BERTH_TYPED_${++this.n}`;
    // Quoted in the typed line, so the terminal's echo of it never reads as the marker.
    this.proc.write(`echo "${tag.slice(0, 6)}""${tag.slice(6)}=$?"\n`);
    const done = new RegExp(`^${tag}=\\d+`, "m");
    while (!done.test(this.out.slice(from))) {
      if (Date.now() > deadline) throw fail();
      await new Promise<void>((r) => {
        this.waiter = r;
        setTimeout(r, 1000);
      });
    }
    return this.out.slice(from);
  }

  close(): void {
    this.proc.signal(9, true);
  }
}

/** Failed checks in words, for assertion messages. */
function failures(results: StepResult[]): string[] {
  return results.flatMap((s) => s.checks.filter((c) => !c.ok).map((c) => `${s.stepId}: ${JSON.stringify(c.check)} → ${c.hint}`));
}

async function timed<T>(into: number[], f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await f();
  into.push(performance.now() - t0);
  return r;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "berth-lessons-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir });
  runtime = new EngineLessonRuntime(daemon, vm);
});

afterAll(async () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  console.log(`lessons: reset median ${Math.round(median(timings.reset))} ms, checks median ${Math.round(median(timings.check))} ms`);
  await tearDown(vm, daemon, dataDir);
});

it("the course has lessons and drills", () => {
  expect(existsSync(join(CONTENT, "course.yaml"))).toBe(true);
  expect(course.parts.flatMap((p) => p.lessons).length).toBeGreaterThan(0);
});

describe.each(lessons.map((l) => [l.file, l] as const))("%s", (_file, lesson) => {
  it("every check fails at the start, and each step's solution makes its checks pass", async () => {
    await timed(timings.reset, () => runtime.reset(lesson));
    const start = await timed(timings.check, () => runtime.check(lesson));
    const passedAtStart = start.flatMap((s) => s.checks.filter((c) => c.ok).map((c) => `${s.stepId}: ${JSON.stringify(c.check)}`));
    expect(passedAtStart, "checks that already pass on the untouched start state").toEqual([]);

    for (const [path, text] of Object.entries(lesson.solution)) await vm.fs.write(path, text);
    const shell = await TypedShell.open(vm);
    try {
      for (const [i, step] of lesson.steps.entries()) {
        let transcript = "";
        for (const cmd of step.solution) transcript += await shell.type(cmd);
        const results = await timed(timings.check, () => runtime.check(lesson));
        expect(failures([results[i]!]), `step ${step.id} after its solution; the terminal showed:\n${transcript}`).toEqual([]);
      }
    } finally {
      shell.close();
    }
  }, 600_000);
});
