// Turns a content folder (as text files plus a list of image assets) into a validated
// Course. The same code checks the built-in content at build time (Vite plugin), the
// instructor's folder in `npm run pack`, and a pack fetched at runtime, so all three
// accept exactly the same lessons. It never touches the file system itself.
import { parseYaml, YamlError, type YamlValue } from "../util/yaml";
import {
  ContentError,
  KEBAB,
  Problems,
  validateCourseSpec,
  validateLessonMeta,
  validateQuestions,
  type Course,
  type Lesson,
  type LessonMeta,
  type Part,
  type Question,
  type WorkspaceFiles,
} from "./schema";

/** A content folder: text files by path relative to its root, and the image files' paths. */
export interface ContentSource {
  files: Map<string, string>;
  assets: string[];
}

export interface LoadOptions {
  /** Put before file names in messages: "content" for the built-in course, a pack's URL. */
  label: string;
  /** URL prefix under which the folder's assets are served (ends with '/'). */
  assetRoot: string;
}

/** Images a lesson may show; anything else in a lesson folder besides start/ and solution/ is ignored. */
export const ASSET_EXTENSIONS = [".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"];

export function isAssetPath(path: string): boolean {
  const lower = path.toLowerCase();
  return ASSET_EXTENSIONS.some((e) => lower.endsWith(e));
}

export interface FrontMatter {
  yaml: string;
  body: string;
  /** Line number (1-based) of the first YAML line in the file. */
  firstLine: number;
}

/** Splits `---\n<yaml>\n---\n<markdown>`; undefined when the file does not start with front matter. */
export function splitFrontMatter(text: string): FrontMatter | undefined {
  const t = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (!t.startsWith("---\n")) return undefined;
  const end = /^---[ \t]*$/m;
  const rest = t.slice(4);
  const m = end.exec(rest);
  if (!m) return undefined;
  return { yaml: rest.slice(0, m.index), body: rest.slice(m.index + m[0].length).replace(/^\n/, ""), firstLine: 2 };
}

/** Parses YAML, reporting syntax errors with the file's line numbers. */
function readYaml(p: Problems, text: string, firstLine = 1): YamlValue | undefined {
  try {
    return parseYaml(text);
  } catch (e) {
    if (!(e instanceof YamlError)) throw e;
    p.add("", `line ${e.line + firstLine - 1}, column ${e.column}: ${e.reason}`);
    return undefined;
  }
}

/** Relative image references in Markdown: `![alt](path)` and `<img src="path">`. */
function imageRefs(markdown: string): string[] {
  const refs: string[] = [];
  for (const m of markdown.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?/g)) refs.push(m[1]!);
  for (const m of markdown.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+)/gi)) refs.push(m[1]!);
  return refs.filter((r) => !/^[a-z][a-z0-9+.-]*:/i.test(r) && !r.startsWith("/") && !r.startsWith("#"));
}

function filesUnder(src: ContentSource, dir: string): WorkspaceFiles {
  const out: WorkspaceFiles = {};
  for (const [path, text] of src.files) if (path.startsWith(dir)) out[path.slice(dir.length)] = text;
  return out;
}

interface LessonPlace {
  id: string;
  part: string;
  /** Folder relative to the content root, ending with '/'. */
  dir: string;
  /** lesson.md or drill.md */
  name: string;
}

function loadLesson(src: ContentSource, opts: LoadOptions, place: LessonPlace, problems: string[]): Lesson | undefined {
  const rel = place.dir + place.name;
  const p = new Problems(`${opts.label}/${rel}`);
  const text = src.files.get(rel);
  if (text === undefined) {
    p.add("", "missing");
    problems.push(...p.list);
    return undefined;
  }
  const fm = splitFrontMatter(text);
  if (!fm) {
    p.add("", "expected front matter: the file must start with a '---' line, then YAML, then another '---' line");
    problems.push(...p.list);
    return undefined;
  }
  const value = readYaml(p, fm.yaml, fm.firstLine);
  let meta: LessonMeta | undefined;
  if (value !== undefined) meta = validateLessonMeta(p, value, place.part === "drills");
  const start = filesUnder(src, place.dir + "start/");
  const solution = filesUnder(src, place.dir + "solution/");
  if (meta) {
    meta.open.forEach((path, i) => {
      if (!(path in start)) p.add(`open[${i}]`, `"${path}" is not in start/`);
    });
  }
  const assets = new Set(src.assets);
  for (const ref of imageRefs(fm.body)) {
    const target = new URL(ref, `file:///${place.dir}`).pathname.slice(1);
    if (!assets.has(decodeURIComponent(target))) p.add("", `image "${ref}" not found (put it in the lesson folder)`);
  }
  problems.push(...p.list);
  if (!meta || p.list.length) return undefined;
  return { ...meta, id: place.id, part: place.part, file: `${opts.label}/${rel}`, body: fm.body, assetBase: opts.assetRoot + place.dir, start, solution };
}

/** Loads and validates everything; throws ContentError listing every problem found. */
export function loadCourse(src: ContentSource, opts: LoadOptions): Course {
  const problems: string[] = [];
  const courseFile = new Problems(`${opts.label}/course.yaml`);
  const courseText = src.files.get("course.yaml");
  let spec = undefined;
  if (courseText === undefined) courseFile.add("", "missing (it lists the parts and their lessons)");
  else {
    const v = readYaml(courseFile, courseText);
    if (v !== undefined) spec = validateCourseSpec(courseFile, v);
  }
  problems.push(...courseFile.list);

  const parts: Part[] = [];
  const listed = new Set<string>();
  for (const ps of spec ?? []) {
    const lessons: Lesson[] = [];
    for (const id of ps.lessons) {
      listed.add(`${ps.id}/${id}/`);
      const l = loadLesson(src, opts, { id, part: ps.id, dir: `${ps.id}/${id}/`, name: "lesson.md" }, problems);
      if (l) lessons.push(l);
    }
    parts.push({ id: ps.id, title: ps.title, lessons });
  }
  for (const path of src.files.keys()) {
    const m = /^([^/]+)\/([^/]+)\/lesson\.md$/.exec(path);
    if (m && !listed.has(`${m[1]}/${m[2]}/`)) problems.push(`${opts.label}/${path}: not listed in course.yaml`);
  }

  const drills: Lesson[] = [];
  const drillIds = [...new Set([...src.files.keys()].map((path) => /^drills\/([^/]+)\//.exec(path)?.[1]).filter((x): x is string => !!x))].sort();
  for (const id of drillIds) {
    if (!KEBAB.test(id)) {
      problems.push(`${opts.label}/drills/${id}: the folder name must be kebab-case`);
      continue;
    }
    const d = loadLesson(src, opts, { id, part: "drills", dir: `drills/${id}/`, name: "drill.md" }, problems);
    if (d) drills.push(d);
  }

  // Ids come from course.yaml and the drill folders, so a broken lesson does not make
  // every reference to it a second problem.
  const lessonIds = new Set<string>(spec?.flatMap((x) => x.lessons));
  for (const id of drillIds) {
    if (lessonIds.has(id)) problems.push(`${opts.label}/drills/${id}: the id "${id}" is also a lesson's`);
    lessonIds.add(id);
  }
  for (const l of parts.flatMap((x) => x.lessons)) {
    l.prerequisites.forEach((id, i) => {
      if (!lessonIds.has(id)) problems.push(`${l.file}: prerequisites[${i}]: no lesson "${id}"`);
    });
  }

  const questions: Question[] = [];
  const questionIds = new Set<string>();
  for (const path of [...src.files.keys()].filter((x) => /^questions\/[^/]+\.ya?ml$/.test(x)).sort()) {
    const p = new Problems(`${opts.label}/${path}`);
    const v = readYaml(p, src.files.get(path)!);
    const qs = v === undefined ? undefined : validateQuestions(p, v);
    qs?.forEach((q, i) => {
      if (questionIds.has(q.id)) p.add(`[${i}].id`, `duplicate question id "${q.id}"`);
      questionIds.add(q.id);
      if (!lessonIds.has(q.lesson)) p.add(`[${i}].lesson`, `no lesson "${q.lesson}"`);
    });
    problems.push(...p.list);
    if (qs && !p.list.length) questions.push(...qs);
  }

  if (problems.length) throw new ContentError(problems);
  return { intro: src.files.get("welcome.md") ?? "", parts, drills, questions };
}
