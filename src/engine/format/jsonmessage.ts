// moby pkg/jsonmessage (v20.10.24, as vendored by docker/cli 20.10.24): how the CLI renders
// the JSON message streams of pull, push, build, import and load. On a terminal every layer
// id owns a line that later messages rewrite in place with cursor movements; elsewhere
// progress bars are dropped and everything else prints line by line.

import type { JsonMessage } from "../api-types";
import { goDuration } from "./duration";
import { humanSize } from "./units";

/** JSONProgress as it arrives in `progressDetail` (fields beyond current/total are optional). */
export interface ProgressDetail {
  readonly current?: number;
  readonly total?: number;
  /** Unix seconds when the operation started; enables the ETA. */
  readonly start?: number;
  /** Hide the "xB/yB" counts. */
  readonly hidecounts?: boolean;
  /** Counted units instead of bytes. */
  readonly units?: string;
}

/** Fields of jsonmessage.JSONMessage that api-types' JsonMessage leaves out. */
export interface DisplayMessage extends JsonMessage {
  from?: string;
  time?: number;
  timeNano?: number;
}

/** Go's %8v of a string: right-aligned in 8 columns. */
const pad8 = (s: string) => s.padStart(8, " ");

/** Width Go assumes when it cannot query the terminal. */
const DEFAULT_WIDTH = 200;

/**
 * JSONProgress.String(): "[=====>    ]  1.2MB/3.4MB 5s". The bar needs more than 110
 * columns, the ETA more than 50. `nowMs` is only read for the ETA.
 */
export function progressString(detail: ProgressDetail, width: number, nowMs: number = Date.now()): string {
  const current = detail.current ?? 0;
  const total = detail.total ?? 0;
  const units = detail.units ?? "";
  if (width <= 0) width = DEFAULT_WIDTH;
  if (current <= 0 && total <= 0) return "";
  if (total <= 0) {
    return units === "" ? pad8(humanSize(current)) : `${current} ${units}`;
  }

  // Go: int(float64(current)/float64(total)*100) / 2, capped at 50.
  let percentage = Math.trunc(Math.trunc((current / total) * 100) / 2);
  if (percentage > 50) percentage = 50;
  // Go would panic on a negative repeat count (negative current); draw an empty bar instead.
  const filled = Math.max(0, percentage);
  let pbBox = "";
  if (width > 110) {
    // This number can't be negative (moby gh#7136).
    const numSpaces = Math.max(0, 50 - percentage);
    pbBox = `[${"=".repeat(filled)}>${" ".repeat(numSpaces)}] `;
  }

  let numbersBox = "";
  if (detail.hidecounts) {
    // No counts.
  } else if (units === "") {
    numbersBox = `${pad8(humanSize(current))}/${humanSize(total)}`;
    // Drop the total when the reported current is wonky.
    if (current > total) numbersBox = pad8(humanSize(current));
  } else {
    numbersBox = `${current}/${total} ${units}`;
    if (current > total) numbersBox = `${current} ${units}`;
  }

  let timeLeftBox = "";
  const start = detail.start ?? 0;
  if (current > 0 && start > 0 && percentage < 50) {
    // Integer nanosecond arithmetic, truncating like Go's Duration division.
    const fromStart = BigInt(Math.floor(nowMs)) * 1_000_000n - BigInt(start) * 1_000_000_000n;
    const perEntry = fromStart / BigInt(Math.trunc(current));
    let left = BigInt(Math.trunc(total - current)) * perEntry;
    left = (left / 1_000_000_000n) * 1_000_000_000n;
    if (width > 50) timeLeftBox = ` ${goDuration(left)}`;
  }
  return pbBox + numbersBox + timeLeftBox;
}

// morikuni/aec sequences; Up(0) and Down(0) are empty.
const clearLine = "\x1b[2K";
const cursorUp = (n: number) => (n === 0 ? "" : `\x1b[${n}A`);
const cursorDown = (n: number) => (n === 0 ? "" : `\x1b[${n}B`);

/** An error message in the stream; `output` holds what was written before it (cursor moves). */
export class JsonMessageError extends Error {
  readonly code: number | undefined;
  readonly output: string;
  constructor(message: string, code: number | undefined, output: string) {
    super(message);
    this.name = "JsonMessageError";
    this.code = code;
    this.output = output;
  }
}

/** RFC3339NanoFixed ("2006-01-02T15:04:05.000000000Z07:00"), printed in UTC. */
function rfc3339NanoFixed(sec: number, nsec: number): string {
  return `${new Date(sec * 1000).toISOString().slice(0, 19)}.${String(nsec).padStart(9, "0")}Z`;
}

export interface JsonMessageRendererOptions {
  /** Clock for the progress ETA, in epoch milliseconds. */
  readonly now?: () => number;
  /** Called with messages carrying `aux` (image IDs, push digests), which print nothing. */
  readonly onAux?: (msg: JsonMessage) => void;
}

/**
 * DisplayJSONMessagesStream, one message at a time: `write` returns the bytes the CLI prints
 * for it. A message with an error throws a JsonMessageError whose message is what the CLI
 * prints on stderr (after writing `output` to stdout); the stream ends there in Docker.
 */
export class JsonMessageRenderer {
  /** Layer id → its line number within the current block of progress lines. */
  private ids = new Map<string, number>();
  private readonly now: () => number;
  private readonly onAux: ((msg: JsonMessage) => void) | undefined;

  /** `width` is the terminal's column count (0: unknown, which Go treats as 200). */
  constructor(
    private readonly isTerminal: boolean,
    private readonly width: number,
    options: JsonMessageRendererOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.onAux = options.onAux;
  }

  write(msg: DisplayMessage): string {
    if (msg.aux !== undefined && msg.aux !== null) {
      this.onAux?.(msg);
      return "";
    }
    const id = msg.id ?? "";
    const hasProgress = msg.progressDetail !== undefined && msg.progressDetail !== null;
    let out = "";
    let diff = 0;
    if (id !== "" && (hasProgress || (msg.progress ?? "") !== "")) {
      let line = this.ids.get(id);
      if (line === undefined) {
        // Counting lines by map size only works because the map is cleared whenever
        // something else is printed.
        line = this.ids.size;
        this.ids.set(id, line);
        if (this.isTerminal) out += "\n";
      }
      diff = this.ids.size - line;
      if (this.isTerminal) out += cursorUp(diff);
    } else {
      // Anything that isn't progress ends the block: earlier lines are never updated again.
      this.ids = new Map();
    }
    let error: JsonMessageError | null = null;
    try {
      out += this.display(msg);
    } catch (err) {
      if (!(err instanceof JsonMessageError)) throw err;
      error = err;
    }
    if (id !== "" && this.isTerminal) out += cursorDown(diff);
    if (error) throw new JsonMessageError(error.message, error.code, out);
    return out;
  }

  /** JSONMessage.Display. */
  private display(msg: DisplayMessage): string {
    const detail: { code?: number; message?: string } | undefined = msg.errorDetail ?? undefined;
    if (detail) {
      if (detail.code === 401) throw new JsonMessageError("authentication is required", 401, "");
      throw new JsonMessageError(detail.message ?? "", detail.code, "");
    }
    // dockerd always sends errorDetail with error; Go ignores a bare `error`, but treating it
    // as the error keeps an engine-side omission from printing an empty line.
    if (msg.error !== undefined && msg.error !== "") throw new JsonMessageError(msg.error, undefined, "");

    const progress: ProgressDetail | null = msg.progressDetail ?? null;
    const stream = msg.stream ?? "";
    const status = msg.status ?? "";
    const progressMessage = msg.progress ?? "";
    const progressText = () => (progress ? progressString(progress, this.width, this.now()) : "");
    let out = "";
    let endl = "";
    if (this.isTerminal && stream === "" && progress) {
      out += `${clearLine}\r`;
      endl = "\r";
    } else if (progress && progressText() !== "") {
      // Progress bars are not shown off a terminal.
      return "";
    }
    if (msg.timeNano) {
      const sec = Math.floor(msg.timeNano / 1e9);
      out += `${rfc3339NanoFixed(sec, msg.timeNano - sec * 1e9)} `;
    } else if (msg.time) {
      out += `${rfc3339NanoFixed(msg.time, 0)} `;
    }
    if ((msg.id ?? "") !== "") out += `${msg.id}: `;
    if ((msg.from ?? "") !== "") out += `(from ${msg.from}) `;
    if (progress && this.isTerminal) out += `${status} ${progressText()}${endl}`;
    else if (progressMessage !== "") out += `${status} ${progressMessage}${endl}`;
    else if (stream !== "") out += `${stream}${endl}`;
    else out += `${status}${endl}\n`;
    return out;
  }
}
