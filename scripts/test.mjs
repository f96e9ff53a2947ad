#!/usr/bin/env node
// Runs every test suite in order: unit, integration (real VM in Node), end-to-end
// (Chromium). Setup has already run (npm test calls scripts/setup.mjs first).
import { spawnSync } from "node:child_process";
import { root } from "./vm/lib.mjs";

const bin = (name) => `${root}/node_modules/.bin/${name}`;
const suites = [
  ["unit tests", bin("vitest"), ["run", "--project", "unit"]],
  ["integration tests (headless VM)", bin("vitest"), ["run", "--project", "integration"]],
  // Playwright's webServer builds the site first and tests the production build.
  ["end-to-end tests (Chromium)", bin("playwright"), ["test"]],
];

const failed = [];
for (const [name, cmd, args] of suites) {
  console.log(`\n=== ${name}`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, FORCE_COLOR: process.env.CI ? "0" : "1" } });
  console.log(`=== ${name}: ${r.status === 0 ? "ok" : "FAILED"} in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  if (r.status !== 0) failed.push(name);
}
if (failed.length) {
  console.error(`\nFailed: ${failed.join(", ")}`);
  process.exit(1);
}
console.log("\nAll test suites passed.");
