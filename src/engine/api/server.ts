// The guest's /var/run/docker.sock: the agent relays each connection to the host, which
// serves the Engine API on it with the same HTTP server and router as `berth serve`'s
// unix socket (unix-socket.ts). Browser-safe: no Node modules.
import type { HostSandbox } from "../../sandbox/types";
import type { Daemon } from "../daemon";
import { serveHttp } from "./http";
import { apiHandler } from "./router";

export function serveApiInGuest(sandbox: HostSandbox, daemon: Daemon): void {
  const handler = apiHandler(daemon);
  sandbox.onSocketConnection((stream) => void serveHttp(stream, handler));
}
