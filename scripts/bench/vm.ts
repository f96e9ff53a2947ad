// Node-side figures of the foundation: boot, restore, agent spawn and crun run.
// Prints one JSON object on the last line.
import { statSync } from "node:fs";
import { artifacts } from "../vm/lib.mjs";
import { median } from "./stats";
import { bootNodeVm } from "../../src/sandbox/node";
import { CRUN_ENVIRONMENT, createBundle, prepareBusyboxLayer } from "../../test/support/busybox-bundle";

const round = (x: number) => Math.round(x * 10) / 10;

async function readyMs(forceColdBoot: boolean): Promise<number> {
  const t0 = performance.now();
  const vm = await bootNodeVm({ forceColdBoot });
  const ms = performance.now() - t0;
  await vm.destroy();
  return ms;
}

const cold: number[] = [];
for (let i = 0; i < 3; i++) cold.push(await readyMs(true));
const restore: number[] = [];
for (let i = 0; i < 5; i++) restore.push(await readyMs(false));

const vm = await bootNodeVm();
for (let i = 0; i < 5; i++) await vm.exec(["/bin/true"]); // warm the JIT like a learner's first commands do
const spawn: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  await vm.exec(["/bin/true"]);
  spawn.push(performance.now() - t);
}

await prepareBusyboxLayer(vm);
// Lower layer in guest RAM, as the spike measured and as image layers are served once used.
const bundle = await createBundle(vm, "bench", ["true"], {}, { lower: "ram" });
// v86's JIT compiles a code path after it has run a few times: the first ten runs in a
// fresh VM measure that warm-up (reported as crun_run_true_cold_jit_ms), the next ten the
// steady state the figure asks for.
const crunRuns: number[] = [];
for (let i = 0; i < 20; i++) {
  const t = performance.now();
  const r = await vm.exec(["crun", "run", "--bundle", bundle, `bench${i}`], { env: CRUN_ENVIRONMENT });
  if (r.code !== 0) throw new Error(`crun run failed: ${r.stderr}`);
  crunRuns.push(performance.now() - t);
}
await vm.destroy();

console.log(
  JSON.stringify({
    vm_cold_boot_ms: round(median(cold)),
    vm_restore_ms: round(median(restore)),
    agent_exec_true_ms: round(median(spawn)),
    crun_run_true_ms: round(median(crunRuns.slice(10))),
    crun_run_true_cold_jit_ms: round(median(crunRuns.slice(0, 10))),
    snapshot_bytes: statSync(artifacts().snapshot).size,
  }),
);
process.exit(0);
