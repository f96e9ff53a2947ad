// Lesson checks, resets and the command history against the real VM and engine: every
// check kind fails with a hint that says what is really there, then passes once the
// learner's commands (run as the guest's own `docker`, not internal) made it true.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Daemon } from "../engine/daemon";
import { tearDown } from "../engine/testing/tear-down";
import { startNodeEngine } from "../engine/node";
import { bootNodeVm } from "../sandbox/node";
import type { Vm } from "../sandbox/vm";
import { EngineLessonRuntime } from "./engine-runtime";
import type { RuntimeLesson } from "./runtime-types";
import type { Check } from "./schema";

let vm: Vm;
let daemon: Daemon;
let runtime: EngineLessonRuntime;
let dataDir: string;

/** As the learner types it: the guest's docker, recorded in the history. */
const sh = (script: string) => vm.exec(["sh", "-c", script], { cwd: "/workspace", timeoutMs: 120000 });

const lesson = (checks: Check[], extra: Partial<RuntimeLesson> = {}): RuntimeLesson => ({
  id: "t",
  setup: [],
  start: {},
  solution: {},
  steps: [{ id: "only", title: "only", checks, hints: [], solution: [] }],
  ...extra,
});

/** One result per check, in order: the hint of a failure, or "ok". */
async function outcome(checks: Check[]): Promise<string[]> {
  const [step] = await runtime.check(lesson(checks));
  return step!.checks.map((c) => (c.ok ? "ok" : c.hint!));
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "berth-checks-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir });
  runtime = new EngineLessonRuntime(daemon, vm);
});

afterAll(async () => {
  await tearDown(vm, daemon, dataDir);
});

describe("lesson checks", () => {
  it("container checks say what the container really is", async () => {
    await runtime.reset(lesson([]));
    const web: Check = { container: { name: "web", state: "running" } };
    expect(await outcome([web])).toEqual(["No container named web exists (docker ps -a does not list it)"]);
    await sh("docker run --name web -l tier=front busybox sh -c 'exit 3'");
    expect(
      await outcome([
        web,
        { container: { name: "web", state: "exited", exitCode: 3, label: { tier: "front" }, image: "busybox:latest" } },
        { container: { name: "web", exitCode: 0 } },
        { container: { image: "nginx" } },
        { container: { image: "busybox", state: "running" } },
        { noContainer: { name: "web" } },
        { noContainer: { image: "nginx" } },
        { container: { name: "web", state: "running" }, hint: "Start it with docker start web" },
      ]),
    ).toEqual([
      "No container named web is running (it is exited with code 3)",
      "ok",
      "No container named web exited with code 0 (it exited with code 3)",
      "No container from nginx exists (docker ps -a lists others only)",
      "No container from busybox is running (web is exited with code 3)",
      "A container named web still exists: web (exited with code 3)",
      "ok",
      "Start it with docker start web",
    ]);
  });

  it("image checks read the image's config and labels", async () => {
    const mine: Check = { image: { ref: "mine:v1", label: { made: "here" }, config: { Cmd: ["echo", "hi"], Env: ["GREETING=hi"], ExposedPorts: ["8080"] } } };
    expect(await outcome([mine, { noImage: { ref: "mine:v1" } }])).toEqual(["There is no image mine:v1 (docker images does not list it)", "ok"]);
    await sh(`docker commit -c 'LABEL made=here' -c 'ENV GREETING=hi' -c 'CMD ["echo","hi"]' web mine:v1`);
    const [withoutPort, gone] = await outcome([mine, { noImage: { ref: "mine:v1" } }]);
    expect(withoutPort).toBe("The image mine:v1 is not as asked: it does not expose 8080");
    expect(gone).toMatch(/^The image mine:v1 is still there \(ID [0-9a-f]{12}\); docker images lists it$/);
    expect(await outcome([{ image: { ref: "mine:v1", label: { made: "elsewhere" } } }, { image: { ref: "mine:v1", config: { Cmd: ["sh"] } } }])).toEqual([
      "The image mine:v1 lacks the label made=elsewhere (it has made=here)",
      'The image mine:v1 is not as asked: its Cmd is ["echo","hi"], not ["sh"]',
    ]);
  });

  it("file, ran and shell checks", async () => {
    await vm.fs.write("notes/a.txt", "first line\nsecond line\n");
    expect(
      await outcome([
        { file: { path: "notes/a.txt", contains: "second", matches: "^first line$" } },
        { file: { path: "notes/a.txt", contains: "third" } },
        { file: { path: "notes/b.txt" } },
        { ran: { command: "docker run --name web" } },
        { ran: { command: "docker run -it" } },
        { shell: { script: "test -f notes/a.txt" } },
        { shell: { script: "echo 'web is not serving yet' >&2; exit 1" } },
        { shell: { script: "exit 4" } },
      ]),
    ).toEqual([
      "ok",
      'notes/a.txt does not contain "third"',
      "There is no file notes/b.txt in the workspace",
      "ok",
      "You have not run `docker run -it` in the terminal yet",
      "ok",
      "web is not serving yet",
      "The check's script exited with code 4",
    ]);
    // A shell check's own docker commands are not the learner's.
    expect(await outcome([{ shell: { script: "docker ps >/dev/null" } }, { ran: { command: "docker ps" } }])).toEqual([
      "ok",
      "You have not run `docker ps` in the terminal yet",
    ]);
    // A docker error (exit 125) does not count as having run the command.
    await sh("docker run -it --nosuchflag busybox");
    expect(await outcome([{ ran: { command: "docker run -it" } }])).toEqual(["You have not run `docker run -it` in the terminal yet"]);
  });
});

describe("lesson reset", () => {
  it("on a first visit keeps the learner's files: adds missing start files, removes and overwrites nothing", async () => {
    await sh("docker run -d --name mine busybox sleep 1000 && echo mine > notes.txt && mkdir -p app && echo edited > app/main.sh");
    await runtime.reset(lesson([], { start: { "app/main.sh": "echo start\n", "README.md": "hello\n" } }), { keepFiles: true });
    expect((await sh("docker ps -aq")).stdout).toBe("");
    const read = async (p: string) => new TextDecoder().decode(await vm.fs.read(p));
    expect([await read("notes.txt"), await read("app/main.sh"), await read("README.md")]).toEqual(["mine\n", "edited\n", "hello\n"]);
  });

  it("puts containers, images, workspace and history back, then runs the setup", async () => {
    await sh("docker run -d --name busy busybox sleep 1000 && docker tag busybox mybox:1 && docker commit busy snap && echo x > extra.txt");
    const start = { "app/main.sh": "echo start\n", "README.md": "hello\n" };
    const l = lesson([], { start, setup: ["docker run -d --name prepared busybox sleep 1000", "echo made > setup.txt"] });
    const t0 = performance.now();
    await runtime.reset(l);
    console.log(`lesson reset: ${Math.round(performance.now() - t0)} ms`);
    expect((await sh("docker ps -a --format '{{.Names}} {{.State}}'")).stdout).toBe("prepared running\n");
    const images = (await sh("docker images --format '{{.Repository}}:{{.Tag}}'")).stdout.trim().split("\n");
    expect(images).toContain("busybox:latest");
    expect(images.filter((i) => /^(mybox|snap|mine)/.test(i))).toEqual([]);
    expect((await vm.fs.list()).map((e) => e.path).sort()).toEqual(["README.md", "app", "app/main.sh", "setup.txt"]);
    expect(new TextDecoder().decode(await vm.fs.read("app/main.sh"))).toBe("echo start\n");
    // The setup's docker run is the lesson's, not the learner's; the old history is gone.
    expect(daemon.history.entries().filter((e) => e.argv[1] !== "ps" && e.argv[1] !== "images")).toEqual([]);
  });

  it("a failing setup command says which and why", async () => {
    await expect(runtime.reset(lesson([], { setup: ["docker run --rm nosuchimage"] }))).rejects.toThrow(/setup command `docker run --rm nosuchimage` exited with code 125:\n.*nosuchimage/);
  });
});

describe("state changes", () => {
  it("calls back after engine events and workspace changes, not after a check's own docker exec", async () => {
    await runtime.reset(lesson([], { setup: ["docker run -d --name idle busybox sleep 1000"] }));
    let calls = 0;
    const settle = () => new Promise((r) => setTimeout(r, 800));
    // The reset's own workspace writes and events are not this test's.
    await settle();
    const off = runtime.onStateChange(() => calls++);
    await outcome([{ shell: { script: "docker exec idle true" } }]);
    await settle();
    expect(calls).toBe(0);
    await sh("docker stop -t 0 idle >/dev/null");
    await settle();
    // Debounced: the stop's kill/die/stop events usually make one call; a slow VM may make two.
    expect(calls).toBeGreaterThanOrEqual(1);
    const afterStop = calls;
    await vm.fs.write("touched.txt", "x");
    await settle();
    expect(calls).toBeGreaterThan(afterStop);
    off();
  });
});
