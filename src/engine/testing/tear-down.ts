// Test helper: stop an engine in a headless VM and remove its data directory, after the
// container record writes under way have landed (else the directory is not empty yet).
import { rmSync } from "node:fs";
import type { Vm } from "../../sandbox/vm";
import type { Daemon } from "../daemon";

export async function tearDown(vm: Vm | undefined, daemon: Daemon | undefined, dataDir: string | undefined): Promise<void> {
  await daemon?.settle();
  await vm?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
