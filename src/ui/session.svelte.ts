// App-wide state shared by the panes: the VM status, whether the shell prompt has
// appeared, and a way to reach the terminal from elsewhere (shortcuts, lesson buttons).
import { tick } from "svelte";
import type { BrowserSandbox } from "../sandbox/client";
import type { VmStatus } from "../sandbox/types";

export interface TerminalHandle {
  focus(): void;
  /** Types text at the prompt, as if the learner did. */
  type(text: string): void;
  /** The shell is waiting at its prompt (nothing is running in the foreground). */
  atPrompt(): boolean;
  /** Clears the screen and scrollback, keeping the current line (after a lesson reset). */
  clear(): void;
}

/** The tabs of the bottom dock. */
export type DockTab = "terminal" | "docker";

export class Session {
  status = $state<VmStatus>({ state: "loading", phase: "Starting", loaded: 0, total: 0 });
  /** The first shell prompt was drawn; heavy, non-essential code may load now. */
  promptSeen = $state(false);
  /** The learner asked for a file, so the editor should load now even if the VM is not up. */
  editorWanted = $state(false);
  restarting = $state(false);
  restartError = $state("");
  dock = $state<DockTab>("terminal");
  terminal: TerminalHandle | undefined;

  constructor(readonly sandbox: BrowserSandbox) {
    sandbox.onStatus((s) => (this.status = s));
  }

  /** Shows the terminal tab and focuses the shell. */
  async focusTerminal(): Promise<void> {
    this.dock = "terminal";
    await tick(); // a hidden terminal cannot take focus
    this.terminal?.focus();
  }

  /**
   * Runs a command in the learner's shell, as if typed there, so it shows in the history.
   * While something else runs in the foreground the line is only typed, not entered.
   */
  async runInTerminal(command: string): Promise<void> {
    await this.focusTerminal();
    const t = this.terminal;
    // A snippet of several lines is several commands, each entered.
    const typed = command.replace(/\n/g, "\r");
    if (t) t.type(t.atPrompt() ? `${typed}\r` : typed);
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
