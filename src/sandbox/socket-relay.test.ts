// The host side of the docker.sock relay through AgentClient, against a scripted guest:
// connections become streams, writes respect the window and are joined into frames, and
// frames that do not fit a connection are counted as faults, never trusted.
import { describe, expect, it } from "vitest";
import { AgentClient } from "./agent";
import { encodeFrame, FrameDecoder, FrameType, type Frame } from "./protocol/frame";
import { SOCK_WINDOW } from "./protocol/messages";
import { MAX_CONNECTIONS } from "./socket-relay";
import type { ByteStream } from "./types";

const dec = new TextDecoder();

function setup() {
  const sent: Frame[] = [];
  const decoder = new FrameDecoder((f) => sent.push(f), () => {});
  const agent = new AgentClient((b) => decoder.push(b));
  const streams: ByteStream[] = [];
  agent.sockets.handler = (s) => streams.push(s);
  const guest = {
    open: (id: number) => agent.receive(encodeFrame(FrameType.SockOpen, id)),
    data: (id: number, text: string) => agent.receive(encodeFrame(FrameType.SockData, id, new TextEncoder().encode(text))),
    eof: (id: number) => agent.receive(encodeFrame(FrameType.SockData, id)),
    ack: (id: number, n: number) => {
      const p = new Uint8Array(4);
      new DataView(p.buffer).setUint32(0, n, true);
      agent.receive(encodeFrame(FrameType.SockAck, id, p));
    },
    closed: (id: number) => agent.receive(encodeFrame(FrameType.SockClosed, id)),
  };
  const writes = (id: number) => sent.filter((f) => f.type === FrameType.SockWrite && f.id === id);
  return { agent, sent, streams, guest, writes };
}

describe("docker.sock relay", () => {
  it("turns a guest connection into a stream, both ways, with EOF and close", async () => {
    const { streams, guest, writes, sent } = setup();
    guest.open(5);
    expect(streams).toHaveLength(1);
    const s = streams[0]!;
    const got: string[] = [];
    let ended = false;
    let closed = false;
    s.onData((d) => got.push(dec.decode(d)));
    s.onEnd(() => (ended = true));
    s.onClose(() => (closed = true));
    guest.data(5, "GET /_ping HTTP/1.1\r\n\r\n");
    guest.eof(5);
    expect(got).toEqual(["GET /_ping HTTP/1.1\r\n\r\n"]);
    expect(ended).toBe(true);
    s.write(new TextEncoder().encode("HTTP/1.1 200 OK\r\n"));
    s.end();
    await Promise.resolve();
    expect(writes(5).map((f) => dec.decode(f.payload))).toEqual(["HTTP/1.1 200 OK\r\n", ""]);
    s.destroy();
    expect(sent.at(-1)).toMatchObject({ type: FrameType.SockClose, id: 5 });
    expect(closed).toBe(true);
  });

  it("keeps at most a window unacknowledged, joining small writes into frames", async () => {
    const { streams, guest, writes } = setup();
    guest.open(1);
    const s = streams[0]!;
    for (let i = 0; i < 1000; i++) s.write(new Uint8Array(1000).fill(i & 0xff));
    expect(writes(1)).toHaveLength(0); // sent at the end of the task
    await Promise.resolve();
    const sentBytes = () => writes(1).reduce((n, f) => n + f.payload.length, 0);
    expect(sentBytes()).toBe(SOCK_WINDOW);
    expect(writes(1).length).toBe(SOCK_WINDOW / 32768);
    s.end(); // the shutdown waits for the queue
    guest.ack(1, 65536);
    expect(sentBytes()).toBe(SOCK_WINDOW + 65536);
    for (let i = 0; i < 20; i++) guest.ack(1, 65536);
    expect(sentBytes()).toBe(1_000_000);
    expect(writes(1).at(-1)!.payload.length).toBe(0);
    // Every byte in order.
    const all = writes(1).flatMap((f) => [...f.payload]);
    expect(all.every((b, i) => b === (Math.floor(i / 1000) & 0xff))).toBe(true);
  });

  it("counts frames that do not fit as faults and stays consistent", async () => {
    const { agent, streams, guest, writes, sent } = setup();
    guest.open(2);
    guest.open(2); // a second open for a live id
    expect(streams).toHaveLength(1);
    streams[0]!.write(new Uint8Array(10));
    await Promise.resolve();
    guest.ack(2, 11); // more than was sent
    guest.eof(2);
    guest.data(2, "after EOF");
    expect(agent.protocolErrors).toBe(3);
    // Frames for a connection closed here a moment ago are not faults.
    streams[0]!.destroy();
    guest.data(2, "late");
    guest.closed(2);
    expect(agent.protocolErrors).toBe(3);
    // Malformed frames are rejected by the parser.
    agent.receive(encodeFrame(FrameType.SockAck, 2, new Uint8Array(3)));
    agent.receive(encodeFrame(FrameType.SockOpen, 0));
    agent.receive(encodeFrame(FrameType.SockOpen, 9, new Uint8Array(1)));
    expect(agent.protocolErrors).toBe(6);
    expect(writes(2)).toHaveLength(1);
    expect(sent.filter((f) => f.type === FrameType.SockClose)).toHaveLength(1);
  });

  it("closes connections it cannot serve: no handler, or too many at once", () => {
    const { agent, streams, guest, sent } = setup();
    for (let id = 1; id <= MAX_CONNECTIONS + 1; id++) guest.open(id);
    expect(streams).toHaveLength(MAX_CONNECTIONS);
    expect(sent.filter((f) => f.type === FrameType.SockClose).map((f) => f.id)).toEqual([MAX_CONNECTIONS + 1]);
    agent.sockets.handler = null;
    guest.closed(1);
    guest.open(100);
    expect(sent.at(-1)).toMatchObject({ type: FrameType.SockClose, id: 100 });
  });

  it("ends every connection when the VM goes away", () => {
    const { agent, streams, guest } = setup();
    guest.open(1);
    let closed = false;
    streams[0]!.onClose(() => (closed = true));
    agent.abort("gone");
    expect(closed).toBe(true);
  });
});
