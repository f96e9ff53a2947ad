// The Docker panel's state: what the engine in the worker last pushed (it pushes after
// every burst of engine events, so nothing here polls), the actions in flight, and the
// last error. Actions go to the engine; the panel changes only when the engine's events
// say something changed.
import * as Comlink from "comlink";
import type { DashboardState } from "../engine/dashboard";
import type { BrowserSandbox, RemoteEngine } from "../sandbox/client";

export class DockerState {
  /** null until the engine has opened its store. */
  state = $state<DashboardState | null>(null);
  /** The playground's offline image set, fetched when first asked for. */
  available = $state<string[] | null>(null);
  /** Keys ("stop:<id>", "pull:busybox:latest") of actions still running. */
  pending = $state<Record<string, true>>({});
  error = $state("");
  private engine: RemoteEngine | undefined;

  constructor(sandbox: BrowserSandbox) {
    void sandbox.engine().then(
      async (engine) => {
        this.engine = engine;
        await engine.subscribe(Comlink.proxy((s: DashboardState) => (this.state = s)));
        this.state ??= await engine.state();
      },
      (e: unknown) => (this.error = `The Docker engine did not start: ${message(e)}`),
    );
  }

  async loadAvailable(): Promise<void> {
    if (this.available || !this.engine) return;
    try {
      this.available = await this.engine.available();
    } catch (e) {
      this.error = `Could not list the offline images: ${message(e)}`;
    }
  }

  busy(key: string): boolean {
    return !!this.pending[key];
  }

  /** Runs one action; its failure (Docker's own message) becomes the panel's error line. */
  private async act(key: string, call: (engine: RemoteEngine) => Promise<void>): Promise<void> {
    if (!this.engine || this.pending[key]) return;
    this.pending[key] = true;
    this.error = "";
    try {
      await call(this.engine);
    } catch (e) {
      this.error = `Error response from daemon: ${message(e)}`;
    } finally {
      delete this.pending[key];
    }
  }

  start(id: string): Promise<void> {
    return this.act(`start:${id}`, (e) => e.start(id));
  }
  stop(id: string): Promise<void> {
    return this.act(`stop:${id}`, (e) => e.stop(id));
  }
  remove(id: string): Promise<void> {
    return this.act(`remove:${id}`, (e) => e.remove(id));
  }
  removeImage(ref: string): Promise<void> {
    return this.act(`rmi:${ref}`, (e) => e.removeImage(ref));
  }
  pull(ref: string): Promise<void> {
    return this.act(`pull:${ref}`, (e) => e.pull(ref));
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
