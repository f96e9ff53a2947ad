// A small HTTP/1.1 server over an abstract byte stream, enough for the Docker Engine API:
// bounded request parsing (the peer is untrusted), Content-Length and chunked bodies,
// keep-alive, fixed and chunked responses, and connection hijacking as dockerd does it for
// attach and exec. It knows nothing about sockets, so the same code can serve a Node unix
// socket now and a guest socket later.

import { concat } from "../../sandbox/bytes";
import type { ByteStream } from "../../sandbox/types";

export type { ByteStream };

export interface HttpLimits {
  /** Request line plus headers (Go's net/http allows 1 MiB; the Engine API needs far less). */
  maxHeaderBytes: number;
  maxHeaderCount: number;
  /** Decoded body size. */
  maxBodyBytes: number;
  /** A request that has begun must have its headers within this time (slowloris). */
  headerTimeoutMs: number;
}

export const DEFAULT_LIMITS: HttpLimits = {
  maxHeaderBytes: 64 * 1024,
  maxHeaderCount: 100,
  maxBodyBytes: 16 * 1024 * 1024,
  headerTimeoutMs: 30_000,
};

/** Header names are kept lower-cased; repeated headers keep every value in order. */
export class HttpHeaders {
  private readonly map = new Map<string, string[]>();

  add(name: string, value: string): void {
    const k = name.toLowerCase();
    const list = this.map.get(k);
    if (list) list.push(value);
    else this.map.set(k, [value]);
  }

  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())?.[0];
  }

  all(name: string): readonly string[] {
    return this.map.get(name.toLowerCase()) ?? [];
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  /** Comma-separated tokens across every value of a header, lower-cased. */
  tokens(name: string): string[] {
    return this.all(name)
      .flatMap((v) => v.split(","))
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
  }
}

export interface HttpRequest {
  readonly method: string;
  /** The request target as sent ("/v1.41/containers/json?all=1"). */
  readonly target: string;
  /** The path part of the target, still percent-encoded. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly httpVersion: "1.0" | "1.1";
  readonly headers: HttpHeaders;
  readonly body: Uint8Array;
}

/** A response body written in pieces (chunked on HTTP/1.1). */
export interface ResponseStream {
  write(data: Uint8Array | string): void;
  end(): void;
}

/** The raw connection after a hijack: the handler owns it from then on. */
export interface HijackedConnection {
  write(data: Uint8Array | string): void;
  /** Half-close: tell the peer no more output is coming, keep reading its input. */
  closeWrite(): void;
  /** Close the connection. */
  close(): void;
  /** Input from the peer (the bytes already buffered after the request come first). */
  onData(cb: (data: Uint8Array) => void): void;
  /** The peer half-closed (it sends no more input). */
  onEnd(cb: () => void): void;
  onClose(cb: () => void): void;
  readonly closed: boolean;
}

export type HttpHandler = (req: HttpRequest, res: HttpResponse) => Promise<void> | void;

/** A client-caused failure while reading a request: answered with `status` and the connection closed. */
export class HttpParseError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "HttpParseError";
  }
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  204: "No Content",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  411: "Length Required",
  413: "Request Entity Too Large",
  417: "Expectation Failed",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

export const statusText = (status: number): string => STATUS_TEXT[status] ?? "Unknown";

const encoder = new TextEncoder();
const bytes = (d: Uint8Array | string): Uint8Array => (typeof d === "string" ? encoder.encode(d) : d);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Header values: visible ASCII, space, tab and obs-text; no other control characters.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const TARGET = /^[\x21-\x7e]+$/;

/** Bytes as Latin-1 text: one char per byte, so nothing is lost or reinterpreted. */
function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** Go's http.TimeFormat: "Mon, 02 Jan 2006 15:04:05 GMT". */
export function httpDate(ms: number = Date.now()): string {
  return new Date(ms).toUTCString();
}

interface ParsedHead {
  method: string;
  target: string;
  httpVersion: "1.0" | "1.1";
  headers: HttpHeaders;
}

/** Parse a request head (request line and header lines, without the blank line ending it). */
export function parseRequestHead(text: string, limits: Pick<HttpLimits, "maxHeaderCount"> = DEFAULT_LIMITS): ParsedHead {
  if (/\r(?!\n)/.test(text)) throw new HttpParseError(400, "bare CR in request head");
  const lines = text.split(/\r?\n/);
  const requestLine = lines.shift() ?? "";
  const parts = requestLine.split(" ");
  if (parts.length !== 3) throw new HttpParseError(400, "malformed request line");
  const [method = "", target = "", proto = ""] = parts;
  if (!TOKEN.test(method)) throw new HttpParseError(400, "invalid method");
  if (!TARGET.test(target) || !(target.startsWith("/") || (target === "*" && method === "OPTIONS"))) {
    throw new HttpParseError(400, "invalid request target");
  }
  const m = /^HTTP\/(\d)\.(\d)$/.exec(proto);
  if (!m) throw new HttpParseError(400, "malformed HTTP version");
  if (m[1] !== "1") throw new HttpParseError(505, "unsupported HTTP version");
  const httpVersion = m[2] === "0" ? "1.0" : "1.1";
  const headers = new HttpHeaders();
  let count = 0;
  for (const line of lines) {
    // obs-fold (a continuation line) is obsolete and a smuggling vector: rejected (RFC 9112 5.2).
    if (line.startsWith(" ") || line.startsWith("\t")) throw new HttpParseError(400, "folded header line");
    const colon = line.indexOf(":");
    if (colon <= 0) throw new HttpParseError(400, "malformed header line");
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) throw new HttpParseError(400, "invalid header name");
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
    if (!FIELD_VALUE.test(value)) throw new HttpParseError(400, "invalid header value");
    if (++count > limits.maxHeaderCount) throw new HttpParseError(431, "too many headers");
    headers.add(name, value);
  }
  return { method, target, httpVersion, headers };
}

/** How the body is framed, from the headers (RFC 9112 6.3). */
function bodyFraming(h: HttpHeaders, maxBody: number): { kind: "none" } | { kind: "length"; length: number } | { kind: "chunked" } {
  const te = h.tokens("transfer-encoding");
  const cls = h.all("content-length");
  if (h.has("transfer-encoding")) {
    // Both framings at once is how requests get smuggled; refuse rather than pick one.
    if (cls.length) throw new HttpParseError(400, "both Transfer-Encoding and Content-Length");
    if (te.length !== 1 || te[0] !== "chunked") throw new HttpParseError(501, "unsupported transfer encoding");
    return { kind: "chunked" };
  }
  if (!cls.length) return { kind: "none" };
  const values = new Set(cls.flatMap((v) => v.split(",")).map((v) => v.trim()));
  if (values.size !== 1) throw new HttpParseError(400, "conflicting Content-Length");
  const [v = ""] = values;
  if (!/^\d{1,15}$/.test(v)) throw new HttpParseError(400, "bad Content-Length");
  const length = Number(v);
  if (length > maxBody) throw new HttpParseError(413, "request body too large");
  return length ? { kind: "length", length } : { kind: "none" };
}

const MAX_CHUNK_LINE = 4096;
const CRLF = encoder.encode("\r\n");
const MAX_UNREAD_HIJACKED = 1 << 20;
const LINGER_MS = 30_000;

type State =
  | { s: "head" }
  | { s: "fixed"; remaining: number }
  | { s: "chunk-size" }
  | { s: "chunk-data"; remaining: number }
  | { s: "chunk-crlf" }
  | { s: "trailers"; bytes: number }
  | { s: "busy" }
  | { s: "hijacked" }
  | { s: "closed" };

/** Index of the end of the first line (the LF), or -1. */
function findLF(buf: Uint8Array, from = 0): number {
  return buf.indexOf(0x0a, from);
}

/** Index just past the blank line ending a head ("\r\n\r\n" or "\n\n"), or -1. */
function findHeadEnd(buf: Uint8Array): { headEnd: number; bodyStart: number } | null {
  let i = 0;
  for (;;) {
    const lf = buf.indexOf(0x0a, i);
    if (lf < 0) return null;
    const next = buf[lf + 1];
    if (next === 0x0a) return { headEnd: lf > 0 && buf[lf - 1] === 0x0d ? lf - 1 : lf, bodyStart: lf + 2 };
    if (next === 0x0d && buf[lf + 2] === 0x0a) return { headEnd: lf > 0 && buf[lf - 1] === 0x0d ? lf - 1 : lf, bodyStart: lf + 3 };
    if (next === undefined || (next === 0x0d && buf[lf + 2] === undefined)) return null;
    i = lf + 1;
  }
}


/**
 * One response. Exactly one of json/send/empty/stream/hijack starts it; a handler that
 * returns without starting one gets an empty 200, as in Go.
 */
export class HttpResponse {
  private readonly extra: [string, string][] = [];
  /** "none" → "fixed" | "stream" | "hijacked"; "done" when the body is complete. */
  private phase: "none" | "fixed" | "stream" | "hijacked" | "done" = "none";
  private closeCbs: (() => void)[] = [];
  private gone = false;
  /** Resolved when the peer goes away (closed, or half-closed outside a hijack). */
  readonly peerGone: Promise<void>;
  private resolveGone!: () => void;

  constructor(
    private readonly conn: HttpConnection,
    readonly request: HttpRequest,
    private readonly keepAlive: boolean,
  ) {
    this.peerGone = new Promise((r) => (this.resolveGone = r));
  }

  get started(): boolean {
    return this.phase !== "none";
  }

  get finished(): boolean {
    return this.phase === "done" || this.phase === "hijacked";
  }

  get isGone(): boolean {
    return this.gone;
  }

  /** Add a header to every form of this response (hijacked ones too, as dockerd copies them). */
  setHeader(name: string, value: string): void {
    if (/[\r\n]/.test(name + value)) throw new Error("header injection");
    const i = this.extra.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (i >= 0) this.extra[i] = [name, value];
    else this.extra.push([name, value]);
  }

  /** Called by the connection when the peer is gone. */
  peerClosed(): void {
    if (this.gone) return;
    this.gone = true;
    this.resolveGone();
    for (const cb of this.closeCbs.splice(0)) cb();
  }

  onPeerGone(cb: () => void): void {
    if (this.gone) cb();
    else this.closeCbs.push(cb);
  }

  private head(status: number, reason: string, headers: [string, string][]): string {
    let h = `HTTP/1.1 ${status} ${reason}\r\n`;
    const all: [string, string][] = [...this.extra, ...headers];
    if (!all.some(([n]) => n.toLowerCase() === "date")) all.push(["Date", httpDate()]);
    for (const [n, v] of all) h += `${n}: ${v}\r\n`;
    return h + "\r\n";
  }

  private begin(phase: "fixed" | "stream" | "hijacked"): void {
    if (this.phase !== "none") throw new Error("response already started");
    this.phase = phase;
  }

  /** A complete response with a body (HEAD gets the headers only). */
  send(status: number, body: Uint8Array | string, contentType: string): void {
    this.begin("fixed");
    const b = bytes(body);
    const noBody = status === 204 || status === 304 || (status >= 100 && status < 200);
    const headers: [string, string][] = [];
    if (!noBody) {
      if (b.length || contentType) headers.push(["Content-Type", contentType]);
      headers.push(["Content-Length", String(b.length)]);
    }
    if (!this.keepAlive) headers.push(["Connection", "close"]);
    this.conn.writeRaw(encoder.encode(this.head(status, statusText(status), headers)));
    if (!noBody && this.request.method !== "HEAD" && b.length) this.conn.writeRaw(b);
    this.phase = "done";
    this.conn.responseDone(this.keepAlive);
  }

  /** A response without a body: 204, 304, or an empty 200/201. */
  empty(status: number): void {
    this.send(status, new Uint8Array(0), "");
  }

  /**
   * Start a body written in pieces. HTTP/1.1 uses chunked encoding; HTTP/1.0 has no
   * framing, so the connection closes at the end.
   */
  stream(status: number, contentType: string): ResponseStream {
    this.begin("stream");
    const chunked = this.request.httpVersion === "1.1";
    const keep = this.keepAlive && chunked;
    const headers: [string, string][] = [["Content-Type", contentType]];
    if (chunked) headers.push(["Transfer-Encoding", "chunked"]);
    if (!keep) headers.push(["Connection", "close"]);
    this.conn.writeRaw(encoder.encode(this.head(status, statusText(status), headers)));
    const head = this.request.method === "HEAD";
    return {
      write: (data) => {
        if (this.phase !== "stream" || head) return;
        const b = bytes(data);
        if (!b.length) return;
        // One write per chunk: a relayed stream pays per write, not per byte.
        this.conn.writeRaw(chunked ? concat([encoder.encode(`${b.length.toString(16)}\r\n`), b, CRLF]) : b);
      },
      end: () => {
        if (this.phase !== "stream") return;
        if (chunked && !head) this.conn.writeRaw(encoder.encode("0\r\n\r\n"));
        this.phase = "done";
        this.conn.responseDone(keep);
      },
    };
  }

  /**
   * Take the connection over. With `upgrade` (the client sent `Upgrade: tcp`) the answer is
   * dockerd's "101 UPGRADED"; without it, a bare 200. No HTTP framing follows the head.
   */
  hijack(opts: { upgrade: boolean; contentType: string }): HijackedConnection {
    this.begin("hijacked");
    const headers: [string, string][] = [["Content-Type", opts.contentType]];
    let text: string;
    if (opts.upgrade) {
      headers.push(["Connection", "Upgrade"], ["Upgrade", "tcp"]);
      text = this.head(101, "UPGRADED", headers);
    } else {
      text = this.head(200, "OK", headers);
    }
    return this.conn.hijack(encoder.encode(text));
  }

  /** End a started stream (used when the handler returns). */
  finishStream(): void {
    if (this.phase === "stream") {
      if (this.request.httpVersion === "1.1" && this.request.method !== "HEAD") this.conn.writeRaw(encoder.encode("0\r\n\r\n"));
      this.phase = "done";
      this.conn.responseDone(this.keepAlive && this.request.httpVersion === "1.1");
    }
  }
}

/** One connection: parses requests one at a time and runs the handler for each. */
export class HttpConnection {
  private buf: Uint8Array = new Uint8Array(0);
  private state: State = { s: "head" };
  private head: ParsedHead | null = null;
  private bodyParts: Uint8Array[] = [];
  private bodyBytes = 0;
  private peerEnded = false;
  private transportClosed = false;
  private current: HttpResponse | null = null;
  private headerTimer: ReturnType<typeof setTimeout> | undefined;
  private hijacked: {
    data?: (d: Uint8Array) => void;
    end?: () => void;
    close: (() => void)[];
    pending: Uint8Array[];
    ended: boolean;
    closed: boolean;
  } | null = null;

  constructor(
    private readonly stream: ByteStream,
    private readonly handler: HttpHandler,
    private readonly limits: HttpLimits = DEFAULT_LIMITS,
  ) {
    stream.onData((d) => this.guard(() => this.onData(d)));
    stream.onEnd(() => this.guard(() => this.onEnd()));
    stream.onClose(() => this.guard(() => this.onClose()));
  }

  /**
   * A fault while handling one connection's input (a handler's stdin callback that throws,
   * say) drops that connection and never reaches the server's event loop.
   */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch {
      this.state = { s: "closed" };
      clearTimeout(this.headerTimer);
      this.stream.destroy();
    }
  }

  writeRaw(d: Uint8Array): void {
    if (!this.transportClosed) this.stream.write(d);
  }

  private onData(d: Uint8Array): void {
    if (this.state.s === "closed") return;
    if (this.hijacked) {
      const h = this.hijacked;
      if (h.data) h.data(d);
      // Input nobody reads yet (an attach without stdin reads none) is kept only up to a bound.
      else if (h.pending.reduce((n, p) => n + p.length, 0) + d.length <= MAX_UNREAD_HIJACKED) h.pending.push(d);
      return;
    }
    this.buf = this.buf.length ? concat([this.buf, d]) : d;
    if (this.state.s === "busy") {
      // A pipelined request waits for the current response; its size is still bounded.
      if (this.buf.length > this.limits.maxHeaderBytes + this.limits.maxBodyBytes) this.destroy();
      return;
    }
    this.pump();
  }

  private onEnd(): void {
    this.peerEnded = true;
    if (this.hijacked) {
      this.hijacked.ended = true;
      this.hijacked.end?.();
      return;
    }
    // Like Go, a client that stops sending has given up on the request in flight.
    this.current?.peerClosed();
    if (this.state.s !== "busy") this.destroy();
  }

  private onClose(): void {
    this.transportClosed = true;
    clearTimeout(this.headerTimer);
    this.state = { s: "closed" };
    this.current?.peerClosed();
    if (this.hijacked && !this.hijacked.closed) {
      this.hijacked.closed = true;
      for (const cb of this.hijacked.close.splice(0)) cb();
    }
  }

  private destroy(): void {
    if (this.state.s === "closed" && this.transportClosed) return;
    this.state = { s: "closed" };
    clearTimeout(this.headerTimer);
    this.stream.destroy();
  }

  /** Answer a malformed request as Go does (plain text, then close). */
  private fail(e: HttpParseError): void {
    const reason = statusText(e.status);
    const body = `${e.status} ${reason}`;
    this.writeRaw(encoder.encode(`HTTP/1.1 ${e.status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${body}`));
    this.state = { s: "closed" };
    clearTimeout(this.headerTimer);
    this.endThenDestroy();
  }

  /**
   * Send what is written, then close. A peer normally closes once it has read the end; one
   * that never reads or closes must not hold the connection open for good.
   */
  private endThenDestroy(): void {
    this.stream.end();
    setTimeout(() => this.stream.destroy(), LINGER_MS).unref?.();
  }

  private pump(): void {
    try {
      this.parse();
    } catch (e) {
      if (e instanceof HttpParseError) this.fail(e);
      else throw e;
    }
  }

  private armHeaderTimer(): void {
    if (this.headerTimer !== undefined || !this.buf.length) return;
    this.headerTimer = setTimeout(() => {
      this.headerTimer = undefined;
      if (this.state.s === "head" && this.buf.length) this.fail(new HttpParseError(408, "header timeout"));
    }, this.limits.headerTimeoutMs);
  }

  private parse(): void {
    for (;;) {
      const st = this.state;
      switch (st.s) {
        case "head": {
          // Empty lines before a request line are ignored (RFC 9112 2.2).
          let skip = 0;
          while (skip < this.buf.length && (this.buf[skip] === 0x0a || (this.buf[skip] === 0x0d && this.buf[skip + 1] === 0x0a))) skip += this.buf[skip] === 0x0d ? 2 : 1;
          if (skip) this.buf = this.buf.subarray(skip);
          if (!this.buf.length) return;
          const end = findHeadEnd(this.buf);
          if (!end) {
            if (this.buf.length > this.limits.maxHeaderBytes) throw new HttpParseError(431, "request head too large");
            this.armHeaderTimer();
            return;
          }
          if (end.headEnd > this.limits.maxHeaderBytes) throw new HttpParseError(431, "request head too large");
          clearTimeout(this.headerTimer);
          this.headerTimer = undefined;
          const head = parseRequestHead(latin1(this.buf.subarray(0, end.headEnd)), this.limits);
          this.buf = this.buf.subarray(end.bodyStart);
          const framing = bodyFraming(head.headers, this.limits.maxBodyBytes);
          const expect = head.headers.get("expect");
          if (expect !== undefined) {
            if (expect.toLowerCase() !== "100-continue") throw new HttpParseError(417, "unsupported Expect");
            if (head.httpVersion === "1.1" && framing.kind !== "none") this.writeRaw(encoder.encode("HTTP/1.1 100 Continue\r\n\r\n"));
          }
          this.head = head;
          this.bodyParts = [];
          this.bodyBytes = 0;
          if (framing.kind === "none") {
            this.dispatch();
            return;
          }
          this.state = framing.kind === "length" ? { s: "fixed", remaining: framing.length } : { s: "chunk-size" };
          break;
        }
        case "fixed": {
          if (!this.buf.length) return;
          const take = Math.min(st.remaining, this.buf.length);
          this.addBody(this.buf.subarray(0, take));
          this.buf = this.buf.subarray(take);
          if (st.remaining - take > 0) {
            this.state = { s: "fixed", remaining: st.remaining - take };
            return;
          }
          this.dispatch();
          return;
        }
        case "chunk-size": {
          const lf = findLF(this.buf);
          if (lf < 0) {
            if (this.buf.length > MAX_CHUNK_LINE) throw new HttpParseError(400, "chunk size line too long");
            return;
          }
          if (lf > MAX_CHUNK_LINE) throw new HttpParseError(400, "chunk size line too long");
          const line = latin1(this.buf.subarray(0, lf)).replace(/\r$/, "");
          this.buf = this.buf.subarray(lf + 1);
          // chunk-size [ ; extensions ]: extensions are read and ignored.
          const m = /^([0-9a-fA-F]{1,8})[ \t]*(;.*)?$/.exec(line);
          if (!m || /[\r\x00]/.test(line)) throw new HttpParseError(400, "malformed chunk size");
          const size = Number.parseInt(m[1]!, 16);
          if (size === 0) {
            this.state = { s: "trailers", bytes: 0 };
            break;
          }
          if (this.bodyBytes + size > this.limits.maxBodyBytes) throw new HttpParseError(413, "request body too large");
          this.state = { s: "chunk-data", remaining: size };
          break;
        }
        case "chunk-data": {
          if (!this.buf.length) return;
          const take = Math.min(st.remaining, this.buf.length);
          this.addBody(this.buf.subarray(0, take));
          this.buf = this.buf.subarray(take);
          this.state = st.remaining - take > 0 ? { s: "chunk-data", remaining: st.remaining - take } : { s: "chunk-crlf" };
          if (this.state.s === "chunk-data") return;
          break;
        }
        case "chunk-crlf": {
          if (this.buf.length < 1) return;
          if (this.buf[0] === 0x0a) this.buf = this.buf.subarray(1);
          else if (this.buf[0] === 0x0d) {
            if (this.buf.length < 2) return;
            if (this.buf[1] !== 0x0a) throw new HttpParseError(400, "malformed chunk end");
            this.buf = this.buf.subarray(2);
          } else throw new HttpParseError(400, "malformed chunk end");
          this.state = { s: "chunk-size" };
          break;
        }
        case "trailers": {
          // Trailer fields are read (bounded like headers) and dropped.
          const lf = findLF(this.buf);
          if (lf < 0) {
            if (st.bytes + this.buf.length > this.limits.maxHeaderBytes) throw new HttpParseError(431, "trailers too large");
            return;
          }
          const line = latin1(this.buf.subarray(0, lf)).replace(/\r$/, "");
          this.buf = this.buf.subarray(lf + 1);
          if (line === "") {
            this.dispatch();
            return;
          }
          if (/\r/.test(line) || line.indexOf(":") <= 0 || !TOKEN.test(line.slice(0, line.indexOf(":")))) throw new HttpParseError(400, "malformed trailer");
          const total = st.bytes + lf + 1;
          if (total > this.limits.maxHeaderBytes) throw new HttpParseError(431, "trailers too large");
          this.state = { s: "trailers", bytes: total };
          break;
        }
        default:
          return;
      }
    }
  }

  private addBody(d: Uint8Array): void {
    this.bodyParts.push(d.slice());
    this.bodyBytes += d.length;
  }

  private dispatch(): void {
    const head = this.head!;
    this.head = null;
    const body = new Uint8Array(this.bodyBytes);
    let off = 0;
    for (const p of this.bodyParts) {
      body.set(p, off);
      off += p.length;
    }
    this.bodyParts = [];
    const q = head.target.indexOf("?");
    const req: HttpRequest = {
      method: head.method,
      target: head.target,
      path: q < 0 ? head.target : head.target.slice(0, q),
      query: new URLSearchParams(q < 0 ? "" : head.target.slice(q + 1)),
      httpVersion: head.httpVersion,
      headers: head.headers,
      body,
    };
    const conn = head.headers.tokens("connection");
    const keepAlive = head.httpVersion === "1.1" ? !conn.includes("close") : conn.includes("keep-alive");
    this.state = { s: "busy" };
    const res = new HttpResponse(this, req, keepAlive && !this.peerEnded);
    this.current = res;
    if (this.peerEnded) res.peerClosed();
    void this.run(req, res);
  }

  private async run(req: HttpRequest, res: HttpResponse): Promise<void> {
    try {
      await this.handler(req, res);
    } catch (e) {
      if (!res.started) {
        res.send(500, `${(e as Error).message}\n`, "text/plain; charset=utf-8");
        return;
      }
      // Too late to report it in HTTP: drop the connection so the client sees the failure.
      if (!res.finished) this.destroy();
      return;
    }
    if (!res.started) res.empty(200);
    else res.finishStream();
  }

  /** The current response is complete. */
  responseDone(keepAlive: boolean): void {
    this.current = null;
    if (this.state.s === "closed") return;
    if (!keepAlive || this.peerEnded) {
      this.state = { s: "closed" };
      this.endThenDestroy();
      return;
    }
    this.state = { s: "head" };
    // Parse a pipelined request later, not inside the handler's call stack.
    if (this.buf.length) queueMicrotask(() => this.guard(() => this.state.s === "head" && this.pump()));
  }

  hijack(head: Uint8Array): HijackedConnection {
    this.state = { s: "hijacked" };
    this.current = null;
    const h = {
      data: undefined as ((d: Uint8Array) => void) | undefined,
      end: undefined as (() => void) | undefined,
      close: [] as (() => void)[],
      pending: this.buf.length ? [this.buf.slice()] : ([] as Uint8Array[]),
      ended: this.peerEnded,
      closed: this.transportClosed,
    };
    this.buf = new Uint8Array(0);
    this.hijacked = h;
    this.writeRaw(head);
    let writeClosed = false;
    return {
      write: (d) => {
        if (!writeClosed && !h.closed) this.writeRaw(bytes(d));
      },
      closeWrite: () => {
        if (writeClosed) return;
        writeClosed = true;
        if (!h.closed) this.stream.end();
      },
      close: () => {
        // Like Go's Close after its writes returned: what was written still reaches the peer.
        writeClosed = true;
        h.data = () => {};
        h.pending = [];
        if (!h.closed) this.endThenDestroy();
      },
      onData: (cb) => {
        h.data = cb;
        for (const d of h.pending.splice(0)) cb(d);
      },
      onEnd: (cb) => {
        h.end = cb;
        if (h.ended) cb();
      },
      onClose: (cb) => {
        if (h.closed) cb();
        else h.close.push(cb);
      },
      get closed() {
        return h.closed;
      },
    };
  }
}

/** Serve HTTP on one byte stream. */
export function serveHttp(stream: ByteStream, handler: HttpHandler, limits: HttpLimits = DEFAULT_LIMITS): HttpConnection {
  return new HttpConnection(stream, handler, limits);
}
