// Engine figures (issue 3): the typed path guest `docker` client → agent → engine → crun,
// in Node. Prints one JSON object on the last line.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./stats";
import { bootNodeVm } from "../../src/sandbox/node";
import { ContentStore } from "../../src/engine/content/content-store";
import { ImageStore } from "../../src/engine/images/image-store";
import { startNodeEngine } from "../../src/engine/node";
import { FsStorage } from "../../src/engine/store/fs-storage";

const round = (x: number) => Math.round(x * 10) / 10;
const dataDir = mkdtempSync(join(tmpdir(), "berth-bench-"));
const vm = await bootNodeVm();
await startNodeEngine(vm, { dataDir });

async function timed(script: string): Promise<number> {
  const t = performance.now();
  const r = await vm.exec(["sh", "-c", script], { timeoutMs: 120000 });
  if (r.code !== 0) throw new Error(`${script} failed (${r.code}): ${r.stderr}`);
  return performance.now() - t;
}

await timed("docker pull -q busybox && docker pull -q nginx");
// The first runs unpack the layers into guest RAM and warm v86's JIT, as a learner's first
// commands do; the figures are the steady state after them.
for (let i = 0; i < 10; i++) await timed("docker run --rm busybox true");
const runTrue: number[] = [];
for (let i = 0; i < 10; i++) runTrue.push(await timed("docker run --rm busybox true"));

const runD: number[] = [];
for (let i = 0; i < 10; i++) runD.push(await timed(`docker run -d --name s${i} busybox sleep 1000`));
const execTrue: number[] = [];
for (let i = 0; i < 3; i++) await timed("docker exec s0 true");
for (let i = 0; i < 10; i++) execTrue.push(await timed("docker exec s0 true"));
const ps: number[] = [];
for (let i = 0; i < 10; i++) ps.push(await timed("docker ps"));
await timed("docker rm -f $(docker ps -aq)");

// nginx: run it, then poll its port from the guest until the welcome page comes back.
await timed("docker run -d --name warm nginx && docker rm -f warm");
const tn = performance.now();
await timed("docker run -d --name web nginx");
const ip = (await vm.exec(["sh", "-c", "docker inspect -f '{{.NetworkSettings.IPAddress}}' web"])).stdout.trim();
for (;;) {
  const r = await vm.exec(["sh", "-c", `curl -s -m 1 http://${ip}/ | grep -q "Welcome to nginx"`]);
  if (r.code === 0) break;
  if (performance.now() - tn > 60000) {
    const why = await vm.exec(["sh", "-c", `curl -sS -m 2 -o /dev/null http://${ip}/; docker ps -a; ip -br link; ls /run/netns; docker logs web 2>&1 | tail -5`]);
    throw new Error(`nginx at '${ip}' did not answer within 60 s:\n${why.stdout}${why.stderr}`);
  }
}
const nginxReady = performance.now() - tn;
await vm.destroy();

// A cold open of the image store: a fresh process-level object over the same directory.
const ts = performance.now();
const storage = new FsStorage(dataDir);
const images = await ImageStore.open(storage, new ContentStore(storage));
images.list();
const storeLoad = performance.now() - ts;
rmSync(dataDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    docker_run_true_ms: round(median(runTrue)),
    docker_run_d_ms: round(median(runD)),
    docker_exec_true_ms: round(median(execTrue)),
    docker_ps_ms: round(median(ps)),
    nginx_ready_ms: round(nginxReady),
    image_store_load_ms: round(storeLoad),
  }),
);
process.exit(0);
