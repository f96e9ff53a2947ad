#!/usr/bin/env node
// Builds the playground's offline base images (vm/images/*.json) from the Debian bookworm
// i386 packages pinned in vm/images.lock, as one OCI image layout. Packages are unpacked
// into an in-memory tree; maintainer scripts cannot run on this machine, so what they
// would have done that matters inside a container is done here by hand (users, /bin/sh,
// alternatives, the dpkg database). Same inputs, same bytes: fixed mtimes, sorted
// entries, numeric owners from the packages, gzip -n.
//
// usage: node scripts/images/build.mjs OUT_DIR DEB_DIR
//   writes OUT_DIR/{oci-layout,index.json,blobs/sha256/*} (via OUT_DIR.tmp)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { debFileName, root } from "../vm/lib.mjs";
import { defsDir, readImageDefs, readImagesLock } from "./lib.mjs";
import { Tree, byteOrder, clean, dirNode, fileNode, linkNode, readTar, writeTar } from "./tar.mjs";

const MEDIA = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layer: "application/vnd.oci.image.layer.v1.tar+gzip",
};
const PLATFORM = { architecture: "386", os: "linux" };

class BuildError extends Error {
  constructor(image, pkg, detail) {
    super(`image ${image}${pkg ? `, package ${pkg}` : ""}: ${detail}`);
  }
}

// ---- small helpers ----

const sha256 = (b) => createHash("sha256").update(b).digest("hex");
const md5 = (b) => createHash("md5").update(b).digest("hex");
const text = (tree, path) => tree.get(path)?.data?.toString("utf8");
const parentOf = (p) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) : "");
/** Debian version -> upstream version: 5:7.0.15-1~deb12u7 -> 7.0.15 */
const upstream = (v) => v.replace(/^\d+:/, "").replace(/-[^-]*$/, "");

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { maxBuffer: 1 << 30, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status ?? r.signal}: ${String(r.stderr).trim()}`);
  return r.stdout;
}

/** Replace a file's contents, keeping its owner and mode (or the given ones for a new file). */
function writeText(tree, path, body, mode = 0o644, uid = 0, gid = 0) {
  const old = tree.get(tree.resolve(path, true));
  tree.put(tree.resolve(path, true), fileNode(body, old?.mode ?? mode, old?.uid ?? uid, old?.gid ?? gid));
}

// ---- Debian packages ----

/** Control fields in file order: [[name, value], ...]; value keeps continuation lines. */
function parseControl(body) {
  const fields = [];
  for (const line of body.replace(/\n+$/, "").split("\n")) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1][1] += `\n${line}`;
    else if (line) fields.push([line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1).trim()]);
  }
  return fields;
}

// dpkg writes status fields in this order; any others follow Description in control order.
const STATUS_ORDER = [
  "Package", "Essential", "Protected", "Status", "Priority", "Section", "Installed-Size", "Origin", "Maintainer", "Bugs",
  "Architecture", "Multi-Arch", "Source", "Version", "Config-Version", "Replaces", "Provides", "Depends", "Pre-Depends",
  "Recommends", "Suggests", "Breaks", "Conflicts", "Enhances", "Conffiles", "Description",
];

/**
 * Unpack one .deb into the tree as dpkg would (parents resolved through symlinks, existing
 * directories kept). Returns what the dpkg database needs about it.
 */
function unpackDeb(tree, file) {
  const members = new Map();
  for (const e of readTar(sh("dpkg-deb", ["--ctrl-tarfile", file]))) if (e.type === "file") members.set(e.path, e);
  const control = members.get("control")?.data.toString("utf8");
  if (!control) throw new Error("no control file");
  const fields = parseControl(control);
  const get = (k) => fields.find(([f]) => f === k)?.[1];
  const list = ["/."];
  for (const e of readTar(sh("dpkg-deb", ["--fsys-tarfile", file]))) {
    if (!e.path) continue;
    list.push(`/${e.path}`);
    if (e.type === "hardlink") {
      const target = tree.get(tree.place(e.target));
      if (!target) throw new Error(`hard link /${e.path} to missing /${e.target}`);
      tree.put(e.path, target);
    } else {
      const { type, mode, uid, gid, data, target } = e;
      tree.put(e.path, type === "symlink" ? { type, mode: 0o777, uid, gid, target } : { type, mode, uid, gid, data });
    }
  }
  const conffiles = (members.get("conffiles")?.data.toString("utf8") ?? "").split("\n").filter(Boolean);
  return {
    name: get("Package"),
    arch: get("Architecture"),
    version: get("Version"),
    multiArchSame: get("Multi-Arch") === "same",
    fields,
    members,
    list,
    conffiles: conffiles.map((c) => {
      const [flag, path] = c.startsWith("/") ? ["", c.trim()] : c.trim().split(/\s+/);
      const n = tree.get(tree.resolve(path, true));
      return `${path} ${n?.data ? md5(n.data) : "newconffile"}${flag ? ` ${flag}` : ""}`;
    }),
  };
}

function statusStanza(pkg) {
  const fields = new Map(pkg.fields);
  fields.set("Status", "install ok installed");
  if (pkg.conffiles.length) fields.set("Conffiles", "\n" + pkg.conffiles.map((c) => ` ${c}`).join("\n"));
  const known = STATUS_ORDER.filter((k) => fields.has(k));
  const rest = pkg.fields.map(([k]) => k).filter((k) => !STATUS_ORDER.includes(k));
  return [...known, ...rest].map((k) => `${k}:${fields.get(k).startsWith("\n") ? "" : " "}${fields.get(k)}`).join("\n") + "\n";
}

/** Register unpacked packages in /var/lib/dpkg, so dpkg -l, dpkg -L and apt see them installed. */
function registerDpkg(tree, pkgs) {
  const db = "var/lib/dpkg";
  for (const d of ["info", "updates", "triggers", "alternatives", "parts"]) tree.mkdirs(`${db}/${d}`);
  const stanzas = new Map();
  for (const s of (text(tree, `${db}/status`) ?? "").split("\n\n")) {
    const name = s.match(/^Package: (\S+)/m)?.[1];
    if (name) stanzas.set(name, s.trim() + "\n");
  }
  const fileTriggers = (text(tree, `${db}/triggers/File`) ?? "").split("\n").filter(Boolean);
  for (const p of pkgs) {
    stanzas.set(p.name, statusStanza(p));
    const base = `${db}/info/${p.name}${p.multiArchSame ? `:${p.arch}` : ""}`;
    tree.put(`${base}.list`, fileNode(p.list.join("\n") + "\n"));
    for (const [m, e] of [...p.members].sort(([a], [b]) => byteOrder(a, b))) {
      if (m !== "control") tree.put(`${base}.${m}`, fileNode(e.data, e.mode));
    }
    // Interest triggers: ldconfig for libc-bin, /etc/shells for debianutils, ...
    for (const line of (p.members.get("triggers")?.data.toString("utf8") ?? "").split("\n")) {
      const m = line.match(/^interest(-await|-noawait)?\s+(\S+)/);
      if (!m) continue;
      const who = `${p.name}${m[1] === "-noawait" ? "/noawait" : ""}`;
      if (m[2].startsWith("/")) fileTriggers.push(`${m[2]} ${who}`);
      else writeText(tree, `${db}/triggers/${m[2]}`, `${who}\n`);
    }
  }
  const sorted = [...stanzas.keys()].sort(byteOrder);
  writeText(tree, `${db}/status`, sorted.map((n) => stanzas.get(n)).join("\n"));
  writeText(tree, `${db}/triggers/File`, fileTriggers.length ? [...new Set(fileTriggers)].join("\n") + "\n" : "");
  writeText(tree, `${db}/triggers/Unincorp`, "");
  writeText(tree, `${db}/available`, text(tree, `${db}/available`) ?? "");
  writeText(tree, `${db}/diversions`, text(tree, `${db}/diversions`) ?? "");
  writeText(tree, `${db}/statoverride`, text(tree, `${db}/statoverride`) ?? "");
  writeText(tree, `${db}/info/format`, "1\n");
}

// ---- users ----

const days = (epoch) => Math.floor(epoch / 86400);

function addLine(tree, path, line, mode = 0o644, gid = 0) {
  const old = text(tree, path) ?? "";
  const name = line.split(":")[0];
  if (old.split("\n").some((l) => l.split(":")[0] === name)) return;
  writeText(tree, path, old + line + "\n", mode, 0, gid);
}

/** useradd --system with its own group, into passwd, group, shadow and gshadow. */
function addUser(tree, u, epoch) {
  addLine(tree, "etc/group", `${u.name}:x:${u.gid}:`);
  addLine(tree, "etc/passwd", `${u.name}:x:${u.uid}:${u.gid}:${u.gecos ?? ""}:${u.home}:${u.shell}`);
  if (tree.get("etc/shadow")) addLine(tree, "etc/shadow", `${u.name}:!:${days(epoch)}::::::`);
  if (tree.get("etc/gshadow")) addLine(tree, "etc/gshadow", `${u.name}:!::`);
}

const uidOf = (tree, name) => Number(text(tree, "etc/passwd")?.match(new RegExp(`^${name}:[^:]*:(\\d+):`, "m"))?.[1] ?? NaN);
const gidOf = (tree, name) => Number(text(tree, "etc/group")?.match(new RegExp(`^${name}:[^:]*:(\\d+):`, "m"))?.[1] ?? NaN);

/** cp -p: a copy, not a hard link (the tree shares a node between hard links). */
function copy(tree, from, to) {
  const n = tree.get(tree.resolve(from, true));
  if (!n) throw new Error(`no /${from} to copy to /${to}`);
  tree.put(to, { ...n });
}

/** Recreate a path's node with other owner/mode (nodes are shared with base trees, never mutated). */
function chown(tree, path, { mode, user, group }) {
  const p = tree.resolve(path, true);
  const n = tree.get(p);
  if (!n) throw new Error(`chown: no /${p}`);
  tree.map.set(p, {
    ...n,
    mode: mode ?? n.mode,
    uid: user === undefined ? n.uid : typeof user === "number" ? user : uidOf(tree, user),
    gid: group === undefined ? n.gid : typeof group === "number" ? group : gidOf(tree, group),
  });
}

// ---- what the maintainer scripts would have done ----

/**
 * Each entry does, by hand, the part of a package's postinst that matters in a container.
 * They run after every package of the layer is unpacked, in this order.
 * @type {[string, (tree: Tree, ctx: {epoch: number, diversions: string[], statoverrides: string[], lists: Map<string, string[]>}) => void][]}
 */
const POSTINST = [
  ["base-passwd", (t) => {
    // copied from the masters; passwd's "shadowconfig on" then moves passwords to shadow
    if (!t.get("etc/passwd")) writeText(t, "etc/passwd", text(t, "usr/share/base-passwd/passwd.master"));
    if (!t.get("etc/group")) writeText(t, "etc/group", text(t, "usr/share/base-passwd/group.master"));
  }],
  ["passwd", (t, { epoch }) => {
    const shadow = [], gshadow = [];
    const pw = text(t, "etc/passwd").trimEnd().split("\n").map((l) => l.split(":"));
    const gr = text(t, "etc/group").trimEnd().split("\n").map((l) => l.split(":"));
    for (const f of pw) shadow.push(`${f[0]}:${f[1]}:${days(epoch)}:0:99999:7:::`), (f[1] = "x");
    for (const f of gr) gshadow.push(`${f[0]}:${f[1]}::${f[3] ?? ""}`), (f[1] = "x");
    writeText(t, "etc/passwd", pw.map((f) => f.join(":")).join("\n") + "\n");
    writeText(t, "etc/group", gr.map((f) => f.join(":")).join("\n") + "\n");
    const shadowGid = gidOf(t, "shadow");
    t.put("etc/shadow", fileNode(shadow.join("\n") + "\n", 0o640, 0, shadowGid));
    t.put("etc/gshadow", fileNode(gshadow.join("\n") + "\n", 0o640, 0, shadowGid));
  }],
  ["base-files", (t) => {
    t.put("etc/dpkg/origins/default", linkNode("debian"));
    const fromDefault = { "dot.profile": "root/.profile", "dot.bashrc": "root/.bashrc", profile: "etc/profile", motd: "etc/motd" };
    for (const [src, dst] of Object.entries(fromDefault)) if (!t.get(dst)) copy(t, `usr/share/base-files/${src}`, dst);
    for (const d of ["mnt", "srv", "opt", "etc/opt", "var/opt", "media"]) t.mkdirs(d);
    if (!t.get("var/mail")) t.put("var/mail", dirNode(0o2775, 0, gidOf(t, "mail")));
    t.remove("var/spool/mail");
    t.put("var/spool/mail", linkNode("../mail"));
    if (!t.get("run/lock")) t.put("run/lock", dirNode(0o1777));
    for (const [from, to] of [["var/run", "/run"], ["var/lock", "/run/lock"]]) {
      if (t.get(from)?.type !== "symlink") t.remove(from), t.put(from, linkNode(to));
    }
    for (const d of ["", "/share", "/share/man", "/bin", "/games", "/lib", "/include", "/sbin", "/src", "/etc"]) t.mkdirs(`usr/local${d}`);
    t.put("usr/local/man", linkNode("share/man"));
    const utmp = gidOf(t, "utmp");
    t.put("var/log/wtmp", fileNode("", 0o664, 0, utmp));
    t.put("var/log/btmp", fileNode("", 0o660, 0, utmp));
    t.put("var/log/lastlog", fileNode("", 0o664, 0, utmp));
  }],
  ["libc-bin", (t) => {
    if (!t.get("etc/nsswitch.conf")) copy(t, "usr/share/libc-bin/nsswitch.conf", "etc/nsswitch.conf");
  }],
  ["debianutils", (t) => {
    // update-shells: the template, then each packaged shell and its /usr-merged twin
    const lines = text(t, "usr/share/debianutils/shells").trimEnd().split("\n");
    const shells = [];
    const dir = "usr/share/debianutils/shells.d";
    const files = [...t.map.keys()].filter((p) => p.startsWith(`${dir}/`)).sort(byteOrder);
    for (const f of ["usr/share/debianutils/shells", ...files]) {
      for (const l of text(t, f).split("\n")) {
        const s = l.split("#")[0].trim();
        if (!s) continue;
        shells.push(s);
        const real = `/${t.resolve(s.slice(0, s.lastIndexOf("/")), true)}/${s.slice(s.lastIndexOf("/") + 1)}`;
        if (real !== s) shells.push(real);
      }
    }
    for (const s of shells) if (!lines.includes(s)) lines.push(s);
    writeText(t, "etc/shells", lines.join("\n") + "\n");
    writeText(t, "var/lib/shells.state", shells.join("\n") + "\n");
  }],
  ["dash", (t, ctx) => {
    // dash's postinst diverts /bin/sh (and its man page) and points it at dash
    if (t.get("bin/sh")?.target !== "dash") t.put("bin/sh", linkNode("dash"));
    ctx.diversions.push("/bin/sh", "/bin/sh.distrib", "dash");
    ctx.diversions.push("/usr/share/man/man1/sh.1.gz", "/usr/share/man/man1/sh.distrib.1.gz", "dash");
  }],
  ["tzdata", (t) => {
    t.put("etc/localtime", linkNode("/usr/share/zoneinfo/Etc/UTC"));
    writeText(t, "etc/timezone", "Etc/UTC\n");
  }],
  ["login", (t) => {
    t.put("var/log/faillog", fileNode("", 0o644));
    for (const f of ["etc/subuid", "etc/subgid"]) if (!t.get(f)) t.put(f, fileNode("", 0o644));
  }],
  ["libpam-modules", (t) => {
    t.put("etc/security/opasswd", fileNode("", 0o600));
    if (!t.get("etc/environment")) t.put("etc/environment", fileNode(""));
  }],
  ["libpam-runtime", (t) => {
    // pam-auth-update with only pam_unix configured writes exactly these templates
    for (const f of ["account", "auth", "password", "session", "session-noninteractive"]) {
      if (!t.get(`etc/pam.d/common-${f}`)) copy(t, `usr/share/pam/common-${f}`, `etc/pam.d/common-${f}`);
    }
  }],
  ["readline-common", (t) => {
    if (!t.get("etc/inputrc")) copy(t, "usr/share/readline/inputrc", "etc/inputrc");
  }],
  ["nginx-common", (t) => {
    chown(t, "var/log/nginx", { mode: 0o755, user: 0, group: "adm" });
    for (const f of ["access", "error"]) {
      if (!t.get(`var/log/nginx/${f}.log`)) t.put(`var/log/nginx/${f}.log`, fileNode("", 0o640, uidOf(t, "www-data"), gidOf(t, "adm")));
    }
    if (!t.get("etc/nginx/sites-enabled/default")) t.put("etc/nginx/sites-enabled/default", linkNode("/etc/nginx/sites-available/default"));
    t.mkdirs("var/www/html");
    copy(t, "usr/share/nginx/html/index.html", "var/www/html/index.nginx-debian.html");
  }],
  ["redis-tools", (t) => {
    // the redis user itself comes from the image definition (uid 999, as in the official image)
    t.mkdirs("var/log/redis"), t.mkdirs("var/lib/redis"), t.mkdirs("etc/redis");
    chown(t, "var/log/redis", { mode: 0o2750, user: "redis", group: "adm" });
    chown(t, "var/lib/redis", { mode: 0o750, user: "redis", group: "redis" });
    chown(t, "etc/redis", { mode: 0o2770, user: "redis", group: "redis" });
  }],
  ["redis-server", (t, ctx) => {
    chown(t, "etc/redis/redis.conf", { mode: 0o640, user: "redis", group: "redis" });
    ctx.statoverrides.push("redis redis 640 /etc/redis/redis.conf");
  }],
  ["python3.11-minimal", (t) => {
    t.mkdirs("usr/local/lib/python3.11/dist-packages");
  }],
  ["python3.11", (t, ctx) => {
    // python3.11(-minimal)'s postinsts byte-compile the standard library. Without the .pyc
    // files every container would compile what it imports afresh, about 10 s for
    // "import json" in the VM.
    const files = ["libpython3.11-minimal", "libpython3.11-stdlib"]
      .flatMap((p) => ctx.lists.get(p) ?? [])
      .filter((f) => /^\/usr\/lib\/python3\.11\/.*\.py$/.test(f) && !f.endsWith("/sitecustomize.py"));
    byteCompile(t, files, ctx.epoch);
  }],
];

/**
 * Compile .py files to __pycache__/*.cpython-311.pyc with the image's own i386 python3.11
 * run on this machine, as py_compile in the postinst would: timestamp pycs whose
 * recorded mtime is the image's fixed mtime, and the in-image path as the file name.
 */
function byteCompile(tree, files, epoch) {
  const tmp = mkdtempSync(join(tmpdir(), "berth-pyc-"));
  try {
    // Just the interpreter, its libraries and its standard library.
    const want = (p) => p === "usr/bin/python3.11" || p.startsWith("usr/lib/python3.11/") || p.startsWith("usr/lib/i386-linux-gnu/");
    for (const p of tree.paths().filter(want)) {
      const n = tree.map.get(p);
      const out = join(tmp, p);
      mkdirSync(dirname(out), { recursive: true });
      if (n.type === "dir") mkdirSync(out, { recursive: true });
      else if (n.type === "symlink") symlinkSync(n.target.startsWith("/") ? join(tmp, n.target) : n.target, out);
      else writeFileSync(out, n.data, { mode: 0o755 }), utimesSync(out, epoch, epoch);
    }
    const script =
      "import sys, py_compile\n" +
      "root, bad = sys.argv[1], 0\n" +
      "for f in sys.stdin.read().split():\n" +
      "    try: py_compile.compile(root + f, dfile=f, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)\n" +
      "    except py_compile.PyCompileError: bad += 1\n" +
      "print(bad)\n";
    const lib = join(tmp, "usr/lib/i386-linux-gnu");
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C.UTF-8" };
    sh(join(lib, "ld-linux.so.2"), ["--library-path", lib, join(tmp, "usr/bin/python3.11"), "-E", "-S", "-c", script, tmp], { input: files.join("\n"), env });
    for (const f of files) {
      const pyc = f.replace(/([^/]+)\.py$/, "__pycache__/$1.cpython-311.pyc");
      if (!existsSync(join(tmp, pyc))) continue; // a file py_compile rejects, as in Debian
      tree.mkdirs(dirname(pyc));
      tree.put(pyc, fileNode(readFileSync(join(tmp, pyc))));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * update-alternatives --install calls found in the postinst scripts, applied as
 * update-alternatives would: /etc/alternatives links and its admin files.
 */
function applyAlternatives(tree, pkgs) {
  const found = new Map();
  for (const p of pkgs) {
    const script = p.members.get("postinst")?.data.toString("utf8") ?? "";
    for (const m of script.replace(/\\\n/g, " ").matchAll(/update-alternatives\s+--install\s+([^;|&\n]+)/g)) {
      const a = m[1].trim().split(/\s+/);
      if (a.some((w) => w.includes("$"))) continue; // computed at run time: not ours to guess
      const [link, name, path, prio] = a;
      const slaves = [];
      for (let i = 4; a[i] === "--slave"; i += 4) slaves.push({ link: a[i + 1], name: a[i + 2], path: a[i + 3] });
      const prev = found.get(name);
      if (!prev || Number(prio) > prev.prio) found.set(name, { link, name, path, prio: Number(prio), slaves });
    }
  }
  for (const a of [...found.values()].sort((x, y) => byteOrder(x.name, y.name))) {
    if (!tree.get(tree.resolve(a.path, true))) continue; // update-alternatives refuses a missing master
    tree.mkdirs("etc/alternatives");
    for (const s of [a, ...a.slaves]) {
      if (s !== a && !tree.get(tree.resolve(s.path, true))) continue; // skipped slave: no link
      tree.put(`etc/alternatives/${s.name}`, linkNode(s.path));
      if (tree.get(tree.resolve(dirname(s.link), true))?.type === "dir") tree.put(s.link, linkNode(`/etc/alternatives/${s.name}`));
    }
    const admin = ["auto", a.link, ...a.slaves.flatMap((s) => [s.name, s.link]), "", a.path, String(a.prio), ...a.slaves.map((s) => s.path), ""];
    tree.put(`var/lib/dpkg/alternatives/${a.name}`, fileNode(admin.join("\n") + "\n"));
  }
}

// ---- the slim variant (debuerreotype's slimify and minimizing config) ----

const SLIM_EXCLUDES = ["/usr/share/doc/*", "/usr/share/groff/*", "/usr/share/info/*", "/usr/share/linda/*", "/usr/share/lintian/overrides/*", "/usr/share/locale/*", "/usr/share/man/*"];
const SLIM_INCLUDES = [
  "/usr/share/doc/*/copyright", "/usr/share/doc/kde/HTML/C/*", "/usr/share/gnome/help/*/C/*", "/usr/share/locale/all_languages",
  "/usr/share/locale/currency/*", "/usr/share/locale/l10n/*", "/usr/share/locale/languages", "/usr/share/locale/locale.alias",
  "/usr/share/omf/*/*-C.emf",
].sort(byteOrder);
// find -path and dpkg-query -S patterns: * matches across slashes
const glob = (g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);

/** Delete what the slim variant excludes: files first, then dangling symlinks and empty directories. */
function slimify(tree) {
  const includes = SLIM_INCLUDES.map(glob);
  for (const ex of SLIM_EXCLUDES) {
    const dir = clean(dirname(ex));
    const under = () => [...tree.map.keys()].filter((p) => p.startsWith(`${dir}/`));
    for (const p of under()) {
      const n = tree.map.get(p);
      if (n.type === "file" && !includes.some((r) => r.test(`/${p}`))) tree.map.delete(p);
    }
    for (let again = true; again; ) {
      again = false;
      const paths = under().sort(byteOrder).reverse(); // children before their parents
      const kids = new Map();
      for (const p of paths) kids.set(parentOf(p), (kids.get(parentOf(p)) ?? 0) + 1);
      for (const p of paths) {
        const n = tree.map.get(p);
        const empty = n.type === "dir" && !kids.get(p);
        const dangling = n.type === "symlink" && !tree.map.has(tree.resolve(p, true));
        if (empty || dangling) {
          tree.map.delete(p);
          kids.set(parentOf(p), kids.get(parentOf(p)) - 1);
          again = true;
        }
      }
    }
  }
}

function fold76(words) {
  const lines = [];
  let cur = "";
  for (const w of words) {
    if (cur && cur.length + 1 + w.length > 76) lines.push(cur + " "), (cur = w);
    else cur = cur ? `${cur} ${w}` : w;
  }
  if (cur) lines.push(cur);
  return lines.map((l) => `#  ${l}`);
}

/** The config files debuerreotype writes into every Debian image, and the slim dpkg filter. */
function minimizingConfig(tree, lists) {
  tree.put("usr/sbin/policy-rc.d", fileNode(
    "#!/bin/sh\n\n# For most Docker users, \"apt-get install\" only happens during \"docker build\",\n" +
      "# where starting services doesn't work and often fails in humorous ways. This\n" +
      "# prevents those failures by stopping the services from attempting to start.\n\nexit 101\n", 0o755));
  tree.put("etc/dpkg/dpkg.cfg.d/docker-apt-speedup", fileNode("# Packages are installed in throwaway layers: skip the sync() after each one.\n\nforce-unsafe-io\n"));
  const aptClean = '"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true";';
  const apt = {
    "docker-autoremove-suggests": '// Be aggressive about removing automatically installed packages.\nApt::AutoRemove::SuggestsImportant "false";\n',
    "docker-clean": `// Keep layers lean: the equivalent of "apt-get clean" after every install.\nDPkg::Post-Invoke { ${aptClean} };\nAPT::Update::Post-Invoke { ${aptClean} };\n\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n`,
    "docker-gzip-indexes": '// Keep package lists compressed on disk.\nAcquire::GzipIndexes "true";\n',
    "docker-no-languages": '// No translation files.\nAcquire::Languages "none";\n',
  };
  for (const [f, body] of Object.entries(apt)) tree.put(`etc/apt/apt.conf.d/${f}`, fileNode(body));
  const cfg = ['# This is the "slim" variant of the Debian base image.', "# Many files which are normally unnecessary in containers are excluded,", "# and this configuration file keeps them that way."];
  for (const ex of [...SLIM_EXCLUDES].sort(byteOrder)) {
    const r = glob(ex);
    const owners = [...lists].filter(([, paths]) => paths.some((p) => r.test(p))).map(([n]) => n).sort(byteOrder);
    cfg.push("", `# dpkg -S '${ex}'`, ...fold76(owners.length ? owners : [`dpkg-query: no path found matching pattern ${ex}`]), `path-exclude ${ex}`);
  }
  cfg.push("", ...SLIM_INCLUDES.map((i) => `path-include ${i}`));
  tree.put("etc/dpkg/dpkg.cfg.d/docker", fileNode(cfg.join("\n") + "\n"));
}

// ---- building one image ----

function debPath(debDir, p) {
  return join(debDir, debFileName(p));
}

/** Debian's static busybox, every applet a hard link in /bin, like the official image. */
function installBusybox(tree, pkgs, debDir) {
  const p = pkgs.find((x) => x.name === "busybox-static");
  if (!p) throw new BuildError("busybox", "busybox-static", "not in vm/images.lock");
  const entry = [...readTar(sh("dpkg-deb", ["--fsys-tarfile", debPath(debDir, p)]))].find((e) => e.path === "bin/busybox");
  if (!entry) throw new BuildError("busybox", p.name, "no /bin/busybox in the package");
  // The applet list comes from the binary itself (an i386 static binary runs on x86 hosts).
  const tmp = mkdtempSync(join(tmpdir(), "berth-busybox-"));
  const bin = join(tmp, "busybox");
  writeFileSync(bin, entry.data);
  chmodSync(bin, 0o755);
  let applets;
  try {
    applets = sh(bin, ["--list"], { encoding: "utf8" }).split("\n").filter(Boolean);
  } catch (e) {
    throw new BuildError("busybox", p.name, `cannot run the i386 busybox to list its applets: ${e.message}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const node = fileNode(entry.data, 0o755);
  tree.put("bin/busybox", node);
  for (const a of applets) tree.put(`bin/${a}`, node);
  return [{ name: p.name, version: p.version }];
}

/**
 * A program of Berth's own (vm/images/files/<src>.c), compiled with the host's gcc for i386
 * with no C library, so the image is one small file, as Docker's hello-world is.
 */
function installProgram(d, tree) {
  const { src, path } = d.program ?? {};
  if (!src || !path) throw new BuildError(d.name, "", 'install "program" needs program.src and program.path');
  const flags = ["-m32", "-static", "-nostdlib", "-fno-pie", "-no-pie", "-Os", "-s", "-fno-asynchronous-unwind-tables", "-fno-stack-protector",
    "-Wall", "-Wextra", "-Werror", "-Wl,--build-id=none", "-Wl,-z,noseparate-code"];
  const tmp = mkdtempSync(join(tmpdir(), "berth-program-"));
  let bin;
  try {
    sh("gcc", [...flags, "-o", join(tmp, "out"), join(defsDir, "files", src)]);
    bin = readFileSync(join(tmp, "out"));
  } catch (e) {
    throw new BuildError(d.name, "", `compiling ${src}: ${e.message}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  // ELF, 32-bit, e_machine EM_386: the guest runs nothing else.
  if (bin.readUInt32BE(0) !== 0x7f454c46 || bin[4] !== 1 || bin.readUInt16LE(18) !== 3) throw new BuildError(d.name, "", `${src} did not compile to an i386 ELF`);
  tree.put(clean(path), fileNode(bin, 0o755));
  const compiler = sh("gcc", ["--version"], { encoding: "utf8" }).split("\n")[0];
  return { source: `vm/images/files/${src}`, compiler, command: `gcc ${flags.join(" ")} -o ${path} ${src.split("/").pop()}` };
}

function installDpkg(d, tree, pkgs, debDir, epoch, isBase) {
  if (isBase) {
    // merged /usr, as debootstrap makes it for bookworm
    for (const dir of ["bin", "sbin", "lib"]) tree.mkdirs(`usr/${dir}`), tree.put(dir, linkNode(`usr/${dir}`));
  }
  const unpacked = [];
  for (const p of pkgs) {
    try {
      const u = unpackDeb(tree, debPath(debDir, p));
      if (u.name !== p.name || u.version !== p.version) throw new Error(`the .deb is ${u.name} ${u.version}, not ${p.version}`);
      unpacked.push(u);
    } catch (e) {
      throw new BuildError(d.name, p.name, e.message);
    }
  }
  for (const u of d.users ?? []) addUser(tree, u, epoch);
  const ctx = { epoch, diversions: [], statoverrides: [], lists: new Map(unpacked.map((u) => [u.name, u.list])) };
  const names = new Set(pkgs.map((p) => p.name));
  for (const [name, fn] of POSTINST) {
    if (!names.has(name)) continue;
    try {
      fn(tree, ctx);
    } catch (e) {
      throw new BuildError(d.name, name, `emulating its postinst: ${e.message}`);
    }
  }
  applyAlternatives(tree, unpacked);
  registerDpkg(tree, unpacked);
  const db = "var/lib/dpkg";
  if (ctx.diversions.length) writeText(tree, `${db}/diversions`, (text(tree, `${db}/diversions`) ?? "") + ctx.diversions.join("\n") + "\n");
  if (ctx.statoverrides.length) writeText(tree, `${db}/statoverride`, (text(tree, `${db}/statoverride`) ?? "") + ctx.statoverrides.join("\n") + "\n");
  if (isBase) {
    const lists = new Map(unpacked.map((u) => [u.name, u.list]));
    minimizingConfig(tree, lists);
    for (const dir of ["dev", "proc", "sys"]) tree.mkdirs(dir);
  }
  slimify(tree);
  // Written by the runtime into every container; an image ships none (debuerreotype drops them too).
  for (const f of ["etc/hostname", "etc/hosts", "etc/resolv.conf", "etc/machine-id"]) tree.remove(f);
  return unpacked.map((u) => ({ name: u.name, version: u.version }));
}

/** The definition's extra files, users and removals (vm/images/<name>.json "files"). */
function applyFiles(d, tree, epoch) {
  if (d.install === "busybox") for (const u of d.users ?? []) addUser(tree, u, epoch);
  for (const f of d.files ?? []) {
    const mode = f.mode === undefined ? undefined : parseInt(f.mode, 8);
    const owner = (n) => ({ ...n, uid: f.uid ?? n.uid, gid: f.gid ?? n.gid, mode: mode ?? n.mode });
    if (f.remove) tree.remove(f.path);
    else if (f.symlink) tree.remove(f.path), tree.put(f.path, linkNode(f.symlink));
    else if (f.dir) {
      const p = tree.mkdirs(f.path);
      tree.map.set(p, owner(tree.map.get(p)));
    } else {
      const body = f.src ? readFileSync(join(defsDir, "files", f.src)) : Buffer.from(f.text ?? "");
      tree.remove(f.path);
      tree.put(f.path, owner(fileNode(body, 0o644)));
    }
  }
}

/** What changed from the base tree: paths to write (with their parents) and OCI whiteouts. */
function diffTrees(base, tree) {
  const want = new Set();
  const withParents = (p) => {
    for (let q = p; q && !want.has(q); q = parentOf(q)) want.add(q);
  };
  for (const [p, n] of tree.map) if (p && base.map.get(p) !== n) withParents(p);
  const whiteouts = [];
  for (const p of base.map.keys()) {
    if (!p || tree.map.has(p)) continue;
    const parent = parentOf(p);
    if (parent && tree.map.get(parent)?.type !== "dir") continue; // gone or replaced with its parent
    whiteouts.push(parent ? `${parent}/.wh.${p.slice(parent.length + 1)}` : `.wh.${p}`);
    if (parent) withParents(parent);
  }
  return { paths: [...want].sort(byteOrder), whiteouts };
}

function fill(value, versions) {
  return value.replace(/\$\{upstream:([^}]+)\}/g, (_, pkg) => {
    const v = versions.get(pkg);
    if (!v) throw new Error(`\${upstream:${pkg}}: ${pkg} is not in the image`);
    return upstream(v);
  });
}

// ---- main ----

function main() {
  const [outDir, debDir] = process.argv.slice(2);
  if (!outDir || !debDir) throw new Error("usage: build.mjs OUT_DIR DEB_DIR");
  const lock = readImagesLock();
  const defs = readImageDefs();
  const created = new Date(lock.epoch * 1000).toISOString().replace(".000Z", "Z");

  // Download what is missing (apt-get download checks each .deb against the signed index).
  const want = [...new Set(lock.packages.map((p) => `${p.name} ${p.arch} ${p.version}`))];
  const missing = want.filter((w) => {
    const [name, arch, version] = w.split(" ");
    return !existsSync(join(debDir, debFileName({ name, arch, version })));
  });
  if (missing.length) {
    const r = spawnSync("bash", [join(root, "scripts/vm/fetch-debs.sh"), debDir], { input: missing.join("\n") + "\n", stdio: ["pipe", "inherit", "inherit"] });
    if (r.status !== 0) throw new Error("downloading the images' Debian packages failed (see above)");
  }

  const tmp = `${outDir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, "blobs/sha256"), { recursive: true });
  const blob = (data) => {
    const hex = sha256(data);
    writeFileSync(join(tmp, "blobs/sha256", hex), data);
    return { digest: `sha256:${hex}`, size: data.length };
  };

  const built = new Map();
  const index = [];
  const report = [];
  for (const d of defs) {
    const t0 = Date.now();
    const base = d.base ? built.get(d.base) : undefined;
    const pkgs = lock.packages.filter((p) => p.layer === d.name);
    for (const r of d.packages) {
      if (r !== "priority:required" && !pkgs.some((p) => p.name === r) && !base?.versions.has(r)) {
        throw new BuildError(d.name, r, "not in vm/images.lock; run node scripts/images/lock.mjs");
      }
    }
    const tree = base ? base.tree.clone() : new Tree();
    const program = d.install === "program" ? installProgram(d, tree) : undefined;
    const installed = program
      ? []
      : d.install === "busybox" ? installBusybox(tree, pkgs, debDir) : installDpkg(d, tree, pkgs, debDir, lock.epoch, !base);
    try {
      applyFiles(d, tree, lock.epoch);
    } catch (e) {
      throw new BuildError(d.name, "", `files: ${e.message}`);
    }
    const { paths, whiteouts } = base ? diffTrees(base.tree, tree) : { paths: tree.paths(), whiteouts: [] };
    const tar = writeTar(tree, paths, lock.epoch, whiteouts);
    const gz = sh("gzip", ["-n", "-9", "-c"], { input: tar });
    const layer = { mediaType: MEDIA.layer, ...blob(gz) };
    const versions = new Map([...(base?.versions ?? []), ...installed.map((p) => [p.name, p.version])]);
    const layers = [...(base?.layers ?? []), { layer, diffId: `sha256:${sha256(tar)}`, tarSize: tar.length }];
    const pkgList = installed.map((p) => `${p.name}=${p.version}`).join(" ");
    const baseRef = d.base ? `docker.io/library/${d.base}:${defs.find((x) => x.name === d.base).tags[0]}` : undefined;
    const history = [
      ...(base?.history ?? []),
      program
        ? { created, created_by: `berth: ${program.command}`, comment: "built offline from Berth's own source" }
        : { created, created_by: `berth: ${d.description ?? d.name} (${installed.length} Debian package${installed.length === 1 ? "" : "s"})`, comment: "built offline from Debian bookworm i386 packages" },
    ];
    const labels = program
      ? {
          "io.berth.source": program.source,
          "io.berth.compiler": program.compiler,
          "org.opencontainers.image.description": `Built offline by Berth from its own source: ${d.description ?? d.name}`,
        }
      : {
          "io.berth.packages": base ? `${baseRef} + ${pkgList}` : pkgList,
          "io.berth.source": "debian bookworm i386",
          ...(baseRef ? { "org.opencontainers.image.base.name": baseRef } : {}),
          "org.opencontainers.image.description": `Built offline by Berth from Debian bookworm i386 packages: ${d.description ?? d.name}`,
        };
    const c = d.config ?? {};
    let config;
    try {
      config = {
        architecture: PLATFORM.architecture,
        os: PLATFORM.os,
        created,
        config: {
          ...(c.User ? { User: c.User } : {}),
          ...(c.ExposedPorts ? { ExposedPorts: c.ExposedPorts } : {}),
          Env: (c.Env ?? []).map((e) => fill(e, versions)),
          ...(c.Entrypoint ? { Entrypoint: c.Entrypoint } : {}),
          ...(c.Cmd ? { Cmd: c.Cmd } : {}),
          ...(c.WorkingDir ? { WorkingDir: c.WorkingDir } : {}),
          Labels: labels,
          ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
        },
        rootfs: { type: "layers", diff_ids: layers.map((l) => l.diffId) },
        history,
      };
    } catch (e) {
      throw new BuildError(d.name, "", e.message);
    }
    const configDesc = { mediaType: MEDIA.config, ...blob(Buffer.from(JSON.stringify(config))) };
    const manifest = {
      schemaVersion: 2,
      mediaType: MEDIA.manifest,
      config: configDesc,
      layers: layers.map((l) => l.layer),
      ...(baseRef ? { annotations: { "org.opencontainers.image.base.name": baseRef, "org.opencontainers.image.base.digest": base.manifestDigest } } : {}),
    };
    const manifestDesc = { mediaType: MEDIA.manifest, ...blob(Buffer.from(JSON.stringify(manifest))) };
    for (const tag of d.tags) {
      index.push({
        ...manifestDesc,
        platform: PLATFORM,
        annotations: { "io.containerd.image.name": `docker.io/library/${d.name}:${tag}`, "org.opencontainers.image.ref.name": tag },
      });
    }
    built.set(d.name, { tree, layers, history, versions, manifestDigest: manifestDesc.digest });
    const gzTotal = layers.reduce((s, l) => s + l.layer.size, 0);
    const tarTotal = layers.reduce((s, l) => s + l.tarSize, 0);
    report.push(`  ${`${d.name}:${d.tags[0]}`.padEnd(22)} ${(gzTotal / 1e6).toFixed(1).padStart(5)} MB compressed, ${(tarTotal / 1e6).toFixed(1).padStart(5)} MB unpacked, ${layers.length} layer${layers.length > 1 ? "s" : ""}, ${versions.size} packages (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  writeFileSync(join(tmp, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(tmp, "index.json"), JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.index, manifests: index }));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(tmp, outDir);
  console.log(report.join("\n"));
}

try {
  main();
} catch (e) {
  console.error(`FAILED: ${e.message}`);
  process.exit(1);
}
