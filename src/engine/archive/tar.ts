// Tar archives (ustar with PAX and GNU long names), for layers, `docker save`/`load`,
// `export`/`import` and `cp`. Input is untrusted: sizes and checksums are checked and
// a malformed header is an error, never a crash.

export type EntryType = "file" | "link" | "symlink" | "dir" | "char" | "block" | "fifo";

export interface TarEntry {
  name: string;
  type: EntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  /** Target of a link or symlink. */
  linkname: string;
  devmajor: number;
  devminor: number;
  data: Uint8Array;
  uname?: string;
  gname?: string;
}

export class TarFormatError extends Error {}

const TYPE_FLAGS: Record<string, EntryType> = { "0": "file", "\0": "file", "7": "file", "1": "link", "2": "symlink", "3": "char", "4": "block", "5": "dir", "6": "fifo" };
const FLAG_OF: Record<EntryType, string> = { file: "0", link: "1", symlink: "2", char: "3", block: "4", dir: "5", fifo: "6" };

const dec = new TextDecoder();
const enc = new TextEncoder();

function str(b: Uint8Array, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const nul = s.indexOf(0);
  return dec.decode(nul < 0 ? s : s.subarray(0, nul));
}

function num(b: Uint8Array, off: number, len: number): number {
  // GNU base-256 for big values.
  if (b[off]! & 0x80) {
    let v = b[off]! & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + b[off + i]!;
    return v;
  }
  const s = str(b, off, len).trim();
  if (!s) return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarFormatError(`invalid tar header: bad number "${s}"`);
  return parseInt(s, 8);
}

function parsePax(data: Uint8Array): Record<string, string> {
  // Records are "<len> <key>=<value>\n", where <len> counts the whole record.
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    if (data[i] === 0) break; // NUL padding after the last record
    const sp = data.indexOf(0x20, i);
    const lenText = sp < 0 ? "" : dec.decode(data.subarray(i, sp));
    const len = /^[0-9]+$/.test(lenText) ? parseInt(lenText, 10) : NaN;
    if (!(len > sp - i + 1) || i + len > data.length || data[i + len - 1] !== 0x0a) throw new TarFormatError("invalid tar header: bad PAX record");
    const rec = dec.decode(data.subarray(sp + 1, i + len - 1));
    const eq = rec.indexOf("=");
    if (eq <= 0) throw new TarFormatError("invalid tar header: bad PAX record");
    out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** Read every entry. Data views share the input buffer. */
export function readTar(buf: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let pax: Record<string, string> = {};
  let globalPax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  let pending = false; // a PAX or GNU long-name header waits for its entry
  while (off < buf.length) {
    if (off + 512 > buf.length) throw new TarFormatError("unexpected EOF in tar archive");
    const h = buf.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break;
    // Unsigned sum as POSIX says; some old tars summed signed bytes, which readers accept too.
    let sum = 0;
    let signed = 0;
    for (let i = 0; i < 512; i++) {
      const b = i >= 148 && i < 156 ? 32 : h[i]!;
      sum += b;
      signed += b > 127 ? b - 256 : b;
    }
    const want = num(h, 148, 8);
    if (want !== sum && want !== signed) throw new TarFormatError("invalid tar header: checksum mismatch");
    const flag = String.fromCharCode(h[156]!);
    const meta = flag === "x" || flag === "g" || flag === "L" || flag === "K";
    const all = { ...globalPax, ...pax };
    // A PAX size overrides the header's (which may be 0 for files of 8 GiB and more).
    let size = num(h, 124, 12);
    if (!meta && all.size !== undefined) {
      if (!/^[0-9]+$/.test(all.size)) throw new TarFormatError("invalid tar header: bad PAX size");
      size = Number(all.size);
    }
    const start = off + 512;
    if (start + size > buf.length) throw new TarFormatError("unexpected EOF in tar archive");
    const data = buf.subarray(start, start + size);
    // The last entry's padding may be missing altogether (Go's reader accepts that), not in part.
    off = start + Math.ceil(size / 512) * 512;
    if (off > buf.length) {
      if (buf.length !== start + size) throw new TarFormatError("unexpected EOF in tar archive");
      off = buf.length;
    }
    if (meta) {
      if (flag === "x") pax = { ...pax, ...parsePax(data) };
      else if (flag === "g") globalPax = { ...globalPax, ...parsePax(data) };
      else if (flag === "L") longName = str(data, 0, data.length);
      else longLink = str(data, 0, data.length);
      if (flag !== "g") pending = true;
      continue;
    }
    const type = TYPE_FLAGS[flag];
    if (!type) throw new TarFormatError(`unsupported tar entry type "${flag}"`);
    // Only POSIX ustar has a name prefix; GNU tar keeps atime/ctime in those bytes.
    const posix = str(h, 257, 6) === "ustar" && h[262] === 0;
    const prefix = posix ? str(h, 345, 155) : "";
    let name = all.path ?? longName ?? (prefix ? `${prefix}/${str(h, 0, 100)}` : str(h, 0, 100));
    name = clean(name);
    let linkname = all.linkpath ?? longLink ?? str(h, 157, 100);
    // A hard link names another entry of the archive: the same cleaning applies.
    if (type === "link" && linkname) linkname = clean(linkname);
    out.push({
      name,
      type,
      mode: num(h, 100, 8) & 0o7777,
      uid: all.uid !== undefined ? paxNum(all.uid, "uid") : num(h, 108, 8),
      gid: all.gid !== undefined ? paxNum(all.gid, "gid") : num(h, 116, 8),
      size,
      mtime: all.mtime !== undefined ? Math.floor(paxNum(all.mtime, "mtime")) : num(h, 136, 12),
      linkname,
      devmajor: num(h, 329, 8),
      devminor: num(h, 337, 8),
      data: type === "file" ? data : new Uint8Array(0),
      uname: all.uname ?? str(h, 265, 32),
      gname: all.gname ?? str(h, 297, 32),
    });
    pax = {};
    longName = longLink = undefined;
    pending = false;
  }
  if (pending) throw new TarFormatError("unexpected EOF in tar archive");
  return out;
}

function paxNum(v: string, key: string): number {
  if (!/^-?[0-9]+(\.[0-9]*)?$/.test(v)) throw new TarFormatError(`invalid tar header: bad PAX ${key} "${v}"`);
  return Number(v);
}

const clean = (name: string) => name.replace(/^(\.\/)+/, "").replace(/\/+$/, "") || ".";

function octal(b: Uint8Array, off: number, len: number, v: number): void {
  b.set(enc.encode(v.toString(8).padStart(len - 1, "0") + "\0"), off);
}

/** One PAX record, "<len> <key>=<value>\n", where <len> counts its own digits too. */
export function paxRecord(key: string, value: string): string {
  // The length counts itself, so find the fixed point.
  const body = ` ${key}=${value}\n`;
  let len = enc.encode(body).length;
  len += String(len).length;
  if (String(len).length !== String(len - String(len).length).length) len++;
  return `${len}${body}`;
}

const MAX_ID = 0o7777777;
const MAX_SIZE = 0o77777777777;

export type TarInput = Partial<TarEntry> & { name: string; type: EntryType };

/** Write entries as a ustar archive (PAX headers for long names and big values). */
export function writeTar(entries: Iterable<TarInput>): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const push = (b: Uint8Array) => {
    parts.push(b);
    total += b.length;
  };
  const block = (data: Uint8Array) => {
    push(data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) push(new Uint8Array(pad));
  };
  const header = (e: TarInput, flag: string, size: number, name: string, linkname: string): Uint8Array => {
    const h = new Uint8Array(512);
    h.set(enc.encode(name).subarray(0, 100), 0);
    octal(h, 100, 8, e.mode ?? (e.type === "dir" ? 0o755 : e.type === "symlink" ? 0o777 : 0o644));
    octal(h, 108, 8, e.uid ?? 0);
    octal(h, 116, 8, e.gid ?? 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, Math.floor(e.mtime ?? 0));
    h[156] = flag.charCodeAt(0);
    h.set(enc.encode(linkname).subarray(0, 100), 157);
    h.set(enc.encode("ustar\0"), 257);
    h.set(enc.encode("00"), 263);
    h.set(enc.encode(e.uname ?? "").subarray(0, 32), 265);
    h.set(enc.encode(e.gname ?? "").subarray(0, 32), 297);
    octal(h, 329, 8, e.devmajor ?? 0);
    octal(h, 337, 8, e.devminor ?? 0);
    h.fill(32, 148, 156);
    let sum = 0;
    for (const x of h) sum += x;
    h.set(enc.encode(sum.toString(8).padStart(6, "0") + "\0 "), 148);
    return h;
  };
  for (const e of entries) {
    const data = e.type === "file" ? (e.data ?? new Uint8Array(0)) : new Uint8Array(0);
    const name = e.type === "dir" && !e.name.endsWith("/") ? `${e.name}/` : e.name;
    const linkname = e.linkname ?? "";
    const uid = e.uid ?? 0;
    const gid = e.gid ?? 0;
    const mtime = Math.floor(e.mtime ?? 0);
    let rec = "";
    if (enc.encode(name).length > 100) rec += paxRecord("path", name);
    if (enc.encode(linkname).length > 100) rec += paxRecord("linkpath", linkname);
    if (data.length > MAX_SIZE) rec += paxRecord("size", String(data.length));
    if (uid > MAX_ID) rec += paxRecord("uid", String(uid));
    if (gid > MAX_ID) rec += paxRecord("gid", String(gid));
    if (mtime < 0 || mtime > MAX_SIZE) rec += paxRecord("mtime", String(mtime));
    if (e.uname && enc.encode(e.uname).length > 32) rec += paxRecord("uname", e.uname);
    if (e.gname && enc.encode(e.gname).length > 32) rec += paxRecord("gname", e.gname);
    if (rec) {
      const body = enc.encode(rec);
      push(header({ name: "PaxHeader", type: "file" }, "x", body.length, "PaxHeader", ""));
      block(body);
    }
    // Values too big for their octal fields are in the PAX header; the ustar fields get 0.
    const fixed = { ...e, uid: uid > MAX_ID ? 0 : uid, gid: gid > MAX_ID ? 0 : gid, mtime: mtime < 0 || mtime > MAX_SIZE ? 0 : mtime };
    push(header(fixed, FLAG_OF[e.type], data.length > MAX_SIZE ? 0 : data.length, name, linkname));
    if (data.length) block(data);
  }
  push(new Uint8Array(1024));
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
