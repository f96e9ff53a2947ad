// One virtio-console port as a byte pipe between host and guest.
// v86 drops input when the guest has no receive buffer posted, and a buffer holds one
// page, so writes are queued here and fed one buffer at a time as the guest frees them.
import type { V86 } from "v86";

interface VirtQueue {
  has_request(): boolean;
  pop_request(): { length_writable: number; set_next_blob(b: Uint8Array): void };
  push_reply(req: unknown): void;
  flush_replies(): void;
  enabled: boolean;
  is_configured(): unknown;
}

interface V86Internals {
  v86?: { cpu?: { devices?: { virtio_console?: { virtio?: { queues: VirtQueue[] } } } } };
}

export class ControlPort {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(
    private readonly emulator: V86,
    private readonly port: number,
    onData: (bytes: Uint8Array) => void,
  ) {
    emulator.add_listener(`virtio-console${port}-output-bytes` as "virtio-console0-output-bytes", onData);
  }

  /** Bytes waiting for the guest to post receive buffers. */
  get backlog(): number {
    return this.queued;
  }

  write(bytes: Uint8Array): void {
    if (this.closed || !bytes.length) return;
    this.queue.push(bytes);
    this.queued += bytes.length;
    this.pump();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.queue = [];
    this.queued = 0;
  }

  private rxQueue(): VirtQueue | undefined {
    // Receive queue of port N: 0 for port 0, else 2N+2 (virtio spec, multiport layout).
    const q = (this.emulator as unknown as V86Internals).v86?.cpu?.devices?.virtio_console?.virtio?.queues;
    return q?.[this.port === 0 ? 0 : 2 * this.port + 2];
  }

  private pump = (): void => {
    this.timer = undefined;
    const q = this.rxQueue();
    // Before the guest driver has set the queue up its addresses are zero and reading
    // it would touch random guest memory.
    const usable = !!q && q.enabled && !!q.is_configured();
    while (this.queue.length && usable && q.has_request()) {
      const req = q.pop_request();
      const room = Math.max(1, req.length_writable);
      const head = this.queue[0]!;
      const chunk = head.subarray(0, room);
      if (chunk.length === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(room);
      this.queued -= chunk.length;
      req.set_next_blob(chunk);
      q.push_reply(req);
      q.flush_replies();
    }
    if (this.queue.length && !this.closed) this.timer = setTimeout(this.pump, 1);
  };
}
