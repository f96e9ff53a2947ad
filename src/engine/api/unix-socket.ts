// The HTTP core on a Node unix socket: what `berth serve` listens on. Only a filesystem
// path is accepted, never a network address: the API is root in the VM.
import { chmodSync, lstatSync, unlinkSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import type { Daemon } from "../daemon";
import { serveHttp, type ByteStream, type HttpHandler, type HttpLimits } from "./http";
import { apiHandler } from "./router";

/** A Node socket as the HTTP core's byte stream. */
export function nodeByteStream(socket: Socket): ByteStream {
  return {
    write: (d) => {
      if (!socket.destroyed && socket.writable) socket.write(d);
    },
    end: () => {
      if (!socket.destroyed) socket.end();
    },
    destroy: () => {
      socket.destroy();
    },
    onData: (cb) => socket.on("data", (d: Buffer) => cb(new Uint8Array(d.buffer, d.byteOffset, d.byteLength))),
    onEnd: (cb) => socket.on("end", cb),
    onClose: (cb) => socket.on("close", () => cb()),
  };
}

/** Whether something accepts connections on the socket at `path`. */
export function socketAnswers(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ path });
    const done = (v: boolean) => {
      clearTimeout(t);
      s.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done(true), timeoutMs);
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

export class SocketInUseError extends Error {}

/**
 * Make `path` free for a new socket: a stale socket file (nothing answers) is removed;
 * a live one, or anything that is not a socket, is refused.
 */
export async function claimSocketPath(path: string): Promise<void> {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (!st.isSocket()) throw new SocketInUseError(`${path} exists and is not a socket; refusing to replace it`);
  if (await socketAnswers(path)) throw new SocketInUseError(`another server is already listening on ${path}`);
  unlinkSync(path);
}

export interface UnixHttpServer {
  readonly path: string;
  close(): Promise<void>;
}

export async function listenUnix(path: string, handler: HttpHandler, limits?: HttpLimits): Promise<UnixHttpServer> {
  await claimSocketPath(path);
  const sockets = new Set<Socket>();
  // allowHalfOpen: an attached client half-closes when its stdin ends and still reads output.
  const server: Server = createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    serveHttp(nodeByteStream(socket), handler, limits);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ path, exclusive: true }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // Only this user may drive the engine (dockerd's socket is root:docker 0660).
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `berth serve`: the daemon's Engine API on a unix socket at `path`. */
export function serveApiOnUnixSocket(daemon: Daemon, path: string): Promise<UnixHttpServer> {
  return listenUnix(path, apiHandler(daemon));
}
