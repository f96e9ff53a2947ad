// The engine in Node (tests, benchmarks, `berth shell`, `berth serve`): state in a
// directory, the offline images read from the build cache.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { artifacts } from "../../scripts/vm/lib.mjs";
import type { HostSandbox } from "../sandbox/types";
import { serveApiInGuest } from "./api/server";
import { dockerMain } from "./cli/docker";
import { Daemon } from "./daemon";
import { OfflineRegistry } from "./images/offline-registry";
import { FsStorage } from "./store/fs-storage";

export interface NodeEngineOptions {
  /** Where images, containers and logs are kept (dockerd's /var/lib/docker). */
  dataDir: string;
  /** The OCI layout of the offline images; default: the build cache's. */
  imagesDir?: string;
}

export function nodeRegistry(dir = artifacts().imagesDir): OfflineRegistry {
  return new OfflineRegistry(async (path) => new Uint8Array(await readFile(join(dir, path))));
}

/** Open the daemon over a running VM and serve the guest's `docker` command with it. */
export async function startNodeEngine(vm: HostSandbox, opts: NodeEngineOptions): Promise<Daemon> {
  const daemon = await Daemon.open({ sandbox: vm, storage: new FsStorage(opts.dataDir), registry: nodeRegistry(opts.imagesDir) });
  vm.onGuestCommand((cmd) => void dockerMain(daemon, cmd));
  serveApiInGuest(vm, daemon);
  return daemon;
}
