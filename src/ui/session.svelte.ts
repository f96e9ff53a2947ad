// App-wide state shared by the panes: the VM status, whether the shell prompt has
// appeared, and a way to reach the terminal from elsewhere (shortcuts, lesson buttons).
import type { BrowserSandbox } from "../sandbox/client";
import type { VmStatus } from "../sandbox/types";

export interface TerminalHandle {
  focus(): void;
  /** Types text at the prompt, as if the learner did. */
  type(text: string): void;
}

export class Session {
  status = $state<VmStatus>({ state: "loading", phase: "Starting", loaded: 0, total: 0 });
  /** The first shell prompt was drawn; heavy, non-essential code may load now. */
  promptSeen = $state(false);
  /** The learner asked for a file, so the editor should load now even if the VM is not up. */
  editorWanted = $state(false);
  restarting = $state(false);
  restartError = $state("");
  terminal: TerminalHandle | undefined;

  constructor(readonly sandbox: BrowserSandbox) {
    sandbox.onStatus((s) => (this.status = s));
  }

  async restart(): Promise<void> {
    if (this.restarting) return;
    this.restarting = true;
    this.restartError = "";
    try {
      await this.sandbox.restart();
    } catch (e) {
      this.restartError = e instanceof Error ? e.message : String(e);
    } finally {
      this.restarting = false;
    }
  }
}
