// `docker commit --change` and `docker import --change`: Dockerfile instructions applied to
// an image config, as dockerd's BuildFromConfig does (moby 20.10: the Dockerfile parser,
// the instructions' env expansion, then the dispatchers). Only the instructions dockerd
// accepts for commit are valid; STOPSIGNAL is not among them in 20.10.
import type { ContainerConfig, HealthConfig } from "../api-types";

export class ChangeError extends Error {}

const VALID = new Set(["cmd", "entrypoint", "healthcheck", "env", "expose", "label", "onbuild", "user", "volume", "workdir"]);

type Config = Partial<ContainerConfig>;

/** Apply `changes` (one instruction each) to a copy of `config`. Throws ChangeError as dockerd words it. */
export function applyChanges(config: Config, changes: readonly string[]): Config {
  const out: Config = structuredClone(config);
  if (!changes.length) return out;
  const lines = changes
    .join("\n")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const parsed = lines.map((l) => {
    const m = /^(\S+)\s*([\s\S]*)$/.exec(l)!;
    return { cmd: m[1]!.toLowerCase(), rest: m[2]!, original: l };
  });
  // Every instruction is checked before any is applied.
  for (const p of parsed) if (!VALID.has(p.cmd)) throw new ChangeError(`${p.cmd} is not a valid change command`);
  let cmdSet = false;
  for (const { cmd, rest, original } of parsed) {
    const env = () => out.Env ?? [];
    switch (cmd) {
      case "env": {
        const pairs = nameValues(rest, "ENV").map(([k, v]) => [expandWord(k, env()), expandWord(v, env())] as const);
        const list = [...env()];
        for (const [k, v] of pairs) {
          const i = list.findIndex((e) => e.split("=")[0] === k);
          if (i >= 0) list[i] = `${k}=${v}`;
          else list.push(`${k}=${v}`);
        }
        out.Env = list;
        break;
      }
      case "label": {
        const labels = { ...(out.Labels ?? {}) };
        for (const [k, v] of nameValues(rest, "LABEL")) labels[expandWord(k, env())] = expandWord(v, env());
        out.Labels = labels;
        break;
      }
      case "cmd":
        out.Cmd = commandForm(rest);
        cmdSet = true;
        break;
      case "entrypoint":
        out.Entrypoint = commandForm(rest);
        // A Dockerfile's ENTRYPOINT drops an inherited CMD unless CMD is set in the same build.
        if (!cmdSet) out.Cmd = null;
        break;
      case "expose": {
        const words = splitWords(rest);
        if (!words.length) throw new ChangeError("EXPOSE requires at least one argument");
        const ports = { ...(out.ExposedPorts ?? {}) };
        for (const w of words) for (const p of portSpecs(expandWord(w, env()))) ports[p] = {};
        out.ExposedPorts = ports;
        break;
      }
      case "user":
        out.User = expandWord(single(rest, "USER"), env());
        break;
      case "workdir": {
        const dir = expandWord(single(rest, "WORKDIR"), env());
        out.WorkingDir = dir.startsWith("/") ? cleanPath(dir) : cleanPath(`${out.WorkingDir || "/"}/${dir}`);
        break;
      }
      case "volume": {
        const json = jsonArray(rest);
        const vols = json ?? splitWords(rest);
        if (!vols.length) throw new ChangeError("VOLUME requires at least one argument");
        const map = { ...(out.Volumes ?? {}) };
        for (const v of vols) {
          const path = expandWord(v, env()).trim();
          if (!path) throw new ChangeError("VOLUME specified can not be an empty string");
          map[path] = {};
        }
        out.Volumes = map;
        break;
      }
      case "onbuild": {
        const trigger = rest.trim().split(/\s+/)[0]?.toUpperCase() ?? "";
        if (!trigger) throw new ChangeError("ONBUILD requires at least one argument");
        if (trigger === "ONBUILD") throw new ChangeError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        if (trigger === "MAINTAINER" || trigger === "FROM") throw new ChangeError(`${trigger} isn't allowed as an ONBUILD trigger`);
        out.OnBuild = [...(out.OnBuild ?? []), original.replace(/^\s*ONBUILD\s*/i, "")];
        break;
      }
      case "healthcheck":
        out.Healthcheck = healthcheck(rest);
        break;
    }
  }
  return out;
}

/**
 * dockerd's merge(userConf, imageConf) after a commit's changes: what the changes left
 * empty comes from the container's config.
 */
export function mergeCommitConfig(user: Config, image: Config): Config {
  const out: Config = structuredClone(user);
  if (!out.User) out.User = image.User ?? "";
  if (!out.ExposedPorts || !Object.keys(out.ExposedPorts).length) {
    if (image.ExposedPorts) out.ExposedPorts = { ...image.ExposedPorts };
  } else if (image.ExposedPorts) {
    out.ExposedPorts = { ...image.ExposedPorts, ...out.ExposedPorts };
  }
  if (!out.Env?.length) out.Env = image.Env ?? null;
  else {
    const keys = new Set(out.Env.map((e) => e.split("=")[0]));
    for (const e of image.Env ?? []) if (!keys.has(e.split("=")[0])) out.Env.push(e);
  }
  out.Labels = { ...(image.Labels ?? {}), ...(out.Labels ?? {}) };
  if (!out.Entrypoint?.length) {
    if (!out.Cmd?.length) out.Cmd = image.Cmd ?? null;
    if (out.Entrypoint === null || out.Entrypoint === undefined) out.Entrypoint = image.Entrypoint ?? null;
  }
  if (!out.WorkingDir) out.WorkingDir = image.WorkingDir ?? "";
  if (!out.Volumes || !Object.keys(out.Volumes).length) out.Volumes = image.Volumes ?? null;
  else out.Volumes = { ...out.Volumes, ...(image.Volumes ?? {}) };
  if (!out.StopSignal && image.StopSignal) out.StopSignal = image.StopSignal;
  return out;
}

function single(rest: string, name: string): string {
  const words = splitWords(rest);
  if (words.length !== 1) throw new ChangeError(`${name} requires exactly one argument`);
  return rest.trim();
}

function jsonArray(rest: string): string[] | undefined {
  const t = rest.trim();
  if (!t.startsWith("[")) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  } catch {
    // Not JSON: the shell form, as the parser falls back to.
  }
  return undefined;
}

/** CMD/ENTRYPOINT: a JSON array, or a string run by /bin/sh -c. */
function commandForm(rest: string): string[] {
  return jsonArray(rest) ?? ["/bin/sh", "-c", ...(rest.trim() ? [rest.trim()] : [])];
}

function healthcheck(rest: string): HealthConfig {
  const words = rest.trim().split(/\s+/);
  const kind = (words[0] ?? "").toUpperCase();
  if (kind === "NONE") {
    if (words.length > 1) throw new ChangeError("HEALTHCHECK NONE takes no arguments");
    return { Test: ["NONE"] };
  }
  if (kind !== "CMD") throw new ChangeError(`Unknown type "${kind}" in HEALTHCHECK (try CMD)`);
  const cmd = rest.trim().slice(3);
  const json = jsonArray(cmd);
  return { Test: json ? ["CMD", ...json] : ["CMD-SHELL", cmd.trim()] };
}

/** Words split on whitespace outside quotes (the parser's parseWords), quotes kept. */
function splitWords(rest: string): string[] {
  const words: string[] = [];
  let word = "";
  let quote = "";
  let escaped = false;
  for (const ch of rest) {
    if (escaped) {
      word += ch;
      escaped = false;
    } else if (ch === "\\" && quote !== "'") {
      word += ch;
      escaped = true;
    } else if (quote) {
      word += ch;
      if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'") {
      word += ch;
      quote = ch;
    } else if (/\s/.test(ch)) {
      if (word) words.push(word);
      word = "";
    } else word += ch;
  }
  if (word) words.push(word);
  return words;
}

/** ENV/LABEL arguments: `name value` (old form, one pair) or `name=value ...`. */
function nameValues(rest: string, key: string): [string, string][] {
  const words = splitWords(rest);
  if (!words.length) throw new ChangeError(`${key} requires at least one argument`);
  if (!words[0]!.includes("=")) {
    const parts = rest.trim().split(/\s+/);
    if (parts.length < 2) throw new ChangeError(`${key} must have two arguments`);
    const name = parts[0]!;
    return [[name, rest.trim().slice(name.length).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf("=");
    if (eq < 0) throw new ChangeError(`Syntax error - can't find = in "${w}". Must be of the form: name=value`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/** The builder's shell lexer for one word: quotes removed, $VAR and ${VAR} (with :- and :+) expanded. */
export function expandWord(word: string, env: readonly string[]): string {
  const lookup = (name: string) => {
    for (let i = env.length - 1; i >= 0; i--) {
      const e = env[i]!;
      if (e.startsWith(`${name}=`)) return e.slice(name.length + 1);
    }
    return undefined;
  };
  let out = "";
  let i = 0;
  const variable = (): string => {
    // At "$".
    i++;
    if (word[i] === "{") {
      const end = word.indexOf("}", i);
      if (end < 0) throw new ChangeError(`missing '}' in '${word}'`);
      const body = word.slice(i + 1, end);
      i = end + 1;
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::([-+])(.*))?$/.exec(body);
      if (!m) throw new ChangeError(`unsupported modifier in '\${${body}}'`);
      const v = lookup(m[1]!);
      if (m[2] === "-") return v ? v : expandWord(m[3]!, env);
      if (m[2] === "+") return v ? expandWord(m[3]!, env) : "";
      return v ?? "";
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(word.slice(i));
    if (!m) return "$";
    i += m[0].length;
    return lookup(m[0]) ?? "";
  };
  while (i < word.length) {
    const ch = word[i]!;
    if (ch === "'") {
      const end = word.indexOf("'", i + 1);
      if (end < 0) throw new ChangeError(`unexpected end of statement while looking for matching single-quote`);
      out += word.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i++;
      while (i < word.length && word[i] !== '"') {
        if (word[i] === "\\" && i + 1 < word.length && '"$\\'.includes(word[i + 1]!)) {
          out += word[i + 1];
          i += 2;
        } else if (word[i] === "$") out += variable();
        else out += word[i++];
      }
      if (i >= word.length) throw new ChangeError(`unexpected end of statement while looking for matching double-quote`);
      i++;
    } else if (ch === "\\" && i + 1 < word.length) {
      out += word[i + 1];
      i += 2;
    } else if (ch === "$") out += variable();
    else out += word[i++];
  }
  return out;
}

/** nat.ParsePortSpecs for EXPOSE: "80", "80/udp", "8000-8002/tcp". */
function portSpecs(spec: string): string[] {
  const [range = "", proto = "tcp"] = spec.split("/");
  const m = /^(\d+)(?:-(\d+))?$/.exec(range);
  if (!m) throw new ChangeError(`Invalid containerPort: ${range}`);
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start > 65535 || end > 65535 || end < start) throw new ChangeError(`Invalid containerPort: ${range}`);
  const out: string[] = [];
  for (let p = start; p <= end; p++) out.push(`${p}/${proto.toLowerCase()}`);
  return out;
}

function cleanPath(p: string): string {
  const parts: string[] = [];
  for (const s of p.split("/")) {
    if (!s || s === ".") continue;
    if (s === "..") parts.pop();
    else parts.push(s);
  }
  return `/${parts.join("/")}`;
}
