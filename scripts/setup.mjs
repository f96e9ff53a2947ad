#!/usr/bin/env node
// One step for a fresh clone: installs npm packages, the machine's Debian packages and
// builds the VM (cached). `npm start` and `npm test` run this first.
// usage: node scripts/setup.mjs [--for-tests]
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { ensureApt } from "./setup/apt.mjs";
import { root } from "./vm/lib.mjs";

const forTests = process.argv.includes("--for-tests");
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`Berth needs Node 20.19 or newer (this is ${process.version}).`);
  process.exit(1);
}

function step(name, fn) {
  try {
    fn();
  } catch (e) {
    console.error(`\nSetup failed at "${name}": ${e.message}`);
    process.exit(1);
  }
}

step("npm packages", () => {
  const stamp = join(root, "node_modules/.package-lock.json");
  const lock = join(root, "package-lock.json");
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log("Installing npm packages (npm ci)...");
  const r = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
    // Browsers come from Debian, never from a download.
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" },
  });
  if (r.status !== 0) throw new Error("npm ci failed");
});

if (forTests) {
  step("test tools", () => ensureApt(["chromium"]));
}

step("VM", () => {
  const r = spawnSync(process.execPath, [join(root, "scripts/vm/build.mjs")], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error("the VM build failed (see above)");
});
