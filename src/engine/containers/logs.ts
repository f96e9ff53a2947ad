// A container's output as the json-file log driver keeps it: one entry per line, each
// with its stream and a timestamp, kept across restarts of the container and the page.

export type StreamName = "stdout" | "stderr";

export interface LogEntry {
  stream: StreamName;
  /** RFC 3339 with nanoseconds, as Docker stores it. */
  time: string;
  /** Milliseconds since the epoch, for --since/--until. */
  ms: number;
  data: Uint8Array;
}

/** Each container keeps its newest 16 MiB of log, as json-file with `max-size=16m` would (the store lives in the browser). */
export const MAX_LOG_BYTES = 16 * 1024 * 1024;

export function rfc3339Nano(ms: number, seq = 0): string {
  // Millisecond clock, with a sequence number in the sub-ms digits so lines keep their order.
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 23)}${String(seq % 1000000).padStart(6, "0")}Z`;
}

export class LogBuffer {
  readonly entries: LogEntry[] = [];
  private partial: Record<StreamName, Uint8Array[]> = { stdout: [], stderr: [] };
  private seq = 0;
  private bytes = 0;
  private listeners = new Set<(e: LogEntry) => void>();

  constructor(entries: LogEntry[] = []) {
    this.entries = entries;
    this.bytes = entries.reduce((n, e) => n + e.data.length, 0);
  }

  /** Add output; complete lines become entries (a partial line waits for its newline). */
  write(stream: StreamName, data: Uint8Array): void {
    let start = 0;
    for (let i = 0; i < data.length; i++) {
      if (data[i] === 0x0a) {
        this.partial[stream].push(data.subarray(start, i + 1));
        this.flushStream(stream);
        start = i + 1;
      }
    }
    if (start < data.length) this.partial[stream].push(data.slice(start));
  }

  /** The process ended: a last line without newline is still a line. */
  flush(): void {
    this.flushStream("stdout");
    this.flushStream("stderr");
  }

  private flushStream(stream: StreamName): void {
    const parts = this.partial[stream];
    if (!parts.length) return;
    const len = parts.reduce((n, p) => n + p.length, 0);
    const data = new Uint8Array(len);
    let o = 0;
    for (const p of parts) {
      data.set(p, o);
      o += p.length;
    }
    this.partial[stream] = [];
    const ms = Date.now();
    const e: LogEntry = { stream, time: rfc3339Nano(ms, this.seq++), ms, data };
    this.entries.push(e);
    this.bytes += e.data.length;
    let drop = 0;
    while (this.bytes > MAX_LOG_BYTES && drop < this.entries.length - 1) this.bytes -= this.entries[drop++]!.data.length;
    if (drop) this.entries.splice(0, drop);
    for (const l of this.listeners) l(e);
  }

  follow(cb: (e: LogEntry) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
}
