#!/usr/bin/env node
// Runs every test suite in order: unit, integration (real VM in Node), end-to-end
// (Chromium, against the production build). Setup has already run (npm test calls
// scripts/setup.mjs first). Ends with one "N passed, N failed" line over all suites.
import { spawn } from "node:child_process";
import { root } from "./vm/lib.mjs";

const bin = (name) => `${root}/node_modules/.bin/${name}`;
const suites = [
  ["unit tests", bin("vitest"), ["run", "--project", "unit"]],
  ["integration tests (headless VM)", bin("vitest"), ["run", "--project", "integration"]],
  // Playwright's webServer builds the site first and tests the production build.
  ["end-to-end tests (Chromium)", bin("playwright"), ["test"]],
];

// eslint-disable-next-line no-control-regex
const plain = (s) => s.replace(/\u001b\[[0-9;]*m/g, "");

/** Counts from a runner's summary: vitest "Tests  2 failed | 5 passed (7)", playwright "  5 passed (3s)". */
function counts(text) {
  const t = plain(text);
  const vitest = t.match(/^\s*Tests\s+(.*)$/m);
  const line = vitest ? vitest[1] : t.split("\n").filter((l) => /^\s+\d+ (passed|failed|flaky|skipped)/.test(l)).join(" ");
  const n = (word) => Number(line.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
  return { passed: n("passed"), failed: n("failed") + n("flaky"), skipped: n("skipped") };
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : "1" } });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on("data", (d) => process.stderr.write(d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

const total = { passed: 0, failed: 0, skipped: 0 };
const failedSuites = [];
for (const [name, cmd, args] of suites) {
  console.log(`\n=== ${name}`);
  const t = Date.now();
  const { code, out } = await run(cmd, args);
  const c = counts(out);
  for (const k of Object.keys(total)) total[k] += c[k];
  if (code !== 0) {
    failedSuites.push(name);
    if (!c.failed) total.failed++; // the suite failed without naming a test (a crash, a build error)
  }
  console.log(`=== ${name}: ${code === 0 ? "ok" : "FAILED"} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}
if (failedSuites.length) console.error(`\nFailed: ${failedSuites.join(", ")}`);
console.log(`\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`);
process.exit(failedSuites.length ? 1 : 0);
