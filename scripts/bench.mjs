#!/usr/bin/env node
// `npm run bench`: measures the figures the issues name and prints a table; with --json
// the last line is one JSON object with every key.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { root } from "./vm/lib.mjs";

const json = process.argv.includes("--json");
const TARGETS = {
  vm_cold_boot_ms: ["Node: new emulator → agent ready, no snapshot", 4000],
  vm_restore_ms: ["Node: new emulator with snapshot → agent ready", 500],
  agent_exec_true_ms: ["median of 20 spawns of /bin/true through the agent", 30],
  crun_run_true_ms: ["median of 10 crun run of busybox true", 300],
  browser_time_to_shell_ms: ["Chromium, cold cache: navigation → prompt", 3000],
  browser_time_to_shell_warm_ms: ["Chromium, second load: navigation → prompt", 1500],
  snapshot_bytes: ["compressed snapshot size", 16 * 1024 * 1024],
  docker_run_true_ms: ["median of 10 docker run --rm busybox true, guest CLI → engine → crun", 400],
  docker_run_d_ms: ["docker run -d busybox sleep 1000 → command returns", 400],
  docker_exec_true_ms: ["median docker exec C true", 250],
  docker_ps_ms: ["median docker ps with 10 containers", 100],
  nginx_ready_ms: ["docker run -d nginx → nginx answers on its port in the VM", 3000],
  image_store_load_ms: ["Node: open the image store and list images, cold", 200],
  page_transfer_bytes: ["bytes fetched before the first prompt, cold", 25 * 1024 * 1024],
  check_ms: ["Node: median time for one lesson's checks to answer (every lesson and drill)", 300],
  lesson_reset_ms: ["Node: Reset lesson after using it → start state restored and setup run (median over lessons)", 1500],
  lesson_open_ms: ["Chromium: click a lesson → its text, editor files and an idle terminal prompt (first visit, so its reset too)", 800],
};

function runJson(label, cmd, args) {
  process.stderr.write(`bench: ${label}...\n`);
  const r = spawnSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const last = r.stdout.trim().split("\n").at(-1) ?? "";
  if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}):\n${r.stdout}`);
  return JSON.parse(last);
}

const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
const results = { ...runJson("VM in Node", process.execPath, [tsx, "scripts/bench/vm.ts"]) };
Object.assign(results, runJson("docker in Node", process.execPath, [tsx, "scripts/bench/docker.ts"]));
Object.assign(results, runJson("lessons in Node", process.execPath, [tsx, "scripts/bench/lessons.ts"]));
if (!existsSync(join(root, "dist/index.html")) || !process.argv.includes("--no-build")) {
  const b = spawnSync(join(root, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (b.status !== 0) throw new Error("vite build failed");
}
Object.assign(results, runJson("page in Chromium", process.execPath, [tsx, "e2e/bench-browser.ts"]));

const rows = Object.entries(TARGETS).map(([key, [what, target]]) => {
  const v = results[key];
  const ok = typeof v === "number" && v <= target;
  return [key, v === undefined ? "-" : String(v), `≤ ${target}`, ok ? "ok" : "MISS", what];
});
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
console.log(["key", "value", "target", "status"].map((h, i) => h.padEnd(widths[i])).join("  "));
for (const r of rows) console.log(r.slice(0, 4).map((c, i) => c.padEnd(widths[i])).join("  ") + "  " + r[4]);
if (json) console.log(JSON.stringify(results));
