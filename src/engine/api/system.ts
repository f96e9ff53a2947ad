// System endpoints of the Engine API 1.41 (moby api/server/router/system, v20.10.24):
// _ping, version, info and the event stream.
import type { EngineEvent } from "../api-types";
import { InvalidParameterError } from "../errors";
import { defined, filtersParam, jsonLine, timeParam, writeJSON, type ApiContext, type Route } from "./common";

function ping(ctx: ApiContext): void {
  ctx.res.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
  ctx.res.setHeader("Pragma", "no-cache");
  ctx.res.send(200, ctx.req.method === "HEAD" ? "" : "OK", "text/plain; charset=utf-8");
}

async function version(ctx: ApiContext): Promise<void> {
  writeJSON(ctx.res, 200, await ctx.daemon.version());
}

async function info(ctx: ApiContext): Promise<void> {
  writeJSON(ctx.res, 200, await ctx.daemon.systemInfo());
}

/** events.Message in dockerd's field order (the bus adds the legacy fields last). */
function eventJSON(e: EngineEvent): unknown {
  return { ...defined({ status: e.status, id: e.id, from: e.from }), Type: e.Type, Action: e.Action, Actor: e.Actor, scope: e.scope, time: e.time, timeNano: e.timeNano };
}

/**
 * GET /events: the kept events from `since` (only when since or until is given, as
 * dockerd), then live ones until `until` passes or the client goes away.
 */
async function events(ctx: ApiContext): Promise<void> {
  const q = ctx.query;
  const since = timeParam(q, "since");
  const until = timeParam(q, "until");
  if (until !== undefined && until < (since ?? 0)) {
    throw new InvalidParameterError(`\`since\` time (${q.get("since")}) cannot be after \`until\` time (${q.get("until")})`);
  }
  const matches = ctx.daemon.eventMatcher(filtersParam(q));
  const inWindow = (e: EngineEvent) => e.timeNano / 1e6 >= (since ?? 0) && (until === undefined || e.timeNano / 1e6 <= until);
  const out = ctx.res.stream(200, "application/json");
  const send = (e: EngineEvent) => {
    if (matches(e)) out.write(jsonLine(eventJSON(e)));
  };
  let live = true;
  const sub = ctx.daemon.events.subscribe((e) => {
    if (live && inWindow(e)) send(e);
  });
  try {
    if (since !== undefined || until !== undefined) for (const e of sub.past.filter(inWindow)) send(e);
    const left = until === undefined ? Infinity : until - Date.now();
    if (left <= 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((r) => {
      if (Number.isFinite(left)) timer = setTimeout(r, left);
    });
    await Promise.race([timeout, ctx.res.peerGone]);
    clearTimeout(timer);
  } finally {
    live = false;
    sub.close();
    out.end();
  }
}

export const systemRoutes: readonly Route[] = [
  { method: "GET", pattern: /^\/_ping$/, handle: ping },
  { method: "HEAD", pattern: /^\/_ping$/, handle: ping },
  { method: "GET", pattern: /^\/version$/, handle: version },
  { method: "GET", pattern: /^\/info$/, handle: info },
  { method: "GET", pattern: /^\/events$/, handle: events },
];
