// A flag parser that behaves like the Docker CLI: spf13/pflag for the flags,
// spf13/cobra for the command flow, and docker/cli's own error texts.
// Learners compare what they see against real Docker, so the error texts,
// output streams and exit codes are copied exactly, quirks included.
//
// Berth follows Docker 20.10.24's CLI texts (Debian's docker.io, the
// reference docker/dockerd in this environment, /usr/bin/docker), not newer
// releases: the transcripts in the issue ("docker: 'foo' is not a docker
// command.", "See 'docker run --help'.", "\"docker run\" requires at least 1
// argument.") are 20.10's, and Docker 28 words all of these differently.
// Every text here was checked against /usr/bin/docker (flag and argument
// errors need no daemon). Help output lives in help.ts, Docker's value types
// in validators.ts.
import { readCsvRecord } from "../util/csv";
import { goQuote, goQuoteRune, parseGoBool, parseGoInt, parseGoUint } from "../util/go-values";
import { effectiveFlags, renderHelp, renderUsage } from "./help";

// ---------------------------------------------------------------------------
// Declarations

/**
 * How a flag's value is parsed and stored.
 * - bool: `--rm`, `--rm=false`; stored as boolean.
 * - string: last value wins.
 * - int / uint: Go strconv.ParseInt / ParseUint with base 0 and `bits`; stored as number.
 * - strings: repeatable (`-e A -e B`); stored as string[]. With `csv: true` each
 *   value is split like pflag's stringSlice ("a,b" → ["a","b"]).
 */
export type FlagKind = "bool" | "string" | "int" | "uint" | "strings";

export type FlagValue = boolean | string | number | readonly string[];

export interface FlagSpec {
  readonly name: string;
  /** One character, e.g. "e" for -e. */
  readonly shorthand?: string;
  /** Help text; a `backquoted` word becomes the value name shown in help, as in pflag. */
  readonly usage: string;
  readonly kind: FlagKind;
  /**
   * pflag's Value.Type(): the value name in help and the key for its
   * "is this default a zero value" rule. Defaults: bool, string, int, uint,
   * stringArray (or stringSlice with csv). Docker's own types use names such as
   * "list", "map", "bytes", "duration", "decimal", "filter".
   */
  readonly typeName?: string;
  /** Bit size for int/uint (Go int is 64-bit). */
  readonly bits?: 8 | 16 | 32 | 64;
  /** For kind "strings": split each value as CSV (pflag stringSlice). */
  readonly csv?: boolean;
  /** Initial value. */
  readonly default?: FlagValue;
  /**
   * pflag's DefValue: the text after "(default ...)" in help. Computed from
   * `default` when absent; give it explicitly for Docker types whose String()
   * differs (e.g. "map[]" for map options, "" for list options).
   */
  readonly defValue?: string;
  /** Value used when the flag is given without one (pflag NoOptDefVal). Bools use "true". */
  readonly noOptDefVal?: string;
  /**
   * Checks (and may normalize) one raw value. Throw an Error whose message is
   * the cause Docker prints after "invalid argument … flag: ".
   */
  readonly validate?: (value: string) => string | void;
  readonly hidden?: boolean;
  /** pflag MarkDeprecated: still parsed, hidden from help, notice on use. */
  readonly deprecated?: string;
  /** pflag MarkShorthandDeprecated: shorthand works with a notice and is not shown in help. */
  readonly shorthandDeprecated?: string;
}

/** Positional-argument rules from docker/cli's cli/required.go. */
export type ArgsRule =
  | { readonly kind: "any" }
  | { readonly kind: "none" }
  | { readonly kind: "min"; readonly min: number }
  | { readonly kind: "max"; readonly max: number }
  | { readonly kind: "exact"; readonly count: number }
  | { readonly kind: "range"; readonly min: number; readonly max: number };

/** One line of a command's "Commands:" (or "Management Commands:") list. */
export interface SubcommandSummary {
  readonly name: string;
  readonly short: string;
  /** Listed under "Management Commands:": it has subcommands of its own. */
  readonly management?: boolean;
  /** Resolvable but not listed (cobra's `help`). */
  readonly hidden?: boolean;
  /** The declaration, when Berth serves this command. */
  readonly spec?: CommandSpec;
}

export interface CommandSpec {
  /** Full command path, e.g. "docker container run". */
  readonly path: string;
  /** Full use line, e.g. "docker run [OPTIONS] IMAGE [COMMAND] [ARG...]". */
  readonly usage: string;
  /** One-line description (cobra Short). */
  readonly short: string;
  /** Longer description shown instead of `short` in help (cobra Long). */
  readonly long?: string;
  /**
   * cobra's name and aliases shown under "Aliases:" in help, e.g.
   * ["ls", "ps", "list"] for `docker container ls`. Docker 20.10's top-level
   * shortcuts (`docker ps`, `docker run`) have none.
   */
  readonly aliases?: readonly string[];
  readonly example?: string;
  readonly flags: readonly FlagSpec[];
  /** false for run/exec/create: flags stop at the first positional argument. */
  readonly interspersed?: boolean;
  readonly args?: ArgsRule;
  /** For management commands (`docker image`): listed under "Commands:" in help. */
  readonly subcommands?: readonly SubcommandSummary[];
  /** A closing paragraph of the help (the root's pointer to Docker's guides). */
  readonly additionalHelp?: string;
  /** Binary name used in post-parse errors ("docker: …"). */
  readonly binName?: string;
}

// ---------------------------------------------------------------------------
// Errors

/** A pflag parse error. `message` is pflag's text, without Docker's decoration. */
export class FlagError extends Error {
  /**
   * What parseFlags had read before the error: docker still sets up its
   * client from the global flags given so far (`docker -l foo --bar`
   * reports the log level, not the flag).
   */
  readonly partial?: ParsedFlags;

  constructor(message: string, partial?: ParsedFlags) {
    super(message);
    this.name = "FlagError";
    if (partial !== undefined) this.partial = partial;
  }
}

// ---------------------------------------------------------------------------
// Parsing

/** The parsed flag values of one command line. */
export class ParsedFlags {
  readonly #specs: ReadonlyMap<string, FlagSpec>;
  readonly #values: Map<string, FlagValue>;
  readonly #changed: Set<string>;
  /** Positional arguments, in order. */
  readonly args: readonly string[];
  /** Number of positional arguments before "--", or -1 without "--" (pflag ArgsLenAtDash). */
  readonly argsLenAtDash: number;

  constructor(
    specs: ReadonlyMap<string, FlagSpec>,
    values: Map<string, FlagValue>,
    changed: Set<string>,
    args: string[],
    argsLenAtDash: number,
  ) {
    this.#specs = specs;
    this.#values = values;
    this.#changed = changed;
    this.args = args;
    this.argsLenAtDash = argsLenAtDash;
  }

  /** True when the flag was given on the command line (pflag Changed). */
  changed(name: string): boolean {
    this.#spec(name);
    return this.#changed.has(name);
  }

  /** Whether the command has this flag at all (`create` lacks some of `run`'s). */
  declares(name: string): boolean {
    return this.#specs.has(name);
  }

  /** Names of the flags that were given, in no particular order. */
  changedNames(): string[] {
    return [...this.#changed];
  }

  bool(name: string): boolean {
    const v = this.#get(name, "bool");
    return v === true;
  }

  string(name: string): string {
    const v = this.#get(name, "string");
    return typeof v === "string" ? v : "";
  }

  int(name: string): number {
    const spec = this.#spec(name);
    if (spec.kind !== "int" && spec.kind !== "uint") throw new Error(`flag --${name} is not an int flag`);
    const v = this.#values.get(name);
    return typeof v === "number" ? v : 0;
  }

  strings(name: string): string[] {
    const v = this.#get(name, "strings");
    return Array.isArray(v) ? [...(v as readonly string[])] : [];
  }

  /** The raw stored value, whatever its kind. */
  value(name: string): FlagValue | undefined {
    this.#spec(name);
    return this.#values.get(name);
  }

  #spec(name: string): FlagSpec {
    const spec = this.#specs.get(name);
    if (spec === undefined) throw new Error(`flag --${name} is not declared`);
    return spec;
  }

  #get(name: string, kind: FlagKind): FlagValue | undefined {
    const spec = this.#spec(name);
    if (spec.kind !== kind) throw new Error(`flag --${name} is a ${spec.kind} flag, not ${kind}`);
    return this.#values.get(name);
  }
}

export interface ParseFlagsOptions {
  /** false: stop at the first positional argument (pflag SetInterspersed(false)). */
  readonly interspersed?: boolean;
  /** Receives pflag's deprecation notices ("Flag shorthand -h has been deprecated, …"). */
  readonly notice?: (line: string) => void;
}

/** pflag's FlagSet.Parse. Throws FlagError with pflag's exact message. */
export function parseFlags(specs: readonly FlagSpec[], argv: readonly string[], options: ParseFlagsOptions = {}): ParsedFlags {
  const byName = new Map<string, FlagSpec>();
  const byShort = new Map<string, FlagSpec>();
  for (const spec of specs) {
    if (byName.has(spec.name)) throw new Error(`flag redefined: ${spec.name}`);
    byName.set(spec.name, spec);
    if (spec.shorthand !== undefined) {
      if (spec.shorthand.length !== 1) throw new Error(`shorthand for --${spec.name} must be one character`);
      if (byShort.has(spec.shorthand)) throw new Error(`shorthand redefined: ${spec.shorthand}`);
      byShort.set(spec.shorthand, spec);
    }
  }
  const values = new Map<string, FlagValue>();
  for (const spec of specs) values.set(spec.name, initialValue(spec));
  const changed = new Set<string>();
  const interspersed = options.interspersed ?? true;
  const notice = options.notice ?? ((): void => {});
  const positional: string[] = [];
  let argsLenAtDash = -1;

  const set = (spec: FlagSpec, raw: string): void => {
    let value = raw;
    try {
      value = convert(spec, raw, values.get(spec.name), changed.has(spec.name), values);
    } catch (e) {
      const cause = e instanceof Error ? e.message : String(e);
      const flagName =
        spec.shorthand !== undefined && spec.shorthandDeprecated === undefined
          ? `-${spec.shorthand}, --${spec.name}`
          : `--${spec.name}`;
      throw new FlagError(`invalid argument ${goQuote(value)} for ${goQuote(flagName)} flag: ${cause}`);
    }
    changed.add(spec.name);
    if (spec.deprecated !== undefined) notice(`Flag --${spec.name} has been deprecated, ${spec.deprecated}`);
  };

  let args = [...argv];
  try {
    while (args.length > 0) {
      const s = args[0] ?? "";
      args = args.slice(1);
      if (s.length === 0 || s[0] !== "-" || s.length === 1) {
        if (!interspersed) {
          positional.push(s, ...args);
          break;
        }
        positional.push(s);
        continue;
      }
      if (s[1] === "-") {
        if (s.length === 2) {
          // "--" ends the flags; everything after is positional.
          argsLenAtDash = positional.length;
          positional.push(...args);
          break;
        }
        args = parseLong(s, args);
      } else {
        args = parseShort(s, args);
      }
    }
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    throw new FlagError(e.message, new ParsedFlags(byName, values, changed, positional, argsLenAtDash));
  }
  return new ParsedFlags(byName, values, changed, positional, argsLenAtDash);

  function parseLong(s: string, rest: string[]): string[] {
    const body = s.slice(2);
    if (body.length === 0 || body[0] === "-" || body[0] === "=") {
      throw new FlagError(`bad flag syntax: ${s}`);
    }
    const eq = body.indexOf("=");
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = byName.get(name);
    if (spec === undefined) throw new FlagError(`unknown flag: --${name}`);
    const noOpt = noOptDefVal(spec);
    if (eq >= 0) {
      set(spec, body.slice(eq + 1));
      return rest;
    }
    if (noOpt !== undefined) {
      set(spec, noOpt);
      return rest;
    }
    if (rest.length > 0) {
      set(spec, rest[0] ?? "");
      return rest.slice(1);
    }
    throw new FlagError(`flag needs an argument: ${s}`);
  }

  function parseShort(s: string, restIn: string[]): string[] {
    let rest = restIn;
    // Shorthands are single bytes in Go; iterate by code point, which is the
    // same for the ASCII letters flags use.
    let shorthands = s.slice(1);
    while (shorthands.length > 0) {
      const c = String.fromCodePoint(shorthands.codePointAt(0) ?? 0);
      const after = shorthands.slice(c.length);
      const spec = byShort.get(c);
      if (spec === undefined) {
        throw new FlagError(`unknown shorthand flag: ${goQuoteRune(c)} in -${shorthands}`);
      }
      const noOpt = noOptDefVal(spec);
      let value: string;
      let next = after;
      if (after.length > 1 && after[0] === "=") {
        value = after.slice(1);
        next = "";
      } else if (noOpt !== undefined) {
        value = noOpt;
      } else if (after.length > 0) {
        value = after;
        next = "";
      } else if (rest.length > 0) {
        value = rest[0] ?? "";
        rest = rest.slice(1);
      } else {
        throw new FlagError(`flag needs an argument: ${goQuoteRune(c)} in -${shorthands}`);
      }
      if (spec.shorthandDeprecated !== undefined) {
        notice(`Flag shorthand -${c} has been deprecated, ${spec.shorthandDeprecated}`);
      }
      set(spec, value);
      shorthands = next;
    }
    return rest;
  }
}

function noOptDefVal(spec: FlagSpec): string | undefined {
  if (spec.noOptDefVal !== undefined && spec.noOptDefVal !== "") return spec.noOptDefVal;
  return spec.kind === "bool" ? "true" : undefined;
}

function initialValue(spec: FlagSpec): FlagValue {
  if (spec.default !== undefined) return Array.isArray(spec.default) ? [...(spec.default as string[])] : spec.default;
  switch (spec.kind) {
    case "bool":
      return false;
    case "string":
      return "";
    case "int":
    case "uint":
      return 0;
    case "strings":
      return [];
  }
}

function convert(
  spec: FlagSpec,
  raw: string,
  current: FlagValue | undefined,
  wasChanged: boolean,
  values: Map<string, FlagValue>,
): string {
  let value = raw;
  switch (spec.kind) {
    case "bool": {
      const b = parseGoBool(value);
      if (spec.validate !== undefined) value = spec.validate(value) ?? value;
      values.set(spec.name, b);
      return value;
    }
    case "string":
      if (spec.validate !== undefined) value = spec.validate(value) ?? value;
      values.set(spec.name, value);
      return value;
    case "int": {
      const n = parseGoInt(value, spec.bits ?? 64);
      if (spec.validate !== undefined) spec.validate(value);
      values.set(spec.name, n);
      return value;
    }
    case "uint": {
      const n = parseGoUint(value, spec.bits ?? 64);
      if (spec.validate !== undefined) spec.validate(value);
      values.set(spec.name, n);
      return value;
    }
    case "strings": {
      const items = spec.csv === true ? readCsvRecord(value) : [value];
      const checked = items.map((item) => (spec.validate !== undefined ? (spec.validate(item) ?? item) : item));
      // The first use replaces the default, later uses append (pflag slices).
      const base = wasChanged && Array.isArray(current) ? (current as readonly string[]) : [];
      values.set(spec.name, [...base, ...checked]);
      return value;
    }
  }
}

// ---------------------------------------------------------------------------
// The cobra/docker flow

export type CommandOutcome =
  | {
      readonly kind: "ok";
      readonly flags: ParsedFlags;
      readonly args: readonly string[];
      /** Deprecation notices, which Docker writes to stdout before running. */
      readonly stdout: string;
    }
  | { readonly kind: "help"; readonly stdout: string; readonly exitCode: 0 }
  | { readonly kind: "error"; readonly stdout: string; readonly stderr: string; readonly exitCode: number };

export interface ParseCommandOptions {
  /** Terminal width for wrapping help (Docker uses 80 when stdin is not a terminal). */
  readonly width?: number;
}


/**
 * Parse a docker command line the way cobra runs it: flags first (error → exit
 * 125), then --help (usage on stdout, exit 0), then the argument count (error →
 * exit 1). `argv` excludes the command path itself.
 */
export function parseCommand(spec: CommandSpec, argv: readonly string[], options: ParseCommandOptions = {}): CommandOutcome {
  const notices: string[] = [];
  let flags: ParsedFlags;
  try {
    flags = parseFlags(effectiveFlags(spec), argv, {
      interspersed: spec.interspersed ?? true,
      notice: (line) => notices.push(line),
    });
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    return {
      kind: "error",
      stdout: joinLines(notices),
      stderr: flagErrorText(spec, e.message, options.width),
      exitCode: 125,
    };
  }
  if (flags.bool("help")) {
    return { kind: "help", stdout: joinLines(notices) + renderHelp(spec, options.width), exitCode: 0 };
  }
  const argError = checkArgs(spec, flags.args, options.width);
  if (argError !== undefined) {
    return { kind: "error", stdout: joinLines(notices), stderr: argError + "\n", exitCode: 1 };
  }
  return { kind: "ok", flags, args: flags.args, stdout: joinLines(notices) };
}

function joinLines(lines: readonly string[]): string {
  return lines.map((l) => l + "\n").join("");
}

function hasSubcommands(spec: CommandSpec): boolean {
  return spec.subcommands !== undefined && spec.subcommands.length > 0;
}

/**
 * docker/cli 20.10 FlagErrorFunc: the stderr text (with its final newline) for
 * a flag error, "unknown flag: --foo\nSee 'docker run --help'.\n". Commands
 * with subcommands (the root, `docker image`) append their whole usage.
 */
export function flagErrorText(spec: CommandSpec, message: string, width?: number): string {
  const usage = hasSubcommands(spec) ? "\n\n" + renderUsage(spec, width) : "";
  return `${message}\nSee '${spec.path} --help'.${usage}\n`;
}

/**
 * The text (without final newline) docker/cli 20.10's argument validators
 * (cli/required.go) produce, or undefined when the count is fine.
 */
export function checkArgs(spec: CommandSpec, args: readonly string[], width?: number): string | undefined {
  const rule = spec.args ?? { kind: "any" };
  const n = args.length;
  const fail = (what: string): string =>
    `${goQuote(spec.path)} ${what}.\nSee '${spec.path} --help'.\n\nUsage:  ${spec.usage}\n\n${spec.short}`;
  switch (rule.kind) {
    case "any":
      return undefined;
    case "none":
      if (n === 0) return undefined;
      // A management command (`docker network foo`) prints its usage instead.
      if (hasSubcommands(spec)) return "\n" + renderUsage(spec, width).replace(/\s+$/u, "");
      return fail("accepts no arguments");
    case "min":
      if (n >= rule.min) return undefined;
      return fail(`requires at least ${rule.min} ${pluralize("argument", rule.min)}`);
    case "max":
      if (n <= rule.max) return undefined;
      return fail(`requires at most ${rule.max} ${pluralize("argument", rule.max)}`);
    case "exact":
      if (n === rule.count) return undefined;
      return fail(`requires exactly ${rule.count} ${pluralize("argument", rule.count)}`);
    case "range":
      if (n >= rule.min && n <= rule.max) return undefined;
      return fail(`requires at least ${rule.min} and at most ${rule.max} ${pluralize("argument", rule.max)}`);
  }
}

function pluralize(word: string, n: number): string {
  return n === 1 ? word : word + "s";
}

/**
 * How `docker run` reports a failure after parsing (bad image name, bad -p
 * value, …), docker/cli 20.10 reportError: one trailing "." of the message is
 * replaced by exactly one, then "See '<path> --help'." (stderr, exit 125):
 * "docker: Invalid containerPort: abc.\nSee 'docker run --help'.\n".
 */
export function commandErrorText(path: string, message: string, binName = "docker"): string {
  const text = message.endsWith(".") ? message.slice(0, -1) : message;
  return `${binName}: ${text}.\nSee '${path} --help'.\n`;
}

/** `docker foo`: the root's unknown-command error (stderr, exit 1). */
export function unknownCommandText(rootPath: string, command: string, binName = "docker"): string {
  return `${binName}: '${command}' is not a ${binName} command.\nSee '${rootPath} --help'\n`;
}
