// Boots the guest cold in Node until the agent reports ready, saves the machine state
// and compresses it with zstd. The browser and Node restore from this file.
// usage: tsx scripts/vm/snapshot.ts OUT_FILE
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { bootNodeVm } from "../../src/sandbox/node";

const out = process.argv[2];
if (!out) throw new Error("usage: snapshot.ts OUT_FILE");

const t0 = performance.now();
const vm = await bootNodeVm({ forceColdBoot: true });
console.log(`  cold boot to agent ready: ${Math.round(performance.now() - t0)} ms`);
// Freed page cache compresses to nothing.
await vm.exec(["sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches"]);
const state = new Uint8Array(await vm.v86.save_state());
await vm.destroy();

mkdirSync(dirname(out), { recursive: true });
const tmp = `${out}.${process.pid}.tmp`;
const raw = `${tmp}.raw`;
writeFileSync(raw, state);
const z = spawnSync("zstd", ["-q", "-f", "-19", "-T0", raw, "-o", tmp], { stdio: "inherit" });
rmSync(raw);
if (z.status !== 0) throw new Error("FAILED: zstd");
const packed = readFileSync(tmp);
writeFileSync(`${out}.sha256`, createHash("sha256").update(packed).digest("hex") + "\n");
renameSync(tmp, out);
console.log(`  state ${(state.length / 1e6).toFixed(1)} MB raw, ${(packed.length / 1e6).toFixed(1)} MB zstd`);
process.exit(0);
