// A failed VM build must stop with a message naming the step and the package.
// Runs offline: a scratch cache reuses the real downloads but holds a corrupt kernel source.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { cacheDir, debFileName, readLock, root } from "./lib.mjs";

const scratch = mkdtempSync(join(tmpdir(), "berth-cache-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("names the failing step and package", () => {
  const real = join(cacheDir(), "debs");
  const debs = join(scratch, "debs");
  spawnSync("mkdir", ["-p", debs]);
  const kernelDeb = debFileName(readLock().find((p) => p.role === "kernel")!);
  for (const f of readdirSync(real)) if (f !== kernelDeb) symlinkSync(join(real, f), join(debs, f));
  writeFileSync(join(debs, kernelDeb), "this is not a Debian package");
  const r = spawnSync(process.execPath, [join(root, "scripts/vm/build.mjs")], {
    env: { ...process.env, BERTH_CACHE: scratch },
    encoding: "utf8",
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('VM build failed at step "kernel (linux-source-6.1)"');
  expect(r.stderr).toMatch(/dpkg-deb/);
}, 60_000);
