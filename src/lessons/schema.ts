// The lesson format (front matter, course.yaml, question bank) as types, and validators
// that turn parsed YAML into them. Every problem is reported with the file and the field
// path, e.g. "content/a/l01/lesson.md: steps[2].checks[0].container.state: expected one
// of created|running|paused|exited", and all problems of a file are reported at once.
import type { YamlMap, YamlValue } from "../util/yaml";

export const CONTAINER_STATES = ["created", "running", "paused", "exited"] as const;
export type ContainerState = (typeof CONTAINER_STATES)[number];

export interface ImageConfigMatch {
  Cmd?: string[];
  Entrypoint?: string[];
  User?: string;
  WorkingDir?: string;
  Env?: string[];
  ExposedPorts?: string[];
}

interface CheckBase {
  /** Shown when the check fails. */
  hint?: string;
}
export interface ContainerCheck extends CheckBase {
  container: { name?: string; image?: string; state?: ContainerState; exitCode?: number; oomKilled?: boolean; label?: Record<string, string> };
}
export interface NoContainerCheck extends CheckBase {
  noContainer: { name?: string; image?: string };
}
export interface ImageCheck extends CheckBase {
  image: { ref: string; label?: Record<string, string>; config?: ImageConfigMatch };
}
export interface NoImageCheck extends CheckBase {
  noImage: { ref: string };
}
export interface FileCheck extends CheckBase {
  file: { path: string; contains?: string; matches?: string };
}
export interface RanCheck extends CheckBase {
  ran: { command: string };
}
export interface ShellCheck extends CheckBase {
  shell: { script: string };
}
export type Check = ContainerCheck | NoContainerCheck | ImageCheck | NoImageCheck | FileCheck | RanCheck | ShellCheck;
export const CHECK_KINDS = ["container", "noContainer", "image", "noImage", "file", "ran", "shell"] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface Step {
  id: string;
  title: string;
  checks: Check[];
  hints: string[];
  solution: string[];
}

export interface QuizQuestion {
  q: string;
  choices: string[];
  answer: number;
  explain: string;
}

/** The front matter of a lesson or drill, with optional fields filled in. */
export interface LessonMeta {
  title: string;
  goal: string;
  minutes: number;
  prerequisites: string[];
  open: string[];
  setup: string[];
  steps: Step[];
  quiz: QuizQuestion[];
  /** A drill: a prepared broken setup to investigate; the quiz is optional. */
  scenario: boolean;
}

/** Workspace files by path relative to the workspace (text only). */
export type WorkspaceFiles = Record<string, string>;

export interface Lesson extends LessonMeta {
  id: string;
  /** The part's id, or "drills". */
  part: string;
  /** Where it came from, for messages: "content/a-containers/l01-hello/lesson.md". */
  file: string;
  /** The Markdown after the front matter (rendered and sanitized by the page). */
  body: string;
  /** URL that the lesson's relative image paths resolve against (ends with '/'). */
  assetBase: string;
  start: WorkspaceFiles;
  solution: WorkspaceFiles;
}

export interface Part {
  id: string;
  title: string;
  lessons: Lesson[];
}

export interface Question {
  id: string;
  q: string;
  /** Markdown. */
  answer: string;
  lesson: string;
  tags: string[];
}

export interface Course {
  /** Markdown shown above the course map (welcome.md), if any. */
  intro: string;
  parts: Part[];
  drills: Lesson[];
  questions: Question[];
}

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ContentError";
  }
}

/** Collects the problems of one file. */
export class Problems {
  readonly list: string[] = [];
  constructor(readonly file: string) {}
  add(path: string, message: string): void {
    this.list.push(path ? `${this.file}: ${path}: ${message}` : `${this.file}: ${message}`);
  }
}

export const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const describe = (v: YamlValue): string =>
  v === null ? "nothing" : Array.isArray(v) ? "a list" : typeof v === "object" ? "a mapping" : typeof v === "string" ? "a string" : `${typeof v} ${String(v)}`;

const join = (path: string, key: string | number): string => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

/** Typed reads of one mapping, recording problems under its path. */
class Fields {
  constructor(
    private readonly p: Problems,
    private readonly path: string,
    readonly map: YamlMap,
  ) {}

  static of(p: Problems, path: string, v: YamlValue | undefined, allowed: readonly string[]): Fields | undefined {
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
      p.add(path, `expected a mapping (key: value), found ${describe(v ?? null)}`);
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) p.add(join(path, k), `unknown field (expected one of ${allowed.join(", ")})`);
    }
    return new Fields(p, path, v);
  }

  has(key: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.map, key);
  }

  at(key: string): string {
    return join(this.path, key);
  }

  string(key: string, required: true): string;
  string(key: string, required?: false): string | undefined;
  string(key: string, required = false): string | undefined {
    if (!this.has(key)) {
      if (required) this.p.add(this.at(key), "required");
      return undefined;
    }
    return stringValue(this.p, this.at(key), this.map[key]!);
  }

  int(key: string, min: number, max: number, required: boolean): number | undefined {
    if (!this.has(key)) {
      if (required) this.p.add(this.at(key), "required");
      return undefined;
    }
    const v = this.map[key]!;
    if (typeof v !== "number" || !Number.isInteger(v)) {
      this.p.add(this.at(key), `expected a whole number, found ${describe(v)}`);
      return undefined;
    }
    if (v < min || v > max) {
      this.p.add(this.at(key), `expected ${min}..${max}, found ${v}`);
      return undefined;
    }
    return v;
  }

  bool(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const v = this.map[key]!;
    if (typeof v !== "boolean") {
      this.p.add(this.at(key), `expected true or false, found ${describe(v)}`);
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(key: string, options: readonly T[]): T | undefined {
    const v = this.string(key);
    if (v === undefined) return undefined;
    if (!(options as readonly string[]).includes(v)) {
      this.p.add(this.at(key), `expected one of ${options.join("|")}`);
      return undefined;
    }
    return v as T;
  }

  list<T>(key: string, required: boolean, min: number, max: number, item: (v: YamlValue, path: string) => T | undefined): T[] {
    if (!this.has(key) || (this.map[key] === null && !required)) {
      if (required) this.p.add(this.at(key), "required");
      return [];
    }
    const v = this.map[key]!;
    if (!Array.isArray(v)) {
      this.p.add(this.at(key), `expected a list, found ${describe(v)}`);
      return [];
    }
    if (v.length < min || v.length > max) {
      this.p.add(this.at(key), min === max ? `expected ${min} entries, found ${v.length}` : `expected ${min}..${max} entries, found ${v.length}`);
    }
    const out: T[] = [];
    v.forEach((x, i) => {
      const r = item(x, join(this.at(key), i));
      if (r !== undefined) out.push(r);
    });
    return out;
  }

  strings(key: string, required = false, min = 0, max = 1000): string[] {
    return this.list(key, required, min, max, (v, path) => stringValue(this.p, path, v));
  }

  /** `{k: v}` with string values. */
  labels(key: string): Record<string, string> | undefined {
    if (!this.has(key)) return undefined;
    const f = Fields.of(this.p, this.at(key), this.map[key], Object.keys(asMap(this.map[key])));
    if (!f) return undefined;
    const out: Record<string, string> = {};
    for (const k of Object.keys(f.map)) {
      const s = f.string(k);
      if (s !== undefined) out[k] = s;
    }
    return out;
  }
}

function asMap(v: YamlValue | undefined): YamlMap {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? v : {};
}

function stringValue(p: Problems, path: string, v: YamlValue): string | undefined {
  if (typeof v !== "string") {
    p.add(path, `expected a string, found ${describe(v)}${typeof v === "number" || typeof v === "boolean" ? " (put it in quotes)" : ""}`);
    return undefined;
  }
  if (!v.trim()) {
    p.add(path, "must not be empty");
    return undefined;
  }
  return v;
}

/** A path inside the workspace: relative, no `..`, no leading slash. */
export function isWorkspacePath(path: string): boolean {
  return path !== "" && !path.startsWith("/") && !path.includes("\\") && path.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

function workspacePath(p: Problems, path: string, v: string | undefined): string | undefined {
  if (v !== undefined && !isWorkspacePath(v)) {
    p.add(path, "expected a path inside the workspace, relative, without '..' (e.g. app/Dockerfile)");
    return undefined;
  }
  return v;
}

const IMAGE_CONFIG_LISTS = ["Cmd", "Entrypoint", "Env", "ExposedPorts"] as const;

function check(p: Problems, path: string, v: YamlValue): Check | undefined {
  const f = Fields.of(p, path, v, [...CHECK_KINDS, "hint"]);
  if (!f) return undefined;
  const kinds = CHECK_KINDS.filter((k) => f.has(k));
  if (kinds.length !== 1) {
    p.add(path, kinds.length ? `expected exactly one check, found ${kinds.join(" and ")}` : `expected one of ${CHECK_KINDS.join(", ")}`);
    return undefined;
  }
  const kind = kinds[0]!;
  const hint = f.string("hint");
  const base = hint === undefined ? {} : { hint };
  const body = f.map[kind];
  const at = f.at(kind);
  const before = p.list.length;
  let out: Check | undefined;
  switch (kind) {
    case "container": {
      const c = Fields.of(p, at, body, ["name", "image", "state", "exitCode", "oomKilled", "label"]);
      if (!c) return undefined;
      out = {
        ...base,
        container: dropUndefined({
          name: c.string("name"),
          image: c.string("image"),
          state: c.oneOf("state", CONTAINER_STATES),
          exitCode: c.int("exitCode", 0, 255, false),
          oomKilled: c.bool("oomKilled"),
          label: c.labels("label"),
        }),
      };
      break;
    }
    case "noContainer": {
      const c = Fields.of(p, at, body, ["name", "image"]);
      if (!c) return undefined;
      out = { ...base, noContainer: dropUndefined({ name: c.string("name"), image: c.string("image") }) };
      break;
    }
    case "image": {
      const c = Fields.of(p, at, body, ["ref", "label", "config"]);
      if (!c) return undefined;
      let config: ImageConfigMatch | undefined;
      if (c.has("config")) {
        const k = Fields.of(p, c.at("config"), c.map.config, [...IMAGE_CONFIG_LISTS, "User", "WorkingDir"]);
        if (k) {
          config = dropUndefined({ User: k.has("User") ? stringOrEmpty(p, k.at("User"), k.map.User!) : undefined, WorkingDir: k.string("WorkingDir") });
          for (const key of IMAGE_CONFIG_LISTS) if (k.has(key)) config[key] = k.strings(key);
        }
      }
      out = { ...base, image: dropUndefined({ ref: c.string("ref", true), label: c.labels("label"), config }) };
      break;
    }
    case "noImage": {
      const c = Fields.of(p, at, body, ["ref"]);
      if (!c) return undefined;
      out = { ...base, noImage: { ref: c.string("ref", true) } };
      break;
    }
    case "file": {
      const c = Fields.of(p, at, body, ["path", "contains", "matches"]);
      if (!c) return undefined;
      const matches = c.string("matches");
      if (matches !== undefined) {
        try {
          new RegExp(matches);
        } catch (e) {
          p.add(c.at("matches"), `not a valid regular expression: ${(e as Error).message}`);
        }
      }
      out = { ...base, file: dropUndefined({ path: workspacePath(p, c.at("path"), c.string("path", true))!, contains: c.string("contains"), matches }) };
      break;
    }
    case "ran": {
      const c = Fields.of(p, at, body, ["command"]);
      if (!c) return undefined;
      const command = c.string("command", true);
      if (command !== undefined && command.trim().split(/\s+/)[0] !== "docker") {
        p.add(c.at("command"), "expected a docker command (only docker commands are recorded), e.g. \"docker run -it\"");
      }
      out = { ...base, ran: { command: command! } };
      break;
    }
    case "shell": {
      const c = Fields.of(p, at, body, ["script"]);
      if (!c) return undefined;
      out = { ...base, shell: { script: c.string("script", true)! } };
      break;
    }
  }
  return p.list.length === before ? out : undefined;
}

/** User may be "" (root by default) in an image config. */
function stringOrEmpty(p: Problems, path: string, v: YamlValue): string | undefined {
  if (typeof v === "string") return v;
  p.add(path, `expected a string, found ${describe(v)}`);
  return undefined;
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}

function step(p: Problems, path: string, v: YamlValue): Step | undefined {
  const f = Fields.of(p, path, v, ["id", "title", "checks", "hints", "solution"]);
  if (!f) return undefined;
  const id = f.string("id", true);
  if (id !== undefined && !KEBAB.test(id)) p.add(f.at("id"), "expected kebab-case (lower-case words joined by '-')");
  return {
    id: id ?? "",
    title: f.string("title", true) ?? "",
    checks: f.list("checks", true, 1, 10, (c, at) => check(p, at, c)),
    hints: f.strings("hints"),
    solution: f.strings("solution", true, 1),
  };
}

function quizQuestion(p: Problems, path: string, v: YamlValue): QuizQuestion | undefined {
  const f = Fields.of(p, path, v, ["q", "choices", "answer", "explain"]);
  if (!f) return undefined;
  const choices = f.strings("choices", true, 2, 6);
  const answer = f.int("answer", 0, Math.max(0, choices.length - 1), true);
  return { q: f.string("q", true) ?? "", choices, answer: answer ?? 0, explain: f.string("explain", true) ?? "" };
}

const LESSON_FIELDS = ["title", "goal", "minutes", "prerequisites", "open", "setup", "steps", "quiz", "scenario"] as const;

/**
 * Validates a lesson's (or, with `drill`, a drill's) front matter. Checks that need the
 * whole course (prerequisites exist, open files exist) are the loader's.
 */
export function validateLessonMeta(p: Problems, v: YamlValue, drill: boolean): LessonMeta | undefined {
  const before = p.list.length;
  const f = Fields.of(p, "", v, drill ? LESSON_FIELDS : LESSON_FIELDS.filter((k) => k !== "scenario"));
  if (!f) return undefined;
  const steps = f.list("steps", true, 1, 20, (s, at) => step(p, at, s));
  const seen = new Set<string>();
  steps.forEach((s, i) => {
    if (s.id && seen.has(s.id)) p.add(`steps[${i}].id`, `duplicate step id "${s.id}"`);
    seen.add(s.id);
  });
  const scenario = f.bool("scenario") ?? false;
  if (drill && !scenario) p.add("scenario", "a drill must say scenario: true");
  const meta: LessonMeta = {
    title: f.string("title", true) ?? "",
    goal: f.string("goal", true) ?? "",
    minutes: f.int("minutes", 1, 120, true) ?? 0,
    prerequisites: f.strings("prerequisites"),
    open: f.list("open", false, 0, 20, (x, at) => workspacePath(p, at, stringValue(p, at, x))),
    setup: f.strings("setup"),
    steps,
    quiz: f.list("quiz", !drill, drill ? 0 : 3, 5, (q, at) => quizQuestion(p, at, q)),
    scenario,
  };
  return p.list.length === before ? meta : undefined;
}

export interface CoursePartSpec {
  id: string;
  title: string;
  lessons: string[];
}

/** course.yaml: the parts in order, each listing its lesson ids. */
export function validateCourseSpec(p: Problems, v: YamlValue): CoursePartSpec[] | undefined {
  const before = p.list.length;
  if (!Array.isArray(v)) {
    p.add("", `expected a list of parts (- id: ..., title: ..., lessons: [...]), found ${describe(v)}`);
    return undefined;
  }
  const parts: CoursePartSpec[] = [];
  const ids = new Set<string>();
  const lessons = new Set<string>();
  v.forEach((x, i) => {
    const f = Fields.of(p, `[${i}]`, x, ["id", "title", "lessons"]);
    if (!f) return;
    const id = f.string("id", true) ?? "";
    if (id && !KEBAB.test(id)) p.add(f.at("id"), "expected kebab-case (it is the part's folder name)");
    if (ids.has(id)) p.add(f.at("id"), `duplicate part id "${id}"`);
    if (id === "drills" || id === "questions") p.add(f.at("id"), `"${id}" is reserved`);
    ids.add(id);
    const list = f.strings("lessons", true, 1);
    list.forEach((l, j) => {
      if (!KEBAB.test(l)) p.add(`${f.at("lessons")}[${j}]`, "expected kebab-case (it is the lesson's folder name)");
      if (lessons.has(l)) p.add(`${f.at("lessons")}[${j}]`, `lesson "${l}" is listed twice`);
      lessons.add(l);
    });
    parts.push({ id, title: f.string("title", true) ?? "", lessons: list });
  });
  return p.list.length === before ? parts : undefined;
}

/** A questions/*.yaml file: a list of interview questions. */
export function validateQuestions(p: Problems, v: YamlValue): Question[] | undefined {
  const before = p.list.length;
  if (!Array.isArray(v)) {
    p.add("", `expected a list of questions, found ${describe(v)}`);
    return undefined;
  }
  const out: Question[] = [];
  v.forEach((x, i) => {
    const f = Fields.of(p, `[${i}]`, x, ["id", "q", "answer", "lesson", "tags"]);
    if (!f) return;
    const id = f.string("id", true) ?? "";
    if (id && !KEBAB.test(id)) p.add(f.at("id"), "expected kebab-case");
    out.push({ id, q: f.string("q", true) ?? "", answer: f.string("answer", true) ?? "", lesson: f.string("lesson", true) ?? "", tags: f.strings("tags", true) });
  });
  return p.list.length === before ? out : undefined;
}
