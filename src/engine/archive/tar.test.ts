import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, linkSync, writeFileSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paxRecord, readTar, TarFormatError, writeTar, type TarInput } from "./tar";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), "berth-tar-"));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Run GNU tar and return its stdout. */
const gnuTar = (args: string[], cwd = tmp) => execFileSync("tar", args, { cwd, encoding: "utf8", env: { ...process.env, LC_ALL: "C", TZ: "UTC" } });

const longName = `${"d".repeat(60)}/${"e".repeat(60)}/file-with-a-long-name.txt`; // 147 bytes
const longTarget = `/${"t".repeat(150)}`;

const sample: TarInput[] = [
  { name: "etc", type: "dir", mode: 0o755, mtime: 1_600_000_000 },
  { name: "etc/hostname", type: "file", data: enc("berth\n"), mode: 0o644, uid: 1000, gid: 1001, mtime: 1_600_000_123, uname: "alice", gname: "staff" },
  { name: "bin/sh", type: "symlink", linkname: "busybox", mode: 0o777 },
  { name: "bin/busybox", type: "file", data: new Uint8Array(1500).fill(7), mode: 0o4755 },
  { name: "bin/ls", type: "link", linkname: "bin/busybox" },
  { name: "dev/null", type: "char", devmajor: 1, devminor: 3, mode: 0o666 },
  { name: "dev/sda", type: "block", devmajor: 8, devminor: 0, mode: 0o660 },
  { name: "run/fifo", type: "fifo", mode: 0o600 },
  { name: longName, type: "file", data: enc("deep\n") },
  { name: "lnk", type: "symlink", linkname: longTarget },
  { name: "empty", type: "file" },
];

describe("writeTar → readTar", () => {
  const entries = readTar(writeTar(sample));

  it("keeps every entry, in order", () => {
    expect(entries.map((e) => [e.name, e.type])).toEqual([
      ["etc", "dir"],
      ["etc/hostname", "file"],
      ["bin/sh", "symlink"],
      ["bin/busybox", "file"],
      ["bin/ls", "link"],
      ["dev/null", "char"],
      ["dev/sda", "block"],
      ["run/fifo", "fifo"],
      [longName, "file"],
      ["lnk", "symlink"],
      ["empty", "file"],
    ]);
  });

  it("keeps file data, modes, owners and times", () => {
    const host = entries[1]!;
    expect(dec(host.data)).toBe("berth\n");
    expect(host).toMatchObject({ mode: 0o644, uid: 1000, gid: 1001, mtime: 1_600_000_123, size: 6, uname: "alice", gname: "staff" });
    const bb = entries[3]!;
    expect(bb.mode).toBe(0o4755);
    expect(bb.data).toEqual(new Uint8Array(1500).fill(7));
    expect(entries[0]!.mtime).toBe(1_600_000_000);
    expect(entries[10]!.data.length).toBe(0);
  });

  it("keeps links, devices and long names (PAX)", () => {
    expect(entries[2]!.linkname).toBe("busybox");
    expect(entries[4]!.linkname).toBe("bin/busybox");
    expect(entries[5]).toMatchObject({ devmajor: 1, devminor: 3, mode: 0o666 });
    expect(entries[6]).toMatchObject({ devmajor: 8, devminor: 0 });
    expect(dec(entries[8]!.data)).toBe("deep\n");
    expect(entries[9]!.linkname).toBe(longTarget);
  });

  it("carries IDs and names too big for the ustar fields in PAX records", () => {
    const [e] = readTar(
      writeTar([{ name: "big", type: "file", uid: 100_000_000, gid: 3_000_000, mtime: -5, uname: "u".repeat(40), data: enc("x") }]),
    );
    expect(e).toMatchObject({ uid: 100_000_000, gid: 3_000_000, mtime: -5, uname: "u".repeat(40) });
  });

  it("writes an archive of whole blocks ending with two zero blocks", () => {
    const tar = writeTar(sample);
    expect(tar.length % 512).toBe(0);
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true);
    expect(readTar(writeTar([]))).toEqual([]);
  });
});

describe("GNU tar reads what writeTar writes", () => {
  it("lists every entry with its type, mode, owner, size and time", () => {
    writeFileSync(join(tmp, "ours.tar"), writeTar(sample));
    const lines = gnuTar(["--numeric-owner", "-tvf", "ours.tar"]).trim().split("\n");
    expect(lines).toHaveLength(sample.length);
    expect(lines[0]).toMatch(/^drwxr-xr-x 0\/0 +0 2020-09-13 12:26 etc\/$/);
    expect(lines[1]).toMatch(/^-rw-r--r-- 1000\/1001 +6 2020-09-13 12:28 etc\/hostname$/);
    expect(lines[2]).toMatch(/^lrwxrwxrwx 0\/0 +0 .* bin\/sh -> busybox$/);
    expect(lines[3]).toMatch(/^-rwsr-xr-x 0\/0 +1500 .* bin\/busybox$/);
    expect(lines[4]).toMatch(/^hrw-r--r-- 0\/0 +0 .* bin\/ls link to bin\/busybox$/);
    expect(lines[5]).toMatch(/^crw-rw-rw- 0\/0 +1,3 .* dev\/null$/);
    expect(lines[6]).toMatch(/^brw-rw---- 0\/0 +8,0 .* dev\/sda$/);
    expect(lines[7]).toMatch(/^prw------- 0\/0 +0 .* run\/fifo$/);
    expect(lines[8]).toMatch(new RegExp(`^-rw-r--r-- 0/0 +5 .* ${longName}$`));
    expect(lines[9]).toMatch(new RegExp(`^lrwxrwxrwx 0/0 +0 .* lnk -> ${longTarget}$`));
  });

  it("extracts file contents, long names included", () => {
    const out = join(tmp, "extract");
    mkdirSync(out);
    writeFileSync(join(tmp, "files.tar"), writeTar(sample.filter((e) => e.type === "file" || e.type === "dir" || e.type === "symlink")));
    gnuTar(["-xf", "../files.tar"], out);
    expect(readFileSync(join(out, "etc/hostname"), "utf8")).toBe("berth\n");
    expect(readFileSync(join(out, longName), "utf8")).toBe("deep\n");
    expect(readFileSync(join(out, "bin/sh")).length).toBe(1500);
  });
});

describe("readTar reads GNU tar's archives", () => {
  let src: string;
  beforeAll(() => {
    src = join(tmp, "src");
    mkdirSync(join(src, "dir", "d".repeat(60), "e".repeat(60)), { recursive: true });
    writeFileSync(join(src, "dir", "hello.txt"), "hello\n");
    writeFileSync(join(src, "dir", "d".repeat(60), "e".repeat(60), "long-file-name.txt"), "long\n");
    symlinkSync("hello.txt", join(src, "dir", "sym"));
    symlinkSync(`../${"x".repeat(120)}`, join(src, "dir", "longsym"));
    linkSync(join(src, "dir", "hello.txt"), join(src, "dir", "hard"));
    const t = new Date("2021-02-03T04:05:06Z");
    utimesSync(join(src, "dir", "hello.txt"), t, t);
  });

  for (const format of ["gnu", "posix", "ustar"] as const) {
    it(`--format=${format}`, () => {
      const file = join(tmp, `${format}.tar`);
      const names = ["dir/hello.txt", "dir/hard", "dir/sym", `dir/${"d".repeat(60)}/${"e".repeat(60)}/long-file-name.txt`];
      if (format !== "ustar") names.push("dir/longsym"); // ustar cannot hold a 123-byte link target
      gnuTar(["--format=" + format, "--owner=0", "--group=0", "-cf", file, ...names], src);
      const entries = readTar(new Uint8Array(readFileSync(file)));
      const byName = new Map(entries.map((e) => [e.name, e]));
      expect([...byName.keys()]).toEqual(names);
      const hello = byName.get("dir/hello.txt")!;
      expect(hello).toMatchObject({ type: "file", uid: 0, gid: 0, mtime: Date.parse("2021-02-03T04:05:06Z") / 1000 });
      expect(dec(hello.data)).toBe("hello\n");
      expect(byName.get("dir/hard")).toMatchObject({ type: "link", linkname: "dir/hello.txt" });
      expect(byName.get("dir/sym")).toMatchObject({ type: "symlink", linkname: "hello.txt" });
      expect(dec(byName.get(names[3]!)!.data)).toBe("long\n");
      if (format !== "ustar") expect(byName.get("dir/longsym")!.linkname).toBe(`../${"x".repeat(120)}`);
    });
  }

  it("cleans './' from names and from hard-link targets alike", () => {
    const file = join(tmp, "dot.tar");
    gnuTar(["--format=gnu", "-cf", file, "./dir/hello.txt", "./dir/hard"], src);
    const entries = readTar(new Uint8Array(readFileSync(file)));
    expect(entries.map((e) => [e.name, e.linkname])).toEqual([
      ["dir/hello.txt", ""],
      ["dir/hard", "dir/hello.txt"],
    ]);
  });
});

describe("malformed archives", () => {
  const good = writeTar(sample);

  it("refuses a header whose checksum does not match", () => {
    const bad = good.slice();
    bad[10] = (bad[10] ?? 0) ^ 0x20;
    expect(() => readTar(bad)).toThrow(TarFormatError);
    expect(() => readTar(bad)).toThrow("invalid tar header: checksum mismatch");
  });

  it("refuses a corrupt number field", () => {
    const bad = good.slice();
    bad[124] = "9".charCodeAt(0); // size: not octal
    expect(() => readTar(bad)).toThrow(TarFormatError);
  });

  it("reports truncation as a TarFormatError at every cut, never a crash", () => {
    const ends = new Set<number>();
    // Offsets where a whole entry ends: those cuts are valid archives without a trailer.
    for (let n = 0; n <= sample.length; n++) ends.add(writeTar(sample.slice(0, n)).length - 1024);
    for (let cut = 1; cut < good.length - 1024; cut += 97) {
      const part = good.subarray(0, cut);
      if (ends.has(cut) || cut === 1024 + 6) continue; // 1030: etc/hostname's data, without its padding
      let err: unknown;
      try {
        readTar(part);
      } catch (e) {
        err = e;
      }
      expect(err, `cut at ${cut}`).toBeInstanceOf(TarFormatError);
    }
  });

  it("accepts a missing trailer after whole entries (as Go's reader does)", () => {
    const two = writeTar(sample.slice(0, 2));
    expect(readTar(two.subarray(0, two.length - 1024)).map((e) => e.name)).toEqual(["etc", "etc/hostname"]);
    // The last entry's padding may be missing altogether, but not in part.
    expect(readTar(two.subarray(0, 1024 + 6)).map((e) => e.name)).toEqual(["etc", "etc/hostname"]);
    expect(() => readTar(two.subarray(0, 1024 + 7))).toThrow(TarFormatError);
  });

  it("refuses a PAX header with no entry after it", () => {
    const tar = writeTar([{ name: longName, type: "file" }]);
    expect(() => readTar(tar.subarray(0, 1024))).toThrow("unexpected EOF in tar archive");
  });

  it("refuses a bad PAX record", () => {
    const tar = writeTar([{ name: longName, type: "file" }]).slice();
    tar[512] = "9".charCodeAt(0); // the record's length no longer matches
    tar[513] = "9".charCodeAt(0);
    expect(() => readTar(tar)).toThrow(TarFormatError);
  });

  it("refuses unknown entry types", () => {
    const tar = writeTar([{ name: "x", type: "file" }]).slice();
    tar[156] = "Z".charCodeAt(0);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : tar[i]!;
    tar.set(enc(sum.toString(8).padStart(6, "0") + "\0 "), 148);
    expect(() => readTar(tar)).toThrow('unsupported tar entry type "Z"');
  });
});

/** A ustar header block, for archives writeTar would not make. */
function rawHeader(name: string, flag: string, size: number): Uint8Array {
  const h = new Uint8Array(512);
  const oct = (off: number, len: number, v: number) => h.set(enc(v.toString(8).padStart(len - 1, "0") + "\0"), off);
  h.set(enc(name), 0);
  oct(100, 8, 0o644);
  oct(108, 8, 0);
  oct(116, 8, 0);
  oct(124, 12, size);
  oct(136, 12, 0);
  h[156] = flag.charCodeAt(0);
  h.set(enc("ustar\x0000"), 257);
  h.fill(32, 148, 156);
  let sum = 0;
  for (const x of h) sum += x;
  h.set(enc(sum.toString(8).padStart(6, "0") + "\0 "), 148);
  return h;
}

const padded = (b: Uint8Array) => {
  const out = new Uint8Array(Math.ceil(b.length / 512) * 512);
  out.set(b);
  return out;
};

describe("paxRecord", () => {
  it("counts its own length digits for every body length up to 10000", () => {
    for (let v = 0; v < 10000; v++) {
      const rec = paxRecord("k", "v".repeat(v));
      const declared = Number(rec.slice(0, rec.indexOf(" ")));
      expect(declared, `value length ${v}`).toBe(enc(rec).length);
    }
  });

  it("counts bytes, not characters", () => {
    const rec = paxRecord("path", "é".repeat(50));
    expect(Number(rec.slice(0, rec.indexOf(" ")))).toBe(enc(rec).length);
  });

  // Lengths 10 and 100 cannot occur: 9 bytes of body need a 2-digit length, making 11.
  const cases: [number, number][] = [
    [9, 1],
    [11, 2],
    [99, 90],
    [101, 91],
    [999, 989],
    [1001, 990],
  ];
  for (const [total, valueLen] of cases) {
    it(`makes a ${total}-byte record GNU tar and readTar read`, () => {
      const path = "p".repeat(valueLen);
      const rec = paxRecord("path", path);
      expect(enc(rec).length).toBe(total);
      expect(rec.startsWith(`${total} path=`)).toBe(true);
      const body = enc(rec);
      const tar = new Uint8Array([...rawHeader("PaxHeader", "x", body.length), ...padded(body), ...rawHeader("placeholder", "0", 0), ...new Uint8Array(1024)]);
      const file = join(tmp, `pax-${total}.tar`);
      writeFileSync(file, tar);
      expect(gnuTar(["-tf", file]).trim()).toBe(path);
      expect(readTar(tar).map((e) => e.name)).toEqual([path]);
    });
  }

  it("keeps names across the 3→4 digit boundary through writeTar", () => {
    for (const valueLen of [988, 989, 990, 991]) {
      const name = "n".repeat(valueLen);
      const file = join(tmp, `long-${valueLen}.tar`);
      writeFileSync(file, writeTar([{ name, type: "file", data: enc("x") }]));
      expect(gnuTar(["-tf", file]).trim()).toBe(name);
    }
  });
});
