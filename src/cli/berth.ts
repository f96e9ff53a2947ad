// Command line of the headless twin: the same VM the page runs, in a terminal.
import { bootNodeVm } from "../sandbox/node";
import { DEFAULT_ENV } from "../sandbox/env";

const USAGE = `Usage: berth COMMAND

Commands:
  shell    Open an interactive root shell in a headless Berth VM
`;

async function shell(): Promise<number> {
  const out = process.stdout;
  const err = process.stderr;
  if (!process.stdin.isTTY) err.write("berth: stdin is not a terminal; the shell will not be interactive\n");
  err.write("Starting the Berth VM...\n");
  const vm = await bootNodeVm();
  const s = vm.status;
  if (s.state === "ready") {
    err.write(`VM ready in ${Math.round(s.readyMs)} ms${s.coldBoot ? " (cold boot)" : ""}. Type 'exit' to leave.\n`);
    if (s.notice) err.write(`note: ${s.notice}\n`);
  }
  vm.onStatus((st) => {
    if (st.state === "crashed") err.write(`\r\nberth: ${st.reason}\r\n`);
  });
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

const [cmd] = process.argv.slice(2);
let code = 0;
switch (cmd) {
  case "shell":
    code = await shell();
    break;
  case undefined:
  case "help":
  case "--help":
  case "-h":
    process.stdout.write(USAGE);
    break;
  default:
    process.stderr.write(`berth: unknown command '${cmd}'\n\n${USAGE}`);
    code = 2;
}
process.exit(code);
