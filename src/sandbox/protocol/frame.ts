// Framing of the agent protocol (vm/guest/protocol.h is the reference).
import { crc32 } from "./crc32";

export const MAGIC0 = 0xb3;
export const MAGIC1 = 0x7e;
export const PROTOCOL_VERSION = 1;
export const HEADER_SIZE = 20;
export const MAX_PAYLOAD = 65536;

export const FrameType = {
  Hello: 0x01,
  Spawn: 0x02,
  Stdin: 0x03,
  Signal: 0x04,
  Resize: 0x05,
  Ping: 0x06,
  CmdOutput: 0x07,
  CmdExit: 0x08,
  CmdRead: 0x09,
  Attach: 0x0a,
  Detach: 0x0b,
  SockWrite: 0x0c,
  SockClose: 0x0d,
  Ready: 0x81,
  Started: 0x82,
  Stdout: 0x83,
  Stderr: 0x84,
  Exit: 0x85,
  Error: 0x86,
  Pong: 0x87,
  CmdStart: 0x88,
  CmdStdin: 0x89,
  CmdSignal: 0x8a,
  CmdGone: 0x8b,
  Attached: 0x8c,
  Detached: 0x8d,
  SockOpen: 0x8e,
  SockData: 0x8f,
  SockAck: 0x90,
  SockClosed: 0x91,
} as const;

export interface Frame {
  type: number;
  id: number;
  payload: Uint8Array;
}

export function encodeFrame(type: number, id: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`frame payload ${payload.length} > ${MAX_PAYLOAD}`);
  const out = new Uint8Array(HEADER_SIZE + payload.length);
  const dv = new DataView(out.buffer);
  out[0] = MAGIC0;
  out[1] = MAGIC1;
  out[2] = PROTOCOL_VERSION;
  out[3] = type;
  dv.setUint32(4, id >>> 0, true);
  dv.setUint32(8, payload.length, true);
  out.set(payload, HEADER_SIZE);
  dv.setUint32(12, crc32(payload), true);
  dv.setUint32(16, crc32(out, 0, 16), true);
  return out;
}

export type DecodeError = "bad-header" | "bad-payload-crc" | "stalled";

/**
 * Turns an untrusted byte stream into frames. Never throws and never buffers more than
 * one maximal frame: a bad header or payload drops one byte and rescans for the magic,
 * and a frame whose bytes stop arriving is dropped by `checkStall`.
 */
export class FrameDecoder {
  private buf = new Uint8Array(2 * (HEADER_SIZE + MAX_PAYLOAD));
  private len = 0;
  private pendingSince: number | null = null;

  constructor(
    private readonly onFrame: (f: Frame) => void,
    private readonly onError: (e: DecodeError) => void = () => {},
  ) {}

  get buffered(): number {
    return this.len;
  }

  push(chunk: Uint8Array, now = Date.now()): void {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(chunk.length - off, this.buf.length - this.len);
      this.buf.set(chunk.subarray(off, off + n), this.len);
      this.len += n;
      off += n;
      this.parse();
    }
    this.pendingSince = this.len ? (this.pendingSince ?? now) : null;
  }

  /** Drop a partial frame that has waited longer than `ms` (the sender died mid-frame). */
  checkStall(now = Date.now(), ms = 2000): void {
    if (this.len && this.pendingSince !== null && now - this.pendingSince > ms) {
      this.onError("stalled");
      this.consume(1);
      this.parse();
      this.pendingSince = this.len ? now : null;
    }
  }

  private consume(n: number): void {
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
  }

  private parse(): void {
    const b = this.buf;
    for (;;) {
      let i = 0;
      while (i + 1 < this.len && !(b[i] === MAGIC0 && b[i + 1] === MAGIC1)) i++;
      if (i + 1 >= this.len && this.len && b[this.len - 1] !== MAGIC0) i = this.len;
      if (i) this.consume(i);
      if (this.len < HEADER_SIZE) return;
      const dv = new DataView(b.buffer, b.byteOffset, this.len);
      const len = dv.getUint32(8, true);
      if (b[2] !== PROTOCOL_VERSION || len > MAX_PAYLOAD || dv.getUint32(16, true) !== crc32(b, 0, 16)) {
        this.onError("bad-header");
        this.consume(1);
        continue;
      }
      if (this.len < HEADER_SIZE + len) return;
      if (dv.getUint32(12, true) !== crc32(b, HEADER_SIZE, HEADER_SIZE + len)) {
        this.onError("bad-payload-crc");
        this.consume(1);
        continue;
      }
      const frame: Frame = { type: b[3]!, id: dv.getUint32(4, true), payload: b.slice(HEADER_SIZE, HEADER_SIZE + len) };
      this.consume(HEADER_SIZE + len);
      this.pendingSince = null;
      this.onFrame(frame);
    }
  }
}
