// The learner's progress, kept in the browser (localStorage): which steps of which
// lessons have passed and how the quiz went. Exported to and imported from a JSON file;
// an imported file is validated like any other untrusted input.
import { KEBAB } from "./schema";

export interface QuizAnswer {
  choice: number;
  correct: boolean;
}

export interface LessonProgress {
  /** Steps that have passed their checks (a pass sticks: later steps may change the state). */
  steps: Record<string, true>;
  quiz: Record<string, QuizAnswer>;
  /** ISO time when every step had passed. */
  completedAt?: string;
}

export interface ProgressFile {
  format: "berth-progress";
  version: 1;
  lessons: Record<string, LessonProgress>;
}

export type LessonStatus = "new" | "started" | "done";

/** The part of Storage this needs (localStorage in the page, a Map in tests). */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const MAX_FILE_BYTES = 1024 * 1024;
const MAX_LESSONS = 2000;

export class ProgressError extends Error {
  override name = "ProgressError";
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function own(o: Record<string, unknown>): Array<[string, unknown]> {
  return Object.keys(o).map((k) => [k, o[k]]);
}

/** Checks a progress file; throws ProgressError naming the first bad field. */
export function parseProgress(text: string): ProgressFile {
  if (text.length > MAX_FILE_BYTES) throw new ProgressError("The file is too big to be a Berth progress file.");
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ProgressError("The file is not JSON, so it is not a Berth progress file.");
  }
  if (!isObject(v) || v.format !== "berth-progress") throw new ProgressError('Not a Berth progress file (it has no "format": "berth-progress").');
  if (v.version !== 1) throw new ProgressError(`Unsupported progress file version ${JSON.stringify(v.version)} (this Berth reads version 1).`);
  const bad = (path: string, what: string): never => {
    throw new ProgressError(`Invalid progress file: ${path}: ${what}.`);
  };
  if (!isObject(v.lessons)) bad("lessons", "expected an object");
  const lessons: Record<string, LessonProgress> = {};
  const entries = own(v.lessons as Record<string, unknown>);
  if (entries.length > MAX_LESSONS) bad("lessons", `more than ${MAX_LESSONS} lessons`);
  for (const [id, l] of entries) {
    const at = `lessons.${id}`;
    if (!KEBAB.test(id)) bad(at, "a lesson id is kebab-case");
    if (!isObject(l)) bad(at, "expected an object");
    const lp = l as Record<string, unknown>;
    for (const k of Object.keys(lp)) if (!["steps", "quiz", "completedAt"].includes(k)) bad(`${at}.${k}`, "unknown field");
    const steps: Record<string, true> = {};
    if (!isObject(lp.steps)) bad(`${at}.steps`, "expected an object");
    for (const [s, done] of own(lp.steps as Record<string, unknown>)) {
      if (!KEBAB.test(s)) bad(`${at}.steps.${s}`, "a step id is kebab-case");
      if (done !== true) bad(`${at}.steps.${s}`, "expected true");
      steps[s] = true;
    }
    const quiz: Record<string, QuizAnswer> = {};
    if (!isObject(lp.quiz)) bad(`${at}.quiz`, "expected an object");
    for (const [q, a] of own(lp.quiz as Record<string, unknown>)) {
      if (!/^\d{1,2}$/.test(q)) bad(`${at}.quiz.${q}`, "a question is its index");
      const ans = isObject(a) ? a : {};
      if (!Number.isInteger(ans.choice) || (ans.choice as number) < 0 || typeof ans.correct !== "boolean" || Object.keys(ans).length !== 2) {
        bad(`${at}.quiz.${q}`, 'expected {"choice": <index>, "correct": true|false}');
      }
      quiz[q] = { choice: ans.choice as number, correct: ans.correct as boolean };
    }
    const entry: LessonProgress = { steps, quiz };
    if (lp.completedAt !== undefined) {
      if (typeof lp.completedAt !== "string" || Number.isNaN(Date.parse(lp.completedAt))) bad(`${at}.completedAt`, "expected a date");
      entry.completedAt = lp.completedAt as string;
    }
    Object.defineProperty(lessons, id, { value: entry, enumerable: true, writable: true, configurable: true });
  }
  return { format: "berth-progress", version: 1, lessons };
}

/** Progress of one course (the built-in one, or a pack's), in one storage key. */
export class ProgressStore {
  private data: ProgressFile;
  private listeners = new Set<() => void>();

  constructor(
    private readonly storage: KeyValue,
    private readonly key: string,
  ) {
    this.data = this.read();
  }

  private read(): ProgressFile {
    const text = this.storage.getItem(this.key);
    if (text) {
      try {
        return parseProgress(text);
      } catch {
        // A damaged entry (edited by hand, older format) must not break the page.
      }
    }
    return { format: "berth-progress", version: 1, lessons: {} };
  }

  private write(): void {
    this.storage.setItem(this.key, JSON.stringify(this.data));
    for (const cb of this.listeners) cb();
  }

  onChange(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  lesson(id: string): LessonProgress {
    return Object.prototype.hasOwnProperty.call(this.data.lessons, id) ? this.data.lessons[id]! : { steps: {}, quiz: {} };
  }

  private update(id: string, change: (l: LessonProgress) => void): void {
    const l = structuredClone(this.lesson(id));
    change(l);
    Object.defineProperty(this.data.lessons, id, { value: l, enumerable: true, writable: true, configurable: true });
    this.write();
  }

  /** Records passed steps; marks the lesson complete once all of `stepIds` have passed. */
  passSteps(id: string, passed: string[], stepIds: string[]): void {
    const before = this.lesson(id);
    if (passed.every((s) => before.steps[s])) return;
    this.update(id, (l) => {
      for (const s of passed) l.steps[s] = true;
      if (!l.completedAt && stepIds.every((s) => l.steps[s])) l.completedAt = new Date().toISOString();
    });
  }

  answer(id: string, question: number, choice: number, correct: boolean): void {
    this.update(id, (l) => (l.quiz[String(question)] = { choice, correct }));
  }

  /** Forgets a lesson's progress (Reset lesson). */
  forget(id: string): void {
    if (!Object.prototype.hasOwnProperty.call(this.data.lessons, id)) return;
    delete this.data.lessons[id];
    this.write();
  }

  status(id: string, stepIds: string[]): LessonStatus {
    const l = this.lesson(id);
    if (stepIds.length && stepIds.every((s) => l.steps[s])) return "done";
    return Object.keys(l.steps).length || Object.keys(l.quiz).length ? "started" : "new";
  }

  export(): string {
    return JSON.stringify(this.data, null, 2) + "\n";
  }

  /** Replaces all progress with a validated file; throws ProgressError and changes nothing if it is bad. */
  import(text: string): void {
    this.data = parseProgress(text);
    this.write();
  }
}
