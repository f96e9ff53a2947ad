// Command line of the headless twin: the same VM the page runs, in a terminal, and the
// engine's REST API on a unix socket for the real Docker CLI.
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { claimSocketPath, serveApiOnUnixSocket, SocketInUseError } from "../engine/api/unix-socket";
import type { Daemon } from "../engine/daemon";
import { startNodeEngine } from "../engine/node";
import { bootNodeVm } from "../sandbox/node";
import { DEFAULT_ENV } from "../sandbox/env";
import type { Vm } from "../sandbox/vm";

const USAGE = `Usage: berth COMMAND

Commands:
  shell                          Open an interactive root shell in a headless Berth VM (docker works inside)
  serve --socket PATH [--data DIR]
                                 Serve the Docker Engine API on a unix socket:
                                 DOCKER_HOST=unix://PATH docker ...

Options:
  --data DIR   Where the engine keeps images and containers (default ~/.local/share/berth/engine)
`;

class UsageError extends Error {}

/** `--name value` and `--name=value` options; anything else is a usage error. */
function parseOptions(args: readonly string[], known: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !known.includes(m[1]!)) throw new UsageError(`unknown option '${a}'`);
    const value = m[2] ?? args[++i];
    if (value === undefined || value === "") throw new UsageError(`option '--${m[1]}' needs a value`);
    out.set(m[1]!, value);
  }
  return out;
}

function dataDir(opts: Map<string, string>): string {
  return resolve(opts.get("data") ?? join(process.env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "berth", "engine"));
}

async function bootWithEngine(data: string): Promise<{ vm: Vm; daemon: Daemon }> {
  const err = process.stderr;
  err.write("Starting the Berth VM...\n");
  const vm = await bootNodeVm();
  const s = vm.status;
  if (s.state === "ready") {
    err.write(`VM ready in ${Math.round(s.readyMs)} ms${s.coldBoot ? " (cold boot)" : ""}.\n`);
    if (s.notice) err.write(`note: ${s.notice}\n`);
  }
  vm.onStatus((st) => {
    if (st.state === "crashed") err.write(`\r\nberth: ${st.reason}\r\n`);
  });
  return { vm, daemon: await startNodeEngine(vm, { dataDir: data }) };
}

async function shell(args: readonly string[]): Promise<number> {
  const opts = parseOptions(args, ["data"]);
  const out = process.stdout;
  const err = process.stderr;
  if (!process.stdin.isTTY) err.write("berth: stdin is not a terminal; the shell will not be interactive\n");
  const { vm } = await bootWithEngine(dataDir(opts));
  err.write("Type 'exit' to leave.\n");
  const size = () => ({ rows: out.rows || 24, cols: out.columns || 80 });
  const proc = await vm.spawn(
    { argv: ["sh", "-l"], cwd: "/workspace", env: DEFAULT_ENV, pty: size() },
    { onStdout: (d) => out.write(d) },
  );
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.on("data", (d: Buffer) => proc.write(new Uint8Array(d)));
  process.stdin.on("end", () => proc.closeStdin());
  out.on("resize", () => {
    const { rows, cols } = size();
    proc.resize(rows, cols);
  });
  const status = await proc.exited;
  if (process.stdin.isTTY) process.stdin.setRawMode(false);
  await vm.destroy();
  return status.code ?? 128 + (status.signal ?? 0);
}

async function serve(args: readonly string[]): Promise<number> {
  const opts = parseOptions(args, ["socket", "data"]);
  const socket = opts.get("socket");
  if (!socket) throw new UsageError("serve needs --socket PATH");
  const path = resolve(socket);
  // Fail before the VM boots if the path is taken.
  await claimSocketPath(path);
  const { vm, daemon } = await bootWithEngine(dataDir(opts));
  const server = await serveApiOnUnixSocket(daemon, path);
  process.stderr.write(`Serving the Docker Engine API on ${path}\n  export DOCKER_HOST=unix://${path}\n`);
  const signal = await new Promise<NodeJS.Signals>((r) => {
    for (const s of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(s, () => r(s));
  });
  process.stderr.write(`berth: ${signal}, shutting down\n`);
  await server.close();
  await vm.destroy();
  return 0;
}

const [cmd, ...rest] = process.argv.slice(2);
let code = 0;
try {
  switch (cmd) {
    case "shell":
      code = await shell(rest);
      break;
    case "serve":
      code = await serve(rest);
      break;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      break;
    default:
      throw new UsageError(`unknown command '${cmd}'`);
  }
} catch (e) {
  if (e instanceof SocketInUseError) {
    process.stderr.write(`berth: ${e.message}\n`);
    code = 1;
  } else if (e instanceof UsageError) {
    process.stderr.write(`berth: ${e.message}\n\n${USAGE}`);
    code = 2;
  } else throw e;
}
process.exit(code);
