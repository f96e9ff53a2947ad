// The engine in the browser worker, beside the VM: state in IndexedDB (so a reload keeps
// images and containers, as a reboot keeps /var/lib/docker), the offline images fetched
// from the site on first pull, the guest's `docker` command and docker.sock served, and the
// page's dashboard. node.ts is the same thing for Node.
import type { GuestCommand, HostSandbox } from "../sandbox/types";
import { serveApiInGuest } from "./api/server";
import { dockerMain } from "./cli/docker";
import { Daemon } from "./daemon";
import { Dashboard } from "./dashboard";
import { OfflineRegistry } from "./images/offline-registry";
import { imageCache, pruneSiteLayouts, siteLayoutReader } from "./images/site-layout";
import { IdbStorage } from "./store/idb-storage";
import { EngineLessonRuntime } from "../lessons/engine-runtime";

export interface WorkerEngine {
  daemon: Daemon;
  dashboard: Dashboard;
  lessons: EngineLessonRuntime;
}

/** What the guest's client prints when it cannot reach dockerd. */
const NO_DAEMON = "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n";

/**
 * Call once the VM is ready (the daemon starts `always` containers at once). Serves `docker`
 * at once; commands typed while the store opens wait for it. `imagesRoot` is the layout's absolute URL, or null when the
 * site has no images (then every pull fails with a message saying so).
 */
export function startWorkerEngine(vm: HostSandbox, imagesRoot: string | null): Promise<WorkerEngine> {
  const cache = imageCache();
  const read = imagesRoot
    ? siteLayoutReader(imagesRoot, cache)
    : () => Promise.reject(new Error("this site was built without the offline images (run 'npm run vm:build')"));
  const engine = (async (): Promise<WorkerEngine> => {
    const daemon = await Daemon.open({ sandbox: vm, storage: await IdbStorage.open(), registry: new OfflineRegistry(read) });
    serveApiInGuest(vm, daemon);
    return { daemon, dashboard: new Dashboard(daemon), lessons: new EngineLessonRuntime(daemon, vm) };
  })();
  vm.onGuestCommand((cmd: GuestCommand) => {
    engine.then(
      ({ daemon }) => dockerMain(daemon, cmd),
      (e: unknown) => {
        cmd.write(2, NO_DAEMON);
        console.error("the engine could not start", e);
        cmd.exit(1);
      },
    );
  });
  if (imagesRoot) void pruneSiteLayouts(imagesRoot, cache).catch(() => {});
  return engine;
}
