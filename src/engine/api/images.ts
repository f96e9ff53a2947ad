// Image endpoints of the Engine API 1.41 (moby api/server/router/image, v20.10.24). Pulls
// come from the offline set through the daemon, with the registry client's JSON progress.
import type { JsonMessage } from "../api-types";
import { EngineError, InvalidParameterError, NotFoundError, noSuchImage } from "../errors";
import { familiarString, isValidDigest, parseNormalizedNamed, parseReference, referenceString, tagNameOnly, trimNamed, withDigest, withTag, type NamedReference } from "../images/reference";
import { boolValue, defined, filtersParam, jsonLine, writeJSON, type ApiContext, type Route } from "./common";

const param = (ctx: ApiContext): string => ctx.params[0] ?? "";

/** reference.ParseNormalizedNamed, failing as dockerd's InvalidParameter. */
function named(s: string): NamedReference {
  try {
    return parseNormalizedNamed(s);
  } catch (e) {
    throw new InvalidParameterError((e as Error).message);
  }
}

/** jsonmessage.JSONMessage in Go's field order. */
function progressJSON(m: JsonMessage): unknown {
  return defined({ stream: m.stream, status: m.status, progressDetail: m.progressDetail, progress: m.progress, id: m.id, errorDetail: m.errorDetail, error: m.error, aux: m.aux });
}

function list(ctx: ApiContext): void {
  writeJSON(ctx.res, 200, ctx.daemon.listImages({ all: boolValue(ctx.query, "all"), filters: filtersParam(ctx.query) }));
}

/**
 * POST /images/create: a pull. The stream starts with the first progress message, so a
 * pull that fails before it (an image the offline set lacks) is an ordinary error response,
 * and one that fails later ends the stream with an error message, as dockerd does.
 */
async function create(ctx: ApiContext): Promise<void> {
  const q = ctx.query;
  const image = q.get("fromImage") ?? "";
  if (!image) throw new InvalidParameterError(q.get("fromSrc") ? "Berth cannot import images over the API" : "fromImage is required");
  let ref = named(image);
  const tag = q.get("tag") ?? "";
  if (tag) {
    try {
      ref = isValidDigest(tag) ? withDigest(trimNamed(ref), tag) : withTag(ref, tag);
    } catch (e) {
      throw new InvalidParameterError((e as Error).message);
    }
  }
  let out: ReturnType<typeof ctx.res.stream> | undefined;
  const write = (m: JsonMessage) => {
    out ??= ctx.res.stream(200, "application/json");
    out.write(jsonLine(progressJSON(m)));
  };
  try {
    await ctx.daemon.pull(referenceString(ref), write);
  } catch (e) {
    if (!out) throw e;
    const message = (e as Error).message;
    out.write(jsonLine({ errorDetail: { message }, error: message }));
  }
}

function inspect(ctx: ApiContext): void {
  const name = param(ctx);
  const img = ctx.daemon.image(name);
  if (!img) throw new NotFoundError(`no such image: ${name}: ${noSuchImage(name).message}`);
  writeJSON(ctx.res, 200, ctx.daemon.imageInspect(img));
}

/** POST /images/{name}/tag?repo=…&tag=…: 201 with no body. */
async function tag(ctx: ApiContext): Promise<void> {
  const name = param(ctx);
  const img = ctx.daemon.image(name);
  if (!img) throw new NotFoundError(`No such image: ${name}`);
  let ref = named(ctx.query.get("repo") ?? "");
  const t = ctx.query.get("tag") ?? "";
  if (t) {
    try {
      ref = withTag(trimNamed(ref), t);
    } catch (e) {
      throw new InvalidParameterError((e as Error).message);
    }
  }
  // The reference store's check; a system error (500) in dockerd.
  if (ref.digest !== undefined) throw new EngineError("refusing to create a tag with a digest reference");
  await ctx.daemon.tagImage(img.id, tagNameOnly(ref));
  ctx.res.empty(201);
}

async function remove(ctx: ApiContext): Promise<void> {
  const items = await ctx.daemon.removeImage(param(ctx), { force: boolValue(ctx.query, "force"), noPrune: boolValue(ctx.query, "noprune") });
  writeJSON(ctx.res, 200, items);
}

export const imageRoutes: readonly Route[] = [
  { method: "GET", pattern: /^\/images\/json$/, handle: list },
  { method: "POST", pattern: /^\/images\/create$/, handle: create },
  // Image names hold slashes, so {name} is everything up to the last segment, as in dockerd.
  { method: "GET", pattern: /^\/images\/(.+)\/json$/, handle: inspect },
  { method: "POST", pattern: /^\/images\/(.+)\/tag$/, handle: tag },
  { method: "DELETE", pattern: /^\/images\/(.+)$/, handle: remove },
];
