import { describe, expect, it } from "vitest";
import { Demuxer, frame, StdCopyError, STDERR, STDOUT, SYSTEMERR } from "./stdcopy";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
/** startingBufLen in stdcopy.go: frames larger than StdCopy's initial buffer. */
const STARTING_BUF_LEN = 32 * 1024 + 8 + 1;

describe("frame (stdWriter.Write)", () => {
  it("writes the 8-byte header then the payload", () => {
    expect(Array.from(frame(STDOUT, enc("hi\n")))).toEqual([1, 0, 0, 0, 0, 0, 0, 3, 0x68, 0x69, 0x0a]);
    expect(Array.from(frame(STDERR, new Uint8Array(0)))).toEqual([2, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("stores the length big-endian", () => {
    const f = frame(STDOUT, new Uint8Array(0x010203));
    expect(Array.from(f.subarray(0, 8))).toEqual([1, 0, 0, 0, 0, 1, 2, 3]);
    expect(f.length).toBe(8 + 0x010203);
  });
});

describe("Demuxer (StdCopy)", () => {
  it("splits stdout and stderr (TestStdCopyWriteAndRead)", () => {
    const out = "o".repeat(STARTING_BUF_LEN);
    const err = "e".repeat(STARTING_BUF_LEN);
    const d = new Demuxer();
    const frames = d.push(new Uint8Array([...frame(STDOUT, enc(out)), ...frame(STDERR, enc(err))]));
    expect(frames.map((f) => f.stream)).toEqual([1, 2]);
    expect(dec(frames[0]!.data)).toBe(out);
    expect(dec(frames[1]!.data)).toBe(err);
    expect(d.pending).toBe(0);
  });

  it("handles any chunking, one byte at a time included", () => {
    const bytes = new Uint8Array([...frame(STDOUT, enc("hello")), ...frame(STDERR, enc("")), ...frame(0, enc("in"))]);
    const d = new Demuxer();
    const got: Array<[number, string]> = [];
    for (const b of bytes) for (const f of d.push(new Uint8Array([b]))) got.push([f.stream, dec(f.data)]);
    expect(got).toEqual([
      [1, "hello"],
      [2, ""],
      [0, "in"],
    ]);
  });

  it("keeps an incomplete frame for later (TestStdCopyWithCorruptedPrefix)", () => {
    const d = new Demuxer();
    expect(d.push(new Uint8Array([0x01, 0x02, 0x03]))).toEqual([]);
    expect(d.pending).toBe(3);
    const f = frame(STDOUT, enc("abcdef"));
    const d2 = new Demuxer();
    expect(d2.push(f.subarray(0, 10))).toEqual([]);
    expect(dec(d2.push(f.subarray(10))[0]!.data)).toBe("abcdef");
  });

  it("copies payloads out of the caller's buffer", () => {
    const f = frame(STDOUT, enc("abc"));
    const [got] = new Demuxer().push(f);
    f.fill(0);
    expect(dec(got!.data)).toBe("abc");
  });

  it("rejects an unknown stream byte (TestStdCopyWithInvalidInputHeader)", () => {
    const d = new Demuxer();
    expect(() => d.push(enc("Invalid input"))).toThrow(new StdCopyError("Unrecognized input header: 73"));
    // The stream is dead from then on.
    expect(() => d.push(frame(STDOUT, enc("x")))).toThrow("Unrecognized input header: 73");
  });

  it("returns frames before a bad header, then fails on the next push or end()", () => {
    const d = new Demuxer();
    expect(d.push(frame(STDOUT, enc("ok"))).length).toBe(1);
    expect(() => d.push(new Uint8Array([4, 0, 0, 0, 0, 0, 0, 0]))).toThrow("Unrecognized input header: 4");
    const d2 = new Demuxer();
    const frames = d2.push(new Uint8Array([...frame(STDOUT, enc("ok")), 9, 0, 0, 0, 0, 0, 0, 0]));
    expect(frames.map((f) => dec(f.data))).toEqual(["ok"]);
    expect(() => d2.end()).toThrow("Unrecognized input header: 9");
    expect(() => d2.push(new Uint8Array(0))).toThrow("Unrecognized input header: 9");
  });

  it("ends quietly with a partial frame, as StdCopy does at EOF", () => {
    const d = new Demuxer();
    d.push(frame(STDOUT, enc("abc")).subarray(0, 9));
    expect(() => d.end()).not.toThrow();
  });

  it("reports a Systemerr frame as the daemon's error (TestStdCopyReturnsErrorFromSystem)", () => {
    const sys = "S".repeat(STARTING_BUF_LEN);
    const d = new Demuxer();
    expect(() => d.push(frame(SYSTEMERR, enc(sys)))).toThrow(`error from daemon in stream: ${sys}`);
    // After ordinary output, the output comes first and the error with end().
    const d2 = new Demuxer();
    expect(d2.push(new Uint8Array([...frame(STDOUT, enc("o")), ...frame(SYSTEMERR, enc("boom"))])).length).toBe(1);
    expect(() => d2.end()).toThrow("error from daemon in stream: boom");
  });
});
