// A container's root filesystem in the guest: the overlay of its image layers (lower) and
// its own writable folder (upper) at /var/lib/berth/containers/<id>. Every operation here
// is a real guest process (busybox sh, find, stat, tar) on those folders; bytes move
// between host and guest through the engine's 9p share. Used by cp, diff, commit, export,
// and to keep a stopped container's files across a reload (guest RAM is lost with it).
import type { HostSandbox } from "../../sandbox/types";
import { goFileMode } from "../archive/copy";
import { readTar, writeTar, type TarEntry } from "../archive/tar";
import { containerDir, GUEST, mountRootfsScript } from "../runtime/guest";
import { dropTransfer, newTransfer, takeTransfer } from "../runtime/share-transfer";

export interface PathStat {
  name: string;
  size: number;
  /** Go's os.FileMode bits, as the archive API reports them. */
  mode: number;
  mtime: string;
  linkTarget: string;
}

/** A filesystem change as the Engine API reports it: Kind 0 modified, 1 added, 2 deleted. */
export interface Change {
  Path: string;
  Kind: 0 | 1 | 2;
}

export class PathNotFoundError extends Error {}
export class NotADirectoryError extends Error {}

/**
 * Paths Docker keeps in a container's init layer, below its writable layer, so they are
 * never reported as changes or committed. Here crun creates them in the upper folder as
 * mount points.
 */
const INIT_PATHS = new Set(["/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/console", "/proc", "/sys", "/.dockerenv", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/etc/mtab"]);

/** Symlinks resolved inside the rootfs ($r), as moby's FollowSymlinkInScope: sets R. */
const SCOPE = `scope() {
  rest=$1 out= n=0
  while [ -n "$rest" ]; do
    rest=\${rest#/}
    c=\${rest%%/*}; rest=\${rest#"$c"}
    case $c in ''|.) continue;; ..) out=\${out%/*}; continue;; esac
    if [ -L "$r$out/$c" ]; then
      n=$((n+1)); [ $n -le 255 ] || return 1
      t=$(readlink "$r$out/$c")
      case $t in /*) out=;; esac
      rest=$t$rest
    else
      out=$out/$c
    fi
  done
  R=$out
}`;

/** Stat one container path ($2) in rootfs $1: "mode size mtime" and, for a symlink, "L<target>". Exit 2: not found. */
const STAT = `r=$1; p=$2
${SCOPE}
dir=\${p%/*}; base=\${p##*/}
scope "$dir" || exit 3
f=$r$R/$base; [ -n "$base" ] || f=$r$R
[ -e "$f" ] || [ -L "$f" ] || exit 2
stat -c '%f %s %Y' "$f"
if [ -L "$f" ]; then d=$R; scope "$R/$base"; echo "L\${R:-/}"; R=$d; fi`;

/** STAT, then a tar of the path ($3) named by its base name. */
const ARCHIVE = `${STAT}
cd "$r$R" || exit 2
case $base in ''|.) tar -cf "$3" . ;; *) tar -cf "$3" "./$base" ;; esac`;

/** Extract tar $3 into the container folder $2 (symlinks resolved in scope). Exit 2: not found, 4: not a folder. */
const EXTRACT = `r=$1
${SCOPE}
scope "$2" || exit 3
f=$r$R
[ -e "$f" ] || exit 2
[ -d "$f" ] || exit 4
tar -x$4f "$3" -C "$f" --numeric-owner`;

/**
 * The upper folder ($1) against the merged rootfs ($2) and the lower folders ($3, topmost
 * first). "E mode major minor inLower path" for each upper entry; "H level kind path" for
 * each lower entry the merged view hides without a whiteout of its own (an opaque folder).
 * With $4, a tar of the upper folder is written there too.
 */
const SCAN = `u=$1 m=$2 L=$3
cd "$u" || exit 0
find . -mindepth 1 -exec stat -c '%f %t %T %n' {} + | while read -r f t T p; do
  r=\${p#.}; w=0
  for l in $L; do
    [ -c "$l$r" ] && break
    if [ -e "$l$r" ] || [ -L "$l$r" ]; then w=1; break; fi
  done
  echo "E $f $t $T $w $r"
done
find . -type d | while read -r p; do
  r=\${p#.}; i=0
  for l in $L; do
    i=$((i+1))
    [ -d "$l$r" ] || continue
    for e in "$l$r"/* "$l$r"/.[!.]* "$l$r"/..?*; do
      [ -e "$e" ] || [ -L "$e" ] || continue
      n=\${e##*/}
      { [ -e "$p/$n" ] || [ -L "$p/$n" ]; } && continue
      { [ -e "$m$r/$n" ] || [ -L "$m$r/$n" ]; } && continue
      k=e; [ -c "$e" ] && k=w
      echo "H $i $k $r/$n"
    done
  done
done
[ -z "$4" ] || tar -cf "$4" .`;

/** A tar of every top-level entry of the merged rootfs ($1), named without "./" as dockerd's export does. */
const EXPORT = `out=$2
cd "$1" || exit 2
set --
for f in * .[!.]* ..?*; do { [ -e "$f" ] || [ -L "$f" ]; } && set -- "$@" "$f"; done
tar -cf "$out" "$@"`;

export class ContainerFilesystem {
  /** Containers whose upper folder this boot already has (restored or made here). */
  private live = new Set<string>();

  constructor(private readonly vm: HostSandbox) {}

  /** Guest RAM is new after a reboot: every upper folder must come back from storage. */
  reset(): void {
    this.live.clear();
  }

  /** The guest path of a container's merged rootfs. */
  rootfs(id: string): string {
    return `${containerDir(id)}/rootfs`;
  }

  private async sh(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const r = await this.vm.exec(["sh", "-c", script, "sh", ...args]);
    return { code: r.code ?? 128 + (r.signal ?? 0), stdout: r.stdout, stderr: r.stderr };
  }

  /**
   * After a reboot, bring back a container's saved upper folder (and mount its rootfs)
   * before anything touches it. No guest process unless there is something to restore.
   */
  restore(id: string, layers: readonly string[], saved: () => Promise<Uint8Array | null>): Promise<void> {
    return this.prepare(id, layers, saved, false);
  }

  /** Make sure the rootfs is mounted, restoring the saved upper folder first if this boot has none. */
  mount(id: string, layers: readonly string[], saved: () => Promise<Uint8Array | null>): Promise<void> {
    return this.prepare(id, layers, saved, true);
  }

  private async prepare(id: string, layers: readonly string[], saved: () => Promise<Uint8Array | null>, mount: boolean): Promise<void> {
    const tar = this.live.has(id) ? null : await saved();
    if (tar || mount) {
      const x = tar ? await newTransfer(this.vm) : undefined;
      if (x && tar) await this.vm.engineFiles.write(x.file, overlayWhiteouts(tar));
      try {
        // Only a folder this boot has not made yet is restored; a live one is newer.
        await this.mountScript(id, layers, x ? `[ -d $d/upper ] || { mkdir -p $d/upper && tar -xf ${x.guest} -C $d/upper --numeric-owner; }` : "");
      } finally {
        if (x) await dropTransfer(this.vm, x);
      }
    }
    this.live.add(id);
  }

  private async mountScript(id: string, layers: readonly string[], before: string): Promise<void> {
    const r = await this.sh(`set -e\nd=$1\n${before}\n${mountRootfsScript(layers)}`, [containerDir(id)]);
    if (r.code !== 0) throw new Error(`mounting the container's filesystem failed: ${r.stderr.trim()}`);
  }

  forget(id: string): void {
    this.live.delete(id);
  }

  /** ContainerStatPath: lstat of a path resolved in the container's scope; null if missing. */
  async stat(id: string, path: string): Promise<PathStat | null> {
    const r = await this.sh(STAT, [this.rootfs(id), path]);
    if (r.code === 2) return null;
    if (r.code !== 0) throw new Error(r.stderr.trim() || `stat ${path} failed`);
    return parseStat(r.stdout, path);
  }

  /** ContainerArchivePath: the path's stat and a tar of it (entries named from its base name). */
  async archive(id: string, path: string): Promise<{ stat: PathStat; tar: Uint8Array } | null> {
    const x = await newTransfer(this.vm);
    const r = await this.sh(ARCHIVE, [this.rootfs(id), path, x.guest]);
    if (r.code === 2) {
      await dropTransfer(this.vm, x);
      return null;
    }
    const raw = await takeTransfer(this.vm, x).catch(() => undefined);
    if (r.code !== 0 || !raw) throw new Error(r.stderr.trim() || `archive of ${path} failed`);
    // busybox names entries "./name"; dockerd names them "name" (only a "." source keeps "./").
    const dot = path === "/" || path === "." || path.endsWith("/.");
    return { stat: parseStat(r.stdout, path), tar: dot ? raw : writeTar(readTar(raw)) };
  }

  /** ContainerExtractToDir: unpack `tar` into the folder `path`. */
  async extract(id: string, path: string, tar: Uint8Array, copyUidGid: boolean): Promise<void> {
    const x = await newTransfer(this.vm);
    await this.vm.engineFiles.write(x.file, tar);
    try {
      const r = await this.sh(EXTRACT, [this.rootfs(id), path, x.guest, copyUidGid ? "" : "o"]);
      if (r.code === 2) throw new PathNotFoundError(path);
      if (r.code === 4) throw new NotADirectoryError(path);
      if (r.code !== 0) throw new Error(r.stderr.trim() || `extracting into ${path} failed`);
    } finally {
      await dropTransfer(this.vm, x);
    }
  }

  private async scan(id: string, layers: readonly string[], withTar: boolean): Promise<{ changes: Change[]; tar?: Uint8Array }> {
    const d = containerDir(id);
    const lowers = [...layers].reverse().map((l) => `${GUEST.layers}/${l.slice(7)}`).join(" ");
    const x = withTar ? await newTransfer(this.vm) : undefined;
    const r = await this.sh(SCAN, [`${d}/upper`, `${d}/rootfs`, lowers, x?.guest ?? ""]);
    if (r.code !== 0) throw new Error(r.stderr.trim() || "scanning the container's changes failed");
    // No upper folder at all (never started) means no changes and no tar.
    const tar = x ? await takeTransfer(this.vm, x).catch(() => undefined) : undefined;
    return { changes: computeChanges(r.stdout), tar };
  }

  /** docker diff: the changes of the upper folder, as dockerd's naive differ reports them. */
  async changes(id: string, layers: readonly string[]): Promise<Change[]> {
    return (await this.scan(id, layers, false)).changes;
  }

  /** The container's changes as an image layer tar (whiteouts as .wh. files), for commit and for saving across a reload. */
  async layer(id: string, layers: readonly string[]): Promise<{ tar: Uint8Array; empty: boolean }> {
    const { changes, tar } = await this.scan(id, layers, true);
    return { tar: layerFromUpper(readTar(tar ?? new Uint8Array(0)), changes), empty: changes.length === 0 };
  }

  /** docker export: a tar of the merged rootfs. */
  async export(id: string): Promise<Uint8Array> {
    const x = await newTransfer(this.vm);
    const r = await this.sh(EXPORT, [this.rootfs(id), x.guest]);
    const tar = await takeTransfer(this.vm, x).catch(() => undefined);
    if (r.code !== 0 || !tar) throw new Error(r.stderr.trim() || "export failed");
    return tar;
  }
}

function parseStat(out: string, path: string): PathStat {
  const [first = "", second = ""] = out.split("\n");
  const [modeHex = "0", size = "0", mtime = "0"] = first.split(" ");
  const trimmed = path.replace(/\/+$/, "");
  const name = trimmed === "" ? "/" : trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return {
    name,
    size: Number(size),
    mode: goFileMode(parseInt(modeHex, 16)),
    mtime: new Date(Number(mtime) * 1000).toISOString().replace(".000Z", "Z"),
    linkTarget: second.startsWith("L") ? second.slice(1) : "",
  };
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFCHR = 0o020000;

/** Turn the scan's lines into Docker's change list: parents of changes are "modified". */
export function computeChanges(scan: string): Change[] {
  const kinds = new Map<string, 0 | 1 | 2>();
  const lowerDirs = new Set<string>();
  const hidden = new Map<string, { level: number; whiteout: boolean }>();
  for (const line of scan.split("\n")) {
    if (line.startsWith("E ")) {
      const m = /^E ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([01]) (\/.*)$/.exec(line);
      if (!m) continue;
      const mode = parseInt(m[1]!, 16);
      const path = m[5]!;
      if (INIT_PATHS.has(path)) continue;
      const inLower = m[4] === "1";
      if ((mode & S_IFMT) === S_IFCHR && m[2] === "0" && m[3] === "0") kinds.set(path, 2);
      else if ((mode & S_IFMT) === S_IFDIR && inLower) lowerDirs.add(path);
      else kinds.set(path, inLower ? 0 : 1);
    } else if (line.startsWith("H ")) {
      const m = /^H (\d+) ([ew]) (\/.*)$/.exec(line);
      if (!m) continue;
      const level = Number(m[1]);
      const prev = hidden.get(m[3]!);
      if (!prev || level < prev.level) hidden.set(m[3]!, { level, whiteout: m[2] === "w" });
    }
  }
  // A lower entry hidden by an opaque folder is deleted, unless a lower layer had already deleted it.
  for (const [path, h] of hidden) if (!h.whiteout && !INIT_PATHS.has(path)) kinds.set(path, 2);
  for (const path of [...kinds.keys()]) {
    for (let p = path.slice(0, path.lastIndexOf("/")); p; p = p.slice(0, p.lastIndexOf("/"))) {
      if (!kinds.has(p) && lowerDirs.has(p)) kinds.set(p, 0);
    }
  }
  const order = (a: string, b: string) => {
    const x = a.split("/");
    const y = b.split("/");
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return x.length - y.length;
  };
  return [...kinds.entries()].sort(([a], [b]) => order(a, b)).map(([Path, Kind]) => ({ Path, Kind }));
}

/** The image layer for a set of changes: upper entries that changed, whiteouts as ".wh." files. */
export function layerFromUpper(upper: readonly TarEntry[], changes: readonly Change[]): Uint8Array {
  const byPath = new Map(upper.map((e) => [`/${e.name}`, e]));
  const out: TarEntry[] = [];
  for (const c of changes) {
    const e = byPath.get(c.Path);
    if (c.Kind === 2) {
      const slash = c.Path.lastIndexOf("/");
      const name = `${c.Path.slice(1, slash + 1)}.wh.${c.Path.slice(slash + 1)}`;
      out.push({ name, type: "file", mode: 0, uid: 0, gid: 0, size: 0, mtime: e?.mtime ?? Math.floor(Date.now() / 1000), linkname: "", devmajor: 0, devminor: 0, data: new Uint8Array(0) });
    } else if (e) out.push(e);
  }
  return writeTar(out);
}

/** A stored layer's ".wh." files back as overlay whiteouts (0/0 character devices) for the upper folder. */
export function overlayWhiteouts(tar: Uint8Array): Uint8Array {
  const out: TarEntry[] = [];
  for (const e of readTar(tar)) {
    const slash = e.name.lastIndexOf("/");
    const base = e.name.slice(slash + 1);
    if (base === ".wh..wh..opq") continue;
    if (base.startsWith(".wh.")) out.push({ ...e, name: `${e.name.slice(0, slash + 1)}${base.slice(4)}`, type: "char", mode: 0, size: 0, devmajor: 0, devminor: 0, data: new Uint8Array(0) });
    else out.push(e);
  }
  return writeTar(out);
}
