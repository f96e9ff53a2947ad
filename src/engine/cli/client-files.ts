// The docker client's own filesystem is the guest's: `cp`, `export -o`, `save -o`,
// `import FILE` and `load -i` read and write guest paths, relative to the directory the
// `docker` command ran in. Each helper is one guest process; bytes travel through the share.
import type { HostSandbox } from "../../sandbox/types";
import { cleanPath, preserveTrailingDotOrSeparator } from "../archive/copy";
import { dropTransfer, newTransfer, takeTransfer } from "../runtime/share-transfer";
import { CliError } from "./context";

const run = async (vm: HostSandbox, script: string, args: string[], cwd: string) => {
  const r = await vm.exec(["sh", "-c", script, "sh", ...args], { cwd });
  return { code: r.code ?? 1, stdout: r.stdout, stderr: r.stderr.trim() };
};

/** resolveLocalPath: absolute (from the client's cwd), keeping a trailing "/" or "/.". */
export function localPath(cwd: string, path: string): string {
  const abs = cleanPath(path.startsWith("/") ? path : `${cwd}/${path}`);
  return preserveTrailingDotOrSeparator(abs, path);
}

/** The whole file at a client path (os.Open + read). */
export async function readClientFile(vm: HostSandbox, cwd: string, path: string): Promise<Uint8Array> {
  const t = await newTransfer(vm);
  const r = await run(vm, `[ -e "$1" ] || exit 2; [ -d "$1" ] && exit 3; cp "$1" "$2"`, [path, t.guest], cwd);
  if (r.code === 2) {
    await dropTransfer(vm, t);
    throw new CliError(`open ${path}: no such file or directory`);
  }
  if (r.code === 3) {
    await dropTransfer(vm, t);
    throw new CliError(`read ${path}: is a directory`);
  }
  if (r.code !== 0) {
    await dropTransfer(vm, t);
    throw new CliError(r.stderr || `open ${path}: failed`);
  }
  return takeTransfer(vm, t);
}

/** command.CopyToFile after ValidateOutputPath: write bytes to a client path. */
export async function writeClientFile(vm: HostSandbox, cwd: string, path: string, data: Uint8Array, wrap: string): Promise<void> {
  const dir = localPath(cwd, path).replace(/\/[^/]*\/?$/, "") || "/";
  const t = await newTransfer(vm);
  await vm.engineFiles.write(t.file, data);
  try {
    const r = await run(vm, `[ -d "$3" ] || exit 2; cat "$2" > "$1"`, [path, t.guest, dir], cwd);
    if (r.code === 2) throw new CliError(`${wrap}: invalid output path: directory "${dir}" does not exist`);
    if (r.code !== 0) throw new CliError(`${wrap}: ${r.stderr.replace(/^sh: \S+: /, "")}`);
  } finally {
    await dropTransfer(vm, t);
  }
}

export interface LocalSource {
  /** The resolved path (parent symlinks, or all with -L, followed). */
  path: string;
  isDir: boolean;
  /** A tar of it, its entries named from its base name. */
  tar: Uint8Array;
}

/**
 * CopyInfoSourcePath + TarResource for `docker cp SRC CONTAINER:DST`: the local source,
 * its symlinks resolved as the CLI resolves them, archived under its base name.
 */
export async function archiveLocalSource(vm: HostSandbox, cwd: string, abs: string, followLink: boolean): Promise<LocalSource> {
  const t = await newTransfer(vm);
  const script = `p=$1
if [ "$2" = 1 ]; then r=$(realpath "$p" 2>/dev/null) || exit 2
else
  d=\${p%/*}; b=\${p##*/}; [ -n "$d" ] || d=/
  rd=$(cd "$d" 2>/dev/null && pwd -P) || exit 2
  r=\${rd%/}/$b
fi
[ -e "$r" ] || [ -L "$r" ] || exit 2
echo "$r"
[ -d "$r" ] && [ ! -L "$r" ] && echo dir
cd "\${r%/*}/" || exit 2
b=\${r##*/}
case $b in ''|.) tar -cf "$3" . ;; *) tar -cf "$3" "./$b" ;; esac`;
  const r = await run(vm, script, [abs.replace(/\/+$/, "") || "/", followLink ? "1" : "0", t.guest], cwd);
  if (r.code === 2) {
    await dropTransfer(vm, t);
    throw new CliError(`lstat ${abs.replace(/\/+$/, "") || "/"}: no such file or directory`);
  }
  if (r.code !== 0) {
    await dropTransfer(vm, t);
    throw new CliError(r.stderr || `cannot read ${abs}`);
  }
  const [resolved = abs, kind = ""] = r.stdout.split("\n");
  return { path: preserveTrailingDotOrSeparator(resolved, abs), isDir: kind === "dir", tar: await takeTransfer(vm, t) };
}

/** What a local `docker cp` destination is, after ValidateOutputPath and CopyInfoDestinationPath. */
export type LocalDestination =
  | { kind: "no-output-dir"; dir: string }
  | { kind: "exists"; path: string; isDir: boolean }
  | { kind: "new"; path: string }
  | { kind: "error"; message: string };

export async function inspectLocalDestination(vm: HostSandbox, cwd: string, abs: string): Promise<LocalDestination> {
  const cleaned = cleanPath(abs);
  const outDir = cleaned.replace(/\/[^/]*$/, "") || "/";
  const script = `[ -e "$2" ] || { echo nodir; exit 0; }
p=$1; n=0
while [ -L "$p" ]; do
  n=$((n+1)); [ $n -le 11 ] || { echo loop; exit 0; }
  t=$(readlink "$p"); case $t in /*) p=$t ;; *) p=\${p%/*}/$t ;; esac
done
if [ -e "$p" ]; then [ -d "$p" ] && echo "dir $p" || echo "file $p"; exit 0; fi
q=$p; while [ "\${q%/}" != "$q" ]; do q=\${q%/}; done
case $q in */.) q=\${q%/.} ;; esac
d=\${q%/*}; [ -n "$d" ] || d=/
if [ -d "$d" ]; then echo "new $p"; elif [ -e "$d" ]; then echo notdir; else echo "noparent $d"; fi`;
  const r = await run(vm, script, [abs, outDir], cwd);
  const line = r.stdout.trim();
  const rest = line.slice(line.indexOf(" ") + 1);
  if (line === "nodir") return { kind: "no-output-dir", dir: outDir };
  if (line === "loop") return { kind: "error", message: `too many symlinks in ${abs}` };
  if (line === "notdir") return { kind: "error", message: "not a directory" };
  if (line.startsWith("noparent ")) return { kind: "error", message: `stat ${rest}: no such file or directory` };
  if (line.startsWith("dir ")) return { kind: "exists", path: rest, isDir: true };
  if (line.startsWith("file ")) return { kind: "exists", path: rest, isDir: false };
  if (line.startsWith("new ")) return { kind: "new", path: rest };
  return { kind: "error", message: r.stderr || `cannot inspect ${abs}` };
}

/** Untar into a client folder, as the CLI does (NoLchown: the files belong to the client's user). */
export async function extractLocal(vm: HostSandbox, cwd: string, dir: string, tar: Uint8Array): Promise<void> {
  const t = await newTransfer(vm);
  await vm.engineFiles.write(t.file, tar);
  try {
    const r = await run(vm, `tar -xof "$2" -C "$1"`, [dir, t.guest], cwd);
    if (r.code !== 0) throw new CliError(r.stderr.replace(/^tar: /, "") || `extracting into ${dir} failed`);
  } finally {
    await dropTransfer(vm, t);
  }
}
