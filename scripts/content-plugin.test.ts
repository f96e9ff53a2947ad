// A bad lesson fails the Vite build and `npm run pack`, and both name the file and field.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "vite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { berthContent } from "./content-plugin.mjs";

const repo = resolve(import.meta.dirname, "..");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "berth-bad-content-"));
  mkdirSync(join(dir, "content/a-part/l1"), { recursive: true });
  writeFileSync(join(dir, "content/course.yaml"), '- id: a-part\n  title: "A part"\n  lessons: [l1]\n');
  // minutes is a word, and the step has no checks.
  writeFileSync(
    join(dir, "content/a-part/l1/lesson.md"),
    '---\ntitle: "One"\ngoal: "Do it"\nminutes: ten\nsteps:\n  - id: s1\n    title: "Step"\n    solution: ["true"]\nquiz: []\n---\n# One\n',
  );
  writeFileSync(join(dir, "index.html"), '<script type="module">import { course } from "virtual:berth-course"; console.log(course);</script>\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("fails the build, naming the lesson file and the field", async () => {
  const run = build({ root: dir, logLevel: "silent", configFile: false, plugins: [berthContent()], build: { outDir: join(dir, "dist"), write: false } });
  await expect(run).rejects.toThrow(/content\/a-part\/l1\/lesson\.md: minutes: /);
  await expect(run).rejects.toThrow(/content\/a-part\/l1\/lesson\.md: steps\[0\]\.checks/);
}, 60_000);

it("npm run pack refuses it the same way", () => {
  const r = spawnSync(process.execPath, [join(repo, "scripts/pack.mjs"), join(dir, "content"), join(dir, "out")], { encoding: "utf8" });
  expect(r.status).toBe(1);
  expect(r.stderr).toMatch(/lesson\.md: minutes: /);
}, 60_000);
