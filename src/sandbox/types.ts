// The sandbox's public API: the same whether the VM runs in a browser worker or in Node.
// It knows nothing about Docker; it boots a VM, runs processes in it and shares files.

export type VmStatus =
  | { state: "loading"; phase: string; loaded: number; total: number }
  | { state: "booting"; phase: string; coldBoot: boolean; notice?: string }
  | { state: "ready"; coldBoot: boolean; notice?: string; readyMs: number }
  | { state: "crashed"; reason: string }
  | { state: "stopped" };

export interface SpawnOptions {
  argv: string[];
  /** Guest working directory; default "/". */
  cwd?: string;
  /** "NAME=value" entries; default a minimal PATH/HOME/TERM. */
  env?: string[];
  /** Run on a new pty of this size (stdout carries the terminal; no stderr). */
  pty?: { rows: number; cols: number };
  uid?: number;
  gid?: number;
}

export interface ExitStatus {
  /** Exit code, or null when a signal ended the process. */
  code: number | null;
  signal: number | null;
}

export interface ProcessEvents {
  onStdout?(data: Uint8Array): void;
  onStderr?(data: Uint8Array): void;
  onExit?(status: ExitStatus): void;
}

/** A running guest process. */
export interface GuestProcess {
  readonly id: number;
  readonly pid: number;
  write(data: Uint8Array | string): void;
  /** Close stdin (a no-op on a pty). */
  closeStdin(): void;
  resize(rows: number, cols: number): void;
  /** Signal the process, or its whole process group. */
  signal(signo: number, group?: boolean): void;
  readonly exited: Promise<ExitStatus>;
}

export interface ExecResult extends ExitStatus {
  stdout: string;
  stderr: string;
}

export interface FileEntry {
  /** Path relative to the workspace root, "/"-separated, no leading slash. */
  path: string;
  kind: "file" | "dir";
  size: number;
  /** Modification time, ms since the epoch. */
  mtime: number;
}

export type FileChange =
  | { type: "write"; path: string; kind: "file" | "dir" }
  | { type: "delete"; path: string };

/** The editor's workspace: /workspace in the guest, shared over 9p. */
export interface WorkspaceFs {
  list(): Promise<FileEntry[]>;
  read(path: string): Promise<Uint8Array>;
  write(path: string, data: Uint8Array | string): Promise<void>;
  mkdir(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** Changes made from either side, reported after they happen. Returns an unsubscribe. */
  watch(cb: (changes: FileChange[]) => void): () => void;
}

/**
 * A command a guest program handed to the host (the guest's `docker` client does this).
 * Its stdin, stdout and stderr are the client's own descriptors in the guest.
 */
export interface GuestCommand {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: readonly string[];
  /** Which of the client's stdin, stdout and stderr are terminals. */
  readonly tty: { stdin: boolean; stdout: boolean; stderr: boolean };
  /** The client's terminal size (0 when it has none). */
  readonly size: { rows: number; cols: number };
  write(fd: 1 | 2, data: Uint8Array | string): void;
  /** Start (or stop) forwarding the client's stdin to `onStdin`; EOF arrives as an empty chunk. */
  readStdin(on: boolean): void;
  onStdin(cb: (data: Uint8Array) => void): void;
  /** Signals the client received (SIGINT, SIGTERM, SIGHUP). */
  onSignal(cb: (signo: number) => void): void;
  /** The client went away before exit (killed, or its terminal closed). */
  onGone(cb: () => void): void;
  /** End the command: the client exits with this code once its output is written. */
  exit(code: number): void;
  /**
   * Connect this client to a guest process inside the guest, with no host round trip per
   * keystroke: the agent writes the process's output to the client's fds (the process's
   * onStdout/onStderr still fire) and, with `stdin`, feeds the client's stdin to the process
   * instead of to `onStdin`. Resolves once relaying has begun; output the process wrote
   * before that reached only the host. Rejects with an AttachError if the process has exited,
   * this command is already attached, or it has ended. The attachment ends with `detach()`,
   * the detach keys (`onDetached`), `exit()`, or the process's exit, whose onExit/`exited`
   * comes only after all its output reached the client. Several commands may attach to one
   * process.
   */
  attach(process: GuestProcess, opts?: AttachOptions): Promise<void>;
  /** Stop relaying. Resolves once the client's output is written and its terminal restored. */
  detach(): Promise<void>;
  /** The learner typed the detach keys: relaying stopped, the terminal is restored, the process runs on. */
  onDetached(cb: () => void): void;
}

export interface AttachOptions {
  /** Feed the client's stdin to the process; its EOF closes a pipe stdin (default false). */
  stdin?: boolean;
  /** Relay the process's stdout (on a pty: all its output) to the client's fd 1 (default true). */
  stdout?: boolean;
  /** Relay the process's stderr to the client's fd 2 (default true; a pty has none). */
  stderr?: boolean;
  /**
   * Put the client's terminal in raw mode while attached, as `docker run -it` does, so
   * every key (Ctrl-C too) reaches the process's pty. Only if the client's stdin is a tty;
   * the saved settings come back however the attachment ends. Default false.
   */
  rawTty?: boolean;
  /** Read on stdin, these bytes detach (see parseDetachKeys). Default Ctrl-P Ctrl-Q; empty: none; at most 16. */
  detachKeys?: Uint8Array;
}

/** A bidirectional byte stream (a socket connection). One consumer sets each callback. */
export interface ByteStream {
  write(data: Uint8Array): void;
  /** Close our sending side once what was written is out; the peer may go on sending (half-close). */
  end(): void;
  /** Close both directions at once. */
  destroy(): void;
  onData(cb: (data: Uint8Array) => void): void;
  /** The peer closed its sending side. */
  onEnd(cb: () => void): void;
  /** The stream is gone (both sides closed, or an error). */
  onClose(cb: () => void): void;
}

export interface Sandbox {
  readonly status: VmStatus;
  onStatus(cb: (s: VmStatus) => void): () => void;
  /** Kernel and serial console output (boot log, OOM and panic messages). */
  onConsole(cb: (text: string) => void): () => void;
  spawn(opts: SpawnOptions, events?: ProcessEvents): Promise<GuestProcess>;
  /** Run to completion and collect output. */
  exec(argv: string[], opts?: Omit<SpawnOptions, "argv" | "pty"> & { stdin?: string; timeoutMs?: number }): Promise<ExecResult>;
  readonly fs: WorkspaceFs;
  /** Restart from the snapshot; workspace files are carried over. */
  restart(): Promise<void>;
  destroy(): Promise<void>;
}

/** The sandbox as the engine sees it: in the same worker (or Node process) as the VM. */
export interface HostSandbox extends Sandbox {
  /**
   * A folder of the 9p share for the engine's bulk data (image layers, archives): guest
   * path `/mnt/berth/engine`. It is not part of the workspace, so the editor never shows it.
   */
  readonly engineFiles: WorkspaceFs;
  /**
   * Serve commands that guest programs hand to the host. One handler at a time; until one
   * is set, such commands fail with a message saying the engine is not running.
   */
  onGuestCommand(handler: ((cmd: GuestCommand) => void) | null): void;
  /**
   * Serve connections to the guest's /var/run/docker.sock: each one arrives as a byte stream
   * relayed by the agent. One handler at a time; without one, connections are closed.
   */
  onSocketConnection(handler: ((stream: ByteStream) => void) | null): void;
}
