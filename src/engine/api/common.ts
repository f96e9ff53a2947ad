// What every Engine API route shares: the request context, dockerd's parameter readers
// (httputils.BoolValue, filters.FromJSON, CheckForJSON), JSON as dockerd writes it, and
// typed reading of untrusted JSON bodies.
import type { Daemon } from "../daemon";
import { EngineError, InvalidParameterError } from "../errors";
import { parseTimestamps } from "../format/duration";
import { goJSON } from "../format/go-json";
import type { HttpRequest, HttpResponse } from "./http";

export const API_VERSION = "1.41";
export const MIN_API_VERSION = "1.12";

export interface ApiContext {
  readonly daemon: Daemon;
  readonly req: HttpRequest;
  readonly res: HttpResponse;
  /** The path's captures, percent-decoded. */
  readonly params: readonly string[];
  /** The version from the /v1.xx prefix, or the default. */
  readonly apiVersion: string;
  readonly query: URLSearchParams;
}

export interface Route {
  readonly method: "GET" | "HEAD" | "POST" | "DELETE" | "PUT";
  /** Matched against the path without the version prefix; groups become params. */
  readonly pattern: RegExp;
  handle(ctx: ApiContext): Promise<void> | void;
}

/** Compare "1.41"-style versions numerically (versions.compare). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(".").map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** httputils.BoolValue: anything but "", 0, no, false, none is true. */
export function boolValue(q: URLSearchParams, name: string): boolean {
  const s = (q.get(name) ?? "").trim().toLowerCase();
  return !(s === "" || s === "0" || s === "no" || s === "false" || s === "none");
}

/** httputils.BoolValueOrDefault. */
export function boolValueOr(q: URLSearchParams, name: string, def: boolean): boolean {
  return q.get(name) === null || q.get(name) === "" ? def : boolValue(q, name);
}

/** strconv.Atoi of a parameter; `undefined` when absent or empty. */
export function intValue(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^[+-]?\d{1,15}$/.test(v)) throw new InvalidParameterError(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
}

/** A since/until parameter ("seconds.nanoseconds", as the CLI sends it) as epoch milliseconds. */
export function timeParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (!v) return undefined;
  try {
    const t = parseTimestamps(v, 0);
    return t.seconds * 1000 + t.nanoseconds / 1e6;
  } catch (e) {
    throw new InvalidParameterError((e as Error).message);
  }
}

/** filters.FromJSON: {"key":{"value":true}} or the older {"key":["value"]}. */
export function filtersParam(q: URLSearchParams, name = "filters"): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const raw = q.get(name);
  if (!raw) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidParameterError(`invalid filter: ${raw}`);
  }
  if (parsed === null) return out;
  if (typeof parsed !== "object" || Array.isArray(parsed)) throw new InvalidParameterError(`invalid filter: ${raw}`);
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    let values: string[];
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) values = v as string[];
    else if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "boolean")) {
      values = Object.entries(v as Record<string, boolean>).filter(([, on]) => on).map(([s]) => s);
    } else throw new InvalidParameterError(`invalid filter: ${raw}`);
    out.set(k, values);
  }
  return out;
}

/** httputils.WriteJSON: an Encoder without HTML escaping, so a trailing newline. */
export function writeJSON(res: HttpResponse, status: number, value: unknown): void {
  res.send(status, goJSON(value, { escapeHTML: false }) + "\n", "application/json");
}

/** One JSON value of a streamed body, as json.Encoder writes it. */
export function jsonLine(value: unknown): string {
  return goJSON(value, { escapeHTML: false }) + "\n";
}

/** dockerd's error response: {"message": …} with the status of the error's kind. */
export function writeError(res: HttpResponse, e: unknown): void {
  const status = e instanceof EngineError ? e.status : 500;
  const message = e instanceof Error ? e.message : String(e);
  if (status === 304) res.empty(304);
  else writeJSON(res, status, { message });
}

/** httputils.CheckForJSON, then the body parsed; `undefined` for an empty body. */
export function jsonBody(req: HttpRequest): unknown {
  const ct = req.headers.get("content-type") ?? "";
  if (!req.body.length) return undefined;
  if (ct && !/^application\/json\s*(;|$)/i.test(ct)) throw new InvalidParameterError(`Content-Type specified (${ct}) must be 'application/json'`);
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: false }).decode(req.body)) as unknown;
  } catch (e) {
    throw new InvalidParameterError((e as Error).message);
  }
}

// ---------------------------------------------------------------- typed JSON reading

type Json = Record<string, unknown>;

const jsonType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

function typeError(where: string, v: unknown, goType: string): InvalidParameterError {
  return new InvalidParameterError(`json: cannot unmarshal ${jsonType(v)} into Go struct field ${where} of type ${goType}`);
}

/** A JSON object, or an error naming what it should have been. */
export function object(v: unknown, where: string): Json {
  if (v === undefined || v === null) return {};
  if (typeof v !== "object" || Array.isArray(v)) throw typeError(where, v, "struct");
  return v as Json;
}

/** Reads typed fields from a JSON object; absent and null fields give `undefined`. */
export class Fields {
  constructor(
    private readonly o: Json,
    private readonly struct: string,
  ) {}

  static of(v: unknown, struct: string): Fields {
    return new Fields(object(v, struct), struct);
  }

  has(k: string): boolean {
    return this.o[k] !== undefined && this.o[k] !== null;
  }

  raw(k: string): unknown {
    return this.o[k];
  }

  private get(k: string): unknown {
    const v = this.o[k];
    return v === null ? undefined : v;
  }

  str(k: string): string | undefined {
    const v = this.get(k);
    if (v === undefined || typeof v === "string") return v;
    throw typeError(`${this.struct}.${k}`, v, "string");
  }

  bool(k: string): boolean | undefined {
    const v = this.get(k);
    if (v === undefined || typeof v === "boolean") return v;
    throw typeError(`${this.struct}.${k}`, v, "bool");
  }

  int(k: string): number | undefined {
    const v = this.get(k);
    if (v === undefined) return undefined;
    if (typeof v === "number" && Number.isSafeInteger(v)) return v;
    throw typeError(`${this.struct}.${k}`, v, "int64");
  }

  /** []string; `null` stays null (Docker tells nil from empty for some fields). */
  strings(k: string): string[] | null | undefined {
    const v = this.o[k];
    if (v === undefined) return undefined;
    if (v === null) return null;
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return [...(v as string[])];
    throw typeError(`${this.struct}.${k}`, v, "[]string");
  }

  /** strslice.StrSlice: a string or a list of strings. */
  strSlice(k: string): string[] | null | undefined {
    const v = this.o[k];
    if (typeof v === "string") return [v];
    return this.strings(k);
  }

  /** map[string]string */
  strMap(k: string): Record<string, string> | null | undefined {
    const v = this.o[k];
    if (v === undefined) return undefined;
    if (v === null) return null;
    if (typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string")) return { ...(v as Record<string, string>) };
    throw typeError(`${this.struct}.${k}`, v, "map[string]string");
  }

  /** map[string]struct{} (ExposedPorts, Volumes): only the keys count. */
  keySet(k: string): Record<string, Record<string, never>> | null | undefined {
    const v = this.o[k];
    if (v === undefined) return undefined;
    if (v === null) return null;
    if (typeof v !== "object" || Array.isArray(v)) throw typeError(`${this.struct}.${k}`, v, "map[string]struct {}");
    return Object.fromEntries(Object.keys(v).map((key) => [key, {}]));
  }

  sub(k: string): Fields {
    return new Fields(object(this.o[k], `${this.struct}.${k}`), `${this.struct}.${k}`);
  }
}

/** Drop undefined entries, so spreading a partial record never overrides with undefined. */
export function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
