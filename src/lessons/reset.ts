// "Reset lesson": the engine, the workspace and the command history back to the lesson's
// start, then its setup. Everything goes through the Daemon (as `docker rm -f` and
// `docker rmi` would) and the workspace share, so what remains is real state, not a
// picture of it. The page clears the terminal itself.
import type { Daemon } from "../engine/daemon";
import { ConflictError, EngineError } from "../engine/errors";
import type { FileEntry, WorkspaceFs } from "../sandbox/types";
import { INTERNAL_GUEST_ENV, type CheckTarget } from "./checks";
import type { ResetOptions, RuntimeLesson } from "./runtime-types";

/** A setup command may pull an image (debian takes a while the first time in a boot). */
export const SETUP_TIMEOUT_MS = 180_000;

export class SetupError extends Error {}

export async function resetLesson(t: CheckTarget, lesson: Pick<RuntimeLesson, "setup" | "start">, options: ResetOptions = {}): Promise<void> {
  await removeContainers(t.daemon);
  await removeOwnImages(t.daemon);
  if (options.keepFiles) await addMissingFiles(t.sandbox.fs, lesson.start);
  else await restoreWorkspace(t.sandbox.fs, lesson.start);
  await t.daemon.history.clear();
  await runSetup(t, lesson.setup);
}

/** As `docker rm -f` of every container, all at once. */
async function removeContainers(d: Daemon): Promise<void> {
  await Promise.all(
    d.list().map((c) =>
      d.remove(c.Id, { force: true }).catch((e: unknown) => {
        // Gone meanwhile (an --rm container that just exited) is what we wanted.
        if (!(e instanceof EngineError) || d.exists(c.Id)) throw e;
      }),
    ),
  );
}

/**
 * Keep the offline set's images under their own names (pulling them again is slow and
 * the learner got them the normal way); remove every other name and every image left
 * without one (commits, imports, loads, tags).
 */
async function removeOwnImages(d: Daemon): Promise<void> {
  const offline = new Map((await d.registry.list()).map((i) => [i.name, i.manifest.config.digest]));
  for (const img of d.images.list()) {
    for (const tag of [...img.repoTags]) {
      if (offline.get(tag) === img.id) continue;
      // Untagging the last name of a commit's parent succeeds and then refuses the delete; the loop below deletes it.
      await d.removeImage(tag).catch((e: unknown) => {
        if (!(e instanceof ConflictError)) throw e;
      });
    }
  }
  const kept = new Set(offline.values());
  // Children before parents (a commit's parent cannot go first), so repeat while that helps.
  for (let progress = true; progress; ) {
    progress = false;
    for (const img of d.images.list()) {
      if (img.repoTags.length || kept.has(img.id) || d.images.children(img.id).length) continue;
      await d.removeImage(img.id, { force: true });
      progress = true;
    }
  }
}

/** Make the workspace exactly `start`: files that already match are left alone, so the editor does not reload them. */
export async function restoreWorkspace(fs: WorkspaceFs, start: Readonly<Record<string, string>>): Promise<void> {
  const keepDirs = new Set<string>();
  for (const path of Object.keys(start)) {
    for (let i = path.indexOf("/"); i > 0; i = path.indexOf("/", i + 1)) keepDirs.add(path.slice(0, i));
  }
  const removed: string[] = [];
  const unchanged = new Set<string>();
  const enc = new TextEncoder();
  // list() puts a folder before what it holds, so a removed folder's contents are skipped.
  for (const e of await fs.list()) {
    if (removed.some((r) => e.path.startsWith(r + "/"))) continue;
    if (!wanted(e, start, keepDirs)) {
      await fs.remove(e.path);
      removed.push(e.path);
    } else if (e.kind === "file" && e.size === enc.encode(start[e.path]!).length && new TextDecoder().decode(await fs.read(e.path)) === start[e.path]) {
      unchanged.add(e.path);
    }
  }
  for (const [path, text] of Object.entries(start)) if (!unchanged.has(path)) await fs.write(path, text);
}

/** Writes the start files the workspace lacks; what the learner has stays as it is. */
async function addMissingFiles(fs: WorkspaceFs, start: Readonly<Record<string, string>>): Promise<void> {
  const have = new Set((await fs.list()).map((e) => e.path));
  for (const [path, text] of Object.entries(start)) if (!have.has(path)) await fs.write(path, text);
}

function wanted(e: FileEntry, start: Readonly<Record<string, string>>, keepDirs: ReadonlySet<string>): boolean {
  return e.kind === "dir" ? keepDirs.has(e.path) : Object.hasOwn(start, e.path);
}

/** The lesson's setup, in order, in /workspace; the first command that fails stops it with its output. */
async function runSetup(t: CheckTarget, setup: readonly string[]): Promise<void> {
  for (const cmd of setup) {
    const r = await t.sandbox.exec(["sh", "-c", cmd], { cwd: "/workspace", env: INTERNAL_GUEST_ENV, timeoutMs: SETUP_TIMEOUT_MS });
    if (r.code !== 0) {
      const why = r.code === null ? `did not finish within ${SETUP_TIMEOUT_MS / 1000} s` : `exited with code ${r.code}`;
      throw new SetupError(`The lesson's setup command \`${cmd}\` ${why}:\n${(r.stdout + r.stderr).trim()}`);
    }
  }
}
