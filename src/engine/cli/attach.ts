// The client side of attaching (docker/cli's hijackedIOStreamer): the learner's terminal is
// joined to a container process by the agent inside the guest, so keystrokes and output never
// make a host round trip. The host only sees output that came before the join took effect.
import type { GuestProcess } from "../../sandbox/types";
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from "../../sandbox/detach-keys";
import type { Cli } from "./context";
import { CliError } from "./context";

export interface AttachPlan {
  stdin: boolean;
  tty: boolean;
  detachKeys: Uint8Array;
}

/** docker/cli's CheckTty: -t with -i needs a terminal on the client's stdin. */
export function checkTty(cli: Cli, stdin: boolean, tty: boolean): void {
  if (stdin && tty && !cli.cmd.tty.stdin) throw new CliError("the input device is not a TTY", 1);
}

/** --detach-keys, or Ctrl-P Ctrl-Q. The daemon rejects a bad sequence with this text. */
export function detachKeys(spec: string, noun: "detach" | "escape" = "detach"): Uint8Array {
  if (!spec) return DEFAULT_DETACH_KEYS;
  try {
    return parseDetachKeys(spec);
  } catch {
    throw new CliError(noun === "detach" ? `Invalid detach keys (${spec}) provided` : `Error response from daemon: Invalid escape keys (${spec}) provided`, 1);
  }
}

export type AttachEnd = { kind: "exited" } | { kind: "detached" };

/**
 * A pending attachment: output the host receives before the agent joins the streams is
 * written to the client here; afterwards the agent relays everything itself.
 */
export class Attachment {
  /** The agent relays the process's output itself from now on. */
  joined = false;
  private detached: Promise<AttachEnd>;

  constructor(
    private readonly cli: Cli,
    private readonly plan: AttachPlan,
  ) {
    this.detached = new Promise((res) => cli.cmd.onDetached(() => res({ kind: "detached" })));
  }

  /** Output seen by the host: only what the process wrote before the join. */
  readonly onOutput = (stream: "stdout" | "stderr", data: Uint8Array): void => {
    if (!this.joined) this.cli.cmd.write(stream === "stderr" && !this.plan.tty ? 2 : 1, data);
  };

  /** Join the client to the process (call as soon as it exists). */
  async join(proc: GuestProcess): Promise<void> {
    await this.cli.cmd.attach(proc, {
      stdin: this.plan.stdin,
      stdout: true,
      stderr: true,
      rawTty: this.plan.tty && this.plan.stdin,
      detachKeys: this.plan.detachKeys,
    });
    this.joined = true;
  }

  /** Wait for the process to end (all its output is at the client then) or for the detach keys. */
  until(exited: Promise<unknown>): Promise<AttachEnd> {
    return Promise.race([exited.then((): AttachEnd => ({ kind: "exited" })), this.detached]);
  }
}
