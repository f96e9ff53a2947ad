// What a docker command runs with: the daemon, the client's terminal and its streams.
import type { GuestCommand } from "../../sandbox/types";
import type { Daemon } from "../daemon";

/** An error the CLI prints as is, exiting with `code` (docker/cli's StatusError). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly code = 1,
  ) {
    super(message);
  }
}

export class Cli {
  private enc = new TextEncoder();

  constructor(
    readonly daemon: Daemon,
    readonly cmd: GuestCommand,
  ) {}

  out(s: string | Uint8Array): void {
    this.cmd.write(1, typeof s === "string" ? this.enc.encode(s) : s);
  }

  err(s: string | Uint8Array): void {
    this.cmd.write(2, typeof s === "string" ? this.enc.encode(s) : s);
  }

  /** The client's terminal width, or 80 as docker/cli assumes without one. */
  get width(): number {
    return this.cmd.tty.stdout && this.cmd.size.cols > 0 ? this.cmd.size.cols : 80;
  }

  /** A variable from the client's environment (for `-e NAME` without a value). */
  env(name: string): string | undefined {
    const hit = this.cmd.env.find((e) => e.startsWith(`${name}=`));
    return hit === undefined ? undefined : hit.slice(name.length + 1);
  }

  /** Read a file on the client's side (the guest), as the CLI does for --env-file. */
  async readClientFile(path: string): Promise<string> {
    const r = await this.daemon.sandbox.exec(["cat", "--", path], { cwd: this.cmd.cwd });
    if (r.code !== 0) throw new CliError(`open ${path}: no such file or directory`, 125);
    return r.stdout;
  }
}
