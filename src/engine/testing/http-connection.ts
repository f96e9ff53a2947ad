// Test helper: an in-memory connection to the HTTP server; the test plays the client.
import type { ByteStream } from "../../sandbox/types";
import { DEFAULT_LIMITS, serveHttp, type HttpHandler, type HttpLimits } from "../api/http";

const enc = new TextEncoder();
const dec = new TextDecoder();

export function httpConnection(handler: HttpHandler, limits: HttpLimits = DEFAULT_LIMITS) {
  let data: (d: Uint8Array) => void = () => {};
  let end: () => void = () => {};
  let close: () => void = () => {};
  const state = { out: "", ended: false, destroyed: false };
  const stream: ByteStream = {
    write: (d) => void (state.out += dec.decode(d)),
    end: () => void (state.ended = true),
    destroy: () => {
      if (state.destroyed) return;
      state.destroyed = true;
      close();
    },
    onData: (cb) => void (data = cb),
    onEnd: (cb) => void (end = cb),
    onClose: (cb) => void (close = cb),
  };
  serveHttp(stream, handler, limits);
  return {
    state,
    send: (s: string | Uint8Array) => data(typeof s === "string" ? enc.encode(s) : s),
    clientEnd: () => end(),
  };
}

/** Let the server's promises and microtasks run. */
export const tick = () => new Promise((r) => setTimeout(r, 0));

/** The responses written so far, split at their status lines, without the Date header. */
export const responses = (out: string) =>
  out
    .replace(/\r\nDate: [^\r]*/g, "")
    .split(/(?=HTTP\/1\.1 \d{3})/)
    .filter(Boolean);
