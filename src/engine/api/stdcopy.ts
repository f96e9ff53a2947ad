// moby pkg/stdcopy (v20.10.24): the framing of attach/logs/exec streams of containers
// without a TTY. Each write becomes one frame: an 8-byte header (stream byte, three zero
// bytes, big-endian uint32 payload length) followed by the payload.

/** The stream byte: 0 stdin, 1 stdout, 2 stderr, 3 an error from the daemon (Systemerr). */
export type StdType = 0 | 1 | 2 | 3;

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const SYSTEMERR = 3;

const PREFIX_LEN = 8;
const FD_INDEX = 0;
const SIZE_INDEX = 4;

/** stdWriter.Write: the header and the payload in one buffer. */
export function frame(stream: 0 | 1 | 2 | 3, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(PREFIX_LEN + data.length);
  out[FD_INDEX] = stream;
  new DataView(out.buffer).setUint32(SIZE_INDEX, data.length, false);
  out.set(data, PREFIX_LEN);
  return out;
}

export interface StdFrame {
  /** Stdin frames are kept as 0; StdCopy writes them to stdout. */
  readonly stream: 0 | 1 | 2;
  readonly data: Uint8Array;
}

/** StdCopy's errors, with its wording. */
export class StdCopyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StdCopyError";
  }
}

/**
 * StdCopy as a push parser: feed bytes in any chunking and get back the complete frames.
 * Like StdCopy it reads only the stream byte and length of a header (not the zero bytes),
 * fails on a stream byte above 3, and turns a Systemerr frame into
 * "error from daemon in stream: …". Frames complete before the failure are still returned
 * (StdCopy has written them by then) and the error is thrown by the next push or end();
 * after that every push throws it again.
 */
export class Demuxer {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private failure: StdCopyError | null = null;

  /** Bytes received but not yet part of a complete frame. StdCopy drops them silently at EOF. */
  get pending(): number {
    return this.buffered;
  }

  push(bytes: Uint8Array): StdFrame[] {
    if (this.failure) throw this.failure;
    if (bytes.length > 0) {
      this.chunks.push(bytes);
      this.buffered += bytes.length;
    }
    const frames: StdFrame[] = [];
    while (this.buffered >= PREFIX_LEN) {
      const header = this.peek(PREFIX_LEN);
      const stream = header[FD_INDEX]!;
      if (stream > SYSTEMERR) {
        // Checked before the frame is complete, as StdCopy does right after reading a header.
        return this.fail(frames, `Unrecognized input header: ${stream}`);
      }
      const size = new DataView(header.buffer, header.byteOffset, PREFIX_LEN).getUint32(SIZE_INDEX, false);
      if (this.buffered < PREFIX_LEN + size) break;
      const data = this.take(PREFIX_LEN + size).slice(PREFIX_LEN);
      if (stream === SYSTEMERR) {
        return this.fail(frames, `error from daemon in stream: ${new TextDecoder().decode(data)}`);
      }
      frames.push({ stream: stream as 0 | 1 | 2, data });
    }
    return frames;
  }

  /** End of input: throws a failure not yet thrown. Incomplete data is dropped, as StdCopy does at EOF. */
  end(): void {
    if (this.failure) throw this.failure;
  }

  private fail(frames: StdFrame[], message: string): StdFrame[] {
    this.failure = new StdCopyError(message);
    if (frames.length > 0) return frames;
    throw this.failure;
  }

  /** The first n buffered bytes, without consuming them. */
  private peek(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length >= n) return first.subarray(0, n);
    this.merge();
    return this.chunks[0]!.subarray(0, n);
  }

  /** Removes and returns the first n buffered bytes (a fresh copy). */
  private take(n: number): Uint8Array {
    const first = this.chunks[0]!;
    if (first.length < n) this.merge();
    const all = this.chunks[0]!;
    const out = all.slice(0, n);
    const rest = all.subarray(n);
    if (rest.length > 0) this.chunks[0] = rest;
    else this.chunks.shift();
    this.buffered -= n;
    return out;
  }

  /** Joins the buffered chunks into one, only when a header or frame spans several. */
  private merge(): void {
    const joined = new Uint8Array(this.buffered);
    let off = 0;
    for (const c of this.chunks) {
      joined.set(c, off);
      off += c.length;
    }
    this.chunks = [joined];
  }
}
