// A root filesystem held in memory, filled from Debian packages' data tarballs and
// written out as deterministic layer tarballs. Writing the tar headers ourselves gives
// exact owners and modes from the packages without root or fakeroot, and byte-identical
// layers for identical inputs. Plain Node, no dependencies.

/**
 * A file, directory or symlink. Two paths holding the same Node are hard links.
 * @typedef {{type: "file" | "dir" | "symlink", mode: number, uid: number, gid: number,
 *   data?: Buffer, target?: string}} Node
 */

/** @returns {Node} */
export const dirNode = (mode = 0o755, uid = 0, gid = 0) => ({ type: "dir", mode, uid, gid });
/** @returns {Node} */
export const fileNode = (data, mode = 0o644, uid = 0, gid = 0) => ({ type: "file", mode, uid, gid, data: Buffer.from(data) });
/** @returns {Node} */
export const linkNode = (target) => ({ type: "symlink", mode: 0o777, uid: 0, gid: 0, target });

/** "./usr//bin/" -> "usr/bin"; the root is "". */
export function clean(path) {
  return path.split("/").filter((c) => c && c !== ".").join("/");
}

const parentOf = (p) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");
const baseOf = (p) => p.slice(p.lastIndexOf("/") + 1);

export class Tree {
  /** @param {Map<string, Node>} map path (no leading slash) -> node */
  constructor(map = new Map([["", dirNode()]])) {
    this.map = map;
  }

  clone() {
    return new Tree(new Map(this.map));
  }

  get(path) {
    return this.map.get(clean(path));
  }

  /**
   * The path with every symlink in its directories followed, inside this tree (as the
   * kernel would inside a chroot); the last component too when followLast is set.
   * Absolute targets start again at this tree's root, never the build machine's.
   */
  resolve(path, followLast = false) {
    const todo = clean(path).split("/").filter(Boolean);
    const cur = [];
    for (let hops = 0; todo.length; ) {
      const c = todo.shift();
      if (c === "..") {
        cur.pop();
        continue;
      }
      const p = [...cur, c].join("/");
      const n = this.map.get(p);
      if (n?.type === "symlink" && (todo.length || followLast)) {
        if (++hops > 40) throw new Error(`too many symlinks resolving /${path}`);
        if (n.target.startsWith("/")) cur.length = 0;
        todo.unshift(...n.target.split("/").filter((x) => x && x !== "."));
        continue;
      }
      cur.push(c);
    }
    return cur.join("/");
  }

  /** Where an entry named `path` lands: its parent resolved, its own name kept. */
  place(path) {
    const p = clean(path);
    const dir = this.resolve(parentOf(p), true);
    return dir ? `${dir}/${baseOf(p)}` : baseOf(p);
  }

  /** Create missing directories up to and including `path` (like mkdir -p). */
  mkdirs(path, node = dirNode) {
    const p = this.resolve(path, true);
    if (!p) return p;
    const n = this.map.get(p);
    if (n?.type === "dir") return p;
    if (n) throw new Error(`/${p} exists and is not a directory`);
    this.mkdirs(parentOf(p), node);
    this.map.set(p, typeof node === "function" ? node() : { ...node });
    return p;
  }

  /** Put a file or symlink (replacing what was there) or a directory (kept if it exists). */
  put(path, node) {
    const p = this.place(path);
    const old = this.map.get(p);
    if (node.type === "dir") {
      // dpkg keeps an existing directory, or a symlink to one (/bin -> usr/bin), as it is.
      const real = this.map.get(this.resolve(p, true));
      if (real?.type === "dir") return this.resolve(p, true);
      if (old) throw new Error(`/${p} exists and is not a directory`);
    } else if (old?.type === "dir") {
      throw new Error(`/${p} is a directory`);
    }
    this.mkdirs(parentOf(p));
    this.map.set(p, node);
    return p;
  }

  /** Remove a path and everything under it. */
  remove(path) {
    const p = this.place(path);
    for (const k of [...this.map.keys()]) if (k === p || k.startsWith(p + "/")) this.map.delete(k);
  }

  /** Paths in byte order (parents before children). */
  paths() {
    return [...this.map.keys()].filter(Boolean).sort(byteOrder);
  }
}

export const byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));

// ---- reading: the tar streams of dpkg-deb --fsys-tarfile / --ctrl-tarfile ----

function str(buf, off, len) {
  const end = buf.indexOf(0, off);
  return buf.toString("utf8", off, end < 0 || end > off + len ? off + len : end);
}

function num(buf, off, len) {
  if (buf[off] & 0x80) {
    // GNU base-256
    let v = 0;
    for (let i = off + 1; i < off + len; i++) v = v * 256 + buf[i];
    return v;
  }
  const s = str(buf, off, len).trim();
  return s ? parseInt(s, 8) : 0;
}

/**
 * The entries of an uncompressed tar: {path, type, mode, uid, gid, data, target}, where
 * type is file, dir, symlink or hardlink (target: the linked path).
 */
export function* readTar(buf) {
  let off = 0;
  let longName, longLink;
  while (off + 512 <= buf.length) {
    const h = buf.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    const size = num(h, 124, 12);
    const flag = String.fromCharCode(h[156] || 0x30);
    const data = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (flag === "L") {
      longName = str(data, 0, data.length);
      continue;
    }
    if (flag === "K") {
      longLink = str(data, 0, data.length);
      continue;
    }
    if (flag === "x" || flag === "g") {
      if (flag === "x") {
        for (const rec of parsePax(data)) {
          if (rec[0] === "path") longName = rec[1];
          if (rec[0] === "linkpath") longLink = rec[1];
        }
      }
      continue;
    }
    const prefix = h.subarray(257, 263).toString("latin1") === "ustar\u000000" ? str(h, 345, 155) : "";
    const name = longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
    const link = longLink ?? str(h, 157, 100);
    longName = longLink = undefined;
    const type = { 0: "file", 7: "file", 1: "hardlink", 2: "symlink", 5: "dir" }[flag];
    if (!type) throw new Error(`unsupported tar entry type '${flag}' for ${name}`);
    yield {
      path: clean(name),
      type,
      mode: num(h, 100, 8) & 0o7777,
      uid: num(h, 108, 8),
      gid: num(h, 116, 8),
      data: type === "file" ? Buffer.from(data) : undefined,
      target: type === "symlink" ? link : type === "hardlink" ? clean(link) : undefined,
    };
  }
}

function* parsePax(data) {
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(data.toString("ascii", i, sp), 10);
    if (!(len > 0)) break;
    const rec = data.toString("utf8", sp + 1, i + len - 1);
    const eq = rec.indexOf("=");
    yield [rec.slice(0, eq), rec.slice(eq + 1)];
    i += len;
  }
}

// ---- writing ----

function octal(h, off, len, v) {
  h.write(v.toString(8).padStart(len - 1, "0") + "\0", off, len, "ascii");
}

function header(name, { flag, mode = 0, uid = 0, gid = 0, size = 0, mtime, link = "" }) {
  const h = Buffer.alloc(512);
  let prefix = "";
  if (Buffer.byteLength(name) > 100) {
    // ustar's prefix field holds up to 155 bytes of leading directories.
    const cut = name.lastIndexOf("/", 155);
    if (cut > 0 && Buffer.byteLength(name.slice(cut + 1)) <= 100 && Buffer.byteLength(name.slice(0, cut)) <= 155) {
      prefix = name.slice(0, cut);
      name = name.slice(cut + 1);
    } else {
      throw new Error(`path too long for ustar: ${name}`);
    }
  }
  h.write(name, 0, 100, "utf8");
  octal(h, 100, 8, mode);
  octal(h, 108, 8, uid);
  octal(h, 116, 8, gid);
  octal(h, 124, 12, size);
  octal(h, 136, 12, mtime);
  h.write(flag, 156, 1, "ascii");
  h.write(link, 157, 100, "utf8");
  h.write("ustar\u000000", 257, 8, "latin1");
  octal(h, 329, 8, 0);
  octal(h, 337, 8, 0);
  h.write(prefix, 345, 155, "utf8");
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
  return h;
}

/** A pax extended header carrying what does not fit ustar (long paths and link targets). */
function paxHeader(records, mtime) {
  const body = records
    .map(([k, v]) => {
      const rest = ` ${k}=${v}\n`;
      let len = Buffer.byteLength(rest) + 1;
      while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest);
      return `${len}${rest}`;
    })
    .join("");
  const data = Buffer.from(body);
  return [header("pax_header", { flag: "x", mode: 0o644, size: data.length, mtime }), pad(data)];
}

const pad = (b) => (b.length % 512 ? Buffer.concat([b, Buffer.alloc(512 - (b.length % 512))]) : b);

function fitsUstar(name) {
  if (Buffer.byteLength(name) <= 100) return true;
  const cut = name.lastIndexOf("/", 155);
  return cut > 0 && Buffer.byteLength(name.slice(cut + 1)) <= 100 && Buffer.byteLength(name.slice(0, cut)) <= 155;
}

/**
 * A layer tarball of the given paths of a tree, in byte order, every mtime `mtime`,
 * numeric owners only (no user names to look up on the extracting side). A node seen
 * under an earlier path is written as a hard link to it. `whiteouts` are OCI .wh. files.
 * @param {Tree} tree @param {string[]} paths @param {number} mtime @param {string[]} whiteouts
 */
export function writeTar(tree, paths, mtime, whiteouts = []) {
  const out = [];
  const first = new Map(); // node -> first path written
  const all = [...paths.map((p) => ({ p, n: tree.map.get(p) })), ...whiteouts.map((p) => ({ p, n: fileNode("", 0o644) }))];
  all.sort((a, b) => byteOrder(a.p, b.p));
  for (const { p, n } of all) {
    if (!n) throw new Error(`writeTar: no /${p}`);
    let name = n.type === "dir" ? `${p}/` : p;
    let flag, link = "", size = 0, data;
    if (n.type === "dir") flag = "5";
    else if (n.type === "symlink") (flag = "2"), (link = n.target);
    else if (first.has(n)) (flag = "1"), (link = first.get(n));
    else (flag = "0"), (size = n.data.length), (data = n.data), first.set(n, p);
    const pax = [];
    if (!fitsUstar(name)) pax.push(["path", name]), (name = name.slice(0, 99));
    if (Buffer.byteLength(link) > 100) pax.push(["linkpath", link]), (link = link.slice(0, 99));
    if (pax.length) out.push(...paxHeader(pax, mtime));
    out.push(header(name, { flag, mode: n.mode, uid: n.uid, gid: n.gid, size, mtime, link }));
    if (data?.length) out.push(pad(data));
  }
  out.push(Buffer.alloc(1024));
  return Buffer.concat(out);
}
