// Engine API dispatch as dockerd's router does it: the optional /v1.xx prefix, the version
// checks and headers of its middlewares, the route table, and errors as {"message": …}.
import { ENGINE, type Daemon } from "../daemon";
import { API_VERSION, compareVersions, MIN_API_VERSION, writeError, writeJSON, type ApiContext, type Route } from "./common";
import { containerRoutes } from "./containers";
import type { HttpHandler, HttpResponse } from "./http";
import { imageRoutes } from "./images";
import { systemRoutes } from "./system";

export const ROUTES: readonly Route[] = [...systemRoutes, ...imageRoutes, ...containerRoutes];

const VERSIONED = /^\/v([0-9.]+)(\/.*)$/;

function notFound(res: HttpResponse): void {
  writeJSON(res, 404, { message: "page not found" });
}

/** The handler of one daemon's API: every request is a call on `daemon`, nothing more. */
export function apiHandler(daemon: Daemon, routes: readonly Route[] = ROUTES): HttpHandler {
  return async (req, res) => {
    let path: string;
    try {
      // Go routes on the decoded path.
      path = decodeURIComponent(req.path);
    } catch {
      res.send(400, "400 Bad Request: invalid URL escape\n", "text/plain; charset=utf-8");
      return;
    }
    let apiVersion = API_VERSION;
    const v = VERSIONED.exec(path);
    if (v) {
      apiVersion = v[1]!;
      path = v[2]!;
    }
    let params: string[] | undefined;
    const route = routes.find((r) => {
      if (r.method !== req.method) return false;
      const m = r.pattern.exec(path);
      if (m) params = m.slice(1);
      return !!m;
    });
    if (!route || !params) return notFound(res);

    res.setHeader("Server", `Docker/${ENGINE.version} (linux)`);
    res.setHeader("Api-Version", API_VERSION);
    res.setHeader("Ostype", "linux");
    if (compareVersions(apiVersion, MIN_API_VERSION) < 0) {
      // dockerd answers this one with http.Error: plain text.
      res.setHeader("X-Content-Type-Options", "nosniff");
      const msg = `client version ${apiVersion} is too old. Minimum supported API version is ${MIN_API_VERSION}, please upgrade your client to a newer version`;
      res.send(400, `${msg}\n`, "text/plain; charset=utf-8");
      return;
    }
    if (compareVersions(apiVersion, API_VERSION) > 0) {
      writeJSON(res, 400, { message: `client version ${apiVersion} is too new. Maximum supported API version is ${API_VERSION}` });
      return;
    }
    res.setHeader("Docker-Experimental", "false");
    const ctx: ApiContext = { daemon, req, res, params, apiVersion, query: req.query };
    try {
      await route.handle(ctx);
    } catch (e) {
      // Once a stream has begun, the HTTP server drops the connection instead.
      if (res.started) throw e;
      writeError(res, e);
    }
  };
}
