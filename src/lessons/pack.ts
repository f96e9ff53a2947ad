// Instructor packs: a content folder as one static JSON file (text files) with its images
// beside it, built by `npm run pack` and loaded with `?pack=URL`. A pack is untrusted
// input: its shape is checked here, then it goes through the same loader as the built-in
// course, and its text through the same sanitizer when rendered.
import { isAssetPath, loadCourse, type ContentSource } from "./loader";
import { ContentError, isWorkspacePath, type Course } from "./schema";

export interface PackFile {
  format: "berth-pack";
  version: 1;
  title: string;
  /** Text files by path relative to the content folder. */
  files: Record<string, string>;
  /** Image paths, served beside pack.json under the same relative paths. */
  assets: string[];
}

export interface LoadedPack {
  title: string;
  url: string;
  course: Course;
}

export const MAX_PACK_BYTES = 8 * 1024 * 1024;
const MAX_FILES = 2000;

export class PackError extends Error {
  override name = "PackError";
}

export function packFromSource(title: string, src: ContentSource): PackFile {
  return { format: "berth-pack", version: 1, title, files: Object.fromEntries(src.files), assets: src.assets };
}

/** Checks a pack's JSON shape and loads its course; throws PackError or ContentError. */
export function parsePack(text: string, url: string): LoadedPack {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new PackError("it is not JSON (build a pack with `npm run pack`)");
  }
  const o = v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  if (o?.format !== "berth-pack") throw new PackError('it is not a Berth pack (no "format": "berth-pack")');
  if (o.version !== 1) throw new PackError(`unsupported pack version ${JSON.stringify(o.version)} (this Berth reads version 1)`);
  if (typeof o.title !== "string" || !o.title.trim() || o.title.length > 200) throw new PackError("title: expected a string of 1..200 characters");
  const files = o.files;
  if (files === null || typeof files !== "object" || Array.isArray(files)) throw new PackError("files: expected an object of path → text");
  const entries = Object.keys(files).map((k) => [k, (files as Record<string, unknown>)[k]] as const);
  if (entries.length > MAX_FILES) throw new PackError(`files: more than ${MAX_FILES} files`);
  const map = new Map<string, string>();
  for (const [path, content] of entries) {
    if (!isWorkspacePath(path)) throw new PackError(`files: "${path}" is not a relative path inside the pack`);
    if (typeof content !== "string") throw new PackError(`files: "${path}": expected text`);
    map.set(path, content);
  }
  if (!Array.isArray(o.assets) || o.assets.length > MAX_FILES) throw new PackError("assets: expected a list of image paths");
  const assets: string[] = [];
  for (const a of o.assets as unknown[]) {
    if (typeof a !== "string" || !isWorkspacePath(a) || !isAssetPath(a)) throw new PackError(`assets: ${JSON.stringify(a)} is not an image path inside the pack`);
    assets.push(a);
  }
  const course = loadCourse({ files: map, assets }, { label: url, assetRoot: new URL(".", url).href });
  return { title: o.title, url, course };
}

/** Fetches and loads a pack; any failure is an Error whose message says what went wrong. */
export async function fetchPack(url: string, base: string, fetchFn: typeof fetch = fetch): Promise<LoadedPack> {
  let abs: URL;
  try {
    abs = new URL(url, base);
  } catch {
    throw new PackError(`"${url}" is not a URL`);
  }
  if (abs.protocol !== "https:" && abs.protocol !== "http:") throw new PackError(`only http(s) URLs can be loaded, not ${abs.protocol}`);
  let res: Response;
  try {
    res = await fetchFn(abs.href, { credentials: "omit" });
  } catch (e) {
    throw new PackError(`it could not be fetched (${e instanceof Error ? e.message : String(e)}); the server must allow this page to read it (CORS)`);
  }
  if (!res.ok) throw new PackError(`the server answered ${res.status} ${res.statusText}`.trim());
  const declared = Number(res.headers.get("content-length") ?? 0);
  if (declared > MAX_PACK_BYTES) throw new PackError(`it is larger than ${MAX_PACK_BYTES / 1024 / 1024} MB`);
  const text = await res.text();
  if (text.length > MAX_PACK_BYTES) throw new PackError(`it is larger than ${MAX_PACK_BYTES / 1024 / 1024} MB`);
  return parsePack(text, abs.href);
}

/** One line for the page: what failed, with the problems listed by the loader. */
export function packErrorMessage(e: unknown): string {
  if (e instanceof ContentError) return `its lessons are invalid:\n${e.problems.join("\n")}`;
  return e instanceof Error ? e.message : String(e);
}
