// A whole `docker …` command line, as docker 20.10.24's main runs it
// (cmd/docker/docker.go): global flags up to the command name, the log level,
// the command lookup, then the command's own flags and arguments. Everything
// that ends before a command runs (help, --version, flag and argument errors,
// unknown commands, a management command without a subcommand) comes back
// as the exact output and exit code; otherwise the command to run.
import {
  FlagError,
  flagErrorText,
  parseCommand,
  parseFlags,
  unknownCommandText,
  type CommandSpec,
  type ParseCommandOptions,
  type ParsedFlags,
} from "./flags";
import { effectiveFlags, renderHelp } from "./help";
import { DOCKER_GIT_COMMIT, DOCKER_VERSION, findCommand, help, root } from "./specs";

export type CommandLine =
  | {
      readonly kind: "run";
      readonly spec: CommandSpec;
      readonly flags: ParsedFlags;
      readonly args: readonly string[];
      /** The global options (`docker -D ps`). */
      readonly global: ParsedFlags;
      /** Printed before the command runs (deprecation notices). */
      readonly stdout: string;
      readonly stderr: string;
    }
  /** A docker command Berth does not serve (`docker swarm init`). */
  | { readonly kind: "unsupported"; readonly path: string; readonly global: ParsedFlags; readonly stderr: string }
  /** Nothing to run: print this and exit. */
  | { readonly kind: "exit"; readonly stdout: string; readonly stderr: string; readonly exitCode: number };

/** `docker --version`. */
export const VERSION_TEXT = `Docker version ${DOCKER_VERSION}, build ${DOCKER_GIT_COMMIT}\n`;

// logrus.ParseLevel
const LOG_LEVELS = new Set(["panic", "fatal", "error", "warn", "warning", "info", "debug", "trace"]);

// DockerCli.Initialize → cliflags.SetLogLevel
function badLogLevel(global: ParsedFlags): string | undefined {
  const level = global.string("log-level");
  if (level === "" || LOG_LEVELS.has(level.toLowerCase())) return undefined;
  return `Unable to parse logging level: ${level}\n`;
}

// cobra adds its `completion` command only once it executes, which a bad
// global flag stops before: that usage text does not list it.
const rootBeforeExecute: CommandSpec = {
  ...root,
  subcommands: (root.subcommands ?? []).filter((s) => s.name !== "completion"),
};

/** Parse `argv` (what follows `docker`). */
export function parseCommandLine(argv: readonly string[], options: ParseCommandOptions = {}): CommandLine {
  // TopLevelCommand.HandleGlobalFlags: the root's flags up to the first
  // argument. Its flag set is a fresh one, so notices go to stderr.
  const notices: string[] = [];
  let global: ParsedFlags;
  try {
    global = parseFlags(effectiveFlags(root), argv, { interspersed: false, notice: (line) => notices.push(line) });
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    // docker initializes its client (log level first) before reporting the flag.
    const levelError = e.partial === undefined ? undefined : badLogLevel(e.partial);
    if (levelError !== undefined) return exit("", notices, levelError, 1);
    return exit("", notices, flagErrorText(rootBeforeExecute, e.message, options.width), 125);
  }
  const levelError = badLogLevel(global);
  if (levelError !== undefined) return exit("", notices, levelError, 1);

  const found = findCommand(global.args);
  if (found.kind === "error") return exit("", notices, found.message + "\n", 1);
  if (found.kind === "unsupported") return { kind: "unsupported", path: found.path, global, stderr: joinLines(notices) };
  const spec = found.kind === "found" ? found.spec : found.parent;
  // --help is one flag shared by every command, so `docker --help ps` is ps's help.
  const args = global.bool("help") ? ["--help", ...found.rest] : found.rest;

  const outcome = parseCommand(spec, args, options);
  if (outcome.kind === "error") return exit(outcome.stdout, notices, outcome.stderr, outcome.exitCode);
  if (outcome.kind === "help") return exit(outcome.stdout, notices, "", 0);

  if (spec === root) {
    // cobra prints the version before the root's RunE runs.
    if (global.bool("version") || outcome.flags.bool("version")) return exit(outcome.stdout + VERSION_TEXT, notices, "", 0);
    if (outcome.args.length === 0) return exit(outcome.stdout, notices, renderHelp(root, options.width), 0);
    return exit(outcome.stdout, notices, unknownCommandText("docker", outcome.args[0] ?? ""), 1);
  }
  if (spec.subcommands !== undefined) {
    // A management command alone (command.ShowHelp(dockerCli.Err())).
    return exit(outcome.stdout, notices, renderHelp(spec, options.width), 0);
  }
  if (spec === help) return helpTopic(outcome.args, outcome.stdout, notices, global, options);
  return { kind: "run", spec, flags: outcome.flags, args: outcome.args, global, stdout: outcome.stdout, stderr: joinLines(notices) };
}

// cobra's help command: `docker help container ls` prints that command's help.
function helpTopic(
  words: readonly string[],
  stdout: string,
  notices: readonly string[],
  global: ParsedFlags,
  options: ParseCommandOptions,
): CommandLine {
  const found = findCommand(words);
  if (found.kind === "unsupported") return { kind: "unsupported", path: found.path, global, stderr: joinLines(notices) };
  if (found.kind === "found" && found.rest.length === 0) return exit(stdout + renderHelp(found.spec, options.width), notices, "", 0);
  // Words after a leaf command, or an unknown one (root.Find's leftovers).
  const rest = found.kind === "error" ? words : found.rest;
  return exit(stdout, notices, `unknown help topic: ${rest.join(" ")}\n`, 1);
}

function exit(stdout: string, notices: readonly string[], stderr: string, exitCode: number): CommandLine {
  return { kind: "exit", stdout, stderr: joinLines(notices) + stderr, exitCode };
}

function joinLines(lines: readonly string[]): string {
  return lines.map((l) => l + "\n").join("");
}
