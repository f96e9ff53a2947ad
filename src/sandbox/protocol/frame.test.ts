import { describe, expect, it } from "vitest";
import { encodeFrame, FrameDecoder, FrameType, HEADER_SIZE, MAX_PAYLOAD, type Frame } from "./frame";
import { parseAgentFrame } from "./messages";

/** Deterministic PRNG so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function collect() {
  const frames: Frame[] = [];
  const errors: string[] = [];
  const d = new FrameDecoder((f) => frames.push(f), (e) => errors.push(e));
  return { d, frames, errors };
}

describe("FrameDecoder", () => {
  it("decodes frames split at every byte boundary", () => {
    const bytes = new Uint8Array([
      ...encodeFrame(FrameType.Stdout, 7, new TextEncoder().encode("hello")),
      ...encodeFrame(FrameType.Exit, 7, new Uint8Array(8)),
    ]);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const { d, frames, errors } = collect();
      d.push(bytes.subarray(0, cut));
      d.push(bytes.subarray(cut));
      expect(frames.map((f) => [f.type, f.id, f.payload.length])).toEqual([
        [FrameType.Stdout, 7, 5],
        [FrameType.Exit, 7, 8],
      ]);
      expect(errors).toEqual([]);
    }
  });

  it("resyncs after garbage and a corrupted frame", () => {
    const { d, frames, errors } = collect();
    const good = encodeFrame(FrameType.Pong, 0, new Uint8Array([1, 2, 3]));
    const bad = encodeFrame(FrameType.Pong, 0, new Uint8Array([9, 9, 9]));
    bad[HEADER_SIZE]! ^= 0xff; // payload no longer matches its CRC
    d.push(new Uint8Array([0xb3, 0x7e, 0xb3, 1, 2, 3]));
    d.push(bad);
    d.push(good);
    expect(frames).toHaveLength(1);
    expect([...frames[0]!.payload]).toEqual([1, 2, 3]);
    expect(errors).toContain("bad-payload-crc");
  });

  it("rejects an oversized length at once instead of waiting for it", () => {
    const { d, frames, errors } = collect();
    const f = encodeFrame(FrameType.Stdout, 1, new Uint8Array(4));
    new DataView(f.buffer).setUint32(8, MAX_PAYLOAD + 1, true);
    d.push(f);
    expect(errors[0]).toBe("bad-header");
    expect(d.buffered).toBeLessThan(HEADER_SIZE);
    expect(frames).toEqual([]);
  });

  it("drops a frame whose bytes stop arriving", () => {
    const { d, frames, errors } = collect();
    const f = encodeFrame(FrameType.Stdout, 1, new Uint8Array(1000));
    d.push(f.subarray(0, 500), 0);
    d.checkStall(1000);
    expect(errors).toEqual([]);
    d.checkStall(5000);
    expect(errors).toEqual(["stalled"]);
    expect(d.buffered).toBe(0);
    d.push(encodeFrame(FrameType.Pong, 0), 6000);
    expect(frames).toHaveLength(1);
  });

  it("survives 10,000 random and mutated frames, and still decodes a good one after", () => {
    const r = rng(0xbe47);
    const types = [0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x01, 0x00, 0xff];
    const { d, frames } = collect();
    let sent = 0;
    for (let i = 0; i < 10_000; i++) {
      const len = Math.floor(r() ** 3 * 4096);
      const payload = new Uint8Array(len).map(() => Math.floor(r() * 256));
      let bytes: Uint8Array = encodeFrame(types[Math.floor(r() * types.length)]!, Math.floor(r() * 2 ** 32), payload);
      const mode = Math.floor(r() * 6);
      if (mode === 0) bytes = payload; // pure garbage
      if (mode === 1 && bytes.length) bytes[Math.floor(r() * bytes.length)]! ^= 1 << Math.floor(r() * 8); // bit flip
      if (mode === 2) bytes = bytes.subarray(0, Math.floor(r() * bytes.length)); // truncated
      if (mode === 3) new DataView(bytes.buffer).setUint32(8, Math.floor(r() * 2 ** 32), true); // lying length
      if (mode === 4) bytes = new Uint8Array([...bytes, ...bytes.subarray(0, Math.floor(r() * 30))]); // trailing junk
      for (let off = 0; off < bytes.length; ) {
        const n = 1 + Math.floor(r() * 700);
        d.push(bytes.subarray(off, off + n), i);
        off += n;
      }
      d.checkStall(i + 10_000);
      sent++;
      expect(d.buffered).toBeLessThanOrEqual(2 * (HEADER_SIZE + MAX_PAYLOAD));
    }
    // Every decoded frame parses to a message or a reasoned "invalid", never a throw.
    for (const f of frames) {
      const m = parseAgentFrame(f);
      expect(typeof m.kind).toBe("string");
    }
    d.checkStall(1e12);
    d.checkStall(2e12);
    while (d.buffered) d.checkStall(Date.now() + 1e13);
    const before = frames.length;
    d.push(encodeFrame(FrameType.Pong, 0, new Uint8Array([42])));
    expect(frames.length).toBe(before + 1);
    expect(frames.at(-1)!.payload[0]).toBe(42);
    expect(sent).toBe(10_000);
  });
});
