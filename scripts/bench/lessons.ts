// Lesson figures (issue 4) in Node: how long one lesson's checks take to answer, and how
// long "Reset lesson" takes to bring a used lesson back to its start. Every lesson and
// drill under content/ is measured; the figures are medians over them. Prints one JSON
// object on the last line.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./stats";
import { startNodeEngine } from "../../src/engine/node";
import { readContentDir } from "../../src/lessons/content-fs";
import { EngineLessonRuntime } from "../../src/lessons/engine-runtime";
import { loadCourse } from "../../src/lessons/loader";
import { bootNodeVm } from "../../src/sandbox/node";
import { root } from "../vm/lib.mjs";

const round = (x: number) => Math.round(x * 10) / 10;
const course = loadCourse(readContentDir(join(root, "content")), { label: "content", assetRoot: "/" });
const lessons = [...course.parts.flatMap((p) => p.lessons), ...course.drills];
const dataDir = mkdtempSync(join(tmpdir(), "berth-bench-lessons-"));
const vm = await bootNodeVm();
const runtime = new EngineLessonRuntime(await startNodeEngine(vm, { dataDir }), vm);

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

const checks: number[] = [];
const resets: number[] = [];
for (const lesson of lessons) {
  // The first reset pulls what the setup needs and warms the JIT, as opening the lesson would.
  await runtime.reset(lesson);
  for (let i = 0; i < 5; i++) checks.push(await timed(() => runtime.check(lesson)));
  // Use the lesson as a learner would (without a terminal, so `-it` commands just fail),
  // then time the reset back to its start.
  for (const cmd of lesson.steps.flatMap((s) => s.solution)) {
    await vm.exec(["sh", "-c", cmd], { cwd: "/workspace", timeoutMs: 120000 });
  }
  const reset = await timed(() => runtime.reset(lesson));
  if (reset > 1500) process.stderr.write(`bench-lessons: ${lesson.id}: reset took ${round(reset)} ms\n`);
  resets.push(reset);
}
await vm.destroy();
rmSync(dataDir, { recursive: true, force: true });

// The slowest lesson matters to a learner too: say it beside the medians.
process.stderr.write(`bench-lessons: slowest check ${round(Math.max(...checks))} ms, slowest reset ${round(Math.max(...resets))} ms over ${lessons.length} lessons and drills\n`);
console.log(JSON.stringify({ check_ms: round(median(checks)), lesson_reset_ms: round(median(resets)) }));
process.exit(0);
