// The `docker` commands the learner typed in the guest, newest last: what lesson checks
// of the kind "ran docker run -it" answer from. Bounded, and kept in the engine's store
// so a reload does not forget a step the learner already did.
import { getJson, putJson, type Storage } from "./store/storage";

export interface HistoryEntry {
  /** As the client passed it, "docker" first. */
  argv: string[];
  cwd: string;
  /** null while the command runs (an attached `docker run -it` counts as typed at once). */
  exitCode: number | null;
  /** Unix milliseconds when it started. */
  time: number;
}

/**
 * Commands run with this in their environment are the playground's own (lesson checks and
 * setup), not the learner's, so they are not recorded.
 */
export const INTERNAL_ENV = "BERTH_INTERNAL=1";

/** Plenty for one lesson; old entries only matter to lessons long finished. */
export const HISTORY_LIMIT = 500;

const KEY = "history.json";

export class CommandHistory {
  private listeners = new Set<() => void>();
  /** Writes are chained so an older list never lands after a newer one. */
  private saving: Promise<void> = Promise.resolve();
  private saveQueued = false;

  private constructor(
    private readonly storage: Storage,
    private list: HistoryEntry[],
  ) {}

  static async open(storage: Storage): Promise<CommandHistory> {
    // A damaged record costs the history, not the daemon.
    const saved = await getJson<HistoryEntry[]>(storage, KEY).catch(() => null);
    return new CommandHistory(storage, Array.isArray(saved) ? saved.slice(-HISTORY_LIMIT) : []);
  }

  /**
   * Record a command as it starts; call the returned function with its exit code when it
   * ends. Internal commands (see INTERNAL_ENV) are not recorded.
   */
  begin(argv: readonly string[], cwd: string, env: readonly string[] = []): (exitCode: number) => void {
    if (env.includes(INTERNAL_ENV)) return () => {};
    const entry: HistoryEntry = { argv: [...argv], cwd, exitCode: null, time: Date.now() };
    this.list.push(entry);
    if (this.list.length > HISTORY_LIMIT) this.list.splice(0, this.list.length - HISTORY_LIMIT);
    this.changed();
    return (exitCode) => {
      entry.exitCode = exitCode;
      this.changed();
    };
  }

  /** Oldest first. */
  entries(): readonly Readonly<HistoryEntry>[] {
    return this.list;
  }

  async clear(): Promise<void> {
    this.list = [];
    this.changed();
    await this.saving;
  }

  /** Calls back after every recorded start, exit or clear. Returns an unsubscribe. */
  onChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => void this.listeners.delete(cb);
  }

  private changed(): void {
    for (const l of this.listeners) l();
    if (this.saveQueued) return;
    this.saveQueued = true;
    this.saving = this.saving.then(() => {
      this.saveQueued = false;
      return putJson(this.storage, KEY, this.list).catch(() => {}); // a lost write loses history, nothing else
    });
  }
}
