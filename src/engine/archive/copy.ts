// docker cp's path rules (moby pkg/archive/copy.go): how a source archive is renamed and
// where it is extracted, given what the source is and what the destination already is.
// Pure functions over tar entries, shared by both directions of `docker cp`.
import type { TarEntry } from "./tar";

export const ERR_NOT_DIRECTORY = "not a directory";
export const ERR_DIR_NOT_EXISTS = "no such directory";
export const ERR_CANNOT_COPY_DIR = "cannot copy directory";

export class CopyError extends Error {}

/** Go's filepath.Clean for "/"-separated paths. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  const abs = p.startsWith("/");
  const out: string[] = [];
  for (const s of p.split("/")) {
    if (!s || s === ".") continue;
    if (s === "..") {
      if (out.length && out.at(-1) !== "..") out.pop();
      else if (!abs) out.push("..");
    } else out.push(s);
  }
  const joined = out.join("/");
  return abs ? `/${joined}` : joined || ".";
}

export function baseName(p: string): string {
  if (p === "") return ".";
  const t = p.replace(/\/+$/, "");
  if (t === "") return "/";
  return t.slice(t.lastIndexOf("/") + 1);
}

export function dirName(p: string): string {
  const i = p.lastIndexOf("/");
  return cleanPath(i < 0 ? "." : p.slice(0, i + 1) || "/");
}

export const hasTrailingSeparator = (p: string) => p.endsWith("/");
const specifiesCurrentDir = (p: string) => baseName(p) === ".";

/** PreserveTrailingDotOrSeparator: keep the "/" or "/." that Clean dropped. */
export function preserveTrailingDotOrSeparator(cleaned: string, original: string): string {
  if (!specifiesCurrentDir(cleaned) && specifiesCurrentDir(original)) {
    if (!hasTrailingSeparator(cleaned)) cleaned += "/";
    cleaned += ".";
  }
  if (!hasTrailingSeparator(cleaned) && hasTrailingSeparator(original)) cleaned += "/";
  return cleaned;
}

/** SplitPathDirEntry: "/a/b/." → ["/a/b", "."], "/a/b/" → ["/a", "b"]. */
export function splitPathDirEntry(path: string): [string, string] {
  let cleaned = cleanPath(path);
  if (specifiesCurrentDir(path)) cleaned += "/.";
  return [dirName(cleaned), baseName(cleaned)];
}

/** RebaseArchiveEntries: the first `oldBase` in each name (and hard link target) becomes `newBase`. */
export function rebaseEntries(entries: readonly TarEntry[], oldBase: string, newBase: string): TarEntry[] {
  const from = oldBase === "/" ? "" : oldBase;
  const swap = (name: string) => {
    // Names come cleaned from readTar ("./x" is "x"); the archive of a "." source names everything under ".".
    if (from === ".") return name === "." ? newBase : `${newBase}/${name}`;
    return name.replace(from, () => newBase);
  };
  return entries.map((e) => ({ ...e, name: swap(e.name), linkname: e.type === "link" ? swap(e.linkname) : e.linkname }));
}

export interface CopyInfo {
  path: string;
  exists: boolean;
  isDir: boolean;
  rebaseName?: string;
}

/**
 * PrepareArchiveCopy: the folder to extract into, and the renaming the source archive needs
 * so the copy lands where `cp` semantics say. Throws CopyError with moby's messages.
 */
export function prepareArchiveCopy(src: CopyInfo, dst: CopyInfo): { dstDir: string; rebase?: [string, string] } {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  let [, srcBase] = splitPathDirEntry(src.path);
  if (src.rebaseName) srcBase = src.rebaseName;
  if (dst.exists && dst.isDir) return { dstDir: dst.path };
  if (dst.exists && src.isDir) throw new CopyError(ERR_CANNOT_COPY_DIR);
  if (!dst.exists && !src.isDir && hasTrailingSeparator(dst.path)) throw new CopyError(ERR_DIR_NOT_EXISTS);
  if (!dst.exists && !src.isDir && specifiesCurrentDir(dst.path)) throw new CopyError(ERR_DIR_NOT_EXISTS);
  return { dstDir, rebase: [srcBase, dstBase] };
}

/** GetRebaseName: for `cp -L`, keep the link's own name for the followed target. */
export function getRebaseName(path: string, resolved: string): [string, string] {
  let rebase = "";
  if (specifiesCurrentDir(path) && !specifiesCurrentDir(resolved)) resolved += "/.";
  if (hasTrailingSeparator(path) && !hasTrailingSeparator(resolved)) resolved += "/";
  if (baseName(path) !== baseName(resolved)) rebase = baseName(path);
  return [resolved, rebase];
}

/** Go's os.FileMode from a Unix st_mode (bits above 2^31, so sums rather than 32-bit bit operations). */
export function goFileMode(mode: number): number {
  const TYPE: Record<number, number> = {
    0o040000: 2 ** 31, // ModeDir
    0o120000: 2 ** 27, // ModeSymlink
    0o060000: 2 ** 26, // ModeDevice
    0o020000: 2 ** 26 + 2 ** 21, // ModeDevice | ModeCharDevice
    0o010000: 2 ** 25, // ModeNamedPipe
    0o140000: 2 ** 24, // ModeSocket
  };
  let m = (mode & 0o777) + (TYPE[mode & 0o170000] ?? 0);
  if (mode & 0o4000) m += 2 ** 23;
  if (mode & 0o2000) m += 2 ** 22;
  if (mode & 0o1000) m += 2 ** 20;
  return m;
}

export const isDirMode = (goMode: number) => goMode >= 2 ** 31;
export const isSymlinkMode = (goMode: number) => Math.floor(goMode / 2 ** 27) % 2 === 1;
