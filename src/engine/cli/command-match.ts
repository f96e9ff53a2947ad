// "Did the learner run `docker run -it`?": a typed command line matches a pattern when
// docker/cli would read both as the same command (management forms included:
// `docker container run` is `docker run`) and the typed one gives every flag and leading
// argument the pattern gives, in any order and spelling (`-ti`, `-i -t` and
// `--interactive --tty` all match `-it`). Extra flags and arguments are fine.
import { handlerFor } from "./docker";
import { FlagError, parseFlags, type ParsedFlags } from "./flags";
import { effectiveFlags } from "./help";
import { findCommand, root } from "./specs";

interface Parsed {
  /** The command's handler, so both spellings of one command compare equal; else its path. */
  command: unknown;
  flags: ParsedFlags;
}

/** Parse what follows `docker` without checking the argument count (a pattern may omit the image). */
function parse(words: readonly string[]): Parsed | undefined {
  try {
    const global = parseFlags(effectiveFlags(root), words, { interspersed: false });
    const found = findCommand(global.args);
    if (found.kind !== "found" || found.spec === root) return undefined;
    const flags = parseFlags(effectiveFlags(found.spec), found.rest, { interspersed: found.spec.interspersed ?? true });
    return { command: handlerFor(found.spec.path) ?? found.spec.path, flags };
  } catch (e) {
    if (e instanceof FlagError) return undefined;
    throw e;
  }
}

function sameValue(want: unknown, got: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(got) && want.every((v) => got.includes(v));
  return want === got;
}

/** Split a pattern into words (plain whitespace; patterns are short command prefixes). */
export function patternWords(pattern: string): string[] {
  return pattern.trim().split(/\s+/).filter(Boolean);
}

/** Whether `argv` (the client's, "docker" first) is the command `pattern` names. */
export function commandMatches(argv: readonly string[], pattern: string): boolean {
  const words = patternWords(pattern);
  const base = (s: string | undefined) => s?.slice(s.lastIndexOf("/") + 1);
  if (!words.length || base(argv[0]) !== words[0]) return false;
  const want = parse(words.slice(1));
  const got = parse(argv.slice(1));
  if (!want || !got) {
    // Not a command docker would run (or Berth does not know it): compare the words as typed.
    return words.every((w, i) => (i === 0 ? true : argv[i] === w));
  }
  if (want.command !== got.command) return false;
  for (const name of want.flags.changedNames()) {
    if (!got.flags.declares(name) || !got.flags.changed(name) || !sameValue(want.flags.value(name), got.flags.value(name))) return false;
  }
  return want.flags.args.every((a, i) => got.flags.args[i] === a);
}
