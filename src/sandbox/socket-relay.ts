// The host half of the agent's docker.sock relay (protocol.h: BX_SOCK_*): each connection
// a guest program opens on /var/run/docker.sock becomes a ByteStream here. Writes go out
// within the agent's window (it acknowledges what reached the client), so neither side
// buffers without bound. The guest is untrusted: frames that do not fit a connection's
// state are faults, and the number of connections is capped.
import { concat } from "./bytes";
import { encodeFrame, FrameType } from "./protocol/frame";
import { SOCK_WINDOW, type AgentMessage } from "./protocol/messages";
import type { ByteStream } from "./types";

type SockMessage = Extract<AgentMessage, { kind: "sock-open" | "sock-data" | "sock-ack" | "sock-closed" }>;

/** Open connections at once; the agent itself holds at most 32. */
export const MAX_CONNECTIONS = 64;
const CHUNK = 32768;
const EMPTY = new Uint8Array(0);

interface Conn {
  queue: Uint8Array[];
  /** Sent and not yet acknowledged. */
  inflight: number;
  /** end() was called: shut down once the queue is out. */
  ending: boolean;
  /** A pump is due at the end of this task. */
  scheduled: boolean;
  peerEnded: boolean;
  data?: (d: Uint8Array) => void;
  end?: () => void;
  close: (() => void)[];
}

export class SocketRelay {
  /** Who serves new connections; see HostSandbox.onSocketConnection. */
  handler: ((stream: ByteStream) => void) | null = null;
  private conns = new Map<number, Conn>();

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    private readonly fault: (reason: string) => void,
  ) {}

  handle(m: SockMessage): void {
    const c = this.conns.get(m.id);
    switch (m.kind) {
      case "sock-open":
        if (c) return this.fault(`second open for connection ${m.id}`);
        if (!this.handler || this.conns.size >= MAX_CONNECTIONS) return this.send(encodeFrame(FrameType.SockClose, m.id));
        this.open(m.id, this.handler);
        return;
      case "sock-data":
        if (!c) return; // closed here a moment ago; not a fault
        if (c.peerEnded) return this.fault(`data after EOF on connection ${m.id}`);
        if (m.data.length) return c.data?.(m.data);
        c.peerEnded = true;
        return c.end?.();
      case "sock-ack":
        if (!c) return;
        if (m.bytes > c.inflight) {
          this.fault(`connection ${m.id} acknowledged ${m.bytes} bytes, ${c.inflight} were sent`);
          c.inflight = 0;
        } else c.inflight -= m.bytes;
        return this.pump(m.id, c);
      case "sock-closed":
        if (c) this.gone(m.id, c);
        return;
    }
  }

  /** The VM is gone: every connection ends. */
  abort(): void {
    for (const [id, c] of this.conns) this.gone(id, c);
  }

  private gone(id: number, c: Conn): void {
    this.conns.delete(id);
    c.queue = [];
    for (const cb of c.close.splice(0)) cb();
  }

  /** Send what the window allows, small writes joined into frames of up to CHUNK bytes. */
  private pump(id: number, c: Conn): void {
    while (c.queue.length && c.inflight < SOCK_WINDOW) {
      const room = Math.min(CHUNK, SOCK_WINDOW - c.inflight);
      const parts: Uint8Array[] = [];
      let n = 0;
      while (c.queue.length && n < room) {
        const head = c.queue[0]!;
        const take = Math.min(head.length, room - n);
        parts.push(head.subarray(0, take));
        n += take;
        if (take === head.length) c.queue.shift();
        else c.queue[0] = head.subarray(take);
      }
      this.send(encodeFrame(FrameType.SockWrite, id, parts.length === 1 ? parts[0]! : concat(parts)));
      c.inflight += n;
    }
    if (c.ending && !c.queue.length) {
      c.ending = false;
      this.send(encodeFrame(FrameType.SockWrite, id, EMPTY));
    }
  }

  private open(id: number, handler: (stream: ByteStream) => void): void {
    const c: Conn = { queue: [], inflight: 0, ending: false, scheduled: false, peerEnded: false, close: [] };
    // Writes made in one task go out together, so a burst of small writes costs few frames.
    const schedule = () => {
      if (c.scheduled) return;
      c.scheduled = true;
      queueMicrotask(() => {
        c.scheduled = false;
        if (live()) this.pump(id, c);
      });
    };
    this.conns.set(id, c);
    let writeDone = false;
    const live = () => this.conns.get(id) === c;
    const stream: ByteStream = {
      write: (d) => {
        if (writeDone || !live() || !d.length) return;
        // Copied: the caller may reuse its buffer before the window lets the bytes out.
        c.queue.push(d.slice());
        schedule();
      },
      end: () => {
        if (writeDone || !live()) return;
        writeDone = true;
        c.ending = true;
        schedule();
      },
      destroy: () => {
        if (!live()) return;
        writeDone = true;
        this.send(encodeFrame(FrameType.SockClose, id));
        this.gone(id, c);
      },
      onData: (cb) => void (c.data = cb),
      onEnd: (cb) => void (c.end = cb),
      onClose: (cb) => {
        if (live()) c.close.push(cb);
        else cb();
      },
    };
    handler(stream);
  }
}
