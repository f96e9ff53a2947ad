// A process crun could not start. crun's child says why on that process's own stderr (its
// terminal with -t) and exits 255; crun also logs it. dockerd never shows crun's words: it
// reports the failure in runc's wording through the API. So the line is held back from the
// container's output until the exit shows whose it was, and translated here.
import type { StreamName } from "../containers/logs";

export interface ExecFailure {
  /** As runc words it: `exec: "x": executable file not found in $PATH`. */
  detail: string;
  /** What dockerd gives a container that could not start with this failure. */
  exitCode: number;
}

/** crun's line (from its log or the stream), in runc's words; undefined if it is not one of these. */
export function execFailure(line: string, argv0: string): ExecFailure | undefined {
  const notFound = /executable file `([^`]*)` not found/.exec(line) ?? /^(?:execvp?|open executable) `([^`]*)`: No such file or directory/.exec(line);
  if (notFound) {
    const x = notFound[1]!;
    // runc looks a path up with stat, and a bare name in $PATH.
    const detail = x.includes("/") ? `exec: "${x}": stat ${x}: no such file or directory` : `exec: "${x}": executable file not found in $PATH`;
    return { detail, exitCode: 127 };
  }
  if (/open executable: (?:Permission denied|Operation not permitted)/.test(line)) return { detail: `exec: "${argv0}": permission denied`, exitCode: 126 };
  return undefined;
}

/** Exactly crun's failure line as a process's first output: colored and timestamped on a terminal. */
const FAILURE_LINE =
  /^(?:\x1b\[[\d;]*m)?(?:\d{4}-\d\d-\d\dT[\d:.]+Z: )?(?:executable file `[^`]*` not found in \$PATH: No such file or directory|open executable: (?:Permission denied|Operation not permitted))(?:\x1b\[0m)?\r?\n$/;

/**
 * Passes a process's output on, holding back a first chunk that is crun's failure line. The
 * owner calls take() at exit when crun failed (the line is the failure, never shown) and
 * flush() otherwise (the program really printed it).
 */
export class FailureLineHold {
  private first = true;
  private held: { stream: StreamName; data: Uint8Array; text: string } | undefined;

  constructor(private readonly forward: (stream: StreamName, data: Uint8Array) => void) {}

  write(stream: StreamName, data: Uint8Array): void {
    if (this.first) {
      this.first = false;
      const text = new TextDecoder().decode(data);
      if (FAILURE_LINE.test(text)) {
        this.held = { stream, data, text };
        return;
      }
    }
    this.flush();
    this.forward(stream, data);
  }

  /** The held line, dropped from the output. */
  take(): string | undefined {
    const h = this.held;
    this.held = undefined;
    return h?.text;
  }

  flush(): void {
    const h = this.held;
    this.held = undefined;
    if (h) this.forward(h.stream, h.data);
  }
}
