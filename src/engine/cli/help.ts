// `docker <cmd> --help`: docker/cli 20.10's help and usage templates and
// pflag's option table (FlagUsagesWrapped), plus the hidden --help flag every
// command inherits. Checked against Docker 20.10.24 (/usr/bin/docker).
import { goQuote } from "../util/go-values";
import type { CommandSpec, FlagSpec, SubcommandSummary } from "./flags";

/** The implicit --help flag every docker command inherits from the root. */
export const INHERITED_HELP_FLAG: FlagSpec = {
  name: "help",
  shorthand: "h",
  usage: "Print usage",
  kind: "bool",
  hidden: true,
  shorthandDeprecated: "please use --help",
};

/** The flags a command actually parses: its own plus the inherited --help. */
export function effectiveFlags(spec: CommandSpec): FlagSpec[] {
  const flags = [...spec.flags];
  if (!flags.some((f) => f.name === "help")) {
    // A command that claims -h (run/create use it for --hostname) declares its
    // own --help; otherwise the root's hidden --help/-h is inherited.
    const hTaken = flags.some((f) => f.shorthand === "h");
    flags.push(hTaken ? { ...INHERITED_HELP_FLAG, shorthand: undefined, shorthandDeprecated: undefined } : INHERITED_HELP_FLAG);
  }
  return flags;
}

const MIN_NAME_PADDING = 11;

/**
 * `docker <cmd> --help` as Docker 20.10 prints it: its help template is an
 * empty line followed by the usage string.
 */
export function renderHelp(spec: CommandSpec, width = 80): string {
  return "\n" + renderUsage(spec, width);
}

/**
 * cobra's UsageString with docker/cli 20.10's usage template (ends with a
 * newline). Argument and flag errors of management commands print it too.
 */
export function renderUsage(spec: CommandSpec, width = 80): string {
  const subs = spec.subcommands ?? [];
  // cobra sorts subcommands by name and leaves hidden ones out.
  const listed = subs.filter((s) => s.hidden !== true).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const flags = effectiveFlags(spec);
  const hasFlags = flags.some((f) => f.hidden !== true && f.deprecated === undefined);
  let out = "Usage:";
  if (subs.length === 0) out += `  ${spec.usage}`;
  else out += `  ${spec.path}${hasFlags ? " [OPTIONS]" : ""} COMMAND`;
  out += "\n\n" + (spec.long ?? spec.short).trim();
  if (spec.aliases !== undefined && spec.aliases.length > 0) {
    out += "\n\nAliases:\n  " + spec.aliases.join(", ");
  }
  if (spec.example !== undefined && spec.example !== "") {
    out += "\n\nExamples:\n" + spec.example;
  }
  if (hasFlags) {
    out += "\n\nOptions:\n" + flagUsages(flags, width - 1).replace(/\s+$/u, "");
  }
  if (subs.length > 0) {
    const pad = Math.max(MIN_NAME_PADDING, ...subs.map((s) => s.name.length));
    const section = (title: string, list: readonly SubcommandSummary[]): void => {
      if (list.length === 0) return;
      out += `\n\n${title}:`;
      for (const sub of list) out += `\n  ${sub.name.padEnd(pad)} ${sub.short}`;
    };
    section(
      "Management Commands",
      listed.filter((s) => s.management === true),
    );
    section(
      "Commands",
      listed.filter((s) => s.management !== true),
    );
    out += `\n\nRun '${spec.path} COMMAND --help' for more information on a command.`;
  }
  if (spec.additionalHelp !== undefined) out += "\n\n" + spec.additionalHelp;
  return out + "\n";
}

/**
 * pflag's FlagUsagesWrapped(cols): the aligned option table. `cols` 0 means no
 * wrapping. Hidden and deprecated flags are left out, flags sorted by name.
 */
export function flagUsages(specs: readonly FlagSpec[], cols: number): string {
  const visible = specs
    .filter((f) => f.hidden !== true && f.deprecated === undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lines: Array<[string, string]> = [];
  let maxlen = 0;
  for (const flag of visible) {
    let left =
      flag.shorthand !== undefined && flag.shorthandDeprecated === undefined
        ? `  -${flag.shorthand}, --${flag.name}`
        : `      --${flag.name}`;
    const [varname, usage] = unquoteUsage(flag);
    if (varname !== "") left += " " + varname;
    const type = typeNameOf(flag);
    if (flag.noOptDefVal !== undefined && flag.noOptDefVal !== "") {
      if (type === "string") left += `[="${flag.noOptDefVal}"]`;
      else if (type === "bool") {
        if (flag.noOptDefVal !== "true") left += `[=${flag.noOptDefVal}]`;
      } else if (type === "count") {
        if (flag.noOptDefVal !== "+1") left += `[=${flag.noOptDefVal}]`;
      } else left += `[=${flag.noOptDefVal}]`;
    }
    // +1 stands for pflag's "\x00" placeholder, which it counts in maxlen.
    maxlen = Math.max(maxlen, left.length + 1);
    let right = usage;
    const def = defValueOf(flag);
    if (!defaultIsZero(flag, def)) {
      right += type === "string" ? ` (default ${goQuote(def)})` : ` (default ${def})`;
    }
    lines.push([left, right]);
  }
  let out = "";
  for (const [left, right] of lines) {
    // Go: Fprintln(left, spacing, wrapped) puts a space between each operand.
    const spacing = " ".repeat(maxlen - left.length);
    out += `${left} ${spacing} ${wrap(maxlen + 2, cols, right)}\n`;
  }
  return out;
}

function typeNameOf(flag: FlagSpec): string {
  if (flag.typeName !== undefined) return flag.typeName;
  switch (flag.kind) {
    case "bool":
      return "bool";
    case "string":
      return "string";
    case "int":
      return (flag.bits ?? 64) === 64 ? "int" : `int${flag.bits ?? 64}`;
    case "uint":
      return (flag.bits ?? 64) === 64 ? "uint" : `uint${flag.bits ?? 64}`;
    case "strings":
      return flag.csv === true ? "stringSlice" : "stringArray";
  }
}

function unquoteUsage(flag: FlagSpec): [string, string] {
  const usage = flag.usage;
  const i = usage.indexOf("`");
  if (i >= 0) {
    const j = usage.indexOf("`", i + 1);
    if (j >= 0) {
      const name = usage.slice(i + 1, j);
      return [name, usage.slice(0, i) + name + usage.slice(j + 1)];
    }
  }
  let name = typeNameOf(flag);
  switch (name) {
    case "bool":
      name = "";
      break;
    case "float64":
      name = "float";
      break;
    case "int64":
      name = "int";
      break;
    case "uint64":
      name = "uint";
      break;
    case "stringSlice":
      name = "strings";
      break;
    case "intSlice":
      name = "ints";
      break;
    case "uintSlice":
      name = "uints";
      break;
    case "boolSlice":
      name = "bools";
      break;
  }
  return [name, usage];
}

function defValueOf(flag: FlagSpec): string {
  if (flag.defValue !== undefined) return flag.defValue;
  const d = flag.default;
  if (d === undefined) {
    if (flag.kind === "bool") return "false";
    if (flag.kind === "int" || flag.kind === "uint") return "0";
    if (flag.kind === "strings") return flag.typeName === undefined ? "[]" : "";
    return "";
  }
  if (Array.isArray(d)) return "[" + (d as readonly string[]).join(",") + "]";
  return String(d);
}

const INT_TYPES = new Set([
  "int",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "count",
  "float32",
  "float64",
]);

// pflag v1.0.6 defaultIsZeroValue, keyed by Value.Type().
function defaultIsZero(flag: FlagSpec, def: string): boolean {
  if (flag.kind === "bool") return def === "false";
  const type = typeNameOf(flag);
  if (type === "duration") return def === "0" || def === "0s";
  if (INT_TYPES.has(type)) return def === "0";
  if (type === "string") return def === "";
  if (type === "stringSlice" || type === "stringArray" || type === "intSlice") return def === "[]";
  return def === "false" || def === "<nil>" || def === "" || def === "0";
}

// pflag's wrapN: split at the last whitespace before i, allowing `slop` extra.
function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ""];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(" "), head.lastIndexOf("\t"), head.lastIndexOf("\n"));
  if (w <= 0) return [s, ""];
  const nlPos = head.lastIndexOf("\n");
  if (nlPos > 0 && nlPos < w) return [s.slice(0, nlPos), s.slice(nlPos + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

// pflag's wrap: indent continuation lines by i, wrap at w columns.
function wrap(iIn: number, w: number, sIn: string): string {
  let i = iIn;
  let s = sIn;
  if (w === 0) return s.replaceAll("\n", "\n" + " ".repeat(i));
  let width = w - i;
  let r = "";
  if (width < 24) {
    i = 16;
    width = w - i;
    r += "\n" + " ".repeat(i);
  }
  if (width < 24) return s.replaceAll("\n", r);
  const slop = 5;
  width -= slop;
  let l: string;
  [l, s] = wrapN(width, slop, s);
  r += l.replaceAll("\n", "\n" + " ".repeat(i));
  while (s !== "") {
    let t: string;
    [t, s] = wrapN(width, slop, s);
    r += "\n" + " ".repeat(i) + t.replaceAll("\n", "\n" + " ".repeat(i));
  }
  return r;
}
