import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CommandHistory, HISTORY_LIMIT, INTERNAL_ENV } from "./command-history";
import { FsStorage } from "./store/fs-storage";

const dirs: string[] = [];
const storage = () => {
  const d = mkdtempSync(join(tmpdir(), "berth-history-"));
  dirs.push(d);
  return new FsStorage(d);
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("CommandHistory", () => {
  it("records a command at its start and its exit code at its end, and persists", async () => {
    const s = storage();
    const h = await CommandHistory.open(s);
    let changes = 0;
    h.onChange(() => changes++);
    const done = h.begin(["docker", "run", "-it", "busybox"], "/workspace");
    expect(h.entries()).toMatchObject([{ argv: ["docker", "run", "-it", "busybox"], cwd: "/workspace", exitCode: null }]);
    done(0);
    expect(h.entries()[0]!.exitCode).toBe(0);
    expect(changes).toBe(2);
    await h.clear();
    h.begin(["docker", "ps"], "/")(0);
    await h.clear().then(() => h.begin(["docker", "images"], "/")(1));
    // Reopen after the writes settle: the newest state is what is stored.
    await new Promise((r) => setTimeout(r, 50));
    const again = await CommandHistory.open(s);
    expect(again.entries()).toMatchObject([{ argv: ["docker", "images"], exitCode: 1 }]);
  });

  it("skips internal commands and keeps only the newest entries", async () => {
    const h = await CommandHistory.open(storage());
    h.begin(["docker", "ps"], "/", ["PATH=/bin", INTERNAL_ENV])(0);
    expect(h.entries()).toHaveLength(0);
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h.begin(["docker", `c${i}`], "/")(0);
    expect(h.entries()).toHaveLength(HISTORY_LIMIT);
    expect(h.entries()[0]!.argv[1]).toBe("c5");
    await h.clear();
  });
});
