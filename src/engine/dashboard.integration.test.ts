// The page's Docker panel API over the real engine and VM: what it lists is what `docker`
// in the guest sees, it updates from the engine's events, and its actions are real.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootNodeVm } from "../sandbox/node";
import type { Vm } from "../sandbox/vm";
import { Dashboard, type DashboardState } from "./dashboard";
import type { Daemon } from "./daemon";
import { tearDown } from "./testing/tear-down";
import { startNodeEngine } from "./node";

let vm: Vm;
let dashboard: Dashboard;
let dataDir: string;
let daemon: Daemon;

const sh = (script: string, timeoutMs = 60000) => vm.exec(["sh", "-c", script], { timeoutMs });

/** Resolves with the first pushed state that satisfies `ok`. */
function nextState(ok: (s: DashboardState) => boolean, timeoutMs = 30000): Promise<DashboardState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error("no matching dashboard update"));
    }, timeoutMs);
    const off = dashboard.subscribe((s) => {
      if (!ok(s)) return;
      clearTimeout(timer);
      off();
      resolve(s);
    });
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "berth-dashboard-"));
  vm = await bootNodeVm();
  daemon = await startNodeEngine(vm, { dataDir });
  dashboard = new Dashboard(daemon);
}, 60000);

afterAll(async () => {
  await tearDown(vm, daemon, dataDir);
});

describe("the dashboard", () => {
  it("starts empty and lists the offline set", async () => {
    expect(await dashboard.state()).toEqual({ containers: [], images: [], events: [] });
    expect(await dashboard.available()).toEqual(expect.arrayContaining(["busybox:latest", "nginx:latest", "debian:bookworm-slim"]));
  });

  it("follows a container started in the guest, live", async () => {
    const running = nextState((s) => s.containers.some((c) => c.name === "dash" && c.state.Running));
    const run = await sh("docker run -d --name dash busybox sleep 1000");
    expect(run.code).toBe(0);
    const s = await running;
    const c = s.containers.find((c) => c.name === "dash")!;
    expect(c).toMatchObject({ id: run.stdout.trim(), image: "busybox", command: "sleep 1000", ports: "", state: { Status: "running", Running: true } });
    expect(s.images).toEqual([expect.objectContaining({ tag: "busybox:latest", containers: 1 })]);
    expect(s.images).toContainEqual(expect.objectContaining({ tag: "busybox:latest" }));
    // Newest first: the pull, then create and start.
    expect(s.events.map((e) => `${e.type} ${e.action} ${e.subject}`)).toEqual(
      expect.arrayContaining(["container start dash", "container create dash", "image pull busybox:latest"]),
    );
    expect(s.events[0]!.time).toBeGreaterThanOrEqual(s.events.at(-1)!.time);
  }, 60000);

  it("stops, starts and removes, and docker ps agrees", async () => {
    // dockerd's order: kill, die, network disconnect, then stop once the stop is complete.
    const stopped = nextState((s) => s.containers.some((c) => c.name === "dash" && c.state.Status === "exited") && s.events[0]?.action === "stop");
    await dashboard.stop("dash");
    const s = await stopped;
    expect(s.events[0]).toMatchObject({ type: "container", action: "stop", subject: "dash" });
    expect((await sh("docker ps -a --format '{{.Names}} {{.State}}'")).stdout).toBe("dash exited\n");

    await dashboard.start("dash");
    expect((await sh("docker ps --format '{{.Names}} {{.State}}'")).stdout).toBe("dash running\n");

    const gone = nextState((s) => s.containers.length === 0);
    await dashboard.remove("dash");
    await gone;
    expect((await sh("docker ps -aq")).stdout).toBe("");
  }, 60000);

  it("pulls and removes images, with Docker's errors", async () => {
    await dashboard.pull("busybox:latest");
    await dashboard.pull("busybox:1.35");
    expect((await dashboard.state()).images.map((i) => i.tag).sort()).toEqual(["busybox:1.35", "busybox:latest"]);
    await expect(dashboard.pull("nosuch")).rejects.toThrow(/nosuch/);
    const created = await sh("docker create --name keep busybox");
    expect(created.stderr).toBe("");
    await dashboard.removeImage("busybox:1.35");
    await expect(dashboard.removeImage("busybox:latest")).rejects.toThrow(/container .* is using its referenced image|image is being used by stopped container/);
    expect((await sh("docker images --format '{{.Repository}}:{{.Tag}}'")).stdout).toBe("busybox:latest\n");
  }, 60000);
});
