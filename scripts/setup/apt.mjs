// Installs Debian packages the project needs on the build machine, only when missing.
// Plain Node: it runs before node_modules exists.
import { spawnSync } from "node:child_process";

const sh = (cmd) => spawnSync("sh", ["-c", cmd], { encoding: "utf8" });

function installed(spec) {
  const [name, version] = spec.split("=");
  const r = sh(`dpkg-query -W -f='\${Status} \${Version}' '${name}' 2>/dev/null`);
  if (r.status !== 0 || !r.stdout.startsWith("install ok installed")) return false;
  return !version || r.stdout.endsWith(` ${version}`);
}

function asRoot(args) {
  if (process.getuid?.() === 0) return args;
  if (sh("command -v sudo").status === 0) return ["sudo", "-n", ...args];
  throw new Error(`'${args.join(" ")}' needs root (or passwordless sudo)`);
}

function runRoot(args, what) {
  const cmd = asRoot(args);
  const r = spawnSync(cmd[0], cmd.slice(1), {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.status !== 0) throw new Error(`${what} failed: ${cmd.join(" ")} exited ${r.status}`);
}

function update() {
  // A mirror mid-sync makes apt-get update fail for one index; retry, then go on with
  // what we have and let the install or download name what is really missing.
  for (let i = 0; i < 3; i++) {
    const cmd = asRoot(["apt-get", "update", "-q"]);
    if (spawnSync(cmd[0], cmd.slice(1), { stdio: ["ignore", "ignore", "inherit"] }).status === 0) return;
    spawnSync("sleep", [String(5 * (i + 1))]);
  }
  console.warn("apt-get update reported errors; continuing with the package lists it has");
}

/**
 * @param {string[]} packages names, or name=version to pin
 * @param {{i386?: boolean}} opts i386: also make Debian's i386 packages available
 */
export function ensureApt(packages, opts = {}) {
  let needUpdate = false;
  if (opts.i386) {
    if (!sh("dpkg --print-foreign-architectures").stdout.split("\n").includes("i386")) {
      console.log("  dpkg --add-architecture i386");
      runRoot(["dpkg", "--add-architecture", "i386"], "adding the i386 architecture");
      needUpdate = true;
    }
    if (sh("apt-cache show busybox-static:i386 >/dev/null 2>&1").status !== 0) needUpdate = true;
  }
  const missing = [...new Set(packages)].filter((p) => !installed(p));
  if (missing.length && sh(`apt-cache show ${missing.map((p) => `'${p.split("=")[0]}'`).join(" ")} >/dev/null 2>&1`).status !== 0) {
    needUpdate = true;
  }
  if (needUpdate) update();
  if (!missing.length) return;
  console.log(`  apt-get install ${missing.join(" ")}`);
  runRoot(["apt-get", "install", "-y", "-q", "--no-install-recommends", ...missing], `installing ${missing.join(", ")}`);
}
